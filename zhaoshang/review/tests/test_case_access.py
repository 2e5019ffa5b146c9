"""Who sees and changes a case: assigned reviewers and the chair only among reviewers; scores hidden until the
decision; other teams and the public see nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.tests.factories import member
from zhaoshang.core.choices import Action
from zhaoshang.projects.models import Project
from zhaoshang.review.choices import Decision, ReviewState
from zhaoshang.review.models import Assignment, Review, Score
from zhaoshang.review.services import workflow

from .cases import another_reviewer, full_marks, in_scoring

pytestmark = pytest.mark.usefixtures("own_standards")


@pytest.fixture
def case(outpost_a, centre, centre_officer, reviewer, leader):
    """A case in scoring of outpost A's confidential project, with the reviewer and a second reviewer assigned, the
    leader chairing; the second reviewer has scored and submitted."""
    second = another_reviewer(centre)
    review = in_scoring(outpost_a, centre_officer, [reviewer, second], leader)
    Project.objects.filter(pk=review.project_id).update(confidential=True)
    comments = {pk: "第二位专家的评语" for pk in full_marks(review)}
    workflow.score(review.assignments.get(reviewer=second), second, full_marks(review), comments, submit=True)
    review.second = second
    return review


def test_an_unassigned_reviewer_sees_nothing_of_the_case(case, centre, client_for, api_for):
    outsider = another_reviewer(centre, "reviewer_three")
    client = client_for(outsider)
    assert client.get(reverse("review:review-detail", args=[case.pk])).status_code == 404
    listed = client.get(reverse("review:review-list"))
    assert listed.status_code == 200 and case.project.name not in listed.content.decode()
    assert api_for(outsider).get(reverse("api:review-detail", args=[case.pk])).status_code == 404
    assert not Score.objects.restrict(outsider).exists()
    assignment = case.assignments.get(reviewer=case.second)
    response = client.post(reverse("review:assignment-conflict", args=[assignment.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert not Assignment.objects.get(pk=assignment.pk).conflict


@pytest.mark.parametrize("who", ["officer_b", "task_force_officer", "partner_officer"])
def test_another_team_cannot_see_or_change_a_case(case, request, client_for, api_for, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(reverse("review:review-detail", args=[case.pk])).status_code == 404
    assert api_for(user).get(reverse("api:review-detail", args=[case.pk])).status_code == 404
    assert case.project.name not in client.get(reverse("review:review-list")).content.decode()
    response = client.post(reverse("review:review-decide", args=[case.pk]), {"decision": "approve", "reasons": "x"})
    assert response.status_code == 404
    assert Review.objects.get(pk=case.pk).state == ReviewState.SCORING


def test_the_public_cannot_see_or_change_a_case(case, investor):
    detail = investor.get(reverse("review:review-detail", args=[case.pk]))
    assert detail.status_code == 302 and reverse("accounts:login") in detail["Location"]
    assert investor.get(reverse("api:review-detail", args=[case.pk])).status_code in (401, 403)
    investor.post(reverse("review:review-decide", args=[case.pk]), {"decision": "approve", "reasons": "x"})
    assert Review.objects.get(pk=case.pk).state == ReviewState.SCORING


def test_an_assigned_reviewer_reads_the_case_and_its_confidential_project(case, reviewer, client_for):
    client = client_for(reviewer)
    page = client.get(reverse("review:review-detail", args=[case.pk]))
    assert page.status_code == 200 and 'data-testid="indicator-table"' in page.content.decode()
    Assignment.objects.filter(review=case, reviewer=reviewer).delete()
    assert client.get(reverse("review:review-detail", args=[case.pk])).status_code == 404


def test_an_outside_expert_reads_the_confidential_project_while_assigned(case, partner, client_for):
    """An expert of a partner agency (not a centre member, who reads every project) is let in by the grant."""
    expert = member(partner, Role.REVIEWER, username="expert")
    assert not Project.objects.restrict(expert).filter(pk=case.project_id).exists()
    Assignment.objects.create(review=case, reviewer=expert)
    assert Project.objects.restrict(expert).filter(pk=case.project_id).exists()
    assert client_for(expert).get(reverse("projects:project-detail", args=[case.project_id])).status_code == 200
    Assignment.objects.filter(review=case, reviewer=expert).delete()
    assert not Project.objects.restrict(expert).filter(pk=case.project_id).exists()


def test_a_reviewer_cannot_see_another_reviewers_score_before_the_decision(case, reviewer, leader, client_for):
    others = Score.objects.filter(assignment__reviewer=case.second)
    assert others.exists()
    assert not Score.objects.restrict(reviewer).filter(pk__in=others).exists()
    assert Score.objects.restrict(leader).filter(pk__in=others).count() == others.count()  # the chair sees them
    page = client_for(reviewer).get(reverse("review:review-detail", args=[case.pk])).content.decode()
    assert "第二位专家的评语" not in page and 'data-testid="score-sheet"' not in page
    workflow.score(case.assignments.get(reviewer=reviewer), reviewer, {workflow.criteria_of(case)[0].pk: 7})
    own = Score.objects.restrict(reviewer)
    assert list(own.values_list("points", flat=True)) == [Decimal("7")]
    workflow.decide(case, leader, Decision.APPROVE, "符合条件")
    assert Score.objects.restrict(reviewer).filter(pk__in=others).count() == others.count()
    page = client_for(reviewer).get(reverse("review:review-detail", args=[case.pk])).content.decode()
    assert "第二位专家的评语" in page


def test_the_owning_team_reads_the_scores_only_after_the_decision(case, officer_a, leader):
    assert not Score.objects.restrict(officer_a).exists()
    workflow.decide(case, leader, Decision.APPROVE, "符合条件")
    assert Score.objects.restrict(officer_a).count() == Score.objects.count()
    assert not Score.objects.restrict(officer_a, Action.CHANGE).exists()


def test_the_chair_records_the_decision_on_the_page(case, leader, client_for):
    client = client_for(leader)
    refused = client.post(reverse("review:review-decide", args=[case.pk]), {"decision": "conditions", "reasons": "可"})
    assert refused.status_code == 400
    assert 'data-field="conditions"' in refused.content.decode()
    response = client.post(
        reverse("review:review-decide", args=[case.pk]),
        {"decision": "conditions", "reasons": "基本符合", "conditions": "三年内达产"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.decision == Decision.APPROVE_WITH_CONDITIONS and case.conditions == "三年内达产"


def test_a_reviewer_who_is_not_the_chair_may_not_decide(case, reviewer, client_for):
    response = client_for(reviewer).post(
        reverse("review:review-decide", args=[case.pk]), {"decision": "approve", "reasons": "x"}
    )
    assert response.status_code == 403


def test_the_project_page_lists_its_reviews(case, officer_a, client_for):
    page = client_for(officer_a).get(reverse("projects:project-detail", args=[case.project_id])).content.decode()
    section = page.split('data-testid="project-reviews"')[1]
    assert case.get_absolute_url() in section


def test_my_cases_filter_lists_the_reviewers_cases(case, reviewer, centre_officer, client_for, api_for):
    mine = client_for(reviewer).get(reverse("review:review-list"), {"mine": "true"}).content.decode()
    assert case.project.name in mine
    api = api_for(centre_officer).get(reverse("api:review-list"), {"mine": "true"}).json()
    assert api["count"] == 0
    api = api_for(centre_officer).get(reverse("api:review-list"), {"state": "scoring"}).json()
    assert [row["id"] for row in api["results"]] == [case.pk]
