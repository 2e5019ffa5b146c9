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
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import audit
from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.context import acting_as, current_actor
from zhaoshang.core.permissions import user_scope
from zhaoshang.industry.models import Enterprise
from zhaoshang.projects.models import Contact

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


# ---------------------------------------------------------------- one person's data, on request

# The personal columns of a project's contact and what they become when erased (the organisation is a company).
CONTACT_FIELDS = {"name": MARKER, "position": "", "phone": "", "email": "", "note": MARKER}
# The contact person of an enterprise (the register, a team's prospects) and what it becomes when erased.
ENTERPRISE_CONTACT_FIELDS = {"contact_name": MARKER, "contact_phone": ""}

MIN_PHONE_DIGITS = 7  # fewer digits would match strangers' numbers


def digits(text: str) -> str:
    return "".join(ch for ch in str(text or "") if ch.isdigit())


def same_phone(stored: str, wanted: str) -> bool:
    """The same number whatever the spacing, dashes or a country code before it (+86 138-0013-8000 = 13800138000)."""
    stored, wanted = digits(stored), digits(wanted)
    if len(stored) < MIN_PHONE_DIGITS or len(wanted) < MIN_PHONE_DIGITS:
        return False
    return stored.endswith(wanted) or wanted.endswith(stored)


@dataclass
class PersonData:
    """What the records hold of one person, found by phone, email or name."""

    criteria: list[str]  # which of phone, email, name were asked for (never their values)
    inquiries: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    enterprises: list = field(default_factory=list)  # enterprises whose contact person this is

    @property
    def contact_count(self) -> int:
        return len(self.contacts) + len(self.enterprises)

    def export(self) -> dict:
        """Everything found, as JSON-safe values (the answer to the person's request)."""

        def pick(obj, names) -> dict:
            values = audit.snapshot(obj)
            return {name: values[name] for name in names}

        contact_names = ("id", "organization", *CONTACT_FIELDS, "created")
        return {
            "inquiries": [pick(i, EXPORTED_INQUIRY_FIELDS) for i in self.inquiries],
            "contacts": [
                {"project": c.project_id, "project_name": c.project.name} | pick(c, contact_names)
                for c in self.contacts
            ],
            "enterprise_contacts": [pick(e, ("id", "name", *ENTERPRISE_CONTACT_FIELDS)) for e in self.enterprises],
        }

    def summary(self) -> dict:
        """The request as its audit record keeps it: what was looked for and which records, no personal data."""
        return {
            "criteria": self.criteria,
            "inquiries": [i.pk for i in self.inquiries],
            "contacts": [c.pk for c in self.contacts],
            "enterprises": [e.pk for e in self.enterprises],
        }


EXPORTED_INQUIRY_FIELDS = (
    "id",
    "created",
    "company",
    *PERSONAL_FIELDS,
    "country",
    "investment_wan",
    "status",
    "consent_at",
)


def _audit_request(user, found: PersonData, request: str) -> None:
    """One change record of the request itself, by ``user`` (whoever else the block acts as), without the data."""
    actor = current_actor()
    account = get_user_model().objects.get(pk=user.pk)  # the user itself, not a request's lazy stand-in
    with acting_as(account, request_id=actor.request_id if actor else None):
        audit.record_event(account, ChangeKind.PERSONAL_DATA, {"request": request, **found.summary()})


def _require_admin(user) -> None:
    if not user_scope(user).is_admin:
        raise PermissionDenied


def find_person(user, *, phone: str = "", email: str = "", name: str = "") -> PersonData:
    """The inquiries, project contacts and enterprises' contact persons that hold this phone number, email address
    or name (any of them).
    Administrators only (PermissionDenied otherwise)."""
    _require_admin(user)
    phone, email, name = (phone or "").strip(), (email or "").strip(), (name or "").strip()
    criteria = [label for label, value in (("phone", phone), ("email", email), ("name", name)) if value]
    if not criteria:
        raise ValidationError(_("Give a phone number, an email address or a name."))
    if phone and len(digits(phone)) < MIN_PHONE_DIGITS:
        raise ValidationError(
            _("A phone number has at least %(count)d digits.") % {"count": MIN_PHONE_DIGITS}, code="phone"
        )
    found = PersonData(criteria=criteria)
    for model, name_field, phone_field, into in (
        (Inquiry, "contact_name", "phone", found.inquiries),
        (Contact, "name", "phone", found.contacts),
        (Enterprise, "contact_name", "contact_phone", found.enterprises),
    ):
        q = Q(pk__in=[])
        if email and model is not Enterprise:  # an enterprise keeps no email of its contact
            q |= Q(email__iexact=email)
        if name:
            q |= Q(**{name_field: name})
        if phone:
            # numbers are stored as typed (spaces, dashes, +86): compared digit by digit (a rare, admin-only request)
            rows = model.objects.exclude(**{phone_field: ""}).values_list("pk", phone_field).iterator()
            ids = [pk for pk, stored in rows if same_phone(stored, phone)]
            q |= Q(pk__in=ids)
        queryset = model.objects.filter(q).order_by("pk")
        if model is Contact:
            queryset = queryset.select_related("project")
        into.extend(queryset)
    return found


def export_person(user, **criteria) -> dict:
    """One person's data as JSON, for their request; the request is audited (without the data)."""
    found = find_person(user, **criteria)
    _audit_request(user, found, "export")
    return found.export()


def erase_person(user, *, now: datetime | None = None, **criteria) -> PersonData:
    """Erase one person's data on request: their inquiries anonymised, their contacts' personal columns replaced by
    the marker, the change records of both scrubbed; one audit record of the request (without the data)."""
    found = find_person(user, **criteria)
    now = now or timezone.now()
    with transaction.atomic():
        for inquiry in found.inquiries:
            anonymise_inquiry(inquiry, now=now)
        for contact in found.contacts:
            texts = [getattr(contact, name) for name in CONTACT_FIELDS]
            for name, value in CONTACT_FIELDS.items():
                setattr(contact, name, value)
            contact.save()
            audit.scrub(contact, CONTACT_FIELDS, texts, MARKER)
        for enterprise in found.enterprises:
            texts = [getattr(enterprise, name) for name in ENTERPRISE_CONTACT_FIELDS]
            for name, value in ENTERPRISE_CONTACT_FIELDS.items():
                setattr(enterprise, name, value)
            enterprise.save()
            audit.scrub(enterprise, ENTERPRISE_CONTACT_FIELDS, texts, MARKER)
        _audit_request(user, found, "erase")
    logger.info("personal data erased on request by %s: %s", user, found.summary())
    return found
