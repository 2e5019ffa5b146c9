import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.filtersets import SearchFilterSet, SlugMultipleChoiceFilter
from zhaoshang.geo.models import Region

from .choices import CodeLevel, RevenueBand
from .models import Chain, Enterprise, EnterpriseTag, IndustryCode


class IndustryCodeFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "name_en")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=CodeLevel.choices)
    parent = django_filters.CharFilter(label=_("Parent code"), field_name="parent__code")

    class Meta:
        model = IndustryCode
        fields = ["q", "level", "parent"]


class ChainFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en")

    class Meta:
        model = Chain
        fields = ["q", "task_force", "active"]


class EnterpriseFilterSet(SearchFilterSet):
    tag = SlugMultipleChoiceFilter(
        label=_("Tags"),
        field_name="tags__slug",
        to_field_name="slug",
        queryset=EnterpriseTag.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Headquarters district"),
        field_name="hq_region",
        to_field_name="adcode",
        queryset=Region.objects.defer("boundary").all(),
    )
    industry = django_filters.CharFilter(label=_("Industry code"), method="filter_industry")
    owner_team = django_filters.ModelChoiceFilter(label=_("Kept by"), queryset=Team.objects.all())
    uscc = django_filters.CharFilter(label=_("Unified social credit code"), lookup_expr="iexact")
    revenue_band = django_filters.MultipleChoiceFilter(
        label=_("Annual revenue"), choices=RevenueBand.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Enterprise
        fields = ["q", "tag", "region", "industry", "owner_team", "uscc", "revenue_band"]

    def filter_industry(self, queryset, name, value):
        """An industry code selects itself and every code below it (C selects 13–43)."""
        value = value.strip().upper()
        if not value:
            return queryset
        codes = IndustryCode.objects.filter(code=value).values_list("pk", flat=True)
        below = IndustryCode.objects.filter(parent__code=value).values_list("pk", flat=True)
        return queryset.filter(industry__in=[*codes, *below])

    @property
    def qs(self):
        # Several tags join enterprise_tags once each; keep every enterprise once.
        return super().qs.distinct() if self.form.is_valid() and self.form.cleaned_data.get("tag") else super().qs
