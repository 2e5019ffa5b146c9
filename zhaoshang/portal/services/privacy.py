"""Personal data of inquiries (个人信息保护法): how long they are kept and how they are anonymised.

Closed. An inquiry is closed once its team has decided it: accepted (its contact person is then the lead's
contact, kept with the project) or dismissed (spam, not relevant). The retention period runs from that
decision (``accepted_at`` or ``dismissed_at``; a decision is taken once). An inquiry still undecided is being
worked on and is never anonymised by the clock.

Retention. ``ZHAOSHANG_INQUIRY_RETENTION_DAYS`` whole days after the day of the decision (local time): an
inquiry decided on 1 March 2026 with 730 days keeps its personal data through 1 March 2028 and is anonymised
from 2 March 2028 on.

Anonymising. The contact person, phone, email, the investor's own text (``message``, which often repeats a
name or a phone number) and the staff's response note are replaced by ``MARKER`` (phone and email emptied, so
that no two anonymised inquiries look alike), ``anonymised_at`` is set, and the inquiry's change records are
scrubbed of those values (``core.audit.scrub``). Everything the statistics count stays: company (a company is
not a person), country, planned investment, team, district, site, park, proposal, status, dates, lead,
decisions.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhaoshang.core import audit

from ..models import Inquiry

logger = logging.getLogger(__name__)

MARKER = "***"

# The personal columns of an inquiry and what they become.
PERSONAL_FIELDS = {
    "contact_name": MARKER,
    "phone": "",
    "email": "",
    "message": MARKER,
    "response_note": MARKER,
}


def closed_q() -> Q:
    """Inquiries their team has decided (accepted or dismissed)."""
    return Q(accepted_at__isnull=False) | Q(dismissed_at__isnull=False)


def retention_cutoff(today: date | None = None) -> datetime:
    """Inquiries decided before this moment are past retention on ``today`` (local day)."""
    today = today or timezone.localdate()
    first_kept_day = today - timedelta(days=settings.ZHAOSHANG_INQUIRY_RETENTION_DAYS)
    return timezone.make_aware(datetime.combine(first_kept_day, time.min))


def past_retention(today: date | None = None, queryset=None):
    """Closed inquiries still holding personal data whose retention period has run out on ``today``."""
    queryset = Inquiry.objects.all() if queryset is None else queryset
    cutoff = retention_cutoff(today)
    return queryset.filter(anonymised_at__isnull=True).filter(Q(accepted_at__lt=cutoff) | Q(dismissed_at__lt=cutoff))


def anonymise_inquiry(inquiry: Inquiry, *, now: datetime | None = None) -> bool:
    """Replace the inquiry's personal data by the marker and scrub its change records. False when it already was.

    The caller decides whether it may (the retention scan, an administrator's erasure request)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().filter(pk=inquiry.pk).first()
        if locked is None or locked.anonymised_at is not None:
            return False
        texts = [getattr(locked, name) for name in PERSONAL_FIELDS]
        for name, value in PERSONAL_FIELDS.items():
            setattr(locked, name, value)
        locked.anonymised_at = now
        locked.save()
        # after the save: its own change record holds the values too
        audit.scrub(locked, PERSONAL_FIELDS, texts, MARKER)
    for name in (*PERSONAL_FIELDS, "anonymised_at", "version", "updated"):
        setattr(inquiry, name, getattr(locked, name))
    return True


def anonymise_expired(today: date | None = None, *, now: datetime | None = None) -> int:
    """The periodic scan: anonymise every closed inquiry past its retention period. Returns how many."""
    count = 0
    for inquiry in past_retention(today).only("pk").order_by("pk"):
        count += anonymise_inquiry(inquiry, now=now)
    if count:
        logger.info(
            "inquiries anonymised after %d days of retention: %d", settings.ZHAOSHANG_INQUIRY_RETENTION_DAYS, count
        )
    return count
