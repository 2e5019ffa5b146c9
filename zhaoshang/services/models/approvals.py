"""Parallel approvals (并联审批): the catalogue of approval items, templates per project kind, and each project's
plan with its items, their states and clocks (core.clocks). Logic: ``services.services.approvals``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import CentreKeptMixin, Scope, is_everything
from zhaoshang.geo.models import Park
from zhaoshang.projects.models import Project, project_scope_q

from ..choices import ApprovalStage, AssessmentKind, ItemState, ProjectKind


class ApprovalItem(CentreKeptMixin, BaseModel):
    """One item of the approval catalogue (审批事项), kept by the centre as data."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    department = models.ForeignKey(
        Team, verbose_name=_("department"), on_delete=models.PROTECT, related_name="approval_items"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=ApprovalStage.choices)
    statutory_days = models.PositiveSmallIntegerField(_("statutory time limit (working days)"))
    promised_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    accept_with_gaps = models.BooleanField(_("accepted with a secondary document missing (容缺受理)"), default=False)
    by_commitment = models.BooleanField(_("granted on a written commitment (告知承诺)"), default=False)
    # The park assessments (区域评估, AssessmentKind) that exempt a project in a park holding them.
    exempted_by = models.JSONField(_("exempted by park assessments"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["stage", "order", "code"]
        verbose_name = _("approval item")
        verbose_name_plural = _("approval items")
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_days__lte=models.F("statutory_days")),
                name="services_item_promise_within_law",
                violation_error_message=_("The promised time limit cannot exceed the statutory one."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:item-detail", args=[self.pk])


class ParkAssessment(CentreKeptMixin, BaseModel):
    """A park-level assessment (区域评估) done for a park: its projects reuse it while it is valid."""

    park = models.ForeignKey(Park, verbose_name=_("park"), on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("assessment"), max_length=20, choices=AssessmentKind.choices)
    done_on = models.DateField(_("done on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["park", "kind"]
        verbose_name = _("park assessment")
        verbose_name_plural = _("park assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["park", "kind"],
                name="services_assessment_unique",
                violation_error_message=_("This park already has this assessment."),
            ),
        ]

    def __str__(self):
        return f"{self.park} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("services:assessment-list")


class ApprovalTemplate(CentreKeptMixin, BaseModel):
    """The items a kind of project goes through and the overall cap (e.g. social investment: 55 working days)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    project_kind = models.CharField(_("project kind"), max_length=20, choices=ProjectKind.choices)
    cap_days = models.PositiveSmallIntegerField(_("overall cap (working days)"), validators=[MinValueValidator(1)])
    items = models.ManyToManyField(
        ApprovalItem, verbose_name=_("approval items"), through="TemplateItem", related_name="templates"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["project_kind", "name"]
        verbose_name = _("approval template")
        verbose_name_plural = _("approval templates")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:template-detail", args=[self.pk])


class TemplateItem(models.Model):
    """An item of a template, with when it may start in the plan (working days after the plan's start)."""

    template = models.ForeignKey(ApprovalTemplate, on_delete=models.CASCADE, related_name="template_items")
    item = models.ForeignKey(ApprovalItem, verbose_name=_("approval item"), on_delete=models.PROTECT, related_name="+")
    start_offset = models.PositiveSmallIntegerField(_("starts after (working days)"), default=0)

    class Meta:
        ordering = ["template", "start_offset", "item__stage", "item__order"]
        verbose_name = _("template item")
        verbose_name_plural = _("template items")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "item"],
                name="services_template_item_unique",
                violation_error_message=_("This item is already in the template."),
            ),
        ]

    def __str__(self):
        return f"{self.template} · {self.item}"


def plan_q(scope: Scope, action: str, prefix: str = "") -> Q:
    """A plan is worked by its project's owners (the project's own rules) and the centre; departments reach the
    items routed to them (``PlanItem.scope_q``)."""
    return project_scope_q(scope, action, outer=f"{prefix}project_id", prefix=f"{prefix}project__")


class ApprovalPlan(BaseModel):
    """A project's approval plan: its items, lead officer and overall cap, counted from ``started_on``."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="approval_plan"
    )
    template = models.ForeignKey(
        ApprovalTemplate, verbose_name=_("template"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project_kind = models.CharField(_("project kind"), max_length=20, choices=ProjectKind.choices)
    cap_days = models.PositiveSmallIntegerField(_("overall cap (working days)"), validators=[MinValueValidator(1)])
    started_on = models.DateField(_("counted from"), help_text=_("Usually the signing or land-supply date."))
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_approval_plans",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("approval plan")
        verbose_name_plural = _("approval plans")

    def __str__(self):
        return str(self.project)

    def get_absolute_url(self):
        return reverse("services:plan-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return plan_q(scope, action)


class PlanItem(BaseModel):
    """One approval item of a project's plan, routed to a department, with its state and clock (``clock_of``)."""

    plan = models.ForeignKey(
        ApprovalPlan, verbose_name=_("approval plan"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(ApprovalItem, verbose_name=_("approval item"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Team, verbose_name=_("department"), on_delete=models.PROTECT, related_name="plan_items"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=ApprovalStage.choices)
    state = models.CharField(_("state"), max_length=12, choices=ItemState.choices, default=ItemState.PLANNED)
    limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    with_gaps = models.BooleanField(_("accepted with documents to follow (容缺)"), default=False)
    gaps_due_on = models.DateField(_("missing documents due"), null=True, blank=True)
    by_commitment = models.BooleanField(_("granted on commitment (告知承诺)"), default=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_plan_items",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["plan", "stage", "planned_start", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "item"],
                name="services_plan_item_unique",
                violation_error_message=_("This item is already in the plan."),
            ),
        ]
        indexes = [
            # serves a department's open queue (its items by state, oldest planned first)
            models.Index(fields=["department", "state", "planned_start"], name="services_item_queue_idx"),
        ]

    def __str__(self):
        return f"{self.plan} · {self.item}"

    def get_absolute_url(self):
        return reverse("services:plan-item", args=[self.pk])

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        plan = plan_q(scope, action, "plan__")
        if is_everything(plan):  # Q() | other would be other alone
            return plan
        return plan | scope.team_q(action, "department")

    @classmethod
    def clock_alerts(cls, alerts):
        from ..services.approvals import clock_alerts

        clock_alerts(alerts)
