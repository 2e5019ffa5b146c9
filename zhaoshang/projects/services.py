"""Domain logic of the project pipeline: creating projects, moving them through their stages, how fast they
move, which of them are stalled, and which enterprises two teams pursue at once (撞单).

Stages (``choices.Stage``). The forward chain is 线索 lead → 接洽 contacted → 洽谈 negotiation → 签约 signed →
供地 land supplied → 动工 construction started → 投产 production started → 达产 full production; beside it
stand 搁置 paused and 终止 dropped. The rules of ``transition``:

- Forward moves may skip stages (a lead may be signed directly), but land, construction, production and full
  production need a signing date: a project is never put into production without having been signed.
- Every move is dated with the day it happened (it may be recorded later), never in the future and never
  before the latest date of the project's history (a stage reached, a pause, a drop, a resumption).
- Backward moves are refused. A wrong date is put right with ``correct_date``, which keeps the stages in order.
- A move made on a page or through the API is always dated (the forms offer today: the user does it now). An
  import of a ledger's history (``plan_stages``) leaves the dates the ledger does not give unknown — never
  today: the stage's date column stays empty and its history row has no date; only the known dates are kept in
  order, and a stage at signing or later needs the signing date. ``correct_date`` fills an unknown date in later.
- Any stage of the chain but full production (which is complete) may be paused; a paused project resumes at
  the stage it was paused at (and then moves on from there), or is dropped.
- Any stage may be dropped, with a reason. Nothing leaves "dropped" but an explicit reopening, which returns
  the project to the stage it was dropped from (for a project dropped while paused: the stage it was paused
  at). The reason stays in the history.

Each move and each correction writes exactly one ``StageTransition`` and saves the project once (one change
record in the audit log); a refused move raises ``ValidationError`` naming the stage or date and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, ExpressionWrapper, F, Func, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action, label
from zhaoshang.core.conflicts import atomic_write
from zhaoshang.core.notifications import notify
from zhaoshang.core.permissions import can, user_scope
from zhaoshang.geo.models import Region
from zhaoshang.industry.models import Chain, Enterprise
from zhaoshang.industry.services import normalize_name
from zhaoshang.industry.validators import clean_uscc, validate_uscc

from .choices import (
    FORWARD,
    POST_SIGNING,
    STAGE_DATE_FIELDS,
    STAGE_VALUES,
    DuplicateKind,
    LeadSource,
    Stage,
    StallRule,
    TransitionKind,
)
from .models import (
    Contact,
    Milestone,
    Project,
    StageTransition,
    Stall,
    StallFlag,
    last_touched,
    stall_thresholds,
)


def _day(value: date) -> str:
    return formats.date_format(value, "Y-m-d")


def _label(stage: str) -> str:
    return label(Stage, stage)


# ---------------------------------------------------------------- creating projects


def find_or_create_enterprise(uscc: str | None, name: str, user, *, owner_team: Team | None = None) -> Enterprise:
    """The enterprise of this credit code, else the earliest of this normalized name (``industry.services.
    normalize_name``: 有限公司, brackets, width and spaces aside), else a new one kept by ``owner_team``.

    A credit code identifies one legal person: a code already on record gives that enterprise, whichever
    team keeps it and whatever name was typed (so that two teams' projects on one company meet as a
    duplicate claim). A new code is checked (GB 32100-2015) before anything is saved.
    """
    code = clean_uscc(uscc or "") or None
    name = (name or "").strip()
    if code:
        try:
            validate_uscc(code)
        except ValidationError as exc:
            raise ValidationError({"uscc": exc.messages}) from None
        existing = Enterprise.objects.filter(uscc=code).first()
        if existing is not None:
            return existing
    if not name:
        raise ValidationError({"enterprise_name": _("Give the name of the investor enterprise.")})
    if code is None:
        existing = Enterprise.objects.filter(normalized_name=normalize_name(name)).order_by("pk").first()
        if existing is not None:
            return existing
    enterprise = Enterprise(name=name, uscc=code, owner_team=owner_team)
    error = enterprise.owner_team_error(user, owner_team) if user is not None else None  # None: received
    if error:
        raise ValidationError({"owner_team": error})
    enterprise.full_clean()
    enterprise.save()
    return enterprise


def check_owner_team(user, team: Team | None) -> None:
    """A project is filed under a team the user writes for (the centre and administrators: any team)."""
    scope = user_scope(user)
    if team is None:
        raise ValidationError({"owner_team": _("Choose the owning team.")})
    if not (scope.is_admin or scope.in_centre(Action.ADD) or team.pk in scope.teams(Action.ADD)):
        raise ValidationError({"owner_team": _("You can only file projects for a team you work in.")})


def create_project(user, *, owner_team: Team, **fields) -> Project:
    """A new project filed by ``user`` for ``owner_team`` at the lead stage, dated ``lead_on`` (default today),
    with its first history row.

    ``fields`` are those of ``_open``: ``name``; the investor as ``enterprise``, or found or created from
    ``uscc`` and ``enterprise_name`` (``find_or_create_enterprise``); ``lead_on``; ``supporting_teams``; and other
    Project fields (project_type, planned_investment, …). The user must be allowed to add projects for the team.
    """
    if not Project.can_add(user):
        raise PermissionDenied
    check_owner_team(user, owner_team)
    return _open(user, owner_team=owner_team, **fields)


def hand_over_lead(user, *, owner_team: Team, **fields) -> Project:
    """A lead ``user`` files for a team he does not work in, on a right the calling app has checked (a task force
    hands a target of its chain to an outpost: chains.services.targets). ``fields`` as for ``create_project``; the
    history names ``user`` as the one who filed it."""
    return _open(user, owner_team=owner_team, **fields)


def receive_lead(
    *, name: str, owner_team: Team, enterprise_name: str, contact: dict | None = None, **fields
) -> Project:
    """A lead that arrives from outside — an investor's inquiry on the portal — owned by ``owner_team``.

    Nobody files it, so no user's rights are checked: the team the inquiry was routed to owns the lead, and the
    investor becomes an enterprise kept by that team unless one of that name is on record. ``contact`` (name,
    phone, email, organization) becomes the project's first contact. The source is an online inquiry.
    """
    fields.setdefault("source", LeadSource.ONLINE)
    with transaction.atomic():
        project = _open(None, name=name, owner_team=owner_team, enterprise_name=enterprise_name, **fields)
        if contact and contact.get("name"):
            Contact.objects.create(project=project, **contact)
    return project


def _open(
    user,
    *,
    name: str,
    owner_team: Team,
    enterprise: Enterprise | None = None,
    uscc: str | None = None,
    enterprise_name: str = "",
    lead_on: date | None = None,
    supporting_teams=(),
    **fields,
) -> Project:
    """A new project at the lead stage and its first history row (rights already checked, or None: received)."""
    today = timezone.localdate()
    lead_on = lead_on or today
    if lead_on > today:
        raise ValidationError({"lead_on": _("%(date)s is in the future.") % {"date": _day(lead_on)}})
    with transaction.atomic():
        if enterprise is None:
            enterprise = find_or_create_enterprise(uscc, enterprise_name, user, owner_team=owner_team)
        project = Project(
            name=name, owner_team=owner_team, enterprise=enterprise, stage=Stage.LEAD, lead_on=lead_on, **fields
        )
        project.full_clean()
        project.save()
        if supporting_teams:
            project.supporting_teams.set(supporting_teams)
        StageTransition.objects.create(
            project=project,
            kind=TransitionKind.OPEN,
            from_stage="",
            to_stage=Stage.LEAD,
            happened_on=lead_on,
            recorded_by=user if user is not None and user.is_authenticated else None,
        )
    return project


# ---------------------------------------------------------------- moving through the stages


def _lock_for_change(project: Project, user) -> Project:
    """The project's row, locked until the transaction ends, if ``user`` may change it (else PermissionDenied)."""
    # with its investor, whom the search text of the saved project names (the investor's row is not locked)
    locked = Project.objects.select_for_update(of=("self",)).select_related("enterprise").filter(pk=project.pk).first()
    if locked is None or not can(user, locked, Action.CHANGE):
        raise PermissionDenied(_("You may not change this project."))
    return locked


def _check_date(happened_on, today: date | None = None) -> None:
    if not isinstance(happened_on, date):
        raise ValidationError({"happened_on": _("Give the date it happened.")})
    if happened_on > (today or timezone.localdate()):
        raise ValidationError(
            {
                "happened_on": _("%(date)s is in the future: record a change on the day it happened.")
                % {"date": _day(happened_on)}
            }
        )


def _latest(project: Project) -> tuple[str, date] | None:
    """(what, date) of the latest dated event of the project's history."""
    events = list(project.reached_stages())
    events += [(Stage.PAUSED, project.paused_on), (Stage.DROPPED, project.dropped_on), ("", project.resumed_on)]
    events = [(what, day) for what, day in events if day]
    if not events:
        return None
    what, day = max(events, key=lambda event: event[1])  # named only now: a name is a translation
    return (_label(what) if what else _("Resumed")), day


def _not_before_latest(project: Project, to_label: str, happened_on: date) -> None:
    latest = _latest(project)
    if latest is not None and happened_on < latest[1]:
        raise ValidationError(
            {
                "happened_on": _(
                    "%(stage)s cannot be dated %(date)s: that is before %(previous)s on %(previous_date)s."
                )
                % {
                    "stage": to_label,
                    "date": _day(happened_on),
                    "previous": latest[0],
                    "previous_date": _day(latest[1]),
                }
            }
        )


def check_transition(
    project: Project,
    to_stage: str,
    happened_on,
    reason: str = "",
    *,
    today: date | None = None,
    unknown_date: bool = False,
) -> str:
    """The kind of move (TransitionKind) taking ``project`` to ``to_stage`` on ``happened_on``; ValidationError
    naming the stage or date when the move is not allowed. Changes nothing. ``today``: the city's date, when
    the caller has it already. ``unknown_date``: ``happened_on`` may be None, a day nobody knows (a ledger's
    history, ``plan_stages``); the move is then checked but for its date."""
    if to_stage not in STAGE_VALUES:
        raise ValidationError({"to_stage": _("“%(stage)s” is not a stage.") % {"stage": to_stage}})
    undated = unknown_date and happened_on is None
    if not undated:
        _check_date(happened_on, today)
    current = project.stage
    to_label = _label(to_stage)
    if to_stage == current:
        raise ValidationError({"to_stage": _("The project is already at %(stage)s.") % {"stage": to_label}})

    if to_stage == Stage.DROPPED:
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Give the reason for dropping the project.")})
        kind = TransitionKind.DROP
    elif current == Stage.DROPPED:
        if to_stage != project.resume_stage:
            raise ValidationError(
                {
                    "to_stage": _(
                        "A dropped project can only be reopened, at the stage it was dropped from (%(stage)s)."
                    )
                    % {"stage": _label(project.resume_stage)}
                }
            )
        kind = TransitionKind.REOPEN
    elif current == Stage.PAUSED:
        if to_stage != project.resume_stage:
            raise ValidationError(
                {
                    "to_stage": _("A paused project resumes at the stage it was paused at (%(stage)s), or is dropped.")
                    % {"stage": _label(project.resume_stage)}
                }
            )
        kind = TransitionKind.RESUME
    elif to_stage == Stage.PAUSED:
        if current == Stage.FULL_PRODUCTION:
            raise ValidationError({"to_stage": _("A project in full production is complete: it cannot be paused.")})
        kind = TransitionKind.PAUSE
    else:
        if FORWARD.index(to_stage) < FORWARD.index(current):
            raise ValidationError(
                {
                    "to_stage": _(
                        "A project cannot move back from %(from)s to %(to)s; correct the date of a stage instead."
                    )
                    % {"from": _label(current), "to": to_label}
                }
            )
        if to_stage in POST_SIGNING and project.signed_on is None:
            raise ValidationError(
                {"to_stage": _("%(stage)s needs a signing date: record the signing first.") % {"stage": to_label}}
            )
        kind = TransitionKind.ADVANCE
    if not undated:
        _not_before_latest(project, to_label, happened_on)
    return kind


def _apply(project: Project, kind: str, to_stage: str, happened_on: date, reason: str) -> None:
    if kind == TransitionKind.ADVANCE:
        setattr(project, STAGE_DATE_FIELDS[to_stage], happened_on)
        project.stage = to_stage
    elif kind == TransitionKind.PAUSE:
        project.resume_stage = project.stage
        project.paused_on = happened_on
        project.stage = Stage.PAUSED
    elif kind == TransitionKind.DROP:
        project.resume_stage = project.active_stage()
        project.dropped_on = happened_on
        project.drop_reason = reason.strip()
        project.stage = Stage.DROPPED
    else:  # RESUME, REOPEN: back to the stage the project left
        project.stage = project.resume_stage
        project.resume_stage = ""
        project.resumed_on = happened_on
        project.paused_on = None
        project.dropped_on = None
        project.drop_reason = ""


def transition(project: Project, to_stage: str, happened_on: date, user, note: str = "", reason: str = "") -> Project:
    """Move ``project`` to ``to_stage`` on ``happened_on`` (see the module's rules) and return it as saved.

    Atomic: the row is locked, the user's right to change it re-checked (PermissionDenied), the move checked
    (ValidationError naming the stage or date), then the history row written and the project saved once. When
    someone else holds the row longer than the database waits, nothing is written (ConflictError).
    """
    with atomic_write(project):
        locked = _lock_for_change(project, user)
        kind = check_transition(locked, to_stage, happened_on, reason)
        from_stage = locked.stage
        _apply(locked, kind, to_stage, happened_on, reason or "")
        locked.save()
        StageTransition.objects.create(
            project=locked,
            kind=kind,
            from_stage=from_stage,
            to_stage=locked.stage,
            happened_on=happened_on,
            recorded_by=user,
            note=(note or "").strip(),
            reason=(reason or "").strip(),
        )
    return locked


def check_correction(project: Project, stage: str, new_date) -> date | None:
    """The date ``stage`` of ``project`` is corrected from (None: it was unknown); ValidationError naming the
    stage or date when ``new_date`` would put the stages out of order (see ``correct_date``). Changes nothing.

    A stage the project reached on an unknown day (imported from a ledger) — one at or before the stage it is at
    — may be given its date this way; a stage it has not reached may not."""
    field_name = STAGE_DATE_FIELDS.get(stage)
    reached = field_name is not None and (
        getattr(project, field_name) is not None
        or (project.active_stage() in FORWARD and FORWARD.index(stage) <= FORWARD.index(project.active_stage()))
    )
    if not reached:
        raise ValidationError(
            {"stage": _("%(stage)s was not reached: there is no date to correct.") % {"stage": _label(stage)}}
        )
    _check_date(new_date)
    old = getattr(project, field_name)
    if new_date == old:
        raise ValidationError(
            {"happened_on": _("%(stage)s is already dated %(date)s.") % {"stage": _label(stage), "date": _day(old)}}
        )
    # Only the dates that are known are kept in order: the latest of the stages before, the earliest of those after.
    position = FORWARD.index(stage)
    dated = project.reached_stages()
    earlier = [(s, d) for s, d in dated if FORWARD.index(s) < position and d > new_date]
    if earlier:
        previous, previous_date = max(earlier, key=lambda event: event[1])
        raise ValidationError(
            {
                "happened_on": _(
                    "%(stage)s cannot be dated %(date)s: that is before %(previous)s on %(previous_date)s."
                )
                % {
                    "stage": _label(stage),
                    "date": _day(new_date),
                    "previous": _label(previous),
                    "previous_date": _day(previous_date),
                }
            }
        )
    later = [(_label(s), d) for s, d in dated if FORWARD.index(s) > position]
    later += [
        (_label(Stage.PAUSED), project.paused_on),
        (_label(Stage.DROPPED), project.dropped_on),
        (_("Resumed"), project.resumed_on),
    ]
    later = [(what, d) for what, d in later if d and d < new_date]
    if later:
        what, day = min(later, key=lambda event: event[1])
        raise ValidationError(
            {
                "happened_on": _("%(stage)s cannot be dated %(date)s: that is after %(next)s on %(next_date)s.")
                % {"stage": _label(stage), "date": _day(new_date), "next": what, "next_date": _day(day)}
            }
        )
    return old


def correct_date(project: Project, stage: str, new_date: date, user, note: str = "") -> Project:
    """Put right the date a stage of the forward chain was reached, keeping the stages in order.

    The new date must not be in the future, not before the date of the previous stage reached and not after
    the next one reached (nor, for the last one, after the project's pause or drop); stages whose date is unknown
    do not count. A history row of kind "date corrected" keeps the old date (none when it was unknown: the date is
    filled in); the project is saved once. ConflictError as for ``transition``.
    """
    with atomic_write(project):
        locked = _lock_for_change(project, user)
        old = check_correction(locked, stage, new_date)
        field_name = STAGE_DATE_FIELDS[stage]
        setattr(locked, field_name, new_date)
        locked.save()
        StageTransition.objects.create(
            project=locked,
            kind=TransitionKind.CORRECT,
            from_stage=stage,
            to_stage=stage,
            happened_on=new_date,
            corrected_from=old,
            recorded_by=user,
            note=(note or "").strip(),
        )
    return locked


def stage_history(project: Project) -> list[StageTransition]:
    """The project's stage history in date order, for its page. A row of an unknown date (a ledger's history)
    stands where it was recorded: after the rows recorded before it (the same order on every database)."""
    rows = list(project.transitions.select_related("recorded_by").order_by("created", "pk"))
    known, placed = date.min, []
    for row in rows:
        known = row.happened_on or known
        placed.append((row.happened_on or known, row))
    placed.sort(key=lambda item: item[0])  # stable: recording order within a day
    return [row for _day, row in placed]


def allowed_moves(project: Project) -> list[str]:
    """The stages a project may be moved to next (for forms); dates and reasons are checked on submission."""
    if project.stage == Stage.DROPPED:
        return [project.resume_stage]
    if project.stage == Stage.PAUSED:
        return [project.resume_stage, Stage.DROPPED]
    position = FORWARD.index(project.stage)
    moves = [stage for stage in FORWARD[position + 1 :] if stage not in POST_SIGNING or project.signed_on]
    if project.stage != Stage.FULL_PRODUCTION:
        moves.append(Stage.PAUSED)
    return [*moves, Stage.DROPPED]


# ---------------------------------------------------------------- speed


@dataclass(frozen=True)
class Interval:
    key: str
    label: object
    start: str  # the date column it starts from
    end: str  # the date column it ends at: a project counts in a period when this date falls in it


INTERVALS = (
    Interval("lead_signing", gettext_lazy("Lead to signing"), "lead_on", "signed_on"),
    Interval("signing_land", gettext_lazy("Signing to land supply"), "signed_on", "land_on"),
    Interval("land_construction", gettext_lazy("Land supply to construction start"), "land_on", "construction_on"),
    Interval(
        "construction_production", gettext_lazy("Construction start to production"), "construction_on", "production_on"
    ),
)
# Histogram bins in days: [0, 30), [30, 60), … and the last one open-ended.
HISTOGRAM_BINS = (0, 30, 60, 90, 180, 365, 730)
# group_by of speed_figures → the project column it groups by.
GROUPS = {"district": "district_id", "team": "owner_team_id", "source": "source", "chain": "chain_id"}


class DaysBetween(Func):
    """Whole days from the second date to the first (``end − start``), computed by the database."""

    arity = 2
    output_field = models.IntegerField()

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: date − date is a number of days
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def project_durations(project: Project, today: date | None = None) -> dict:
    """How long one project spent in each stage it reached and between the key stages.

    ``stages``: for each stage of the forward chain reached, in order, ``{"stage", "label", "start", "end",
    "days", "current"}`` — it lasted until the next stage reached; the current one lasts until today (for a
    paused or dropped project: until it was paused or dropped); ``days`` None when its end is unknown.
    ``intervals``: for each of INTERVALS ``{"key", "label", "days"}``, ``days`` None until both dates are known.
    """
    today = today or timezone.localdate()
    reached = project.reached_stages()
    stop = project.paused_on or project.dropped_on or today
    # The last stage dated lasted until the pause, drop or today — unless the project went on to a stage reached
    # on an unknown day (a ledger's history): then its end, and its length, are unknown.
    moved_on = bool(reached) and reached[-1][0] != project.active_stage()
    stages = []
    for index, (stage, start) in enumerate(reached):
        last = index == len(reached) - 1
        end = (None if moved_on else stop) if last else reached[index + 1][1]
        current = last and project.is_active and not moved_on
        stages.append(
            {
                "stage": stage,
                "label": _label(stage),
                "start": start,
                "end": None if current else end,
                "days": max((end - start).days, 0) if end is not None else None,
                "current": current,
            }
        )
    intervals = []
    for interval in INTERVALS:
        start, end = getattr(project, interval.start), getattr(project, interval.end)
        days = (end - start).days if start and end else None
        intervals.append({"key": interval.key, "label": str(interval.label), "days": days})
    return {"stages": stages, "intervals": intervals}


def _figures(days: np.ndarray, counts: np.ndarray) -> dict:
    """Count, median, quartiles, extremes and histogram of a distribution given as (distinct days, how many)."""
    edges = np.array(HISTOGRAM_BINS)
    total = int(counts.sum()) if len(counts) else 0
    binned = np.bincount(np.searchsorted(edges, days, side="right") - 1, weights=counts, minlength=len(edges))
    histogram = [
        {"from_days": int(low), "to_days": int(edges[i + 1]) if i + 1 < len(edges) else None, "count": int(binned[i])}
        for i, low in enumerate(edges)
    ]
    if total == 0:
        return {"count": 0, "median": None, "q1": None, "q3": None, "min": None, "max": None, "histogram": histogram}
    every = np.repeat(days, counts)  # at most one integer per project
    q1, median, q3 = (float(v) for v in np.percentile(every, [25, 50, 75]))
    return {
        "count": total,
        "median": median,
        "q1": q1,
        "q3": q3,
        "min": int(days.min()),
        "max": int(days.max()),
        "histogram": histogram,
    }


def _group_labels(group_by: str, keys) -> dict:
    keys = [k for k in keys if k is not None]
    if group_by == "source":
        return {k: str(LeadSource(k).label) if k in LeadSource.values else k for k in keys}
    model = {"district": Region, "team": Team, "chain": Chain}[group_by]
    queryset = model.objects.filter(pk__in=keys)
    if model is Region:
        queryset = queryset.defer("boundary")
    return {obj.pk: obj.display_name for obj in queryset}


def speed_figures(
    queryset, period_start: date, period_end: date, group_by: str | None = None, *, best: int = 3
) -> dict:
    """How fast projects move, over a period: for each of INTERVALS the number of projects, median, quartiles,
    extremes, a histogram in days (HISTOGRAM_BINS) and the fastest ``best`` projects named — for all of
    ``queryset`` and, with ``group_by`` ("district", "team", "source" or "chain"), for each group.

    Which projects count: an interval counts a project when its *end* date falls in the period (both
    bounds included) and its start date is known — lead→signing counts the projects signed in the period,
    signing→land those supplied with land in it, land→construction those that started construction in
    it, construction→production those that started production in it. A project whose stage was skipped
    has no date there and does not count in the intervals it would bound.

    The database does the work: it selects the rows by the end date's index, subtracts the two dates and
    counts the projects per number of days (and group) with COUNT(*) (COUNT(id) would make PostgreSQL read the
    table), so that only (days, count) pairs travel; NumPy turns them into the figures (exact: days are whole
    numbers). The fastest projects come from a second query per interval, bounded per group by the day its counts
    reach ``best``. No model instance is loaded.

    Result: ``{"period_start", "period_end", "group_by", "intervals": [{"key", "label", "start_stage",
    "end_stage", "overall": figures, "groups": [{"key", "label", **figures}]}]}``, groups by decreasing count;
    ``figures["best"]`` is a list of ``{"id", "name", "days"}``, fastest first (ties by id).
    """
    if group_by is not None and group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPS)}, got {group_by!r}")
    column = GROUPS.get(group_by)
    stage_of = {date_column: stage for stage, date_column in STAGE_DATE_FIELDS.items()}
    result = {"period_start": period_start, "period_end": period_end, "group_by": group_by, "intervals": []}
    for interval in INTERVALS:
        rows = (
            queryset.filter(
                **{f"{interval.end}__gte": period_start, f"{interval.end}__lte": period_end},
                **{f"{interval.start}__isnull": False},
            )
            # Dates out of order are a data error (the consistency checks list them), not a negative speed.
            .filter(**{f"{interval.end}__gte": F(interval.start)})
            .order_by()
            .annotate(speed_days=DaysBetween(F(interval.end), F(interval.start)))
        )
        keys = [column] if column else []
        counted = list(rows.values(*keys, "speed_days").annotate(n=Count("*")).values_list(*keys, "speed_days", "n"))
        table = np.array([row[-2:] for row in counted], dtype=np.int64).reshape(-1, 2)
        entry = {
            "key": interval.key,
            "label": str(interval.label),
            "start_stage": stage_of[interval.start],
            "end_stage": stage_of[interval.end],
            "overall": {},
            "groups": [],
        }
        if column:
            group_keys = [row[0] for row in counted]
            positions: dict = {}
            for position, key in enumerate(group_keys):
                positions.setdefault(key, []).append(position)
            day_counts = {key: _sorted_counts(table[index]) for key, index in positions.items()}
            overall = _merge_counts(table)
            labels = _group_labels(group_by, positions)
            fastest = _fastest_by_group(rows, column, best, day_counts)
            for key, (days, counts) in day_counts.items():
                label = labels.get(key, key) if key is not None else _("Not set")
                entry["groups"].append(
                    {"key": key, "label": label, **_figures(days, counts), "best": fastest.get(key, [])}
                )
            entry["groups"].sort(key=lambda g: (-g["count"], str(g["label"])))
            # The fastest of all are among the fastest of their groups.
            fastest_all = sorted((b for group in fastest.values() for b in group), key=lambda b: (b["days"], b["id"]))
            entry["overall"] = {**_figures(*overall), "best": fastest_all[:best]}
        else:
            entry["overall"] = {**_figures(*_merge_counts(table)), "best": _fastest(rows, best) if len(table) else []}
        result["intervals"].append(entry)
    return result


def _sorted_counts(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(table[:, 0], kind="stable")
    return table[order, 0], table[order, 1]


def _merge_counts(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct days, total count) over all groups."""
    if len(table) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    days, inverse = np.unique(table[:, 0], return_inverse=True)
    return days, np.bincount(inverse, weights=table[:, 1]).astype(np.int64)


def _fastest(rows, best: int) -> list[dict]:
    return [
        {"id": pk, "name": name, "days": days}
        for pk, name, days in rows.order_by("speed_days", "pk").values_list("pk", "name", "speed_days")[:best]
    ]


def _fastest_by_group(rows, column: str, best: int, day_counts: dict) -> dict:
    """{group key: the fastest ``best`` projects of the group}, in one query: from each group's counts per
    number of days, the day by which it has ``best`` projects bounds the rows fetched."""
    bounds = Q(pk__in=[])
    for key, (days, counts) in day_counts.items():
        reach = int(days[min(np.searchsorted(np.cumsum(counts), best), len(days) - 1)])
        bounds |= Q(**({column: key} if key is not None else {f"{column}__isnull": True}), speed_days__lte=reach)
    out: dict = {}
    candidates = rows.filter(bounds).order_by("speed_days", "pk").values_list(column, "pk", "name", "speed_days")
    for key, pk, name, days in candidates:
        found = out.setdefault(key, [])
        if len(found) < best:
            found.append({"id": pk, "name": name, "days": days})
    return out


# ---------------------------------------------------------------- stalled projects


def stalled_projects(today: date) -> dict[str, dict[int, date]]:
    """{rule: {project id: the day its clock started}} of every project stalled on ``today``
    (the definition is Project.objects.stalled: the pages show the same at once)."""
    found: dict[str, dict[int, date]] = {rule: {} for rule in StallRule.values}
    rows = Project.objects.stalled(today).with_stall(today).order_by().values_list("pk", "stall_rule", "stall_since")
    for pk, rule, since in rows:
        found[rule][pk] = since
    return found


def _stall_message(flag: StallFlag, days: int) -> str:
    return _("%(project)s is stalled: %(rule)s since %(since)s (more than %(days)s days).") % {
        "project": flag.project.name,
        "rule": flag.get_rule_display(),
        "since": _day(flag.since),
        "days": days,
    }


def scan_stalled(today: date | None = None) -> dict[str, int]:
    """The periodic scan: notify each responsible officer once of a project stalled on ``today`` (default: today),
    in the platform's default language. The pages derive the status when read (Project.objects.stalled); the
    flags are the scan's record of what it notified: opened for new stalls, cleared for those that moved on.

    Idempotent: a project has at most one open flag per rule, and a second scan of the same day changes
    nothing. Returns ``{"flagged": new flags, "cleared": flags cleared, "open": open flags now}``.
    """
    today = today or timezone.localdate()
    thresholds = stall_thresholds()
    with transaction.atomic():
        stalled = stalled_projects(today)
        open_flags = list(StallFlag.objects.select_for_update().filter(cleared_on__isnull=True).order_by("pk"))
        cleared = [flag.pk for flag in open_flags if flag.project_id not in stalled.get(flag.rule, {})]
        StallFlag.objects.filter(pk__in=cleared).update(cleared_on=today)
        still_open = {(flag.project_id, flag.rule) for flag in open_flags if flag.pk not in set(cleared)}
        new = [
            StallFlag(project_id=project_id, rule=rule, since=since, flagged_on=today)
            for rule, projects in stalled.items()
            for project_id, since in sorted(projects.items())
            if (project_id, rule) not in still_open
        ]
        StallFlag.objects.bulk_create(new)
        projects = Project.objects.select_related("owner").in_bulk([flag.project_id for flag in new])
        with translation.override(settings.LANGUAGE_CODE):
            for flag in new:
                flag.project = projects[flag.project_id]
                notify(flag.project.owner, _stall_message(flag, thresholds[flag.rule]), flag.project.get_absolute_url())
        open_count = StallFlag.objects.filter(cleared_on__isnull=True).count()
    return {"flagged": len(new), "cleared": len(cleared), "open": open_count}


# ---------------------------------------------------------------- duplicate claims (撞单)


@dataclass
class Claim:
    """One team's project in a duplicate claim. Name and stage are shown only to those who may see the project."""

    project_id: int
    team_id: int
    team_name: str
    enterprise_name: str
    engaged_on: date | None
    visible: bool
    name: str = ""
    stage: str = ""
    url: str = ""


@dataclass
class DuplicateGroup:
    """Projects of different teams on one enterprise (certain) or on enterprises of one name key (possible)."""

    kind: str
    key: str
    claims: list[Claim] = field(default_factory=list)

    @property
    def first(self) -> Claim:
        """Who engaged first (earliest lead date, then the earliest recorded project)."""
        return self.claims[0]

    @property
    def team_ids(self) -> set[int]:
        return {claim.team_id for claim in self.claims}

    @property
    def certain(self) -> bool:
        return self.kind == DuplicateKind.CERTAIN

    def get_kind_display(self) -> str:
        return str(DuplicateKind(self.kind).label)


def duplicate_claims(user=None, *, project: Project | None = None, queryset=None) -> list[DuplicateGroup]:
    """Enterprises pursued by more than one team: groups of live (not dropped) projects of different owning teams.

    - certain: the projects share the enterprise — the same credit code (an enterprise's code is unique, and
      ``find_or_create_enterprise`` gives the enterprise on record for a known code whatever name was typed);
    - possible: the enterprises differ but have the same name key (``industry.services.name_key``: legal
      forms, brackets and leading place names removed), e.g. 某某科技有限公司 and 某某科技股份有限公司.

    Groups are found in SQL (grouped by enterprise and by name key, counting distinct teams). With ``user``,
    only groups with a project the user may see are returned, and other projects show only their team and
    date; with ``project``, only the groups that project is in; ``queryset`` narrows the projects considered.
    Claims are ordered by who engaged first: earliest lead date, then earliest id.
    """
    live = (queryset if queryset is not None else Project.objects.all()).exclude(stage=Stage.DROPPED).order_by()
    certain = live.values("enterprise_id").annotate(teams=Count("owner_team", distinct=True)).filter(teams__gte=2)
    possible = (
        live.exclude(enterprise__name_key="")
        .values("enterprise__name_key")
        .annotate(teams=Count("owner_team", distinct=True), enterprises=Count("enterprise", distinct=True))
        .filter(teams__gte=2, enterprises__gte=2)
    )
    if project is not None:
        certain = certain.filter(enterprise_id=project.enterprise_id)
        possible = possible.filter(enterprise__name_key=project.enterprise.name_key)
    rows = list(
        live.filter(
            Q(enterprise_id__in=certain.values("enterprise_id"))
            | Q(enterprise__name_key__in=possible.values("enterprise__name_key"))
        )
        .values(
            "pk",
            "name",
            "stage",
            "lead_on",
            "owner_team_id",
            "enterprise_id",
            "enterprise__name",
            "enterprise__name_key",
        )
        .order_by("pk")
    )
    if not rows:
        return []
    ids = [row["pk"] for row in rows]
    if user is None:
        visible = known = set(ids)
    else:
        visible = set(Project.objects.restrict(user, Action.VIEW).filter(pk__in=ids).values_list("pk", flat=True))
        known = set(Project.objects.restrict(user, Action.LOOKUP).filter(pk__in=ids).values_list("pk", flat=True))
    teams = Team.objects.in_bulk({row["owner_team_id"] for row in rows})
    certain_keys = {row["enterprise_id"] for row in certain}
    possible_keys = {row["enterprise__name_key"] for row in possible}

    groups: dict[tuple[str, str], DuplicateGroup] = {}
    for row in rows:
        shown = row["pk"] in visible
        claim = Claim(
            project_id=row["pk"],
            team_id=row["owner_team_id"],
            team_name=teams[row["owner_team_id"]].display_name,
            enterprise_name=row["enterprise__name"],
            engaged_on=row["lead_on"],
            visible=shown,
            name=row["name"] if shown else "",
            stage=_label(row["stage"]) if row["pk"] in known else "",
            url=reverse("projects:project-detail", args=[row["pk"]]) if shown else "",
        )
        if row["enterprise_id"] in certain_keys:
            key = (DuplicateKind.CERTAIN, str(row["enterprise_id"]))
            groups.setdefault(key, DuplicateGroup(DuplicateKind.CERTAIN, key[1])).claims.append(claim)
        if row["enterprise__name_key"] in possible_keys:
            key = (DuplicateKind.POSSIBLE, row["enterprise__name_key"])
            groups.setdefault(key, DuplicateGroup(DuplicateKind.POSSIBLE, key[1])).claims.append(claim)
    result = []
    for _key, group in sorted(groups.items(), key=lambda item: (item[0][0] != DuplicateKind.CERTAIN, item[0][1])):
        if not any(claim.visible for claim in group.claims):
            continue
        group.claims.sort(key=lambda c: (c.engaged_on is None, c.engaged_on or date.max, c.project_id))
        result.append(group)
    return result


# ---------------------------------------------------------------- look-up: is another team already on it?

LOOKUP_MIN_LENGTH = 2
LOOKUP_LIMIT = 50


@dataclass
class LookupRow:
    """A project as a member of staff who may not read it sees it (Action.LOOKUP): that a project on the enterprise
    exists, its stage and its owning team — no amounts, contacts, notes, activities or documents."""

    project_id: int
    enterprise_name: str
    enterprise_uscc: str
    stage: str
    stage_label: str
    team_id: int
    team_name: str
    readable: bool
    url: str = ""


def lookup(user, query: str, limit: int = LOOKUP_LIMIT) -> list[LookupRow]:
    """The projects on enterprises whose name or credit code matches ``query`` that ``user`` may look up (every
    non-confidential project, and those they may read), so that no one pursues an enterprise twice. A query of
    fewer than two characters finds nothing: the look-up answers a question, it does not list the pipeline."""
    from zhaoshang.core import search

    if len((query or "").strip()) < LOOKUP_MIN_LENGTH:
        return []
    q = search.query_q(query, field="enterprise__search_text")
    if q is None:
        return []
    rows = list(
        Project.objects.restrict(user, Action.LOOKUP)
        .filter(q)
        .order_by("enterprise__name", "-lead_on", "pk")
        .values("pk", "stage", "owner_team_id", "enterprise__name", "enterprise__uscc")[:limit]
    )
    ids = [row["pk"] for row in rows]
    readable = set(Project.objects.restrict(user, Action.VIEW).filter(pk__in=ids).values_list("pk", flat=True))
    teams = Team.objects.in_bulk({row["owner_team_id"] for row in rows})
    return [
        LookupRow(
            project_id=row["pk"],
            enterprise_name=row["enterprise__name"],
            enterprise_uscc=row["enterprise__uscc"] or "",
            stage=row["stage"],
            stage_label=_label(row["stage"]),
            team_id=row["owner_team_id"],
            team_name=teams[row["owner_team_id"]].display_name,
            readable=row["pk"] in readable,
            url=reverse("projects:project-detail", args=[row["pk"]]) if row["pk"] in readable else "",
        )
        for row in rows
    ]


# ---------------------------------------------------------------- home page figures


# The stages of a project in progress (the home page's figure, linked to the list filtered by them).
IN_PROGRESS = tuple(stage for stage in FORWARD if stage != Stage.FULL_PRODUCTION)


def project_panel(user) -> dict:
    return {
        "title": _("Projects in progress"),
        "value": Project.objects.restrict(user).filter(stage__in=IN_PROGRESS).count(),
        "url": reverse("projects:project-list") + "?" + urlencode([("stage", stage) for stage in IN_PROGRESS]),
    }


def stalled_panel(user) -> dict:
    return {
        "title": _("Stalled projects"),
        "value": Project.objects.restrict(user).stalled().count(),
        "url": reverse("projects:project-list") + "?stalled=true",
    }


# ---------------------------------------------------------------- the board and "my work"

# The columns of the board: the forward chain, then paused and dropped (shown collapsed).
BOARD_STAGES = (*FORWARD, Stage.PAUSED, Stage.DROPPED)
# At most this many cards per column; the rest are in the list, filtered the same way.
BOARD_CARDS_PER_COLUMN = 50


def board_columns(queryset, user, today: date | None = None, per_column: int = BOARD_CARDS_PER_COLUMN) -> list[dict]:
    """The board of ``queryset`` (projects the user may see, already filtered): for each of BOARD_STAGES
    ``{"stage", "label", "count", "cards", "more", "collapsed"}``.

    Queries do not grow with the number of projects: one count per stage for all columns, one query of at most
    ``per_column`` cards per column (team and enterprise joined, badges annotated), one query of the shown cards
    the user may change. Each card is the project with ``days_in_stage``, ``stalled``, ``duplicate``, ``movable``
    and ``moves`` (the stages it may be moved to, for those the user may move) set.
    """
    today = today or timezone.localdate()
    queryset = queryset.order_by()
    counts = dict(queryset.values_list("stage").annotate(n=Count("*")).values_list("stage", "n"))
    stalled = ExpressionWrapper(Project.objects.stalled_q(today), output_field=models.BooleanField())
    rival = Exists(
        Project.objects.filter(enterprise=OuterRef("enterprise"))
        .exclude(owner_team=OuterRef("owner_team"))
        .exclude(stage=Stage.DROPPED)
    )
    columns = []
    shown: list[Project] = []
    for stage in BOARD_STAGES:
        cards = []
        if counts.get(stage):
            date_column = (
                STAGE_DATE_FIELDS.get(stage) or {Stage.PAUSED: "paused_on", Stage.DROPPED: "dropped_on"}[stage]
            )
            cards = list(
                queryset.filter(stage=stage)
                .select_related("enterprise", "owner_team")
                .defer("search_text", "description", "drop_reason", "enterprise__search_text")
                .annotate(stalled=stalled, duplicate=rival)
                .order_by(F(date_column).asc(nulls_last=True), "pk")[:per_column]
            )
            for card in cards:
                since = card.stage_date(stage)
                card.days_in_stage = (today - since).days if since else None
        shown += cards
        columns.append(
            {
                "stage": stage,
                "label": _label(stage),
                "count": counts.get(stage, 0),
                "cards": cards,
                "more": counts.get(stage, 0) - len(cards),
                "collapsed": stage in (Stage.PAUSED, Stage.DROPPED),
            }
        )
    writable = set()
    if shown:
        writable = set(
            Project.objects.restrict(user, Action.CHANGE)
            .filter(pk__in=[card.pk for card in shown])
            .values_list("pk", flat=True)
        )
    for card in shown:
        card.movable = card.pk in writable
        card.moves = allowed_moves(card) if card.movable else []
    return columns


def board_card(project: Project, user, today: date | None = None) -> Project:
    """One card of the board, as ``board_columns`` prepares it (after a move)."""
    columns = board_columns(Project.objects.filter(pk=project.pk), user, today)
    return next(card for column in columns for card in column["cards"])


# Milestones due within this many days (or overdue) are on the "my work" page.
DUE_WITHIN_DAYS = 14
# A project without a stage change or activity for this many days is on the "my work" page.
IDLE_DAYS = 30


def my_projects(user):
    """The projects ``user`` is responsible for or works on through one of their teams (owning or supporting),
    among those they may see (the list's ``mine`` filter)."""
    return Project.objects.restrict(user, Action.VIEW).worked_on_by(user)


def my_work(user, today: date | None = None, idle_days: int = IDLE_DAYS, limit: int = 50) -> dict:
    """What the officer has to do: ``milestones`` due within DUE_WITHIN_DAYS or overdue and not done, ``stalled``
    (stalled projects, each with its ``stall``), ``idle`` (no stage change or activity for ``idle_days``, paused
    projects aside) of ``my_projects``, and ``notifications`` unread. Each list holds at most ``limit`` entries."""
    from zhaoshang.core.notifications import unread

    today = today or timezone.localdate()
    mine = my_projects(user)
    milestones = (
        Milestone.objects.filter(
            project__in=mine.values("pk"),
            actual_on__isnull=True,
            planned_on__lte=today + timedelta(days=DUE_WITHIN_DAYS),
        )
        .select_related("project")
        .only("name", "stage", "planned_on", "project__name")
        .order_by("planned_on", "pk")
    )
    stalled = mine.stalled(today).with_stall(today).only("name", "stage", "code").order_by("stall_since", "pk")
    touched = last_touched((*STAGE_DATE_FIELDS.values(), "resumed_on"))
    idle = (
        mine.exclude(stage=Stage.PAUSED)
        .annotate(touched=touched)
        .filter(touched__lt=today - timedelta(days=idle_days))
        .only("name", "stage")
        .order_by("touched", "pk")
    )
    return {
        "today": today,
        "due_within": DUE_WITHIN_DAYS,
        "idle_days": idle_days,
        "milestones": list(milestones[:limit]),
        "stalled": [
            setattr(project, "stall", Stall(project.stall_rule, project.stall_since)) or project
            for project in stalled[:limit]
        ],
        "idle": list(idle[:limit]),
        "notifications": list(unread(user).order_by("-created", "-pk")[:limit]),
    }


def work_panel(user) -> dict:
    """Home-page figure: the projects the user works on, linked to the list of them (the "my work" page is in the
    menu)."""
    return {
        "title": _("My work"),
        "value": my_projects(user).count(),
        "note": _("projects I work on"),
        "url": reverse("projects:project-list") + "?mine=true",
    }


# ---------------------------------------------------------------- stages given as a whole (Excel import)


def _column(field_name: str) -> str:
    """The header of a column of the import (the field's name, as ``projects.imports`` heads a date column)."""
    return str(Project._meta.get_field(field_name).verbose_name)


def _moved_error(exc: ValidationError, field_name: str) -> ValidationError:
    """A refusal of ``check_transition`` or ``check_correction`` told of the column ``field_name``, which the
    message names (the error report lists the column too, but a message is also read alone)."""
    column = _column(field_name)
    return ValidationError(
        {
            field_name: [
                _("%(message)s (column “%(column)s”)") % {"message": message, "column": column}
                for message in exc.messages
            ]
        }
    )


def _needs_signing(stage: str) -> ValidationError:
    return ValidationError(
        {
            "signed_on": _(
                "Fill in the column “%(column)s”: a project at %(stage)s has been signed, and signings are counted "
                "by their date."
            )
            % {"column": _column("signed_on"), "stage": _label(stage)}
        }
    )


def plan_stages(
    project: Project,
    stage: str | None,
    dates: dict[str, date | None],
    *,
    reason: str = "",
    paused_on: date | None = None,
    dropped_on: date | None = None,
    user=None,
) -> list[StageTransition]:
    """Bring ``project`` (in memory, nothing saved) to ``stage`` with the dates ``dates`` ({stage of the forward
    chain: date or None}) by the moves ``transition`` and ``correct_date`` would make, checked by the same rules
    (``check_transition``, ``check_correction``); returns the history rows of those moves, unsaved, in order.

    A ledger's history: a date the row does not give stays unknown — never today. A new project (no pk) opens
    at its lead date (unknown when not given) and advances to each dated stage in chain order; a ``stage`` of
    the chain beyond the last one dated is then reached on an unknown day (its history row and its date column
    empty). The dates that are given must be in chain order. A project at signing or later needs its signing
    date (the headline figures count signings by it); the stages after signing may stay undated. Then it is
    paused or dropped when ``stage`` says so (dated ``paused_on``/``dropped_on``, which are needed). An
    existing project gets a date correction for each changed date (and for a date that was unknown) and an
    advance for each newly dated stage. A refusal raises ValidationError keyed by the date field (``lead_on`` …
    ``full_production_on``, ``paused_on``, ``dropped_on``), ``stage`` or ``drop_reason``, naming only the dates
    of the row and of the project's record, and the column. With ``stage`` None, the project stays at the last
    stage dated.
    """
    recorded_by = user if user is not None and user.is_authenticated else None
    rows: list[StageTransition] = []
    today = timezone.localdate()

    def record(kind, from_stage, day, **extra):
        rows.append(
            StageTransition(
                project=project,
                kind=kind,
                from_stage=from_stage,
                to_stage=project.stage,
                happened_on=day,
                recorded_by=recorded_by,
                **extra,
            )
        )

    def move(to_stage, day, field_name, why="", *, unknown_date=False):
        if day is None and not unknown_date:
            raise ValidationError(
                {
                    field_name: _("Fill in the column “%(column)s” with the date of %(stage)s.")
                    % {"column": _column(field_name), "stage": _label(to_stage)}
                }
            )
        try:
            kind = check_transition(project, to_stage, day, why, today=today, unknown_date=unknown_date)
        except ValidationError as exc:
            raise _moved_error(exc, field_name) from None
        from_stage = project.stage
        _apply(project, kind, to_stage, day, why)
        record(kind, from_stage, day, reason=(why or "").strip() if kind == TransitionKind.DROP else "")

    # Signed or later (by the stage given or a later stage dated) without a signing date: the column to fill.
    past_signing = [s for s in POST_SIGNING if dates.get(s)]
    if stage in (Stage.SIGNED, *POST_SIGNING):
        past_signing.append(stage)
    if past_signing and not dates.get(Stage.SIGNED) and project.signed_on is None:
        raise _needs_signing(past_signing[-1])

    if project.pk is None:
        lead_on = dates.get(Stage.LEAD)  # None: unknown (ledgers rarely know it)
        if lead_on is not None:
            try:
                _check_date(lead_on, today)
            except ValidationError as exc:
                raise _moved_error(exc, "lead_on") from None
        project.stage, project.lead_on = Stage.LEAD, lead_on
        record(TransitionKind.OPEN, "", lead_on)
        for forward in FORWARD[1:]:
            if dates.get(forward):
                move(forward, dates[forward], STAGE_DATE_FIELDS[forward])
    else:
        active = project.active_stage()
        reached = FORWARD[: FORWARD.index(active) + 1] if active in FORWARD else ()
        corrections = []
        for forward, field_name in STAGE_DATE_FIELDS.items():
            old, new = getattr(project, field_name), dates.get(forward)
            if old is not None and new is None:
                raise ValidationError(
                    {
                        field_name: _("%(stage)s was reached on %(date)s: its date cannot be removed.")
                        % {"stage": _label(forward), "date": _day(old)}
                    }
                )
            # a changed date, or the date of a stage reached on a day that was unknown
            if new is not None and new != old and (old is not None or forward in reached):
                corrections.append(forward)
        # Corrections are made in whichever order keeps the stages in order at each step.
        while corrections:
            refused = None
            for forward in list(corrections):
                field_name = STAGE_DATE_FIELDS[forward]
                try:
                    old = check_correction(project, forward, dates[forward])
                except ValidationError as exc:
                    refused = refused or _moved_error(exc, field_name)
                    continue
                setattr(project, field_name, dates[forward])
                record(TransitionKind.CORRECT, forward, dates[forward], corrected_from=old)
                rows[-1].to_stage = forward
                corrections.remove(forward)
                refused = None
                break
            if refused is not None:
                raise refused
        for forward in FORWARD[1:]:
            field_name = STAGE_DATE_FIELDS[forward]
            if getattr(project, field_name) is None and dates.get(forward) and forward not in reached:
                move(forward, dates[forward], field_name)

    stage = stage or project.stage
    if stage == project.stage:
        if stage == Stage.PAUSED and paused_on and paused_on != project.paused_on:
            raise ValidationError({"paused_on": _("The date of a pause cannot be changed by an import.")})
        if stage == Stage.DROPPED and dropped_on and dropped_on != project.dropped_on:
            raise ValidationError({"dropped_on": _("The date of a drop cannot be changed by an import.")})
        return rows
    if stage in FORWARD and project.stage in FORWARD and FORWARD.index(stage) > FORWARD.index(project.stage):
        # reached on a day the row does not give (signing and later have a signing date: checked above)
        move(stage, None, STAGE_DATE_FIELDS[stage], unknown_date=True)
    elif stage == Stage.PAUSED:
        move(Stage.PAUSED, paused_on, "paused_on")
    elif stage == Stage.DROPPED:
        if not (reason or "").strip():
            raise ValidationError({"drop_reason": _("Give the reason for dropping the project.")})
        move(Stage.DROPPED, dropped_on, "dropped_on", reason)
    elif project.stage in (Stage.PAUSED, Stage.DROPPED):
        raise ValidationError({"stage": _("A paused or dropped project resumes on its own page, not by an import.")})
    else:
        raise ValidationError(
            {
                "stage": _("The stage does not match the dates: the last stage dated is %(stage)s.")
                % {"stage": _label(project.stage)}
            }
        )
    return rows
