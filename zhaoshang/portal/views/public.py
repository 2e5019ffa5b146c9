"""Portal views: the public investment map (招商地图), park and site pages, landing guides, policies, QR codes.

Every record is reached through ``restrict(request.user, "view")``: an anonymous investor reaches published,
current listings only (anything else is 404); staff see all, with badges saying why a listing is hidden.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import path, re_path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhaoshang.core.pagecache import cached_page
from zhaoshang.geo import services as geo_services
from zhaoshang.geo.choices import Availability, CarrierKind, RegionLevel
from zhaoshang.geo.models import Carrier, Park, Region
from zhaoshang.industry.choices import CodeLevel, ProjectType
from zhaoshang.industry.models import IndustryCode

from ..filtersets import CarrierFilterSet, PolicyFilterSet
from ..models import Guide, GuideStep, Policy
from ..pages import CONTENT_PAGE, LISTING_PAGE
from ..services import listings
from ..services.qr import qr_response

MAP_FILTERS = (
    "chain",
    "industry",
    "district",
    "kind",
    "area_min",
    "area_max",
    "price_max",
    "rent_max",
    "power_min",
    "wastewater_min",
    "availability",
)
PARK_SITES_SHOWN = 50


def _visible(queryset, request, **lookup):
    return get_object_or_404(queryset.restrict(request.user, "view"), **lookup)


def _staff_badges(request, listing) -> list:
    return listings.staff_badges(listing) if request.user.is_authenticated else []


def _qr_context(name: str, pk=None) -> dict:
    args = [pk] if pk is not None else []
    return {
        "qr_svg": reverse(name, args=[*args, "svg"]),
        "qr_png": reverse(name, args=[*args, "png"]),
    }


def _city_districts():
    city = settings.ZHAOSHANG_CITY_ADCODE
    return Region.objects.filter(parent__adcode=city, level=RegionLevel.DISTRICT).defer("boundary").order_by("adcode")


@cached_page(*LISTING_PAGE)
def map_view(request):
    """The full-screen investment map: parks, sites in the viewport, filters, the synchronised list."""
    chains = listings.chains_sought(request.user)
    filterset = CarrierFilterSet(request.GET or None, queryset=Carrier.objects.none(), request=request)
    form = filterset.form
    form.fields["chain"].queryset = chains
    form.fields["district"].queryset = _city_districts()
    form.fields["chain"].empty_label = _("All chains")
    form.fields["district"].empty_label = _("All districts")
    if request.GET:
        form.is_valid()  # shows a malformed value's message beside its field; the map then ignores it
    city_region = geo_services.configured_city()
    bbox = city_region.bbox if city_region else None
    config = {
        "lang": get_language(),
        "bounds": [[bbox[1], bbox[0]], [bbox[3], bbox[2]]] if bbox else None,
        "regions": reverse("api:region-geojson") + f"?parent={settings.ZHAOSHANG_CITY_ADCODE}",
        "sites": reverse("api:portal-site-geojson"),
        "parks": reverse("api:portal-park-geojson"),
        "tiles": settings.ZHAOSHANG_ONLINE_TILES,
        "tilesAttribution": settings.ZHAOSHANG_ONLINE_TILES_ATTRIBUTION,
        "kinds": dict(CarrierKind.choices),
        "availability": dict(Availability.choices),
        "text": {
            "inView": _("%(count)s sites in view"),
            "truncated": _("showing the first %(shown)s sites in view: zoom in or filter to see the rest"),
            "none": _("No site in view matches. Zoom out or change the filters."),
            "error": _("The sites could not be loaded. Check the filters or try again."),
            "online": _("Online map"),
            "districts": _("Districts"),
            "parks": _("Parks"),
            "sites": _("Sites"),
            "mu": _("mu"),
            "m2": _("m²"),
            "landPrice": _("10,000 yuan/mu"),
            "rent": _("yuan/m²·month"),
            "stale": _("stale — hidden from the public"),
            "compare": _("Compare"),
        },
    }
    context = {
        "filterset": filterset,
        "fields": [form[name] for name in MAP_FILTERS],
        "chains": chains,
        "selected_chain": request.GET.get("chain", ""),
        "park_filter": request.GET.get("park", ""),
        "industry_options": IndustryCode.objects.filter(level__in=[CodeLevel.SECTION, CodeLevel.DIVISION]).order_by(
            "sort", "code"
        ),
        "map_config": config,
        **_qr_context("portal:portal-qr"),
    }
    return render(request, "portal/map.html", context)


def _site_point(site: Carrier) -> dict:
    return {
        "lon": site.lon,
        "lat": site.lat,
        "kind": site.kind,
        "name": f"{site.reference} {site.display_name}",
        "url": site.get_absolute_url(),
    }


def _media_context(request, listing) -> dict:
    """The listing's photos and documents the reader may see, and the location facts that apply to it."""
    return {
        "photos": list(geo_services.photos_of(listing, request.user)),
        "documents": list(geo_services.documents_of(listing, request.user)),
        "facts": geo_services.location_facts([listing], request.user).get(listing.pk, []),
    }


@cached_page(*LISTING_PAGE)
def park_detail(request, pk):
    """招什么 (industries, chains), 到哪里 (district, boundary), 落哪里 (sites), 如何落 (guide, policies, contact)."""
    park = _visible(
        Park.objects.select_related("region", "team").defer("region__boundary").prefetch_related("industries"),
        request,
        pk=pk,
    )
    codes = park.industry_codes
    sites_qs = (
        Carrier.objects.restrict(request.user, "view")
        .filter(park=park)
        .select_related("region")
        .defer("region__boundary", "boundary", "search_text")
        .order_by("reference")
    )
    site_count = sites_qs.count()
    sites = list(sites_qs[:PARK_SITES_SHOWN])
    policies = listings.policies_for(region=park.region, park=park, codes=codes)
    context = {
        "object": park,
        "badges": _staff_badges(request, park),
        "area": listings.area_facts(park.area_mu),
        "industries": listings.industries(codes),
        "chains": listings.chains_sought(request.user).filter(parks=park),
        "sites": sites,
        "site_count": site_count,
        "sites_map_url": reverse("portal:map") + f"?park={park.pk}",
        "policies": listings.localized(policies),
        **_media_context(request, park),
        "contact": listings.contact_for(park),
        "map_data": {
            "boundary": park.boundary,
            "sites": [_site_point(site) for site in sites],
            "centre": [park.centre_lat, park.centre_lon] if park.centre_lat is not None else None,
        },
        **listings.guide_context(listings.guide_for(ProjectType.INDUSTRIAL)),
        **_qr_context("portal:park-qr", park.pk),
    }
    return render(request, "portal/park_detail.html", context)


@cached_page(*LISTING_PAGE)
def carrier_detail(request, pk):
    """A site's facts by kind, infrastructure, availability, location, guide steps, policies and contact."""
    site = _visible(
        Carrier.objects.select_related("region", "team").defer("region__boundary").prefetch_related("industries"),
        request,
        pk=pk,
    )
    park = None
    if site.park_id:
        park = Park.objects.restrict(request.user, "view").filter(pk=site.park_id).first()
    codes = site.industry_codes
    map_data = {
        "boundary": site.boundary,
        "point": _site_point(site),
        "park": park.boundary if park else None,
        "centre": [site.lat, site.lon],
    }
    context = {
        "object": site,
        "park": park,
        "badges": _staff_badges(request, site),
        "area": listings.area_facts(site.area_mu),
        "industries": listings.industries(codes),
        "policies": listings.localized(listings.policies_for(region=site.region, park=park, codes=codes)),
        **_media_context(request, site),
        "contact": listings.contact_for(site),
        "map_data": map_data,
        "is_parcel": site.kind == CarrierKind.PARCEL,
        **listings.guide_context(listings.guide_for(listings.project_type_for(site))),
        **_qr_context("portal:carrier-qr", site.pk),
    }
    return render(request, "portal/carrier_detail.html", context)


@cached_page(*CONTENT_PAGE)
def guide_list(request):
    guides = Guide.objects.restrict(request.user, "view").prefetch_related("steps")
    return render(request, "portal/guide_list.html", {"guides": listings.localized(guides)})


@cached_page(*CONTENT_PAGE)
def guide_detail(request, project_type):
    guide = _visible(
        Guide.objects.prefetch_related(Prefetch("steps", queryset=GuideStep.objects.order_by("order"))),
        request,
        project_type=project_type,
    )
    return render(request, "portal/guide_detail.html", {"object": guide, **listings.guide_context(guide)})


@cached_page(*LISTING_PAGE)
def policy_list(request):
    filterset = PolicyFilterSet(
        request.GET or None,
        queryset=Policy.objects.restrict(request.user, "view")
        .filter(Policy.in_force_q())
        .select_related("region", "park")
        .defer("region__boundary", "park__boundary")
        .prefetch_related("industries"),
        request=request,
    )
    filterset.form.fields["district"].queryset = _city_districts()
    filterset.form.fields["park"].queryset = Park.objects.restrict(request.user, "view").defer("boundary")
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "page_obj": page,
        "policies": listings.localized(page.object_list),
        "query_string": query.urlencode(),
    }
    return render(request, "portal/policy_list.html", context)


@cached_page(*LISTING_PAGE)
def policy_detail(request, pk):
    policy = _visible(
        Policy.objects.select_related("region", "park").defer("region__boundary", "park__boundary"), request, pk=pk
    )
    in_force = Policy.objects.filter(Policy.in_force_q(), pk=policy.pk).exists()
    context = {
        "object": listings.Localized(policy),
        "scope": listings.policy_scope_label(policy),
        "in_force": in_force,
        "industries": listings.industries(policy.industries.values_list("code", flat=True)),
    }
    return render(request, "portal/policy_detail.html", context)


def park_qr(request, pk, fmt):
    park = _visible(Park.objects.only("pk"), request, pk=pk)
    return qr_response(request, park.get_absolute_url(), fmt)


def carrier_qr(request, pk, fmt):
    site = _visible(Carrier.objects.only("pk"), request, pk=pk)
    return qr_response(request, site.get_absolute_url(), fmt)


def portal_qr(request, fmt):
    """The portal's front door (the city's page), for brochures and stands."""
    return qr_response(request, reverse("portal:home"), fmt)


urlpatterns = [
    path("map/", map_view, name="map"),
    path("parks/<int:pk>/", park_detail, name="park-detail"),
    re_path(r"^parks/(?P<pk>\d+)/qr\.(?P<fmt>svg|png)$", park_qr, name="park-qr"),
    path("sites/<int:pk>/", carrier_detail, name="carrier-detail"),
    re_path(r"^sites/(?P<pk>\d+)/qr\.(?P<fmt>svg|png)$", carrier_qr, name="carrier-qr"),
    re_path(r"^qr\.(?P<fmt>svg|png)$", portal_qr, name="portal-qr"),
    path("guides/", guide_list, name="guide-list"),
    path("guides/<str:project_type>/", guide_detail, name="guide-detail"),
    path("policies/", policy_list, name="policy-list"),
    path("policies/<int:pk>/", policy_detail, name="policy-detail"),
]
