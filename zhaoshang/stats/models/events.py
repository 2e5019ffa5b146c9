"""Investment conferences and ceremonies (招商大会, 集中签约/动工/投产), their venues and the projects of each.

An event is organised by one team and held at one or more venues (a main venue and branch venues in other
cities, on site or online), each on one day of the event. ``EventProject`` puts a project on the event's list
at a venue in a role: signed, construction started or production started there. The role names a stage of
the pipeline; the project's date of that stage, kept by ``projects.services.transition``, is never written
here: a project that has reached the stage must have reached it on the venue's day (``stats.events``).

Every member of staff reads the events; the organising team, the centre and administrators change them.
The list of an event shows each reader only the projects they may see (a confidential project stays with
its teams); the event's figures count every project on the list.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import Scope, user_scope
from zhaoshang.projects.models import Project, project_scope_q

from ..event_choices import EventKind, EventRole

__all__ = ["Event", "EventProject", "EventVenue", "event_scope_q"]


def event_scope_q(scope: Scope, action: str, prefix: str = "") -> Q | None:
    """Which events (or, with ``prefix="event__"``, which of their records) ``scope`` may ``action``.

    Read: every member of staff. Write: writing members of the organising team and of the centre
    (administrators: everything, leaders: read only — core.permissions)."""
    if action == Action.VIEW or scope.in_centre(action):
        return Q()
    return scope.team_q(action, f"{prefix}organiser_team")


def _can_add(user) -> bool:
    scope = user_scope(user)
    return scope.is_admin or bool(scope.teams(Action.ADD))


class Event(BaseModel):
    """An investment conference or a ceremony of signing, groundbreaking or production."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.CONFERENCE)
    start_on = models.DateField(_("first day"))
    end_on = models.DateField(_("last day"), null=True, blank=True, help_text=_("Leave empty for an event of one day."))
    organiser_team = models.ForeignKey(
        Team, verbose_name=_("organising team"), on_delete=models.PROTECT, related_name="organised_events"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-start_on", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="stats_event_ends_after_start",
                violation_error_message=_("An event cannot end before its first day."),
            ),
        ]
        indexes = [
            # serves the event list, newest first
            models.Index(fields=["-start_on"], name="stats_event_start_idx"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("stats:event-detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def delete(self, *args, **kwargs):
        """The event with its list and venues (a venue is protected while projects are listed at it)."""
        with transaction.atomic():
            self.links.all().delete()
            return super().delete(*args, **kwargs)

    @property
    def last_day(self):
        return self.end_on or self.start_on

    @property
    def days_display(self) -> str:
        first = formats.date_format(self.start_on, "Y-m-d")
        if self.last_day == self.start_on:
            return first
        return f"{first} – {formats.date_format(self.last_day, 'Y-m-d')}"

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return event_scope_q(scope, action)

    @classmethod
    def can_add(cls, user) -> bool:
        return _can_add(user)


class EventVenue(BaseModel):
    """A place the event is held (main venue, branch venue in another city, an online venue) on one of its days."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("venue"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    city = models.CharField(_("city or region"), max_length=100, blank=True)
    online = models.BooleanField(_("online"), default=False, help_text=_("Held online rather than on site."))
    held_on = models.DateField(_("date"), blank=True, help_text=_("A day of the event; empty: its first day."))
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["event", "order", "pk"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="stats_venue_unique_name",
                violation_error_message=_("The event already has a venue of this name."),
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return self.event.get_absolute_url()

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def clean(self):
        try:
            event = self.event  # a new event's venues carry the event being created
        except Event.DoesNotExist:
            return
        if event.start_on is None:
            return
        if self.held_on is None:
            self.held_on = event.start_on
        if not event.start_on <= self.held_on <= event.last_day:
            raise ValidationError(
                {"held_on": _("The venue's date must be a day of the event (%(days)s).") % {"days": event.days_display}}
            )

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return event_scope_q(scope, action, prefix="event__")

    @classmethod
    def can_add(cls, user) -> bool:
        return _can_add(user)


class EventProject(BaseModel):
    """A project on an event's list: at a venue, in a role (signed, construction or production started there)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="links")
    venue = models.ForeignKey(EventVenue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="links")
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=EventRole.choices, default=EventRole.SIGNED)
    order = models.PositiveIntegerField(_("order in the list"), default=1)

    class Meta:
        ordering = ["event", "venue__order", "venue", "order", "pk"]
        verbose_name = _("project of an event")
        verbose_name_plural = _("projects of events")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "project", "role"],
                name="stats_event_project_role_unique",
                violation_error_message=_("This project is already on the event's list in this role."),
            ),
        ]
        indexes = [
            # serves the event's figures and list: its projects by venue and role
            models.Index(fields=["event", "venue", "role"], name="stats_eventproject_list_idx"),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_role_display()}"

    def get_absolute_url(self):
        return self.event.get_absolute_url()

    def clean(self):
        if self.venue_id and self.event_id and self.venue.event_id != self.event_id:
            raise ValidationError({"venue": _("This venue belongs to another event.")})

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        if action == Action.VIEW:
            # A ceremony's list is announced: whoever sees the event reads its projects' names, investors and
            # amounts, except a confidential project, which only those who read it see (Action.LOOKUP).
            return project_scope_q(scope, Action.LOOKUP, outer="project_id", prefix="project__")
        return event_scope_q(scope, action, prefix="event__")

    @classmethod
    def can_add(cls, user) -> bool:
        return _can_add(user)
