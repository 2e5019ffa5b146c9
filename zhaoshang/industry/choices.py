from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeLevel(models.TextChoices):
    SECTION = "section", _("Section (门类)")
    DIVISION = "division", _("Division (大类)")
    GROUP = "group", _("Group (中类)")
    CLASS = "class", _("Class (小类)")
