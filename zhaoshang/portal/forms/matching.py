"""The investor's needs for matching (按图索骥): one form for the page, the proposal save and the API."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import generations
from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseForm, widget_css
from zhaoshang.geo.choices import CarrierKind, RegionLevel
from zhaoshang.geo.models import Region
from zhaoshang.industry.models import Chain, IndustryCode

from ..services.listings import CONTENT_GENERATION
from ..services.matching import BUY, RENT, Needs

NOT_NEGATIVE = {"min_value": _("Cannot be negative.")}
POSITIVE = {"min_value": _("Must be more than 0; leave the field empty if you have no requirement.")}

# (lower bound, upper bound) pairs checked against each other; the error goes on the upper bound.
RANGES = (("area_min", "area_max"), ("floor_min", "floor_max"))


def industry_choices() -> list:
    """GB/T 4754-2017 divisions grouped by section, in the page's language (kept until a code changes)."""
    return INDUSTRY_CHOICES.get(_industry_choices, get_language())


def _industry_choices() -> list:
    groups: dict[str, list] = {}
    labels: dict[str, str] = {}
    for code in IndustryCode.objects.filter(level="division").select_related("parent").order_by("sort", "code"):
        section = code.parent
        key = section.code if section else ""
        labels.setdefault(key, str(section) if section else "")
        groups.setdefault(key, []).append((code.code, str(code)))
    return [("", str(_("Any industry")))] + [(labels[key], options) for key, options in groups.items()]


INDUSTRY_CHOICES = generations.Kept(CONTENT_GENERATION)


def _decimal(label, help_text="", positive=False, places=2):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.01") if positive else Decimal(0),
        max_digits=12,
        decimal_places=places,
        help_text=help_text,
        error_messages=POSITIVE if positive else NOT_NEGATIVE,
    )


class MatchForm(BaseForm):
    """What an investor needs. Every field is optional, but at least one need must be stated."""

    industry = forms.ChoiceField(label=_("Industry (GB/T 4754)"), required=False)
    chain = forms.ModelChoiceField(label=_("Industry chain"), queryset=Chain.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of site"), required=False, choices=[("", _("Any kind")), *CarrierKind.choices]
    )
    area_min = _decimal(_("Land from (mu)"), _("For land parcels. 1 mu ≈ 667 m²."))
    area_max = _decimal(_("Land up to (mu)"))
    floor_min = _decimal(_("Floor space from (m²)"), _("For standard factories and offices."))
    floor_max = _decimal(_("Floor space up to (m²)"))
    budget = _decimal(
        _("Budget (10,000 yuan)"),
        _("For land: the land price you can pay. For buildings: the rent per year, or the price if you buy."),
        positive=True,
    )
    tenure = forms.ChoiceField(
        label=_("Buildings"),
        required=False,
        choices=[(RENT, _("Rent")), (BUY, _("Buy"))],
        initial=RENT,
    )
    power = forms.IntegerField(
        label=_("Power needed (kVA)"), required=False, min_value=1, max_value=10_000_000, error_messages=POSITIVE
    )
    wastewater = _decimal(_("Wastewater discharge (t/day)"), positive=True, places=1)
    port_km = _decimal(_("Port within (km)"), positive=True, places=1)
    highway_km = _decimal(_("Highway exit within (km)"), positive=True, places=1)
    districts = forms.ModelMultipleChoiceField(
        label=_("Preferred districts"),
        queryset=Region.objects.none(),
        to_field_name="adcode",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needed_by = forms.DateField(
        label=_("Needed by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The site must be available by this day."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["industry"].choices = industry_choices()
        self.fields["chain"].queryset = Chain.objects.restrict(user, Action.VIEW).filter(active=True)
        self.fields["districts"].queryset = (
            Region.objects.filter(level=RegionLevel.DISTRICT, parent__adcode=settings.ZHAOSHANG_CITY_ADCODE)
            .defer("boundary")
            .order_by("adcode")
        )
        for form_field in self.fields.values():
            widget = form_field.widget
            if not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", widget_css(widget))

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"

    def clean_tenure(self):
        return self.cleaned_data.get("tenure") or RENT

    def clean_needed_by(self):
        day = self.cleaned_data.get("needed_by")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return day

    def clean(self):
        cleaned = super().clean()
        for low_name, high_name in RANGES:
            low, high = cleaned.get(low_name), cleaned.get(high_name)
            if low is not None and high is not None and low > high:
                self.add_error(
                    high_name,
                    _("The upper bound is below the lower bound (%(low)s); swap them or correct one.") % {"low": low},
                )
        if not self.errors and not self.needs().asked():
            raise forms.ValidationError(
                _("State at least one need: an industry, an area, a budget, infrastructure, a district or a date.")
            )
        return cleaned

    def needs(self) -> Needs:
        data = self.cleaned_data
        chain = data.get("chain")
        return Needs(
            industry=data.get("industry") or "",
            chain=chain.pk if chain else None,
            kind=data.get("kind") or "",
            area_min=data.get("area_min"),
            area_max=data.get("area_max"),
            floor_min=data.get("floor_min"),
            floor_max=data.get("floor_max"),
            budget=data.get("budget"),
            tenure=data.get("tenure") or RENT,
            power=data.get("power"),
            wastewater=data.get("wastewater"),
            port_km=data.get("port_km"),
            highway_km=data.get("highway_km"),
            districts=tuple(region.adcode for region in data.get("districts") or ()),
            needed_by=data.get("needed_by"),
        )


class ProposalSaveForm(MatchForm):
    """The needs again (sent back from the results) and an optional title for the proposal."""

    title = forms.CharField(label=_("Title of the proposal"), max_length=150, required=False)
