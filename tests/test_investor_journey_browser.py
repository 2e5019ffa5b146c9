"""An investor's whole visit, on the demo city in Debian's chromium: they land on the city's page, find three sites
by their names with the search box's suggestions, pick them for comparison on their pages, compare the three side
by side (photos included), save the comparison as a proposal whose page shows the sites' photos, and open its PDF,
which embeds them. No JavaScript error on the way."""

import os
import re

import pytest

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from zhaoshang.core.testing import pdf_image_widths

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo_city(transactional_db, settings, tmp_path):
    from zhaoshang.core.demo import DEMO_CITY, load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.ZHAOSHANG_ONLINE_TILES = ""
    return load_demo(DEMO_CITY)


def photographed_sites(count: int):
    """Public sites of the demo that have a cover photo, by listing number."""
    from django.contrib.auth.models import AnonymousUser

    from zhaoshang.geo.models import Carrier, ListingPhoto

    with_photo = ListingPhoto.objects.filter(carrier__isnull=False).values("carrier")
    sites = list(Carrier.objects.restrict(AnonymousUser(), "view").filter(pk__in=with_photo).order_by("reference"))
    assert len(sites) >= count, "the demo gives photos to at least three public sites"
    return sites[:count]


def test_an_investor_lands_searches_compares_three_sites_saves_a_proposal_with_photos_and_opens_its_pdf(
    live_server, demo_city
):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    from zhaoshang.geo.services import configured_city
    from zhaoshang.portal.models import Proposal

    sites = photographed_sites(3)
    city = configured_city()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

        # The city's page: its name in the header, its key figures, its parks.
        page.goto(live_server.url + "/")
        expect(page.locator("[data-testid=city-brand]")).to_have_text(city.name)
        expect(page.locator("[data-testid=figures] a")).to_have_count(5)
        assert page.locator("[data-testid=city-parks] .card").count() > 0

        for number, site in enumerate(sites):
            # The city page's search box first, then the header's on the site page reached before.
            box = page.locator("#home-search-q" if number == 0 else "#header-search-q")
            box.press_sequentially(site.name, delay=20)
            option = page.locator("[role=listbox] [role=option]", has_text=site.name).first
            expect(option).to_be_visible()
            option.click()
            page.wait_for_url(live_server.url + site.get_absolute_url())
            expect(page.locator("h1")).to_contain_text(site.name)
            toggle = page.locator("[data-testid=compare-toggle]")
            toggle.click()
            expect(toggle).to_have_attribute("aria-pressed", "true")
            expect(page.locator("[data-testid=compare-count]")).to_have_text(str(number + 1))

        page.locator("[data-testid=compare-tray]").click()
        page.wait_for_url(re.compile(r".*/compare/\?sites="))
        columns = page.locator("[data-testid=compare-column]")
        expect(columns).to_have_count(3)
        assert [columns.nth(i).get_attribute("data-compare-site") for i in range(3)] == [str(s.pk) for s in sites]
        photos = page.locator("tr[data-row=photo] img")
        expect(photos).to_have_count(3)
        for index in range(3):
            assert photos.nth(index).evaluate("img => img.complete && img.naturalWidth > 0"), "a photo did not load"
            assert photos.nth(index).get_attribute("alt")

        page.fill("#compare-title", "三处地块对比")
        page.click("[data-testid=compare-save-submit]")
        page.wait_for_url(re.compile(r".*/proposals/"))
        proposal = Proposal.objects.get(title="三处地块对比")
        assert [item["carrier"] for item in proposal.results] == [site.pk for site in sites]
        covers = page.locator("[data-testid=site-cover]")
        expect(covers).to_have_count(3)
        for index in range(3):
            covers.nth(index).scroll_into_view_if_needed()
            expect(covers.nth(index)).to_have_js_property("complete", True)
            assert covers.nth(index).evaluate("img => img.naturalWidth") > 0

        href = page.locator("[data-testid=proposal-pdf]").get_attribute("href")
        response = page.request.get(live_server.url + href)
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        widths = pdf_image_widths(response.body())
        assert widths.count(480) == 3, widths  # the three covers' thumbnails, beside the QR code
        assert errors == []
        browser.close()
