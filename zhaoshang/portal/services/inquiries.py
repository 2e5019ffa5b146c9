"""Investor inquiries (询盘): who owns them, their response clock, overdue scans, statistics, rate limits.

Routing. An inquiry belongs to the team responsible for what the investor asked about: the site's team,
else the park's team, else (for a proposal) the team of its best-ranked site still on record, else the
centre. "The centre" is the active team of kind centre; a deployment without one falls back to the first
active team (by id) so that no inquiry is ever refused for want of an owner. Inactive teams are skipped
at every step: nobody would see an inquiry owned by them.

The clock. ``due`` is the moment ``ZHAOSHANG_INQUIRY_RESPONSE_DAYS`` working days of the working-day calendar
(holidays and moved working days as data, in the site's time zone) after the inquiry arrived, at the same time of
day, computed by ``core.workdays.add_working_days`` — the one implementation. The first response stops the clock
once; later notes are kept but do not move it.

Acceptance. An inquiry opens nothing in the pipeline by itself (a robot that slips past the honeypot must not
fill it): it waits in its team's inbox until a member of that team who may change it (``restrict(user,
"change")``, re-checked on the locked row) either accepts it — ``accept_inquiry`` opens the lead as
``open_lead`` describes and links it — or dismisses it with a reason (``dismiss_inquiry``: spam or not
relevant; the inquiry is kept, its change record says who and why, and it leaves the open inquiries, the
clock and the figures). Either decision is taken once.

Rate limits. The page and the API share one mechanism (``core.api.throttling``: DRF's scoped throttle), scope
``inquiry`` (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["inquiry"]``, default 5/hour), keyed by client
address for anonymous callers (by user for signed-in ones). Every submission counts, valid or not.
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.accounts.models import Team
from zhaoshang.core import workdays
from zhaoshang.core.api.throttling import allow
from zhaoshang.core.choices import Action
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Carrier
from zhaoshang.projects.models import Project
from zhaoshang.projects.services import receive_lead

from ..choices import DISMISSED_STATUSES, DismissalGrounds, InquiryStatus
from ..models import Inquiry

logger = logging.getLogger(__name__)

THROTTLE_SCOPE = "inquiry"

# The fields of an inquiry an investor fills in (the form's and the API's).
INQUIRY_FIELDS = ("company", "contact_name", "phone", "email", "country", "message", "investment_wan")


class NoTeamError(RuntimeError):
    """No active team exists to own an inquiry: the deployment has not been set up."""


# ---------------------------------------------------------------- routing


def centre_team() -> Team:
    """The centre (the active team of kind centre); without one, the first active team that is not a department
    (departments serve approvals and enterprise requests, not investors)."""
    team = Team.objects.filter(kind=TeamKind.CENTRE, active=True).order_by("pk").first()
    if team is None:
        team = Team.objects.filter(active=True).exclude(kind=TeamKind.DEPARTMENT).order_by("pk").first()
    if team is None:
        raise NoTeamError("no active team can own an inquiry")
    return team


def _ranked_carrier_ids(results) -> list[int]:
    """The site ids of a proposal's snapshot, best first. Anything unexpected is skipped, never fatal."""
    if isinstance(results, dict):
        results = results.get("results") or results.get("sites") or []
    if not isinstance(results, list | tuple):
        return []
    entries = []
    for position, entry in enumerate(results):
        if not isinstance(entry, dict):
            continue
        try:
            carrier_id = int(entry.get("carrier"))  # the key of matching.snapshot()
        except (TypeError, ValueError):
            continue
        rank = entry.get("rank")
        rank = rank if isinstance(rank, int | float) and not isinstance(rank, bool) else None
        entries.append((rank if rank is not None else float("inf"), position, carrier_id))
    # An explicit rank wins; otherwise the snapshot's order is the ranking.
    return [carrier_id for _rank, _position, carrier_id in sorted(entries)]


def _best_site_of(proposal) -> Carrier | None:
    ids = _ranked_carrier_ids(proposal.results)
    if not ids:
        return None
    on_record = {
        c.pk: c for c in Carrier.objects.filter(pk__in=ids, team__active=True).select_related("team", "region")
    }
    for carrier_id in ids:
        if carrier_id in on_record:
            return on_record[carrier_id]
    return None


def route(*, carrier=None, park=None, proposal=None) -> tuple[Team, object]:
    """(owning team, region) of an inquiry about a site, a park or a proposal (see the module's doc)."""
    if carrier is not None:
        if carrier.team.active:
            return carrier.team, carrier.region
        if carrier.park is not None and carrier.park.team.active:
            return carrier.park.team, carrier.region
        return centre_team(), carrier.region
    if park is not None:
        return (park.team if park.team.active else centre_team()), park.region
    if proposal is not None:
        site = _best_site_of(proposal)
        if site is not None:
            return site.team, site.region
    return centre_team(), None


def submit_inquiry(cleaned_data, *, carrier=None, park=None, proposal=None, language, received=None) -> Inquiry:
    """Save an investor's inquiry, owned by the team responsible, with its response clock started. It waits in
    the team's inbox to be accepted or dismissed: nothing enters the pipeline yet.

    ``cleaned_data`` is a valid InquiryForm's (extra keys such as the honeypot are ignored).
    ``received`` defaults to now; tests pass an explicit moment.
    """
    team, region = route(carrier=carrier, park=park, proposal=proposal)
    received = received or timezone.now()
    inquiry = Inquiry(
        **{name: cleaned_data.get(name) for name in INQUIRY_FIELDS},
        carrier=carrier,
        park=park,
        proposal=proposal,
        team=team,
        region=region,
        language=language,
        status=InquiryStatus.NEW,
        due=Inquiry.response_due(received),
        consent_at=received if cleaned_data.get("consent") else None,
    )
    for name in ("phone", "email", "country"):
        if getattr(inquiry, name) is None:
            setattr(inquiry, name, "")
    inquiry.save()
    return inquiry


# ---------------------------------------------------------------- accepting or dismissing


def pending_q() -> Q:
    """Inquiries waiting for their team's decision: neither accepted nor dismissed."""
    return Q(accepted_at__isnull=True, dismissed_at__isnull=True)


def _lock_for_decision(inquiry: Inquiry, user) -> Inquiry:
    """The inquiry's row, locked, if ``user`` may change it (else PermissionDenied) and it is still undecided."""
    locked = Inquiry.objects.restrict(user, Action.CHANGE).select_for_update().filter(pk=inquiry.pk).first()
    if locked is None:
        raise PermissionDenied
    if not locked.is_pending:
        raise ValidationError(_("This inquiry has already been accepted or dismissed."), code="decided")
    return locked


def _refresh(inquiry: Inquiry, locked: Inquiry, names) -> None:
    for name in (*names, "status", "version", "updated"):
        setattr(inquiry, name, getattr(locked, name))


def accept_inquiry(inquiry: Inquiry, user, *, now=None) -> Project:
    """Accept an inquiry: open its lead (``open_lead``, dated the day it arrived), link it, and return the lead.

    PermissionDenied when ``user`` may not change the inquiry; ValidationError when it was already decided.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_for_decision(inquiry, user)
        lead = open_lead(locked, locked.created)
        locked.lead = lead
        locked.accepted_at = now
        locked.accepted_by = user
        locked.save()
    logger.info("inquiry %s accepted by %s: lead %s opened", locked.pk, user, lead.pk)
    _refresh(inquiry, locked, ("lead_id", "accepted_at", "accepted_by_id"))
    return lead


def dismiss_inquiry(inquiry: Inquiry, user, grounds: str, reason: str, *, now=None) -> None:
    """Dismiss an inquiry as spam or not relevant, with a reason: it is kept (and audited) but opens no lead,
    leaves the open inquiries and the clock, and is not counted among the inquiries received.

    PermissionDenied when ``user`` may not change the inquiry; ValidationError for unknown grounds, an empty
    reason, or an inquiry already decided.
    """
    reason = (reason or "").strip()
    if grounds not in DismissalGrounds.values:
        raise ValidationError({"grounds": _("Choose why the inquiry is dismissed.")})
    if not reason:
        raise ValidationError({"reason": _("Give the reason for dismissing the inquiry.")})
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_for_decision(inquiry, user)
        locked.status = grounds
        locked.dismissed_at = now
        locked.dismissed_by = user
        locked.dismissal_reason = reason
        locked.save()
    logger.info("inquiry %s dismissed by %s as %s", locked.pk, user, grounds)
    _refresh(inquiry, locked, ("dismissed_at", "dismissed_by_id", "dismissal_reason"))


def open_lead(inquiry: Inquiry, received) -> Project:
    """The lead an accepted inquiry opens in the pipeline: owned by the inquiry's team, aimed at its site, park and
    district, with the investor as the enterprise and the contact person as the project's first contact.
    The project's name is in the city's language, whichever language the investor wrote in."""
    target = inquiry.carrier or inquiry.park
    with translation.override(settings.LANGUAGE_CODE):
        if target is not None:
            name = _("%(company)s inquiry about %(target)s") % {"company": inquiry.company, "target": target.name}
        else:
            name = _("%(company)s inquiry") % {"company": inquiry.company}
    return receive_lead(
        name=name[:200],
        owner_team=inquiry.team,
        enterprise_name=inquiry.company,
        lead_on=timezone.localdate(received),
        district=inquiry.region if inquiry.region_id and inquiry.region.level == RegionLevel.DISTRICT else None,
        park=inquiry.park or (inquiry.carrier.park if inquiry.carrier_id else None),
        carrier=inquiry.carrier,
        planned_investment=inquiry.investment_wan,
        description=inquiry.message,
        contact={
            "name": inquiry.contact_name,
            "organization": inquiry.company,
            "phone": inquiry.phone,
            "email": inquiry.email,
        },
    )


# ---------------------------------------------------------------- the first response


def record_first_response(inquiry: Inquiry, user, note: str, *, now=None) -> bool:
    """Record a response; the first one stops the clock. True when this call was the first response.

    The user's right to change the inquiry is re-checked on the locked row, inside the transaction.
    A later note is appended to the response but moves neither the clock nor who answered.
    """
    now = now or timezone.now()
    note = note.strip()
    with transaction.atomic():
        locked = Inquiry.objects.restrict(user, Action.CHANGE).select_for_update().filter(pk=inquiry.pk).first()
        if locked is None:
            raise PermissionDenied
        first = locked.first_response_at is None
        if first:
            locked.first_response_at = now
            locked.responded_by = user
            locked.response_note = note
            if locked.status == InquiryStatus.NEW:
                locked.status = InquiryStatus.ANSWERED
        else:
            stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
            locked.response_note = f"{locked.response_note}\n\n[{stamp} {user}] {note}".strip()
        locked.save()
    for name in ("first_response_at", "responded_by_id", "response_note", "status", "version", "updated"):
        setattr(inquiry, name, getattr(locked, name))
    return first


# ---------------------------------------------------------------- overdue and the clock


def open_q() -> Q:
    return Q(status=InquiryStatus.NEW, first_response_at__isnull=True)


def overdue_q(now: datetime) -> Q:
    return open_q() & Q(due__lt=now)


def overdue_inquiries(now: datetime | None = None, queryset=None):
    """Inquiries still waiting for their first response after their due time."""
    queryset = Inquiry.objects.all() if queryset is None else queryset
    return queryset.filter(overdue_q(now or timezone.now()))


def flag_overdue(now: datetime | None = None) -> dict[str, int]:
    """The periodic scan: count overdue inquiries per team and log them. The inbox shows them flagged.

    Returns {team name: number overdue}, only teams with some.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    rows = overdue_inquiries(now).values_list("team__name").order_by("team__name")
    for (name,) in rows:
        counts[name] = counts.get(name, 0) + 1
    for name, count in counts.items():
        logger.warning("inquiries overdue: team %s has %d without a first response", name, count)
    return counts


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """The part of [start, end) that falls on working days of the calendar (local time); zero when end <= start."""
    if end <= start:
        return timedelta(0)
    moment, end = timezone.localtime(start), timezone.localtime(end)
    if moment.date() == end.date():
        return end - moment if workdays.is_working(moment.date()) else timedelta(0)
    total = timedelta(0)
    if workdays.is_working(moment.date()):
        total += datetime.combine(moment.date() + timedelta(days=1), time.min, tzinfo=moment.tzinfo) - moment
    # the whole working days strictly between the two dates
    total += timedelta(days=workdays.working_days_between(moment.date(), end.date() - timedelta(days=1)))
    if workdays.is_working(end.date()):
        total += end - datetime.combine(end.date(), time.min, tzinfo=end.tzinfo)
    return total


@dataclass(frozen=True)
class Clock:
    """The response clock of one inquiry as a member of staff reads it."""

    state: str  # "answered", "running", "overdue", "closed"
    working: timedelta  # time left (running) or overdue by (overdue), counting working days only
    label: str

    @property
    def is_overdue(self) -> bool:
        return self.state == "overdue"


def _left_label(working: timedelta) -> str:
    hours = working.total_seconds() / 3600
    if hours < 24:
        count = max(1, round(hours))
        return ngettext("%(count)d hour left", "%(count)d hours left", count) % {"count": count}
    days = round(hours / 24, 1)
    if days == int(days):
        count = int(days)
        return ngettext("%(count)d working day left", "%(count)d working days left", count) % {"count": count}
    return _("%(days)s working days left") % {"days": number_format(days, decimal_pos=1)}


def _overdue_label(working: timedelta) -> str:
    hours = working.total_seconds() / 3600
    if hours < 24:
        count = max(1, round(hours))
        return ngettext("overdue by %(count)d hour", "overdue by %(count)d hours", count) % {"count": count}
    days = round(hours / 24, 1)
    if days == int(days):
        count = int(days)
        return ngettext("overdue by %(count)d working day", "overdue by %(count)d working days", count) % {
            "count": count
        }
    return _("overdue by %(days)s working days") % {"days": number_format(days, decimal_pos=1)}


def clock(inquiry: Inquiry, now: datetime | None = None) -> Clock:
    """Time left before the first response is due, or how long it is overdue, in working-day terms."""
    now = now or timezone.now()
    if inquiry.first_response_at is not None:
        late = inquiry.first_response_at > inquiry.due
        hours = inquiry.response_hours
        label = (_("answered late, after %(hours)s hours") if late else _("answered in %(hours)s hours")) % {
            "hours": number_format(hours, decimal_pos=1)
        }
        return Clock("answered", timedelta(0), label)
    if inquiry.status == InquiryStatus.CLOSED or inquiry.status in DISMISSED_STATUSES:
        return Clock("closed", timedelta(0), inquiry.get_status_display())
    if now >= inquiry.due:
        working = working_time_between(inquiry.due, now)
        return Clock("overdue", working, _overdue_label(working))
    working = working_time_between(now, inquiry.due)
    return Clock("running", working, _left_label(working))


# ---------------------------------------------------------------- statistics


@dataclass(frozen=True)
class TeamResponseStats:
    team_id: int
    team_name: str
    received: int
    open: int
    overdue: int
    answered: int
    median_hours: float | None  # wall-clock hours from arrival to first response, answered inquiries
    within_limit_share: float | None  # answered by the due time ÷ inquiries whose due time passed or answered


def response_stats(queryset, now: datetime | None = None) -> list[TeamResponseStats]:
    """Response-time figures per team over ``queryset`` (dismissed inquiries excluded), teams by name."""
    now = now or timezone.now()
    rows = (
        queryset.exclude(status__in=DISMISSED_STATUSES)
        .order_by()
        .values_list("team_id", "team__name", "team__name_en", "status", "created", "due", "first_response_at")
    )
    per_team: dict[int, dict] = {}
    for team_id, name, name_en, status, created, due, first in rows:
        entry = per_team.setdefault(
            team_id, {"name": name, "name_en": name_en, "received": 0, "open": 0, "overdue": 0, "hours": [], "in": 0}
        )
        entry["received"] += 1
        if first is None:
            if status == InquiryStatus.NEW:
                entry["open"] += 1
                if due < now:
                    entry["overdue"] += 1
        else:
            entry["hours"].append((first - created).total_seconds() / 3600)
            if first <= due:
                entry["in"] += 1
    stats = []
    for team_id, entry in per_team.items():
        decided = len(entry["hours"]) + entry["overdue"]
        display = entry["name_en"] if get_language() == "en" and entry["name_en"] else entry["name"]
        stats.append(
            TeamResponseStats(
                team_id=team_id,
                team_name=display,
                received=entry["received"],
                open=entry["open"],
                overdue=entry["overdue"],
                answered=len(entry["hours"]),
                median_hours=round(statistics.median(entry["hours"]), 1) if entry["hours"] else None,
                within_limit_share=round(entry["in"] / decided, 3) if decided else None,
            )
        )
    return sorted(stats, key=lambda s: s.team_name)


# ---------------------------------------------------------------- rate limit (one mechanism for page and API)


def allow_submission(request) -> tuple[bool, int | None]:
    """Count one inquiry submission of this client against the "inquiry" rate; (allowed, seconds to wait)."""
    return allow(request, THROTTLE_SCOPE)


def inquiry_panel(user) -> dict:
    """Home-page figure: inquiries waiting for a first response that this user can see, and how many are late."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import ngettext

    from zhaoshang.core.choices import Action

    from ..models import Inquiry

    visible = Inquiry.objects.restrict(user, Action.VIEW)
    overdue = visible.filter(overdue_q(timezone.now())).count()
    return {
        "title": _("Open inquiries"),
        "value": visible.filter(open_q()).count(),
        "note": ngettext("%(count)d overdue", "%(count)d overdue", overdue) % {"count": overdue},
        "url": reverse("portal:inquiry-inbox") + "?awaiting=true",
    }


def _work_note(inquiry: Inquiry, now: datetime) -> str:
    from django.utils import formats

    parts = []
    if inquiry.is_pending:
        parts.append(_("to accept or dismiss"))
    if inquiry.first_response_at is None:
        moment = formats.date_format(timezone.localtime(inquiry.due), "Y-m-d H:i")
        parts.append((_("overdue since %(time)s") if inquiry.due < now else _("due %(time)s")) % {"time": moment})
    return " · ".join(str(part) for part in parts)


def inquiry_work_panel(user, limit: int = 10) -> dict | None:
    """ "My work" panel: the unanswered inquiries of the user's own teams, soonest due first, with their response
    clocks (None for a user in no team: the centre's whole inbox is on the inquiries page)."""
    from django.urls import reverse

    teams = list(user.memberships.values_list("team_id", flat=True))
    if not teams:
        return None
    now = timezone.now()
    # unanswered, or answered but still to be accepted or dismissed
    waiting = Inquiry.objects.filter(open_q() | pending_q(), team_id__in=teams).order_by("due", "pk")
    rows = list(waiting[:limit])
    return {
        "title": _("Inquiries to answer, accept or dismiss"),
        "url": reverse("portal:inquiry-inbox"),
        "count": waiting.count() if len(rows) == limit else len(rows),
        "items": [
            {
                "label": str(inquiry),
                "url": inquiry.get_absolute_url(),
                "note": _work_note(inquiry, now),
                "late": inquiry.first_response_at is None and inquiry.due < now,
            }
            for inquiry in rows
        ],
    }
