"""A project moves through its stages only by checked, dated moves, each kept in its history and the audit log.

Every refused move says why, naming the stage or the date, and changes nothing.
"""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.context import acting_as
from zhaoshang.core.models import ChangeRecord
from zhaoshang.projects.choices import Stage, TransitionKind
from zhaoshang.projects.models import Project, StageTransition
from zhaoshang.projects.services import correct_date, create_project, transition
from zhaoshang.projects.tests.factories import ProjectFactory


def today():
    """Today where the city is (read at each use: a run may pass midnight)."""
    return timezone.localdate()


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English (the source language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def project(outpost_a, officer_a):
    return ProjectFactory(owner_team=outpost_a, owner=officer_a, lead_on=days_ago(300))


def snapshot(project):
    """Everything a refused move must leave as it was: the row, its history and its change records."""
    row = Project.objects.filter(pk=project.pk).values().get()
    row.pop("updated")
    history = list(StageTransition.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    return row, history, ChangeRecord.objects.count()


def move(project, stage, day, user, **kwargs):
    with acting_as(user):
        return transition(project, stage, day, user, **kwargs)


def refused(project, stage, day, user, **kwargs) -> str:
    """Attempt a move that must be refused; the message, after checking that nothing changed."""
    before = snapshot(project)
    with pytest.raises(ValidationError) as caught:
        move(project, stage, day, user, **kwargs)
    assert snapshot(project) == before
    return " ".join(caught.value.messages)


# --- allowed moves -------------------------------------------------------------------------------------------


def test_a_project_moves_through_the_whole_chain_and_each_stage_gets_its_date(project, officer_a):
    dates = {
        Stage.CONTACT: days_ago(280),
        Stage.NEGOTIATION: days_ago(250),
        Stage.SIGNED: days_ago(200),
        Stage.LAND: days_ago(150),
        Stage.CONSTRUCTION: days_ago(100),
        Stage.PRODUCTION: days_ago(30),
        Stage.FULL_PRODUCTION: days_ago(1),
    }
    for stage, day in dates.items():
        project = move(project, stage, day, officer_a)
        assert project.stage == stage

    project.refresh_from_db()
    assert project.lead_on == days_ago(300)
    assert (project.contact_on, project.signed_on, project.full_production_on) == (
        dates[Stage.CONTACT],
        dates[Stage.SIGNED],
        dates[Stage.FULL_PRODUCTION],
    )
    assert [t.to_stage for t in project.transitions.order_by("happened_on", "pk")] == [Stage.LEAD, *dates]


def test_a_lead_may_be_signed_directly(project, officer_a):
    project = move(project, Stage.SIGNED, days_ago(10), officer_a)

    assert project.stage == Stage.SIGNED
    assert project.signed_on == days_ago(10)
    assert project.contact_on is None and project.negotiation_on is None


def test_a_stage_may_be_recorded_on_the_day_of_the_previous_one(project, officer_a):
    project = move(project, Stage.SIGNED, days_ago(300), officer_a)
    assert project.signed_on == project.lead_on


def test_a_move_may_be_dated_earlier_than_the_day_it_is_recorded(project, officer_a):
    move(project, Stage.CONTACT, days_ago(200), officer_a, note="上月已拜访，补录")

    [row] = StageTransition.objects.filter(project=project, kind=TransitionKind.ADVANCE)
    assert row.happened_on == days_ago(200)
    assert row.created.date() >= today() - timedelta(days=1)
    assert row.recorded_by == officer_a
    assert row.note == "上月已拜访，补录"


def test_a_paused_project_resumes_at_the_stage_it_was_paused_at(project, officer_a):
    project = move(project, Stage.NEGOTIATION, days_ago(200), officer_a)
    project = move(project, Stage.PAUSED, days_ago(150), officer_a, note="企业资金紧张")
    assert (project.stage, project.resume_stage, project.paused_on) == (Stage.PAUSED, Stage.NEGOTIATION, days_ago(150))

    project = move(project, Stage.NEGOTIATION, days_ago(50), officer_a)

    assert (project.stage, project.resume_stage, project.paused_on) == (Stage.NEGOTIATION, "", None)
    assert project.resumed_on == days_ago(50)
    assert project.negotiation_on == days_ago(200)
    kinds = list(project.transitions.order_by("happened_on", "pk").values_list("kind", flat=True))
    assert kinds == [TransitionKind.OPEN, TransitionKind.ADVANCE, TransitionKind.PAUSE, TransitionKind.RESUME]


def test_a_dropped_project_is_reopened_at_the_stage_it_was_dropped_from(project, officer_a):
    project = move(project, Stage.SIGNED, days_ago(100), officer_a)
    project = move(project, Stage.DROPPED, days_ago(60), officer_a, reason="企业改投他市")
    assert (project.stage, project.dropped_on, project.drop_reason) == (Stage.DROPPED, days_ago(60), "企业改投他市")

    project = move(project, Stage.SIGNED, days_ago(5), officer_a, note="企业重新回归")

    assert (project.stage, project.dropped_on, project.drop_reason) == (Stage.SIGNED, None, "")
    drop = project.transitions.get(kind=TransitionKind.DROP)
    assert drop.reason == "企业改投他市"
    assert project.transitions.filter(kind=TransitionKind.REOPEN, to_stage=Stage.SIGNED).exists()


def test_a_project_dropped_while_paused_is_reopened_at_the_stage_it_was_paused_at(project, officer_a):
    project = move(project, Stage.CONTACT, days_ago(200), officer_a)
    project = move(project, Stage.PAUSED, days_ago(150), officer_a)
    project = move(project, Stage.DROPPED, days_ago(100), officer_a, reason="长期无进展")
    project = move(project, Stage.CONTACT, days_ago(10), officer_a)
    assert project.stage == Stage.CONTACT


# --- refused moves ---------------------------------------------------------------------------------------------


def test_land_construction_and_production_are_refused_without_a_signing_date(project, officer_a):
    move(project, Stage.NEGOTIATION, days_ago(200), officer_a)
    for stage, name in [
        (Stage.LAND, "Land supplied"),
        (Stage.CONSTRUCTION, "Construction started"),
        (Stage.PRODUCTION, "Production started"),
        (Stage.FULL_PRODUCTION, "Full production"),
    ]:
        message = refused(project, stage, days_ago(100), officer_a)
        assert message == f"{name} needs a signing date: record the signing first."


def test_a_date_before_the_previous_stage_is_refused(project, officer_a):
    move(project, Stage.SIGNED, days_ago(100), officer_a)

    message = refused(project, Stage.LAND, days_ago(101), officer_a)

    assert message == (
        f"Land supplied cannot be dated {days_ago(101):%Y-%m-%d}: that is before Signed on {days_ago(100):%Y-%m-%d}."
    )


def test_a_date_in_the_future_is_refused(project, officer_a):
    tomorrow = today() + timedelta(days=1)
    message = refused(project, Stage.CONTACT, tomorrow, officer_a)
    assert message == f"{tomorrow:%Y-%m-%d} is in the future: record a change on the day it happened."


def test_a_missing_date_is_refused(project, officer_a):
    assert refused(project, Stage.CONTACT, None, officer_a) == "Give the date it happened."


def test_moving_back_is_refused_and_points_to_the_date_correction(project, officer_a):
    move(project, Stage.SIGNED, days_ago(100), officer_a)

    message = refused(project, Stage.NEGOTIATION, days_ago(10), officer_a)

    assert message == "A project cannot move back from Signed to Negotiation; correct the date of a stage instead."


def test_moving_to_the_stage_the_project_is_at_is_refused(project, officer_a):
    assert refused(project, Stage.LEAD, days_ago(10), officer_a) == "The project is already at Lead."


def test_an_unknown_stage_is_refused(project, officer_a):
    assert refused(project, "approved", days_ago(10), officer_a) == "“approved” is not a stage."


def test_dropping_without_a_reason_is_refused(project, officer_a):
    message = refused(project, Stage.DROPPED, days_ago(10), officer_a, reason="  ")
    assert message == "Give the reason for dropping the project."


def test_nothing_leaves_dropped_but_reopening_at_the_stage_it_was_dropped_from(project, officer_a):
    move(project, Stage.NEGOTIATION, days_ago(200), officer_a)
    move(project, Stage.DROPPED, days_ago(100), officer_a, reason="无意向")
    expected = "A dropped project can only be reopened, at the stage it was dropped from (Negotiation)."
    for stage in (Stage.LEAD, Stage.CONTACT, Stage.SIGNED, Stage.LAND, Stage.PAUSED):
        assert refused(project, stage, days_ago(10), officer_a) == expected


def test_a_paused_project_only_resumes_where_it_was_or_is_dropped(project, officer_a):
    move(project, Stage.CONTACT, days_ago(200), officer_a)
    move(project, Stage.PAUSED, days_ago(100), officer_a)
    expected = "A paused project resumes at the stage it was paused at (Contacted), or is dropped."
    for stage in (Stage.NEGOTIATION, Stage.SIGNED, Stage.LEAD):
        assert refused(project, stage, days_ago(10), officer_a) == expected


def test_resuming_before_the_pause_is_refused(project, officer_a):
    move(project, Stage.CONTACT, days_ago(200), officer_a)
    move(project, Stage.PAUSED, days_ago(100), officer_a)

    message = refused(project, Stage.CONTACT, days_ago(101), officer_a)

    assert "before Paused on" in message


def test_after_resuming_the_next_stage_cannot_be_dated_before_the_resumption(project, officer_a):
    move(project, Stage.CONTACT, days_ago(200), officer_a)
    move(project, Stage.PAUSED, days_ago(100), officer_a)
    move(project, Stage.CONTACT, days_ago(50), officer_a)

    message = refused(project, Stage.SIGNED, days_ago(60), officer_a)

    assert message.endswith(f"that is before Resumed on {days_ago(50):%Y-%m-%d}.")


def test_a_project_in_full_production_cannot_be_paused(project, officer_a):
    move(project, Stage.SIGNED, days_ago(200), officer_a)
    move(project, Stage.FULL_PRODUCTION, days_ago(10), officer_a)
    assert refused(project, Stage.PAUSED, days_ago(5), officer_a) == (
        "A project in full production is complete: it cannot be paused."
    )


# --- who may move a project ------------------------------------------------------------------------------------


def test_an_officer_of_another_team_cannot_move_the_project(project, officer_b):
    before = snapshot(project)
    with pytest.raises(PermissionDenied):
        transition(project, Stage.CONTACT, days_ago(1), officer_b)
    assert snapshot(project) == before


def test_a_leader_cannot_move_a_project(project, leader):
    with pytest.raises(PermissionDenied):
        transition(project, Stage.CONTACT, days_ago(1), leader)


def test_the_right_to_change_is_checked_on_the_saved_row(project, officer_a, outpost_b):
    stale = Project.objects.get(pk=project.pk)
    Project.objects.filter(pk=project.pk).update(owner_team=outpost_b)  # handed to another team meanwhile

    with pytest.raises(PermissionDenied):
        transition(stale, Stage.CONTACT, days_ago(1), officer_a)


def test_a_supporting_team_and_the_district_bureau_may_move_the_project(
    outpost_a, outpost_b, officer_b, district_officer, city
):
    from zhaoshang.geo.models import Region

    project = ProjectFactory(
        owner_team=outpost_a, supporting_teams=[outpost_b], district=Region.objects.get(adcode="440703")
    )
    project = move(project, Stage.CONTACT, days_ago(20), officer_b)
    project = move(project, Stage.NEGOTIATION, days_ago(10), district_officer)
    assert project.stage == Stage.NEGOTIATION


# --- history and audit -----------------------------------------------------------------------------------------


def project_records(project):
    content_type = ContentType.objects.get_for_model(Project)
    return list(ChangeRecord.objects.filter(content_type=content_type, object_id=str(project.pk)).order_by("pk"))


def test_each_move_writes_one_history_row_and_one_change_record_that_match(officer_a, outpost_a):
    with acting_as(officer_a):
        project = create_project(
            officer_a,
            name="新能源电池基地",
            owner_team=outpost_a,
            uscc=None,
            enterprise_name="某某新能源有限公司",
            lead_on=days_ago(100),
        )
    moves = [
        (Stage.SIGNED, days_ago(90), {}),
        (Stage.PAUSED, days_ago(80), {}),
        (Stage.SIGNED, days_ago(70), {}),
        (Stage.LAND, days_ago(60), {}),
        (Stage.DROPPED, days_ago(50), {"reason": "企业战略调整"}),
        (Stage.LAND, days_ago(40), {}),
    ]
    for stage, day, extra in moves:
        move(project, stage, day, officer_a, **extra)
    with acting_as(officer_a):
        correct_date(project, Stage.SIGNED, days_ago(95), officer_a, note="以合同落款日期为准")

    history = list(project.transitions.order_by("pk"))
    records = project_records(project)
    assert len(history) == len(records) == 1 + len(moves) + 1
    assert records[0].action == ChangeKind.CREATE and history[0].kind == TransitionKind.OPEN
    for row, record in zip(history[1:], records[1:], strict=True):
        assert record.action == ChangeKind.UPDATE
        assert record.user == officer_a
        if row.kind != TransitionKind.CORRECT:
            assert record.before["stage"] == row.from_stage
            assert record.after["stage"] == row.to_stage
        if row.kind == TransitionKind.ADVANCE:
            column = {Stage.SIGNED: "signed_on", Stage.LAND: "land_on"}[row.to_stage]
            assert record.after[column] == row.happened_on.isoformat()
    correction = history[-1]
    assert (correction.kind, correction.corrected_from, correction.happened_on) == (
        TransitionKind.CORRECT,
        days_ago(90),
        days_ago(95),
    )
    assert records[-1].before == {"signed_on": days_ago(90).isoformat()}
    assert records[-1].after == {"signed_on": days_ago(95).isoformat()}


def test_a_refused_move_leaves_no_history_and_no_change_record(project, officer_a):
    records, rows = len(project_records(project)), project.transitions.count()
    with pytest.raises(ValidationError):
        move(project, Stage.LAND, days_ago(1), officer_a)
    assert (len(project_records(project)), project.transitions.count()) == (records, rows)


# --- correcting a date -----------------------------------------------------------------------------------------


def test_a_corrected_date_must_stay_between_its_neighbours(project, officer_a):
    move(project, Stage.CONTACT, days_ago(200), officer_a)
    move(project, Stage.SIGNED, days_ago(100), officer_a)
    move(project, Stage.LAND, days_ago(50), officer_a)

    with pytest.raises(ValidationError) as too_late:
        correct_date(project, Stage.SIGNED, days_ago(40), officer_a)
    with pytest.raises(ValidationError) as too_early:
        correct_date(project, Stage.SIGNED, days_ago(210), officer_a)

    assert too_late.value.messages == [
        f"Signed cannot be dated {days_ago(40):%Y-%m-%d}: that is after Land supplied on {days_ago(50):%Y-%m-%d}."
    ]
    assert too_early.value.messages == [
        f"Signed cannot be dated {days_ago(210):%Y-%m-%d}: that is before Contacted on {days_ago(200):%Y-%m-%d}."
    ]
    project.refresh_from_db()
    assert project.signed_on == days_ago(100)


def test_a_stage_not_reached_has_no_date_to_correct(project, officer_a):
    with pytest.raises(ValidationError) as caught:
        correct_date(project, Stage.SIGNED, days_ago(10), officer_a)
    assert caught.value.messages == ["Signed was not reached: there is no date to correct."]
