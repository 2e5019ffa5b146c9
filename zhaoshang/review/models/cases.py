"""The review of a project (准入评审): the applicant's figures, the workflow, expert scores, the decision, the
commitments and the yearly results after landing (批后监管)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import Scope, user_scope
from zhaoshang.industry.models import BilingualNameMixin, IndustryCode
from zhaoshang.projects.models import Project

from ..choices import ADMITTING, DECIDED_STATES, Decision, ReviewEventKind, ReviewKind, ReviewState
from .standards import StandardSet, Zone

AMOUNT = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True, "validators": [MinValueValidator(0)]}
AREA = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True, "validators": [MinValueValidator(0)]}


def review_team_q(scope: Scope, action: str, prefix: str = ""):
    """The reviews (``prefix`` leads to one from a record that follows it) the teams of ``scope`` reach: the
    centre's writing members all; the project's owning team and its district's bureau read them and change a
    draft. Reviewers and chairs are given theirs by the grants of review.access."""
    if scope.in_centre("write"):
        return Q()
    team = scope.team_q(action, f"{prefix}project__owner_team") | scope.region_q(
        action, f"{prefix}project__district__adcode"
    )
    if action in (Action.VIEW, Action.LOOKUP):
        return team
    return team & Q(**{f"{prefix}state": ReviewState.DRAFT})


class Review(BaseModel):
    """The admission review of one project before it gets land.

    The applicant's figures are entered (or imported) while the review is a draft; submitting fixes the standard
    set in force on the submission date (``standard_set``), which the indicator table uses ever after.
    """

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("kind of review"), max_length=30, choices=ReviewKind.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT, editable=False
    )
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.PROTECT, null=True, blank=True)
    industry_code = models.ForeignKey(
        IndustryCode,
        verbose_name=_("industry code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("GB/T 4754-2017; the national plot-ratio table applies through its 2002 division."),
    )
    standard_set = models.ForeignKey(
        StandardSet,
        verbose_name=_("standard set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="reviews",
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, editable=False)
    checked_on = models.DateField(_("checked on"), null=True, blank=True, editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)

    # The applicant's figures (money in 万元, land in 亩, floor areas in m²).
    site_area_mu = models.DecimalField(_("site area (mu)"), **AREA)
    total_investment = models.DecimalField(_("total investment (10,000 yuan)"), **AMOUNT)
    fixed_asset_investment = models.DecimalField(
        _("fixed-asset investment (10,000 yuan)"),
        help_text=_("Buildings, equipment and the land price included."),
        **AMOUNT,
    )
    land_price = models.DecimalField(_("land price (10,000 yuan)"), **AMOUNT)
    equipment_investment = models.DecimalField(_("equipment investment (10,000 yuan)"), **AMOUNT)
    floor_area_m2 = models.DecimalField(_("total floor area (m²)"), **AREA)
    high_storey_floor_area_m2 = models.DecimalField(
        _("floor area of storeys over 8 m (m²)"),
        help_text=_("Part of the total floor area; counted twice in the plot ratio."),
        **AREA,
    )
    footprint_m2 = models.DecimalField(_("footprint of buildings, structures and yards (m²)"), **AREA)
    admin_land_m2 = models.DecimalField(_("administrative and living land (m²)"), **AREA)
    green_land_m2 = models.DecimalField(_("green land (m²)"), **AREA)
    annual_output = models.DecimalField(_("expected annual output (10,000 yuan)"), **AMOUNT)
    annual_tax = models.DecimalField(_("expected annual tax (10,000 yuan)"), **AMOUNT)
    annual_energy_tce = models.DecimalField(_("expected annual energy use (t of standard coal)"), **AMOUNT)
    jobs = models.PositiveIntegerField(_("jobs"), null=True, blank=True)
    own_use_floor_m2 = models.DecimalField(_("floor area for own use (m²)"), **AREA)
    sale_floor_m2 = models.DecimalField(_("floor area for sale (m²)"), **AREA)
    min_unit_m2 = models.DecimalField(_("smallest unit sold (m²)"), **AREA)
    products = models.CharField(_("main products"), max_length=300, blank=True)
    investor_uscc = models.CharField(_("investor's unified social credit code"), max_length=18, blank=True)

    # The meeting's decision.
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_reviews",
    )
    meeting_on = models.DateField(_("meeting on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True, editable=False)
    reasons = models.TextField(_("reasons"), blank=True, editable=False)
    conditions = models.TextField(_("conditions"), blank=True, editable=False)
    minutes = models.TextField(_("minutes"), blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("admission review")
        verbose_name_plural = _("admission reviews")
        indexes = [
            # the review list filtered by state (the centre's queue)
            models.Index(fields=["state", "submitted_on"], name="review_state_submitted"),
        ]

    def __str__(self):
        return str(self.project)

    def get_absolute_url(self):
        return reverse("review:review-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """The centre's writing members organise reviews (read and change all); the project's owning team and its
        district's bureau read the reviews of the projects they read; the owning team changes a draft. Assigned
        reviewers and the chair reach their cases through the grants of review.access."""
        return review_team_q(scope, action)

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return scope.is_admin or scope.in_centre(Action.ADD) or bool(scope.teams(Action.ADD))


class Criterion(BilingualNameMixin, BaseModel):
    """A criterion experts score a project on (industry fit, technology, team, market…), with its full marks;
    versioned with the standard set."""

    standard_set = models.ForeignKey(
        StandardSet, verbose_name=_("standard set"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    guidance_en = models.TextField(_("English guidance"), blank=True)
    max_points = models.DecimalField(_("full marks"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["standard_set", "sort", "pk"]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return self.standard_set.get_absolute_url()

    # Read by all staff, kept by the centre (as the set it belongs to).
    scope_q = StandardSet.scope_q
    can_add = StandardSet.can_add


class Assignment(BaseModel):
    """A reviewer assigned to a review: declares a conflict of interest (and is excluded) or scores."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    conflict = models.BooleanField(_("conflict of interest"), default=False, editable=False)
    conflict_reason = models.TextField(_("conflict of interest"), blank=True, editable=False)
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["review", "pk"]
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reviewer"],
                name="assignment_unique_reviewer",
                violation_error_message=_("This reviewer is already assigned to this review."),
            )
        ]

    def __str__(self):
        return f"{self.review} · {self.reviewer}"

    def get_absolute_url(self):
        return self.review.get_absolute_url()

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """Read with the review; changed (assigned, removed) by the centre. The reviewer himself declares a conflict
        and scores through the grants of review.access."""
        if action in (Action.VIEW, Action.LOOKUP):
            return review_team_q(scope, Action.VIEW, "review__")
        return Q() if scope.in_centre("write") else None


class Score(BaseModel):
    """One reviewer's points on one criterion."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["assignment", "criterion__sort"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"],
                name="score_unique_criterion",
                violation_error_message=_("This criterion is already scored."),
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"

    def get_absolute_url(self):
        return self.assignment.get_absolute_url()

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """The centre reads every score; the project's teams read them once the review is decided. Nobody but the
        reviewer himself (review.access) changes a score."""
        if action not in (Action.VIEW, Action.LOOKUP):
            return None
        if scope.in_centre("write"):
            return Q()
        decided = Q(assignment__review__state__in=DECIDED_STATES)
        return review_team_q(scope, Action.VIEW, "assignment__review__") & decided


class Commitment(BaseModel):
    """What the investor commits to after an admitting decision (per 亩 of the site) and by when."""

    review = models.OneToOneField(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="commitment")
    investment_intensity = models.DecimalField(_("investment intensity (10,000 yuan per mu)"), **AMOUNT)
    output_per_mu = models.DecimalField(_("output per mu (10,000 yuan per year)"), **AMOUNT)
    tax_per_mu = models.DecimalField(_("tax per mu (10,000 yuan per year)"), **AMOUNT)
    construction_by = models.DateField(_("construction starts by"), null=True, blank=True)
    production_by = models.DateField(_("production starts by"), null=True, blank=True)
    full_production_by = models.DateField(_("full production by"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["review"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self):
        return str(self.review)

    def get_absolute_url(self):
        return self.review.get_absolute_url()

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """Read with the review; recorded by the centre, or by the owning team's writers after an admitting
        decision."""
        if action in (Action.VIEW, Action.LOOKUP):
            return review_team_q(scope, Action.VIEW, "review__")
        if scope.in_centre("write"):
            return Q()
        return scope.team_q(action, "review__project__owner_team") & Q(review__decision__in=sorted(ADMITTING))


class YearResult(BaseModel):
    """A producing project's actual figures of one year, compared with its commitment (批后监管)."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="results"
    )
    year = models.PositiveIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    land_mu = models.DecimalField(_("land used (mu)"), **AREA)
    investment = models.DecimalField(_("fixed-asset investment to date (10,000 yuan)"), **AMOUNT)
    output = models.DecimalField(_("output (10,000 yuan)"), **AMOUNT)
    tax = models.DecimalField(_("tax paid (10,000 yuan)"), **AMOUNT)

    class Meta:
        ordering = ["commitment", "-year"]
        verbose_name = _("yearly result")
        verbose_name_plural = _("yearly results")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "year"],
                name="year_result_unique_year",
                violation_error_message=_("This year is already recorded for this project."),
            )
        ]

    def __str__(self):
        return f"{self.commitment} · {self.year}"

    def get_absolute_url(self):
        return self.commitment.get_absolute_url()

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """Read with the review; entered by the centre or the owning team's writers."""
        if action in (Action.VIEW, Action.LOOKUP):
            return review_team_q(scope, Action.VIEW, "commitment__review__")
        if scope.in_centre("write"):
            return Q()
        return scope.team_q(action, "commitment__review__project__owner_team")


class ReviewEvent(BaseModel):
    """One step of a review's workflow, in a line of its history (who, when, what, and the reason given)."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=ReviewEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["review", "at", "pk"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self):
        return f"{self.review} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.review.get_absolute_url()

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """Read with the review; written by the workflow's steps only."""
        if action in (Action.VIEW, Action.LOOKUP):
            return review_team_q(scope, Action.VIEW, "review__")
        return None
