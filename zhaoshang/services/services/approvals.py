"""Parallel approvals: building a project's plan from a template, moving its items, what blocks construction start,
the departments' queues, the speed figures and the reminders of their clocks.

Each plan item has one clock (purpose ``item``, working days, limit = the item's time limit) started when the
department accepts the application (受理), paused while documents are missing (补正) and for hearings, testing and
expert review (which the law does not count), resumed when the review goes on, stopped when the item is decided.
Each plan has one clock (purpose ``cap``, the overall cap in working days from ``started_on``) stopped when every
item before construction is done, or when the project's construction starts.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext, pgettext_lazy

from zhaoshang.accounts.choices import WRITE_ROLES, Role, TeamKind
from zhaoshang.accounts.models import Membership
from zhaoshang.core import audit, clocks, workdays
from zhaoshang.core.choices import Action, ClockAlert, ClockUnit, PauseReason
from zhaoshang.core.models import Clock
from zhaoshang.core.notifications import notify
from zhaoshang.core.permissions import can
from zhaoshang.industry.choices import ProjectType

from ..choices import BEFORE_CONSTRUCTION, ITEM_DONE, ItemState, ProjectKind
from ..models import ApprovalPlan, ApprovalTemplate, ParkAssessment, PlanItem
from .requests import team_members

ITEM_CLOCK, CAP_CLOCK = "item", "cap"
CLEARED = (ItemState.GRANTED, ItemState.EXEMPT)  # an item that no longer blocks construction
# The pauses a department may record besides missing documents (行政许可法 Art. 45).
PAUSE_REASONS = (PauseReason.HEARING, PauseReason.TESTING, PauseReason.EXPERT_REVIEW)


class TransitionError(ValidationError):
    """An action the item's state does not allow, or its data wrong: the message says which."""


# ---------------------------------------------------------------- building a plan


def suggest_template(project) -> ApprovalTemplate | None:
    """The template a project most likely follows: an industrial project in a park on land sold with its scheme,
    else social investment (a government-invested project is chosen by hand)."""
    kind = ProjectKind.SOCIAL
    if project.project_type == ProjectType.INDUSTRIAL and project.park_id:
        kind = ProjectKind.PARK_WITH_SCHEME
    templates = ApprovalTemplate.objects.filter(active=True)
    return templates.filter(project_kind=kind).first() or templates.filter(project_kind=ProjectKind.SOCIAL).first()


def default_start(project, today: date | None = None) -> date:
    """The day a plan counts from: the signing date, else the land-supply date, else today."""
    return project.signed_on or project.land_on or today or timezone.localdate()


def park_of(project):
    """The park a project lands in: its site's park, else its target park."""
    if project.carrier_id and project.carrier.park_id:
        return project.carrier.park
    return project.park


def valid_assessments(park, on: date) -> set[str]:
    """The kinds of park assessment (区域评估) valid on ``on`` for the park."""
    if park is None:
        return set()
    found = ParkAssessment.objects.filter(park=park, done_on__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    return set(found.values_list("kind", flat=True))


def planned_dates(started_on: date, offset: int, limit_days: int) -> tuple[date, date]:
    start = workdays.add_working_days(started_on, offset)
    return start, workdays.add_working_days(start, limit_days)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def build_plan(project, template, started_on: date, lead_officer, user, *, at: datetime | None = None) -> ApprovalPlan:
    """The project's approval plan from ``template``: one item per template item, routed to the item's department
    with its promised time limit and planned dates counted in working days from ``started_on``; the items a valid
    assessment of the project's park covers are exempt; the cap clock starts on ``started_on``."""
    at = at or timezone.now()
    with transaction.atomic():
        if not can(user, project, Action.CHANGE):
            raise PermissionDenied
        if ApprovalPlan.objects.filter(project=project).exists():
            raise ValidationError(_("This project already has an approval plan."))
        plan = ApprovalPlan.objects.create(
            project=project,
            template=template,
            project_kind=template.project_kind,
            cap_days=template.cap_days,
            started_on=started_on,
            lead_officer=lead_officer,
            created_by=user,
        )
        assessed = valid_assessments(park_of(project), started_on)
        for entry in template.template_items.select_related("item").filter(item__active=True):
            _add(plan, entry.item, entry.start_offset, assessed, user)
        clocks.start(plan, CAP_CLOCK, plan.cap_days, ClockUnit.WORKING_DAYS, at=_moment(started_on))
        _settle_cap(plan, at)
    return plan


def _add(plan, item, offset, assessed, user) -> PlanItem:
    start, end = planned_dates(plan.started_on, offset, item.promised_days)
    exempt = bool(set(item.exempted_by or ()) & assessed)
    return PlanItem.objects.create(
        plan=plan,
        item=item,
        department=item.department,
        stage=item.stage,
        state=ItemState.EXEMPT if exempt else ItemState.PLANNED,
        limit_days=item.promised_days,
        planned_start=start,
        planned_end=end,
        created_by=user,
    )


def add_item(plan, item, user, offset: int = 0) -> PlanItem:
    """Add a catalogue item to the plan (exempt when the park's assessments cover it)."""
    with transaction.atomic():
        if not can(user, plan, Action.CHANGE):
            raise PermissionDenied
        if plan.items.filter(item=item).exists():
            raise ValidationError(_("This item is already in the plan."))
        assessed = valid_assessments(park_of(plan.project), plan.started_on)
        found = _add(plan, item, offset, assessed, user)
        _settle_cap(plan, timezone.now())
    return found


def remove_item(plan_item, user) -> None:
    """Remove an item not yet applied for (an item under way is decided, not removed)."""
    with transaction.atomic():
        if not can(user, plan_item.plan, Action.CHANGE):
            raise PermissionDenied
        if plan_item.state not in (ItemState.PLANNED, ItemState.EXEMPT):
            raise TransitionError(_("Only an item not yet applied for can be removed."))
        clock = clock_of(plan_item)
        if clock is not None:
            clock.delete()
        plan = plan_item.plan
        plan_item.delete()
        _settle_cap(plan, timezone.now())


def change_department(plan_item, department, user) -> PlanItem:
    with transaction.atomic():
        if not can(user, plan_item.plan, Action.CHANGE):
            raise PermissionDenied
        if department.kind != TeamKind.DEPARTMENT:
            raise ValidationError({"department": _("Choose a department.")})
        plan_item.department = department
        plan_item.save(update_fields=["department", "updated"])
    return plan_item


# ---------------------------------------------------------------- clocks


def clock_of(plan_item) -> Clock | None:
    return clocks.clock_of(plan_item, ITEM_CLOCK)


def cap_clock(plan) -> Clock | None:
    return clocks.clock_of(plan, CAP_CLOCK)


def _settle_cap(plan, at: datetime) -> None:
    """Stop the cap clock once nothing before construction is left, or construction has started."""
    clock = cap_clock(plan)
    if clock is None or clock.stopped_at is not None:
        return
    project = plan.project
    if project.construction_on:
        clocks.stop(clock, at=max(_moment(project.construction_on), clock.started_at))
        return
    left = plan.items.filter(stage__in=BEFORE_CONSTRUCTION).exclude(state__in=ITEM_DONE)
    if not left.exists() and plan.items.filter(stage__in=BEFORE_CONSTRUCTION).exists():
        clocks.stop(clock, at=at)


def construction_started(project) -> None:
    """The project's construction started (its stage date is set): its plan's cap clock stops."""
    plan = ApprovalPlan.objects.filter(project=project).first()
    if plan is not None and project.construction_on:
        _settle_cap(plan, timezone.now())


# ---------------------------------------------------------------- the items' states


ACTIONS = {
    # action: (the states it may start from, the label)
    "apply": (ItemState.PLANNED,),
    "accept": (ItemState.APPLIED,),
    "review": (ItemState.ACCEPTED,),
    "request_documents": (ItemState.ACCEPTED, ItemState.REVIEW),
    "documents_received": (ItemState.CORRECTION,),
    "pause": (ItemState.ACCEPTED, ItemState.REVIEW),
    "resume": (ItemState.ACCEPTED, ItemState.REVIEW),
    "extend": (ItemState.ACCEPTED, ItemState.REVIEW, ItemState.CORRECTION),
    "grant": (ItemState.ACCEPTED, ItemState.REVIEW),
    "refuse": (ItemState.ACCEPTED, ItemState.REVIEW),
}


def action_labels() -> dict[str, str]:
    return {
        "apply": _("Record the application"),
        "accept": _("Accept"),
        "review": pgettext_lazy("approval item", "Start the review"),
        "request_documents": _("Request missing documents"),
        "documents_received": _("Documents received"),
        "pause": _("Pause the clock"),
        "resume": _("Resume the clock"),
        "extend": _("Extend"),
        "grant": _("Grant"),
        "refuse": _("Refuse"),
    }


def can_act(user, plan_item) -> bool:
    """Department members and the plan's owners (with the centre) record an item's steps: the item's write rule."""
    return can(user, plan_item, Action.CHANGE)


def available_actions(plan_item, clock=None) -> list[str]:
    """The actions the item's state allows now (pause and resume by the clock's state)."""
    found = []
    paused = clock is not None and clock.paused_since is not None
    for name, states in ACTIONS.items():
        if plan_item.state not in states:
            continue
        if name == "pause" and paused:
            continue
        if name == "resume" and not paused:
            continue
        if name in ("grant", "refuse") and paused:
            continue
        found.append(name)
    return found


def extension_approvers(plan_item):
    """Who may approve an extension: a team lead of the item's department, or a writing member of the centre."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    return users.filter(
        Q(memberships__team=plan_item.department_id, memberships__role=Role.TEAM_LEAD)
        | Q(memberships__team__kind=TeamKind.CENTRE, memberships__role__in=WRITE_ROLES)
    ).distinct()


def act(plan_item, action: str, user, *, at: datetime | None = None, **data) -> PlanItem:
    """Move ``plan_item`` by ``action`` (see ``ACTIONS``) as ``user``; a state that does not allow it, or wrong data,
    raises ``TransitionError`` and changes nothing. Each change is audited (the item's columns, and the clock's
    pauses and extensions as events of the item)."""
    at = at or timezone.now()
    with transaction.atomic():
        item = PlanItem.objects.select_for_update().select_related("item", "plan__project").get(pk=plan_item.pk)
        if not can_act(user, item):
            raise PermissionDenied
        if action not in ACTIONS:
            raise TransitionError(_("Unknown action."))
        clock = clock_of(item)
        if action not in available_actions(item, clock):
            raise TransitionError(
                _("%(action)s is not possible while the item is “%(state)s”.")
                % {"action": action_labels()[action], "state": item.get_state_display()}
            )
        handler = globals()[f"_do_{action}"]
        handler(item, clock, user, at, data)
        item.handler = user
        item.save()
        if item.state in ITEM_DONE:
            _settle_cap(item.plan, at)
    plan_item.refresh_from_db()
    return plan_item


def _do_apply(item, clock, user, at, data):
    applied_on = data.get("applied_on") or timezone.localtime(at).date()
    if applied_on > timezone.localtime(at).date():
        raise TransitionError({"applied_on": _("The application date cannot be in the future.")})
    item.applied_on = applied_on
    item.state = ItemState.APPLIED


def _do_accept(item, clock, user, at, data):
    with_gaps, by_commitment = bool(data.get("with_gaps")), bool(data.get("by_commitment"))
    if with_gaps:
        if not item.item.accept_with_gaps:
            raise TransitionError({"with_gaps": _("This item cannot be accepted with documents missing.")})
        if not data.get("gaps_due_on"):
            raise TransitionError({"gaps_due_on": _("Give the date the missing documents are due.")})
        item.with_gaps, item.gaps_due_on = True, data["gaps_due_on"]
    if by_commitment and not item.item.by_commitment:
        raise TransitionError({"by_commitment": _("This item cannot be granted on a written commitment.")})
    item.accepted_at = at
    item.state = ItemState.ACCEPTED
    started = clocks.start(item, ITEM_CLOCK, item.limit_days, ClockUnit.WORKING_DAYS, at=at)
    if by_commitment:  # 告知承诺: granted at once on the applicant's written commitment
        item.by_commitment = True
        item.state, item.decided_at = ItemState.GRANTED, at
        clocks.stop(started, at=at)


def _do_review(item, clock, user, at, data):
    item.state = ItemState.REVIEW


def _do_request_documents(item, clock, user, at, data):
    note = (data.get("reason") or "").strip()
    if clock.paused_since is not None:
        _record(item, "resume", {"reason": clocks.ClockPause.objects.filter(clock=clock).last().reason})
        clocks.resume(clock, at=at)
    clocks.pause(clock, PauseReason.DOCUMENTS, at=at, by=user, note=note)
    _record(item, "pause", {"reason": PauseReason.DOCUMENTS, "note": note})
    item.state = ItemState.CORRECTION


def _do_documents_received(item, clock, user, at, data):
    if clock.paused_since is not None:
        clocks.resume(clock, at=at)
    _record(item, "resume", {"reason": PauseReason.DOCUMENTS})
    item.state = ItemState.REVIEW
    if item.with_gaps:
        item.with_gaps = False


def _do_pause(item, clock, user, at, data):
    reason, note = data.get("reason"), (data.get("note") or "").strip()
    if reason not in PAUSE_REASONS:
        raise TransitionError({"reason": _("Choose why the clock stops: a hearing, testing or expert review.")})
    clocks.pause(clock, reason, at=at, by=user, note=note)
    _record(item, "pause", {"reason": str(reason), "note": note})


def _do_resume(item, clock, user, at, data):
    entry = clocks.resume(clock, at=at)
    _record(item, "resume", {"reason": entry.reason, "units": entry.units})


def _do_extend(item, clock, user, at, data):
    days, reason, approver = data.get("days"), (data.get("reason") or "").strip(), data.get("approved_by")
    if not days or int(days) <= 0:
        raise TransitionError({"days": _("An extension adds at least one working day.")})
    if not reason:
        raise TransitionError({"reason": _("Give the reason for the extension.")})
    if approver is None or not extension_approvers(item).filter(pk=approver.pk).exists():
        raise TransitionError(
            {"approved_by": _("The extension is approved by a team lead of the department or by the centre.")}
        )
    clocks.extend(clock, int(days), reason, approver, at=at)
    _record(item, "extend", {"days": int(days), "reason": reason, "approved_by": approver.get_username()})


def _decide(item, clock, at, state):
    item.state, item.decided_at = state, at
    clocks.stop(clock, at=at)


def _do_grant(item, clock, user, at, data):
    _decide(item, clock, at, ItemState.GRANTED)


def _do_refuse(item, clock, user, at, data):
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise TransitionError({"reason": _("A refusal needs its reason.")})
    item.note = (item.note + "\n" if item.note else "") + reason
    _decide(item, clock, at, ItemState.REFUSED)


def _record(item, what: str, details: dict) -> None:
    audit.record_event(item, "update", {"clock": what, **details})


# ---------------------------------------------------------------- what blocks construction


@dataclass
class Blocker:
    plan_item: PlanItem
    clock: Clock | None
    status: clocks.Status | None
    late_days: int  # working days past the planned end (negative: the working days still before it)

    @property
    def text(self) -> str:
        item = self.plan_item
        name = item.item.name_en if _english() and item.item.name_en else item.item.name
        department = item.department.name_en if _english() and item.department.name_en else item.department.name
        state = item.get_state_display()
        if self.status is not None and self.status.state in ("running", "paused", "overdue"):
            how = f"{state}, {self.status.label}"
        elif self.late_days > 0:
            how = _("%(state)s, %(days)s working days behind the plan") % {"state": state, "days": self.late_days}
        else:
            how = _("%(state)s, planned to end on %(day)s") % {"state": state, "day": item.planned_end.isoformat()}
        return _("%(item)s (%(department)s) not granted: %(how)s") % {
            "item": name,
            "department": department,
            "how": how,
        }


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def blockers(plan, now: datetime | None = None) -> list[Blocker]:
    """The items before construction not yet granted (nor exempt), the latest first: by the working days past the
    clock's due date (a running clock with time left counts negative), else past the planned end."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    items = list(
        plan.items.filter(stage__in=BEFORE_CONSTRUCTION)
        .exclude(state__in=CLEARED)
        .select_related("item", "department")
        .order_by("planned_end", "pk")
    )
    found_clocks = clocks_for(items)
    result = []
    for item in items:
        clock = found_clocks.get(item.pk)
        late = workdays.working_days_between(item.planned_end, today)
        if today < item.planned_end:  # time left before the planned end counts negative
            late = -workdays.working_days_between(today, item.planned_end)
        result.append(Blocker(item, clock, clocks.status(clock, now), late))

    def lateness(blocker):
        """Working days late: past the clock's due date while it runs, else past the planned end."""
        clock = blocker.clock
        if clock is not None and clock.stopped_at is None:
            return -clocks.remaining(clock, now)
        return blocker.late_days

    result.sort(key=lambda blocker: -lateness(blocker))
    return result


def clocks_for(items) -> dict[int, Clock]:
    """The item clocks of ``items`` in one query, by item key."""
    ids = [item.pk for item in items]
    if not ids:
        return {}
    subject_type = ContentType.objects.get_for_model(PlanItem)
    found = Clock.objects.filter(subject_type=subject_type, subject_id__in=ids, purpose=ITEM_CLOCK)
    return {clock.subject_id: clock for clock in found}


# ---------------------------------------------------------------- the queue


def _clock_subquery(field_name: str):
    subject_type = ContentType.objects.get_for_model(PlanItem)
    return Subquery(
        Clock.objects.filter(subject_type=subject_type, subject_id=OuterRef("pk"), purpose=ITEM_CLOCK).values(
            field_name
        )[:1]
    )


def with_clock_due(queryset):
    """Items annotated with their clock's due moment (``clock_due``), for sorting and the overdue filter."""
    return queryset.annotate(clock_due=_clock_subquery("due_at"))


def queue(user, *, state="", stage="", overdue=False, department=None, decided_year=None, now=None):
    """The items routed to the user's departments (any item the user reads, for one outside departments), open
    unless ``decided_year`` asks for those decided that year; sorted by due (the clock's, else the planned end)."""
    now = now or timezone.now()
    items = PlanItem.objects.restrict(user, Action.VIEW)
    mine = user_departments(user)
    if mine:
        items = items.filter(department__in=mine)
    if department is not None:
        items = items.filter(department=department)
    if decided_year:
        items = items.filter(
            state__in=(ItemState.GRANTED, ItemState.REFUSED),
            decided_at__year=int(decided_year),
            accepted_at__isnull=False,
        )
    else:
        items = items.exclude(state__in=ITEM_DONE)
    if state:
        items = items.filter(state=state)
    if stage:
        items = items.filter(stage=stage)
    items = with_clock_due(items)
    if overdue:
        items = items.filter(Q(clock_due__lt=now) | Q(clock_due__isnull=True, planned_end__lt=timezone.localdate()))
        items = items.exclude(state__in=ITEM_DONE)
    return items.select_related("item", "department", "plan__project").order_by(
        F("clock_due").asc(nulls_last=True), "planned_end", "pk"
    )


def user_departments(user) -> list[int]:
    return list(Membership.objects.filter(user=user, team__kind=TeamKind.DEPARTMENT).values_list("team_id", flat=True))


# ---------------------------------------------------------------- the speed figures


@dataclass
class SpeedRow:
    key: str
    label: str
    count: int
    median: float | None
    mean: float | None
    on_time: int
    paused: int
    link: str

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.count, 1) if self.count else None


def decided_items(user, year: int):
    return (
        PlanItem.objects.restrict(user, Action.VIEW)
        .filter(state__in=(ItemState.GRANTED, ItemState.REFUSED), decided_at__year=year, accepted_at__isnull=False)
        .select_related("department", "item")
    )


def speed(user, year: int) -> dict:
    """Approval time of the items decided in ``year`` that the user reads: per stage and per department the count,
    the median and mean working days from acceptance to decision with the paused days left out (the clock's
    elapsed time), the share decided on time and the paused days; and signing → construction start per project."""
    items = list(decided_items(user, year))
    found = clocks_for(items)
    queue_url = reverse("services:item-queue")

    def rows(key_of, label_of, param):
        groups: dict = {}
        for item in items:
            groups.setdefault(key_of(item), []).append(item)
        result = []
        for key, group in groups.items():
            days, on_time, paused = [], 0, 0
            for item in group:
                clock = found.get(item.pk)
                if clock is None:
                    continue
                days.append(clocks.elapsed(clock))
                paused += clock.paused
                on_time += clock.due_at is not None and clock.stopped_at <= clock.due_at
            result.append(
                SpeedRow(
                    key=str(key),
                    label=label_of(group[0]),
                    count=len(days),
                    median=statistics.median(days) if days else None,
                    mean=round(statistics.fmean(days), 1) if days else None,
                    on_time=on_time,
                    paused=paused,
                    link=f"{queue_url}?decided={year}&{param}={key}",
                )
            )
        return result

    by_stage = sorted(rows(lambda i: i.stage, lambda i: i.get_stage_display(), "stage"), key=lambda r: r.key)
    by_department = sorted(
        rows(lambda i: i.department_id, lambda i: team_name(i.department), "department"), key=lambda r: r.label
    )
    plans = (
        ApprovalPlan.objects.restrict(user, Action.VIEW)
        .filter(project__signed_on__isnull=False, project__construction_on__year=year)
        .select_related("project")
        .order_by("project__construction_on")
    )
    projects = []
    for plan in plans:
        project = plan.project
        projects.append(
            {
                "plan": plan,
                "project": project,
                "days": (project.construction_on - project.signed_on).days,
                "working_days": workdays.working_days_between(project.signed_on, project.construction_on),
            }
        )
    return {"year": year, "by_stage": by_stage, "by_department": by_department, "projects": projects}


def team_name(team) -> str:
    return team.name_en if _english() and team.name_en else team.name


# ---------------------------------------------------------------- the Gantt chart


def gantt(plan, now: datetime | None = None) -> dict:
    """The facts of the plan's Gantt chart (and of its table in words): per item the planned and the actual spans
    (applied → decided, or → today) and the paused spans; the project's stage dates and the cap's due date."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    items = list(plan.items.select_related("item", "department").order_by("stage", "planned_start", "pk"))
    found = clocks_for(items)
    pauses = {}
    for clock in found.values():
        pauses[clock.subject_id] = list(clock.pauses.all())
    rows = []
    for item in items:
        clock = found.get(item.pk)
        actual_start = item.applied_on or (timezone.localtime(item.accepted_at).date() if item.accepted_at else None)
        actual_end = (
            timezone.localtime(item.decided_at).date() if item.decided_at else (today if actual_start else None)
        )
        rows.append(
            {
                "id": item.pk,
                "name": item.item.name_en if _english() and item.item.name_en else item.item.name,
                "department": team_name(item.department),
                "stage": item.get_stage_display(),
                "state": item.get_state_display(),
                "state_code": item.state,
                "planned": [item.planned_start.isoformat(), item.planned_end.isoformat()],
                "actual": [actual_start.isoformat(), actual_end.isoformat()] if actual_start else None,
                "paused": [
                    [
                        timezone.localtime(p.started_at).date().isoformat(),
                        timezone.localtime(p.ended_at or now).date().isoformat(),
                        p.get_reason_display(),
                    ]
                    for p in pauses.get(item.pk, ())
                ],
                "status": clocks.status(clock, now).label if clock is not None else "",
                "url": item.get_absolute_url(),
            }
        )
    project = plan.project
    markers = []
    for label, day in (
        (_("Signed"), project.signed_on),
        (_("Land supplied"), project.land_on),
        (_("Construction started"), project.construction_on),
    ):
        if day:
            markers.append({"label": str(label), "date": day.isoformat()})
    cap = cap_clock(plan)
    if cap is not None and cap.due_at is not None:
        markers.append({"label": _("Cap due"), "date": timezone.localtime(cap.due_at).date().isoformat()})
    return {
        "rows": rows,
        "markers": markers,
        "today": today.isoformat(),
        "labels": {"planned": _("Planned"), "actual": _("Actual"), "paused": pgettext("clock", "Paused")},
    }


# ---------------------------------------------------------------- reminders


def clock_alerts(alerts) -> None:
    """Tell the department's members of the items whose reminder fired, and the plan's lead officer and the
    department's team leads of those overdue (escalation); the message names the project and the item."""
    subject_type = ContentType.objects.get_for_model(PlanItem)
    ids = [alert.clock.subject_id for alert in alerts if alert.clock.subject_type_id == subject_type.pk]
    items = PlanItem.objects.select_related("item", "plan__project", "plan__lead_officer", "department").in_bulk(ids)
    from django.conf import settings

    teams = team_members({item.department_id for item in items.values()})
    with override(settings.LANGUAGE_CODE):
        for alert in alerts:
            item = items.get(alert.clock.subject_id)
            if item is None:
                continue
            names = {"project": item.plan.project.name, "item": item.item.name, "share": alert.share}
            members = teams.get(item.department_id, [])
            if alert.kind == ClockAlert.ESCALATION:
                message = _("Overdue: %(item)s of %(project)s has passed its time limit.") % names
                recipients = {m.user for m in members if m.role == Role.TEAM_LEAD}
                if item.plan.lead_officer is not None:
                    recipients.add(item.plan.lead_officer)
            else:
                message = _("Reminder: %(share)s%% of the time of %(item)s of %(project)s has passed.") % names
                recipients = {m.user for m in members if m.role in WRITE_ROLES}
            for user in sorted(recipients, key=lambda u: u.pk):
                notify(user, message, item.get_absolute_url())


# ---------------------------------------------------------------- the project's page


def project_panel(user, project) -> dict | None:
    """The project page's section "approval plan": what blocks construction start, or the offer to build the plan."""
    plan = ApprovalPlan.objects.restrict(user, Action.VIEW).filter(project=project).first()
    if plan is None:
        if ApprovalPlan.objects.filter(project=project).exists() or not can(user, project, Action.CHANGE):
            return None
        return {
            "title": _("Approval plan"),
            "testid": "project-approvals",
            "items": [],
            "add_url": reverse("services:plan-build", args=[project.pk]),
            "add_label": _("Build the approval plan"),
        }
    found = blockers(plan)
    items = [{"label": b.text, "url": b.plan_item.get_absolute_url(), "note": ""} for b in found]
    if not found:
        items = [{"label": _("Nothing blocks construction start."), "url": plan.get_absolute_url(), "note": ""}]
    items.insert(0, {"label": _("Open the approval plan"), "url": plan.get_absolute_url(), "note": ""})
    return {"title": _("Approval plan: what blocks construction start"), "testid": "project-approvals", "items": items}


def _project_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and instance.construction_on:
        construction_started(instance)


def connect() -> None:
    from django.db.models.signals import post_save

    from zhaoshang.projects.models import Project

    post_save.connect(_project_saved, sender=Project, dispatch_uid="services.approvals.construction")
