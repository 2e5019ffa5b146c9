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
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import city_and_teams, measure, report, setup_django

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
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Project, FDIRecord, Enterprise, link):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)


def _period():
    from django.utils import timezone

    from zhaoshang.stats.periods import Period

    return Period.default(timezone.localdate())


def _leader():
    from zhaoshang.accounts.models import User

    return User.objects.get(username="bench_leader")


def _raw(sql: str, params) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def _window(period):
    previous = period.previous_year()
    return [period.start, period.end, previous.start, previous.end]


def bench_headline() -> None:
    from zhaoshang.stats.dashboard import CARDS
    from zhaoshang.stats.services import compute

    period, leader = _period(), _leader()
    figures = compute(CARDS, period, leader)
    ms = measure(lambda: compute(CARDS, period, leader), repeat=9)
    current, previous = (period.start, period.end), (period.previous_year().start, period.previous_year().end)
    span = (previous[0], current[1])  # January to N of both years: one sweep of the date index

    def raw():
        # The same figures as plain aggregates: one query per date column, current and previous period side by side.
        for column in ("signed_on", "construction_on", "production_on"):
            _raw(
                f"SELECT count(CASE WHEN {column} BETWEEN %s AND %s THEN 1 END), "
                f"count(CASE WHEN {column} BETWEEN %s AND %s THEN 1 END), "
                f"sum(CASE WHEN {column} BETWEEN %s AND %s THEN planned_investment END) FROM projects_project "
                f"WHERE planned_investment >= 10000 AND {column} BETWEEN %s AND %s",
                [*current, *previous, *current, *span],
            )
        _raw(
            "SELECT sum(CASE WHEN month BETWEEN %s AND %s THEN amount_cny END), "
            "sum(CASE WHEN month BETWEEN %s AND %s THEN amount_cny END) FROM stats_fdirecord "
            "WHERE month BETWEEN %s AND %s",
            [*current, *previous, *span],
        )

    baseline = measure(raw, repeat=9)
    signed = figures["large_signed"]
    report(
        f"headline figures {period.key} with YoY ({len(CARDS)})",
        ms,
        baseline,
        500,
        f"   (≥1亿 signed {signed.value:,}, {signed.yoy}%)",
    )


def bench_ranking() -> None:
    from zhaoshang.stats.services import compute

    period, leader = _period(), _leader()
    keys = ["large_signed", "large_signed_investment"]
    groups = compute(keys, period, leader, group="district")["large_signed"].groups
    ms = measure(lambda: compute(keys, period, leader, group="district"), repeat=9)
    current, previous = (period.start, period.end), (period.previous_year().start, period.previous_year().end)
    span = (previous[0], current[1])  # January to N of both years: one sweep of the date index

    def raw():
        _raw(
            "SELECT district_id, count(CASE WHEN signed_on BETWEEN %s AND %s THEN 1 END), "
            "count(CASE WHEN signed_on BETWEEN %s AND %s THEN 1 END), "
            "sum(CASE WHEN signed_on BETWEEN %s AND %s THEN planned_investment END), "
            "sum(CASE WHEN signed_on BETWEEN %s AND %s THEN planned_investment END) FROM projects_project "
            "WHERE planned_investment >= 10000 AND signed_on BETWEEN %s AND %s "
            "GROUP BY district_id",
            [*current, *previous, *current, *previous, *span],
        )

    baseline = measure(raw, repeat=9)
    report(f"district ranking {period.key}", ms, baseline, 300, f"   ({len(groups)} districts)")


def bench_report() -> None:
    from zhaoshang.core.documents import to_docx, to_xlsx
    from zhaoshang.stats.reports import monthly_report

    period = _period()
    year, month = period.year, period.number or 12

    def run():
        document = monthly_report(year, month)
        return len(to_xlsx(document)) + len(to_docx(document))

    size = run()
    ms = measure(run, repeat=3, warmup=1)
    end = period.end
    month_start = date(year, month, 1)

    def raw():
        current, previous = (period.start, end), (period.previous_year().start, period.previous_year().end)
        span = (previous[0], current[1])
        for column in ("signed_on", "construction_on", "production_on"):
            _raw(
                f"SELECT district_id, count(CASE WHEN {column} BETWEEN %s AND %s THEN 1 END), "
                f"count(CASE WHEN {column} BETWEEN %s AND %s THEN 1 END), "
                f"sum(CASE WHEN {column} BETWEEN %s AND %s THEN planned_investment END) FROM projects_project "
                f"WHERE planned_investment >= 10000 AND {column} BETWEEN %s AND %s "
                "GROUP BY district_id",
                [*current, *previous, *current, *span],
            )
            _raw(
                f"SELECT id, name, planned_investment, {column} FROM projects_project "
                f"WHERE planned_investment >= 10000 AND {column} BETWEEN %s AND %s ORDER BY planned_investment DESC",
                [month_start, end],
            )
        for reached, following in (("signed_on", "construction_on"), ("construction_on", "production_on")):
            _raw(
                f"SELECT id, name, planned_investment FROM projects_project WHERE planned_investment >= 10000 "
                f"AND {reached} <= %s AND ({following} IS NULL OR {following} > %s) "
                "AND (dropped_on IS NULL OR dropped_on > %s) ORDER BY planned_investment DESC LIMIT 10",
                [end, end, end],
            )

    baseline = measure(raw, repeat=3, warmup=1)
    report(f"monthly report {year}-{month:02d}, Excel + Word", ms, baseline, 5000, f"   ({size / 1024:.0f} KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--fdi", type=int, default=2_000_000)
    args = parser.parse_args()
    label = setup_django(suffix="_stats")
    generate(args.projects, args.fdi)
    print(f"database: {label}; {args.projects:,} projects, {args.fdi:,} actual FDI records")
    bench_headline()
    bench_ranking()
    bench_report()


if __name__ == "__main__":
    main()
