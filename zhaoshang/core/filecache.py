"""The file cache of a single machine without Redis (``CACHES`` in settings).

Django's ``FileBasedCache`` lists its whole folder at every write to count its entries against ``MAX_ENTRIES``:
with the thousands of public pages the page cache keeps, that listing costs more than reading a page. This one
counts at most once every ``CULL_EVERY`` writes of a process (the first included), so the folder may hold up to
that many entries per process above ``MAX_ENTRIES`` before a third of them is removed, as Django's does.
"""

from __future__ import annotations

import itertools
import threading

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self.cull_every = int(params.get("OPTIONS", {}).get("CULL_EVERY", 64))
        self._writes = itertools.count()
        self._lock = threading.Lock()

    def _cull(self):
        with self._lock:
            write = next(self._writes)
        if write % self.cull_every == 0:
            super()._cull()
