"""The investor portal end to end, in Debian's chromium driven by Playwright: an investor's whole story and the
officer who answers.

An anonymous visitor on a phone, with no network beyond this site, opens the investment map, filters it by a
chain and a district, opens a site, reads its landing guide, switches to English, runs a matching, saves the
proposal, downloads its PDF and sends an inquiry; then an officer of the team responsible for the site logs in
and finds that inquiry in the inbox with its response clock, opens it and accepts it, which opens its lead.
"""

import io
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from pypdf import PdfReader

from zhaoshang.accounts.tests.factories import PASSWORD
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.models import IndustryCode
from zhaoshang.industry.tests.factories import ChainFactory
from zhaoshang.portal.models import Guide, GuideStep, Inquiry

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SITE_GEOJSON = reverse("api:portal-site-geojson")
REGION_GEOJSON = reverse("api:region-geojson")
JIANGMEN_DISTRICTS = ("蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市")
COMPANY = "深圳示例储能科技有限公司"
# The district shapes are in the map's overlay pane: SVG paths, or (Leaflet's preferCanvas) a canvas on which
# they cover a good share of the pixels (on a phone about a third; three site markers alone cover under 1%).
BOUNDARIES_PAINTED = """(districts) => {
  const pane = document.querySelector("#portal-map .leaflet-overlay-pane");
  if (pane.querySelectorAll("svg path").length >= districts) return true;
  const canvas = pane.querySelector("canvas");
  if (!canvas || !canvas.width) return false;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) painted += 1;
  return painted > pixels.length / 4 / 10;
}"""


@pytest.fixture
def offline(live_server):
    """Every request for another host is aborted and remembered: the portal must not need one."""
    own = urlsplit(live_server.url).netloc
    foreign: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    return guard, foreign


@pytest.fixture
def phone(browser, offline):
    guard, _foreign = offline
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, service_workers="block", accept_downloads=True
    )
    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def portal(settings, city, centre, outpost_a, outpost_b):
    """Two battery sites (蓬江, 新会) and a food site (蓬江), a chain of industry 38, the industrial guide."""
    settings.ZHAOSHANG_ONLINE_TILES = ""  # the online tile layer switched off
    chain = ChainFactory(name="新能源电池", name_en="New-energy batteries")
    chain.industry_codes.set(IndustryCode.objects.filter(code="38"))
    park = ParkFactory(
        name="蓬江示例产业园", name_en="Pengjiang Demo Industrial Park", region=district("440703"), team=outpost_a
    )
    battery = CarrierFactory(
        reference="JM-E2E-001",
        name="蓬江区新能源电池产业地块",
        name_en="Pengjiang new-energy battery parcel",
        region=district("440703"),
        park=park,
        team=outpost_a,
        codes=["38"],
        area_mu=Decimal("60"),
        power_kva=8000,
        contact_name="李工",
        contact_phone="0750-3500000",
    )
    xinhui = CarrierFactory(
        reference="JM-E2E-002",
        name="新会区储能装备地块",
        name_en="Xinhui energy-storage parcel",
        region=district("440705"),
        team=outpost_b,
        codes=["38"],
        area_mu=Decimal("40"),
        power_kva=3000,
    )
    food = CarrierFactory(
        reference="JM-E2E-003",
        name="蓬江区食品加工地块",
        name_en="Pengjiang food-processing parcel",
        region=district("440703"),
        team=outpost_b,
        codes=["13"],
    )
    guide = Guide.objects.create(
        project_type=ProjectType.INDUSTRIAL, title="工业项目落地指引", title_en="Landing an industrial project"
    )
    steps = [
        ("项目备案", "Register the project", "发展和改革局", 3),
        ("用地预审与选址", "Land pre-review and siting", "自然资源局", 20),
        ("施工许可", "Construction permit", "住房和城乡建设局", 7),
    ]
    for order, (title, title_en, department, days) in enumerate(steps, start=1):
        GuideStep.objects.create(
            guide=guide, order=order, title=title, title_en=title_en, department=department, duration_days=days
        )
    return {"chain": chain, "battery": battery, "xinhui": xinhui, "food": food, "steps": steps}


# --- what the visitor reads -----------------------------------------------------------------------------------


def site_names(page) -> list[str]:
    return sorted(page.locator("[data-testid=map-list] > li a").all_inner_texts())


def sites_response(page, **params):
    """Wait for the map's site query carrying these filters."""

    def wanted(response):
        url = response.url
        return SITE_GEOJSON in url and all(f"{name}={value}" in url for name, value in params.items())

    return page.expect_response(wanted)


def pdf_text(path) -> str:
    with open(path, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- the story ------------------------------------------------------------------------------------------------


def test_an_investor_on_a_phone_finds_a_site_and_asks_and_the_responsible_officer_sees_the_inquiry(
    live_server, browser, phone, offline, portal, officer_a, outpost_a
):
    from playwright.sync_api import expect

    page = phone
    _guard, foreign = offline
    bugs: list[str] = []  # steps that do not behave as required; the story goes on and fails at the end
    battery, xinhui, food, chain = portal["battery"], portal["xinhui"], portal["food"], portal["chain"]

    # The map opens with the city's own district boundaries and every public site in view.
    with page.expect_response(lambda r: REGION_GEOJSON in r.url and r.ok) as regions:
        page.goto(f"{live_server.url}/map/")
    assert len(regions.value.json()["features"]) == len(JIANGMEN_DISTRICTS)
    labels = page.locator("#portal-map .leaflet-tooltip-pane .portal-region-label")
    expect(labels).to_have_count(len(JIANGMEN_DISTRICTS))
    assert sorted(labels.all_inner_texts()) == sorted(JIANGMEN_DISTRICTS)
    page.wait_for_function(BOUNDARIES_PAINTED, arg=len(JIANGMEN_DISTRICTS))
    assert page.locator("#portal-map .leaflet-tile-pane img").count() == 0, "no online tile is requested"
    items = page.locator("[data-testid=map-list] > li")
    expect(items).to_have_count(3)
    assert site_names(page) == sorted([battery.name, xinhui.name, food.name])

    # 招什么: the chain the city seeks narrows the list to the battery sites.
    chip = page.locator(f"[data-testid=chains-sought] button[data-chain='{chain.pk}']")
    assert chip.inner_text().strip() == "新能源电池"
    with sites_response(page, chain=chain.pk):
        chip.click()
    expect(items).to_have_count(2)
    assert site_names(page) == sorted([battery.name, xinhui.name])
    expect(chip).to_have_attribute("aria-pressed", "true")

    # 到哪里: the district, chosen in the filter drawer, keeps the site in 蓬江区.
    page.get_by_role("button", name=re.compile("筛选|Filters")).click()
    drawer = page.locator("#map-filters")
    expect(drawer).to_be_visible()
    drawer.locator("#map-filter-form select[name=district]").select_option("440703")
    with sites_response(page, chain=chain.pk, district="440703"):
        drawer.locator("#map-filter-form button[type=submit]").click()
    expect(items).to_have_count(1)
    assert site_names(page) == [battery.name]
    try:
        expect(drawer).to_be_hidden(timeout=3_000)
    except AssertionError:
        bugs.append(
            "Applying the filters on a phone leaves the filter drawer open over the map and the list: "
            "portal/static/portal/map.js hides it through window.bootstrap, which Tabler does not define "
            "(it exports window.tabler.Offcanvas)"
        )
        drawer.locator(".btn-close").click()  # the visitor closes it by hand
        expect(drawer).to_be_hidden()

    # 落哪里 and 如何落: the site's page with the steps of the industrial guide.
    items.first.locator("a").click()
    page.wait_for_url(f"{live_server.url}{battery.get_absolute_url()}")
    assert page.locator("h1.page-title").inner_text().strip() == battery.name
    steps = page.locator("[data-testid=guide-steps] > li")
    expect(steps).to_have_count(len(portal["steps"]))
    for step, (title, _title_en, department, _days) in zip(steps.all(), portal["steps"], strict=True):
        assert title in step.inner_text() and department in step.inner_text()

    # The same page in English.
    page.locator("[data-testid=switch-language]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.startswith(f"{live_server.url}{battery.get_absolute_url()}")
    expect(page.locator("h1.page-title")).to_have_text(battery.name_en)
    expect(page.locator("[data-testid=guide-steps]")).to_contain_text("Register the project")

    # 按图索骥: the needs, the ranked sites, the best one first.
    page.goto(f"{live_server.url}{reverse('portal:match')}")
    page.select_option("#id_industry", "38")
    page.fill("#id_area_min", "30")
    page.fill("#id_area_max", "80")
    page.fill("#id_power", "5000")
    page.click("[data-testid=match-submit]")
    matches = page.locator("[data-testid=match]")
    expect(matches.first).to_be_visible()
    references = [match.get_attribute("data-reference") for match in matches.all()]
    assert references == [battery.reference, xinhui.reference]
    assert battery.name_en in matches.first.inner_text()
    assert int(matches.first.get_attribute("data-score")) > int(matches.nth(1).get_attribute("data-score"))

    # The result kept as a proposal page.
    page.click("[data-testid=proposal-save-submit]")
    page.wait_for_url(re.compile(r"/proposals/[\w-]+/$"))
    proposal_sites = page.locator("[data-testid=proposal-site]")
    expect(proposal_sites.first).to_have_attribute("data-reference", battery.reference)

    # Its PDF carries the site's Chinese name and reference, even for a reader in English.
    with page.expect_download() as download_info:
        page.click("[data-testid=proposal-pdf]")
    download = download_info.value
    assert download.failure() is None
    text = pdf_text(download.path())
    assert battery.name in text and battery.reference in text

    # An inquiry from the proposal page, in the form htmx loads into it.
    form = page.locator("[data-testid=inquiry-form]")
    expect(form).to_be_visible()
    form.locator("#inquiry_company").fill(COMPANY)
    form.locator("#inquiry_contact_name").fill("王经理")
    form.locator("#inquiry_email").fill("wang@example.cn")
    form.locator("#inquiry_message").fill("我们计划投资储能电池项目，需用地约六十亩，请介绍该地块的供电与环评要求。")
    form.locator("#inquiry_consent").check()  # the investor agrees to the stated use of their data
    form.locator("[data-testid=inquiry-submit]").click()
    expect(page.locator("[data-testid=inquiry-sent]")).to_be_visible()

    assert page.js_errors == [], "the portal's scripts raised errors"
    assert foreign == [], "the portal asked for another host although it must work without network"
    inquiry = Inquiry.objects.get(company=COMPANY)
    if inquiry.team != outpost_a:
        bugs.append(
            f"An inquiry sent from a proposal goes to {inquiry.team}, not to {outpost_a}, the team of the "
            "best-ranked site: portal/services/inquiries.py (_ranked_carrier_ids) reads 'carrier_id' from the "
            "proposal's results, but portal/services/matching.py (snapshot) saves the site's id as 'carrier'"
        )

    # The officer of that team finds it in the inbox with its response clock.
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP, service_workers="block")
    officer = context.new_page()
    officer.set_default_timeout(15_000)
    officer.goto(f"{live_server.url}{reverse('accounts:login')}")
    officer.fill("#id_username", officer_a.username)
    officer.fill("#id_password", PASSWORD)
    officer.click("[data-testid=login-submit]")
    officer.wait_for_url(lambda url: reverse("accounts:login") not in url)
    officer.goto(f"{live_server.url}{reverse('portal:inquiry-inbox')}")
    row = officer.locator("[data-testid=inquiry-row]", has_text=COMPANY)
    expect(officer.locator("[data-testid=inquiry-table]")).to_be_visible()
    if row.count() == 1:
        clock = row.locator("[data-testid=clock]")
        expect(clock).to_have_attribute("data-state", "running")
        assert clock.inner_text().strip(), "the response clock says how long is left"
        # Nothing is in the pipeline until the officer accepts the inquiry; accepting opens its lead.
        assert inquiry.lead_id is None
        row.get_by_role("link", name=COMPANY).click()
        officer.locator("[data-testid=accept]").click()
        expect(officer.locator("[data-testid=inquiry-lead]")).to_be_visible()
        inquiry.refresh_from_db()
        assert inquiry.lead is not None and inquiry.lead.owner_team == inquiry.team
    else:
        bugs.append(f"{officer_a.username}'s inbox does not list the inquiry of {COMPANY} (see the routing above)")
    context.close()

    assert bugs == [], "\n".join(bugs)


def test_the_map_asks_for_its_view_widened_to_a_grid_and_lists_the_sites_in_view(live_server, phone, portal):
    """Near views ask the same box (kept for every visitor): its corners lie on a grid whose cell is a quarter to
    half the view; the list shows the answer's sites inside the view only."""
    from urllib.parse import parse_qs

    from playwright.sync_api import expect

    with phone.expect_response(lambda r: SITE_GEOJSON in r.url and r.ok) as first:
        phone.goto(f"{live_server.url}/map/")
    west, south, east, north = map(float, parse_qs(urlsplit(first.value.url).query)["bbox"][0].split(","))
    span = max(east - west, north - south)
    on_grid = [
        step
        for step in (2.0**k for k in range(-12, 4))
        if step >= span / 8 and all(abs(v / step - round(v / step)) < 1e-6 for v in (west, south, east, north))
    ]
    assert on_grid, (west, south, east, north)
    answered = {feature["properties"]["id"] for feature in first.value.json()["features"]}
    listed = phone.locator("[data-testid=map-list] > li")
    expect(listed).to_have_count(3)
    assert {int(item.get_attribute("data-id")) for item in listed.all()} <= answered
