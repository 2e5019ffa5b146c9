"""Supervision after landing (批后监管): each yearly result against the commitment per 亩, and the commitment dates
passed without the project reaching the stage. Derived when read, so every page and export agrees at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import Action

from ..models import Commitment, YearResult

CENT = Decimal("0.01")

# The committed figure per 亩 → (the result's figure it is compared with, its label).
COMPARED = (
    ("investment_intensity", "investment", _("Investment intensity")),
    ("output_per_mu", "output", _("Output per mu")),
    ("tax_per_mu", "tax", _("Tax per mu")),
)


@dataclass(frozen=True)
class Breach:
    """A yearly result below its commitment on one indicator (per 亩 of the land used)."""

    result: YearResult
    indicator: str
    label: str
    committed: Decimal
    actual: Decimal

    @property
    def shortfall(self) -> Decimal:
        return (self.committed - self.actual).quantize(CENT, ROUND_HALF_UP)

    @property
    def shortfall_percent(self) -> Decimal:
        return (self.shortfall * 100 / self.committed).quantize(CENT, ROUND_HALF_UP)

    @property
    def review(self):
        return self.result.commitment.review

    @property
    def year(self) -> int:
        return self.result.year

    @property
    def project(self):
        return self.result.commitment.review.project


def per_mu(result: YearResult, figure: str) -> Decimal | None:
    value = getattr(result, figure)
    if value is None or not result.land_mu:
        return None
    return (value / result.land_mu).quantize(CENT, ROUND_HALF_UP)


def comparison(result: YearResult) -> list[dict]:
    """Each committed figure beside the year's actual figure per 亩 (``breach`` when below)."""
    rows = []
    for committed_field, figure, label in COMPARED:
        committed = getattr(result.commitment, committed_field)
        actual = per_mu(result, figure)
        breach = None
        if committed and actual is not None and actual < committed:
            breach = Breach(result, committed_field, str(label), committed, actual)
        rows.append(
            {"indicator": committed_field, "label": label, "committed": committed, "actual": actual, "breach": breach}
        )
    return rows


def breaches_of(result: YearResult) -> list[Breach]:
    return [row["breach"] for row in comparison(result) if row["breach"] is not None]


def breaches(results) -> list[Breach]:
    """The breaches of ``results`` (a queryset of yearly results), newest year first."""
    results = results.select_related("commitment__review__project__district").order_by("-year", "pk")
    return [breach for result in results for breach in breaches_of(result)]


def visible_results(user):
    return YearResult.objects.restrict(user, Action.VIEW)


@dataclass(frozen=True)
class Overdue:
    commitment: Commitment
    label: str
    due: date

    @property
    def project(self):
        return self.commitment.review.project

    @property
    def days(self) -> int:
        return (timezone.localdate() - self.due).days


# The commitment's date → (the project's stage date that meets it, its label).
DUE_DATES = (
    ("construction_by", "construction_on", _("Construction start")),
    ("production_by", "production_on", _("Production start")),
    ("full_production_by", "full_production_on", _("Full production")),
)


def overdue(commitments, today: date | None = None) -> list[Overdue]:
    """The commitment dates passed (before ``today``) without the project's date of that stage."""
    today = today or timezone.localdate()
    late = Q()
    for due_field, stage_field, _label in DUE_DATES:
        late |= Q(**{f"{due_field}__lt": today, f"review__project__{stage_field}__isnull": True})
    found = []
    for commitment in commitments.filter(late).select_related("review__project"):
        for due_field, stage_field, label in DUE_DATES:
            due = getattr(commitment, due_field)
            if due is not None and due < today and getattr(commitment.review.project, stage_field) is None:
                found.append(Overdue(commitment, str(label), due))
    return sorted(found, key=lambda o: o.due)
