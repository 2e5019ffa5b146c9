"""Checks of uploaded files shared by every app: the kind of file (by its name and its first bytes) and its size.

An app describes what it accepts in an ``UploadCheck`` (its field's label, the extensions, the largest size, the
message naming what to upload) and calls it from a field validator; the messages name the field and the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

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
    "webp": (b"RIFF",),
}


def extension_of(name: str) -> str:
    name = PurePath(name or "").name
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@dataclass(frozen=True)
class UploadCheck:
    """Refuse a file whose extension is not among ``extensions``, whose first bytes are not of its extension,
    that is empty or larger than ``max_bytes()``. ``refused`` is the message for another kind of file (with
    ``%(field)s``, ``%(name)s`` and ``%(allowed)s``)."""

    label: object
    extensions: tuple[str, ...]
    max_bytes: Callable[[], int]
    refused: object

    def __call__(self, file) -> None:
        name = PurePath(getattr(file, "name", "") or "").name
        extension = extension_of(name)
        if extension not in self.extensions:
            raise ValidationError(
                self.refused,
                code="document_type",
                params={"field": self.label, "name": name, "allowed": ", ".join(self.extensions)},
            )
        size = getattr(file, "size", None) or 0
        limit = self.max_bytes()
        if size > limit:
            raise ValidationError(
                _("%(field)s: “%(name)s” is %(size)s; the largest accepted file is %(limit)s."),
                code="document_size",
                params={
                    "field": self.label,
                    "name": name,
                    "size": filesizeformat(size),
                    "limit": filesizeformat(limit),
                },
            )
        if size == 0:
            raise ValidationError(
                _("%(field)s: “%(name)s” is empty."), code="document_empty", params={"field": self.label, "name": name}
            )
        head = first_bytes(file)
        if head is not None and not head.startswith(SIGNATURES[extension]):
            raise ValidationError(
                _("%(field)s: “%(name)s” is not really a .%(extension)s file; its content is of another kind."),
                code="document_content",
                params={"field": self.label, "name": name, "extension": extension},
            )


def first_bytes(file, count: int = 16) -> bytes | None:
    """The first bytes of an upload (the file position is restored); None when the file cannot be read."""
    try:
        position = file.tell()
        file.seek(0)
        head = file.read(count)
        file.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return head if isinstance(head, bytes) else None
