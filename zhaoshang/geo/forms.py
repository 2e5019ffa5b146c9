"""Staff forms of geo records: photos and documents of parks and sites, location facts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseModelForm
from zhaoshang.core.permissions import user_scope

from .choices import RegionLevel
from .models import ListingDocument, ListingPhoto, LocationFact, Park, Region


class PhotoForm(BaseModelForm):
    class Meta:
        model = ListingPhoto
        fields = ["image", "alt_text", "alt_text_en", "order", "cover"]
        widgets = {"image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}


class PhotoEditForm(BaseModelForm):
    """The description, place and cover of a photo already uploaded (a new picture is a new photo)."""

    class Meta:
        model = ListingPhoto
        fields = ["alt_text", "alt_text_en", "order", "cover"]


class ListingDocumentForm(BaseModelForm):
    class Meta:
        model = ListingDocument
        fields = ["title", "title_en", "file", "order"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": "application/pdf"})}


class LocationFactForm(BaseModelForm):
    """A fact of a district (kept by the centre) or of a park (kept by whoever may change the park)."""

    class Meta:
        model = LocationFact
        fields = ["region", "park", "kind", "value", "text", "text_en", "source", "source_en", "as_of"]
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user_scope(self.user)
        self.region_allowed = scope.is_admin or scope.in_centre(Action.CHANGE)
        regions = Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary").order_by("adcode")
        self.fields["region"].queryset = regions if self.region_allowed else regions.none()
        self.fields["region"].help_text = _("A fact of a whole district (kept by the centre); leave empty for a park.")
        self.fields["park"].queryset = Park.objects.restrict(self.user, Action.CHANGE).defer("boundary", "search_text")
        self.fields["park"].help_text = _("A fact of one park; it replaces the district's fact of the same kind.")

    def clean(self):
        cleaned = super().clean()
        region, park = cleaned.get("region"), cleaned.get("park")
        if bool(region) == bool(park):
            raise forms.ValidationError(_("Choose either a district or a park."), code="one_place")
        if cleaned.get("value") is None and not cleaned.get("text"):
            self.add_error("value", _("Give a value or details."))
        return cleaned
