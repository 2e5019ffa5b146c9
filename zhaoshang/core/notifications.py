"""In-app notifications: any app tells a user something with ``notify``; the user reads it in the app.

The message is stored as text, in the language active when it is sent: callers that run outside a
request (periodic jobs) translate it into the platform's default language first.
"""

from __future__ import annotations

from django.utils import timezone

from .models import Notification


def notify(user, message: str, url: str = "") -> Notification | None:
    """Leave ``message`` (with an optional link) for ``user``; nothing for a missing or inactive user."""
    if user is None or not getattr(user, "is_active", False):
        return None
    return Notification.objects.create(recipient=user, message=str(message)[:500], url=url or "")


def unread(user):
    """The user's unread notifications, newest first."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("-created", "-pk")


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return unread(user).count()


def mark_read(user, ids=None) -> int:
    """Mark the user's notifications (all, or those of ``ids``) read; returns how many changed."""
    queryset = unread(user)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.update(read_at=timezone.now())
