from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhaoshang.core.api.views import RestrictedReadOnlyViewSet

from ..filtersets import TeamFilterSet
from ..models import Team
from .serializers import MeSerializer, TeamSerializer


class TeamViewSet(RestrictedReadOnlyViewSet):
    queryset = Team.objects.all()
    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet
    ordering_fields = ["name", "kind"]


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The calling user with their teams and roles."""
    return Response(MeSerializer(request.user).data)
