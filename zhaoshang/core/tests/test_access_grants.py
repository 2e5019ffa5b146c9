"""Access grants registered by an app above: a rule added without editing the apps below widens who reads a
project, and reaches the project's own records; the look-up of other teams' projects; personal data masked."""

import pytest
from django.apps import apps
from django.db.models import Q
from django.urls import reverse

from zhaoshang.core import access, personal
from zhaoshang.core.choices import Action
from zhaoshang.projects.models import Contact, Project
from zhaoshang.projects.tests.factories import ContactFactory, ProjectFactory
from zhaoshang.stats.metrics import SOURCES


@pytest.fixture
def secret(outpost_a, officer_a):
    return ProjectFactory(name="保密储能项目", owner_team=outpost_a, owner=officer_a, confidential=True)


@pytest.fixture
def contact(secret):
    return ContactFactory(project=secret, name="王小明", phone="13812345678", email="wang@example.com")


@pytest.fixture
def granted_to_officer_b(officer_b):
    """A grant as a later app registers it (``AppConfig.access_grants``): officer_b reads and works the project
    named in the rule, as a reviewer assigned to a case would."""
    config = apps.get_app_config("stats")

    def rule(scope, prefix):
        return Q(**{f"{prefix}name": "保密储能项目"}) if scope.user_id == officer_b.pk else None

    grants = [
        access.Grant("projects.Project", (Action.VIEW,), rule, "test"),
        access.Grant("projects.Project", (Action.PERSONAL,), rule, "test"),
    ]
    config.access_grants = [f"{__name__}.REGISTERED"]
    globals()["REGISTERED"] = grants
    access.forget()
    yield
    del config.access_grants
    access.forget()


def test_without_a_grant_another_team_does_not_read_a_confidential_project(secret, contact, officer_b):
    assert not Project.objects.restrict(officer_b, Action.VIEW).filter(pk=secret.pk).exists()
    assert not Contact.objects.restrict(officer_b, Action.VIEW).filter(pk=contact.pk).exists()


def test_a_registered_grant_lets_its_user_read_the_project_and_its_records(
    secret, contact, officer_b, granted_to_officer_b, client_for
):
    assert Project.objects.restrict(officer_b, Action.VIEW).filter(pk=secret.pk).exists()
    assert Contact.objects.restrict(officer_b, Action.VIEW).filter(pk=contact.pk).exists()
    page = client_for(officer_b).get(reverse("projects:project-detail", args=[secret.pk]))
    assert page.status_code == 200
    assert "13812345678" in page.content.decode()  # the grant includes personal data


def test_a_grant_widens_only_the_actions_it_names(secret, officer_b, granted_to_officer_b, client_for):
    assert not Project.objects.restrict(officer_b, Action.CHANGE).filter(pk=secret.pk).exists()
    edit = client_for(officer_b).get(reverse("projects:project-edit", args=[secret.pk]))
    assert edit.status_code in (403, 404)


def test_a_grant_reaches_the_statistics_through_the_same_rule(secret, officer_b, granted_to_officer_b):
    assert secret.pk in set(SOURCES["projects"].records(officer_b).values_list("pk", flat=True))


def test_the_grant_does_not_reach_anyone_else(secret, officer_a, outpost_b, granted_to_officer_b):
    from zhaoshang.accounts.choices import Role
    from zhaoshang.accounts.tests.factories import member

    colleague = member(outpost_b, Role.OFFICER, username="colleague_b")
    assert not Project.objects.restrict(colleague, Action.VIEW).filter(pk=secret.pk).exists()


# ---------------------------------------------------------------- look-up of other teams' projects


@pytest.fixture
def others_project(outpost_a, officer_a):
    project = ProjectFactory(
        name="北京锂电池项目", owner_team=outpost_a, owner=officer_a, planned_investment=88_888, confidential=False
    )
    ContactFactory(project=project, name="李大同", phone="13900001111", email="li@example.com")
    return project


def test_another_outpost_reads_neither_the_project_nor_its_contacts(others_project, officer_b, client_for, api_for):
    assert client_for(officer_b).get(reverse("projects:project-detail", args=[others_project.pk])).status_code == 404
    listed = client_for(officer_b).get(reverse("projects:project-list")).content.decode()
    assert "北京锂电池项目" not in listed
    api = api_for(officer_b).get("/api/projects/", {"search": "锂电池"}).json()
    assert others_project.pk not in [row["id"] for row in api["results"]]


def test_another_outpost_looks_up_that_the_enterprise_is_taken_its_stage_and_team(
    others_project, officer_b, outpost_a, client_for, api_for
):
    name = others_project.enterprise.name
    page = client_for(officer_b).get(reverse("projects:lookup"), {"q": name})
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-project="{others_project.pk}"' in html
    assert outpost_a.name in html and str(others_project.get_stage_display()) in html
    for secret_value in ("88888", "88,888", "李大同", "13900001111", "北京锂电池项目"):
        assert secret_value not in html
    rows = api_for(officer_b).get("/api/projects/lookup/", {"search": name}).json()
    row = next(r for r in rows if r["project"] == others_project.pk)
    assert row == {
        "project": others_project.pk,
        "enterprise_name": name,
        "enterprise_uscc": others_project.enterprise.uscc or "",
        "stage": others_project.stage,
        "stage_label": str(others_project.get_stage_display()),
        "owner_team": outpost_a.pk,
        "owner_team_name": outpost_a.display_name,
        "readable": False,
    }


def test_a_confidential_project_cannot_be_looked_up_by_another_team(secret, officer_b, officer_a, api_for):
    name = secret.enterprise.name
    assert api_for(officer_b).get("/api/projects/lookup/", {"search": name}).json() == []
    mine = api_for(officer_a).get("/api/projects/lookup/", {"search": name}).json()
    assert [(r["project"], r["readable"]) for r in mine] == [(secret.pk, True)]


def test_the_look_up_needs_two_characters_and_is_not_open_to_the_public(others_project, officer_b, api_for, investor):
    assert api_for(officer_b).get("/api/projects/lookup/", {"search": "北"}).status_code == 400
    assert investor.get("/api/projects/lookup/", {"search": "北京"}).status_code in (401, 403)
    assert investor.get(reverse("projects:lookup"), {"q": "北京"}).status_code == 302


# ---------------------------------------------------------------- personal data masked


def test_a_leader_reads_the_project_but_sees_its_contacts_masked(others_project, leader, officer_a, client_for):
    url = reverse("projects:project-detail", args=[others_project.pk])
    html = client_for(leader).get(url).content.decode()
    assert "13900001111" not in html and "li@example.com" not in html and "李大同" not in html
    assert personal.mask_value("13900001111") in html and personal.mask_value("李大同") in html
    own = client_for(officer_a).get(url).content.decode()
    assert "13900001111" in own and "li@example.com" in own


def test_the_history_of_a_contact_is_masked_for_a_leader(others_project, leader, client_for):
    from django.contrib.contenttypes.models import ContentType

    contact = others_project.contacts.get()
    url = reverse("core:object-history", args=[ContentType.objects.get_for_model(Contact).pk, contact.pk])
    html = client_for(leader).get(url).content.decode()
    assert "13900001111" not in html and "李大同" not in html


def test_a_masked_record_cannot_be_saved(others_project, leader):
    contact = personal.mask(others_project.contacts.all(), leader)[0]
    with pytest.raises(ValueError):
        contact.save()
    contact.refresh_from_db()
    assert contact.phone == "13900001111"


def test_masked_values_keep_nothing_that_reaches_the_person():
    assert personal.mask_value("13812345678") == "138****5678"
    assert personal.mask_value("+86 138 1234 5678") == "861****5678"
    assert personal.mask_value("wang.xiaoming@example.com") == "w***@example.com"
    assert personal.mask_value("王小明") == "王**"
    assert personal.mask_value("") == ""
