import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import SearchFilterSet

from .choices import FactKind, RegionLevel
from .models import LocationFact, Region


class RegionFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en", "adcode")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=RegionLevel.choices)
    parent = django_filters.CharFilter(label=_("Parent code"), field_name="parent__adcode")

    class Meta:
        model = Region
        fields = ["q", "level", "parent"]


class LocationFactFilterSet(SearchFilterSet):
    search_fields = ("text", "text_en", "source", "park__name", "region__name")
    kind = django_filters.ChoiceFilter(label=_("Fact"), choices=FactKind.choices)
    district = django_filters.CharFilter(label=_("District code"), field_name="region__adcode")
    park = django_filters.NumberFilter(label=_("Park"), field_name="park_id")

    class Meta:
        model = LocationFact
        fields = ["q", "kind", "district", "park"]
