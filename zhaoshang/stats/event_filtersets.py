"""The FilterSet of events, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.filtersets import SearchFilterSet

from .event_choices import EventKind
from .models import Event


class EventFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en", "venues__name", "venues__city")

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    organiser_team = django_filters.ModelChoiceFilter(label=_("Organising team"), queryset=Team.objects.all())
    start_from = django_filters.DateFilter(
        label=_("From"), field_name="start_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    start_to = django_filters.DateFilter(
        label=_("Up to"), field_name="start_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Event
        fields = ["q", "kind", "organiser_team", "start_from", "start_to"]

    def filter_search(self, queryset, name, value):
        return super().filter_search(queryset, name, value).distinct()
