"""The FilterSet of enterprise requests, shared by the list, its export and the links of the figures."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.accounts.models import Team
from zhaoshang.core.filtersets import SearchFilterSet
from zhaoshang.core.models import Clock
from zhaoshang.geo.models import Region

from .choices import REQUEST_OPEN, Channel, Rating, RequestLevel, RequestState
from .models.requests import EnterpriseRequest, RequestCategory, ServicePolicy
from .services.figures import year_bounds

YES_NO = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])


def overdue_q(now=None) -> Q:
    """Requests with a running clock past its due moment."""
    now = now or timezone.now()
    late = Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(EnterpriseRequest),
        stopped_at__isnull=True,
        due_at__lt=now,
    )  # the few running clocks past due (index core_clock_running_due_idx), not a probe per request
    return Q(pk__in=late.values("subject_id"))


class EnterpriseRequestFilterSet(SearchFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=_("State"), choices=RequestState.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    open = django_filters.BooleanFilter(label=_("Open"), method="filter_open", widget=YES_NO)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=RequestCategory.objects.all(), null_label=_("Not set"), null_value="null"
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Team.objects.filter(kind__in=[TeamKind.DEPARTMENT, TeamKind.CENTRE]),
        null_label=_("Not set"),
        null_value="null",
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=Region.objects.defer("boundary").filter(level="district"),
        null_label=_("Not set"),
        null_value="null",
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=RequestLevel.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=YES_NO)
    received_year = django_filters.NumberFilter(label=_("Received in year"), method="filter_received_year")
    closed_year = django_filters.NumberFilter(label=_("Closed in year"), method="filter_closed_year")
    on_time = django_filters.BooleanFilter(label=_("Closed on time"), field_name="closed_on_time", widget=YES_NO)
    rated = django_filters.BooleanFilter(label=_("Rated"), method="filter_rated", widget=YES_NO)
    rating = django_filters.ChoiceFilter(label=_("Rating"), choices=Rating.choices)
    redone = django_filters.BooleanFilter(
        label=pgettext_lazy("request", "Reopened"), method="filter_redone", widget=YES_NO
    )

    class Meta:
        model = EnterpriseRequest
        fields = [
            "q",
            "state",
            "open",
            "category",
            "department",
            "district",
            "channel",
            "level",
            "overdue",
            "received_year",
            "closed_year",
            "on_time",
            "rated",
            "rating",
            "redone",
        ]

    def filter_open(self, queryset, name, value):
        q = Q(state__in=REQUEST_OPEN)
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_overdue(self, queryset, name, value):
        q = overdue_q()
        return queryset.filter(q) if value else queryset.exclude(q)

    def _year(self, queryset, field, value):
        year = int(value)
        if not 1900 < year < 3000:
            return queryset.none()
        start, end = year_bounds(year)
        return queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})

    def filter_received_year(self, queryset, name, value):
        return self._year(queryset, "received_at", value)

    def filter_closed_year(self, queryset, name, value):
        return self._year(queryset, "closed_at", value)

    def filter_rated(self, queryset, name, value):
        return queryset.exclude(rating="") if value else queryset.filter(rating="")

    def filter_redone(self, queryset, name, value):
        return queryset.filter(redo_count__gt=0) if value else queryset.filter(redo_count=0)


class RequestCategoryFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "name_en")

    class Meta:
        model = RequestCategory
        fields = ["q", "active"]


class ServicePolicyFilterSet(SearchFilterSet):
    class Meta:
        model = ServicePolicy
        fields = ["category", "channel"]
