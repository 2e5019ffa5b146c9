from rest_framework import serializers

from ..models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="adcode", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["adcode", "name", "name_en", "level", "parent", "centre_lon", "centre_lat", "area_km2", "bbox"]


def region_feature(region: Region) -> dict:
    return {
        "type": "Feature",
        "id": region.adcode,
        "geometry": region.boundary,
        "properties": {"adcode": region.adcode, "name": region.name, "name_en": region.name_en, "level": region.level},
    }
