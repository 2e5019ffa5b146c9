"""Services after landing at five years' scale: the overdue scan, a department's open queues, the service figures.

Data (``services_data``): ``--requests`` enterprise requests (default 1,000,000) with their categories, events and
three clocks each, and ``--items`` approval plan items (default 100,000) with theirs, over the five years before
``services_data.NOW_LOCAL``, in a database of their own (``var/bench/bench_services.sqlite3``, or the
``BENCH_DATABASE_URL`` database's name with ``_services``), generated once with bulk inserts.

Targets: the overdue scan (``core.clocks.scan(now)``: the reminders and escalations that have come) ≤ 10 s; a
department's open queue (25 rows, filtered) ≤ 150 ms with a constant number of queries; the service figures of a
year ≤ 500 ms. Each is printed with a floor measured in the same run and checked first to give the same answer: for
the scan, one SELECT of the clocks due, the same arithmetic of the calendar in plain Python, one executemany UPDATE
and the models' notifications and e-mail deliveries (the recipients read in three queries, two executemany INSERTs):
the same clocks fired, to the same state, and the same notifications and deliveries written, in the same order; for
the queues, one hand-written SQL query of the 25 rows with every column the table shows, one of their clocks and one
count (the same rows in the same order, every cell's text, the count); for the figures, hand-written GROUP BY
queries, the keys' names, the order, the total and the links (the whole answer). Every run of the scan and of its
floor is rolled back, so that each meets the same clocks, after a VACUUM ANALYZE. Medians of ``--repeat`` runs with
their spread, warm and cold (first calls, each on a new connection).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from datetime import time as day_time
from html import unescape
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


NOTIFICATION = "SELECT recipient_id, message, url, read_at FROM core_notification WHERE id > %s ORDER BY id"
DELIVERY = (
    "SELECT channel, address, subject, body, url, status, attempts, last_error, sent_at FROM core_delivery "
    "WHERE id > %s ORDER BY id"
)


def _last_ids() -> tuple[int, int]:
    """The last keys of the notifications and deliveries: what a run writes comes after them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM core_notification), "
            "(SELECT COALESCE(MAX(id), 0) FROM core_delivery)"
        )
        return tuple(cursor.fetchone())


def _written(since: tuple[int, int]) -> dict:
    """The notifications and deliveries written after ``since``, in the order written: every column but the key and
    the moments of writing (``created``, a delivery's ``next_attempt_at``)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(NOTIFICATION, [since[0]])
        notifications = [list(row) for row in cursor.fetchall()]
        cursor.execute(DELIVERY, [since[1]])
        deliveries = [list(row) for row in cursor.fetchall()]
    return {"notifications": notifications, "deliveries": deliveries}


def app_scan(at) -> tuple[dict, list]:
    """``core.clocks.scan(at)`` in a transaction rolled back: (its counts, the state it left on the clocks due)."""
    from django.db import connection, transaction

    from zhaoshang.core import clocks

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(DUE.format(columns="id"), [connection.ops.adapt_datetimefield_value(at)])
            ids = [row[0] for row in cursor.fetchall()]
        since = _last_ids()
        counts = clocks.scan(at)
        state = _state_of(ids)
        state = (state, _written(since))
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


def floor_scan(at, write: bool = True, check: bool = False) -> tuple[dict, list]:
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
                DUE.format(
                    columns='id, unit, "limit", extended, paused, started_at, due_at, reminded, escalated_at, '
                    "subject_type_id, subject_id, purpose"
                ),
                [connection.ops.adapt_datetimefield_value(at)],
            )
            rows = cursor.fetchall()
            since = _last_ids() if check else None
            alerts = []  # (clock's place, subject type, subject, purpose, kind, share)
            for place, (pk, unit, limit, extended, paused, started, due, reminded, escalated, *subject) in enumerate(
                rows
            ):
                total = limit + extended
                started, due, escalated = aware(started), aware(due), aware(escalated)

                def moment(share, unit=unit, started=started, total=total, paused=paused, due=due):
                    return due if share >= 100 else add(unit, started, math.ceil(total * share / 100) + paused)

                if due is not None and at > due and escalated is None:
                    escalated, reminded = at, top
                    counts["escalation"] += 1
                    alerts.append((place, *subject, "escalation", 100))
                else:
                    reached = [s for s in shares if s > reminded and moment(s) <= at]
                    if reached:
                        reminded = reached[-1]
                        counts["reminder"] += 1
                        alerts.append((place, *subject, "reminder", reminded))
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
                floor_alerts(cursor, alerts, at)
            if check:
                new = (new, _written(since))
        transaction.set_rollback(True)
    return counts, new


def floor_alerts(cursor, alerts: list, at) -> None:
    """The models' ``clock_alerts`` by hand: the requests' (open ones only: the officer, or the department's writers
    while unsigned, of a reminder; the supervisor and the department's team leads of an escalation, each once) and the
    plan items' (the department's writers of a reminder; its team leads and the plan's lead officer of an escalation,
    by key), in the scan's batches of 2,000 clocks and each batch by type in the order met; one notification for each
    active recipient and its e-mail delivery when the recipient has an address — two executemany INSERTs. The
    messages' words and the e-mails' subject and body are the app's functions of the values (``gettext`` of the same
    messages, ``subject_of``, ``_email_body``, ``absolute_url``)."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone, translation
    from django.utils.translation import gettext

    from zhaoshang.accounts.choices import WRITE_ROLES, Role
    from zhaoshang.core.notifications import _email_body, absolute_url, subject_of
    from zhaoshang.services.choices import REQUEST_OPEN
    from zhaoshang.services.models import EnterpriseRequest, PlanItem
    from zhaoshang.services.services.requests import _clock_label

    if not alerts:
        return
    r_type = ContentType.objects.get_for_model(EnterpriseRequest).pk
    i_type = ContentType.objects.get_for_model(PlanItem).pk

    def marks(values):
        return ", ".join(["%s"] * len(values))

    r_ids = sorted({int(a[2]) for a in alerts if a[1] == r_type})
    i_ids = sorted({int(a[2]) for a in alerts if a[1] == i_type})
    requests, items = {}, {}
    if r_ids:
        cursor.execute(
            "SELECT id, number, state, department_id, officer_id, supervisor_id FROM services_enterpriserequest "
            f"WHERE id IN ({marks(r_ids)})",
            r_ids,
        )
        requests = {row[0]: row[1:] for row in cursor.fetchall()}
    if i_ids:
        cursor.execute(
            "SELECT i.id, i.department_id, a.name, p.name, l.lead_officer_id FROM services_planitem i "
            "JOIN services_approvalitem a ON a.id = i.item_id JOIN services_approvalplan l ON l.id = i.plan_id "
            f"JOIN projects_project p ON p.id = l.project_id WHERE i.id IN ({marks(i_ids)})",
            i_ids,
        )
        items = {row[0]: row[1:] for row in cursor.fetchall()}
    teams = sorted({r[2] for r in requests.values() if r[2]} | {i[0] for i in items.values() if i[0]})
    members: dict = {team: [] for team in teams}  # team -> [(role, user id)] by username
    users: dict = {}  # user id -> (active, e-mail address)
    if teams:
        cursor.execute(
            "SELECT m.team_id, m.role, u.id, u.is_active, u.email FROM accounts_membership m "
            f"JOIN accounts_user u ON u.id = m.user_id WHERE m.team_id IN ({marks(teams)}) ORDER BY u.username",
            teams,
        )
        for team, role, user, active, email in cursor.fetchall():
            members[team].append((role, user))
            users[user] = (active, email)
    others = sorted(
        ({u for r in requests.values() for u in r[3:] if u is not None} | {i[3] for i in items.values() if i[3]})
        - set(users)
    )
    if others:
        cursor.execute(f"SELECT id, is_active, email FROM accounts_user WHERE id IN ({marks(others)})", others)
        users.update({pk: (active, email) for pk, active, email in cursor.fetchall()})

    def writers(team, roles=WRITE_ROLES):
        return list(dict.fromkeys(u for role, u in members.get(team, ()) if role in roles and users[u][0]))

    request_url = reverse("services:request-detail", args=[0]).rsplit("0", 1)  # the key between the two parts
    item_url = reverse("services:plan-item", args=[0]).rsplit("0", 1)
    send_email = settings.ZHAOSHANG_NOTIFY_EMAIL
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    notifications, deliveries = [], []

    def notify(user, message, url):
        active, email = users.get(user, (False, ""))
        if not active:
            return
        notifications.append((user, message[:500], url, now))
        address = (email or "").strip()
        if address and send_email:
            link = absolute_url(url)
            deliveries.append((address, subject_of(message), _email_body(message, link), link[:300], now, now))

    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, alerts[-1][0] + 1, 2000):  # the scan's batches
            batch = [a for a in alerts if start <= a[0] < start + 2000]
            for kind_type in dict.fromkeys(a[1] for a in batch):
                for _place, subject_type, subject, purpose, kind, share in (a for a in batch if a[1] == kind_type):
                    subject = int(subject)
                    if subject_type == r_type and subject in requests:
                        number, state, department, officer, supervisor = requests[subject]
                        if state not in REQUEST_OPEN:
                            continue
                        values = {"number": number, "clock": _clock_label(purpose), "share": share}
                        if kind == "escalation":
                            message = gettext("Request %(number)s is overdue (%(clock)s).") % values
                            found = [supervisor, *writers(department, (Role.TEAM_LEAD,))]
                        else:
                            message = (
                                gettext("Request %(number)s: %(share)s%% of the time to %(clock)s is used.") % values
                            )
                            found = [officer] if officer else writers(department)
                        for user in dict.fromkeys(u for u in found if u is not None):
                            notify(user, message, f"{request_url[0]}{subject}{request_url[1]}")
                    elif subject_type == i_type and subject in items:
                        department, item_name, project, lead = items[subject]
                        names = {"project": project, "item": item_name, "share": share}
                        if kind == "escalation":
                            message = gettext("Overdue: %(item)s of %(project)s has passed its time limit.") % names
                            found = {u for role, u in members.get(department, ()) if role == Role.TEAM_LEAD}
                            if lead is not None:
                                found.add(lead)
                        else:
                            message = (
                                gettext("Reminder: %(share)s%% of the time of %(item)s of %(project)s has passed.")
                                % names
                            )
                            found = {u for role, u in members.get(department, ()) if role in WRITE_ROLES}
                        for user in sorted(found):
                            notify(user, message, f"{item_url[0]}{subject}{item_url[1]}")
    cursor.executemany(
        "INSERT INTO core_notification (recipient_id, message, url, created, read_at) VALUES (%s, %s, %s, %s, NULL)",
        notifications,
    )
    if deliveries:
        cursor.executemany(
            "INSERT INTO core_delivery (channel, address, subject, body, url, status, attempts, next_attempt_at, "
            "last_error, created, sent_at) VALUES ('email', %s, %s, %s, %s, 'pending', 0, %s, '', %s, NULL)",
            deliveries,
        )


def _units_named() -> None:
    """The floor names the units by their stored values: check them against ``ClockUnit``."""
    from zhaoshang.core.choices import ClockUnit

    assert (ClockUnit.WORKING_DAYS, ClockUnit.WORKING_MINUTES, ClockUnit.MINUTES) == ("wdays", "wminutes", "minutes"), (
        "ClockUnit's values changed: update floor_scan"
    )


def _scan_recipients() -> None:
    """Whom the alerts tell, made once: in each department of the benchmark an officer and a team lead with e-mail
    addresses (so that the scan writes notifications and e-mail deliveries) and an inactive officer (told nothing)."""
    from zhaoshang.accounts.choices import Role, TeamKind
    from zhaoshang.accounts.models import Membership, Team, User

    for team in Team.objects.filter(name__startswith=PREFIX, kind=TeamKind.DEPARTMENT):
        for suffix, role, active in (("officer", Role.OFFICER, True), ("lead", Role.TEAM_LEAD, True),
                                     ("gone", Role.OFFICER, False)):  # fmt: skip
            username = f"bench-services-{team.pk}-{suffix}"
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@bench.example", "is_active": active}
            )
            Membership.objects.get_or_create(user=user, team=team, role=role)


def bench_scan(repeat: int) -> None:
    from django.db import connection

    _units_named()
    _scan_recipients()
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
    floor_counts, floor_state = floor_scan(at, check=True)
    same("overdue scan: the clocks' new state", _moments(app_state[0]), _moments(floor_state[0]))
    same("overdue scan: the notifications and deliveries written", app_state[1], floor_state[1])
    same("overdue scan: the counts", {str(k): v for k, v in app_counts.items()}, floor_counts)
    written = app_state[1]
    print(
        f"scan(now) fires {app_counts.get('reminder', 0):,} reminders and {app_counts.get('escalation', 0):,} "
        f"escalations: {len(written['notifications']):,} notifications, {len(written['deliveries']):,} e-mails"
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
ROW = {
    "services:request-queue": re.compile(r'<tr data-testid="request-row">(.*?)</tr>', re.S),
    "services:item-queue": re.compile(r'<tr data-testid="queue-row">(.*?)</tr>', re.S),
}
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
BADGE = re.compile(r'<span class="badge[^"]*">[^<]*</span>')
CLOCK = re.compile(r'<span class="clock clock-(\w+)">')
TAG = re.compile(r"<[^>]+>")
FOOTER = re.compile(r'<p class="m-0 text-secondary">(.*?)</p>', re.S)
CAPTION = re.compile(r'<caption class="px-3">(.*?)</caption>', re.S)


def words(text: str) -> str:
    """Text as the reader sees it: words separated by single spaces."""
    return " ".join(text.split())


def cell_text(html: str) -> str:
    """A cell's text as the reader sees it (tags dropped, entities read, spaces collapsed), each clock's badge (its
    time left or over in words, which moves with the moment the page is made) replaced by its state: ``[overdue]``."""
    html = CLOCK.sub(lambda m: f" [{m.group(1)}] ", BADGE.sub("", html))
    return words(unescape(TAG.sub(" ", html)))


def page_answer(name: str, html: str) -> dict:
    """What the page shows of the queue: each row's record (its link) and cells' text, the count in the caption
    (items) and the pages' line of the footer ("Page 1 of N", when there are several)."""
    rows = []
    for row in ROW[name].findall(html):
        match = LINK[name].search(row)
        rows.append([int(match.group(1) or match.group(2)), *(cell_text(c) for c in CELL.findall(row))])
    footer = FOOTER.search(html)
    caption = CAPTION.search(html)
    return {
        "rows": rows,
        "caption": words(unescape(caption.group(1))) if caption else None,
        "pages": words(unescape(footer.group(1))) if footer else None,
    }


def _shown(name: str, name_en: str | None, english: bool) -> str:
    """``display_name``: the English name on English pages when there is one."""
    return name_en if english and name_en else name


def _aware(moment):
    """A moment from the cursor, aware (SQLite's gives UTC without its zone; PostgreSQL's an aware one)."""
    from django.utils.dateparse import parse_datetime

    if isinstance(moment, str):
        moment = parse_datetime(moment)
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _clock_text(unit, started, due, stopped, paused, now) -> str:
    """A clock's cell as ``cell_text`` reads the page's: its state (``core.clocks.status``'s rules), its due moment and
    the note of the years the official calendar does not hold."""
    from django.utils import timezone
    from django.utils.translation import gettext

    from zhaoshang.core import workdays

    started, due, stopped, paused = (_aware(m) for m in (started, due, stopped, paused))
    if stopped is not None:
        state = "late" if due is not None and stopped > due else "on_time"
    elif paused is not None:
        state = "paused"
    elif due is not None and now > due:
        state = "overdue"
    else:
        state = "running"
    text = f"[{state}]"
    if due is not None:
        text += f" {gettext('due')} {timezone.localtime(due):%Y-%m-%d %H:%M}"
    days = [timezone.localtime(started).date()] + ([timezone.localtime(due).date()] if due is not None else [])
    unloaded = () if unit == "minutes" else workdays.unloaded_years(*days)
    if unloaded:
        note = gettext("the official calendar of %(years)s is not loaded: counted Monday to Friday")
        text += f" ({note % {'years': ', '.join(str(y) for y in unloaded)}})"
    return words(text)


def _pages(count: int) -> str | None:
    """The footer's pages line of the first page, when there are several pages of 25."""
    from django.utils.translation import gettext

    total = max(1, -(-count // 25))
    return gettext("Page %(number)s of %(total)s") % {"number": 1, "total": total} if total > 1 else None


CLOCK_COLUMNS = "subject_id, purpose, unit, started_at, due_at, stopped_at, paused_since"


def floor_request_queue(user_id: int, state: str | None, category: int | None, at, overdue: bool) -> dict:
    """The page's answer by hand (``page_answer``'s shape): one query of the open requests of the user's
    departments, filtered, by the nearest due moment of their running clocks (none last), then by when they came and
    by key, 25 rows with every column the table shows (number and title, level, enterprise, category, department and
    district, state, when received); one query of their clocks (by due moment), one count for the pages' line.
    Overdue: a running clock past due at ``at``; the clocks' states are told at ``at``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone
    from django.utils.translation import get_language, pgettext

    from zhaoshang.services.choices import REQUEST_OPEN, RequestLevel, RequestState
    from zhaoshang.services.models import EnterpriseRequest

    english = get_language() == "en"
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
    where = [
        f"r.department_id IN ({', '.join(['%s'] * len(departments))})",
        f"r.state IN ({', '.join(['%s'] * len(states))})",
    ]
    params: list = [*departments, *states]
    if category:
        where.append("r.category_id = %s")
        params.append(category)
    if overdue:
        where.append(f"{due} < %s")
        params += [r_type, connection.ops.adapt_datetimefield_value(at)]
    sql = (
        "SELECT id, number, title, level, e_name, e_name_en, k_name, k_name_en, d_name, d_name_en, g_name, g_name_en,"
        f" state, received_at FROM (SELECT r.*, {due} AS due, e.name AS e_name, e.name_en AS e_name_en,"
        " k.name AS k_name, k.name_en AS k_name_en, d.name AS d_name, d.name_en AS d_name_en, g.name AS g_name,"
        " g.name_en AS g_name_en FROM services_enterpriserequest r"
        " LEFT JOIN industry_enterprise e ON e.id = r.enterprise_id"
        " LEFT JOIN services_requestcategory k ON k.id = r.category_id"
        " LEFT JOIN accounts_team d ON d.id = r.department_id LEFT JOIN geo_region g ON g.id = r.district_id"
        f" WHERE {' AND '.join(where)}) q"
        " ORDER BY CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, received_at, id LIMIT 25"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [r_type, *params])
        found = cursor.fetchall()
        cursor.execute(f"SELECT COUNT(*) FROM services_enterpriserequest r WHERE {' AND '.join(where)}", params)
        count = cursor.fetchone()[0]
        clocks: dict = {row[0]: {} for row in found}
        if found:
            cursor.execute(
                f"SELECT {CLOCK_COLUMNS} FROM core_clock WHERE subject_type_id = %s"
                f" AND subject_id IN ({', '.join(['%s'] * len(found))}) ORDER BY due_at, id",
                [r_type, *clocks],
            )
            for subject, purpose, *clock in cursor.fetchall():
                clocks[int(subject)][purpose] = clock
    labels = {
        "contact": pgettext("request clock", "Contact"),
        "plan": pgettext("request clock", "Plan"),
    }
    close = pgettext("request clock", "Close")
    rows = []
    for (pk, number, title, level, e_name, e_name_en, k_name, k_name_en, d_name, d_name_en, g_name, g_name_en,
         state_value, received) in found:  # fmt: skip
        first = f"{number} {title}" + (f" ↑ {RequestLevel(level).label}" if level > 1 else "")
        place = _shown(d_name, d_name_en, english) + (f" {_shown(g_name, g_name_en, english)}" if g_name else "")
        shown_clocks = " ".join(
            f"{labels.get(purpose, close)}: {_clock_text(*clock, at)}" for purpose, clock in clocks[pk].items()
        )
        rows.append(
            [
                pk,
                words(first),
                words(_shown(e_name, e_name_en, english) if e_name is not None else ""),
                words(_shown(k_name, k_name_en, english) if k_name is not None else "None"),
                words(place),
                str(RequestState(state_value).label),
                f"{timezone.localtime(_aware(received)):%Y-%m-%d %H:%M}",
                words(shown_clocks),
            ]
        )
    return {"rows": rows, "caption": None, "pages": _pages(count)}


def floor_item_queue(user_id: int, at, overdue: bool) -> dict:
    """The page's answer by hand (``page_answer``'s shape): one query of the plan items not done of the user's
    departments by their clock's due moment (none last), then by planned end and key, 25 rows with every column the
    table shows (project, item, department, state, clock, planned end) and their clock; one count for the caption
    and the pages' line. Overdue: the clock past due at ``at``, or no clock and the planned end passed; the clocks'
    states are told at ``at``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone
    from django.utils.dateparse import parse_date
    from django.utils.translation import get_language, gettext, ngettext

    from zhaoshang.accounts.choices import TeamKind
    from zhaoshang.services.choices import ITEM_DONE, ItemState
    from zhaoshang.services.models import PlanItem

    english = get_language() == "en"
    i_type = ContentType.objects.get_for_model(PlanItem).pk
    done = list(ITEM_DONE)
    where = f"i.state NOT IN ({', '.join(['%s'] * len(done))})"
    params: list = [i_type, user_id, TeamKind.DEPARTMENT, *done]
    if overdue:
        where += " AND (c.due_at < %s OR (c.due_at IS NULL AND i.planned_end < %s))"
        params += [connection.ops.adapt_datetimefield_value(at), timezone.localtime(at).date()]
    source = (
        "FROM services_planitem i LEFT JOIN core_clock c ON c.subject_type_id = %s "
        f"AND c.subject_id = i.id AND c.purpose = '{ITEM_PURPOSE}' "
        "JOIN services_approvalplan l ON l.id = i.plan_id JOIN projects_project p ON p.id = l.project_id "
        "JOIN services_approvalitem a ON a.id = i.item_id LEFT JOIN accounts_team d ON d.id = i.department_id "
        "WHERE i.department_id IN (SELECT m.team_id FROM accounts_membership m JOIN accounts_team t "
        f"ON t.id = m.team_id WHERE m.user_id = %s AND t.kind = %s) AND {where}"
    )
    sql = (
        "SELECT i.id, p.name, a.name, a.name_en, d.name, d.name_en, i.state, i.planned_end, c.id, "
        f"c.unit, c.started_at, c.due_at, c.stopped_at, c.paused_since {source} "
        "ORDER BY CASE WHEN c.due_at IS NULL THEN 1 ELSE 0 END, c.due_at, i.planned_end, i.id LIMIT 25"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
        cursor.execute(f"SELECT COUNT(*) {source}", params)
        count = cursor.fetchone()[0]
    rows = []
    for pk, project, a_name, a_name_en, d_name, d_name_en, state, planned_end, clock_id, *clock in found:
        if isinstance(planned_end, str):
            planned_end = parse_date(planned_end)
        rows.append(
            [
                pk,
                words(project),
                words(_shown(a_name, a_name_en, english)),
                words(_shown(d_name, d_name_en, english) if d_name is not None else "None"),
                str(ItemState(state).label),
                _clock_text(*clock, at) if clock_id is not None else gettext("not accepted yet"),
                f"{planned_end:%Y-%m-%d}" if planned_end else "",
            ]
        )
    caption = ngettext("%(n)s item, sorted by due date", "%(n)s items, sorted by due date", count) % {"n": count}
    return {"rows": rows, "caption": caption, "pages": _pages(count)}


def bench_queue(name: str, label: str, queries: tuple[dict, dict], floor, repeat: int) -> None:
    """The page ``name`` as a department member sees it, filtered (``queries``: the timed one, another one for the
    constant number of queries: the same filters with other values, or the next page), against ``floor(**query)``:
    the same rows in the same order with the same cells' text, the same count; then the overdue filter alone, against
    the floor's. Each check tells the clocks' states at the moment just after the page was made (``at``)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

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
        return len(captured), page_answer(name, body.decode())

    page(query[0])  # the process's first request reads the content types, the calendar and the grants once
    first, shown = page(query[0])
    at = timezone.now()
    second, _ = page(other[0])
    answer = floor(user.pk, **{**query[1], "at": at})
    same(f"{label}: rows in order, every cell, the count", shown, answer)
    cells = len(shown["rows"][0]) - 1 if shown["rows"] else 0
    print(f"  {len(shown['rows'])} rows of {cells} cells compared; {shown['caption'] or ''} {shown['pages'] or ''}")
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
    _, shown = page(overdue)
    floor_query["at"] = timezone.now()
    same(f"{label}, overdue only: rows in order, every cell, the count", shown, floor(user.pk, **floor_query))
    app = timed(lambda: client.get(url, overdue), repeat)
    base = timed(lambda: floor(user.pk, **floor_query), repeat)
    report("  overdue only, warm", app, base, 150)


def bench_queues(repeat: int) -> None:
    from django.utils import timezone, translation

    from zhaoshang.services.models import RequestCategory

    with translation.override("zh-hans"):  # the pages' language: the browser's headers ask for zh-CN
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
