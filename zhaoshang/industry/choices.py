from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")
    GROUP = "group", _("Group")
    CLASS = "class", _("Class")
