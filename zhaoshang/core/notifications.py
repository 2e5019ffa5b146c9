"""Notifications: any app tells a user something with ``notify``; the user reads it in the app, and by e-mail.

The message is stored as text, in the language active when it is sent: callers that run outside a
request (periodic jobs) translate it into the platform's default language first.

What leaves the application — an e-mail to a user with an address (``ZHAOSHANG_NOTIFY_EMAIL``), a message to a
group's webhook (``notify_webhook``; a team's group robot: ``accounts.notifications.notify_team``) — is queued as a
``Delivery`` in the same transaction as the change that caused it, and sent once that transaction has committed
(a Celery task; in the embedded default in-process) or by the ``send_notifications`` command from cron.
``send_pending`` sends each due delivery once, even when several senders run at the same time (each claims a
delivery with a conditional UPDATE before sending it); a failed attempt is tried again after 1, 5, 15, 60, then 240
minutes, and given up after ``ZHAOSHANG_NOTIFY_MAX_ATTEMPTS`` attempts (listed for administrators to retry).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import webhooks
from .choices import DeliveryChannel, DeliveryStatus
from .models import Delivery, Notification

logger = logging.getLogger(__name__)

# Minutes to wait after the n-th failed attempt (the last one repeats when more attempts are allowed).
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
# A claimed delivery whose sender died mid-way is due again after this long.
CLAIM_LEASE = timedelta(minutes=10)
SUBJECT_LENGTH = 80
ERROR_LENGTH = 500


def notify(user, message: str, url: str = "") -> Notification | None:
    """Leave ``message`` (with an optional link) for ``user``, and queue it by e-mail when the user has an address;
    nothing for a missing or inactive user."""
    if user is None or not getattr(user, "is_active", False):
        return None
    notification = Notification.objects.create(recipient=user, message=str(message)[:500], url=url or "")
    address = (getattr(user, "email", "") or "").strip()
    if address and settings.ZHAOSHANG_NOTIFY_EMAIL:
        link = absolute_url(url)
        Delivery.objects.create(
            channel=DeliveryChannel.EMAIL,
            address=address,
            subject=subject_of(message),
            body=_email_body(str(message), link),
            url=link[:300],
        )
        send_after_commit()
    return notification


def notify_webhook(url: str, message: str, link: str = "") -> Delivery | None:
    """Queue ``message`` (with an optional link into the platform) for the webhook at ``url`` (a group robot);
    nothing for an address that is not http(s)."""
    if urlsplit(url or "").scheme not in ("http", "https"):
        return None
    delivery = Delivery.objects.create(
        channel=DeliveryChannel.WEBHOOK,
        address=url,
        subject=subject_of(message),
        body=str(message),
        url=absolute_url(link)[:300],
    )
    send_after_commit()
    return delivery


def absolute_url(url: str) -> str:
    """A link of the platform as its users reach it (``ZHAOSHANG_SITE_URL``); an absolute address stays as it is."""
    if not url:
        return ""
    if urlsplit(url).scheme in ("http", "https"):
        return url
    return f"{settings.ZHAOSHANG_SITE_URL}/{url.lstrip('/')}"


def subject_of(message: str) -> str:
    """The first line of ``message``, shortened."""
    first = next((line.strip() for line in str(message).splitlines() if line.strip()), "")
    return first if len(first) <= SUBJECT_LENGTH else first[: SUBJECT_LENGTH - 1] + "…"


def _email_body(message: str, link: str) -> str:
    parts = [message]
    if link:
        parts.append(link)
    parts.append("-- \n" + _("All your notifications: %(url)s") % {"url": absolute_url(reverse("core:notifications"))})
    return "\n\n".join(parts)


# ---------------------------------------------------------------- sending


def send_after_commit() -> None:
    """Run the sender once the current transaction has committed (at once outside one); once per transaction."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _dispatch for entry in connection.run_on_commit):
        return
    transaction.on_commit(_dispatch, robust=True)


def _dispatch() -> None:
    from .tasks import send_notifications

    send_notifications.delay()


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return timedelta(minutes=BACKOFF_MINUTES[min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1])


def send_pending(now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send the deliveries whose time has come (at most ``limit``); returns how many were sent, will be retried,
    were given up."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    due = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "attempts")[:limit]
    )
    for pk, attempts in list(due):
        # the claim: only one sender moves the delivery from this attempt to the next
        claimed = Delivery.objects.filter(
            pk=pk, status=DeliveryStatus.PENDING, attempts=attempts, next_attempt_at__lte=now
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
        if not claimed:
            continue
        delivery = Delivery.objects.get(pk=pk)
        error = _send(delivery)
        counts[_record(delivery, error, now)] += 1
    return counts


def _record(delivery: Delivery, error: str, now: datetime) -> str:
    if not error:
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=now, last_error="")
        return "sent"
    error = error[:ERROR_LENGTH]
    logger.warning("delivery %s (%s) failed, attempt %s: %s", delivery.pk, delivery.channel, delivery.attempts, error)
    if delivery.attempts >= settings.ZHAOSHANG_NOTIFY_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, last_error=error)
        return "failed"
    Delivery.objects.filter(pk=delivery.pk).update(last_error=error, next_attempt_at=now + backoff(delivery.attempts))
    return "retry"


def _send(delivery: Delivery) -> str:
    """Send one delivery; "" when it went out, else why not."""
    try:
        if delivery.channel == DeliveryChannel.EMAIL:
            return _send_email(delivery)
        if delivery.channel == DeliveryChannel.WEBHOOK:
            return _post_webhook(delivery)
        return f"unknown channel {delivery.channel!r}"
    except Exception as exc:  # a broken backend or receiver is a failed attempt, never the end of the sender
        return f"{type(exc).__name__}: {exc}"


def _send_email(delivery: Delivery) -> str:
    message = EmailMessage(delivery.subject, delivery.body, settings.DEFAULT_FROM_EMAIL, [delivery.address])
    return "" if message.send() else "the e-mail backend sent nothing"


def _post_webhook(delivery: Delivery) -> str:
    if urlsplit(delivery.address).scheme not in ("http", "https"):
        return "not an http(s) address"
    adapter = webhooks.adapter()
    with translation.override(settings.LANGUAGE_CODE):
        body = json.dumps(adapter.payload(delivery.body, delivery.url), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        delivery.address,
        data=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.ZHAOSHANG_WEBHOOK_TIMEOUT) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError) as exc:
        return f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
    return adapter.failure(answer)


def retry(delivery_id: int, now: datetime | None = None) -> bool:
    """Send a failed delivery again now, with a fresh series of attempts; False when it is not failed (any more)."""
    now = now or timezone.now()
    retried = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now
    )
    if retried:
        send_after_commit()
    return bool(retried)


# ---------------------------------------------------------------- reading in the app


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
