"""The indicator table: each formula on figures computed by hand, thresholds by zone, kind and 2002 division,
the set in force on the submission date, rejection lists."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.industry.choices import CodeLevel
from zhaoshang.industry.models import IndustryCode
from zhaoshang.review.choices import Indicator, ReviewKind
from zhaoshang.review.models import CodeMapping, StandardSet
from zhaoshang.review.services.indicators import indicator_table
from zhaoshang.review.services.standards import new_version
from zhaoshang.review.standards_seed import (
    CITY_LAND,
    CODE_MAPPING,
    CORE,
    DOCUMENTS,
    HIGH_TECH,
    OTHER,
    PLOT_RATIO_2002,
)

from .standards_fixtures import FIGURES, make_review_fixture, standards_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def rows(review):
    return {row.indicator: row for row in indicator_table(review).rows}


def plastic_film():
    """GB/T 4754-2017 class 2921 塑料薄膜制造 (the reference data hold sections and divisions only)."""
    code, _created = IndustryCode.objects.get_or_create(
        code="2921",
        defaults={"name": "塑料薄膜制造", "level": CodeLevel.CLASS, "parent": IndustryCode.objects.get(code="29")},
    )
    return code


def test_each_formula_gives_the_hand_computed_value(make_review, standards):
    review = make_review(zone=standards["zones"][HIGH_TECH], **FIGURES)
    found = rows(review)
    assert found[Indicator.TOTAL_INVESTMENT].value == Decimal("50000")
    assert found[Indicator.INVESTMENT_INTENSITY].value == Decimal("300")  # 30,000 万元 ÷ 100 亩
    assert found[Indicator.TAX_PER_MU].value == Decimal("25")  # 2,500 万元 ÷ 100 亩
    # (60,000 + 6,000 counted twice) ÷ 66,666.67 m² = 0.99
    assert found[Indicator.PLOT_RATIO].value.quantize(Decimal("0.0001")) == Decimal("0.9900")
    assert found[Indicator.BUILDING_COEFFICIENT].value.quantize(Decimal("0.0001")) == Decimal("30.0000")
    assert found[Indicator.ADMIN_SHARE].value.quantize(Decimal("0.0001")) == Decimal("6.0000")
    assert found[Indicator.GREEN_RATIO].value.quantize(Decimal("0.0001")) == Decimal("15.0000")
    assert found[Indicator.ENERGY_PER_OUTPUT].value == Decimal("0.05")  # 100 tce ÷ 2,000 万元
    assert found[Indicator.INVESTMENT_INTENSITY].inputs == "30,000 万元 ÷ 100 亩"
    assert found[Indicator.PLOT_RATIO].inputs == "(60,000 平方米 + 6,000 平方米) ÷ 66,666.67 平方米"


def test_storeys_over_8_m_count_twice_in_the_plot_ratio(make_review, standards):
    without = make_review(**{**FIGURES, "high_storey_floor_area_m2": None})
    with_high = make_review(**FIGURES)
    assert rows(without)[Indicator.PLOT_RATIO].value.quantize(Decimal("0.0001")) == Decimal("0.9000")
    assert rows(with_high)[Indicator.PLOT_RATIO].value.quantize(Decimal("0.0001")) == Decimal("0.9900")


def test_the_zone_decides_the_local_thresholds(make_review, standards):
    zones = standards["zones"]
    expected = {HIGH_TECH: (25, 300, 5000), CORE: (20, 250, 5000), OTHER: (15, 200, 3000)}
    for code, (tax, intensity, total) in expected.items():
        found = rows(make_review(zone=zones[code], **FIGURES))
        assert found[Indicator.TAX_PER_MU].threshold == tax
        assert found[Indicator.INVESTMENT_INTENSITY].threshold == intensity
        assert found[Indicator.TOTAL_INVESTMENT].threshold == total


def test_without_a_zone_the_district_gives_it(make_review, standards):
    review = make_review(**FIGURES)  # a project in 蓬江区: the core districts
    assert rows(review)[Indicator.TAX_PER_MU].threshold == 20


def test_just_below_the_intensity_fails_and_just_above_passes(make_review, standards):
    zone = standards["zones"][HIGH_TECH]
    below = rows(make_review(zone=zone, **{**FIGURES, "fixed_asset_investment": Decimal("29999")}))
    above = rows(make_review(zone=zone, **{**FIGURES, "fixed_asset_investment": Decimal("30001")}))
    assert below[Indicator.INVESTMENT_INTENSITY].passed is False
    assert above[Indicator.INVESTMENT_INTENSITY].passed is True
    assert below[Indicator.INVESTMENT_INTENSITY].source.title == DOCUMENTS[CITY_LAND]["title"]


def test_a_failing_row_shows_its_threshold_and_source_on_the_page(make_review, standards, client_for, officer_a):
    review = make_review(zone=standards["zones"][HIGH_TECH], **{**FIGURES, "fixed_asset_investment": Decimal("29999")})
    page = client_for(officer_a).get(reverse("review:review-figures", args=[review.pk])).content.decode()
    row = re.search(r'<tr data-testid="indicator-row" data-indicator="investment_intensity"(.*?)</tr>', page, re.S)[1]
    assert 'data-passed="fail"' in row
    assert "299.99" in row
    assert "≥ 300" in row
    source = rows(review)[Indicator.INVESTMENT_INTENSITY].source
    assert source.title in row
    assert "✗" in row and ("未通过" in row or "Fail" in row)
    assert 'class="indicator-signature' in page  # the printed table has a line for the reviewer's signature
    assert "hx-" not in page.split('data-testid="indicator-table-section"', 1)[1].split("</section>", 1)[0]


def test_plastic_products_reach_the_2002_plastics_division_through_the_mapping(make_review, standards):
    code = plastic_film()
    assert CodeMapping.division_for("2921").division_2002 == "30"
    low = rows(make_review(industry_code=code, **FIGURES))[Indicator.PLOT_RATIO]
    high = rows(make_review(industry_code=code, **{**FIGURES, "high_storey_floor_area_m2": Decimal("7000")}))
    assert low.threshold == Decimal("1.0") and low.passed is False  # 0.99 < 1.0
    assert high[Indicator.PLOT_RATIO].passed is True  # 67,000 ÷ 66,666.67 = 1.005
    rubber = rows(make_review(industry_code=IndustryCode.objects.get(code="38"), **FIGURES))[Indicator.PLOT_RATIO]
    assert rubber.threshold == Decimal("0.7")  # 2017 38 electrical → 2002 39 → 0.7


def test_repairs_have_no_2002_division_and_no_threshold(make_review, standards):
    row = rows(make_review(industry_code=IndustryCode.objects.get(code="43"), **FIGURES))[Indicator.PLOT_RATIO]
    assert row.threshold is None and row.passed is None
    assert "43" in row.label


def test_the_mapping_covers_every_manufacturing_division_but_repairs():
    from zhaoshang.industry.services import gbt4754_data

    manufacturing = next(s for s in gbt4754_data()["sections"] if s["code"] == "C")
    divisions = {d["code"] for d in manufacturing["divisions"]}
    mapped = {code[:2] for code in CODE_MAPPING}
    assert mapped == divisions - {"43"}
    table = {division for divisions_ in PLOT_RATIO_2002.values() for division in divisions_}
    assert {division for division, _note in CODE_MAPPING.values()} <= table
    assert len(table) == 30 and "38" not in table


def test_warehouses_use_their_own_code_not_the_division_table(make_review, standards):
    code = plastic_film()
    general = rows(make_review(kind=ReviewKind.GENERAL_WAREHOUSE, industry_code=code, **FIGURES))
    logistics = rows(make_review(kind=ReviewKind.LOGISTICS_WAREHOUSE, industry_code=code, **FIGURES))
    assert general[Indicator.PLOT_RATIO].threshold == Decimal("0.8") and general[Indicator.PLOT_RATIO].passed
    assert logistics[Indicator.PLOT_RATIO].threshold == Decimal("1.0")
    assert logistics[Indicator.GREEN_RATIO].threshold == 15 and general[Indicator.GREEN_RATIO].threshold == 20
    assert logistics[Indicator.BUILDING_COEFFICIENT].threshold == 50
    assert general[Indicator.BUILDING_COEFFICIENT].passed is False  # 30% < 40%
    assert Indicator.ADMIN_SHARE not in general and Indicator.ENERGY_PER_OUTPUT not in general


def test_industrial_real_estate_adds_its_shares(make_review, standards):
    review = make_review(
        kind=ReviewKind.INDUSTRIAL_REAL_ESTATE,
        **{
            **FIGURES,
            "own_use_floor_m2": Decimal("18000"),
            "sale_floor_m2": Decimal("30000"),
            "min_unit_m2": Decimal("450"),
        },
    )
    found = rows(review)
    assert found[Indicator.OWN_USE_SHARE].value == Decimal("30")  # 18,000 ÷ 60,000
    assert found[Indicator.SALE_SHARE].value == Decimal("50")
    assert found[Indicator.MIN_UNIT_AREA].passed is False
    assert Indicator.OWN_USE_SHARE not in rows(make_review(**FIGURES))


def test_a_missing_figure_leaves_the_row_and_the_table_undecided(make_review, standards):
    table = indicator_table(make_review(zone=standards["zones"][HIGH_TECH], **{**FIGURES, "annual_tax": None}))
    row = next(r for r in table.rows if r.indicator == Indicator.TAX_PER_MU)
    assert row.value is None and row.passed is None
    assert table.passed is None


def test_a_review_uses_the_set_in_force_on_its_submission_date(make_review, standards):
    zone = standards["zones"][HIGH_TECH]
    submitted = make_review(zone=zone, **FIGURES)
    submitted.submitted_on = date(2015, 6, 1)
    submitted.save()
    fixed = make_review(zone=zone, **FIGURES)
    fixed.standard_set = standards["old"]
    fixed.save()
    draft = make_review(zone=zone, **FIGURES)
    assert indicator_table(submitted).standard_set == standards["old"]
    assert rows(submitted)[Indicator.TAX_PER_MU].threshold == 15
    assert rows(submitted)[Indicator.INVESTMENT_INTENSITY].threshold is None  # the 2011 rule had none
    assert indicator_table(draft).standard_set == standards["current"]

    newer = new_version(standards["current"], date(2016, 1, 1), "2016")
    assert indicator_table(submitted).standard_set == standards["old"]  # 2015 stays before the 2016 version
    assert indicator_table(fixed).standard_set == standards["old"]
    later = new_version(standards["current"], date(2015, 1, 1), "2015")
    assert indicator_table(submitted).standard_set == later
    assert indicator_table(fixed).standard_set == standards["old"]  # fixed at submission: never moves
    assert StandardSet.objects.filter(pk=newer.pk).exists()


def test_rejection_lists_reject_by_keyword_code_and_credit_code(make_review, standards):
    review = make_review(zone=standards["zones"][HIGH_TECH], products="一次性发泡塑料餐具、餐盒", **FIGURES)
    table = indicator_table(review)
    assert [hit.list_kind for hit in table.rejections] == ["eliminated"]
    assert "发泡塑料餐具" in table.rejections[0].reason
    assert table.passed is False

    mining = make_review(industry_code=None, **FIGURES)
    mining.project.industry_code, _ = IndustryCode.objects.get_or_create(
        code="0932",
        defaults={"name": "稀土金属矿采选", "level": CodeLevel.CLASS, "parent": IndustryCode.objects.get(code="09")},
    )
    assert [hit.list_kind for hit in indicator_table(mining).rejections] == ["negative_list"]

    demo = standards["current"].rejections.get(list_kind="bad_credit")
    investor = make_review(investor_uscc=demo.uscc.lower(), **FIGURES)
    assert [hit.entry for hit in indicator_table(investor).rejections] == [demo]


def test_a_project_meeting_everything_passes(make_review, standards):
    review = make_review(
        zone=standards["zones"][HIGH_TECH],
        industry_code=plastic_film(),
        **{**FIGURES, "high_storey_floor_area_m2": Decimal("7000"), "products": "农用薄膜"},
    )
    table = indicator_table(review)
    assert [r.indicator for r in table.rows if r.passed is not True] == []
    assert table.passed is True
