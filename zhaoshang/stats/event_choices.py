"""Choices of the events: what kind of event, and what a project does at it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.projects.choices import Stage


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Investment conference")
    SIGNING = "signing", _("Signing ceremony")
    GROUNDBREAKING = "groundbreaking", _("Groundbreaking ceremony")
    PRODUCTION = "production", _("Production ceremony")


class EventRole(models.TextChoices):
    """What a project does at an event: the stage of the pipeline it reaches there."""

    SIGNED = "signed", _("Signed")
    STARTED = "started", _("Construction started")
    PRODUCING = "producing", _("Production started")


# The stage of the pipeline each role records (its date column is the day it happened).
ROLE_STAGES = {
    EventRole.SIGNED: Stage.SIGNED,
    EventRole.STARTED: Stage.CONSTRUCTION,
    EventRole.PRODUCING: Stage.PRODUCTION,
}
# The role a kind of ceremony is for (a conference may have every role).
KIND_ROLES = {
    EventKind.SIGNING: EventRole.SIGNED,
    EventKind.GROUNDBREAKING: EventRole.STARTED,
    EventKind.PRODUCTION: EventRole.PRODUCING,
}
