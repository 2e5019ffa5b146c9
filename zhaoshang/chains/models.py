"""Chain targeting: the enterprises pursued for a chain's gap and weak nodes, the task forces' shared record of
their work, and the chains' monthly figures from the statistics bureau.

The chains, their segments and nodes and the classification of enterprises to nodes are reference data of
``industry``; the figures and ranking that read them with the pipeline are ``chains.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import CentreKeptMixin, Scope, user_scope
from zhaoshang.industry.models import Chain, ChainNode, Enterprise
from zhaoshang.projects.models import Project

from .choices import ChainActivityKind, TargetState


def chain_work_q(scope: Scope, action: str, team_field: str = "team") -> Q | None:
    """Records of chain work: the chain's task force, the team the record is given to, and the centre."""
    if scope.in_centre(action):
        return Q()
    q = scope.team_q(action, "chain__task_force") | scope.team_q(action, team_field)
    return q


class Target(BaseModel):
    """An enterprise outside the city pursued for a node of a chain: taken up as a lead, or set aside.

    Candidates that nobody has acted on yet are not stored: they are ranked when read
    (``chains.services.targets.rank_targets``); a row is written when someone takes or sets one aside, and it keeps the
    score and reasons shown at that moment.
    """

    node = models.ForeignKey(ChainNode, verbose_name=_("chain node"), on_delete=models.CASCADE, related_name="targets")
    chain = models.ForeignKey(Chain, verbose_name=_("industry chain"), on_delete=models.CASCADE, related_name="targets")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="chain_targets"
    )
    state = models.CharField(_("state"), max_length=12, choices=TargetState.choices)
    team = models.ForeignKey(
        Team,
        verbose_name=_("working team"),
        on_delete=models.PROTECT,
        related_name="chain_targets",
        help_text=_("The chain's task force, or the outpost given the lead."),
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chain_targets",
    )
    score = models.PositiveIntegerField(_("fit score"), default=0)
    # The parts of the score shown when it was acted on: [[part, points], …] (chains.services.targets.reason_label)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acted_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-acted_on", "-pk"]
        verbose_name = _("target enterprise")
        verbose_name_plural = _("target enterprises")
        constraints = [
            models.UniqueConstraint(
                fields=["node", "enterprise"],
                name="chains_target_unique",
                violation_error_message=_("This enterprise has already been taken or set aside for this node."),
            ),
        ]
        indexes = [
            # serves a task force's progress: its chains' targets by state
            models.Index(fields=["chain", "state"], name="chains_target_chain_state_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.node}"

    def get_absolute_url(self):
        return reverse("chains:node-detail", args=[self.node_id])

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return chain_work_q(scope, action)

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return (
            scope.is_admin
            or scope.in_centre(Action.ADD)
            or Chain.objects.filter(task_force__in=sorted(scope.teams(Action.ADD))).exists()
        )


class ChainActivity(BaseModel):
    """One entry of a chain's shared work record: research, a visit, a meeting, an event."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("industry chain"), on_delete=models.CASCADE, related_name="activities"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="chain_activities")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=ChainActivityKind.choices)
    summary = models.TextField(_("summary"))
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chain_activities",
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("chain activity")
        verbose_name_plural = _("chain activities")
        indexes = [
            # serves a chain's work record, newest first
            models.Index(fields=["chain", "-happened_on"], name="chains_activity_chain_day_idx"),
        ]

    def __str__(self):
        return f"{self.happened_on} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("chains:chain-work", args=[self.chain_id])

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return chain_work_q(scope, action)

    @classmethod
    def can_add(cls, user) -> bool:
        return Target.can_add(user)


class ChainValueAdded(CentreKeptMixin, BaseModel):
    """A chain's value added of enterprises above designated size (规上工业增加值), January to ``month`` of
    ``year``, as the statistics bureau publishes it: the amount and its growth at comparable prices."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("industry chain"), on_delete=models.PROTECT, related_name="value_added"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    value_added = models.DecimalField(
        _("value added, January to the month (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    growth = models.DecimalField(
        _("growth (%)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Year on year at comparable prices, as published (3.5 for +3.5%)."),
    )

    class Meta:
        ordering = ["-year", "-month", "chain__sort"]
        verbose_name = _("chain value added")
        verbose_name_plural = _("chain value added")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "year", "month"],
                name="chains_value_added_unique",
                violation_error_message=_("This chain already has a figure for this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="chains_value_added_month",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
        ]

    def __str__(self):
        return f"{self.chain} {self.year}-{self.month:02d}"

    def get_absolute_url(self):
        return reverse("chains:value-added-list") + f"?year={self.year}&month={self.month}"
