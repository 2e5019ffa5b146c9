"""The figures and summary of an event, computed from its list, and the rules of putting a project on it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from zhaoshang.projects.choices import Stage
from zhaoshang.projects.services import transition
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats import events as services
from zhaoshang.stats.event_choices import EventKind, EventRole
from zhaoshang.stats.models import Event, EventProject, EventVenue


def today():
    return timezone.localdate()


def make_event(team, day=None, kind=EventKind.CONFERENCE, **venues):
    day = day or today() - timedelta(days=10)
    event = Event.objects.create(name="全球招商大会", name_en="Global Investment Conference", kind=kind, start_on=day,
                                 organiser_team=team)  # fmt: skip
    for order, (key, (name, online)) in enumerate(venues.items(), start=1):
        EventVenue.objects.create(event=event, name=name, city=key, online=online, held_on=day, order=order)
    return event


def put(event, venue_city, role, amount, **project):
    venue = event.venues.get(city=venue_city)
    project = ProjectFactory(planned_investment=None if amount is None else Decimal(amount), **project)
    order = EventProject.objects.filter(event=event).count() + 1
    return EventProject.objects.create(event=event, venue=venue, project=project, role=role, order=order)


@pytest.fixture
def conference(centre):
    return make_event(centre, jiangmen=("江门主会场", False), hongkong=("香港分会场", False), online=("云签约", True))


def test_the_summary_counts_the_list_per_group_and_venue_in_the_official_words(conference):
    put(conference, "jiangmen", EventRole.SIGNED, 10_000_000)
    put(conference, "jiangmen", EventRole.SIGNED, 6_000_000)
    put(conference, "hongkong", EventRole.SIGNED, 615_000)
    put(conference, "jiangmen", EventRole.STARTED, 30_000)
    put(conference, "jiangmen", EventRole.PRODUCING, 20_000)

    summary = services.event_summary(conference)

    assert [(line.count, line.total) for line in summary.lines] == [(3, 16_615_000), (2, 50_000)]
    assert summary.text_zh == "3个项目现场签约，计划投资总额超1661亿元；2个项目集中动工投产，计划投资总额5亿元"
    assert summary.text_en == (
        "3 projects signed on site, with planned investment of over 166.1 billion yuan; "
        "2 projects started construction or production, with planned investment of 500 million yuan"
    )
    venues = {venue.city: lines for venue, lines in summary.venues}
    assert [line.text_zh for line in venues["hongkong"]] == ["1个项目现场签约，计划投资总额超61亿元"]
    assert [line.text_en for line in venues["hongkong"]] == [
        "1 project signed on site, with planned investment of over 6.1 billion yuan"
    ]
    assert venues["online"] == []


def test_figures_follow_the_records_when_an_amount_changes(conference):
    link = put(conference, "jiangmen", EventRole.SIGNED, 9_000)
    assert services.event_summary(conference).text_zh == "1个项目现场签约，计划投资总额9000万元"
    project = link.project
    project.planned_investment = Decimal(12_000)
    project.save()
    assert services.event_summary(conference).text_zh == "1个项目现场签约，计划投资总额超1亿元"


def test_signings_online_or_at_both_kinds_of_venue_are_named_so(conference):
    put(conference, "online", EventRole.SIGNED, 20_000)
    assert services.event_summary(conference).text_zh == "1个项目线上签约，计划投资总额2亿元"
    put(conference, "jiangmen", EventRole.SIGNED, None)
    summary = services.event_summary(conference)
    assert summary.text_zh == "2个项目签约，计划投资总额2亿元"
    assert summary.text_en == "2 projects signed, with planned investment of 200 million yuan"


def test_a_list_without_amounts_names_only_the_count(conference):
    put(conference, "jiangmen", EventRole.STARTED, None)
    summary = services.event_summary(conference)
    assert summary.text_zh == "1个项目集中动工"
    assert summary.text_en == "1 project started construction"


@pytest.mark.parametrize(
    "wan, zh, en",
    [
        ("16610000", "1661亿元", "166.1 billion yuan"),
        ("16615000", "超1661亿元", "over 166.1 billion yuan"),
        ("16619999.99", "超1661亿元", "over 166.1 billion yuan"),
        ("7640000", "764亿元", "76.4 billion yuan"),
        ("7649000", "超764亿元", "over 76.4 billion yuan"),
        ("100000", "10亿元", "1 billion yuan"),
        ("10000", "1亿元", "100 million yuan"),
        ("15000", "超1亿元", "over 100 million yuan"),
        ("95000", "超9亿元", "over 900 million yuan"),
        ("9999", "9999万元", "99.99 million yuan"),
        ("50", "50万元", "0.5 million yuan"),
    ],
)
def test_the_amount_is_floored_to_whole_yi_with_over_when_not_exact(wan, zh, en):
    assert services.amount_phrase(Decimal(wan), "zh-hans") == zh
    assert services.amount_phrase(Decimal(wan), "en") == en


def test_the_summary_follows_the_active_language_and_leaves_it_unchanged(conference):
    put(conference, "jiangmen", EventRole.SIGNED, 10_000)
    summary = services.event_summary(conference)
    with translation.override("en"):
        assert summary.text() == "1 project signed on site, with planned investment of 100 million yuan"
        assert summary.text_zh.startswith("1个项目")
        assert translation.get_language() == "en"


# ---------------------------------------------------------------- the list and the pipeline


@pytest.fixture
def hall(conference):
    return conference.venues.get(city="jiangmen")


def test_a_project_not_yet_signed_goes_on_the_list_and_waits_for_the_day(conference, hall, centre_officer):
    project = ProjectFactory(planned_investment=Decimal(20_000))
    link = services.add_project(centre_officer, conference, project, EventRole.SIGNED, hall)
    assert link.order == 1
    assert services.link_state(link, today=hall.held_on) == services.LinkState.EXPECTED
    assert services.link_state(link, today=hall.held_on + timedelta(days=1)) == services.LinkState.MISSING
    transition(project, Stage.SIGNED, hall.held_on, centre_officer)
    link.project.refresh_from_db()
    assert services.link_state(link) == services.LinkState.RECORDED


def test_a_project_signed_on_the_venues_day_is_recorded(conference, hall, centre_officer):
    project = ProjectFactory()
    transition(project, Stage.SIGNED, hall.held_on, centre_officer)
    link = services.add_project(centre_officer, conference, project, EventRole.SIGNED, hall)
    assert services.link_state(link) == services.LinkState.RECORDED


def test_a_project_signed_on_another_day_is_refused_and_nothing_changes(conference, hall, centre_officer):
    project = ProjectFactory(name="光伏组件项目")
    other_day = hall.held_on - timedelta(days=3)
    transition(project, Stage.SIGNED, other_day, centre_officer)
    with pytest.raises(ValidationError) as refused:
        services.add_project(centre_officer, conference, project, EventRole.SIGNED, hall)
    message = refused.value.message_dict["project"][0]
    assert "光伏组件项目" in message and other_day.isoformat() in message and hall.held_on.isoformat() in message
    assert not EventProject.objects.exists()
    project.refresh_from_db()
    assert project.signed_on == other_day


def test_a_project_is_on_the_list_once_per_role_and_only_at_the_events_venues(conference, hall, centre_officer):
    project = ProjectFactory()
    services.add_project(centre_officer, conference, project, EventRole.SIGNED, hall)
    with pytest.raises(ValidationError) as twice:
        services.add_project(centre_officer, conference, project, EventRole.SIGNED, hall)
    assert "project" in twice.value.message_dict
    other = make_event(conference.organiser_team, elsewhere=("他处", False))
    with pytest.raises(ValidationError) as foreign_venue:
        services.add_project(centre_officer, conference, project, EventRole.STARTED, other.venues.get())
    assert "venue" in foreign_venue.value.message_dict
    assert EventProject.objects.count() == 1


def test_only_those_who_may_change_the_event_put_projects_on_its_list(conference, hall, officer_b, leader):
    project = ProjectFactory()
    for user in (officer_b, leader):
        with pytest.raises(PermissionDenied):
            services.add_project(user, conference, project, EventRole.SIGNED, hall)
    assert not EventProject.objects.exists()


def test_the_organising_team_changes_its_event_and_no_other(officer_a, outpost_a, outpost_b):
    ours = make_event(outpost_a, hall=("会场", False))
    theirs = make_event(outpost_b, hall=("会场", False))
    assert services.add_project(officer_a, ours, ProjectFactory(), EventRole.SIGNED, ours.venues.get())
    with pytest.raises(PermissionDenied):
        services.add_project(officer_a, theirs, ProjectFactory(), EventRole.SIGNED, theirs.venues.get())


def test_a_confidential_project_counts_in_the_figures_but_is_listed_only_to_those_who_see_it(
    conference, officer_a, outpost_a, officer_b, centre_officer
):
    put(conference, "jiangmen", EventRole.SIGNED, 10_000, name="公开项目")
    put(conference, "jiangmen", EventRole.SIGNED, 10_000, name="保密项目", confidential=True, owner_team=outpost_a)
    assert services.event_summary(conference).lines[0].count == 2
    assert [link.project.name for link in services.visible_links(conference, officer_b)] == ["公开项目"]
    assert [link.project.name for link in services.visible_links(conference, officer_a)] == ["公开项目", "保密项目"]
    assert len(services.visible_links(conference, centre_officer)) == 2


# ---------------------------------------------------------------- recording the stages of the day


def test_the_organiser_records_the_signings_of_the_day_on_the_projects(conference, hall, centre_officer):
    waiting = ProjectFactory(planned_investment=Decimal(20_000))
    done = ProjectFactory()
    transition(done, Stage.SIGNED, hall.held_on, centre_officer)
    for project in (waiting, done):
        services.add_project(centre_officer, conference, project, EventRole.SIGNED, hall)

    assert services.record_stages(centre_officer, conference) == 1

    waiting.refresh_from_db()
    assert (waiting.stage, waiting.signed_on) == (Stage.SIGNED, hall.held_on)
    assert waiting.transitions.get(to_stage=Stage.SIGNED).note == "全球招商大会"
    states = {services.link_state(link) for link in EventProject.objects.select_related("project", "venue")}
    assert states == {services.LinkState.RECORDED}


def test_recording_the_stages_leaves_a_venue_whose_day_is_still_to_come(conference, hall, centre_officer):
    later = EventVenue.objects.create(
        event=conference, name="次日分会场", city="macao", online=False, held_on=today() + timedelta(days=2), order=9
    )
    conference.end_on = later.held_on
    conference.save()
    past, coming = (
        ProjectFactory(planned_investment=Decimal(20_000)),
        ProjectFactory(planned_investment=Decimal(30_000)),
    )
    services.add_project(centre_officer, conference, past, EventRole.SIGNED, hall)
    services.add_project(centre_officer, conference, coming, EventRole.SIGNED, later)

    assert services.record_stages(centre_officer, conference) == 1

    past.refresh_from_db()
    coming.refresh_from_db()
    assert past.signed_on == hall.held_on and coming.signed_on is None


def test_recording_the_stages_changes_nothing_when_one_project_cannot_move(conference, hall, centre_officer):
    fine = ProjectFactory(name="甲项目")
    dropped = ProjectFactory(name="乙项目")
    for project in (fine, dropped):
        services.add_project(centre_officer, conference, project, EventRole.SIGNED, hall)
    transition(dropped, Stage.DROPPED, hall.held_on, centre_officer, reason="企业另选他市")

    with pytest.raises(ValidationError) as refused:
        services.record_stages(centre_officer, conference)

    assert refused.value.messages[0].startswith("第2项 乙项目：")
    fine.refresh_from_db()
    assert fine.signed_on is None and fine.stage == Stage.LEAD


def test_only_those_who_may_change_the_event_record_its_stages(conference, hall, centre_officer, leader):
    services.add_project(centre_officer, conference, ProjectFactory(), EventRole.SIGNED, hall)
    with pytest.raises(PermissionDenied):
        services.record_stages(leader, conference)
    assert not EventProject.objects.filter(project__signed_on__isnull=False).exists()
