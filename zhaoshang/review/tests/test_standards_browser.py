"""In the browser: the standards pages and the figures page with its indicator table pass axe-core; a centre
officer makes a new version by clicking through; a failing indicator reads its result in words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.test_accessibility_browser import blocking_violations as blocking
from tests.test_accessibility_browser import log_in_with_password as log_in
from zhaoshang.review.choices import Indicator
from zhaoshang.review.models import StandardSet
from zhaoshang.review.standards_seed import HIGH_TECH

from .standards_fixtures import FIGURES, make_review_fixture, standards_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_standards_pages_are_accessible_and_a_new_version_is_made_by_clicking(
    transactional_db, live_server, browser, standards, make_review, centre_officer
):
    review = make_review(zone=standards["zones"][HIGH_TECH], **{**FIGURES, "fixed_asset_investment": Decimal("29999")})
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, centre_officer)
    current = standards["current"]
    pages = [
        reverse("review:standard-list"),
        reverse("review:standard-detail", args=[current.pk]),
        reverse("review:source-list"),
        reverse("review:zone-list"),
        reverse("review:mapping-list"),
        reverse("review:standard-new-version", args=[current.pk]),
        reverse("review:review-figures", args=[review.pk]),
    ]
    found = []
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found += [f"{path}: {line}" for line in blocking(page)]
    assert found == []

    row = page.locator(f"[data-testid=indicator-row][data-indicator={Indicator.INVESTMENT_INTENSITY}]")
    assert row.get_attribute("data-passed") == "fail"
    text = row.inner_text()
    assert "✗" in text and ("未通过" in text or "Fail" in text) and "≥ 300" in text  # a word, a sign, the limit

    page.goto(live_server.url + reverse("review:standard-detail", args=[current.pk]))
    page.click("[data-testid=new-version]")
    page.fill("#id_effective_from", "2032-01-01")
    page.fill("#id_name", "2032年准入标准")
    page.locator("[data-testid=new-version-form] [type=submit]").click()
    created = StandardSet.objects.get(name="2032年准入标准")
    page.wait_for_url(live_server.url + created.get_absolute_url())
    assert page.locator("[data-testid=threshold]").count() == current.thresholds.count()
    context.close()
