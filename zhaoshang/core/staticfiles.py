"""Front-end packages from npm, published file by file: what the pages load and the files those name.

A package's ``dist`` folder holds many builds (ECharts' alone is 51 MB), and some of them name source maps
the package does not ship (Tabler's bundled libraries), which the production storage cannot hash: it stops
``collectstatic``. So ``settings.VENDOR_FILES`` lists, per package, the files to publish (glob patterns
relative to the package folder), and this finder offers exactly those, to ``collectstatic`` and to whitenoise
in development alike.
"""

from __future__ import annotations

import glob

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder, searched_locations
from django.core import checks
from django.core.files.storage import FileSystemStorage


class VendorFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        self.files: dict[str, tuple[FileSystemStorage, str]] = {}  # public path → (storage, path in the package)
        self.missing: list[str] = []
        for prefix, (root, patterns) in settings.VENDOR_FILES.items():
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix
            for pattern in patterns:
                found = sorted(glob.glob(pattern, root_dir=root))
                if not found:
                    self.missing.append(f"{root}/{pattern}")
                for name in found:
                    self.files[f"{prefix}/{name}"] = (storage, name)
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        return [
            checks.Warning(
                f"front-end file {path} is missing",
                hint="Install the npm packages (make install, or npm ci).",
                id="core.W001",
            )
            for path in self.missing
        ]

    def find(self, path, find_all=False, **kwargs):
        if kwargs:  # Django < 6.1 still accepts the old name ``all``
            find_all = kwargs.get("all", find_all)
        entry = self.files.get(path)
        if entry is None:
            return [] if find_all else None
        storage, name = entry
        if storage.location not in searched_locations:
            searched_locations.append(storage.location)
        found = storage.path(name)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        for storage, name in self.files.values():
            yield name, storage
