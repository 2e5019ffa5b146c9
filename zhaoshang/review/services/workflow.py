"""The workflow of an admission review (准入评审) and the supervision after landing (批后监管).

draft → submitted (the standard set in force on the submission date is fixed) → checked (the automatic check: the
indicator table, derived when read) → scoring (reviewers and a chair assigned) → decided → committed.

Each step is a function that, in one transaction, re-reads the review's row locked (``select_for_update``) among
those the user may act on, checks its state, changes it and writes a line of its history (``ReviewEvent``); the
saves are audited like every other (BaseModel). A user who may not take the step gets ``PermissionDenied``; a step
that does not fit the review's state or data gets a ``ValidationError`` with a translated message.

The quorum: a decision needs at least ``ZHAOSHANG_REVIEW_QUORUM`` (default 1) reviewers without a conflict of
interest to have submitted their scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.accounts.choices import Role, TeamKind
from zhaoshang.core import notifications as inbox
from zhaoshang.core.choices import Action
from zhaoshang.core.conflicts import atomic_write
from zhaoshang.core.permissions import user_scope
from zhaoshang.industry.choices import ProjectType

from ..choices import ADMITTING, Decision, ReviewEventKind, ReviewKind, ReviewState
from ..models import Assignment, Commitment, Criterion, Review, ReviewEvent, Score, StandardSet, YearResult

# The kind of review a project type calls for; a type without rules cannot be reviewed.
KIND_OF_PROJECT_TYPE = {
    ProjectType.INDUSTRIAL: ReviewKind.INDUSTRIAL,
    ProjectType.INDUSTRIAL_REAL_ESTATE: ReviewKind.INDUSTRIAL_REAL_ESTATE,
    ProjectType.LOGISTICS: ReviewKind.GENERAL_WAREHOUSE,
}


def kind_for(project) -> str | None:
    return KIND_OF_PROJECT_TYPE.get(project.project_type)


def quorum() -> int:
    return settings.ZHAOSHANG_REVIEW_QUORUM


# ---------------------------------------------------------------- who may take a step


def _is_centre(user) -> bool:
    scope = user_scope(user)
    return scope.is_admin or scope.in_centre("write")


def _lock(review: Review, allowed: Q | None, message) -> Review:
    """The review's row, locked, if ``allowed`` (a condition on reviews) lets the user take the step."""
    rows = Review.objects.select_for_update(of=("self",)).select_related("project").filter(pk=review.pk)
    locked = rows.filter(allowed).first() if allowed is not None else None
    if locked is None:
        raise PermissionDenied(message)
    return locked


def _centre_q(user) -> Q | None:
    return Q() if _is_centre(user) else None


def _changeable_q(user) -> Q | None:
    """Reviews the user may change (restrict): the centre's, and the owning team's drafts."""
    return Q(pk__in=Review.objects.restrict(user, Action.CHANGE).values("pk"))


def _decider_q(user) -> Q | None:
    return Q() if _is_centre(user) else Q(chair=user.pk)


def _committer_q(user) -> Q | None:
    """The centre, or the owning team's writers once the decision admits the project."""
    if _is_centre(user):
        return Q()
    teams = user_scope(user).teams(Action.CHANGE)
    return Q(project__owner_team__in=sorted(teams), decision__in=sorted(ADMITTING)) if teams else None


def can_submit(user, review) -> bool:
    return (
        review.state == ReviewState.DRAFT and Review.objects.restrict(user, Action.CHANGE).filter(pk=review.pk).exists()
    )


def can_organise(user) -> bool:
    return _is_centre(user)


def can_decide(user, review) -> bool:
    return review.state == ReviewState.SCORING and (_is_centre(user) or review.chair_id == user.pk)


def can_commit(user, review) -> bool:
    q = _committer_q(user)
    return review.state == ReviewState.DECIDED and q is not None and Review.objects.filter(q, pk=review.pk).exists()


def can_record_result(user, review) -> bool:
    if review.state != ReviewState.COMMITTED:
        return False
    scope = user_scope(user)
    return _is_centre(user) or review.project.owner_team_id in scope.teams(Action.CHANGE)


def _state_error(review, allowed) -> ValidationError:
    return ValidationError(
        _("This review is %(state)s: this step needs it to be %(allowed)s.")
        % {"state": review.get_state_display(), "allowed": " / ".join(str(ReviewState(s).label) for s in allowed)}
    )


def _require_state(review, *allowed) -> None:
    if review.state not in allowed:
        raise _state_error(review, allowed)


def _event(review, kind, user, note: str = "") -> ReviewEvent:
    return ReviewEvent.objects.create(review=review, kind=kind, user=user, note=(note or "").strip())


# ---------------------------------------------------------------- the steps


def create(project, user, kind: str | None = None, **figures) -> Review:
    """A draft review of ``project`` (one the user may change); its kind defaults from the project's type."""
    from zhaoshang.core.permissions import can

    if not can(user, project, Action.CHANGE):
        raise PermissionDenied(_("You may not change this project."))
    kind = kind or kind_for(project)
    if kind is None:
        raise ValidationError(
            {
                "project": _("There are no admission rules for projects of type “%(type)s”: it cannot be reviewed.")
                % {"type": project.get_project_type_display()}
            }
        )
    with atomic_write():
        return Review.objects.create(project=project, kind=kind, **figures)


def submit(review: Review, user, on: date | None = None) -> Review:
    """Draft → submitted on ``on`` (default today), with the standard set in force that day; then the automatic
    check runs at once."""
    on = on or timezone.localdate()
    with atomic_write(review):
        locked = _lock(review, _changeable_q(user), _("You may not submit this review."))
        _require_state(locked, ReviewState.DRAFT)
        standard_set = StandardSet.in_force(on)
        if standard_set is None:
            raise ValidationError(
                _("No standard set is in force on %(date)s: the centre must publish one before reviews are submitted.")
                % {"date": on.isoformat()}
            )
        if not locked.site_area_mu:
            raise ValidationError({"site_area_mu": _("Give the site area before submitting.")})
        locked.standard_set = standard_set
        locked.submitted_on = on
        locked.state = ReviewState.SUBMITTED
        locked.save()
        _event(locked, ReviewEventKind.SUBMITTED, user)
        check(locked, on)
    return locked


def check(review: Review, on: date | None = None) -> Review:
    """Submitted → checked (the automatic check: its result is the indicator table, derived when read)."""
    with atomic_write(review):
        locked = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
        _require_state(locked, ReviewState.SUBMITTED)
        locked.state = ReviewState.CHECKED
        locked.checked_on = on or timezone.localdate()
        locked.save()
        _event(locked, ReviewEventKind.CHECKED, None)
    review.refresh_from_db()
    return locked


def return_to_draft(review: Review, user, reason: str) -> Review:
    """Submitted or checked → draft, by the centre, with a reason the owning team reads in the history."""
    with atomic_write(review):
        locked = _lock(review, _centre_q(user), _("Only the centre returns a review to draft."))
        _require_state(locked, ReviewState.SUBMITTED, ReviewState.CHECKED)
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Give the reason the review is returned.")})
        locked.state = ReviewState.DRAFT
        locked.standard_set = None
        locked.submitted_on = locked.checked_on = None
        locked.save()
        _event(locked, ReviewEventKind.RETURNED, user, reason)
    return locked


def reviewer_candidates():
    """The users who may be assigned: members with the reviewer role."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(memberships__role=Role.REVIEWER, is_active=True).distinct()


def assign(review: Review, user, reviewers, chair, meeting_on: date | None = None) -> Review:
    """Checked → scoring: the centre assigns the reviewers and the chair of the meeting."""
    reviewers = list(reviewers)
    with atomic_write(review):
        locked = _lock(review, _centre_q(user), _("Only the centre assigns reviewers."))
        _require_state(locked, ReviewState.CHECKED)
        if not reviewers:
            raise ValidationError({"reviewers": _("Choose at least one reviewer.")})
        candidates = set(reviewer_candidates().values_list("pk", flat=True))
        refused = [str(r) for r in reviewers if r.pk not in candidates]
        if refused:
            raise ValidationError({"reviewers": _("Not a reviewer: %(names)s.") % {"names": "、".join(refused)}})
        if chair is None:
            raise ValidationError({"chair": _("Choose the chair of the meeting.")})
        if not chair.is_active or not chair.memberships.filter(team__kind=TeamKind.CENTRE).exists():
            raise ValidationError({"chair": _("The chair is a member of the centre.")})
        if not locked.standard_set.criteria.exists():
            raise ValidationError(_("The standard set %(set)s has no scoring criteria.") % {"set": locked.standard_set})
        for reviewer in reviewers:
            Assignment.objects.get_or_create(review=locked, reviewer=reviewer)
        locked.chair = chair
        locked.meeting_on = meeting_on
        locked.state = ReviewState.SCORING
        locked.save()
        url = locked.get_absolute_url()
        for reviewer in reviewers:
            inbox.notify(reviewer, _("You are assigned to review %(project)s.") % {"project": locked.project}, url)
        inbox.notify(chair, _("You chair the review of %(project)s.") % {"project": locked.project}, url)
        names = "、".join(str(r) for r in reviewers)
        _event(
            locked,
            ReviewEventKind.ASSIGNED,
            user,
            _("Reviewers: %(names)s; chair: %(chair)s") % {"names": names, "chair": chair},
        )
    return locked


def _lock_assignment(assignment: Assignment, user, message) -> Assignment:
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("review")
        .filter(pk=assignment.pk, reviewer=user.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(message)
    return locked


def declare_conflict(assignment: Assignment, user, reason: str) -> Assignment:
    """The reviewer himself, before he submits scores, declares a conflict of interest: he is excluded and his
    scores, if any, are withdrawn."""
    with atomic_write(assignment):
        locked = _lock_assignment(assignment, user, _("Only the reviewer himself declares a conflict of interest."))
        _require_state(locked.review, ReviewState.SCORING)
        if locked.submitted_at is not None:
            raise ValidationError(_("Your scores are submitted: a conflict of interest is declared before scoring."))
        if locked.conflict:
            raise ValidationError(_("You have already declared a conflict of interest."))
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Give the reason of the conflict of interest.")})
        locked.scores.all().delete()
        locked.conflict = True
        locked.conflict_reason = reason.strip()
        locked.save()
        _event(locked.review, ReviewEventKind.CONFLICT, user, reason)
    return locked


def criteria_of(review: Review):
    return Criterion.objects.filter(standard_set=review.standard_set_id).order_by("sort", "pk")


def score(assignment: Assignment, user, points: dict, comments: dict | None = None, submit: bool = False):
    """The reviewer's points on the criteria (``{criterion or its id: points}``), changeable until he submits; with
    ``submit`` every criterion of the review's standard set must be scored."""
    comments = comments or {}
    with atomic_write(assignment):
        locked = _lock_assignment(assignment, user, _("Only the reviewer assigned scores."))
        review = locked.review
        _require_state(review, ReviewState.SCORING)
        if locked.conflict:
            raise ValidationError(_("You declared a conflict of interest: you are excluded from scoring this review."))
        if locked.submitted_at is not None:
            raise ValidationError(_("Your scores are submitted and can no longer be changed."))
        criteria = {c.pk: c for c in criteria_of(review)}
        errors = {}
        for key, value in points.items():
            criterion = criteria.get(getattr(key, "pk", key))
            if criterion is None:
                raise ValidationError(_("This criterion is not one of this review's."))
            if value in (None, ""):
                continue
            value = Decimal(value)
            if value < 0 or value > criterion.max_points:
                errors[f"points_{criterion.pk}"] = _("%(criterion)s: give between 0 and %(max)s points.") % {
                    "criterion": criterion,
                    "max": criterion.max_points,
                }
                continue
            comment = (comments.get(criterion.pk) or comments.get(key) or "").strip()
            found = locked.scores.filter(criterion=criterion).first()
            if found is None:
                Score.objects.create(assignment=locked, criterion=criterion, points=value, comment=comment)
            elif found.points != value or found.comment != comment:
                found.points, found.comment = value, comment
                found.save()
        if errors:
            raise ValidationError(errors)
        if submit:
            scored = set(locked.scores.values_list("criterion_id", flat=True))
            missing = [str(c) for pk, c in criteria.items() if pk not in scored]
            if missing:
                raise ValidationError(
                    _("Score every criterion before submitting; missing: %(names)s.") % {"names": "、".join(missing)}
                )
            locked.submitted_at = timezone.now()
            locked.save()
            _event(review, ReviewEventKind.SCORED, user)
            if not review.assignments.filter(conflict=False, submitted_at__isnull=True).exists():
                message = _("Every reviewer of %(project)s has scored: the decision can be recorded.")
                inbox.notify(review.chair, message % {"project": review.project}, review.get_absolute_url())
    return locked


def submitted_count(review: Review) -> int:
    return review.assignments.filter(conflict=False, submitted_at__isnull=False).count()


def decide(review: Review, user, decision: str, reasons: str, conditions: str = "", minutes: str = "", on=None):
    """Scoring → decided, by the chair or the centre, once the quorum of reviewers submitted their scores."""
    with atomic_write(review):
        locked = _lock(review, _decider_q(user), _("Only the chair or the centre records the decision."))
        _require_state(locked, ReviewState.SCORING)
        if decision not in Decision.values:
            raise ValidationError({"decision": _("Choose the decision.")})
        if not (reasons or "").strip():
            raise ValidationError({"reasons": _("Give the reasons of the decision.")})
        if decision == Decision.APPROVE_WITH_CONDITIONS and not (conditions or "").strip():
            raise ValidationError({"conditions": _("Give the conditions of an approval with conditions.")})
        needed = quorum()
        if submitted_count(locked) < needed:
            raise ValidationError(
                _(
                    "A decision needs the scores of at least %(needed)s reviewer(s) without a conflict of interest; "
                    "%(count)s submitted."
                )
                % {"needed": needed, "count": submitted_count(locked)}
            )
        locked.decision = decision
        locked.reasons = reasons.strip()
        locked.conditions = (conditions or "").strip() if decision == Decision.APPROVE_WITH_CONDITIONS else ""
        locked.minutes = (minutes or "").strip()
        locked.decided_on = on or timezone.localdate()
        locked.state = ReviewState.DECIDED
        locked.save()
        _event(locked, ReviewEventKind.DECIDED, user, locked.get_decision_display())
    return locked


COMMITMENT_FIELDS = (
    "investment_intensity",
    "output_per_mu",
    "tax_per_mu",
    "construction_by",
    "production_by",
    "full_production_by",
    "note",
)


def record_commitment(review: Review, user, **values) -> Commitment:
    """Decided (admitting) → committed: what the investor commits to per 亩 and by when."""
    with atomic_write(review):
        locked = _lock(review, _committer_q(user), _("Only the centre or the owning team records the commitments."))
        _require_state(locked, ReviewState.DECIDED)
        if locked.decision not in ADMITTING:
            raise ValidationError(_("The project was rejected: there are no commitments to record."))
        unknown = set(values) - set(COMMITMENT_FIELDS)
        if unknown:
            raise ValueError(f"not commitment fields: {sorted(unknown)}")
        if all(values.get(name) in (None, "") for name in ("investment_intensity", "output_per_mu", "tax_per_mu")):
            raise ValidationError(_("Give at least one committed figure per mu."))
        commitment = Commitment(review=locked, **values)
        commitment.full_clean(exclude=["review"])
        commitment.save()
        locked.state = ReviewState.COMMITTED
        locked.save()
        _event(locked, ReviewEventKind.COMMITTED, user)
    return commitment


def record_result(review: Review, user, year: int, **figures) -> YearResult:
    """A committed project's actual figures of ``year`` (批后监管)."""
    with atomic_write(review):
        locked = _lock(
            review,
            Q() if _is_centre(user) else Q(project__owner_team__in=sorted(user_scope(user).teams(Action.CHANGE))),
            _("Only the centre or the owning team records yearly results."),
        )
        _require_state(locked, ReviewState.COMMITTED)
        result = YearResult(commitment=locked.commitment, year=year, **figures)
        result.full_clean()
        result.save()
        _event(locked, ReviewEventKind.RESULT, user, str(year))
    return result


# ---------------------------------------------------------------- what the pages show


def visible_scores(review: Review, user):
    """The scores of ``review`` the user may read (his own; all once decided; all for the chair and the centre)."""
    return (
        Score.objects.restrict(user, Action.VIEW)
        .filter(assignment__review=review)
        .select_related("assignment__reviewer", "criterion")
        .order_by("assignment", "criterion__sort", "criterion__pk")
    )


@dataclass(frozen=True)
class ScoreSheet:
    reviewer: object
    assignment: Assignment
    rows: list  # (criterion, score or None)
    total: Decimal | None


def score_sheets(review: Review, user) -> list[ScoreSheet]:
    """Per reviewer whose scores the user may read: the points criterion by criterion and the total."""
    criteria = list(criteria_of(review))
    by_assignment: dict[int, dict[int, Score]] = {}
    for s in visible_scores(review, user):
        by_assignment.setdefault(s.assignment_id, {})[s.criterion_id] = s
    sheets = []
    for assignment in review.assignments.select_related("reviewer").order_by("pk"):
        found = by_assignment.get(assignment.pk)
        if not found:
            continue
        rows = [(c, found.get(c.pk)) for c in criteria]
        total = sum((s.points for s in found.values()), Decimal(0))
        sheets.append(ScoreSheet(assignment.reviewer, assignment, rows, total))
    return sheets


def my_reviews(user):
    """The reviews the user is assigned to or chairs."""
    return Review.objects.filter(Q(assignments__reviewer=user.pk) | Q(chair=user.pk)).distinct()


def work_panel(user) -> dict | None:
    """ "My work": the reviews waiting for the user's scores or decision."""
    if not user.is_authenticated:
        return None
    to_score = Review.objects.filter(
        state=ReviewState.SCORING,
        assignments__reviewer=user.pk,
        assignments__conflict=False,
        assignments__submitted_at__isnull=True,
    )
    to_decide = Review.objects.filter(state=ReviewState.SCORING, chair=user.pk)
    reviews = (to_score | to_decide).distinct().select_related("project")
    if not reviews.exists():
        return None
    items = [{"label": str(r), "url": r.get_absolute_url(), "note": r.get_state_display()} for r in reviews[:20]]
    return {
        "title": gettext_lazy("Reviews waiting for me"),
        "count": len(items),
        "items": items,
        "url": reverse("review:review-list") + "?mine=true",
    }


def project_panel(user, project) -> dict | None:
    """The project page's section "admission reviews": the project's reviews the user may read."""
    reviews = Review.objects.restrict(user, Action.VIEW).filter(project=project).order_by("-pk")
    from zhaoshang.core.permissions import can

    can_add = kind_for(project) is not None and can(user, project, Action.CHANGE) and Review.can_add(user)
    return {
        "title": gettext_lazy("Admission reviews"),
        "testid": "project-reviews",
        "items": [
            {
                "label": f"{r.get_kind_display()} · {r.get_state_display()}"
                + (f" · {r.get_decision_display()}" if r.decision else ""),
                "url": r.get_absolute_url(),
                "note": r.submitted_on.isoformat() if r.submitted_on else "",
            }
            for r in reviews
        ],
        "add_url": reverse("review:review-add") + f"?project={project.pk}" if can_add else "",
        "add_label": gettext_lazy("Start a review"),
    }
