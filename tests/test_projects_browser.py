"""The project pipeline in Debian's chromium: an officer creates a project, moves it on the board by its move
button, logs a site visit and sees the city's speed figures change (dragging cards: test_work_ui_browser.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhaoshang.accounts.tests.factories import PASSWORD
from zhaoshang.industry.validators import uscc_check_character
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project

from .test_browser import page  # noqa: F401 - the chromium page fixture

pytestmark = pytest.mark.browser


def log_in(page, live_server, user):  # noqa: F811
    page.goto(f"{live_server.url}/work/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{live_server.url}/work/")


def lead_to_signing(page):  # noqa: F811
    card = page.locator("[data-testid=speed-lead_signing]")
    return card.locator("[data-testid=speed-count]").inner_text().strip(), card.locator(
        "[data-testid=speed-median]"
    ).inner_text().strip()


def test_officer_creates_moves_and_visits_a_project_and_sees_the_speed_figures_change(
    page,  # noqa: F811
    live_server,
    officer_a,
    outpost_a,
):
    today = timezone.localdate()
    lead_on, negotiation_on, signed_on = (today - timedelta(days=n) for n in (40, 30, 10))
    speed_url = f"{live_server.url}/work/projects/speed/?period_start={(today - timedelta(days=365)).isoformat()}"
    body = "91440700MA5" + "XK7Q2W"
    uscc = body + uscc_check_character(body)

    log_in(page, live_server, officer_a)
    page.goto(speed_url)
    assert lead_to_signing(page) == ("0", "—")

    # a project for an enterprise not on record, named by its credit code
    page.goto(f"{live_server.url}/work/projects/add/")
    page.fill("#id_name", "动力电池储能基地")
    page.fill("#id_enterprise_uscc", uscc)
    page.fill("#id_enterprise_name", "江门示例储能科技有限公司")
    page.fill("#id_lead_on", lead_on.isoformat())
    page.fill("#id_planned_investment", "2000000")
    page.locator("[data-testid=object-form] button[type=submit]").click()
    page.wait_for_url("**/work/projects/*/")
    project = Project.objects.get(name="动力电池储能基地")
    assert project.enterprise.uscc == uscc

    # on the board: the move button, to negotiation
    page.goto(f"{live_server.url}/work/projects/board/")
    card = page.locator(f"#card-{project.pk}")
    assert page.locator("#cards-lead").locator(f"#card-{project.pk}").count() == 1
    card.locator("[data-testid=move-button]").click()
    form = page.locator("[data-testid=move-form]")
    form.locator("select[name=to_stage]").select_option(Stage.NEGOTIATION)
    form.locator("input[name=happened_on]").fill(negotiation_on.isoformat())
    form.locator("[data-testid=move-submit]").click()
    page.locator("[data-testid=move-message]").wait_for()
    page.locator(f"#cards-negotiation #card-{project.pk}").wait_for()
    assert page.locator(f"#cards-lead #card-{project.pk}").count() == 0

    # the move button again, to signing, dated back (a card dragged onto a column is moved on the day it is
    # dropped: tests/test_work_ui_browser.py)
    page.locator(f"#card-{project.pk}").locator("[data-testid=move-button]").click()
    form = page.locator("[data-testid=move-form]")
    form.locator("select[name=to_stage]").select_option(Stage.SIGNED)
    form.locator("input[name=happened_on]").fill(signed_on.isoformat())
    form.locator("textarea[name=note]").fill("签约仪式")
    form.locator("[data-testid=move-submit]").click()
    page.locator(f"#cards-signed #card-{project.pk}").wait_for()
    project.refresh_from_db()
    assert (project.stage, project.negotiation_on, project.signed_on) == (Stage.SIGNED, negotiation_on, signed_on)

    # a site visit
    page.goto(f"{live_server.url}/work/projects/{project.pk}/activities/add/")
    page.select_option("#id_kind", "inspection")
    page.fill("#id_summary", "实地考察拟选地块")
    page.locator("[data-testid=object-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .alert-danger").count() == 0, page.locator("main, .page-body").inner_text()
    page.wait_for_url(f"**/work/projects/{project.pk}/")
    assert "实地考察拟选地块" in page.locator("[data-testid=activities]").inner_text()

    # the speed figures count it: 30 days from lead to signing
    page.goto(speed_url)
    assert lead_to_signing(page) == ("1", "30")
    assert "动力电池储能基地" in page.locator("[data-testid=speed-lead_signing] [data-testid=speed-best]").inner_text()


def test_the_board_scrolls_sideways_on_a_phone(page, live_server, officer_a, outpost_a):  # noqa: F811
    log_in(page, live_server, officer_a)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/work/projects/board/")
    board = page.locator("[data-testid=board]")
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
