"""The administrators' form of a person's request about their personal data (export or erase)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .inquiries import mark_invalid


class PersonDataForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    confirm_erase = forms.BooleanField(
        label=_("I confirm that the person asked for erasure: their data are anonymised and cannot be restored."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def criteria(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in ("phone", "email", "name")}

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)
