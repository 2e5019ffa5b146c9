"""The project pipeline at city scale: the filtered list page, speed figures of a year, a 50,000-row import.

Data: ``--projects`` projects (default 200,000) and ``--records`` stage changes and activities together
(default 2,000,000), spread over the city's districts, a set of teams, the industry chains, the lead
sources, every stage and two years of dates; generated once per database with bulk inserts (no change
records: generated data has no author).
Targets: list page (25 rows, filtered and sorted) ≤ 50 ms median with a constant number of queries;
speed figures of a year ≤ 500 ms, overall and by district; import of 50,000 rows ≤ 60 s.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import time
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BROWSER_HEADERS,
    city_and_teams,
    first_request,
    machine_load,
    report,
    same,
    setup_django,
    timed,
    vacuum_analyze,
)

PREFIX = "BENCH-"
TEAMS = 12


def generate(n_projects: int, n_records: int, seed: int = 11) -> None:
    import numpy as np
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from zhaoshang.accounts.choices import Role
    from zhaoshang.geo.models import Region
    from zhaoshang.industry.models import Chain, Enterprise
    from zhaoshang.industry.services import name_key, normalize_name
    from zhaoshang.industry.validators import uscc_check_character
    from zhaoshang.projects.choices import FORWARD, STAGE_DATE_FIELDS, ActivityKind, LeadSource, Stage
    from zhaoshang.projects.models import Activity, Project, StageTransition

    teams = city_and_teams(PREFIX, TEAMS, (("bench_officer", 1, Role.OFFICER), ("bench_admin", 0, Role.ADMIN)))
    chains = []
    for i in range(10):
        chain, _ = Chain.objects.get_or_create(name=f"{PREFIX}chain-{i}")
        chains.append(chain)
    have = Project.objects.filter(code__startswith=PREFIX).count()
    records = (
        StageTransition.objects.filter(project__code__startswith=PREFIX).count()
        + Activity.objects.filter(project__code__startswith=PREFIX).count()
        if have
        else 0
    )
    if have == n_projects and records == n_records:
        return
    print(f"generating {n_projects:,} projects and {n_records:,} stage changes and activities …", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        Activity.objects.filter(project__code__startswith=PREFIX).delete()
        StageTransition.objects.filter(project__code__startswith=PREFIX).delete()
        Project.objects.filter(code__startswith=PREFIX).delete()
        Enterprise.objects.filter(name__startswith=PREFIX).delete()

    districts = list(
        Region.objects.filter(parent__adcode=settings.ZHAOSHANG_CITY_ADCODE).defer("boundary").order_by("adcode")
    )
    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    now = timezone.now()
    first_day = today - timedelta(days=730)

    n_enterprises = max(n_projects // 4, 1)
    enterprises = []
    for i in range(n_enterprises):
        name = f"{PREFIX}企业{i}有限公司"
        first = f"91440700MA{i:07d}"
        enterprises.append(
            Enterprise(
                name=name,
                uscc=first + uscc_check_character(first),
                normalized_name=normalize_name(name),
                name_key=name_key(name),
                owner_team=teams[i % TEAMS],
                search_text=f" {name} ",
            )
        )
    with transaction.atomic():
        Enterprise.objects.bulk_create(enterprises, batch_size=5000)
    enterprise_ids = np.array(
        Enterprise.objects.filter(name__startswith=PREFIX).order_by("pk").values_list("pk", flat=True)
    )

    # How far each project got: leads most often, full production least.
    reach_p = np.array([0.24, 0.16, 0.15, 0.14, 0.09, 0.08, 0.07, 0.07])
    reach = rng.choice(len(FORWARD), size=n_projects, p=reach_p / reach_p.sum())
    lead_age = rng.integers(0, 730, size=n_projects)
    gaps = rng.integers(5, 120, size=(n_projects, len(FORWARD)))
    aside = rng.random(n_projects)
    amounts = np.round(rng.lognormal(8.5, 1.3, size=n_projects), 2)
    district_ix = rng.integers(0, len(districts), size=n_projects)
    team_ix = rng.integers(1, TEAMS, size=n_projects)
    chain_ix = rng.integers(0, len(chains) + 1, size=n_projects)
    sources = list(LeadSource.values)
    source_ix = rng.integers(0, len(sources), size=n_projects)
    date_fields = list(STAGE_DATE_FIELDS.values())
    transitions_per = []
    projects = []
    for i in range(n_projects):
        day = today - timedelta(days=int(lead_age[i]))
        dates = {}
        steps = [0]
        for position in range(1, int(reach[i]) + 1):
            if position < 3 and rng.random() < 0.3:
                continue  # stages before signing may be skipped
            nxt = day + timedelta(days=int(gaps[i, position]))
            if nxt > today:
                break
            day = nxt
            steps.append(position)
        for position in steps:
            dates[date_fields[position]] = None
        day = today - timedelta(days=int(lead_age[i]))
        dates = {date_fields[0]: day}
        for position in steps[1:]:
            day = day + timedelta(days=int(gaps[i, position]))
            dates[date_fields[position]] = day
        stage = FORWARD[steps[-1]]
        extra = {}
        if aside[i] < 0.04 and stage != Stage.FULL_PRODUCTION and day < today:
            extra = {"stage": Stage.PAUSED, "resume_stage": stage, "paused_on": day + timedelta(days=1)}
            stage = Stage.PAUSED
        elif aside[i] > 0.97 and day < today:
            extra = {
                "stage": Stage.DROPPED,
                "resume_stage": stage,
                "dropped_on": day + timedelta(days=1),
                "drop_reason": "投资方战略调整",
            }
            stage = Stage.DROPPED
        transitions_per.append(len(steps) + (1 if extra else 0))
        amount = float(amounts[i])
        projects.append(
            Project(
                code=f"{PREFIX}{i:07d}",
                name=f"{districts[district_ix[i]].name}项目{i}",
                enterprise_id=int(enterprise_ids[i % len(enterprise_ids)]),
                chain=chains[chain_ix[i]] if chain_ix[i] < len(chains) else None,
                planned_investment=round(amount, 2),
                foreign_investment=round(amount * 0.2, 2) if i % 7 == 0 else None,
                land_need_mu=int(amount // 100) if i % 3 else None,
                district=districts[district_ix[i]],
                source=sources[source_ix[i]],
                owner_team=teams[team_ix[i]],
                confidential=bool(i % 10 == 0),
                **dates,
                **{"stage": stage, **extra},
                search_text=f" 项目{i} ",
            )
        )
    with transaction.atomic():
        Project.objects.bulk_create(projects, batch_size=5000)
    del projects
    rows = list(
        Project.objects.filter(code__startswith=PREFIX)
        .order_by("pk")
        .values_list("pk", "stage", "resume_stage", "paused_on", "dropped_on", *date_fields)
    )
    quote = connection.ops.quote_name
    transition_sql = (
        f"INSERT INTO {quote(StageTransition._meta.db_table)} (project_id, kind, from_stage, to_stage, happened_on, "
        "note, reason, created, updated, version) VALUES (%s, %s, %s, %s, %s, '', %s, %s, %s, 1)"
    )
    activity_sql = (
        f"INSERT INTO {quote(Activity._meta.db_table)} (project_id, kind, happened_on, summary, "
        "external_participants, created, updated, version) VALUES (%s, %s, %s, %s, '', %s, %s, 1)"
    )
    batch: list = []
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for pk, stage, resume, paused_on, dropped_on, *dates in rows:
            previous = ""
            for position, day in enumerate(dates):
                if day is None:
                    continue
                kind = "open" if position == 0 else "advance"
                batch.append((pk, kind, previous, FORWARD[position], day, "", now, now))
                previous = FORWARD[position]
            if stage == Stage.PAUSED:
                batch.append((pk, "pause", resume, Stage.PAUSED, paused_on, "", now, now))
            elif stage == Stage.DROPPED:
                batch.append((pk, "drop", resume, Stage.DROPPED, dropped_on, "投资方战略调整", now, now))
            if len(batch) >= 20000:
                cursor.executemany(transition_sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(transition_sql, batch)
        count += len(batch)
        batch = []
        remaining = max(n_records - count, 0)
        pks = np.array([row[0] for row in rows])
        leads = np.array([(row[5] - first_day).days for row in rows])
        kinds = list(ActivityKind.values)
        for start in range(0, remaining, 50000):
            size = min(50000, remaining - start)
            which = rng.integers(0, len(pks), size=size)
            ages = rng.integers(0, 730, size=size)
            kind_ix = rng.integers(0, len(kinds), size=size)
            for j in range(size):
                offset = max(int(leads[which[j]]), int(730 - ages[j]))
                day = first_day + timedelta(days=min(offset, 730))
                batch.append((int(pks[which[j]]), kinds[kind_ix[j]], day, "拜访企业，介绍园区政策", now, now))
            cursor.executemany(activity_sql, batch)
            batch = []
    _analyze(connection)
    print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)


def _analyze(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        else:
            for table in ("projects_project", "projects_stagetransition", "projects_activity", "industry_enterprise"):
                cursor.execute(f"VACUUM ANALYZE {table}")


class _Page(HTMLParser):
    """What a list page shows: the record count, the table's rows (each cell's text) and the options of its
    filter form's selects."""

    def __init__(self):
        super().__init__()
        self.rows, self.selects = [], {}
        self._in, self._cell, self._row, self._select, self._option = None, None, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tbody":
            self._in = "body"
        elif tag == "tr" and self._in == "body":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "select":
            self._select = self.selects.setdefault(attrs["name"], [])
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), ""]

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in = None
        elif tag == "td" and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(tuple(self._row))
            self._row = None
        elif tag == "option" and self._option is not None:
            self._select.append((self._option[0], self._option[1].strip()))
            self._option = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._option is not None:
            self._option[1] += data


def shown(response) -> tuple:
    """(records counted, rows of cell texts, {select: [(value, text)]}) of a rendered list page."""
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    page = _Page()
    page.feed(content.decode())
    counted = re.search(r'<div class="card-header"><span class="text-secondary">([^<]*)</span>', content.decode())
    count = int("".join(ch for ch in counted.group(1) if ch.isdigit()))
    return count, page.rows, page.selects


def bench_list() -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation
    from django.utils.translation import gettext as _

    from zhaoshang.accounts.models import User
    from zhaoshang.core import formatting
    from zhaoshang.core.choices import Action
    from zhaoshang.geo.models import Region
    from zhaoshang.projects.choices import Stage, StallRule
    from zhaoshang.projects.filtersets import ProjectFilterSet
    from zhaoshang.projects.models import Project

    officer = User.objects.get(username="bench_officer")
    client = Client(**BROWSER_HEADERS)
    client.force_login(officer)
    url = "/work/projects/"
    districts = list(
        Region.objects.filter(parent__adcode=settings.ZHAOSHANG_CITY_ADCODE)
        .order_by("adcode")
        .values_list("pk", "adcode")
    )
    district_id, adcode = districts[0]
    query = {"stage": "signed", "district": adcode, "min_investment": "10000", "sort": "-planned_investment"}
    other = {"stage": "lead", "district": districts[1][1], "sort": "name", "page": "2"}

    def queries(params):
        connection.queries_log.clear()  # a full log would count nothing
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200, response.status_code
        return len(captured), response

    if shown(client.get(url, {k: v for k, v in other.items() if k != "page"}))[0] <= 25:
        other.pop("page")  # a small database: no page 2
    first, response = queries(query)
    second, _other = queries(other)
    assert first == second, f"page 1 ran {first} queries, another page {second}"
    app_answer = shown(response)

    # The floor: the count and the 25 rows with every column shown (the visibility and stalled rules from the
    # page's own querysets: one definition of each) and the options of the selects filled from the database, each
    # one SQL statement compiled once from the app's querysets and run on a cursor; cells formatted in plain Python.
    visible = Project.objects.restrict(officer, Action.VIEW).filter(
        stage="signed", district_id=district_id, planned_investment__gte=10000
    )
    count_sql, count_params = visible.order_by().values("pk").query.sql_with_params()
    count_sql = f"SELECT COUNT(*) FROM ({count_sql}) visible"
    page_qs = (
        visible.with_stall()
        .order_by("-planned_investment", "pk")
        .values_list(
            "name",
            "enterprise__name",
            "stage",
            "stall_rule",
            "owner_team__name",
            "district__name",
            "planned_investment",
            "lead_on",
            "signed_on",
        )[:25]
    )
    rows_sql, rows_params = page_qs.query.sql_with_params()
    form = ProjectFilterSet(None, queryset=Project.objects.none(), request=response.wsgi_request).form
    choice_sql = []
    for name in ("district", "team", "chain", "target_chain"):
        field = form.fields[name]
        key = field.to_field_name or "pk"
        choice_sql.append((name, *field.queryset.values_list(key, "name").query.sql_with_params()))
    with translation.override("zh-hans"):
        stages = {value: str(label) for value, label in Stage.choices}
        stalled = str(_("Stalled")) if StallRule.values else ""
        any_label = str(_("Any"))

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(count_sql, count_params)
                (count,) = cursor.fetchone()
                cursor.execute(rows_sql, rows_params)
                rows = [
                    (
                        name,
                        enterprise,
                        stages[stage],
                        stalled if rule else "—",
                        team,
                        district or "—",
                        formatting.money(amount),
                        formatting.day(lead_on),
                        formatting.day(signed_on),
                    )
                    for name, enterprise, stage, rule, team, district, amount, lead_on, signed_on in cursor.fetchall()
                ]
                selects = {}
                for name, sql, values in choice_sql:
                    cursor.execute(sql, values)
                    selects[name] = [("", any_label), *((str(key), label) for key, label in cursor.fetchall())]
            return count, rows, selects

        floor_answer = raw()
    app_selects = {name: app_answer[2][name] for name in floor_answer[2]}
    same("list page: count, rows, filter choices", (app_answer[0], app_answer[1], app_selects), floor_answer)
    with translation.override("zh-hans"):
        baseline = timed(raw)
    timing = timed(lambda: client.get(url, query))
    report("list page: signed + district + ≥ 10,000, sorted", timing, baseline, 50, f"   ({len(app_answer[1])} rows)")
    print(f"{'  queries: page 1 / other filters, page 2':<44} {first} / {second} (constant)")
    cold, warm = first_request(f"{url}?{urlencode(query)}", username="bench_officer", repeat=3)
    print(f"{'  first request of a fresh process':<44} {cold}   (its second: {warm})")


def bench_speed() -> None:
    import numpy as np
    from django.db import connection
    from django.utils import timezone

    from zhaoshang.projects.models import Project
    from zhaoshang.projects.services import INTERVALS, _figures, speed_figures

    end = timezone.localdate()
    start = end - timedelta(days=364)
    queryset = Project.objects.all()
    days = {
        "sqlite": "CAST(julianday({end}) AS INTEGER) - CAST(julianday({start}) AS INTEGER)",
        "postgresql": "{end} - {start}",
    }[connection.vendor]

    def raw(group: str = "", best: int = 3):
        """Every figure speed_figures returns: day counts per interval (and group) and the fastest projects,
        in raw SQL; the figures from the counts with the same NumPy arithmetic."""
        out = []
        with connection.cursor() as cursor:
            for interval in INTERVALS:
                diff = days.format(end=f"p.{interval.end}", start=f"p.{interval.start}")
                where = (
                    f"p.{interval.end} >= %s AND p.{interval.end} <= %s AND p.{interval.start} IS NOT NULL "
                    f"AND p.{interval.end} >= p.{interval.start}"
                )
                keys = f"p.{group}, " if group else ""
                cursor.execute(
                    f"SELECT {keys}{diff} AS d, COUNT(*) FROM projects_project p WHERE {where} GROUP BY {keys}d",
                    [start, end],
                )
                counted = cursor.fetchall()
                if group:
                    cursor.execute(
                        f"SELECT g, id, name, d FROM (SELECT p.{group} AS g, p.id, p.name, {diff} AS d, ROW_NUMBER() "
                        f"OVER (PARTITION BY p.{group} ORDER BY {diff}, p.id) AS n FROM projects_project p "
                        f"WHERE {where}) ranked WHERE n <= %s ORDER BY d, id",
                        [start, end, best],
                    )
                else:
                    cursor.execute(
                        f"SELECT NULL, p.id, p.name, {diff} AS d FROM projects_project p WHERE {where} "
                        "ORDER BY d, p.id LIMIT %s",
                        [start, end, best],
                    )
                fastest = cursor.fetchall()
                out.append((counted, fastest))
            labels = {}
            if group:
                cursor.execute(
                    "SELECT id, name FROM geo_region WHERE id IN (SELECT DISTINCT district_id FROM "
                    "projects_project WHERE district_id IS NOT NULL)"
                )
                labels = dict(cursor.fetchall())
        return _speed_answer(out, labels, best, bool(group), np, _figures)

    def app(group=None):
        figures = speed_figures(queryset, start, end, group)
        return [
            (
                _plain(entry["overall"]),
                sorted(
                    (str(g["label"]), _plain({k: v for k, v in g.items() if k not in ("key", "label")}))
                    for g in entry["groups"]
                ),
            )
            for entry in figures["intervals"]
        ]

    same("speed figures, overall", app(), raw())
    same("speed figures, by district", app("district"), raw("district_id"))
    count = speed_figures(queryset, start, end)["intervals"][0]["overall"]["count"]
    report(
        "speed figures: one year, overall", timed(app, repeat=7), timed(raw, repeat=7), 500, f"   ({count:,} signed)"
    )
    report(
        "speed figures: one year, by district",
        timed(lambda: app("district"), repeat=7),
        timed(lambda: raw("district_id"), repeat=7),
        500,
    )


def _plain(figures: dict) -> dict:
    return {**figures, "best": [(b["id"], b["name"], int(b["days"])) for b in figures["best"]]}


def _speed_answer(out, labels, best, grouped, np, figures_of):
    answer = []
    for counted, fastest in out:
        table = np.array([row[-2:] for row in counted], dtype=np.int64).reshape(-1, 2)
        every = [(pk, name, int(d)) for _g, pk, name, d in fastest]

        def figures(rows):
            if not len(rows):
                return figures_of(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
            days, inverse = np.unique(rows[:, 0], return_inverse=True)
            return figures_of(days, np.bincount(inverse, weights=rows[:, 1]).astype(np.int64))

        overall = {**figures(table), "best": sorted(every, key=lambda b: (b[2], b[0]))[:best]}
        groups = []
        if grouped:
            keys = sorted({row[0] for row in counted}, key=str)
            for key in keys:
                rows = np.array([row[1:] for row in counted if row[0] == key], dtype=np.int64).reshape(-1, 2)
                group_best = [(pk, name, int(d)) for g, pk, name, d in fastest if g == key][:best]
                groups.append((labels.get(key, str(key)), {**figures(rows), "best": group_best}))
            groups.sort()
        answer.append((overall, groups))
    return answer


def bench_import(rows: int) -> None:
    import cProfile
    import pstats

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction

    from zhaoshang.accounts.models import User
    from zhaoshang.core import excel
    from zhaoshang.core.context import acting_as
    from zhaoshang.projects.imports import PROJECT_COLUMNS, ProjectImporter
    from zhaoshang.projects.models import Project

    admin = User.objects.get(username="bench_admin")
    columns = [c for c in PROJECT_COLUMNS if c.key != "code"]  # every row a new project
    queryset = (
        Project.objects.filter(code__startswith=PREFIX)
        .select_related("enterprise", "district", "owner_team", "chain", "park", "industry_code", "owner")
        .defer("search_text", "enterprise__search_text", "district__boundary", "park__boundary")
        .order_by("pk")[:rows]
    )
    started = time.perf_counter()
    content = excel.workbook_bytes(excel.export_workbook(queryset.iterator(chunk_size=5000), columns, "projects"))
    print(f"{'  (export of the rows to import)':<44} {(time.perf_counter() - started) * 1000:9.0f} ms", flush=True)
    profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None

    def run():
        with transaction.atomic(), acting_as(admin):
            if profile:
                profile.enable()
            result = ProjectImporter(admin).run(SimpleUploadedFile("projects.xlsx", content))
            if profile:
                profile.disable()
            transaction.set_rollback(True)
        assert result.ok, result.errors[:5]
        assert result.created == rows, result.created

    tables = ("projects_project", "projects_stagetransition", "industry_enterprise", "core_changerecord")

    def clean():
        # the rolled-back rows are dead rows on PostgreSQL: vacuumed before each run, so each run starts alike
        vacuum_analyze(*(t for t in tables if t in connection.introspection.table_names()))

    cpu = time.process_time()
    timing = timed(run, repeat=3, warmup=0, before=clean)
    cpu = (time.process_time() - cpu) / 3  # this process only: the database server's share is not in it
    if profile:
        pstats.Stats(profile).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(40)

    values = list(
        queryset.values_list(
            "name",
            "enterprise_id",
            "project_type",
            "planned_investment",
            "district_id",
            "source",
            "owner_team_id",
            "stage",
            "lead_on",
            "signed_on",
            "dropped_on",
            "drop_reason",
            "resume_stage",
        )
    )

    def raw():
        with transaction.atomic(), connection.cursor() as cursor:
            now = time.strftime("%Y-%m-%d %H:%M:%S")
            cursor.executemany(
                "INSERT INTO projects_project (code, name, enterprise_id, project_type, planned_investment, "
                "district_id, source, owner_team_id, stage, lead_on, signed_on, dropped_on, drop_reason, "
                "resume_stage, confidential, description, search_text, created, updated, version) VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', '', %s, %s, 1)",
                [(f"RAW-{i}", *row, False, now, now) for i, row in enumerate(values)],
            )
            transaction.set_rollback(True)

    baseline = timed(raw, repeat=3, warmup=0, before=clean)
    # Not yet the same answer: the floor writes the project rows only (no stage changes, change records, tags).
    report(f"import: {rows:,} new projects, all checks", timing, baseline, 60_000, f"   (cpu {cpu:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--import-rows", type=int, default=50_000)
    parser.add_argument("--only", choices=("list", "speed", "import"))
    args = parser.parse_args()
    label = setup_django()
    print(f"projects benchmark on {label}; {machine_load()}")
    generate(args.projects, args.records)
    if args.only in (None, "list"):
        bench_list()
    if args.only in (None, "speed"):
        bench_speed()
    if args.only in (None, "import"):
        bench_import(min(args.import_rows, args.projects))


if __name__ == "__main__":
    main()
