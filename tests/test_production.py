"""The production deployment, end to end: static files built in production mode, gunicorn with two workers on a
freshly migrated database, behind a TLS proxy (X-Forwarded-Proto: https, X-Forwarded-For).

Two deployments: an SQLite file without Redis (the cache is files under var/), and, when the suite runs on
PostgreSQL, PostgreSQL (a database of its own, created and dropped here) with Redis. Each answers its public and
staff pages with their styles and scripts and the security headers, and counts one rate limit for all workers.
"""

import json
import os
import re
import secrets

import pytest

from zhaoshang.portal.tests.factories import TYPED_INQUIRY

from .server import ProductionServer, build_static

STAFF_PASSWORD = "smoke-test-pass-2026"
# A centre (inquiries go to it), an officer of it, the city's districts and one park.
SET_UP = f"""
import json
from zhaoshang.accounts.choices import Role, TeamKind
from zhaoshang.accounts.tests.factories import TeamFactory, member
from zhaoshang.geo.services import load_regions
from zhaoshang.geo.tests.factories import ParkFactory

load_regions("440700")
centre = TeamFactory(name="市投资促进中心", kind=TeamKind.CENTRE)
officer = member(centre, Role.OFFICER, username="officer")
officer.set_password("{STAFF_PASSWORD}")
officer.save()
park = ParkFactory(team=centre)
print(json.dumps({{"park": park.get_absolute_url()}}))
"""
INQUIRY = TYPED_INQUIRY
ASSET = re.compile(r"""<(?:link\b[^>]*\brel="stylesheet"[^>]*\bhref|script\b[^>]*\bsrc)="([^"]+)\"""")


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def redis_url() -> str:
    """The Redis of the PostgreSQL deployment: SMOKE_REDIS_URL, else the local server's database 1."""
    url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/1")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {url} for the PostgreSQL deployment ({error})")
    return url


def postgres_database(suite_url: str, create: bool) -> str:
    """The URL of the smoke test's own database beside the suite's (created empty, or dropped)."""
    import psycopg

    base, name = suite_url.split("?")[0].rsplit("/", 1)
    name = f"{name}_smoke"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'drop database if exists "{name}" with (force)')
        if create:
            connection.execute(f'create database "{name}"')
    return f"{base}/{name}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    return build_static(tmp_path_factory.mktemp("static"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, static_root, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        database, variables = f"sqlite:///{var_dir / 'zhaoshang.sqlite3'}", {}
    else:
        suite = postgres_url()
        if not suite:
            pytest.skip("the suite runs on SQLite: the PostgreSQL deployment is tested on the PostgreSQL run")
        variables = {"REDIS_URL": redis_url()}
        database = postgres_database(suite, create=True)
    deployment = ProductionServer(var_dir, database, static_root, workers=2, RATE_INQUIRY="3/hour", **variables)
    deployment.manage("migrate", "--noinput", "--verbosity", "0")
    deployment.data = json.loads(deployment.manage("shell", "--no-imports", "-c", SET_UP).splitlines()[-1])
    try:
        with deployment:
            yield deployment
    finally:
        if request.param == "postgresql":
            postgres_database(suite, create=False)


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def assert_served_securely(response) -> None:
    """The security headers of a page served over HTTPS, the Content-Security-Policy among them."""
    assert response.header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert response.header("X-Content-Type-Options") == "nosniff"
    assert response.header("Referrer-Policy") == "same-origin"
    assert response.header("X-Frame-Options") == "DENY"
    policy = directives(response.header("Content-Security-Policy"))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]


def assert_page_and_assets_load(browser, url: str) -> None:
    """The page answers 200 with the security headers, and every style sheet and script it links answers 200."""
    page = browser.get(url)
    assert page.status == 200, (url, page.status)
    assert_served_securely(page)
    assets = ASSET.findall(page.text)
    assert assets, url
    for asset in assets:
        answer = browser.get(asset.replace("&amp;", "&"))
        assert answer.status == 200, (url, asset, answer.status)
        assert answer.body, asset


def test_plain_http_is_sent_to_https(server):
    answer = server.client().get("/", headers={"X-Forwarded-Proto": "http"})
    assert answer.status == 301
    assert answer.header("Location").startswith("https://")


def test_the_public_pages_load_with_their_styles_and_scripts(server):
    browser = server.client()
    for url in [
        "/",
        "/map/",
        "/search/?q=park",
        server.data["park"],
        "/guides/",
        "/policies/",
        "/api/docs/",
        "/admin/login/",
    ]:
        assert_page_and_assets_load(browser, url)
    static = ASSET.findall(browser.get("/").text)
    assert any(re.search(r"/static/vendor/tabler/css/tabler\.min\.[0-9a-f]{12}\.css$", href) for href in static)


def test_staff_log_in_through_the_form_and_open_their_pages(server):
    browser = server.client()
    assert browser.get("/work/my/").status == 302  # to the login page
    answer = browser.log_in("officer", STAFF_PASSWORD)
    assert answer.status == 302, answer.text[:2000]
    assert "sessionid" in browser.cookies
    for url in ["/work/my/", "/work/projects/", "/work/stats/dashboard/"]:
        assert_page_and_assets_load(browser, url)


def test_the_inquiry_rate_limit_is_counted_once_for_all_workers(server):
    """RATE_INQUIRY is 3/hour. One worker takes three inquiries; then only the other worker is left free: it
    refuses the fourth, though it answered none of the three."""
    address = f"2001:db8::{secrets.token_hex(2)}"  # the investor's own (Redis keeps counts between runs)
    investor = server.client(address)
    form = {"csrfmiddlewaretoken": investor.csrf_token("/inquire/"), **INQUIRY}

    held = server.hold_a_worker()
    try:
        accepted = [investor.post("/inquire/", form) for _ in range(3)]
        assert [answer.status for answer in accepted] == [302, 302, 302]
        assert {answer.header("Location") for answer in accepted} == {"/inquire/thanks/"}
        first = {pid for pid, _status in server.served_by("POST", "/inquire/", 3)}
        assert len(first) == 1
        other_held = server.hold_a_worker()  # the worker that took the three
    finally:
        held.close()  # the other one is free again
    try:
        refused = investor.post("/inquire/", form)
    finally:
        other_held.close()
    assert refused.status == 429
    pid, status = server.served_by("POST", "/inquire/", 4)[3]
    assert status == 429
    assert pid not in first

    saved = "from zhaoshang.portal.models import Inquiry; print(Inquiry.objects.count())"
    assert server.manage("shell", "--no-imports", "-c", saved).strip() == "3"
