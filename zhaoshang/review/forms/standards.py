"""Forms of the review app: the applicant's figures of a review, and the standards kept by the centre."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.forms import BaseForm, BaseModelForm
from zhaoshang.core.units import hectare_to_mu, mu_to_sqm, quantize
from zhaoshang.industry.choices import CodeLevel
from zhaoshang.industry.models import IndustryCode
from zhaoshang.industry.validators import clean_uscc, validate_uscc

from ..models import CodeMapping, Criterion, RejectionEntry, Review, SourceDocument, StandardSet, Threshold, Zone

MU, HECTARE = "mu", "hectare"
AREA_UNITS = [(MU, _("mu")), (HECTARE, _("hectares"))]

# The applicant's figures, in the order of the form and of the Excel sheet (site area first, entered apart).
FIGURE_FIELDS = [
    "total_investment",
    "fixed_asset_investment",
    "land_price",
    "equipment_investment",
    "floor_area_m2",
    "high_storey_floor_area_m2",
    "footprint_m2",
    "admin_land_m2",
    "green_land_m2",
    "annual_output",
    "annual_tax",
    "annual_energy_tce",
    "jobs",
    "own_use_floor_m2",
    "sale_floor_m2",
    "min_unit_m2",
    "products",
    "investor_uscc",
]


class ReviewFiguresForm(BaseModelForm):
    """The applicant's figures; the site area may be entered in 亩 or 公顷 and is kept in 亩."""

    site_area = forms.DecimalField(
        label=_("site area"), required=False, min_value=0, max_digits=14, decimal_places=4, localize=False
    )
    site_area_unit = forms.ChoiceField(label=_("unit of the site area"), choices=AREA_UNITS, initial=MU)

    class Meta:
        model = Review
        fields = ["zone", "industry_code", *FIGURE_FIELDS]

    field_order = ["zone", "industry_code", "site_area", "site_area_unit", *FIGURE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry_code"].queryset = IndustryCode.objects.exclude(level=CodeLevel.SECTION)
        self.fields["zone"].help_text = _("Leave empty to take the zone of the project's park or district.")
        if self.instance.pk is not None and not self.is_bound:
            self.fields["site_area"].initial = self.instance.site_area_mu

    def clean_investor_uscc(self):
        code = clean_uscc(self.cleaned_data.get("investor_uscc") or "")
        if code:
            validate_uscc(code)
        return code

    def clean(self):
        data = super().clean()
        area, unit = data.get("site_area"), data.get("site_area_unit")
        if area is not None:
            mu = hectare_to_mu(area) if unit == HECTARE else area
            self.instance.site_area_mu = quantize(mu, 2)
        elif "site_area" not in self.errors:
            self.instance.site_area_mu = None
        site_m2 = mu_to_sqm(self.instance.site_area_mu) if self.instance.site_area_mu is not None else None
        floor, high = data.get("floor_area_m2"), data.get("high_storey_floor_area_m2")
        if floor is not None and high is not None and high > floor:
            self.add_error(
                "high_storey_floor_area_m2", _("The floor area of storeys over 8 m is part of the total floor area.")
            )
        if site_m2 is not None:
            for name in ("footprint_m2", "admin_land_m2", "green_land_m2"):
                value = data.get(name)
                if value is not None and value > site_m2 + 1:  # 1 m² for the rounding of the area in 亩
                    self.add_error(name, _("This is larger than the site area."))
        fixed, land = data.get("fixed_asset_investment"), data.get("land_price")
        if fixed is not None and land is not None and land > fixed:
            self.add_error("land_price", _("The land price is part of the fixed-asset investment."))
        if floor is not None:
            for name in ("own_use_floor_m2", "sale_floor_m2"):
                value = data.get(name)
                if value is not None and value > floor:
                    self.add_error(name, _("This is larger than the total floor area."))
        return data


class FiguresImportForm(BaseForm):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))


# ---------------------------------------------------------------- standards


class SourceDocumentForm(BaseModelForm):
    class Meta:
        model = SourceDocument
        fields = ["title", "title_en", "issuer", "issuer_en", "number", "issued_on", "url"]
        widgets = {"issued_on": forms.DateInput(attrs={"type": "date"})}


class StandardSetForm(BaseModelForm):
    class Meta:
        model = StandardSet
        fields = ["name", "name_en", "effective_from", "notes"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}


class NewVersionForm(BaseForm):
    """A new version of a set: its effective date and names (the thresholds, criteria and items are copied)."""

    effective_from = forms.DateField(label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        used = StandardSet.objects.filter(effective_from=day).first()
        if used is not None:
            raise forms.ValidationError(
                _("The set “%(name)s” already takes effect on %(date)s; choose another date.")
                % {"name": used.display_name, "date": day.isoformat()}
            )
        return day


class ThresholdForm(BaseModelForm):
    class Meta:
        model = Threshold
        fields = ["indicator", "kind", "zone", "division_2002", "comparison", "value", "source", "note"]

    def __init__(self, *args, standard_set=None, **kwargs):
        super().__init__(*args, **kwargs)
        if standard_set is not None:
            self.instance.standard_set = standard_set
        self.fields["zone"].queryset = Zone.objects.all()

    def clean_division_2002(self):
        division = (self.cleaned_data.get("division_2002") or "").strip()
        if division and not (division.isdigit() and len(division) == 2):
            raise forms.ValidationError(_("A division is two digits, e.g. 30."))
        return division


class CriterionForm(BaseModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "name_en", "guidance", "guidance_en", "max_points", "sort"]

    def __init__(self, *args, standard_set=None, **kwargs):
        super().__init__(*args, **kwargs)
        if standard_set is not None:
            self.instance.standard_set = standard_set


class RejectionEntryForm(BaseModelForm):
    class Meta:
        model = RejectionEntry
        fields = ["list_kind", "title", "title_en", "industry_code", "keywords", "uscc", "source"]

    def __init__(self, *args, standard_set=None, **kwargs):
        super().__init__(*args, **kwargs)
        if standard_set is not None:
            self.instance.standard_set = standard_set

    def clean(self):
        data = super().clean()
        if not (data.get("industry_code") or data.get("keywords") or data.get("uscc")):
            raise forms.ValidationError(_("Give an industry code, keywords or a credit code the item matches."))
        return data


class ZoneForm(BaseModelForm):
    class Meta:
        model = Zone
        fields = ["name", "name_en", "description", "parks", "regions", "is_default", "sort"]


class CodeMappingForm(BaseModelForm):
    class Meta:
        model = CodeMapping
        fields = ["code_2017", "division_2002", "name_2002", "name_2002_en", "source", "note"]
