"""The projects API: the same rules as the pages (404 out of scope, 403 read-only), versions on update,
stage changes through the transition action, activities, speed figures and duplicate claims."""

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from zhaoshang.industry.validators import make_uscc
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Activity, Project
from zhaoshang.projects.tests.factories import ProjectFactory


def today():
    """Today where the city is (read at each use: a run may pass midnight)."""
    return timezone.localdate()


LIST = "/api/projects/"


@pytest.fixture
def project(outpost_a, officer_a):
    return ProjectFactory(
        name="动力电池基地", owner_team=outpost_a, owner=officer_a, lead_on=today() - timedelta(days=100)
    )


def detail(project, suffix=""):
    return f"{LIST}{project.pk}/{suffix}"


def test_an_officer_creates_a_project_with_a_new_enterprise(officer_a, outpost_a, api_for):
    code = make_uscc(random.Random(7))
    response = api_for(officer_a).post(
        LIST,
        {
            "name": "储能系统项目",
            "enterprise_uscc": code,
            "enterprise_name": "某某储能科技有限公司",
            "owner_team": outpost_a.pk,
            "source": "conference",
            "planned_investment": "2000000.00",
            "lead_on": (today() - timedelta(days=2)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["stage"], body["lead_on"], body["investor_uscc"]) == (
        "lead",
        (today() - timedelta(days=2)).isoformat(),
        code,
    )
    assert Project.objects.get(pk=body["id"]).transitions.count() == 1


def test_a_wrong_credit_code_is_refused_by_the_api(officer_a, outpost_a, api_for):
    response = api_for(officer_a).post(
        LIST,
        {"name": "X", "enterprise_uscc": "123", "enterprise_name": "某某", "owner_team": outpost_a.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "18 characters" in response.json()["enterprise_uscc"][0]
    assert not Project.objects.exists()


def test_an_update_needs_the_version_read_and_a_stale_one_is_refused(project, officer_a, api_for):
    client = api_for(officer_a)
    read = client.get(detail(project)).json()

    first = client.patch(detail(project), {"planned_investment": "5000", "version": read["version"]}, format="json")
    second = client.patch(detail(project), {"name": "覆盖", "version": read["version"]}, format="json")
    missing = client.patch(detail(project), {"name": "覆盖"}, format="json")

    assert first.status_code == 200
    assert second.status_code == 409 and second.json()["detail"]
    assert missing.status_code == 400 and "version" in missing.json()
    project.refresh_from_db()
    assert (project.name, project.planned_investment, project.version) == ("动力电池基地", 5000, 2)


def test_stage_and_dates_cannot_be_written_directly(project, officer_a, api_for):
    response = api_for(officer_a).patch(
        detail(project), {"stage": "signed", "signed_on": today().isoformat(), "version": 1}, format="json"
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.stage, project.signed_on) == (Stage.LEAD, None)


def test_the_transition_action_moves_the_project(project, officer_a, api_for):
    response = api_for(officer_a).post(
        detail(project, "transition/"),
        {"to_stage": "signed", "happened_on": today().isoformat(), "note": "签约"},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["signed_on"]) == ("signed", today().isoformat())


def test_a_refused_transition_answers_400_naming_the_problem(project, officer_a, api_for):
    response = api_for(officer_a).post(
        detail(project, "transition/"),
        {"to_stage": "production", "happened_on": today().isoformat()},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"to_stage": ["Production started needs a signing date: record the signing first."]}
    project.refresh_from_db()
    assert project.stage == Stage.LEAD


def test_the_correct_date_action(project, officer_a, api_for):
    client = api_for(officer_a)
    client.post(
        detail(project, "transition/"), {"to_stage": "signed", "happened_on": today().isoformat()}, format="json"
    )
    response = client.post(
        detail(project, "correct-date/"),
        {"stage": "signed", "happened_on": (today() - timedelta(days=3)).isoformat()},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["signed_on"] == (today() - timedelta(days=3)).isoformat()


def test_activities_are_added_only_to_projects_the_caller_may_change(project, officer_a, officer_b, api_for):
    payload = {"project": project.pk, "kind": "call", "happened_on": today().isoformat(), "summary": "电话沟通用地需求"}

    refused = api_for(officer_b).post("/api/projects/activities/", payload, format="json")
    added = api_for(officer_a).post("/api/projects/activities/", payload, format="json")

    assert refused.status_code == 400 and "project" in refused.json()
    assert added.status_code == 201
    assert Activity.objects.get().created_by == officer_a
    # another team's project is not theirs to read, even when not confidential: its log stays with its team
    assert api_for(officer_b).get(f"/api/projects/activities/?project={project.pk}").status_code == 400
    listed = api_for(officer_a).get(f"/api/projects/activities/?project={project.pk}").json()["results"]
    assert [a["summary"] for a in listed] == ["电话沟通用地需求"]


def test_the_speed_endpoint_gives_the_figures_of_the_projects_the_caller_sees(officer_b, outpost_a, api_for):
    """officer_b supports the first project and reads it; the second, another team's, is not theirs to count."""
    start = date(2025, 1, 1)
    supported = ProjectFactory(
        owner_team=outpost_a, stage=Stage.LAND, lead_on=start, signed_on=start, land_on=start + timedelta(days=40)
    )
    supported.supporting_teams.add(officer_b.memberships.get().team)
    ProjectFactory(
        owner_team=outpost_a, stage=Stage.LAND, lead_on=start, signed_on=start, land_on=start + timedelta(days=60)
    )

    response = api_for(officer_b).get(f"{LIST}speed/?start=2025-01-01&end=2025-12-31&group_by=team")

    assert response.status_code == 200
    land = next(i for i in response.json()["intervals"] if i["key"] == "signing_land")
    assert (land["overall"]["count"], land["overall"]["median"]) == (1, 40.0)
    assert land["groups"][0]["count"] == 1


def test_the_speed_endpoint_checks_its_period(officer_a, api_for):
    response = api_for(officer_a).get(f"{LIST}speed/?start=2025-12-31&end=2025-01-01")
    assert response.status_code == 400


def test_the_duplicates_endpoint(outpost_a, outpost_b, officer_a, api_for):
    from zhaoshang.industry.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    ProjectFactory(owner_team=outpost_a, enterprise=enterprise, lead_on=date(2026, 1, 1))
    ProjectFactory(owner_team=outpost_b, enterprise=enterprise, lead_on=date(2026, 2, 1))

    [group] = api_for(officer_a).get(f"{LIST}duplicates/").json()

    assert group["kind"] == "certain"
    assert [c["team_id"] for c in group["claims"]] == [outpost_a.pk, outpost_b.pk]
