"""API of statistics: metric figures (scoped like the pages), the headline paragraph, actual FDI records."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.core.api.views import RestrictedModelViewSet

from .. import services
from ..filtersets import FDIRecordFilterSet
from ..models import FDIRecord, fdi_readable
from .serializers import (
    FDIRecordSerializer,
    FigureSerializer,
    FiguresQuerySerializer,
    HeadlineQuerySerializer,
    HeadlineSerializer,
)


class FiguresView(APIView):
    @extend_schema(
        parameters=[FiguresQuerySerializer],
        responses={200: FigureSerializer(many=True)},
        summary="Metric figures",
        description=(
            "Each metric for the period and the same period of the previous year, with year-on-year change in % "
            "(null for a zero base), its share when it is a share of another metric and, with group, one ranked "
            "entry per group; of the records the caller's figures cover (the city for the centre and leaders, a "
            "district bureau's district, a team's own projects). Each figure links to the records behind it."
        ),
    )
    def get(self, request):
        params = FiguresQuerySerializer(
            data={**request.query_params.dict(), "metric": request.query_params.getlist("metric")}
        )
        params.is_valid(raise_exception=True)
        data = params.validated_data
        keys = list(dict.fromkeys(data["metric"]))
        if any(services.METRICS[k].source == "fdi" for k in keys) and not fdi_readable(request.user):
            raise PermissionDenied()
        figures = services.compute(keys, data["period"], request.user, data.get("group"))
        return Response(FigureSerializer([figures[k] for k in keys], many=True).data)


class HeadlineView(APIView):
    @extend_schema(
        parameters=[HeadlineQuerySerializer],
        responses={200: HeadlineSerializer},
        summary="Headline paragraph",
        description="The report's headline paragraph for the period, in Chinese and English, of the caller's scope.",
    )
    def get(self, request):
        params = HeadlineQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(HeadlineSerializer(services.headline(params.validated_data["period"], request.user)).data)


class FDIRecordViewSet(RestrictedModelViewSet):
    """Actual FDI records (for the centre, district bureaus, leaders and administrators). Update with the version
    you read."""

    queryset = FDIRecord.objects.all()
    serializer_class = FDIRecordSerializer
    filterset_class = FDIRecordFilterSet
    ordering_fields = ["month", "amount_cny", "code"]
    ordering = ["-month", "code"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def check_permissions(self, request):
        super().check_permissions(request)
        if not fdi_readable(request.user):
            self.permission_denied(request)
        if request.method == "POST" and not FDIRecord.can_add(request.user):
            self.permission_denied(request)

    def get_queryset(self):
        return super().get_queryset().order_by("-month", "code")
