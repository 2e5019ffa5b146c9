"""Per-mu evaluation (亩均效益综合评价): indicators, scoring, ranks and classes, runs, the county's methods.

The score of an enterprise-year under a method is Σ indicator ÷ benchmark × weight over the method's indicators,
e.g. the county's 规上 method: 亩均税收 ÷ 24.097 × 30 + 亩均增加值 ÷ 136.16 × 20 + … (``COUNTY_METHODS``).

Rules, as the code applies them (tests in review/tests/test_permu*.py):

- **Indicators** are ratios of two figures (``INDICATORS``); an indicator is *missing* when either figure is
  empty or the divisor is zero (no land, no emissions reported, …).
- **Caps**: ``ratio`` caps indicator ÷ benchmark before the weight; ``points`` caps the points after it.
- **Missing data**, per indicator of the method: ``average`` scores the average points of that indicator over the
  graded enterprises of the same method that have the data (0 when none has); ``zero`` scores 0; ``reweight``
  leaves the indicator out and scales the enterprise's other points by (total weight ÷ weight of the indicators
  it has), so its score stays on the same scale.
- **Not graded** (new, start-up, public utility): scored for information, never ranked or classed, and left out
  of the averages.
- **Scores** are rounded to 4 decimals; ranks and classes are decided on the rounded score.
- **Ranks** are competition ranks among the graded enterprises of one method: equal scores share the best rank
  ("1, 2, 2, 4"). Lists order equal scores by credit code (enterprises without one last), then by record id.
- **Classes** by rank with the method's shares (A/B/C/D, in %): with N graded enterprises the cumulative counts
  are ``round_half_up(N × (A)%)``, ``round_half_up(N × (A+B)%)``, ``round_half_up(N × (A+B+C)%)``; an
  enterprise is in the first class whose cumulative count its rank does not exceed, else D. Equal scores share
  a rank, hence the better class. E.g. 1,248 firms with 25/45/25/5 → 312/562/312/62; with 10/40/40/10 →
  125/499/499/125. The one county's published 1,248 → A 134, B 439, C 575, D 100 (10.7%/35.2%/46.1%/8.0%) is
  not a split of ranks by round shares under any rounding rule, so it is not reproduced.
- **Class change**: the class of the same enterprise in the latest run of the previous year.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.db.models import F, FloatField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import CapKind, MissingRule, PerMuClass, PerMuIndicator, SizeClass

CLASSES = [PerMuClass.A, PerMuClass.B, PerMuClass.C, PerMuClass.D]
FIGURES = (
    "land_mu",
    "tax",
    "value_added",
    "revenue",
    "energy_tce",
    "emissions_t",
    "power_10k_kwh",
    "employees",
    "rd_spending",
)
SCORE_PLACES = 4


@dataclass(frozen=True)
class IndicatorDef:
    """An indicator: ``numerator`` ÷ ``denominator`` (two figures of an enterprise-year), in ``unit``."""

    numerator: str
    denominator: str
    unit: str
    formula: object


INDICATORS = {
    PerMuIndicator.TAX_PER_MU: IndicatorDef("tax", "land_mu", "万元/亩", gettext_lazy("tax ÷ land area")),
    PerMuIndicator.VALUE_ADDED_PER_MU: IndicatorDef(
        "value_added", "land_mu", "万元/亩", gettext_lazy("value added ÷ land area")
    ),
    PerMuIndicator.VALUE_ADDED_PER_ENERGY: IndicatorDef(
        "value_added", "energy_tce", "万元/tce", gettext_lazy("value added ÷ energy use")
    ),
    PerMuIndicator.VALUE_ADDED_PER_EMISSION: IndicatorDef(
        "value_added", "emissions_t", "万元/t", gettext_lazy("value added ÷ emissions")
    ),
    PerMuIndicator.LABOUR_PRODUCTIVITY: IndicatorDef(
        "value_added", "employees", "万元/人", gettext_lazy("value added ÷ average employees")
    ),
    PerMuIndicator.RD_SHARE: IndicatorDef("rd_spending", "revenue", "", gettext_lazy("R&D spending ÷ revenue")),
    PerMuIndicator.TAX_PER_POWER: IndicatorDef("tax", "power_10k_kwh", "万元/万kWh", gettext_lazy("tax ÷ power use")),
    PerMuIndicator.REVENUE_PER_MU: IndicatorDef("revenue", "land_mu", "万元/亩", gettext_lazy("revenue ÷ land area")),
}


# --- the county's methods (DOMAIN: one county's published formula) ------------------------------------------------

COUNTY_SOURCE = "某县亩均效益综合评价办法（规上、规下企业评价公式）"
# Caps are not part of the published formula: a ratio cap of 3 (no indicator gives more than three times its
# weight) is a *demo* stand-in for the city's own rule, so that one outlying figure cannot outweigh the others.
DEMO_RATIO_CAP = Decimal("3")
COUNTY_METHODS = [
    {
        "size_class": SizeClass.LARGE,
        "name": "规上工业企业亩均效益综合评价",
        "name_en": "Per-mu evaluation of enterprises above designated size",
        "shares": (25, 45, 25, 5),
        "indicators": [
            (PerMuIndicator.TAX_PER_MU, "24.097", "30", MissingRule.ZERO),
            (PerMuIndicator.VALUE_ADDED_PER_MU, "136.16", "20", MissingRule.ZERO),
            (PerMuIndicator.VALUE_ADDED_PER_ENERGY, "2.694", "20", MissingRule.ZERO),
            # "Missing emission data scores the average."
            (PerMuIndicator.VALUE_ADDED_PER_EMISSION, "4929.81", "10", MissingRule.AVERAGE),
            (PerMuIndicator.LABOUR_PRODUCTIVITY, "18.14", "10", MissingRule.ZERO),
            (PerMuIndicator.RD_SHARE, "0.0302", "10", MissingRule.ZERO),
        ],
    },
    {
        "size_class": SizeClass.SMALL,
        "name": "规下工业企业亩均效益综合评价",
        "name_en": "Per-mu evaluation of enterprises below designated size",
        "shares": (25, 45, 25, 5),
        "indicators": [
            (PerMuIndicator.TAX_PER_MU, "11.5932", "50", MissingRule.ZERO),
            (PerMuIndicator.TAX_PER_POWER, "0.2352", "50", MissingRule.ZERO),
        ],
    },
]


def seed_county_methods(method_model, indicator_model, year: int, *, caps: bool = True) -> list:
    """Create (or leave as they are) the county's two methods for ``year``; the models may be a migration's."""
    made = []
    for spec in COUNTY_METHODS:
        a, b, c, d = spec["shares"]
        method, created = method_model.objects.get_or_create(
            year=year,
            size_class=spec["size_class"],
            defaults={
                "name": spec["name"],
                "name_en": spec["name_en"],
                "share_a": a,
                "share_b": b,
                "share_c": c,
                "share_d": d,
                "source": COUNTY_SOURCE,
                "notes": "各指标比值封顶 3 倍为演示值，不属于公布的计算公式（Caps of a ratio of 3 are demo values).",
            },
        )
        if created:
            for sort, (key, benchmark, weight, rule) in enumerate(spec["indicators"]):
                indicator_model.objects.create(
                    method=method,
                    indicator=key,
                    benchmark=Decimal(benchmark),
                    weight=Decimal(weight),
                    missing_rule=rule,
                    cap_kind=CapKind.RATIO if caps else CapKind.NONE,
                    cap_value=DEMO_RATIO_CAP if caps else None,
                    sort=sort,
                )
        made.append(method)
    return made


def copy_method(method, year: int):
    """The method re-set for another year (benchmarks are re-set every year: the copy is then edited)."""
    from ..models import EvaluationMethod, MethodIndicator

    with transaction.atomic():
        copy = EvaluationMethod.objects.create(
            name=method.name,
            name_en=method.name_en,
            year=year,
            size_class=method.size_class,
            share_a=method.share_a,
            share_b=method.share_b,
            share_c=method.share_c,
            share_d=method.share_d,
            source=method.source,
            notes=method.notes,
        )
        for item in method.indicators.all():
            MethodIndicator.objects.create(
                method=copy,
                indicator=item.indicator,
                benchmark=item.benchmark,
                weight=item.weight,
                cap_kind=item.cap_kind,
                cap_value=item.cap_value,
                missing_rule=item.missing_rule,
                sort=item.sort,
            )
    return copy


# --- the arithmetic (plain NumPy over whole columns) ---------------------------------------------------------------


def method_spec(method) -> dict:
    """A method as a run records it (and the score card shows it): plain values, kept with the run."""
    return {
        "id": method.pk,
        "name": method.name,
        "name_en": method.name_en,
        "size_class": method.size_class,
        "shares": [float(s) for s in method.shares],
        "indicators": [
            {
                "key": item.indicator,
                "benchmark": float(item.benchmark),
                "weight": float(item.weight),
                "cap_kind": item.cap_kind,
                "cap_value": float(item.cap_value) if item.cap_value is not None else None,
                "missing_rule": item.missing_rule,
            }
            for item in method.indicators.all()
        ],
    }


@dataclass
class Scored:
    """The scores of one group of enterprise-years and, per indicator, its columns."""

    score: np.ndarray
    values: dict  # key → value (nan where missing)
    ratios: dict
    points: dict
    missing: dict
    capped: dict


def score_columns(figures: dict, spec: dict, graded: np.ndarray) -> Scored:
    """Score enterprise-years whose ``figures`` are float columns (nan: empty) with the method ``spec``;
    ``graded`` marks those that count for the averages of the ``average`` rule."""
    n = len(graded)
    total = np.zeros(n)
    present_weight = np.zeros(n)
    total_weight = 0.0
    values, ratios, points, missing, capped = {}, {}, {}, {}, {}
    reweight = False
    with np.errstate(divide="ignore", invalid="ignore"):
        for item in spec["indicators"]:
            key, definition = item["key"], INDICATORS[item["key"]]
            numerator, denominator = figures[definition.numerator], figures[definition.denominator]
            gone = np.isnan(numerator) | np.isnan(denominator) | (denominator <= 0)
            value = np.where(gone, np.nan, numerator / denominator)
            ratio = value / item["benchmark"]
            cap = np.zeros(n, dtype=bool)
            if item["cap_kind"] == CapKind.RATIO:
                cap = ratio > item["cap_value"]
                ratio = np.where(cap, item["cap_value"], ratio)
            point = ratio * item["weight"]
            if item["cap_kind"] == CapKind.POINTS:
                cap = point > item["cap_value"]
                point = np.where(cap, item["cap_value"], point)
            rule = item["missing_rule"]
            if rule == MissingRule.AVERAGE:
                having = graded & ~gone
                fill = float(point[having].mean()) if having.any() else 0.0
                point = np.where(gone, fill, point)
            elif rule == MissingRule.REWEIGHT:
                reweight = True
                point = np.where(gone, 0.0, point)
            else:
                point = np.where(gone, 0.0, point)
            total_weight += item["weight"]
            present_weight += np.where(gone & (rule == MissingRule.REWEIGHT), 0.0, item["weight"])
            total += point
            values[key], ratios[key], points[key], missing[key], capped[key] = value, ratio, point, gone, cap & ~gone
        if reweight:
            scale = np.where(present_weight > 0, total_weight / present_weight, 0.0)
            total = total * scale
    return Scored(np.round(total, SCORE_PLACES), values, ratios, points, missing, capped)


def class_counts(n: int, shares) -> list[int]:
    """The cumulative counts of classes A, A–B, A–C for ``n`` graded enterprises (round half up, exactly)."""
    hundredths = [int(round(Decimal(str(s)) * 100)) for s in shares]
    counts, running = [], 0
    for share in hundredths[:3]:
        running += share
        counts.append((n * running + 5000) // 10000)
    return counts


def rank_and_grade(scores: np.ndarray, shares) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks (equal scores share the best rank) and classes (index 0–3: A–D) of graded scores."""
    n = len(scores)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    descending = -np.sort(-scores)
    ranks = np.searchsorted(-descending, -scores, side="left") + 1
    grades = np.searchsorted(np.array(class_counts(n, shares)), ranks, side="left")
    return ranks, grades


def tie_order(scores: np.ndarray, codes: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The order of a list: best score first, equal scores by credit code (none last), then by record id."""
    no_code = np.array([not c for c in codes])
    code_keys = np.array([c or "" for c in codes], dtype=object)
    return np.lexsort((ids, code_keys.astype(str), no_code, -scores))


# --- reading and writing a year ----------------------------------------------------------------------------------


def load_year(year: int) -> dict:
    """Every enterprise-year of ``year`` as columns (figures as floats, nan for empty), in one query."""
    from ..models import EnterpriseYear
    from .permu_sql import fetch_rows

    queryset = EnterpriseYear.objects.filter(year=year).order_by("pk")
    casts = {f"f_{name}": Cast(F(name), FloatField()) for name in FIGURES}
    rows = fetch_rows(
        queryset.annotate(**casts).values_list(
            "pk", "enterprise_id", "enterprise__uscc", "size_class", "not_graded", *casts
        )
    )
    columns = list(zip(*rows, strict=True)) if rows else [()] * (5 + len(FIGURES))
    data = {
        "id": np.array(columns[0], dtype=np.int64),
        "enterprise_id": np.array(columns[1], dtype=np.int64),
        "uscc": np.array(columns[2], dtype=object),
        "size_class": np.array(columns[3], dtype=object),
        "not_graded": np.array(columns[4], dtype=object),
    }
    for index, name in enumerate(FIGURES):
        data[name] = np.array(columns[5 + index], dtype=float)
    return data


def previous_classes(year: int) -> dict[int, str]:
    """Enterprise id → its class in the latest run of ``year`` (graded enterprises only)."""
    from ..models import EvaluationResult, EvaluationRun

    run = EvaluationRun.latest(year)
    if run is None:
        return {}
    return dict(EvaluationResult.objects.filter(run=run).exclude(grade="").values_list("enterprise_id", "grade"))


class NoMethod(Exception):
    """There is no evaluation method for the year."""


def evaluate(data: dict, specs: list[dict]) -> dict:
    """Score, rank and class every enterprise-year of ``data`` with the methods ``specs`` (one per size class):
    columns of the results in the order of ``data`` (method index -1: no method for its size class)."""
    n = len(data["id"])
    out = {
        "method": np.full(n, -1, dtype=np.int64),
        "score": np.full(n, np.nan),
        "rank": np.zeros(n, dtype=np.int64),
        "grade": np.full(n, -1, dtype=np.int64),
        "breakdown": [None] * n,
    }
    graded_all = data["not_graded"] == ""
    for index, spec in enumerate(specs):
        rows = np.nonzero(data["size_class"] == spec["size_class"])[0]
        if not len(rows):
            continue
        figures = {name: data[name][rows] for name in FIGURES}
        graded = graded_all[rows]
        scored = score_columns(figures, spec, graded)
        out["method"][rows] = index
        out["score"][rows] = scored.score
        ranked = rows[graded]
        ranks, grades = rank_and_grade(scored.score[graded], spec["shares"])
        out["rank"][ranked] = ranks
        out["grade"][ranked] = grades
        pairs = []
        for item in spec["indicators"]:
            key = item["key"]
            values = np.round(scored.values[key], 6).tolist()
            points = np.round(scored.points[key], 6).tolist()
            gone = scored.missing[key].tolist()
            pairs.append(
                [f"[null,{p!r}]" if g else f"[{v!r},{p!r}]" for g, v, p in zip(gone, values, points, strict=True)]
            )
        for position, items in zip(rows.tolist(), zip(*pairs, strict=True), strict=True):
            out["breakdown"][position] = "[" + ",".join(items) + "]"
    return out


def run_evaluation(year: int, user=None):
    """Score, rank and class every enterprise-year of ``year`` with the methods of that year; the run and its
    results are saved together. ``NoMethod`` when the year has no method."""
    from ..models import EvaluationMethod, EvaluationRun
    from .permu_sql import insert_results

    started = time.perf_counter()
    methods = list(EvaluationMethod.objects.filter(year=year).prefetch_related("indicators").order_by("size_class"))
    if not methods:
        raise NoMethod(_("There is no evaluation method for %(year)s: add one first.") % {"year": year})
    specs = [method_spec(m) for m in methods]
    data = load_year(year)
    out = evaluate(data, specs)
    before = previous_classes(year - 1)
    letters = [c.value for c in CLASSES]
    with transaction.atomic():
        run = EvaluationRun.objects.create(year=year, started_by=user if user and user.pk else None)
        run.methods.set(methods)
        method_ids = [m.pk for m in methods]
        n = len(data["id"])
        enterprises = data["enterprise_id"].tolist()
        columns = {
            "run_id": [run.pk] * n,
            "enterprise_year_id": data["id"].tolist(),
            "enterprise_id": enterprises,
            "method_id": [method_ids[m] if m >= 0 else None for m in out["method"].tolist()],
            "year": [year] * n,
            "score": [None if s != s else s for s in out["score"].tolist()],
            "rank": [r or None for r in out["rank"].tolist()],
            "grade": [letters[g] if g >= 0 else "" for g in out["grade"].tolist()],
            "previous_grade": [before.get(e, "") for e in enterprises],
            "not_graded": data["not_graded"].tolist(),
            "breakdown": [b or "[]" for b in out["breakdown"]],
        }
        insert_results(columns)
        graded = int((out["grade"] >= 0).sum())
        EvaluationRun.objects.filter(pk=run.pk).update(
            graded=graded,
            not_graded_count=n - graded,
            seconds=time.perf_counter() - started,
            spec={str(s["id"]): s for s in specs},
        )
    run.refresh_from_db()
    return run


# --- reading results --------------------------------------------------------------------------------------------


def distribution(results) -> dict:
    """Counts per class of ``results`` (a queryset), and the not graded."""
    from django.db.models import Count

    counts = dict(results.values_list("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    return {
        "classes": [(c, c.label, counts.get(c.value, 0)) for c in CLASSES],
        "not_graded": counts.get("", 0),
        "total": sum(counts.values()),
    }


def breakdown_by(results, field: str, label_fields: tuple[str, ...]) -> list[dict]:
    """Counts per class of ``results`` grouped by ``field`` (a district, an industry division)."""
    from django.db.models import Count

    rows = results.values(field, *label_fields, "grade").annotate(n=Count("pk")).order_by(field)
    groups: dict = {}
    for row in rows:
        group = groups.setdefault(
            row[field],
            {"key": row[field], "labels": [row[f] for f in label_fields], "counts": dict.fromkeys("ABCD", 0)},
        )
        group["counts"][row["grade"] or "-"] = group["counts"].get(row["grade"] or "-", 0) + row["n"]
    out = []
    for group in groups.values():
        group["total"] = sum(group["counts"].values())
        group["cells"] = [group["counts"].get(c.value, 0) for c in CLASSES] + [group["counts"].get("-", 0)]
        out.append(group)
    return out


def details(result) -> dict:
    """Per indicator key of the result's method (as the run applied it): (value, ratio, points, missing, capped).

    A result keeps [value, points] per indicator, in the order of the method's indicators; the ratio and whether a
    cap bit follow from the value and the method (value ÷ benchmark, at most the ratio cap; points over the
    points cap)."""
    spec = (result.run.spec or {}).get(str(result.method_id)) if result.method_id else None
    if spec is None:
        return {}
    out = {}
    for item, (value, points) in zip(spec["indicators"], result.breakdown or (), strict=False):
        if value is None:
            out[item["key"]] = (None, None, points, True, False)
            continue
        ratio = value / item["benchmark"]
        capped = False
        if item["cap_kind"] == CapKind.RATIO and ratio > item["cap_value"]:
            ratio, capped = item["cap_value"], True
        elif item["cap_kind"] == CapKind.POINTS and ratio * item["weight"] > item["cap_value"]:
            capped = True
        out[item["key"]] = (value, ratio, points, False, capped)
    return out


def breakdown_by_division(results) -> list[dict]:
    """Counts per class of ``results`` by the industry division (two digits of GB/T 4754-2017) of the enterprise's
    industry code, whatever its level (a group or class code counts in its division)."""
    from django.db.models.functions import Substr

    from zhaoshang.industry.models import IndustryCode

    groups = breakdown_by(results.annotate(division=Substr("enterprise__industry__code", 1, 2)), "division", ())
    names = {c.code: (c.name, c.name_en) for c in IndustryCode.objects.filter(code__in=[g["key"] for g in groups])}
    for group in groups:
        name, name_en = names.get(group["key"], ("", ""))
        group["labels"] = [f"{group['key']} {name}".strip(), f"{group['key']} {name_en}".strip()]
    return groups


def score_card(result) -> dict:
    """The lines of an enterprise's score card: per indicator its value, benchmark, ratio, weight, points, the
    cap applied and the missing rule applied, with the formula."""
    spec = (result.run.spec or {}).get(str(result.method_id)) if result.method_id else None
    if spec is None:
        return {"lines": [], "formula": "", "spec": None}
    labels = dict(PerMuIndicator.choices)
    rules = dict(MissingRule.choices)
    caps = dict(CapKind.choices)
    found = details(result)
    lines = []
    for item in spec["indicators"]:
        value, ratio, points, missing, capped = found.get(item["key"], (None, None, 0, True, False))
        definition = INDICATORS[item["key"]]
        lines.append(
            {
                "key": item["key"],
                "label": labels.get(item["key"], item["key"]),
                "formula": definition.formula,
                "unit": definition.unit,
                "value": value,
                "benchmark": item["benchmark"],
                "ratio": ratio,
                "weight": item["weight"],
                "points": points,
                "missing": missing,
                "missing_rule": rules.get(item["missing_rule"]) if missing else "",
                "cap": caps.get(item["cap_kind"]) if item["cap_kind"] else "",
                "cap_value": item["cap_value"],
                "capped": capped,
            }
        )
    formula = " + ".join(f"{line['label']} ÷ {line['benchmark']:g} × {line['weight']:g}" for line in lines)
    return {"lines": lines, "formula": formula, "spec": spec}
