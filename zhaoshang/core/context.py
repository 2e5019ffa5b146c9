"""Who is acting and in which request: read by the audit log and created_by."""

from __future__ import annotations

import contextlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    request_id: str
    user_name: str = ""


_actor: ContextVar[Actor | None] = ContextVar("zhaoshang_actor", default=None)


def current_actor() -> Actor | None:
    return _actor.get()


def _identity(user) -> tuple[int | None, str]:
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk, user.get_username()
    return None, ""


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting_as(user=None, request_id: str | None = None):
    """Attribute every change made inside the block to ``user`` (for commands, jobs and tests)."""
    user_id, user_name = _identity(user)
    token = _actor.set(Actor(user_id=user_id, user_name=user_name, request_id=request_id or new_request_id()))
    try:
        yield
    finally:
        _actor.reset(token)


def attribute_to(user) -> None:
    """Within the current request, attribute changes to ``user`` (used after API token authentication)."""
    actor = _actor.get()
    user_id, user_name = _identity(user)
    _actor.set(Actor(user_id=user_id, user_name=user_name, request_id=actor.request_id if actor else new_request_id()))
