"""Portal views: matching (按图索骥, 精准对接) and saved proposals.

The matching page is a GET form: without JavaScript it reloads with the results; with htmx the same URL
answers with the results fragment only. A proposal is saved by POST and then found by its link only.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path, reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from zhaoshang.core.choices import Action
from zhaoshang.core.pagecache import cached_page
from zhaoshang.core.views import is_fragment

from ..forms.matching import MatchForm, ProposalSaveForm
from ..models import Proposal
from ..pages import LISTING_PAGE
from ..services import compare, listings
from ..services.matching import Needs, proposal_guides, proposal_sites, rank, save_proposal
from ..services.pdf import proposal_pdf as build_pdf
from ..services.qr import qr_response

HIDDEN_SKIP = {"csrfmiddlewaretoken", "title", "page"}


def _results_context(request, form, matches, query) -> dict:
    staff = request.user.is_authenticated
    rows = []
    for match in matches or ():
        rows.append(
            {
                "match": match,
                "carrier": match.carrier,
                "badges": listings.staff_badges(match.carrier) if staff else [],
                "policies": [listings.Localized(policy) for policy in match.policies],
            }
        )
    return {
        "form": form,
        "matches": matches,
        "rows": rows,
        "staff": staff,
        "save_fields": [(name, value) for name, values in query.lists() if name not in HIDDEN_SKIP for value in values],
    }


@cached_page(*LISTING_PAGE)
def match(request):
    """The needs form and the ranked sites, each criterion explained."""
    form = MatchForm(request.GET or None, user=request.user)
    matches = rank(form.needs(), user=request.user) if form.is_bound and form.is_valid() else None
    context = _results_context(request, form, matches, request.GET)
    template = "portal/_match_results.html" if is_fragment(request) else "portal/match.html"
    return render(request, template, context)


@require_POST
def proposal_save(request):
    """Rank the submitted needs again and save the result as a proposal (public sites only), then show it."""
    form = ProposalSaveForm(request.POST, user=request.user)
    if form.is_valid():
        proposal = save_proposal(form.needs(), language=get_language(), title=form.cleaned_data["title"])
        return redirect(proposal)
    needs_valid = set(form.errors) <= {"title"}
    matches = rank(form.needs(), user=request.user) if needs_valid else None
    context = _results_context(request, form, matches, request.POST)
    context["title_form"] = form
    return render(request, "portal/match.html", context)


def _proposal(request, token) -> Proposal:
    return get_object_or_404(Proposal.objects.restrict(request.user, Action.VIEW), token=token)


def proposal_detail(request, token):
    """A saved proposal: needs, map, sites with scores and criteria, guides, policies, contacts, QR, inquiry."""
    proposal = _proposal(request, token)
    sites = proposal_sites(proposal)
    needs = Needs.from_dict(proposal.needs)
    guides = proposal_guides(sites)
    context = {
        "object": proposal,
        "needs_summary": needs.summary(),
        "sites": sites,
        "guides": guides,
        "guide_types": [guide["project_type"] for guide in guides],
        "map_data": {
            "regions": reverse("api:region-geojson") + f"?parent={settings.ZHAOSHANG_CITY_ADCODE}",
            "sites": [site.point() for site in sites],
        },
        "qr_svg": reverse("portal:proposal-qr", args=[proposal.token, "svg"]),
        "qr_png": reverse("portal:proposal-qr", args=[proposal.token, "png"]),
        "pdf_url": reverse("portal:proposal-pdf", args=[proposal.token]),
        "from_comparison": compare.from_comparison(proposal),
        "compare_url": compare.proposal_compare_url(sites),
    }
    return render(request, "portal/proposal_detail.html", context)


def proposal_qr(request, token, fmt):
    proposal = _proposal(request, token)
    return qr_response(request, proposal.get_absolute_url(), fmt)


def proposal_pdf(request, token):
    """The proposal as a PDF in the reader's language (Chinese names always in Chinese)."""
    proposal = _proposal(request, token)
    data = build_pdf(proposal, request.build_absolute_uri(proposal.get_absolute_url()))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proposal-{proposal.token}.pdf"'
    return response


urlpatterns = [
    path("match/", match, name="match"),
    path("match/save/", proposal_save, name="proposal-save"),
    path("proposals/<str:token>/", proposal_detail, name="proposal-detail"),
    re_path(r"^proposals/(?P<token>[\w-]+)/qr\.(?P<fmt>svg|png)$", proposal_qr, name="proposal-qr"),
    path("proposals/<str:token>/pdf/", proposal_pdf, name="proposal-pdf"),
]
