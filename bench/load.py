"""The public site and an officer's page under load, served as deployed: gunicorn in production mode.

Configurations: the embedded SQLite database with the file cache (the default), or PostgreSQL with Redis
(``--database postgres://…``; the cache in ``--redis``, a Redis database of its own, emptied before the run).
Data: the demo city (``manage.py load_demo``, logins included) plus ``--sites`` generated sites and ``--parks`` parks
(``portal_map.generate``), built once per database and reused. The server is ``tests/server.py``'s ProductionServer:
collectstatic in production mode, gunicorn with ``--workers`` (default 4, as README's production command) and
every rate limit set very high, so that the benchmark is not throttled.

The load generator is a small asyncio HTTP/1.1 client on the loopback: ``--connections`` concurrent connections
(default 64; several: ``16,64``), each sending its next request as soon as the answer is read (keep-alive when
the server allows it, a new connection otherwise: gunicorn's sync workers close each one). Every request says
``Accept-Encoding: gzip``, ``Accept-Language: zh-CN`` and ``X-Forwarded-Proto: https``, as through the TLS proxy.
Each scenario runs for ``--seconds`` or ``--max-requests``, whichever ends first, and prints requests, req/s, the
latency percentiles (connection set-up included, as a browser meets it), errors (any answer but 200, any
connection error; the first few printed), bytes received, the client's own CPU share, and the machine's load.
The client's ceiling is measured first on a static file served by whitenoise.

Requests are drawn as visitors make them: sites by popularity (``site``: Zipf's law, the k-th most viewed site k
times less often than the first), viewports at the zooms people use, widened to the grid the map asks on
(``snapped``), needs as the matching form takes them; ``site-new`` asks every time a site nobody asked since the
last change of the listings (no kept copy: the slowest case, reported without a target).

Targets at 64 connections: map, site and viewport ≥ 300 req/s with p99 ≤ 250 ms; matching ≥ 50 req/s with
p99 ≤ 1 s; no errors anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import ROOT, city_and_teams, database_url, machine_load, setup_django
from portal_map import generate

from tests.server import ProductionServer, build_static

PASSWORD = "zhaoshang-demo-2026"  # the demo logins' (README)
OFFICER = "centre"
HIGH_RATE = "100000000/min"
GRACE = 10  # seconds a request sent before the scenario's end may take to be answered; later it is an error
RATES = {"RATE_PORTAL": HIGH_RATE, "RATE_MATCHING": HIGH_RATE, "RATE_INQUIRY": HIGH_RATE}
CITY = (112.0, 21.4, 113.3, 22.9)  # the map's first view: the whole city
ZOOMS = (("city", 0.15, None), ("district", 0.45, 0.2), ("street", 0.40, 0.04))  # (name, share, degrees across)
MIX = (("site", 0.40), ("viewport", 0.25), ("home", 0.075), ("map", 0.075), ("matching", 0.10), ("officer", 0.10))
TARGETS = {  # scenario: (req/s at least, p99 ms at most), at 64 connections
    "map": (300, 250),
    "home": (300, 250),
    "site": (300, 250),
    "viewport": (300, 250),
    "matching": (50, 1000),
}


# The client ---------------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


async def read_answer(reader: asyncio.StreamReader) -> Answer:
    """One HTTP/1.1 response from ``reader``: its status, headers (names in lower case), body (Content-Length,
    chunked, or up to the end of the connection) and whether the connection stays open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, status, *_ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                    pass
                break
            parts.append((await reader.readexactly(size + 2))[:-2])
        body = b"".join(parts)
        keep = True
    elif "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
        keep = True
    else:
        body = await reader.read()
        keep = False
    connection = headers.get("connection", "").lower()
    keep = keep and (connection == "keep-alive" if version == "HTTP/1.0" else connection != "close")
    return Answer(int(status), headers, body, keep)


def request_bytes(host: str, path: str, cookie: str | None = None) -> bytes:
    """A GET as a browser behind the TLS proxy sends it: gzip accepted, Chinese first, forwarded as https."""
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}",
        "Accept: text/html,application/json;q=0.9,*/*;q=0.8",
        "Accept-Encoding: gzip",
        "Accept-Language: zh-CN,zh;q=0.9,en;q=0.8",
        "X-Forwarded-Proto: https",
        "User-Agent: zhaoshang-bench-load",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # ms of the answered requests (200 or not)
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    received: int = 0  # bytes of the bodies, as sent (compressed when gzip)
    connections: int = 0
    done: int = 0  # requests sent and answered or failed
    ok: int = 0  # answered 200
    wall: float = 0.0
    cpu: float = 0.0

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.samples) < 5:
            self.samples.append(text)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def rate(self) -> float:
        """Answers 200 a second (errors do not count)."""
        return self.ok / self.wall if self.wall else 0.0


async def _connection(port: int, next_request, deadline: float, budget: list[int], outcome: Outcome) -> None:
    reader = writer = None
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        path, cookie = next_request()
        raw = request_bytes(f"127.0.0.1:{port}", path, cookie)
        start = time.perf_counter()
        for attempt in (1, 2):
            reused = writer is not None
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    outcome.connections += 1
                writer.write(raw)
                left = deadline + GRACE - time.monotonic()  # the scenario's time is bounded: late answers fail
                answer = await asyncio.wait_for(read_answer(reader), timeout=max(left, 0.1))
                break
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                if writer is not None:
                    writer.close()
                reader = writer = None
                closed_idle = isinstance(exc, asyncio.IncompleteReadError) and not exc.partial
                if reused and closed_idle and attempt == 1:
                    continue  # the server closed a kept-alive connection before this request: send it again
                answer = None
                outcome.error(f"{path}: {type(exc).__name__} {exc}")
                break
        outcome.done += 1
        if answer is None:
            continue
        outcome.latencies.append((time.perf_counter() - start) * 1000)
        outcome.received += len(answer.body)
        if answer.status == 200:
            outcome.ok += 1
        else:
            outcome.error(f"{path}: HTTP {answer.status} {answer.headers.get('location', '')}".strip())
        if not answer.keep_alive:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def run_load(port: int, next_request, connections: int, seconds: float, max_requests: int) -> Outcome:
    """``connections`` connections sending ``next_request()``'s (path, cookie) for ``seconds`` or ``max_requests``."""
    outcome = Outcome()

    async def main():
        deadline = time.monotonic() + seconds
        budget = [max_requests]
        await asyncio.gather(*(_connection(port, next_request, deadline, budget, outcome) for _ in range(connections)))

    wall, cpu = time.perf_counter(), time.process_time()
    asyncio.run(main())
    outcome.wall = time.perf_counter() - wall
    outcome.cpu = time.process_time() - cpu
    return outcome


# The data and the requests --------------------------------------------------------------------------------------------


def build_data(sites: int, parks: int, demo: bool) -> tuple[dict, str]:
    """The demo city (once) and the generated sites (once per count); what the requests draw from, and the
    officer who logs in: the demo's ``centre``, or without the demo an officer of the generated sites' centre."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from zhaoshang.accounts.choices import Role
    from zhaoshang.geo.models import Carrier, CarrierIndustry, Region

    officer = OFFICER
    if demo and not get_user_model().objects.filter(username=OFFICER).exists():
        print("loading the demo city …", flush=True)
        call_command("load_demo", verbosity=0)
    generate(sites, parks)
    if not demo:
        officer = "bench_load_officer"
        city_and_teams("BENCH-load-", 1, ((officer, 0, Role.OFFICER),))
        user = get_user_model().objects.get(username=officer)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    data = {
        "sites": list(Carrier.objects.restrict(None).values_list("pk", "lon", "lat")),
        "industries": sorted(set(CarrierIndustry.objects.values_list("code", flat=True))),
        "districts": list(
            Region.objects.filter(parent__adcode=settings.ZHAOSHANG_CITY_ADCODE).values_list("adcode", flat=True)
        ),
    }
    connections.close_all()  # the server's workers have the database to themselves
    return data, officer


def snapped(west: float, south: float, east: float, north: float) -> tuple[float, float, float, float]:
    """The box the map asks for a view (``portal/map.js``, ``bboxParam``): the view widened to a grid whose cells
    are a quarter to half its size, so that near views ask the same box."""
    span = max(east - west, north - south, 1e-4)
    cell = 2.0 ** math.floor(math.log2(span / 2))
    return (
        max(-180.0, math.floor(west / cell) * cell),
        max(-90.0, math.floor(south / cell) * cell),
        min(180.0, math.ceil(east / cell) * cell),
        min(90.0, math.ceil(north / cell) * cell),
    )


def bbox(rng: random.Random, sites: list) -> str:
    """A viewport at a zoom drawn as people use the map (the whole city, a district, a street around a site), asked
    as the map asks it (``snapped``)."""
    name = rng.choices([zoom[0] for zoom in ZOOMS], [zoom[1] for zoom in ZOOMS])[0]
    across = dict((zoom[0], zoom[2]) for zoom in ZOOMS)[name]
    if across is None:
        west, south, east, north = CITY
    else:
        _, lon, lat = rng.choice(sites)
        lon, lat = float(lon) + rng.uniform(-across / 4, across / 4), float(lat) + rng.uniform(-across / 4, across / 4)
        west, south, east, north = lon - across / 2, lat - across / 2 * 0.8, lon + across / 2, lat + across / 2 * 0.8
    return ",".join(f"{value:.5f}" for value in snapped(west, south, east, north))


def popular(rng: random.Random, sites: list, exponent: float = 1.0):
    """Draws of sites as a public portal's visitors make them: by popularity, the k-th most viewed site k^s times
    less often than the first (Zipf's law, s = ``exponent``), the order of popularity random."""
    order = [site[0] for site in sites]
    rng.shuffle(order)
    cumulative = list(itertools.accumulate(1 / rank**exponent for rank in range(1, len(order) + 1)))
    return lambda: rng.choices(order, cum_weights=cumulative)[0]


def each_once(rng: random.Random, sites: list):
    """Draws of sites never drawn before (then again from the start): every page is one nobody asked since the
    listings last changed, as after a change."""
    order = [site[0] for site in sites]
    rng.shuffle(order)
    endless = itertools.cycle(order)
    return lambda: next(endless)


def needs(rng: random.Random, industries: list, districts: list) -> dict:
    """What an investor fills in on the matching form: often an industry, a kind of site with a size, a budget,
    sometimes power, wastewater, a port or highway, a district."""
    query = {}
    if rng.random() < 0.6:
        query["industry"] = rng.choice(industries)
    kind = rng.choice(["", "parcel", "parcel", "factory", "office"])
    if kind:
        query["kind"] = kind
    if kind == "parcel" or (not kind and rng.random() < 0.3):
        query["area_min"], query["area_max"] = rng.choice([(10, 50), (30, 100), (50, 150), (100, 300)])
    elif kind:
        query["floor_min"], query["floor_max"] = rng.choice([(500, 3000), (2000, 10000), (5000, 30000)])
    if rng.random() < 0.6:
        query["budget"] = rng.choice([1000, 3000, 6000, 10000, 20000])
        if kind in ("factory", "office"):
            query["tenure"] = "buy" if rng.random() < 0.3 else "rent"
    if rng.random() < 0.4:
        query["power"] = rng.choice([500, 1000, 3000, 8000])
    if rng.random() < 0.2:
        query["wastewater"] = rng.choice([50, 200, 500])
    if rng.random() < 0.3:
        query["port_km"] = rng.choice([20, 50, 100])
    if rng.random() < 0.2:
        query["highway_km"] = rng.choice([5, 10, 20])
    if rng.random() < 0.3:
        query["districts"] = rng.sample(districts, k=rng.choice([1, 1, 2]))
    if not {"industry", "area_min", "floor_min", "budget", "power"} & set(query):
        query["budget"] = 6000
    return query


def scenarios(data: dict, officer_cookie: str, static_path: str, seed: int = 11) -> dict:
    """Each scenario: a function giving the next request's (path, cookie)."""
    rng = random.Random(seed)
    sites, industries, districts = data["sites"], data["industries"], data["districts"]
    most_viewed, never_asked = popular(rng, sites), each_once(random.Random(seed + 1), sites)
    one = {
        "static": lambda: (static_path, None),
        "home": lambda: ("/", None),
        "map": lambda: ("/map/", None),
        "site": lambda: (f"/sites/{most_viewed()}/", None),
        "site-new": lambda: (f"/sites/{never_asked()}/", None),
        "viewport": lambda: (f"/api/portal/sites/geojson/?bbox={bbox(rng, sites)}", None),
        "matching": lambda: ("/match/?" + urlencode(needs(rng, industries, districts), doseq=True), None),
        "officer": lambda: ("/work/projects/", officer_cookie),
    }
    names, weights = [name for name, _ in MIX], [weight for _, weight in MIX]
    one["mix"] = lambda: one[rng.choices(names, weights)[0]]()
    return one


# The run --------------------------------------------------------------------------------------------------------------


def line(name: str, connections: int, outcome: Outcome) -> str:
    client_cpu = outcome.cpu / outcome.wall * 100 if outcome.wall else 0
    return (
        f"{name:<10} {connections:>4} conn  {outcome.done:>7,} req  {outcome.rate:8.1f} req/s (200)  "
        f"p50 {outcome.percentile(0.5):7.1f}  p90 {outcome.percentile(0.9):7.1f}  "
        f"p99 {outcome.percentile(0.99):7.1f}  max {max(outcome.latencies, default=float('nan')):7.1f} ms  "
        f"errors {outcome.errors}  {outcome.received / 1e6:7.1f} MB  {outcome.connections:,} connections  "
        f"client CPU {client_cpu:3.0f}%"
    )


def verdict(name: str, outcome: Outcome) -> tuple[str, bool]:
    rate, p99 = TARGETS.get(name, (None, None))
    parts, met = ["0 errors"], outcome.errors == 0
    if rate is not None:
        parts = [f"≥ {rate} req/s", f"p99 ≤ {p99:g} ms", *parts]
        met = met and outcome.rate >= rate and outcome.percentile(0.99) <= p99
    return ", ".join(parts), met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="postgres://… (with Redis); default: the SQLite file under var/bench/")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="the cache with --database postgres")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (README's production command: 4)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn's: sync (as deployed) or gthread")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (with gthread)")
    parser.add_argument("--sites", type=int, default=20_000)
    parser.add_argument("--parks", type=int, default=200)
    parser.add_argument("--connections", default="64", help="concurrent connections; several: 16,64")
    parser.add_argument("--seconds", type=float, default=15, help="each scenario's duration")
    parser.add_argument("--max-requests", type=int, default=100_000, help="each scenario's maximum")
    parser.add_argument("--scenarios", default="home,map,site,site-new,viewport,matching,officer,mix")
    parser.add_argument(
        "--no-demo",
        action="store_true",
        help="without the demo city (its load takes minutes): the officer is one of the generated sites' centre",
    )
    parser.add_argument("--quick", action="store_true", help="3 s per scenario, no warm-up")
    args = parser.parse_args()
    seconds = 3 if args.quick else args.seconds
    counts = [int(count) for count in args.connections.split(",")]
    if args.database:
        os.environ["BENCH_DATABASE_URL"] = args.database
    suffix = "" if args.database else "_load"
    label = setup_django(suffix)
    url = database_url(suffix)
    data, officer = build_data(args.sites, args.parks, not args.no_demo)
    city = "without the demo city" if args.no_demo else "plus the demo city"
    print(f"database: {label}; {len(data['sites']):,} public sites of {args.sites:,} generated {city}")

    bench_var = ROOT / "var" / "bench"
    static_root = build_static(bench_var / "load-static")
    variables = dict(RATES)
    server_var = bench_var / ("load-server-pg" if url.startswith("postgres") else "load-server-sqlite")
    shutil.rmtree(server_var / "cache", ignore_errors=True)  # the file cache starts empty
    if url.startswith("postgres"):
        import redis

        redis.Redis.from_url(args.redis).flushdb()  # the cache starts empty
        variables["REDIS_URL"] = args.redis
    server = ProductionServer(
        server_var,
        url,
        static_root,
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
        **variables,
    )
    results = []
    try:
        server.start()
        print(
            f"gunicorn: {args.workers} workers, worker class {args.worker_class}, {args.threads} thread(s) each; "
            f"{os.cpu_count()} CPUs; cache: {'Redis ' + args.redis if 'REDIS_URL' in variables else 'files'}"
        )
        browser = server.client()
        login = browser.log_in(officer, PASSWORD)
        assert login.status == 302, f"login as {officer}: {login.status}"
        cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        page = browser.get("/map/")
        assert page.status == 200, page.status
        static_path = re.search(r'(?:href|src)="(/static/[^"]+\.css)"', page.text).group(1)
        requests = scenarios(data, cookie, static_path)
        for _ in range(20):  # the drawn needs are valid forms: the page ranks sites, it does not show errors
            path, _cookie = requests["matching"]()
            answer = browser.get(path)
            refused = "is-invalid" in answer.text or 'data-testid="form-errors"' in answer.text
            assert answer.status == 200 and not refused, f"matching form refused: {path}"
        if not args.quick:
            warm = run_load(server.port, requests["mix"], 8, 3, args.max_requests)
            print(f"warm-up (mix, 8 connections, 3 s): {warm.done:,} requests, {warm.errors} errors")
        for count in counts:
            ceiling = run_load(server.port, requests["static"], count, min(seconds, 5), args.max_requests)
            print(line("static", count, ceiling) + "   (the client's ceiling: a whitenoise file)")
            for sample in ceiling.samples:
                print(f"    error: {sample}")
            for name in args.scenarios.split(","):
                before = machine_load()
                outcome = run_load(server.port, requests[name], count, seconds, args.max_requests)
                print(line(name, count, outcome))
                print(f"    {before} before, {machine_load().split(' on ')[0]} after")
                for sample in outcome.samples:
                    print(f"    error: {sample}")
                results.append((name, count, outcome))
    finally:
        server.stop()

    print(f"\ntargets ({args.workers} workers, {args.worker_class}, {os.cpu_count()} CPUs; {label}):")
    summary = {}
    for name, count, outcome in results:
        wanted, met = verdict(name, outcome)
        mark = ("met" if met else "NOT met") if count == 64 else "(targets at 64 connections)"
        print(
            f"  {name:<10} {count:>3} conn  {outcome.rate:7.1f} req/s  p99 {outcome.percentile(0.99):7.1f} ms  "
            f"errors {outcome.errors:<5} target {wanted:<40} {mark}"
        )
        summary[f"{name}@{count}"] = {
            "rps": round(outcome.rate, 1),
            "p50": round(outcome.percentile(0.5), 1),
            "p99": round(outcome.percentile(0.99), 1),
            "errors": outcome.errors,
        }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
