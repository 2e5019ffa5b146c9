"""A process's kept values within a budget, the least recently used out first.

The page cache keeps pages by their bytes (``core.pagecache.LOCAL``), matching keeps the sites' columns by their
numbers and the public's answers and winning sites by count (``portal.services.matching``): one structure, weighed
by each its own way. Safe to share between a worker's threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class Budgeted:
    """Values by key within ``budget`` (the sum of ``weigh(value)``, 1 per value by default); a value heavier than
    ``largest`` (default: the whole budget) is not kept; a key kept already keeps its first value."""

    def __init__(self, budget: int, weigh: Callable[[object], int] | None = None, largest: int | None = None):
        self.budget = budget
        self.weigh = weigh or (lambda value: 1)
        self.largest = budget if largest is None else largest
        self.entries: OrderedDict = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: Hashable):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        weight = self.weigh(value)
        if weight > self.largest:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = value
            self.size += weight
            while self.size > self.budget:
                _key, old = self.entries.popitem(last=False)
                self.size -= self.weigh(old)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0
