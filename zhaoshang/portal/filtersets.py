"""Filters of parks and sites: one FilterSet per model, shared by the map, the API, staff lists and exports."""

from __future__ import annotations

import django_filters
from django import forms
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from zhaoshang.core.choices import Action
from zhaoshang.core.filtersets import BaseFilterSet, RestrictedChoiceFilter, SearchFilterSet
from zhaoshang.core.forms import widget_css
from zhaoshang.geo.choices import Availability, CarrierKind, ParkLevel, RegionLevel
from zhaoshang.geo.models import Carrier, CarrierIndustry, Park, ParkIndustry, Region
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.models import Chain, IndustryCode

from .models import Guide, Policy
from .services.listings import policy_industry_q, policy_place_q


def codes_for_industry(value: str) -> list[str]:
    """A section letter stands for its divisions; a code for itself (prefix matching is done by the filter)."""
    value = (value or "").strip().upper()
    if not value:
        return []
    if value.isalpha():
        return list(IndustryCode.objects.filter(parent__code=value).values_list("code", flat=True)) or [value]
    return [value]


def industry_q(link_model, owner_field: str, codes: list[str]) -> Q:
    """Records linked to any of ``codes``: the same code, a finer code below it, or a broader one above it.

    A site meant for division 38 suits an investor of class 3811, and a site meant for 3811 is shown to
    someone looking for 38.
    """
    if not codes:
        return Q()
    match = Q()
    for code in codes:
        broader = [code[:n] for n in range(2, len(code))]
        match |= Q(code__startswith=code) | Q(code__in=broader)
    return Q(Exists(link_model.objects.filter(match, **{owner_field: OuterRef("pk")})))


class BBoxField(forms.CharField):
    """``west,south,east,north`` in WGS84 degrees: what a map's viewport shows."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise forms.ValidationError(_("bbox is west,south,east,north in degrees.")) from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise forms.ValidationError(_("bbox is west,south,east,north in degrees."))
        return (west, south, east, north)


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its id (``?chain=3``)."""


@extend_schema_field(OpenApiTypes.STR)
class AdcodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A region chosen by its administrative code (``?district=440703``)."""


@extend_schema_field({"type": "string", "example": "112.9,22.4,113.2,22.7"})
class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs, value):
        if not value:
            return qs
        return self.apply(qs, *value)

    # A map lists at most this many points of a view (portal.services.listings.VIEWPORT_LIMIT).
    dense_at = 2000

    def apply(self, qs, west, south, east, north):
        inside = qs.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
        if connections[qs.db].vendor != "sqlite" or inside.order_by()[: self.dense_at + 1].count() <= self.dense_at:
            return inside  # PostgreSQL's planner chooses well from its statistics; few sites: the index finds them
        # SQLite, many sites (a view over much of the city): walking the sites in id order and stopping at
        # the limit beats reading every one of them through the index and sorting, but SQLite's planner
        # cannot tell; ``+ 0`` hides the bbox from the index so that it takes that walk.
        return qs.alias(lon_0=F("lon") + 0.0, lat_0=F("lat") + 0.0).filter(
            lon_0__gte=west, lon_0__lte=east, lat_0__gte=south, lat_0__lte=north
        )


class BoundaryBBoxFilter(BBoxFilter):
    def apply(self, qs, west, south, east, north):
        return qs.filter(min_lon__lte=east, max_lon__gte=west, min_lat__lte=north, max_lat__gte=south)


class ListingFilterSet(SearchFilterSet):
    link_model = None
    link_owner = ""

    industry = django_filters.CharFilter(label=_("Industry (GB/T 4754 code)"), method="filter_industry")
    chain = IdChoiceFilter(label=_("Industry chain"), queryset=Chain.objects.all(), method="filter_chain")
    district = AdcodeChoiceFilter(
        label=_("District"),
        queryset=Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary"),
        to_field_name="adcode",
        method="filter_district",
    )

    def filter_industry(self, queryset, name, value):
        return queryset.filter(industry_q(self.link_model, self.link_owner, codes_for_industry(value)))

    def filter_chain(self, queryset, name, chain):
        codes = list(chain.industry_codes.values_list("code", flat=True))
        q = industry_q(self.link_model, self.link_owner, codes) if codes else Q(pk__in=[])
        return queryset.filter(q | self.chain_park_q(chain))

    def chain_park_q(self, chain) -> Q:
        return Q(pk__in=[])

    def filter_district(self, queryset, name, region):
        return queryset.filter(region__adcode__startswith=region.code_prefix)


class ParkFilterSet(ListingFilterSet):
    link_model = ParkIndustry
    link_owner = "park"
    level = django_filters.MultipleChoiceFilter(label=_("Level"), choices=ParkLevel.choices)
    bbox = BoundaryBBoxFilter(label=_("Viewport"))

    class Meta:
        model = Park
        fields = ["q", "chain", "industry", "district", "level", "bbox"]

    def chain_park_q(self, chain) -> Q:
        # A subquery, not a join: joined through the many-to-many inside an OR, a park would come once per chain.
        return Q(pk__in=chain.parks.values("pk"))


class CarrierFilterSet(ListingFilterSet):
    link_model = CarrierIndustry
    link_owner = "carrier"

    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=CarrierKind.choices, widget=forms.CheckboxSelectMultiple
    )
    park = RestrictedChoiceFilter(label=_("Park"), queryset=Park.objects.defer("boundary"))
    availability = django_filters.MultipleChoiceFilter(
        label=_("Availability"), choices=Availability.choices, widget=forms.CheckboxSelectMultiple
    )
    area_min = django_filters.NumberFilter(label=_("Land from (mu)"), field_name="area_mu", lookup_expr="gte")
    area_max = django_filters.NumberFilter(label=_("Land up to (mu)"), field_name="area_mu", lookup_expr="lte")
    floor_min = django_filters.NumberFilter(
        label=_("Floor area from (m²)"), field_name="floor_area_m2", lookup_expr="gte"
    )
    floor_max = django_filters.NumberFilter(
        label=_("Floor area up to (m²)"), field_name="floor_area_m2", lookup_expr="lte"
    )
    price_max = django_filters.NumberFilter(
        label=_("Land price up to (10,000 yuan per mu)"), field_name="land_price", lookup_expr="lte"
    )
    rent_max = django_filters.NumberFilter(
        label=_("Rent up to (yuan per m² and month)"), field_name="rent", lookup_expr="lte"
    )
    power_min = django_filters.NumberFilter(label=_("Power from (kVA)"), field_name="power_kva", lookup_expr="gte")
    wastewater_min = django_filters.NumberFilter(
        label=_("Wastewater capacity from (t/day)"), field_name="wastewater_t_day", lookup_expr="gte"
    )
    gas = django_filters.BooleanFilter(label=_("Piped gas"), field_name="gas")
    port_max = django_filters.NumberFilter(label=_("Port within (km)"), field_name="port_km", lookup_expr="lte")
    stale = django_filters.BooleanFilter(label=_("Not verified within the period"), method="filter_stale")
    kept = django_filters.BooleanFilter(label=_("Sites I keep"), method="filter_kept")
    bbox = BBoxFilter(label=_("Viewport"))

    class Meta:
        model = Carrier
        fields = [
            "q",
            "chain",
            "industry",
            "district",
            "park",
            "kind",
            "availability",
            "area_min",
            "area_max",
            "floor_min",
            "floor_max",
            "price_max",
            "rent_max",
            "power_min",
            "wastewater_min",
            "gas",
            "port_max",
            "stale",
            "kept",
            "bbox",
        ]

    def chain_park_q(self, chain) -> Q:
        # A subquery, not a join: joined through the many-to-many inside an OR, a site would come once per
        # chain of its park.
        return Q(park__in=chain.parks.values("pk"))

    def filter_kept(self, queryset, name, value):
        """The sites the user may change (their teams' and their district's): those they keep up to date."""
        if value is None:
            return queryset
        kept = Carrier.objects.restrict(getattr(self.request, "user", None), Action.CHANGE).values("pk")
        return queryset.filter(pk__in=kept) if value else queryset.exclude(pk__in=kept)

    def filter_stale(self, queryset, name, value):
        if value is None:
            return queryset
        old = Q(last_verified__lt=Carrier.stale_before())
        return queryset.filter(old if value else ~old)


class PolicyFilterSet(BaseFilterSet):
    """Policies that apply to a district, a park and an industry (the same rule as the park and site pages)."""

    district = AdcodeChoiceFilter(
        label=_("District"),
        queryset=Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary"),
        to_field_name="adcode",
        method="filter_place",
    )
    park = RestrictedChoiceFilter(label=_("Park"), queryset=Park.objects.defer("boundary"), method="filter_place")
    industry = django_filters.CharFilter(label=_("Industry (GB/T 4754 code)"), method="filter_industry")

    class Meta:
        model = Policy
        fields = ["district", "park", "industry"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("class", widget_css(f.widget))

    def filter_place(self, queryset, name, value):
        return queryset  # district and park are applied together in filter_queryset

    def filter_industry(self, queryset, name, value):
        return queryset.filter(policy_industry_q([value.strip()]))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        region, park = self.form.cleaned_data.get("district"), self.form.cleaned_data.get("park")
        if region is None and park is None:
            return queryset
        return queryset.filter(policy_place_q(region, park))


class StaffPolicyFilterSet(PolicyFilterSet):
    """The staff list of policies: the public filters, words of the title or summary, and whether in force."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_words")
    in_force = django_filters.BooleanFilter(label=_("In force today"), method="filter_in_force")

    class Meta:
        model = Policy
        fields = ["q", "district", "park", "industry", "in_force"]

    def filter_words(self, queryset, name, value):
        q = Q()
        for word in value.split():
            q &= (
                Q(title__icontains=word)
                | Q(title_en__icontains=word)
                | Q(summary__icontains=word)
                | Q(issuer__icontains=word)
                | Q(issuer_en__icontains=word)
            )
        return queryset.filter(q)

    def filter_in_force(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Policy.in_force_q() if value else ~Policy.in_force_q())


class GuideFilterSet(BaseFilterSet):
    project_type = django_filters.MultipleChoiceFilter(
        label=_("Project type"), choices=ProjectType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Guide
        fields = ["project_type"]
