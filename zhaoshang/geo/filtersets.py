import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import SearchFilterSet

from .choices import RegionLevel
from .models import Region


class RegionFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en", "adcode")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=RegionLevel.choices)
    parent = django_filters.CharFilter(label=_("Parent code"), field_name="parent__adcode")

    class Meta:
        model = Region
        fields = ["q", "level", "parent"]
