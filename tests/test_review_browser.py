"""An admission review in Debian's chromium: a reviewer logs in, opens the case assigned to him from his list, sees
the indicator table, scores every criterion and submits; the chair logs in and records the decision, which the
case page then shows. The reviewer's case page passes axe-core. No JavaScript error on the way."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhaoshang.accounts.choices import Role, TeamKind
from zhaoshang.accounts.tests.factories import PASSWORD, TeamFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("own_standards")]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def case(transactional_db, settings):
    from zhaoshang.review.services import workflow
    from zhaoshang.review.tests.cases import draft, standard_set

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    centre = TeamFactory(name="市投资促进中心", kind=TeamKind.CENTRE)
    outpost = TeamFactory(name="驻北京招商联络处", kind=TeamKind.OUTPOST)
    officer = member(centre, Role.OFFICER, username="centre_officer")
    reviewer = member(centre, Role.REVIEWER, username="reviewer", full_name="周评审")
    chair = member(centre, Role.TEAM_LEAD, username="chair", full_name="李主任")
    standard_set()
    review = workflow.submit(draft(outpost, name="动力电池基地项目"), officer, on=date(2025, 3, 1))
    review = workflow.assign(review, officer, [reviewer], chair, date(2025, 3, 10))
    draft(outpost, name="未分配的储能项目")  # another case, not his: not in his list
    return review, reviewer, chair


def log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/work/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{base_url}/work/")


def test_a_reviewer_scores_an_assigned_case_and_the_chair_records_the_decision(live_server, browser, case):
    from playwright.sync_api import expect

    from tests.test_accessibility_browser import violations_of
    from zhaoshang.review.models import Assignment, Review
    from zhaoshang.review.services import workflow
    from zhaoshang.review.services.indicators import indicator_table

    review, reviewer, chair = case
    criteria = list(workflow.criteria_of(review))
    errors: list[str] = []

    # The reviewer: his list, the case, the indicator table, every criterion scored, submitted (axe-core is added
    # to the page as a script of its own: the context lets it past the Content-Security-Policy).
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server.url, reviewer)
    page.goto(live_server.url + reverse("review:review-list") + "?mine=true")
    expect(page.locator("#object-table")).to_contain_text("动力电池基地项目")
    expect(page.locator("#object-table")).not_to_contain_text("未分配的储能项目")
    page.locator("#object-table a", has_text="动力电池基地项目").click()
    page.wait_for_url(live_server.url + review.get_absolute_url())
    expect(page.locator("[data-testid=indicator-table]")).to_be_visible()
    expect(page.locator("[data-testid=indicator-row]")).to_have_count(len(indicator_table(review).rows))
    intensity = page.locator("[data-testid=indicator-row][data-indicator=investment_intensity]")
    expect(intensity).to_contain_text("300")  # the threshold of the set in force on the submission date
    problems = violations_of(page, "review case with the score form", live_server.url + review.get_absolute_url())
    assert not problems, "\n".join(problems)
    for criterion in criteria:
        page.fill(f"[name=points_{criterion.pk}]", str(criterion.max_points - 5))
        page.fill(f"[name=comment_{criterion.pk}]", f"{criterion.name}较好")
    page.click("[data-testid=submit-scores]")
    page.wait_for_url(live_server.url + review.get_absolute_url())
    expect(page.locator("[data-testid=score-form]")).to_have_count(0)
    expect(page.locator("[data-testid=assignments]")).to_contain_text("周评审")
    assignment = Assignment.objects.get(review=review, reviewer=reviewer)
    assert assignment.submitted_at is not None
    assert sorted(assignment.scores.values_list("points", flat=True)) == sorted(c.max_points - 5 for c in criteria)
    context.close()

    # The chair: the case, the decision form, the decision shown.
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server.url, chair)
    page.goto(live_server.url + review.get_absolute_url())
    expect(page.locator("[data-testid=score-sheet]")).to_contain_text("周评审")
    form = page.locator("[data-testid=decision-form]")
    form.locator("[name=decision]").select_option("conditions")
    form.locator("[name=reasons]").fill("产业契合度高，投资强度达标")
    form.locator("[name=conditions]").fill("三年内达产")
    form.locator("[type=submit]").click()
    page.wait_for_url(live_server.url + review.get_absolute_url())
    expect(page.locator("[data-testid=decision]")).to_contain_text("三年内达产")
    expect(page.locator("[data-testid=decision-value]")).to_have_text(
        str(Review.objects.get(pk=review.pk).get_decision_display())
    )
    assert Review.objects.get(pk=review.pk).state == "decided"
    context.close()
    assert errors == []
