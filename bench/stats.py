"""Statistics at city scale over ten years: the dashboard's headline figures, a district ranking, the monthly report.

Data: ``--projects`` projects (default 1,000,000) signed, started and producing over ten years, and ``--fdi`` actual
FDI records (default 2,000,000), in a database of their own (``var/bench/bench_stats.sqlite3``, or the
``BENCH_DATABASE_URL`` database's name with ``_stats``), generated once with bulk inserts.
Targets: headline figures for 1—N月 with year-on-year ≤ 500 ms median; a district ranking ≤ 300 ms; the full
monthly report written as Excel and as Word ≤ 5 s. Each is printed with the raw SQL of the same figures, measured
in the same run, as its lower bound.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zipfile
from datetime import date, timedelta
from decimal import Context, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BROWSER_HEADERS, city_and_teams, first_request, report, same, setup_django, timed, vacuum_analyze

PREFIX = "BSTAT-"
YEARS = 10
TEAMS = 12


def _row_maker(model, **constant):
    """Column names of ``model``'s table and a function making a row from the varying values: every other
    column takes its field's default (or NULL), so the inserts follow the schema whatever it holds."""
    from django.utils import timezone

    now = timezone.now()
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.name in ("created", "updated"):
            defaults[field.column] = now
        elif field.name == "version":
            defaults[field.column] = 1
        elif field.has_default() or not field.null:
            default = field.get_default()
            defaults[field.column] = "" if default is None and not field.null else default
        else:
            defaults[field.column] = None
    defaults.update(constant)
    return defaults


def _insert(connection, table: str, columns: list[str], rows) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(quote(c) for c in columns)
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES ({marks})"
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 20000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def generate(n_projects: int, n_fdi: int, seed: int = 5) -> None:
    import numpy as np
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from zhaoshang.accounts.choices import Role
    from zhaoshang.geo.models import Region
    from zhaoshang.industry.choices import ProjectType
    from zhaoshang.industry.models import Chain, Enterprise, EnterpriseTag
    from zhaoshang.projects.choices import FORWARD, STAGE_DATE_FIELDS, LeadSource
    from zhaoshang.projects.models import Project
    from zhaoshang.stats.models import FDIRecord

    teams = city_and_teams(PREFIX, TEAMS, (("bench_leader", 0, Role.LEADER),))
    chains = [Chain.objects.get_or_create(name=f"{PREFIX}chain-{i}")[0] for i in range(10)]
    tags = {}
    for slug in ("high-tech", "listed", "foreign"):
        tags[slug], _ = EnterpriseTag.objects.get_or_create(slug=slug, defaults={"name": f"{PREFIX}{slug}"})
    if Project.objects.count() == n_projects and FDIRecord.objects.count() == n_fdi:
        return
    print(f"generating {n_projects:,} projects over {YEARS} years and {n_fdi:,} actual FDI records …", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        FDIRecord.objects.all().delete()
        Project.objects.all().delete()
        Enterprise.tags.through.objects.all().delete()
        Enterprise.objects.filter(name__startswith=PREFIX).delete()

    districts = list(
        Region.objects.filter(parent__adcode=settings.ZHAOSHANG_CITY_ADCODE)
        .order_by("adcode")
        .values_list("pk", flat=True)
    )
    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    first_day = date(today.year - YEARS + 1, 1, 1)
    span = (today - first_day).days

    n_enterprises = max(n_projects // 4, 1)
    enterprise = _row_maker(Enterprise)
    columns = list(enterprise)

    def enterprises():
        for i in range(n_enterprises):
            values = {
                "name": f"{PREFIX}企业{i}有限公司",
                "normalized_name": f"{PREFIX}企业{i}",
                "name_key": f"{PREFIX}企业{i}",
                "owner_team_id": teams[i % TEAMS].pk,
                "search_text": f" 企业{i} ",
                "uscc": None,
            }
            yield [values.get(c, enterprise[c]) for c in columns]

    with transaction.atomic():
        _insert(connection, Enterprise._meta.db_table, columns, enterprises())
    enterprise_ids = np.array(
        Enterprise.objects.filter(name__startswith=PREFIX).order_by("pk").values_list("pk", flat=True)
    )
    link = Enterprise.tags.through
    with transaction.atomic():
        _insert(
            connection,
            link._meta.db_table,
            ["enterprise_id", "enterprisetag_id"],
            (
                (int(pk), tags[slug].pk)
                for slug, every in (("high-tech", 3), ("listed", 11), ("foreign", 13))
                for pk in enterprise_ids[::every]
            ),
        )

    project = _row_maker(Project, confidential=False)
    columns = list(project)
    date_fields = list(STAGE_DATE_FIELDS.values())
    reach_p = np.array([0.20, 0.14, 0.14, 0.16, 0.10, 0.10, 0.09, 0.07])
    types = list(ProjectType.values)
    sources = list(LeadSource.values)

    def projects():
        chunk = 100_000
        for base in range(0, n_projects, chunk):
            size = min(chunk, n_projects - base)
            reach = rng.choice(len(FORWARD), size=size, p=reach_p / reach_p.sum())
            lead = rng.integers(0, span, size=size)
            gaps = rng.integers(5, 150, size=(size, len(FORWARD)))
            amounts = np.round(rng.lognormal(8.8, 1.4, size=size), 2)
            district_ix = rng.integers(0, len(districts), size=size)
            chain_ix = rng.integers(0, len(chains) + 1, size=size)
            type_ix = rng.choice(len(types), size=size, p=[0.8] + [0.2 / (len(types) - 1)] * (len(types) - 1))
            for j in range(size):
                i = base + j
                day = first_day + timedelta(days=int(lead[j]))
                values = {date_fields[0]: day}
                position = 0
                for position in range(1, int(reach[j]) + 1):
                    day = day + timedelta(days=int(gaps[j, position]))
                    if day > today:
                        position -= 1
                        break
                    values[date_fields[position]] = day
                amount = float(amounts[j])
                values.update(
                    code=f"{PREFIX}{i:07d}",
                    name=f"项目{i}",
                    enterprise_id=int(enterprise_ids[i % len(enterprise_ids)]),
                    chain_id=chains[chain_ix[j]].pk if chain_ix[j] < len(chains) else None,
                    planned_investment=round(amount, 2),
                    foreign_investment=round(amount * 0.2, 2) if i % 9 == 0 else None,
                    district_id=int(districts[district_ix[j]]),
                    source=sources[i % len(sources)],
                    project_type=types[type_ix[j]],
                    owner_team_id=teams[1 + i % (TEAMS - 1)].pk,
                    stage=FORWARD[max(position, 0)],
                    search_text=f" 项目{i} ",
                )
                yield [values.get(c, project[c]) for c in columns]

    with transaction.atomic():
        _insert(connection, Project._meta.db_table, columns, projects())
    project_ids = np.array(Project.objects.order_by("pk").values_list("pk", flat=True))

    fdi = _row_maker(FDIRecord)
    columns = list(fdi)
    foreign = enterprise_ids[::13]
    months = [
        date(first_day.year + m // 12, m % 12 + 1, 1) for m in range((today.year - first_day.year) * 12 + today.month)
    ]

    def fdi_rows():
        month_ix = rng.integers(0, len(months), size=n_fdi)
        usd = np.round(rng.lognormal(4.0, 1.2, size=n_fdi), 2)
        for i in range(n_fdi):
            amount = float(usd[i])
            yield [
                {
                    "code": f"{PREFIX}{i:08d}",
                    "enterprise_id": int(foreign[i % len(foreign)]),
                    "project_id": int(project_ids[(i * 7) % len(project_ids)]) if i % 2 else None,
                    "district_id": int(districts[i % len(districts)]),
                    "team_id": teams[i % TEAMS].pk,
                    "month": months[month_ix[i]],
                    "amount_usd": amount,
                    "exchange_rate": 7.1,
                    "amount_cny": round(amount * 7.1, 2),
                }.get(c, fdi[c])
                for c in columns
            ]

    with transaction.atomic():
        _insert(connection, FDIRecord._meta.db_table, columns, fdi_rows())
    vacuum_analyze(*(model._meta.db_table for model in (Project, FDIRecord, Enterprise, link)))
    print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)


def _period():
    from django.utils import timezone

    from zhaoshang.stats.periods import Period

    return Period.default(timezone.localdate())


def _leader():
    from zhaoshang.accounts.models import User

    return User.objects.get(username="bench_leader")


def _fetch(sql: str, params=()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _decimal(value) -> Decimal:
    """A sum as Django gives it: SQLite's float sum to 15 significant digits as Django's converter takes it (so
    7268659.82000001 where PostgreSQL's exact sum is 7268659.82), PostgreSQL's numeric as it is."""
    if value is None:
        return Decimal(0)
    if isinstance(value, float):
        return Context(prec=15).create_decimal_from_float(value)
    return Decimal(value)


def _tables():
    from zhaoshang.industry.models import Enterprise, EnterpriseTag
    from zhaoshang.projects.models import Project
    from zhaoshang.stats.models import ComparisonFigure, FDIRecord

    return {
        "project": Project._meta.db_table,
        "fdi": FDIRecord._meta.db_table,
        "link": Enterprise.tags.through._meta.db_table,
        "tag": EnterpriseTag._meta.db_table,
        "enterprise": Enterprise._meta.db_table,
        "comparison": ComparisonFigure._meta.db_table,
    }


def _tagged(slugs) -> str:
    t = _tables()
    marks = ", ".join(f"'{slug}'" for slug in slugs)  # constants of the metric layer, not user input
    return (
        f"enterprise_id IN (SELECT l.enterprise_id FROM {t['link']} l JOIN {t['tag']} g ON g.id = l.enterprisetag_id "
        f"WHERE g.slug IN ({marks}))"
    )


# The headline figures by signing date: (key, aggregate of the ≥1亿 rows, condition or None).
def _signed_parts():
    from zhaoshang.industry.choices import ProjectType
    from zhaoshang.stats.metrics import FOREIGN_TAGS, HIGH_TECH_TAGS, LEADING_TAGS

    industrial = f"project_type = '{ProjectType.INDUSTRIAL}'"
    return (
        ("large_signed", "count", None),
        ("large_signed_investment", "sum", None),
        ("large_industrial_signed", "count", industrial),
        ("large_industrial_signed_investment", "sum", industrial),
        ("large_leading_signed", "count", _tagged(LEADING_TAGS)),
        ("large_high_tech_signed", "count", _tagged(HIGH_TECH_TAGS)),
        ("large_foreign_signed", "count", f"(foreign_investment > 0 OR {_tagged(FOREIGN_TAGS)})"),
    )


def _aggregates(parts, column: str) -> tuple[str, int]:
    """SELECT list of ``parts`` for the current then the previous period (4 parameters per part)."""
    items = []
    for _key, kind, condition in parts:
        extra = f" AND {condition}" if condition else ""
        for _side in ("c", "p"):
            what = "1" if kind == "count" else "planned_investment"
            agg = "count" if kind == "count" else "sum"
            items.append(f"{agg}(CASE WHEN {column} >= %s AND {column} <= %s{extra} THEN {what} END)")
    return ", ".join(items), 2 * len(items)


def _pairs(parts, row, offset=0) -> dict:
    result = {}
    for index, (key, kind, _condition) in enumerate(parts):
        c, p = row[offset + 2 * index], row[offset + 2 * index + 1]
        result[key] = (int(c or 0), int(p or 0)) if kind == "count" else (_decimal(c), _decimal(p))
    return result


def _figure_rows(figures: dict, keys) -> list[tuple]:
    """What a figure is: value, previous, change, share, comparison figures."""
    return [
        (
            key,
            figures[key].value,
            figures[key].previous,
            figures[key].yoy,
            figures[key].share,
            [(c.name, c.value, c.unit) for c in figures[key].comparisons],
        )
        for key in keys
    ]


def _comparisons(keys, period) -> dict:
    t = _tables()
    marks = ", ".join(["%s"] * len(keys))
    rows = _fetch(
        f"SELECT metric, name, value, unit FROM {t['comparison']} WHERE metric IN ({marks}) AND period = %s "
        "ORDER BY name",
        [*keys, period.key],
    )
    found: dict = {key: [] for key in keys}
    for metric, name, value, unit in rows:
        found[metric].append((name, _decimal(value) if isinstance(value, float) else value, unit))
    return found


def headline_floor(period, keys) -> list[tuple]:
    """The dashboard's cards in two queries: one statement sweeping each date column once (signed, started,
    producing, FDI paid in, current and previous period side by side, ≥1亿 rows only), and the comparison figures."""
    from zhaoshang.projects.models import LARGE_PROJECT_WAN
    from zhaoshang.stats.periods import share, yoy

    t = _tables()
    previous = period.previous_year()
    current, before = (period.start, period.end), (previous.start, previous.end)
    span = (previous.start, period.end)
    signed = _signed_parts()
    started = (("large_started", "count", None),)
    producing = (("large_producing", "count", None),)
    selects, params = [], []
    for parts, column in ((signed, "signed_on"), (started, "construction_on"), (producing, "production_on")):
        items, _n = _aggregates(parts, column)
        selects.append(
            f"(SELECT {items} FROM {t['project']} WHERE planned_investment >= {LARGE_PROJECT_WAN} "
            f"AND {column} >= %s AND {column} <= %s) {column}"
        )
        params += [*current, *before] * len(parts) + list(span)
    selects.append(
        "(SELECT sum(CASE WHEN month >= %s AND month <= %s THEN amount_cny END), "
        f"sum(CASE WHEN month >= %s AND month <= %s THEN amount_cny END) FROM {t['fdi']} "
        "WHERE month >= %s AND month <= %s) fdi"
    )
    params += [*current, *before, *span]
    (row,) = _fetch("SELECT * FROM " + " CROSS JOIN ".join(selects), params)
    totals = _pairs(signed, row)
    offset = 2 * len(signed)
    totals["large_started"] = (int(row[offset] or 0), int(row[offset + 1] or 0))
    totals["large_producing"] = (int(row[offset + 2] or 0), int(row[offset + 3] or 0))
    totals["fdi_actual"] = (_decimal(row[offset + 4]), _decimal(row[offset + 5]))
    comparisons = _comparisons(keys, period)
    shared = {"large_leading_signed", "large_high_tech_signed", "large_foreign_signed"}
    return [
        (
            key,
            totals[key][0],
            totals[key][1],
            yoy(*totals[key]),
            share(totals[key][0], totals["large_signed"][0]) if key in shared else None,
            comparisons[key],
        )
        for key in keys
    ]


def bench_headline() -> None:
    from zhaoshang.stats.dashboard import CARDS
    from zhaoshang.stats.services import compute

    period, leader = _period(), _leader()
    same(
        f"headline figures ({len(CARDS)})",
        _figure_rows(compute(CARDS, period, leader), CARDS),
        headline_floor(period, CARDS),
    )
    app = timed(lambda: compute(CARDS, period, leader), repeat=9)
    floor = timed(lambda: headline_floor(period, CARDS), repeat=9)
    signed = compute(["large_signed"], period, leader)["large_signed"]
    report(
        f"headline figures {period.key} with YoY ({len(CARDS)})",
        app,
        floor,
        500,
        f"   (≥1亿 signed {signed.value:,}, {signed.yoy}%; app {APP_QUERIES['headline']} queries, floor 2)",
    )


def ranking_floor(period, group_column: str, name_table: str, parts) -> tuple[dict, dict]:
    """One GROUP BY of the ≥1亿 rows signed in both periods, the group's name joined: per metric the ranked groups,
    and the totals."""
    from django.utils.translation import gettext as _

    from zhaoshang.projects.models import LARGE_PROJECT_WAN
    from zhaoshang.stats.periods import share, yoy

    t = _tables()
    previous = period.previous_year()
    items, _n = _aggregates(parts, "signed_on")
    rows = _fetch(
        f"SELECT p.{group_column}, n.name, {items} FROM {t['project']} p LEFT JOIN {name_table} n "
        f"ON n.id = p.{group_column} WHERE p.planned_investment >= {LARGE_PROJECT_WAN} "
        f"AND p.signed_on >= %s AND p.signed_on <= %s GROUP BY p.{group_column}, n.name",
        [*(period.start, period.end, previous.start, previous.end) * len(parts), previous.start, period.end],
    )
    grouped = [(row[0], row[1], _pairs(parts, row, 2)) for row in rows]
    totals = {}
    for key, _kind, _condition in parts:
        zero = grouped[0][2][key][0] * 0 if grouped else 0
        totals[key] = (sum((g[2][key][0] for g in grouped), zero), sum((g[2][key][1] for g in grouped), zero))
    ranked = {}
    for key, _kind, _condition in parts:
        entries = [
            [name if group is not None else _("Not set"), v, p, yoy(v, p), share(v, totals[key][0]), group]
            for group, name, values in grouped
            for v, p in [values[key]]
            if v or p
        ]
        entries.sort(key=lambda e: (-e[1], str(e[0])))
        for position, entry in enumerate(entries, start=1):
            tied = position > 1 and entries[position - 2][1] == entry[1]
            entry.append(entries[position - 2][6] if tied else position)
        ranked[key] = entries
    return ranked, totals


def _ranked_rows(figures: dict, keys) -> list:
    return [[(g.label, g.value, g.previous, g.yoy, g.share, g.rank) for g in figures[key].groups] for key in keys]


def bench_ranking() -> None:
    from zhaoshang.geo.models import Region
    from zhaoshang.stats.services import compute

    period, leader = _period(), _leader()
    keys = ["large_signed", "large_signed_investment"]
    parts = _signed_parts()[:2]

    def floor():
        ranked, _totals = ranking_floor(period, "district_id", Region._meta.db_table, parts)
        return [[(e[0], e[1], e[2], e[3], e[4], e[6]) for e in ranked[key]] for key in keys]

    answer = floor()
    same("district ranking", _ranked_rows(compute(keys, period, leader, group="district"), keys), answer)
    app = timed(lambda: compute(keys, period, leader, group="district"), repeat=9)
    floor_timing = timed(floor, repeat=9)
    report(
        f"district ranking {period.key}",
        app,
        floor_timing,
        300,
        f"   ({len(answer[0])} districts; app {APP_QUERIES['ranking']} queries, floor 1)",
    )


APP_QUERIES: dict[str, int] = {}


def _count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries.captured_queries)


def bench_dashboard() -> None:
    """The dashboard page as the leader's browser asks for it: warm (the same process again) and cold (a fresh
    process's first request)."""
    from django.test import Client
    from django.urls import reverse

    client = Client(**BROWSER_HEADERS)
    client.force_login(_leader())
    url = reverse("stats:dashboard")
    assert client.get(url).status_code == 200
    warm = timed(lambda: client.get(url), repeat=7, warmup=1)
    first, second = first_request(url, suffix="_stats", username="bench_leader", repeat=3)
    print(f"{'dashboard page, warm':<44} {warm}")
    print(f"{'dashboard page, fresh process: 1st request':<44} {first}")
    print(f"{'dashboard page, fresh process: 2nd request':<44} {second}")


# ---------------------------------------------------------------- the monthly report


def _project_list(where: str, params: list, order_date: str, limit: int, with_count: bool) -> tuple[list, int]:
    """Projects as the report lists them (id, name, enterprise, district, amount, day, confidential), the largest
    first, and how many match (a window count in the same query)."""
    from zhaoshang.geo.models import Region

    t = _tables()
    count = ", count(*) OVER ()" if with_count else ""
    rows = _fetch(
        f"SELECT p.name, e.name, r.name, p.planned_investment, p.{order_date}, p.confidential{count} "
        f"FROM {t['project']} p LEFT JOIN {t['enterprise']} e ON e.id = p.enterprise_id "
        f"LEFT JOIN {Region._meta.db_table} r ON r.id = p.district_id WHERE {where} "
        f"ORDER BY p.planned_investment DESC, p.{order_date}, p.id LIMIT {limit}",
        params,
    )
    total = rows[0][6] if rows and with_count else len(rows)
    return rows, total


def _day(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def report_floor(skeleton, year: int, month: int) -> dict:
    """The report's figures and lists in raw SQL (FLOOR_QUERIES queries), laid out as the report's lead and table
    rows; the words around them (titles, headings, column names, the issuer, the dates) are the app's document's.
    Returns {"lead": [...], "tables": [(title, columns, rows, total, note, sheet)]} with the cells' values."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    from zhaoshang.geo.choices import RegionLevel
    from zhaoshang.geo.models import Region
    from zhaoshang.industry.models import Chain
    from zhaoshang.projects.choices import FORWARD, Stage
    from zhaoshang.projects.models import LARGE_PROJECT_WAN
    from zhaoshang.stats.periods import Period, share, yoy
    from zhaoshang.stats.reports import MONTH_LIST_LIMIT, TOP, joined, rounding_note
    from zhaoshang.stats.services import change_zh, enterprise_sentence, yi

    t = _tables()
    period = Period.cumulative(year, month)
    previous = period.previous_year()
    large = f"p.planned_investment >= {LARGE_PROJECT_WAN}"
    both = [period.start, period.end, previous.start, previous.end]
    # 1: the districts' figures by signing date (with the headline's), construction and production: one statement
    signed = _signed_parts()[:6]
    by_date = {}
    for parts, column in (
        (signed, "signed_on"),
        ((("large_started", "count", None),), "construction_on"),
        ((("large_producing", "count", None),), "production_on"),
    ):
        items, _n = _aggregates(parts, column)
        rows = _fetch(
            f"SELECT district_id, {items} FROM {t['project']} p WHERE {large} AND {column} >= %s AND {column} <= %s "
            "GROUP BY district_id",
            [*both * len(parts), previous.start, period.end],
        )
        by_date[column] = {row[0]: _pairs(parts, [None, *row[1:]], 1) for row in rows}
    grouped: dict = {}
    for per_district in by_date.values():
        for district, values in per_district.items():
            grouped.setdefault(district, {}).update(values)
    keys = [*(key for key, *_rest in signed), "large_started", "large_producing"]
    totals = {}
    for key in keys:
        zero = Decimal(0) if key.endswith("investment") else 0
        totals[key] = (
            sum((g[key][0] for g in grouped.values() if key in g), zero),
            sum((g[key][1] for g in grouped.values() if key in g), zero),
        )
    # 2: the city's districts (every one is listed) and their names
    city = settings.ZHAOSHANG_CITY_ADCODE
    regions = _fetch(
        f"SELECT id, name FROM {Region._meta.db_table} WHERE level = %s AND adcode LIKE %s ORDER BY adcode",
        [RegionLevel.DISTRICT, city[:4] + "%"],
    )
    names = {row[0]: row[1] for row in regions}
    ranked = {}
    for key in (
        "large_signed",
        "large_signed_investment",
        "large_industrial_signed",
        "large_started",
        "large_producing",
    ):
        entries = [
            [district, values[key][0], values[key][1]]
            for district, values in grouped.items()
            if key in values and (values[key][0] or values[key][1])
        ]
        entries.sort(key=lambda e: (-e[1], str(names.get(e[0], e[0]))))
        ranks = {}
        for position, entry in enumerate(entries, start=1):
            tied = position > 1 and entries[position - 2][1] == entry[1]
            ranks[entry[0]] = ranks[entries[position - 2][0]] if tied else position
        ranked[key] = ({e[0]: e for e in entries}, ranks)
    order = list(
        dict.fromkeys(
            d
            for key in (
                "large_signed",
                "large_signed_investment",
                "large_industrial_signed",
                "large_started",
                "large_producing",
            )
            for d in ranked[key][0]
        )
    )
    order += [row[0] for row in regions if row[0] not in order]

    def value(key, district):
        entry = ranked[key][0].get(district)
        return entry[1] if entry else 0

    def change(key, district):
        entry = ranked[key][0].get(district)
        return yoy(entry[1], entry[2]) if entry else None

    table1 = []
    for district in order:
        table1.append(
            [
                names.get(district, _("Not set")),
                value("large_signed", district),
                change("large_signed", district),
                yi(value("large_signed_investment", district)),
                change("large_signed_investment", district),
                value("large_industrial_signed", district),
                value("large_started", district),
                value("large_producing", district),
                ranked["large_signed"][1].get(district),
            ]
        )
    table1.sort(key=lambda row: (row[8] is None, row[8] or 0, row[0]))
    total1 = [
        _("Total"),
        totals["large_signed"][0],
        yoy(*totals["large_signed"]),
        yi(totals["large_signed_investment"][0]),
        yoy(*totals["large_signed_investment"]),
        totals["large_industrial_signed"][0],
        totals["large_started"][0],
        totals["large_producing"][0],
        None,
    ]
    # 3: the chains
    chain_ranked, chain_totals = ranking_floor(period, "chain_id", Chain._meta.db_table, _signed_parts()[:2])
    money = {e[5]: e for e in chain_ranked["large_signed_investment"]}
    table7 = [
        [e[0], e[1], e[3], yi(money[e[5]][1] if e[5] in money else 0), money[e[5]][3] if e[5] in money else None, e[4]]
        for e in chain_ranked["large_signed"]
    ]
    total7 = [
        _("Total"),
        chain_totals["large_signed"][0],
        yoy(*chain_totals["large_signed"]),
        yi(chain_totals["large_signed_investment"][0]),
        yoy(*chain_totals["large_signed_investment"]),
        None,
    ]
    # 4: the headline and the FDI sentence (the FDI sum and the comparison figures: two queries)
    figure = {key: totals[key] for key in keys}
    ((fdi_now, fdi_before),) = _fetch(
        "SELECT sum(CASE WHEN month >= %s AND month <= %s THEN amount_cny END), "
        f"sum(CASE WHEN month >= %s AND month <= %s THEN amount_cny END) FROM {t['fdi']} "
        "WHERE month >= %s AND month <= %s",
        [*both, previous.start, period.end],
    )
    fdi_now, fdi_before = _decimal(fdi_now), _decimal(fdi_before)
    comparisons = _comparisons(["fdi_actual", *(key for key, *_rest in signed)], period)

    class Shown:  # what enterprise_sentence reads of a figure
        def __init__(self, key):
            self.value = figure[key][0]
            self.share = share(figure[key][0], figure["large_signed"][0])

    large_yoy = yoy(*figure["large_signed"])
    first = "—" if large_yoy is None else f"同比{change_zh(large_yoy)}"
    lead = [
        f"{period.span_zh()}，全市引进投资亿元以上项目{figure['large_signed'][0]}个，{first}；"
        f"计划投资额{yi(figure['large_signed_investment'][0])}亿元，{change_zh(yoy(*figure['large_signed_investment']))}。"
        f"其中，工业项目{figure['large_industrial_signed'][0]}个，{change_zh(yoy(*figure['large_industrial_signed']))}；"
        f"计划投资额{yi(figure['large_industrial_signed_investment'][0])}亿元，"
        f"{change_zh(yoy(*figure['large_industrial_signed_investment']))}。"
        + enterprise_sentence(Shown("large_leading_signed"), Shown("large_high_tech_signed"))["zh"]
    ]
    if fdi_now or fdi_before:
        extra = [f"{name}{value.normalize():f}{unit}" for name, value, unit in comparisons["fdi_actual"]]
        lead.append(
            f"{period.span_zh()}，实际利用外资{yi(fdi_now)}亿元，{change_zh(yoy(fdi_now, fdi_before))}"
            + (f"（{'；'.join(extra)}）" if extra else "")
            + "。"
        )
    # 5: the month's lists (a window count in each) and the waiting lists
    month = Period.month(year, month)
    lists = []
    for column in ("signed_on", "construction_on", "production_on"):
        rows, count = _project_list(
            f"{large} AND p.{column} >= %s AND p.{column} <= %s",
            [month.start, month.end],
            column,
            MONTH_LIST_LIMIT,
            True,
        )
        lists.append((rows, count))
    end = period.end
    waiting = []
    for reached, following, stage in (
        ("signed_on", "construction_on", Stage.CONSTRUCTION),
        ("construction_on", "production_on", Stage.PRODUCTION),
    ):
        beyond = ", ".join(f"'{s}'" for s in FORWARD[FORWARD.index(stage) :])
        aside = f"'{Stage.PAUSED}', '{Stage.DROPPED}'"
        past = f"(p.stage IN ({beyond}) OR (p.stage IN ({aside}) AND p.resume_stage IN ({beyond})))"
        rows, _count = _project_list(
            f"{large} AND p.{reached} <= %s AND ((p.{following} IS NULL AND NOT {past}) OR p.{following} > %s) "
            "AND (p.dropped_on IS NULL OR p.dropped_on > %s)",
            [end, end, end],
            reached,
            TOP,
            False,
        )
        waiting.append(rows)

    def listed(rows, days_to=None):
        body = []
        for position, (name, enterprise, district, amount, day, confidential, *_count) in enumerate(rows, start=1):
            day = _day(day)
            line = [
                position,
                _("Confidential project") if confidential else name,
                "" if confidential else (enterprise or ""),
                district or "",
                yi(_decimal(amount)),
                day,
            ]
            if days_to:
                line.append((days_to - day).days if day else None)
            body.append(line)
        return body

    def note(shown, count=None):
        if not shown:
            return _("None in this period.")
        if count is not None and count > shown:
            return _(
                "The %(shown)s largest of %(count)s are listed; all of them are in the list behind the figure."
            ) % {"shown": shown, "count": count}
        return ""

    frame = skeleton.tables()
    bodies = [(table1, total1)] + [(listed(rows), None) for rows, _c in lists]
    bodies += [(listed(rows, end), None) for rows in waiting] + [(table7, total7)]
    notes = [
        joined(
            _(
                "Signed projects count by signing date, started ones by construction start, producing ones by "
                "production start; ranked by the number signed."
            ),
            rounding_note(table1, total1, (3,)),
        ),
        *(note(len(body), count) for (body, _t), (_rows, count) in zip(bodies[1:4], lists, strict=True)),
        *(note(len(body)) for body, _t in bodies[4:6]),
        rounding_note(table7, total7, (3,)),
    ]
    tables = [
        (table.title, table.columns, rows, total, text, table.sheet)
        for table, (rows, total), text in zip(frame, bodies, notes, strict=False)
    ]
    return {"lead": lead, "tables": tables}


FLOOR_QUERIES = 12  # 3 grouped by district, districts, chains, FDI, comparisons, 3 month lists, 2 waiting lists


def floor_xlsx(skeleton, content) -> bytes:
    """The report's text and tables in a write-only workbook, values as the app writes them, no styling."""
    from openpyxl import Workbook

    from zhaoshang.core.documents import EMPTY, _sheet_name

    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    text = workbook.create_sheet(_sheet_name(skeleton.title, taken))
    lines = [skeleton.title, skeleton.issue, skeleton.issuer, skeleton.dated, *content["lead"]]
    for section in skeleton.sections:
        lines += [section.heading, *section.paragraphs]
    lines.append(skeleton.footer)
    for line in lines:
        text.append([line])
    for title, columns, rows, total, note, sheet_name in content["tables"]:
        sheet = workbook.create_sheet(_sheet_name(sheet_name or title, taken))
        sheet.append([title])
        sheet.append(columns)
        for row in [*rows, *([total] if total else [])]:
            sheet.append([EMPTY if v is None else float(v) if isinstance(v, Decimal) else v for v in row])
        if note:
            sheet.append([])
            sheet.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>',
}


def floor_docx(skeleton, content) -> bytes:
    """The same paragraphs and tables as raw WordprocessingML in a minimal package (no styles)."""
    from xml.sax.saxutils import escape

    from zhaoshang.core.documents import cell_text

    def p(text):
        return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    parts = [p(skeleton.title), p(skeleton.issue), p(" ".join(x for x in (skeleton.issuer, skeleton.dated) if x))]
    parts += [p(text) for text in content["lead"]]
    tables = iter(content["tables"])
    for section in skeleton.sections:
        parts.append(p(section.heading))
        parts += [p(text) for text in section.paragraphs]
        for _table in section.tables:
            title, columns, rows, total, note, _sheet = next(tables)
            parts.append(p(title))
            grid = "".join(f"<w:tc>{p(label)}</w:tc>" for label in columns)
            body = [f"<w:tr>{grid}</w:tr>"]
            for row in [*rows, *([total] if total else [])]:
                body.append("<w:tr>" + "".join(f"<w:tc>{p(cell_text(v))}</w:tc>" for v in row) + "</w:tr>")
            parts.append("<w:tbl>" + "".join(body) + "</w:tbl>")
            if note:
                parts.append(p(note))
    parts.append(p(skeleton.footer))
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
    xml += "".join(parts) + "</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in DOCX_PARTS.items():
            package.writestr(name, data)
        package.writestr("word/document.xml", xml)
    return buffer.getvalue()


def xlsx_text(data: bytes) -> list:
    """Each sheet's name and its non-empty rows' values (trailing blanks dropped)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    found = []
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] in (None, ""):
                values.pop()
            if values:
                rows.append(values)
        found.append((sheet.title, rows))
    return found


def docx_text(data: bytes) -> list:
    """The body's paragraphs (their text) and tables (rows of cell texts) in order, empty paragraphs left out."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{{{W}}}body")

    def text(element):
        return "".join(node.text or "" for node in element.iter(f"{{{W}}}t"))

    found = []
    for child in body:
        if child.tag == f"{{{W}}}p" and text(child):
            found.append(text(child))
        elif child.tag == f"{{{W}}}tbl":
            found.append([[text(cell) for cell in row.iter(f"{{{W}}}tc")] for row in child.iter(f"{{{W}}}tr")])
    return found


def bench_report() -> None:
    from zhaoshang.core.documents import to_docx, to_xlsx
    from zhaoshang.stats.reports import monthly_report

    period = _period()
    year, month = period.year, period.number or 12
    skeleton = monthly_report(year, month)
    queries = _count_queries(lambda: monthly_report(year, month))

    def app():
        document = monthly_report(year, month)
        return to_xlsx(document), to_docx(document)

    def floor():
        content = report_floor(skeleton, year, month)
        return floor_xlsx(skeleton, content), floor_docx(skeleton, content)

    app_files, floor_files = app(), floor()
    same("monthly report: Excel content", xlsx_text(app_files[0]), xlsx_text(floor_files[0]))
    same("monthly report: Word content", docx_text(app_files[1]), docx_text(floor_files[1]))
    app_timing = timed(app, repeat=5, warmup=1)
    floor_timing = timed(floor, repeat=5, warmup=1)
    size = sum(len(f) for f in app_files)
    report(
        f"monthly report {year}-{month:02d}, Excel + Word",
        app_timing,
        floor_timing,
        5000,
        f"   ({size / 1024:.0f} KB; app {queries} queries, floor {FLOOR_QUERIES})",
    )
    document = monthly_report(year, month)
    for name, write in (("Excel", to_xlsx), ("Word", to_docx)):
        print(f"{'  of which ' + name + ' writer':<44} {timed(lambda w=write: w(document), repeat=5, warmup=1)}")
    built = timed(lambda: monthly_report(year, month), repeat=5, warmup=1)
    print(f"{'  of which the figures and lists':<44} {built}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--fdi", type=int, default=2_000_000)
    parser.add_argument("--skip-cold", action="store_true", help="leave out the fresh processes' first requests")
    args = parser.parse_args()
    label = setup_django(suffix="_stats")
    generate(args.projects, args.fdi)
    vacuum_analyze()
    print(f"database: {label}; {args.projects:,} projects, {args.fdi:,} actual FDI records")
    from zhaoshang.stats.dashboard import CARDS
    from zhaoshang.stats.services import compute

    period, leader = _period(), _leader()
    APP_QUERIES["headline"] = _count_queries(lambda: compute(CARDS, period, leader))
    APP_QUERIES["ranking"] = _count_queries(
        lambda: compute(["large_signed", "large_signed_investment"], period, leader, group="district")
    )
    bench_headline()
    bench_ranking()
    bench_report()
    if not args.skip_cold:
        bench_dashboard()


if __name__ == "__main__":
    main()
