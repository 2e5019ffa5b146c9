"""What the city publishes, on a hand-made set of projects: the headline's second sentence (projects of top-500,
listed and leading enterprises; of high-tech ones with their share), the dashboard's card of industrial planned
investment, the note of a table whose rounded rows do not add up to its total, and the date of issue."""

import io
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from docx import Document as WordDocument
from pypdf import PdfReader

from zhaoshang.geo.models import Region
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.models import EnterpriseTag
from zhaoshang.industry.tests.factories import ChainFactory, EnterpriseFactory
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats import reports, services
from zhaoshang.stats.dashboard import dashboard
from zhaoshang.stats.models import Report
from zhaoshang.stats.periods import Period

PERIOD = Period.cumulative(2025, 11)
TODAY = date(2025, 12, 8)

SECOND_ZH = (
    "世界500强、中国500强、中国制造业500强、上市公司及行业龙头企业投资项目3个；"
    "高新技术企业投资项目2个，占亿元以上项目的40.0%。"
)
SECOND_EN = (
    "Of all projects of 100 million yuan or more, 3 were by Fortune Global 500, China Top 500, China Manufacturing "
    "Top 500, listed or industry-leading enterprises, and 2 by high-tech enterprises (40.0% of them)."
)
HEADLINE_ZH = (
    "1—11月，全市引进投资亿元以上项目5个，同比增长400.0%；计划投资额8.5亿元，增长112.5%。"
    "其中，工业项目3个，增长200.0%；计划投资额4.5亿元，增长12.5%。" + SECOND_ZH
)
HEADLINE_EN = (
    "In January–November, the city attracted 5 projects of 100 million yuan or more, up 400.0% year on year, "
    "with planned investment of 0.85 billion yuan, up 112.5%. Of these, 3 were industrial, up 200.0%, with "
    "planned investment of 0.45 billion yuan, up 12.5%. " + SECOND_EN
)
# 蓬江 3.25亿 → 3.3, 新会 4.25亿 → 4.3, 江海 1.0: the rows make 8.6, the total of 8.5亿 is 8.5
ROUNDING_EN = "Amounts are rounded one by one: the rows add up to 0.86 billion yuan, the total is 0.85 billion yuan."


@pytest.fixture
def firms(city, centre):
    """Signed in January–November 2025: five projects of ≥1亿 — three by top-500, listed or leading enterprises
    (one of them tagged twice, one also high-tech), two by high-tech enterprises — three of them industrial; a
    high-tech and top-500 one below 1亿 and a top-500 one signed in December, neither counted; one of 2024."""
    pengjiang, xinhui, jianghai = (Region.objects.get(adcode=code) for code in ("440703", "440705", "440704"))
    silicon, battery = ChainFactory(name="硅能源"), ChainFactory(name="新能源电池")

    def make(name, district, amount, signed, tags=(), kind=ProjectType.INDUSTRIAL, chain=None):
        enterprise = EnterpriseFactory(name=f"{name}公司", tags=list(EnterpriseTag.objects.filter(slug__in=tags)))
        return ProjectFactory(
            name=name,
            enterprise=enterprise,
            district=district,
            planned_investment=amount,
            signed_on=signed,
            project_type=kind,
            chain=chain,
            owner_team=centre,
        )

    return {
        "listed": make("上市公司项目", pengjiang, 12_500, date(2025, 3, 1), ["listed", "china-500"], chain=silicon),
        "both": make("高新上市项目", pengjiang, 20_000, date(2025, 5, 1), ["high-tech", "listed"]),
        "leader": make("龙头项目", xinhui, 12_500, date(2025, 11, 10), ["industry-leader"], chain=battery),
        "high_tech": make("高新服务项目", xinhui, 30_000, date(2025, 7, 1), ["high-tech"], ProjectType.SERVICES),
        "plain": make("普通项目", jianghai, 10_000, date(2025, 9, 1), kind=ProjectType.SERVICES),
        "small": make("小项目", jianghai, 5_000, date(2025, 4, 1), ["high-tech", "fortune-global-500"]),
        "december": make("十二月项目", pengjiang, 50_000, date(2025, 12, 2), ["china-500"]),
        "last_year": make("去年项目", pengjiang, 40_000, date(2024, 6, 1)),
    }


def build(language, today=TODAY):
    with translation.override(language):
        return reports.monthly_report(2025, 11, None, today)


def districts(document):
    return document.tables()[0]


def chains(document):
    return document.tables()[-1]


def basis_note(language):
    with translation.override(language):
        return gettext(
            "Signed projects count by signing date, started ones by construction start, producing ones by "
            "production start; ranked by the number signed."
        )


def rounding_zh(rows, total):
    with translation.override("zh-hans"):
        return gettext(
            "Amounts are rounded one by one: the rows add up to %(rows)s %(unit)s, the total is %(total)s %(unit)s."
        ) % {"rows": rows, "total": total, "unit": "亿元"}


# ---------------------------------------------------------------- the second sentence


def test_the_headline_says_how_many_projects_large_and_high_tech_enterprises_brought(firms):
    text = services.headline(PERIOD)
    assert text["zh"] == HEADLINE_ZH
    assert text["en"] == HEADLINE_EN
    assert build("zh-hans").lead[0] == HEADLINE_ZH
    assert build("en").lead[0] == HEADLINE_EN


def test_the_second_sentence_follows_the_records(firms):
    Project.objects.filter(pk=firms["plain"].pk).update(planned_investment=9_000)  # falls below 1亿
    firms["leader"].enterprise.tags.add(EnterpriseTag.objects.get(slug="high-tech"))
    text = services.headline(PERIOD)["zh"]
    assert text.endswith(
        "世界500强、中国500强、中国制造业500强、上市公司及行业龙头企业投资项目3个；"
        "高新技术企业投资项目3个，占亿元以上项目的75.0%。"
    )


def test_without_projects_of_100m_the_sentence_has_no_share(firms):
    text = services.headline(Period.month(2025, 2))
    assert text["zh"].endswith("上市公司及行业龙头企业投资项目0个；高新技术企业投资项目0个。")
    assert text["en"].endswith("industry-leading enterprises, and 0 by high-tech enterprises.")


def test_the_word_file_of_the_report_has_the_second_sentence(firms, leader, client_for):
    for language, sentence in (("zh-hans", SECOND_ZH), ("en", SECOND_EN)):
        response = client_for(leader, language=language).get(
            reverse("stats:report-download", args=["docx"]), {"month": "2025-11"}
        )
        word = WordDocument(io.BytesIO(response.content))
        assert any(paragraph.text.endswith(sentence) for paragraph in word.paragraphs), language


def test_a_published_report_keeps_the_projects_behind_the_second_sentence(firms, centre_officer):
    published = reports.publish(2025, 11, centre_officer, TODAY)
    kept = {key: {row["name"] for row in rows} for key, rows in published.records.items()}
    assert kept["large_leading_signed"] == {"上市公司项目", "龙头项目", "高新上市项目"}
    assert kept["large_high_tech_signed"] == {"高新上市项目", "高新服务项目"}
    with translation.override("en"):
        values = {figure["metric"].key: figure["value"] for figure in reports.frozen_records(published)}
    assert values["large_leading_signed"] == "3" and values["large_high_tech_signed"] == "2"

    # a report published before the figures joined the headline kept no projects for them: they are left out
    del published.records["large_leading_signed"], published.records["large_high_tech_signed"]
    assert [f["metric"].key for f in reports.frozen_records(published)] == list(services.HEADLINE_METRICS[:4])


# ---------------------------------------------------------------- the dashboard card


def test_the_dashboard_has_a_card_for_the_planned_investment_of_industrial_projects(firms, leader, client_for):
    with translation.override("zh-hans"):
        cards = {card["key"]: card for card in dashboard(PERIOD)["cards"]}
    card = cards["large_industrial_signed_investment"]
    assert (card["value"], card["previous"], card["yoy"], card["raw"]) == ("4.5亿元", "4.0亿元", "12.5%", 45_000.0)
    assert card["url"] == services.figure("large_industrial_signed_investment", PERIOD).url
    with translation.override("en"):
        english = {card["key"]: card for card in dashboard(PERIOD)["cards"]}
    assert english["large_industrial_signed_investment"]["value"] == "0.45 billion yuan"

    page = client_for(leader).get(reverse("stats:dashboard"), {"period": PERIOD.key}).content.decode()
    start = page.index('data-testid="card-large_industrial_signed_investment"')
    assert "4.5亿元" in page[start : page.index("</a>", start)]


# ---------------------------------------------------------------- rounding


def test_a_note_says_so_when_the_rounded_district_rows_do_not_add_up_to_the_total(firms):
    for language in ("zh-hans", "en"):
        table = districts(build(language))
        amounts = [row[3] for row in table.rows if row[3]]
        assert sum(amounts) != table.total[3]
    table = districts(build("en"))
    assert table.note == f"{basis_note('en')} {ROUNDING_EN}"
    assert chains(build("en")).note == ROUNDING_EN  # 硅能源 1.3 + 新能源电池 1.3 + not set 6.0
    table = districts(build("zh-hans"))
    assert table.note == basis_note("zh-hans") + rounding_zh("8.6", "8.5")


def test_no_note_when_the_rows_add_up(firms):
    Project.objects.filter(pk=firms["leader"].pk).update(planned_investment=12_000)  # 新会 4.2亿; total 8.45 → 8.5
    for language in ("zh-hans", "en"):
        document = build(language)
        table = districts(document)
        assert sum(row[3] for row in table.rows) == table.total[3]
        assert table.note == basis_note(language)
        assert chains(document).note == ""


def test_every_district_with_a_figure_has_a_row_so_each_column_adds_up(firms):
    # projects signed in 2023 started construction this year, in a district and in none: no ≥1亿 signing in either year
    ProjectFactory(
        district=Region.objects.get(adcode="440781"),
        planned_investment=30_000,
        signed_on=date(2023, 3, 1),
        construction_on=date(2025, 4, 1),
    )
    ProjectFactory(
        district=None, planned_investment=30_000, signed_on=date(2023, 3, 1), construction_on=date(2025, 4, 1)
    )
    table = districts(build("zh-hans"))
    for column in (1, 5, 6, 7):
        assert sum(row[column] for row in table.rows) == table.total[column]
    assert table.total[6] == 2


def test_the_word_file_carries_the_rounding_note(firms, leader, client_for):
    response = client_for(leader).get(reverse("stats:report-download", args=["docx"]), {"month": "2025-11"})
    texts = [paragraph.text for paragraph in WordDocument(io.BytesIO(response.content)).paragraphs]
    assert basis_note("zh-hans") + rounding_zh("8.6", "8.5") in texts


# ---------------------------------------------------------------- the date of issue


def test_a_report_is_dated_its_date_of_issue_on_the_page_in_word_and_in_pdf(firms, centre_officer, client_for):
    client = client_for(centre_officer)
    response = client.post(reverse("stats:report-publish"), {"month": "2025-11", "issued_on": "2025-12-03"})
    published = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == published.get_absolute_url()
    assert published.issued_on == date(2025, 12, 3)

    page = client.get(published.get_absolute_url()).content.decode()
    assert "2025年12月3日" in page and "2025-12-03" in page
    word = WordDocument(
        io.BytesIO(client.get(reverse("stats:report-published-download", args=[published.pk, "docx"])).content)
    )
    assert any(paragraph.text.endswith("2025年12月3日") for paragraph in word.paragraphs[:3])
    assert any(paragraph.text.endswith(SECOND_ZH) for paragraph in word.paragraphs)
    english = client_for(centre_officer, language="en")
    pdf = english.get(reverse("stats:report-published-download", args=[published.pk, "pdf"])).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "2025-12-03" in text

    listed = client.get(reverse("stats:report"), {"month": "2025-10"}).content.decode()
    assert "2025-11 · " in listed and "2025-12-03" in listed


def test_the_date_of_issue_is_the_day_of_publishing_in_the_configured_time_zone_unless_set(
    firms, centre_officer, client_for, settings, monkeypatch
):
    settings.TIME_ZONE = "Asia/Shanghai"
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 12, 6, 20, 0, tzinfo=UTC))  # 7 Dec in Shanghai
    page = client_for(centre_officer).get(reverse("stats:report"), {"month": "2025-11"})
    assert page.context["publish_form"]["issued_on"].value() == date(2025, 12, 7)
    published = reports.publish(2025, 11, centre_officer)
    assert published.issued_on == date(2025, 12, 7)
    with translation.override("zh-hans"):
        assert reports.frozen_document(published).dated == "2025年12月7日"


def test_the_live_report_is_dated_the_day_it_is_computed(firms):
    assert build("zh-hans", today=date(2026, 1, 15)).dated == "2026年1月15日"
    assert build("en", today=date(2026, 1, 15)).dated == "2026-01-15"


@pytest.mark.parametrize(
    ("issued_on", "message"),
    [
        ("2025-11-30", "2025-12-01"),  # inside the month reported on
        ("2025-12-09", "2025-12-08"),  # after today
    ],
)
def test_a_date_of_issue_before_the_month_is_over_or_after_today_is_refused(firms, centre_officer, issued_on, message):
    with pytest.raises(reports.PublishError) as error:
        reports.publish(2025, 11, centre_officer, TODAY, date.fromisoformat(issued_on))
    assert message in str(error.value)
    assert not Report.objects.exists()


def test_the_page_answers_a_bad_date_of_issue_with_a_message_naming_it(firms, centre_officer, client_for):
    client = client_for(centre_officer, language="en")
    response = client.post(
        reverse("stats:report-publish"), {"month": "2025-11", "issued_on": "3 December"}, follow=True
    )
    assert not Report.objects.exists()
    assert any(str(message).startswith("Date of issue: ") for message in response.context["messages"])
    response = client.post(
        reverse("stats:report-publish"), {"month": "2025-11", "issued_on": "2025-11-15"}, follow=True
    )
    assert not Report.objects.exists()
    assert any("2025-12-01" in str(message) for message in response.context["messages"])
