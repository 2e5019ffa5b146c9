from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def widget_css(widget) -> str:
    """Tabler's class for a widget (checkbox groups are drawn as pills by core/_field.html)."""
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "form-selectgroup-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    return "form-control"


# Django's and django-filter's empty choice, shown as is in every language unless replaced.
BLANK_DASHES = "---------"
# What an empty choice reads in a form (a value still to choose) and in a filter (no restriction); the filter's is
# also django-filter's FILTERS_EMPTY_CHOICE_LABEL, so filters built from model fields read it too.
EMPTY_CHOICE = _("Choose…")
ANY_CHOICE = _("Any")


def label_empty_choices(fields, label=EMPTY_CHOICE) -> None:
    """Give the empty choice of every select among ``fields`` a translated label instead of "---------"."""
    for field in fields:
        if getattr(field, "empty_label", None) == BLANK_DASHES:
            field.empty_label = label  # model choice fields, django-filter's choice fields
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = field.choices
            if isinstance(choices, list | tuple) and any(text == BLANK_DASHES for _value, text in choices):
                field.choices = [(value, label if text == BLANK_DASHES else text) for value, text in choices]


class EmptyChoices:
    """Mix into a form: its empty choices read ``empty_choice_label`` (translated) instead of "---------"."""

    empty_choice_label = EMPTY_CHOICE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self.fields.values(), self.empty_choice_label)


class BaseForm(EmptyChoices, forms.Form):
    """A plain form whose empty choices read a translated label."""


class BaseModelForm(EmptyChoices, forms.ModelForm):
    """A model form that knows its user and carries the version it was opened at.

    On save the version goes back to the instance, so ``BaseModel.save`` refuses
    the write (ConflictError) when someone saved the record in between.
    """

    record_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields["record_version"].initial = self.instance.version
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            widget.attrs.setdefault("class", widget_css(widget))

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"

    def clean_record_version(self):
        version = self.cleaned_data.get("record_version")
        if self.instance.pk is not None and version is None:
            raise forms.ValidationError(_("The form is missing its version; reload the page."))
        return version

    def _post_clean(self):
        super()._post_clean()
        version = self.cleaned_data.get("record_version") if hasattr(self, "cleaned_data") else None
        if self.instance.pk is not None and version is not None:
            self.instance.version = version
