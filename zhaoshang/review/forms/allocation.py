"""Forms of the review app. The land allocation's parameters: the area tolerance and the districts and parks whose land
is allocated."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseForm, widget_css
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Park, Region

from ..services.allocation import DEFAULT_TOLERANCE


class AllocationForm(BaseForm):
    tolerance = forms.DecimalField(
        label=_("Area tolerance (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        initial=int(DEFAULT_TOLERANCE * 100),
        help_text=_("A parcel fits when its area lies between the need and the need plus this share."),
    )
    districts = forms.ModelMultipleChoiceField(label=_("Districts"), queryset=Region.objects.none(), required=False)
    parks = forms.ModelMultipleChoiceField(label=_("Parks"), queryset=Park.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary")
        self.fields["parks"].queryset = Park.objects.restrict(user, Action.VIEW).defer("boundary", "search_text")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", widget_css(field.widget))

    def parameters(self) -> dict:
        """The service's arguments: the values entered, or the defaults for a page opened without any."""
        data = self.cleaned_data if self.is_bound else {}
        tolerance = data.get("tolerance")
        return {
            "tolerance": (tolerance if tolerance is not None else DEFAULT_TOLERANCE * 100) / 100,
            "districts": list(data.get("districts") or ()),
            "parks": list(data.get("parks") or ()),
        }
