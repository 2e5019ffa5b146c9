"""The demo pipeline: two years of Jiangmen projects built through the real services.

The demo is loaded once for the module (every app's demo, as ``manage.py load_demo`` does) inside a
transaction that is rolled back at the end.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from zhaoshang.core.demo import DEMO_CITY
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Region
from zhaoshang.projects.choices import FORWARD, STAGE_DATE_FIELDS, LeadSource, Stage, TransitionKind
from zhaoshang.projects.demo import headline
from zhaoshang.projects.models import Activity, Contact, Milestone, Project, StageTransition, StallFlag
from zhaoshang.projects.services import duplicate_claims

STAGE_GROUPS = {
    "before signing": {Stage.LEAD, Stage.CONTACT, Stage.NEGOTIATION},
    "signed, not yet building": {Stage.SIGNED, Stage.LAND},
    "building or producing": {Stage.CONSTRUCTION, Stage.PRODUCTION, Stage.FULL_PRODUCTION},
    "paused or dropped": {Stage.PAUSED, Stage.DROPPED},
}


@pytest.fixture
def today(demo, db):
    return timezone.localdate()


def test_the_demo_has_hundreds_of_projects_with_their_records(demo, db):
    assert 400 <= Project.objects.count() <= 700  # the pipeline's, the events' and the chain targets' leads
    assert Activity.objects.count() > Project.objects.count()
    assert Milestone.objects.filter(actual_on__isnull=False, planned_on__isnull=False).exists()
    assert Contact.objects.count() >= Project.objects.count()
    assert Activity.objects.filter(participants__isnull=False).exists()


def test_every_projects_stage_dates_are_in_order_and_match_its_history(demo, db):
    for project in Project.objects.prefetch_related("transitions"):
        reached = [day for _stage, day in project.reached_stages()]
        assert reached == sorted(reached), project
        assert project.lead_on is not None
        history = sorted(project.transitions.all(), key=lambda t: (t.happened_on, t.created, t.pk))
        assert history[0].kind == TransitionKind.OPEN and history[0].happened_on == project.lead_on
        days = [t.happened_on for t in history]
        assert days == sorted(days), project
        assert history[-1].to_stage == project.stage, project
        advanced = {
            t.to_stage: t.happened_on for t in history if t.kind in (TransitionKind.ADVANCE, TransitionKind.OPEN)
        }
        for stage, column in STAGE_DATE_FIELDS.items():
            assert getattr(project, column) == advanced.get(stage), (project, stage)
        if project.stage == Stage.DROPPED:
            assert project.drop_reason and project.dropped_on == history[-1].happened_on


def test_both_years_have_projects_in_every_stage_group(demo, today):
    for year in (today.year - 1, today.year):
        stages = set(Project.objects.filter(lead_on__year=year).values_list("stage", flat=True))
        for group, members in STAGE_GROUPS.items():
            assert stages & members, (year, group)
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)


def test_the_year_signs_a_couple_of_hundred_large_projects_more_than_the_year_before(demo, today):
    this_year = headline(today.year, today)["large"]
    last_year = headline(today.year - 1, today)["large"]
    assert 100 <= last_year < this_year <= 300
    assert 1.05 <= this_year / last_year <= 1.3


def test_amounts_are_long_tailed_and_land_follows_the_investment(demo, db):
    amounts = sorted(Project.objects.values_list("planned_investment", flat=True))
    assert sum(5_000 <= a <= 50_000 for a in amounts) > len(amounts) / 2
    assert sum(a >= 100_000 for a in amounts) >= 20
    assert sum(a >= 1_000_000 for a in amounts) >= 2
    for amount, mu in Project.objects.filter(land_need_mu__gt=0).values_list("planned_investment", "land_need_mu"):
        assert 200 <= amount / mu <= 450
    assert Project.objects.filter(foreign_investment__gt=0).count() >= 10


def test_the_named_projects_carry_their_published_figures(demo, db):
    calb = Project.objects.get(name__startswith="中创新航")
    assert calb.planned_investment == 2_000_000
    assert (calb.signed_on.month, calb.signed_on.day) == (1, 26)
    assert calb.construction_on == calb.signed_on + timedelta(days=50)
    assert calb.milestones.get(name="主体结构封顶").actual_on == calb.construction_on + timedelta(days=88)
    assert Project.objects.get(name__startswith="隆基").planned_investment == 1_000_000
    assert Project.objects.get(name__startswith="柏涛").planned_investment == 250_000
    tate = Project.objects.get(name__contains="泰莱")
    assert tate.planned_investment == tate.foreign_investment == 176_700
    for name in ("华津", "天赐", "科达利", "沃特海默", "联塑班皓"):
        assert Project.objects.filter(name__startswith=name, signed_on__isnull=False).exists(), name


def test_some_projects_are_stalled_and_some_enterprises_claimed_twice(demo, db):
    rules = set(StallFlag.objects.filter(cleared_on__isnull=True).values_list("rule", flat=True))
    assert len(rules) == 3
    kinds = [group.kind for group in duplicate_claims()]
    assert "certain" in kinds and "possible" in kinds
    assert len(kinds) <= 5  # a few, not noise
    assert Project.objects.filter(confidential=True).exists()


def test_all_districts_sources_chains_and_team_kinds_are_used(demo, db):
    districts = set(
        Region.objects.filter(parent__adcode=DEMO_CITY, level=RegionLevel.DISTRICT).values_list("pk", flat=True)
    )
    assert set(Project.objects.values_list("district", flat=True)) == districts
    assert set(Project.objects.values_list("source", flat=True)) == set(LeadSource.values)
    assert Project.objects.values("chain").distinct().count() == 15
    kinds = set(Project.objects.values_list("owner_team__kind", flat=True))
    assert {"centre", "district", "outpost", "task_force"} <= kinds


def test_nothing_is_dated_after_today(demo, today):
    for column in STAGE_DATE_FIELDS.values():
        assert not Project.objects.filter(**{f"{column}__gt": today}).exists()
    assert not Activity.objects.filter(happened_on__gt=today).exists()
    assert not StageTransition.objects.filter(happened_on__gt=today).exists()
    assert Project.objects.filter(signed_on__lt=date(today.year - 1, 2, 1)).exists()
    assert len(FORWARD) == 8
