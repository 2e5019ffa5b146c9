"""Excel import and export shared by every app: one declarative column list serves all four directions.

A list of ``Column`` describes a sheet: its key, its header (translated), how a
record's value is read for export and how a cell becomes form data on import.

- ``export_workbook(rows, columns, title)``: the records as a sheet (bold, frozen header;
  numbers as numbers, dates as dates, choices by their label); ``workbook_response`` sends it.
- ``template_workbook(columns, example_rows)``: an empty sheet to fill in, a second sheet
  explaining every column, and drop-down lists for columns with a fixed set of values. Its first
  column, "Example", marks the example rows; the import skips every row marked there (see
  ``EXAMPLE_COLUMN``), so an example left in the sheet is never imported. ``template_filename(name)``
  names the download in the user's language.
- ``import_workbook(file, columns, make_form, save_row, save_rows=...)``: reads the first
  sheet, maps its headers (Chinese, English or the key), validates every row with a Django
  form and saves all rows in one transaction only when no row has an error. Nothing is
  saved otherwise; each error names its row (as Excel numbers it) and its column header.
- ``error_report(errors)``: those errors as a workbook to download. The last report of a
  user is kept in their session (``remember_report`` / ``report_response``): the session is
  stored in the database, so the download works whichever server process answers it.

Every cell is written through ``keep_text`` (``sheet_value`` for write-only sheets): text a spreadsheet would
evaluate (= + - @, error values) is written as text with Excel's quote prefix. Every upload passes
``check_upload``, which holds the workbook to the budget of ``workbook_limits`` before openpyxl reads it.
``ImportView`` imports a small workbook in the request and makes a larger one a background job
(``import_jobs``); see docs/imports.md.

Imports are meant for tens of thousands of rows: forms built with ``ImportFormMixin``
share their field instances instead of copying them per row and never query the
database while validating (look-ups are preloaded into dicts, see ``Lookup``), and
``bulk_save`` writes new and changed records in batches together with their search
text, their version and one audit ``ChangeRecord`` each, exactly as ``save()`` would
(new records by multi-row INSERT statements, on PostgreSQL by COPY with keys drawn
from the table's sequence).
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import operator
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from time import monotonic
from typing import Any
from zipfile import BadZipFile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import audit, generations, search, xlsx_dimensions
from .choices import ChangeKind
from .context import current_actor
from .workbook_limits import LIMITS, Facts, Limits, WorkbookRefused
from .workbook_limits import inspect as inspect_workbook

xlsx_dimensions.install()  # a sheet without its used range is not read twice

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_REPORTED_ERRORS = 10_000
SAVE_BATCH = 500
FREEZE_ROWS = 1000
YOUNG_THRESHOLD = 10_000
SESSION_KEY = "core.import_report"

# Words accepted for yes and no in a cell, in both languages.
TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓", "t"}
FALSE_WORDS = {"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "f"}
LIST_SEPARATORS = re.compile(r"[\s,，、;；/]+")


# --- columns ----------------------------------------------------------------------------------------------------


def normalize_header(text) -> str:
    """Header text compared without case, width, spaces or a trailing required mark."""
    text = search.normalize(force_str(text or "")).strip().rstrip("*＊").strip()
    return re.sub(r"\s+", " ", text)


def parse_bool(value):
    """是/否, yes/no, true/false, 1/0 (a blank cell is no answer)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = search.normalize(str(value)).strip()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": value})


def parse_list(value) -> list[str]:
    """Several values in one cell, separated by spaces, commas or semicolons."""
    if value is None or value == "":
        return []
    return [part for part in LIST_SEPARATORS.split(str(value).strip()) if part]


def format_bool(value):
    if value is None:
        return None
    return _("Yes") if value else _("No")


def format_list(value):
    return " ".join(str(v) for v in value) if value else None


def cell_value(value):
    """A cell as a form receives it: text stripped, whole numbers as integers, a date without its midnight."""
    if isinstance(value, str):
        value = value.strip()
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    return value


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    ``key``: the column's name in code and an accepted header; ``header``: its translated title;
    ``field``: the form field it fills on import and the attribute read on export (default: the
    key) unless ``getter`` reads the record for export; ``parse``: cell → form value
    (raise ValidationError to refuse it); ``format``: value → cell; ``choices``: allowed values as
    (value, label) — cells may hold the value or its label in either language, exports write the
    label, templates offer a drop-down; ``required``: the header must be present; ``help``: what
    the column means, for the instructions sheet.
    """

    key: str
    header: Any
    field: str | None = None
    getter: Callable[[Any], Any] | None = None
    parse: Callable[[Any], Any] | None = None
    format: Callable[[Any], Any] | None = None
    required: bool = False
    help: Any = ""
    choices: Sequence[tuple[Any, Any]] | None = None
    width: int = 14
    export: bool = True

    @property
    def form_field(self) -> str:
        return self.field or self.key

    def header_variants(self) -> set[str]:
        names = {normalize_header(self.key), normalize_header(self.header)}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(normalize_header(self.header))
        return names

    def export_value(self, obj):
        value = self.getter(obj) if self.getter is not None else getattr(obj, self.form_field)
        if self.choices is not None and value not in (None, ""):
            value = dict(self.choices).get(value, value)
        if self.format is not None:
            value = self.format(value)
        return excel_value(value)

    def choice_map(self) -> dict[str, Any]:
        """Each accepted spelling of a choice (its value, its label in either language) → the value."""
        names: dict[str, Any] = {}
        for key, label in self.choices or ():
            names[normalize_header(key)] = key
            names[normalize_header(label)] = key
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    names[normalize_header(label)] = key
        return names

    def import_value(self, value, choice_map: dict | None = None):
        """A cell as its form field receives it; ValidationError when it cannot be read."""
        value = cell_value(value)
        if self.choices is not None and value not in (None, ""):
            found = (choice_map if choice_map is not None else self.choice_map()).get(normalize_header(value))
            if found is None:
                allowed = "、".join(self.allowed_labels())
                raise ValidationError(
                    _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed}
                )
            value = found
        if self.parse is not None:
            value = self.parse(value)
        return "" if value is None else value

    def allowed_labels(self) -> list[str]:
        return [force_str(label) for _key, label in self.choices or ()]


def excel_value(value):
    """A Python value as openpyxl writes it: Decimal stays a number, lazy text becomes text (without the control
    characters a workbook cannot hold). Write it with ``sheet_value`` or ``keep_text``, never as it is."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, list | tuple | set):
        value = format_list(sorted(value))
        if value is None:
            return None
    return ILLEGAL_CHARACTERS_RE.sub("", force_str(value))


# --- text that must stay text -----------------------------------------------------------------------------------
#
# A name typed by anyone (an investor's inquiry, an imported row) reaches the exports. openpyxl writes a text that
# begins with "=" as a live formula and one such as "#N/A" as an error; Excel and other spreadsheets also evaluate
# text beginning with + - @ (or a tab or line break before them) when the cell is edited or the file is read as
# CSV. Every cell the platform writes goes through ``keep_text``: such text is written as a text cell with Excel's
# quote prefix, so it is shown, edited and imported again exactly as it was typed.

FORMULA_STARTS = ("=", "+", "-", "@")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take this text for a formula or an error value."""
    return bool(text) and (text.lstrip("\t\r\n ").startswith(FORMULA_STARTS) or text in ERROR_CODES)


def keep_text(cell):
    """The cell, with formula-looking text made a plain text cell (``data_type`` "s", quote prefix); the one place
    that decides how text is written, for write-only sheets (through ``sheet_value``) and ordinary ones alike."""
    value = cell.value
    if isinstance(value, str) and (cell.data_type in ("f", "e") or looks_like_formula(value)):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def sheet_value(ws, value):
    """``value`` (see ``excel_value``) ready for ``ws.append``: formula-looking text as a protected text cell."""
    if isinstance(value, str) and looks_like_formula(value):
        return keep_text(WriteOnlyCell(ws, value=value))
    return value


# --- export and templates ---------------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")


def _header_row(ws, columns: Sequence[Column], *, mark_required: bool = False):
    cells = []
    for column in columns:
        text = excel_value(column.header)
        cell = keep_text(WriteOnlyCell(ws, value=f"{text} *" if mark_required and column.required else text))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def _prepare_sheet(ws, columns: Sequence[Column]):
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"


def export_workbook(rows: Iterable, columns: Sequence[Column], title) -> Workbook:
    """The records in ``rows`` (objects or a queryset: iterate it with ``.iterator()`` for large ones) as a sheet."""
    columns = [c for c in columns if c.export]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(title))
    _prepare_sheet(ws, columns)
    ws.append(_header_row(ws, columns))
    for obj in rows:
        ws.append([sheet_value(ws, column.export_value(obj)) for column in columns])
    return wb


def sheet_title(title) -> str:
    """A valid sheet name: at most 31 characters, none of \\ / ? * [ ] :."""
    text = re.sub(r"[\\/?*\[\]:]", " ", force_str(title)).strip() or "Sheet1"
    return text[:31]


# The template's example rows carry a mark in a first column of their own, and the import skips every row whose
# mark is not empty: the example stays out of the import wherever the user moves it and whatever other rows they
# add, edit or sort, while a row they write (the column left empty) is imported. Headers in either language or the
# key are recognised, like any column's; a sheet without this column is read as before.
EXAMPLE_COLUMN = Column(
    "example_row",
    gettext_lazy("Example"),
    help=gettext_lazy("Marks the template's example rows, which are never imported. Leave it empty in your rows."),
    width=18,
)
EXAMPLE_MARK = gettext_lazy("Example: not imported")


def template_filename(name) -> str:
    """The template's file name, in the active language: ``项目导入模板.xlsx``, ``projects-import-template.xlsx``."""
    return _("%(name)s-import-template") % {"name": force_str(name)} + ".xlsx"


def template_workbook(columns: Sequence[Column], example_rows: Sequence[dict] = (), title=None) -> Workbook:
    """An empty sheet with its header row (required columns marked *), the instructions, drop-downs for choices.

    The first column is ``EXAMPLE_COLUMN``: each of ``example_rows`` is written below the header with its mark, so
    the import skips it."""
    columns = [EXAMPLE_COLUMN, *columns]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(title or _("Data")))
    _prepare_sheet(ws, columns)
    lists = None
    list_row = 0
    for index, column in enumerate(columns, start=1):
        if not column.choices:
            continue
        labels = column.allowed_labels()
        letter = get_column_letter(index)
        joined = ",".join(labels)
        if len(joined) <= 250 and not any('"' in label or "," in label for label in labels):
            formula = f'"{joined}"'
        else:  # long lists live on a hidden sheet
            if lists is None:
                lists = []
            start = list_row + 1
            lists.extend(labels)
            list_row += len(labels)
            formula = f"'_lists'!$A${start}:$A${list_row}"
        validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        ws.data_validations.append(validation)
    ws.append(_header_row(ws, columns, mark_required=True))
    for example in example_rows:
        example = {**example, EXAMPLE_COLUMN.key: EXAMPLE_MARK}
        ws.append([sheet_value(ws, excel_value(example.get(column.key))) for column in columns])

    guide = wb.create_sheet(sheet_title(_("Instructions")))
    widths = (24, 16, 60, 10, 50)
    for index, width in enumerate(widths, start=1):
        guide.column_dimensions[get_column_letter(index)].width = width
    guide.freeze_panes = "A2"
    heads = (_("Column"), _("Key"), _("Meaning"), _("Required"), _("Allowed values"))
    guide.append([_styled(guide, text, bold=True) for text in heads])
    for column in columns:
        guide.append(
            [
                _styled(guide, column.header),
                _styled(guide, column.key),
                _styled(guide, column.help or "", wrap=True),
                _styled(guide, _("Yes") if column.required else _("No")),
                _styled(guide, "、".join(column.allowed_labels()), wrap=True),
            ]
        )
    guide.append([])
    guide.append([_styled(guide, _("Headers may be written in Chinese or English, or as the key."), wrap=True)])
    guide.append([_styled(guide, _("Row 1 holds the headers; each following row is one record."), wrap=True)])
    guide.append(
        [
            _styled(
                guide,
                _(
                    "Rows marked in the column “%(column)s” are examples and are never imported: leave that column "
                    "empty in your rows (or delete the column)."
                )
                % {"column": force_str(EXAMPLE_COLUMN.header)},
                wrap=True,
            )
        ]
    )
    guide.append(
        [
            _styled(
                guide,
                _("The import is all or nothing: if any row has an error, nothing is saved and every error is listed."),
                wrap=True,
            )
        ]
    )
    if lists:
        sheet = wb.create_sheet("_lists")
        sheet.sheet_state = "hidden"
        for label in lists:
            sheet.append([sheet_value(sheet, excel_value(label))])
    return wb


def _styled(ws, value, *, bold=False, wrap=False):
    cell = keep_text(WriteOnlyCell(ws, value=excel_value(value)))
    if bold:
        cell.font = HEADER_FONT
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def workbook_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook_response(wb: Workbook, filename: str) -> HttpResponse:
    """The workbook as a download (``filename`` may hold Chinese: it is sent RFC 6266-encoded)."""
    from django.utils.http import content_disposition_header

    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- import -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: the row as Excel numbers it (None for the file as a whole), the column header, the message."""

    row: int | None
    column: str
    message: str

    def as_list(self) -> list:
        return [self.row, self.column, self.message]


@dataclass(frozen=True)
class PlannedRow:
    """What a checked row will do when the import is confirmed (the preview of a dry run, ``ModelImporter.plan``).

    ``action``: "created", "updated" or "unchanged"; ``label``: the record as the row names it; ``record`` and
    ``record_url``: the record on file the row updates; ``matched_by``: how it was found (its code, its name);
    ``changes``: the labels of the fields the row changes; ``similar``: (name, url) of records that look like
    the same one (possible duplicates) but are not the record the row updates or creates.
    """

    row: int
    action: str
    label: str
    record: str = ""
    record_url: str = ""
    matched_by: str = ""
    changes: tuple = ()
    similar: tuple = ()


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    examples: int = 0  # rows skipped as the template's examples
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False  # checked only: nothing was saved; ``plan`` says what saving would do
    plan: list[PlannedRow] = field(default_factory=list)

    @property
    def similar_rows(self) -> list[PlannedRow]:
        return [p for p in self.plan if p.similar]

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is None]

    @property
    def unlisted_errors(self) -> int:
        return self.error_count - len(self.errors)

    def add(self, row: int | None, column, message) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, force_str(column or ""), force_str(message)))


class ImportFileError(Exception):
    """The file as a whole cannot be imported (wrong type, too large, headers missing)."""


class RowSaveError(Exception):
    """A row failed while saving; raised by a saver to name the row."""

    def __init__(self, row: int, message, column=""):
        self.row, self.message, self.column = row, force_str(message), force_str(column)
        super().__init__(self.message)


def check_upload(
    file, max_bytes: int = MAX_BYTES, *, limits: Limits = LIMITS, stop_after_rows: int | None = None
) -> Facts:
    """Refuse anything but an .xlsx workbook of at most ``max_bytes`` within ``limits`` (see ``workbook_limits``);
    returns what the scan of its first sheet found (``stop_after_rows``: scan no further than that)."""
    name = getattr(file, "name", "") or ""
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ImportFileError(
            _(
                "Only Excel workbooks (.xlsx) and CSV files (.csv) can be imported; “%(name)s” is neither. Save it "
                "as .xlsx and try again."
            )
            % {"name": name.rsplit("/", 1)[-1] or _("the file")}
        )
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
    if size > max_bytes:
        raise ImportFileError(
            _("The file is %(size).1f MB; at most %(limit)d MB can be imported at once. Split it into smaller files.")
            % {"size": size / 1024 / 1024, "limit": max_bytes // 1024 // 1024}
        )
    file.seek(0)
    if is_csv(file):
        return csv_facts(file, limits, stop_after_rows=stop_after_rows)
    if file.read(4) != b"PK\x03\x04":
        raise ImportFileError(_("This file is not an Excel workbook (.xlsx), or it is damaged."))
    file.seek(0)
    try:
        return inspect_workbook(file, limits, stop_after_rows=stop_after_rows)
    except WorkbookRefused as error:
        raise ImportFileError(str(error)) from error


def map_headers(header_row: Sequence, columns: Sequence[Column]) -> dict[int, Column]:
    """Column position → Column for each header; unknown, repeated or missing required headers are file errors."""
    wanted = {}
    for column in (*columns, EXAMPLE_COLUMN):  # a column of the sheet's own wins over the example mark
        for name in column.header_variants():
            wanted.setdefault(name, column)
    found: dict[int, Column] = {}
    problems = []
    seen: dict[str, int] = {}
    for index, text in enumerate(header_row):
        name = normalize_header(text)
        if not name:
            continue
        column = wanted.get(name)
        if column is None:
            problems.append(_("Unknown column “%(header)s”.") % {"header": text})
            continue
        if column.key in seen:
            problems.append(_("The column “%(header)s” appears twice.") % {"header": force_str(column.header)})
            continue
        seen[column.key] = index
        found[index] = column
    missing = [force_str(c.header) for c in columns if c.required and c.key not in seen]
    if missing:
        problems.append(_("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)})
    if problems:
        raise ImportFileError(" ".join(problems))
    return found


# What openpyxl, the zip module and the XML parsers raise for a workbook they cannot read (defusedxml's refusals
# are ValueErrors, ElementTree's ParseError a SyntaxError).
UNREADABLE = (ValueError, KeyError, IndexError, TypeError, OverflowError, EOFError, OSError, SyntaxError, BadZipFile)
PROGRESS_EVERY = 500


def read_rows(
    file,
    columns: Sequence[Column],
    max_rows: int = MAX_ROWS,
    *,
    freeze: bool = False,
    max_seconds: float = LIMITS.read_seconds,
    progress: Callable[[str, int, int | None], None] | None = None,
):
    """(Excel row number, {column key: raw cell}) for every non-empty row of the first sheet, the columns found and
    how many rows were skipped as examples (marked in ``EXAMPLE_COLUMN``).

    Pass the file through ``check_upload`` first: its limits are what make reading it safe. Reading stops with an
    ImportFileError after ``max_seconds``. ``freeze``: move the rows read out of the garbage collector's sight at
    intervals (the caller unfreezes). ``progress("reading", rows read, None)`` is called every few hundred rows.
    """
    if is_csv(file):
        wb = None
        rows = iter(csv_rows(file))
    else:
        try:
            wb = load_workbook(file, read_only=True, data_only=True, keep_links=False)
        except UNREADABLE as error:  # zipfile, XML and openpyxl errors all mean the same to the user
            raise ImportFileError(_("This file is not an Excel workbook (.xlsx), or it is damaged.")) from error
    deadline = monotonic() + max_seconds
    try:
        if wb is not None:
            ws = wb.worksheets[0]
            ws.reset_dimensions()  # some writers store a wrong size; read what is there
            rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or not any(v not in (None, "") for v in header):
            raise ImportFileError(_("The first sheet is empty: row 1 must hold the column headers."))
        positions = map_headers(header, columns)
        mark = next((i for i, column in positions.items() if column is EXAMPLE_COLUMN), None)
        if mark is not None:
            del positions[mark]
        examples = 0
        out = []
        for number, values in enumerate(rows, start=2):
            if not number % PROGRESS_EVERY:
                if monotonic() >= deadline:
                    raise ImportFileError(
                        _("Reading the sheet took more than %(limit)s seconds; split it into smaller files.")
                        % {"limit": f"{max_seconds:,.0f}"}
                    )
                if progress is not None:
                    progress("reading", len(out), None)
            if not values or all(_blank(v) for v in values):
                continue
            if mark is not None and mark < len(values) and not _blank(values[mark]):
                examples += 1
                continue
            if freeze and len(out) % FREEZE_ROWS == 0:
                gc.freeze()
            if len(out) >= max_rows:
                raise ImportFileError(
                    _("The sheet has more than %(limit)s rows; import at most %(limit)s at once.")
                    % {"limit": f"{max_rows:,}"}
                )
            out.append((number, {col.key: values[i] if i < len(values) else None for i, col in positions.items()}))
        return out, list(positions.values()), examples
    except UNREADABLE as error:
        raise ImportFileError(_("This file is not an Excel workbook (.xlsx), or it is damaged.")) from error
    finally:
        if wb is not None:
            wb.close()


# --- CSV: read like the first sheet of a workbook (every cell as text) -------------------------------------------

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 with or without its BOM, else the Chinese national encoding


def is_csv(file) -> bool:
    return (getattr(file, "name", "") or "").lower().endswith(".csv")


def csv_text(file) -> str:
    """The text of a CSV upload: UTF-8 (with or without a BOM), else GB18030 (what Excel in Chinese saves)."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    if isinstance(data, str):
        return data
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("This CSV file is neither UTF-8 nor GB18030 text; save it as “CSV UTF-8” and try again."))


def csv_rows(file) -> list[tuple]:
    """The rows of a CSV upload as tuples of text, empty cells as None."""
    try:
        reader = csv.reader(io.StringIO(csv_text(file), newline=""))
        return [tuple(value if value != "" else None for value in row) for row in reader]
    except csv.Error as error:
        raise ImportFileError(_("This CSV file cannot be read: %(error)s") % {"error": error}) from error


def csv_facts(file, limits: Limits = LIMITS, *, stop_after_rows: int | None = None) -> Facts:
    """``check_upload``'s facts of a CSV upload (its size is checked already): rows, cells and columns, the
    column and text limits of a workbook held."""
    rows = csv_rows(file)
    columns = max((len(row) for row in rows), default=0)
    if columns > limits.columns:
        raise ImportFileError(
            _("The file has %(count)s columns; at most %(limit)s can be imported.")
            % {"count": f"{columns:,}", "limit": f"{limits.columns:,}"}
        )
    for number, row in enumerate(rows, start=1):
        if any(value is not None and len(value) > limits.text_chars for value in row):
            raise ImportFileError(
                _("Row %(row)s holds a cell longer than %(limit)s characters.")
                % {"row": number, "limit": f"{limits.text_chars:,}"}
            )
    filled = [row for row in rows if any(value is not None for value in row)]
    complete = stop_after_rows is None or len(filled) <= stop_after_rows
    return Facts(rows=len(filled), cells=sum(len(row) for row in filled), columns=columns, complete=complete)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def import_workbook(
    file,
    columns: Sequence[Column],
    make_form: Callable[[dict], forms.BaseForm],
    save_row: Callable[[forms.BaseForm], str] | None = None,
    *,
    save_rows: Callable[[list[tuple[int, forms.BaseForm]]], dict] | None = None,
    prepare: Callable[[list[dict], list[Column]], None] | None = None,
    key: str | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
    limits: Limits = LIMITS,
    progress: Callable[[str, int, int | None], None] | None = None,
    plan: Callable[[int, forms.BaseForm], PlannedRow] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Validate every row of the workbook's first sheet, then save all of them or none.

    ``make_form(data)`` builds the form of one row from ``{form field: value}`` (only the
    columns present in the file). ``save_row(form)`` saves one valid row and returns
    "created", "updated" or "unchanged"; ``save_rows([(row, form), …])`` may save them all
    at once and returns the counts. Both run in one transaction: an exception rolls back
    everything and is reported with its row (when ``save_rows`` fails with a database error,
    the rows are saved again one by one in a transaction that is always rolled back, to find
    the row). ``prepare(datas, columns)`` sees every row's data before the first form is built
    (to preload, in a few queries, what the rows refer to). ``key`` names a column whose
    values must be unique in the file. The file is checked against ``limits`` before it is read.
    ``progress(phase, done, total)`` hears how far the import is: "reading" (rows read; no total yet),
    "checking" (rows validated of all rows) and "saving" (once, before the transaction).
    ``plan(row, form)`` describes each valid row (``ImportResult.plan``) while every row so far is valid;
    ``dry_run``: check and plan only, save nothing (the counts are the plan's).
    """
    # The rows, their records and forms live until the import ends: at intervals they are moved out of the
    # garbage collector's sight (its full passes over millions of them would cost a fifth of a large import),
    # and its young generation is collected less often. Garbage is freed as usual; the objects are handed back
    # and the thresholds restored at the end. Not done where something else froze objects.
    freezing = gc.get_freeze_count() == 0
    thresholds = gc.get_threshold()
    if freezing:
        gc.set_threshold(max(thresholds[0], YOUNG_THRESHOLD), *thresholds[1:])
    try:
        return _import_workbook(
            file,
            columns,
            make_form,
            save_row,
            save_rows,
            prepare,
            key,
            max_rows,
            max_bytes,
            limits=limits,
            progress=progress or _no_progress,
            freezing=freezing,
            plan=plan,
            dry_run=dry_run,
        )
    finally:
        if freezing:
            gc.set_threshold(*thresholds)
            gc.unfreeze()


def _no_progress(phase: str, done: int, total: int | None) -> None:
    pass


def _import_workbook(
    file,
    columns,
    make_form,
    save_row,
    save_rows,
    prepare,
    key,
    max_rows,
    max_bytes,
    *,
    limits,
    progress,
    freezing,
    plan=None,
    dry_run=False,
) -> ImportResult:
    result = ImportResult(dry_run=dry_run)
    try:
        check_upload(file, max_bytes, limits=limits)
        rows, present, result.examples = read_rows(
            file, columns, max_rows, freeze=freezing, max_seconds=limits.read_seconds, progress=progress
        )
    except ImportFileError as error:
        result.add(None, "", str(error))
        return result
    result.rows = len(rows)
    if not rows:
        if result.examples:
            result.add(
                None,
                "",
                _(
                    "The sheet holds only the template's example, which is never imported: write your records in "
                    "the rows below it, leaving the column “%(column)s” empty."
                )
                % {"column": force_str(EXAMPLE_COLUMN.header)},
            )
        else:
            result.add(None, "", _("The sheet has headers but no rows to import."))
        return result

    by_field = {c.form_field: c for c in present}
    choice_maps = {c.key: c.choice_map() for c in present if c.choices is not None}
    key_column = next((c for c in present if c.key == key), None)
    parsed = []
    for index, (number, cells) in enumerate(rows):
        if freezing and index % FREEZE_ROWS == 0:
            gc.freeze()
        data = {}
        bad_fields = set()
        for column in present:
            try:
                data[column.form_field] = column.import_value(cells[column.key], choice_maps.get(column.key))
            except ValidationError as error:
                bad_fields.add(column.form_field)
                data[column.form_field] = ""
                for message in error.messages:
                    result.add(number, column.header, message)
        parsed.append((number, data, bad_fields))
    del rows
    if key_column is not None:
        _check_unique_keys(parsed, key_column, result)
    if prepare is not None:
        prepare([data for _number, data, _bad in parsed], present)

    valid: list[tuple[int, forms.BaseForm]] = []
    total = len(parsed)
    for index, (number, data, bad_fields) in enumerate(parsed):
        parsed[index] = None  # tens of thousands of rows: keep only what saving needs
        if freezing and index % FREEZE_ROWS == 0:
            gc.freeze()
        if not index % PROGRESS_EVERY:
            progress("checking", index, total)
        form = make_form(data)
        if form.is_valid() and not bad_fields:
            form._bound_fields_cache = {}
            form.initial = {}
            if result.ok:  # after the first error nothing will be saved: keep no form
                valid.append((number, form))
                if plan is not None:
                    result.plan.append(plan(number, form))
            continue
        for name, field_messages in form.errors.items():
            if name in bad_fields:
                continue  # the cell could not be read: that message is already there
            column = by_field.get(name)
            header = column.header if column is not None else ("" if name == NON_FIELD_ERRORS else name)
            for message in field_messages:
                result.add(number, header, message)
    if not result.ok:
        result.errors.sort(key=lambda e: e.row or 0)
        return result
    if dry_run:
        for planned in result.plan:
            setattr(result, planned.action, getattr(result, planned.action) + 1)
        return result
    if freezing:
        gc.freeze()
    progress("saving", total, total)
    _save(valid, save_row, save_rows, result)
    return result


def _check_unique_keys(parsed, column: Column, result: ImportResult) -> None:
    seen: dict[str, int] = {}
    for number, data, _bad in parsed:
        value = normalize_header(data.get(column.form_field))
        if not value:
            continue
        if value in seen:
            result.add(
                number,
                column.header,
                _("“%(value)s” is already in row %(row)d.") % {"value": data[column.form_field], "row": seen[value]},
            )
        else:
            seen[value] = number


def _save(valid, save_row, save_rows, result: ImportResult) -> None:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    try:
        with transaction.atomic():
            if save_rows is not None:
                counts.update(save_rows(valid))
            else:
                for number, form in valid:
                    counts[_save_one(save_row, number, form)] += 1
    except RowSaveError as error:
        result.add(error.row, error.column, error.message)
        return
    except DatabaseError as error:
        if save_row is None:
            result.add(None, "", _("Nothing was saved: %(error)s") % {"error": error})
            return
        result.add(*_locate_failure(valid, save_row, error))
        return
    result.created, result.updated, result.unchanged = counts["created"], counts["updated"], counts["unchanged"]


def _save_one(save_row, number: int, form) -> str:
    """Save one row; any failure becomes a RowSaveError naming the row."""
    try:
        return save_row(form)
    except RowSaveError as error:
        error.row = error.row or number
        raise
    except ValidationError as error:
        raise RowSaveError(number, " ".join(error.messages)) from error
    except Exception as error:
        raise RowSaveError(number, _("Could not be saved: %(error)s") % {"error": error}) from error


def _locate_failure(valid, save_row, error) -> tuple:
    """Save the rows one by one, in a transaction that is always rolled back, to name the row that fails."""
    found = (None, "", _("Nothing was saved: %(error)s") % {"error": error})
    try:
        with transaction.atomic():
            for number, form in valid:
                try:
                    with transaction.atomic():
                        _save_one(save_row, number, form)
                except RowSaveError as row_error:
                    found = (row_error.row, row_error.column, row_error.message)
                    break
            transaction.set_rollback(True)
    except DatabaseError:  # pragma: no cover - the rollback itself failed; the generic message stands
        pass
    return found


# --- forms for import rows --------------------------------------------------------------------------------------


class _SharedFields(dict):
    """Form fields shared by every row's form: a form copies its fields; these are returned as they are."""

    def __deepcopy__(self, memo):
        return self


class ImportFormMixin:
    """A model form for import rows: no per-row copy of its fields, no per-row query.

    Uniqueness and database constraints are not checked row by row (each check is a query);
    the importer checks keys across the file, and ``clean_constraints`` checks the rest in Python.
    Build the class once per import with ``import_form_class``.
    """

    def _clean_fields(self):
        """Django's, without building a BoundField for every cell (a row's fields are neither disabled nor files)."""
        for name, form_field in self.fields.items():
            try:
                if form_field.disabled or isinstance(form_field, forms.FileField):
                    value = form_field._clean_bound_field(self[name])
                else:
                    data = form_field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                    value = form_field.clean(data)
                self.cleaned_data[name] = value
                clean_field = getattr(self, f"clean_{name}", None)
                if clean_field is not None:
                    self.cleaned_data[name] = clean_field()
            except ValidationError as error:
                self.add_error(name, error)

    def _post_clean(self):
        from django.forms.models import construct_instance

        opts = self._meta
        exclude = self._get_validation_exclusions()
        # A record found through a LookupField exists: the model's check would ask the database again.
        exclude.update(name for name, field in self.fields.items() if isinstance(field, LookupField))
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as error:
            self._update_errors(error)
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            # A field the form already refused is empty on the record: the model's rule about it says it again.
            if hasattr(error, "error_dict"):
                kept = {k: v for k, v in error.error_dict.items() if k not in self._errors}
                if kept:
                    self._update_errors(ValidationError(kept))
            else:
                self._update_errors(error)
        try:
            self.clean_constraints()
        except ValidationError as error:
            self._update_errors(error)
        importer = getattr(self, "importer", None)
        if importer is not None:
            for name, message in importer.row_errors(self).items():
                self.add_error(name if name in self.fields else None, message)

    def clean_constraints(self):
        """Check the model's constraints in Python (override per model)."""

    def validate_unique(self):
        pass


def import_form_class(base: type[forms.ModelForm], model, fields: Iterable[str], overrides: dict | None = None):
    """A model form class of ``base`` for exactly ``fields``, whose field instances are shared across rows.

    ``overrides`` declares fields for this import only (look-ups filled from preloaded records).
    """
    fields = list(fields)
    overrides = dict(overrides or {})
    model_fields = [name for name in fields if name not in overrides and not _declared(base, name)]
    meta = type("Meta", (), {"model": model, "fields": model_fields + [n for n in fields if n not in model_fields]})
    cls = type(f"{base.__name__}Import", (base,), {"Meta": meta, **overrides})
    cls.base_fields = _SharedFields({name: f for name, f in cls.base_fields.items() if name in fields})
    return cls


def _declared(form_class, name: str) -> bool:
    return name in getattr(form_class, "declared_fields", {})


class Lookup:
    """Preloaded records found by any of several attributes (code, Chinese name, English name), without queries."""

    AMBIGUOUS = object()

    def __init__(self, records: Iterable, *attributes: str):
        self.by_key: dict[str, Any] = {}
        self.records = list(records)
        for record in self.records:
            for attribute in attributes:
                value = normalize_header(getattr(record, attribute, "") or "")
                if not value:
                    continue
                current = self.by_key.get(value)
                if current is None:
                    self.by_key[value] = record
                elif current is not record:
                    self.by_key[value] = self.AMBIGUOUS

    def get(self, value):
        return self.by_key.get(normalize_header(value))


class LookupField(forms.Field):
    """A form field whose value names a record of a ``Lookup`` (a district by code or name, a team by name, …)."""

    default_error_messages = {
        "unknown": gettext_lazy("“%(value)s” is not known."),
        "ambiguous": gettext_lazy("“%(value)s” names more than one record; use its code or full name."),
    }

    def __init__(self, lookup: Lookup, *, unknown_message=None, **kwargs):
        super().__init__(**kwargs)
        self.lookup = lookup
        if unknown_message is not None:
            self.error_messages["unknown"] = unknown_message

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "_meta"):
            return value
        found = self.lookup.get(value)
        if found is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"value": value})
        if found is Lookup.AMBIGUOUS:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"value": value})
        return found

    def __deepcopy__(self, memo):  # the look-up is shared, not copied
        result = super().__deepcopy__(memo)
        result.lookup = self.lookup
        return result


# --- saving many records with their audit -----------------------------------------------------------------------


@dataclass
class Pending:
    """A record to save: new (``before`` None) or loaded and changed in memory (``loaded_state`` taken before)."""

    row: int
    obj: Any
    before: dict | None = None
    version: int | None = None
    search_values: list | None = None


def loaded_state(obj) -> dict:
    """What ``bulk_save`` needs to know of a record as it was read: its snapshot, version and search values."""
    values = obj.search_values() if hasattr(obj, "search_values") else None
    return {"before": audit.snapshot(obj), "version": obj.version, "search_values": list(values) if values else None}


def bulk_save(model, pending: Sequence[Pending], *, batch_size: int = SAVE_BATCH) -> dict:
    """Insert the new records and update the changed ones in batches, as ``save()`` would, audited.

    New records get ``created_by`` (the current actor) and, for a SearchableModel, their
    ``search_text``; changed ones get ``version + 1``, ``updated`` and a refreshed search text,
    after checking inside the transaction that nobody saved them since they were read
    (``RowSaveError`` with the row otherwise). Each record gets one ChangeRecord with the
    same content the audit signals write. Records without a change are left alone.
    Returns {"created": n, "updated": n, "unchanged": n}; call it inside a transaction.
    """
    from .models import ChangeRecord, SearchableModel

    searchable = issubclass(model, SearchableModel)
    actor = current_actor()
    new = [p for p in pending if p.before is None]
    changed: list[tuple[Pending, list[str], dict]] = []
    unchanged = 0
    for p in pending:
        if p.before is None:
            continue
        after = audit.snapshot(p.obj)
        fields = audit.changes(p.before, after)
        if fields:
            changed.append((p, fields, after))
        else:
            unchanged += 1

    records = []
    now = timezone.now()
    memo: dict[str, frozenset] = {}
    for start in range(0, len(new), batch_size):
        batch = new[start : start + batch_size]
        objs = []
        for p in batch:
            if actor is not None and actor.user_id is not None and p.obj.created_by_id is None:
                p.obj.created_by_id = actor.user_id
            if searchable:
                p.obj.search_text = _search_text(p.obj.search_values(), memo)
            objs.append(p.obj)
        _insert(model, objs)
        for obj in objs:
            after = audit.snapshot(obj)
            records.append(audit.change_record(obj, ChangeKind.CREATE, None, after, sorted(after)))
        _insert(ChangeRecord, records)
        records = []

    for start in range(0, len(changed), batch_size):
        batch = changed[start : start + batch_size]
        pks = [p.obj.pk for p, _f, _a in batch]
        current = dict(model._base_manager.select_for_update().filter(pk__in=pks).values_list("pk", "version"))
        for p, _fields, _after in batch:
            if current.get(p.obj.pk) != p.version:
                raise RowSaveError(
                    p.row,
                    _("Someone else changed or deleted %(object)s during the import; nothing was saved. Import again.")
                    % {"object": p.obj},
                )
        updates = []
        for p, fields, after in batch:
            p.obj.version = p.version + 1
            p.obj.updated = now
            refresh = searchable and (p.search_values is None or list(p.obj.search_values()) != p.search_values)
            if refresh:
                p.obj.search_text = _search_text(p.obj.search_values(), memo)
            updates.append((p.obj, _columns_of(model, fields, refresh)))
            records.append(
                audit.change_record(
                    p.obj,
                    ChangeKind.UPDATE,
                    {k: p.before.get(k) for k in fields},
                    {k: after[k] for k in fields},
                    fields,
                )
            )
        _update_rows(model, updates)
        _insert(ChangeRecord, records)
        records = []

    if new or changed:
        generations.bulk_saved.send(sender=model, using=model._base_manager.db)
    return {"created": len(new), "updated": len(changed), "unchanged": unchanged}


class ModelImporter:
    """Imports one model from a workbook: a key column finds the record to update, a new key creates one.

    Subclasses set ``model``, ``columns``, ``key`` (a column whose form field is a model field),
    ``form_class`` (an ``ImportFormMixin`` model form) and may override ``field_overrides``
    (look-up fields over preloaded records), ``preload`` and ``after_save``/``after_bulk_save``
    (related rows). Records the user may not change are refused row by row; everything is
    validated before anything is saved, and saved in bulk with its audit records.
    """

    model = None
    columns: Sequence[Column] = ()
    key: str = ""
    form_class: type[forms.ModelForm] | None = None
    title = ""

    def __init__(self, user):
        self.user = user
        self.existing: dict[str, Any] = {}
        self.writable: set = set()
        self.states: dict[Any, dict] = {}
        self.form: type[forms.ModelForm] | None = None
        self.taken: dict[str, dict[Any, Any]] = {}  # unique field → value → pk of the record holding it (or a row)

    # hooks ---------------------------------------------------------------------------------------------------

    def field_overrides(self, present: Sequence[Column]) -> dict:
        return {}

    def preload(self, datas: list[dict], present: Sequence[Column]) -> None:
        """Load what the rows refer to; by default, the records their keys name (and which the user may change)."""
        from .choices import Action

        key_field = self.key_field
        keys = sorted({str(d.get(key_field)).strip() for d in datas if d.get(key_field) not in (None, "")})
        for start in range(0, len(keys), 900):
            chunk = keys[start : start + 900]
            for obj in self.queryset().filter(**{f"{key_field}__in": chunk}):
                self.existing[str(getattr(obj, key_field))] = obj
            self.writable.update(
                self.model.objects.restrict(self.user, Action.CHANGE)
                .filter(**{f"{key_field}__in": chunk})
                .values_list("pk", flat=True)
            )

    def queryset(self):
        return self.model._base_manager.all()

    @property
    def unique_fields(self) -> list[str]:
        """Unique columns besides the key: checked across the file and against the database without a query per row."""
        return [
            f.name
            for f in self.model._meta.concrete_fields
            if f.unique and not f.primary_key and f.name != self.key_field
        ]

    def preload_unique(self, datas: list[dict]) -> None:
        for name in self.unique_fields:
            values = sorted({str(d[name]).strip() for d in datas if d.get(name) not in (None, "")})
            taken = self.taken.setdefault(name, {})
            for start in range(0, len(values), 900):
                rows = self.model._base_manager.filter(**{f"{name}__in": values[start : start + 900]})
                taken.update((str(value), pk) for value, pk in rows.values_list(name, "pk"))

    def row_errors(self, form) -> dict:
        """Problems of one row that need more than its own values: rights, uniqueness across file and database."""
        errors = {}
        obj = form.instance
        if obj.pk is not None:
            message = self.refusal(obj)
            if message:
                errors[self.key_field] = message
        for name in self.unique_fields:
            if name not in form.fields or name in form.errors:
                continue
            value = getattr(obj, name)
            if value in (None, ""):
                continue
            holder = self.taken.setdefault(name, {}).get(str(value))
            mine = obj.pk if obj.pk is not None else ("row", id(form))
            if holder is not None and holder != mine:
                label = self.model._meta.get_field(name).verbose_name
                errors[name] = _("Another record (or an earlier row) already has this %(field)s: %(value)s.") % {
                    "field": label,
                    "value": value,
                }
            else:
                self.taken[name][str(value)] = mine
        return errors

    def refusal(self, obj) -> str | None:
        """Why the user may not change this existing record (None when they may)."""
        if obj.pk in self.writable:
            return None
        return _("You may not change %(object)s.") % {"object": obj}

    def after_save(self, form, created: bool) -> bool:
        """Save related rows of one saved record; return whether anything changed."""
        return False

    def after_bulk_save(self, items: list[tuple[int, forms.BaseForm, bool]]) -> set:
        """Save related rows of all records at once; return the pks of records whose related rows changed."""
        return set()

    # machinery -----------------------------------------------------------------------------------------------

    @property
    def key_field(self) -> str:
        return next(c.form_field for c in self.columns if c.key == self.key)

    def prepare_bulk(self, obj) -> None:
        """Do to a record what its model's ``save()`` does beyond BaseModel and SearchableModel (bulk saving skips it).

        An importer of a model with its own ``save()`` must override this, or its rows are saved one by one.
        """
        raise NotImplementedError

    def can_bulk_save(self) -> bool:
        from .models import BaseModel, SearchableModel

        own_save = self.model.save not in (BaseModel.save, SearchableModel.save)
        return not own_save or type(self).prepare_bulk is not ModelImporter.prepare_bulk

    def run(
        self, file, progress: Callable[[str, int, int | None], None] | None = None, *, dry_run: bool = False
    ) -> ImportResult:
        """Import the workbook; ``dry_run``: check every row and say what saving would do (``plan``), save nothing."""
        return import_workbook(
            file,
            self.columns,
            self.make_form,
            self.save_row,
            save_rows=self.save_rows if self.can_bulk_save() else None,
            prepare=self._prepare,
            key=self.key,
            progress=progress,
            plan=self.plan if dry_run else None,
            dry_run=dry_run,
        )

    def plan(self, row: int, form) -> PlannedRow:
        """What saving this valid row will do: create a record, change some of its fields, or nothing."""
        obj = form.instance
        if obj.pk is None:
            return PlannedRow(row, "created", str(obj))
        before = self.states[obj.pk]["before"]
        fields = audit.changes(before, audit.snapshot(obj))
        return PlannedRow(
            row,
            "updated" if fields else "unchanged",
            str(obj),
            record=before.get("name", str(obj)) if isinstance(before.get("name"), str) else str(obj),
            record_url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            changes=tuple(force_str(self.model._meta.get_field(name).verbose_name) for name in fields),
        )

    def _prepare(self, datas, present):
        self.preload(datas, present)
        self.preload_unique(datas)
        self.form = import_form_class(
            self.form_class, self.model, [c.form_field for c in present], self.field_overrides(present)
        )

    @cached_property
    def defaults(self) -> dict:
        """Fields a blank cell leaves at the model's default (a required choice such as a status)."""
        return {
            f.name: f.get_default()
            for f in self.model._meta.concrete_fields
            if f.has_default() and not f.blank and not f.primary_key
        }

    def make_form(self, data: dict):
        for name, value in data.items():
            if value == "" and name in self.defaults:
                data[name] = self.defaults[name]
        obj = self.existing.get(str(data.get(self.key_field, "")).strip())
        if obj is not None and obj.pk not in self.states:
            self.states[obj.pk] = loaded_state(obj)
        form = self.form(data, instance=obj if obj is not None else self.model())
        form.importer = self
        return form

    def save_row(self, form) -> str:
        from .models import ConflictError

        created = form.instance.pk is None
        before = None if created else self.states[form.instance.pk]["before"]
        unchanged = not created and not audit.changes(before, audit.snapshot(form.instance))
        try:
            if not unchanged:
                form.save()
            related = self.after_save(form, created)
        except ConflictError as error:
            message = _("Someone else changed %(object)s during the import; nothing was saved. Import again.")
            raise RowSaveError(0, message % {"object": error.obj}) from error
        if created:
            return "created"
        return "unchanged" if unchanged and not related else "updated"

    def save_rows(self, valid) -> dict:
        if type(self).prepare_bulk is not ModelImporter.prepare_bulk:
            for _row, form in valid:
                self.prepare_bulk(form.instance)
        pending = [
            Pending(row, form.instance, **(self.states[form.instance.pk] if form.instance.pk else {}))
            for row, form in valid
        ]
        counts = bulk_save(self.model, pending)
        created_pks = {p.obj.pk for p in pending if p.before is None}
        related = self.after_bulk_save([(row, form, form.instance.pk in created_pks) for row, form in valid])
        moved = {p.obj.pk for p in pending if p.before is not None and p.obj.pk in related}
        unchanged_pks = {
            p.obj.pk for p in pending if p.before is not None and p.obj.version == p.version
        }  # bulk_save left these alone
        extra = len(moved & unchanged_pks)
        counts["updated"] += extra
        counts["unchanged"] -= extra
        return counts


def _search_text(values, memo: dict) -> str:
    """``search.build_search_text(*values)``, remembering the terms of each text (districts, parks and
    descriptions repeat across thousands of rows; the terms of several texts are the union of each one's)."""
    terms: set[str] = set()
    for value in values:
        if not value:
            continue
        found = memo.get(value)
        if found is None:
            found = memo[value] = frozenset(search.index_terms(value))
        terms |= found
    return f" {' '.join(sorted(terms))} " if terms else ""


def _columns_of(model, fields, searchable: bool) -> tuple:
    names = {model._meta.get_field(name).name for name in fields} | {"version", "updated"}
    if searchable:
        names.add("search_text")
    return tuple(sorted(names))


# Column types whose plain Python values the database drivers take as they are: for these, ``get_db_prep_save``
# of a value of exactly these types returns it unchanged, so ``_insert`` skips the call.
_PLAIN_TYPES = {
    "CharField": (str,),
    "TextField": (str,),
    "SlugField": (str,),
    "BooleanField": (bool,),
    **dict.fromkeys(
        (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ),
        (int,),
    ),
}


_REPEATED_TYPES = {"DateField", "DateTimeField", "TimeField", "DecimalField"}


def _plain_types(field) -> tuple:
    """The value types ``field`` stores unchanged (None always); () when each value must be prepared."""
    from django.db.models import ForeignKey

    if isinstance(field, ForeignKey):
        return _plain_types(field.target_field)
    kind = type(field)
    prepared = (kind.to_python, kind.get_prep_value, kind.get_db_prep_value, kind.get_db_prep_save)
    if any(not method.__module__.startswith("django.db.models.fields") for method in prepared):
        return ()  # a field of its own: let it prepare its values
    return (type(None), *_PLAIN_TYPES.get(field.get_internal_type(), ()))


def _preparer(field, connection) -> Callable[[Any], Any]:
    """``field.get_db_prep_save`` for ``connection``; remembering each value's result for dates, times and amounts,
    which repeat (every record of an import has the same creation time)."""
    if field.get_internal_type() not in _REPEATED_TYPES:
        return functools.partial(field.get_db_prep_save, connection=connection)
    memo = {}

    def prepare(value):
        key = (type(value), value)
        prepared = memo.get(key, memo)
        if prepared is memo:
            prepared = memo[key] = field.get_db_prep_save(value, connection)
        return prepared

    return prepare


def _insert(model, objs: list) -> None:
    """INSERT new records, many rows a statement, and give them their primary keys: ``bulk_create`` without its
    general machinery (expressions, conflicts, parents), which costs more than the database for tens of
    thousands of rows. Values of text, number and key columns are sent as they are; others are prepared by
    their field. Falls back to ``bulk_create`` where that shortcut does not apply."""
    from django.db import connections, router
    from django.db.models import NOT_PROVIDED, DateField, DateTimeField
    from django.db.models.fields import AutoFieldMixin

    if not objs:
        return
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in meta.concrete_fields if not f.generated]
    if (
        meta.parents
        or not isinstance(meta.pk, AutoFieldMixin)
        or not connection.features.can_return_rows_from_bulk_insert
        or any(obj.pk is not None for obj in objs)
        or any(f.db_default is not NOT_PROVIDED or hasattr(f, "get_placeholder") for f in fields)
    ):
        model._base_manager.bulk_create(objs)
        return
    fields = [f for f in fields if f is not meta.pk]
    now = timezone.now()
    stamped = [f for f in fields if isinstance(f, DateField) and (f.auto_now or f.auto_now_add)]
    at_now = [f for f in stamped if isinstance(f, DateTimeField)]  # one time for all, as one save() would give
    stamped = [f for f in stamped if f not in at_now]
    relations = [f for f in fields if f.is_relation]
    plain = [_plain_types(f) for f in fields]
    preparers = [_preparer(f, connection) for f in fields]
    values_of = operator.attrgetter(*[f.attname for f in fields])
    rows = []
    for obj in objs:
        for f in at_now:
            setattr(obj, f.attname, now)
        for f in stamped:
            f.pre_save(obj, True)
        for f in relations:  # a related record saved after it was assigned: take its key now
            if getattr(obj, f.attname) is None and f.is_cached(obj):
                related = f.get_cached_value(obj)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{model.__name__}.{f.name}: the related record is not saved.")
                    setattr(obj, f.attname, related.pk)
        values = values_of(obj) if len(fields) > 1 else (values_of(obj),)
        rows.append(
            [
                value if type(value) in types else prepare(value)
                for value, types, prepare in zip(values, plain, preparers, strict=True)
            ]
        )
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql" and _copy(connection, meta, objs, rows, table, columns):
        for obj in objs:
            obj._state.adding = False
            obj._state.db = using
        return
    marks = f"({', '.join(['%s'] * len(fields))})"
    returning = f"{table}.{quote(meta.pk.column)}"
    size = max(min(connection.ops.bulk_batch_size(fields, objs), SAVE_BATCH), 1)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([marks] * len(chunk))} RETURNING {returning}"
            cursor.execute(sql, [value for row in chunk for value in row])
            for obj, (pk,) in zip(objs[start : start + size], cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = using


def _copy(connection, meta, objs: list, rows: list, table: str, columns: str) -> bool:
    """PostgreSQL: the records' keys drawn from their table's sequence, then all rows sent by one COPY (far
    cheaper than INSERT statements for both sides). False, having done nothing, when the key has no sequence."""
    pk = meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objs)],
        )
        keys = [key for (key,) in cursor.fetchall()]
        if None in keys:
            return False
        keys.sort()  # in the order of the records, as INSERT would number them
        with cursor.copy(f"COPY {table} ({connection.ops.quote_name(pk.column)}, {columns}) FROM STDIN") as copy:
            for key, obj, row in zip(keys, objs, rows, strict=True):
                obj.pk = key
                copy.write_row((key, *row))
    return True


def _update_rows(model, rows: list[tuple[Any, tuple[str, ...]]]) -> None:
    """UPDATE each record's columns, one prepared statement per set of columns (executemany)."""
    from django.db import connections, router

    using = router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    groups: dict[tuple[str, ...], list] = {}
    for obj, names in rows:
        groups.setdefault(names, []).append(obj)
    pk = model._meta.pk
    for names, objs in groups.items():
        fields = [model._meta.get_field(name) for name in names]
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"
        params = [
            [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
            + [pk.get_db_prep_save(obj.pk, connection)]
            for obj in objs
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


# --- the error report -------------------------------------------------------------------------------------------


def error_report(errors: Iterable[RowError | Sequence], title=None) -> Workbook:
    """The errors of an import as a workbook: row, column, message."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(title or _("Import errors")))
    for letter, width in zip("ABC", (10, 24, 80), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.append([_styled(ws, text, bold=True) for text in (_("Row"), _("Column"), _("Error"))])
    for error in errors:
        row, column, message = error.as_list() if isinstance(error, RowError) else error
        ws.append([sheet_value(ws, excel_value(v)) for v in (row if row is not None else _("file"), column, message)])
    return wb


def remember_report(request, result: ImportResult, title) -> str:
    """Keep the errors of the user's last import in their session; returns its token."""
    token = uuid.uuid4().hex
    request.session[SESSION_KEY] = {
        "token": token,
        "title": force_str(title),
        "errors": [e.as_list() for e in result.errors],
        "unlisted": result.unlisted_errors,
    }
    return token


def report_response(request, token: str | None = None) -> HttpResponse | None:
    """The last error report of this session as a download; None when there is none (or another token is asked)."""
    report = request.session.get(SESSION_KEY)
    if not report or (token and report.get("token") != token):
        return None
    return report_download(report["errors"], report.get("unlisted", 0), report["title"])


def report_download(errors: Sequence, unlisted: int, title) -> HttpResponse:
    """Errors kept as [row, column, message] (in a session or an import job) as the report to download."""
    errors = list(errors)
    if unlisted:
        errors.append(
            [
                None,
                "",
                _("%(count)d more errors are not listed; correct these and import again.") % {"count": unlisted},
            ]
        )
    wb = error_report(errors, _("Import errors"))
    return workbook_response(wb, f"{title}-{_('errors')}.xlsx")


# --- pages ------------------------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx or .csv)"),
        help_text=gettext_lazy(
            "At most 10 MB and 100,000 rows; the first sheet is read. A CSV file is read as UTF-8 or GB18030."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )

    facts: Facts | None = None

    def clean_file(self):
        """The file within the limits; ``facts`` says whether it is small enough to import in the request
        (``ZHAOSHANG_IMPORT_INLINE_ROWS`` rows at most; the scan of a larger one stops there)."""
        file = self.cleaned_data["file"]
        try:
            self.facts = check_upload(file, stop_after_rows=settings.ZHAOSHANG_IMPORT_INLINE_ROWS + 1)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return file


class TemplateView(LoginRequiredMixin, View):
    """The import template of ``model``'s ``columns`` with its ``examples`` rows, named in the user's language
    (signed-in users; ``has_permission`` narrows it)."""

    model = None
    columns: list = []
    examples: list = []

    def has_permission(self, request) -> bool:
        return True

    def get(self, request):
        if not self.has_permission(request):
            raise PermissionDenied
        name = self.model._meta.verbose_name_plural
        return workbook_response(template_workbook(self.columns, self.examples, title=name), template_filename(name))


class ImportView(View):
    """Upload a workbook → every row validated → all saved, or nothing and a row-by-row error report.

    Set ``importer_class`` (a ModelImporter), ``list_url_name`` and ``template_url_name``;
    ``has_permission`` defaults to the model's ``can_add``. ``?report=<token>`` downloads
    the error report of the user's last import.
    """

    importer_class: type[ModelImporter] | None = None
    template_name = "core/import.html"
    list_url_name = ""
    template_url_name = ""
    # Check the file first and show what it will do (new, changed and unchanged records, possible duplicates); the
    # upload is kept until the user confirms it, then imported as usual. A file too large to import in the request
    # is imported in the background without a preview.
    preview = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self) -> bool:
        return self.importer_class.model.can_add(self.request.user)

    def get(self, request, *args, **kwargs):
        token = request.GET.get("report")
        if token:
            response = report_response(request, token)
            if response is None:
                raise Http404
            return response
        return self.render(UploadForm())

    def post(self, request, *args, **kwargs):
        if self.preview and request.POST.get("preview"):
            return self.confirm(request, request.POST["preview"])
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        if not form.facts.complete:  # a large file: imported in the background, followed on the job's page
            from . import import_jobs

            job = import_jobs.start(
                request.user,
                self.importer_class,
                form.cleaned_data["file"],
                title=self.title,
                list_url=reverse(self.list_url_name) if self.list_url_name else "",
            )
            return redirect(job)
        if self.preview:
            return self.check(request, form.cleaned_data["file"])
        return self.finish(request, self.importer_class(request.user).run(form.cleaned_data["file"]))

    def check(self, request, upload):
        """The dry run of a preview: the plan and a confirmation holding the kept upload, or the errors."""
        result = self.importer_class(request.user).run(upload, dry_run=True)
        if not result.ok:
            return self.finish(request, result)
        upload.seek(0)
        token = keep_preview(request, self.importer_class, upload)
        return self.render(UploadForm(), result=result, preview_token=token)

    def confirm(self, request, token: str):
        """Import the upload the user saw the preview of (checked again: the records may have changed since)."""
        kept = take_preview(request, self.importer_class, token)
        if kept is None:
            messages.error(request, _("This preview has expired or was already imported; upload the file again."))
            return self.render(UploadForm(), status=400)
        path, name = kept
        try:
            with _preview_storage().open(path, "rb") as stream:
                from django.core.files import File

                result = self.importer_class(request.user).run(File(stream, name=name))
        finally:
            _preview_storage().delete(path)
        return self.finish(request, result)

    def finish(self, request, result):
        token = None
        if result.ok:
            messages.success(
                request,
                _("Imported %(rows)d rows: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
                % {
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            if result.examples:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d example row of the template was left out.",
                        "%(count)d example rows of the template were left out.",
                        result.examples,
                    )
                    % {"count": result.examples},
                )
        else:
            token = remember_report(request, result, self.title)
        return self.render(UploadForm(), result=result, token=token, status=200 if result.ok else 422)

    @property
    def title(self) -> str:
        return force_str(self.importer_class.title or self.importer_class.model._meta.verbose_name_plural)

    def render(self, form, *, result=None, token=None, status=200, preview_token=None):
        from . import import_jobs
        from .models import ImportJob

        model = self.importer_class.model
        jobs = ImportJob.objects.restrict(self.request.user).filter(
            user=self.request.user, importer=import_jobs.importer_path(self.importer_class)
        )
        context = {
            "jobs": jobs.defer("errors")[:5],
            "inline_rows": settings.ZHAOSHANG_IMPORT_INLINE_ROWS,
            "form": form,
            "result": result,
            "shown_errors": result.errors[:500] if result else [],
            "report_url": f"{self.request.path}?report={token}" if token else None,
            "verbose_name_plural": model._meta.verbose_name_plural,
            "list_url": reverse(self.list_url_name) if self.list_url_name else None,
            "template_url": reverse(self.template_url_name) if self.template_url_name else None,
            "columns": self.importer_class.columns,
            "preview_token": preview_token,
            "planned": _planned(result) if result is not None and result.dry_run else None,
        }
        return render(self.request, self.template_name, context, status=status)


# --- previews: an upload kept between its check and its confirmation -------------------------------------------

PREVIEW_SESSION_KEY = "core.import_preview"
PREVIEW_SHOWN_ROWS = 500


def _preview_storage():
    from .storage import private_storage

    return private_storage


def keep_preview(request, importer_class, upload) -> str:
    """Keep the checked upload in private storage for the user's confirmation (one per session: an earlier kept
    upload is dropped); returns the token the confirmation sends back."""
    from . import import_jobs

    dropped = request.session.get(PREVIEW_SESSION_KEY)
    if dropped:
        _preview_storage().delete(dropped["path"])
    token = uuid.uuid4().hex
    path = _preview_storage().save(f"imports/preview/{token}{'.csv' if is_csv(upload) else '.xlsx'}", upload)
    request.session[PREVIEW_SESSION_KEY] = {
        "token": token,
        "path": path,
        "name": (getattr(upload, "name", "") or "").rsplit("/", 1)[-1],
        "importer": import_jobs.importer_path(importer_class),
    }
    return token


def take_preview(request, importer_class, token: str) -> tuple[str, str] | None:
    """(path, file name) of the upload kept under ``token`` for this importer, forgotten by the session; None if
    there is none (expired, imported already, another importer's)."""
    from . import import_jobs

    kept = request.session.get(PREVIEW_SESSION_KEY)
    if not kept or kept["token"] != token or kept["importer"] != import_jobs.importer_path(importer_class):
        return None
    del request.session[PREVIEW_SESSION_KEY]
    if not _preview_storage().exists(kept["path"]):
        return None
    return kept["path"], kept["name"]


def _planned(result: ImportResult) -> dict:
    """The plan as the preview page shows it: the counts, the rows that look like duplicates of a record, then the
    new and changed rows (at most ``PREVIEW_SHOWN_ROWS`` of each)."""
    groups = {"similar": [], "created": [], "updated": []}
    for planned in result.plan:
        if planned.similar:
            groups["similar"].append(planned)
        if planned.action in ("created", "updated"):
            groups[planned.action].append(planned)
    return {key: rows[:PREVIEW_SHOWN_ROWS] for key, rows in groups.items()} | {
        "counts": {key: len(rows) for key, rows in groups.items()}
    }
