"""Accessibility measured: axe-core (an npm development package, injected by the test only, never served) runs on
every public page and the main work pages, in Simplified Chinese and in English, at desktop width, on the demo
city in Debian's chromium. A violation of impact "serious" or "critical" (colour contrast included) fails.

Pages run under a Content-Security-Policy that refuses inline scripts: the test's browser context bypasses it so
that axe, added as a script tag, can run; the pages' own scripts load as they always do.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from zhaoshang.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}
# Desktop width; the height of a laptop screen. axe checks the whole document, not only what is in view.
DESKTOP = {"width": 1280, "height": 900}

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
    ]
    return public, work


def settle(page):
    """The page and what its scripts fetch (map boundaries, sites) are loaded, and the charts are drawn."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # ECharts animates its first frame in


def violations_of(page, name: str, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, f"{name}: {url} answered {response.status}"
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


@pytest.fixture
def demo_city(transactional_db, settings):
    from zhaoshang.core.demo import DEMO_CITY, load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load_demo(DEMO_CITY)


def test_no_serious_or_critical_violation_on_the_public_and_work_pages_in_both_languages(live_server, demo_city):
    """Both languages in one test: the demo city takes long to build, and is built once."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` (it is a development package)"
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    public, work = demo_pages(demo_city.data)
    leader = demo_city.data["users"]["leader"]
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for language, locale in LANGUAGES.items():
            context = browser.new_context(locale=locale, viewport=DESKTOP, bypass_csp=True)
            page = context.new_page()
            page.set_default_timeout(30_000)
            for name, path in public:
                problems += violations_of(page, f"{language} {name}", live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language

            page.goto(f"{live_server.url}/work/")
            page.fill("#id_username", leader.username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("[data-testid=login-submit]")
            page.wait_for_url(f"{live_server.url}/work/")
            for name, path in work:
                problems += violations_of(page, f"{language} {name}", live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language
            context.close()
        browser.close()
    print("\n".join(problems))
    assert not problems, f"{len(problems)} serious or critical accessibility violations:\n" + "\n".join(problems)
