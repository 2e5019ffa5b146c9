"""Rate limits: one mechanism (DRF's scoped throttle) for API views and pages alike."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle


def client_address(request) -> str:
    """The client's address as every rate limit reads it (login throttling too): ``REMOTE_ADDR``, or the
    X-Forwarded-For entry of the nearest of ``NUM_PROXIES`` trusted proxies (DRF's rule, one place)."""
    return BaseThrottle().get_ident(request)


class LiveScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, reading the rate from the settings in force (so tests and operators can change it)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class _Scope:
    def __init__(self, scope: str):
        self.throttle_scope = scope


def allow(request, scope: str) -> tuple[bool, int | None]:
    """Count one request of this client against ``scope``; (allowed, seconds to wait when not).

    Works on a Django ``HttpRequest`` (a page) as on a DRF ``Request``: the throttle reads only
    ``request.user``, ``request.headers`` and ``request.META``.
    """
    throttle = LiveScopedRateThrottle()
    if throttle.allow_request(request, _Scope(scope)):
        return True, None
    wait = throttle.wait()
    return False, int(wait) + 1 if wait is not None else None
