"""Standards as data: versioned sets of thresholds, rejection lists and the 2002 → 2017 industry-code mapping.

A ``StandardSet`` is one version of the rules, in force from its ``effective_from`` until the next set's; a review
records the set in force on its submission date (``StandardSet.in_force``). Every value names the document it
comes from (``SourceDocument``), so the indicator table can show it beside the pass/fail.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import BaseModel
from zhaoshang.core.permissions import CentreKeptMixin
from zhaoshang.industry.models import BilingualNameMixin

from ..choices import Comparison, Indicator, RejectionList, ReviewKind


class SourceDocument(CentreKeptMixin, BaseModel):
    """A published document a standard's value comes from (a rule, a national table, a catalogue)."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    issuer_en = models.CharField(_("English issuer"), max_length=200, blank=True)
    number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    url = models.URLField(_("address"), blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        from django.utils.translation import get_language

        return self.title_en if get_language() == "en" and self.title_en else self.title

    def get_absolute_url(self):
        return reverse("review:source-detail", args=[self.pk])


class StandardSet(BilingualNameMixin, CentreKeptMixin, BaseModel):
    """One version of the admission rules, in force from ``effective_from`` until the next version's date."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    effective_from = models.DateField(_("effective from"), unique=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("standard set")
        verbose_name_plural = _("standard sets")

    def __str__(self):
        return f"{self.display_name} ({self.effective_from:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("review:standard-detail", args=[self.pk])

    @classmethod
    def in_force(cls, on: date) -> StandardSet | None:
        """The set in force on ``on``: the latest that took effect on or before it."""
        return cls.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


class Zone(BilingualNameMixin, CentreKeptMixin, BaseModel):
    """A zone of the city's land-supply rules (e.g. the national high-tech zone; the core districts; the rest)."""

    code = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    parks = models.ManyToManyField(
        "geo.Park", verbose_name=_("parks"), blank=True, related_name="+", help_text=_("Parks that lie in this zone.")
    )
    regions = models.ManyToManyField(
        "geo.Region",
        verbose_name=_("districts"),
        blank=True,
        related_name="+",
        help_text=_("Districts whose land lies in this zone unless a park says otherwise."),
    )
    is_default = models.BooleanField(
        _("default zone"), default=False, help_text=_("The zone of land that no park or district names.")
    )
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("review:standard-list")

    @classmethod
    def for_place(cls, park_id: int | None, region_adcode: str | None) -> Zone | None:
        """The zone of land in ``park_id`` / the district ``region_adcode``: the park's zone, else the district's,
        else the default zone."""
        if park_id:
            found = cls.objects.filter(parks=park_id).first()
            if found:
                return found
        if region_adcode:
            found = cls.objects.filter(regions__adcode=region_adcode).first()
            if found:
                return found
        return cls.objects.filter(is_default=True).first()


class Threshold(CentreKeptMixin, BaseModel):
    """One limit of a standard set: ``indicator`` must be at least/at most ``value`` for the reviews it applies to
    (a kind of review, a zone, a 2002 industry division; empty = all)."""

    standard_set = models.ForeignKey(
        StandardSet, verbose_name=_("standard set"), on_delete=models.CASCADE, related_name="thresholds"
    )
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    kind = models.CharField(_("kind of review"), max_length=30, choices=ReviewKind.choices, blank=True)
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.PROTECT, null=True, blank=True)
    division_2002 = models.CharField(
        _("industry division (2002)"),
        max_length=2,
        blank=True,
        help_text=_("For the national plot-ratio table: the GB/T 4754-2002 division it applies to."),
    )
    comparison = models.CharField(_("comparison"), max_length=3, choices=Comparison.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    source = models.ForeignKey(SourceDocument, verbose_name=_("source"), on_delete=models.PROTECT)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["standard_set", "indicator", "kind", "zone", "division_2002"]
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        constraints = [
            models.UniqueConstraint(
                fields=["standard_set", "indicator", "kind", "zone", "division_2002"],
                name="threshold_unique_scope",
                nulls_distinct=False,
                violation_error_message=_("This set already has a threshold for this indicator and scope."),
            )
        ]

    def __str__(self):
        return f"{self.get_indicator_display()} {self.get_comparison_display()} {self.value}"

    def get_absolute_url(self):
        return self.standard_set.get_absolute_url()


class RejectionEntry(CentreKeptMixin, BaseModel):
    """An item of a rejection list: an industry code, product keywords, or an investor's credit code."""

    standard_set = models.ForeignKey(
        StandardSet, verbose_name=_("standard set"), on_delete=models.CASCADE, related_name="rejections"
    )
    list_kind = models.CharField(_("list"), max_length=20, choices=RejectionList.choices)
    title = models.CharField(_("item"), max_length=200)
    title_en = models.CharField(_("English item"), max_length=300, blank=True)
    industry_code = models.CharField(_("industry code"), max_length=4, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Words of the products it names, separated by spaces.")
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    source = models.ForeignKey(SourceDocument, verbose_name=_("source"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["standard_set", "list_kind", "title"]
        verbose_name = _("rejection list item")
        verbose_name_plural = _("rejection list items")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.standard_set.get_absolute_url()


class CodeMapping(CentreKeptMixin, BaseModel):
    """Which GB/T 4754-2002 division a GB/T 4754-2017 code falls in, so the national table (written in 2002
    divisions) applies to a project coded in 2017 codes. The longest matching 2017 code wins (a group overrides
    its division where the division split)."""

    code_2017 = models.CharField(_("industry code (2017)"), max_length=4, unique=True)
    division_2002 = models.CharField(_("industry division (2002)"), max_length=2)
    name_2002 = models.CharField(_("name (2002)"), max_length=100)
    name_2002_en = models.CharField(_("English name (2002)"), max_length=200, blank=True)
    source = models.ForeignKey(SourceDocument, verbose_name=_("source"), on_delete=models.PROTECT)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["code_2017"]
        verbose_name = _("industry code mapping")
        verbose_name_plural = _("industry code mappings")

    def __str__(self):
        return f"{self.code_2017} → {self.division_2002}"

    def get_absolute_url(self):
        return reverse("review:standard-list")

    @classmethod
    def division_for(cls, code_2017: str) -> CodeMapping | None:
        """The mapping of the longest prefix of ``code_2017`` that has one."""
        prefixes = [code_2017[:n] for n in range(len(code_2017), 1, -1)]
        found = {m.code_2017: m for m in cls.objects.filter(code_2017__in=prefixes)}
        return next((found[p] for p in prefixes if p in found), None)
