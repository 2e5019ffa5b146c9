"""Loading the official working-day calendar from the maintained package (``chinesecalendar``).

The package covers the years the State Council has published; for a later year it refuses (NotImplementedError)
rather than guess, and so does ``load_year``: the centre then enters the year's days by hand (the calendar page)
once they are published, usually in November.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from . import audit, generations, workdays
from .choices import ChangeKind
from .models import CalendarDay, CalendarYear, ChangeRecord

HOLIDAY_NAMES = {
    "New Year's Day": ("元旦", "New Year's Day"),
    "Spring Festival": ("春节", "Spring Festival"),
    "Tomb-sweeping Day": ("清明节", "Tomb-sweeping Day"),
    "Labour Day": ("劳动节", "Labour Day"),
    "Dragon Boat Festival": ("端午节", "Dragon Boat Festival"),
    "National Day": ("国庆节", "National Day"),
    "Mid-autumn Festival": ("中秋节", "Mid-autumn Festival"),
    "Anti-Fascist 70th Day": ("抗战胜利70周年纪念日", "Victory Day (70th anniversary)"),
}


class YearNotPublished(Exception):
    """The package has no official days for the year (it does not guess)."""


def package_source() -> str:
    from importlib.metadata import version

    return f"chinesecalendar {version('chinesecalendar')}"


def official_days(year: int) -> list[CalendarDay]:
    """The year's days that differ from Monday to Friday, from the package; YearNotPublished when it has none."""
    import chinese_calendar

    source = package_source()
    rows = []
    day, one = date(year, 1, 1), timedelta(days=1)
    while day.year == year:
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError as error:
            raise YearNotPublished(year) from error
        weekday = day.weekday() < 5
        zh, en = HOLIDAY_NAMES.get(str(name), (str(name or ""), str(name or "")))
        if weekday and on_holiday:
            rows.append(CalendarDay(date=day, working=False, name=zh, name_en=en, source=source))
        elif not weekday and not on_holiday:  # a moved working day (调休)
            rows.append(CalendarDay(date=day, working=True, name=zh, name_en=en, source=source))
        elif not weekday and name:  # a named holiday on a weekend: kept for its name
            rows.append(CalendarDay(date=day, working=False, name=zh, name_en=en, source=source))
        day += one
    return rows


FIELDS = ("working", "name", "name_en", "source")


def load_year(year: int, *, replace: bool = True) -> int:
    """Load (or reload) ``year`` from the package; returns the number of days stored. Staff days of other years are
    never touched; ``replace=False`` leaves a year already loaded as it is.

    Only the days that differ from what is stored are written, each with its change record (core.audit, the one
    audit path): reloading an unchanged year records nothing but the year's new loading time."""
    if not replace and CalendarYear.objects.filter(year=year).exists():
        return 0
    rows = official_days(year)
    with transaction.atomic():
        stored = {day.date: day for day in CalendarDay.objects.filter(date__year=year)}
        official = {row.date for row in rows}
        gone = [day for date_, day in stored.items() if date_ not in official]
        for day in gone:
            day.delete()  # one by one: each deletion is recorded
        created, changed, records = [], [], []
        for row in rows:
            day = stored.get(row.date)
            if day is None:
                created.append(row)
                continue
            before = audit.snapshot(day)
            for name in FIELDS:
                setattr(day, name, getattr(row, name))
            after = audit.snapshot(day)
            fields = audit.changes(before, after)
            if fields:
                changed.append(day)
                records.append(
                    audit.change_record(
                        day, ChangeKind.UPDATE, {k: before[k] for k in fields}, {k: after[k] for k in fields}, fields
                    )
                )
        CalendarDay.objects.bulk_create(created)
        if changed:
            CalendarDay.objects.bulk_update(changed, list(FIELDS))
        for day in CalendarDay.objects.filter(date__in=[row.date for row in created]):
            after = audit.snapshot(day)
            records.append(audit.change_record(day, ChangeKind.CREATE, None, after, sorted(after)))
        ChangeRecord.objects.bulk_create(records)
        CalendarYear.objects.update_or_create(year=year, defaults={"source": package_source()})
        generations.bump("calendar")
    workdays.forget()
    return len(rows)


def published_years(first: int = 2004) -> list[int]:
    """The years the package publishes from ``first`` on (it refuses the years after its last one)."""
    import chinese_calendar

    years = []
    year = first
    while True:
        try:
            chinese_calendar.get_holiday_detail(date(year, 1, 1))
        except NotImplementedError:
            return years
        years.append(year)
        year += 1


def load_known_years(first: int = 2004, *, replace: bool = False) -> list[int]:
    """Every year the package publishes from ``first`` on that is not loaded (all of them with ``replace``);
    returns those loaded."""
    loaded = []
    for year in published_years(first):
        if not replace and CalendarYear.objects.filter(year=year).exists():
            continue
        load_year(year, replace=replace)
        loaded.append(year)
    return loaded
