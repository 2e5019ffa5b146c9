"""The staff work pages in Debian's chromium, under the Content-Security-Policy: a site is found among many by
typing into its select and chosen with the keyboard, two supporting teams are chosen without Ctrl-click, a card
dragged onto a column of its legal moves is moved there (and stored), a column it may not move to takes no drop,
a refused move puts the card back and says why; the project form and the board stay free of serious
accessibility violations with the searchable selects and the board's dragging set up."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.geo.tests.factories import CarrierFactory
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.forms import ProjectForm
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.factories import ProjectFactory

from .test_accessibility_browser import AXE, violations_of
from .test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    page,  # noqa: F401 - the chromium page fixture
)
from .test_csp_browser import watched  # noqa: F401 - the page, with the policy's violations it reports
from .test_projects_browser import log_in

pytestmark = pytest.mark.browser


def label_of(user, name: str) -> str:
    with translation.override("zh-hans"):
        return str(ProjectForm(user=user).fields[name].label)


def choose(tab, user, name: str, typed: str, expected: str) -> None:
    """Type into the searchable select named by its label, and take the first match with the keyboard."""
    # the search box the label names (the select it replaces keeps the name, out of sight and out of tab order)
    box = tab.get_by_role("combobox", name=label_of(user, name), exact=True).and_(tab.locator("input"))
    box.click()
    box.press_sequentially(typed)
    match = tab.locator(".ts-dropdown .option:has(.highlight)", has_text=expected)  # the search found it
    match.first.wait_for()
    box.press("Enter")


def test_officer_finds_a_site_by_typing_and_chooses_two_supporting_teams_without_ctrl_click(
    watched,  # noqa: F811
    live_server,
    city,
    officer_a,
    outpost_a,
):
    tab = watched
    CarrierFactory.create_batch(30, team=outpost_a)
    site = CarrierFactory(team=outpost_a, name="滨江新区示例地块", name_en="Binjiang demo parcel")
    TeamFactory.create_batch(10)
    helpers = [TeamFactory(name="新能源电池产业链专班"), TeamFactory(name="蓬江区投资促进局")]

    log_in(tab, live_server, officer_a)
    tab.goto(f"{live_server.url}/work/projects/add/")
    assert tab.locator("select#id_carrier[data-searchable]").count() == 1
    tab.locator("#id_carrier.tomselected").wait_for(state="attached")
    assert tab.locator("select#id_project_type.tomselected").count() == 0  # a short select stays plain

    choose(tab, officer_a, "carrier", "滨江", "滨江新区示例地块")
    assert tab.locator("#id_carrier").input_value() == str(site.pk)

    choose(tab, officer_a, "supporting_teams", "产业链", "新能源电池产业链专班")
    choose(tab, officer_a, "supporting_teams", "蓬江", "蓬江区投资促进局")
    chosen = tab.locator("#id_supporting_teams").evaluate("s => Array.from(s.selectedOptions, o => o.value)")
    assert sorted(chosen) == sorted(str(team.pk) for team in helpers)

    tab.fill("#id_name", "滨江储能项目")
    tab.fill("#id_enterprise_name", "江门示例储能科技有限公司")
    tab.locator("[data-testid=object-form] button[type=submit]").click()
    tab.wait_for_load_state()
    assert tab.locator(".invalid-feedback").all_inner_texts() == []
    tab.wait_for_url("**/work/projects/*/")
    project = Project.objects.get(name="滨江储能项目")
    assert project.carrier == site
    assert set(project.supporting_teams.all()) == set(helpers)
    assert project.owner_team == outpost_a  # pre-filled: the officer's only team
    assert tab.violations() == []


def test_a_card_dragged_to_a_legal_column_is_moved_and_an_illegal_column_takes_no_drop(
    watched,  # noqa: F811
    live_server,
    officer_a,
    outpost_a,
):
    from playwright.sync_api import expect

    tab = watched
    today = timezone.localdate()
    project = ProjectFactory(
        name="硅能源基地", owner_team=outpost_a, stage=Stage.NEGOTIATION, negotiation_on=today - timedelta(days=20)
    )
    log_in(tab, live_server, officer_a)
    tab.goto(f"{live_server.url}/work/projects/board/")
    card = tab.locator(f"#card-{project.pk}")
    assert card.get_attribute("data-moves").split()[0] == Stage.SIGNED

    # backwards, to the lead column: not a drop target; the card stays and nothing is stored
    card.drag_to(tab.locator("#cards-lead"))
    tab.wait_for_timeout(500)
    assert tab.locator(f"#cards-negotiation #card-{project.pk}").count() == 1
    assert tab.locator("[data-testid=move-form], [data-testid=move-message]").count() == 0
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATION

    # onto the signing column: the move is posted and stored, dated today
    card.drag_to(tab.locator("#cards-signed"))
    tab.locator("[data-testid=move-message]").wait_for()
    tab.locator(f"#cards-signed #card-{project.pk}").wait_for()
    assert tab.locator(f"#card-{project.pk}").count() == 1
    # the counts follow once htmx has settled the answer in (after the message appears)
    expect(tab.locator("#count-signed")).to_have_text("1")
    project.refresh_from_db()
    assert (project.stage, project.signed_on) == (Stage.SIGNED, today)

    # a move someone else has made meanwhile: refused in the service's words, the card back in its column
    other = ProjectFactory(
        name="储能电池项目", owner_team=outpost_a, stage=Stage.NEGOTIATION, negotiation_on=today - timedelta(days=9)
    )
    tab.reload()
    services.transition(other, Stage.SIGNED, today, officer_a)  # behind the page's back
    tab.locator(f"#card-{other.pk}").drag_to(tab.locator("#cards-signed"))
    errors = tab.locator("[data-testid=move-errors]")
    errors.wait_for()
    with translation.override("zh-hans"):
        said = str(_("The project is already at %(stage)s.") % {"stage": Stage.SIGNED.label})
    assert said in errors.inner_text()
    assert tab.locator(f"#cards-negotiation #card-{other.pk}").count() == 1
    assert tab.locator(f"#cards-signed #card-{other.pk}").count() == 0
    assert other.transitions.filter(to_stage=Stage.SIGNED).count() == 1
    assert tab.violations() == []


def test_the_project_form_and_the_board_have_no_serious_accessibility_violation(
    live_server, city, officer_a, outpost_a
):
    """axe is added as a script tag: this browser context bypasses the policy (the other tests keep it)."""
    import os

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    CarrierFactory.create_batch(20, team=outpost_a)
    TeamFactory.create_batch(3)
    today = timezone.localdate()
    ProjectFactory(name="硅能源基地", owner_team=outpost_a, stage=Stage.NEGOTIATION, negotiation_on=today)
    assert AXE.exists()
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for locale in ("zh-CN", "en-US"):
            context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}, bypass_csp=True)
            tab = context.new_page()
            log_in(tab, live_server, officer_a)
            problems += violations_of(tab, f"{locale} project form", f"{live_server.url}/work/projects/add/")
            assert tab.locator("select.tomselected").count() >= 2  # checked with the searchable selects set up
            problems += violations_of(tab, f"{locale} board", f"{live_server.url}/work/projects/board/")
            context.close()
        browser.close()
    assert not problems, "\n".join(problems)
