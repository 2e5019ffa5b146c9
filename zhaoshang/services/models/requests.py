"""Enterprise requests (诉求): categories and time-limit policies as data, the requests with their three clocks
(contact, plan, close: core.clocks), their events, send-backs with the centre's arbitration, and the enterprise
accounts that submit and rate them. Logic: ``services.services.requests``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action, ClockUnit
from zhaoshang.core.models import BaseModel, SearchableModel
from zhaoshang.core.permissions import CentreKeptMixin, Scope
from zhaoshang.geo.models import Region
from zhaoshang.industry.models import Enterprise

from ..choices import Channel, Rating, RequestEventKind, RequestLevel, RequestState, SendBackDecision


class RequestCategory(CentreKeptMixin, BaseModel):
    """A kind of request (policy, land, financing, talent, utilities and power, approvals, other), kept as data."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    department = models.ForeignKey(
        Team,
        verbose_name=_("default department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where requests of this kind are routed first."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def get_absolute_url(self):
        return reverse("services:category-list")


class ServicePolicy(CentreKeptMixin, BaseModel):
    """The time limits of requests of a category and channel (either blank: any). The most specific policy applies:
    category and channel, then category, then channel, then the default (both blank)."""

    category = models.ForeignKey(
        RequestCategory, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    contact_limit = models.PositiveIntegerField(_("contact within"), default=60, validators=[MinValueValidator(1)])
    contact_unit = models.CharField(
        _("unit"), max_length=10, choices=ClockUnit.choices, default=ClockUnit.WORKING_MINUTES
    )
    plan_limit = models.PositiveIntegerField(_("plan within"), default=24 * 60, validators=[MinValueValidator(1)])
    plan_unit = models.CharField(_("unit"), max_length=10, choices=ClockUnit.choices, default=ClockUnit.MINUTES)
    close_limit = models.PositiveIntegerField(_("close within"), default=7, validators=[MinValueValidator(1)])
    close_unit = models.CharField(_("unit"), max_length=10, choices=ClockUnit.choices, default=ClockUnit.WORKING_DAYS)

    class Meta:
        ordering = ["category__order", "channel", "pk"]
        verbose_name = _("time-limit policy")
        verbose_name_plural = _("time-limit policies")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "channel"],
                name="services_policy_unique",
                nulls_distinct=False,
                violation_error_message=_("A policy for this category and channel exists already."),
            ),
        ]

    def __str__(self):
        return f"{self.category or _('any category')} · {self.get_channel_display() or _('any channel')}"

    def get_absolute_url(self):
        return reverse("services:policy-list")


class EnterpriseAccount(BaseModel):
    """A person of an enterprise who submits and follows its requests (signs in like staff, belongs to no team)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="enterprise_account"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="accounts"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="served_accounts",
        help_text=_("The officer (业务专员) who serves this enterprise."),
    )

    class Meta:
        ordering = ["enterprise", "pk"]
        verbose_name = _("enterprise account")
        verbose_name_plural = _("enterprise accounts")

    def __str__(self):
        return f"{self.user} · {self.enterprise}"

    def get_absolute_url(self):
        return reverse("services:my-requests")

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        if scope.in_centre(action):
            return Q()
        return Q(user_id=scope.user_id) if action == Action.VIEW else None


def request_q(scope: Scope, action: str, prefix: str = "", *, enterprise: bool = True) -> Q:
    """Who reaches a request: the centre; the department it is routed to; the district bureau of the enterprise's
    district; its officer and supervisor; and (to read) the enterprise's own accounts."""
    if scope.in_centre(action):
        return Q()
    q = scope.team_q(action, f"{prefix}department") | scope.region_q(action, f"{prefix}district__adcode")
    if scope.user_id is not None:
        q |= Q(**{f"{prefix}officer_id": scope.user_id}) | Q(**{f"{prefix}supervisor_id": scope.user_id})
        if enterprise and action in (Action.VIEW, Action.PERSONAL):
            q |= enterprise_q(scope, prefix)
    return q


def enterprise_q(scope: Scope, prefix: str = "") -> Q:
    """The requests of the enterprise whose account the user is."""
    mine = EnterpriseAccount.objects.filter(user_id=scope.user_id).values("enterprise_id")
    return Q(**{f"{prefix}enterprise_id__in": mine})


class EnterpriseRequest(SearchableModel):
    """A request from an enterprise, routed to a department, timed by three clocks (``contact``, ``plan``,
    ``close``: core.clocks) and rated by the enterprise when closed."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="service_requests"
    )
    account = models.ForeignKey(
        EnterpriseAccount,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    categories = models.ManyToManyField(RequestCategory, verbose_name=_("categories"), related_name="requests")
    category = models.ForeignKey(
        RequestCategory,
        verbose_name=_("main category"),
        on_delete=models.PROTECT,
        related_name="main_requests",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    district = models.ForeignKey(
        Region, verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        Team, verbose_name=_("department"), on_delete=models.PROTECT, related_name="service_requests"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_requests",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_requests",
        help_text=_("The supervisor (督办员) who follows it."),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=RequestLevel.choices, default=RequestLevel.DEPARTMENT)
    state = models.CharField(_("state"), max_length=12, choices=RequestState.choices, default=RequestState.SUBMITTED)
    received_at = models.DateTimeField(_("received at"))
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("contacted at"), null=True, blank=True)
    planned_at = models.DateTimeField(_("plan given at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("comment on the rating"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    redo_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    personal_fields = ("contact_name", "contact_phone", "contact_email")

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("enterprise request")
        verbose_name_plural = _("enterprise requests")
        indexes = [
            # serves a department's open queue (its requests by state, oldest first)
            models.Index(fields=["department", "state", "received_at"], name="services_request_queue_idx"),
            # serves the figures of a year (received, closed in the period)
            models.Index(fields=["received_at"], name="services_request_received_idx"),
            models.Index(fields=["closed_at"], name="services_request_closed_idx"),
            # serves the figures of a year by department, district and category (services.services.figures): the
            # year's slice of these indexes holds every column grouped and counted, so the rows are never read
            models.Index(
                fields=["received_at", "department", "district", "category", "redo_count"],
                name="services_req_recv_fig_idx",
            ),
            models.Index(
                fields=["closed_at", "department", "district", "category", "closed_on_time", "rating"],
                name="services_req_closed_fig_idx",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("services:request-detail", args=[self.pk])

    def search_values(self):
        return [self.number, self.title, self.enterprise.name if self.enterprise_id else None]

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return request_q(scope, action)

    @classmethod
    def clock_alerts(cls, alerts):
        from ..services.requests import clock_alerts

        clock_alerts(alerts)


class RequestEvent(BaseModel):
    """One step in a request's history; those marked ``public`` are shown to the enterprise."""

    request = models.ForeignKey(
        EnterpriseRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RequestEventKind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_team = models.ForeignKey(
        Team, verbose_name=_("from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_team = models.ForeignKey(
        Team, verbose_name=_("to"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    public = models.BooleanField(_("shown to the enterprise"), default=False)

    audited = False  # the request's own history

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self):
        return f"{self.request.number} {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.request.get_absolute_url()

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        # an enterprise's accounts read only the public steps of its requests
        q = request_q(scope, action, "request__", enterprise=False)
        if action == Action.VIEW and scope.user_id is not None and not scope.in_centre(action):
            q |= Q(public=True) & enterprise_q(scope, "request__")
        return q


class SendBack(BaseModel):
    """A department's request to send a request back (退单): takes effect only when the centre accepts it."""

    request = models.ForeignKey(
        EnterpriseRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="send_backs"
    )
    from_team = models.ForeignKey(Team, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    suggested_team = models.ForeignKey(
        Team, verbose_name=_("suggested department"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=SendBackDecision.choices, default=SendBackDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("send-back")
        verbose_name_plural = _("send-backs")
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(decision="pending"),
                name="services_one_pending_sendback",
                violation_error_message=_("A send-back of this request is already waiting for the centre."),
            ),
        ]

    def __str__(self):
        return f"{self.request.number} ← {self.from_team}"

    def get_absolute_url(self):
        return self.request.get_absolute_url()

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        if scope.in_centre(action):
            return Q()
        return scope.team_q(action, "from_team") if action in (Action.VIEW, Action.ADD) else None
