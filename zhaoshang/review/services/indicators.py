"""The indicator table of a review: each indicator's value from the applicant's figures against the thresholds of
the review's standard set (placeholder: investment intensity and tax per mu only)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..choices import Comparison, Indicator
from ..models import RejectionEntry, SourceDocument, StandardSet, Threshold


@dataclass(frozen=True)
class IndicatorRow:
    indicator: str
    label: str
    formula: str
    inputs: str
    value: Decimal | None
    unit: str
    comparison: str | None
    threshold: Decimal | None
    source: SourceDocument | None
    passed: bool | None


@dataclass(frozen=True)
class RejectionHit:
    list_kind: str
    entry: RejectionEntry
    reason: str


@dataclass(frozen=True)
class IndicatorTable:
    standard_set: StandardSet | None
    rows: list[IndicatorRow]
    rejections: list[RejectionHit]
    passed: bool | None


def _ratio(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"))


FORMULAS = {
    Indicator.INVESTMENT_INTENSITY: (
        _("fixed-asset investment ÷ site area"),
        _("10,000 yuan per mu"),
        "fixed_asset_investment",
    ),
    Indicator.TAX_PER_MU: (_("annual tax ÷ site area"), _("10,000 yuan per mu"), "annual_tax"),
}


def indicator_table(review) -> IndicatorTable:
    standard_set = review.standard_set
    rows = []
    for indicator, (formula, unit, field) in FORMULAS.items():
        value = _ratio(getattr(review, field), review.site_area_mu)
        threshold = None
        if standard_set is not None:
            threshold = (
                Threshold.objects.filter(standard_set=standard_set, indicator=indicator, kind__in=["", review.kind])
                .order_by("-kind")
                .first()
            )
        passed = None
        if threshold is not None and value is not None:
            passed = (
                value >= threshold.value if threshold.comparison == Comparison.AT_LEAST else value <= threshold.value
            )
        rows.append(
            IndicatorRow(
                indicator=indicator,
                label=str(Indicator(indicator).label),
                formula=str(formula),
                inputs=f"{getattr(review, field)} / {review.site_area_mu}",
                value=value,
                unit=str(unit),
                comparison=threshold.comparison if threshold else None,
                threshold=threshold.value if threshold else None,
                source=threshold.source if threshold else None,
                passed=passed,
            )
        )
    verdicts = [row.passed for row in rows if row.passed is not None]
    return IndicatorTable(standard_set, rows, [], all(verdicts) if verdicts else None)
