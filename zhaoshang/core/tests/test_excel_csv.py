"""A CSV file imports like the first sheet of a workbook, through every importer: UTF-8 with or without its BOM,
or GB18030 as Excel in Chinese saves it; anything else is refused with a message and nothing saved."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.core import excel
from zhaoshang.core.context import acting_as
from zhaoshang.core.tests.test_excel import EnterpriseImporter
from zhaoshang.industry.models import Enterprise

TEXT = '名称,注册资本（万元）\r\n甲科技有限公司,100\r\n\r\n"乙公司, 江门",\r\n'


def run(user, content: bytes, name="enterprises.csv"):
    with acting_as(user):
        return EnterpriseImporter(user).run(SimpleUploadedFile(name, content, content_type="text/csv"))


@pytest.mark.parametrize(
    "encoded",
    [TEXT.encode("utf-8"), "\ufeff".encode() + TEXT.encode("utf-8"), TEXT.encode("gb18030")],
    ids=["utf-8", "utf-8 with BOM", "gb18030"],
)
def test_a_csv_file_imports_its_rows_in_utf8_or_gb18030(admin_user, encoded):
    result = run(admin_user, encoded)

    assert result.ok, result.errors
    assert result.created == 2
    assert Enterprise.objects.get(name="甲科技有限公司").registered_capital == Decimal("100")
    assert Enterprise.objects.get(name="乙公司, 江门").registered_capital is None


def test_a_csv_row_error_names_its_line_and_nothing_is_saved(admin_user):
    result = run(admin_user, "名称,注册资本（万元）\n甲公司,1\n乙公司,x\n".encode())

    assert [e.row for e in result.errors] == [3]
    assert not Enterprise.objects.exists()


def test_a_csv_file_that_is_not_text_or_has_unknown_headers_is_refused(admin_user):
    binary = run(admin_user, b"\xff\xfe\x00n\x00a\x00m\x00e\x00\n\x00\x81")
    unknown = run(admin_user, "名称,颜色\n甲公司,红\n".encode())

    assert binary.file_errors and unknown.file_errors
    assert "颜色" in unknown.errors[0].message
    assert not Enterprise.objects.exists()


def test_check_upload_counts_the_rows_of_a_csv_file():
    upload = SimpleUploadedFile("a.csv", "名称\n甲\n乙\n丙\n".encode())

    facts = excel.check_upload(upload, stop_after_rows=2)

    assert (facts.rows, facts.columns, facts.complete) == (4, 1, False)
