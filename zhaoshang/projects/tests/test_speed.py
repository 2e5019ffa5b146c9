"""How fast projects move: days per stage of one project, and the city's figures over a period."""

from datetime import date, timedelta

import pytest

from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.projects.choices import LeadSource, Stage
from zhaoshang.projects.models import Project
from zhaoshang.projects.services import project_durations, speed_figures
from zhaoshang.projects.tests.factories import ProjectFactory

D = date(2025, 1, 1)


def day(n: int) -> date:
    return D + timedelta(days=n)


def signed_and_landed(name, signed, land, **extra):
    """A project signed on day ``signed`` and supplied with land on day ``land`` (days after 1 January 2025)."""
    return ProjectFactory(
        name=name, stage=Stage.LAND, lead_on=day(signed - 30), signed_on=day(signed), land_on=day(land), **extra
    )


def interval(figures, key):
    return next(entry for entry in figures["intervals"] if entry["key"] == key)


# --- one project ------------------------------------------------------------------------------------------------


def test_a_projects_days_in_each_stage_and_between_stages(db):
    project = ProjectFactory(
        stage=Stage.CONSTRUCTION,
        lead_on=day(0),
        negotiation_on=day(20),
        signed_on=day(50),
        land_on=day(140),
        construction_on=day(200),
    )

    durations = project_durations(project, today=day(230))

    assert [(s["stage"], s["days"], s["current"]) for s in durations["stages"]] == [
        (Stage.LEAD, 20, False),
        (Stage.NEGOTIATION, 30, False),
        (Stage.SIGNED, 90, False),
        (Stage.LAND, 60, False),
        (Stage.CONSTRUCTION, 30, True),
    ]
    assert {i["key"]: i["days"] for i in durations["intervals"]} == {
        "lead_signing": 50,
        "signing_land": 90,
        "land_construction": 60,
        "construction_production": None,
    }


def test_a_paused_projects_current_stage_lasts_until_the_pause(db):
    project = ProjectFactory(
        stage=Stage.PAUSED, resume_stage=Stage.SIGNED, lead_on=day(0), signed_on=day(10), paused_on=day(40)
    )
    stages = project_durations(project, today=day(100))["stages"]
    assert [(s["stage"], s["days"], s["current"]) for s in stages] == [
        (Stage.LEAD, 10, False),
        (Stage.SIGNED, 30, False),
    ]


# --- the city's figures --------------------------------------------------------------------------------------------


def test_median_quartiles_histogram_and_fastest_projects_of_signing_to_land(db):
    for name, days in [("甲", 10), ("乙", 40), ("丙", 70), ("丁", 100), ("戊", 400)]:
        signed_and_landed(name, 100, 100 + days)

    figures = interval(speed_figures(Project.objects.all(), day(0), day(600)), "signing_land")["overall"]

    assert figures["count"] == 5
    assert figures["median"] == 70
    assert (figures["q1"], figures["q3"]) == (40, 100)
    assert (figures["min"], figures["max"]) == (10, 400)
    assert [(b["from_days"], b["count"]) for b in figures["histogram"]] == [
        (0, 1),
        (30, 1),
        (60, 1),
        (90, 1),
        (180, 0),
        (365, 1),
        (730, 0),
    ]
    assert figures["histogram"][-1]["to_days"] is None
    assert [(b["name"], b["days"]) for b in figures["best"]] == [("甲", 10), ("乙", 40), ("丙", 70)]


def test_an_interval_counts_the_projects_whose_end_date_falls_in_the_period_both_days_included(db):
    signed_and_landed("before", 0, 99)  # land on day 99: before the period
    signed_and_landed("first day", 50, 100)
    signed_and_landed("last day", 150, 199)
    signed_and_landed("after", 150, 200)
    ProjectFactory(name="no land yet", stage=Stage.SIGNED, lead_on=day(100), signed_on=day(120))

    figures = speed_figures(Project.objects.all(), day(100), day(199))

    land = interval(figures, "signing_land")["overall"]
    assert land["count"] == 2
    assert sorted(b["name"] for b in land["best"]) == ["first day", "last day"]
    signing = interval(figures, "lead_signing")["overall"]  # signed in the period: days 120, 150, 150
    assert signing["count"] == 3
    assert signing["median"] == 30


def test_a_skipped_stage_does_not_count_in_the_intervals_it_would_bound(db):
    ProjectFactory(stage=Stage.PRODUCTION, lead_on=day(0), signed_on=day(10), production_on=day(100))
    figures = speed_figures(Project.objects.all(), day(0), day(200))
    counts = {entry["key"]: entry["overall"]["count"] for entry in figures["intervals"]}
    assert counts == {"lead_signing": 1, "signing_land": 0, "land_construction": 0, "construction_production": 0}


def test_dates_out_of_order_are_left_out_not_counted_as_negative_days(db):
    signed_and_landed("有序", signed=10, land=40)
    signed_and_landed("颠倒", signed=60, land=20)  # land before signing: a data error the consistency checks list
    figures = interval(speed_figures(Project.objects.all(), day(0), day(100)), "signing_land")["overall"]
    assert figures["count"] == 1 and figures["median"] == 30


def test_figures_grouped_by_team_and_by_source(db):
    north, south = TeamFactory(name="北组"), TeamFactory(name="南组")
    signed_and_landed("n1", 100, 110, owner_team=north, source=LeadSource.CONFERENCE)
    signed_and_landed("n2", 100, 130, owner_team=north, source=LeadSource.REFERRAL)
    signed_and_landed("n3", 100, 150, owner_team=north, source=LeadSource.REFERRAL)
    signed_and_landed("s1", 100, 300, owner_team=south, source=LeadSource.REFERRAL)

    by_team = interval(speed_figures(Project.objects.all(), day(0), day(400), "team"), "signing_land")["groups"]
    by_source = interval(speed_figures(Project.objects.all(), day(0), day(400), "source"), "signing_land")["groups"]

    assert [(g["label"], g["count"], g["median"]) for g in by_team] == [("北组", 3, 30), ("南组", 1, 200)]
    assert by_team[0]["best"][0]["name"] == "n1"
    assert [(g["key"], g["count"], g["median"]) for g in by_source] == [("referral", 3, 50), ("conference", 1, 10)]


def test_projects_without_a_district_are_grouped_as_not_set(db, city):
    from zhaoshang.geo.models import Region

    signed_and_landed("in district", 100, 110, district=Region.objects.get(adcode="440705"))
    signed_and_landed("nowhere", 100, 120)

    groups = interval(speed_figures(Project.objects.all(), day(0), day(400), "district"), "signing_land")["groups"]

    assert {(g["key"], g["count"]) for g in groups} == {(Region.objects.get(adcode="440705").pk, 1), (None, 1)}


def test_an_empty_period_gives_zero_counts_and_no_median(db):
    figures = speed_figures(Project.objects.all(), day(0), day(10))
    for entry in figures["intervals"]:
        assert entry["overall"]["count"] == 0
        assert entry["overall"]["median"] is None


def test_an_unknown_grouping_is_refused(db):
    with pytest.raises(ValueError):
        speed_figures(Project.objects.all(), day(0), day(10), "colour")


def test_the_figures_take_a_fixed_number_of_queries_whatever_the_number_of_projects(db, django_assert_max_num_queries):
    for n in range(5):
        signed_and_landed(f"p{n}", 100, 110 + n, owner_team=TeamFactory())
    # per interval: the counts per number of days and the fastest projects (grouped: also the groups' names)
    with django_assert_max_num_queries(4 * 2):
        speed_figures(Project.objects.all(), day(0), day(400))
    with django_assert_max_num_queries(4 * 3):
        speed_figures(Project.objects.all(), day(0), day(400), "team")
