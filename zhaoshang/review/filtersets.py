"""The FilterSets of the review app, shared by the list pages, the API and the exports."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import SearchFilterSet
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Region
from zhaoshang.projects.filtersets import AdcodeFilter, IdFilter

from .choices import Decision, ReviewKind, ReviewState
from .models import Review, YearResult, Zone


class ReviewFilterSet(SearchFilterSet):
    search_fields = ("project__name", "project__enterprise__name", "products")

    state = django_filters.MultipleChoiceFilter(
        label=_("State"), choices=ReviewState.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of review"), choices=ReviewKind.choices)
    decision = django_filters.ChoiceFilter(label=_("Decision"), choices=Decision.choices)
    district = AdcodeFilter(
        label=_("District"),
        field_name="project__district",
        queryset=Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary"),
        to_field_name="adcode",
    )
    zone = IdFilter(label=_("Zone"), queryset=Zone.objects.all())
    mine = django_filters.BooleanFilter(label=_("Cases assigned to me"), method="filter_mine")

    class Meta:
        model = Review
        fields = ["q", "state", "kind", "decision", "district", "zone", "mine"]

    def filter_mine(self, queryset, name, value):
        from .services.workflow import my_reviews

        user = getattr(self.request, "user", None)
        if value is None or user is None or not user.is_authenticated:
            return queryset
        mine = my_reviews(user).values("pk")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)


class SupervisionFilterSet(SearchFilterSet):
    """The yearly results of the supervision page: by year, district, project name."""

    search_fields = ("commitment__review__project__name", "commitment__review__project__enterprise__name")

    year = django_filters.NumberFilter(label=_("Year"))
    district = AdcodeFilter(
        label=_("District"),
        field_name="commitment__review__project__district",
        queryset=Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary"),
        to_field_name="adcode",
    )

    class Meta:
        model = YearResult
        fields = ["q", "year", "district"]
