"""Checks of the files staff upload for parks and sites: photos (opened with Pillow) and PDF documents.

The checks of kind, size and first bytes are core.uploads'; a photo must moreover open as a JPEG, PNG or WebP
image of sensible dimensions.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.uploads import UploadCheck

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
# More pixels than this is a decompression bomb, not a photo (Pillow's own guard is a warning at half of it).
MAX_PIXELS = 60_000_000


def max_photo_bytes() -> int:
    return settings.ZHAOSHANG_PHOTO_MAX_MB * 1024 * 1024


def max_document_bytes() -> int:
    return settings.ZHAOSHANG_DOCUMENT_MAX_MB * 1024 * 1024


PHOTO_CHECK = UploadCheck(
    label=_("Photo"),
    extensions=("jpg", "jpeg", "png", "webp"),
    max_bytes=max_photo_bytes,
    refused=_("%(field)s: “%(name)s” is not accepted; upload a JPEG, PNG or WebP image (%(allowed)s)."),
)
DOCUMENT_CHECK = UploadCheck(
    label=_("Document file"),
    extensions=("pdf",),
    max_bytes=max_document_bytes,
    refused=_("%(field)s: “%(name)s” is not accepted; upload a PDF file (%(allowed)s)."),
)


def validate_listing_document(file) -> None:
    """A PDF (brochure, plan) within the size limit of documents."""
    DOCUMENT_CHECK(file)


def validate_photo(file) -> None:
    """A JPEG, PNG or WebP image within the photo size limit that Pillow opens and reads to its end."""
    PHOTO_CHECK(file)
    from PIL import Image

    name = PurePath(getattr(file, "name", "") or "").name
    unreadable = ValidationError(
        _("%(field)s: “%(name)s” cannot be opened as an image; it may be damaged."),
        code="photo_unreadable",
        params={"field": PHOTO_CHECK.label, "name": name},
    )
    try:
        position = file.tell()
        file.seek(0)
        with Image.open(file) as image:
            kind, (width, height) = image.format, image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("%(field)s: “%(name)s” has too many pixels (%(width)s × %(height)s)."),
                    code="photo_pixels",
                    params={"field": PHOTO_CHECK.label, "name": name, "width": width, "height": height},
                )
            image.verify()
        file.seek(position)
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds of error on a damaged or disguised file
        raise unreadable from error
    if kind not in PHOTO_FORMATS:
        raise unreadable
