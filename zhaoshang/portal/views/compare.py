"""Portal views: the comparison of two to four sites (page, PDF) and saving it as a proposal.

Addresses name the sites with the ``sites`` parameter repeated, in the order of the columns:
``/compare/?sites=12&sites=7&sites=30``. Each site is read through ``restrict(request.user, "view")``: a site the
visitor may not see is refused with a message (404), as are a malformed number and more than four sites (400);
fewer than two is the page that offers sites to add. The rows come from ``portal.services.compare``, shared by
the page and the PDF.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core.api.throttling import allow

from ..forms.compare import ComparisonSaveForm
from ..services import compare as service
from ..services.pdf import comparison_pdf

THROTTLE_SCOPE = "matching"  # the rate of saving a proposal (the API's proposal save)


def _context(request, comparison=None, form=None, suggest_for=None, **extra) -> dict:
    """The page's context; sites to add are offered for ``suggest_for`` (the compared sites by default)."""
    sites = comparison.sites if comparison is not None else []
    return {
        "comparison": comparison,
        "sites": sites,
        "columns": [{"site": site, "remove_url": comparison.without(site.pk)} for site in sites],
        "max_sites": service.MAX_SITES,
        "min_sites": service.MIN_SITES,
        "save_form": form or ComparisonSaveForm(),
        "pdf_url": comparison.url("portal:compare-pdf") if comparison is not None else "",
        "suggestions": _suggestions(request, sites if suggest_for is None else suggest_for),
        **extra,
    }


def _suggestions(request, sites) -> list[dict]:
    ids = [site.pk for site in sites]
    return [
        {"site": site, "url": service.compare_url([*ids, site.pk])} for site in service.suggestions(sites, request.user)
    ]


def _problem(request, error: service.ComparisonError, status: int | None = None):
    """The page with the reason the sites cannot be compared, the sites that can stay, and sites to add."""
    kept = []
    if error.keep:
        try:
            kept = service.load_sites(error.keep, request.user)
        except service.ComparisonError:
            kept = []
    ids = [site.pk for site in kept]
    context = _context(
        request,
        suggest_for=kept,
        error=error.message,
        kept=[{"site": site, "without": service.compare_url([pk for pk in ids if pk != site.pk])} for site in kept],
        kept_url=service.compare_url(ids) if len(ids) >= service.MIN_SITES else "",
    )
    return render(request, "portal/compare.html", context, status=status or error.status)


def _comparison(request, values):
    return service.compare(service.parse_ids(values), request.user)


def compare(request):
    """The sites side by side, one row per fact, the best value of a row marked."""
    try:
        comparison = _comparison(request, request.GET.getlist(service.PARAMETER))
    except service.ComparisonError as error:
        return _problem(request, error)
    return render(request, "portal/compare.html", _context(request, comparison))


def compare_pdf(request):
    """The comparison as a PDF in the reader's language (the same rows as the page)."""
    try:
        comparison = _comparison(request, request.GET.getlist(service.PARAMETER))
    except service.ComparisonError as error:
        return _problem(request, error, status=400 if error.status == 200 else None)  # no PDF of one site
    data = comparison_pdf(comparison, request.build_absolute_uri(comparison.url()))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="site-comparison.pdf"'
    return response


@require_POST
def compare_save(request):
    """Save the compared sites, in their order, as a proposal (public sites only) and show it. Rate-limited as
    saving a proposal is."""
    values = request.POST.getlist(service.PARAMETER)
    allowed, wait = allow(request, THROTTLE_SCOPE)
    if not allowed:
        message = _("Too many proposals were saved from this address. Please wait a few minutes and try again.")
        try:
            ids = service.parse_ids(values)
        except service.ComparisonError:
            ids = []
        response = _problem(request, service.ComparisonError(message, 429, keep=ids[: service.MAX_SITES]))
        if wait:
            response["Retry-After"] = str(wait)
        return response
    form = ComparisonSaveForm(request.POST)
    try:
        ids = service.parse_ids(values)
        if not form.is_valid():
            comparison = service.compare(ids, request.user)
            return render(request, "portal/compare.html", _context(request, comparison, form), status=400)
        proposal = service.save_as_proposal(ids, language=get_language(), title=form.cleaned_data["title"])
    except service.ComparisonError as error:
        return _problem(request, error)
    return redirect(proposal)


urlpatterns = [
    path("compare/", compare, name="compare"),
    path("compare/pdf/", compare_pdf, name="compare-pdf"),
    path("compare/save/", compare_save, name="compare-save"),
]
