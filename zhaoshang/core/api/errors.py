"""How the API answers errors: always JSON, always a status the schema documents, never a server error for
something a caller sent.

- ``exception_handler`` (DRF's ``EXCEPTION_HANDLER``): DRF's answers, plus 409 for a write that met another (a
  stale version or a lock not had in time, ``core/conflicts.py``: read the record again and retry) and for a delete
  that other records refuse (``ProtectedError``), with a message naming them.
- ``not_found`` / ``bad_request`` (Django's ``handler404`` / ``handler400``): an address under ``/api/`` that no
  route matches answers JSON like the API, other addresses keep the HTML pages.
- ``ErrorSerializer`` / ``ValidationErrorSerializer``: the bodies, as the schema documents them
  (``core/api/schema.py``).
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler

from .. import conflicts
from ..deletion import REFUSED_DELETES, refusal_message

API_PREFIX = "/api/"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=gettext_lazy("What went wrong, in the caller's language."))


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the records as they are now.")
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's handler; a write that met another is 409 with the conflict message; a delete that other records refuse
    is 409 too (views name the record, see ``perform_destroy`` in ``core/api/views.py``)."""
    if isinstance(exc, conflicts.ConflictError) or conflicts.is_lock_conflict(exc):
        exc = Conflict(conflicts.API_MESSAGE)
    elif isinstance(exc, REFUSED_DELETES):
        exc = Conflict(refusal_message(_("This record"), exc))
    return drf_exception_handler(exc, context)


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("The request is malformed.")}, status=400)
    return defaults.bad_request(request, exception)
