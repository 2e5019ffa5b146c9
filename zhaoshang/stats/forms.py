"""Forms of the statistics app: an actual FDI record, a comparison figure, the figures page's choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseForm, BaseModelForm, widget_css
from zhaoshang.core.permissions import user_scope
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Region
from zhaoshang.industry.models import Enterprise
from zhaoshang.projects.models import Project

from .metrics import METRICS, SOURCES
from .models import ComparisonFigure, FDIRecord
from .periods import Period

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y年%m月"]


class MonthField(forms.DateField):
    """A month (YYYY-MM), kept as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", MONTH_FORMATS)
        kwargs.setdefault("error_messages", {"invalid": _("Enter a month as YYYY-MM.")})
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


def writable_teams(user):
    """The teams ``user`` may file records for (every active team for administrators)."""
    scope = user_scope(user)
    teams = Team.objects.filter(active=True)
    return teams if scope.is_admin else teams.filter(pk__in=sorted(scope.teams(Action.ADD)))


class FDIRecordForm(BaseModelForm):
    month = MonthField(label=_("month"), help_text=_("The month the capital was paid in (YYYY-MM)."))

    class Meta:
        model = FDIRecord
        fields = ["enterprise", "project", "district", "team", "month", "amount_usd", "exchange_rate", "amount_cny",
                  "note"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.restrict(self.user, Action.VIEW).defer("search_text")
        self.fields["project"].queryset = Project.objects.restrict(self.user, Action.VIEW).defer("search_text")
        self.fields["district"].queryset = Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary")
        self.fields["team"].queryset = writable_teams(self.user)


class ComparisonFigureForm(BaseModelForm):
    metric = forms.ChoiceField(label=_("compared with"), required=False)

    class Meta:
        model = ComparisonFigure
        fields = ["name", "name_en", "metric", "period", "value", "unit", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—"), *((m.key, m.label) for m in METRICS.values())]
        self.fields["metric"].widget.attrs["class"] = widget_css(self.fields["metric"].widget)


class FiguresForm(BaseForm):
    """Which figure to show: a metric, a period and, optionally, a breakdown."""

    metric = forms.ChoiceField(label=_("Metric"))
    period = forms.CharField(
        label=_("Period"), help_text=_("2026, 2026-q3, 2026-11 or 2026-ytd-11 (January to November).")
    )
    group = forms.ChoiceField(label=_("Break down by"), required=False)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(m.key, m.label) for m in METRICS.values()]
        groups = {}
        for source in SOURCES.values():
            for group in source.groups.values():
                groups.setdefault(group.key, group.label)
        self.fields["group"].choices = [("", "—"), *groups.items()]
        if today is not None:
            self.fields["period"].initial = Period.default(today).key
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", widget_css(field.widget))

    def clean_period(self):
        try:
            return Period.parse(self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        metric, group = METRICS.get(data.get("metric") or ""), data.get("group") or None
        if metric is not None and group is not None and group not in metric.source_def.groups:
            self.add_error("group", _("This metric cannot be broken down that way."))
        data["group"] = group
        return data


class ReportPublishForm(BaseForm):
    """Publishing the city's report of a month: its date of issue (default: the day of publishing)."""

    issued_on = forms.DateField(
        label=_("Date of issue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date the report bears; empty: today."),
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        if today is not None:
            self.fields["issued_on"].initial = today
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", widget_css(field.widget))
