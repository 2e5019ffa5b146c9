"""One FilterSet of projects, shared by the list page and the API (and later the exports)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from zhaoshang.accounts.models import Team
from zhaoshang.core.filtersets import BaseFilterSet, RestrictedChoiceFilter, SearchFilterSet
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Region
from zhaoshang.industry.models import Chain

from .choices import FORWARD_CHOICES, STAGE_DATE_FIELDS, LeadSource, Stage
from .models import LARGE_PROJECT_WAN, Activity, Project


class Tag:
    LARGE = "large"
    FOREIGN = "foreign"
    CHOICES = [(LARGE, _("≥ 100 million yuan")), (FOREIGN, _("With foreign capital"))]


@extend_schema_field(OpenApiTypes.STR)
class AdcodeFilter(django_filters.ModelChoiceFilter):
    """A district chosen by its administrative code (``?district=440703``)."""


@extend_schema_field({"type": "string", "enum": list(STAGE_DATE_FIELDS)})
class StageChoiceFilter(django_filters.ChoiceFilter):
    """A stage of the forward chain."""


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its id."""


class ProjectFilterSet(SearchFilterSet):
    # A project has one stage: no DISTINCT needed (it would make the list page sort every column).
    stage = django_filters.MultipleChoiceFilter(
        label=_("Stage"), choices=Stage.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    district = AdcodeFilter(
        label=_("Target district"),
        queryset=Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary"),
        to_field_name="adcode",
    )
    team = IdFilter(label=_("Team (owning or supporting)"), queryset=Team.objects.all(), method="filter_team")
    chain = IdFilter(label=_("Industry chain"), queryset=Chain.objects.all())
    # the leads taken from a chain's targets (the chains app's progress figures open the list filtered by it)
    target_chain = IdFilter(
        label=_("Taken from the targets of chain"), queryset=Chain.objects.all(), method="filter_target_chain"
    )
    source = django_filters.ChoiceFilter(label=_("Lead source"), choices=LeadSource.choices)
    min_investment = django_filters.NumberFilter(
        label=_("Planned investment from (10,000 yuan)"), field_name="planned_investment", lookup_expr="gte"
    )
    max_investment = django_filters.NumberFilter(
        label=_("Planned investment up to (10,000 yuan)"), field_name="planned_investment", lookup_expr="lte"
    )
    date_stage = StageChoiceFilter(
        label=_("Dates of the stage"),
        choices=FORWARD_CHOICES,
        method="filter_nothing",
        empty_label=_("Lead (default)"),
    )
    date_from = django_filters.DateFilter(
        label=_("Reached from"), method="filter_nothing", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("Reached up to"), method="filter_nothing", widget=forms.DateInput(attrs={"type": "date"})
    )
    tag = django_filters.MultipleChoiceFilter(
        label=_("Tags"), choices=Tag.CHOICES, method="filter_tag", widget=forms.CheckboxSelectMultiple
    )
    stalled = django_filters.BooleanFilter(label=_("Stalled"), method="filter_stalled")
    mine = django_filters.BooleanFilter(label=_("Projects I work on"), method="filter_mine")

    class Meta:
        model = Project
        fields = [
            "q",
            "stage",
            "district",
            "team",
            "chain",
            "target_chain",
            "source",
            "min_investment",
            "max_investment",
            "date_stage",
            "date_from",
            "date_to",
            "tag",
            "stalled",
            "mine",
            "confidential",
        ]

    def filter_nothing(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_team(self, queryset, name, team):
        supporting = Project.supporting_teams.through.objects.filter(project_id=OuterRef("pk"), team=team)
        return queryset.filter(Q(owner_team=team) | Q(Exists(supporting)))

    def filter_target_chain(self, queryset, name, chain):
        # through the reverse relation of chains.Target.project: one target per lead, no duplicates
        return queryset.filter(chain_targets__chain=chain) if chain else queryset

    def filter_tag(self, queryset, name, values):
        if Tag.LARGE in values:
            queryset = queryset.filter(planned_investment__gte=LARGE_PROJECT_WAN)
        if Tag.FOREIGN in values:
            queryset = queryset.filter(foreign_investment__gt=0)
        return queryset

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None or not user.is_authenticated:
            return queryset
        mine = Project.objects.worked_on_by(user).values("pk")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)

    def filter_stalled(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Project.objects.stalled_q()) if value else queryset.exclude(Project.objects.stalled_q())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        column = STAGE_DATE_FIELDS.get(data.get("date_stage") or Stage.LEAD)
        if data.get("date_from"):
            queryset = queryset.filter(**{f"{column}__gte": data["date_from"]})
        if data.get("date_to"):
            queryset = queryset.filter(**{f"{column}__lte": data["date_to"]})
        return queryset


class ActivityFilterSet(BaseFilterSet):
    """Activities of one project (one the caller may see: any other is refused like an unknown id) or kind."""

    project = RestrictedChoiceFilter(label=_("Project"), queryset=Project.objects.all())

    class Meta:
        model = Activity
        fields = ["project", "kind"]
