"""The demo reviews: every state of the workflow, the named projects, reviewers who can sign in, one breach."""

from __future__ import annotations

from zhaoshang.core.demo import demo_logins
from zhaoshang.review.choices import ReviewState
from zhaoshang.review.models import Assignment, Review, YearResult
from zhaoshang.review.services import supervision


def test_the_demo_has_reviews_in_each_state_that_stays(demo, db):
    states = set(Review.objects.values_list("state", flat=True))
    # "submitted" is passed at once: the automatic check runs on submission
    assert states >= {s for s in ReviewState.values if s != ReviewState.SUBMITTED}


def test_the_named_projects_are_reviewed(demo, db):
    for start, state in [
        ("中创新航", ReviewState.COMMITTED),
        ("隆基硅能源", ReviewState.DECIDED),
        ("柏涛智能装备", ReviewState.SCORING),
        ("英国泰莱", ReviewState.CHECKED),
    ]:
        assert Review.objects.get(project__name__startswith=start).state == state, start


def test_the_demo_reviewers_sign_in_and_one_declared_a_conflict(demo, db):
    names = {username for username, _password, _who in demo_logins()}
    assert {"expert_lin", "expert_he"} <= names
    assert Assignment.objects.filter(conflict=True).exists()
    waiting = Assignment.objects.filter(reviewer__username="reviewer", submitted_at__isnull=True, conflict=False)
    assert waiting.filter(review__state=ReviewState.SCORING).exists()


def test_one_demo_result_breaches_its_commitment(demo, db):
    breaches = supervision.breaches(YearResult.objects.all())
    assert [b.project.name[:4] for b in breaches] == ["中创新航"]
    assert breaches[0].indicator == "tax_per_mu" and breaches[0].shortfall_percent > 0
