"""The API's answer to exceptions: DRF's, and 409 with the conflict message for a write that met another.

A stale version (``ConflictError``) and a lock the database could not give in time (``conflicts.is_lock_conflict``)
are the same thing to the caller: someone else is changing the record; read it again and retry.
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler

from .. import conflicts


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = conflicts.API_MESSAGE
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, conflicts.ConflictError) or conflicts.is_lock_conflict(exc):
        exc = Conflict()
    return drf_exception_handler(exc, context)
