"""Published monthly reports (工作通报), frozen: what they said and the records behind their figures, as they were."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import Scope, user_scope

__all__ = ["Report", "report_publisher"]


def report_publisher(user) -> bool:
    """Who publishes the city's report: administrators and writing members of the centre."""
    scope = user_scope(user)
    return scope.is_admin or scope.in_centre(Action.CHANGE)


class Report(BaseModel):
    """The city's report of one month as published: both languages' documents (``core.documents.to_data``, dated
    ``issued_on``) and, per headline figure, the projects it counted. Records changed afterwards do not change it."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    issued_on = models.DateField(
        _("date of issue"),
        editable=False,
        help_text=_(
            "The date the report bears: set by the publisher when publishing (default: the day of publishing)."
        ),
    )
    content = models.JSONField(_("content"), default=dict, editable=False)
    records = models.JSONField(_("records behind the figures"), default=dict, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                name="stats_report_one_per_month",
                violation_error_message=_("The report of this month has been published already."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12),
                name="stats_report_month_valid",
                violation_error_message=_("A month is between 1 and 12."),
            ),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"

    def get_absolute_url(self):
        return reverse("stats:report-published", args=[self.pk])

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """The city's published reports are read by the centre, leaders, administrators and the district bureaus
        (they are circulated to them); nobody changes one."""
        if action != Action.VIEW:
            return models.Q(pk__in=[])
        if scope.in_centre(action) or scope.regions(action):
            return models.Q()
        return models.Q(pk__in=[])

    @classmethod
    def can_add(cls, user) -> bool:
        return report_publisher(user)
