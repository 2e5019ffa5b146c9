"""Writes that meet another write at the same moment end in success or in the conflict message, never an error.

Two kinds of meeting, one answer (``ConflictError``):

- optimistic: the record was saved by someone else since it was read (``BaseModel.version``);
- pessimistic: the database could not give the write its lock in time. SQLite answers "database is locked" when
  its busy timeout runs out; PostgreSQL answers lock_not_available (55P03) when ``lock_timeout`` runs out,
  deadlock_detected (40P01) or serialization_failure (40001).

A write begins with ``atomic_write()`` (``BaseModel.save``, the edit views, the API's saves, the services that
lock a row), which turns the second kind into the first. Each surface then answers ``ConflictError`` once: a form
is shown again with the message, the API answers 409 (``core.api.errors``), and any other page answers 409
with the message (``core.middleware.ConflictMiddleware``). See docs/concurrency.md.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """The record was changed by someone else since it was read, or is being changed by someone else right now."""

    def __init__(self, obj=None):
        self.obj = obj
        what = f"{type(obj).__name__} {obj.pk}" if obj is not None else "The record"
        super().__init__(f"{what} was changed since it was read, or is being changed right now")


# PostgreSQL's codes for a lock not had in time, a deadlock broken by cancelling us and a serialization failure.
LOCK_SQLSTATES = frozenset({"55P03", "40P01", "40001"})
# SQLite's primary result codes SQLITE_BUSY and SQLITE_LOCKED (the extended codes keep them in the low byte).
SQLITE_BUSY_CODES = frozenset({5, 6})

PAGE_MESSAGE = _(
    "Someone else changed this record after you opened it. Nothing was saved: "
    "reload the page to see their change, then make yours again."
)
API_MESSAGE = _("Someone else changed this record after you read it; read it again and retry.")


def is_lock_conflict(exc: BaseException) -> bool:
    """Whether ``exc`` is the database refusing a write because another one held its lock (see the module)."""
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__ if exc.__cause__ is not None else exc
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        return sqlstate in LOCK_SQLSTATES
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in SQLITE_BUSY_CODES
    message = str(exc).lower()
    return "database is locked" in message or "database table is locked" in message


@contextmanager
def atomic_write(obj=None, using=None):
    """``transaction.atomic()`` for a write that may meet another: a lock not had in time is ``ConflictError(obj)``.

    Whatever the block did is rolled back, as for any error leaving ``atomic``.
    """
    try:
        with transaction.atomic(using=using):
            yield
    except DatabaseError as exc:
        if is_lock_conflict(exc):
            raise ConflictError(obj) from exc
        raise
