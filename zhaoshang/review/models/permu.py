"""Per-mu evaluation (亩均效益综合评价, 以亩均论英雄): the enterprises' yearly figures, the city's methods (as
data), and the runs that score, rank and grade every enterprise of a year.

Units: money in 万元, land in 亩, energy in tonnes of standard coal (tce), power in 万kWh, emissions in tonnes of
the main pollutants (排放当量, t) — so that value added per unit of emissions is in 万元/t, the unit of the
county benchmark 4929.81. The formula of each indicator is in ``review.services.permu.INDICATORS``.

Enterprise-years and results follow their enterprise's access (its owning team, the district bureau of its
district, the centre: ``Enterprise.scope_q``); methods and runs are kept by the centre.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import CentreKeptMixin, RestrictedManager, Scope, ScopedModelMixin, user_scope
from zhaoshang.industry.models import BilingualNameMixin, Enterprise, enterprise_q

from ..choices import CapKind, MissingRule, NotGradedReason, PerMuClass, PerMuIndicator, SizeClass

FIGURE = {"max_digits": 16, "decimal_places": 2, "null": True, "blank": True, "validators": [MinValueValidator(0)]}


class EnterpriseYear(BaseModel):
    """One enterprise's figures of one year, as the statistics and tax bureaus report them."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="permu_years"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)], db_index=True
    )
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices)
    not_graded = models.CharField(
        _("not graded because"),
        max_length=20,
        choices=NotGradedReason.choices,
        blank=True,
        help_text=_("New, start-up and public-utility enterprises are listed but not graded."),
    )
    land_mu = models.DecimalField(_("land area (mu)"), **FIGURE)
    tax = models.DecimalField(_("tax paid (10,000 yuan)"), **FIGURE)
    value_added = models.DecimalField(_("value added (10,000 yuan)"), **FIGURE)
    revenue = models.DecimalField(_("revenue (10,000 yuan)"), **FIGURE)
    energy_tce = models.DecimalField(_("energy use (tce)"), **FIGURE)
    emissions_t = models.DecimalField(
        _("emissions (t)"), help_text=_("Main pollutants, tonnes of equivalent."), **FIGURE
    )
    power_10k_kwh = models.DecimalField(_("power use (10,000 kWh)"), **FIGURE)
    employees = models.DecimalField(_("average employees"), **FIGURE)
    rd_spending = models.DecimalField(_("R&D spending (10,000 yuan)"), **FIGURE)

    class Meta:
        ordering = ["-year", "enterprise__name", "pk"]
        verbose_name = _("enterprise-year figures")
        verbose_name_plural = _("enterprise-year figures")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="permu_enterprise_year_unique",
                violation_error_message=_("This enterprise already has figures for this year."),
            )
        ]
        indexes = [
            # serves a run reading every enterprise-year of one year
            models.Index(fields=["year", "size_class"], name="review_permu_year_size_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.year}"

    def get_absolute_url(self):
        return reverse("review:permu-data-list") + f"?year={self.year}"

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return enterprise_q(scope, action)

    @classmethod
    def can_add(cls, user) -> bool:
        return Enterprise.can_add(user)


class EvaluationMethod(BilingualNameMixin, CentreKeptMixin, BaseModel):
    """The method of one year for one size class: its indicators (with benchmarks and weights) and its classes'
    shares by rank."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    size_class = models.CharField(_("applies to"), max_length=10, choices=SizeClass.choices)
    share_a = models.DecimalField(_("class A share (%)"), max_digits=5, decimal_places=2, default=25)
    share_b = models.DecimalField(_("class B share (%)"), max_digits=5, decimal_places=2, default=45)
    share_c = models.DecimalField(_("class C share (%)"), max_digits=5, decimal_places=2, default=25)
    share_d = models.DecimalField(_("class D share (%)"), max_digits=5, decimal_places=2, default=5)
    source = models.CharField(_("source"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year", "size_class"]
        verbose_name = _("evaluation method")
        verbose_name_plural = _("evaluation methods")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "size_class"],
                name="permu_method_year_size_unique",
                violation_error_message=_("There is already a method for this year and size class."),
            ),
            models.CheckConstraint(
                condition=Q(share_a__gte=0) & Q(share_b__gte=0) & Q(share_c__gte=0) & Q(share_d__gte=0),
                name="permu_method_shares_not_negative",
                violation_error_message=_("Class shares cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.year})"

    def get_absolute_url(self):
        return reverse("review:permu-method-detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        total = sum((self.share_a or 0, self.share_b or 0, self.share_c or 0, self.share_d or 0))
        if total != 100:
            raise ValidationError(
                {"share_d": _("The four shares add up to %(total)s%%; they must add up to 100%%.") % {"total": total}}
            )

    @property
    def shares(self) -> tuple:
        return (self.share_a, self.share_b, self.share_c, self.share_d)


class MethodIndicator(CentreKeptMixin, BaseModel):
    """One term of a method's score: indicator ÷ benchmark × weight, with an optional cap and a rule for missing
    data."""

    method = models.ForeignKey(
        EvaluationMethod, verbose_name=_("method"), on_delete=models.CASCADE, related_name="indicators"
    )
    indicator = models.CharField(_("indicator"), max_length=30, choices=PerMuIndicator.choices)
    benchmark = models.DecimalField(
        _("benchmark"), max_digits=14, decimal_places=4, validators=[MinValueValidator(0.0001)]
    )
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])
    cap_kind = models.CharField(_("cap"), max_length=10, choices=CapKind.choices, blank=True)
    cap_value = models.DecimalField(
        _("cap value"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The largest ratio (e.g. 2) or the most points (e.g. 60) the indicator gives."),
    )
    missing_rule = models.CharField(
        _("when data are missing"), max_length=10, choices=MissingRule.choices, default=MissingRule.ZERO
    )
    sort = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["method", "sort", "pk"]
        verbose_name = _("method indicator")
        verbose_name_plural = _("method indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["method", "indicator"],
                name="permu_indicator_unique",
                violation_error_message=_("The method already has this indicator."),
            )
        ]

    def __str__(self):
        return f"{self.get_indicator_display()} ÷ {self.benchmark.normalize():f} × {self.weight.normalize():f}"

    def get_absolute_url(self):
        return self.method.get_absolute_url()

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.cap_kind and self.cap_value is None:
            raise ValidationError({"cap_value": _("Give the cap's value, or choose no cap.")})


class EvaluationRun(CentreKeptMixin, BaseModel):
    """One scoring of every enterprise-year of a year with the methods of that year (started by the centre)."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    methods = models.ManyToManyField(EvaluationMethod, verbose_name=_("methods"), related_name="runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded = models.PositiveIntegerField(_("graded"), default=0)
    not_graded_count = models.PositiveIntegerField(_("not graded"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    # The methods as they were when the run scored (services.permu.method_spec), by method id: the score card
    # shows these, whatever the method became since.
    spec = models.JSONField(_("methods as applied"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-year", "-created", "-pk"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")

    def __str__(self):
        when = timezone.localtime(self.created) if self.created else None
        return _("Evaluation of %(year)s (%(when)s)") % {
            "year": self.year,
            "when": f"{when:%Y-%m-%d %H:%M}" if when else "—",
        }

    @property
    def name(self) -> str:
        return str(self)

    def get_absolute_url(self):
        return reverse("review:permu-run-detail", args=[self.pk])

    @classmethod
    def latest(cls, year: int | None = None):
        runs = cls.objects.all()
        if year is not None:
            runs = runs.filter(year=year)
        return runs.order_by("-year", "-created", "-pk").first()


class EvaluationResult(ScopedModelMixin, models.Model):
    """The score, rank and class of one enterprise-year in one run. Derived data: written by the run, never
    edited, so it has no version or change records of its own (the run is audited).

    ``breakdown`` holds [value, points] per indicator of the method, in the order the run recorded it
    (``EvaluationRun.spec``; value null: missing); ``services.permu.details`` derives the ratio and the caps.
    ``rank`` is the competition rank among the graded enterprises of the same method (equal scores share the
    best rank).
    """

    run = models.ForeignKey(EvaluationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="results")
    enterprise_year = models.ForeignKey(
        EnterpriseYear, verbose_name=_("enterprise-year"), on_delete=models.CASCADE, related_name="results"
    )
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+")
    method = models.ForeignKey(
        EvaluationMethod, verbose_name=_("method"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.FloatField(_("score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    grade = models.CharField(_("class"), max_length=1, choices=PerMuClass.choices, blank=True)
    previous_grade = models.CharField(_("class last year"), max_length=1, choices=PerMuClass.choices, blank=True)
    not_graded = models.CharField(_("not graded because"), max_length=20, choices=NotGradedReason.choices, blank=True)
    breakdown = models.JSONField(_("breakdown"), default=list)

    objects = RestrictedManager()

    class Meta:
        ordering = ["run", "method", "rank", "pk"]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        indexes = [
            # serves the result list of a run in rank order and the counts per class
            models.Index(fields=["run", "grade", "rank"], name="review_permu_run_grade_idx"),
            # serves last year's class of an enterprise (the class change)
            models.Index(fields=["enterprise", "year"], name="review_permu_ent_year_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.year}"

    def get_absolute_url(self):
        return reverse("review:permu-result-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return enterprise_q(scope, Action.VIEW) if action in (Action.VIEW, Action.LOOKUP) else None

    @classmethod
    def can_add(cls, user) -> bool:
        return user_scope(user).is_admin

    @property
    def change(self) -> int | None:
        """+n: up n classes since last year; -n: down; 0: the same; None: no class this year or last."""
        order = "ABCD"
        if not self.grade or not self.previous_grade:
            return None
        return order.index(self.previous_grade) - order.index(self.grade)
