"""Serializers of the public read API (also the mini-program's): parks, sites, guides, policies.

Only what the public pages show: no internal fields (search text, versions, authors).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhaoshang.geo.models import CARRIER_FACTS, Carrier, Park

from ..models import Guide, GuideStep, Policy


class ContactMixin(serializers.Serializer):
    contact = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "phone": {"type": "string"},
                "email": {"type": "string"},
                "team": {"type": "string"},
            },
        }
    )
    def get_contact(self, obj) -> dict:
        from ..services.listings import contact_for

        contact = contact_for(obj)
        return {**contact, "team": str(contact["team"])}


class ParkSerializer(ContactMixin, serializers.ModelSerializer):
    district = serializers.SlugRelatedField(source="region", slug_field="adcode", read_only=True, allow_null=True)
    district_name = serializers.CharField(source="region.display_name", read_only=True)
    industry_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    chains = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Park
        fields = [
            "id",
            "name",
            "name_en",
            "district",
            "district_name",
            "address",
            "address_en",
            "level",
            "area_mu",
            "description",
            "description_en",
            "website",
            "industry_codes",
            "chains",
            "centre_lon",
            "centre_lat",
            "bbox",
            "last_verified",
            "contact",
            "url",
        ]

    def get_chains(self, obj) -> list[int]:
        return sorted(chain.pk for chain in obj.chains.all() if chain.active)


class CarrierSerializer(ContactMixin, serializers.ModelSerializer):
    district = serializers.SlugRelatedField(source="region", slug_field="adcode", read_only=True, allow_null=True)
    district_name = serializers.CharField(source="region.display_name", read_only=True)
    industry_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    land_cost_wan = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Carrier
        fields = [
            "id",
            "reference",
            "kind",
            "name",
            "name_en",
            "district",
            "district_name",
            "address",
            "address_en",
            "park",
            "lon",
            "lat",
            "boundary",
            "availability",
            "available_from",
            *CARRIER_FACTS,
            "land_cost_wan",
            "industry_codes",
            "description",
            "description_en",
            "last_verified",
            "contact",
            "url",
        ]


class GuideStepSerializer(serializers.ModelSerializer):
    documents = serializers.SerializerMethodField()
    documents_en = serializers.SerializerMethodField()

    class Meta:
        model = GuideStep
        fields = GuideStep.CONTENT_FIELDS

    def get_documents(self, obj) -> list[str]:
        return [line.strip() for line in obj.documents.splitlines() if line.strip()]

    def get_documents_en(self, obj) -> list[str]:
        return [line.strip() for line in obj.documents_en.splitlines() if line.strip()]


class GuideSerializer(serializers.ModelSerializer):
    steps = GuideStepSerializer(many=True, read_only=True)
    total_days = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Guide
        fields = ["project_type", "title", "title_en", "intro", "intro_en", "total_days", "steps", "url"]


class OptionalURLField(serializers.URLField):
    """An address, or null where none is recorded (an empty text is no address)."""

    def to_representation(self, value):
        return value or None


class PolicySerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(source="region", slug_field="adcode", read_only=True, allow_null=True)
    industry_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    full_text = OptionalURLField(
        source="url", read_only=True, allow_null=True, help_text=_("The address of the full text; null if none.")
    )

    class Meta:
        model = Policy
        fields = [
            "id",
            "title",
            "title_en",
            "summary",
            "summary_en",
            "issuer",
            "issuer_en",
            "district",
            "park",
            "industry_codes",
            "effective_from",
            "effective_to",
            "full_text",
            "url",
        ]


class FeatureCollectionSerializer(serializers.Serializer):
    """A GeoJSON FeatureCollection (WGS84)."""

    type = serializers.CharField(default="FeatureCollection")
    features = serializers.ListField(child=serializers.DictField())


class SiteFeatureCollectionSerializer(FeatureCollectionSerializer):
    """The sites in a viewport: at most 2,000 points; ``truncated`` says if cut (then ``total`` is null)."""

    total = serializers.IntegerField(allow_null=True, help_text="Sites in view, when all are listed; null when cut.")
    truncated = serializers.BooleanField()
    url_template = serializers.CharField(help_text="A site's page: replace {id} with its id.")
