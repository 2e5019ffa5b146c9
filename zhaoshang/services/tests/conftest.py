"""Fixtures of the approval tests: the seeded catalogue, the official calendar of 2026, departments with members and
a signed project of outpost A."""

from __future__ import annotations

from datetime import date

import pytest

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.models import Team
from zhaoshang.accounts.tests.factories import member


@pytest.fixture
def calendar_2026(db):
    """The official working days of 2026 (Labour Day: 1–5 May off, Saturday 9 May worked)."""
    from zhaoshang.core import workdays
    from zhaoshang.core.calendar_load import load_year
    from zhaoshang.core.models import CalendarYear

    if not CalendarYear.objects.filter(year=2026).exists():
        load_year(2026)
    workdays.forget()
    yield
    workdays.forget()


@pytest.fixture
def catalogue(db, calendar_2026):
    """The seeded catalogue (services.approvals_seed), as the data migration left it."""
    from zhaoshang.services.approvals_seed import seed

    seed()
    return {team.name: team for team in Team.objects.filter(kind="department")}


@pytest.fixture
def housing(catalogue):
    return catalogue["住房和城乡建设局"]


@pytest.fixture
def land_bureau(catalogue):
    return catalogue["自然资源局"]


@pytest.fixture
def housing_officer(housing):
    return member(housing, Role.OFFICER, username="zjj_officer")


@pytest.fixture
def housing_lead(housing):
    return member(housing, Role.TEAM_LEAD, username="zjj_lead")


@pytest.fixture
def land_officer(land_bureau):
    return member(land_bureau, Role.OFFICER, username="zrj_officer")


@pytest.fixture
def signed_project(city, outpost_a, officer_a):
    from zhaoshang.geo.tests.factories import ParkFactory, district
    from zhaoshang.projects.choices import Stage
    from zhaoshang.projects.tests.factories import ProjectFactory

    park = ParkFactory(name="测试产业园", team=outpost_a, region=district())
    return ProjectFactory(
        name="中创新航动力电池江门基地",
        owner_team=outpost_a,
        owner=officer_a,
        park=park,
        stage=Stage.SIGNED,
        signed_on=date(2026, 4, 29),
    )
