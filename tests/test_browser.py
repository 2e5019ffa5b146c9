"""What a person clicks, in Debian's chromium driven by Playwright."""

import os
import shutil

import pytest

from zhaoshang.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(live_server):
    """A chromium tab. Pages run under the Content-Security-Policy, which refuses eval: give ``wait_for_function``
    a function (``"() => …"``), not a bare expression, which Playwright evaluates with eval while it polls."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_officer_logs_in_switches_language_and_opens_a_list_and_a_detail_page(page, live_server, officer_a, outpost_a):
    from zhaoshang.industry.tests.factories import EnterpriseFactory

    prospect = EnterpriseFactory(
        name="江门市新会区示例电池有限公司", name_en="Xinhui Demo Battery Co., Ltd.", owner_team=outpost_a
    )

    page.goto(f"{live_server.url}/work/")
    page.fill("#id_username", officer_a.username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{live_server.url}/work/")
    assert html_lang(page) == "zh-hans"
    assert "我的团队" in page.content()

    page.click("[data-testid=switch-language]")
    page.wait_for_load_state()
    assert html_lang(page) == "en"
    assert "My teams" in page.content()

    page.click("[data-testid=switch-language]")
    page.wait_for_load_state()
    assert html_lang(page) == "zh-hans"

    page.goto(f"{live_server.url}/industry/enterprises/")
    table = page.locator("[data-testid=object-table]")
    assert table.is_visible()
    page.fill("input[name=q]", "新会")
    page.locator("[data-testid=object-table] a", has_text="示例电池").wait_for()

    page.click(f"a[href='{prospect.get_absolute_url()}']")
    page.wait_for_url(f"{live_server.url}{prospect.get_absolute_url()}")
    facts = page.locator("[data-testid=enterprise-facts]")
    assert prospect.uscc in facts.inner_text()
    assert page.locator("h1.page-title").inner_text().strip() == "江门市新会区示例电池有限公司"
