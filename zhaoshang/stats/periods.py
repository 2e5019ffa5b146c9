"""Reporting periods with the conventions of official statistics, and the two derived figures of every table.

- a month (2026年11月), a cumulative period from January (1—11月, written with an em dash as offices do),
  a quarter (2026年第三季度) and a year (2026年);
- the same period of the previous year (同期), which year-on-year change compares with;
- year-on-year change in % ((current − previous) ÷ previous × 100) and a share in %, both rounded half up to one
  decimal; with a zero or missing base there is no figure (None, shown as "—"), never a division error.

A period is written in URLs and the API as its ``key``: ``2026`` (year), ``2026-q3`` (quarter), ``2026-11``
(month), ``2026-ytd-11`` (January to November).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.units import quantize


def english() -> bool:
    """Whether figures are written in English (the page language); Chinese otherwise."""
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


# Shown where a figure cannot be computed (a zero base of year-on-year change or of a share).
NO_FIGURE = "—"

QUARTER_NAMES_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    CUMULATIVE = "ytd", gettext_lazy("January to month N")
    QUARTER = "quarter", gettext_lazy("Quarter")
    YEAR = "year", gettext_lazy("Year")


KEY_PATTERNS = (
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
    (re.compile(r"^(\d{4})-q([1-4])$", re.IGNORECASE), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-ytd-(\d{1,2})$", re.IGNORECASE), PeriodKind.CUMULATIVE),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), PeriodKind.MONTH),
)


@dataclass(frozen=True)
class Period:
    """One reporting period. ``number`` is the month (month, cumulative), the quarter, or None (year)."""

    kind: str
    year: int
    number: int | None = None

    def __post_init__(self):
        limits = {PeriodKind.MONTH: 12, PeriodKind.CUMULATIVE: 12, PeriodKind.QUARTER: 4}
        if self.kind not in PeriodKind.values:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if not 1900 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.kind == PeriodKind.YEAR:
            if self.number is not None:
                raise ValueError("a year has no number")
        elif self.number is None or not 1 <= self.number <= limits[self.kind]:
            raise ValueError(f"{self.kind} needs a number from 1 to {limits[self.kind]}")

    # ---- constructors

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(PeriodKind.MONTH, year, month)

    @classmethod
    def cumulative(cls, year: int, month: int) -> Period:
        return cls(PeriodKind.CUMULATIVE, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, year)

    @classmethod
    def parse(cls, key: str) -> Period:
        """The period of a key (see the module); ValueError with a readable message for anything else."""
        text = (key or "").strip()
        for pattern, kind in KEY_PATTERNS:
            match = pattern.match(text)
            if match:
                numbers = [int(g) for g in match.groups()]
                return cls(kind, numbers[0], numbers[1] if len(numbers) > 1 else None)
        raise ValueError(
            _("“%(key)s” is not a period: write 2026, 2026-q3, 2026-11 or 2026-ytd-11 (January to November).")
            % {"key": key}
        )

    @classmethod
    def default(cls, today: date) -> Period:
        """What a report shows by default: January to the last complete month (in January: the previous year)."""
        if today.month == 1:
            return cls.whole_year(today.year - 1)
        return cls.cumulative(today.year, today.month - 1)

    # ---- bounds

    @property
    def start(self) -> date:
        if self.kind == PeriodKind.MONTH:
            return date(self.year, self.number, 1)
        if self.kind == PeriodKind.QUARTER:
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        last_month = {
            PeriodKind.MONTH: self.number,
            PeriodKind.CUMULATIVE: self.number,
            PeriodKind.QUARTER: 3 * (self.number or 0),
            PeriodKind.YEAR: 12,
        }[self.kind]
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def previous_year(self) -> Period:
        """The same period of the previous year (同期)."""
        return Period(self.kind, self.year - 1, self.number)

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return f"{self.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-q{self.number}"
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}-ytd-{self.number:02d}"

    # ---- labels

    def span_zh(self) -> str:
        """The period without its year, as Chinese reports write it: 1—11月, 11月, 第三季度, 全年."""
        if self.kind == PeriodKind.CUMULATIVE:
            return "1月" if self.number == 1 else f"1—{self.number}月"
        if self.kind == PeriodKind.MONTH:
            return f"{self.number}月"
        if self.kind == PeriodKind.QUARTER:
            return f"第{QUARTER_NAMES_ZH[self.number]}季度"
        return "全年"

    def span_en(self) -> str:
        """The period without its year in English: January–November, November, Q3, the year."""
        names = calendar.month_name
        if self.kind == PeriodKind.CUMULATIVE:
            return names[1] if self.number == 1 else f"{names[1]}–{names[self.number]}"
        if self.kind == PeriodKind.MONTH:
            return names[self.number]
        if self.kind == PeriodKind.QUARTER:
            return f"Q{self.number}"
        return "the year"

    def label_zh(self) -> str:
        return f"{self.year}年" if self.kind == PeriodKind.YEAR else f"{self.year}年{self.span_zh()}"

    def label_en(self) -> str:
        return f"{self.year}" if self.kind == PeriodKind.YEAR else f"{self.span_en()} {self.year}"

    @property
    def label(self) -> str:
        """The label in the active language."""
        return self.label_en() if english() else self.label_zh()

    def __str__(self):
        return self.label


# ---------------------------------------------------------------- derived figures


def yoy(current, previous) -> Decimal | None:
    """Year-on-year change in %: (current − previous) ÷ previous × 100, rounded half up to one decimal.

    None when there is no base (previous zero or unknown): the report shows "—"."""
    if previous is None or current is None:
        return None
    previous, current = Decimal(previous), Decimal(current)
    if previous == 0:
        return None
    return quantize((current - previous) / previous * 100, 1)


def share(part, whole) -> Decimal | None:
    """``part`` as a percentage of ``whole``, rounded half up to one decimal; None for a zero whole."""
    if part is None or not whole:
        return None
    return quantize(Decimal(part) / Decimal(whole) * 100, 1)


def format_percent(value: Decimal | None) -> str:
    """12.3 → "12.3%", None → "—"."""
    return NO_FIGURE if value is None else f"{value}%"
