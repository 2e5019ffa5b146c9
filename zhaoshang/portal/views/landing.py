"""Portal views: the city's page (the portal's landing) and the public search with its suggestions.

The landing page and the search show what an anonymous visitor may see, whoever asks (``services.search.public``).
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from zhaoshang.core.choices import Action
from zhaoshang.core.pagecache import cached_page
from zhaoshang.core.permissions import can
from zhaoshang.core.views import ObjectUpdateView
from zhaoshang.geo.services import configured_city

from ..forms.city import CityProfileForm
from ..models import CityProfile
from ..pages import LISTING_PAGE
from ..services import landing, listings
from ..services import search as public_search


def city_context() -> dict:
    """The city's name (the configured region's) and its profile, for the landing page and the public header."""
    region = configured_city()
    profile = CityProfile.current()
    return {
        "city": region,
        "city_name": region.display_name if region else "",
        "profile": listings.Localized(profile) if profile else None,
    }


@cached_page(*LISTING_PAGE)
def home(request):
    """Who the city is, the chains it seeks, its parks, key figures (each linking to its list), whom to call."""
    context = city_context()
    profile = context["profile"]
    context.update(
        chains=listings.chains_sought(request.user),
        parks=landing.parks(),
        figures=landing.figures(),
        can_edit=bool(profile) and can(request.user, profile._obj, Action.CHANGE),
    )
    return render(request, "portal/home.html", context)


@cached_page(*LISTING_PAGE)
def search_page(request):
    """Parks, sites and policies by name, listing number, district or address, grouped by kind with their counts."""
    query = public_search.clean_query(request.GET.get("q"))
    kind = request.GET.get("kind", "")
    if kind not in public_search.SEARCHES:
        kind = ""
    groups = public_search.results(query, kind, limit=200 if kind else 10)
    context = {
        "query": query,
        "kind": kind,
        "groups": [
            {
                "key": group.key,
                "label": group.label,
                "count": group.count,
                "items": [
                    {"label": public_search.label(group.key, obj), "url": obj.get_absolute_url(), "object": obj}
                    for obj in group.results
                ],
                "more": group.count > len(group.results),
            }
            for group in groups
        ],
        "total": sum(group.count for group in groups),
        "kinds": public_search.KINDS,
        "page_title": _("Search"),
    }
    return render(request, "portal/search.html", context)


class CityProfileUpdateView(ObjectUpdateView):
    model = CityProfile
    form_class = CityProfileForm


urlpatterns = [
    path("", home, name="home"),
    path("search/", search_page, name="search"),
    path("work/city/<int:pk>/edit/", CityProfileUpdateView.as_view(), name="staff-city-edit"),
]
