import re

from django.shortcuts import render

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
