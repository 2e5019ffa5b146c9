import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import conflicts
from .context import Actor, _actor, _identity, new_request_id

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Gives every request an id (kept from X-Request-ID when well-formed) and records the acting user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else new_request_id()
        user_id, user_name = _identity(getattr(request, "user", None))
        token = _actor.set(Actor(user_id=user_id, user_name=user_name, request_id=request.request_id))
        try:
            response = self.get_response(request)
        finally:
            _actor.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestSizeMiddleware:
    """Refuses (413) a request whose declared body is larger than it may be, before a byte of it is read.

    Django keeps form fields within ``DATA_UPLOAD_MAX_MEMORY_SIZE`` but streams uploaded files to disk without a
    limit, and only once the whole body has arrived does a form see the file's size. Here an upload (multipart)
    may be ``ZHAOSHANG_REQUEST_MAX_MB``, any other body ``DATA_UPLOAD_MAX_MEMORY_SIZE``. A body without a length
    is not read by Django at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            multipart = request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")
            if multipart:
                limit = settings.ZHAOSHANG_REQUEST_MAX_MB * 1024 * 1024
            else:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit is not None and length > limit:
                return self.refuse(request, length, limit)
        return self.get_response(request)

    @staticmethod
    def refuse(request, length: int, limit: int) -> HttpResponse:
        message = _("The request is too large: %(size)s were sent; at most %(limit)s are accepted.") % {
            "size": filesizeformat(length),
            "limit": filesizeformat(limit),
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class ConflictMiddleware:
    """A page whose write met another answers 409 with the conflict message, never a server error.

    Forms catch ``ConflictError`` themselves and are shown again with the message; this answers for the writes
    that have no form to show again (see ``core.conflicts``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, conflicts.ConflictError) or conflicts.is_lock_conflict(exception)):
            return None
        return render(request, "core/conflict.html", {"message": conflicts.PAGE_MESSAGE}, status=409)
