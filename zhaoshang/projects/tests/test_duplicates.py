"""Duplicate claims (撞单): two teams pursuing one enterprise see a warning on their projects and in a list,
with who engaged first. Found by credit code (certain) and by name key (possible)."""

import random
from datetime import date

import pytest
from django.urls import reverse

from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.industry.validators import make_uscc
from zhaoshang.projects.choices import DuplicateKind, Stage
from zhaoshang.projects.services import create_project, duplicate_claims
from zhaoshang.projects.tests.factories import ProjectFactory

CODE = make_uscc(random.Random(32100))


@pytest.fixture
def first_claim(outpost_a, officer_a):
    """The Beijing outpost met 江门市某某科技有限公司 first, in March."""
    return create_project(
        officer_a,
        name="北京线索",
        owner_team=outpost_a,
        uscc=CODE,
        enterprise_name="江门市某某科技有限公司",
        lead_on=date(2026, 3, 1),
    )


@pytest.fixture
def second_claim(outpost_b, officer_b, first_claim):
    """The Shanghai outpost typed the company's other name, with the same credit code, in May."""
    return create_project(
        officer_b,
        name="上海线索",
        owner_team=outpost_b,
        uscc=CODE,
        enterprise_name="某某科技（江门）有限公司",
        lead_on=date(2026, 5, 1),
    )


def test_two_teams_on_one_credit_code_are_a_certain_duplicate_whatever_names_they_typed(first_claim, second_claim):
    assert second_claim.enterprise == first_claim.enterprise

    [group] = duplicate_claims()

    assert group.kind == DuplicateKind.CERTAIN
    assert [(c.project_id, c.engaged_on) for c in group.claims] == [
        (first_claim.pk, date(2026, 3, 1)),
        (second_claim.pk, date(2026, 5, 1)),
    ]
    assert group.first.team_id == first_claim.owner_team_id


def test_both_teams_and_the_centre_see_the_duplicate(first_claim, second_claim, officer_a, officer_b, centre_officer):
    for user in (officer_a, officer_b, centre_officer):
        [group] = duplicate_claims(user)
        assert {c.project_id for c in group.claims} == {first_claim.pk, second_claim.pk}


def test_an_unrelated_team_does_not_see_a_duplicate_of_confidential_projects(
    first_claim, second_claim, district_officer
):
    for project in (first_claim, second_claim):
        project.confidential = True
        project.save()
    assert duplicate_claims(district_officer) == []


def test_the_other_teams_confidential_project_shows_only_its_team_and_date(first_claim, second_claim, officer_a):
    second_claim.confidential = True
    second_claim.save()

    [group] = duplicate_claims(officer_a)

    other = next(c for c in group.claims if c.project_id == second_claim.pk)
    assert (other.visible, other.name, other.stage, other.url) == (False, "", "", "")
    assert other.team_name == second_claim.owner_team.display_name
    assert other.engaged_on == date(2026, 5, 1)


def test_similar_names_of_different_enterprises_are_a_possible_duplicate(outpost_a, outpost_b):
    limited = ProjectFactory(
        owner_team=outpost_a, enterprise=EnterpriseFactory(name="某某科技有限公司"), lead_on=date(2026, 2, 1)
    )
    joint_stock = ProjectFactory(
        owner_team=outpost_b, enterprise=EnterpriseFactory(name="某某科技股份有限公司"), lead_on=date(2026, 1, 1)
    )
    ProjectFactory(owner_team=outpost_b, enterprise=EnterpriseFactory(name="另一家科技有限公司"))

    [group] = duplicate_claims()

    assert group.kind == DuplicateKind.POSSIBLE
    assert group.key == "某某科技"
    assert [c.project_id for c in group.claims] == [joint_stock.pk, limited.pk]


def test_one_teams_two_projects_on_one_enterprise_are_no_duplicate_claim(outpost_a):
    enterprise = EnterpriseFactory()
    ProjectFactory(owner_team=outpost_a, enterprise=enterprise)
    ProjectFactory(owner_team=outpost_a, enterprise=enterprise)
    assert duplicate_claims() == []


def test_a_dropped_project_no_longer_claims_the_enterprise(first_claim, second_claim):
    first_claim.stage, first_claim.resume_stage = Stage.DROPPED, Stage.LEAD
    first_claim.dropped_on, first_claim.drop_reason = date(2026, 6, 1), "放弃"
    first_claim.save()
    assert duplicate_claims() == []


def test_the_project_page_warns_of_the_duplicate_and_names_who_came_first(
    first_claim, second_claim, officer_b, client_for
):
    html = client_for(officer_b).get(second_claim.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="duplicate-warning"' in html
    assert first_claim.owner_team.display_name in html
    assert "engaged first" in html


def test_a_project_without_duplicates_has_no_warning(first_claim, officer_a, client_for):
    assert first_claim.duplicates(officer_a) == []
    assert (
        'data-testid="duplicate-warning"'
        not in client_for(officer_a).get(first_claim.get_absolute_url()).content.decode()
    )


def test_the_duplicates_page_lists_the_groups(first_claim, second_claim, centre_officer, client_for):
    response = client_for(centre_officer).get(reverse("projects:duplicates"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="duplicate-group"') == 1
    assert response.content.decode().count('data-testid="claim"') == 2


def test_duplicates_are_found_with_a_fixed_number_of_queries(outpost_a, outpost_b, django_assert_max_num_queries):
    for n in range(6):
        enterprise = EnterpriseFactory(name=f"重复{n}号科技有限公司")
        ProjectFactory(owner_team=outpost_a, enterprise=enterprise)
        ProjectFactory(owner_team=outpost_b, enterprise=enterprise)
    with django_assert_max_num_queries(6):
        groups = duplicate_claims()
    assert len(groups) == 6
