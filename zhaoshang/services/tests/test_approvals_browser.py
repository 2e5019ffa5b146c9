"""In Debian's chromium: an officer opens a signed project, builds its approval plan from the social-investment
template and sees which item blocks construction start, with the Gantt chart drawn; the plan page and a
department's queue pass axe-core in Chinese and English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.test_accessibility_browser import blocking_violations as blocking
from tests.test_accessibility_browser import log_in_with_password as log_in
from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.models import Team
from zhaoshang.accounts.tests.factories import member
from zhaoshang.services.models import ApprovalPlan

pytestmark = pytest.mark.browser


def test_an_officer_builds_the_plan_and_sees_what_blocks_construction_start(
    transactional_db, live_server, browser, signed_project, officer_a
):
    from zhaoshang.core import workdays
    from zhaoshang.core.calendar_load import load_year
    from zhaoshang.core.models import CalendarYear
    from zhaoshang.services.approvals_seed import seed

    seed()  # a transactional test empties the tables it finds: the catalogue again
    if not CalendarYear.objects.filter(year=2026).exists():
        load_year(2026)
    workdays.forget()
    housing_officer = member(Team.objects.get(name="住房和城乡建设局"), Role.OFFICER, username="zjj_browser")

    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    log_in(tab, live_server.url, officer_a)
    tab.goto(live_server.url + signed_project.get_absolute_url())
    panel = tab.locator("[data-testid=project-approvals]")
    panel.locator(f"a[href='{reverse('services:plan-build', args=[signed_project.pk])}']").click()
    tab.wait_for_url(f"**{reverse('services:plan-build', args=[signed_project.pk])}")
    assert tab.input_value("#id_started_on") == "2026-04-29"  # the signing date
    tab.select_option("#id_template", label="社会投资项目")
    tab.locator("[data-testid=build-plan-form] [type=submit]").click()
    plan = ApprovalPlan.objects.get(project=signed_project)
    tab.wait_for_url(live_server.url + plan.get_absolute_url())
    assert plan.items.count() == 19 and plan.template.name == "社会投资项目"

    blockers = tab.locator("[data-testid=blocker]")
    assert blockers.count() == 14  # the items of the first three stages, none granted yet
    assert "建筑工程施工许可证" in tab.locator("[data-testid=blockers]").inner_text()
    assert "住房和城乡建设局" in tab.locator("[data-testid=blockers]").inner_text()
    tab.wait_for_selector("#approval-gantt canvas")
    assert tab.locator("[data-testid=gantt-table] tbody tr").count() == 19

    tab.goto(live_server.url + signed_project.get_absolute_url())  # the project page names the blockers too
    assert "建筑工程施工许可证" in tab.locator("[data-testid=project-approvals]").inner_text()
    context.close()

    found = []
    for locale in ("zh-CN", "en-US"):
        for user, path in (
            (officer_a, plan.get_absolute_url()),
            (housing_officer, reverse("services:item-queue")),
            (housing_officer, plan.items.get(item__code="B04").get_absolute_url()),
        ):
            context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}, bypass_csp=True)
            page = context.new_page()
            log_in(page, live_server.url, user)
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            found += [f"{locale} {path}: {line}" for line in blocking(page)]
            context.close()
    assert found == []
