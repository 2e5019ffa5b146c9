from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    CENTRE = "centre", _("City investment-promotion centre")
    DISTRICT = "district", _("District bureau")
    OUTPOST = "outpost", _("Outpost")
    TASK_FORCE = "task_force", _("Industry-chain task force")
    PARTNER = "partner", _("Partner agency")
    DEPARTMENT = "department", _("Department")  # an approving or serving department (住建局, 自然资源局, 供电局…)


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    TEAM_LEAD = "team_lead", _("Team lead")
    REVIEWER = "reviewer", _("Reviewer")
    LEADER = "leader", _("Leader (read-only)")
    ADMIN = "admin", _("Administrator")


# Roles that may create and change their team's records.
WRITE_ROLES = frozenset({Role.OFFICER, Role.TEAM_LEAD, Role.ADMIN})
