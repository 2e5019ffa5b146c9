"""Sessions end when idle and when old: ``ZHAOSHANG_SESSION_IDLE_MINUTES`` without a request, or
``ZHAOSHANG_SESSION_MAX_HOURS`` after logging in, whichever comes first.

The session keeps the time of logging in and of the last activity (seconds since the epoch). The last activity
is written at most once a minute, so an active user's session is not saved on every request; the idle timeout
is therefore exact to within that minute.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

LOGIN_AT = "_zs_login_at"
SEEN_AT = "_zs_seen_at"
WRITE_EVERY_SECONDS = 60


def on_logged_in(sender, request, user, **kwargs):
    """A new session starts both clocks."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            self._check(request, time.time())
        return self.get_response(request)

    def _check(self, request, now: float) -> None:
        session = request.session
        login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
        if login_at is None or seen_at is None:  # a session from before the timeouts: starts counting now
            session[LOGIN_AT], session[SEEN_AT] = login_at or now, now
            return
        idle_minutes = settings.ZHAOSHANG_SESSION_IDLE_MINUTES
        if now - seen_at > idle_minutes * 60:
            logout(request)
            messages.info(
                request,
                _("You were logged out after %(minutes)d minutes without activity. Log in again.")
                % {"minutes": idle_minutes},
            )
            return
        if now - login_at > settings.ZHAOSHANG_SESSION_MAX_HOURS * 3600:
            logout(request)
            messages.info(
                request,
                _("Your session has ended: it lasts %(hours)d hours. Log in again.")
                % {"hours": settings.ZHAOSHANG_SESSION_MAX_HOURS},
            )
            return
        if now - seen_at >= WRITE_EVERY_SECONDS:
            session[SEEN_AT] = now
