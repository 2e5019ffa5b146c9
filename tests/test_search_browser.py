"""The public search box in Debian's chromium: suggestions as one types (an ARIA combobox), the arrow keys and
Enter open a site; on a phone the city's page fits the screen."""

import pytest

from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def listings(city):
    park = ParkFactory(name="银湖湾科技园", name_en="Silver Lake Bay Science Park", region=district("440705"))
    site = CarrierFactory(reference="JM-0705-001", name="银湖湾地块", name_en="Silver Lake plot", park=park)
    hidden = CarrierFactory(reference="JM-0705-002", name="银湖湾未发布地块", published=False)
    return park, site, hidden


def open_page(browser, live_server, path, **options):
    context = browser.new_context(locale="zh-CN", service_workers="block", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + path)
    return page, errors


def test_typing_shows_suggestions_and_arrow_down_enter_opens_the_site(browser, live_server, listings):
    from playwright.sync_api import expect

    _park, site, _hidden = listings
    page, errors = open_page(browser, live_server, "/")
    box = page.locator("#home-search-q")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("JM-0705", delay=30)
    options = page.locator("#home-search-list [role=option]")
    expect(options.first).to_contain_text("JM-0705-001 银湖湾地块")
    expect(box).to_have_attribute("aria-expanded", "true")
    assert "未发布" not in page.locator("#home-search-list").inner_text()
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "home-search-list-0")
    box.press("Enter")
    page.wait_for_url(live_server.url + site.get_absolute_url())
    assert "银湖湾地块" in page.locator("h1").inner_text()
    # the header's search box on the site's page suggests too, by pinyin, and Escape closes the list
    header = page.locator("#header-search-q")
    if not header.is_visible():
        page.locator(".navbar-toggler").click()
    header.press_sequentially("yinhu", delay=30)
    expect(page.locator("#header-search-list [role=option]").first).to_be_visible()
    header.press("Escape")
    expect(header).to_have_attribute("aria-expanded", "false")
    assert errors == []


def test_enter_without_a_chosen_suggestion_submits_to_the_results_page(browser, live_server, listings):
    page, errors = open_page(browser, live_server, "/")
    page.locator("#home-search-q").fill("银湖湾")
    page.locator("#home-search-q").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("[data-kind=park] [data-testid=kind-count]").inner_text() == "1"
    assert page.locator("[data-kind=site] [data-testid=kind-count]").inner_text() == "1"
    assert errors == []


def test_the_city_page_fits_a_phone(browser, live_server, listings):
    page, errors = open_page(
        browser, live_server, "/", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert page.locator("#home-search-q").is_visible()
    figures = page.locator("[data-testid=figures] a")
    assert figures.count() == 5
    assert figures.first.bounding_box()["width"] < PHONE["width"]
    assert errors == []
