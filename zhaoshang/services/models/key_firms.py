"""The city's key enterprises (200强): the yearly ranked list, each firm's service officer and team, and the visit
plan and record. Logic: ``services.services.key_firms``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import Scope
from zhaoshang.industry.models import Enterprise

from ..choices import RankBasis, VisitState


def service_team_q(scope: Scope, action: str, prefix: str = "") -> Q:
    """Key-firm service: the centre; the service team of the firm; its service officer."""
    if scope.in_centre(action):
        return Q()
    q = scope.team_q(action, f"{prefix}team")
    if scope.user_id is not None:
        q |= Q(**{f"{prefix}officer_id": scope.user_id})
    return q


class KeyEnterprise(BaseModel):
    """A firm on the year's list of key enterprises, with its rank, the figure it is ranked by, and who serves it."""

    year = models.PositiveSmallIntegerField(_("year"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="key_listings"
    )
    basis = models.CharField(_("ranked by"), max_length=10, choices=RankBasis.choices, default=RankBasis.OUTPUT)
    output_wan = models.DecimalField(
        _("industrial output (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    tax_wan = models.DecimalField(_("tax paid (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_enterprises",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("service team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_enterprises",
    )

    class Meta:
        ordering = ["-year", "rank"]
        verbose_name = _("key enterprise")
        verbose_name_plural = _("key enterprises")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "enterprise"],
                name="services_key_unique_firm",
                violation_error_message=_("This enterprise is already on the year's list."),
            ),
            models.UniqueConstraint(
                fields=["year", "rank"],
                name="services_key_unique_rank",
                violation_error_message=_("Another enterprise already has this rank in the year."),
            ),
        ]

    def __str__(self):
        return f"{self.year} #{self.rank} {self.enterprise}"

    def get_absolute_url(self):
        return reverse("services:key-detail", args=[self.pk])

    @property
    def name(self) -> str:
        """The firm's registered name (as its pages and the list show it)."""
        return self.enterprise.name

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        # every member of staff reads the list; the service team, its officer and the centre keep it
        if action in ("view", "lookup") and (scope.teams(action) or scope.is_leader or scope.is_admin):
            return Q()
        return service_team_q(scope, action)


class ServiceVisit(BaseModel):
    """A planned or done visit to a key enterprise, with what was found and the requests it raised."""

    key_enterprise = models.ForeignKey(
        KeyEnterprise, verbose_name=_("key enterprise"), on_delete=models.CASCADE, related_name="visits"
    )
    planned_on = models.DateField(_("planned on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=VisitState.choices, default=VisitState.PLANNED)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("service visit")
        verbose_name_plural = _("service visits")

    def __str__(self):
        return f"{self.key_enterprise.enterprise} {self.planned_on}"

    def get_absolute_url(self):
        return reverse("services:key-detail", args=[self.key_enterprise_id])

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return service_team_q(scope, action, "key_enterprise__") | service_team_q(scope, action)
