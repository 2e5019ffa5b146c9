"""Working-day arithmetic from the calendar kept as data (``CalendarDay``, ``CalendarYear``).

A day is a working day when the calendar says so (a holiday on a weekday is not, a moved working day — 调休 — on a
weekend is), else when it falls from Monday to Friday. A year whose official days are not loaded is counted Monday
to Friday; ``unloaded_years`` names such years so that pages can say so, and the centre is warned from
1 November when next year is still missing (``calendar_warning``) — nothing is guessed silently.

The working days from 1990 to 2100 are held in memory as one sorted array of ordinals, rebuilt when the calendar
changes (the ``calendar`` generation), so that adding n working days or counting them between two dates is a binary
search, whatever n.

Working minutes count the office hours (``ZHAOSHANG_OFFICE_HOURS``, e.g. ``08:30-12:00,14:30-17:30``) of working
days: a request received on Friday evening with 60 minutes to be contacted is due on Monday morning.
"""

from __future__ import annotations

import time as _time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

FIRST_YEAR, LAST_YEAR = 1990, 2100
_REFRESH_SECONDS = 5.0


def office_periods() -> tuple[tuple[int, int], ...]:
    """The office hours as (start, end) minutes of the day, from ``ZHAOSHANG_OFFICE_HOURS``."""
    periods = []
    for part in str(settings.ZHAOSHANG_OFFICE_HOURS).split(","):
        start, end = (piece.strip() for piece in part.split("-"))
        h1, m1 = (int(x) for x in start.split(":"))
        h2, m2 = (int(x) for x in end.split(":"))
        if not (0 <= h1 * 60 + m1 < h2 * 60 + m2 <= 24 * 60):
            raise ValueError(f"ZHAOSHANG_OFFICE_HOURS: {part!r} is not a period of the day")
        periods.append((h1 * 60 + m1, h2 * 60 + m2))
    periods.sort()
    return tuple(periods)


@dataclass(frozen=True)
class Calendar:
    working: tuple[int, ...]  # ordinals of the working days, ascending
    exceptions: dict  # date -> working (bool), the days that differ from Monday to Friday
    years: frozenset  # years whose official days are loaded
    periods: tuple[tuple[int, int], ...]

    @property
    def day_minutes(self) -> int:
        return sum(end - start for start, end in self.periods)

    # -- days --------------------------------------------------------------------------------------
    def is_working(self, day: date) -> bool:
        flag = self.exceptions.get(day)
        return flag if flag is not None else day.weekday() < 5

    def add_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (``day`` itself not counted); ``day`` for n = 0."""
        if n <= 0:
            return day
        index = bisect_right(self.working, day.toordinal()) + n - 1
        return date.fromordinal(self.working[index])

    def days_between(self, start: date, end: date) -> int:
        """How many working days fall after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``)."""
        if end <= start:
            return 0
        return bisect_right(self.working, end.toordinal()) - bisect_right(self.working, start.toordinal())

    def next_working_day(self, day: date) -> date:
        """``day`` when it is a working day, else the next one."""
        index = bisect_left(self.working, day.toordinal())
        return date.fromordinal(self.working[index])

    # -- minutes within office hours ---------------------------------------------------------------
    def _minutes_of_day_until(self, minute: float) -> float:
        """Office minutes of one working day before ``minute`` of the day."""
        return sum(max(0.0, min(minute, end) - start) for start, end in self.periods)

    def _moment_in_day(self, day: date, office_minutes: float) -> datetime:
        """The moment of ``day`` at which ``office_minutes`` (0 < m ≤ day_minutes) of its office hours have passed."""
        left = office_minutes
        for start, end in self.periods:
            length = end - start
            if left <= length:
                naive = datetime.combine(day, time()) + timedelta(minutes=start + left)
                return timezone.make_aware(naive)
            left -= length
        naive = datetime.combine(day, time()) + timedelta(minutes=self.periods[-1][1])
        return timezone.make_aware(naive)

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Office minutes of working days from ``start`` to ``end`` (whole minutes, rounded down)."""
        if end <= start:
            return 0
        a, b = timezone.localtime(start), timezone.localtime(end)
        a_min = a.hour * 60 + a.minute + a.second / 60 + a.microsecond / 60e6
        b_min = b.hour * 60 + b.minute + b.second / 60 + b.microsecond / 60e6
        day_a, day_b = a.date(), b.date()
        if day_a == day_b:
            if not self.is_working(day_a):
                return 0
            return int(self._minutes_of_day_until(b_min) - self._minutes_of_day_until(a_min) + 1e-9)
        total = 0.0
        if self.is_working(day_a):
            total += self.day_minutes - self._minutes_of_day_until(a_min)
        # the whole working days strictly between the two dates
        total += self.days_between(day_a, day_b - timedelta(days=1)) * self.day_minutes
        if self.is_working(day_b):
            total += self._minutes_of_day_until(b_min)
        return int(total + 1e-9)

    def add_minutes(self, start: datetime, n: int) -> datetime:
        """The moment when ``n`` office minutes of working days have passed since ``start``."""
        if n <= 0:
            return start
        a = timezone.localtime(start)
        a_min = a.hour * 60 + a.minute + a.second / 60 + a.microsecond / 60e6
        day = a.date()
        left = float(n)
        if self.is_working(day):
            before = self._minutes_of_day_until(a_min)
            rest = self.day_minutes - before
            if left <= rest:
                return self._moment_in_day(day, before + left)
            left -= rest
        whole = -(-left // self.day_minutes)  # the working day on which the time runs out, counted from ``day``
        target = self.add_days(day, int(whole))
        return self._moment_in_day(target, left - (whole - 1) * self.day_minutes)


def _build() -> Calendar:
    from .models import CalendarDay, CalendarYear

    exceptions = dict(CalendarDay.objects.values_list("date", "working"))
    working = []
    day = date(FIRST_YEAR, 1, 1)
    last = date(LAST_YEAR, 12, 31)
    one = timedelta(days=1)
    while day <= last:
        flag = exceptions.get(day)
        if flag if flag is not None else day.weekday() < 5:
            working.append(day.toordinal())
        day += one
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return Calendar(tuple(working), exceptions, years, office_periods())


_cached: dict = {"calendar": None, "generation": None, "checked": 0.0, "in_transaction": False}


def calendar() -> Calendar:
    """The calendar in force, rebuilt when it changed (checked at most every few seconds across processes, at
    once in the process that changed it)."""
    from django.db import transaction

    from . import generations

    if _cached["in_transaction"] and not transaction.get_connection().in_atomic_block:
        # built from a change not yet committed when it was made: that transaction has ended, perhaps rolled back
        _cached["calendar"], _cached["in_transaction"] = None, False
    now = _time.monotonic()
    if _cached["calendar"] is not None and now - _cached["checked"] < _REFRESH_SECONDS:
        return _cached["calendar"]
    generation = generations.current("calendar")
    if _cached["calendar"] is None or generation != _cached["generation"]:
        _cached["calendar"] = _build()
        _cached["generation"] = generation
    _cached["checked"] = now
    return _cached["calendar"]


def forget() -> None:
    """Drop this process's copy (the calendar changed here). A change made in a transaction is forgotten again
    once the transaction has ended: were it rolled back, the copy built in between would be wrong."""
    from django.db import transaction

    _cached["calendar"] = None
    if transaction.get_connection().in_atomic_block:
        _cached["in_transaction"] = True


def is_working(day: date) -> bool:
    return calendar().is_working(day)


def add_working_days(start, n: int):
    """``start`` (a date, or a moment kept at its local time of day) moved ``n`` working days on."""
    cal = calendar()
    if isinstance(start, datetime):
        local = timezone.localtime(start)
        moved = cal.add_days(local.date(), n)
        return timezone.make_aware(datetime.combine(moved, local.time().replace(tzinfo=None)))
    return cal.add_days(start, n)


def next_working_day(day: date) -> date:
    """``day`` when it is a working day, else the next one."""
    return calendar().next_working_day(day)


def working_days_between(start: date, end: date) -> int:
    return calendar().days_between(start, end)


def add_working_minutes(start: datetime, n: int) -> datetime:
    return calendar().add_minutes(start, n)


def working_minutes_between(start: datetime, end: datetime) -> int:
    return calendar().minutes_between(start, end)


def unloaded_years(*days) -> list[int]:
    """The years of ``days`` whose official calendar is not loaded (counted Monday to Friday)."""
    loaded = calendar().years
    return sorted({day.year for day in days if day is not None} - loaded)


def calendar_warning(today: date | None = None) -> int | None:
    """The year the centre must load now: next year from 1 November when it is not loaded, this year always."""
    today = today or timezone.localdate()
    loaded = calendar().years
    if today.year not in loaded:
        return today.year
    if today.month >= 11 and today.year + 1 not in loaded:
        return today.year + 1
    return None
