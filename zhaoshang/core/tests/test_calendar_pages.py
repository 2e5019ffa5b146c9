"""The working-day calendar's pages: all staff read them, administrators alone change the calendar; the centre is
warned when a year's official days must be loaded; ``manage.py load_calendar``."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core import workdays
from zhaoshang.core.calendar_views import calendar_warning_panel
from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.models import CalendarDay, CalendarYear, ChangeRecord

CALENDAR = reverse("core:calendar")
ADD = reverse("core:calendar-day-add")
LOAD = reverse("core:calendar-load")


def year_url(year):
    return reverse("core:calendar-year", args=[year])


def records_of(model, **filters):
    return ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(model), **filters)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# ---------------------------------------------------------------- reading


def test_anonymous_callers_are_sent_to_log_in(investor):
    for url in (CALENDAR, year_url(2026), ADD):
        response = investor.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_every_member_of_staff_reads_the_years_loaded_and_those_the_package_publishes(officer_a, client_for):
    CalendarDay.objects.filter(date__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    response = client_for(officer_a, language="en").get(CALENDAR)
    assert response.status_code == 200
    row = next(row for row in response.context["loaded_rows"] if row.year == 2026)
    assert row.loaded.source.startswith("chinesecalendar")
    # 2026: every official day off stored (Spring Festival 15–23 Feb among them), two moved Saturdays in February
    assert row.days_off == CalendarDay.objects.filter(date__year=2026, working=False).count() > 9
    assert row.moved == CalendarDay.objects.filter(date__year=2026, working=True, date__week_day__in=[1, 7]).count()
    assert response.context["publishable"] == [2025]
    assert b"Add a day" not in response.content  # nothing to change for an officer


def test_a_year_is_twelve_month_tables_whose_days_say_what_they_are(officer_a, client_for):
    response = client_for(officer_a).get(year_url(2026))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="calendar-month"') == 12
    assert html.count("<caption") == 13  # each month, and the list of the days
    february = response.context["months"][1]
    cells = {cell["date"]: cell for week in february["weeks"] for cell in week if cell}
    assert (cells[date(2026, 2, 16)]["kind"], cells[date(2026, 2, 16)]["day"].name) == ("holiday", "春节")
    assert (cells[date(2026, 2, 14)]["kind"], cells[date(2026, 2, 21)]["kind"]) == ("moved", "holiday")
    assert cells[date(2026, 2, 7)]["kind"] == "weekend"
    english = client_for(officer_a, language="en").get(year_url(2026)).content.decode()
    assert "holiday: Spring Festival" in english
    assert "moved working day" in english
    assert "weekend" in english
    assert "/calendar/days/2026-02-14/edit/" not in english  # no edit links for an officer


def test_a_year_outside_the_calendar_is_not_found(officer_a, client_for):
    assert client_for(officer_a).get(year_url(1900)).status_code == 404


# ---------------------------------------------------------------- changing: administrators only


def test_an_officer_may_not_change_the_calendar(centre_officer, client_for):
    client = client_for(centre_officer)
    before = list(CalendarDay.objects.filter(date__year=2026).values_list("date", "working", "name"))
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"date": "2026-03-06", "name": "假"}).status_code == 403
    edit = reverse("core:calendar-day-edit", args=["2026-02-14"])
    assert client.post(edit, {"date": "2026-02-14", "name": "春节"}).status_code == 403
    assert client.post(reverse("core:calendar-day-delete", args=["2026-02-14"])).status_code == 403
    assert client.post(LOAD, {"year": "2026", "replace": "on"}).status_code == 403
    assert client.post(reverse("core:calendar-year-complete", args=[2027])).status_code == 403
    assert list(CalendarDay.objects.filter(date__year=2026).values_list("date", "working", "name")) == before
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_an_administrator_adds_edits_and_deletes_a_day_each_change_recorded(admin_user, client_for):
    client = client_for(admin_user)
    response = client.post(ADD, {"date": "2026-03-06", "name": "特别休息日", "name_en": "Special day off"})
    assert response.status_code == 302 and response["Location"] == year_url(2026)
    day = CalendarDay.objects.get(date=date(2026, 3, 6))
    assert (day.working, day.source) == (False, "staff: admin_user")
    assert records_of(CalendarDay, object_id=str(day.pk), action=ChangeKind.CREATE, user=admin_user).exists()
    assert not workdays.is_working(date(2026, 3, 6))

    edit = reverse("core:calendar-day-edit", args=["2026-03-06"])
    assert client.get(edit).status_code == 200
    client.post(edit, {"date": "2026-03-07", "working": "on", "name": "调休上班"})  # moved to the Saturday, working
    day.refresh_from_db()
    assert (day.date, day.working) == (date(2026, 3, 7), True)
    assert records_of(CalendarDay, object_id=str(day.pk), action=ChangeKind.UPDATE).exists()
    assert workdays.is_working(date(2026, 3, 7)) and workdays.is_working(date(2026, 3, 6))
    history = reverse("core:object-history", args=[ContentType.objects.get_for_model(CalendarDay).pk, day.pk])
    assert history in client.get(year_url(2026)).content.decode()
    assert "特别休息日" in client.get(history).content.decode()  # the day as it was, in its change records

    delete = reverse("core:calendar-day-delete", args=["2026-03-07"])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not CalendarDay.objects.filter(date=date(2026, 3, 7)).exists()
    assert records_of(CalendarDay, object_id=str(day.pk), action=ChangeKind.DELETE).exists()
    assert not workdays.is_working(date(2026, 3, 7))


@pytest.mark.parametrize(
    ("day", "working", "message"),
    [("2026-03-04", "on", "is a weekday"), ("2026-03-07", "", "falls at a weekend")],
)
def test_a_day_that_does_not_differ_from_monday_to_friday_and_has_no_name_is_refused(
    admin_user, client_for, day, working, message
):
    data = {"date": day, "name": ""} | ({"working": working} if working else {})
    response = client_for(admin_user, language="en").post(ADD, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["working"]
    assert message in errors["working"][0] and day in errors["working"][0]
    assert 'data-field="working"' in response.content.decode()
    assert not CalendarDay.objects.filter(date=date.fromisoformat(day)).exists()


def test_a_day_already_in_the_calendar_is_refused_on_its_date(admin_user, client_for):
    response = client_for(admin_user).post(ADD, {"date": "2026-02-16", "name": "春节"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["date"]
    assert CalendarDay.objects.filter(date=date(2026, 2, 16)).count() == 1


def test_loading_a_year_the_package_does_not_publish_is_refused_and_changes_nothing(admin_user, client_for):
    days, records = CalendarDay.objects.count(), ChangeRecord.objects.count()
    response = client_for(admin_user, language="en").post(LOAD, {"year": "2027"}, follow=True)
    (message,) = messages_of(response)
    assert "does not publish 2027 yet" in message and "by hand" in message
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert (CalendarDay.objects.count(), ChangeRecord.objects.count()) == (days, records)


def test_an_administrator_loads_a_published_year_with_its_change_records(admin_user, client_for):
    official = list(CalendarDay.objects.filter(date__year=2025).values_list("date", "working", "name"))
    CalendarDay.objects.filter(date__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    assert workdays.unloaded_years(date(2025, 10, 1)) == [2025]
    response = client_for(admin_user).post(LOAD, {"year": "2025"})
    assert response.status_code == 302
    assert list(CalendarDay.objects.filter(date__year=2025).values_list("date", "working", "name")) == official
    assert CalendarYear.objects.filter(year=2025).exists()
    assert records_of(CalendarDay, action=ChangeKind.CREATE, user=admin_user).count() == len(official)
    assert workdays.unloaded_years(date(2025, 10, 1)) == []
    assert not workdays.is_working(date(2025, 10, 1))


def test_a_year_already_loaded_is_reloaded_only_when_asked_and_then_only_what_differs_is_recorded(
    admin_user, client_for
):
    client = client_for(admin_user, language="en")
    CalendarDay.objects.filter(date=date(2026, 2, 14)).update(working=False)  # someone's mistake
    response = client.post(LOAD, {"year": "2026"}, follow=True)
    assert "already loaded" in messages_of(response)[0]
    assert not CalendarDay.objects.get(date=date(2026, 2, 14)).working
    client.post(LOAD, {"year": "2026", "replace": "on"})
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).working
    assert records_of(CalendarDay, action=ChangeKind.UPDATE).count() == 1


def test_a_year_entered_by_hand_counts_once_marked_complete(admin_user, client_for):
    client = client_for(admin_user)
    client.post(ADD, {"date": "2027-02-08", "name": "春节", "name_en": "Spring Festival"})
    assert workdays.unloaded_years(date(2027, 2, 8)) == [2027]  # still counted Monday to Friday
    complete = reverse("core:calendar-year-complete", args=[2027])
    assert client.get(complete).status_code == 200  # the confirmation
    response = client.post(complete, follow=True)
    assert "2027" in messages_of(response)[0]
    assert CalendarYear.objects.get(year=2027).source == "staff: admin_user"
    assert records_of(CalendarYear, action=ChangeKind.CREATE, user=admin_user).exists()
    assert workdays.unloaded_years(date(2027, 2, 8)) == []
    assert workdays.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 9)


# ---------------------------------------------------------------- the warning to the centre


def test_the_centre_is_warned_from_1_november_when_next_year_is_not_loaded(centre_officer, admin_user, officer_a):
    assert calendar_warning_panel(centre_officer, today=date(2026, 10, 31)) is None
    panel = calendar_warning_panel(centre_officer, today=date(2026, 11, 1))
    assert panel["value"] == 2027 and "2027" in str(panel["note"])
    assert panel["url"] == CALENDAR
    assert calendar_warning_panel(admin_user, today=date(2026, 11, 1))["value"] == 2027
    assert calendar_warning_panel(officer_a, today=date(2026, 11, 1)) is None  # an outpost: not theirs to do
    CalendarYear.objects.create(year=2027, source="staff: test")
    assert calendar_warning_panel(centre_officer, today=date(2026, 11, 1)) is None


def test_the_warning_is_on_the_home_page_and_the_calendar_page(centre_officer, officer_a, client_for):
    this_year = timezone.localdate().year  # this year missing: warned whatever the day
    CalendarYear.objects.filter(year=this_year).delete()
    home = client_for(centre_officer, language="en").get(reverse("core:home")).content.decode()
    assert f"The official working days of {this_year} are not loaded" in home
    assert f'href="{CALENDAR}"' in home
    work = client_for(centre_officer, language="en").get(reverse("my-work")).content.decode()
    assert f"The official working days of {this_year} are not loaded" in work
    page = client_for(centre_officer, language="en").get(CALENDAR).content.decode()
    assert 'data-testid="calendar-warning"' in page and str(this_year) in page
    other = client_for(officer_a, language="en").get(reverse("core:home")).content.decode()
    assert "are not loaded" not in other


def test_the_navigation_offers_the_calendar_to_staff(officer_a, client_for):
    assert f'href="{CALENDAR}"' in client_for(officer_a).get(reverse("core:home")).content.decode()


# ---------------------------------------------------------------- manage.py load_calendar


def test_load_calendar_loads_the_missing_years_and_names_the_first_it_refuses(db):
    CalendarDay.objects.filter(date__year__in=[2024, 2025]).delete()
    CalendarYear.objects.filter(year__in=[2024, 2025]).delete()
    out = StringIO()
    call_command("load_calendar", stdout=out)
    text = out.getvalue()
    assert "2024: loaded" in text and "2025: loaded" in text and "2026: loaded" not in text
    assert "2027 is the first year the package refuses" in text
    assert set(CalendarYear.objects.values_list("year", flat=True)) >= {2024, 2025, 2026}


def test_load_calendar_refuses_a_year_not_published(db):
    with pytest.raises(CommandError, match="2027"):
        call_command("load_calendar", "--year", "2027", stdout=StringIO())
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_load_calendar_leaves_a_loaded_year_unless_told_to_replace_it(db):
    CalendarDay.objects.filter(date=date(2026, 2, 14)).delete()
    out = StringIO()
    call_command("load_calendar", "--year", "2026", stdout=out)
    assert "already loaded" in out.getvalue()
    assert not CalendarDay.objects.filter(date=date(2026, 2, 14)).exists()
    call_command("load_calendar", "--year", "2026", "--replace", stdout=StringIO())
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).working
