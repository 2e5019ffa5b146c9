"""Public pages and answers kept whole between anonymous requests (core/pagecache.py), and never a stale or wrong copy.

A response served from a kept copy renders no template, so ``response.context`` is None: that is how these tests
tell a kept copy from a page built for the request.
"""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core import generations
from zhaoshang.core.pagecache import CSRF_PLACEHOLDER, LOCAL
from zhaoshang.geo.choices import Availability
from zhaoshang.geo.models import Carrier
from zhaoshang.geo.tests.factories import CarrierFactory, district
from zhaoshang.portal.models import Inquiry
from zhaoshang.portal.services.matching import ANSWER_CACHE, Needs, rank
from zhaoshang.portal.tests.factories import TYPED_INQUIRY

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
SITES_API = reverse("api:portal-site-geojson")


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def site(city, outpost_a):
    return CarrierFactory(team=outpost_a, name="缓存测试地块", name_en="Cache test parcel")


def kept(response) -> bool:
    return response.context is None


def page_of(site):
    return reverse("portal:carrier-detail", args=[site.pk])


def test_a_second_anonymous_visit_is_served_from_the_kept_copy(site):
    first = Client().get(page_of(site))
    second = Client().get(page_of(site))
    assert first.status_code == second.status_code == 200
    assert not kept(first) and kept(second)
    assert "缓存测试地块" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"]


def test_a_saved_site_shows_its_new_name_at_once(site, investor):
    investor.get(page_of(site))
    site.name = "改名后的地块"
    site.save()
    page = investor.get(page_of(site))
    assert not kept(page)
    assert "改名后的地块" in page.content.decode() and "缓存测试地块" not in page.content.decode()


def test_a_deleted_site_is_gone_at_once(site, investor):
    url = page_of(site)
    assert investor.get(url).status_code == 200
    site.delete()
    assert investor.get(url).status_code == 404


def test_an_unpublished_site_is_not_served_from_the_kept_copy(site, investor):
    url = page_of(site)
    investor.get(url)
    assert kept(investor.get(url))
    site.published = False
    site.save()
    assert investor.get(url).status_code == 404


def test_a_bulk_import_shows_its_sites_in_the_viewport_at_once(site, investor):
    region = district()
    lon, lat = region.centre_lon, region.centre_lat
    bbox = {"bbox": f"{lon - 0.1},{lat - 0.1},{lon + 0.1},{lat + 0.1}"}
    before = investor.get(SITES_API, bbox).json()
    assert [f["properties"]["reference"] for f in before["features"]] == [site.reference]
    assert kept(investor.get(SITES_API, bbox))
    Carrier.objects.bulk_create(
        [
            Carrier(
                **{f: getattr(site, f) for f in ("kind", "region_id", "team_id", "lon", "lat", "published", "area_mu")},
                reference="BULK-1",
                name="导入地块",
                last_verified=timezone.localdate(),
                availability=Availability.AVAILABLE,
            )
        ]
    )
    generations.bulk_saved.send(sender=Carrier)  # what core.excel.bulk_save sends after its writes
    after = investor.get(SITES_API, bbox).json()
    assert sorted(f["properties"]["reference"] for f in after["features"]) == sorted([site.reference, "BULK-1"])


def test_query_strings_are_kept_apart(city, outpost_a, investor):
    region = district()
    west = CarrierFactory(team=outpost_a, reference="WEST-1", lon=region.centre_lon - 0.05, lat=region.centre_lat)
    east = CarrierFactory(team=outpost_a, reference="EAST-1", lon=region.centre_lon + 0.05, lat=region.centre_lat)
    lat0, lat1 = region.centre_lat - 0.01, region.centre_lat + 0.01
    box_a = f"{west.lon - 0.01},{lat0},{west.lon + 0.01},{lat1}"
    box_b = f"{east.lon - 0.01},{lat0},{east.lon + 0.01},{lat1}"
    for _ in range(2):
        a = investor.get(SITES_API, {"bbox": box_a}).json()
        b = investor.get(SITES_API, {"bbox": box_b}).json()
        assert [f["properties"]["reference"] for f in a["features"]] == ["WEST-1"]
        assert [f["properties"]["reference"] for f in b["features"]] == ["EAST-1"]
    # The order of the parameters does not matter; their values do.
    same = investor.get(f"{SITES_API}?kind={west.kind}&bbox={box_a}")
    assert kept(same) and [f["properties"]["reference"] for f in same.json()["features"]] == ["WEST-1"]


def test_each_language_has_its_own_copy(site):
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    en = Client(HTTP_ACCEPT_LANGUAGE="en")
    zh.get(page_of(site))
    english = en.get(page_of(site))
    assert not kept(english)
    assert "Cache test parcel" in english.content.decode()
    again = zh.get(page_of(site))
    assert kept(again) and 'lang="zh-hans"' in again.content.decode()
    english_again = en.get(page_of(site))
    assert kept(english_again) and 'lang="en"' in english_again.content.decode()


def test_a_signed_in_officer_never_gets_nor_leaves_the_public_copy(site, officer_a, client_for):
    officer = client_for(officer_a)
    staff_page = officer.get(page_of(site))
    assert not kept(staff_page)
    assert not kept(Client().get(page_of(site)))  # the officer's page was not kept for the public
    assert kept(Client().get(page_of(site)))
    again = officer.get(page_of(site))
    assert not kept(again)
    assert reverse("accounts:logout") in again.content.decode()


def test_a_visitor_posts_the_inquiry_form_with_their_own_token_from_a_kept_page(site):
    first = Client(enforce_csrf_checks=True)
    first_page = first.get(page_of(site))
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(page_of(site))
    assert kept(page)
    html = page.content.decode()
    assert CSRF_PLACEHOLDER.decode() not in html
    tokens = set(TOKEN.findall(html))
    assert tokens and tokens.isdisjoint(TOKEN.findall(first_page.content.decode()))
    secret = page.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert secret != first_page.cookies["csrftoken"].value
    posted = visitor.post(
        reverse("portal:inquire"), {**TYPED_INQUIRY, "carrier": site.pk, "csrfmiddlewaretoken": tokens.pop()}
    )
    assert posted.status_code == 302
    assert Inquiry.objects.get().carrier == site


def test_a_page_with_a_flash_message_is_neither_kept_nor_served_from_the_copy(site):
    Client().get(page_of(site))
    flashed = Client()
    storage = CookieStorage(RequestFactory().get("/"))
    flashed.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Flash for this visitor only")])
    page = flashed.get(page_of(site))
    assert not kept(page) and "Flash for this visitor only" in page.content.decode()
    LOCAL.clear()
    caches["pages"].clear()
    flashed.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Flash for this visitor only")])
    flashed.get(page_of(site))  # built with the message: not kept
    plain = Client().get(page_of(site))
    assert not kept(plain) and "Flash for this visitor only" not in plain.content.decode()


def test_head_is_answered_and_leaves_a_whole_copy(site):
    head = Client().head(page_of(site))
    assert head.status_code == 200 and head["Content-Type"].startswith("text/html")
    page = Client().get(page_of(site))
    assert kept(page) and "缓存测试地块" in page.content.decode()
    assert Client().head(page_of(site)).status_code == 200


def test_posts_and_errors_are_not_kept(site, investor):
    missing = reverse("portal:carrier-detail", args=[site.pk + 1000])
    assert investor.get(missing).status_code == 404
    CarrierFactory(pk=site.pk + 1000, team=site.team)
    assert investor.get(missing).status_code == 200


def test_public_rankings_are_kept_and_follow_a_change(site):
    first = rank(Needs(power=1000))
    assert [m.carrier.reference for m in first] == [site.reference]
    assert len(ANSWER_CACHE.entries) == 1
    assert [m.carrier.reference for m in rank(Needs(power=1000))] == [site.reference]
    assert len(ANSWER_CACHE.entries) == 1
    site.availability = Availability.TAKEN
    site.save()
    assert rank(Needs(power=1000)) == []


def test_a_signed_in_officers_ranking_is_not_kept(site, officer_a):
    rank(Needs(power=1000), user=officer_a)
    assert not ANSWER_CACHE.entries


def test_the_matching_api_still_counts_every_request_against_its_rate(site, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "matching": "2/hour"},
    }
    from rest_framework.test import APIClient

    client = APIClient()
    url = reverse("api:portal-match")
    answers = [client.post(url, {"power": 1000}, format="json").status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_a_new_release_or_version_word_keys_the_copies_anew(settings):
    """The key holds a digest of the code, templates and translations (once per process) and PAGE_CACHE_VERSION:
    a release, or a new word, finds none of the copies kept before."""
    from zhaoshang.core.pagecache import code_version

    code_version.cache_clear()
    before = code_version()
    settings.PAGE_CACHE_VERSION = "2026-12-release"
    code_version.cache_clear()
    try:
        assert code_version() != before
    finally:
        code_version.cache_clear()
