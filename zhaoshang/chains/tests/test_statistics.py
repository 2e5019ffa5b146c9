"""The chains' monthly value added: the report's sentence from crafted records, the monthly report, the import."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from zhaoshang.chains.models import ChainValueAdded
from zhaoshang.chains.services.statistics import ValueAddedImporter, value_added_sentence
from zhaoshang.core.context import acting_as
from zhaoshang.core.testing import xlsx_upload
from zhaoshang.industry.tests.factories import ChainFactory

DOMAIN_SENTENCE = (
    "1—11月全市15条重点产业链合计实现规模以上工业增加值949.61亿元、增长3.5%，"
    "新能源电池、智能装备、食品等产业链增加值增长超过10%。"
)
# 15 chains in their order: (name, English name, value added 万元, growth %). The values add up to 9,496,100万元
# (949.61亿元); the previous year's values (value ÷ (1 + growth ÷ 100)) add up to 9,171,277.2万元, so the total
# grew by 3.54…%, written 3.5%; three chains grew by more than 10%.
CHAINS = [
    ("新能源电池", "New-energy batteries", 1_200_000, "12.0"),
    ("硅能源", "Silicon energy", 700_000, "2.1"),
    ("智能装备", "Intelligent equipment", 900_000, "15.5"),
    ("食品", "Food", 600_000, "10.8"),
    ("新材料", "New materials", 650_000, "-1.5"),
    ("电子信息", "Electronics", 600_000, "0.8"),
    ("大健康", "Health", 580_000, "1.2"),
    ("摩托车", "Motorcycles", 560_000, "2.5"),
    ("五金卫浴", "Hardware and sanitary ware", 540_000, "-0.5"),
    ("纺织服装", "Textiles and garments", 520_000, "1.4"),
    ("造纸", "Paper", 500_000, "0.4"),
    ("家电", "Home appliances", 480_000, "2.6"),
    ("船舶", "Ships", 460_000, "-2.2"),
    ("化工", "Chemicals", 440_000, "0.6"),
    ("建材", "Building materials", 766_100, "-3.0"),
]


@pytest.fixture
def figures(db):
    chains = {}
    for sort, (name, name_en, value, growth) in enumerate(CHAINS, start=1):
        chain = chains[name] = ChainFactory(name=name, name_en=name_en, sort=sort)
        ChainValueAdded.objects.create(
            chain=chain, year=2025, month=11, value_added=Decimal(value), growth=Decimal(growth)
        )
    return chains


def test_the_sentence_reproduces_the_published_one(figures):
    with translation.override("zh-hans"):
        assert value_added_sentence(2025, 11) == DOMAIN_SENTENCE


def test_the_english_sentence_says_the_same(figures):
    with translation.override("en"):
        assert value_added_sentence(2025, 11) == (
            "January–November: the city's 15 key industry chains together achieved value added of industrial "
            "enterprises above designated size of 94.961 billion yuan, up 3.5%; the value added of the New-energy "
            "batteries, Intelligent equipment and Food chains, among others, grew by more than 10%."
        )


def test_at_most_the_three_largest_growths_are_named_in_the_chains_order(figures):
    ChainValueAdded.objects.filter(chain=figures["家电"]).update(growth=Decimal("20"))
    with translation.override("zh-hans"):
        sentence = value_added_sentence(2025, 11)
    # 食品 (10.8%) gives way to 家电 (20%); the order stays the chains' order
    assert "，新能源电池、智能装备、家电等产业链增加值增长超过10%。" in sentence


def test_no_figures_no_sentence(figures):
    assert value_added_sentence(2025, 10) == ""


def test_a_month_without_growths_over_the_threshold_names_no_chain(db):
    ChainValueAdded.objects.create(chain=ChainFactory(name="甲"), year=2026, month=1, value_added=1500, growth=2)
    with translation.override("zh-hans"):
        assert value_added_sentence(2026, 1) == "1月全市1条重点产业链合计实现规模以上工业增加值0.15亿元、增长2.0%。"


def test_the_monthly_report_carries_the_sentence_and_the_table(figures, city):
    from zhaoshang.stats.reports import monthly_report

    with translation.override("zh-hans"):
        document = monthly_report(2025, 11, None, today=date(2025, 12, 5))
    assert DOMAIN_SENTENCE in document.lead
    table = document.sections[-1].tables[-1]  # after table 7 in the chains' section
    assert [row[0] for row in table.rows] == [name for name, *_rest in CHAINS]
    assert table.total[1:] == [Decimal("949.61"), Decimal("3.5")]


def workbook(*rows):
    return xlsx_upload([["chain", "year", "month", "value_added", "growth"], *rows], "value_added.xlsx")


def test_an_import_with_a_bad_row_imports_nothing_and_names_the_row(db, centre_officer):
    ChainFactory(name="新能源电池", name_en="New-energy batteries")
    with acting_as(centre_officer):
        result = ValueAddedImporter(centre_officer).run(
            workbook(
                ["新能源电池", 2025, 11, 1200000, 12],
                ["不存在的链", 2025, 11, 100, 1],
                ["New-energy batteries", 2025, 13, 100, 1],
            )
        )
    assert not result.ok
    assert ChainValueAdded.objects.count() == 0
    assert any(e.row == 3 and "不存在的链" in e.message for e in result.errors)
    assert any(e.row == 4 for e in result.errors)


def test_a_reimported_month_replaces_its_figures(db, centre_officer):
    battery = ChainFactory(name="新能源电池", name_en="New-energy batteries")
    food = ChainFactory(name="食品", name_en="Food")
    with acting_as(centre_officer):
        first = ValueAddedImporter(centre_officer).run(
            workbook(["新能源电池", 2025, 11, 100, 1], ["食品", 2025, 11, 200, 2], ["食品", 2025, 10, 150, 2])
        )
        assert first.ok, first.errors
        second = ValueAddedImporter(centre_officer).run(workbook(["New-energy batteries", 2025, 11, 120, 3]))
    assert second.ok, second.errors
    november = ChainValueAdded.objects.filter(year=2025, month=11)
    assert [(r.chain, r.value_added, r.growth) for r in november] == [(battery, Decimal("120.00"), Decimal("3.00"))]
    assert ChainValueAdded.objects.filter(chain=food, year=2025, month=10).exists()


def test_a_chain_twice_in_a_month_is_refused(db, centre_officer):
    ChainFactory(name="食品", name_en="Food")
    with acting_as(centre_officer):
        result = ValueAddedImporter(centre_officer).run(workbook(["食品", 2025, 11, 1, 1], ["Food", 2025, 11, 2, 1]))
    assert not result.ok and result.errors[0].row == 3
    assert ChainValueAdded.objects.count() == 0


def test_only_the_centre_imports(db, centre_officer, task_force_officer, officer_a, client_for):
    ChainFactory(name="食品")
    upload = workbook(["食品", 2025, 11, 1, 1])
    for user in (task_force_officer, officer_a):
        client = client_for(user)
        assert client.get(reverse("chains:value-added-import")).status_code == 403
        assert client.get(reverse("chains:value-added-template")).status_code == 403
        assert client.post(reverse("chains:value-added-import"), {"file": upload}).status_code == 403
        assert "import-link" not in client.get(reverse("chains:value-added-list")).content.decode()
    client = client_for(centre_officer)
    assert client.get(reverse("chains:value-added-template")).status_code == 200
    upload.seek(0)
    response = client.post(reverse("chains:value-added-import"), {"file": upload})
    assert response.status_code == 200
    assert ChainValueAdded.objects.count() == 1


def test_the_list_shows_the_month_with_its_total_and_sentence(figures, task_force_officer, client_for):
    response = client_for(task_force_officer, language="zh-hans").get(
        reverse("chains:value-added-list"), {"year": 2025, "month": 11}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert DOMAIN_SENTENCE in body
    total = body[body.index('data-testid="total"') :].split("</tr>", 1)[0]
    assert "949.61" in total and "3.5" in total


def test_a_published_report_keeps_the_sentence_as_it_was(figures, city, centre_officer):
    from zhaoshang.stats import reports

    published = reports.publish(2025, 11, centre_officer, date(2025, 12, 5))
    ChainValueAdded.objects.filter(chain=figures["食品"]).update(growth=Decimal("1"))
    with translation.override("zh-hans"):
        assert DOMAIN_SENTENCE in reports.frozen_document(published).lead
        assert DOMAIN_SENTENCE not in reports.monthly_report(2025, 11, None, today=date(2025, 12, 5)).lead
    with translation.override("en"):
        assert any("94.961 billion yuan" in text for text in reports.frozen_document(published).lead)
