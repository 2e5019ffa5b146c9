"""Who sees and who changes a project, on the pages and through the API.

A project is read by its owning and supporting teams, the district bureau of its district, the centre and the
leaders — anyone else gets 404 and may only look it up (that it exists, its stage and team), unless it is
confidential. Changing needs a writing role in the owning or a supporting team, the district bureau or the
centre; leaders only read. The whole table: docs/access.md and the permission matrix test.
"""

import pytest
from django.urls import reverse

from zhaoshang.accounts.choices import Role, TeamKind
from zhaoshang.accounts.tests.factories import TeamFactory, member
from zhaoshang.geo.models import Region
from zhaoshang.projects.models import Activity, Project
from zhaoshang.projects.tests.factories import ActivityFactory, ProjectFactory


@pytest.fixture
def pengjiang(city):
    return Region.objects.get(adcode="440703")


@pytest.fixture
def secret(outpost_a, officer_a, pengjiang):
    return ProjectFactory(
        name="保密动力电池项目",
        owner_team=outpost_a,
        owner=officer_a,
        confidential=True,
        district=pengjiang,
        description="对方要求土地价格优惠三成",
    )


@pytest.fixture
def open_project(outpost_a, officer_a):
    return ProjectFactory(name="公开照明项目", owner_team=outpost_a, owner=officer_a)


def page(project):
    return reverse("projects:project-detail", args=[project.pk])


def api(project, suffix=""):
    return f"/api/projects/{project.pk}/{suffix}"


# --- a confidential project --------------------------------------------------------------------------------------


def test_an_officer_of_another_team_gets_404_for_a_confidential_project(secret, officer_b, client_for, api_for):
    assert client_for(officer_b).get(page(secret)).status_code == 404
    assert client_for(officer_b).get(reverse("projects:project-edit", args=[secret.pk])).status_code == 404
    assert api_for(officer_b).get(api(secret)).status_code == 404
    assert (
        api_for(officer_b)
        .post(api(secret, "transition/"), {"to_stage": "contact", "happened_on": "2026-01-05"})
        .status_code
        == 404
    )
    assert not Project.objects.restrict(officer_b).filter(pk=secret.pk).exists()


def test_other_teams_projects_are_missing_from_their_lists(secret, open_project, officer_b, client_for, api_for):
    mine = ProjectFactory(name="本队项目", owner_team=officer_b.memberships.get().team, owner=officer_b)
    listed = client_for(officer_b).get(reverse("projects:project-list")).content.decode()
    assert "本队项目" in listed
    assert "公开照明项目" not in listed and "保密动力电池项目" not in listed
    names = [p["id"] for p in api_for(officer_b).get("/api/projects/").json()["results"]]
    assert names == [mine.pk]


def test_the_records_of_a_confidential_project_are_hidden_from_other_teams(secret, officer_b, api_for):
    activity = ActivityFactory(project=secret)
    assert not Activity.objects.restrict(officer_b).filter(pk=activity.pk).exists()
    assert api_for(officer_b).get(f"/api/projects/activities/{activity.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["officer_a", "district_officer", "centre_officer", "reviewer", "leader", "admin_user"])
def test_the_owning_team_district_bureau_centre_and_leaders_read_a_confidential_project(
    who, secret, client_for, request
):
    user = request.getfixturevalue(who)
    response = client_for(user).get(page(secret))
    assert response.status_code == 200
    assert "对方要求土地价格优惠三成" in response.content.decode()


def test_a_supporting_team_reads_a_confidential_project(secret, outpost_b, officer_b, client_for):
    secret.supporting_teams.add(outpost_b)
    assert client_for(officer_b).get(page(secret)).status_code == 200


def test_another_district_bureau_does_not_see_a_confidential_project(secret, client_for):
    xinhui = TeamFactory(name="新会区投资促进局", kind=TeamKind.DISTRICT, adcode="440705")
    officer = member(xinhui, Role.OFFICER)
    assert client_for(officer).get(page(secret)).status_code == 404


# --- reading and changing ----------------------------------------------------------------------------------------


def test_other_teams_neither_read_nor_change_a_non_confidential_project(open_project, officer_b, client_for, api_for):
    client = client_for(officer_b)
    assert client.get(page(open_project)).status_code == 404
    assert client.get(reverse("projects:project-edit", args=[open_project.pk])).status_code == 404
    assert (
        client.post(
            reverse("projects:project-transition", args=[open_project.pk]),
            {"to_stage": "contact", "happened_on": "2026-01-05"},
        ).status_code
        == 404
    )
    assert api_for(officer_b).patch(api(open_project), {"name": "改名", "version": 1}, format="json").status_code == 404
    open_project.refresh_from_db()
    assert open_project.name == "公开照明项目"


def test_a_reader_who_may_not_change_gets_403(open_project, reviewer, client_for, api_for):
    client = client_for(reviewer)
    response = client.get(page(open_project))
    assert response.status_code == 200
    assert 'data-testid="read-only"' in response.content.decode()
    assert client.get(reverse("projects:project-edit", args=[open_project.pk])).status_code == 403
    assert (
        client.post(
            reverse("projects:project-transition", args=[open_project.pk]),
            {"to_stage": "contact", "happened_on": "2026-01-05"},
        ).status_code
        == 403
    )
    assert client.get(reverse("projects:activity-add", args=[open_project.pk])).status_code == 403
    assert api_for(reviewer).patch(api(open_project), {"name": "改名", "version": 1}, format="json").status_code == 403


def test_a_leader_reads_but_cannot_edit(secret, leader, client_for, api_for):
    client = client_for(leader)
    response = client.get(page(secret))
    assert response.status_code == 200
    assert 'data-testid="edit-link"' not in response.content.decode()
    assert 'data-testid="transition-form"' not in response.content.decode()
    assert client.get(reverse("projects:project-edit", args=[secret.pk])).status_code == 403
    assert (
        client.post(
            reverse("projects:project-transition", args=[secret.pk]),
            {"to_stage": "contact", "happened_on": "2026-01-05"},
        ).status_code
        == 403
    )
    assert client.get(reverse("projects:project-add")).status_code == 403
    assert api_for(leader).get(api(secret)).status_code == 200
    assert api_for(leader).patch(api(secret), {"name": "改名", "version": 1}, format="json").status_code == 403
    assert (
        api_for(leader)
        .post(api(secret, "transition/"), {"to_stage": "contact", "happened_on": "2026-01-05"})
        .status_code
        == 403
    )
    secret.refresh_from_db()
    assert (secret.name, secret.stage, secret.version) == ("保密动力电池项目", "lead", 1)


def test_the_anonymous_public_sees_no_project(open_project, investor):
    response = investor.get(page(open_project))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert investor.get("/api/projects/").status_code in (401, 403)
    assert not Project.objects.restrict(None).exists()


def test_a_supporting_team_reads_and_adds_to_the_records_of_a_confidential_project(
    secret, outpost_b, officer_b, api_for
):
    secret.supporting_teams.add(outpost_b)
    activity = ActivityFactory(project=secret)

    assert Activity.objects.restrict(officer_b).filter(pk=activity.pk).exists()
    response = api_for(officer_b).post(
        "/api/projects/activities/",
        {"project": secret.pk, "kind": "meeting", "happened_on": "2026-01-05", "summary": "协办会商"},
        format="json",
    )
    assert response.status_code == 201
