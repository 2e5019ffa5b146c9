"""The node page (local enterprises, ranked targets, targets acted on, projects) and the chain's work page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhaoshang.chains.choices import ChainActivityKind, TargetState
from zhaoshang.chains.models import ChainActivity, Target
from zhaoshang.chains.services.targets import take_target
from zhaoshang.industry.tests.factories import ChainFactory, ChainNodeFactory, ChainSegmentFactory
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


def node_url(node):
    return reverse("chains:node-detail", args=[node.pk])


def take_url(node):
    return reverse("chains:target-take", args=[node.pk])


def dismiss_url(node):
    return reverse("chains:target-dismiss", args=[node.pk])


def work_url(chain):
    return reverse("chains:chain-work", args=[chain.pk])


def test_the_node_page_shows_local_enterprises_and_the_ranked_targets_to_the_task_force(
    client, node, place, task_force_officer
):
    place(node, name="江门本地正极材料有限公司", local=True)
    place(node, name="湖南外地正极材料有限公司")
    client.force_login(task_force_officer)
    response = client.get(node_url(node))
    assert response.status_code == 200
    body = response.content.decode()
    assert "江门本地正极材料有限公司" in body
    assert [c.enterprise.name for c in response.context["candidates"]] == ["湖南外地正极材料有限公司"]
    assert 'data-testid="take-form"' in body and 'data-testid="dismiss-form"' in body


def test_taking_a_target_on_the_page_files_a_lead_in_the_task_forces_pipeline(
    client, node, place, task_force, task_force_officer
):
    enterprise = place(node, name="湖南外地正极材料有限公司")
    client.force_login(task_force_officer)
    response = client.post(take_url(node), {"enterprise": enterprise.pk, "team": task_force.pk, "note": "先电话"})
    assert response.status_code == 302
    target = Target.objects.get(node=node, enterprise=enterprise)
    assert target.acted_by == task_force_officer
    assert target.project.owner_team == task_force
    pipeline = client.get(reverse("projects:project-list"), {"team": task_force.pk})
    assert target.project.name in pipeline.content.decode()
    page = client.get(node_url(node))
    assert list(page.context["acted"]) == [target]
    assert page.context["candidates"] == []
    assert target.project.get_absolute_url() in page.content.decode()


def test_giving_a_target_to_an_outpost_on_the_page(client, node, place, task_force, task_force_officer, outpost_a):
    enterprise = place(node, name="北京外地正极材料有限公司")
    client.force_login(task_force_officer)
    client.post(take_url(node), {"enterprise": enterprise.pk, "team": outpost_a.pk})
    project = Project.objects.get(enterprise=enterprise)
    assert project.owner_team == outpost_a
    assert list(project.supporting_teams.all()) == [task_force]


def test_setting_a_target_aside_without_a_reason_changes_nothing(client, node, place, task_force_officer):
    enterprise = place(node, name="某外地正极材料有限公司")
    client.force_login(task_force_officer)
    response = client.post(dismiss_url(node), {"enterprise": enterprise.pk, "note": ""}, follow=True)
    assert not Target.objects.exists()
    assert any(message.level_tag == "error" for message in response.context["messages"])
    client.post(dismiss_url(node), {"enterprise": enterprise.pk, "note": "规模不符"})
    assert Target.objects.get().state == TargetState.DISMISSED


def test_another_task_force_sees_no_targets_and_gets_404_on_posts(
    client, node, chain, place, task_force_officer, other_task_force_officer
):
    enterprise = place(node, name="某外地正极材料有限公司")
    taken = take_target(node, place(node, name="已取正极材料有限公司"), task_force_officer)
    ChainActivity.objects.create(
        chain=chain,
        team=chain.task_force,
        author=task_force_officer,
        happened_on=timezone.localdate(),
        kind=ChainActivityKind.VISIT,
        summary="拜访湖南客商",
    )
    client.force_login(other_task_force_officer)
    page = client.get(node_url(node))
    assert page.status_code == 200
    body = page.content.decode()
    assert "某外地正极材料有限公司" not in body and taken.enterprise.name not in body
    assert 'data-testid="targets"' not in body
    work = client.get(work_url(chain))
    assert work.status_code == 200
    assert "拜访湖南客商" not in work.content.decode() and taken.enterprise.name not in work.content.decode()
    assert work.context["progress"] is None
    assert client.post(take_url(node), {"enterprise": enterprise.pk}).status_code == 404
    assert client.post(dismiss_url(node), {"enterprise": enterprise.pk, "note": "x"}).status_code == 404
    add = reverse("chains:activity-add", args=[chain.pk])
    assert client.post(add, {"kind": "visit", "happened_on": "2026-01-05", "summary": "越权"}).status_code == 404
    assert Target.objects.count() == 1
    assert ChainActivity.objects.count() == 1


def test_an_outpost_officer_cannot_take_targets_of_a_chain(client, node, place, officer_a, outpost_a):
    enterprise = place(node, name="某外地正极材料有限公司")
    client.force_login(officer_a)
    assert client.get(node_url(node)).context["candidates"] == []
    response = client.post(take_url(node), {"enterprise": enterprise.pk, "team": outpost_a.pk})
    assert response.status_code == 404
    assert not Project.objects.exists()


def test_a_leader_reads_the_targets_but_may_not_take_them(client, node, place, leader):
    enterprise = place(node, name="某外地正极材料有限公司")
    client.force_login(leader)
    page = client.get(node_url(node))
    assert [c.enterprise for c in page.context["candidates"]] == [enterprise]
    assert 'data-testid="take-form"' not in page.content.decode()
    assert client.post(take_url(node), {"enterprise": enterprise.pk}).status_code == 403
    assert not Target.objects.exists()


def test_a_task_force_sees_only_its_chains_targets_and_activities(
    client, node, place, task_force_officer, other_task_force, other_task_force_officer
):
    food = ChainFactory(name="食品", task_force=other_task_force)
    food_node = ChainNodeFactory(chain=food, segment=ChainSegmentFactory(chain=food), name="饮料")
    mine = take_target(node, place(node, name="我方正极材料有限公司"), task_force_officer)
    theirs = take_target(food_node, place(food_node, name="他方饮料有限公司"), other_task_force_officer)
    client.force_login(task_force_officer)
    assert list(client.get(work_url(node.chain)).context["targets"]) == [mine]
    assert list(client.get(work_url(food)).context["targets"]) == []
    client.force_login(other_task_force_officer)
    assert list(client.get(work_url(food)).context["targets"]) == [theirs]


def test_the_task_force_records_activities_shown_newest_first(client, chain, node, place, task_force_officer):
    enterprise = place(node, name="拜访正极材料有限公司")
    target = take_target(node, enterprise, task_force_officer)
    client.force_login(task_force_officer)
    add = reverse("chains:activity-add", args=[chain.pk])
    today = timezone.localdate()
    client.post(add, {"kind": "research", "happened_on": today - timedelta(days=3), "summary": "链上调研"})
    client.post(add, {"kind": "visit", "happened_on": today, "summary": "登门拜访", "enterprise": enterprise.pk})
    page = client.get(work_url(chain))
    assert [a.summary for a in page.context["activity_page"]] == ["登门拜访", "链上调研"]
    visit = ChainActivity.objects.get(summary="登门拜访")
    assert visit.team == chain.task_force and visit.author == task_force_officer and visit.target == target


def test_an_activity_in_the_future_is_refused_and_nothing_is_recorded(client, chain, task_force_officer):
    client.force_login(task_force_officer)
    add = reverse("chains:activity-add", args=[chain.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(add, {"kind": "visit", "happened_on": tomorrow, "summary": "未来"})
    assert response.status_code == 200
    assert "happened_on" in response.context["form"].errors
    assert not ChainActivity.objects.exists()


def test_the_progress_figures_open_the_projects_they_count(client, chain, node, place, task_force_officer):
    target = take_target(node, place(node, name="进展正极材料有限公司"), task_force_officer)
    client.force_login(task_force_officer)
    page = client.get(work_url(chain))
    figures = page.context["progress"]
    assert (figures.taken, figures.leads) == (1, 1)
    listed = client.get(figures.leads_url)
    assert [p.pk for p in listed.context["object_list"]] == [target.project_id]
    assert list(client.get(figures.signed_url).context["object_list"]) == []
