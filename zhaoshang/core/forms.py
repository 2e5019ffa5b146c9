from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay
from .widgets import lighten


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


# A drop-down of more options than this, and every multiple choice drawn as a list, can be searched by typing
# (core/searchable.js, on Tom Select); shorter ones stay plain selects.
SEARCHABLE_MIN_OPTIONS = 15


class SearchableMixin:
    """A select that asks core/searchable.js to make it searchable when it has many options, or chooses several.

    The options are counted as they are rendered (no extra query); the texts the script shows come translated
    with the select, in data attributes."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        options = sum(len(group_options) for _group, group_options, _index in widget["optgroups"])
        if widget["attrs"].get("multiple") or options > SEARCHABLE_MIN_OPTIONS:
            widget["attrs"] = {
                **widget["attrs"],
                "data-searchable": "",
                "data-searchable-placeholder": _("Type to search…"),
                "data-searchable-no-results": _("No results"),
                "data-searchable-remove": _("Remove"),
                "data-searchable-clear": _("Clear"),
            }
        return context


class SearchableSelect(SearchableMixin, forms.Select):
    pass


class SearchableSelectMultiple(SearchableMixin, forms.SelectMultiple):
    pass


SEARCHABLE = {forms.Select: SearchableSelect, forms.SelectMultiple: SearchableSelectMultiple}


def make_searchable(fields) -> None:
    """Let the plain selects among ``fields`` become searchable (SearchableMixin). The widget keeps its state and
    only changes class, so a queryset set on the field later still reaches it; other widgets (radio buttons,
    checkbox pills, a form's own select classes) are left as they are."""
    for field in fields:
        searchable = SEARCHABLE.get(type(field.widget))
        if searchable is not None:
            field.widget.__class__ = searchable


class EmptyChoices:
    """Mix into a form: its empty choices read ``empty_choice_label`` (translated) instead of "---------", its
    long selects and multiple choices can be searched by typing (``make_searchable``) and its choice widgets render
    without a template per option (``core.widgets.lighten``)."""

    empty_choice_label = EMPTY_CHOICE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self.fields.values(), self.empty_choice_label)
        make_searchable(self.fields.values())
        lighten(self.fields.values())


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


class CalendarDayForm(EmptyChoices, forms.ModelForm):
    """A day of the working-day calendar that differs from Monday to Friday (core.models.CalendarDay.clean)."""

    class Meta:
        model = CalendarDay
        fields = ["date", "working", "name", "name_en"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working"].help_text = _(
            "Ticked: people work that day (a moved working day at a weekend). Unticked: a day off (a holiday)."
        )
        self.fields["name"].help_text = _("The holiday's name in Chinese; its English name below.")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", widget_css(field.widget))

    def clean_date(self):
        from . import workdays

        day = self.cleaned_data["date"]
        if not workdays.FIRST_YEAR <= day.year <= workdays.LAST_YEAR:
            raise forms.ValidationError(
                _("The calendar covers the years %(first)s to %(last)s.")
                % {"first": workdays.FIRST_YEAR, "last": workdays.LAST_YEAR}
            )
        return day

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"
