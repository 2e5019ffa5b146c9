"""QR codes (江门招商二维码) for print material: SVG and PNG of any page's absolute address."""

from __future__ import annotations

import io

import segno
from django.http import HttpResponse

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def qr_bytes(url: str, fmt: str, scale: int = 8) -> bytes:
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    if fmt == "svg":
        code.save(buffer, kind="svg", scale=scale, xmldecl=True, svgns=True, border=2)
    else:
        code.save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_response(request, path: str, fmt: str) -> HttpResponse:
    """The QR code of ``path`` on this site, as an SVG or PNG download."""
    if fmt not in FORMATS:
        fmt = "svg"
    response = HttpResponse(qr_bytes(request.build_absolute_uri(path), fmt), content_type=FORMATS[fmt])
    response["Cache-Control"] = "public, max-age=86400"
    return response
