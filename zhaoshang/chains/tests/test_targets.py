"""Ranking a node's targets, taking them up as leads or setting them aside, and the task forces' progress."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from zhaoshang.chains.choices import TargetState
from zhaoshang.chains.models import Target
from zhaoshang.chains.services.targets import (
    PARTNER_POINTS,
    dismiss_target,
    progress,
    rank_targets,
    take_target,
    work_panel,
)
from zhaoshang.industry.choices import EnterpriseSize, RevenueBand
from zhaoshang.industry.models import EnterpriseTag
from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.projects.choices import LeadSource, Stage
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def ranked(node, user):
    return [candidate.enterprise for candidate in rank_targets(node, user)]


def test_targets_exclude_enterprises_in_an_active_project_until_it_is_dropped(node, place, task_force_officer):
    pursued = place(node, name="宁德正极材料有限公司")
    free = place(node, name="湖南正极材料有限公司")
    project = ProjectFactory(enterprise=pursued, stage=Stage.PAUSED)
    assert ranked(node, task_force_officer) == [free]
    Project.objects.filter(pk=project.pk).update(
        stage=Stage.DROPPED, dropped_on=timezone.localdate(), drop_reason="转投他市"
    )
    assert set(ranked(node, task_force_officer)) == {pursued, free}


def test_local_enterprises_and_excluded_classifications_never_appear(node, place, centre_officer):
    outside = place(node, name="外地正极材料有限公司")
    place(node, name="本地正极材料有限公司", local=True)
    place(node, name="被排除正极材料有限公司", excluded=True)
    assert ranked(node, centre_officer) == [outside]


def test_targets_taken_or_set_aside_for_the_node_are_not_ranked_again(node, place, task_force_officer):
    taken = place(node, name="甲正极材料有限公司")
    aside = place(node, name="乙正极材料有限公司")
    left = place(node, name="丙正极材料有限公司")
    take_target(node, taken, task_force_officer)
    dismiss_target(node, aside, task_force_officer, "规模太小")
    assert ranked(node, task_force_officer) == [left]


def test_targets_are_ranked_by_fit_with_the_reasons_in_words(node, chain, place, centre_officer):
    leader_tag = EnterpriseTag.objects.get(slug="industry-leader")
    best = place(node, name="龙头正极材料集团", revenue_band=RevenueBand.TO_10B, tags=[leader_tag], hq_city="长沙")
    near = place(node, name="深圳正极材料有限公司", rule="words", size=EnterpriseSize.LARGE, hq_city="深圳")
    last = place(node, name="编码正极材料有限公司", rule="code", hq_city="成都")
    # an enterprise of the chain's pipeline is headquartered in 深圳: partners nearby
    ProjectFactory(chain=chain, enterprise=EnterpriseFactory(hq_city="深圳"))
    with translation.override("en"):
        candidates = rank_targets(node, centre_officer)
        assert [c.enterprise for c in candidates] == [best, near, last]
        assert [c.score for c in candidates] == [40 + 15 + 12, 30 + 15 + PARTNER_POINTS, 25]
        assert candidates[0].reasons == [
            ("Main products and code match", 40),
            ("Revenue 1–10 billion yuan", 15),
            ("Industry leader", 12),
        ]
        assert candidates[1].reasons == [
            ("Main products match", 30),
            ("Size: Large", 15),
            ("Partners nearby in 深圳", PARTNER_POINTS),
        ]
        assert candidates[2].reasons == [("Industry code match", 25)]


def test_enterprises_the_user_does_not_read_are_not_ranked(node, place, task_force_officer, outpost_b):
    kept_elsewhere = place(node, name="他队客户正极材料有限公司", owner_team=outpost_b)
    shared = place(node, name="共享正极材料有限公司")
    assert ranked(node, task_force_officer) == [shared]
    assert kept_elsewhere not in ranked(node, task_force_officer)


def test_only_those_who_work_the_chain_see_its_ranking(
    node, place, officer_a, other_task_force_officer, leader, task_force_officer
):
    place(node, name="外地正极材料有限公司")
    assert ranked(node, officer_a) == []
    assert ranked(node, other_task_force_officer) == []
    assert len(ranked(node, leader)) == 1
    assert len(ranked(node, task_force_officer)) == 1


def test_taking_a_target_makes_a_lead_of_the_task_force_and_records_who_took_it(
    node, chain, place, task_force, task_force_officer
):
    enterprise = place(node, name="湖南正极材料有限公司", revenue_band=RevenueBand.TO_1B)
    target = take_target(node, enterprise, task_force_officer, note="年内拜访")
    project = target.project
    assert project.owner_team == task_force
    assert project.chain == chain
    assert project.enterprise == enterprise
    assert project.stage == Stage.LEAD
    assert project.name == "湖南正极材料有限公司 · 正极材料"
    assert list(project.supporting_teams.all()) == []
    assert target.state == TargetState.TAKEN
    assert target.team == task_force
    assert target.acted_by == task_force_officer
    assert target.acted_on == timezone.localdate()
    assert target.score == 40 + 10
    assert target.reasons == [["rule:words_and_code", 40], ["revenue_band:100m-1b", 10]]


def test_giving_a_target_to_an_outpost_makes_it_the_owner_and_the_task_force_supporting(
    node, place, task_force, task_force_officer, outpost_a
):
    enterprise = place(node, name="北京正极材料有限公司")
    target = take_target(node, enterprise, task_force_officer, team=outpost_a)
    assert target.project.owner_team == outpost_a
    assert list(target.project.supporting_teams.all()) == [task_force]
    assert target.project.source == LeadSource.OUTPOST
    assert target.team == outpost_a


def test_the_centre_gives_a_target_to_an_outpost(node, place, task_force, centre_officer, outpost_b):
    enterprise = place(node, name="上海正极材料有限公司")
    target = take_target(node, enterprise, centre_officer, team=outpost_b)
    assert target.project.owner_team == outpost_b
    assert target.acted_by == centre_officer


def test_a_target_is_given_to_the_task_force_or_an_outpost_only(
    node, place, task_force_officer, district_bureau, partner
):
    enterprise = place(node, name="某正极材料有限公司")
    for team in (district_bureau, partner):
        with pytest.raises(ValidationError):
            take_target(node, enterprise, task_force_officer, team=team)
    assert not Target.objects.exists()
    assert not Project.objects.exists()


def test_an_outpost_officer_cannot_take_targets_of_a_chain(node, place, officer_a, outpost_a):
    enterprise = place(node, name="某正极材料有限公司")
    with pytest.raises(PermissionDenied):
        take_target(node, enterprise, officer_a, team=outpost_a)
    with pytest.raises(PermissionDenied):
        dismiss_target(node, enterprise, officer_a, "不合适")
    assert not Target.objects.exists()
    assert not Project.objects.exists()


def test_another_task_force_cannot_take_targets_of_the_chain(node, place, other_task_force_officer):
    enterprise = place(node, name="某正极材料有限公司")
    with pytest.raises(PermissionDenied):
        take_target(node, enterprise, other_task_force_officer)
    assert not Target.objects.exists()


def test_a_target_in_an_active_project_cannot_be_taken(node, place, task_force_officer):
    enterprise = place(node, name="已在谈正极材料有限公司")
    ProjectFactory(enterprise=enterprise, stage=Stage.NEGOTIATION)
    with pytest.raises(ValidationError):
        take_target(node, enterprise, task_force_officer)
    assert not Target.objects.exists()
    assert Project.objects.count() == 1


def test_a_target_is_taken_once(node, place, task_force_officer, centre_officer):
    enterprise = place(node, name="某正极材料有限公司")
    take_target(node, enterprise, task_force_officer)
    with pytest.raises(ValidationError):
        take_target(node, enterprise, centre_officer)
    assert Project.objects.count() == 1


def test_setting_a_target_aside_needs_a_reason(node, place, task_force_officer, task_force):
    enterprise = place(node, name="某正极材料有限公司")
    with pytest.raises(ValidationError) as error:
        dismiss_target(node, enterprise, task_force_officer, "  ")
    assert "note" in error.value.message_dict
    assert not Target.objects.exists()
    target = dismiss_target(node, enterprise, task_force_officer, "已在本地设厂")
    assert target.state == TargetState.DISMISSED
    assert target.note == "已在本地设厂"
    assert target.team == task_force
    assert target.project is None


def _move(project, stage, amount=None):
    today = timezone.localdate()
    Project.objects.filter(pk=project.pk).update(
        stage=stage, contact_on=today, signed_on=today if stage == Stage.SIGNED else None, planned_investment=amount
    )


def test_progress_counts_the_leads_of_the_chains_targets_by_stage(
    node, chain, place, task_force_officer, other_task_force_officer, outpost_a
):
    taken = [
        take_target(node, place(node, name=f"进展{n}正极材料有限公司"), task_force_officer, team=team)
        for n, team in enumerate([None, None, None, outpost_a, None])
    ]
    _move(taken[1].project, Stage.CONTACT)
    _move(taken[2].project, Stage.SIGNED, Decimal("50000"))
    _move(taken[3].project, Stage.SIGNED, Decimal("12000.50"))
    Project.objects.filter(pk=taken[4].project_id).update(
        stage=Stage.DROPPED, dropped_on=timezone.localdate(), drop_reason="放弃", resume_stage=Stage.LEAD
    )
    dismiss_target(node, place(node, name="搁置正极材料有限公司"), task_force_officer, "太小")
    # a chain project not taken from a target is not counted
    ProjectFactory(chain=chain, stage=Stage.SIGNED, planned_investment=Decimal("99999"))
    year = timezone.localdate().year
    figures = progress(chain, task_force_officer, year)
    assert (figures.taken, figures.leads, figures.contacted, figures.signed) == (5, 5, 3, 2)
    assert figures.signed_investment == Decimal("62000.50")
    assert progress(chain, task_force_officer, year - 1).taken == 0
    nothing = progress(chain, other_task_force_officer, year)
    assert (nothing.taken, nothing.leads, nothing.signed) == (0, 0, 0)


def test_the_work_panel_gives_each_chain_of_the_users_task_forces_its_progress(
    node, chain, place, task_force_officer, officer_a
):
    take_target(node, place(node, name="面板正极材料有限公司"), task_force_officer)
    with translation.override("en"):
        panel = work_panel(task_force_officer)
        assert [item["label"] for item in panel["items"]] == [str(chain)]
        assert panel["items"][0]["note"] == "1 taken · 0 contacted · 0 signed"
    assert work_panel(officer_a) is None


def test_ranking_reads_a_fixed_number_of_queries_whatever_the_candidates(node, place, centre_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tags = list(EnterpriseTag.objects.filter(slug__in=["industry-leader", "listed", "expanding"]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            for candidate in rank_targets(node, centre_officer):
                candidate.reasons  # noqa: B018 - the labels, as the page shows them
        return len(context.captured_queries)

    place(node, name="一号正极材料有限公司", tags=tags)
    rank_targets(node, centre_officer)  # the user's memberships, read once per user
    few = queries()
    for n in range(6):
        place(node, name=f"{n}号正极材料集团", tags=tags[: n % 3 + 1])
    assert queries() == few
