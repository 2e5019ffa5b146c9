"""Working-day arithmetic from the calendar kept as data (core.workdays), over the 2026 Spring Festival.

The official days of 2026, as chinesecalendar publishes them and migration core 0007 loads them: 15–23 February
off, Saturday 14 February and Saturday 28 February moved working days (调休).
"""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core import workdays
from zhaoshang.core.models import CalendarDay, CalendarYear


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def office_hours(settings):
    """Office hours 08:30–12:00 and 14:30–17:30 (the calendar reads them when it is built)."""
    settings.ZHAOSHANG_OFFICE_HOURS = "08:30-12:00,14:30-17:30"
    workdays.forget()


# ---------------------------------------------------------------- days


def test_the_official_2026_spring_festival_is_loaded(db):
    assert not workdays.is_working(date(2026, 2, 16))  # Monday, Spring Festival
    assert workdays.is_working(date(2026, 2, 14))  # Saturday, a moved working day
    assert workdays.is_working(date(2026, 2, 28))  # Saturday, a moved working day
    assert not workdays.is_working(date(2026, 3, 1))  # an ordinary Sunday
    assert workdays.unloaded_years(date(2026, 2, 16)) == []


def test_adding_working_days_skips_the_holiday_and_counts_the_moved_saturdays(db):
    assert workdays.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)  # Friday → the moved Saturday
    assert workdays.add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)  # → the first day after
    assert workdays.add_working_days(date(2026, 2, 12), 3) == date(2026, 2, 24)
    assert workdays.add_working_days(date(2026, 2, 24), 4) == date(2026, 2, 28)  # Tue–Fri, then Saturday
    assert workdays.add_working_days(date(2026, 2, 16), 1) == date(2026, 2, 24)  # from inside the holiday
    assert workdays.add_working_days(date(2026, 2, 16), 0) == date(2026, 2, 16)


def test_adding_working_days_to_a_moment_keeps_its_time_of_day(db):
    assert workdays.add_working_days(at(2026, 2, 14, 10, 30), 1) == at(2026, 2, 24, 10, 30)


def test_working_days_between_two_dates_count_the_days_after_the_first_up_to_the_second(db):
    # 14 Feb, then 24, 25, 26, 27 and the moved Saturday 28 Feb
    assert workdays.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6
    assert workdays.working_days_between(date(2026, 2, 14), date(2026, 2, 23)) == 0  # the whole holiday
    assert workdays.working_days_between(date(2026, 2, 28), date(2026, 2, 13)) == 0


def test_the_next_working_day_after_a_holiday_or_a_weekend(db):
    assert workdays.next_working_day(date(2026, 2, 15)) == date(2026, 2, 24)
    assert workdays.next_working_day(date(2026, 2, 14)) == date(2026, 2, 14)
    assert workdays.next_working_day(date(2026, 2, 28)) == date(2026, 2, 28)
    assert workdays.next_working_day(date(2026, 3, 1)) == date(2026, 3, 2)


# ---------------------------------------------------------------- minutes within office hours


def test_working_minutes_run_over_lunch(db, office_hours):
    assert workdays.add_working_minutes(at(2026, 3, 2, 11, 30), 60) == at(2026, 3, 2, 15, 0)
    assert workdays.working_minutes_between(at(2026, 3, 2, 11, 30), at(2026, 3, 2, 15, 0)) == 60
    assert workdays.working_minutes_between(at(2026, 3, 2, 12, 0), at(2026, 3, 2, 14, 30)) == 0


def test_working_minutes_run_over_the_evening_and_the_weekend(db, office_hours):
    # Friday 17:00: half an hour left that day, the rest on Monday morning
    assert workdays.add_working_minutes(at(2026, 3, 6, 17, 0), 60) == at(2026, 3, 9, 9, 0)
    # received on Friday evening: Monday 08:30 plus an hour
    assert workdays.add_working_minutes(at(2026, 3, 6, 19, 0), 60) == at(2026, 3, 9, 9, 30)
    assert workdays.working_minutes_between(at(2026, 3, 6, 19, 0), at(2026, 3, 9, 9, 30)) == 60
    # a whole working day of office hours is 390 minutes
    assert workdays.add_working_minutes(at(2026, 3, 2, 10, 0), 390) == at(2026, 3, 3, 10, 0)


def test_working_minutes_run_over_a_holiday(db, office_hours):
    # Saturday 14 February is a working day; the next after it is Tuesday 24 February
    assert workdays.add_working_minutes(at(2026, 2, 13, 17, 0), 60) == at(2026, 2, 14, 9, 0)
    assert workdays.add_working_minutes(at(2026, 2, 14, 17, 0), 60) == at(2026, 2, 24, 9, 0)
    assert workdays.working_minutes_between(at(2026, 2, 14, 17, 0), at(2026, 2, 24, 9, 0)) == 60
    assert workdays.working_minutes_between(at(2026, 2, 16, 9, 0), at(2026, 2, 16, 17, 0)) == 0


# ---------------------------------------------------------------- a year not loaded


def test_a_year_the_package_does_not_publish_is_counted_monday_to_friday_and_named(db):
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert workdays.unloaded_years(date(2026, 12, 31), date(2027, 2, 5)) == [2027]
    # Friday 5 February 2027, days before the 2027 Spring Festival: counted Monday to Friday
    assert workdays.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 8)


def test_a_year_deleted_from_the_calendar_is_counted_monday_to_friday_at_once(db):
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    assert workdays.unloaded_years(date(2026, 2, 13)) == [2026]
    assert workdays.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 16)
    assert workdays.add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 16)


def test_the_centre_is_warned_from_1_november_when_next_year_is_not_loaded(db):
    assert workdays.calendar_warning(date(2026, 10, 31)) is None
    assert workdays.calendar_warning(date(2026, 11, 1)) == 2027
    assert workdays.calendar_warning(date(2027, 3, 1)) == 2027  # this year missing: always
    CalendarYear.objects.create(year=2027, source="staff: test")
    assert workdays.calendar_warning(date(2026, 11, 1)) is None


# ---------------------------------------------------------------- an administrator's edit


def test_an_administrators_edit_of_a_day_changes_the_arithmetic_at_once(admin_user, client_for):
    assert workdays.add_working_days(date(2026, 3, 5), 1) == date(2026, 3, 6)
    client = client_for(admin_user)
    response = client.post(
        reverse("core:calendar-day-add"), {"date": "2026-03-06", "name": "特别休息日", "name_en": "Special day off"}
    )
    assert response.status_code == 302
    assert workdays.add_working_days(date(2026, 3, 5), 1) == date(2026, 3, 9)

    response = client.post(
        reverse("core:calendar-day-edit", args=["2026-02-14"]), {"date": "2026-02-14", "name": "春节"}
    )  # the moved Saturday becomes a day off
    assert response.status_code == 302
    assert workdays.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 24)

    client.post(reverse("core:calendar-day-delete", args=["2026-03-06"]))
    assert workdays.is_working(date(2026, 3, 6))


def test_a_change_rolled_back_leaves_the_arithmetic_as_it_was(transactional_db):
    from django.db import transaction

    assert workdays.is_working(date(2026, 3, 6))
    with transaction.atomic():
        CalendarDay.objects.create(date=date(2026, 3, 6), working=False, name="误录")
        assert not workdays.is_working(date(2026, 3, 6))  # the transaction sees its own change
        transaction.set_rollback(True)
    assert workdays.is_working(date(2026, 3, 6))
