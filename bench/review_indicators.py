"""The indicator table of one admission review: each indicator computed from the applicant's figures against the
standard set in force, with its threshold, source and pass/fail, and the rejection lists checked.

Data: the seeded standards (two versions) plus ``--versions`` more copied from them (default 20, a history of
yearly revisions), the city's districts and ``--reviews`` reviews (default 2,000) of industrial and warehouse
projects, in a database of their own (``var/bench/bench_review.sqlite3``, or the ``BENCH_DATABASE_URL`` database's
name with ``_review``), generated once.
Target: ``review.services.indicators.indicator_table`` of one review ≤ 50 ms median, cold (the review read again
from the database, as a page does) and warm (the review object already loaded), against a floor that computes the
same rows (same values, thresholds and pass/fail) and the same rejection hits with raw SQL and plain Python;
both are checked equal before timing.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

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
INDUSTRIAL = [
    "total_investment",
    "investment_intensity",
    "tax_per_mu",
    "plot_ratio",
    "building_coefficient",
    "admin_share",
    "green_ratio",
    "energy_per_output",
]
OF_KIND = {
    "industrial": INDUSTRIAL,
    "industrial_real_estate": [*INDUSTRIAL, "own_use_share", "sale_share", "min_unit_area"],
    "general_warehouse": INDUSTRIAL[:5] + ["green_ratio"],
    "logistics_warehouse": INDUSTRIAL[:5] + ["green_ratio"],
}


def _d(value):
    return None if value is None else value if isinstance(value, Decimal) else Decimal(str(value))


def floor_table(pk: int, today: date):
    """(rows, rejection entry ids) of review ``pk``, computed without the ORM."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.kind, r.zone_id, r.standard_set_id, r.submitted_on, r.site_area_mu, r.total_investment,"
            " r.fixed_asset_investment, r.floor_area_m2, r.high_storey_floor_area_m2, r.footprint_m2,"
            " r.admin_land_m2, r.green_land_m2, r.annual_output, r.annual_tax, r.annual_energy_tce,"
            " r.own_use_floor_m2, r.sale_floor_m2, r.min_unit_m2, r.products, r.investor_uscc,"
            " p.park_id, g.adcode, COALESCE(rc.code, pc.code, '')"
            " FROM review_review r JOIN projects_project p ON p.id = r.project_id"
            " LEFT JOIN geo_region g ON g.id = p.district_id"
            " LEFT JOIN industry_industrycode rc ON rc.id = r.industry_code_id"
            " LEFT JOIN industry_industrycode pc ON pc.id = p.industry_code_id WHERE r.id = %s",
            [pk],
        )
        (kind, zone_id, set_id, submitted, site, total, fixed, floor, high, footprint, admin, green, output, tax,
         energy, own, sale, unit, products, uscc, park_id, adcode, code) = cursor.fetchone()  # fmt: skip
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
        division = None
        if code and kind not in WAREHOUSES:
            prefixes = [code[:n] for n in range(len(code), 1, -1)]
            marks = ", ".join(["%s"] * len(prefixes))
            cursor.execute(
                f"SELECT code_2017, division_2002 FROM review_codemapping WHERE code_2017 IN ({marks})", prefixes
            )
            mapped = dict(cursor.fetchall())
            division = next((mapped[p] for p in prefixes if p in mapped), None)
        cursor.execute(
            "SELECT indicator, kind, zone_id, division_2002, comparison, value, source_id FROM review_threshold"
            " WHERE standard_set_id = %s",
            [set_id],
        )
        thresholds = cursor.fetchall()
        cursor.execute(
            "SELECT id, industry_code, keywords, uscc FROM review_rejectionentry WHERE standard_set_id = %s"
            " ORDER BY list_kind, title",
            [set_id],
        )
        entries = cursor.fetchall()
    site_m2 = _d(site) * Decimal(10000) / Decimal(15) if site is not None else None
    (site, total, fixed, floor, high, footprint, admin, green, output, tax, energy, own, sale, unit) = map(
        _d, (site, total, fixed, floor, high, footprint, admin, green, output, tax, energy, own, sale, unit)
    )

    def div(a, b, scale=Decimal(1)):
        return None if a is None or b is None or b == 0 else a * scale / b

    values = {
        "total_investment": total,
        "investment_intensity": div(fixed, site),
        "tax_per_mu": div(tax, site),
        "plot_ratio": div(None if floor is None else floor + (high or 0), site_m2),
        "building_coefficient": div(footprint, site_m2, Decimal(100)),
        "admin_share": div(admin, site_m2, Decimal(100)),
        "green_ratio": div(green, site_m2, Decimal(100)),
        "energy_per_output": div(energy, output),
        "own_use_share": div(own, floor, Decimal(100)),
        "sale_share": div(sale, floor, Decimal(100)),
        "min_unit_area": unit,
    }
    rows = []
    for indicator in OF_KIND[kind]:
        best, score = None, -1
        for t_indicator, t_kind, t_zone, t_division, comparison, value, source_id in thresholds:
            if t_indicator != indicator or (t_kind and t_kind != kind) or (t_zone and t_zone != zone_id):
                continue
            if t_division and t_division != division:
                continue
            s = 4 * bool(t_kind) + 2 * bool(t_zone) + bool(t_division)
            if s > score:
                best, score = (comparison, _d(value), source_id), s
        value = values[indicator]
        passed = None
        if best and value is not None:
            passed = value >= best[1] if best[0] == "gte" else value <= best[1]
        rows.append((indicator, _round(value), _round(best[1]) if best else None, best[2] if best else None, passed))
    uscc = (uscc or "").strip().upper()
    hits = []
    for entry_id, entry_code, keywords, entry_uscc in entries:
        if (
            (entry_code and code.startswith(entry_code))
            or (products and any(w in products for w in keywords.split()))
            or (entry_uscc and uscc and entry_uscc.strip().upper() == uscc)
        ):
            hits.append(entry_id)
    return rows, hits


def _round(value):
    return None if value is None else value.quantize(PLACES)


def orm_table(review):
    from zhaoshang.review.services.indicators import indicator_table

    table = indicator_table(review)
    rows = [
        (row.indicator, _round(row.value), _round(row.threshold), row.source.pk if row.source else None, row.passed)
        for row in table.rows
    ]
    return rows, [hit.entry.pk for hit in table.rejections]


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
