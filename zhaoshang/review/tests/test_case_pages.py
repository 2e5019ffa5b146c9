"""The case pages: starting a review from a project, the steps' forms and their messages, the API's description."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhaoshang.industry.choices import ProjectType
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.review.choices import ReviewKind, ReviewState
from zhaoshang.review.models import Review
from zhaoshang.review.services import workflow

from .cases import draft, in_scoring, standard_set

pytestmark = pytest.mark.usefixtures("own_standards")


@pytest.fixture(autouse=True)
def in_english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_an_officer_starts_a_review_of_a_project_with_the_kind_of_its_type(officer_a, outpost_a, client_for):
    project = ProjectFactory(owner_team=outpost_a, project_type=ProjectType.LOGISTICS)
    client = client_for(officer_a, language="en")
    form = client.get(reverse("review:review-add"), {"project": project.pk})
    assert form.status_code == 200 and f'value="{project.pk}" selected' in form.content.decode()
    response = client.post(reverse("review:review-add"), {"project": project.pk, "kind": ""})
    review = Review.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert review.kind == ReviewKind.GENERAL_WAREHOUSE


def test_a_project_type_without_rules_is_refused_with_a_message(officer_a, outpost_a, client_for):
    project = ProjectFactory(owner_team=outpost_a, project_type=ProjectType.SERVICES)
    response = client_for(officer_a, language="en").post(reverse("review:review-add"), {"project": project.pk})
    assert response.status_code == 200
    assert "cannot be reviewed" in response.content.decode()
    assert not Review.objects.exists()


def test_another_teams_project_is_not_offered(officer_b, outpost_a, client_for):
    project = ProjectFactory(owner_team=outpost_a)
    response = client_for(officer_b, language="en").post(reverse("review:review-add"), {"project": project.pk})
    assert "project" in response.context["form"].errors
    assert not Review.objects.exists()


def test_the_centre_submits_and_assigns_on_the_page(outpost_a, centre_officer, reviewer, leader, client_for):
    standard_set(date(2000, 1, 1))
    review = draft(outpost_a)
    client = client_for(centre_officer, language="en")
    client.post(reverse("review:review-submit", args=[review.pk]))
    review.refresh_from_db()
    assert review.state == ReviewState.CHECKED
    refused = client.post(reverse("review:review-assign", args=[review.pk]), {"chair": leader.pk})
    assert refused.status_code == 400 and 'data-field="reviewers"' in refused.content.decode()
    client.post(reverse("review:review-assign", args=[review.pk]), {"reviewers": [reviewer.pk], "chair": leader.pk})
    review.refresh_from_db()
    assert review.state == ReviewState.SCORING and review.chair == leader


def test_points_beyond_full_marks_come_back_with_the_message(outpost_a, centre_officer, reviewer, leader, client_for):
    review = in_scoring(outpost_a, centre_officer, [reviewer], leader)
    assignment = review.assignments.get()
    first, second = workflow.criteria_of(review)
    response = client_for(reviewer, language="en").post(
        reverse("review:assignment-score", args=[assignment.pk]),
        {f"points_{first.pk}": "50", f"points_{second.pk}": "10", "submit": "1"},
    )
    assert response.status_code == 400
    assert "less than or equal to 40" in response.content.decode()
    assert not assignment.scores.exists()


def test_the_case_page_shows_the_history_of_its_steps(outpost_a, centre_officer, reviewer, leader, client_for):
    review = in_scoring(outpost_a, centre_officer, [reviewer], leader)
    page = client_for(centre_officer, language="en").get(review.get_absolute_url()).content.decode()
    events = page.split('data-testid="review-events"')[1]
    for step in ("Submitted", "Automatically checked", "Reviewers assigned"):
        assert step in events
    assert 'data-testid="history-link"' in page


def test_the_api_describes_the_reviews(centre_officer, api_for):
    schema = api_for(centre_officer).get(reverse("api:schema")).content.decode()
    assert "/api/review/reviews/" in schema and "/api/review/reviews/{id}/" in schema
