"""What an uploaded workbook may make the server do, checked before openpyxl reads it.

An .xlsx file is a zip of XML parts. Its size on upload says little about the work it asks for: a 485 KB
workbook of 1,000 rows × 16,384 columns costs a minute of CPU to read, a shared-strings table of a few hundred
kilobytes unpacks into hundreds of megabytes of Python strings, and openpyxl keeps in memory every XML element it
does not recognise. ``inspect`` therefore refuses, before anything is parsed by openpyxl:

- a zip of too many entries, too large once unpacked, or compressed more than real workbooks are (a zip bomb);
- parsed parts (content types, workbook, relationships, styles, properties, drawings…) that are too large or
  hold too many XML elements, and any XML with a document type declaration (Excel never writes one; defusedxml,
  which openpyxl uses when it is installed, refuses entity declarations again while reading);
- a shared-strings table of too many strings, or strings longer than Excel allows in a cell;
- a first sheet whose declared ``<dimension>`` or whose actual content reaches beyond the column limit, the
  last row of a workbook, the cell limit, or holds too many XML elements in one row or outside the rows.

The sheet and the shared strings are streamed through expat (the parser openpyxl's reading uses) with
handlers that only count, and the scan stops at the first limit passed, so a hostile file costs at most its
limits. The count is exact where it matters: cell positions are read as openpyxl reads them (a cell without a
reference follows the previous one), because its rows are as wide as their last cell.

This module reaches into openpyxl's reader (its manifest and workbook parsers) to find the parts exactly as
``load_workbook`` will; it is kept apart from ``excel.py`` for that reason.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple, get_column_letter
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS, SHEET_MAIN_NS, WORKSHEET_TYPE
from openpyxl.xml.functions import fromstring

MB = 1024 * 1024
EXCEL_LAST_ROW = 1_048_576
READ_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """The budget of one import. Every figure is far above what a real workbook of ``excel.MAX_ROWS`` rows of any
    importer's columns needs (a 100,000-row export of projects unpacks to 120 MB in 1.9 million cells)."""

    entries: int = 1_000  # files inside the zip
    unpacked_bytes: int = 256 * MB  # all of them, unpacked
    ratio: int = 200  # unpacked / packed, for an entry of more than a megabyte (workbooks reach 10–40)
    part_bytes: int = 16 * MB  # any parsed XML part but the sheets and the shared strings
    part_elements: int = 1_000_000  # XML elements of all those parts together
    shared_bytes: int = 64 * MB
    shared_strings: int = 1_000_000
    text_chars: int = 32_767  # Excel's own limit for the text of one cell
    columns: int = 256
    cells: int = 4_000_000
    sheet_elements: int = 12_000_000
    row_elements: int = 10_000  # elements inside one row (its cells and their parts)
    other_elements: int = 100_000  # elements of the sheet outside its rows (openpyxl keeps those it does not know)
    read_seconds: int = 600  # reading the rows once the file has passed (checked by excel.read_rows)


LIMITS = Limits()


class WorkbookRefused(Exception):
    """The workbook is refused; the message (translated) says what is too large and the limit, or what is wrong."""


@dataclass(frozen=True)
class Facts:
    """What the scan of the first sheet found: rows holding cells (header included), cells, columns used.

    ``complete`` is False when the scan stopped at ``stop_after_rows`` (the rest was not looked at yet)."""

    rows: int
    cells: int
    columns: int
    complete: bool = True


class _Stop(Exception):
    pass


def _number(value: int) -> str:
    return f"{value:,}"


def _damaged(part: str = "") -> WorkbookRefused:
    if part:
        return WorkbookRefused(
            _("This file is not an Excel workbook (.xlsx), or it is damaged (in “%(part)s”).") % {"part": part}
        )
    return WorkbookRefused(_("This file is not an Excel workbook (.xlsx), or it is damaged."))


def inspect(file, limits: Limits = LIMITS, *, stop_after_rows: int | None = None) -> Facts:
    """Check ``file`` (an .xlsx, seekable) against ``limits``; ``WorkbookRefused`` names the first limit passed.

    ``stop_after_rows``: stop scanning the sheet (``Facts.complete`` False) once it has shown more rows than this
    or a hundred times as many XML elements; what was seen by then is within the limits.
    """
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _damaged() from error
    try:
        return _inspect(archive, limits, stop_after_rows)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, KeyError) as error:
        raise _damaged() from error  # an unreadable entry (bad CRC, encryption, unknown compression, missing part)
    finally:
        archive.close()
        file.seek(0)


def _inspect(archive: zipfile.ZipFile, limits: Limits, stop_after_rows: int | None) -> Facts:
    infos = archive.infolist()
    if len(infos) > limits.entries:
        raise WorkbookRefused(
            _("The workbook holds %(count)s files inside; at most %(limit)s are accepted.")
            % {"count": _number(len(infos)), "limit": _number(limits.entries)}
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.unpacked_bytes:
        raise WorkbookRefused(
            _("The workbook unpacks to %(size)s; at most %(limit)s are accepted. Split it into smaller files.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limits.unpacked_bytes)}
        )
    for info in infos:
        if info.file_size > MB and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise WorkbookRefused(
                _(
                    "“%(part)s” inside the workbook is compressed %(ratio)s to 1; at most %(limit)s to 1 is accepted "
                    "(real workbooks stay far below)."
                )
                % {
                    "part": info.filename,
                    "ratio": _number(info.file_size // max(info.compress_size, 1)),
                    "limit": _number(limits.ratio),
                }
            )
    sizes = {info.filename: info.file_size for info in infos}
    if ARC_CONTENT_TYPES not in sizes:
        raise _damaged()

    budget = _PartBudget(limits)
    budget.scan(archive, ARC_CONTENT_TYPES, sizes)
    try:
        manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
        workbook_part = _find_workbook_part(manifest).PartName[1:]
    except Exception as error:  # openpyxl raises many kinds for a bad manifest
        raise _damaged(ARC_CONTENT_TYPES) from error
    worksheets = {part.PartName[1:] for part in manifest.findall(WORKSHEET_TYPE)}
    strings = manifest.find(SHARED_STRINGS)
    strings_part = strings.PartName[1:] if strings is not None else None

    for part in (workbook_part, get_rels_path(workbook_part)):
        budget.scan(archive, part, sizes)
    sheet = _first_sheet(archive, workbook_part)
    if sheet is None:
        raise WorkbookRefused(_("The workbook has no sheet to import."))
    for name in sizes:
        lower = name.lower()
        if name in worksheets or name in (sheet, strings_part) or not lower.endswith((".xml", ".rels")):
            continue  # sheets other than the first are not read; media are not parsed
        budget.scan(archive, name, sizes)

    if strings_part is not None and strings_part in sizes:
        if sizes[strings_part] > limits.shared_bytes:
            raise WorkbookRefused(
                _("The workbook's table of texts is %(size)s; at most %(limit)s are accepted.")
                % {"size": filesizeformat(sizes[strings_part]), "limit": filesizeformat(limits.shared_bytes)}
            )
        _scan(archive, strings_part, _StringsScan(limits))

    scan = _SheetScan(limits, stop_after_rows)
    try:
        _scan(archive, sheet, scan)
    except _Stop:
        return Facts(rows=scan.rows, cells=scan.cells, columns=scan.max_column, complete=False)
    return Facts(rows=scan.rows, cells=scan.cells, columns=scan.max_column)


def _first_sheet(archive: zipfile.ZipFile, workbook_part: str) -> str | None:
    """The part of the sheet ``load_workbook(...).worksheets[0]`` reads (chart sheets are not worksheets)."""
    try:
        parser = WorkbookParser(archive, workbook_part, keep_links=False)
        parser.parse()
        names = set(archive.namelist())
        for _sheet, rel in parser.find_sheets():
            if rel.target in names and "chartsheet" not in rel.Type:
                return rel.target
    except WorkbookRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds for a bad workbook part
        raise _damaged(workbook_part) from error
    return None


def _scan(archive: zipfile.ZipFile, part: str, handler) -> None:
    """Stream ``part`` through expat with ``handler``'s counting callbacks."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    if handler.text is not None:
        parser.CharacterDataHandler = handler.text
    parser.StartDoctypeDeclHandler = _doctype(part)
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(READ_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise _damaged(part) from error


def _doctype(part: str):
    def refuse(*args):
        raise WorkbookRefused(
            _("“%(part)s” inside the workbook declares a document type, which Excel never writes; it is refused.")
            % {"part": part}
        )

    return refuse


class _Counter:
    """Counts elements and the text of the current element; subclasses add what they watch."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.chars = 0

    def text(self, data: str) -> None:
        self.chars += len(data)
        if self.chars > self.limits.text_chars:
            raise WorkbookRefused(
                _("A cell or text of the workbook is longer than %(limit)s characters, the most Excel allows.")
                % {"limit": _number(self.limits.text_chars)}
            )

    def end(self, name: str) -> None:
        self.chars = 0


class _PartBudget:
    """The parts openpyxl parses whole (workbook, relationships, styles, properties…): their size and elements."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.counter = _ElementCounter(limits)

    def scan(self, archive: zipfile.ZipFile, part: str, sizes: dict[str, int]) -> None:
        if part not in sizes:
            return
        if sizes[part] > self.limits.part_bytes:
            raise WorkbookRefused(
                _("“%(part)s” inside the workbook is %(size)s; at most %(limit)s are accepted.")
                % {"part": part, "size": filesizeformat(sizes[part]), "limit": filesizeformat(self.limits.part_bytes)}
            )
        self.counter.part = part
        _scan(archive, part, self.counter)


class _ElementCounter(_Counter):
    def __init__(self, limits: Limits):
        super().__init__(limits)
        self.elements = 0
        self.part = ""

    def start(self, name: str, attrs: dict) -> None:
        self.chars = 0
        self.elements += 1
        if self.elements > self.limits.part_elements:
            raise WorkbookRefused(
                _("The parts of the workbook around its sheets hold more than %(limit)s XML elements (in “%(part)s”).")
                % {"limit": _number(self.limits.part_elements), "part": self.part}
            )


SI = f"{SHEET_MAIN_NS} si"
SST = f"{SHEET_MAIN_NS} sst"


class _StringsScan(_Counter):
    """The shared strings: how many, how long each, and what lies around them."""

    def __init__(self, limits: Limits):
        super().__init__(limits)
        self.depth = 0
        self.string_depth = 0  # the depth of the <si> being read, 0 outside one
        self.count = 0
        self.inside = 0
        self.others = 0

    def start(self, name: str, attrs: dict) -> None:
        self.depth += 1
        if self.string_depth:
            self.inside += 1
            if self.inside > self.limits.row_elements:
                raise self.too_many_elements()
            return
        self.chars = 0
        if name == SI:
            self.count += 1
            if self.count > self.limits.shared_strings:
                raise self.too_many_strings(self.count)
            self.string_depth = self.depth
            self.inside = 0
            return
        self.others += 1
        if self.others > self.limits.other_elements:
            raise self.too_many_elements()
        if name == SST:
            claimed = attrs.get("uniqueCount", "")
            if claimed.isdigit() and int(claimed) > self.limits.shared_strings:
                raise self.too_many_strings(int(claimed))

    def end(self, name: str) -> None:
        if self.depth == self.string_depth:
            self.string_depth = 0
            self.chars = 0  # the text of one string is the sum of its runs
        elif not self.string_depth:
            self.chars = 0
        self.depth -= 1

    def too_many_strings(self, count: int) -> WorkbookRefused:
        return WorkbookRefused(
            _("The workbook's table of texts holds %(count)s texts; at most %(limit)s are accepted.")
            % {"count": _number(count), "limit": _number(self.limits.shared_strings)}
        )

    def too_many_elements(self) -> WorkbookRefused:
        return WorkbookRefused(
            _("The workbook's table of texts holds more XML elements than its texts need; it is refused.")
        )


ROW = f"{SHEET_MAIN_NS} row"
DIMENSION = f"{SHEET_MAIN_NS} dimension"
DIGITS = "0123456789"


class _SheetScan:
    """The first sheet: cells and their columns as openpyxl reads them, rows, elements inside and outside rows.

    The callbacks run for every element of sheets of millions of cells, so the state lives in the closure of
    ``start`` (a closure's variables are read faster than attributes) and the text is not watched: unlike the
    shared strings, the text of a row is dropped once the row is read, and all of it is bounded by the unpacked
    size."""

    def __init__(self, limits: Limits, stop_after_rows: int | None):
        self.rows = self.cells = self.max_column = 0
        known = {get_column_letter(n): n for n in range(1, limits.columns + 1)}
        stop_elements = stop_after_rows * 100 if stop_after_rows is not None else None
        element_limit = min(limits.sheet_elements, stop_elements or limits.sheet_elements)
        depth = row_depth = elements = in_row = others = row = column = 0
        row_has_cells = False

        def start(name: str, attrs: dict) -> None:
            nonlocal depth, row_depth, elements, in_row, others, row, column, row_has_cells
            depth += 1
            elements += 1
            if elements > element_limit:
                if stop_elements is not None and elements > stop_elements:
                    raise _Stop
                raise WorkbookRefused(
                    _("The sheet holds more than %(limit)s XML elements; it is refused. Split it into smaller files.")
                    % {"limit": _number(limits.sheet_elements)}
                )
            if row_depth:
                in_row += 1
                if in_row > limits.row_elements:
                    raise WorkbookRefused(
                        _("Row %(row)s of the sheet holds more than %(limit)s XML elements; it is refused.")
                        % {"row": _number(row), "limit": _number(limits.row_elements)}
                    )
                if depth != row_depth + 1:
                    return
                # A cell: openpyxl reads every child of a row as one, whatever its name, at the column of its
                # reference (letters, then digits) or else just after the previous cell.
                self.cells += 1
                if self.cells > limits.cells:
                    raise WorkbookRefused(
                        _("The sheet has more than %(limit)s cells; import at most %(limit)s at once (split the file).")
                        % {"limit": _number(limits.cells)}
                    )
                reference = attrs.get("r")
                if reference:
                    column = known.get(reference.rstrip(DIGITS)) or self.column_of(reference, limits)
                else:
                    column += 1
                if column > self.max_column:
                    self.max_column = column
                    check_columns(column, limits)
                if not row_has_cells:
                    row_has_cells = True
                    self.rows += 1
                return
            if name == ROW:
                reference = attrs.get("r")
                row = row + 1 if reference is None else _row_number(reference)
                check_row(row)
                column, row_depth, in_row, row_has_cells = 0, depth, 0, False
                if stop_after_rows is not None and self.rows > stop_after_rows:
                    raise _Stop
                return
            others += 1
            if others > limits.other_elements:
                raise WorkbookRefused(
                    _("The sheet holds more than %(limit)s XML elements outside its rows; it is refused.")
                    % {"limit": _number(limits.other_elements)}
                )
            if name == DIMENSION:  # the sheet's own statement of its size: enough to refuse it at once
                try:
                    last_row, last_column = coordinate_to_tuple(attrs.get("ref", "").split(":")[-1])
                except (ValueError, KeyError):
                    return  # openpyxl ignores a wrong dimension too (excel.read_rows resets it)
                check_columns(last_column, limits)
                check_row(last_row)

        def end(name: str) -> None:
            nonlocal depth, row_depth
            if depth == row_depth:
                row_depth = 0
            depth -= 1

        self.start, self.end = start, end
        self.text = None

    @staticmethod
    def column_of(reference: str, limits: Limits) -> int:
        """The column of a reference beyond the limit, or written in small letters (openpyxl reads "ab1" as AB1)."""
        letters = reference.rstrip(DIGITS)
        if letters == reference:
            raise _damaged()
        try:
            return column_index_from_string(letters)
        except ValueError:
            raise _damaged() from None


def _row_number(reference: str) -> int:
    """A row's number as openpyxl reads it (a whole number, possibly written as 5.0)."""
    try:
        return int(reference)
    except ValueError:
        try:
            number = float(reference)
        except ValueError:
            raise _damaged() from None
        if not number.is_integer():
            raise _damaged() from None
        return int(number)


def check_columns(column: int, limits: Limits) -> None:
    if column > limits.columns:
        raise WorkbookRefused(
            _(
                "The sheet reaches column %(column)s (%(count)s columns); at most %(limit)s columns are read. "
                "Delete the columns beyond the data and try again."
            )
            % {
                "column": get_column_letter(min(column, 18_278)),
                "count": _number(column),
                "limit": _number(limits.columns),
            }
        )


def check_row(row: int) -> None:
    if row > EXCEL_LAST_ROW or row < 1:
        raise WorkbookRefused(
            _("The sheet names row %(row)s; a workbook has rows 1 to %(limit)s.")
            % {"row": _number(row), "limit": _number(EXCEL_LAST_ROW)}
        )
