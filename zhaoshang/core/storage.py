"""Where uploaded files of business records live.

Files that only some users may read (project documents, review papers) are kept under
``PRIVATE_MEDIA_ROOT``, outside ``MEDIA_ROOT``: no web server publishes them, and they are served only by
views that check the reader's permission on the record.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """File storage under ``settings.PRIVATE_MEDIA_ROOT`` (read at each use), without a public URL."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no public URL; serve them through a view that checks permissions")


private_storage = PrivateStorage()
