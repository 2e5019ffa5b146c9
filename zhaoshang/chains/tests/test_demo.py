"""The demo's chain targeting: the chains in parts, enterprises inside and outside the city classified to nodes,
gap and weak nodes, targets taken up as leads, the task forces' work record, and the value added of DOMAIN.md
(January–November: 949.61亿元, +3.5%; 新能源电池, 智能装备 and 食品 grow more than 10%).

The demo is loaded once for the module (every app's demo, as ``manage.py load_demo`` does) inside a transaction
that is rolled back at the end.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from zhaoshang.chains.choices import TargetState
from zhaoshang.chains.demo import STRENGTH, TOTAL_JAN_NOV_WAN, WEAK_LOCAL, monthly_rows
from zhaoshang.chains.models import ChainActivity, ChainValueAdded, Target
from zhaoshang.core.demo import demo_logins
from zhaoshang.industry.models import Chain, ChainNode, Enterprise, NodeClassification
from zhaoshang.projects.choices import Stage

BATTERY_NODES = ["正极材料", "负极材料", "电解液", "隔膜", "电芯", "电池管理系统", "储能系统", "回收利用"]


def local_enterprises(node) -> int:
    return (
        NodeClassification.objects.filter(node=node, local=True, excluded=False).values("enterprise").distinct().count()
    )


def test_every_demo_chain_has_a_chief_segments_and_five_to_nine_nodes_with_codes_and_keywords(demo, db):
    chains = Chain.objects.all()
    assert chains.count() == 15
    for chain in chains:
        assert chain.chief and chain.chief_en
        assert {s.position for s in chain.segments.all()} == {"upstream", "midstream", "downstream"}
        nodes = list(chain.nodes.all())
        assert 5 <= len(nodes) <= 9, chain.name
        for node in nodes:
            assert node.name_en and node.keyword_list()
            assert all(len(c.code) == 2 for c in node.industry_codes.all()) and node.industry_codes.exists()


def test_the_battery_chain_has_the_nodes_of_its_plan(demo, db):
    battery = Chain.objects.get(name="新能源电池")
    assert sorted(battery.nodes.values_list("name", flat=True)) == sorted(BATTERY_NODES)
    assert list(battery.segments.order_by("sort").values_list("name", flat=True)) == [
        "材料",
        "电芯与系统",
        "应用与回收",
    ]


def test_the_demo_has_tens_of_thousands_of_enterprises_inside_and_outside_the_city_classified_to_nodes(demo, db):
    made = Enterprise.objects.exclude(main_products="")
    assert made.count() >= 20_000
    inside = made.filter(hq_region__isnull=False).count()
    assert 0.2 < inside / made.count() < 0.35
    assert made.filter(hq_region__isnull=True).exclude(hq_city="").count() == made.count() - inside
    assert not Enterprise.objects.exclude(normalized_name__gt="").exists()
    assert made.filter(search_text__contains=" ").count() == made.count()
    assert made.filter(tags__slug="expanding").exists() and made.filter(tags__slug="industry-leader").exists()
    classified = NodeClassification.objects.filter(enterprise__in=made).values("enterprise").distinct().count()
    assert classified > 0.95 * made.count()


def test_the_gap_nodes_have_no_enterprise_in_the_city_and_the_weak_ones_a_few(demo, db):
    for chain_name, (gaps, weak) in STRENGTH.items():
        for name in gaps:
            node = ChainNode.objects.get(chain__name=chain_name, name=name)
            assert local_enterprises(node) == 0, node
            assert NodeClassification.objects.filter(node=node, local=False).count() > 20, node
        for name in weak:
            node = ChainNode.objects.get(chain__name=chain_name, name=name)
            assert 1 <= local_enterprises(node) <= WEAK_LOCAL, node
    strong = ChainNode.objects.get(chain__name="新能源电池", name="电芯")
    assert local_enterprises(strong) > 20


def test_the_battery_task_force_took_the_best_separator_makers_outside_the_city_as_leads(demo, db):
    separators = ChainNode.objects.get(chain__name="新能源电池", name="隔膜")
    targets = Target.objects.filter(node=separators)
    taken = targets.filter(state=TargetState.TAKEN)
    assert taken.count() == 3 and targets.filter(state=TargetState.DISMISSED).count() == 1
    assert all(t.project.owner_team_id == separators.chain.task_force_id for t in taken)
    assert all(t.enterprise.hq_region_id is None for t in targets)
    assert {t.acted_by.username for t in targets} == {"battery"}
    assert taken.filter(project__stage=Stage.SIGNED, project__planned_investment__gt=0).exists()
    assert taken.filter(project__stage=Stage.CONTACT).exists()


def test_every_task_force_has_a_work_record_over_the_year(demo, db):
    today = timezone.localdate()
    chains = Chain.objects.all()
    for chain in chains:
        assert ChainActivity.objects.filter(chain=chain, team=chain.task_force).count() >= 6
    assert not ChainActivity.objects.filter(happened_on__gt=today).exists()


def test_the_battery_officer_is_a_demo_login(demo, db):
    assert "battery" in [username for username, _password, _who in demo_logins()]


def jan_nov_facts(rows):
    """(total 万元, total growth % to one decimal, chains growing more than 10%) of (chain, value, growth) rows."""
    total = sum(value for _c, value, _g in rows)
    before = sum(value / (1 + growth / 100) for _c, value, growth in rows)
    growth = ((total / before - 1) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return total, growth, {name for name, _v, g in rows if g > 10}


FACTS = (TOTAL_JAN_NOV_WAN, Decimal("3.5"), {"新能源电池", "智能装备", "食品"})


def test_the_chains_value_added_of_january_to_november_is_that_of_domain_md(demo, db):
    today = timezone.localdate()
    rows = [(n, v, g) for (n, y, m, v, g) in monthly_rows(today.year) if y == today.year and m == 11]
    assert len(rows) == 15
    assert jan_nov_facts(rows) == FACTS
    assert TOTAL_JAN_NOV_WAN == Decimal("9496100.00")
    records = ChainValueAdded.objects.filter(year=today.year, month=11).select_related("chain")
    if today.month == 12:  # January–November of this year is complete
        assert jan_nov_facts([(r.chain.name, r.value_added, r.growth) for r in records]) == FACTS
    else:
        assert not records.exists()


def test_the_value_added_covers_every_complete_month_of_two_years_and_grows_month_by_month(demo, db):
    today = timezone.localdate()
    records = ChainValueAdded.objects.all()
    assert not records.filter(year=today.year, month__gte=today.month).exists()
    complete = 12 + today.month - 1
    assert records.count() == 15 * complete
    for chain in Chain.objects.all():
        values = list(
            records.filter(chain=chain, year=today.year - 1).order_by("month").values_list("value_added", flat=True)
        )
        assert values == sorted(values) and len(values) == 12
