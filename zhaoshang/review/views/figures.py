"""The applicant's figures of a review: the form (with the indicator table they give), and one review's figures as
a two-column workbook to fill in and import. Changed while the review may be changed (``restrict(user, change)``:
the owning team while it is a draft, the centre's writing members)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.core import conflicts
from zhaoshang.core.choices import Action
from zhaoshang.core.conflicts import ConflictError, atomic_write
from zhaoshang.core.excel import template_filename, workbook_response
from zhaoshang.core.permissions import can

from ..forms.standards import FiguresImportForm, ReviewFiguresForm
from ..models import Review
from ..services.figures import import_figures, template_workbook
from ..services.indicators import indicator_table


def visible_review(request, pk: int, action: str = Action.VIEW) -> Review:
    """The review as the user may see it (404 otherwise); 403 when a change is asked of a reader."""
    queryset = Review.objects.restrict(request.user, Action.VIEW).select_related(
        "project__district", "project__industry_code", "zone", "industry_code", "standard_set"
    )
    review = get_object_or_404(queryset, pk=pk)
    if action != Action.VIEW and not can(request.user, review, action):
        raise PermissionDenied
    return review


def _page(request, review, form, import_form=None, status=200):
    return render(
        request,
        "review/review_figures.html",
        {
            "review": review,
            "form": form,
            "import_form": import_form or FiguresImportForm(),
            "table": indicator_table(review),
        },
        status=status,
    )


@login_required
def review_figures(request, pk: int):
    review = visible_review(request, pk, Action.CHANGE)
    form = ReviewFiguresForm(request.POST or None, instance=review, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with atomic_write(review):
                form.save()
        except ConflictError:
            form.add_error(None, conflicts.PAGE_MESSAGE)
        else:
            messages.success(request, _("The figures of %(review)s were saved.") % {"review": review})
            return redirect(reverse("review:review-figures", args=[review.pk]))
    if request.method == "POST":
        review.refresh_from_db()  # the table shows what is saved, not the refused figures
    return _page(request, review, form)


@login_required
def review_figures_template(request, pk: int):
    review = visible_review(request, pk)
    return workbook_response(template_workbook(review), template_filename(_("Figures of the review")))


@login_required
def review_figures_import(request, pk: int):
    review = visible_review(request, pk, Action.CHANGE)
    if request.method != "POST":
        return redirect(reverse("review:review-figures", args=[review.pk]))
    import_form = FiguresImportForm(request.POST, request.FILES)
    if import_form.is_valid():
        try:
            with atomic_write(review):
                saved, errors = import_figures(review, import_form.cleaned_data["file"], request.user)
        except ConflictError:
            saved, errors = False, [str(conflicts.PAGE_MESSAGE)]
        if saved:
            messages.success(request, _("The figures were imported."))
            return redirect(reverse("review:review-figures", args=[review.pk]))
        for error in errors:
            import_form.add_error("file", error)
        review.refresh_from_db()
    form = ReviewFiguresForm(instance=review, user=request.user)
    return _page(request, review, form, import_form)
