"""One formatter of numbers, money, areas and dates: every page agrees on thousands separators and units."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from zhaoshang.core import formatting


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("85293"), 2, "85,293"),
        (Decimal("50000.00"), 2, "50,000"),
        (Decimal("12.50"), 2, "12.5"),
        (1234567.891, 2, "1,234,567.89"),
        (Decimal("0.005"), 2, "0.01"),
        (Decimal("2.25"), 1, "2.3"),
        (0, 2, "0"),
        (Decimal("-1500"), 2, "-1,500"),
        (None, 2, "—"),
    ],
)
def test_a_number_has_thousands_separators_and_no_trailing_zeros(value, places, text):
    assert formatting.number(value, places) == text


def test_a_fixed_number_keeps_its_decimals_for_a_column_of_figures():
    assert formatting.number(12500.0, 1, fixed=True) == "12,500.0"
    assert formatting.number(Decimal("3.14159"), 2, fixed=True) == "3.14"


@pytest.mark.parametrize(
    ("wan", "english", "chinese"),
    [
        (Decimal("8000"), "80 million yuan", "8,000 万元"),
        (Decimal("10000"), "100 million yuan", "1 亿元"),
        (Decimal("125000"), "1.25 billion yuan", "12.5 亿元"),
        (Decimal("50"), "500,000 yuan", "50 万元"),
        (Decimal("0.5"), "5,000 yuan", "0.5 万元"),
    ],
)
def test_money_in_wan_reads_in_million_and_billion_yuan_in_english_and_in_wan_and_yi_in_chinese(wan, english, chinese):
    with translation.override("en"):
        assert formatting.money(wan) == english
    with translation.override("zh-hans"):
        assert formatting.money(wan) == chinese
    assert formatting.money(None) == "—"


def test_areas_read_in_mu_and_square_metres_in_each_language():
    with translation.override("en"):
        assert formatting.mu(Decimal("1500.50")) == "1,500.5 mu"
        assert formatting.sqm(Decimal("85293.00")) == "85,293 m²"
    with translation.override("zh-hans"):
        assert formatting.mu(Decimal("1500.50")) == "1,500.5 亩"
        assert formatting.sqm(Decimal("85293.00")) == "85,293 平方米"
    assert formatting.mu(None) == "—"


def test_dates_read_iso_in_both_languages():
    assert formatting.day(date(2026, 3, 1)) == "2026-03-01"
    assert formatting.day(datetime(2026, 3, 1, 9, 30)) == "2026-03-01"
    assert formatting.day(None) == "—"


def test_the_filters_are_available_on_every_template_without_loading():
    template = Template("{{ a|num }} | {{ b|money }} | {{ c|mu }} | {{ d|sqm }} | {{ e|day }}")
    context = Context(
        {"a": Decimal("50000.00"), "b": Decimal("8000"), "c": Decimal("30"), "d": 85293, "e": date(2026, 1, 2)}
    )
    with translation.override("en"):
        assert template.render(context) == "50,000 | 80 million yuan | 30 mu | 85,293 m² | 2026-01-02"
