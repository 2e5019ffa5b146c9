"""Public pages with and without the page cache (core/pagecache.py), warm, through Django's test client.

Data: the investment map's (``portal_map.generate``: ``--sites`` sites, ``--parks`` parks). For each public page
or answer: the page built for the request (cache off), the kept copy from the shared cache only (the process's
own copies off) and from the process's copy (both on). The "floor" is the page built for the request: the cache
must answer the same bytes (checked before timing) in a fraction of its time. REDIS_URL set: the shared cache is
Redis; unset: files under var/cache.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("RATE_PORTAL", "100000000/min")  # the benchmark is not an abuser
os.environ.setdefault("RATE_MATCHING", "100000000/min")

from common import BROWSER_HEADERS, machine_load, report, same, setup_django, timed


def pages() -> dict[str, str]:
    from django.urls import reverse

    from zhaoshang.geo.models import Carrier, Park

    site = Carrier.objects.filter(reference__startswith="BENCH-", published=True).order_by("pk").first()
    park = Park.objects.filter(name__startswith="BENCH-").order_by("pk").first()
    lon, lat = float(site.lon), float(site.lat)
    bbox = f"{lon - 0.05:.4f},{lat - 0.05:.4f},{lon + 0.05:.4f},{lat + 0.05:.4f}"
    return {
        "home /": reverse("portal:home"),
        "map /map/": reverse("portal:map"),
        "site page": reverse("portal:carrier-detail", args=[site.pk]),
        "park page": reverse("portal:park-detail", args=[park.pk]),
        "sites viewport API": reverse("api:portal-site-geojson") + f"?bbox={bbox}",
        "parks viewport API": reverse("api:portal-park-geojson") + f"?bbox={bbox}",
        "districts GeoJSON": reverse("api:region-geojson") + "?parent=440700",
        "matching page": reverse("portal:match") + "?industry=38&area_min=30&power=2000",
    }


def content(response) -> bytes:
    """The answer's document, uncompressed, without its CSRF tokens (masked anew for every response)."""
    import gzip
    import re

    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return re.sub(rb'value="[A-Za-z0-9]{64}"', b'value=""', body)


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # each line as it is measured
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--parks", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    database = setup_django()
    import portal_map
    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client

    from zhaoshang.core import pagecache

    portal_map.generate(args.sites, args.parks)
    print(f"database {database}, cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, {machine_load()}")
    client = Client(**BROWSER_HEADERS)
    budget = pagecache.LOCAL.budget
    for name, url in pages().items():

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        settings.PAGE_CACHE_ENABLED = False
        built = get()
        off = timed(get, args.repeat, 2)
        settings.PAGE_CACHE_ENABLED = True
        caches[pagecache.CACHE].clear()
        pagecache.LOCAL.clear()
        get()  # kept
        same(name, content(get()), content(built))
        pagecache.LOCAL.budget = 0
        pagecache.LOCAL.clear()
        shared = timed(get, args.repeat, 2)
        pagecache.LOCAL.budget = budget
        local = timed(get, args.repeat, 2)
        report(f"{name} (shared cache)", shared, off, extra=f"  {len(built.content):,} bytes")
        report(f"{name} (process copy)", local, off)


if __name__ == "__main__":
    main()
