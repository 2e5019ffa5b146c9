"""Clocks: the one mechanism for every time limit of the platform (approval items, enterprise requests, …).

A clock starts at a moment with a limit in a unit (working days of the calendar, working minutes of office hours,
or elapsed minutes, ``ClockUnit``). Its due moment is always

    due = start + (limit + extensions + paused) counted in the unit

where ``paused`` is the time of the pauses that ended, counted in the same unit when each ended. Time already
counted can therefore never be lost: changing the limit, extending or pausing again recomputes the due moment from
the start, and a paused clock (``paused_since``) has no due moment until it resumes. For working days the due moment
is the end of the last working day allowed (the start day itself is not counted, as the law counts days).

Reminders fire at shares of the time allowed (``ZHAOSHANG_CLOCK_REMINDER_SHARES``, e.g. 50, 80, 100 %) and the
escalation once the clock is overdue; each fires once. ``scan`` finds the clocks whose next alert has come through
one index (``next_alert_at``), records what fired and hands the alerts to the model of the record the clock times:
``Model.clock_alerts(alerts)`` with a list of ``Alert`` — the model decides whom to tell; core never learns of it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import workdays
from .choices import ClockAlert, ClockUnit
from .models import Clock, ClockExtension, ClockPause

ONE_TICK = timedelta(microseconds=1)


def add(unit: str, start: datetime, n: int) -> datetime:
    """The moment ``n`` units after ``start``."""
    if unit == ClockUnit.WORKING_DAYS:
        day = workdays.add_working_days(timezone.localtime(start).date(), n)
        return timezone.make_aware(datetime.combine(day, time.max))
    if unit == ClockUnit.WORKING_MINUTES:
        return workdays.add_working_minutes(start, n)
    return start + timedelta(minutes=n)


def between(unit: str, start: datetime, end: datetime) -> int:
    """Whole units from ``start`` to ``end``."""
    if end <= start:
        return 0
    if unit == ClockUnit.WORKING_DAYS:
        return workdays.working_days_between(timezone.localtime(start).date(), timezone.localtime(end).date())
    if unit == ClockUnit.WORKING_MINUTES:
        return workdays.working_minutes_between(start, end)
    return int((end - start).total_seconds() // 60)


def shares() -> tuple[int, ...]:
    return tuple(sorted(int(s) for s in settings.ZHAOSHANG_CLOCK_REMINDER_SHARES))


def refresh(clock: Clock) -> Clock:
    """Recompute ``due_at`` and ``next_alert_at`` from the clock's facts (not saved)."""
    if clock.stopped_at is not None:  # kept with its due moment, for the figures
        clock.next_alert_at = None
        return clock
    if clock.paused_since is not None:  # no due moment while it stands still
        clock.due_at = clock.next_alert_at = None
        return clock
    clock.due_at = add(clock.unit, clock.started_at, clock.total + clock.paused)
    clock.next_alert_at = _next_alert(clock)
    return clock


def _share_moment(clock: Clock, share: int) -> datetime:
    if share >= 100:
        return clock.due_at
    return add(clock.unit, clock.started_at, math.ceil(clock.total * share / 100) + clock.paused)


def _next_alert(clock: Clock) -> datetime | None:
    for share in shares():
        if share > clock.reminded:
            return _share_moment(clock, share)
    if clock.escalated_at is None:
        return clock.due_at + ONE_TICK
    return None


def start(subject, purpose: str, limit: int, unit: str, *, at: datetime | None = None) -> Clock:
    """Start (or start again, from nothing) the clock of ``purpose`` on ``subject``."""
    if unit not in ClockUnit.values:
        raise ValueError(f"{unit!r} is not a clock unit ({', '.join(ClockUnit.values)})")
    at = at or timezone.now()
    subject_type = ContentType.objects.get_for_model(type(subject))
    clock = Clock.objects.filter(subject_type=subject_type, subject_id=subject.pk, purpose=purpose).first()
    if clock is None:
        clock = Clock(subject_type=subject_type, subject_id=subject.pk, purpose=purpose)
    else:
        clock.pauses.all().delete()
        clock.extensions.all().delete()
    clock.unit, clock.limit, clock.started_at = unit, int(limit), at
    clock.extended = clock.paused = clock.reminded = 0
    clock.paused_since = clock.stopped_at = clock.escalated_at = None
    refresh(clock)
    clock.save()
    return clock


def clock_of(subject, purpose: str) -> Clock | None:
    subject_type = ContentType.objects.get_for_model(type(subject))
    return Clock.objects.filter(subject_type=subject_type, subject_id=subject.pk, purpose=purpose).first()


def elapsed(clock: Clock, now: datetime | None = None) -> int:
    """The time counted so far (pauses excluded), in the clock's unit."""
    end = clock.stopped_at or clock.paused_since or now or timezone.now()
    return max(0, between(clock.unit, clock.started_at, end) - clock.paused)


def remaining(clock: Clock, now: datetime | None = None) -> int:
    """The time left (negative when overdue), in the clock's unit."""
    return clock.total - elapsed(clock, now)


def pause(clock: Clock, reason: str, *, at: datetime | None = None, by=None, note: str = "") -> ClockPause:
    """Stop the clock counting, for ``reason``; it keeps what it counted."""
    if clock.stopped_at is not None:
        raise ValueError("A stopped clock cannot be paused.")
    if clock.paused_since is not None:
        raise ValueError("The clock is already paused.")
    at = at or timezone.now()
    with transaction.atomic():
        entry = ClockPause.objects.create(clock=clock, reason=reason, started_at=at, by=by, note=note[:300])
        clock.paused_since = at
        refresh(clock)
        clock.save(update_fields=["paused_since", "due_at", "next_alert_at"])
    return entry


def resume(clock: Clock, *, at: datetime | None = None) -> ClockPause:
    """Count again; the pause's time moves the due moment on."""
    if clock.paused_since is None:
        raise ValueError("The clock is not paused.")
    at = at or timezone.now()
    with transaction.atomic():
        entry = clock.pauses.filter(ended_at__isnull=True).latest("started_at")
        entry.ended_at = at
        entry.units = between(clock.unit, entry.started_at, at)
        entry.save(update_fields=["ended_at", "units"])
        clock.paused += entry.units
        clock.paused_since = None
        # a limit changed or extended during the pause: its alerts that now lie ahead again fire again
        _rewind_alerts(clock, at)
        refresh(clock)
        clock.save(update_fields=["paused", "paused_since", "reminded", "escalated_at", "due_at", "next_alert_at"])
    return entry


def extend(clock: Clock, amount: int, reason: str, approved_by, *, at: datetime | None = None) -> ClockExtension:
    """Add ``amount`` units, approved by ``approved_by`` for ``reason``; a fired escalation may fire again."""
    if amount <= 0:
        raise ValueError("An extension adds time.")
    with transaction.atomic():
        entry = ClockExtension.objects.create(
            clock=clock, amount=amount, reason=reason[:300], approved_by=approved_by, created=at or timezone.now()
        )
        clock.extended += amount
        _rewind_alerts(clock, at)
        refresh(clock)
        clock.save(update_fields=["extended", "reminded", "escalated_at", "due_at", "next_alert_at"])
    return entry


def change_limit(clock: Clock, limit: int, *, at: datetime | None = None) -> Clock:
    """Set a new limit; the time counted and paused so far is kept."""
    clock.limit = int(limit)
    _rewind_alerts(clock, at)
    refresh(clock)
    clock.save(update_fields=["limit", "reminded", "escalated_at", "due_at", "next_alert_at"])
    return clock


def _rewind_alerts(clock: Clock, at: datetime | None) -> None:
    """After the time allowed grew: forget the reminders and escalation that now lie in the future again."""
    if clock.stopped_at is not None or clock.paused_since is not None:
        return
    now = at or timezone.now()
    clock.due_at = add(clock.unit, clock.started_at, clock.total + clock.paused)
    if clock.escalated_at is not None and now <= clock.due_at:
        clock.escalated_at = None
    fired = 0
    for share in shares():
        if share <= clock.reminded and _share_moment(clock, share) <= now:
            fired = share
    clock.reminded = fired


def stop(clock: Clock, *, at: datetime | None = None) -> Clock:
    """The limit is met (or no longer applies): the clock stops, kept with its due moment for the figures."""
    if clock.stopped_at is not None:
        return clock
    at = at or timezone.now()
    with transaction.atomic():
        if clock.paused_since is not None:
            resume(clock, at=at)
        clock.stopped_at = at
        clock.next_alert_at = None
        clock.save(update_fields=["stopped_at", "next_alert_at"])
    return clock


@dataclass(frozen=True)
class Alert:
    clock: Clock
    kind: str  # ClockAlert
    share: int  # the share of the time reached (100 for an escalation)


def scan(now: datetime | None = None, batch: int = 2000) -> dict[str, int]:
    """Fire the reminders and escalations that have come, once each; returns how many of each fired."""
    now = now or timezone.now()
    counts = {ClockAlert.REMINDER: 0, ClockAlert.ESCALATION: 0}
    last_pk = 0
    while True:
        with transaction.atomic():
            due = Clock.objects.filter(stopped_at__isnull=True, next_alert_at__lte=now, pk__gt=last_pk).order_by("pk")
            if transaction.get_connection().features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            clocks = list(due[:batch])
            if not clocks:
                break
            last_pk = clocks[-1].pk
            alerts = []
            for clock in clocks:
                alert = _fire(clock, now)
                if alert is not None:
                    alerts.append(alert)
                    counts[alert.kind] += 1
            _save_alerts(clocks)
            by_type = defaultdict(list)
            for alert in alerts:
                by_type[alert.clock.subject_type_id].append(alert)
            for type_id, group in by_type.items():
                model = ContentType.objects.get_for_id(type_id).model_class()
                handler = getattr(model, "clock_alerts", None)
                if handler is not None:
                    handler(group)
    return {str(kind): value for kind, value in counts.items()}


def _save_alerts(clocks: list[Clock]) -> None:
    """The fired state of ``clocks`` written with one statement run for each (``bulk_update``'s CASE over thousands of
    keys took ~3 ms a clock to build at 2,000 clocks)."""
    connection = transaction.get_connection()
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(Clock._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET reminded = %s, escalated_at = %s, next_alert_at = %s WHERE id = %s",
            [(c.reminded, adapt(c.escalated_at), adapt(c.next_alert_at), c.pk) for c in clocks],
        )


def _fire(clock: Clock, now: datetime) -> Alert | None:
    alert = None
    if clock.due_at is not None and now > clock.due_at and clock.escalated_at is None:
        clock.escalated_at = now
        clock.reminded = max(shares(), default=0)
        alert = Alert(clock, ClockAlert.ESCALATION, 100)
    else:
        reached = [share for share in shares() if share > clock.reminded and _share_moment(clock, share) <= now]
        if reached:
            clock.reminded = reached[-1]
            alert = Alert(clock, ClockAlert.REMINDER, reached[-1])
    clock.next_alert_at = _next_alert(clock)
    return alert


@dataclass(frozen=True)
class Status:
    """What a page says of a clock: its state, the time left or over, and the year counted Monday to Friday."""

    clock: Clock
    state: str  # "running", "paused", "overdue", "on_time", "late"
    amount: int  # time left (running), over (overdue, late) or used (on time), in the clock's unit
    unit: str
    unloaded_years: tuple[int, ...]

    @property
    def amount_text(self) -> str:
        from django.utils.translation import ngettext

        if self.unit == ClockUnit.WORKING_DAYS:
            return ngettext("%(n)s working day", "%(n)s working days", self.amount) % {"n": self.amount}
        if self.unit == ClockUnit.WORKING_MINUTES:
            hours, minutes = divmod(self.amount, 60)
            if hours and minutes:
                return _("%(h)s h %(m)s min (office hours)") % {"h": hours, "m": minutes}
            if hours:
                return _("%(h)s h (office hours)") % {"h": hours}
            return _("%(m)s min (office hours)") % {"m": minutes}
        hours, minutes = divmod(self.amount, 60)
        if hours and minutes:
            return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
        if hours:
            return _("%(h)s h") % {"h": hours}
        return _("%(m)s min") % {"m": minutes}

    @property
    def label(self) -> str:
        labels = {
            "running": _("%(amount)s left"),
            "paused": _("paused, %(amount)s left"),
            "overdue": _("overdue by %(amount)s"),
            "on_time": _("met on time"),
            "late": _("met %(amount)s late"),
        }
        return labels[self.state] % {"amount": self.amount_text}


def status(clock: Clock | None, now: datetime | None = None) -> Status | None:
    """How the clock stands at ``now``."""
    if clock is None:
        return None
    now = now or timezone.now()
    left = remaining(clock, now)
    if clock.stopped_at is not None:
        late = clock.due_at is not None and clock.stopped_at > clock.due_at
        state, amount = ("late", between(clock.unit, clock.due_at, clock.stopped_at)) if late else ("on_time", 0)
    elif clock.paused_since is not None:
        state, amount = "paused", max(left, 0)
    elif clock.due_at is not None and now > clock.due_at:
        state, amount = "overdue", between(clock.unit, clock.due_at, now)
    else:
        state, amount = "running", max(left, 0)
    days = [timezone.localtime(clock.started_at).date()]
    if clock.due_at is not None:
        days.append(timezone.localtime(clock.due_at).date())
    unloaded = () if clock.unit == ClockUnit.MINUTES else tuple(workdays.unloaded_years(*days))
    return Status(clock, state, amount, clock.unit, unloaded)
