"""openpyxl opens a read-only sheet by looking for its ``<dimension>`` (the used range, which the file format puts
before the rows). Its parser waits for the *end* of ``<sheetData>`` before it concludes that there is none, so a
workbook without one — every workbook written in openpyxl's write-only mode: the platform's own exports and
templates, and the benchmark's — is parsed in full once more before a single row is read: about a tenth of a
100,000-row import (bench/enterprise_import.py).

``install()`` replaces that look-up with one that stops at the *start* of ``<sheetData>``: the same dimension when
the sheet has one, the same "none" without reading the rows. It reaches into openpyxl's private reader and is kept
here for that reason; ``core.excel`` installs it.
"""

from __future__ import annotations

from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse


def sheet_dimensions(source) -> tuple | None:
    """(min column, min row, max column, max row) of the sheet's ``<dimension>``, or None; reads no row."""
    for _event, element in iterparse(source, events=("start",)):
        if element.tag == DIMENSION_TAG:
            return SheetDimension.from_tree(element).boundaries
        if element.tag == DATA_TAG:
            return None
    return None


def _get_size(self) -> None:
    with self._get_source() as source:
        dimensions = sheet_dimensions(source)
    if dimensions is not None:
        self._min_column, self._min_row, self._max_column, self._max_row = dimensions


def install() -> None:
    ReadOnlyWorksheet._get_size = _get_size
