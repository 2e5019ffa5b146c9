"""Comparing sites in Debian's chromium driven by Playwright: an investor picks sites with the "Compare" toggles (on
site pages and in the map's list), opens the comparison from the tray, removes a site, saves the comparison as a
proposal and downloads its PDF; the tray holds at most four sites; the comparison page is axe-clean in both
languages.
"""

import re

import pytest
from django.urls import reverse

from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district
from zhaoshang.portal.models import Proposal
from zhaoshang.portal.services.compare import compare_url

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def sites(settings, city):
    """Five public parcels of one park in 蓬江区, with different land prices."""
    settings.ZHAOSHANG_ONLINE_TILES = ""
    park = ParkFactory(
        name="蓬江对比产业园", name_en="Pengjiang Comparison Park", region=district("440703"), codes=["38"]
    )
    return [
        CarrierFactory(
            reference=f"CMP-E2E-{number}",
            name=f"蓬江对比地块{number}",
            name_en=f"Pengjiang comparison parcel {number}",
            region=district("440703"),
            park=park,
            land_price=40 + 10 * number,
            power_kva=1000 * number,
            codes=["38"],
        )
        for number in range(1, 6)
    ]


def new_page(browser, locale="zh-CN", **options):
    context = browser.new_context(locale=locale, viewport=DESKTOP, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.problems = problems
    return page


def test_an_investor_compares_three_sites_removes_one_and_saves_the_rest_as_a_proposal(live_server, browser, sites):
    page = new_page(browser)
    # two sites from their pages
    for site in sites[:2]:
        page.goto(live_server.url + site.get_absolute_url())
        toggle = page.locator("[data-testid=compare-toggle]")
        toggle.click()
        assert toggle.get_attribute("aria-pressed") == "true"
    assert page.locator("[data-testid=compare-count]").inner_text() == "2"
    # the third from the map's list
    page.goto(live_server.url + reverse("portal:map"))
    item = page.locator(f"#map-list li[data-id='{sites[2].pk}']")
    item.wait_for()
    assert item.locator("[data-testid=compare-toggle]").get_attribute("aria-pressed") == "false"
    first = page.locator(f"#map-list li[data-id='{sites[0].pk}'] [data-testid=compare-toggle]")
    assert first.get_attribute("aria-pressed") == "true"  # the tray remembered the sites picked on other pages
    item.locator("[data-testid=compare-toggle]").click()
    assert page.locator("[data-testid=compare-count]").inner_text() == "3"

    page.locator("[data-testid=compare-tray]").click()
    page.wait_for_url(re.compile(r".*/compare/\?sites="))
    columns = page.locator("[data-testid=compare-column]")
    assert columns.count() == 3
    assert [columns.nth(i).get_attribute("data-compare-site") for i in range(3)] == [str(s.pk) for s in sites[:3]]
    assert page.locator("[data-testid=compare-best]").count() >= 2  # the lowest land price, the highest power

    page.locator("[data-testid=compare-remove]").nth(1).click()
    page.wait_for_function("document.querySelectorAll('[data-testid=compare-column]').length === 2")
    assert page.locator("[data-testid=compare-count]").inner_text() == "2"  # the tray follows the page

    page.fill("#compare-title", "两处地块对比")
    page.click("[data-testid=compare-save-submit]")
    page.wait_for_url(re.compile(r".*/proposals/"))
    proposal = Proposal.objects.get()
    assert [item["carrier"] for item in proposal.results] == [sites[0].pk, sites[2].pk]
    href = page.locator("[data-testid=proposal-pdf]").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert page.problems == []


def test_the_tray_holds_at_most_four_sites_and_says_so(live_server, browser, sites):
    page = new_page(browser)
    page.goto(live_server.url + compare_url([site.pk for site in sites[:4]]))
    assert page.locator("[data-testid=compare-count]").inner_text() == "4"  # the page's sites became the tray's
    page.goto(live_server.url + sites[4].get_absolute_url())
    toggle = page.locator("[data-testid=compare-toggle]")
    toggle.click()
    message = page.locator("[data-testid=compare-message]")
    message.wait_for()
    assert "4" in message.inner_text()
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.locator("[data-testid=compare-count]").inner_text() == "4"
    assert page.problems == []


def test_without_javascript_the_site_page_link_opens_the_comparison_and_offers_the_parks_sites(
    live_server, browser, sites
):
    page = new_page(browser, java_script_enabled=False)
    page.goto(live_server.url + sites[0].get_absolute_url())
    page.click("[data-testid=compare-toggle]")
    page.wait_for_url(re.compile(r".*/compare/\?sites="))
    page.locator("[data-testid=compare-add]").first.click()
    page.wait_for_url(re.compile(r".*sites=.*sites="))
    assert page.locator("[data-testid=compare-column]").count() == 2


def test_the_compare_page_has_no_serious_accessibility_violation_in_either_language(live_server, browser, sites):
    from tests.test_accessibility_browser import AXE, LANGUAGES, violations_of

    assert AXE.exists(), "axe-core is missing: run `npm ci` (it is a development package)"
    url = live_server.url + compare_url([site.pk for site in sites[:3]])
    problems = []
    for language, locale in LANGUAGES.items():
        page = new_page(browser, locale=locale, bypass_csp=True)
        problems += violations_of(page, f"{language} compare", url)
        assert page.locator("html").get_attribute("lang") == language
        problems += violations_of(page, f"{language} compare (one site)", live_server.url + compare_url([sites[0].pk]))
        page.context.close()
    assert not problems, "\n".join(problems)
