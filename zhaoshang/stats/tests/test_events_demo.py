"""The demo events: the conference and the ceremony of DOMAIN.md, their figures counted from their lists.

The demo is loaded once for the module (every app's demo, as ``manage.py load_demo`` does) inside a
transaction that is rolled back at the end.
"""

from zhaoshang.projects.models import Project
from zhaoshang.stats import events as services
from zhaoshang.stats.event_choices import EventKind
from zhaoshang.stats.models import Event, EventProject


def test_the_conference_has_the_published_signings(demo, db):
    conference = Event.objects.get(kind=EventKind.CONFERENCE)
    assert [v.city for v in conference.venues.all()] == ["江门", "香港", "澳门"]
    assert services.event_summary(conference).text_zh == "111个项目现场签约，计划投资总额超1661亿元"
    assert services.event_summary(conference).text_en == (
        "111 projects signed on site, with planned investment of over 166.1 billion yuan"
    )
    calb = Project.objects.get(name__startswith="中创新航")
    assert conference.start_on == calb.signed_on
    assert EventProject.objects.filter(event=conference, project=calb).exists()


def test_the_ceremony_has_the_published_amount_the_same_day(demo, db):
    conference = Event.objects.get(kind=EventKind.CONFERENCE)
    ceremony = Event.objects.get(kind=EventKind.GROUNDBREAKING)
    assert ceremony.start_on == conference.start_on
    summary = services.event_summary(ceremony)
    assert summary.text_zh == "48个项目集中动工投产，计划投资总额超764亿元"
    assert sum(len(lines) > 0 for _venue, lines in summary.venues) >= 5


def test_every_project_on_the_lists_reached_its_stage_on_the_day(demo, db):
    links = EventProject.objects.select_related("project", "venue")
    assert links.count() == 111 + 48
    assert {services.link_state(link) for link in links} == {services.LinkState.RECORDED}
