"""The monthly report: its tables from hand-made records, the files opened again, publishing and freezing, scope."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from zhaoshang.core.testing import pdf_fonts
from zhaoshang.geo.models import Region
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.tests.factories import ChainFactory, EnterpriseFactory
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats import reports, services
from zhaoshang.stats.models import Report
from zhaoshang.stats.periods import Period

TODAY = date(2025, 12, 5)


@pytest.fixture
def records(city, centre, outpost_a):
    pengjiang = Region.objects.get(adcode="440703")
    xinhui = Region.objects.get(adcode="440705")
    battery = ChainFactory(name="新能源电池")

    def make(name, district, amount, team=centre, **dates):
        return ProjectFactory(
            name=name,
            enterprise=EnterpriseFactory(name=f"{name}有限公司"),
            district=district,
            planned_investment=amount,
            owner_team=team,
            chain=battery if "电池" in name else None,
            project_type=ProjectType.INDUSTRIAL,
            **dates,
        )

    return {
        # signed in November 2025, started in the same month
        "big": make("电池大项目", pengjiang, 500_000, signed_on=date(2025, 11, 3), construction_on=date(2025, 11, 20)),
        # signed in March, not started by the end of November (started in December: after the report's end)
        "waiting": make("新会等待项目", xinhui, 80_000, signed_on=date(2025, 3, 1), construction_on=date(2025, 12, 1)),
        # signed, then dropped before the end of November: not waiting any more
        "dropped": make("已终止项目", xinhui, 90_000, signed_on=date(2025, 2, 1), dropped_on=date(2025, 6, 1)),
        # started in 2024, producing in November 2025
        "producing": make(
            "投产项目",
            pengjiang,
            30_000,
            signed_on=date(2024, 2, 1),
            construction_on=date(2024, 5, 1),
            production_on=date(2025, 11, 10),
        ),
        # below 1亿: in no ≥1亿 figure
        "small": make("小项目", pengjiang, 5_000, signed_on=date(2025, 11, 5)),
        # last year's, for year on year
        "last_year": make("去年项目", xinhui, 40_000, signed_on=date(2024, 9, 1)),
        # confidential, of an outpost
        "secret": make(
            "保密谈判项目", pengjiang, 20_000, team=outpost_a, signed_on=date(2025, 11, 8), confidential=True
        ),
    }


def build(user=None, language="zh-hans"):
    with translation.override(language):
        return reports.monthly_report(2025, 11, user, TODAY)


def table(document, number):
    return document.tables()[number - 1]


def test_the_report_is_written_from_the_records(records):
    document = build()
    period = Period.cumulative(2025, 11)
    assert document.title == "江门市招商引资工作通报" and document.issue == "2025年第11期"
    assert document.lead[0] == services.headline(period)["zh"]
    assert document.lead[0].startswith("1—11月，全市引进投资亿元以上项目4个，同比增长100.0%；计划投资额69.0亿元")

    districts = table(document, 1)
    rows = {row[0]: row for row in districts.rows}
    # 蓬江: 电池大项目, 保密谈判项目 signed (2 of ≥1亿), 70亿; one started, one producing; 新会: 2 signed, 17亿
    assert rows["蓬江区"][1:4] == [2, Decimal("100.0"), Decimal("52.0")]
    assert rows["蓬江区"][5:9] == [2, 1, 1, 1]
    assert rows["新会区"][1:4] == [2, Decimal("100.0"), Decimal("17.0")]
    assert rows["台山市"][2] is None  # nothing last year either: no change to compute, shown as "—"
    assert rows["台山市"][1] == 0  # every district is listed
    assert districts.total[1:4] == [4, Decimal("100.0"), Decimal("69.0")]
    assert sum(row[1] for row in districts.rows) == districts.total[1]

    signed, started, producing = table(document, 2), table(document, 3), table(document, 4)
    assert [row[1] for row in signed.rows] == ["电池大项目", "保密项目"]  # largest first; the secret one unnamed
    assert signed.rows[1][2] == "" and signed.rows[1][4] == Decimal("2.0")
    assert [row[1] for row in started.rows] == ["电池大项目"] and started.rows[0][5] == date(2025, 11, 20)
    assert [row[1] for row in producing.rows] == ["投产项目"]

    not_started, not_producing = table(document, 5), table(document, 6)
    assert [row[1] for row in not_started.rows] == ["新会等待项目", "去年项目", "保密项目"]  # signed last year too
    assert not_started.rows[0][6] == (date(2025, 11, 30) - date(2025, 3, 1)).days
    assert [row[1] for row in not_producing.rows] == ["电池大项目"]

    chains = {row[0]: row for row in table(document, 7).rows}
    assert chains["新能源电池"][1] == 1 and chains["新能源电池"][5] == Decimal("25.0")


def test_the_english_report_says_the_same_in_english(records):
    document = build(language="en")
    assert document.title == "Jiangmen investment promotion report"
    assert document.lead[0] == services.headline(Period.cumulative(2025, 11))["en"]
    assert table(document, 1).total[3] == Decimal("6.90")  # billion yuan
    assert table(document, 2).rows[1][1] == "Confidential project"


def test_a_district_bureau_reports_on_its_district_only(records, district_officer):
    document = build(district_officer)
    assert [row[0] for row in table(document, 1).rows] == ["蓬江区"]
    names = {row[1] for number in (2, 3, 4, 5, 6) for row in table(document, number).rows}
    assert "新会等待项目" not in names and "电池大项目" in names


def test_the_excel_and_word_files_open_again_with_the_figures(records, leader, client_for):
    client = client_for(leader)
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("stats:report-download", args=["xlsx"]), {"month": "2025-11"}).content)
    )
    first = [cell.value for cell in workbook.worksheets[0]["A"] if cell.value]
    assert first[0] == "江门市招商引资工作通报"
    assert any(str(line).startswith("1—11月，全市引进投资亿元以上项目4个") for line in first)
    district_sheet = workbook.worksheets[1]
    values = [[cell.value for cell in row] for row in district_sheet.iter_rows(min_row=3)]
    total = next(row for row in values if row[0] == "合计")
    assert total[1:4] == [4, 100.0, 69.0]

    word = WordDocument(
        io.BytesIO(client.get(reverse("stats:report-download", args=["docx"]), {"month": "2025-11"}).content)
    )
    assert word.paragraphs[0].text == "江门市招商引资工作通报"
    assert any(p.text.startswith("1—11月，全市引进投资亿元以上项目4个") for p in word.paragraphs)
    signed_table = word.tables[1]
    assert [c.text for c in signed_table.rows[1].cells][:2] == ["1", "电池大项目"]

    pdf = client.get(reverse("stats:report-download", args=["pdf"]), {"month": "2025-11"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "").replace("\n", "")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_report_pdf_embeds_every_font_it_uses_and_holds_the_chinese_text(
    records, leader, centre_officer, client_for, language
):
    client = client_for(leader)
    month = {"month": "2025-11"}
    live = client.get(reverse("stats:report-download", args=["pdf"]), month, HTTP_ACCEPT_LANGUAGE=language)
    published = reports.publish(2025, 11, centre_officer, TODAY)
    frozen = client.get(
        reverse("stats:report-published-download", args=[published.pk, "pdf"]), HTTP_ACCEPT_LANGUAGE=language
    )

    for data in (live.content, frozen.content):
        fonts = pdf_fonts(data)
        assert fonts and all(fonts.values()), fonts
        assert "电池大项目" in pdf_text(data)
    if language == "zh-hans":
        assert "江门市招商引资工作通报" in pdf_text(live.content) and "合计" in pdf_text(live.content)


def test_the_report_pdf_is_dated_with_the_day_in_the_configured_time_zone(records, leader, client_for, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    client = client_for(leader)
    # 20:00 UTC on 5 December 2025 is 04:00 on 6 December in Shanghai
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: datetime(2025, 12, 5, 20, 0, tzinfo=UTC))
        chinese = client.get(reverse("stats:report-download", args=["pdf"]), {"month": "2025-11"})
        english = client.get(
            reverse("stats:report-download", args=["pdf"]), {"month": "2025-11"}, HTTP_ACCEPT_LANGUAGE="en"
        )

    assert "2025年12月6日" in pdf_text(chinese.content) and "2025年12月5日" not in pdf_text(chinese.content)
    assert "2025-12-06" in pdf_text(english.content) and "2025-12-05" not in pdf_text(english.content)


def test_a_published_report_stays_as_it_was_when_the_records_change(records, centre_officer, client_for):
    published = reports.publish(2025, 11, centre_officer, TODAY)
    with translation.override("zh-hans"):
        before = reports.frozen_document(published)
        frozen_before = reports.frozen_records(published)
    assert before == build()
    assert [row.name for row in frozen_before[0]["rows"]] == [
        "电池大项目",
        "新会等待项目",
        "已终止项目",
        "保密谈判项目",
    ]

    # the records move on: an amount corrected, a new signing
    Project.objects.filter(pk=records["big"].pk).update(planned_investment=600_000)
    ProjectFactory(
        name="后来项目", district=records["big"].district, planned_investment=15_000, signed_on=date(2025, 11, 28)
    )
    published = Report.objects.get(pk=published.pk)
    with translation.override("zh-hans"):
        assert reports.frozen_document(published) == before
        assert [f["value"] for f in reports.frozen_records(published)] == [f["value"] for f in frozen_before]
    live = build()
    assert live.lead != before.lead and table(live, 1).total[1] == 5

    page = client_for(centre_officer).get(published.get_absolute_url())
    assert page.status_code == 200
    assert "电池大项目" in page.content.decode() and "后来项目" not in page.content.decode()
    workbook = load_workbook(
        io.BytesIO(
            client_for(centre_officer)
            .get(reverse("stats:report-published-download", args=[published.pk, "xlsx"]))
            .content
        )
    )
    total = next(row for row in workbook.worksheets[1].iter_rows(values_only=True) if row[0] == "合计")
    assert total[1] == 4


def test_a_month_is_published_once_and_only_when_it_is_over(records, centre_officer, client_for):
    with pytest.raises(reports.PublishError):
        reports.publish(2025, 12, centre_officer, TODAY)
    reports.publish(2025, 11, centre_officer, TODAY)
    with pytest.raises(reports.PublishError):
        reports.publish(2025, 11, centre_officer, TODAY)
    assert Report.objects.count() == 1


def test_only_the_centre_publishes_and_outsiders_do_not_read_published_reports(
    records, centre_officer, officer_a, district_officer, leader, client_for, client
):
    response = client_for(officer_a).post(reverse("stats:report-publish"), {"month": "2025-11"})
    assert response.status_code == 403 and not Report.objects.exists()
    assert client_for(leader).post(reverse("stats:report-publish"), {"month": "2025-11"}).status_code == 403
    published = reports.publish(2025, 11, centre_officer, TODAY)
    url = published.get_absolute_url()
    assert client_for(officer_a).get(url).status_code == 404
    assert (
        client_for(officer_a).get(reverse("stats:report-published-download", args=[published.pk, "pdf"])).status_code
        == 404
    )
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client_for(district_officer).get(url).status_code == 200
    assert client_for(leader).get(url).status_code == 200


def test_an_outpost_sees_a_report_of_its_own_projects(records, officer_a, client_for):
    response = client_for(officer_a).get(reverse("stats:report"), {"month": "2025-11"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "保密谈判项目" in page or "保密项目" in page  # its own project
    assert "新会等待项目" not in page and "电池大项目" not in page


def test_a_bad_month_or_kind_is_not_found(records, leader, client_for):
    client = client_for(leader)
    assert client.get(reverse("stats:report"), {"month": "2025-13"}).status_code == 404
    assert client.get(reverse("stats:report"), {"month": "november"}).status_code == 404
    assert client.get(reverse("stats:report-download", args=["exe"]), {"month": "2025-11"}).status_code == 404


def test_a_long_list_of_the_month_shows_the_largest_and_says_how_many_there_are(records, monkeypatch):
    rows, count = reports.month_projects("large_signed", "signed_on", 2025, 11, limit=1)
    assert [row.name for row in rows] == ["电池大项目"] and count == 2
    monkeypatch.setattr(reports, "MONTH_LIST_LIMIT", 1)
    signed = table(build(), 2)
    assert len(signed.rows) == 1 and "2" in signed.note and "1" in signed.note
