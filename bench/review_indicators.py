"""The indicator table of one admission review: each indicator computed from the applicant's figures against the
standard set in force, with its threshold, source and pass/fail, and the rejection lists checked.

Data: the seeded standards (two versions) plus ``--versions`` more copied from them (default 20, a history of
yearly revisions), the city's districts and ``--reviews`` reviews (default 2,000) of industrial and warehouse
projects, in a database of their own (``var/bench/bench_review.sqlite3``, or the ``BENCH_DATABASE_URL`` database's
name with ``_review``), generated once.
Target: ``review.services.indicators.indicator_table`` of one review ≤ 50 ms median, cold (the review read again
from the database, as a page does) and warm (the review object already loaded), against a floor that reads the same
records with raw SQL and builds the same rows — values, thresholds, sources, pass/fail and every text: label, formula,
inputs in words, unit, comparison, the rejections' lists and reasons, the verdict — by the service's pure functions
of the values; both are checked equal before timing.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from decimal import Context, Decimal
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import city_and_teams, machine_load, report, same, setup_django, timed

PREFIX = "BREV-"
PLACES = Decimal("0.00000001")


def generate(reviews: int, versions: int) -> None:
    from django.apps import apps

    from zhaoshang.industry.choices import CodeLevel
    from zhaoshang.industry.models import Enterprise, IndustryCode
    from zhaoshang.projects.models import Project
    from zhaoshang.review.models import Review, StandardSet
    from zhaoshang.review.services.standards import new_version
    from zhaoshang.review.standards_seed import seed

    teams = city_and_teams(PREFIX, 2)
    seed(apps)
    current = StandardSet.objects.order_by("-effective_from").first()
    used = set(StandardSet.objects.values_list("effective_from", flat=True))
    for i in range(versions):  # half-yearly revisions from mid-2011 on
        day = date(2011, 7, 1) + timedelta(days=182 * i)
        if day not in used and day < date(2024, 1, 1):
            new_version(current, day, f"{PREFIX}v{i}")
    IndustryCode.objects.get_or_create(
        code="2921",
        defaults={"name": "塑料薄膜制造", "level": CodeLevel.CLASS, "parent": IndustryCode.objects.get(code="29")},
    )
    have = Review.objects.filter(project__name__startswith=PREFIX).count()
    if have >= reviews:
        return
    from zhaoshang.geo.models import Region

    districts = list(Region.objects.filter(adcode__in=["440703", "440704", "440705", "440781", "440784"]))
    codes = list(IndustryCode.objects.filter(code__in=["2921", "38", "30", "13", "43", "29"]))
    enterprise, _ = Enterprise.objects.get_or_create(name=f"{PREFIX}企业", defaults={"owner_team": teams[1]})
    kinds = ["industrial", "industrial", "industrial_real_estate", "general_warehouse", "logistics_warehouse"]
    for i in range(have, reviews):
        project = Project.objects.create(
            name=f"{PREFIX}项目{i}",
            enterprise=enterprise,
            owner_team=teams[1],
            district=districts[i % len(districts)],
            lead_on=date(2024, 1, 1),
        )
        Review.objects.create(
            project=project,
            kind=kinds[i % len(kinds)],
            industry_code=codes[i % len(codes)],
            submitted_on=date(2010, 1, 1) + timedelta(days=(i * 37) % 5500),
            site_area_mu=Decimal(50 + i % 200),
            total_investment=Decimal(4000 + i * 7 % 9000),
            fixed_asset_investment=Decimal(12000 + i * 13 % 40000),
            land_price=Decimal(1000),
            floor_area_m2=Decimal(30000 + i % 50000),
            high_storey_floor_area_m2=Decimal(i % 9000),
            footprint_m2=Decimal(12000 + i % 20000),
            admin_land_m2=Decimal(1000 + i % 4000),
            green_land_m2=Decimal(3000 + i % 9000),
            annual_output=Decimal(8000 + i % 20000),
            annual_tax=Decimal(800 + i % 4000),
            annual_energy_tce=Decimal(200 + i % 2000),
            own_use_floor_m2=Decimal(10000 + i % 20000),
            sale_floor_m2=Decimal(5000 + i % 20000),
            min_unit_m2=Decimal(300 + i % 800),
            products="一次性发泡塑料餐具" if i % 50 == 0 else "薄膜",
        )


# ---------------------------------------------------------------- the floor: raw SQL and plain Python

WAREHOUSES = {"general_warehouse", "logistics_warehouse"}
FIGURES = (
    "site_area_mu", "total_investment", "fixed_asset_investment", "floor_area_m2", "high_storey_floor_area_m2",
    "footprint_m2", "admin_land_m2", "green_land_m2", "annual_output", "annual_tax", "annual_energy_tce",
    "own_use_floor_m2", "sale_floor_m2", "min_unit_m2",
)  # fmt: skip


class Figures:
    """The review's figures as plain attributes: what the service's wording functions (``compute``) read."""

    __slots__ = FIGURES

    def __init__(self, values):
        for name, value in zip(FIGURES, values, strict=True):
            setattr(self, name, value)


class Entry(NamedTuple):
    """A rejection entry as ``rejection_hits`` reads it."""

    pk: int
    list_kind: str
    industry_code: str
    keywords: str
    uscc: str


class Mapping(NamedTuple):
    """A code mapping as ``plot_ratio_label`` reads it."""

    division_2002: str
    name_2002: str
    name_2002_en: str


def _places(model, names) -> list:
    """Each field's quantum (``Decimal("0.01")`` for two places): the ORM's conversion of a stored decimal."""
    return [Decimal(1).scaleb(-model._meta.get_field(name).decimal_places) for name in names]


_QUANTA: dict = {}


def _decimal(value, quantum):
    """A stored decimal as the ORM gives it (SQLite's cursor gives a float or an int; PostgreSQL's a Decimal)."""
    if value is None or isinstance(value, Decimal):
        return value
    return _FLOAT(value).quantize(quantum) if isinstance(value, float) else Decimal(value).quantize(quantum)


_FLOAT = Context(prec=15).create_decimal_from_float


def floor_table(pk: int, today: date):
    """The service's table of review ``pk`` without the ORM: the figures, the set in force, the zone, the 2002
    division, the thresholds and the rejection entries read with raw SQL; each row's value and words by the service's
    pure functions of the values (``compute``, ``best_threshold``, ``judge``, ``plot_ratio_label``,
    ``rejection_hits``, the indicators' labels), the verdict as the service gives it. Returns ``table_answer``'s
    shape."""
    from django.db import connection

    from zhaoshang.review.choices import Indicator
    from zhaoshang.review.models import Review, Threshold
    from zhaoshang.review.services.indicators import (
        INDICATORS_OF_KIND,
        INDUSTRIAL,
        Limit,
        best_threshold,
        compute,
        judge,
        plot_ratio_label,
        rejection_hits,
    )

    if not _QUANTA:
        _QUANTA["figures"] = _places(Review, FIGURES)
        _QUANTA["threshold"] = _places(Threshold, ["value"])[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.kind, r.zone_id, r.standard_set_id, r.submitted_on, r.products, r.investor_uscc,"
            f" p.park_id, g.adcode, COALESCE(rc.code, pc.code, ''), {', '.join('r.' + f for f in FIGURES)}"
            " FROM review_review r JOIN projects_project p ON p.id = r.project_id"
            " LEFT JOIN geo_region g ON g.id = p.district_id"
            " LEFT JOIN industry_industrycode rc ON rc.id = r.industry_code_id"
            " LEFT JOIN industry_industrycode pc ON pc.id = p.industry_code_id WHERE r.id = %s",
            [pk],
        )
        kind, zone_id, set_id, submitted, products, uscc, park_id, adcode, code, *figures = cursor.fetchone()
        if set_id is None:
            cursor.execute(
                "SELECT id FROM review_standardset WHERE effective_from <= %s ORDER BY effective_from DESC LIMIT 1",
                [submitted or today],
            )
            found = cursor.fetchone()
            set_id = found[0] if found else None
        if zone_id is None and park_id:
            cursor.execute(
                "SELECT zone_id FROM review_zone_parks WHERE park_id = %s ORDER BY zone_id LIMIT 1", [park_id]
            )
            found = cursor.fetchone()
            zone_id = found[0] if found else None
        if zone_id is None and adcode:
            cursor.execute(
                "SELECT zr.zone_id FROM review_zone_regions zr JOIN geo_region g ON g.id = zr.region_id"
                " WHERE g.adcode = %s ORDER BY zr.zone_id LIMIT 1",
                [adcode],
            )
            found = cursor.fetchone()
            zone_id = found[0] if found else None
        if zone_id is None:
            cursor.execute("SELECT id FROM review_zone WHERE is_default ORDER BY sort, code LIMIT 1")
            found = cursor.fetchone()
            zone_id = found[0] if found else None
        by_divisions = kind not in WAREHOUSES
        mapping = None
        if code and by_divisions:
            prefixes = [code[:n] for n in range(len(code), 1, -1)]
            marks = ", ".join(["%s"] * len(prefixes))
            cursor.execute(
                "SELECT code_2017, division_2002, name_2002, name_2002_en FROM review_codemapping"
                f" WHERE code_2017 IN ({marks})",
                prefixes,
            )
            mapped = {row[0]: Mapping(*row[1:]) for row in cursor.fetchall()}
            mapping = next((mapped[p] for p in prefixes if p in mapped), None)
        division = mapping.division_2002 if mapping else None
        thresholds, entries = [], []
        if set_id is not None:
            cursor.execute(
                "SELECT indicator, kind, zone_id, division_2002, comparison, value, source_id FROM review_threshold"
                " WHERE standard_set_id = %s",
                [set_id],
            )
            quantum = _QUANTA["threshold"]
            thresholds = [Limit(*row[:5], _decimal(row[5], quantum), row[6]) for row in cursor.fetchall()]
            cursor.execute(
                "SELECT id, list_kind, industry_code, keywords, uscc FROM review_rejectionentry"
                " WHERE standard_set_id = %s ORDER BY list_kind, title",
                [set_id],
            )
            entries = [Entry(*row) for row in cursor.fetchall()]
    review = Figures([_decimal(v, q) for v, q in zip(figures, _QUANTA["figures"], strict=True)])
    rows = []
    for indicator in INDICATORS_OF_KIND.get(kind, INDUSTRIAL):
        threshold = best_threshold(thresholds, indicator, kind, zone_id, division if by_divisions else None)
        formula, inputs, value, unit = compute(indicator, review)
        label = str(Indicator(indicator).label)
        if indicator == Indicator.PLOT_RATIO:
            label = plot_ratio_label(mapping, code, by_divisions and not (threshold and threshold.kind))
        comparison = threshold.comparison if threshold else None
        limit = threshold.value if threshold else None
        rows.append(
            (indicator, label, formula, inputs, _round(value), unit, comparison, _round(limit),
             threshold.source_id if threshold else None, judge(value, comparison, limit))
        )  # fmt: skip
    hits = [
        (hit.list_kind, hit.entry.pk, hit.reason) for hit in rejection_hits(entries, code, products or "", uscc or "")
    ]
    results = [row[-1] for row in rows]
    if hits or False in results:
        passed = False
    elif set_id is None or None in results:
        passed = None
    else:
        passed = True
    return set_id, rows, hits, passed


def _round(value):
    return None if value is None else value.quantize(PLACES)


def table_answer(table):
    """The service's table as the floor gives it: the set's key; each row's indicator, label, formula, inputs in
    words, value, unit, comparison, threshold, source's key and pass/fail; each rejection's list, entry and reason;
    the verdict."""
    rows = [
        (row.indicator, str(row.label), str(row.formula), str(row.inputs), _round(row.value), str(row.unit),
         row.comparison, _round(row.threshold), row.source.pk if row.source else None, row.passed)
        for row in table.rows
    ]  # fmt: skip
    hits = [(hit.list_kind, hit.entry.pk, str(hit.reason)) for hit in table.rejections]
    return (table.standard_set.pk if table.standard_set else None), rows, hits, table.passed


def orm_table(review):
    from zhaoshang.review.services.indicators import indicator_table

    return table_answer(indicator_table(review))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviews", type=int, default=2000)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=101)
    args = parser.parse_args()
    label = setup_django("_review")
    from django.utils import timezone

    from zhaoshang.review.models import Review

    generate(args.reviews, args.versions)
    today = timezone.localdate()
    pks = list(Review.objects.filter(project__name__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))
    same(  # the floor computes exactly what the service does
        f"indicator tables of {min(len(pks), 200)} reviews",
        [orm_table(Review.objects.get(pk=pk)) for pk in pks[:200]],
        [floor_table(pk, today) for pk in pks[:200]],
    )
    pk = next(pk for pk in pks if Review.objects.filter(pk=pk, kind="industrial").exists())
    print(f"database: {label}; {len(pks)} reviews; {machine_load()}")

    def cold():
        orm_table(
            Review.objects.select_related(
                "project__district", "project__industry_code", "zone", "industry_code", "standard_set"
            ).get(pk=pk)
        )

    warm_review = Review.objects.select_related(
        "project__district", "project__industry_code", "zone", "industry_code", "standard_set"
    ).get(pk=pk)

    def warm():
        orm_table(warm_review)

    floor = timed(lambda: floor_table(pk, today), repeat=args.repeat)
    report("indicator table, cold (review read again)", timed(cold, repeat=args.repeat), floor, 50)
    report("indicator table, warm (review loaded)", timed(warm, repeat=args.repeat), floor, 50)


if __name__ == "__main__":
    main()
