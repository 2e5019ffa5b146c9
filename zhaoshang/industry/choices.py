from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")
    GROUP = "group", _("Group")
    CLASS = "class", _("Class")


class ProjectType(models.TextChoices):
    """Kinds of investment project: each has its own landing guide and, later, review rules."""

    INDUSTRIAL = "industrial", _("Industrial")
    INDUSTRIAL_REAL_ESTATE = "industrial_real_estate", _("Industrial real estate")
    LOGISTICS = "logistics", _("Logistics")
    SERVICES = "services", _("Modern services")
    OTHER = "other", _("Other")
