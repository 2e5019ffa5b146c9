"""Domain logic of the events: which projects may go on an event's list, and the event's figures and summary.

**A project on the list and the pipeline.** A role names a stage of the pipeline (signed → 签约, construction
started → 动工, production started → 投产). The stage's date is kept by ``projects.services.transition`` and never
written here. A project may go on the list

- before it reaches the stage (the list of a ceremony is drawn up, and printed, before the day): its stage is
  recorded on the project page or through the API on the day, by those who may change the project;
- or when it reached the stage on the venue's day.

A project that reached the stage on another day is refused, naming both days. Each row of the list shows its
state (``link_state``): recorded on the day, expected (the day has not come), not recorded (the day has passed
and the stage is missing) or recorded on another day (a date corrected after the project was put on the list).

**Figures.** Counted from the list: the projects and the sum of their planned investment (万元, a project
without an amount counts with nothing), overall and per venue, for the signings and for the projects that
started construction or production (one project counted once per group). The figures count every project on
the list; the rows are shown to each reader only for the projects they may see.

**Summary text**, in the official style, in Chinese and English:
"111个项目现场签约，计划投资总额超1661亿元" / "111 projects signed on site, with planned investment of over
166.1 billion yuan". The rule of the amount (``amount_phrase``): from 1亿元 (10,000万元) up, the total in whole
亿元, floored, with 超 ("over") when it is not a whole number of 亿元 (16,615,000万元 → 超1661亿元; 16,610,000万元 →
1661亿元); English says the same number of 亿 in billions (1661亿 = 166.1 billion yuan; under 10亿 in millions:
5亿 = 500 million yuan). Below 1亿元 the exact total is given in 万元 (English: million yuan). Signings are "on
site" (现场签约) when every one was at an on-site venue, "online" (线上签约) when every one was online, else plainly
signed (签约).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhaoshang.core.choices import Action
from zhaoshang.core.conflicts import atomic_write
from zhaoshang.core.permissions import can
from zhaoshang.core.units import WAN_PER_YI
from zhaoshang.projects.models import Project

from .event_choices import ROLE_STAGES, EventRole
from .models import Event, EventProject, EventVenue


def _day(value: date) -> str:
    return formats.date_format(value, "Y-m-d")


# ---------------------------------------------------------------- the list and the pipeline


def stage_date(project: Project, role: str) -> date | None:
    """The day ``project`` reached the stage of ``role`` (None: not yet)."""
    return project.stage_date(ROLE_STAGES[role])


def recordable(link: EventProject, today: date | None = None) -> bool:
    """Whether the stage of a row may be recorded now: not reached yet and its venue's day has come."""
    return stage_date(link.project, link.role) is None and link.venue.held_on <= (today or timezone.localdate())


class LinkState:
    RECORDED = "recorded"
    EXPECTED = "expected"
    MISSING = "missing"
    OTHER_DAY = "other_day"


def link_state(link: EventProject, today: date | None = None) -> str:
    reached = stage_date(link.project, link.role)
    if reached is None:
        return LinkState.EXPECTED if link.venue.held_on >= (today or timezone.localdate()) else LinkState.MISSING
    return LinkState.RECORDED if reached == link.venue.held_on else LinkState.OTHER_DAY


def link_state_label(state: str) -> str:
    return {
        LinkState.RECORDED: _("Recorded on the day"),
        LinkState.EXPECTED: _("Expected"),
        LinkState.MISSING: _("Not recorded"),
        LinkState.OTHER_DAY: _("Recorded on another day"),
    }[state]


def check_link(event: Event, venue: EventVenue | None, project: Project | None, role: str) -> None:
    """ValidationError naming the field when ``project`` may not go on ``event``'s list at ``venue`` in ``role``.
    Changes nothing."""
    if project is None:
        raise ValidationError({"project": _("Choose a project.")})
    if venue is None or venue.event_id != event.pk:
        raise ValidationError({"venue": _("Choose a venue of this event.")})
    if role not in EventRole.values:
        raise ValidationError({"role": _("“%(role)s” is not a role.") % {"role": role}})
    if EventProject.objects.filter(event=event, project=project, role=role).exists():
        raise ValidationError({"project": _("This project is already on the event's list in this role.")})
    reached = stage_date(project, role)
    if reached is not None and reached != venue.held_on:
        raise ValidationError(
            {
                "project": _(
                    "%(project)s reached “%(stage)s” on %(date)s, not on the day of %(venue)s (%(venue_date)s): "
                    "correct the date on the project, or choose the venue of that day."
                )
                % {
                    "project": project,
                    "stage": EventRole(role).label,
                    "date": _day(reached),
                    "venue": venue,
                    "venue_date": _day(venue.held_on),
                }
            }
        )


def _changeable_event(event: Event, user) -> Event:
    locked = Event.objects.select_for_update().filter(pk=event.pk).first()
    if locked is None or not can(user, locked, Action.CHANGE):
        raise PermissionDenied(_("You may not change this event."))
    return locked


def add_project(user, event: Event, project: Project, role: str, venue: EventVenue) -> EventProject:
    """Put ``project`` (one the user may look up: not confidential, or one they read) on ``event``'s list at
    ``venue`` in ``role``, at the end of the list.

    Atomic: the event's row is locked and the user's right to change it re-checked (PermissionDenied); the
    link is checked (``check_link``, ValidationError naming the field) before anything is saved."""
    with transaction.atomic():
        event = _changeable_event(event, user)
        # the project as saved (its stage dates may have moved since it was read), if the user may look it up
        project = Project.objects.restrict(user, Action.LOOKUP).filter(pk=getattr(project, "pk", None)).first()
        if project is None:
            raise ValidationError({"project": _("Choose a project.")})
        check_link(event, venue, project, role)
        last = EventProject.objects.filter(event=event).aggregate(last=Max("order"))["last"] or 0
        link = EventProject(event=event, venue=venue, project=project, role=role, order=last + 1)
        link.full_clean()
        link.save()
    return link


def remove_project(user, link: EventProject) -> None:
    """Take a project off the event's list (the user must be allowed to change the event)."""
    with transaction.atomic():
        _changeable_event(link.event, user)
        link.delete()


def record_stages(user, event: Event) -> int:
    """Record on each project of the list the user may see that has not reached its role's stage, the stage on
    its venue's day (``projects.services.transition``, with the user's right to change the project). All or
    nothing: when one of them cannot be moved, nothing is recorded and the ValidationError lists each refusal
    by the project's number on the list. Returns how many stages were recorded."""
    from zhaoshang.projects.services import transition

    refusals = []
    recorded = 0
    today = timezone.localdate()
    with transaction.atomic():
        _changeable_event(event, user)
        for number, link in enumerate(visible_links(event, user), start=1):
            if not recordable(link, today):  # reached already, or its day is still to come
                continue
            try:
                transition(link.project, ROLE_STAGES[link.role], link.venue.held_on, user, note=str(event))
            except PermissionDenied:
                refusals.append(
                    _("No. %(number)s %(project)s: you may not change this project.")
                    % {"number": number, "project": link.project}
                )
            except ValidationError as exc:
                refusals.append(
                    _("No. %(number)s %(project)s: %(reason)s")
                    % {"number": number, "project": link.project, "reason": " ".join(exc.messages)}
                )
            else:
                recorded += 1
        if refusals:
            transaction.set_rollback(True)
    if refusals:
        raise ValidationError(refusals)
    return recorded


def save_event(form, formset) -> Event:
    """Save a valid event form and its valid venue formset in one transaction (the event's version guards both)."""
    with atomic_write(form.instance):
        event = form.save()
        formset.instance = event
        formset.save()
    return event


# ---------------------------------------------------------------- figures and summary


SIGNING = "signing"
WORKS = "works"
GROUPS = {SIGNING: (EventRole.SIGNED,), WORKS: (EventRole.STARTED, EventRole.PRODUCING)}


@dataclass
class Line:
    """One figure of an event (or a venue): how many projects signed, or started construction or production, and
    the total of their planned investment (万元)."""

    group: str
    roles: tuple[str, ...] = ()
    count: int = 0
    total: Decimal = Decimal(0)
    on_site: bool = False
    online: bool = False

    def text(self, language: str | None = None) -> str:
        with translation.override(language or translation.get_language()):
            return line_text(self)

    @property
    def text_zh(self) -> str:
        return self.text("zh-hans")

    @property
    def text_en(self) -> str:
        return self.text("en")


@dataclass
class Summary:
    lines: list[Line] = field(default_factory=list)
    venues: list[tuple[EventVenue, list[Line]]] = field(default_factory=list)

    def text(self, language: str | None = None) -> str:
        with translation.override(language or translation.get_language()):
            return join_lines(self.lines)

    @property
    def text_zh(self) -> str:
        return self.text("zh-hans")

    @property
    def text_en(self) -> str:
        return self.text("en")


def _plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros (1661.0 → 1661, 166.10 → 166.1)."""
    return format(value.normalize(), "f")


def amount_phrase(total_wan, language: str | None = None) -> str:
    """The total planned investment in the official style (see the module's rule), in ``language``."""
    total = Decimal(total_wan)
    with translation.override(language or translation.get_language()):
        chinese = translation.get_language().startswith("zh")
        if total < WAN_PER_YI:
            return f"{_plain(total)}万元" if chinese else f"{_plain(total / 100)} million yuan"
        yi = int(total // WAN_PER_YI)
        if chinese:
            amount = f"{yi}亿元"
        elif yi >= 10:
            amount = f"{_plain(Decimal(yi) / 10)} billion yuan"
        else:
            amount = f"{yi * 100} million yuan"
        if total % WAN_PER_YI:
            amount = _("over %(amount)s") % {"amount": amount}
        return amount


def _clause(line: Line) -> str:
    n = line.count
    if line.group == SIGNING:
        if line.online and not line.on_site:
            text = ngettext("%(count)s project signed online", "%(count)s projects signed online", n)
        elif line.on_site and not line.online:
            text = ngettext("%(count)s project signed on site", "%(count)s projects signed on site", n)
        else:
            text = ngettext("%(count)s project signed", "%(count)s projects signed", n)
    elif set(line.roles) == {EventRole.STARTED}:
        text = ngettext("%(count)s project started construction", "%(count)s projects started construction", n)
    elif set(line.roles) == {EventRole.PRODUCING}:
        text = ngettext("%(count)s project started production", "%(count)s projects started production", n)
    else:
        text = ngettext(
            "%(count)s project started construction or production",
            "%(count)s projects started construction or production",
            n,
        )
    return text % {"count": n}


def line_text(line: Line) -> str:
    """The sentence of one figure in the active language."""
    clause = _clause(line)
    if not line.total:
        return clause
    return _("%(clause)s, with planned investment of %(amount)s") % {
        "clause": clause,
        "amount": amount_phrase(line.total),
    }


def join_lines(lines: list[Line]) -> str:
    return _("; ").join(line_text(line) for line in lines)


def _lines(rows, online_venues: set[int]) -> list[Line]:
    """The figures of ``rows`` (venue id, role, project id, planned investment), one line per group present."""
    lines = []
    for group, roles in GROUPS.items():
        line = Line(group=group)
        seen = set()
        present = []
        for venue_id, role, project_id, amount in rows:
            if role not in roles:
                continue
            if role not in present:
                present.append(role)
            if venue_id in online_venues:
                line.online = True
            else:
                line.on_site = True
            if project_id in seen:
                continue
            seen.add(project_id)
            line.count += 1
            line.total += amount or 0
        if line.count:
            line.roles = tuple(r for r in roles if r in present)
            lines.append(line)
    return lines


def event_summary(event: Event) -> Summary:
    """The event's figures and summary, overall and per venue, counted from its whole list (one query each)."""
    venues = list(event.venues.all())
    online = {v.pk for v in venues if v.online}
    rows = list(
        EventProject.objects.filter(event=event)
        .order_by("pk")
        .values_list("venue_id", "role", "project_id", "project__planned_investment")
    )
    summary = Summary(lines=_lines(rows, online))
    for venue in venues:
        summary.venues.append((venue, _lines([r for r in rows if r[0] == venue.pk], online)))
    return summary


def visible_links(event: Event, user):
    """The rows of the event's list ``user`` may see, in the order of the list (venue, then order)."""
    return (
        EventProject.objects.restrict(user, Action.VIEW)
        .filter(event=event)
        .select_related("venue", "project", "project__enterprise", "project__owner_team")
        .defer("project__search_text", "project__enterprise__search_text")
        .order_by("venue__order", "venue__pk", "order", "pk")
    )
