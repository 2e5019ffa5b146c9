"""API of the project pipeline: projects (with their stage changes), activities, speed figures, duplicate claims.

Restricted like the pages: a project outside the caller's scope is 404 (confidential ones included); one the
caller may read but not change is 403 on every write.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from zhaoshang.core.api.views import RestrictedModelViewSet
from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import can

from .. import services
from ..filtersets import ActivityFilterSet, ProjectFilterSet
from ..models import Activity, Project
from .serializers import (
    ActivitySerializer,
    CorrectDateSerializer,
    DuplicateGroupSerializer,
    LookupQuerySerializer,
    LookupRowSerializer,
    ProjectSerializer,
    SpeedQuerySerializer,
    SpeedSerializer,
    TransitionSerializer,
)


def _service_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    return serializers.ValidationError(detail)


class ProjectViewSet(RestrictedModelViewSet):
    """Projects. Create with an enterprise id, or with enterprise_uscc and enterprise_name; update with the version
    you read. Stages change through ``transition``; a wrong stage date is put right with ``correct-date``."""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["name", "lead_on", "signed_on", "planned_investment", "created"]
    ordering = ["-lead_on", "-pk"]
    select_related = ("enterprise",)
    prefetch_related = ("supporting_teams",)
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().defer("search_text", "enterprise__search_text").order_by("-lead_on", "-pk")

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method == "POST" and self.action == "create" and not Project.can_add(request.user):
            self.permission_denied(request)

    def _changeable(self, request) -> Project:
        project = self.get_object()
        if not can(request.user, project, Action.CHANGE):
            raise PermissionDenied()
        return project

    @extend_schema(request=TransitionSerializer, responses={200: ProjectSerializer}, summary="Change the stage")
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        project = self._changeable(request)
        params = TransitionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        try:
            project = services.transition(
                project, data["to_stage"], data["happened_on"], request.user, note=data["note"], reason=data["reason"]
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from None
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)

    @extend_schema(request=CorrectDateSerializer, responses={200: ProjectSerializer}, summary="Correct a stage date")
    @action(detail=True, methods=["post"], url_path="correct-date")
    def correct_date(self, request, pk=None):
        project = self._changeable(request)
        params = CorrectDateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        try:
            project = services.correct_date(
                project, data["stage"], data["happened_on"], request.user, note=data["note"]
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from None
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[SpeedQuerySerializer],
        responses={200: SpeedSerializer},
        summary="Speed figures",
        description=(
            "For the projects the caller may see (and the list's filters): median, quartiles and histogram of the "
            "days from lead to signing, signing to land supply, land supply to construction start and construction "
            "start to production, over a period; an interval counts the projects whose later date falls in it."
        ),
    )
    @action(detail=False, methods=["get"], filterset_class=None)
    def speed(self, request):
        params = SpeedQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        queryset = ProjectFilterSet(request.query_params, queryset=self.get_queryset(), request=request).qs
        figures = services.speed_figures(queryset, data["start"], data["end"], data.get("group_by"))
        return Response(SpeedSerializer(figures).data)

    @extend_schema(
        parameters=[LookupQuerySerializer],
        responses={200: LookupRowSerializer(many=True)},
        summary="Look up projects on an enterprise",
        description=(
            "Is another team already on it? The projects on enterprises whose name or credit code matches "
            "``search`` (at least two characters) that the caller may look up — every project that is not "
            "confidential — with their stage and owning team only; ``readable`` tells which the caller may open."
        ),
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def lookup(self, request):
        params = LookupQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = services.lookup(request.user, params.validated_data["search"])
        return Response(LookupRowSerializer(rows, many=True).data)

    @extend_schema(responses={200: DuplicateGroupSerializer(many=True)}, summary="Duplicate claims")
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def duplicates(self, request):
        groups = services.duplicate_claims(request.user)
        return Response(DuplicateGroupSerializer(groups, many=True).data)


class ActivityViewSet(RestrictedModelViewSet):
    """Activities (visits, meetings, calls, site inspections) of the projects the caller may see."""

    queryset = Activity.objects.all()
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    ordering_fields = ["happened_on", "created"]
    prefetch_related = ("participants",)
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("-happened_on", "-pk")
