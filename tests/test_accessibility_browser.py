"""Accessibility measured: axe-core (an npm development package, injected by the test only, never served) runs on
every public page and the main work pages, in Simplified Chinese and in English, at desktop width, on the demo
city in Debian's chromium; the same pages at a phone's width (Chinese); and the pages again after htmx has swapped
a fragment in (a sorted and filtered list, matching results, a form returned with its errors, the board's move
panel), because a fragment brings its own markup. A violation of impact "serious" or "critical" (colour contrast
included) fails.

Pages run under a Content-Security-Policy that refuses inline scripts: the test's browser context bypasses it so
that axe, added as a script tag, can run; the pages' own scripts load as they always do.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from zhaoshang.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}
# Desktop width; the height of a laptop screen. axe checks the whole document, not only what is in view.
DESKTOP = {"width": 1280, "height": 900}
# A common phone (CSS pixels), as an investor scanning a QR code at a fair holds it.
PHONE = {"width": 390, "height": 844}

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
    summaries: v.nodes.map((n) => n.failureSummary || ""),
  }));
}"""


def demo_pages(data) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, path) of the public pages and of the work pages, on the demo's records."""
    from django.contrib.auth.models import AnonymousUser

    from zhaoshang.geo.models import Carrier
    from zhaoshang.portal.forms.inquiries import InquiryForm
    from zhaoshang.portal.models import Guide, Policy
    from zhaoshang.portal.services.inquiries import submit_inquiry
    from zhaoshang.portal.services.matching import Needs, save_proposal
    from zhaoshang.projects.models import Project
    from zhaoshang.review.choices import ReviewState
    from zhaoshang.review.models import Review

    park = next(iter(data["parks"].values()))
    carrier = Carrier.objects.restrict(AnonymousUser(), "view").order_by("pk").first()
    guide = Guide.objects.order_by("pk").first()
    policy = Policy.objects.order_by("pk").first()
    proposal = save_proposal(Needs(area_min=20, area_max=200), language="zh-hans", title="示例方案")
    project = Project.objects.order_by("pk").first()
    form = InquiryForm(
        data={
            "company": "海岸精密机械有限公司",
            "contact_name": "李娜",
            "email": "li.na@coast.example.com",
            "message": "想了解一处五千平方米的标准厂房。",
            "consent": True,
        }
    )
    assert form.is_valid(), form.errors
    inquiry = submit_inquiry(form.cleaned_data, carrier=carrier, language="zh-hans")
    public = [
        ("landing", reverse("portal:home")),
        ("search", f"{reverse('portal:search')}?q={park.name[:2]}"),
        ("search by kind", f"{reverse('portal:search')}?kind=site"),
        ("map", reverse("portal:map")),
        ("park", park.get_absolute_url()),
        ("site", carrier.get_absolute_url()),
        ("guides", reverse("portal:guide-list")),
        ("guide", guide.get_absolute_url()),
        ("policies", reverse("portal:policy-list")),
        ("policy", policy.get_absolute_url()),
        ("inquiry form", reverse("portal:inquire")),
        ("proposal", proposal.get_absolute_url()),
    ]
    work = [
        ("home", "/work/"),
        ("project list", reverse("projects:project-list")),
        ("project detail", project.get_absolute_url()),
        ("board", reverse("projects:board")),
        ("inquiry inbox", reverse("portal:inquiry-inbox")),
        ("dashboard", reverse("stats:dashboard")),
        ("dashboard screen", reverse("stats:dashboard") + "?screen=1"),
        ("report", reverse("stats:report")),
        ("inquiry detail", inquiry.get_absolute_url()),
        ("review list", reverse("review:review-list")),
        ("review case", Review.objects.filter(state=ReviewState.COMMITTED).order_by("pk").first().get_absolute_url()),
        ("supervision", reverse("review:supervision")),
    ]
    return public, work


def settle(page):
    """The page and what its scripts fetch (map boundaries, sites) are loaded, and the charts are drawn."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # ECharts animates its first frame in


def violations_of(page, name: str, url: str, action=None) -> list[str]:
    """The blocking violations on ``url``; after ``action(page)`` has made htmx swap a fragment in, if given."""
    response = page.goto(url)
    assert response.status == 200, f"{name}: {url} answered {response.status}"
    settle(page)
    if action is not None:
        page.evaluate(
            "() => { window.__swaps = 0;"
            " document.body.addEventListener('htmx:afterSettle', () => { window.__swaps += 1; }); }"
        )
        try:
            action(page)
            page.wait_for_function("() => window.__swaps > 0", timeout=10_000)
        except PlaywrightTimeout:
            return [f"{name} ({url}): htmx swapped no fragment in"]
        settle(page)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE)
    lines = []
    for violation in found:
        if violation["impact"] not in BLOCKING:
            continue
        for target, summary in zip(violation["targets"], violation["summaries"], strict=True):
            detail = " ".join(summary.split())[:300]
            lines.append(f"{name} ({url}): {violation['id']} [{violation['impact']}] {target} — {detail}")
    return lines


def fragments(project) -> tuple[list, list]:
    """(name, path, action) of public and work pages whose action makes htmx swap a fragment in."""

    def sort_then_filter(page):
        page.locator("#object-table a.table-sort-link").first.click()
        page.wait_for_function("() => window.__swaps > 0")
        page.evaluate("() => { window.__swaps = 0; }")
        search = page.locator("#filter-form input[type=search]").first
        search.fill("科技")
        search.press("Enter")

    def submit(selector):
        return lambda page: page.locator(selector).locator("[type=submit]").first.click()

    def submit_without_date(page):
        """The stage form sent without its date comes back with the error; the project does not move."""
        page.locator("[data-testid=transition-form] input[name=happened_on]").fill("")
        submit("[data-testid=transition-form]")(page)

    public = [
        ("matching results", reverse("portal:match"), submit("[data-testid=match-form]")),
        ("inquiry errors", reverse("portal:inquire"), submit("[data-testid=inquiry-form]")),
    ]
    work = [
        ("project list sorted and filtered", reverse("projects:project-list"), sort_then_filter),
        (
            "board move panel",
            reverse("projects:board"),
            lambda page: page.locator("[data-testid=move-button]").first.click(),
        ),
        ("stage form errors", project.get_absolute_url(), submit_without_date),
    ]
    return public, work


def blocking_violations(page) -> list[str]:
    """The serious and critical axe-core violations of the page, one line per element."""
    page.add_script_tag(path=str(AXE))
    return [f"{v['id']} {target}" for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING for target in v["targets"]]


def log_in_with_password(page, base_url: str, user, password: str = "browser-pass-1") -> None:
    """Give ``user`` a password and log in with it on the staff login page."""
    user.set_password(password)
    user.save()
    page.goto(f"{base_url}/work/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{base_url}/work/")


def log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/work/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{base_url}/work/")


@pytest.fixture
def demo_city(transactional_db, settings, tmp_path):
    from zhaoshang.core.demo import DEMO_CITY, load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path  # the demo's photos
    return load_demo(DEMO_CITY)


def test_no_serious_or_critical_violation_on_the_public_and_work_pages_in_both_languages(live_server, demo_city):
    """Both languages in one test: the demo city takes long to build, and is built once."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` (it is a development package)"
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from zhaoshang.projects.models import Project

    public, work = demo_pages(demo_city.data)
    # The board's move panel and the stage form need someone who may move the project: a district officer.
    mover = demo_city.data["users"]["pengjiang"]
    movable = Project.objects.restrict(mover, "change").order_by("pk").first()
    public_fragments, work_fragments = fragments(movable)
    leader = demo_city.data["users"]["leader"]
    runs = [(language, locale, DESKTOP) for language, locale in LANGUAGES.items()] + [("zh-hans", "zh-CN", PHONE)]
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for language, locale, viewport in runs:
            label = f"{language} {viewport['width']}px"
            context = browser.new_context(locale=locale, viewport=viewport, bypass_csp=True)
            page = context.new_page()
            page.set_default_timeout(30_000)
            for name, path in public:
                problems += violations_of(page, f"{label} {name}", live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language
            if viewport is DESKTOP:
                for name, path, action in public_fragments:
                    problems += violations_of(page, f"{label} {name}", live_server.url + path, action)

            log_in(page, live_server.url, leader)
            for name, path in work:
                problems += violations_of(page, f"{label} {name}", live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language
            context.close()
            if viewport is DESKTOP:
                context = browser.new_context(locale=locale, viewport=viewport, bypass_csp=True)
                page = context.new_page()
                page.set_default_timeout(30_000)
                log_in(page, live_server.url, mover)
                for name, path, action in work_fragments:
                    problems += violations_of(page, f"{label} {name}", live_server.url + path, action)
                context.close()
        browser.close()
    print("\n".join(problems))
    assert not problems, f"{len(problems)} serious or critical accessibility violations:\n" + "\n".join(problems)
