"""An uploaded workbook is held to a budget before openpyxl reads it.

Each hostile file is built here as it was met: a cell bomb (1,000 rows × 16,384 columns in under 500 KB), a
shared-strings bomb, a zip bomb; each is refused with a message naming what is too large and the limit, before a
single row is read, and saves nothing. An ordinary workbook still imports.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from zhaoshang.core import excel
from zhaoshang.core.context import acting_as
from zhaoshang.core.tests.test_excel import EnterpriseImporter, xlsx
from zhaoshang.core.workbook_limits import Limits, WorkbookRefused, inspect
from zhaoshang.industry.models import Enterprise

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
LOOSE = Limits(ratio=10**9)  # to watch the limits that come after the compression ratio


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def workbook(sheet_xml=None, *, strings=None, extra=(), name="bomb.xlsx") -> SimpleUploadedFile:
    """A real workbook (headers 名称 and one row) whose first sheet, shared strings or extra entries are replaced.

    ``sheet_xml`` and ``strings`` are iterables of bytes, written as they come (some unpack to hundreds of MB)."""
    base = io.BytesIO()
    wb = Workbook()
    wb.active.append(["名称"])
    wb.active.append(["甲公司"])
    wb.save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml" and strings is not None:
                override = b'<Override PartName="/' + STRINGS.encode() + b'" ContentType="' + STRINGS_TYPE + b'"/>'
                content = content.replace(b"</Types>", override + b"</Types>")
            if info.filename == SHEET and sheet_xml is not None:
                with target.open(SHEET, "w") as stream:
                    for chunk in sheet_xml:
                        stream.write(chunk)
                continue
            target.writestr(info.filename, content)
        if strings is not None:
            with target.open(STRINGS, "w") as stream:
                for chunk in strings:
                    stream.write(chunk)
        for entry, content in extra:
            target.writestr(entry, content)
    return SimpleUploadedFile(name, out.getvalue())


def sheet(rows, dimension: bytes | None = None):
    yield b'<worksheet xmlns="' + MAIN + b'">'
    if dimension:
        yield b'<dimension ref="' + dimension + b'"/>'
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def header_and(*rows: bytes):
    """A sheet of the header 名称 and the given rows."""
    return sheet([b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\x90\x8d\xe7\xa7\xb0</t></is></c></row>', *rows])


WIDE_ROW = b"<row>" + b"<c><v>1</v></c>" * 16_384 + b"</row>"


@pytest.fixture(scope="module")
def cell_bomb():
    """1,000 rows of 16,384 cells of a few bytes each: 245 MB of XML in a 485 KB file."""
    return workbook(sheet([WIDE_ROW] * 1_000, dimension=b"A1:XFD1000"))


def refusal(file, limits=excel.LIMITS) -> str:
    file.seek(0)
    with pytest.raises(WorkbookRefused) as refused:
        inspect(file, limits)
    return str(refused.value).replace("\xa0", " ")


@pytest.fixture
def no_reading(monkeypatch):
    """Reading the rows of a refused file would be a failure of this budget."""

    def read_rows(*args, **kwargs):
        raise AssertionError("the rows of a refused workbook were read")

    monkeypatch.setattr(excel, "read_rows", read_rows)


# --- the cell bomb -----------------------------------------------------------------------------------------------


def test_the_cell_bomb_is_refused_before_its_rows_are_read_and_saves_nothing(admin_user, cell_bomb, no_reading):
    with acting_as(admin_user):
        result = EnterpriseImporter(admin_user).run(cell_bomb)

    [error] = result.errors
    assert error.row is None
    assert "sheet1.xml" in error.message and "200 to 1" in error.message  # compressed far beyond real workbooks
    assert not Enterprise.objects.exists()


def test_the_cell_bomb_is_refused_by_its_columns_even_when_it_compresses_less(cell_bomb):
    assert "column XFD (16,384 columns); at most 256" in refusal(cell_bomb, LOOSE)
    # without a <dimension>, the scan of the first row places the cells as openpyxl would
    assert "column IW (257 columns); at most 256" in refusal(workbook(sheet([WIDE_ROW] * 2)), LOOSE)


def test_a_sheet_whose_dimension_understates_it_is_still_measured():
    cells = b'<row r="2"><c r="A2"><v>1</v></c><c r="XFD2"><v>2</v></c></row>'
    file = workbook(sheet([cells], dimension=b"A1:B2"))

    assert "column XFD" in refusal(file)


def test_a_sheet_of_too_many_cells_is_refused_with_the_limit():
    rows = [b"<row>" + b"<c><v>1</v></c>" * 10 + b"</row>"] * 20
    message = refusal(workbook(sheet(rows)), Limits(cells=150))

    assert "more than 150 cells" in message


def test_a_row_number_beyond_the_last_row_of_a_workbook_is_refused():
    message = refusal(workbook(header_and(b'<row r="2000000"><c><v>1</v></c></row>')))

    assert "row 2,000,000" in message and "1,048,576" in message


def test_elements_that_openpyxl_would_keep_in_memory_are_bounded():
    outside = refusal(workbook(sheet([b"<x/>" * 101, b"<row><c><v>1</v></c></row>"])), Limits(other_elements=100))
    inside = refusal(workbook(sheet([b"<row><c><v>1</v>" + b"<x/>" * 100 + b"</c></row>"])), Limits(row_elements=50))

    assert "more than 100 XML elements outside its rows" in outside
    assert "Row 1 of the sheet holds more than 50 XML elements" in inside


def test_a_document_type_declaration_is_refused():
    doctype = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY big "aaaaaaaaaa">]>'
    message = refusal(workbook(iter([doctype, *sheet([b"<row><c><v>1</v></c></row>"])])))

    assert "document type" in message and "sheet1.xml" in message


# --- the shared-strings bomb -------------------------------------------------------------------------------------


def shared_strings(count: int, text: bytes = b"x"):
    yield b'<sst xmlns="' + MAIN + b'">'
    batch = b"<si><t>" + text + b"</t></si>"
    for start in range(0, count, 10_000):
        yield batch * min(10_000, count - start)
    yield b"</sst>"


def test_the_shared_strings_bomb_is_refused_before_the_workbook_is_opened(admin_user, no_reading):
    """Five million one-letter strings: 85 MB of XML in a small file, hundreds of MB once openpyxl holds them."""
    bomb = workbook(strings=shared_strings(5_000_000))

    with acting_as(admin_user):
        result = EnterpriseImporter(admin_user).run(bomb)

    [error] = result.errors
    assert "“xl/sharedStrings.xml” inside the workbook is compressed" in error.message
    assert not Enterprise.objects.exists()
    assert "table of texts is 81.1 MB; at most 64.0 MB" in refusal(bomb, LOOSE)


def test_the_number_of_shared_strings_and_their_length_are_bounded():
    many = refusal(workbook(strings=shared_strings(1_000_001)), LOOSE)
    long = refusal(workbook(strings=shared_strings(1, b"x" * 40_000)))

    assert "holds 1,000,001 texts; at most 1,000,000" in many
    assert "longer than 32,767 characters" in long


def test_a_table_of_texts_that_claims_too_many_is_refused_at_once():
    claim = iter([b'<sst xmlns="' + MAIN + b'" uniqueCount="99999999">', b"</sst>"])

    assert "holds 99,999,999 texts" in refusal(workbook(strings=claim))


# --- the zip bomb ------------------------------------------------------------------------------------------------


def test_the_zip_bomb_is_refused_by_its_compression_ratio(admin_user, no_reading):
    bomb = workbook(extra=[("xl/media/image1.png", b"\0" * (100 * 1024 * 1024))])

    with acting_as(admin_user):
        result = EnterpriseImporter(admin_user).run(bomb)

    [error] = result.errors
    assert "“xl/media/image1.png” inside the workbook is compressed" in error.message
    assert "at most 200 to 1" in error.message


def test_too_many_entries_or_too_many_bytes_unpacked_are_refused():
    entries = refusal(workbook(extra=[(f"xl/media/{n}.bin", b"") for n in range(1_001)]))
    unpacked = refusal(workbook(extra=[("xl/media/big.bin", b"\0" * 4096)]), Limits(unpacked_bytes=4096))
    part = refusal(workbook(extra=[("xl/custom.xml", b"<a>" + b" " * 20_000 + b"</a>")]), Limits(part_bytes=12_000))

    assert "1,010 files inside; at most 1,000" in entries
    assert "unpacks to" in unpacked and "at most 4.0 KB" in unpacked
    assert "“xl/custom.xml” inside the workbook is 19.5 KB; at most 11.7 KB" in part


# --- what still passes --------------------------------------------------------------------------------------------


def test_an_ordinary_workbook_passes_and_imports(admin_user):
    file = xlsx([["名称", "注册资本（万元）"], ["甲科技有限公司", 500], ["乙科技有限公司", 1.5]])

    facts = inspect(file)
    with acting_as(admin_user):
        result = EnterpriseImporter(admin_user).run(file)

    assert (facts.rows, facts.cells, facts.columns, facts.complete) == (3, 6, 2, True)
    assert result.ok and result.created == 2


def test_a_scan_may_stop_early_and_say_so():
    file = xlsx([["名称"], *[[f"公司{n}"] for n in range(50)]])

    facts = inspect(file, stop_after_rows=10)

    assert not facts.complete and facts.rows == 11


def test_reading_the_rows_stops_at_the_time_budget(admin_user):
    file = xlsx([["名称"], *[[f"公司{n}"] for n in range(600)]])
    columns = [excel.Column("name", "名称")]

    result = excel.import_workbook(file, columns, lambda data: None, limits=Limits(read_seconds=0))

    assert "took more than 0 seconds" in result.errors[0].message
    assert not Enterprise.objects.exists()
