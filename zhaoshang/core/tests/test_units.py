"""Units of money (元, 万元, 亿元) and land (m², 亩, 公顷, km²), as Decimal."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.core import units

# Amounts as they appear in investment records: non-negative, at most 4 decimals, up to 10^12.
amounts = st.decimals(min_value=0, max_value=Decimal("1e12"), places=4, allow_nan=False, allow_infinity=False)
signed_amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False, allow_infinity=False
)


# --- money ---------------------------------------------------------------------------------------


def test_ten_thousand_wan_yuan_make_one_yi_yuan():
    assert units.wan_to_yi(Decimal("10000")) == Decimal("1")
    assert units.wan_to_yi(Decimal("25000")) == Decimal("2.5")
    assert units.yi_to_wan(Decimal("3.2")) == Decimal("32000")


def test_a_project_of_fifty_yi_is_recorded_as_five_hundred_thousand_wan():
    assert units.yi_to_wan(50) == Decimal("500000")
    assert units.wan_to_yi(500000) == Decimal("50")


def test_ten_thousand_yuan_make_one_wan_yuan():
    assert units.yuan_to_wan(Decimal("10000")) == Decimal("1")
    assert units.yuan_to_wan(Decimal("123456")) == Decimal("12.3456")
    assert units.wan_to_yuan(Decimal("12.3456")) == Decimal("123456")


def test_conversions_return_decimals_whatever_number_type_they_are_given():
    for value in (2, "2", Decimal("2"), 2.0):
        result = units.wan_to_yi(value)
        assert isinstance(result, Decimal)
        assert result == Decimal("0.0002")


def test_a_float_is_taken_at_its_shortest_decimal_form_not_its_binary_expansion():
    # Decimal(0.1) would be 0.1000000000000000055511151231257827…
    assert units.yi_to_wan(0.1) == Decimal("1000")
    assert units.wan_to_yuan(0.1) == Decimal("1000")


@given(amounts)
def test_wan_to_yi_and_back_is_exact(wan):
    assert units.yi_to_wan(units.wan_to_yi(wan)) == wan


@given(amounts)
def test_yuan_to_wan_and_back_is_exact(yuan):
    assert units.wan_to_yuan(units.yuan_to_wan(yuan)) == yuan


@given(signed_amounts)
def test_yi_to_wan_multiplies_by_ten_thousand(yi):
    assert units.yi_to_wan(yi) == yi * 10000
    assert units.wan_to_yi(units.yi_to_wan(yi)) == yi


# --- land ----------------------------------------------------------------------------------------


def test_one_mu_is_about_six_hundred_sixty_six_point_six_seven_square_metres():
    assert units.quantize(units.mu_to_sqm(1)) == Decimal("666.67")
    # 15 亩 are exactly one hectare.
    assert units.mu_to_sqm(15) == Decimal("10000")


def test_a_hectare_is_fifteen_mu():
    assert units.hectare_to_mu(1) == Decimal("15")
    assert units.hectare_to_mu(Decimal("2.4")) == Decimal("36")
    assert units.mu_to_hectare(45) == Decimal("3")


def test_ten_thousand_square_metres_are_fifteen_mu():
    assert units.sqm_to_mu(10000) == Decimal("15")
    assert units.quantize(units.sqm_to_mu(1000)) == Decimal("1.50")


def test_a_square_kilometre_is_fifteen_hundred_mu():
    assert units.sqkm_to_mu(1) == Decimal("1500")
    assert units.sqkm_to_mu(Decimal("0.2")) == Decimal("300")
    assert units.mu_to_sqkm(3000) == Decimal("2")


def test_a_parcel_of_one_hundred_mu_measures_about_66667_square_metres():
    assert units.quantize(units.mu_to_sqm(100), 0) == Decimal("66667")
    assert units.quantize(units.mu_to_sqkm(100), 4) == Decimal("0.0667")


# Decimal keeps 28 significant digits: a round trip through 666.666… m² may be off in the last of them.
TOLERANCE = Decimal("1e-12")


@given(amounts)
def test_mu_to_square_metres_and_back_returns_the_same_area(mu):
    assert abs(units.sqm_to_mu(units.mu_to_sqm(mu)) - mu) <= TOLERANCE


@given(amounts)
def test_square_metres_to_mu_and_back_returns_the_same_area(sqm):
    assert abs(units.mu_to_sqm(units.sqm_to_mu(sqm)) - sqm) <= TOLERANCE


@given(amounts)
def test_hectare_to_mu_and_back_is_exact(hectare):
    assert units.mu_to_hectare(units.hectare_to_mu(hectare)) == hectare


@given(amounts)
def test_hectares_and_square_metres_agree_through_mu(hectare):
    assert abs(units.mu_to_sqm(units.hectare_to_mu(hectare)) - hectare * 10000) <= TOLERANCE


@given(st.decimals(min_value=0, max_value=Decimal("1e6"), places=6, allow_nan=False, allow_infinity=False))
def test_square_kilometres_to_mu_and_back_returns_the_same_area(sqkm):
    assert abs(units.mu_to_sqkm(units.sqkm_to_mu(sqkm)) - sqkm) <= TOLERANCE


@given(amounts)
def test_a_round_trip_through_square_metres_survives_rounding_to_the_hundredth_of_a_mu(mu):
    mu = units.quantize(mu)
    assert units.quantize(units.sqm_to_mu(units.mu_to_sqm(mu))) == mu


# --- rounding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("2.345", 2, "2.35"),  # half up, where banker's rounding would give 2.34
        ("2.355", 2, "2.36"),
        ("0.125", 2, "0.13"),
        ("2.344", 2, "2.34"),
        ("-2.345", 2, "-2.35"),  # away from zero for negatives
        ("0.5", 0, "1"),
        ("1.5", 0, "2"),
        ("2.5", 0, "3"),
        ("12345.678", 1, "12345.7"),
        ("7", 2, "7.00"),
    ],
)
def test_quantize_rounds_half_up_as_statistical_tables_do(value, places, expected):
    result = units.quantize(Decimal(value), places)
    assert result == Decimal(expected)
    assert str(result) == expected


def test_quantize_defaults_to_two_decimal_places():
    assert str(units.quantize(Decimal("666.6666"))) == "666.67"


def test_quantize_of_a_float_rounds_its_written_value():
    # The binary double nearest 2.675 is 2.67499999…; the written value 2.675 rounds up.
    assert units.quantize(2.675) == Decimal("2.68")


@given(signed_amounts, st.integers(min_value=0, max_value=4))
def test_quantize_moves_a_value_by_at_most_half_a_unit_of_its_last_place(value, places):
    result = units.quantize(value, places)
    unit = Decimal(1).scaleb(-places)
    assert abs(result - value) <= unit / 2
    assert result.as_tuple().exponent == -places


@given(signed_amounts, st.integers(min_value=0, max_value=4))
def test_quantize_is_idempotent(value, places):
    once = units.quantize(value, places)
    assert units.quantize(once, places) == once
