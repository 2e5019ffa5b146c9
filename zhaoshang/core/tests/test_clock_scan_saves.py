"""The scan writes what it fired on each clock (one statement run per clock), so that nothing fires twice."""

from datetime import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from zhaoshang.accounts.models import Team
from zhaoshang.core import clocks
from zhaoshang.core.choices import ClockUnit

pytestmark = pytest.mark.django_db


def moment(day, hour=0, minute=0):
    return timezone.make_aware(datetime(2026, 11, day, hour, minute))


@pytest.fixture
def subjects():
    return [Team.objects.create(name=f"scan subject {n}") for n in range(3)]


def test_a_scan_saves_the_reminders_and_escalations_it_fired_and_the_next_scan_fires_nothing_again(subjects):
    late, halfway, early = (
        clocks.start(subject, "test", 10, ClockUnit.MINUTES, at=moment(23, 9)) for subject in subjects
    )
    late.started_at = moment(23, 8)  # due at 08:10, overdue at 09:06
    clocks.refresh(late)
    late.save()
    early.started_at = moment(23, 9, 5)
    clocks.refresh(early)
    early.save()

    assert clocks.scan(moment(23, 9, 6)) == {"reminder": 1, "escalation": 1}

    for clock in (late, halfway, early):
        clock.refresh_from_db()
    assert (late.reminded, late.escalated_at, late.next_alert_at) == (100, moment(23, 9, 6), None)
    assert (halfway.reminded, halfway.escalated_at) == (50, None)
    assert halfway.next_alert_at == moment(23, 9, 8)  # 80% of ten minutes
    assert (early.reminded, early.next_alert_at) == (0, moment(23, 9, 10))
    assert clocks.scan(moment(23, 9, 6)) == {"reminder": 0, "escalation": 0}
    assert ContentType.objects.get_for_id(late.subject_type_id).model_class() is Team
