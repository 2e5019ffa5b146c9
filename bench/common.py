"""Shared set-up of the benchmarks: a database of their own, production settings, timing with medians and spreads,
the check that the app and its floor give the same answer, and the first request of a fresh process.

Every figure is the median of several runs with its spread (fastest–slowest) beside it; every ratio divides the app's
median by the median of a floor that produces the same answer (checked with ``same`` before either is timed)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Requests as browsers send them: compressed answers accepted, Chinese first.
BROWSER_HEADERS = {"HTTP_ACCEPT_ENCODING": "gzip, deflate", "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.8"}


def database_url(suffix: str = "") -> str:
    """The benchmark database: BENCH_DATABASE_URL (plus ``suffix``), else a SQLite file under var/bench/."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url + suffix
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{ROOT / 'var' / 'bench' / f'bench{suffix}.sqlite3'}"


def setup_django(suffix: str = "") -> str:
    """Point Django at the benchmark database and migrate it; returns a label of the database. A benchmark whose
    figures count every record of a table has a database of its own: ``suffix`` is added to its name.
    ``DEBUG`` is off whatever the shell says, as in production (no SQL kept for each query)."""
    sys.path.insert(0, str(ROOT))
    url = database_url(suffix)
    if url.startswith("postgres"):
        _create_pg_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.conf import settings

    assert not settings.DEBUG, "the benchmarks run with DEBUG off"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return f"{connection.vendor} ({url.split('@')[-1]})"


def _create_pg_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def vacuum_analyze(*tables: str) -> None:
    """Fresh statistics (and on PostgreSQL no dead rows and a set visibility map) before a scenario: VACUUM ANALYZE
    the tables on PostgreSQL (every table when none is named), ANALYZE on SQLite. Call it after bulk loads and between
    scenarios that write."""
    from django.db import connection, transaction

    assert not transaction.get_connection().in_atomic_block, "VACUUM runs outside a transaction"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if tables:
                for table in tables:
                    cursor.execute(f'VACUUM ANALYZE "{table}"')
            else:
                cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


@dataclass(frozen=True)
class Timing:
    """Milliseconds of several runs: the median and the spread."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def low(self) -> float:
        return min(self.runs)

    @property
    def high(self) -> float:
        return max(self.runs)

    def __float__(self) -> float:
        return self.median

    def __str__(self) -> str:
        return f"{self.median:9.2f} ms ({self.low:.2f}–{self.high:.2f}, {len(self.runs)} runs)"


def timed(fn, repeat: int = 15, warmup: int = 2, before=None) -> Timing:
    """``fn()`` run ``warmup`` times untimed, then ``repeat`` times timed; ``before()`` (untimed) precedes every run,
    e.g. to empty a cache for a cold figure or to roll back a write."""
    for _ in range(warmup):
        if before:
            before()
        fn()
    runs = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return Timing(tuple(runs))


def measure(fn, repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of ``fn()`` in milliseconds (``timed`` gives the spread too)."""
    return timed(fn, repeat, warmup).median


def same(name: str, app, floor) -> None:
    """Stop the benchmark unless the app and its floor gave the same answer (rows, JSON text, document content):
    a ratio to a floor that answers something else means nothing."""
    if app != floor:
        print(f"{name}: the app and its floor answer differently", file=sys.stderr)
        for label, value in (("app", app), ("floor", floor)):
            text = value if isinstance(value, str | bytes) else repr(value)
            print(f"  {label}: {text[:600]!r}", file=sys.stderr)
        raise SystemExit(1)
    size = len(app) if hasattr(app, "__len__") else 1
    print(f"{'  same answer: ' + name:<44} yes ({size:,} {'bytes' if isinstance(app, str | bytes) else 'items'})")


def report(name: str, ms, baseline_ms, target_ms: float | None = None, extra: str = "") -> None:
    """One line: the app's median (and spread), the floor's, their ratio and the target."""
    app, floor = float(ms), float(baseline_ms)
    ratio = app / floor if floor > 0 else float("inf")
    target = f"  target ≤ {target_ms:g} ms: {'met' if app <= target_ms else 'NOT met'}" if target_ms else ""
    spread = f" ({ms.low:.1f}–{ms.high:.1f})" if isinstance(ms, Timing) else ""
    floor_spread = f" ({baseline_ms.low:.1f}–{baseline_ms.high:.1f})" if isinstance(baseline_ms, Timing) else ""
    print(f"{name:<44} {app:9.2f} ms{spread}   floor {floor:8.2f} ms{floor_spread}   ratio {ratio:6.2f}{target}{extra}")


def machine_load() -> str:
    """The machine's load averages and CPU count, for the figures' context."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


FIRST_REQUEST = r"""
import json, os, sys, time
start = time.perf_counter()
sys.path.insert(0, {bench!r})
from common import BROWSER_HEADERS
os.environ["DATABASE_URL"] = {url!r}
import django
django.setup()
ready = time.perf_counter()
from django.test import Client
client = Client(**BROWSER_HEADERS)
{login}
times = []
for _ in range(2):
    t = time.perf_counter()
    response = client.get({path!r})
    times.append((time.perf_counter() - t) * 1000)
    assert response.status_code == 200, response.status_code
print(json.dumps({{"setup": (ready - start) * 1000, "first": times[0], "second": times[1]}}))
"""


def first_request(path: str, suffix: str = "", username: str | None = None, repeat: int = 5) -> tuple[Timing, Timing]:
    """The cold path: a fresh Python process sets Django up and asks for ``path`` twice (as ``username`` when given).
    Returns the timings of the first request of the process and of the second, over ``repeat`` processes."""
    login = (
        "from django.contrib.auth import get_user_model\n"
        f"client.force_login(get_user_model().objects.get(username={username!r}))"
        if username
        else ""
    )
    code = FIRST_REQUEST.format(bench=str(ROOT / "bench"), url=database_url(suffix), login=login, path=path)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhaoshang.settings", "DEBUG": "false"}
    env.setdefault("LOG_LEVEL", "WARNING")
    firsts, seconds = [], []
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr[-2000:]
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        firsts.append(figures["first"])
        seconds.append(figures["second"])
    return Timing(tuple(firsts)), Timing(tuple(seconds))


def city_and_teams(prefix: str, count: int, members: tuple = ()) -> list:
    """The city's districts loaded, ``count`` teams named with ``prefix`` (the first the centre, the others outposts)
    and ``members``: (username, team index, role) — the set-up every generator starts from."""
    from django.conf import settings

    from zhaoshang.accounts.choices import TeamKind
    from zhaoshang.accounts.models import Membership, Team, User
    from zhaoshang.geo.services import load_regions

    load_regions(settings.ZHAOSHANG_CITY_ADCODE)
    teams = []
    for i in range(count):
        team, _ = Team.objects.get_or_create(
            name=f"{prefix}team-{i}",
            defaults={"kind": TeamKind.CENTRE if i == 0 else TeamKind.OUTPOST, "stationed_city": "北京"},
        )
        teams.append(team)
    for username, index, role in members:
        user, _ = User.objects.get_or_create(username=username)
        Membership.objects.get_or_create(user=user, team=teams[index], defaults={"role": role})
    return teams
