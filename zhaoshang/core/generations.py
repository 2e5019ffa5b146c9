"""Generation numbers: how a cache learns that the records it was built from have changed.

A cache built from some models' records keys its entries by ``current(name)``. Every change of those models
moves the number on — ``watch(name, *models)`` connects the save and delete signals, and bulk writes that send
no per-record signal send ``bulk_saved`` — so an entry built before a change is never found again. The number
moves when the change is made (the same transaction sees it at once) and again when it is committed (nobody
keeps what they read in between). The numbers live in Django's cache, Redis in production, so every worker
process sees them; a number that is lost (the cache was emptied) starts again from the clock, never from a
value an old entry may carry.

A transaction that changes many records (an import) moves each number once when it commits, whatever the number
of its changes, and then sends ``committed`` once per name: a cache that is worth building before anyone asks
(``portal.services.matching`` keeps the sites' columns ready) rebuilds there, outside the transaction.
"""

from __future__ import annotations

import threading
import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

# Sent by bulk writes (``core.excel.bulk_save``) with ``sender`` the model written.
bulk_saved = Signal()
# Sent once a transaction that changed records of ``name`` has committed and ``name`` has moved on (``name`` given).
committed = Signal()

# The names each thread's open transactions have changed, by database alias, moved when they commit.
_pending = threading.local()


def _key(name: str) -> str:
    return f"generation:{name}"


def current(name: str) -> int:
    """The generation of ``name`` now."""
    key = _key(name)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def current_many(names) -> dict[str, int]:
    """The generations of ``names`` now, read in one round trip to the cache (one more for any that was lost)."""
    keys = {name: _key(name) for name in names}
    found = cache.get_many(keys.values())
    values = {}
    for name, key in keys.items():
        value = found.get(key)
        values[name] = value if value is not None else current(name)
    return values


def _move(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:  # not there (emptied cache)
        cache.set(_key(name), time.time_ns(), timeout=None)


def bump(name: str, using: str | None = None) -> None:
    """Move ``name`` on now and again when the current transaction commits (at once outside a transaction)."""
    _move(name)
    alias = using or DEFAULT_DB_ALIAS
    pending = _pending.__dict__.setdefault(alias, set())
    pending.add(name)
    # Registered at every change: a change made in a savepoint that was rolled back loses its callback, the others
    # keep theirs. The first to run moves every name of the transaction; the others find nothing left.
    transaction.on_commit(lambda: _commit(alias), using=alias)


def _commit(alias: str) -> None:
    names = sorted(_pending.__dict__.pop(alias, ()))
    for name in names:
        _move(name)
    for name in names:
        committed.send(sender=None, name=name)


# Every name some models are watched for.
_watched: set[str] = set()


def bump_all(using: str | None = None) -> None:
    """Move every watched name on: after writes that send no signal at all (the demo city's bulk load), nothing
    kept from the records before them is found again."""
    for name in sorted(_watched):
        bump(name, using)


def watch(name: str, *models) -> None:
    """Move ``name`` on whenever a record of ``models`` (or one of their many-to-many links) changes."""
    _watched.add(name)

    def changed(sender, using=None, **kwargs):
        bump(name, using)

    for model in models:
        uid = f"generation:{name}:{model._meta.label}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
        bulk_saved.connect(changed, sender=model, dispatch_uid=f"{uid}:bulk", weak=False)
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                changed, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}", weak=False
            )


class Kept:
    """Values built from records and kept in the process until one of ``names`` moves on: ``get(build, key)``
    gives the value kept under ``key`` (a language, a day) or builds it. Nothing read inside a transaction is kept
    (it may be rolled back); at most ``size`` keys, the oldest first out."""

    def __init__(self, *names: str, size: int = 8):
        self.names = names
        self.size = size
        self.slots: dict = {}
        self.lock = threading.Lock()
        _kept.append(self)

    def get(self, build, key=None):
        numbers = tuple(current_many(self.names).values())
        with self.lock:
            found = self.slots.get(key)
        if found is not None and found[0] == numbers:
            return found[1]
        value = build()
        if not transaction.get_connection().in_atomic_block:
            with self.lock:
                self.slots.pop(key, None)
                self.slots[key] = (numbers, value)
                while len(self.slots) > self.size:
                    self.slots.pop(next(iter(self.slots)))
        return value

    def clear(self) -> None:
        with self.lock:
            self.slots.clear()


_kept: list[Kept] = []


def forget_kept() -> None:
    """Empty every ``Kept`` of the process (tests: what a rolled-back test built must not be found by the next)."""
    for kept in _kept:
        kept.clear()
