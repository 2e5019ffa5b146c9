"""Per-mu evaluation in Debian's chromium: the centre starts a run with the button, the distribution's chart is
drawn, and the pages (run, results, score card, methods, figures, runs) have no serious accessibility violation
in Chinese and in English."""

from __future__ import annotations

import os
import random

import pytest

from tests.test_accessibility_browser import AXE, violations_of
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.test_projects_browser import log_in
from zhaoshang.review import demo_permu
from zhaoshang.review.models import EvaluationMethod, EvaluationResult, EvaluationRun
from zhaoshang.review.services import permu

pytestmark = pytest.mark.browser
YEAR = 2025


def test_the_centre_runs_the_evaluation_and_the_pages_are_accessible(live_server, city, centre_officer):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from zhaoshang.industry.models import EnterpriseTag, IndustryCode
    from zhaoshang.industry.services import load_reference_data
    from zhaoshang.review.models import MethodIndicator

    if not IndustryCode.objects.exists():
        load_reference_data(IndustryCode, EnterpriseTag)  # a transactional test empties the tables it finds
    permu.seed_county_methods(EvaluationMethod, MethodIndicator, YEAR - 1)
    permu.seed_county_methods(EvaluationMethod, MethodIndicator, YEAR)
    rng = random.Random(7)
    firms = demo_permu.make_firms(80, rng)
    demo_permu.make_years(firms, [YEAR - 1, YEAR], rng)
    permu.run_evaluation(YEAR - 1)
    assert AXE.exists()
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for locale in ("zh-CN", "en-US"):
            context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}, bypass_csp=True)
            tab = context.new_page()
            log_in(tab, live_server, centre_officer)
            tab.goto(f"{live_server.url}/work/review/permu/runs/")
            tab.fill("input[name=year]", str(YEAR))
            tab.locator("form[action$='/runs/start/'] button[type=submit]").click()
            tab.wait_for_url(f"{live_server.url}/work/review/permu/runs/*/")
            tab.wait_for_selector("#permu-chart canvas")  # ECharts drew the bar chart
            run = EvaluationRun.objects.filter(year=YEAR).latest("created")
            assert int(tab.locator("[data-testid=count-A]").inner_text()) == run.results.filter(grade="A").count()
            result = EvaluationResult.objects.filter(run=run).exclude(grade="").first()
            method = EvaluationMethod.objects.filter(year=YEAR).first()
            pages = [
                ("run", run.get_absolute_url()),
                ("results", "/work/review/permu/results/"),
                ("score card", result.get_absolute_url()),
                ("methods", "/work/review/permu/methods/"),
                ("method", method.get_absolute_url()),
                ("runs", "/work/review/permu/runs/"),
                ("figures", "/work/review/permu/figures/"),
            ]
            for name, path in pages:
                problems += violations_of(tab, f"{locale} {name}", f"{live_server.url}{path}")
            context.close()
        browser.close()
    assert EvaluationRun.objects.filter(year=YEAR).count() == 2
    assert not problems, "\n".join(problems)
