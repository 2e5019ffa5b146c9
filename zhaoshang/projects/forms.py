"""Forms of the project pages: the project itself, a stage change, a date correction and the project's records."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team, User
from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseForm, BaseModelForm, widget_css
from zhaoshang.core.permissions import user_scope
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Carrier, Park, Region
from zhaoshang.industry.choices import CodeLevel
from zhaoshang.industry.models import Chain, Enterprise, IndustryCode
from zhaoshang.industry.validators import clean_uscc, validate_uscc

from . import services
from .choices import STAGE_DATE_FIELDS, Stage
from .models import Activity, Contact, Document, Milestone, Project

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LIGHT = ("boundary", "search_text")


def styled(form: forms.Form) -> None:
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", widget_css(field.widget))


class ProjectForm(BaseModelForm):
    """A project's facts. A new project names its investor: an enterprise on record, or a credit code and name
    (found or created on saving). Stages and their dates change only through the stage form."""

    enterprise = forms.ModelChoiceField(
        label=_("Investor enterprise on record"), queryset=Enterprise.objects.none(), required=False
    )
    enterprise_uscc = forms.CharField(
        label=_("Or: the investor's unified social credit code"),
        max_length=40,
        required=False,
        help_text=_("An enterprise already on record with this code is used whatever name is typed."),
    )
    enterprise_name = forms.CharField(label=_("and its name"), max_length=200, required=False)
    lead_on = forms.DateField(
        label=_("Date of the lead"), widget=DATE_INPUT, help_text=_("The day of the first contact or inquiry.")
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "project_type",
            "industry_code",
            "chain",
            "planned_investment",
            "foreign_investment",
            "land_need_mu",
            "district",
            "park",
            "carrier",
            "source",
            "owner_team",
            "owner",
            "supporting_teams",
            "confidential",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    NEW_ONLY = ("enterprise", "enterprise_uscc", "enterprise_name", "lead_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user_scope(self.user)
        if self.instance.pk is not None:
            for name in self.NEW_ONLY:
                del self.fields[name]
        else:
            self.fields["enterprise"].queryset = Enterprise.objects.restrict(self.user).defer("search_text")
            self.fields["lead_on"].initial = timezone.localdate()
            self.order_fields(["name", *self.NEW_ONLY])
        own = scope.teams(Action.ADD)  # the teams the user files projects for as a member
        writable = set(scope.teams(Action.CHANGE))
        if self.instance.owner_team_id:
            writable.add(self.instance.owner_team_id)
        everyone = scope.is_admin or scope.in_centre(Action.CHANGE)
        teams = Team.objects.filter(active=True) if everyone else Team.objects.filter(pk__in=sorted(writable))
        if own:  # the user's own teams first, then the others in their usual order
            first = Case(When(pk__in=sorted(own), then=Value(0)), default=Value(1))
            teams = teams.annotate(own_first=first).order_by("own_first", *Team._meta.ordering)
        self.fields["owner_team"].queryset = teams
        if self.instance.pk is None:
            # a new project is filed for the user's team when they work in one that may own it; with several,
            # none is chosen for them (they are listed first)
            mine = list(teams.filter(pk__in=sorted(own), active=True).values_list("pk", flat=True)[:2])
            if len(mine) == 1:
                self.fields["owner_team"].initial = mine[0]
        self.fields["owner"].queryset = User.objects.filter(memberships__team__in=teams, is_active=True).distinct()
        self.fields["supporting_teams"].queryset = Team.objects.filter(active=True)
        self.fields["district"].queryset = Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary")
        self.fields["park"].queryset = Park.objects.defer(*LIGHT)
        self.fields["carrier"].queryset = Carrier.objects.defer(*LIGHT)
        self.fields["industry_code"].queryset = IndustryCode.objects.exclude(level=CodeLevel.SECTION)
        self.fields["chain"].queryset = Chain.objects.filter(active=True)

    def clean_owner_team(self):
        team = self.cleaned_data.get("owner_team")
        if team is not None and team.pk != self.instance.owner_team_id:
            try:
                services.check_owner_team(self.user, team)
            except ValidationError as exc:
                raise forms.ValidationError(exc.message_dict["owner_team"]) from None
        return team

    def clean_enterprise_uscc(self):
        code = clean_uscc(self.cleaned_data.get("enterprise_uscc") or "")
        if code:
            validate_uscc(code)
        return code

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            if cleaned.get("lead_on") and cleaned["lead_on"] > timezone.localdate():
                self.add_error("lead_on", _("The date of the lead cannot be in the future."))
            named = cleaned.get("enterprise_uscc") or (cleaned.get("enterprise_name") or "").strip()
            if not cleaned.get("enterprise") and not named and "enterprise_uscc" not in self.errors:
                self.add_error("enterprise", _("Choose the investor enterprise, or give its credit code and name."))
        return cleaned

    def create(self) -> Project:
        """Create the project through the service (one history row, the enterprise found or created)."""
        data = self.cleaned_data
        fields = {
            name: data[name] for name in self.Meta.fields if name not in ("supporting_teams", "name", "owner_team")
        }
        return services.create_project(
            self.user,
            name=data["name"],
            owner_team=data["owner_team"],
            enterprise=data.get("enterprise"),
            uscc=data.get("enterprise_uscc"),
            enterprise_name=data.get("enterprise_name", ""),
            lead_on=data["lead_on"],
            supporting_teams=list(data.get("supporting_teams") or ()),
            **fields,
        )


class MoveField(forms.ChoiceField):
    """The stage to move to: offers the legal moves, and lets any value through to the service
    (projects.services.check_transition), which says why a move is refused — the same words on every path,
    also for a stage offered on a page that someone else's move has since made stale."""

    def valid_value(self, value):
        return True


class TransitionForm(BaseForm):
    """Move a project to another stage on the day it happened (a reason is needed to drop it)."""

    to_stage = MoveField(label=_("New stage"))
    happened_on = forms.DateField(label=_("Date it happened"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to drop the project."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, project: Project, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["to_stage"].choices = [(s, Stage(s).label) for s in services.allowed_moves(project)]
        self.fields["happened_on"].initial = timezone.localdate()
        styled(self)


class CorrectDateForm(BaseForm):
    """Put right the date a stage was reached, or give the date of a stage reached on a day that was unknown."""

    stage = forms.ChoiceField(label=_("Stage"))
    happened_on = forms.DateField(label=_("Correct date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, project: Project, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        dated = {s for s, _day in project.reached_stages()}
        undated = set(project.undated_stages())
        self.fields["stage"].choices = [
            (s, Stage(s).label if s in dated else _("%(stage)s (date unknown)") % {"stage": Stage(s).label})
            for s in STAGE_DATE_FIELDS
            if s in dated or s in undated
        ]
        styled(self)


class ProjectRecordForm(BaseModelForm):
    """A record of a project (the view sets ``instance.project`` before validation)."""


class ActivityForm(ProjectRecordForm):
    class Meta:
        model = Activity
        fields = ["kind", "happened_on", "summary", "participants", "external_participants"]
        widgets = {
            "happened_on": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "external_participants": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = User.objects.filter(is_active=True, memberships__isnull=False).distinct()
        if self.instance.pk is None and self.initial.get("happened_on") is None:
            # the instance's empty date is in self.initial and would hide a field initial
            self.initial["happened_on"] = timezone.localdate()

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("An activity is recorded after it happened: the date cannot be in the future.")
            )
        return day


class MilestoneForm(ProjectRecordForm):
    class Meta:
        model = Milestone
        fields = ["name", "stage", "planned_on", "actual_on", "note"]
        widgets = {"planned_on": DATE_INPUT, "actual_on": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 2})}


class ContactForm(ProjectRecordForm):
    class Meta:
        model = Contact
        fields = ["name", "position", "organization", "phone", "email", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(ProjectRecordForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "file"]


class SpeedForm(BaseForm):
    """The period and grouping of the speed page (default: this calendar year up to today, no grouping)."""

    GROUP_CHOICES = [
        ("", _("No grouping")),
        ("district", _("District")),
        ("team", _("Team")),
        ("source", _("Lead source")),
        ("chain", _("Industry chain")),
    ]

    period_start = forms.DateField(label=_("Period from"), required=False, widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DATE_INPUT)
    group_by = forms.ChoiceField(label=_("Group by"), choices=GROUP_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period_start"].initial = today.replace(month=1, day=1)
        self.fields["period_end"].initial = today
        styled(self)

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        cleaned["period_start"] = cleaned.get("period_start") or today.replace(month=1, day=1)
        cleaned["period_end"] = cleaned.get("period_end") or today
        if cleaned["period_end"] < cleaned["period_start"]:
            self.add_error("period_end", _("The end of the period is before its start."))
        cleaned["group_by"] = cleaned.get("group_by") or None
        return cleaned

    def period(self) -> tuple:
        """(start, end, group_by), the defaults when the form is unbound or invalid."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return data["period_start"], data["period_end"], data["group_by"]
        return self.fields["period_start"].initial, self.fields["period_end"].initial, None
