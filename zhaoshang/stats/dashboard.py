"""The leaders' dashboard (驾驶舱): the headline figures of a period with year-on-year change, the monthly trend,
the district ranking, the chains, the pipeline funnel, speed, and a map of the districts — all from the metric
layer and the project services, for the user's scope, as plain data the page draws with ECharts and Leaflet.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from zhaoshang.projects.choices import FORWARD, Stage
from zhaoshang.projects.services import speed_figures

from .metrics import SOURCES, get_metric
from .periods import Period, english, format_percent
from .services import aggregate, compute, format_value, raw_value, yi

CARDS = (
    "large_signed",
    "large_signed_investment",
    "large_industrial_signed",
    "large_industrial_signed_investment",
    "large_leading_signed",
    "large_high_tech_signed",
    "large_foreign_signed",
    "large_started",
    "large_producing",
    "fdi_actual",
)
TREND = ("large_signed", "large_signed_investment")
RANKED = ("large_signed", "large_signed_investment")


def direction(change) -> str:
    if change is None:
        return "none"
    return "up" if change > 0 else "down" if change < 0 else "flat"


def _card(figure) -> dict:
    metric = figure.metric
    return {
        "key": metric.key,
        "label": str(metric.label),
        "date_label": str(metric.date_label),
        "value": format_value(metric, figure.value),
        "raw": float(figure.value),
        "previous": format_value(metric, figure.previous),
        "yoy": format_percent(figure.yoy),
        "direction": "none"
        if figure.yoy is None
        else ("up" if figure.yoy > 0 else "down" if figure.yoy < 0 else "flat"),
        "share": format_percent(figure.share) if metric.share_of else "",
        "url": figure.url,
        "comparisons": [{"name": c.name, "value": f"{c.value.normalize():f}{c.unit}"} for c in figure.comparisons],
    }


def monthly_trend(keys, year: int, user=None, months=range(1, 13)) -> dict:
    """Each metric month by month in ``year`` and the year before, for the ``months`` given (all twelve by default;
    a period of January to November has eleven): one query per kind of record and date."""
    metrics = [get_metric(key) for key in keys]
    months = list(months)
    first, last = months[0], months[-1]
    series = {m.key: {year: dict.fromkeys(months, 0), year - 1: dict.fromkeys(months, 0)} for m in metrics}
    buckets: dict[tuple[str, str], list] = {}
    for m in metrics:
        buckets.setdefault((m.source, m.date_field), []).append(m)
    for (source_key, date_field), bucket in buckets.items():
        rows = (
            SOURCES[source_key]
            .records(user)
            .filter(
                **{
                    f"{date_field}__gte": date(year - 1, first, 1),
                    f"{date_field}__lte": date(year, last, calendar.monthrange(year, last)[1]),
                }
            )
            .order_by()
            .annotate(y=ExtractYear(date_field), m=ExtractMonth(date_field))
            .values("y", "m")
            .annotate(**{f"v{index}": aggregate(m, m.condition()) for index, m in enumerate(bucket)})
        )
        for row in rows:
            if row["m"] not in months:  # the months between the two years' spans
                continue
            for index, m in enumerate(bucket):
                series[m.key][row["y"]][row["m"]] = raw_value(m, row[f"v{index}"])
    result = {}
    for m in metrics:
        convert = (lambda v: float(yi(v))) if m.sum_of else (lambda v: v)
        result[m.key] = {
            "label": str(m.label),
            "current": [convert(v) for v in series[m.key][year].values()],
            "previous": [convert(v) for v in series[m.key][year - 1].values()],
        }
    return result


def funnel(user=None) -> list[dict]:
    """The pipeline now: for each forward stage the projects that have reached it (are at it or beyond), so the
    funnel narrows from leads to full production; paused and dropped projects apart, with their own counts."""
    rows = SOURCES["projects"].records(user).order_by().values("stage").annotate(n=Count("pk"))
    counts = {row["stage"]: row["n"] for row in rows}
    labels = dict(Stage.choices)
    reached = []
    for position, stage in enumerate(FORWARD):
        total = sum(counts.get(later, 0) for later in FORWARD[position:])
        reached.append({"stage": stage, "label": str(labels[stage]), "count": total, "at": counts.get(stage, 0)})
    return reached + [
        {"stage": stage, "label": str(labels[stage]), "count": counts.get(stage, 0), "aside": True}
        for stage in (Stage.PAUSED, Stage.DROPPED)
    ]


def speed(period: Period, user=None) -> list[dict]:
    figures = speed_figures(SOURCES["projects"].records(user), period.start, period.end, best=1)
    rows = []
    for interval in figures["intervals"]:
        overall = interval["overall"]
        best = overall.get("best") or []
        rows.append(
            {
                "label": str(interval["label"]),
                "count": overall.get("count", 0),
                "median": overall.get("median"),
                "best": best[0] if best else None,
            }
        )
    return rows


def dashboard(period: Period, user=None) -> dict:
    months = range(period.start.month, period.end.month + 1)  # the trend shows the period's months, no others
    cards = compute(CARDS, period, user)
    ranked = compute(RANKED, period, user, group="district")
    chains = compute(RANKED, period, user, group="chain")
    from zhaoshang.geo.models import Region

    adcodes = dict(
        Region.objects.filter(pk__in=[g.key for g in ranked["large_signed"].groups if g.key]).values_list(
            "pk", "adcode"
        )
    )
    money = {g.key: g for g in ranked["large_signed_investment"].groups}
    districts = [
        {
            "label": g.label,
            "adcode": adcodes.get(g.key, ""),
            "count": g.value,
            "amount": float(yi(money[g.key].value)) if g.key in money else 0.0,
            "yoy": format_percent(g.yoy),
            "rank": g.rank,
            "url": g.url,
        }
        for g in ranked["large_signed"].groups
    ]
    chain_money = {g.key: g for g in chains["large_signed_investment"].groups}
    chain_rows = [
        {
            "label": g.label,
            "count": g.value,
            "amount": float(yi(chain_money[g.key].value)) if g.key in chain_money else 0.0,
            "share": format_percent(g.share),
            "url": g.url,
        }
        for g in chains["large_signed"].groups
    ]
    return {
        "period": {"key": period.key, "label": period.label, "previous": period.previous_year().label},
        "cards": [_card(cards[key]) for key in CARDS],
        "trend": monthly_trend(TREND, period.year, user, months),
        "districts": districts,
        "chains": chain_rows,
        "funnel": funnel(user),
        "speed": speed(period, user),
        "labels": {
            "count": _("Projects"),
            "amount": _("Planned investment (100 million yuan)"),
            "current": str(period.year),
            "previous": str(period.year - 1),
            "months": [calendar.month_abbr[month] if english() else f"{month}月" for month in months],
        },
    }
