from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetState(models.TextChoices):
    """What became of a target enterprise: taken up as a lead, or set aside with a reason."""

    TAKEN = "taken", _("Taken as a lead")
    DISMISSED = "dismissed", _("Set aside")


class NodeStrength(models.TextChoices):
    """How well the city holds a chain node (chains.services.chain_figures: the documented rule)."""

    GAP = "gap", _("Gap")
    WEAK = "weak", _("Weak")
    STRONG = "strong", _("Strong")


class ChainActivityKind(models.TextChoices):
    RESEARCH = "research", _("Chain research")
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    EVENT = "event", _("Promotion event")
    OTHER = "other", _("Other")
