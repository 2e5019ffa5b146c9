"""The chains' monthly value added (规上工业增加值) from the statistics bureau: its import from Excel and the
sentence and table the monthly report carries.

Import (``ValueAddedImporter``): one row per chain and month — 产业链 (the chain's Chinese or English name), 年份,
月份, 1—N月增加值（万元）, 增速（%）. Every row is checked before anything is saved, and nothing is saved when one
row is wrong (each error names its row). A month in the file replaces that month's figures: the chains of the month
absent from the file lose their figure, the others get the new one.

The sentence (``value_added_sentence``), e.g. "1—11月全市15条重点产业链合计实现规模以上工业增加值949.61亿元、
增长3.5%，新能源电池、智能装备、食品等产业链增加值增长超过10%。":

- the count is the number of chains with a figure for the month;
- the total is the sum of the chains' values, 万元 → 亿元 with two decimals (rounded half up);
- the total growth is derived from the chains' published growths: the previous year's value of each chain is
  value ÷ (1 + growth ÷ 100), and the total growth is Σ value ÷ Σ previous − 1, as a percentage with one decimal
  (rounded half up); the chains without a published growth are left out of both sums, and without any growth the
  sentence gives none;
- the chains that grew by more than ``ZHAOSHANG_CHAIN_GROWTH_NAMED`` percent (10) are named, at most three (the
  three largest growths) in the chains' order, followed by 等;
- "" when no chain has a figure for the month.

The monthly report (``stats.reports``) reads the sentence and the table through ``ChainsConfig.report_sentences``
and ``report_tables`` (``core.reports``), so that the statistics do not import this app.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from zhaoshang.core import excel
from zhaoshang.industry.models import Chain

from ..models import ChainValueAdded

WAN_PER_YI = Decimal(10_000)
NAMED_AT_MOST = 3


def _label(name):
    return capfirst(ChainValueAdded._meta.get_field(name).verbose_name)


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- the figures of a month


@dataclass
class MonthFigures:
    year: int
    month: int
    records: list  # ChainValueAdded, in the chains' order
    total: Decimal  # 万元
    growth: Decimal | None  # percent, one decimal
    named: list  # the chains named for their growth, in the chains' order

    @property
    def total_yi(self) -> Decimal:
        return _half_up(self.total / WAN_PER_YI, 2)


def growth_named() -> int:
    return settings.ZHAOSHANG_CHAIN_GROWTH_NAMED


def total_growth(records) -> Decimal | None:
    """Σ value ÷ Σ previous − 1 over the records with a growth, the previous year's value of each being
    value ÷ (1 + growth ÷ 100); percent with one decimal."""
    value = previous = Decimal(0)
    for record in records:
        if record.growth is None:
            continue
        value += record.value_added
        previous += record.value_added / (1 + record.growth / 100)
    if not previous:
        return None
    return _half_up((value / previous - 1) * 100, 1)


def month_figures(year: int, month: int) -> MonthFigures | None:
    """The chains' figures of a month (None without any)."""
    records = list(
        ChainValueAdded.objects.filter(year=year, month=month)
        .select_related("chain")
        .order_by("chain__sort", "chain__name")
    )
    if not records:
        return None
    over = [r for r in records if r.growth is not None and r.growth > growth_named()]
    largest = {r.pk for r in sorted(over, key=lambda r: (-r.growth, r.chain.sort, r.chain.name))[:NAMED_AT_MOST]}
    return MonthFigures(
        year=year,
        month=month,
        records=records,
        total=sum((r.value_added for r in records), Decimal(0)),
        growth=total_growth(records),
        named=[r.chain for r in records if r.pk in largest],
    )


def _change_zh(change: Decimal) -> str:
    if change > 0:
        return f"增长{change}%"
    if change < 0:
        return f"下降{-change}%"
    return "持平"


def _change_en(change: Decimal) -> str:
    if change > 0:
        return f"up {change}%"
    if change < 0:
        return f"down {-change}%"
    return "unchanged"


def value_added_sentence(year: int, month: int) -> str:
    """The report's sentence on the chains' value added of January to ``month``, in the active language ("" without
    figures); the rules are in the module's description."""
    figures = month_figures(year, month)
    if figures is None:
        return ""
    count = len(figures.records)
    threshold = growth_named()
    if _english():
        span = calendar.month_name[1] if month == 1 else f"{calendar.month_name[1]}–{calendar.month_name[month]}"
        billion = _half_up(figures.total / WAN_PER_YI / 10, 3)
        chains = "chain" if count == 1 else "chains"
        text = (
            f"{span}: the city's {count} key industry {chains} together achieved value added of industrial "
            f"enterprises above designated size of {billion} billion yuan"
        )
        if figures.growth is not None:
            text += f", {_change_en(figures.growth)}"
        if figures.named:
            names = [c.name_en or c.name for c in figures.named]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            text += f"; the value added of the {listed} chains, among others, grew by more than {threshold}%"
        return text + "."
    span = "1月" if month == 1 else f"1—{month}月"
    text = f"{span}全市{count}条重点产业链合计实现规模以上工业增加值{figures.total_yi}亿元"
    if figures.growth is not None:
        text += f"、{_change_zh(figures.growth)}"
    if figures.named:
        text += f"，{'、'.join(c.name for c in figures.named)}等产业链增加值增长超过{threshold}%"
    return text + "。"


def report_sentence(period, user=None) -> str:
    """The sentence for the monthly report of ``period`` (January to its last month); the figures are the
    statistics bureau's, the same for every reader."""
    return value_added_sentence(period.year, period.end.month)


def report_table(period, user=None):
    """The monthly report's table of the chains' value added and growth (None without figures)."""
    from zhaoshang.core.documents import Table

    figures = month_figures(period.year, period.end.month)
    if figures is None:
        return None
    english = _english()
    rows = [
        [
            (r.chain.name_en or r.chain.name) if english else r.chain.name,
            _half_up(r.value_added / WAN_PER_YI, 2),
            r.growth,
        ]
        for r in figures.records
    ]
    total = [_("Total"), figures.total_yi, figures.growth]
    return Table(
        title=_("Table 8 Value added of industrial enterprises above designated size by industry chain, %(period)s")
        % {"period": period.label},
        columns=[_("Industry chain"), _("Value added (100 million yuan)"), _("Growth (%)")],
        rows=rows,
        total=total,
        note=_("Source: the statistics bureau. The total growth is derived from the chains' growths."),
        sheet=_("Table 8 Value added"),
    )


# ---------------------------------------------------------------- import


def _whole(value):
    if value in (None, ""):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


VALUE_ADDED_COLUMNS = [
    excel.Column(
        "chain",
        _label("chain"),
        required=True,
        getter=lambda r: r.chain.name,
        help=gettext_lazy("The chain's name in Chinese or English."),
        width=20,
    ),
    excel.Column("year", _label("year"), required=True, parse=_whole, help=gettext_lazy("e.g. 2026.")),
    excel.Column("month", _label("month"), required=True, parse=_whole, help=gettext_lazy("1 to 12.")),
    excel.Column(
        "value_added",
        _label("value_added"),
        required=True,
        help=gettext_lazy("January to the month, in 10,000 yuan."),
        width=24,
    ),
    excel.Column(
        "growth",
        _label("growth"),
        help=gettext_lazy("Year on year in percent as published (3.5 for +3.5%); may be empty."),
    ),
]

VALUE_ADDED_EXAMPLE = {
    "chain": "新能源电池",
    "year": 2026,
    "month": 11,
    "value_added": Decimal("812345.67"),
    "growth": 12.3,
}


class ValueAddedForm(forms.Form):
    """One row of the import (the chain looked up among the preloaded chains)."""

    year = forms.IntegerField(label=_label("year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_label("month"), min_value=1, max_value=12)
    value_added = forms.DecimalField(label=_label("value_added"), max_digits=14, decimal_places=2, min_value=0)
    growth = forms.DecimalField(label=_label("growth"), max_digits=7, decimal_places=2, required=False)

    def __init__(self, *args, chains: excel.Lookup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "chain": excel.LookupField(
                chains,
                label=_label("chain"),
                unknown_message=gettext_lazy("There is no industry chain “%(value)s”."),
            ),
            **self.fields,
        }


class ValueAddedImporter:
    """The chains' monthly value added from a workbook: all rows or none; a month in the file replaces that month's
    figures. Used by ``core.excel.ImportView`` (the centre imports: ``ChainValueAdded.can_add``)."""

    model = ChainValueAdded
    columns = VALUE_ADDED_COLUMNS
    title = gettext_lazy("chain value added")

    def __init__(self, user):
        self.user = user
        self.chains = excel.Lookup(Chain.objects.all(), "name", "name_en")

    def make_form(self, data: dict):
        return ValueAddedForm(data, chains=self.chains)

    def save_rows(self, valid) -> dict:
        seen: dict[tuple, int] = {}
        months: dict[tuple, dict] = {}
        for row, form in valid:
            data = form.cleaned_data
            key = (data["chain"].pk, data["year"], data["month"])
            if key in seen:
                raise excel.RowSaveError(
                    row,
                    _("Row %(earlier)s already gives this chain's figure for this month.") % {"earlier": seen[key]},
                    _label("chain"),
                )
            seen[key] = row
            months.setdefault((data["year"], data["month"]), {})[data["chain"].pk] = data
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for (year, month), by_chain in months.items():
            existing = {r.chain_id: r for r in ChainValueAdded.objects.filter(year=year, month=month)}
            for chain_id, record in existing.items():
                if chain_id not in by_chain:
                    record.delete()
            for chain_id, data in by_chain.items():
                record = existing.get(chain_id)
                if record is None:
                    ChainValueAdded(
                        chain=data["chain"],
                        year=year,
                        month=month,
                        value_added=data["value_added"],
                        growth=data["growth"],
                    ).save()
                    counts["created"] += 1
                elif record.value_added == data["value_added"] and record.growth == data["growth"]:
                    counts["unchanged"] += 1
                else:
                    record.value_added, record.growth = data["value_added"], data["growth"]
                    record.save()
                    counts["updated"] += 1
        return counts

    def run(self, file, progress=None, *, dry_run: bool = False) -> excel.ImportResult:
        return excel.import_workbook(
            file, self.columns, self.make_form, save_rows=self.save_rows, progress=progress, dry_run=dry_run
        )
