"""Forms of the chains' pages: taking a target, setting one aside, recording the chain's work."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.forms import BaseForm, BaseModelForm
from zhaoshang.industry.models import Enterprise

from .models import ChainActivity


class TakeTargetForm(BaseForm):
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none())
    team = forms.ModelChoiceField(label=_("Give the lead to"), queryset=Team.objects.none())
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, enterprises=None, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises if enterprises is not None else Enterprise.objects.none()
        self.fields["team"].queryset = Team.objects.filter(pk__in=[team.pk for team in teams])


class DismissTargetForm(BaseForm):
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none())
    note = forms.CharField(label=_("Reason for setting aside"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises if enterprises is not None else Enterprise.objects.none()


class ChainActivityForm(BaseModelForm):
    class Meta:
        model = ChainActivity
        fields = ["kind", "happened_on", "summary", "enterprise"]
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises if enterprises is not None else Enterprise.objects.none()
        self.fields["enterprise"].help_text = _("One of the chain's target enterprises (optional).")
        if not self.is_bound:
            self.initial.setdefault("happened_on", timezone.localdate())

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day
