"""One FilterSet per model, shared by the list pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import SearchFilterSet
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Region
from zhaoshang.projects.filtersets import AdcodeFilter

from .models import ComparisonFigure, FDIRecord


class FDIRecordFilterSet(SearchFilterSet):
    search_fields = ("code", "enterprise__name", "enterprise__name_en", "project__name", "note")
    district = AdcodeFilter(
        label=_("District"),
        queryset=Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary"),
        to_field_name="adcode",
    )
    month_from = django_filters.DateFilter(label=_("From month (YYYY-MM-DD)"), field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(label=_("To month (YYYY-MM-DD)"), field_name="month", lookup_expr="lte")
    no_enterprise = django_filters.BooleanFilter(
        label=_("Without an enterprise"), field_name="enterprise", lookup_expr="isnull"
    )

    class Meta:
        model = FDIRecord
        fields = ["district", "month_from", "month_to", "no_enterprise"]


class ComparisonFigureFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en", "source")

    class Meta:
        model = ComparisonFigure
        fields = ["metric", "period"]
