from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from zhaoshang.core.api.views import RestrictedReadOnlyViewSet
from zhaoshang.core.pagecache import cached_page

from ..filtersets import RegionFilterSet
from ..models import Region
from ..services import REGIONS_GENERATION
from .serializers import RegionSerializer, region_feature


class RegionViewSet(RestrictedReadOnlyViewSet):
    """Administrative regions (public reference data)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    permission_classes = [AllowAny]
    lookup_field = "adcode"
    select_related = ("parent",)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, pagination_class=None)
    @cached_page(REGIONS_GENERATION)
    def geojson(self, request):
        """The filtered regions with their boundaries as a GeoJSON FeatureCollection (WGS84)."""
        regions = self.filter_queryset(self.get_queryset())
        return Response({"type": "FeatureCollection", "features": [region_feature(r) for r in regions]})
