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


class EnterpriseSize(models.TextChoices):
    """Size classes of 统计上大中小微型企业划分办法 (2017), by staff, revenue or assets of the industry."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")
