from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.accounts.models import Team
from zhaoshang.core import access
from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel, SearchableModel
from zhaoshang.core.permissions import Scope, user_scope
from zhaoshang.geo.models import Park, Region

from .choices import ClassificationSource, CodeLevel, EnterpriseSize, RevenueBand, SegmentPosition
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
    chief = models.CharField(
        _("chain chief"),
        max_length=100,
        blank=True,
        help_text=_("The city leader who heads the chain, by office."),
    )
    chief_en = models.CharField(_("chain chief (English)"), max_length=150, blank=True)
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
    address = models.CharField(_("address"), max_length=200, blank=True)
    main_products = models.TextField(
        _("main products"),
        blank=True,
        help_text=_(
            "What the company makes or does, in its own words (e.g. cathode materials, battery separators): chain "
            "nodes are found from these words and the industry code."
        ),
    )
    revenue_band = models.CharField(_("annual revenue"), max_length=10, choices=RevenueBand.choices, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)

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
        return [self.name, self.name_en, self.uscc, self.hq_city, self.hq_country, region, self.address]

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


def _prefixed(q: Q, prefix: str) -> Q:
    """``q`` with every lookup moved under ``prefix`` (an empty ``Q()`` stays everything)."""
    if not q:
        return Q()
    children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}{child[0]}", child[1]) for child in q.children
    ]
    return Q(*children, _connector=q.connector, _negated=q.negated)


def enterprise_q(scope: Scope, action: str, prefix: str = "enterprise__") -> Q | None:
    """The records whose enterprise (at ``prefix``) the scope may ``action``: the enterprise's own rule
    (``Enterprise.scope_q``) and the grants registered on enterprises, reached through the prefix."""
    own = Enterprise.scope_q(scope, action)
    found = []
    if own is not None:
        found.append(_prefixed(own, prefix))
    granted = access.granted_q(Enterprise, scope, action, prefix)
    if granted is not None:
        found.append(granted)
    if not found:
        return None
    if any(not q for q in found):  # an empty Q() lets every record through
        return Q()
    result = found[0]
    for q in found[1:]:
        result |= q
    return result


# ---------------------------------------------------------------- a chain's segments and nodes


class ChainPart(BilingualNameMixin, BaseModel):
    """A segment or node of a chain: public with an active chain, kept up to date by the chain's task force."""

    class Meta:
        abstract = True

    @classmethod
    def public_q(cls):
        return Q(chain__active=True)

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        if action == Action.VIEW:
            return Q()
        return scope.team_q(action, "chain__task_force")

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return scope.is_admin or Chain.objects.restrict(user, Action.CHANGE).exists()


class ChainSegment(ChainPart):
    """A segment of a chain (上游 / 中游 / 下游 and a name, e.g. 材料, 电芯制造, 应用与回收)."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("industry chain"), on_delete=models.CASCADE, related_name="segments"
    )
    position = models.CharField(_("position"), max_length=12, choices=SegmentPosition.choices)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["chain", "sort", "pk"]
        verbose_name = _("chain segment")
        verbose_name_plural = _("chain segments")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "name"],
                name="industry_segment_unique_name",
                violation_error_message=_("This chain already has a segment of this name."),
            ),
        ]

    def __str__(self):
        return f"{self.chain} · {self.display_name}"

    def get_absolute_url(self):
        return self.chain.get_absolute_url()


class ChainNode(ChainPart):
    """A link of a chain (e.g. 正极材料 of 新能源电池): the enterprises of its industry codes and product words
    belong to it (``industry.classify``)."""

    chain = models.ForeignKey(Chain, verbose_name=_("industry chain"), on_delete=models.CASCADE, related_name="nodes")
    segment = models.ForeignKey(ChainSegment, verbose_name=_("segment"), on_delete=models.CASCADE, related_name="nodes")
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    industry_codes = models.ManyToManyField(
        IndustryCode,
        verbose_name=_("industry codes"),
        blank=True,
        related_name="chain_nodes",
        help_text=_("Codes of any level: an enterprise whose code lies under one of them belongs to the node."),
    )
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_(
            "Product words separated by commas (e.g. cathode materials, LFP): an enterprise whose "
            "main products name one belongs to the node."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["chain", "segment__sort", "sort", "pk"]
        verbose_name = _("chain node")
        verbose_name_plural = _("chain nodes")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "name"],
                name="industry_node_unique_name",
                violation_error_message=_("This chain already has a node of this name."),
            ),
        ]

    def __str__(self):
        return f"{self.chain} · {self.display_name}"

    def get_absolute_url(self):
        return f"{self.chain.get_absolute_url()}#node-{self.pk}"

    def clean(self):
        if self.segment_id and self.chain_id and self.segment.chain_id != self.chain_id:
            raise ValidationError({"segment": _("The segment belongs to another chain.")})

    def keyword_list(self) -> list[str]:
        from .services import split_words

        return split_words(self.keywords)


class NodeClassification(BaseModel):
    """An enterprise's place at a chain node, with the reason.

    Rows of the rules (``source=rules``) are rewritten whenever the enterprise or the node changes
    (``industry.classify``); a member of staff's decision (``source=staff``) — the enterprise belongs to the node,
    or (``excluded``) it does not — is kept through every reclassification and re-import. ``local``, ``output_wan``
    and ``score`` are copied from the enterprise when the row is written, so that a chain's figures and a node's
    targets are read from one indexed table.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="node_links"
    )
    node = models.ForeignKey(
        ChainNode, verbose_name=_("chain node"), on_delete=models.CASCADE, related_name="classifications"
    )
    chain = models.ForeignKey(Chain, verbose_name=_("industry chain"), on_delete=models.CASCADE, related_name="+")
    source = models.CharField(
        _("source"), max_length=10, choices=ClassificationSource.choices, default=ClassificationSource.RULES
    )
    excluded = models.BooleanField(
        _("excluded"), default=False, help_text=_("Staff decided that the enterprise does not belong to this node.")
    )
    # Why the rules put the enterprise here: {"rule": …, "words": [...], "code": "38", "node_codes": [...]} (read by
    # ``reason_text``), or the member of staff's note.
    reason = models.JSONField(_("reason"), default=dict, blank=True)
    local = models.BooleanField(_("in the city"), default=False)
    output_wan = models.PositiveBigIntegerField(_("estimated revenue (10,000 yuan)"), default=0)
    score = models.PositiveIntegerField(_("fit score"), default=0)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["node", "-score", "pk"]
        verbose_name = _("chain node classification")
        verbose_name_plural = _("chain node classifications")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "node"],
                name="industry_classification_unique",
                violation_error_message=_("The enterprise is already classified to this node."),
            ),
        ]
        indexes = [
            # serves a node's targets: enterprises outside the city, best fit first (chains.services.rank_targets)
            models.Index(fields=["node", "local", "excluded", "-score"], name="industry_cls_node_rank_idx"),
            # serves a chain map's figures: local enterprises and their output by node, read from the index alone
            models.Index(
                fields=["chain", "local", "excluded", "node", "output_wan"], name="industry_cls_chain_fig_idx"
            ),
            # serves the chains' overview: each chain's local enterprises counted once, in the index's order
            models.Index(fields=["chain", "local", "excluded", "enterprise"], name="industry_cls_chain_ent_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.node}"

    def get_absolute_url(self):
        return self.enterprise.get_absolute_url()

    def reason_text(self) -> str:
        from .classify import explain

        return explain(self)

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """Read with the enterprise; staff corrections by the chain's task force and the centre, on enterprises
        they read."""
        readable = enterprise_q(scope, Action.VIEW)
        if action == Action.VIEW or readable is None:
            return readable
        keeps = scope.team_q(action, "chain__task_force")
        if scope.in_centre(action):
            return readable
        return readable & keeps
