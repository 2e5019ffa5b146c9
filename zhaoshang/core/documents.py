"""Official documents (通报, ceremony lists) as Excel, Word and PDF from one neutral description.

An app describes what a document says — a title, the issue line, lead paragraphs, numbered sections with
paragraphs and tables — and these writers lay it out the way Chinese government offices do (GB/T 9704: title
centred in a large Song face, body in 仿宋, section headings in 黑体, tables with a header row and an
optional total row). The same description makes all three files, so they cannot disagree.

Cell values are text, whole numbers, ``Decimal`` (shown with the decimals it carries: round before), floats,
dates or ``None`` (shown as "—"). Excel keeps numbers as numbers. A moment (an aware ``datetime``) is shown as
its day in the configured time zone (``local_day``), the day the page shows, never the UTC one.
"""

from __future__ import annotations

import io
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from . import formatting

EMPTY = "—"


def local_day(value: date | datetime | None) -> date | None:
    """The day of ``value`` as the pages show it: an aware moment's date in the configured time zone
    (``TIME_ZONE``), not in UTC as it is stored; a date as it is. Every document, PDF and export prints days with it."""
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    total: list | None = None  # a last row in bold (合计)
    note: str = ""
    sheet: str = ""  # the Excel sheet's name; the title when empty


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Document:
    title: str
    issue: str = ""  # e.g. "2026年第11期"
    issuer: str = ""
    dated: str = ""
    lead: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]


# --- kept as JSON (a published document is frozen as it was) -------------------------------------------------


def _encode(value):
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, date):
        return {"date": local_day(value).isoformat()}
    return value


def _decode(value):
    if isinstance(value, dict):
        if "decimal" in value:
            return Decimal(value["decimal"])
        if "date" in value:
            return date.fromisoformat(value["date"])
    return value


def to_data(document: Document) -> dict:
    """The document as JSON-ready data; ``from_data`` gives it back with the same cell types."""
    data = asdict(document)
    for section in data["sections"]:
        for table in section["tables"]:
            table["rows"] = [[_encode(value) for value in row] for row in table["rows"]]
            if table["total"] is not None:
                table["total"] = [_encode(value) for value in table["total"]]
    return data


def from_data(data: dict) -> Document:
    sections = []
    for section in data.get("sections", []):
        tables = []
        for table in section.get("tables", []):
            rows = [[_decode(value) for value in row] for row in table.get("rows", [])]
            total = table.get("total")
            tables.append(
                Table(
                    title=table["title"],
                    columns=table["columns"],
                    rows=rows,
                    total=None if total is None else [_decode(value) for value in total],
                    note=table.get("note", ""),
                    sheet=table.get("sheet", ""),
                )
            )
        sections.append(Section(section["heading"], section.get("paragraphs", []), tables))
    fields = {key: data.get(key, "") for key in ("title", "issue", "issuer", "dated", "footer")}
    return Document(**fields, lead=data.get("lead", []), sections=sections)


def cell_text(value) -> str:
    if value is None or value == "":
        return EMPTY if value is None else ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, date):
        return local_day(value).isoformat()
    if isinstance(value, float):
        return formatting.number(value, 1, fixed=True)
    if isinstance(value, Decimal):  # as many decimals as the figure was computed with (a change in % has one)
        return formatting.number(value, max(0, -value.as_tuple().exponent), fixed=True)
    return str(value)


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _numeric_columns(table: Table) -> set[int]:
    rows = [*table.rows, *([table.total] if table.total else [])]
    return {
        index
        for index in range(len(table.columns))
        if any(is_number(row[index]) for row in rows if index < len(row))
        and all(row[index] is None or is_number(row[index]) for row in rows if index < len(row))
    }


# --- Excel ----------------------------------------------------------------------------------------------------


def _sheet_name(name: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    candidate, number = name, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = name[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def _number_format(value) -> str:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return "0." + "0" * decimals if decimals else "0"
    if isinstance(value, float):
        return "0.0"
    return "0"


def to_xlsx(document: Document) -> bytes:
    """The first sheet holds the text (title, lead, sections' paragraphs); each table has a sheet of its own."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from .excel import excel_value, keep_text

    def put(sheet, row, column, value):
        """Every cell of the document is written here: text stays text (see ``excel.keep_text``)."""
        return keep_text(sheet.cell(row=row, column=column, value=excel_value(value)))

    workbook = Workbook()
    text = workbook.active
    taken: set[str] = set()
    text.title = _sheet_name(document.title, taken)
    text.column_dimensions["A"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [(document.title, Font(bold=True, size=16))]
    lines += [
        (line, Font(size=10, color="555555")) for line in (document.issue, document.issuer, document.dated) if line
    ]
    lines += [("", None)] + [(paragraph, Font(size=11)) for paragraph in document.lead]
    for section in document.sections:
        lines.append((section.heading, Font(bold=True, size=12)))
        lines += [(paragraph, Font(size=11)) for paragraph in section.paragraphs]
    if document.footer:
        lines.append((document.footer, Font(size=10, color="555555")))
    for number, (line, font) in enumerate(lines, start=1):
        cell = put(text, number, 1, line)
        cell.alignment = wrap
        if font:
            cell.font = font

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="E8EDF3")
    for table in document.tables():
        sheet = workbook.create_sheet(_sheet_name(table.sheet or table.title, taken))
        width = max(len(table.columns), 1)
        put(sheet, 1, 1, table.title).font = Font(bold=True, size=13)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        for column, label in enumerate(table.columns, start=1):
            cell = put(sheet, 2, column, label)
            cell.font, cell.fill, cell.border = Font(bold=True), header_fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        body = [(row, False) for row in table.rows] + ([(table.total, True)] if table.total else [])
        for offset, (row, bold) in enumerate(body, start=3):
            for column, value in enumerate(row, start=1):
                if is_number(value):
                    cell = put(sheet, offset, column, float(value) if isinstance(value, Decimal) else value)
                    cell.number_format = _number_format(value)
                else:
                    cell = put(sheet, offset, column, EMPTY if value is None else value)
                cell.border = border
                if bold:
                    cell.font = Font(bold=True)
        if table.note:
            put(sheet, len(body) + 4, 1, table.note).font = Font(size=9, color="555555")
        for column, label in enumerate(table.columns, start=1):
            longest = max(
                [len(cell_text(row[column - 1])) for row, _bold in body if column - 1 < len(row)] + [len(label)]
            )
            sheet.column_dimensions[get_column_letter(column)].width = min(max(8, longest * 1.6 + 2), 60)
        sheet.freeze_panes = "A3"
        sheet.print_title_rows = "2:2"
        sheet.page_setup.orientation = "landscape" if width > 6 else "portrait"
        sheet.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Word -----------------------------------------------------------------------------------------------------

TITLE_FACE = "方正小标宋简体"
BODY_FACE = "仿宋_GB2312"
HEADING_FACE = "黑体"
TABLE_FACE = "宋体"

# The document's paragraph styles: (name, face, size in points or None for the table's, centred, first-line indent).
# Faces and sizes are set once here, in the styles (the East Asian face too), never run by run.
PARAGRAPH_STYLES = {
    "title": ("Report Title", TITLE_FACE, 22, True, False),
    "line": ("Report Line", BODY_FACE, 14, True, False),
    "body": ("Report Body", BODY_FACE, 16, False, True),
    "heading": ("Report Heading", HEADING_FACE, 16, False, True),
    "table_title": ("Report Table Title", HEADING_FACE, 12, True, False),
    "note": ("Report Note", BODY_FACE, 10.5, False, False),
    "footer": ("Report Footer", BODY_FACE, 12, False, False),
    "header": ("Report Table Header", HEADING_FACE, None, True, False),
}
# Table styles by the size of their text: up to six columns 10.5 points, more 9.
TABLE_STYLES = {10.5: "Report Table", 9: "Report Table Small"}


def _faces(element, face: str) -> None:
    """``face`` for Latin and East Asian text of a style's or a run's properties (w:rFonts ascii, hAnsi, eastAsia)."""
    from docx.oxml.ns import qn

    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), face)


def _word_styles(word) -> dict:
    """The report's styles added to ``word``: Normal in the tables' face (a cell's paragraph is Normal and takes its
    size from its table's style), a paragraph style for each kind of paragraph, a table style for each cell size.
    Written as XML in one piece (python-docx's ``add_style`` looks every style up by name for each one added)."""
    from xml.sax.saxutils import quoteattr

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    _faces(word.styles["Normal"].element, TABLE_FACE)

    def fonts(face, size):
        face = quoteattr(face)
        size = f'<w:sz w:val="{round(size * 2)}"/>' if size is not None else ""
        return f"<w:rPr><w:rFonts w:ascii={face} w:hAnsi={face} w:eastAsia={face}/>{size}</w:rPr>"

    ids, xml = {}, []
    for key, (name, face, size, centred, indent) in PARAGRAPH_STYLES.items():
        ids[key] = name.replace(" ", "")
        paragraph = ""
        if size is not None:
            paragraph += f'<w:spacing w:line="{Pt(size * 1.75).twips}" w:lineRule="exact"/>'
        if indent:
            paragraph += f'<w:ind w:firstLine="{Pt(size * 2).twips}"/>'
        if centred:
            paragraph += '<w:jc w:val="center"/>'
        xml.append(
            f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{ids[key]}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="Normal"/><w:pPr>{paragraph}</w:pPr>{fonts(face, size)}</w:style>'
        )
    grid = word.styles["Table Grid"].style_id
    for size, name in TABLE_STYLES.items():
        ids[size] = name.replace(" ", "")
        xml.append(
            f'<w:style w:type="table" w:customStyle="1" w:styleId="{ids[size]}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="{grid}"/>{fonts(TABLE_FACE, size)}</w:style>'
        )
    word.styles.element.extend(list(parse_xml(f"<w:styles {nsdecls('w')}>{''.join(xml)}</w:styles>")))
    return ids


def _text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Control characters a user may have pasted into a name cannot be held by the document's XML: left out.
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _cell_xml(text: str, width: str, align: str, bold: bool) -> str:
    from xml.sax.saxutils import escape

    paragraph = f'<w:pPr><w:jc w:val="{align}"/></w:pPr>' if align else ""
    run = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p>{paragraph}'
        f'<w:r>{run}<w:t xml:space="preserve">{escape(_text(text))}</w:t></w:r></w:p></w:tc>'
    )


def to_docx(document: Document) -> bytes:
    """GB/T 9704's faces and sizes through the document's styles (``_word_styles``); the runs carry text only (and
    bold in a total row). The body rows of a table are written as XML in one piece."""
    from docx import Document as WordDocument
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Mm

    word = WordDocument()
    page = word.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin, page.left_margin, page.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    ids = _word_styles(word)

    # Styles are named by their ids: python-docx's assignment by style looks the default style up among all of them
    # each time (half the writer's time).
    def paragraph(text, kind="body"):
        block = word.add_paragraph(_text(text))
        block._p.get_or_add_pPr().style = ids[kind]
        return block

    paragraph(document.title, "title")
    for line in (document.issue, " ".join(part for part in (document.issuer, document.dated) if part)):
        if line:
            paragraph(line, "line")
    for text in document.lead:
        paragraph(text)
    for section in document.sections:
        paragraph(section.heading, "heading")
        for text in section.paragraphs:
            paragraph(text)
        for table in section.tables:
            paragraph(table.title, "table_title")
            numeric = _numeric_columns(table)
            grid = word.add_table(rows=1, cols=len(table.columns))
            grid._tbl.tblPr.style = ids[10.5 if len(table.columns) <= 6 else 9]
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, label in zip(grid.rows[0].cells, table.columns, strict=True):
                cell.paragraphs[0]._p.get_or_add_pPr().style = ids["header"]
                cell.paragraphs[0].add_run(_text(label))
            widths = [column.get(qn("w:w")) for column in grid._tbl.tblGrid.gridCol_lst]
            body = [(row, False) for row in table.rows] + ([(table.total, True)] if table.total else [])
            rows = "".join(
                "<w:tr>"
                + "".join(
                    _cell_xml(cell_text(value), widths[index], "right" if index in numeric else "", bold)
                    for index, value in enumerate(row[: len(widths)])
                )
                + "".join(_cell_xml("", width, "", False) for width in widths[len(row) :])
                + "</w:tr>"
                for row, bold in body
            )
            if rows:
                grid._tbl.extend(list(parse_xml(f"<w:tbl {nsdecls('w')}>{rows}</w:tbl>")))
            if table.note:
                paragraph(table.note, "note")
    if document.footer:
        paragraph(document.footer, "footer")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------------------------


def to_pdf(document: Document) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from . import pdf
    from .pdf import rich, styles
    from .pdf import table as pdf_table

    style = styles()
    centred = ParagraphStyle("centred", parent=style["title"], alignment=TA_CENTER)
    line = ParagraphStyle("line", parent=style["small"], alignment=TA_CENTER)
    body = ParagraphStyle("body", parent=style["base"], fontSize=10.5, leading=16, firstLineIndent=21, spaceAfter=3)
    wide = any(len(table.columns) > 7 for table in document.tables())
    pagesize = landscape(A4) if wide else A4
    width = pagesize[0] - 36 * mm
    story = [Paragraph(rich(document.title), centred)]
    for text in (document.issue, " ".join(part for part in (document.issuer, document.dated) if part)):
        if text:
            story.append(Paragraph(rich(text), line))
    story.append(Spacer(1, 4 * mm))
    story += [Paragraph(rich(text), body) for text in document.lead]
    cell_style = ParagraphStyle("cell", parent=style["base"], fontSize=8.5, leading=11)
    number_style = ParagraphStyle("number", parent=cell_style, alignment=2)
    for section in document.sections:
        story.append(Paragraph(rich(section.heading), style["h2"]))
        story += [Paragraph(rich(text), body) for text in section.paragraphs]
        for table in section.tables:
            story.append(Paragraph(rich(table.title), style["h3"]))
            numeric = _numeric_columns(table)
            rows = [[Paragraph(rich(label), cell_style) for label in table.columns]]
            all_rows = [*table.rows, *([table.total] if table.total else [])]
            for row in all_rows:
                rows.append(
                    [
                        Paragraph(rich(cell_text(value)), number_style if index in numeric else cell_style)
                        for index, value in enumerate(row)
                    ]
                )
            weights = [
                max([len(cell_text(row[index])) for row in all_rows if index < len(row)] + [len(label), 3])
                for index, label in enumerate(table.columns)
            ]
            widths = [width * weight / sum(weights) for weight in weights]
            grid = pdf_table(rows, colWidths=widths, repeatRows=1, hAlign="CENTER")
            commands = [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
            if table.total:
                commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f3f3")))
            grid.setStyle(commands)
            story.append(grid)
            if table.note:
                story.append(Paragraph(rich(table.note), style["small"]))
    if document.footer:
        story += [Spacer(1, 4 * mm), Paragraph(rich(document.footer), style["small"])]
    return pdf.build(story, title=document.title, pagesize=pagesize)


WRITERS = {
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (to_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": (to_pdf, "application/pdf"),
}


def response(document: Document, kind: str, filename: str):
    """An HTTP download of ``document`` as ``kind`` (xlsx, docx or pdf); ``filename`` without suffix, may be Chinese."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    writer, content_type = WRITERS[kind]
    answer = HttpResponse(writer(document), content_type=content_type)
    answer["Content-Disposition"] = content_disposition_header(True, f"{filename}.{kind}")
    return answer
