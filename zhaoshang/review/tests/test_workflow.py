"""The workflow of an admission review, step by step, with its refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from zhaoshang.core.models import ChangeRecord, Notification
from zhaoshang.industry.choices import ProjectType
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.review.choices import Decision, ReviewEventKind, ReviewKind, ReviewState
from zhaoshang.review.models import Assignment, Review, Score
from zhaoshang.review.services import workflow
from zhaoshang.review.services.indicators import indicator_table

from .cases import another_reviewer, draft, full_marks, in_scoring, standard_set

pytestmark = pytest.mark.usefixtures("own_standards")


@pytest.fixture(autouse=True)
def in_english():
    """The messages are asserted in English (the default language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


# ---------------------------------------------------------------- creating


@pytest.mark.parametrize(
    ("project_type", "kind"),
    [
        (ProjectType.INDUSTRIAL, ReviewKind.INDUSTRIAL),
        (ProjectType.INDUSTRIAL_REAL_ESTATE, ReviewKind.INDUSTRIAL_REAL_ESTATE),
        (ProjectType.LOGISTICS, ReviewKind.GENERAL_WAREHOUSE),
    ],
)
def test_the_kind_of_a_new_review_follows_the_project_type(officer_a, outpost_a, project_type, kind):
    project = ProjectFactory(owner_team=outpost_a, project_type=project_type)
    review = workflow.create(project, officer_a)
    assert review.kind == kind and review.state == ReviewState.DRAFT


def test_a_project_type_without_rules_cannot_be_reviewed(officer_a, outpost_a):
    project = ProjectFactory(owner_team=outpost_a, project_type=ProjectType.SERVICES)
    with pytest.raises(ValidationError) as exc:
        workflow.create(project, officer_a)
    assert "cannot be reviewed" in messages_of(exc)
    assert not Review.objects.exists()


def test_another_team_cannot_start_a_review_of_a_project(officer_b, outpost_a):
    project = ProjectFactory(owner_team=outpost_a)
    with pytest.raises(PermissionDenied):
        workflow.create(project, officer_b)


# ---------------------------------------------------------------- submitting and the automatic check


def test_submitting_fixes_the_standard_set_in_force_and_checks_at_once(officer_a, outpost_a):
    older = standard_set(date(2020, 1, 1), name="旧标准")
    current = standard_set(date(2024, 1, 1), name="新标准")
    review = workflow.submit(draft(outpost_a), officer_a, on=date(2025, 5, 6))
    assert review.standard_set == current != older
    assert review.submitted_on == date(2025, 5, 6) and review.checked_on is not None
    assert review.state == ReviewState.CHECKED
    kinds = list(review.events.values_list("kind", flat=True))
    assert kinds == [ReviewEventKind.SUBMITTED, ReviewEventKind.CHECKED]
    assert ChangeRecord.objects.filter(object_id=str(review.pk), content_type__model="review").exists()


def test_the_set_in_force_on_the_submission_date_stays_after_the_standards_change(officer_a, outpost_a):
    first = standard_set(date(2024, 1, 1), intensity="300")
    review = workflow.submit(draft(outpost_a, fixed_asset_investment=Decimal("35000")), officer_a, on=date(2025, 1, 2))
    standard_set(date(2025, 6, 1), name="2025年修订", intensity="400")  # stricter: 350 per mu would fail it
    review.refresh_from_db()
    assert review.standard_set == first
    table = indicator_table(review)
    intensity = next(row for row in table.rows if row.indicator == "investment_intensity")
    assert intensity.threshold == Decimal("300") and intensity.passed is True


def test_submitting_without_a_standard_set_in_force_is_refused(officer_a, outpost_a):
    standard_set(date(2026, 1, 1))
    review = draft(outpost_a)
    with pytest.raises(ValidationError) as exc:
        workflow.submit(review, officer_a, on=date(2025, 1, 1))
    assert "No standard set is in force on 2025-01-01" in messages_of(exc)
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT and review.standard_set is None


def test_only_a_draft_is_submitted_and_only_by_those_who_may_change_it(officer_a, officer_b, outpost_a):
    standard_set()
    review = draft(outpost_a)
    with pytest.raises(PermissionDenied):
        workflow.submit(review, officer_b, on=date(2025, 1, 1))
    workflow.submit(review, officer_a, on=date(2025, 1, 1))
    with pytest.raises(PermissionDenied):  # the owning team changes drafts only
        workflow.submit(review, officer_a, on=date(2025, 1, 1))


def test_the_centre_returns_a_checked_review_to_draft_with_a_reason(officer_a, centre_officer, outpost_a):
    standard_set()
    review = workflow.submit(draft(outpost_a), officer_a, on=date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        workflow.return_to_draft(review, officer_a, "补充材料")
    with pytest.raises(ValidationError) as exc:
        workflow.return_to_draft(review, centre_officer, " ")
    assert "reason" in messages_of(exc)
    review = workflow.return_to_draft(review, centre_officer, "请补充能耗数据")
    assert review.state == ReviewState.DRAFT and review.standard_set is None
    assert review.events.last().note == "请补充能耗数据"


# ---------------------------------------------------------------- assigning, conflicts, scoring


def test_the_centre_assigns_reviewers_and_a_chair(officer_a, centre_officer, reviewer, leader, outpost_a):
    standard_set()
    review = workflow.submit(draft(outpost_a), officer_a, on=date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        workflow.assign(review, officer_a, [reviewer], leader)
    with pytest.raises(ValidationError) as exc:
        workflow.assign(review, centre_officer, [officer_a], leader)
    assert "Not a reviewer" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        workflow.assign(review, centre_officer, [reviewer], officer_a)
    assert "member of the centre" in messages_of(exc)
    review = workflow.assign(review, centre_officer, [reviewer], leader, date(2025, 2, 1))
    assert review.state == ReviewState.SCORING and review.chair == leader
    assert list(review.assignments.values_list("reviewer", flat=True)) == [reviewer.pk]
    assert Notification.objects.filter(recipient=reviewer, url=review.get_absolute_url()).exists()
    assert Notification.objects.filter(recipient=leader, url=review.get_absolute_url()).exists()


def test_a_reviewer_scores_every_criterion_and_submits(outpost_a, centre, centre_officer, reviewer, leader):
    review = in_scoring(outpost_a, centre_officer, [reviewer], leader)
    assignment = review.assignments.get()
    first, second = workflow.criteria_of(review)
    workflow.score(assignment, reviewer, {first.pk: Decimal("30")}, {first.pk: "契合"})
    with pytest.raises(ValidationError) as exc:
        workflow.score(assignment, reviewer, {}, submit=True)
    assert "missing: Technology" in messages_of(exc)
    assert not Notification.objects.filter(recipient=leader, message__contains="has scored").exists()
    workflow.score(assignment, reviewer, {first.pk: Decimal("35"), second.pk: Decimal("20")}, submit=True)
    assert Notification.objects.filter(recipient=leader, message__contains="has scored").exists()
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert sorted(assignment.scores.values_list("points", flat=True)) == [Decimal("20"), Decimal("35")]
    with pytest.raises(ValidationError) as exc:
        workflow.score(assignment, reviewer, {first.pk: Decimal("1")})
    assert "can no longer be changed" in messages_of(exc)


def test_points_beyond_full_marks_are_refused_and_nothing_is_saved(outpost_a, centre_officer, reviewer, leader):
    review = in_scoring(outpost_a, centre_officer, [reviewer], leader)
    assignment = review.assignments.get()
    first, second = workflow.criteria_of(review)
    with pytest.raises(ValidationError) as exc:
        workflow.score(assignment, reviewer, {first.pk: Decimal("10"), second.pk: Decimal("31")})
    assert "between 0 and 30" in messages_of(exc)
    assert not Score.objects.exists()


def test_only_the_reviewer_himself_scores(outpost_a, centre, centre_officer, reviewer, leader):
    review = in_scoring(outpost_a, centre_officer, [reviewer], leader)
    with pytest.raises(PermissionDenied):
        workflow.score(review.assignments.get(), another_reviewer(centre), full_marks(review))
    with pytest.raises(PermissionDenied):
        workflow.score(review.assignments.get(), centre_officer, full_marks(review))


def test_a_reviewer_with_a_declared_conflict_cannot_score(outpost_a, centre_officer, reviewer, leader):
    review = in_scoring(outpost_a, centre_officer, [reviewer], leader)
    assignment = review.assignments.get()
    with pytest.raises(ValidationError):
        workflow.declare_conflict(assignment, reviewer, "")
    workflow.declare_conflict(assignment, reviewer, "曾任该企业顾问")
    with pytest.raises(ValidationError) as exc:
        workflow.score(assignment, reviewer, full_marks(review), submit=True)
    assert "conflict of interest" in messages_of(exc)
    assert not Score.objects.exists()
    assert review.events.filter(kind=ReviewEventKind.CONFLICT, note="曾任该企业顾问").exists()


def test_a_conflict_is_declared_before_the_scores_are_submitted(outpost_a, centre_officer, reviewer, leader):
    review = in_scoring(outpost_a, centre_officer, [reviewer], leader)
    assignment = review.assignments.get()
    workflow.score(assignment, reviewer, full_marks(review), submit=True)
    with pytest.raises(ValidationError) as exc:
        workflow.declare_conflict(assignment, reviewer, "后来发现")
    assert "before scoring" in messages_of(exc)


# ---------------------------------------------------------------- deciding


def _scored(outpost_a, centre, centre_officer, reviewer, leader):
    second = another_reviewer(centre)
    review = in_scoring(outpost_a, centre_officer, [reviewer, second], leader)
    return review, second


def test_a_decision_waits_for_the_quorum_of_scores_without_conflict(
    outpost_a, centre, centre_officer, reviewer, leader
):
    review, second = _scored(outpost_a, centre, centre_officer, reviewer, leader)
    workflow.declare_conflict(review.assignments.get(reviewer=second), second, "亲属任职")
    with pytest.raises(ValidationError) as exc:
        workflow.decide(review, leader, Decision.APPROVE, "符合准入条件")
    assert "at least 1" in messages_of(exc)
    workflow.score(review.assignments.get(reviewer=reviewer), reviewer, full_marks(review), submit=True)
    with override_settings(ZHAOSHANG_REVIEW_QUORUM=2):
        with pytest.raises(ValidationError):
            workflow.decide(review, leader, Decision.APPROVE, "符合准入条件")
    review = workflow.decide(review, leader, Decision.APPROVE, "符合准入条件", minutes="会议纪要")
    assert review.state == ReviewState.DECIDED and review.decided_on is not None


def test_the_decision_needs_reasons_and_conditions_when_conditional(
    outpost_a, centre, centre_officer, reviewer, leader
):
    review, _second = _scored(outpost_a, centre, centre_officer, reviewer, leader)
    workflow.score(review.assignments.get(reviewer=reviewer), reviewer, full_marks(review), submit=True)
    with pytest.raises(ValidationError) as exc:
        workflow.decide(review, leader, Decision.REJECT, "")
    assert "reasons" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        workflow.decide(review, leader, Decision.APPROVE_WITH_CONDITIONS, "基本符合", conditions="")
    assert "conditions" in messages_of(exc)
    review.refresh_from_db()
    assert review.state == ReviewState.SCORING and review.decision == ""


def test_only_the_chair_or_the_centre_decides(outpost_a, officer_a, centre, centre_officer, reviewer, leader):
    review, _second = _scored(outpost_a, centre, centre_officer, reviewer, leader)
    workflow.score(review.assignments.get(reviewer=reviewer), reviewer, full_marks(review), submit=True)
    for user in (reviewer, officer_a):
        with pytest.raises(PermissionDenied):
            workflow.decide(review, user, Decision.APPROVE, "理由")
    review = workflow.decide(review, centre_officer, Decision.REJECT, "税收强度不足")
    assert review.decision == Decision.REJECT


# ---------------------------------------------------------------- commitments and yearly results


def _decided(outpost_a, centre_officer, reviewer, leader, decision=Decision.APPROVE):
    review = in_scoring(outpost_a, centre_officer, [reviewer], leader)
    workflow.score(review.assignments.get(), reviewer, full_marks(review), submit=True)
    return workflow.decide(review, leader, decision, "理由", conditions="条件")


def test_the_owning_team_records_the_commitments_after_an_admitting_decision(
    outpost_a, officer_a, officer_b, centre_officer, reviewer, leader
):
    review = _decided(outpost_a, centre_officer, reviewer, leader)
    with pytest.raises(PermissionDenied):
        workflow.record_commitment(review, officer_b, investment_intensity=Decimal("500"))
    with pytest.raises(ValidationError) as exc:
        workflow.record_commitment(review, officer_a)
    assert "at least one committed figure" in messages_of(exc)
    commitment = workflow.record_commitment(
        review, officer_a, investment_intensity=Decimal("500"), tax_per_mu=Decimal("20")
    )
    review.refresh_from_db()
    assert review.state == ReviewState.COMMITTED and commitment.review == review


def test_a_rejected_project_has_no_commitments(outpost_a, centre_officer, reviewer, leader):
    review = _decided(outpost_a, centre_officer, reviewer, leader, Decision.REJECT)
    with pytest.raises(ValidationError) as exc:
        workflow.record_commitment(review, centre_officer, investment_intensity=Decimal("500"))
    assert "rejected" in messages_of(exc)


def test_a_year_is_recorded_once(outpost_a, officer_a, centre_officer, reviewer, leader):
    review = _decided(outpost_a, centre_officer, reviewer, leader)
    workflow.record_commitment(review, officer_a, investment_intensity=Decimal("500"))
    workflow.record_result(review, officer_a, 2025, land_mu=Decimal("100"), investment=Decimal("40000"))
    with pytest.raises(ValidationError) as exc:
        workflow.record_result(review, officer_a, 2025, land_mu=Decimal("100"), investment=Decimal("50000"))
    assert "already recorded" in messages_of(exc)


def test_steps_out_of_order_are_refused_with_the_state(outpost_a, centre_officer, reviewer, leader):
    review = in_scoring(outpost_a, centre_officer, [reviewer], leader)
    with pytest.raises(ValidationError) as exc:
        workflow.record_commitment(review, centre_officer, investment_intensity=Decimal("1"))
    assert "Expert scoring" in messages_of(exc)
    assert not Assignment.objects.filter(review=review, conflict=True).exists()
