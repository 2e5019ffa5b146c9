"""Staff forms for what the portal tells investors besides the listings: landing guides and policies.

A guide is edited on one page with its steps (a formset); the guide's version guards the whole page, so two
people editing a guide's steps at once cannot overwrite each other. A policy's industries are link rows,
audited on the policy like a site's codes.
"""

from __future__ import annotations

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import adcode_prefix
from zhaoshang.core.forms import BaseModelForm, EmptyChoices, widget_css
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Park, Region

from ..models import Guide, GuideStep, Policy
from .listings import DATE_WIDGET, TEXT_WIDGET, IndustryCodesField, division_codes, saved_codes, set_codes


class PolicyForm(BaseModelForm):
    industry_codes = IndustryCodesField(
        help_text=_("The GB/T 4754-2017 divisions the policy supports; none: every industry.")
    )

    class Meta:
        model = Policy
        fields = [
            "title",
            "title_en",
            "summary",
            "summary_en",
            "issuer",
            "issuer_en",
            "url",
            "region",
            "park",
            "effective_from",
            "effective_to",
        ]
        widgets = {
            "summary": TEXT_WIDGET,
            "summary_en": TEXT_WIDGET,
            "effective_from": DATE_WIDGET,
            "effective_to": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        divisions = division_codes()
        current = saved_codes(self.instance) if self.instance.pk else []
        codes = self.fields["industry_codes"]
        codes.choices = list({**divisions, **{code: code for code in current if code not in divisions}}.items())
        codes.divisions = divisions
        codes.widget.attrs.update({"size": 10, "class": "form-select"})
        if self.instance.pk and not self.is_bound:
            self.initial["industry_codes"] = current
        self.fields["region"].queryset = Region.objects.filter(
            level__in=[RegionLevel.DISTRICT, RegionLevel.CITY]
        ).defer("boundary")
        self.fields["park"].queryset = Park.objects.defer("boundary", "search_text").select_related("region")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("effective_from"), cleaned.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("A policy cannot end before it comes into force."))
        park, region = cleaned.get("park"), cleaned.get("region")
        if park is not None and region is not None and not park.region.adcode.startswith(adcode_prefix(region.adcode)):
            self.add_error("park", _("This park is not in the district chosen."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            error = self.instance.scope_error(self.user)
            if error:
                self.add_error("park" if self.instance.park_id else "region", error)

    def _save_m2m(self):
        super()._save_m2m()
        set_codes(self.instance, self.cleaned_data.get("industry_codes") or [])


class GuideForm(BaseModelForm):
    class Meta:
        model = Guide
        fields = ["project_type", "title", "title_en", "intro", "intro_en"]
        widgets = {"intro": TEXT_WIDGET, "intro_en": TEXT_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["project_type"].disabled = True  # the guide's address on the portal


class GuideStepForm(EmptyChoices, forms.ModelForm):
    class Meta:
        model = GuideStep
        fields = GuideStep.CONTENT_FIELDS
        widgets = {"documents": forms.Textarea(attrs={"rows": 2}), "documents_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", widget_css(field.widget))


class BaseStepFormSet(BaseInlineFormSet):
    def validate_unique(self):
        """A guide's only unique rule, one number per step, is checked in ``clean`` with a message on the step."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or self._should_delete_form(form):
                continue
            order = form.cleaned_data.get("order")
            if order is None:
                continue
            if order in seen:
                form.add_error(
                    "order", _("Step %(order)s appears twice: give each step its own number.") % {"order": order}
                )
            seen[order] = form
        if not seen:
            raise forms.ValidationError(_("A guide needs at least one step."))


GuideStepFormSet = inlineformset_factory(
    Guide, GuideStep, form=GuideStepForm, formset=BaseStepFormSet, extra=1, can_delete=True
)
