"""Forms of the services pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.forms import BaseModelForm

from ..choices import VisitState
from ..models import ServiceVisit

# ---------------------------------------------------------------- key enterprises (visits)


class ServiceVisitForm(BaseModelForm):
    """A visit of a key enterprise: planned, then done with what was found (or cancelled)."""

    class Meta:
        model = ServiceVisit
        fields = ["planned_on", "purpose", "state", "done_on", "findings"]
        widgets = {
            "planned_on": forms.DateInput(attrs={"type": "date"}),
            "done_on": forms.DateInput(attrs={"type": "date"}),
            "findings": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].help_text = _("Today when left empty for a visit marked done.")
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("planned_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        state = data.get("state")
        if state == VisitState.DONE and not (data.get("findings") or "").strip():
            self.add_error("findings", _("Record what the visit found before marking it done."))
        done_on = data.get("done_on")
        if state == VisitState.DONE and done_on and done_on > timezone.localdate():
            self.add_error("done_on", _("A visit cannot be done in the future."))
        if state != VisitState.DONE and done_on:
            self.add_error("done_on", _("Only a visit marked done has a date done."))
        return data
