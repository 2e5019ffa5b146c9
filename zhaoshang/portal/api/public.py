"""Portal API: public reads (parks, sites and the map's viewport query, guides, policies).

Everything goes through ``restrict(request.user, "view")``: anonymous callers get public records only
(published, verified within the period, not taken); a record outside that is 404.
"""

from __future__ import annotations

import gzip
import json

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from zhaoshang.core.api.views import RestrictedReadOnlyViewSet
from zhaoshang.core.pagecache import cached_page
from zhaoshang.geo.models import Carrier, Park
from zhaoshang.geo.services import REGIONS_GENERATION
from zhaoshang.industry.models import Chain

from ..filtersets import CarrierFilterSet, ParkFilterSet, PolicyFilterSet
from ..models import Guide, Policy
from ..services.listings import park_feature, site_features
from ..services.matching import SITES_GENERATION
from .serializers import (
    CarrierSerializer,
    FeatureCollectionSerializer,
    GuideSerializer,
    ParkSerializer,
    PolicySerializer,
    SiteFeatureCollectionSerializer,
)


def geojson_response(request, data: dict | str) -> HttpResponse:
    """Compact JSON (or JSON text as it is), gzipped when the client accepts it: a city's viewport stays small
    on a phone's connection."""
    if not isinstance(data, str):
        data = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    body = data.encode()
    response = HttpResponse(content_type="application/geo+json")
    if len(body) > 1024 and "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""):
        body = gzip.compress(body, compresslevel=1)  # fast: the JSON is repetitive, level 1 already shrinks it ~8×
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    response.content = body
    return response


class PublicReadViewSet(RestrictedReadOnlyViewSet):
    permission_classes = [AllowAny]
    throttle_scope = "portal"


class ParkViewSet(PublicReadViewSet):
    """Industrial parks and clusters: what they seek (industries, chains), where, whom to ask."""

    queryset = Park.objects.all()
    serializer_class = ParkSerializer
    filterset_class = ParkFilterSet
    ordering_fields = ["name", "area_mu", "last_verified"]
    prefetch_related = ("industries", Prefetch("chains", queryset=Chain.objects.only("pk", "active")))

    def get_queryset(self):
        return super().get_queryset().select_related("region", "team").defer("region__boundary", "search_text")

    @extend_schema(responses={(200, "application/geo+json"): FeatureCollectionSerializer})
    @action(detail=False, pagination_class=None)
    @cached_page(SITES_GENERATION, REGIONS_GENERATION)
    def geojson(self, request):
        """The filtered parks with their boundaries (GeoJSON FeatureCollection, WGS84); ``bbox`` for a viewport."""
        parks = (
            self.filter_queryset(Park.objects.restrict(request.user, "view"))
            .filter(boundary__isnull=False)
            .select_related("region")
            .order_by("pk")
            .only("pk", "name", "name_en", "level", "boundary", "region__name", "region__name_en")
        )
        return geojson_response(request, {"type": "FeatureCollection", "features": [park_feature(p) for p in parks]})


class CarrierViewSet(PublicReadViewSet):
    """Sites (land parcels, standard factories, office space) on offer."""

    queryset = Carrier.objects.all()
    serializer_class = CarrierSerializer
    filterset_class = CarrierFilterSet
    ordering_fields = ["reference", "area_mu", "floor_area_m2", "land_price", "rent", "last_verified"]
    prefetch_related = ("industries",)

    def get_queryset(self):
        return super().get_queryset().select_related("region", "team").defer("region__boundary", "search_text")

    @extend_schema(responses={(200, "application/geo+json"): SiteFeatureCollectionSerializer})
    @action(detail=False, pagination_class=None)
    @cached_page(SITES_GENERATION, REGIONS_GENERATION)
    def geojson(self, request):
        """The map's viewport query: sites inside ``bbox=west,south,east,north`` matching the filters.

        At most 2,000 points, by id; ``total`` counts every match and ``truncated`` tells whether the list was cut.
        """
        sites = self.filter_queryset(Carrier.objects.restrict(request.user, "view"))
        return geojson_response(request, site_features(sites))


class GuideViewSet(PublicReadViewSet):
    """Landing guides (如何落): the steps of each project type, with departments, documents and durations."""

    queryset = Guide.objects.all()
    serializer_class = GuideSerializer
    lookup_field = "project_type"
    prefetch_related = ("steps",)
    filter_backends: list = []
    pagination_class = None


class PolicyViewSet(PublicReadViewSet):
    """Support policies in force; ``district``, ``park`` and ``industry`` select those that apply."""

    queryset = Policy.objects.all()
    serializer_class = PolicySerializer
    filterset_class = PolicyFilterSet
    prefetch_related = ("industries",)
    select_related = ("region",)
    ordering_fields = ["effective_from", "title"]

    def get_queryset(self):
        queryset = super().get_queryset().defer("region__boundary")
        if self.action == "list":
            queryset = queryset.filter(Policy.in_force_q())
        return queryset


router = SimpleRouter(trailing_slash=True)
router.register("parks", ParkViewSet, basename="portal-park")
router.register("sites", CarrierViewSet, basename="portal-site")
router.register("guides", GuideViewSet, basename="portal-guide")
router.register("policies", PolicyViewSet, basename="portal-policy")

urlpatterns = router.urls
