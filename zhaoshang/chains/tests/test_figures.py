"""A chain's figures by node and the gap/weak rule on a hand-computed chain; the chain map and the overview."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from zhaoshang.chains.choices import NodeStrength, TargetState
from zhaoshang.chains.models import ChainValueAdded, Target
from zhaoshang.chains.services.figures import chain_figures, overview
from zhaoshang.industry.choices import SegmentPosition
from zhaoshang.industry.models import NodeClassification
from zhaoshang.industry.tests.factories import (
    ChainFactory,
    ChainNodeFactory,
    ChainSegmentFactory,
    EnterpriseFactory,
)
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.tests.factories import ProjectFactory


def classify(node, outputs, local=True, excluded=False):
    """One enterprise at ``node`` for each estimated output (万元); returns the enterprises."""
    enterprises = []
    for output in outputs:
        enterprise = EnterpriseFactory()
        NodeClassification.objects.create(
            enterprise=enterprise, node=node, chain=node.chain, local=local, excluded=excluded, output_wan=output
        )
        enterprises.append(enterprise)
    return enterprises


@pytest.fixture
def chain(db):
    """Five nodes with known figures. Local output: A 0, B 60,000, C 4,000, D 635,500, E 90,000; 789,500 in all,
    157,900 a node on average, of which 20% is 31,580."""
    chain = ChainFactory(name="矩阵电池", name_en="Matrix batteries")
    up = ChainSegmentFactory(chain=chain, position=SegmentPosition.UPSTREAM, name="材料", sort=1)
    mid = ChainSegmentFactory(chain=chain, position=SegmentPosition.MIDSTREAM, name="电芯", sort=2)
    down = ChainSegmentFactory(chain=chain, position=SegmentPosition.DOWNSTREAM, name="应用", sort=3)
    nodes = {
        "A": ChainNodeFactory(segment=up, name="隔膜"),
        "B": ChainNodeFactory(segment=up, name="正极材料"),
        "C": ChainNodeFactory(segment=mid, name="电解液"),
        "D": ChainNodeFactory(segment=mid, name="电芯制造"),
        "E": ChainNodeFactory(segment=down, name="储能系统"),
    }
    classify(nodes["A"], [1_000_000], local=False)  # an enterprise elsewhere: a target, not a local one
    classify(nodes["B"], [30_000, 30_000])
    classify(nodes["C"], [1_000, 1_000, 1_000, 1_000])
    d = classify(nodes["D"], [300_000, 300_000, 30_000, 4_500, 1_000])
    classify(nodes["E"], [30_000, 30_000, 30_000])
    classify(nodes["E"], [1_000_000], excluded=True)  # staff said it does not belong here
    return {"chain": chain, "nodes": nodes, "d": d}


def by_name(result):
    return {f.node.name: f for f in result.nodes}


def test_each_node_gets_its_local_enterprises_output_and_strength_by_the_rule(chain, centre_officer):
    figures = by_name(chain_figures(chain["chain"], centre_officer))
    expected = {
        "隔膜": (0, 0, 0, NodeStrength.GAP),  # no local enterprise
        "正极材料": (2, 2, 60_000, NodeStrength.WEAK),  # fewer than 3
        "电解液": (4, 0, 4_000, NodeStrength.WEAK),  # 4,000 < 31,580
        "电芯制造": (5, 3, 635_500, NodeStrength.STRONG),
        "储能系统": (3, 3, 90_000, NodeStrength.STRONG),  # the excluded enterprise is not counted
    }
    got = {name: (f.enterprises, f.large, f.output, f.strength) for name, f in figures.items()}
    assert got == expected


def test_the_thresholds_are_settings(chain, centre_officer, settings):
    settings.ZHAOSHANG_CHAIN_WEAK_ENTERPRISES = 2
    settings.ZHAOSHANG_CHAIN_WEAK_OUTPUT_SHARE = 60  # 60% of 157,900 = 94,740
    figures = by_name(chain_figures(chain["chain"], centre_officer))
    assert figures["正极材料"].strength == NodeStrength.WEAK  # 60,000 < 94,740
    assert figures["储能系统"].strength == NodeStrength.WEAK  # 90,000 < 94,740
    assert figures["电芯制造"].strength == NodeStrength.STRONG


def test_the_figures_count_only_the_projects_the_user_reads(
    chain, centre, outpost_a, outpost_b, officer_a, centre_officer, task_force
):
    investor = chain["d"][0]
    c = chain["chain"]
    ProjectFactory(enterprise=investor, chain=c, owner_team=outpost_a, planned_investment=50_000)
    ProjectFactory(enterprise=investor, chain=c, owner_team=outpost_b, planned_investment=80_000, stage=Stage.SIGNED)
    # not in the pipeline: dropped, in full production, or of another chain
    ProjectFactory(
        enterprise=investor,
        chain=c,
        owner_team=outpost_a,
        planned_investment=1,
        stage=Stage.DROPPED,
        dropped_on=date(2025, 1, 1),
        drop_reason="x",
    )
    ProjectFactory(
        enterprise=investor, chain=c, owner_team=outpost_a, planned_investment=2, stage=Stage.FULL_PRODUCTION
    )
    ProjectFactory(enterprise=investor, chain=ChainFactory(), owner_team=outpost_a, planned_investment=4)
    Target.objects.create(
        node=chain["nodes"]["A"],
        chain=c,
        enterprise=EnterpriseFactory(),
        state=TargetState.TAKEN,
        team=task_force,
        acted_on=timezone.localdate(),
    )

    mine = by_name(chain_figures(c, officer_a))["电芯制造"]
    assert (mine.projects, mine.investment) == (1, Decimal("50000"))
    everything = by_name(chain_figures(c, centre_officer))
    assert (everything["电芯制造"].projects, everything["电芯制造"].investment) == (2, Decimal("130000"))
    assert everything["隔膜"].targets == 1
    assert by_name(chain_figures(c, officer_a))["隔膜"].targets == 0
    # the strength is the city's whoever looks
    assert mine.strength == everything["电芯制造"].strength == NodeStrength.STRONG


def test_a_chain_map_takes_as_many_queries_with_more_nodes(chain, centre_officer):
    chain_figures(chain["chain"], centre_officer)  # the user's scope is read once
    with CaptureQueriesContext(connection) as before:
        chain_figures(chain["chain"], centre_officer)
    segment = chain["nodes"]["E"].segment
    for number in range(6):
        classify(ChainNodeFactory(segment=segment, name=f"新节点{number}"), [1_000] * (number + 1))
    with CaptureQueriesContext(connection) as after:
        chain_figures(chain["chain"], centre_officer)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_chain_map_shows_the_nodes_in_words_and_links_them_escaped(chain, centre_officer, client_for):
    hostile = ChainNodeFactory(segment=chain["nodes"]["E"].segment, name="<b>回收</b>")
    response = client_for(centre_officer).get(reverse("chains:chain-map", args=[chain["chain"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for node in [*chain["nodes"].values(), hostile]:
        assert reverse("chains:node-detail", args=[node.pk]) in body
    assert "<b>回收</b>" not in body
    assert "&lt;b&gt;回收&lt;/b&gt;" in body
    assert f'data-node="{chain["nodes"]["A"].pk}" data-strength="gap"' in body
    assert str(NodeStrength.GAP.label) in body and str(NodeStrength.WEAK.label) in body
    assert 'id="chain-graph-data"' in body and "echarts.min.js" in body


def test_the_chain_map_sends_the_anonymous_to_the_login_page(chain, client):
    response = client.get(reverse("chains:chain-map", args=[chain["chain"].pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_overview_gives_each_chain_its_figures_and_links_its_projects(
    chain, centre, outpost_a, officer_a, centre_officer, client_for
):
    c = chain["chain"]
    today = timezone.localdate()
    ProjectFactory(enterprise=chain["d"][0], chain=c, owner_team=outpost_a, planned_investment=50_000)
    ProjectFactory(
        enterprise=chain["d"][1],
        chain=c,
        owner_team=outpost_a,
        planned_investment=70_000,
        stage=Stage.SIGNED,
        signed_on=today,
    )
    ChainValueAdded.objects.create(chain=c, year=today.year - 1, month=12, value_added=Decimal("100"), growth=1)
    ChainValueAdded.objects.create(chain=c, year=today.year, month=1, value_added=Decimal("200"), growth=2)
    row = next(r for r in overview(centre_officer, today) if r.chain == c)
    assert (row.nodes, row.gaps, row.weak) == (5, 1, 2)
    assert (row.enterprises, row.output) == (14, 789_500)
    assert (row.projects, row.investment, row.signed) == (2, Decimal("120000"), 1)
    assert (row.value_added.year, row.value_added.month) == (today.year, 1)

    response = client_for(centre_officer).get(reverse("chains:overview"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("chains:chain-map", args=[c.pk]) in body
    assert f"chain={c.pk}&amp;stage=lead" in body


def test_an_inactive_chain_is_not_in_the_overview(chain, centre_officer):
    chain["chain"].active = False
    chain["chain"].save()
    assert chain["chain"] not in [r.chain for r in overview(centre_officer, timezone.localdate())]


def test_my_work_shows_the_task_forces_chains_with_their_gaps(chain, task_force, task_force_officer, officer_a):
    from zhaoshang.chains.services.figures import work_panel

    chain["chain"].task_force = task_force
    chain["chain"].save()
    with translation.override("en"):
        panel = work_panel(task_force_officer)
    assert [item["url"] for item in panel["items"]] == [reverse("chains:chain-map", args=[chain["chain"].pk])]
    assert panel["items"][0]["note"] == "Gaps 1 · weak nodes 2"
    assert work_panel(officer_a) is None
