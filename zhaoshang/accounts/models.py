from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import Scope

from .choices import WRITE_ROLES, Role, TeamKind

adcode_validator = RegexValidator(r"^\d{6}$", _("An administrative division code has six digits."))


def adcode_prefix(adcode: str) -> str:
    """The prefix shared by a region's own code and all codes below it (440700 → 4407)."""
    prefix = adcode
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


class User(AbstractUser):
    """A member of staff. Investors do not log in; they use the public portal."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    audited = True
    audit_exclude = ("password", "last_login")

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("accounts:profile")

    @cached_property
    def scope(self) -> Scope:
        """What this user may reach (see core.permissions), from their active memberships."""
        memberships = list(
            self.memberships.filter(team__active=True).values_list("role", "team_id", "team__kind", "team__adcode")
        )
        roles = {role for role, *_rest in memberships}
        write = [m for m in memberships if m[0] in WRITE_ROLES]

        def teams(rows):
            return frozenset(team_id for _role, team_id, _kind, _adcode in rows)

        def regions(rows):
            return tuple(
                sorted({adcode_prefix(adcode) for _r, _t, kind, adcode in rows if kind == TeamKind.DISTRICT and adcode})
            )

        def centre(rows):
            return any(kind == TeamKind.CENTRE for _r, _t, kind, _a in rows)

        return Scope(
            user_id=self.pk,
            is_admin=self.is_superuser or Role.ADMIN in roles,
            is_leader=Role.LEADER in roles,
            team_ids={"read": teams(memberships), "write": teams(write)},
            region_prefixes={"read": regions(memberships), "write": regions(write)},
            centre={"read": centre(memberships), "write": centre(write)},
        )

    @property
    def roles(self) -> set[str]:
        return set(self.memberships.values_list("role", flat=True))


class Team(BaseModel):
    """A working unit: the centre, a district bureau, an outpost, a chain task force or a partner agency."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    adcode = models.CharField(
        _("district code"),
        max_length=6,
        blank=True,
        validators=[adcode_validator],
        help_text=_("For a district bureau: the administrative division code of its district."),
    )
    stationed_city = models.CharField(
        _("stationed in"), max_length=50, blank=True, help_text=_("For an outpost: the city it works in.")
    )
    stationed_city_en = models.CharField(_("stationed in (English)"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    webhook_url = models.URLField(
        _("group robot webhook"),
        max_length=500,
        blank=True,
        help_text=_(
            "The address of the team's group robot (e.g. a WeCom group robot's webhook): the team's notifications are "
            "also posted there. Anyone holding it can post to the group: keep it to those who manage the team."
        ),
    )
    members = models.ManyToManyField(
        User, through="Membership", through_fields=("team", "user"), related_name="teams", verbose_name=_("members")
    )

    # the webhook's key lets anyone post to the group: change records keep a fingerprint, never the address
    audit_secret = ("webhook_url",)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=TeamKind.DISTRICT) | ~models.Q(adcode=""),
                name="team_district_has_adcode",
                violation_error_message=_("A district bureau must name its district code."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=TeamKind.OUTPOST) | ~models.Q(stationed_city=""),
                name="team_outpost_has_city",
                violation_error_message=_("An outpost must name the city it is stationed in."),
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("accounts:team-detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class Membership(BaseModel):
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)

    class Meta:
        ordering = ["team", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team", "role"],
                name="membership_unique_role",
                violation_error_message=_("This user already has this role in this team."),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.team} · {self.get_role_display()}"

    def get_absolute_url(self):
        return self.team.get_absolute_url()
