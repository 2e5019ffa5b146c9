"""Shared set-up of the benchmarks: a database of their own, timing with medians and ratios."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(suffix: str = "") -> str:
    """Point Django at the benchmark database and migrate it; returns a label of the database. A benchmark whose
    figures count every record of a table has a database of its own: ``suffix`` is added to its name."""
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        url += suffix
    else:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{ROOT / 'var' / 'bench' / f'bench{suffix}.sqlite3'}"
    if url.startswith("postgres"):
        _create_pg_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DEBUG", "false")  # as in production: no SQL logged for each query
    import django

    django.setup()
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


def measure(fn, repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of ``fn()`` in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report(name: str, ms: float, baseline_ms: float, target_ms: float | None = None, extra: str = "") -> None:
    ratio = ms / baseline_ms if baseline_ms > 0 else float("inf")
    target = f"  target ≤ {target_ms:g} ms: {'met' if ms <= target_ms else 'NOT met'}" if target_ms else ""
    print(f"{name:<44} {ms:9.2f} ms   baseline {baseline_ms:8.2f} ms   ratio {ratio:6.2f}{target}{extra}")


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
