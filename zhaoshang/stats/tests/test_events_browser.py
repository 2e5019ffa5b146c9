"""An event in Debian's chromium: the organiser finds a project by the htmx search, puts it on the list, sees
the summary and opens the printable list."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.test_browser import page  # noqa: F401 - the chromium page fixture
from tests.test_projects_browser import log_in
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats.event_choices import EventKind
from zhaoshang.stats.models import Event, EventProject, EventVenue

pytestmark = pytest.mark.browser


def test_the_organiser_searches_a_project_puts_it_on_the_list_and_prints_it(
    page,  # noqa: F811
    live_server,
    officer_a,
    outpost_a,
):
    day = timezone.localdate() + timedelta(days=7)
    event = Event.objects.create(name="集中签约仪式", kind=EventKind.SIGNING, start_on=day, organiser_team=outpost_a)
    EventVenue.objects.create(event=event, name="江门主会场", city="江门", held_on=day)
    ProjectFactory(name="调味品项目", planned_investment=Decimal(8_000))
    wanted = ProjectFactory(name="光伏组件产业园", planned_investment=Decimal(156_000))

    log_in(page, live_server, officer_a)
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.click("[data-testid=add-project-link]")
    page.fill("#project-search", "光伏")
    page.wait_for_function("() => document.querySelectorAll('#id_project option').length === 2")
    page.select_option("#id_project", str(wanted.pk))
    page.click("[data-testid=add-project-form] button[type=submit]")

    page.wait_for_url(f"{live_server.url}{event.get_absolute_url()}")
    assert page.locator("[data-testid=summary-zh]").inner_text() == "1个项目现场签约，计划投资总额超15亿元"
    assert EventProject.objects.get().project == wanted
    page.click("[data-testid=print-link]")
    assert page.locator("[data-testid=print-row]").first.inner_text().split("\t")[:3] == [
        "1",
        wanted.enterprise.name,
        "光伏组件产业园",
    ]
