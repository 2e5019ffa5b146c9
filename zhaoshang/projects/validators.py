"""Checks of uploaded project documents: the kind of file (by name and by content) and its size."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Extension → the first bytes a file of that kind starts with (Office 97 files are OLE, Office 2007 ZIP).
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "doc": (OLE,),
    "xls": (OLE,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
ALLOWED_EXTENSIONS = tuple(SIGNATURES)


def max_document_bytes() -> int:
    return settings.ZHAOSHANG_DOCUMENT_MAX_MB * 1024 * 1024


def validate_document_file(file) -> None:
    """Refuse files that are not PDF, Word, Excel, JPEG or PNG (by extension and first bytes) or too large."""
    label = _("Document file")
    name = PurePath(getattr(file, "name", "") or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError(
            _("%(field)s: “%(name)s” is not accepted; upload a PDF, Word, Excel, JPG or PNG file (%(allowed)s)."),
            code="document_type",
            params={"field": label, "name": name, "allowed": ", ".join(ALLOWED_EXTENSIONS)},
        )
    size = getattr(file, "size", None) or 0
    if size > max_document_bytes():
        raise ValidationError(
            _("%(field)s: “%(name)s” is %(size)s; the largest accepted file is %(limit)s."),
            code="document_size",
            params={
                "field": label,
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(max_document_bytes()),
            },
        )
    if size == 0:
        raise ValidationError(
            _("%(field)s: “%(name)s” is empty."), code="document_empty", params={"field": label, "name": name}
        )
    head = _first_bytes(file)
    if head is not None and not head.startswith(SIGNATURES[extension]):
        raise ValidationError(
            _("%(field)s: “%(name)s” is not really a .%(extension)s file; its content is of another kind."),
            code="document_content",
            params={"field": label, "name": name, "extension": extension},
        )


def _first_bytes(file, count: int = 16) -> bytes | None:
    """The first bytes of an upload (the file position is restored); None when the file cannot be read."""
    try:
        position = file.tell()
        file.seek(0)
        head = file.read(count)
        file.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return head if isinstance(head, bytes) else None
