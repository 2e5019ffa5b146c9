"""Foreign capital actually paid in (实际利用外资), and the published figures statistics compare with."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import Scope, user_scope
from zhaoshang.core.units import quantize
from zhaoshang.geo.models import Region
from zhaoshang.industry.models import Enterprise
from zhaoshang.projects.models import Project

__all__ = ["FDIRecord", "ComparisonFigure", "fdi_readable", "next_fdi_codes"]

# 万元 = 万美元 × rate may differ from the entered value by this share at most (rates are published rounded).
RATE_TOLERANCE = Decimal("0.001")

FDI_CODE_PREFIX = "WZ"


def next_fdi_codes(count: int, year: int) -> list[str]:
    """``count`` unused references of FDI records of ``year`` (WZ2026-000001, …)."""
    prefix = f"{FDI_CODE_PREFIX}{year}-"
    last = (
        FDIRecord._base_manager.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    )
    number = int(last[len(prefix) :]) if last and last[len(prefix) :].isdigit() else 0
    return [f"{prefix}{number + i:06d}" for i in range(1, count + 1)]


def fdi_readable(user) -> bool:
    """Whether ``user`` may open the FDI pages at all: administrators, leaders, the centre and district bureaus
    (for their district). Outposts, task forces and partners do not handle foreign-capital statistics."""
    scope = user_scope(user)
    return scope.is_admin or scope.is_leader or scope.in_centre(Action.VIEW) or bool(scope.regions(Action.VIEW))


class FDIRecord(BaseModel):
    """Foreign capital one enterprise (for one project) actually paid in in one month, as the commerce
    statistics report it: in 万美元, and in 万元 at the exchange rate used."""

    code = models.CharField(
        _("reference"),
        max_length=30,
        unique=True,
        blank=True,
        help_text=_("Given on creation (e.g. WZ2026-000001); an Excel import updates the record of this reference."),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("foreign-invested enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fdi_records",
        help_text=_("Taken from the project when empty; the consistency checks list records without one."),
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fdi_records",
    )
    district = models.ForeignKey(
        Region,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Taken from the project (or the enterprise's district) when empty."),
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("recorded by team"),
        on_delete=models.PROTECT,
        related_name="fdi_records",
    )
    month = models.DateField(_("month"), help_text=_("The month the capital was paid in (YYYY-MM)."))
    amount_usd = models.DecimalField(
        _("amount (10,000 US dollars)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    exchange_rate = models.DecimalField(
        _("exchange rate (yuan per US dollar)"),
        max_digits=8,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    amount_cny = models.DecimalField(
        _("amount (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Computed from the dollar amount and the rate when empty."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-month", "code"]
        verbose_name = _("actual FDI record")
        verbose_name_plural = _("actual FDI records")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_usd__gte=0) & Q(amount_cny__gte=0),
                name="stats_fdi_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]
        indexes = [
            # serves the FDI figures: records of a range of months, grouped by district
            models.Index(fields=["month", "district", "amount_cny"], name="stats_fdi_month_idx"),
            # serves the consistency check of foreign-tagged enterprises (any FDI of an enterprise)
            models.Index(fields=["enterprise", "month"], name="stats_fdi_enterprise_idx"),
        ]

    def __str__(self):
        who = self.enterprise.display_name if self.enterprise_id else _("(no enterprise)")
        return f"{who} · {self.month:%Y-%m}" if self.month else str(who)

    def get_absolute_url(self):
        return reverse("stats:fdi-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.fill_derived()
        if not self.code:
            self.code = next_fdi_codes(1, (self.month or self.created or _today()).year)[0]
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "code"}
        return super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """The first day of the month, the enterprise and district from the project, 万元 from 万美元 × rate."""
        if self.month is not None:
            self.month = self.month.replace(day=1)
        if self.project_id:
            if self.enterprise_id is None:
                self.enterprise_id = self.project.enterprise_id
            if self.district_id is None:
                self.district_id = self.project.district_id
        if self.district_id is None and self.enterprise_id and self.enterprise.hq_region_id:
            self.district_id = self.enterprise.hq_region_id
        if self.amount_cny is None and self.amount_usd is not None and self.exchange_rate is not None:
            self.amount_cny = quantize(self.amount_usd * self.exchange_rate, 2)

    def clean(self):
        errors = {}
        if self.project_id and self.enterprise_id and self.project.enterprise_id != self.enterprise_id:
            errors["project"] = _("This project belongs to another enterprise.")
        if self.amount_cny is not None and self.amount_usd is not None and self.exchange_rate is not None:
            expected = self.amount_usd * self.exchange_rate
            if abs(self.amount_cny - expected) > max(Decimal("0.01"), expected * RATE_TOLERANCE):
                errors["amount_cny"] = _(
                    "%(cny)s (10,000 yuan) is not %(usd)s (10,000 US dollars) at the rate %(rate)s (that gives "
                    "%(expected)s); correct the amount or the rate, or leave the yuan amount empty."
                ) % {
                    "cny": self.amount_cny,
                    "usd": self.amount_usd,
                    "rate": self.exchange_rate,
                    "expected": quantize(expected, 2),
                }
        self.fill_derived()
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """The centre reads and keeps every record; a district bureau those of its district; a team those it
        recorded. Leaders read everything (core.permissions)."""
        if scope.in_centre(action):
            return Q()
        return scope.region_q(action, "district__adcode") | scope.team_q(action, "team")

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return scope.is_admin or scope.in_centre(Action.ADD) or bool(scope.regions(Action.ADD))


def _today():
    from django.utils import timezone

    return timezone.localdate()


class ComparisonFigure(BaseModel):
    """A published figure the city's own are compared with (e.g. the province's average growth of actual FDI in
    1—10月): entered as data, since it comes from someone else's report."""

    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. the province's average growth of actual FDI"))
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    metric = models.CharField(
        _("compared with"), max_length=60, blank=True, help_text=_("The metric this figure is set beside.")
    )
    period = models.CharField(_("period"), max_length=20, help_text=_("2026, 2026-q3, 2026-11 or 2026-ytd-10."))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=20, default="%", blank=True)
    source = models.CharField(_("published in"), max_length=200, blank=True)

    class Meta:
        ordering = ["-period", "name"]
        verbose_name = _("comparison figure")
        verbose_name_plural = _("comparison figures")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "period"],
                name="stats_comparison_name_period_unique",
                violation_error_message=_("This figure is already recorded for this period."),
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.period}"

    def get_absolute_url(self):
        return reverse("stats:comparison-edit", args=[self.pk])

    def clean(self):
        from ..metrics import METRICS
        from ..periods import Period

        errors = {}
        try:
            self.period = Period.parse(self.period).key
        except ValueError as error:
            errors["period"] = str(error)
        if self.metric and self.metric not in METRICS:
            errors["metric"] = _("There is no metric “%(metric)s”.") % {"metric": self.metric}
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """Published figures: every member of staff reads them; the centre keeps them."""
        return Q() if action == Action.VIEW or scope.in_centre(action) else None

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return scope.is_admin or scope.in_centre(Action.ADD)
