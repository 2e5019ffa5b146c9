from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where a project stands. The first eight form the forward chain; paused and dropped stand aside."""

    LEAD = "lead", _("Lead")
    CONTACT = "contact", _("Contacted")
    NEGOTIATION = "negotiation", _("Negotiation")
    SIGNED = "signed", _("Signed")
    LAND = "land", _("Land supplied")
    CONSTRUCTION = "construction", _("Construction started")
    PRODUCTION = "production", _("Production started")
    FULL_PRODUCTION = "full_production", _("Full production")
    PAUSED = "paused", _("Paused")
    DROPPED = "dropped", _("Dropped")


STAGE_VALUES = frozenset(Stage.values)

# The forward chain, in order.
FORWARD = (
    Stage.LEAD,
    Stage.CONTACT,
    Stage.NEGOTIATION,
    Stage.SIGNED,
    Stage.LAND,
    Stage.CONSTRUCTION,
    Stage.PRODUCTION,
    Stage.FULL_PRODUCTION,
)
# The forward chain as choices (a milestone's stage, a date correction).
FORWARD_CHOICES = [(stage.value, stage.label) for stage in FORWARD]
# Stages before signing: a project may skip them (a lead may be signed directly).
PRE_SIGNING = (Stage.LEAD, Stage.CONTACT, Stage.NEGOTIATION)
# Stages that need a signing date first.
POST_SIGNING = (Stage.LAND, Stage.CONSTRUCTION, Stage.PRODUCTION, Stage.FULL_PRODUCTION)
# The date column of each stage of the forward chain (statistics count by these columns).
STAGE_DATE_FIELDS = {
    Stage.LEAD: "lead_on",
    Stage.CONTACT: "contact_on",
    Stage.NEGOTIATION: "negotiation_on",
    Stage.SIGNED: "signed_on",
    Stage.LAND: "land_on",
    Stage.CONSTRUCTION: "construction_on",
    Stage.PRODUCTION: "production_on",
    Stage.FULL_PRODUCTION: "full_production_on",
}


class TransitionKind(models.TextChoices):
    OPEN = "open", _("Opened")
    ADVANCE = "advance", _("Advanced")
    PAUSE = "pause", _("Paused")
    RESUME = "resume", _("Resumed")
    DROP = "drop", _("Dropped")
    REOPEN = "reopen", _("Reopened")
    CORRECT = "correct", _("Date corrected")


class LeadSource(models.TextChoices):
    OUTPOST = "outpost", _("Outpost promotion")
    CONFERENCE = "conference", _("Investment conference")
    REFERRAL = "referral", _("Investor referral")
    AGENCY = "agency", _("Partner agency")
    ONLINE = "online", _("Online inquiry")
    OTHER = "other", _("Other")


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    INSPECTION = "inspection", _("Site inspection")
    OTHER = "other", _("Other")


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement or contract")
    PLAN = "plan", _("Project plan")
    FEASIBILITY = "feasibility", _("Feasibility study")
    LICENCE = "licence", _("Business licence")
    MINUTES = "minutes", _("Minutes")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


class StallRule(models.TextChoices):
    """Why a project is flagged as stalled (thresholds are settings, see projects.services)."""

    SIGNED_NO_LAND = "signed_no_land", _("Signed, no land supplied")
    STARTED_NO_PRODUCTION = "started_no_production", _("Construction started, not producing")
    IDLE_BEFORE_SIGNING = "idle_before_signing", _("No activity before signing")


class DuplicateKind(models.TextChoices):
    CERTAIN = "certain", _("Same enterprise")
    POSSIBLE = "possible", _("Possibly the same enterprise")
