"""Per-mu evaluation: the county's formula reproduced, caps, missing data, not-graded firms, ranks and classes."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.review.choices import CapKind, MissingRule, NotGradedReason, PerMuIndicator, SizeClass
from zhaoshang.review.models import EnterpriseYear, EvaluationMethod, EvaluationResult, MethodIndicator
from zhaoshang.review.services import permu

YEAR = 2025  # the year the data migration seeds the county's methods for

pytestmark = pytest.mark.django_db


def figures(enterprise, year=YEAR, size=SizeClass.LARGE, **values):
    return EnterpriseYear.objects.create(enterprise=enterprise, year=year, size_class=size, **values)


# A large firm (规上) whose figures stay under the demo caps, computed by hand:
#   亩均税收      1500 ÷ 50 亩    = 30       → 30 ÷ 24.097 × 30       = 37.3490
#   亩均增加值    8000 ÷ 50 亩    = 160      → 160 ÷ 136.16 × 20      = 23.5018
#   单位能耗增加值 8000 ÷ 2500 tce = 3.2      → 3.2 ÷ 2.694 × 20       = 23.7565
#   单位排放增加值 8000 ÷ 2 t      = 4000     → 4000 ÷ 4929.81 × 10    =  8.1139
#   全员劳动生产率 8000 ÷ 400 人   = 20       → 20 ÷ 18.14 × 10        = 11.0254
#   R&D占比       600 ÷ 20000     = 0.03     → 0.03 ÷ 0.0302 × 10     =  9.9338
#                                                              score = 113.68 (113.6803)
LARGE_FIRM = {
    "land_mu": Decimal("50"),
    "tax": Decimal("1500"),
    "value_added": Decimal("8000"),
    "energy_tce": Decimal("2500"),
    "emissions_t": Decimal("2"),
    "employees": Decimal("400"),
    "rd_spending": Decimal("600"),
    "revenue": Decimal("20000"),
}
# A small firm (规下): 亩均税收 600 ÷ 40 = 15 → 15 ÷ 11.5932 × 50 = 64.6931;
# 单位电耗税收 600 ÷ 2000 万kWh = 0.3 → 0.3 ÷ 0.2352 × 50 = 63.7755; score 128.47 (128.4686).
SMALL_FIRM = {"land_mu": Decimal("40"), "tax": Decimal("600"), "power_10k_kwh": Decimal("2000")}


def result_of(run, enterprise):
    return EvaluationResult.objects.get(run=run, enterprise=enterprise)


def test_the_seeded_methods_are_the_county_formula():
    large = EvaluationMethod.objects.get(year=YEAR, size_class=SizeClass.LARGE)
    terms = [(i.indicator, i.benchmark, i.weight) for i in large.indicators.all()]
    assert terms == [
        (PerMuIndicator.TAX_PER_MU, Decimal("24.097"), 30),
        (PerMuIndicator.VALUE_ADDED_PER_MU, Decimal("136.16"), 20),
        (PerMuIndicator.VALUE_ADDED_PER_ENERGY, Decimal("2.694"), 20),
        (PerMuIndicator.VALUE_ADDED_PER_EMISSION, Decimal("4929.81"), 10),
        (PerMuIndicator.LABOUR_PRODUCTIVITY, Decimal("18.14"), 10),
        (PerMuIndicator.RD_SHARE, Decimal("0.0302"), 10),
    ]
    small = EvaluationMethod.objects.get(year=YEAR, size_class=SizeClass.SMALL)
    assert [(i.indicator, i.benchmark, i.weight) for i in small.indicators.all()] == [
        (PerMuIndicator.TAX_PER_MU, Decimal("11.5932"), 50),
        (PerMuIndicator.TAX_PER_POWER, Decimal("0.2352"), 50),
    ]
    emission = large.indicators.get(indicator=PerMuIndicator.VALUE_ADDED_PER_EMISSION)
    assert emission.missing_rule == MissingRule.AVERAGE


def test_the_county_example_scores_as_computed_by_hand():
    large, small = EnterpriseFactory(), EnterpriseFactory()
    figures(large, **LARGE_FIRM)
    figures(small, size=SizeClass.SMALL, **SMALL_FIRM)
    run = permu.run_evaluation(YEAR)
    assert round(result_of(run, large).score, 2) == 113.68
    assert round(result_of(run, large).score, 4) == pytest.approx(113.6803, abs=1e-4)
    assert round(result_of(run, small).score, 2) == 128.47
    breakdown = permu.details(result_of(run, large))
    assert breakdown[PerMuIndicator.TAX_PER_MU][0] == 30  # the value
    assert breakdown[PerMuIndicator.TAX_PER_MU][2] == pytest.approx(37.3490, abs=1e-4)  # the points


def test_a_ratio_cap_limits_an_indicator_and_is_flagged():
    firm = EnterpriseFactory()
    # tax per mu 500 ÷ 5 = 100 → ratio 100 ÷ 24.097 = 4.15, capped at 3 → 90 points (not 124.5)
    figures(firm, **{**LARGE_FIRM, "land_mu": Decimal("5"), "tax": Decimal("500")})
    run = permu.run_evaluation(YEAR)
    value, ratio, points, missing, capped = permu.details(result_of(run, firm))[PerMuIndicator.TAX_PER_MU]
    assert (ratio, points, missing, capped) == (3.0, 90.0, False, True)


def test_a_points_cap_limits_the_points():
    method = EvaluationMethod.objects.get(year=YEAR, size_class=SizeClass.SMALL)
    method.indicators.filter(indicator=PerMuIndicator.TAX_PER_MU).update(
        cap_kind=CapKind.POINTS, cap_value=Decimal("60")
    )
    firm = EnterpriseFactory()
    figures(firm, size=SizeClass.SMALL, **SMALL_FIRM)  # 64.6931 points on tax per mu, capped at 60
    run = permu.run_evaluation(YEAR)
    breakdown = permu.details(result_of(run, firm))
    assert breakdown[PerMuIndicator.TAX_PER_MU][2:] == (60.0, False, True)
    assert round(result_of(run, firm).score, 4) == pytest.approx(60 + 63.7755, abs=1e-4)


def test_missing_emission_data_scores_the_average_of_the_others():
    a, b, silent = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    figures(a, **LARGE_FIRM)  # emission points 8.1139
    figures(b, **{**LARGE_FIRM, "emissions_t": Decimal("4")})  # 2000 ÷ 4929.81 × 10 = 4.0570
    figures(silent, **{**LARGE_FIRM, "emissions_t": None})
    run = permu.run_evaluation(YEAR)
    value, ratio, points, missing, capped = permu.details(result_of(run, silent))[
        PerMuIndicator.VALUE_ADDED_PER_EMISSION
    ]
    assert value is None and missing is True
    assert points == pytest.approx((8.1139 + 4.0570) / 2, abs=1e-4)
    assert result_of(run, silent).score == pytest.approx(113.6803 - 8.1139 + 6.0855, abs=2e-4)


def test_missing_data_scores_zero_or_reweights_as_the_method_says():
    firm = EnterpriseFactory()
    figures(firm, **{**LARGE_FIRM, "rd_spending": None})  # R&D share missing: zero under the county's rule
    run = permu.run_evaluation(YEAR)
    assert result_of(run, firm).score == pytest.approx(113.6803 - 9.9338, abs=2e-4)

    MethodIndicator.objects.filter(method__year=YEAR, indicator=PerMuIndicator.RD_SHARE).update(
        missing_rule=MissingRule.REWEIGHT
    )
    run = permu.run_evaluation(YEAR)
    # the other 90 points of weight scaled to 100: (113.6803 − 9.9338) × 100 ÷ 90
    assert result_of(run, firm).score == pytest.approx((113.6803 - 9.9338) * 100 / 90, abs=2e-4)


def test_not_graded_firms_are_listed_but_not_ranked_nor_averaged():
    graded, new = EnterpriseFactory(), EnterpriseFactory()
    figures(graded, **LARGE_FIRM)
    figures(new, not_graded=NotGradedReason.NEW, **{**LARGE_FIRM, "emissions_t": Decimal("0.5")})
    silent = EnterpriseFactory()
    figures(silent, **{**LARGE_FIRM, "emissions_t": None})
    run = permu.run_evaluation(YEAR)
    listed = result_of(run, new)
    assert listed.rank is None and listed.grade == "" and listed.not_graded == NotGradedReason.NEW
    # the new firm's emission figure does not enter the average the silent firm scores
    points = permu.details(result_of(run, silent))[PerMuIndicator.VALUE_ADDED_PER_EMISSION][2]
    assert points == pytest.approx(8.1139, abs=1e-4)
    assert run.graded == 2 and run.not_graded_count == 1


def test_class_counts_round_half_up_on_cumulative_shares():
    assert permu.class_counts(1248, (25, 45, 25, 5)) == [312, 874, 1186]  # A 312, B 562, C 312, D 62
    assert permu.class_counts(1248, (10, 40, 40, 10)) == [125, 624, 1123]  # A 125, B 499, C 499, D 125
    assert permu.class_counts(10, (25, 45, 25, 5)) == [3, 7, 10]  # 2.5 → 3, 7.0, 9.5 → 10: no D among ten
    # The published split 134/439/575/100 of 1,248 firms is 10.7%/35.2%/46.1%/8.0%: not a split by the shares
    # 10/…/10 of ranks under any rounding (10% of 1,248 is 124.8), so it is not reproduced here.


def test_classes_by_rank_follow_the_counts_for_1248_firms():
    scores = np.arange(1248, 0, -1, dtype=float)
    ranks, grades = permu.rank_and_grade(scores, (10, 40, 40, 10))
    assert np.bincount(grades, minlength=4).tolist() == [125, 499, 499, 125]
    assert ranks[:3].tolist() == [1, 2, 3]


def test_equal_scores_share_a_rank_and_the_better_class():
    # four firms, shares 25/25/25/25: counts 1, 2, 3; the second and third tie at rank 2 → both class B
    scores = np.array([90.0, 80.0, 80.0, 70.0])
    ranks, grades = permu.rank_and_grade(scores, (25, 25, 25, 25))
    assert ranks.tolist() == [1, 2, 2, 4]
    assert grades.tolist() == [0, 1, 1, 3]
    # a tie across the A/B boundary: both take A
    ranks, grades = permu.rank_and_grade(np.array([90.0, 90.0, 80.0, 70.0]), (25, 25, 25, 25))
    assert ranks.tolist() == [1, 1, 3, 4] and grades.tolist() == [0, 0, 2, 3]


def test_lists_order_equal_scores_by_credit_code_then_id():
    scores = np.array([80.0, 80.0, 80.0, 90.0])
    codes = np.array(["91440703B", None, "91440703A", "91440703Z"], dtype=object)
    ids = np.array([1, 2, 3, 4])
    assert permu.tie_order(scores, codes, ids).tolist() == [3, 2, 0, 1]


def test_ties_in_a_run_are_deterministic():
    firms = [EnterpriseFactory() for _ in range(4)]
    for firm in firms:
        figures(firm, **LARGE_FIRM)  # four equal scores
    first = permu.run_evaluation(YEAR)
    again = permu.run_evaluation(YEAR)
    for run in (first, again):
        assert {(r.rank, r.grade) for r in run.results.all()} == {(1, "A")}


def test_the_class_change_compares_with_last_years_run():
    better, worse = EnterpriseFactory(), EnterpriseFactory()
    permu.copy_method(EvaluationMethod.objects.get(year=YEAR, size_class=SizeClass.LARGE), YEAR + 1)
    figures(better, **{**LARGE_FIRM, "tax": Decimal("500")})
    figures(worse, **LARGE_FIRM)
    permu.run_evaluation(YEAR)  # two firms: A and B? counts of 2 at 25/45/25/5: 1 (0.5 → 1), 1 (1.4), 2 → A, C
    figures(better, year=YEAR + 1, **LARGE_FIRM)
    figures(worse, year=YEAR + 1, **{**LARGE_FIRM, "tax": Decimal("500")})
    run = permu.run_evaluation(YEAR + 1)
    up, down = result_of(run, better), result_of(run, worse)
    assert (up.previous_grade, up.grade, up.change) == ("C", "A", 2)
    assert (down.previous_grade, down.grade, down.change) == ("A", "C", -2)


def test_a_year_without_a_method_is_refused():
    with pytest.raises(permu.NoMethod):
        permu.run_evaluation(1999)


def test_the_score_card_shows_every_indicator_with_the_formula():
    firm = EnterpriseFactory()
    figures(firm, **{**LARGE_FIRM, "emissions_t": None})
    run = permu.run_evaluation(YEAR)
    card = permu.score_card(result_of(run, firm))
    assert [line["key"] for line in card["lines"]][:2] == [PerMuIndicator.TAX_PER_MU, PerMuIndicator.VALUE_ADDED_PER_MU]
    emission = next(line for line in card["lines"] if line["key"] == PerMuIndicator.VALUE_ADDED_PER_EMISSION)
    assert emission["missing"] and str(emission["missing_rule"]) == str(MissingRule.AVERAGE.label)
    assert "÷ 24.097 × 30" in card["formula"] and "÷ 4929.81 × 10" in card["formula"]
