"""The indicator table of an admission review: each indicator computed from the applicant's figures, set against
the threshold of the standard set in force, with the document it comes from, and the rejection lists checked.

Which indicators apply follows the kind of review:

- industrial: total investment, investment intensity, tax per 亩, plot ratio (the national minimum of the
  project's GB/T 4754-2002 division, reached through ``CodeMapping``), building coefficient, administrative and
  living land share, green ratio, energy per output;
- industrial real estate: the same, and the floor area for own use, the floor area for sale and the smallest unit;
- general and logistics warehouses: total investment, investment intensity, tax per 亩, and the warehouse code's
  own plot ratio, green ratio and building coefficient (no per-division plot ratio).

Of the thresholds of an indicator, the most specific one that fits the review wins: one naming the kind of review
outweighs any naming only a zone or a division; among the rest, a zone outweighs a division; a threshold naming
none applies to all. Values are Decimal and unrounded; pages round them for display only (core.formatting).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import formatting
from zhaoshang.core.formatting import UNKNOWN, number
from zhaoshang.core.units import SQM_PER_MU

from ..choices import Comparison, Indicator, RejectionList, ReviewKind
from ..models import CodeMapping, RejectionEntry, SourceDocument, StandardSet, Zone

HUNDRED = Decimal(100)

INDUSTRIAL = (
    Indicator.TOTAL_INVESTMENT,
    Indicator.INVESTMENT_INTENSITY,
    Indicator.TAX_PER_MU,
    Indicator.PLOT_RATIO,
    Indicator.BUILDING_COEFFICIENT,
    Indicator.ADMIN_SHARE,
    Indicator.GREEN_RATIO,
    Indicator.ENERGY_PER_OUTPUT,
)
WAREHOUSE = (
    Indicator.TOTAL_INVESTMENT,
    Indicator.INVESTMENT_INTENSITY,
    Indicator.TAX_PER_MU,
    Indicator.PLOT_RATIO,
    Indicator.BUILDING_COEFFICIENT,
    Indicator.GREEN_RATIO,
)
INDICATORS_OF_KIND = {
    ReviewKind.INDUSTRIAL: INDUSTRIAL,
    ReviewKind.INDUSTRIAL_REAL_ESTATE: INDUSTRIAL
    + (Indicator.OWN_USE_SHARE, Indicator.SALE_SHARE, Indicator.MIN_UNIT_AREA),
    ReviewKind.GENERAL_WAREHOUSE: WAREHOUSE,
    ReviewKind.LOGISTICS_WAREHOUSE: WAREHOUSE,
}
# Kinds whose plot ratio is their own code's, never the national table's per division.
WITHOUT_DIVISIONS = frozenset({ReviewKind.GENERAL_WAREHOUSE, ReviewKind.LOGISTICS_WAREHOUSE})


@dataclass(frozen=True)
class IndicatorRow:
    indicator: str  # choices.Indicator value
    label: str  # translated indicator name
    formula: str  # translated formula in words, e.g. "固定资产投资 ÷ 用地面积"
    inputs: str  # the values substituted, formatted, e.g. "30,000 万元 ÷ 100 亩"
    value: Decimal | None  # computed (None when a figure is missing)
    unit: str
    comparison: str | None  # choices.Comparison value
    threshold: Decimal | None
    source: SourceDocument | None
    passed: bool | None  # None: a figure or the threshold is missing

    @property
    def places(self) -> int:
        """Decimals shown on pages (the value itself is never rounded)."""
        return 4 if self.indicator == Indicator.ENERGY_PER_OUTPUT else 2

    @property
    def comparison_sign(self) -> str:
        return {Comparison.AT_LEAST: "≥", Comparison.AT_MOST: "≤"}.get(self.comparison, "")

    def _show(self, value) -> str:
        if value is None:
            return UNKNOWN
        if self.indicator == Indicator.TOTAL_INVESTMENT:
            return formatting.money(value)
        return f"{number(value, self.places)} {self.unit}".strip()

    @property
    def shown_value(self) -> str:
        """The value as pages and prints read it (rounded for display only)."""
        return self._show(self.value)

    @property
    def shown_threshold(self) -> str:
        """The threshold with its sign (≥ / ≤), or "" when none applies."""
        return "" if self.threshold is None else f"{self.comparison_sign} {self._show(self.threshold)}"


@dataclass(frozen=True)
class RejectionHit:
    list_kind: str
    entry: RejectionEntry
    reason: str

    @property
    def list_label(self) -> str:
        return RejectionList(self.list_kind).label


@dataclass(frozen=True)
class IndicatorTable:
    standard_set: StandardSet | None
    rows: list[IndicatorRow]
    rejections: list[RejectionHit]
    passed: bool | None  # False if any row failed or any rejection hit; None if something is missing; else True


# ---------------------------------------------------------------- units and formulas, in words


def units() -> dict[str, str]:
    return {
        "wan": _("10,000 yuan"),
        "mu": _("mu"),
        "sqm": _("m²"),
        "percent": "%",
        "intensity": _("10,000 yuan/mu"),
        "tax": _("10,000 yuan/mu per year"),
        "tce": _("t of standard coal"),
        "energy": _("t of standard coal/10,000 yuan"),
        "ratio": "",
    }


def _q(value, unit: str = "", places: int = 2) -> str:
    if value is None:
        return UNKNOWN
    text = number(value, places)
    return f"{text} {unit}".strip()


def _wan(value) -> str:
    """An amount in 万元 as the formula substitutes it: in 万元 in Chinese (the unit of the per-亩 figures, so that
    the division reads as it is done), as people say it in English."""
    if value is None:
        return UNKNOWN
    if formatting.counts_in_wan():
        return _("%(value)s ten thousand yuan") % {"value": number(value)}
    return formatting.money(value)


def _div(numerator, denominator, scale: Decimal = Decimal(1)) -> Decimal | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator * scale / denominator


def compute(indicator: str, review) -> tuple[str, str, Decimal | None, str]:
    """(formula, inputs, value, unit) of one indicator for the figures of ``review``."""
    u = units()
    r = review
    site_m2 = r.site_area_mu * SQM_PER_MU if r.site_area_mu is not None else None
    if indicator == Indicator.TOTAL_INVESTMENT:
        return _("Total investment as declared"), _wan(r.total_investment), r.total_investment, u["wan"]
    if indicator == Indicator.INVESTMENT_INTENSITY:
        return (
            _("Fixed-asset investment (buildings, equipment and land price) ÷ site area"),
            f"{_wan(r.fixed_asset_investment)} ÷ {formatting.mu(r.site_area_mu)}",
            _div(r.fixed_asset_investment, r.site_area_mu),
            u["intensity"],
        )
    if indicator == Indicator.TAX_PER_MU:
        return (
            _("Expected annual tax ÷ site area"),
            f"{_wan(r.annual_tax)} ÷ {formatting.mu(r.site_area_mu)}",
            _div(r.annual_tax, r.site_area_mu),
            u["tax"],
        )
    if indicator == Indicator.PLOT_RATIO:
        floor, high = r.floor_area_m2, r.high_storey_floor_area_m2
        counted = None if floor is None else floor + (high or 0)
        return (
            _("(Total floor area + floor area of storeys over 8 m once more: those storeys count double) ÷ site area"),
            f"({formatting.sqm(floor, 2)} + {formatting.sqm(high or 0, 2)}) ÷ {formatting.sqm(site_m2, 2)}",
            _div(counted, site_m2),
            u["ratio"],
        )
    shares = {
        Indicator.BUILDING_COEFFICIENT: (
            _("Footprint of buildings, structures and yards ÷ site area"),
            r.footprint_m2,
            site_m2,
        ),
        Indicator.ADMIN_SHARE: (_("Administrative and living land ÷ site area"), r.admin_land_m2, site_m2),
        Indicator.GREEN_RATIO: (_("Green land ÷ site area"), r.green_land_m2, site_m2),
        Indicator.OWN_USE_SHARE: (_("Floor area for own use ÷ total floor area"), r.own_use_floor_m2, r.floor_area_m2),
        Indicator.SALE_SHARE: (_("Floor area for sale ÷ total floor area"), r.sale_floor_m2, r.floor_area_m2),
    }
    if indicator in shares:
        formula, part, whole = shares[indicator]
        return (
            f"{formula} × 100%",
            f"{formatting.sqm(part, 2)} ÷ {formatting.sqm(whole, 2)}",
            _div(part, whole, HUNDRED),
            u["percent"],
        )
    if indicator == Indicator.ENERGY_PER_OUTPUT:
        return (
            _("Expected annual energy use ÷ expected annual output"),
            f"{_q(r.annual_energy_tce, u['tce'], 4)} ÷ {_wan(r.annual_output)}",
            _div(r.annual_energy_tce, r.annual_output),
            u["energy"],
        )
    if indicator == Indicator.MIN_UNIT_AREA:
        return _("Smallest unit sold, as declared"), formatting.sqm(r.min_unit_m2, 2), r.min_unit_m2, u["sqm"]
    raise ValueError(f"unknown indicator {indicator!r}")


def judge(value: Decimal | None, comparison: str | None, threshold: Decimal | None) -> bool | None:
    if value is None or threshold is None or not comparison:
        return None
    return value >= threshold if comparison == Comparison.AT_LEAST else value <= threshold


# ---------------------------------------------------------------- what applies to a review


def standard_set_of(review) -> StandardSet | None:
    """The set the review is judged by: the one fixed at submission, else the one in force on its submission date
    (today for a draft)."""
    if review.standard_set_id:
        return review.standard_set
    return StandardSet.in_force(review.submitted_on or timezone.localdate())


def zone_of(review) -> Zone | None:
    if review.zone_id:
        return review.zone
    project = review.project
    return Zone.for_place(project.park_id, project.district.adcode if project.district_id else None)


def industry_code_of(review) -> str:
    code = review.industry_code if review.industry_code_id else review.project.industry_code
    return code.code if code is not None else ""


class Limit(NamedTuple):
    """A threshold as the table needs it (read as plain values: a set holds dozens of them)."""

    indicator: str
    kind: str
    zone_id: int | None
    division_2002: str
    comparison: str
    value: Decimal
    source_id: int


def limits_of(standard_set: StandardSet | None) -> list[Limit]:
    if standard_set is None:
        return []
    return [Limit(*values) for values in standard_set.thresholds.order_by().values_list(*Limit._fields)]


def best_threshold(thresholds, indicator: str, kind: str, zone_id, division: str | None):
    """The most specific threshold of ``indicator`` that fits (kind 4, zone 2, division 1)."""
    best, best_score = None, -1
    for threshold in thresholds:
        if threshold.indicator != indicator:
            continue
        if threshold.kind and threshold.kind != kind:
            continue
        if threshold.zone_id and threshold.zone_id != zone_id:
            continue
        if threshold.division_2002 and threshold.division_2002 != division:
            continue
        score = 4 * bool(threshold.kind) + 2 * bool(threshold.zone_id) + bool(threshold.division_2002)
        if score > best_score:
            best, best_score = threshold, score
    return best


def rejection_hits(entries, industry_code: str, products: str, uscc: str) -> list[RejectionHit]:
    hits = []
    uscc = (uscc or "").strip().upper()
    for entry in entries:
        reason = None
        if entry.industry_code and industry_code.startswith(entry.industry_code):
            reason = _("Industry code %(code)s falls under %(listed)s.") % {
                "code": industry_code,
                "listed": entry.industry_code,
            }
        if reason is None and products:
            word = next((w for w in entry.keywords.split() if w and w in products), None)
            if word:
                reason = _("The products name “%(word)s”.") % {"word": word}
        if reason is None and entry.uscc and uscc and entry.uscc.strip().upper() == uscc:
            reason = _("The investor's unified social credit code %(uscc)s is on the list.") % {"uscc": uscc}
        if reason is not None:
            hits.append(RejectionHit(entry.list_kind, entry, reason))
    return hits


def plot_ratio_label(mapping: CodeMapping | None, code: str, applies: bool) -> str:
    label = str(Indicator.PLOT_RATIO.label)
    if not applies:
        return label
    if not code:
        return _("%(label)s (industry code missing)") % {"label": label}
    if mapping is None:
        return _("%(label)s (no GB/T 4754-2002 division for code %(code)s: no applicable threshold)") % {
            "label": label,
            "code": code,
        }
    return _("%(label)s (GB/T 4754-2002 division %(division)s %(name)s)") % {
        "label": label,
        "division": mapping.division_2002,
        "name": mapping.name_2002_en if _is_english() and mapping.name_2002_en else mapping.name_2002,
    }


def _is_english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def indicator_table(review) -> IndicatorTable:
    """The indicator table of ``review`` (see the module's docstring)."""
    standard_set = standard_set_of(review)
    kind = review.kind
    zone = zone_of(review)
    zone_id = zone.pk if zone else None
    code = industry_code_of(review)
    by_divisions = kind not in WITHOUT_DIVISIONS
    mapping = CodeMapping.division_for(code) if code and by_divisions else None
    division = mapping.division_2002 if mapping else None
    thresholds = limits_of(standard_set)
    chosen = []
    for indicator in INDICATORS_OF_KIND.get(kind, INDUSTRIAL):
        chosen.append(
            (indicator, best_threshold(thresholds, indicator, kind, zone_id, division if by_divisions else None))
        )
    sources = SourceDocument.objects.in_bulk({limit.source_id for _indicator, limit in chosen if limit})
    rows = []
    for indicator, threshold in chosen:
        formula, inputs, value, unit = compute(indicator, review)
        label = str(Indicator(indicator).label)
        if indicator == Indicator.PLOT_RATIO:
            label = plot_ratio_label(mapping, code, by_divisions and not (threshold and threshold.kind))
        comparison = threshold.comparison if threshold else None
        limit = threshold.value if threshold else None
        rows.append(
            IndicatorRow(
                indicator=indicator,
                label=label,
                formula=formula,
                inputs=inputs,
                value=value,
                unit=unit,
                comparison=comparison,
                threshold=limit,
                source=sources.get(threshold.source_id) if threshold else None,
                passed=judge(value, comparison, limit),
            )
        )
    entries = standard_set.rejections.select_related("source").order_by("list_kind", "title") if standard_set else []
    hits = rejection_hits(entries, code, review.products or "", review.investor_uscc or "")
    results = [row.passed for row in rows]
    if hits or False in results:
        passed = False
    elif standard_set is None or None in results:
        passed = None
    else:
        passed = True
    return IndicatorTable(standard_set=standard_set, rows=rows, rejections=hits, passed=passed)
