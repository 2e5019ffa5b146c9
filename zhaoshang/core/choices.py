from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What a user wants to do with a record; querysets are restricted per action."""

    VIEW = "view", _("view")
    ADD = "add", _("add")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")


class ChangeKind(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
