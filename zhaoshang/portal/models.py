"""The public portal's own records: landing guides, policies, saved proposals and inquiries."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel, SearchableModel
from zhaoshang.core.permissions import CentreKeptMixin, Scope, user_scope
from zhaoshang.core.workdays import add_working_days
from zhaoshang.geo.models import Carrier, IndustryLink, Park, Region
from zhaoshang.industry.choices import ProjectType

from .choices import InquiryStatus


def bilingual(obj, field: str) -> str:
    """The English text of ``field`` when the page is in English and one exists, else the Chinese."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


class KeptByCentre(CentreKeptMixin):
    """Access of the city's own public texts (guides, the city's page): everyone reads them, the public included;
    the centre keeps them."""

    @classmethod
    def public_q(cls):
        return Q()


class Guide(KeptByCentre, BaseModel):
    """How to land (如何落) a project of one type: ordered steps, in the spirit of UNCTAD's eRegulations."""

    project_type = models.CharField(_("project type"), max_length=30, choices=ProjectType.choices, unique=True)
    title = models.CharField(_("title"), max_length=100)
    title_en = models.CharField(_("English title"), max_length=150, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("English introduction"), blank=True)

    class Meta:
        ordering = ["project_type"]
        verbose_name = _("landing guide")
        verbose_name_plural = _("landing guides")

    def __str__(self):
        return bilingual(self, "title")

    def get_absolute_url(self):
        return reverse("portal:guide-detail", args=[self.project_type])

    @property
    def total_days(self) -> int:
        return sum(step.duration_days or 0 for step in self.steps.all())


class GuideStep(BaseModel):
    guide = models.ForeignKey(Guide, verbose_name=_("guide"), on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("what to do"), max_length=150)
    title_en = models.CharField(_("what to do (English)"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=100)
    department_en = models.CharField(_("department (English)"), max_length=150, blank=True)
    documents = models.TextField(_("documents"), blank=True, help_text=_("One document per line."))
    documents_en = models.TextField(_("documents (English)"), blank=True)
    duration_days = models.PositiveSmallIntegerField(_("typical duration (working days)"), null=True, blank=True)
    cost = models.CharField(_("cost"), max_length=100, blank=True)
    cost_en = models.CharField(_("cost (English)"), max_length=150, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    legal_basis_en = models.CharField(_("legal basis (English)"), max_length=250, blank=True)

    # What staff write and investors read of a step (the staff form and the API).
    CONTENT_FIELDS = (
        "order",
        "title",
        "title_en",
        "department",
        "department_en",
        "documents",
        "documents_en",
        "duration_days",
        "cost",
        "cost_en",
        "legal_basis",
        "legal_basis_en",
    )

    class Meta:
        ordering = ["guide", "order"]
        verbose_name = _("guide step")
        verbose_name_plural = _("guide steps")
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "order"],
                name="portal_guide_step_order_unique",
                violation_error_message=_("Two steps of a guide cannot have the same number."),
            )
        ]

    def __str__(self):
        return f"{self.order}. {bilingual(self, 'title')}"

    def get_absolute_url(self):
        return self.guide.get_absolute_url()

    @classmethod
    def public_q(cls):
        return Q()

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return Guide.scope_q(scope, action)

    @classmethod
    def can_add(cls, user) -> bool:
        return Guide.can_add(user)

    def document_list(self) -> list[str]:
        return [line.strip() for line in bilingual(self, "documents").splitlines() if line.strip()]


class Policy(SearchableModel):
    """A support policy investors can claim, for the whole city, a district or a park, and for some industries."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=250, blank=True)
    summary = models.TextField(_("summary"))
    summary_en = models.TextField(_("English summary"), blank=True)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    issuer_en = models.CharField(_("issued by (English)"), max_length=200, blank=True)
    url = models.URLField(_("full text"), blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole city."),
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), null=True, blank=True, on_delete=models.CASCADE, related_name="policies"
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        ordering = ["-effective_from", "title"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self):
        return bilingual(self, "title")

    def get_absolute_url(self):
        return reverse("portal:policy-detail", args=[self.pk])

    @property
    def display_issuer(self) -> str:
        return bilingual(self, "issuer")

    @classmethod
    def in_force_q(cls, day=None) -> Q:
        day = day or timezone.localdate()
        return Q(effective_from__lte=day) & (Q(effective_to__isnull=True) | Q(effective_to__gte=day))

    @classmethod
    def public_q(cls):
        return cls.in_force_q()

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """Staff read every policy; the centre keeps them all, a district bureau those of its district (and of
        the parks in it), a park's team those of its park."""
        if action == Action.VIEW or scope.in_centre(action):
            return Q()
        return (
            scope.region_q(action, "region__adcode")
            | scope.region_q(action, "park__region__adcode")
            | scope.team_q(action, "park__team")
        )

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return scope.is_admin or scope.in_centre(Action.ADD) or bool(scope.regions(Action.ADD))

    def scope_error(self, user) -> str | None:
        """Why ``user`` may not keep this policy where it applies (None when they may): the write rule of
        ``scope_q`` for a record not yet saved."""
        scope = user_scope(user)
        if scope.is_admin or scope.in_centre(Action.CHANGE):
            return None
        prefixes = scope.regions(Action.CHANGE)
        place = self.park.region if self.park_id else self.region
        if place is not None and any(place.adcode.startswith(p) for p in prefixes):
            return None
        if self.park_id and self.park.team_id in scope.teams(Action.CHANGE):
            return None
        return _("You can only keep policies of your own district or of parks your team is responsible for.")

    @property
    def industry_codes(self) -> list[str]:
        return sorted(link.code for link in self.industries.all())

    def search_values(self):
        return [self.title, self.title_en, self.issuer, self.issuer_en]


class PolicyIndustry(IndustryLink):
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="industries")

    class Meta:
        ordering = ["policy", "code"]
        verbose_name = _("industry of a policy")
        verbose_name_plural = _("industries of policies")
        constraints = [models.UniqueConstraint(fields=["policy", "code"], name="portal_policy_industry_unique")]


class CityProfile(KeptByCentre, BaseModel):
    """Who the city is, for the portal's landing page: one per deployment, kept by the centre.

    The city's name is not here: it is the configured region's (``ZHAOSHANG_CITY_ADCODE``).
    """

    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("English introduction"), blank=True)
    slogan = models.CharField(_("slogan"), max_length=100, blank=True)
    slogan_en = models.CharField(_("English slogan"), max_length=200, blank=True)
    office = models.CharField(_("contact office"), max_length=100, blank=True)
    office_en = models.CharField(_("contact office (English)"), max_length=200, blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    email = models.EmailField(_("public email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("city profile")
        verbose_name_plural = _("city profiles")

    def __str__(self):
        return str(_("City profile"))

    def get_absolute_url(self):
        return reverse("portal:home")

    @classmethod
    def current(cls):
        """The deployment's profile (the first one), or None before the centre writes it."""
        return cls.objects.order_by("pk").first()

    @classmethod
    def can_add(cls, user) -> bool:
        return super().can_add(user) and not cls.objects.exists()  # one per deployment


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Proposal(BaseModel):
    """A saved matching result: the investor's needs and the ranked sites, shareable by its link."""

    token = models.CharField(_("link key"), max_length=32, unique=True, default=new_token, editable=False)
    title = models.CharField(_("title"), max_length=150, blank=True)
    needs = models.JSONField(_("needs"))
    results = models.JSONField(_("ranked sites"), help_text=_("Scores and reasons as computed when saved."))
    language = models.CharField(_("language"), max_length=10, default="zh-hans")

    audit_secret = ("token",)  # the link opens the proposal to anyone: history pages never show it

    class Meta:
        ordering = ["-created"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self):
        return self.title or self.token

    def get_absolute_url(self):
        return reverse("portal:proposal-detail", args=[self.token])

    @classmethod
    def public_q(cls):
        return Q()  # reachable by its unguessable link only; never listed


class Inquiry(BaseModel):
    """An investor's question from the portal, waiting in the inbox of the team responsible, with a response clock.

    Nothing enters the pipeline until a member of that team accepts the inquiry (which opens its lead) or
    dismisses it with a reason (spam or not relevant: kept, audited, never a lead). See
    ``portal.services.inquiries``.
    """

    company = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    country = models.CharField(_("country or region"), max_length=60, blank=True)
    message = models.TextField(
        _("needs"), help_text=_("What you plan: industry, land or floor area, investment, timing.")
    )
    investment_wan = models.DecimalField(
        _("planned investment (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    carrier = models.ForeignKey(
        Carrier, verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    team = models.ForeignKey(Team, verbose_name=_("owning team"), on_delete=models.PROTECT, related_name="inquiries")
    lead = models.ForeignKey(
        "projects.Project",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
        help_text=_("The project the inquiry opened in the pipeline when it was accepted."),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dismissed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissal_reason = models.TextField(_("reason for dismissal"), blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(_("status"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.NEW)
    due = models.DateTimeField(_("first response due"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    response_note = models.TextField(_("response"), blank=True)
    consent_at = models.DateTimeField(
        _("consent given"),
        null=True,
        blank=True,
        help_text=_("When the investor agreed to the use of their personal data stated on the form."),
    )
    anonymised_at = models.DateTimeField(
        _("anonymised"),
        null=True,
        blank=True,
        help_text=_("When the personal data of the inquiry were replaced by a marker (see docs/privacy.md)."),
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            # serves the staff inbox (a team's open inquiries by due time)
            models.Index(fields=["team", "status", "due"], name="portal_inquiry_inbox_idx"),
        ]

    personal_fields = ("contact_name", "phone", "email")

    def __str__(self):
        return self.company

    @property
    def language_name(self) -> str:
        """The name of the language the inquiry was written in, in the page's language ("English", not "en")."""
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    def get_absolute_url(self):
        return reverse("portal:inquiry-detail", args=[self.pk])

    @staticmethod
    def response_due(received):
        """When the first response to an inquiry received at ``received`` is due: the same time of day,
        ``ZHAOSHANG_INQUIRY_RESPONSE_DAYS`` working days of the calendar later (core.workdays: holidays and moved
        working days count as the State Council sets them)."""
        return add_working_days(timezone.localtime(received), settings.ZHAOSHANG_INQUIRY_RESPONSE_DAYS)

    def save(self, *args, **kwargs):
        if self.due is None:
            self.due = self.response_due(self.created or timezone.now())
        return super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        moment = self.first_response_at or timezone.now()
        return moment > self.due

    @property
    def is_pending(self) -> bool:
        """Waiting for its team to accept or dismiss it."""
        return self.accepted_at is None and self.dismissed_at is None

    @property
    def response_hours(self) -> float | None:
        if self.first_response_at is None:
            return None
        return round((self.first_response_at - self.created).total_seconds() / 3600, 1)

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        q = scope.team_q(action, "team") | scope.region_q(action, "region__adcode")
        if scope.in_centre(action):
            return Q()
        return q

    @classmethod
    def can_add(cls, user) -> bool:
        return False  # inquiries come from investors through the portal
