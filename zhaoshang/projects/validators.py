"""Checks of uploaded project documents: the kind of file (by name and by content) and its size (core.uploads)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.uploads import UploadCheck

ALLOWED_EXTENSIONS = ("pdf", "doc", "xls", "docx", "xlsx", "jpg", "jpeg", "png")


def max_document_bytes() -> int:
    return settings.ZHAOSHANG_DOCUMENT_MAX_MB * 1024 * 1024


DOCUMENT_CHECK = UploadCheck(
    label=_("Document file"),
    extensions=ALLOWED_EXTENSIONS,
    max_bytes=max_document_bytes,
    refused=_("%(field)s: “%(name)s” is not accepted; upload a PDF, Word, Excel, JPG or PNG file (%(allowed)s)."),
)


def validate_document_file(file) -> None:
    """Refuse files that are not PDF, Word, Excel, JPEG or PNG (by extension and first bytes) or too large."""
    DOCUMENT_CHECK(file)
