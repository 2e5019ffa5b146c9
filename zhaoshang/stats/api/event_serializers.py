from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..events import event_summary
from ..models import Event, EventProject, EventVenue


class LineSerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=["signing", "works"], help_text=_("signing, or construction/production"))
    roles = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2, help_text=_("planned investment, 10,000 yuan"))
    text_zh = serializers.CharField()
    text_en = serializers.CharField()


class VenueFiguresSerializer(serializers.Serializer):
    venue = serializers.IntegerField()
    lines = LineSerializer(many=True)


class SummarySerializer(serializers.Serializer):
    text_zh = serializers.CharField()
    text_en = serializers.CharField()
    lines = LineSerializer(many=True)
    venues = VenueFiguresSerializer(many=True)

    def to_representation(self, summary):
        return super().to_representation(
            {
                "text_zh": summary.text_zh,
                "text_en": summary.text_en,
                "lines": summary.lines,
                "venues": [{"venue": venue.pk, "lines": lines} for venue, lines in summary.venues],
            }
        )


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventVenue
        fields = ["id", "name", "name_en", "city", "online", "held_on", "order"]


class EventSerializer(serializers.ModelSerializer):
    venues = VenueSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "name",
            "name_en",
            "kind",
            "start_on",
            "end_on",
            "organiser_team",
            "description",
            "venues",
            "url",
            "version",
        ]

    def get_url(self, event) -> str:
        return event.get_absolute_url()


class EventDetailSerializer(EventSerializer):
    summary = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "summary"]

    @extend_schema_field(SummarySerializer)
    def get_summary(self, event) -> dict:
        return SummarySerializer(event_summary(event)).data


class EventProjectSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    enterprise_name = serializers.CharField(source="project.enterprise.name", read_only=True)
    planned_investment = serializers.DecimalField(
        source="project.planned_investment", max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = EventProject
        fields = ["id", "order", "venue", "role", "project", "project_name", "enterprise_name", "planned_investment"]
