"""Two people taking the same step at the same moment: one decision, one commitment, never two."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.accounts.choices import Role, TeamKind
from zhaoshang.accounts.tests.factories import TeamFactory, member
from zhaoshang.core.conflicts import ConflictError
from zhaoshang.core.testing import at_once, file_database
from zhaoshang.review.choices import Decision, ReviewEventKind, ReviewState
from zhaoshang.review.models import Commitment, Review, ReviewEvent
from zhaoshang.review.services import workflow

from .cases import full_marks, in_scoring

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case(tmp_path, transactional_db):
    with file_database(tmp_path / "review.sqlite3"):
        centre = TeamFactory(name="市投资促进中心", kind=TeamKind.CENTRE)
        outpost = TeamFactory(name="驻深圳招商联络处")
        officer = member(centre, Role.OFFICER, username="centre_officer")
        reviewer = member(centre, Role.REVIEWER, username="reviewer")
        chair = member(centre, Role.TEAM_LEAD, username="chair")
        review = in_scoring(outpost, officer, [reviewer], chair)
        workflow.score(review.assignments.get(), reviewer, full_marks(review), submit=True)
        yield review, officer, chair


def test_the_chair_and_the_centre_deciding_at_once_record_one_decision(case):
    review, officer, chair = case
    results = at_once(
        lambda: workflow.decide(Review.objects.get(pk=review.pk), chair, Decision.APPROVE, "符合条件"),
        lambda: workflow.decide(Review.objects.get(pk=review.pk), officer, Decision.REJECT, "不符合"),
    )
    won = [r for r in results if isinstance(r, Review)]
    lost = [r for r in results if not isinstance(r, Review)]
    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], ValidationError | ConflictError), lost[0]
    saved = Review.objects.get(pk=review.pk)
    assert saved.state == ReviewState.DECIDED and saved.decision == won[0].decision
    assert ReviewEvent.objects.filter(review=review, kind=ReviewEventKind.DECIDED).count() == 1


def test_commitments_recorded_twice_at_once_are_recorded_once(case):
    review, officer, chair = case
    workflow.decide(review, chair, Decision.APPROVE, "符合条件")
    results = at_once(
        *(
            lambda: workflow.record_commitment(
                Review.objects.get(pk=review.pk), officer, investment_intensity=Decimal("500")
            )
            for _ in range(2)
        )
    )
    assert sum(isinstance(r, Commitment) for r in results) == 1
    assert Commitment.objects.filter(review=review).count() == 1
    assert Review.objects.get(pk=review.pk).state == ReviewState.COMMITTED
