"""A read-only sheet finds its used range without reading its rows, with or without a ``<dimension>``."""

import io

from openpyxl import Workbook, load_workbook

from zhaoshang.core import excel  # noqa: F401  (installs the look-up)
from zhaoshang.core.xlsx_dimensions import sheet_dimensions


def saved(write_only: bool) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet() if write_only else wb.active
    for row in range(3):
        ws.append(["甲", row, None, "乙"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_sheet_with_its_dimension_gives_it_and_one_without_gives_none():
    for write_only, expected in ((False, (1, 1, 4, 3)), (True, None)):
        wb = load_workbook(io.BytesIO(saved(write_only)), read_only=True)
        ws = wb.worksheets[0]
        with ws._get_source() as source:
            assert sheet_dimensions(source) == expected
        assert (ws.max_column, ws.max_row) == ((4, 3) if expected else (None, None))
        assert [list(r) for r in ws.iter_rows(values_only=True)][2] == ["甲", 2, None, "乙"]
        wb.close()
