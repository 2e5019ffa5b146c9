"""Loading the official working-day calendar from the maintained package (``chinesecalendar``).

The package covers the years the State Council has published; for a later year it refuses (NotImplementedError)
rather than guess, and so does ``load_year``: the centre then enters the year's days by hand (the calendar page)
once they are published, usually in November.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from . import generations, workdays
from .models import CalendarDay, CalendarYear

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


def load_year(year: int, *, replace: bool = True) -> int:
    """Load (or reload) ``year`` from the package; returns the number of days stored. Staff days of other years are
    never touched; ``replace=False`` leaves a year already loaded as it is."""
    if not replace and CalendarYear.objects.filter(year=year).exists():
        return 0
    rows = official_days(year)
    with transaction.atomic():
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(rows)
        CalendarYear.objects.update_or_create(year=year, defaults={"source": package_source()})
        generations.bump("calendar")
    workdays.forget()
    return len(rows)


def load_known_years(first: int = 2004, *, replace: bool = False) -> list[int]:
    """Every year the package publishes from ``first`` on; returns those loaded."""
    loaded = []
    year = first
    while True:
        try:
            load_year(year, replace=replace)
        except YearNotPublished:
            return loaded
        loaded.append(year)
        year += 1
