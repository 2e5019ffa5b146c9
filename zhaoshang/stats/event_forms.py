"""Forms of the event pages: an event with its venues (one page, a formset), and a project put on its list."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core import search
from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseForm, BaseModelForm, EmptyChoices, widget_css
from zhaoshang.core.permissions import user_scope
from zhaoshang.projects.models import Project

from . import events as services
from .event_choices import KIND_ROLES, EventRole
from .models import Event, EventVenue

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def styled(form: forms.Form) -> None:
    for f in form.fields.values():
        if not isinstance(f.widget, forms.HiddenInput):
            f.widget.attrs.setdefault("class", widget_css(f.widget))


def organiser_teams(user):
    """The teams ``user`` may organise an event for: those they write for (the centre and administrators: any)."""
    scope = user_scope(user)
    if scope.is_admin or scope.in_centre(Action.ADD):
        return Team.objects.filter(active=True)
    return Team.objects.filter(pk__in=sorted(scope.teams(Action.ADD)))


class EventForm(BaseModelForm):
    class Meta:
        model = Event
        fields = ["name", "name_en", "kind", "start_on", "end_on", "organiser_team", "description"]
        widgets = {"start_on": DATE_INPUT, "end_on": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        teams = organiser_teams(self.user)
        if self.instance.organiser_team_id:
            teams = teams | Team.objects.filter(pk=self.instance.organiser_team_id)
        self.fields["organiser_team"].queryset = teams.distinct()
        if self.instance.pk is None and teams.count() == 1:
            self.fields["organiser_team"].initial = teams.first()

    def clean_organiser_team(self):
        team = self.cleaned_data.get("organiser_team")
        if team is not None and team.pk != self.instance.organiser_team_id:
            if not organiser_teams(self.user).filter(pk=team.pk).exists():
                raise forms.ValidationError(_("You can only organise events for a team you work in."))
        return team

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("An event cannot end before its first day."))
        return cleaned


class VenueForm(EmptyChoices, forms.ModelForm):
    class Meta:
        model = EventVenue
        fields = ["name", "name_en", "city", "online", "held_on", "order"]
        widgets = {"held_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class BaseVenueFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = 0
        for form in self.forms:
            if self._should_delete_form(form):
                venue = form.instance
                if venue.pk and venue.links.exists():
                    raise forms.ValidationError(
                        _("The venue “%(venue)s” has projects on the list: move or remove them before deleting it.")
                        % {"venue": venue}
                    )
                continue
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get("name"):
                kept += 1
        if not kept:
            raise forms.ValidationError(_("An event needs at least one venue."))


VenueFormSet = inlineformset_factory(
    Event, EventVenue, form=VenueForm, formset=BaseVenueFormSet, extra=2, can_delete=True
)


OFFERED = 50


def project_label(project: Project) -> str:
    amount = project.planned_investment
    parts = [project.name, project.enterprise.display_name, project.get_stage_display()]
    if amount is not None:
        parts.append(_("%(amount)s (10,000 yuan)") % {"amount": f"{amount.normalize():f}"})
    return " · ".join(str(p) for p in parts)


def project_options(user, query: str = "") -> list[tuple[int, str]]:
    """(id, label) of at most OFFERED projects ``user`` may look up (a ceremony's list is announced: every project
    that is not confidential, and those they read), matching ``query`` (Chinese full-text search), the latest
    signed first."""
    projects = (
        Project.objects.restrict(user, Action.LOOKUP)
        .select_related("enterprise")
        .defer("search_text", "enterprise__search_text")
    )
    q = search.query_q(query) if query.strip() else None
    if q is not None:
        projects = projects.filter(q)
    projects = projects.order_by(F("signed_on").desc(nulls_last=True), "-lead_on", "-pk")[:OFFERED]
    return [(p.pk, project_label(p)) for p in projects]


class AddProjectForm(BaseForm):
    """Put one of the projects the user may see on the event's list, at a venue, in a role."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=EventVenue.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=EventRole.choices)

    def __init__(self, event: Event, user, *args, query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.user = user
        field = self.fields["project"]
        field.queryset = Project.objects.restrict(user, Action.LOOKUP).defer("search_text")
        # Any visible project is accepted; the drop-down offers those matching the search (htmx), at most OFFERED.
        options = project_options(user, query)
        chosen = self.data.get(self.add_prefix("project")) if self.is_bound else None
        if chosen and str(chosen).isdigit() and int(chosen) not in {pk for pk, _label in options}:
            picked = field.queryset.select_related("enterprise").filter(pk=int(chosen)).first()
            if picked is not None:  # keep the user's choice on the form when it comes back with an error
                options.insert(0, (picked.pk, project_label(picked)))
        field.widget.choices = [("", "---------"), *options]
        self.fields["venue"].queryset = event.venues.all()
        venues = list(event.venues.all())
        if len(venues) == 1:
            self.fields["venue"].initial = venues[0]
        self.fields["role"].initial = KIND_ROLES.get(event.kind, EventRole.SIGNED)
        styled(self)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                services.check_link(self.event, cleaned.get("venue"), cleaned.get("project"), cleaned.get("role"))
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    self.add_error(name if name in self.fields else None, messages)
        return cleaned
