"""Stalled projects: the daily scan flags exactly the projects past their thresholds (on a controlled clock),
keeps one open flag per project and rule, clears flags that no longer apply and tells the officer once."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from zhaoshang.core.models import Notification
from zhaoshang.projects.choices import Stage, StallRule
from zhaoshang.projects.models import StallFlag
from zhaoshang.projects.services import scan_stalled
from zhaoshang.projects.tests.factories import ActivityFactory, ProjectFactory

TODAY = date(2026, 6, 30)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture(autouse=True)
def thresholds(settings):
    settings.ZHAOSHANG_STALL_SIGNED_NO_LAND_DAYS = 90
    settings.ZHAOSHANG_STALL_STARTED_NO_PRODUCTION_DAYS = 548
    settings.ZHAOSHANG_STALL_IDLE_DAYS = 60


def signed(name, days_ago, **extra):
    return ProjectFactory(name=name, stage=Stage.SIGNED, lead_on=ago(days_ago + 10), signed_on=ago(days_ago), **extra)


def signed_before_today(name, days_ago, **extra):
    """Signed ``days_ago`` before the real today (what the pages read)."""
    from django.utils import timezone

    today = timezone.localdate()
    return ProjectFactory(
        name=name,
        stage=Stage.SIGNED,
        lead_on=today - timedelta(days=days_ago + 10),
        signed_on=today - timedelta(days=days_ago),
        **extra,
    )


def started(name, days_ago, **extra):
    return ProjectFactory(
        name=name,
        stage=Stage.CONSTRUCTION,
        lead_on=ago(days_ago + 300),
        signed_on=ago(days_ago + 200),
        land_on=ago(days_ago + 100),
        construction_on=ago(days_ago),
        **extra,
    )


def open_flags():
    return sorted(
        (f.project.name, f.rule, f.since)
        for f in StallFlag.objects.filter(cleared_on__isnull=True).select_related("project")
    )


def test_the_scan_flags_exactly_the_projects_past_their_thresholds(db):
    signed("signed 91 days ago", 91)
    signed("signed 90 days ago", 90)
    signed("signed 10 days ago", 10)
    ProjectFactory(name="landed", stage=Stage.LAND, lead_on=ago(400), signed_on=ago(300), land_on=ago(200))
    started("started 549 days ago", 549)
    started("started 548 days ago", 548)
    ProjectFactory(
        name="producing",
        stage=Stage.PRODUCTION,
        lead_on=ago(1000),
        signed_on=ago(900),
        construction_on=ago(800),
        production_on=ago(100),
    )
    ProjectFactory(name="idle lead", lead_on=ago(61))
    ProjectFactory(name="fresh lead", lead_on=ago(60))
    ActivityFactory(project=ProjectFactory(name="visited lead", lead_on=ago(200)), happened_on=ago(30))
    ProjectFactory(
        name="paused",
        stage=Stage.PAUSED,
        resume_stage=Stage.SIGNED,
        lead_on=ago(400),
        signed_on=ago(300),
        paused_on=ago(200),
    )
    ProjectFactory(
        name="dropped",
        stage=Stage.DROPPED,
        resume_stage=Stage.SIGNED,
        lead_on=ago(400),
        signed_on=ago(300),
        dropped_on=ago(200),
        drop_reason="撤资",
    )

    result = scan_stalled(TODAY)

    assert open_flags() == [
        ("idle lead", StallRule.IDLE_BEFORE_SIGNING, ago(61)),
        ("signed 91 days ago", StallRule.SIGNED_NO_LAND, ago(91)),
        ("started 549 days ago", StallRule.STARTED_NO_PRODUCTION, ago(549)),
    ]
    assert result == {"flagged": 3, "cleared": 0, "open": 3}


def test_a_second_scan_of_the_same_day_changes_nothing(db, officer_a, outpost_a):
    signed("late", 120, owner_team=outpost_a, owner=officer_a)
    scan_stalled(TODAY)

    assert scan_stalled(TODAY) == {"flagged": 0, "cleared": 0, "open": 1}
    assert StallFlag.objects.count() == 1
    assert Notification.objects.filter(recipient=officer_a).count() == 1


def test_the_owning_officer_is_notified_once_per_new_flag(db, officer_a, outpost_a, officer_b):
    project = signed("硅能源基地", 100, owner_team=outpost_a, owner=officer_a)

    scan_stalled(TODAY)
    scan_stalled(TODAY + timedelta(days=1))

    [note] = Notification.objects.all()
    assert note.recipient == officer_a
    assert note.url == project.get_absolute_url()
    assert "硅能源基地" in note.message
    assert not Notification.objects.filter(recipient=officer_b).exists()


def test_a_flag_is_cleared_when_the_project_moves_on_and_a_new_one_opens_when_it_stalls_again(db):
    project = signed("late", 100)
    scan_stalled(TODAY)

    project.stage, project.land_on = Stage.LAND, TODAY
    project.save()
    assert scan_stalled(TODAY) == {"flagged": 0, "cleared": 1, "open": 0}
    flag = StallFlag.objects.get()
    assert flag.cleared_on == TODAY

    project.construction_on, project.stage = TODAY, Stage.CONSTRUCTION
    project.save()
    later = TODAY + timedelta(days=549)
    assert scan_stalled(later)["flagged"] == 1
    assert StallFlag.objects.filter(cleared_on__isnull=True).get().rule == StallRule.STARTED_NO_PRODUCTION


def test_an_idle_check_of_zero_days_is_off(db, settings):
    settings.ZHAOSHANG_STALL_IDLE_DAYS = 0
    ProjectFactory(name="old lead", lead_on=ago(1000))
    assert scan_stalled(TODAY)["flagged"] == 0


def test_the_project_page_shows_that_it_is_stalled(db, officer_a, outpost_a, client_for):
    project = signed_before_today("late", 100, owner_team=outpost_a)
    assert 'data-testid="stall-flag"' in client_for(officer_a).get(project.get_absolute_url()).content.decode()


def test_the_command_scans_as_on_a_given_day(db, capsys):
    signed("late", 100)
    call_command("scan_stalled_projects", "--date", TODAY.isoformat())
    assert capsys.readouterr().out.strip() == "1 flagged, 0 cleared, 1 open"
    call_command("scan_stalled_projects", "--date", (TODAY - timedelta(days=20)).isoformat())
    assert capsys.readouterr().out.strip() == "0 flagged, 1 cleared, 0 open"


def test_the_command_refuses_a_malformed_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("scan_stalled_projects", "--date", "2026-13-45")


def test_the_celery_task_runs_the_scan_daily(db, settings):
    from zhaoshang.projects.tasks import SCAN_STALLED_PROJECTS, scan_stalled_projects

    assert any(entry["task"] == SCAN_STALLED_PROJECTS for entry in settings.CELERY_BEAT_SCHEDULE.values())
    signed("late", 10_000)
    assert scan_stalled_projects.delay().get() == {"flagged": 1, "cleared": 0, "open": 1}


def test_the_home_page_counts_stalled_projects_and_links_to_them(db, officer_a, outpost_a, client_for):
    from django.urls import reverse

    stalled = signed_before_today("late", 100, owner_team=outpost_a)
    signed_before_today("on time", 10, owner_team=outpost_a)
    client = client_for(officer_a)

    panels = {p["title"]: p for p in client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").context["panels"]}
    listed = client.get(panels["Stalled projects"]["url"]).context["object_list"]

    assert panels["Stalled projects"]["value"] == 1
    assert [p.pk for p in listed] == [stalled.pk]


def test_a_back_dated_signing_past_the_threshold_is_stalled_on_every_page_at_once(db, officer_a, outpost_a, client_for):
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    late = ProjectFactory(
        name="逾期未供地",
        owner_team=outpost_a,
        owner=officer_a,
        stage=Stage.SIGNED,
        lead_on=today - timedelta(days=200),
        signed_on=today - timedelta(days=111),  # no scan runs: the status is derived when read
    )
    ProjectFactory(
        name="新签约",
        owner_team=outpost_a,
        owner=officer_a,
        stage=Stage.SIGNED,
        lead_on=today - timedelta(days=20),
        signed_on=today - timedelta(days=10),
    )
    client = client_for(officer_a)

    assert not StallFlag.objects.exists()
    assert 'data-testid="stall-flag"' in client.get(late.get_absolute_url()).content.decode()
    listed = client.get(reverse("projects:project-list"), {"stalled": "true"}).context["object_list"]
    assert [p.name for p in listed] == ["逾期未供地"]
    not_stalled = client.get(reverse("projects:project-list"), {"stalled": "false"}).context["object_list"]
    assert [p.name for p in not_stalled] == ["新签约"]
    board = client.get(reverse("projects:board"))
    signed_column = next(column for column in board.context["columns"] if column["stage"] == Stage.SIGNED)
    assert {card.name: card.stalled for card in signed_column["cards"]} == {"逾期未供地": True, "新签约": False}
    panels = {p["title"]: p for p in client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").context["panels"]}
    assert panels["Stalled projects"]["value"] == 1
    work = client.get(reverse("my-work")).context["stalled"]
    assert [(p.name, p.stall.rule, p.stall.since) for p in work] == [
        ("逾期未供地", StallRule.SIGNED_NO_LAND, today - timedelta(days=111))
    ]


def test_the_pages_and_the_scan_share_one_definition(db):
    signed("signed 91 days ago", 91)
    signed("signed 90 days ago", 90)
    ProjectFactory(name="idle lead", lead_on=ago(61))
    ActivityFactory(project=ProjectFactory(name="visited lead", lead_on=ago(200)), happened_on=ago(30))
    from zhaoshang.projects.models import Project

    derived = sorted(Project.objects.stalled(TODAY).values_list("name", flat=True))
    scan_stalled(TODAY)
    assert derived == sorted(name for name, _rule, _since in open_flags()) == ["idle lead", "signed 91 days ago"]
