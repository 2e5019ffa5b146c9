"""Pages of admission reviews: the list, starting a review, the case page with its workflow panel, each step's
form (posted to its own address), and the supervision after landing.

Every record is reached through ``restrict``: a case the user may not read is 404 (an unassigned reviewer's too);
a step the user may not take is 403; a step that does not fit the case is refused with the service's message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core import conflicts
from zhaoshang.core.choices import Action
from zhaoshang.core.conflicts import ConflictError
from zhaoshang.core.excel import Column, export_workbook, workbook_response
from zhaoshang.core.views import ObjectListView, history_url, is_fragment

from ..choices import ADMITTING, ReviewState
from ..filtersets import ReviewFilterSet, SupervisionFilterSet
from ..forms.cases import (
    AssignForm,
    CommitmentForm,
    DecisionForm,
    ReasonForm,
    ReviewCreateForm,
    ScoreForm,
    YearResultForm,
)
from ..models import Assignment, Commitment, Review
from ..services import supervision, workflow
from ..services.indicators import indicator_table
from ..tables import REVIEW_TABLE


def visible_review(request, pk: int) -> Review:
    """The review (404 when the user may not read it)."""
    return get_object_or_404(
        Review.objects.restrict(request.user, Action.VIEW).select_related(
            "project", "project__district", "standard_set", "chair", "zone"
        ),
        pk=pk,
    )


class ReviewListView(ObjectListView):
    model = Review
    filterset_class = ReviewFilterSet
    table = REVIEW_TABLE
    add_url_name = "review:review-add"


@login_required
def review_add(request):
    """Start a draft review of a project the user may change; the kind defaults from the project's type."""
    if not Review.can_add(request.user):
        raise PermissionDenied
    initial = {"project": request.GET.get("project")} if request.GET.get("project") else {}
    form = ReviewCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = workflow.create(form.cleaned_data["project"], request.user, form.cleaned_data["kind"] or None)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Review of %(project)s started.") % {"project": review.project})
            return redirect(review)
    return render(request, "review/review_form.html", {"form": form})


def _detail_context(request, review: Review, forms: dict | None = None) -> dict:
    user = request.user
    forms = forms or {}
    mine = review.assignments.filter(reviewer=user.pk).first()
    scoring = review.state == ReviewState.SCORING
    context = {
        "review": review,
        "object": review,
        "project": review.project,
        "table": indicator_table(review),
        "assignments": review.assignments.select_related("reviewer").order_by("pk"),
        "sheets": workflow.score_sheets(review, user),
        "events": review.events.select_related("user").order_by("at", "pk"),
        "history_url": history_url(review),
        "commitment": Commitment.objects.restrict(user).filter(review=review).first(),
        "quorum": workflow.quorum(),
        "submitted_count": workflow.submitted_count(review),
        "my_assignment": mine,
        "in_scoring": scoring,
        "figures_url": _figures_url(review) if context_can_edit(review, user) else "",
    }
    if context["commitment"] is not None:
        results = context["commitment"].results.order_by("-year")
        context["results"] = [{"result": r, "rows": supervision.comparison(r)} for r in results]
        context["overdue"] = supervision.overdue(Commitment.objects.filter(pk=context["commitment"].pk))
    if workflow.can_submit(user, review):
        context["can_submit"] = True
    if review.state in (ReviewState.SUBMITTED, ReviewState.CHECKED) and workflow.can_organise(user):
        context["return_form"] = forms.get("return") or ReasonForm()
    if review.state == ReviewState.CHECKED and workflow.can_organise(user):
        context["assign_form"] = forms.get("assign") or AssignForm()
    if scoring and mine is not None and not mine.conflict and mine.submitted_at is None:
        context["score_form"] = forms.get("score") or ScoreForm(assignment=mine)
        context["conflict_form"] = forms.get("conflict") or ReasonForm()
    if workflow.can_decide(user, review):
        context["decision_form"] = forms.get("decide") or DecisionForm()
    if workflow.can_commit(user, review) and review.decision in ADMITTING:
        context["commitment_form"] = forms.get("commit") or CommitmentForm()
    if workflow.can_record_result(user, review):
        context["result_form"] = forms.get("result") or YearResultForm(initial={"year": timezone.localdate().year - 1})
    return context


def context_can_edit(review: Review, user) -> bool:
    return (
        review.state == ReviewState.DRAFT and Review.objects.restrict(user, Action.CHANGE).filter(pk=review.pk).exists()
    )


def _figures_url(review: Review) -> str:
    """The figures form of a draft (review:review-figures), where the app has it."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("review:review-figures", args=[review.pk])
    except NoReverseMatch:
        return ""


@login_required
def review_detail(request, pk: int):
    review = visible_review(request, pk)
    return render(request, "review/review_detail.html", _detail_context(request, review))


def _step(request, review: Review, name: str, form, run, done: str):
    """Run a workflow step from a valid form; the case page again with the form's errors otherwise."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        except ConflictError:
            form.add_error(None, conflicts.PAGE_MESSAGE)
        else:
            messages.success(request, done)
            if is_fragment(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = review.get_absolute_url()
                return response
            return redirect(review)
    review.refresh_from_db()
    context = _detail_context(request, review, {name: form})
    return render(request, "review/review_detail.html", context, status=400)


def _refuse_unless(allowed: bool):
    if not allowed:
        raise PermissionDenied


@login_required
@require_POST
def review_submit(request, pk: int):
    review = visible_review(request, pk)
    _refuse_unless(Review.objects.restrict(request.user, Action.CHANGE).filter(pk=pk).exists())
    try:
        review = workflow.submit(review, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Submitted; checked against %(set)s.") % {"set": review.standard_set})
    return redirect(review)


@login_required
@require_POST
def review_return(request, pk: int):
    review = visible_review(request, pk)
    _refuse_unless(workflow.can_organise(request.user))

    def run(data):
        workflow.return_to_draft(review, request.user, data["reason"])

    return _step(request, review, "return", ReasonForm(request.POST), run, _("Returned to draft."))


@login_required
@require_POST
def review_assign(request, pk: int):
    review = visible_review(request, pk)
    _refuse_unless(workflow.can_organise(request.user))

    def run(data):
        workflow.assign(review, request.user, data["reviewers"], data["chair"], data["meeting_on"])

    return _step(request, review, "assign", AssignForm(request.POST), run, _("Reviewers assigned."))


@login_required
@require_POST
def review_decide(request, pk: int):
    review = visible_review(request, pk)
    _refuse_unless(workflow.can_organise(request.user) or review.chair_id == request.user.pk)

    def run(data):
        workflow.decide(review, request.user, data["decision"], data["reasons"], data["conditions"], data["minutes"])

    return _step(request, review, "decide", DecisionForm(request.POST), run, _("Decision recorded."))


@login_required
@require_POST
def review_commit(request, pk: int):
    review = visible_review(request, pk)
    _refuse_unless(workflow.can_commit(request.user, review))

    def run(data):
        workflow.record_commitment(review, request.user, **data)

    return _step(request, review, "commit", CommitmentForm(request.POST), run, _("Commitments recorded."))


@login_required
@require_POST
def review_result(request, pk: int):
    review = visible_review(request, pk)
    _refuse_unless(workflow.can_record_result(request.user, review))

    def run(data):
        figures = dict(data)
        workflow.record_result(review, request.user, figures.pop("year"), **figures)

    return _step(request, review, "result", YearResultForm(request.POST), run, _("Yearly result recorded."))


def _own_assignment(request, pk: int) -> Assignment:
    """The assignment (404 when the user may not read it; 403 when it is not his own to change)."""
    assignment = get_object_or_404(
        Assignment.objects.restrict(request.user, Action.VIEW).select_related("review"), pk=pk
    )
    _refuse_unless(
        Assignment.objects.restrict(request.user, Action.CHANGE).filter(pk=pk, reviewer=request.user.pk).exists()
    )
    return assignment


@login_required
@require_POST
def assignment_score(request, pk: int):
    """Save the reviewer's points (``save``) or save and submit them (``submit``)."""
    assignment = _own_assignment(request, pk)
    form = ScoreForm(request.POST, assignment=assignment)
    submit = "submit" in request.POST

    def run(data):
        workflow.score(assignment, request.user, form.points(), form.comments(), submit=submit)

    done = _("Scores submitted.") if submit else _("Scores saved.")
    return _step(request, assignment.review, "score", form, run, done)


@login_required
@require_POST
def assignment_conflict(request, pk: int):
    assignment = _own_assignment(request, pk)

    def run(data):
        workflow.declare_conflict(assignment, request.user, data["reason"])

    done = _("Conflict of interest declared: you are excluded from this review.")
    return _step(request, assignment.review, "conflict", ReasonForm(request.POST), run, done)


# ---------------------------------------------------------------- supervision after landing


def _supervision(request):
    results = supervision.visible_results(request.user)
    filterset = SupervisionFilterSet(request.GET or None, queryset=results, request=request)
    results = filterset.qs if filterset.is_bound else filterset.queryset
    commitments = Commitment.objects.restrict(request.user)
    district = filterset.form.cleaned_data.get("district") if filterset.is_bound and filterset.form.is_valid() else None
    if district is not None:
        commitments = commitments.filter(review__project__district=district)
    return filterset, supervision.breaches(results), supervision.overdue(commitments)


@login_required
def supervision_page(request):
    """Breaches of commitments (year, project, indicator, committed, actual, shortfall) and overdue dates."""
    filterset, breaches, overdue = _supervision(request)
    return render(
        request,
        "review/supervision.html",
        {"filterset": filterset, "breaches": breaches, "overdue": overdue, "query": request.GET.urlencode()},
    )


BREACH_COLUMNS = [
    Column("year", _("Year"), getter=lambda b: b.year, width=8),
    Column("project", _("Project"), getter=lambda b: b.project.name, width=30),
    Column(
        "district", _("District"), getter=lambda b: b.project.district.display_name if b.project.district_id else ""
    ),
    Column("indicator", _("Indicator"), getter=lambda b: b.label, width=20),
    Column("committed", _("Committed (10,000 yuan per mu)"), getter=lambda b: b.committed),
    Column("actual", _("Actual (10,000 yuan per mu)"), getter=lambda b: b.actual),
    Column("shortfall", _("Shortfall (10,000 yuan per mu)"), getter=lambda b: b.shortfall),
    Column("shortfall_percent", _("Shortfall (%)"), getter=lambda b: b.shortfall_percent),
]


@login_required
def supervision_export(request):
    """The breaches of the supervision page (same filters) as a workbook."""
    _filterset, breaches, _overdue = _supervision(request)
    title = _("Breaches of commitments")
    return workbook_response(export_workbook(breaches, BREACH_COLUMNS, title), str(title))
