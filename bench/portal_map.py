"""Investment map at city scale: viewport query, matching, and the weight of the map's first load.

Data: ``--sites`` sites (default 100,000) and ``--parks`` parks (default 1,000) at random points inside
the real district boundaries of the city (ZHAOSHANG_CITY_ADCODE), generated once per database.
Targets: viewport ≤ 50 ms median for up to 2,000 features; top-20 matching ≤ 100 ms median;
first load of the map page ≤ 1.5 MB transferred.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("RATE_PORTAL", "100000000/min")  # the benchmark is not an abuser
os.environ.setdefault("RATE_MATCHING", "100000000/min")

from common import BROWSER_HEADERS, first_request, machine_load, report, same, setup_django, timed, vacuum_analyze

PREFIX = "BENCH-"


def generate(n_sites: int, n_parks: int, seed: int = 7) -> None:
    import numpy as np
    import shapely
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone
    from shapely.geometry import shape

    from zhaoshang.accounts.choices import TeamKind
    from zhaoshang.accounts.models import Team
    from zhaoshang.geo.choices import Availability, CarrierKind, LandUse, ParkLevel
    from zhaoshang.geo.models import Carrier, CarrierIndustry, Park, ParkIndustry, Region
    from zhaoshang.geo.services import load_regions

    have = Carrier.objects.filter(reference__startswith=PREFIX).count()
    if have == n_sites and Park.objects.filter(name__startswith=PREFIX).count() == n_parks:
        return
    print(f"generating {n_sites:,} sites and {n_parks:,} parks …", flush=True)
    with transaction.atomic():
        CarrierIndustry.objects.filter(carrier__reference__startswith=PREFIX).delete()
        Carrier.objects.filter(reference__startswith=PREFIX).delete()
        ParkIndustry.objects.filter(park__name__startswith=PREFIX).delete()
        Park.objects.filter(name__startswith=PREFIX).delete()
    load_regions(settings.ZHAOSHANG_CITY_ADCODE)
    team, _ = Team.objects.get_or_create(name=f"{PREFIX}centre", defaults={"kind": TeamKind.CENTRE})
    districts = list(Region.objects.filter(parent__adcode=settings.ZHAOSHANG_CITY_ADCODE))
    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    divisions = ["13", "14", "26", "27", "30", "33", "34", "35", "36", "38", "39", "40"]

    def points_in(region, count):
        geom = shape(region.boundary)
        minx, miny, maxx, maxy = geom.bounds
        out = np.empty((0, 2))
        while len(out) < count:
            xs = rng.uniform(minx, maxx, count * 2)
            ys = rng.uniform(miny, maxy, count * 2)
            inside = shapely.contains_xy(geom, xs, ys)
            out = np.vstack([out, np.column_stack([xs[inside], ys[inside]])])
        return out[:count]

    weights = np.array([float(d.area_km2) for d in districts])
    park_split = rng.multinomial(n_parks, weights / weights.sum())
    site_split = rng.multinomial(n_sites, weights / weights.sum())
    parks, park_links = [], []
    for region, count in zip(districts, park_split, strict=True):
        for i, (lon, lat) in enumerate(points_in(region, count)):
            d = 0.004
            park = Park(
                name=f"{PREFIX}{region.adcode}-{i}",
                region=region,
                team=team,
                level=ParkLevel.MUNICIPAL,
                published=True,
                last_verified=today,
                area_mu=Decimal(int(rng.integers(500, 20000))),
            )
            park.set_boundary(
                {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [lon - d, lat - d],
                            [lon + d, lat - d],
                            [lon + d, lat + d],
                            [lon - d, lat + d],
                            [lon - d, lat - d],
                        ]
                    ],
                }
            )
            parks.append(park)
    with transaction.atomic():
        Park.objects.bulk_create(parks, batch_size=2000)
        parks = list(Park.objects.filter(name__startswith=PREFIX))
        for park in parks:
            for code in rng.choice(divisions, size=2, replace=False):
                park_links.append(ParkIndustry(park=park, code=str(code)))
        ParkIndustry.objects.bulk_create(park_links, batch_size=5000)
    parks_by_region = {}
    for park in parks:
        parks_by_region.setdefault(park.region_id, []).append(park)
    kinds = [CarrierKind.PARCEL, CarrierKind.FACTORY, CarrierKind.OFFICE]
    sites, serial = [], 0
    for region, count in zip(districts, site_split, strict=True):
        region_parks = parks_by_region.get(region.pk, [])
        for lon, lat in points_in(region, count):
            kind = kinds[int(rng.choice(3, p=[0.6, 0.3, 0.1]))]
            parcel = kind == CarrierKind.PARCEL
            stale = rng.random() < 0.05
            sites.append(
                Carrier(
                    reference=f"{PREFIX}{serial:07d}",
                    name=f"{region.name}{kind.label}{serial}",
                    kind=kind,
                    region=region,
                    team=team,
                    park=region_parks[int(rng.integers(len(region_parks)))]
                    if region_parks and rng.random() < 0.8
                    else None,
                    lon=float(lon),
                    lat=float(lat),
                    availability=str(
                        rng.choice([Availability.AVAILABLE] * 8 + [Availability.RESERVED, Availability.TAKEN])
                    ),
                    published=bool(rng.random() < 0.97),
                    last_verified=today
                    - timedelta(days=int(rng.integers(400, 800) if stale else rng.integers(0, 120))),
                    area_mu=Decimal(int(rng.integers(10, 300))) if parcel else None,
                    land_use=LandUse.M1 if parcel else "",
                    land_price=Decimal(int(rng.integers(20, 120))) if parcel else None,
                    floor_area_m2=None if parcel else Decimal(int(rng.integers(1000, 30000))),
                    rent=None if parcel else Decimal(int(rng.integers(12, 60))),
                    power_kva=int(rng.integers(400, 20000)),
                    wastewater_t_day=Decimal(int(rng.integers(0, 2000))),
                    port_km=Decimal(int(rng.integers(5, 120))),
                    highway_km=Decimal(int(rng.integers(1, 30))),
                )
            )
            serial += 1
    with transaction.atomic():
        Carrier.objects.bulk_create(sites, batch_size=5000)
        links = []
        for pk in Carrier.objects.filter(reference__startswith=PREFIX).values_list("pk", flat=True).iterator():
            for code in rng.choice(divisions, size=int(rng.integers(1, 4)), replace=False):
                links.append(CarrierIndustry(carrier_id=pk, code=str(code)))
        CarrierIndustry.objects.bulk_create(links, batch_size=10000)
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:  # autocommit: VACUUM sets the visibility map for index-only scans
            for table in ("geo_carrier", "geo_carrierindustry", "geo_park"):
                cursor.execute(f"VACUUM ANALYZE {table}")


def bench_viewport() -> None:
    """The map's viewport query through the whole stack (gzip accepted), against its floor: the very SQL the app
    sends (it makes the database write the GeoJSON text), run by a bare cursor, the same head and the same gzip —
    the least work that gives the same bytes. Both texts are compared before timing."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(**BROWSER_HEADERS)
    city = (112.0, 21.4, 113.3, 22.9)
    views = {
        "whole city (capped at 2,000)": city,
        "district-sized view": (112.95, 22.45, 113.15, 22.65),
        "street-level view": (113.05, 22.55, 113.09, 22.59),
    }
    url = "/api/portal/sites/geojson/"
    for label, (w, s, e, n) in views.items():
        bbox = f"{w},{s},{e},{n}"
        connection.force_debug_cursor = True
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"bbox": bbox})
        connection.force_debug_cursor = False
        assert response.status_code == 200, response.content[:300]
        text = body_text(response)
        # The query that writes the features (the others, if any, are the session's and the throttle's).
        (sql,) = [q["sql"] for q in queries.captured_queries if "row_number()" in q["sql"]]
        raw_sql, params = replayable(sql)
        head = text[: text.index(',"features":')]

        def floor(raw_sql=raw_sql, params=params, head=head):
            with connection.cursor() as cursor:
                cursor.execute(raw_sql, params)
                _count, features = cursor.fetchone()
            body = f'{head},"features":{features or "[]"}}}'.encode()
            return gzip.compress(body, compresslevel=1)

        same(f"viewport: {label}", text, gzip.decompress(floor()).decode())
        with override_settings(PAGE_CACHE_ENABLED=False):  # built for each request: the first visitor's path
            built = timed(lambda bbox=bbox: client.get(url, {"bbox": bbox}))
        kept = timed(lambda bbox=bbox: client.get(url, {"bbox": bbox}))  # the page cache's kept copy
        features = json.loads(text)
        floor_time = timed(floor)
        report(
            f"viewport: {label}",
            built,
            floor_time,
            50,
            f"   ({len(features['features'])} features of {features.get('total') or 'more than 2,000'})",
        )
        report("  the same box again (kept copy)", kept, floor_time, 50)


def body_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return (gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body).decode()


def replayable(logged_sql: str) -> tuple[str, list]:
    """The logged SQL of the viewport query with its parameters back as placeholders: Django logs it with the
    values in place; the floor sends it as the app does. Simplest: run the app's function's own text."""
    return logged_sql.replace("%", "%%"), []


# The needs the matching figures are taken for: a typical one, one that names no industry, kind or size (every
# site a candidate), and a few more.
MATCH_NEEDS = {
    "typical: industry 38, parcel 40–120 mu": dict(
        industry="38", kind="parcel", area_min=40, area_max=120, budget=6000, power=3000, wastewater=200, port_km=60
    ),
    "no industry, kind or size": dict(budget=6000, power=3000, port_km=60, districts=("DISTRICT",)),
    "factory floor space, rent, highway": dict(
        kind="factory", floor_min=5000, floor_max=15000, budget=40, power=2000, highway_km=10
    ),
    "industry section C, needed within 90 days": dict(industry="C", needed_by="NEEDED_BY", power=5000, port_km=30),
    "power only": dict(power=8000),
}


def matching_needs():
    from django.utils import timezone

    from zhaoshang.geo.models import Carrier
    from zhaoshang.portal.services import matching

    district = Carrier.objects.restrict(None).values_list("region__adcode", flat=True).order_by("pk").first()
    needed_by = (timezone.localdate() + timedelta(days=90)).isoformat()
    out = {}
    for label, fields in MATCH_NEEDS.items():
        fields = dict(fields)
        if "districts" in fields:
            fields["districts"] = (district,)
        if fields.get("needed_by") == "NEEDED_BY":
            fields["needed_by"] = needed_by
        out[label] = matching.Needs(**fields)
    return out


def ranking_answer(matches) -> list:
    """What a ranking answers: the sites in order, each with its score and its criteria (keys, points, facts)."""
    return [(m.carrier.pk, m.carrier.reference, m.score, [c.as_dict() for c in m.criteria]) for m in matches]


class MatchingFloor:
    """The least work that gives the app's ranking: the candidates' columns by one raw SQL query (the hard
    constraints in its WHERE, compiled beforehand), the app's own judging functions (``matching.judge``: every
    term of its formula, pure NumPy), the top 20 by ``argpartition``, and one raw query for the winners' listing
    numbers and the names their explanations quote."""

    def __init__(self, needs):
        from django.db import connection

        from zhaoshang.core.choices import Action
        from zhaoshang.geo.models import Park
        from zhaoshang.portal.services import matching

        self.m = matching
        self.needs = needs
        self.context = matching.Context.for_needs(needs, None)
        self.weights = matching.effective_weights(needs.asked())
        names, self.shared = matching.columns_read(needs)
        self.names = names
        queryset = matching.candidates(needs, None, self.context)
        expressions = {name: matching._read_as_number(name) for name in names}
        select = [f"m_{name}" if expressions[name] is not None else name for name in names]
        queryset = queryset.annotate(**{f"m_{n}": x for n, x in expressions.items() if x is not None}).values_list(
            *select
        )
        if "site_fit" in names and matching.listing_join(queryset.db):
            queryset = queryset.distinct()
        self.sql, self.params = queryset.query.sql_with_params()
        parks_sql, parks_params = Park.objects.restrict(None, Action.VIEW).values("pk").query.sql_with_params()
        self.winners_sql = (
            "SELECT c.id, c.reference, r.name, r.name_en, "
            f"CASE WHEN c.park_id IN ({parks_sql}) THEN p.name END, p.name_en "
            "FROM geo_carrier c JOIN geo_region r ON r.id = c.region_id LEFT JOIN geo_park p ON p.id = c.park_id "
            "WHERE c.id IN ({ids})"
        )
        self.parks_params = list(parks_params)
        self.connection = connection
        self.cols = self.read()

    def read(self):
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        return self.m.Columns.from_rows(self.names, rows, self.shared)

    def rank(self, cols, limit: int = 20) -> list:
        m = self.m
        judged = m.judge(self.needs, cols, self.context, self.weights)
        total = m.scores(judged, len(cols))
        key = total * m.ORDER_SCALE + (cols.last_verified.astype("int64") + m.DAY_SHIFT)
        if len(key) > limit:
            cut = key[key.argpartition(len(key) - limit)[len(key) - limit]]
            index = (key >= cut).nonzero()[0]
        else:
            index = range(len(key))
        index_of = {int(cols.pk[i]): int(i) for i in index}
        ids = ",".join(map(str, index_of))
        with self.connection.cursor() as cursor:
            cursor.execute(self.winners_sql.replace("{ids}", ids), self.parks_params)
            rows = cursor.fetchall()
        rows.sort(key=lambda row: (-int(key[index_of[row[0]]]), row[1]))
        answer = []
        for pk, reference, region, region_en, park, park_en in rows[:limit]:
            i = index_of[pk]
            names = m.SiteNames(
                {"zh": region, "en": region_en or region}, {"zh": park, "en": park_en or park} if park else None
            )
            criteria = m.criteria_at(self.needs, cols, i, self.context, judged, names)
            answer.append((pk, reference, sum(c.points for c in criteria), [c.as_dict() for c in criteria]))
        return answer

    def warm(self):
        return self.rank(self.cols)

    def cold(self):
        return self.rank(self.read())


def bench_matching() -> None:
    """Ranking (the service without the public answers' cache, ``matching._rank``) warm; the first after a change of
    the sites (the change itself reads the public columns again once it commits, ``keep_public_columns``: its
    time is reported as the writer's); the first of a new process (the columns loaded from the machine's store);
    and with nothing kept (every column read from the database) — for several needs, against floors that give
    the same sites, scores and criteria. Then the matching page's first request of a fresh process."""
    from zhaoshang.core import generations
    from zhaoshang.portal.services import matching

    def change():  # what any edit of a site does once committed: the sites' generation moves on
        generations.bump(matching.SITES_GENERATION)

    def new_process():  # a process that has kept nothing in memory
        matching.COLUMN_CACHE.clear()

    def nothing_kept():
        matching.COLUMN_CACHE.clear()
        matching.COLUMN_STORE.clear()

    def ranking(needs):
        return matching._rank(needs, None, matching.MATCH_LIMIT)

    writer = timed(change, repeat=5, warmup=1)
    for label, needs in matching_needs().items():
        app_answer = ranking_answer(ranking(needs))
        assert len(app_answer) == 20, len(app_answer)
        floor = MatchingFloor(needs)
        same(f"matching: {label}", app_answer, floor.warm())
        change()
        same(f"matching after a change: {label}", ranking_answer(ranking(needs)), floor.cold())
        floor_warm, floor_cold = timed(floor.warm), timed(floor.cold, repeat=7)
        extra = f"   ({len(floor.cols):,} candidates)"
        report(f"matching warm: {label}", timed(lambda needs=needs: ranking(needs)), floor_warm, 100, extra)
        after_change = timed(lambda needs=needs: ranking(needs), repeat=7, before=change)
        report("  first after a change of the sites", after_change, floor_cold, 100)
        report(
            "  first of a new process",
            timed(lambda needs=needs: ranking(needs), 7, before=new_process),
            floor_cold,
            100,
        )
        report(
            "  nothing kept (every column read)",
            timed(lambda needs=needs: ranking(needs), 7, before=nothing_kept),
            floor_cold,
        )
        kept = timed(lambda needs=needs: matching.rank(needs, user=None))
        print(f"{'  the same needs again (answer kept)':<44} {kept}")
    print(f"{'a change of the sites, columns kept again':<44} {writer}   (paid by the writer once it commits)")
    query = "kind=parcel&industry=38&area_min=40&area_max=120&budget=6000&power=3000&wastewater=200&port_km=60"
    first, second = first_request(f"/match/?{query}", repeat=5)
    print(f"{'matching page, first request of a process':<44} {first}")
    print(f"{'  its second request':<44} {second}")


def bench_first_load() -> None:
    """What a browser that accepts gzip downloads for the map's first view: the page, every static file it
    links and the first three data requests (districts, sites, parks), through the whole middleware stack,
    as the server sends them."""
    from django.test import Client

    client = Client(**BROWSER_HEADERS)

    def sent(url: str) -> tuple[int, int]:
        """Bytes sent and bytes of the content (uncompressed) for ``url``."""
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        size = len(gzip.decompress(body)) if response.get("Content-Encoding") == "gzip" else len(body)
        return len(body), size

    html = client.get("/map/", HTTP_ACCEPT_ENCODING="identity").content
    refs = list(dict.fromkeys(re.findall(rb'(?:href|src)="(/static/[^"?#]+)', html)))
    urls = ["/map/", *(ref.decode() for ref in refs)]
    bbox = "?bbox=112.0,21.4,113.3,22.9"  # the whole city, as the map first asks
    urls += [
        "/api/regions/geojson/?parent=440700",
        f"/api/portal/sites/geojson/{bbox}",
        f"/api/portal/parks/geojson/{bbox}",
    ]
    total_sent = total_raw = leaflet = 0
    for url in urls:
        size_sent, size_raw = sent(url)
        total_sent += size_sent
        total_raw += size_raw
        if "leaflet" in url:
            leaflet += size_sent
    print(
        f"{'map first load (page, static, first data)':<44} {total_sent / 1e6:9.3f} MB sent "
        f"({total_raw / 1e6:.3f} MB uncompressed, {len(urls)} requests)"
        f"   baseline Leaflet alone {leaflet / 1e6:.3f} MB   ratio {total_sent / max(leaflet, 1):6.2f}"
        f"  target ≤ 1.5 MB: {'met' if total_sent <= 1.5e6 else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--parks", type=int, default=1_000)
    args = parser.parse_args()
    database = setup_django()
    generate(args.sites, args.parks)
    vacuum_analyze("geo_carrier", "geo_carrierindustry", "geo_park", "geo_parkindustry")
    print(f"database: {database}; {args.sites:,} sites, {args.parks:,} parks; {machine_load()}")
    bench_viewport()
    bench_matching()
    bench_first_load()
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()
