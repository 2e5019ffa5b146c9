"""A land allocation proposal kept as it was shown (供地建议存档): the parameters, the figures and every row with
its reasons, so that a meeting can refer to it later. Kept by the centre; the projects are not changed."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import Scope, user_scope

FIGURE = {"max_digits": 16, "decimal_places": 2}


class SavedAllocation(BaseModel):
    title = models.CharField(_("title"), max_length=200)
    tolerance = models.DecimalField(_("area tolerance"), max_digits=6, decimal_places=4)
    filters = models.JSONField(_("districts and parks"), default=dict, blank=True)
    objective = models.DecimalField(_("expected tax of the proposal (10,000 yuan a year)"), **FIGURE)
    baseline_objective = models.DecimalField(_("expected tax first come, first served (10,000 yuan a year)"), **FIGURE)
    upper_bound = models.DecimalField(_("upper bound (10,000 yuan a year)"), **FIGURE)
    projects_waiting = models.PositiveIntegerField(_("projects waiting"), default=0)
    parcels_on_offer = models.PositiveIntegerField(_("parcels on offer"), default=0)
    rows = models.JSONField(_("proposed grants"), default=list, blank=True)
    left = models.JSONField(_("projects without land"), default=list, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("saved land allocation")
        verbose_name_plural = _("saved land allocations")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("review:allocation-record", args=[self.pk])

    @property
    def gain(self):
        return self.objective - self.baseline_objective

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """The centre reads and keeps them (its writing members); nobody else but leaders and administrators."""
        return Q() if scope.in_centre(action) else None

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return scope.is_admin or scope.in_centre(Action.ADD)
