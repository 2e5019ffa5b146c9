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


WRITE_METHODS = ("post", "put", "patch", "delete")


def document_conflicts(result, generator, request, public):
    """drf-spectacular hook: every write operation may answer 409 with the conflict message."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Conflict"] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    response = {
        "description": "Someone else changed the record since it was read, or was changing it at the same moment; "
        "nothing was saved. Read it again and retry.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conflict"}}},
    }
    for operations in result.get("paths", {}).values():
        for method in WRITE_METHODS:
            if method in operations:
                operations[method].setdefault("responses", {}).setdefault("409", response)
    return result
