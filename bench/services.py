"""Services after landing at five years' scale: the overdue scan, a department's open queues, the service figures.

Data (``services_data``): ``--requests`` enterprise requests (default 1,000,000) with their categories, events and
three clocks each, and ``--items`` approval plan items (default 100,000) with theirs, over the five years before
``services_data.NOW_LOCAL``, in a database of their own (``var/bench/bench_services.sqlite3``, or the
``BENCH_DATABASE_URL`` database's name with ``_services``), generated once with bulk inserts.

Targets: the overdue scan (``core.clocks.scan(now)``: the reminders and escalations that have come) ≤ 10 s; a
department's open queue (25 rows, filtered) ≤ 150 ms with a constant number of queries; the service figures of a
year ≤ 500 ms. Each is printed with a floor measured in the same run and checked first to give the same answer: for
the scan, one SELECT of the clocks due, the same arithmetic of the calendar in plain Python and one executemany
UPDATE (the same clocks fired, to the same state; the models' notifications are not in the floor yet); for the
queues, one hand-written SQL query (the same 25 rows in the same order; the floor renders no page yet); for the
figures, hand-written GROUP BY queries, the keys' names, the order, the total and the links (the whole answer). Every
run of the scan and of its floor is rolled back, so that each meets the same clocks, after a VACUUM ANALYZE. Medians
of ``--repeat`` runs with their spread, warm and cold (first calls, each on a new connection).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from datetime import time as day_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ["DEBUG"] = "false"  # as in production, whatever the environment says: no SQL logged for each query

from common import BROWSER_HEADERS, machine_load, report, same, setup_django, timed, vacuum_analyze
from services_data import ITEM_PURPOSE, PREFIX, generate, now

SCAN_TARGET_MS = 10_000


def forget() -> None:
    """What a fresh process meets: a new database connection, the content types, the calendar and the registered
    grants read again (``before`` of a cold figure)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from zhaoshang.core import access, workdays

    connection.close()
    ContentType.objects.clear_cache()
    workdays.forget()
    access.forget()


def cold(fn, repeat: int):
    """The cold path: ``fn()`` as the first call of a process meets it (see ``forget``), ``repeat`` times."""
    return timed(fn, repeat=repeat, warmup=0, before=forget)


# -- (a) the overdue scan ---------------------------------------------------------------------------------------------

DUE = "SELECT {columns} FROM core_clock WHERE stopped_at IS NULL AND next_alert_at <= %s ORDER BY id"


def _moments(rows):
    from django.db import connection

    convert = connection.ops.adapt_datetimefield_value
    return [tuple(convert(v) if isinstance(v, datetime) else v for v in row) for row in rows]


def _state_of(ids) -> list:
    """(id, reminded, escalated_at, next_alert_at) of the clocks ``ids``, as stored."""
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT id, reminded, escalated_at, next_alert_at FROM core_clock WHERE id IN ({marks}) ORDER BY id",
                chunk,
            )
            rows.extend(cursor.fetchall())
    return rows


def app_scan(at) -> tuple[dict, list]:
    """``core.clocks.scan(at)`` in a transaction rolled back: (its counts, the state it left on the clocks due)."""
    from django.db import connection, transaction

    from zhaoshang.core import clocks

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(DUE.format(columns="id"), [connection.ops.adapt_datetimefield_value(at)])
            ids = [row[0] for row in cursor.fetchall()]
        counts = clocks.scan(at)
        state = _state_of(ids)
        transaction.set_rollback(True)
    return counts, state


def app_scan_run(at) -> dict:
    """``core.clocks.scan(at)`` in a transaction rolled back (the rollback timed too, as the floor's): its counts."""
    from django.db import transaction

    from zhaoshang.core import clocks

    with transaction.atomic():
        counts = clocks.scan(at)
        transaction.set_rollback(True)
    return counts


def floor_scan(at, write: bool = True) -> tuple[dict, list]:
    """The same selection and state change by hand: one SELECT of the clocks whose next alert has come, the calendar's
    arithmetic in plain Python (the share's moment: the start moved on by the share of the time allowed plus the
    pauses; the escalation once past due) and one executemany UPDATE; rolled back. Returns (counts, new state)."""
    import math

    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from zhaoshang.core import workdays

    cal = workdays.calendar()
    shares = sorted(int(s) for s in settings.ZHAOSHANG_CLOCK_REMINDER_SHARES)
    top = shares[-1] if shares else 0
    tick = timedelta(microseconds=1)
    local = timezone.localtime
    make_aware = timezone.make_aware
    end_of_day = day_time.max

    def add(unit, start, n):
        if unit == "wdays":
            return make_aware(datetime.combine(cal.add_days(local(start).date(), n), end_of_day))
        if unit == "wminutes":
            return cal.add_minutes(start, n)
        return start + timedelta(minutes=n)

    def aware(moment):  # SQLite's cursor gives UTC without its zone
        return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment

    counts = {"reminder": 0, "escalation": 0}
    new = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                DUE.format(columns='id, unit, "limit", extended, paused, started_at, due_at, reminded, escalated_at'),
                [connection.ops.adapt_datetimefield_value(at)],
            )
            rows = cursor.fetchall()
            for pk, unit, limit, extended, paused, started, due, reminded, escalated in rows:
                total = limit + extended
                started, due, escalated = aware(started), aware(due), aware(escalated)

                def moment(share, unit=unit, started=started, total=total, paused=paused, due=due):
                    return due if share >= 100 else add(unit, started, math.ceil(total * share / 100) + paused)

                if due is not None and at > due and escalated is None:
                    escalated, reminded = at, top
                    counts["escalation"] += 1
                else:
                    reached = [s for s in shares if s > reminded and moment(s) <= at]
                    if reached:
                        reminded = reached[-1]
                        counts["reminder"] += 1
                following = next((s for s in shares if s > reminded), None)
                if following is not None:
                    next_at = moment(following)
                else:
                    next_at = due + tick if escalated is None else None
                new.append((pk, reminded, escalated, next_at))
            if write:
                cursor.executemany(
                    "UPDATE core_clock SET reminded = %s, escalated_at = %s, next_alert_at = %s WHERE id = %s",
                    _moments([(r, e, n, pk) for pk, r, e, n in new]),
                )
        transaction.set_rollback(True)
    return counts, new


def _units_named() -> None:
    """The floor names the units by their stored values: check them against ``ClockUnit``."""
    from zhaoshang.core.choices import ClockUnit

    assert (ClockUnit.WORKING_DAYS, ClockUnit.WORKING_MINUTES, ClockUnit.MINUTES) == ("wdays", "wminutes", "minutes"), (
        "ClockUnit's values changed: update floor_scan"
    )


def bench_scan(repeat: int) -> None:
    from django.db import connection

    _units_named()
    at = now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), SUM(CASE WHEN stopped_at IS NULL THEN 1 ELSE 0 END) FROM core_clock")
        total, running = cursor.fetchone()
        cursor.execute(
            "SELECT purpose, COUNT(*) FROM core_clock WHERE stopped_at IS NULL AND next_alert_at <= %s "
            "GROUP BY purpose",
            [connection.ops.adapt_datetimefield_value(at)],
        )
        due = dict(cursor.fetchall())
    print(
        f"clocks: {total:,} ({running:,} not stopped); due at {at:%Y-%m-%d %H:%M}: {sum(due.values()):,} "
        f"({', '.join(f'{k} {v:,}' for k, v in sorted(due.items()))})"
    )
    # the same clocks fired, to the same state: checked before timing (on the converted values of both)
    app_counts, app_state = app_scan(at)
    floor_counts, floor_state = floor_scan(at)
    same("overdue scan: the clocks' new state", _moments(app_state), _moments(floor_state))
    same("overdue scan: the counts", {str(k): v for k, v in app_counts.items()}, floor_counts)
    print(
        f"scan(now) fires {app_counts.get('reminder', 0):,} reminders and {app_counts.get('escalation', 0):,} "
        "escalations"
    )
    # every run rolled back; VACUUM ANALYZE before each (a rollback leaves dead rows that slow the next run)
    app = timed(lambda: app_scan_run(at), repeat, warmup=1, before=vacuum_analyze)
    base = timed(lambda: floor_scan(at), repeat, warmup=1, before=vacuum_analyze)
    report("overdue scan, warm", app, base, SCAN_TARGET_MS)

    def forget_and_vacuum():
        vacuum_analyze()
        forget()

    app = timed(lambda: app_scan_run(at), max(repeat // 2, 3), warmup=0, before=forget_and_vacuum)
    base = timed(lambda: floor_scan(at), max(repeat // 2, 3), warmup=0, before=forget_and_vacuum)
    report("  the same, cold (first call, new connection)", app, base, SCAN_TARGET_MS)


# -- (b) a department's open queues ----------------------------------------------------------------------------------


def _department_member(items: bool = False):
    """A member of the department with the most open requests (or open plan items): a user of its own, made once."""
    from django.db.models import Count

    from zhaoshang.accounts.choices import Role
    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.services.choices import ITEM_DONE, REQUEST_OPEN
    from zhaoshang.services.models import EnterpriseRequest, PlanItem

    if items:
        open_ones = PlanItem.objects.exclude(state__in=ITEM_DONE)
    else:
        open_ones = EnterpriseRequest.objects.filter(state__in=REQUEST_OPEN)
    busiest = open_ones.values("department").annotate(n=Count("pk")).order_by("-n").first()
    user, _ = User.objects.get_or_create(username=f"bench-services-department-{'items' if items else 'requests'}")
    Membership.objects.get_or_create(user=user, team_id=busiest["department"], defaults={"role": Role.OFFICER})
    return user


LINK = {
    "services:request-queue": re.compile(r'(?:/work/services/requests/(\d+)/|data-pk="(\d+)")'),
    "services:item-queue": re.compile(r'(?:/work/services/approvals/plan-items/(\d+)/|data-pk="(\d+)")'),
}


def page_ids(name: str, html: str) -> list[int]:
    """The rows' records in the page's order (their links or ``data-pk``), each once."""
    seen = []
    for match in LINK[name].finditer(html):
        pk = int(match.group(1) or match.group(2))
        if pk not in seen:
            seen.append(pk)
    return seen


def floor_request_queue(user_id: int, state: str | None, category: int | None, at, overdue: bool) -> list[int]:
    """One query: the open requests of the user's departments, filtered, by the nearest due moment of their running
    clocks (none last), then by when they came and by key; 25 rows. Overdue: a running clock past due at ``at``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from zhaoshang.services.choices import REQUEST_OPEN
    from zhaoshang.services.models import EnterpriseRequest

    r_type = ContentType.objects.get_for_model(EnterpriseRequest).pk
    due = (
        "(SELECT MIN(c.due_at) FROM core_clock c WHERE c.subject_type_id = %s AND c.subject_id = r.id "
        "AND c.stopped_at IS NULL)"
    )
    states = [state] if state else list(REQUEST_OPEN)
    with connection.cursor() as cursor:  # the user's departments, as the page finds them first
        cursor.execute(
            "SELECT m.team_id FROM accounts_membership m JOIN accounts_team t ON t.id = m.team_id "
            "WHERE m.user_id = %s AND t.kind = 'department'",
            [user_id],
        )
        departments = [row[0] for row in cursor.fetchall()]
    where = [f"r.state IN ({', '.join(['%s'] * len(states))})"]
    params: list = [r_type, *departments, *states]
    if category:
        where.append("r.category_id = %s")
        params.append(category)
    if overdue:
        where.append(f"{due} < %s")
        params += [r_type, connection.ops.adapt_datetimefield_value(at)]
    sql = (
        f"SELECT id FROM (SELECT r.id, r.received_at, {due} AS due FROM services_enterpriserequest r "
        f"WHERE r.department_id IN ({', '.join(['%s'] * len(departments))}) "
        f"AND {' AND '.join(where)}) q ORDER BY CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, received_at, id LIMIT 25"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def floor_item_queue(user_id: int, at, overdue: bool) -> list[int]:
    """One query: the plan items not done of the user's departments by their clock's due moment (none last), then
    by planned end and key; 25 rows. Overdue: the clock past due at ``at``, or no clock and the planned end passed."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from zhaoshang.accounts.choices import TeamKind
    from zhaoshang.services.choices import ITEM_DONE
    from zhaoshang.services.models import PlanItem

    i_type = ContentType.objects.get_for_model(PlanItem).pk
    done = list(ITEM_DONE)
    where = f"i.state NOT IN ({', '.join(['%s'] * len(done))})"
    params: list = [i_type, user_id, TeamKind.DEPARTMENT, *done]
    if overdue:
        where += " AND (c.due_at < %s OR (c.due_at IS NULL AND i.planned_end < %s))"
        params += [connection.ops.adapt_datetimefield_value(at), timezone.localtime(at).date()]
    sql = (
        "SELECT i.id FROM services_planitem i LEFT JOIN core_clock c ON c.subject_type_id = %s "
        f"AND c.subject_id = i.id AND c.purpose = '{ITEM_PURPOSE}' WHERE i.department_id IN (SELECT m.team_id FROM "
        "accounts_membership m JOIN accounts_team t ON t.id = m.team_id WHERE m.user_id = %s AND t.kind = %s) "
        f"AND {where} ORDER BY CASE WHEN c.due_at IS NULL THEN 1 ELSE 0 END, c.due_at, i.planned_end, i.id LIMIT 25"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def bench_queue(name: str, label: str, queries: tuple[dict, dict], floor, repeat: int) -> None:
    """The page ``name`` as a department member sees it, filtered (``queries``: the timed one, another one for the
    constant number of queries: the same filters with other values, or the next page), against ``floor(**query)``:
    the same rows in the same order; then the overdue filter alone, against the floor's."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(name)
    except NoReverseMatch:
        print(f"{label}: skipped ({name} is not there yet; it runs once the page is merged)")
        return
    user = _department_member(items=name == "services:item-queue")
    client = Client(**BROWSER_HEADERS)
    client.force_login(user)
    query, other = queries

    def page(params):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        body = response.content
        if response.get("Content-Encoding") == "gzip":  # the browser's headers accept it
            body = gzip.decompress(body)
        return len(captured), page_ids(name, body.decode())

    page(query[0])  # the process's first request reads the content types, the calendar and the grants once
    first, ids = page(query[0])
    second, _ = page(other[0])
    same(f"{label}: rows in order", ids, floor(user.pk, **query[1]))
    app = timed(lambda: client.get(url, query[0]), repeat)
    base = timed(lambda: floor(user.pk, **query[1]), repeat)
    report(f"{label}, warm", app, base, 150)
    app = cold(lambda: client.get(url, query[0]), 5)
    base = cold(lambda: floor(user.pk, **query[1]), 5)
    report("  the same, cold (first call, new connection)", app, base, 150)
    verdict = "constant" if first == second else "NOT constant: look for a query that depends on the rows"
    print(f"{'  queries: these filters / other values':<44} {first} / {second} ({verdict})")
    overdue = {"overdue": "true" if name == "services:request-queue" else "1"}
    floor_query = {**query[1], "state": None, "category": None} if "state" in query[1] else dict(query[1])
    floor_query["overdue"] = True
    _, ids = page(overdue)
    same(f"{label}, overdue only: rows in order", ids, floor(user.pk, **floor_query))
    app = timed(lambda: client.get(url, overdue), repeat)
    base = timed(lambda: floor(user.pk, **floor_query), repeat)
    report("  overdue only, warm", app, base, 150)


def bench_queues(repeat: int) -> None:
    from django.utils import timezone

    from zhaoshang.services.models import RequestCategory

    at = timezone.now()  # the pages' overdue filter counts to the present moment
    category = RequestCategory.objects.get(code="policy").pk
    other = RequestCategory.objects.get(code="land").pk
    bench_queue(
        "services:request-queue",
        "open requests of a department (25 rows)",
        (
            (
                {"state": "in_progress", "category": category},
                {"state": "in_progress", "category": category, "at": at, "overdue": False},
            ),
            ({"state": "interim", "category": other}, None),
        ),  # fmt: skip
        floor_request_queue,
        repeat,
    )
    bench_queue(
        "services:item-queue",
        "open plan items of a department (25 rows)",
        (({}, {"at": at, "overdue": False}), ({"overdue": "1"}, None)),
        floor_item_queue,
        repeat,
    )


# -- (c) the service figures of a year -------------------------------------------------------------------------------

DIMENSIONS = {
    "department": ("department_id", "accounts_team"),
    "district": ("district_id", "geo_region"),
    "category": ("category_id", "services_requestcategory"),
}
FIGURES = ("received", "closed", "closed_on_time", "rated", "satisfied", "redone")


def floor_figures(year: int) -> dict:
    """The figures of ``year`` by hand, the whole answer of ``request_figures``: two GROUP BY of department, district
    and category (received in the year, and of those reopened; closed in it, and of those closed on time, rated and
    satisfied) summed by each in Python, the names of the keys (one query a breakdown), the rows sorted by received
    (most first) then name, the total row, and each figure's address of the filtered request list.
    {dimension: [(key, label, received, closed, closed on time, rated, satisfied, redone, links)], "total": (…)}."""
    from urllib.parse import urlencode

    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import get_language, gettext

    from zhaoshang.services.choices import Rating

    start = timezone.make_aware(datetime(year, 1, 1))
    end = timezone.make_aware(datetime(year + 1, 1, 1))
    a, b = (connection.ops.adapt_datetimefield_value(x) for x in (start, end))
    columns = ", ".join(column for column, _table in DIMENSIONS.values())
    tables: dict = {dimension: {} for dimension in DIMENSIONS}

    def add(keys, position, values):
        for dimension, key in zip(DIMENSIONS, keys, strict=True):
            row = tables[dimension].setdefault(key, [0, 0, 0, 0, 0, 0])
            for offset, value in enumerate(values):
                row[position + offset] += int(value or 0)

    english = get_language() == "en"
    names: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, COUNT(*), SUM(CASE WHEN redo_count > 0 THEN 1 ELSE 0 END) "
            f"FROM services_enterpriserequest WHERE received_at >= %s AND received_at < %s GROUP BY {columns}",
            [a, b],
        )
        for department, district, category, received, redone in cursor.fetchall():
            add((department, district, category), 0, (received,))
            add((department, district, category), 5, (redone,))
        cursor.execute(
            f"SELECT {columns}, COUNT(*), SUM(CASE WHEN closed_on_time = %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN rating <> '' THEN 1 ELSE 0 END), SUM(CASE WHEN rating = %s THEN 1 ELSE 0 END) "
            f"FROM services_enterpriserequest WHERE closed_at >= %s AND closed_at < %s GROUP BY {columns}",
            [True, Rating.SATISFIED.value, a, b],
        )
        for department, district, category, *figures in cursor.fetchall():
            add((department, district, category), 1, figures)
        for dimension, (_column, table) in DIMENSIONS.items():
            keys = [k for k in tables[dimension] if k is not None]
            found = {}
            for chunk in range(0, len(keys), 500):
                part = keys[chunk : chunk + 500]
                cursor.execute(
                    f"SELECT id, name, name_en FROM {table} WHERE id IN ({', '.join(['%s'] * len(part))})", part
                )
                found.update(
                    {pk: (name_en if english and name_en else name) for pk, name, name_en in cursor.fetchall()}
                )
            names[dimension] = found
    prefix = reverse("services:request-list") + "?"
    not_set = gettext("Not set")

    def links(group, key):
        base = {group: key if key is not None else "null"} if group else {}
        received, closed = {**base, "received_year": year}, {**base, "closed_year": year}
        return {
            "received": prefix + urlencode(received),
            "redone": prefix + urlencode({**received, "redone": "true"}),
            "closed": prefix + urlencode(closed),
            "closed_on_time": prefix + urlencode({**closed, "on_time": "true"}),
            "rated": prefix + urlencode({**closed, "rated": "true"}),
            "satisfied": prefix + urlencode({**closed, "rating": Rating.SATISFIED}),
        }

    answer: dict = {}
    for dimension, table in tables.items():
        rows = [
            (key, names[dimension].get(key, "") if key is not None else not_set, *figures, links(dimension, key))
            for key, figures in table.items()
        ]
        answer[dimension] = sorted(rows, key=lambda r: (-r[2], r[1]))
    first = answer["department"]
    total = tuple(sum(row[2 + i] for row in first) for i in range(len(FIGURES)))
    answer["total"] = (None, gettext("Total"), *total, links("", None))
    return answer


def figures_answer(result) -> dict:
    """The app's answer in the floor's shape (every row's key, label, figures and links, in its order)."""

    def row(r):
        return (r.key, str(r.label), *(getattr(r, name) for name in FIGURES), dict(r.links))

    answer = {dimension: [row(r) for r in result[dimension]] for dimension in DIMENSIONS}
    answer["total"] = row(result["total"])
    return answer


def bench_figures(repeat: int) -> None:
    try:
        from zhaoshang.services.services.figures import request_figures
    except ImportError:
        print("service figures: skipped (zhaoshang.services.services.figures.request_figures is not there yet)")
        return
    from zhaoshang.accounts.choices import Role
    from zhaoshang.accounts.models import Membership, Team, User

    year = now().year - 1  # the last whole year
    user, _ = User.objects.get_or_create(username="bench-services-centre")
    centre = Team.objects.get(name=f"{PREFIX}team-0")
    Membership.objects.get_or_create(user=user, team=centre, defaults={"role": Role.OFFICER})
    app = figures_answer(request_figures(year, user))
    floor = floor_figures(year)
    same("service figures by department, district, category", app, floor)
    app = timed(lambda: request_figures(year, user), repeat)
    base = timed(lambda: floor_figures(year), repeat)
    report(f"service figures of {year}, warm", app, base, 500)
    app = cold(lambda: request_figures(year, User.objects.get(pk=user.pk)), 5)
    base = cold(lambda: floor_figures(year), 5)
    report("  the same, cold (first call, new connection)", app, base, 500)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", default="scan,queues,figures", help="the scenarios to run, separated by commas")
    args = parser.parse_args()
    label = setup_django(suffix="_services")
    from django.conf import settings

    assert not settings.DEBUG, "DEBUG must be off"
    generate(args.requests, args.items)
    print(f"database: {label}; {args.requests:,} requests, {args.items:,} approval items; {machine_load()}")
    only = set(args.only.split(","))
    if "scan" in only:
        bench_scan(args.repeat)
    if "queues" in only:
        bench_queues(max(args.repeat, 15))
    if "figures" in only:
        bench_figures(args.repeat)


if __name__ == "__main__":
    main()
