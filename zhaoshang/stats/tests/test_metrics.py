"""Periods, year-on-year change, metrics over hand-made projects, the headline paragraph and the drill-down."""

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.geo.models import Region
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.models import EnterpriseTag
from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats import services
from zhaoshang.stats.metrics import METRICS
from zhaoshang.stats.periods import Period, format_percent, share, yoy

# ---------------------------------------------------------------- periods


def test_each_period_convention_has_its_bounds_key_and_labels():
    cumulative = Period.cumulative(2025, 11)
    assert (cumulative.start, cumulative.end) == (date(2025, 1, 1), date(2025, 11, 30))
    assert cumulative.span_zh() == "1—11月" and cumulative.label_zh() == "2025年1—11月"
    assert cumulative.key == "2025-ytd-11" and Period.parse("2025-ytd-11") == cumulative
    february = Period.month(2024, 2)
    assert (february.start, february.end) == (date(2024, 2, 1), date(2024, 2, 29))
    assert february.label_zh() == "2024年2月" and Period.parse("2024-02") == february
    quarter = Period.quarter(2025, 3)
    assert (quarter.start, quarter.end) == (date(2025, 7, 1), date(2025, 9, 30))
    assert quarter.label_zh() == "2025年第三季度" and Period.parse("2025-Q3") == quarter
    year = Period.whole_year(2025)
    assert (year.start, year.end) == (date(2025, 1, 1), date(2025, 12, 31)) and Period.parse("2025") == year
    assert Period.cumulative(2025, 1).span_zh() == "1月"


def test_the_previous_year_period_is_the_same_span_a_year_earlier():
    assert Period.cumulative(2025, 11).previous_year() == Period.cumulative(2024, 11)
    assert Period.month(2025, 2).previous_year().end == date(2024, 2, 29)


@pytest.mark.parametrize("key", ["", "2025-13", "2025-q5", "2025-ytd-0", "last year", "25-11"])
def test_a_malformed_period_is_refused_with_a_message(key):
    with pytest.raises(ValueError) as error:
        Period.parse(key)
    assert str(error.value)


def test_the_default_period_is_january_to_the_last_complete_month():
    assert Period.default(date(2025, 12, 5)) == Period.cumulative(2025, 11)
    assert Period.default(date(2026, 1, 10)) == Period.whole_year(2025)


def test_year_on_year_change_rounds_half_up_to_one_decimal():
    assert yoy(255, 222) == Decimal("14.9")
    assert yoy(10005, 10000) == Decimal("0.1")  # 0.05 rounds up, not to even
    assert yoy(2, 3) == Decimal("-33.3")
    assert yoy(1, 8) == Decimal("-87.5")
    assert yoy(5, 5) == Decimal("0.0")


def test_a_zero_base_gives_no_change_and_shows_a_dash():
    assert yoy(7, 0) is None and yoy(0, 0) is None
    assert format_percent(yoy(7, 0)) == "—"
    assert share(3, 0) is None
    assert share(1, 3) == Decimal("33.3") and format_percent(share(1, 3)) == "33.3%"


# ---------------------------------------------------------------- hand-made projects


def project(signed=None, amount=None, kind=ProjectType.INDUSTRIAL, district=None, tags=(), **fields):
    enterprise = EnterpriseFactory(tags=list(EnterpriseTag.objects.filter(slug__in=tags)))
    return ProjectFactory(
        signed_on=signed,
        planned_investment=amount,
        project_type=kind,
        district=district,
        enterprise=enterprise,
        lead_on=date(2023, 1, 1),
        **fields,
    )


@pytest.fixture
def pipeline(city, centre):
    """Signed in January–November 2025: 3 projects ≥1亿 (2 industrial), one small one, one in December;
    in January–November 2024: 2 industrial projects ≥1亿."""
    pengjiang = Region.objects.get(adcode="440703")
    xinhui = Region.objects.get(adcode="440705")
    made = [
        project(date(2025, 1, 26), 20_000, district=pengjiang, tags=["high-tech", "listed"], owner_team=centre),
        project(date(2025, 6, 30), 15_000, district=xinhui, owner_team=centre),
        project(date(2025, 11, 30), 12_000, ProjectType.SERVICES, district=pengjiang, tags=["high-tech"]),
        project(date(2025, 3, 1), 9_999, district=pengjiang),  # below 1亿
        project(date(2025, 12, 1), 50_000, district=pengjiang),  # after November
        project(date(2024, 2, 10), 10_000, district=xinhui),
        project(date(2024, 11, 30), 30_000, district=pengjiang),
        project(None, 80_000, district=pengjiang),  # not signed
    ]
    return {"pengjiang": pengjiang, "xinhui": xinhui, "projects": made}


def test_figures_count_and_sum_by_signing_date_with_year_on_year_change(pipeline):
    figures = services.compute(
        ["large_signed", "large_signed_investment", "large_high_tech_signed"], Period.cumulative(2025, 11)
    )
    large = figures["large_signed"]
    assert (large.value, large.previous, large.yoy) == (3, 2, Decimal("50.0"))
    money = figures["large_signed_investment"]
    assert (money.value, money.previous, money.yoy) == (Decimal(47_000), Decimal(40_000), Decimal("17.5"))
    high_tech = figures["large_high_tech_signed"]
    assert (high_tech.value, high_tech.previous, high_tech.share) == (2, 0, Decimal("66.7"))
    assert high_tech.yoy is None  # no high-tech project last year: no division, a dash
    assert str(METRICS["large_signed"].date_label) and METRICS["large_signed"].date_field == "signed_on"


def test_a_month_whose_previous_year_is_empty_has_no_change(pipeline):
    june = services.figure("large_signed", Period.month(2025, 6))
    assert (june.value, june.previous, june.yoy) == (1, 0, None)


def test_grouped_figures_are_ranked_and_add_up_to_the_total(pipeline):
    figure = services.figure("large_signed_investment", Period.cumulative(2025, 11), group="district")
    assert [(g.label, g.value, g.rank) for g in figure.groups] == [
        ("蓬江区", Decimal(32_000), 1),
        ("新会区", Decimal(15_000), 2),
    ]
    assert sum(g.value for g in figure.groups) == figure.value
    assert figure.groups[1].yoy == Decimal("50.0")  # 新会 15,000 against 10,000


def test_the_drill_down_lists_exactly_the_records_behind_a_figure(pipeline):
    period = Period.cumulative(2025, 11)
    for key in ("large_signed", "large_signed_investment", "large_industrial_signed_investment"):
        metric = METRICS[key]
        records = services.drill_records(metric, period)
        assert services.drill_total(metric, records) == services.figure(key, period).value
    grouped = services.figure("large_signed", period, group="district")
    for entry in grouped.groups:
        records = services.drill_records(METRICS["large_signed"], period, group="district", key=entry.key)
        assert records.count() == entry.value


HEADLINE_ZH = (
    "1—11月，全市引进投资亿元以上项目3个，同比增长50.0%；计划投资额4.7亿元，增长17.5%。"
    "其中，工业项目2个，持平；计划投资额3.5亿元，下降12.5%。"
    "世界500强、中国500强、中国制造业500强、上市公司及行业龙头企业投资项目1个；"
    "高新技术企业投资项目2个，占亿元以上项目的66.7%。"
)
HEADLINE_EN = (
    "In January–November, the city attracted 3 projects of 100 million yuan or more, up 50.0% year on year, "
    "with planned investment of 0.47 billion yuan, up 17.5%. Of these, 2 were industrial, unchanged, "
    "with planned investment of 0.35 billion yuan, down 12.5%. Of all projects of 100 million yuan or more, 1 was "
    "by Fortune Global 500, China Top 500, China Manufacturing Top 500, listed or industry-leading enterprises, "
    "and 2 by high-tech enterprises (66.7% of them)."
)


def test_the_headline_paragraph_is_written_from_the_figures(pipeline):
    text = services.headline(Period.cumulative(2025, 11))
    assert text["zh"] == HEADLINE_ZH
    assert text["en"] == HEADLINE_EN


def test_the_headline_of_a_period_without_a_previous_year_shows_dashes(pipeline):
    text = services.headline(Period.month(2025, 6))
    assert text["zh"] == (
        "6月，全市引进投资亿元以上项目1个，—；计划投资额1.5亿元，—。其中，工业项目1个，—；计划投资额1.5亿元，—。"
        "世界500强、中国500强、中国制造业500强、上市公司及行业龙头企业投资项目0个；"
        "高新技术企业投资项目0个，占亿元以上项目的0.0%。"
    )


def test_the_headline_writes_large_amounts_in_yi_with_one_decimal(city, centre):
    for amount in (2_000_000, 1_000_000, 250_000, 176_700):
        project(date(2025, 5, 1), amount)
    project(date(2024, 5, 1), 3_000_000)
    text = services.headline(Period.cumulative(2025, 11))
    assert "计划投资额342.7亿元，增长14.2%" in text["zh"]
    assert "with planned investment of 34.27 billion yuan, up 14.2%" in text["en"]


def test_a_district_bureau_sees_figures_of_its_district_and_leaders_the_city(pipeline, district_officer, leader):
    period = Period.cumulative(2025, 11)
    assert services.figure("large_signed", period, district_officer).value == 2  # 蓬江 only
    assert services.figure("large_signed", period, leader).value == 3
    assert services.headline(period, district_officer)["zh"].startswith("1—11月，蓬江区引进投资亿元以上项目2个")


def test_an_outpost_sees_only_its_own_teams_figures(pipeline, officer_a):
    assert services.figure("large_signed", Period.cumulative(2025, 11), officer_a).value == 0


def test_headline_figures_take_one_aggregate_query_and_a_ranking_one_more_for_names(
    pipeline, django_assert_max_num_queries
):
    period = Period.cumulative(2025, 11)
    with django_assert_max_num_queries(2):  # the six figures with last year's, and the comparison figures
        services.headline(period)
    with django_assert_max_num_queries(3):  # the grouped figures, the district names, the comparison figures
        services.figure("large_signed_investment", period, group="district")


def test_inquiry_and_fdi_metrics_count_by_their_own_dates(city):
    period = Period.quarter(2025, 2)
    figures = services.compute(["inquiries", "fdi_actual"], period, group="team")
    assert figures["inquiries"].value == 0 and figures["fdi_actual"].value == Decimal(0)
    assert str(figures["inquiries"].metric.date_label) and figures["fdi_actual"].metric.date_field == "month"


def test_inquiries_dismissed_as_spam_are_not_counted_as_received_nor_listed_behind_the_figure(city, officer_a):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from zhaoshang.portal.forms.inquiries import InquiryForm
    from zhaoshang.portal.models import Inquiry
    from zhaoshang.portal.services.inquiries import dismiss_inquiry, submit_inquiry

    arrived = datetime.combine(date(2025, 5, 6), time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    typed = {
        "contact_name": "王经理",
        "email": "w@example.cn",
        "message": "计划投资储能项目，需用地五十亩。",
        "consent": True,
    }
    made = []
    for company in ("真实投资有限公司", "广告推销公司"):
        form = InquiryForm(data={**typed, "company": company})
        assert form.is_valid(), form.errors
        inquiry = submit_inquiry(form.cleaned_data, language="zh-hans", received=arrived)
        Inquiry.objects.filter(pk=inquiry.pk).update(created=arrived, team=officer_a.memberships.get().team)
        made.append(Inquiry.objects.get(pk=inquiry.pk))
    dismiss_inquiry(made[1], officer_a, "spam", "Advertising")
    period = Period.quarter(2025, 2)
    assert services.compute(["inquiries"], period)["inquiries"].value == 1
    records = services.drill_records(METRICS["inquiries"], period)
    assert [r.company for r in records] == ["真实投资有限公司"]


def test_figures_are_shown_in_the_units_of_each_language():
    from django.utils import translation

    amount, dollars, count = METRICS["signed_investment"], METRICS["fdi_actual_usd"], METRICS["signed"]
    with translation.override("zh-hans"):
        assert services.format_value(amount, Decimal("15655000")) == "1565.5亿元"
        assert services.format_value(dollars, Decimal("43012.5")) == "43012.50万美元"
        assert services.format_value(count, 255) == "255"
    with translation.override("en"):
        assert services.format_value(amount, Decimal("15655000")) == "156.55 billion yuan"
        assert services.format_value(dollars, Decimal("43012.5")) == "430.13 million US dollars"
