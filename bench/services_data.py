"""Data of the services benchmark: five years of enterprise requests and approval plans with their clocks.

Departments (teams of kind department), the official working days of the years the calendar package knows, the
seven request categories and the default time-limit policy, enterprises, ``--requests`` enterprise requests
(default 1,000,000) received over the five years before ``NOW`` with their categories, two events each and their
three clocks (contact within 60 office minutes, a plan within 24 hours, closed within 7 working days), and projects
with approval plans of ten items each (``--items``, default 100,000) with their clocks. Generated once per database
with bulk inserts (``COPY`` on PostgreSQL, ``executemany`` on SQLite), no change records, no search text.

The clocks are consistent with ``core.clocks``: each due moment is ``clocks.add`` of its start and limit, computed
once per distinct start (per day for working days). Nearly every request and item is done and its clocks stopped; the
open ones — the last days' requests, a few late ones, the items under review — stand as the scan left them at
``last_scan()`` (three days before ``NOW``), so that a scan at ``NOW`` fires the reminders and escalations of
three days: a few thousand at 1,000,000 requests.

    .venv/bin/python bench/services_data.py --requests 100000 --items 10000
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chains_data import insert
from common import city_and_teams, setup_django

PREFIX = "BSERV-"
DEPARTMENTS = 24
ENTERPRISES = 20_000
ITEMS_PER_PLAN = 10
CATALOGUE = 20  # approval items of the catalogue
CATEGORIES = [("policy", "政策咨询", "Policy", 30), ("land", "用地", "Land", 8), ("financing", "融资", "Financing", 14),
              ("talent", "人才", "Talent", 10), ("utilities", "水电气", "Utilities and power", 16),
              ("approvals", "审批", "Approvals", 12), ("other", "其他", "Other", 10)]  # fmt: skip
NOW_LOCAL = datetime(2026, 11, 26, 10, 30)  # a Thursday: the moment the scan runs
ITEM_PURPOSE = "item"
CHUNK = 50_000


def now():
    from django.utils import timezone

    return timezone.make_aware(NOW_LOCAL)


def last_scan():
    """The scan's previous run: three days before (it stood still over a long weekend), the worst case it meets."""
    return now() - timedelta(days=3)


def departments() -> list:
    from zhaoshang.accounts.choices import TeamKind
    from zhaoshang.accounts.models import Team

    teams = []
    for i in range(DEPARTMENTS):
        team, _ = Team.objects.get_or_create(
            name=f"{PREFIX}department-{i}", defaults={"kind": TeamKind.DEPARTMENT, "stationed_city": ""}
        )
        teams.append(team)
    return teams


def categories(teams) -> list:
    from zhaoshang.services.models import RequestCategory, ServicePolicy

    made = []
    for order, (code, name, name_en, _weight) in enumerate(CATEGORIES):
        category, _ = RequestCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order, "department": teams[order]}
        )
        if category.department_id is None:  # a seeded category routes nowhere yet: to the bench's department
            category.department = teams[order]
            category.save(update_fields=["department"])
        made.append(category)
    if not ServicePolicy.objects.filter(category=None, channel="").exists():
        ServicePolicy.objects.create()  # the default: 60 office minutes, 24 hours, 7 working days
    return made


def calendar_years() -> None:
    from zhaoshang.core.calendar_load import load_known_years

    load_known_years(NOW_LOCAL.year - 6)


def _enterprises() -> list[int]:
    from django.db import transaction

    from zhaoshang.industry.models import Enterprise

    ids = list(Enterprise.objects.filter(name__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))
    if len(ids) >= ENTERPRISES:
        return ids
    made = [
        Enterprise(name=f"{PREFIX}企业{i:06d}有限公司", normalized_name=f"{PREFIX}企业{i:06d}有限公司",
                   name_key=f"{PREFIX}企业{i:06d}", hq_city="江门", description="bench-services")
        for i in range(len(ids), ENTERPRISES)
    ]  # fmt: skip
    with transaction.atomic():
        Enterprise.objects.bulk_create(made, batch_size=5000)
    return list(Enterprise.objects.filter(name__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))


class Clocks:
    """Due moments as ``core.clocks.add`` gives them, cached per start (per day for working days)."""

    def __init__(self):
        from zhaoshang.core import workdays

        self.cal = workdays.calendar()
        self.days: dict = {}

    def working_days(self, start: datetime, n: int) -> datetime:
        from zhaoshang.core import clocks
        from zhaoshang.core.choices import ClockUnit

        key = (_local_date(start), n)
        due = self.days.get(key)
        if due is None:
            due = self.days[key] = clocks.add(ClockUnit.WORKING_DAYS, start, n)
        return due

    def working_minutes(self, start: datetime, n: int) -> datetime:
        return self.cal.add_minutes(start, n)


def _local_date(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


def _running(unit, limit, started_at, paused_since=None):
    """A clock that runs, with the alerts the scan fired up to ``LAST_SCAN``: (reminded, escalated, due, next)."""
    from zhaoshang.core import clocks
    from zhaoshang.core.models import Clock

    clock = Clock(unit=unit, limit=limit, started_at=started_at, paused_since=paused_since)
    clocks.refresh(clock)
    scanned = last_scan()
    for _ in range(5):
        if clock.next_alert_at is None or clock.next_alert_at > scanned:
            break
        clocks._fire(clock, scanned)
    return clock.reminded, clock.escalated_at, clock.due_at, clock.next_alert_at


def _stopped(due, stopped):
    """reminded, escalated_at of a stopped clock: escalated an hour after its due moment when late."""
    if stopped > due:
        return 100, min(due + timedelta(hours=1), stopped)
    return 0, None


def requests(count: int, teams, cats, enterprise_ids, districts, seed: int = 16) -> int:
    """``count`` requests over five years with categories, events and clocks; returns how many were made."""
    import numpy as np
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from zhaoshang.core.choices import ClockUnit
    from zhaoshang.core.models import Clock
    from zhaoshang.services.choices import Rating, RequestEventKind, RequestState
    from zhaoshang.services.models import EnterpriseRequest, RequestEvent

    rng = np.random.default_rng(seed)
    ops = connection.ops
    dt = ops.adapt_datetimefield_value
    end = now()
    span = 5 * 365 * 24 * 60
    # received: growing a little over the years, in office hours mostly
    ages = np.sort((rng.random(count) ** 1.15 * span).astype(np.int64))[::-1]
    received_all = [end - timedelta(minutes=int(a)) for a in ages]
    weights = np.array([w for *_x, w in CATEGORIES], dtype=float)
    cat_ix = rng.choice(len(cats), size=count, p=weights / weights.sum())
    second = rng.random(count)
    second_ix = rng.integers(0, len(cats), size=count)
    dept_ix = rng.integers(0, len(teams), size=count)
    routed_to_category = rng.random(count) < 0.6
    contact_delay = rng.gamma(2.0, 14.0, size=count)  # minutes; about 1 in 20 beyond the hour
    plan_delay = rng.gamma(2.5, 4.0, size=count)  # hours
    close_delay = rng.gamma(3.0, 1.8, size=count)  # days
    rated = rng.random(count)
    satisfied = rng.random(count)
    open_draw = rng.random(count)
    channels = ["web", "phone", "visit", "12345", "other"]
    channel_ix = rng.choice(5, size=count, p=[0.5, 0.2, 0.08, 0.2, 0.02])
    ent_ix = rng.integers(0, len(enterprise_ids), size=count)
    dist_ix = rng.integers(0, len(districts), size=count)
    clocks_of = Clocks()
    r_type = ContentType.objects.get_for_model(EnterpriseRequest).pk
    first_id = (EnterpriseRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    WM, MIN, WD = ClockUnit.WORKING_MINUTES, ClockUnit.MINUTES, ClockUnit.WORKING_DAYS

    def adapt(rows, moments):
        for row in rows:
            yield tuple(dt(v) if j in moments and v is not None else v for j, v in enumerate(row))

    request_columns = ["id", "created", "updated", "version", "search_text", "number", "enterprise_id", "contact_name",
                       "contact_phone", "contact_email", "channel", "category_id", "title", "description",
                       "district_id", "department_id", "level", "state", "received_at", "signed_at", "contacted_at",
                       "planned_at", "closed_at", "closed_on_time", "answer", "rating", "rating_comment", "rated_at",
                       "redo_count"]  # fmt: skip

    def flush(request_rows, category_rows, event_rows, clock_rows):
        with transaction.atomic():
            insert(connection, EnterpriseRequest._meta.db_table, request_columns,
                   adapt(request_rows, {1, 2, 18, 19, 20, 21, 22, 27}))  # fmt: skip
            insert(connection, EnterpriseRequest.categories.through._meta.db_table,
                   ["enterpriserequest_id", "requestcategory_id"], category_rows)  # fmt: skip
            insert(connection, RequestEvent._meta.db_table,
                   ["created", "updated", "version", "request_id", "kind", "at", "text", "public"],
                   adapt(event_rows, {0, 1, 5}))  # fmt: skip
            insert(connection, Clock._meta.db_table, CLOCK_COLUMNS, adapt(clock_rows, {5, 6, 7, 8, 10, 11}))

    request_rows, category_rows, event_rows, clock_rows = [], [], [], []
    for i in range(count):
        pk = first_id + i
        received = received_all[i]
        age_days = ages[i] / 1440
        if age_days < 7:
            is_open = open_draw[i] < 0.9
        elif age_days < 20:
            is_open = open_draw[i] < 0.3
        else:
            is_open = open_draw[i] < 0.002
        cat = cats[int(cat_ix[i])]
        dept = cat.department_id if routed_to_category[i] else teams[int(dept_ix[i])].pk
        contact_due = clocks_of.working_minutes(received, 60)
        plan_due = received + timedelta(minutes=1440)
        close_due = clocks_of.working_days(received, 7)
        contacted = received + timedelta(minutes=float(contact_delay[i]))
        planned = contacted + timedelta(hours=float(plan_delay[i]))
        closed = planned + timedelta(days=float(close_delay[i]))
        state, rating, rated_at, level, redo = RequestState.CLOSED, "", None, 1, 0
        if is_open:
            closed = None
            if contacted > end:
                contacted = planned = None
                state = RequestState.SUBMITTED
            else:
                state = RequestState.INTERIM if planned <= end and open_draw[i] < 0.3 else RequestState.IN_PROGRESS
                if planned > end:
                    planned = None
        else:
            if closed > end:  # closed by now
                closed = end - timedelta(minutes=30)
                planned = min(planned, closed)
                contacted = min(contacted, planned)
            if rated[i] < 0.8:
                rated_at = closed + timedelta(days=2)
                if rated_at > end:
                    rated_at = None
                else:
                    state = RequestState.VISITED
                    rating = Rating.SATISFIED if satisfied[i] < 0.92 else Rating.UNSATISFIED
                    if rating == Rating.UNSATISFIED and satisfied[i] < 0.985:
                        redo, level = 1, 2  # reopened a level up and closed again
        closed_on_time = None if closed is None else closed <= close_due
        request_rows.append((
            pk, received, received, 1, "", f"{PREFIX}{pk:09d}", enterprise_ids[int(ent_ix[i])], "联系人",
            "13800000000", "", channels[int(channel_ix[i])], cat.pk, f"诉求 {pk}", "企业反映的问题",
            districts[int(dist_ix[i])], dept, level, state, received, contacted, contacted, planned, closed,
            closed_on_time, "" if closed is None else "已办结", rating, "", rated_at, redo,
        ))  # fmt: skip
        category_rows.append((pk, cat.pk))
        if second[i] < 0.15 and int(second_ix[i]) != int(cat_ix[i]):
            category_rows.append((pk, cats[int(second_ix[i])].pk))
        event_rows.append((received, received, 1, pk, RequestEventKind.SUBMITTED, received, "", True))
        if closed is not None:
            event_rows.append((closed, closed, 1, pk, RequestEventKind.CLOSED, closed, "已办结", True))
        elif contacted is not None:
            event_rows.append((contacted, contacted, 1, pk, RequestEventKind.SIGNED, contacted, "", True))
        for purpose, unit, limit, due, stopped in (
            ("contact", WM, 60, contact_due, contacted),
            ("plan", MIN, 1440, plan_due, planned),
            ("close", WD, 7, close_due, closed),
        ):
            if stopped is not None:
                reminded, escalated = _stopped(due, stopped)
                clock_rows.append((r_type, pk, purpose, unit, limit, received, None, due, stopped, reminded, escalated,
                                   None, 0, 0))  # fmt: skip
            else:
                reminded, escalated, due_at, next_at = _running(unit, limit, received)
                clock_rows.append((r_type, pk, purpose, unit, limit, received, None, due_at, None, reminded, escalated,
                                   next_at, 0, 0))  # fmt: skip
        if len(request_rows) >= CHUNK or i == count - 1:
            flush(request_rows, category_rows, event_rows, clock_rows)
            request_rows, category_rows, event_rows, clock_rows = [], [], [], []

    _reset_sequence(connection, EnterpriseRequest)
    return count


CLOCK_COLUMNS = ["subject_type_id", "subject_id", "purpose", "unit", "limit", "started_at", "paused_since", "due_at",
                 "stopped_at", "reminded", "escalated_at", "next_alert_at", "extended", "paused"]  # fmt: skip


def _reset_sequence(connection, model) -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def plans(count: int, teams, enterprise_ids, districts, seed: int = 17) -> int:
    """Projects with approval plans of ten items each, ``count`` items in all, started over five years."""
    import numpy as np
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from zhaoshang.core.choices import ClockUnit
    from zhaoshang.core.models import Clock
    from zhaoshang.projects.models import Project
    from zhaoshang.services.choices import ApprovalStage, ItemState, ProjectKind
    from zhaoshang.services.models import ApprovalItem, ApprovalPlan, PlanItem

    rng = np.random.default_rng(seed)
    dt = connection.ops.adapt_datetimefield_value
    stages = list(ApprovalStage.values)
    catalogue = []
    for i in range(CATALOGUE):
        promised = int(5 + (i * 7) % 16)
        item, _ = ApprovalItem.objects.get_or_create(
            code=f"{PREFIX}{i:02d}",
            defaults={"name": f"审批事项{i}", "name_en": f"Approval item {i}", "department": teams[i % len(teams)],
                      "stage": stages[min(i // 6, 3)], "statutory_days": promised + 10, "promised_days": promised},
        )  # fmt: skip
        catalogue.append(item)
    n_plans = max(count // ITEMS_PER_PLAN, 1)
    centre = teams[0]
    with transaction.atomic():
        Project.objects.bulk_create(
            [Project(code=f"{PREFIX}{i:06d}", name=f"审批项目{i}", owner_team=centre,
                     enterprise_id=enterprise_ids[i % len(enterprise_ids)], district_id=districts[i % len(districts)])
             for i in range(n_plans)],
            batch_size=5000,
        )  # fmt: skip
    project_ids = list(Project.objects.filter(code__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))
    end = now()
    end_day = _local_date(end)
    starts = np.sort(rng.integers(0, 5 * 365, size=n_plans))[::-1]
    with transaction.atomic():
        ApprovalPlan.objects.bulk_create(
            [ApprovalPlan(project_id=project_ids[i], project_kind=ProjectKind.SOCIAL, cap_days=55,
                          started_on=end_day - timedelta(days=int(starts[i]))) for i in range(n_plans)],
            batch_size=5000,
        )  # fmt: skip
    plan_rows = list(
        ApprovalPlan.objects.filter(project__code__startswith=PREFIX).order_by("pk").values_list("pk", "started_on")
    )
    first_id = (PlanItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    clocks_of = Clocks()
    i_type = ContentType.objects.get_for_model(PlanItem).pk
    item_rows, clock_rows = [], []
    from django.utils import timezone

    from zhaoshang.core import workdays

    for n, (plan_pk, started_on) in enumerate(plan_rows):
        chosen = rng.choice(CATALOGUE, size=ITEMS_PER_PLAN, replace=False)
        for k, ix in enumerate(sorted(int(x) for x in chosen)):
            pk = first_id + n * ITEMS_PER_PLAN + k
            item = catalogue[ix]
            offset = int(rng.integers(0, 30))
            planned_start = workdays.add_working_days(started_on, offset)
            planned_end = workdays.add_working_days(planned_start, item.promised_days)
            accepted = timezone.make_aware(datetime.combine(planned_start, datetime.min.time())) + timedelta(
                days=float(rng.gamma(2.0, 1.0)), hours=9
            )
            decided = clocks_of.working_days(accepted, item.promised_days) - timedelta(
                days=float(rng.gamma(2.0, 1.5)) - (2.0 if rng.random() < 0.1 else 0.0), hours=12
            )
            paused_since = None
            if accepted > end:
                state, accepted_at, decided_at = ItemState.PLANNED, None, None
            elif decided > end:
                state, accepted_at, decided_at = ItemState.REVIEW, accepted, None
                if rng.random() < 0.08:
                    state = ItemState.CORRECTION
                    paused_since = max(accepted, end - timedelta(days=float(rng.integers(1, 6))))
            else:
                state, accepted_at, decided_at = ItemState.GRANTED, accepted, decided
            item_rows.append((pk, end, end, 1, plan_pk, item.pk, item.department_id, item.stage, state,
                              item.promised_days, planned_start, planned_end, planned_start if accepted_at else None,
                              accepted_at, decided_at, False, False, ""))  # fmt: skip
            if accepted_at is None:
                continue
            if decided_at is not None:
                due = clocks_of.working_days(accepted_at, item.promised_days)
                reminded, escalated = _stopped(due, decided_at)
                clock_rows.append((i_type, pk, ITEM_PURPOSE, ClockUnit.WORKING_DAYS, item.promised_days, accepted_at,
                                   None, due, decided_at, reminded, escalated, None, 0, 0))  # fmt: skip
            else:
                reminded, escalated, due, next_at = _running(
                    ClockUnit.WORKING_DAYS, item.promised_days, accepted_at, paused_since
                )
                clock_rows.append((i_type, pk, ITEM_PURPOSE, ClockUnit.WORKING_DAYS, item.promised_days, accepted_at,
                                   paused_since, due, None, reminded, escalated, next_at, 0, 0))  # fmt: skip

    def adapt(rows, moments):
        for row in rows:
            yield tuple(dt(v) if j in moments and v is not None else v for j, v in enumerate(row))

    with transaction.atomic():
        insert(connection, PlanItem._meta.db_table,
               ["id", "created", "updated", "version", "plan_id", "item_id", "department_id", "stage", "state",
                "limit_days", "planned_start", "planned_end", "applied_on", "accepted_at", "decided_at", "with_gaps",
                "by_commitment", "note"], adapt(item_rows, {1, 2, 13, 14}))  # fmt: skip
        insert(connection, Clock._meta.db_table, CLOCK_COLUMNS, adapt(clock_rows, {5, 6, 7, 8, 10, 11}))
    _reset_sequence(connection, PlanItem)
    return len(item_rows)


def analyze() -> None:
    """The planner's statistics of the tables just filled (VACUUM ANALYZE on PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("services_enterpriserequest", "services_enterpriserequest_categories",
                          "services_requestevent", "core_clock", "services_planitem", "services_approvalplan",
                          "projects_project", "industry_enterprise"):  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def generate(n_requests: int, n_items: int) -> dict:
    """The world of the benchmark (made once per database); returns its departments and categories."""
    from django.conf import settings
    from django.db import connection

    from zhaoshang.geo.models import Region
    from zhaoshang.services.models import EnterpriseRequest, PlanItem

    city_and_teams(PREFIX, 1)
    calendar_years()
    teams = departments()
    cats = categories(teams)
    have_requests = EnterpriseRequest.objects.filter(number__startswith=PREFIX).count()
    have_items = PlanItem.objects.filter(plan__project__code__startswith=PREFIX).count()
    made = False
    if have_requests != n_requests or have_items != n_items:
        if have_requests or have_items:
            sys.exit(
                f"this database holds {have_requests:,} bench requests and {have_items:,} items, not "
                f"{n_requests:,} and {n_items:,}: drop it (or choose another BENCH_DATABASE_URL) first"
            )
        enterprise_ids = _enterprises()
        districts = list(
            Region.objects.filter(parent__adcode=settings.ZHAOSHANG_CITY_ADCODE).order_by("adcode")
            .values_list("pk", flat=True)
        )  # fmt: skip
        start = time.perf_counter()
        print(f"generating {n_requests:,} requests and {n_items:,} approval items …", flush=True)
        requests(n_requests, teams, cats, enterprise_ids, districts)
        middle = time.perf_counter()
        print(f"  {n_requests:,} requests with categories, events and clocks in {middle - start:.1f} s", flush=True)
        plans(n_items, teams, enterprise_ids, districts)
        print(f"  {n_items:,} plan items with clocks in {time.perf_counter() - middle:.1f} s", flush=True)
        analyze()
        print(f"generated in {time.perf_counter() - start:.1f} s (analysed)", flush=True)
        made = True
    del connection
    return {"teams": teams, "categories": cats, "made": made}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    label = setup_django(suffix="_services")
    print(f"database: {label}")
    generate(args.requests, args.items)


if __name__ == "__main__":
    main()
