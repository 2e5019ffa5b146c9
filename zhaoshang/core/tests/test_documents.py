"""Official documents: the same description written as Excel, Word and PDF, each file opened again."""

import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from zhaoshang.core.documents import (
    Document,
    Section,
    Table,
    cell_text,
    from_data,
    local_day,
    response,
    to_data,
    to_docx,
    to_pdf,
    to_xlsx,
)
from zhaoshang.core.testing import pdf_fonts

LEAD = "1—11月，全市引进投资亿元以上项目255个，同比增长14.9%；计划投资额1565.5亿元，增长18.1%。"


def report() -> Document:
    districts = Table(
        title="表1 各市（区）引进亿元以上项目情况",
        columns=["市（区）", "项目数（个）", "同比增长（%）", "计划投资额（亿元）", "排名"],
        rows=[
            ["蓬江区", 40, Decimal("12.5"), Decimal("310.2"), 1],
            ["新会区", 35, None, Decimal("250.0"), 2],
        ],
        total=["合计", 75, Decimal("-3.1"), Decimal("560.2"), None],
        note="注：按签约日期统计。",
        sheet="表1 各市（区）",
    )
    projects = Table(
        title="表2 签约项目", columns=["序号", "项目名称", "签约日期"], rows=[[1, "中创新航江门基地", "2026-01-26"]]
    )
    return Document(
        title="江门市招商引资工作通报",
        issue="2026年第11期",
        issuer="江门市投资促进中心",
        dated="2026年12月5日",
        lead=[LEAD],
        sections=[
            Section("一、各市（区）情况", ["各市（区）引进项目情况见表1。"], [districts]),
            Section("二、重点项目", tables=[projects]),
        ],
    )


def test_the_workbook_opens_again_with_the_text_and_each_table_on_its_sheet():
    workbook = load_workbook(io.BytesIO(to_xlsx(report())))
    assert workbook.sheetnames == ["江门市招商引资工作通报", "表1 各市（区）", "表2 签约项目"]
    text = [cell.value for cell in workbook.worksheets[0]["A"] if cell.value]
    assert text[:2] == ["江门市招商引资工作通报", "2026年第11期"]
    assert LEAD in text and "一、各市（区）情况" in text
    sheet = workbook["表1 各市（区）"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2, max_row=5)]
    assert rows[0] == ["市（区）", "项目数（个）", "同比增长（%）", "计划投资额（亿元）", "排名"]
    assert rows[1] == ["蓬江区", 40, 12.5, 310.2, 1]
    assert rows[2] == ["新会区", 35, "—", 250.0, 2]  # a figure that cannot be computed is a dash, not zero
    assert rows[3] == ["合计", 75, -3.1, 560.2, "—"]
    assert sheet["D3"].number_format == "0.0" and sheet["B3"].number_format == "0"
    assert sheet.cell(row=7, column=1).value == "注：按签约日期统计。"


def test_the_word_file_opens_again_with_the_paragraphs_and_tables_in_official_faces():
    word = WordDocument(io.BytesIO(to_docx(report())))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == "江门市招商引资工作通报"
    assert LEAD in paragraphs and "一、各市（区）情况" in paragraphs
    assert east_asian_face(word.paragraphs[0].style) == "方正小标宋简体"
    first, second = word.tables
    assert [c.text for c in first.rows[0].cells][:2] == ["市（区）", "项目数（个）"]
    assert [c.text for c in first.rows[2].cells] == ["新会区", "35", "—", "250.0", "2"]
    assert [c.text for c in first.rows[-1].cells] == ["合计", "75", "-3.1", "560.2", "—"]
    assert first.rows[-1].cells[0].paragraphs[0].runs[0].bold
    assert [c.text for c in second.rows[1].cells] == ["1", "中创新航江门基地", "2026-01-26"]


EAST_ASIA = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"


def east_asian_face(style) -> str | None:
    """The East Asian face a style gives its text: its own w:rFonts, else its base style's."""
    while style is not None:
        fonts = style.element.rPr.rFonts if style.element.rPr is not None else None
        if fonts is not None and fonts.get(EAST_ASIA):
            return fonts.get(EAST_ASIA)
        style = style.base_style
    return None


def test_the_word_file_sets_its_chinese_faces_once_in_its_styles_not_run_by_run():
    word = WordDocument(io.BytesIO(to_docx(report())))
    faces = {p.text: (east_asian_face(p.style), p.style.font.size.pt) for p in word.paragraphs if p.text}
    assert faces["江门市招商引资工作通报"] == ("方正小标宋简体", 22)
    assert faces[LEAD] == ("仿宋_GB2312", 16)
    assert faces["一、各市（区）情况"] == ("黑体", 16)
    assert faces["表1 各市（区）引进亿元以上项目情况"] == ("黑体", 12)
    first, second = word.tables
    # a cell's paragraph is Normal (宋体) and takes its size from its table's style; the header row is in 黑体
    assert east_asian_face(first.rows[1].cells[0].paragraphs[0].style) == "宋体"
    assert east_asian_face(first.rows[0].cells[0].paragraphs[0].style) == "黑体"
    assert east_asian_face(first.style) == "宋体" and first.style.font.size.pt == 10.5
    runs = [run for p in word.paragraphs for run in p.runs]
    runs += [
        run for t in word.tables for row in t.rows for cell in row.cells for p in cell.paragraphs for run in p.runs
    ]
    assert runs and all(run.element.rPr is None or run.element.rPr.rFonts is None for run in runs)
    assert all(run.font.size is None for run in runs)


def test_the_pdf_holds_the_chinese_text_and_the_figures():
    reader = PdfReader(io.BytesIO(to_pdf(report())))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    for expected in (
        "江门市招商引资工作通报",
        "255个",
        "1565.5亿元",
        "蓬江区",
        "310.2",
        "中创新航江门基地",
        "注：按签约日期统计",
    ):
        assert expected in text
    assert reader.metadata.title == "江门市招商引资工作通报"


def test_the_pdf_embeds_every_font_it_uses_for_chinese_and_latin_text_alike():
    """A reader without Chinese fonts (or without Helvetica) sees the same pages: the file carries the glyphs."""
    fonts = pdf_fonts(to_pdf(report()))
    assert fonts and all(fonts.values()), fonts


@pytest.mark.parametrize("kind", ["xlsx", "docx", "pdf"])
def test_a_download_is_named_in_chinese_and_typed(kind):
    answer = response(report(), kind, "工作通报 2026年11月")
    assert answer["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert answer["Content-Disposition"].endswith(f".{kind}")
    assert answer.content[:4] in (b"PK\x03\x04", b"%PDF")


def test_sheet_names_are_cut_to_excel_limits_and_kept_apart():
    long = "表3 签约但未动工的亿元以上项目前十位（按计划投资额排序）"
    document = Document(
        title="通报",
        sections=[Section("一", tables=[Table(long, ["a"], [[1]]), Table(long, ["a"], [[2]]), Table("a/b:c", ["a"])])],
    )
    names = load_workbook(io.BytesIO(to_xlsx(document))).sheetnames
    assert len(names) == 4 and len(set(names)) == 4
    assert all(len(name) <= 31 for name in names) and names[3] == "a b c"


def test_a_document_kept_as_json_comes_back_with_the_same_cells():
    document = report()
    document.sections[1].tables[0].rows[0][2] = date(2026, 1, 26)
    again = from_data(json.loads(json.dumps(to_data(document))))
    assert again == document
    assert isinstance(again.sections[0].tables[0].rows[0][2], Decimal)


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook():
    """A project name typed by an investor reaches the report: Excel must show it, not evaluate it."""
    names = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "#N/A"]
    document = Document(
        title="=1+1",
        lead=["-通报"],
        sections=[Section("二、重点项目", tables=[Table(title="表", columns=["项目名称"], rows=[[n] for n in names])])],
    )

    workbook = load_workbook(io.BytesIO(to_xlsx(document)))

    cells = [row[0] for row in workbook["表"].iter_rows(min_row=3)]
    assert [cell.value for cell in cells] == names
    assert {cell.data_type for cell in cells} == {"s"} and all(cell.quotePrefix for cell in cells)
    title = workbook.worksheets[0]["A1"]
    assert (title.value, title.data_type) == ("=1+1", "s")


def test_control_characters_pasted_into_a_name_are_left_out_of_every_document():
    document = Document(
        title="通报",
        sections=[Section("重点项目", tables=[Table(title="表", columns=["项目名称"], rows=[["某\x0b项目\x1f"]])])],
    )

    word = WordDocument(io.BytesIO(to_docx(document)))
    workbook = load_workbook(io.BytesIO(to_xlsx(document)))

    assert word.tables[0].rows[1].cells[0].text == "某项目"
    assert [row[0].value for row in workbook["表"].iter_rows(min_row=3)] == ["某项目"]
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(to_pdf(document))).pages)
    assert "某" in pdf_text and "项目" in pdf_text


def test_a_moment_in_a_document_is_printed_as_the_day_in_the_configured_time_zone(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    evening = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)  # 04:00 on 7 December in Shanghai
    document = Document(title="通报", sections=[Section("一", tables=[Table("表", ["日期"], [[evening]])])])

    assert cell_text(evening) == "2026-12-07"
    assert local_day(date(2026, 12, 6)) == date(2026, 12, 6)
    assert from_data(json.loads(json.dumps(to_data(document)))).tables()[0].rows == [[date(2026, 12, 7)]]
    assert "2026-12-07" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(to_pdf(document))).pages)
