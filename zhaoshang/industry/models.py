from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel, SearchableModel
from zhaoshang.core.permissions import Scope, user_scope
from zhaoshang.geo.models import Park, Region

from .choices import CodeLevel, EnterpriseSize
from .services import name_key, normalize_name
from .validators import clean_uscc, validate_uscc


class BilingualNameMixin:
    @property
    def display_name(self) -> str:
        if get_language() == "en" and getattr(self, "name_en", ""):
            return self.name_en
        return self.name


class IndustryCode(BilingualNameMixin, BaseModel):
    """A code of GB/T 4754-2017, 国民经济行业分类 (sections A–T, divisions 01–97, …)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=CodeLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort = models.PositiveIntegerField(_("sort order"), default=0, editable=False)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("industry code")
        verbose_name_plural = _("industry codes")

    def __str__(self):
        return f"{self.code} {self.display_name}"

    def get_absolute_url(self):
        return reverse("industry:code-detail", args=[self.code])

    @classmethod
    def public_q(cls):
        return Q()


class Chain(BilingualNameMixin, BaseModel):
    """One of the city's key industry chains (重点产业链), served by a task force."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    task_force = models.ForeignKey(
        Team,
        verbose_name=_("task force"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chains",
        limit_choices_to={"kind": TeamKind.TASK_FORCE},
    )
    industry_codes = models.ManyToManyField(
        IndustryCode, verbose_name=_("industry codes"), blank=True, related_name="chains"
    )
    parks = models.ManyToManyField(
        Park,
        verbose_name=_("leading parks"),
        blank=True,
        related_name="chains",
        help_text=_("Parks where this chain is a leading industry."),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    sort = models.PositiveIntegerField(_("sort order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort", "name"]
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("industry:chain-detail", args=[self.pk])

    @classmethod
    def public_q(cls):
        # 招什么: the chains the city seeks are published on the map.
        return Q(active=True)

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        if action == Action.VIEW:
            return Q()
        # A chain's own task force keeps its description and codes up to date.
        return scope.team_q(action, "task_force") if action == Action.CHANGE else None


class EnterpriseTag(BilingualNameMixin, BaseModel):
    """A label of an enterprise that statistics count by (世界500强, 上市公司, 外资, …)."""

    slug = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort", "slug"]
        verbose_name = _("enterprise tag")
        verbose_name_plural = _("enterprise tags")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("industry:enterprise-list") + f"?tag={self.slug}"


class Enterprise(BilingualNameMixin, SearchableModel):
    """A company the city works with or courts. Shared by leads, projects, reviews and statistics.

    ``owner_team`` is the team that keeps the record: its prospects are its own
    (other outposts do not see them). Records without an owner team are the
    shared register, visible to all staff and kept by the centre.
    """

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters (GB 32100-2015); leave empty for a company registered abroad."),
    )
    normalized_name = models.CharField(_("normalized name"), max_length=200, editable=False, db_index=True)
    # serves the duplicate-claim check of projects (enterprises grouped by their loose name key)
    name_key = models.CharField(_("name key"), max_length=200, editable=False, db_index=True, default="")
    hq_region = models.ForeignKey(
        Region,
        verbose_name=_("headquarters district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("Fill in when the headquarters lies in one of the platform's regions."),
    )
    hq_city = models.CharField(
        _("headquarters city"), max_length=60, blank=True, help_text=_("e.g. Shenzhen, Hong Kong, London")
    )
    hq_country = models.CharField(_("headquarters country"), max_length=60, blank=True, default="中国")
    industry = models.ForeignKey(
        IndustryCode,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    tags = models.ManyToManyField(EnterpriseTag, verbose_name=_("tags"), blank=True, related_name="enterprises")
    owner_team = models.ForeignKey(
        Team,
        verbose_name=_("kept by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("Leave empty to put the enterprise in the shared register."),
    )
    registered_capital = models.DecimalField(
        _("registered capital (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    size = models.CharField(
        _("size"),
        max_length=10,
        choices=EnterpriseSize.choices,
        blank=True,
        help_text=_("The class of the national statistics' size classification (large, medium, small, micro)."),
    )
    # Personal data (core.personal): shown and exported only to those who may change the record; masked in its history.
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    # Derived from the name like the search index: no change record of its own.
    audit_exclude = ("search_text", "name_key")
    personal_fields = ("contact_name", "contact_phone")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_capital__isnull=True) | Q(registered_capital__gte=0),
                name="enterprise_capital_not_negative",
                violation_error_message=_("Registered capital cannot be negative."),
            ),
        ]
        indexes = [
            # serves the scoped enterprise list (owner team, then name order)
            models.Index(fields=["owner_team", "name"], name="industry_ent_team_name_idx"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("industry:enterprise-detail", args=[self.pk])

    def clean(self):
        if self.uscc:
            self.uscc = clean_uscc(self.uscc)
        else:
            self.uscc = None

    def derive(self) -> None:
        """The cleaned code and the name keys, from the name and code (``save`` and bulk imports call it)."""
        self.uscc = clean_uscc(self.uscc) if self.uscc else None
        self.normalized_name = normalize_name(self.name)
        self.name_key = name_key(self.name)

    def save(self, *args, **kwargs):
        self.derive()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "normalized_name", "name_key", "uscc"}
        return super().save(*args, **kwargs)

    def search_values(self):
        region = self.hq_region.name if self.hq_region_id else ""
        return [self.name, self.name_en, self.uscc, self.hq_city, self.hq_country, region]

    def owner_team_error(self, user, team) -> str | None:
        """Why ``user`` may not file this record under ``team`` (None when allowed).

        Keeping the current team is always allowed to whoever may edit the record.
        Otherwise the new team must be one the user writes for (the centre writes
        for every team), the shared register needs the centre, and taking a record away from its team needs a writing
        member of that team: a district bureau may edit its district's prospects
        but not take them.
        """
        scope = user_scope(user)
        if scope.is_admin or (self.pk is not None and team == self.owner_team):
            return None
        if self.pk is not None and self.owner_team_id is not None:
            if self.owner_team_id not in scope.teams(Action.CHANGE) and not scope.in_centre(Action.CHANGE):
                return _("Only the team that keeps this record can hand it to another team.")
        if team is None:
            return None if scope.in_centre(Action.CHANGE) else _("Choose the team that keeps this record.")
        if team.pk not in scope.teams(Action.CHANGE) and not scope.in_centre(Action.CHANGE):
            # the centre files records for every team (as it files their projects: a ledger of the whole city)
            return _("You can only file records for a team you work in.")
        return None

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return scope.is_admin or bool(scope.teams(Action.ADD))

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        q = scope.team_q(action, "owner_team") | scope.region_q(action, "hq_region__adcode")
        if scope.in_centre(action):
            return Q()  # the centre reads and keeps every team's enterprises (docs/access.md)
        if action == Action.VIEW:
            return q | Q(owner_team__isnull=True)
        return q
