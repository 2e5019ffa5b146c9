"""Clocks (core.clocks) with a controlled clock: every moment is passed in (``at=``, ``now=``).

The subject of the clocks is a team (a model with no ``clock_alerts`` of its own): core never learns whom to tell.
March 2026 has no holiday: its working days are Monday to Friday.
"""

from datetime import date, datetime, time

import pytest
from django.utils import timezone, translation

from zhaoshang.accounts.models import Team
from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.core import clocks, workdays
from zhaoshang.core.choices import ClockAlert, ClockUnit, PauseReason
from zhaoshang.core.models import ClockExtension

DAYS = ClockUnit.WORKING_DAYS


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


@pytest.fixture
def subject(db, settings):
    settings.ZHAOSHANG_CLOCK_REMINDER_SHARES = [50, 80, 100]
    settings.ZHAOSHANG_OFFICE_HOURS = "08:30-12:00,14:30-17:30"
    workdays.forget()
    return TeamFactory(name="审批科")


def ten_days(subject, purpose="decision"):
    """Ten working days from Monday 2 March 2026, 09:00: due at the end of Monday 16 March."""
    return clocks.start(subject, purpose, 10, DAYS, at=at(2026, 3, 2, 9, 0))


# ---------------------------------------------------------------- due moments and pauses


def test_a_clock_of_working_days_is_due_at_the_end_of_the_last_day_allowed(subject):
    clock = ten_days(subject)
    assert clock.due_at == end_of(date(2026, 3, 16))
    assert clocks.remaining(clock, at(2026, 3, 4, 15, 0)) == 8


def test_a_pause_for_missing_documents_moves_the_due_date_by_exactly_the_paused_working_days(subject):
    clock = ten_days(subject)
    due = clock.due_at
    clocks.pause(clock, PauseReason.DOCUMENTS, at=at(2026, 3, 4, 10, 0), note="缺营业执照副本")
    assert clock.due_at is None  # no due moment while it stands still
    assert clocks.status(clock, at(2026, 3, 6, 10, 0)).state == "paused"
    assert clocks.remaining(clock, at(2026, 3, 6, 10, 0)) == 8  # what it counted before the pause is kept

    pause = clocks.resume(clock, at=at(2026, 3, 9, 10, 0))  # Thursday, Friday, Monday
    assert pause.units == 3
    assert clock.due_at == end_of(workdays.add_working_days(due.date(), 3)) == end_of(date(2026, 3, 19))
    assert clocks.remaining(clock, at(2026, 3, 9, 10, 0)) == 8


def test_a_pause_survives_a_change_of_the_limit_made_during_it(subject):
    clock = ten_days(subject)
    clocks.pause(clock, PauseReason.DOCUMENTS, at=at(2026, 3, 4, 10, 0))
    clocks.change_limit(clock, 15, at=at(2026, 3, 5, 10, 0))
    assert clock.due_at is None
    clocks.resume(clock, at=at(2026, 3, 9, 10, 0))
    assert clock.paused == 3
    assert clock.due_at == end_of(workdays.add_working_days(date(2026, 3, 2), 15 + 3))
    assert clocks.remaining(clock, at(2026, 3, 9, 10, 0)) == 15 - 2


def test_a_pause_survives_a_change_of_the_limit_made_after_it(subject):
    clock = ten_days(subject)
    clocks.pause(clock, PauseReason.DOCUMENTS, at=at(2026, 3, 4, 10, 0))
    clocks.resume(clock, at=at(2026, 3, 9, 10, 0))
    clocks.change_limit(clock, 12, at=at(2026, 3, 10, 10, 0))
    assert clock.paused == 3
    assert clock.due_at == end_of(workdays.add_working_days(date(2026, 3, 2), 12 + 3))
    clocks.change_limit(clock, 10, at=at(2026, 3, 10, 11, 0))
    assert clock.due_at == end_of(date(2026, 3, 19))  # as after the pause alone


def test_an_extension_adds_its_working_days_with_its_approver(subject, admin_user):
    clock = ten_days(subject)
    clocks.extend(clock, 5, "专家评审延期", admin_user, at=at(2026, 3, 10, 9, 0))
    assert clock.due_at == end_of(date(2026, 3, 23))
    extension = ClockExtension.objects.get(clock=clock)
    assert (extension.amount, extension.approved_by, extension.reason) == (5, admin_user, "专家评审延期")
    with pytest.raises(ValueError):
        clocks.extend(clock, 0, "nothing", admin_user)


def test_an_extension_after_the_escalation_lets_it_fire_again_when_overdue_again(subject, admin_user):
    clock = ten_days(subject)
    assert clocks.scan(now=at(2026, 3, 17, 9, 0))["escalation"] == 1
    clocks.extend(clock, 5, "延期", admin_user, at=at(2026, 3, 17, 10, 0))
    clock.refresh_from_db()
    assert clock.escalated_at is None
    assert clocks.scan(now=at(2026, 3, 20, 9, 0))["escalation"] == 0
    assert clocks.scan(now=at(2026, 3, 24, 9, 0))["escalation"] == 1


def test_an_extension_granted_during_a_pause_lets_the_escalation_fire_again(subject, admin_user):
    clock = ten_days(subject)
    assert clocks.scan(now=at(2026, 3, 17, 9, 0))["escalation"] == 1
    clock.refresh_from_db()
    clocks.pause(clock, PauseReason.HEARING, at=at(2026, 3, 17, 10, 0))
    clocks.extend(clock, 10, "听证", admin_user, at=at(2026, 3, 18, 10, 0))
    clocks.resume(clock, at=at(2026, 3, 19, 10, 0))
    assert clock.escalated_at is None  # due again in the future: the escalation is owed once more
    assert clocks.scan(now=at(2026, 4, 20, 9, 0))["escalation"] == 1


# ---------------------------------------------------------------- reminders and escalation


def test_reminders_at_50_80_and_100_percent_and_the_escalation_fire_once_each(subject):
    clock = ten_days(subject)
    none = {ClockAlert.REMINDER: 0, ClockAlert.ESCALATION: 0}
    assert clocks.scan(now=at(2026, 3, 9, 12, 0)) == none  # day 5 not over yet
    moments = [
        (at(2026, 3, 10, 9, 0), {ClockAlert.REMINDER: 1, ClockAlert.ESCALATION: 0}, 50),  # 5 of 10 days gone
        (at(2026, 3, 13, 9, 0), {ClockAlert.REMINDER: 1, ClockAlert.ESCALATION: 0}, 80),  # 8 of 10
        (end_of(date(2026, 3, 16)), {ClockAlert.REMINDER: 1, ClockAlert.ESCALATION: 0}, 100),  # the due moment
        (at(2026, 3, 17, 9, 0), {ClockAlert.REMINDER: 0, ClockAlert.ESCALATION: 1}, 100),  # overdue
    ]
    for moment, fired, reminded in moments:
        assert clocks.scan(now=moment) == fired
        assert clocks.scan(now=moment) == none  # scanned twice at the same moment: nothing fires again
        clock.refresh_from_db()
        assert clock.reminded == reminded
    assert clock.escalated_at == at(2026, 3, 17, 9, 0)
    assert clock.next_alert_at is None
    assert clocks.scan(now=at(2026, 4, 1, 9, 0)) == none


def test_an_overdue_clock_first_scanned_late_escalates_once_without_its_missed_reminders(subject):
    ten_days(subject)
    assert clocks.scan(now=at(2026, 3, 20, 9, 0)) == {ClockAlert.REMINDER: 0, ClockAlert.ESCALATION: 1}
    assert clocks.scan(now=at(2026, 3, 20, 9, 0)) == {ClockAlert.REMINDER: 0, ClockAlert.ESCALATION: 0}


def test_a_stopped_clock_fires_nothing(subject):
    clock = ten_days(subject)
    clocks.stop(clock, at=at(2026, 3, 3, 9, 0))
    assert clocks.scan(now=at(2026, 4, 1, 9, 0)) == {ClockAlert.REMINDER: 0, ClockAlert.ESCALATION: 0}


def test_the_model_of_the_subject_receives_its_alerts(subject, monkeypatch):
    received = []
    monkeypatch.setattr(Team, "clock_alerts", classmethod(lambda cls, alerts: received.append(alerts)), raising=False)
    clock = ten_days(subject)
    other = clocks.start(TeamFactory(name="另一科"), "decision", 2, DAYS, at=at(2026, 3, 2, 9, 0))
    clocks.scan(now=at(2026, 3, 10, 9, 0))
    assert len(received) == 1  # one call per model, with every alert of its records
    alerts = {alert.clock.pk: alert for alert in received[0]}
    assert (alerts[clock.pk].kind, alerts[clock.pk].share) == (ClockAlert.REMINDER, 50)
    assert (alerts[other.pk].kind, alerts[other.pk].share) == (ClockAlert.ESCALATION, 100)
    clocks.scan(now=at(2026, 3, 10, 9, 0))
    assert len(received) == 1  # nothing new: the hook is not called


# ---------------------------------------------------------------- working minutes: answered at minute 61


def test_a_clock_of_60_working_minutes_stopped_at_minute_61_is_late(subject):
    clock = clocks.start(subject, "contact", 60, ClockUnit.WORKING_MINUTES, at=at(2026, 3, 2, 10, 0))
    assert clock.due_at == at(2026, 3, 2, 11, 0)
    clocks.stop(clock, at=at(2026, 3, 2, 11, 1))
    status = clocks.status(clock)
    assert (status.state, status.amount) == ("late", 1)
    assert clock.on_time() is False


def test_a_clock_of_60_working_minutes_stopped_at_minute_60_is_on_time(subject):
    clock = clocks.start(subject, "contact", 60, ClockUnit.WORKING_MINUTES, at=at(2026, 3, 2, 10, 0))
    clocks.stop(clock, at=at(2026, 3, 2, 11, 0))
    assert clocks.status(clock).state == "on_time"
    assert clock.on_time() is True


# ---------------------------------------------------------------- the status in words


def test_the_status_says_what_is_left_paused_overdue_on_time_or_late(subject):
    with translation.override("en"):
        clock = ten_days(subject)
        assert clocks.status(clock, at(2026, 3, 4, 10, 0)).label == "8 working days left"
        assert clocks.status(clock, at(2026, 3, 13, 10, 0)).label == "1 working day left"
        assert clocks.status(clock, at(2026, 3, 18, 10, 0)).label == "overdue by 2 working days"
        clocks.pause(clock, PauseReason.TESTING, at=at(2026, 3, 4, 10, 0))
        assert clocks.status(clock, at(2026, 3, 5, 10, 0)).label == "paused, 8 working days left"
        clocks.stop(clock, at=at(2026, 3, 5, 10, 0))
        assert clocks.status(clock).label == "met on time"

        contact = clocks.start(subject, "contact", 60, ClockUnit.WORKING_MINUTES, at=at(2026, 3, 2, 10, 0))
        assert clocks.status(contact, at(2026, 3, 2, 10, 0)).label == "1 h (office hours) left"
        clocks.stop(contact, at=at(2026, 3, 2, 14, 35))  # due 11:00: late 11:00–12:00, then 14:30–14:35
        assert clocks.status(contact).label == "met 1 h 5 min (office hours) late"

        plan = clocks.start(subject, "plan", 24 * 60, ClockUnit.MINUTES, at=at(2026, 3, 2, 10, 0))
        assert clocks.status(plan, at(2026, 3, 3, 9, 30)).label == "30 min left"


def test_the_status_names_a_year_whose_calendar_is_not_loaded(subject):
    clock = clocks.start(subject, "decision", 20, DAYS, at=at(2026, 12, 21, 9, 0))
    assert clocks.status(clock, at(2026, 12, 22, 9, 0)).unloaded_years == (2027,)
    assert ten_days(subject, "other").due_at is not None
    assert clocks.status(clocks.clock_of(subject, "other"), at(2026, 3, 3, 9, 0)).unloaded_years == ()
