"""The project pipeline: projects, their stage history, milestones, activities, documents, contacts, stall flags.

A project's stage changes only through ``projects.services.transition`` (and date corrections through
``projects.services.correct_date``): the service checks the move, writes the history row and keeps the
stage date columns in sync. Forms and the API never write ``stage`` or the date columns themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import LessThan
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Membership, Team
from zhaoshang.core import access
from zhaoshang.core.choices import Action, label
from zhaoshang.core.models import BaseModel, SearchableModel
from zhaoshang.core.permissions import RestrictedQuerySet, Scope, is_everything, user_scope
from zhaoshang.core.storage import private_storage
from zhaoshang.geo.models import Carrier, Park, Region
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.models import Chain, Enterprise, IndustryCode

from .choices import (
    FORWARD,
    FORWARD_CHOICES,
    PRE_SIGNING,
    STAGE_DATE_FIELDS,
    ActivityKind,
    DocumentKind,
    LeadSource,
    Stage,
    StallRule,
    TransitionKind,
)
from .validators import validate_document_file

# A project of at least this planned investment (万元) is a "≥100M project" (亿元以上项目), the headline figure.
LARGE_PROJECT_WAN = 10_000

# The columns speed figures group by (projects.services.GROUPS), carried in the speed indexes.
SPEED_GROUP_COLUMNS = ("owner_team", "district", "chain", "source")
# The columns statistics filter, sum and group projects by after their date (stats.metrics), in their indexes.
STATS_COLUMNS = ("planned_investment", "project_type", "district", "enterprise", "foreign_investment")

money = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True, "validators": [MinValueValidator(0)]}


def project_scope_q(scope: Scope, action: str, outer: str = "pk", prefix: str = "") -> Q:
    """Which projects (or, with ``prefix="project__"`` and ``outer="project_id"``, which of their records)
    ``scope`` may ``action``.

    Read and write: the members (writing members, to write) of the owning or a supporting team, of the district
    bureau of the project's district, and of the centre (leaders and administrators read everything:
    core.permissions). Look up (Action.LOOKUP: that the project exists, its stage and owning team, so that no
    one pursues it twice): every member of staff, for every project that is not confidential. The records of a
    project follow the grants registered on the project (core.access) as the project does.
    """
    if action == Action.LOOKUP:
        readable = project_scope_q(scope, Action.VIEW, outer, prefix)
        return readable if is_everything(readable) else readable | Q(**{f"{prefix}confidential": False})
    # Personal data (core.personal): the people who work the project, those who may change it.
    q = _working_q(scope, Action.CHANGE if action == Action.PERSONAL else action, outer, prefix)
    if prefix and not is_everything(q):
        granted = access.granted_q(Project, scope, action, prefix)
        if granted is not None:
            q |= granted
    return q


def _working_q(scope: Scope, action: str, outer: str, prefix: str) -> Q:
    """The projects of the user's teams: owned or supported, in their district bureau's district, or all of them
    for the centre."""
    if scope.in_centre(action):
        return Q()
    q = scope.team_q(action, f"{prefix}owner_team") | scope.region_q(action, f"{prefix}district__adcode")
    teams = scope.teams(action)
    if teams:
        supporting = Project.supporting_teams.through.objects.filter(
            project_id=OuterRef(outer), team_id__in=sorted(teams)
        )
        q |= Q(Exists(supporting))
    return q


# ---------------------------------------------------------------- stalled projects (derived when read)


def stall_thresholds() -> dict[str, int]:
    """Days after which each rule finds a project stalled (settings; a rule with 0 days is not checked)."""
    return {
        StallRule.SIGNED_NO_LAND: settings.ZHAOSHANG_STALL_SIGNED_NO_LAND_DAYS,
        StallRule.STARTED_NO_PRODUCTION: settings.ZHAOSHANG_STALL_STARTED_NO_PRODUCTION_DAYS,
        StallRule.IDLE_BEFORE_SIGNING: settings.ZHAOSHANG_STALL_IDLE_DAYS,
    }


def last_touched(columns):
    """The latest of a project's ``columns`` (dates) and of its activities: the day someone last worked on it."""
    floor = date(1900, 1, 1)
    last_activity = Subquery(
        Activity.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(last=Max("happened_on"))
        .values("last")
    )
    return Greatest(
        *(Coalesce(F(column), floor) for column in columns),
        Coalesce(last_activity, floor),
        output_field=models.DateField(),
    )


def stall_conditions(today: date | None = None) -> list[tuple[str, Q, models.Expression]]:
    """The one definition of a stalled project: ``[(rule, condition, the day its clock started)]`` on ``today``.

    - signed, no land: at the signed stage, signed more than N days before today;
    - construction started, not producing: at the construction stage, started more than N days before today;
    - no activity before signing: at lead, contacted or negotiation, and neither a stage change nor an
      activity in more than N days.
    Paused and dropped projects are never stalled (someone decided about them). The stages of the rules do not
    overlap: a project is stalled by one rule at most.
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    thresholds = stall_thresholds()
    found = []
    for rule, stage, column in (
        (StallRule.SIGNED_NO_LAND, Stage.SIGNED, "signed_on"),
        (StallRule.STARTED_NO_PRODUCTION, Stage.CONSTRUCTION, "construction_on"),
    ):
        if thresholds[rule]:
            cutoff = today - timedelta(days=thresholds[rule])
            found.append((rule, Q(stage=stage, **{f"{column}__lt": cutoff}), F(column)))
    if thresholds[StallRule.IDLE_BEFORE_SIGNING]:
        cutoff = today - timedelta(days=thresholds[StallRule.IDLE_BEFORE_SIGNING])
        touched = last_touched(("lead_on", "contact_on", "negotiation_on", "resumed_on"))
        found.append((StallRule.IDLE_BEFORE_SIGNING, Q(stage__in=PRE_SIGNING) & Q(LessThan(touched, cutoff)), touched))
    return found


@dataclass(frozen=True)
class Stall:
    """Why a project is stalled and since when."""

    rule: str
    since: date

    def get_rule_display(self) -> str:
        return StallRule(self.rule).label


class ProjectQuerySet(RestrictedQuerySet):
    def worked_on_by(self, user):
        """The projects ``user`` is responsible for or works on through one of their teams (owning or
        supporting), still under way (neither dropped nor in full production)."""
        teams = Team.objects.filter(memberships__user=user).values("pk")
        supporting = Project.supporting_teams.through.objects.filter(project_id=OuterRef("pk"), team_id__in=teams)
        return self.filter(Q(owner=user) | Q(owner_team__in=teams) | Q(Exists(supporting))).exclude(
            stage__in=(Stage.DROPPED, Stage.FULL_PRODUCTION)
        )

    def stalled(self, today: date | None = None):
        """The projects stalled on ``today`` (default: today)."""
        return self.filter(self.stalled_q(today))

    def not_stalled(self, today: date | None = None):
        return self.exclude(self.stalled_q(today))

    @staticmethod
    def stalled_q(today: date | None = None) -> Q:
        q = Q(pk__in=[])
        for _rule, condition, _since in stall_conditions(today):
            q |= condition
        return q

    def with_stall(self, today: date | None = None):
        """Each project with ``stall_rule`` and ``stall_since`` (None when it is not stalled on ``today``)."""
        conditions = stall_conditions(today)
        if not conditions:
            return self.annotate(
                stall_rule=Value(None, output_field=models.CharField()),
                stall_since=Value(None, output_field=models.DateField()),
            )
        return self.annotate(
            stall_rule=Case(
                *(When(condition, then=Value(rule)) for rule, condition, _since in conditions),
                default=None,
                output_field=models.CharField(),
            ),
            stall_since=Case(
                *(When(condition, then=since) for _rule, condition, since in conditions),
                default=None,
                output_field=models.DateField(),
            ),
        )


class ProjectManager(models.Manager.from_queryset(ProjectQuerySet)):
    pass


# A project's reference: XM, the year it was recorded, a number counting up within that year (XM2026-000123).
CODE_PREFIX = "XM"
CODE_DIGITS = 6


def code_prefix(year: int) -> str:
    return f"{CODE_PREFIX}{year}-"


def next_codes(count: int, year: int | None = None) -> list[str]:
    """``count`` unused project references of ``year`` (default: this year), following the highest one given."""
    from django.utils import timezone

    prefix = code_prefix(year or timezone.localdate().year)
    last = (
        Project._base_manager.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    )
    number = int(last[len(prefix) :]) if last and last[len(prefix) :].isdigit() else 0
    return [f"{prefix}{number + i:0{CODE_DIGITS}d}" for i in range(1, count + 1)]


class Project(SearchableModel):
    """An investment project, from the first lead to full production."""

    objects = ProjectManager()

    code = models.CharField(
        _("project reference"),
        max_length=30,
        unique=True,
        blank=True,
        help_text=_("Given on creation (e.g. XM2026-000123); an Excel import updates the project of this reference."),
    )
    name = models.CharField(_("project name"), max_length=200)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("investor enterprise"), on_delete=models.PROTECT, related_name="projects"
    )
    project_type = models.CharField(
        _("project type"), max_length=30, choices=ProjectType.choices, default=ProjectType.INDUSTRIAL
    )
    industry_code = models.ForeignKey(
        IndustryCode,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    chain = models.ForeignKey(
        Chain,
        verbose_name=_("industry chain"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    planned_investment = models.DecimalField(_("planned investment (10,000 yuan)"), **money)
    foreign_investment = models.DecimalField(
        _("of which foreign capital (10,000 yuan)"),
        help_text=_("The part of the planned investment that comes from abroad."),
        **money,
    )
    land_need_mu = models.DecimalField(
        _("land needed (mu)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    district = models.ForeignKey(
        Region,
        verbose_name=_("target district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    park = models.ForeignKey(
        Park, verbose_name=_("target park"), null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    carrier = models.ForeignKey(
        Carrier,
        verbose_name=_("target site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    source = models.CharField(_("lead source"), max_length=20, choices=LeadSource.choices, default=LeadSource.OTHER)
    owner_team = models.ForeignKey(
        Team, verbose_name=_("owning team"), on_delete=models.PROTECT, related_name="owned_projects"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_projects",
    )
    supporting_teams = models.ManyToManyField(
        Team, verbose_name=_("supporting teams"), blank=True, related_name="supported_projects"
    )
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "Only the owning and supporting teams, the district bureau, the centre and the leaders see a "
            "confidential project."
        ),
    )
    description = models.TextField(_("negotiation notes"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD, editable=False)
    # The day each stage was reached (kept by projects.services.transition; statistics count by them).
    lead_on = models.DateField(_("lead on"), null=True, blank=True, editable=False)
    contact_on = models.DateField(_("contacted on"), null=True, blank=True, editable=False)
    negotiation_on = models.DateField(_("negotiation from"), null=True, blank=True, editable=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True, editable=False)
    land_on = models.DateField(_("land supplied on"), null=True, blank=True, editable=False)
    construction_on = models.DateField(_("construction started on"), null=True, blank=True, editable=False)
    production_on = models.DateField(_("production started on"), null=True, blank=True, editable=False)
    full_production_on = models.DateField(_("full production on"), null=True, blank=True, editable=False)
    paused_on = models.DateField(_("paused on"), null=True, blank=True, editable=False)
    dropped_on = models.DateField(_("dropped on"), null=True, blank=True, editable=False)
    resumed_on = models.DateField(_("last resumed on"), null=True, blank=True, editable=False)
    drop_reason = models.TextField(_("reason for dropping"), blank=True, editable=False)
    resume_stage = models.CharField(
        _("stage to resume at"),
        max_length=20,
        choices=Stage.choices,
        blank=True,
        editable=False,
        help_text=_("The stage a paused or dropped project was at, to which it returns."),
    )

    class Meta:
        ordering = ["-lead_on", "-pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(foreign_investment__isnull=True)
                | Q(planned_investment__isnull=True)
                | Q(foreign_investment__lte=F("planned_investment")),
                name="projects_foreign_within_planned",
                violation_error_message=_("The foreign part cannot exceed the planned investment."),
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.DROPPED) | (Q(dropped_on__isnull=False) & ~Q(drop_reason="")),
                name="projects_dropped_has_date_and_reason",
                violation_error_message=_("A dropped project needs the day and the reason it was dropped."),
            ),
        ]
        indexes = [
            # serves the list of one team's projects by stage (owner's pipeline, the board)
            models.Index(fields=["owner_team", "stage"], name="projects_team_stage_idx"),
            # serves the list page filtered by stage and district and sorted (or bounded) by planned investment
            models.Index(fields=["stage", "district", "planned_investment"], name="projects_stage_dist_amt_idx"),
            # serves the stall scan (projects at one stage reached before a day) and counts by stage
            models.Index(fields=["stage", "signed_on"], name="projects_stage_signed_idx"),
            models.Index(fields=["stage", "construction_on"], name="projects_stage_constr_idx"),
            # serve speed_figures: each interval selects by its end date and reads its start date and the
            # grouping columns (team, district, chain, source) from the index alone
            *(
                models.Index(fields=[end, start, *SPEED_GROUP_COLUMNS], name=name)
                for end, start, name in (
                    ("signed_on", "lead_on", "projects_speed_signing_idx"),
                    ("land_on", "signed_on", "projects_speed_land_idx"),
                    ("construction_on", "land_on", "projects_speed_constr_idx"),
                    ("production_on", "construction_on", "projects_speed_prod_idx"),
                )
            ),
            # serve the statistics (stats.metrics): projects signed / started in a period and its previous-year
            # period, filtered by amount (≥1亿) and type, summed, grouped by district, tags looked up by enterprise —
            # all read from the index alone
            *(
                models.Index(fields=[day, *STATS_COLUMNS], name=name)
                for day, name in (
                    ("signed_on", "projects_stats_signed_idx"),
                    ("construction_on", "projects_stats_constr_idx"),
                    ("production_on", "projects_stats_prod_idx"),
                )
            ),
            # serves the largest projects first (the report's lists of projects waiting for their next stage walk
            # the amounts downwards and stop at ten)
            models.Index(fields=["planned_investment"], name="projects_amount_idx"),
            # serves counts of leads, reached stages and full production over a period
            models.Index(fields=["lead_on"], name="projects_lead_on_idx"),
            models.Index(fields=["contact_on"], name="projects_contact_on_idx"),
            models.Index(fields=["negotiation_on"], name="projects_negotiation_on_idx"),
            models.Index(fields=["full_production_on"], name="projects_full_prod_on_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = next_codes(1)[0]
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "code"}
        return super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("projects:project-detail", args=[self.pk])

    def search_values(self):
        enterprise = self.enterprise if self.enterprise_id else None
        return [
            self.name,
            enterprise.name if enterprise else "",
            enterprise.name_en if enterprise else "",
            enterprise.uscc if enterprise else "",
        ]

    def clean(self):
        errors = {}
        if self.carrier_id and self.park_id and self.carrier.park_id and self.carrier.park_id != self.park_id:
            errors["carrier"] = _("This site lies in another park than the target park.")
        if self.district_id is None:
            place = self.carrier if self.carrier_id else self.park if self.park_id else None
            if place is not None:
                self.district_id = place.region_id
        if self.owner_id and self.owner_team_id:
            if not self.owner_is_member():
                errors["owner"] = _("The responsible officer must be a member of the owning team.")
        if errors:
            raise ValidationError(errors)

    def owner_is_member(self) -> bool:
        """Whether the responsible officer belongs to the owning team (an import answers from preloaded pairs)."""
        known = getattr(self, "_memberships", None)
        if known is not None:
            return (self.owner_id, self.owner_team_id) in known
        return Membership.objects.filter(user_id=self.owner_id, team_id=self.owner_team_id).exists()

    # ---- stages

    @property
    def is_active(self) -> bool:
        return self.stage in FORWARD

    @property
    def is_large(self) -> bool:
        return self.planned_investment is not None and self.planned_investment >= LARGE_PROJECT_WAN

    def stage_date(self, stage: str):
        field = STAGE_DATE_FIELDS.get(stage)
        if field is not None:
            return getattr(self, field)
        return {Stage.PAUSED: self.paused_on, Stage.DROPPED: self.dropped_on}.get(stage)

    def reached_stages(self) -> list[tuple[str, object]]:
        """(stage, date) of every stage of the forward chain this project reached, in chain order."""
        return [(stage, getattr(self, field)) for stage, field in STAGE_DATE_FIELDS.items() if getattr(self, field)]

    def active_stage(self) -> str:
        """The stage of the forward chain the project is at (for a paused or dropped one: the stage it left)."""
        return self.resume_stage if self.stage in (Stage.PAUSED, Stage.DROPPED) else self.stage

    def undated_stages(self) -> list[str]:
        """The stages of the forward chain this project reached on a day nobody knows (imported from a ledger that
        does not date them), in chain order: the history says they were reached, their date columns are empty."""
        recorded = set(
            self.transitions.filter(happened_on__isnull=True)
            .exclude(kind=TransitionKind.CORRECT)
            .values_list("to_stage", flat=True)
        )
        return [stage for stage, field in STAGE_DATE_FIELDS.items() if stage in recorded and not getattr(self, field)]

    def latest_date(self):
        """The latest date of the project's stage history: no later move may be dated before it."""
        dates = [day for _stage, day in self.reached_stages()] + [self.paused_on, self.dropped_on, self.resumed_on]
        return max((day for day in dates if day), default=None)

    # ---- permissions

    distinct_actions = frozenset({Action.LOOKUP, Action.PERSONAL})

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return project_scope_q(scope, action)

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return scope.is_admin or bool(scope.teams(Action.ADD))

    def stall(self, today: date | None = None) -> Stall | None:
        """Why this project is stalled on ``today`` (default: today), or None."""
        if self.pk is None:
            return None
        row = Project.objects.filter(pk=self.pk).with_stall(today).values_list("stall_rule", "stall_since").first()
        return Stall(*row) if row and row[0] else None

    def duplicates(self, user=None):
        """The duplicate claims (撞单) this project is part of (see projects.services.duplicate_claims)."""
        from .services import duplicate_claims

        return duplicate_claims(user, project=self)


class ProjectRecord(BaseModel):
    """A record that belongs to one project and follows the project's permissions."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE)

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return self.project.get_absolute_url()

    distinct_actions = frozenset({Action.PERSONAL})

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return project_scope_q(scope, action, outer="project_id", prefix="project__")

    @classmethod
    def can_add(cls, user) -> bool:
        return Project.can_add(user)


class StageTransition(ProjectRecord):
    """One move of a project's stage (or a correction of a stage's date): the project's stage history.

    ``happened_on`` is the day it happened, which may be earlier than the day it was recorded
    (``created``); empty when nobody knows it — a stage imported from a ledger that does not date it (the
    stage's date column is then empty too), or, on a correction, ``corrected_from`` when an unknown date was
    filled in. Rows are written by projects.services and never changed.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="transitions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TransitionKind.choices)
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    happened_on = models.DateField(_("date"), null=True, blank=True, help_text=_("Empty: the date is unknown."))
    corrected_from = models.DateField(
        _("corrected from"),
        null=True,
        blank=True,
        help_text=_("For a date correction: the date before it (empty: it was unknown)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["project", "happened_on", "created", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            # serves a project's timeline (its changes in date order)
            models.Index(fields=["project", "happened_on"], name="projects_transition_tl_idx"),
        ]

    def __str__(self):
        # remembered labels: imports name tens of thousands of these in their change records
        kind = label(TransitionKind, self.kind)
        stage = label(Stage, self.to_stage)
        return f"{self.project} · {kind} · {stage} · {self.happened_on or '?'}"


class Milestone(ProjectRecord):
    """A planned step of a project (e.g. land auction, groundbreaking) with its planned and actual dates."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("milestone"), max_length=200)
    stage = models.CharField(_("stage"), max_length=20, choices=FORWARD_CHOICES, blank=True)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    actual_on = models.DateField(_("actual date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["project", F("planned_on").asc(nulls_last=True), "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_on__isnull=False) | Q(actual_on__isnull=False),
                name="projects_milestone_has_a_date",
                violation_error_message=_("A milestone needs a planned or an actual date."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def delay_days(self) -> int | None:
        """How many days late (positive) or early (negative) it was reached; None until both dates are known."""
        if self.planned_on is None or self.actual_on is None:
            return None
        return (self.actual_on - self.planned_on).days


class Activity(ProjectRecord):
    """Work done on a project: a visit, meeting, call or site inspection, with who took part."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices, default=ActivityKind.MEETING)
    happened_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("our participants"), blank=True, related_name="project_activities"
    )
    external_participants = models.TextField(
        _("other participants"), blank=True, help_text=_("The investor's people and others, one per line.")
    )

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # serves a project's activity log and the idle check of the stall scan (latest activity per project)
            models.Index(fields=["project", "happened_on"], name="projects_activity_log_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.happened_on}"


def document_path(instance, filename: str) -> str:
    return f"projects/{instance.project_id}/{filename}"


class Document(ProjectRecord):
    """A file of a project (agreement, plan, licence, …): PDF, Word, Excel, JPG or PNG within the size limit."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        storage=private_storage,
        max_length=300,
        validators=[validate_document_file],
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file:
            self.size = self.file.size or 0
        return super().save(*args, **kwargs)


class Contact(ProjectRecord):
    """A person on the investor's side (or an intermediary) the team deals with."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    note = models.TextField(_("note"), blank=True)

    personal_fields = ("name", "phone", "email")

    class Meta:
        ordering = ["project", "name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


class StallFlag(ProjectRecord):
    """A project found stalled by the periodic scan (projects.services.scan_stalled), until it moves on.

    Derived by the scan, which is its record: no change records of its own.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stall_flags"
    )
    rule = models.CharField(_("rule"), max_length=30, choices=StallRule.choices)
    since = models.DateField(_("since"), help_text=_("The day the clock of this rule started."))
    flagged_on = models.DateField(_("flagged on"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)

    audited = False

    class Meta:
        ordering = ["-flagged_on", "-pk"]
        verbose_name = _("stall flag")
        verbose_name_plural = _("stall flags")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "rule"],
                condition=Q(cleared_on__isnull=True),
                name="projects_one_open_flag_per_rule",
                violation_error_message=_("This project already has an open flag of this rule."),
            ),
        ]
        indexes = [
            # serves the scan (open flags of one rule) and the list of open flags
            models.Index(fields=["rule", "cleared_on"], name="projects_stallflag_open_idx"),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_rule_display()}"

    @property
    def is_open(self) -> bool:
        return self.cleared_on is None
