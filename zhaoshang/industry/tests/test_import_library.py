"""The enterprise library's columns in and out of Excel and CSV: address, main products, revenue band (by its label)
and employees are imported, exported, explained in the template, and a bad value names its row and column."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from zhaoshang.core.testing import sheet_rows, xlsx_upload
from zhaoshang.industry.choices import RevenueBand
from zhaoshang.industry.imports import ENTERPRISE_COLUMNS
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.tests.factories import EnterpriseFactory, credit_code

IMPORT_URL = reverse("industry:enterprise-import")
KEYS = ["name", "uscc", "address", "main_products", "revenue_band", "employees", "tags"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    return lambda user: client_for(user, language="en")


def header(key: str) -> str:
    return str(next(c.header for c in ENTERPRISE_COLUMNS if c.key == key))


ROW = ["示例隔膜材料有限公司", credit_code("31"), "江门市新会区示例路8号", "锂电池隔膜、涂覆膜", "", "180", "专精特新"]


def imported(client, file):
    preview = client.post(IMPORT_URL, {"file": file})
    assert preview.status_code == 200 and preview.context["result"].ok, preview.context["result"].errors
    confirmed = client.post(IMPORT_URL, {"preview": preview.context["preview_token"]})
    assert confirmed.context["result"].ok, confirmed.context["result"].errors
    return confirmed.context["result"]


def test_the_library_columns_are_imported_from_a_workbook(centre_officer, client_for):
    row = ROW.copy()
    row[4] = str(RevenueBand.TO_1B.label)

    result = imported(client_for(centre_officer), xlsx_upload([[header(k) for k in KEYS], row]))

    assert result.created == 1
    enterprise = Enterprise.objects.get(uscc=credit_code("31"))
    assert (enterprise.address, enterprise.main_products) == ("江门市新会区示例路8号", "锂电池隔膜、涂覆膜")
    assert (enterprise.revenue_band, enterprise.employees) == (RevenueBand.TO_1B, 180)
    assert set(enterprise.tags.values_list("slug", flat=True)) == {"specialized-innovative"}


def test_the_library_columns_are_imported_from_a_gb18030_csv_file(centre_officer, client_for):
    row = ROW.copy()
    row[4] = str(RevenueBand.UNDER_20M.label)
    text = "\n".join(",".join(f'"{v}"' for v in line) for line in ([header(k) for k in KEYS], row))
    upload = SimpleUploadedFile("企业名录.csv", text.encode("gb18030"), content_type="text/csv")

    result = imported(client_for(centre_officer), upload)

    assert result.created == 1
    enterprise = Enterprise.objects.get(uscc=credit_code("31"))
    assert (enterprise.revenue_band, enterprise.employees, enterprise.address) == (
        RevenueBand.UNDER_20M,
        180,
        "江门市新会区示例路8号",
    )


def test_an_unknown_revenue_band_or_a_negative_headcount_names_its_row_and_saves_nothing(centre_officer, client_for):
    bad_band, bad_staff = ROW.copy(), ROW.copy()
    bad_band[4] = "很多"
    bad_staff[0], bad_staff[1], bad_staff[5] = "另一家公司", credit_code("32"), "-5"

    response = client_for(centre_officer).post(
        IMPORT_URL, {"file": xlsx_upload([[header(k) for k in KEYS], bad_band, bad_staff])}
    )

    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert errors == {(2, header("revenue_band")), (3, header("employees"))}
    assert not Enterprise.objects.exists()


def test_the_export_and_the_template_carry_the_library_columns(centre_officer, client_for):
    EnterpriseFactory(
        name="示例导出有限公司",
        address="示例路1号",
        main_products="电芯",
        revenue_band=RevenueBand.OVER_10B,
        employees=9,
    )
    client = client_for(centre_officer)

    rows = sheet_rows(client.get(reverse("industry:enterprise-export")).content)
    exported = dict(zip(rows[0], rows[1], strict=True))
    template = client.get(reverse("industry:enterprise-template")).content

    assert exported[header("address")] == "示例路1号" and exported[header("main_products")] == "电芯"
    assert exported[header("revenue_band")] == str(RevenueBand.OVER_10B.label) and exported[header("employees")] == 9
    assert {header("address"), header("revenue_band")} <= set(sheet_rows(template)[0])
    explained = " ".join(str(v) for row in load_workbook(io.BytesIO(template)).worksheets[1].values for v in row)
    assert "battery separators" in explained and str(RevenueBand.TO_1B.label) in explained


def test_the_list_filters_by_revenue_band(centre_officer, client_for):
    EnterpriseFactory(name="大型示例有限公司", revenue_band=RevenueBand.OVER_10B)
    EnterpriseFactory(name="小型示例有限公司", revenue_band=RevenueBand.UNDER_20M)

    response = client_for(centre_officer).get(reverse("industry:enterprise-list"), {"revenue_band": "gt10b"})

    body = response.content.decode()
    assert "大型示例有限公司" in body and "小型示例有限公司" not in body
