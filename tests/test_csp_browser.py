"""The Content-Security-Policy in Debian's chromium: the public map, a park, the dashboard, the project board and
the API documentation run without a single violation, and the behaviours that used to be inline script (the
print button, the period selector, the inquiry form that shows a refusal in place) still work."""

import pytest
from django.utils import timezone

from zhaoshang.geo.tests.factories import ParkFactory
from zhaoshang.stats.periods import Period

from .test_browser import page  # noqa: F401 - the chromium page fixture
from .test_projects_browser import log_in

pytestmark = pytest.mark.browser

# Before any page script: note every violation the page reports, and count prints instead of opening the dialog.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""


@pytest.fixture
def watched(page):  # noqa: F811
    """The chromium page, with the violations its pages report (events and console messages)."""
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH)

    def violations() -> list[str]:
        reported = page.evaluate("window.__violations")
        return reported + [text for text in console if "Content Security Policy" in text]

    page.violations = violations
    return page


def visit(tab, url: str, ready: str) -> None:
    """Open ``url`` in ``tab``, wait until ``ready`` (a selector) is shown, and find no violation on the way."""
    response = tab.goto(url)
    assert response.ok, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    tab.locator(ready).first.wait_for()
    tab.wait_for_load_state("networkidle")
    assert tab.violations() == [], url


def test_public_and_staff_pages_run_under_the_policy_and_their_buttons_work(
    watched, live_server, settings, city, centre, leader
):
    tab = watched
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**rates, "inquiry": "0/hour"}}
    park = ParkFactory(team=centre)

    visit(tab, f"{live_server.url}/admin/login/", "#login-form")  # Django's admin
    visit(tab, f"{live_server.url}/", "[data-testid=figures]")  # the city's page
    visit(tab, f"{live_server.url}/map/", "#portal-map .leaflet-tooltip-pane .portal-region-label")
    visit(tab, f"{live_server.url}{park.get_absolute_url()}", ".leaflet-container")
    tab.locator("[data-testid=inquiry-form]").wait_for()  # the inquiry form came in through htmx
    tab.fill("#inquiry_company", "星河新能源科技有限公司")
    tab.click("[data-testid=inquiry-submit]")
    tab.locator("[data-testid=rate-limited]").wait_for()  # the refusal (429) is swapped in like an answer
    assert tab.input_value("#inquiry_company") == "星河新能源科技有限公司"  # with what was typed
    assert tab.violations() == []

    log_in(tab, live_server, leader)
    visit(tab, f"{live_server.url}/work/stats/dashboard/", "#chart-trend canvas")
    box = tab.locator("#chart-trend").bounding_box()
    tab.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.locator("#chart-trend div:has(> span)").first.wait_for(state="attached")  # ECharts' tooltip, styled inline
    assert tab.violations() == []
    tab.click("[data-testid=print]")
    assert tab.evaluate("window.__printed") == 1

    periods = tab.locator("[data-testid=period] option")
    other = next(o.get_attribute("value") for o in periods.all() if o.get_attribute("selected") is None)
    with tab.expect_navigation():
        tab.select_option("[data-testid=period]", other)
    assert f"period={other}" in tab.url
    assert tab.locator("[data-testid=period]").input_value() == other
    assert Period.parse(other) != Period.default(timezone.localdate())
    assert tab.violations() == []

    visit(tab, f"{live_server.url}/work/projects/board/", "[data-testid=board]")
    visit(tab, f"{live_server.url}/api/docs/", ".swagger-ui .opblock")
