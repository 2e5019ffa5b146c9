"""Who takes part in a review, and what that lets them reach (grants registered in ``ReviewConfig.access_grants``).

- An assigned reviewer reads the review, its project (a confidential one too), its assignments, commitment, yearly
  results and history while assigned; he sees his own scores, and the others' only once the review is decided;
  he declares a conflict and scores on his own assignment while the review is in scoring and he has not submitted.
- The chair reads the review and its project, every score, and decides (``review.services.workflow.decide``).
- Reviewers are centre members, who read every project; a review they are not assigned to is not found (404).

The teams' and the centre's own rules are the models' ``scope_q`` (review.models.cases).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import Grant
from zhaoshang.core.choices import Action

from .choices import DECIDED_STATES, ReviewState


def _reviews_of(scope):
    """The reviews ``scope``'s user is assigned to or chairs (a subquery: no duplicate rows from joins)."""
    from .models import Assignment, Review

    assigned = Assignment.objects.filter(reviewer=scope.user_id).values("review_id")
    return Review.objects.filter(Q(pk__in=assigned) | Q(chair=scope.user_id)).values("pk")


def participant(prefix_to_review: str):
    """A rule reaching the records ``prefix_to_review`` leads from to the reviews the user takes part in."""

    def rule(scope, prefix):
        if scope.user_id is None:
            return None
        return Q(**{f"{prefix}{prefix_to_review}pk__in": _reviews_of(scope)})

    return rule


def project_of_participant(scope, prefix):
    """A reviewer assigned to a review, or its chair, reads its project (a confidential one too)."""
    if scope.user_id is None:
        return None
    from .models import Review

    return Q(**{f"{prefix}pk__in": Review.objects.filter(pk__in=_reviews_of(scope)).values("project_id")})


def own_assignment(scope, prefix):
    """The reviewer himself, on a review in scoring, until he submits: declares a conflict, scores."""
    if scope.user_id is None:
        return None
    return Q(
        **{
            f"{prefix}reviewer": scope.user_id,
            f"{prefix}review__state": ReviewState.SCORING,
            f"{prefix}submitted_at__isnull": True,
        }
    )


def readable_score(scope, prefix):
    """His own scores; all scores of a review he chairs; the other reviewers' once the review is decided."""
    if scope.user_id is None:
        return None
    from .models import Review

    chaired = Review.objects.filter(chair=scope.user_id).values("pk")
    decided = Q(**{f"{prefix}assignment__review__state__in": DECIDED_STATES}) & Q(
        **{f"{prefix}assignment__review__pk__in": _reviews_of(scope)}
    )
    return (
        Q(**{f"{prefix}assignment__reviewer": scope.user_id})
        | Q(**{f"{prefix}assignment__review__pk__in": chaired})
        | decided
    )


def own_open_score(scope, prefix):
    """His own score, while he may still change it (the review in scoring, not submitted, no conflict)."""
    if scope.user_id is None:
        return None
    return Q(
        **{
            f"{prefix}assignment__reviewer": scope.user_id,
            f"{prefix}assignment__review__state": ReviewState.SCORING,
            f"{prefix}assignment__submitted_at__isnull": True,
            f"{prefix}assignment__conflict": False,
        }
    )


VIEWING = (Action.VIEW,)

GRANTS = [
    Grant("projects.Project", VIEWING, project_of_participant, _("A reviewer or chair reads the project reviewed")),
    Grant("review.Review", VIEWING, participant(""), _("A reviewer or chair reads the review")),
    Grant("review.Assignment", VIEWING, participant("review__"), _("A reviewer or chair reads the assignments")),
    Grant("review.Commitment", VIEWING, participant("review__"), _("A reviewer or chair reads the commitment")),
    Grant(
        "review.YearResult", VIEWING, participant("commitment__review__"), _("A reviewer or chair reads the results")
    ),
    Grant("review.ReviewEvent", VIEWING, participant("review__"), _("A reviewer or chair reads the review's history")),
    Grant(
        "review.Assignment",
        (Action.CHANGE,),
        own_assignment,
        _("A reviewer declares a conflict and scores on his own assignment"),
    ),
    Grant("review.Score", VIEWING, readable_score, _("A reviewer reads his own scores, and all once decided")),
    Grant("review.Score", (Action.CHANGE,), own_open_score, _("A reviewer changes his scores until he submits")),
]
