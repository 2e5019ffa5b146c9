"""API of the events: read-only, for every member of staff, with the figures computed from the lists.

An event's ``projects`` are the rows of its list the caller may see; its ``summary`` counts the whole list.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from zhaoshang.core.api.views import RestrictedReadOnlyViewSet

from .. import events as services
from ..event_filtersets import EventFilterSet
from ..models import Event
from .event_serializers import EventDetailSerializer, EventProjectSerializer, EventSerializer


class EventViewSet(RestrictedReadOnlyViewSet):
    """Investment conferences and ceremonies with their venues; the detail adds the figures and summary."""

    queryset = Event.objects.all()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    ordering_fields = ["start_on", "name"]
    ordering = ["-start_on", "-pk"]
    prefetch_related = ("venues",)

    def get_queryset(self):
        return super().get_queryset().order_by("-start_on", "-pk")

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer

    @extend_schema(responses={200: EventProjectSerializer(many=True)}, summary="The projects on the event's list")
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def projects(self, request, pk=None):
        event = self.get_object()
        links = services.visible_links(event, request.user)
        return Response(EventProjectSerializer(links, many=True).data)
