"""Sites and parks in and out of Excel.

An exported workbook imported again gives the same sites; the template lists every
column; an import with one bad row imports nothing and names the row and the column,
also in the error report; a missing required column or a file that is not a workbook
is refused with a message; staff change only the sites they may change, and every
created or changed site is audited.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from zhaoshang.core import audit, search
from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.testing import sheet_rows, xlsx_upload
from zhaoshang.geo.choices import Availability, CarrierKind, LandUse
from zhaoshang.geo.models import Carrier, Park
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district
from zhaoshang.portal.forms.listings import CARRIER_COLUMNS

IMPORT_URL = reverse("portal:staff-carrier-import")
EXPORT_URL = reverse("portal:staff-carrier-export")
TEMPLATE_URL = reverse("portal:staff-carrier-template")
PARK_IMPORT_URL = reverse("portal:staff-park-import")
PARK_EXPORT_URL = reverse("portal:staff-park-export")

NOT_COMPARED = {"id", "created", "updated", "created_by_id", "version"}


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def header(key: str) -> str:
    return zh(next(c.header for c in CARRIER_COLUMNS if c.key == key))


def upload(rows, name="sites.xlsx"):
    """A workbook whose first sheet holds ``rows`` (the first one being the headers)."""
    return xlsx_upload(rows, name)


def post_import(client, file, url=IMPORT_URL):
    return client.post(url, {"file": file})


def facts(carrier) -> dict:
    """Everything the platform knows of a site, except its id, timestamps and version."""
    data = {k: v for k, v in audit.snapshot(carrier).items() if k not in NOT_COMPARED}
    data["codes"] = carrier.industry_codes
    return data


SITE_HEADERS = ["listing number", "kind", "name", "district", "longitude", "latitude", "land area (mu)"]
SITE_HEADERS += ["floor area (m²)", "industry codes", "responsible team", "published", "last verified"]


def site_row(reference, team, *, area="50", district_name="蓬江区", kind=None, floor=None, verified=None):
    return [
        reference,
        kind or zh(CarrierKind.PARCEL.label),
        f"导入地块{reference}",
        district_name,
        113.08,
        22.6,
        area,
        floor,
        "38 39",
        team.name,
        "是",
        verified or timezone.localdate(),
    ]


@pytest.fixture
def sites(city, outpost_a):
    park = ParkFactory(name="江门高新区", team=outpost_a)
    return [
        CarrierFactory(
            reference="PJ-001",
            team=outpost_a,
            park=park,
            codes=["38", "39"],
            plot_ratio_min=Decimal("1.2"),
            plot_ratio_max=Decimal("3.5"),
            available_from=timezone.localdate() + timedelta(days=30),
            availability=Availability.RESERVED,
            gas=True,
            port_km=Decimal("12.5"),
            description="紧邻高速出口",
            contact_email="zhao@example.cn",
            address="江门市蓬江区棠下镇堡棠路123号",
            address_en="123 Baotang Road, Tangxia Town",
        ),
        CarrierFactory(
            reference="XH-002",
            kind=CarrierKind.FACTORY,
            team=outpost_a,
            region=district("440705"),
            area_mu=None,
            land_use="",
            land_price=None,
            floor_area_m2=Decimal("12000"),
            floors=4,
            floor_load_kn=Decimal("8.0"),
            clear_height_m=Decimal("9.5"),
            rent=Decimal("18.50"),
            published=False,
            codes=["36"],
        ),
        CarrierFactory(
            reference="HS-003",
            kind=CarrierKind.OFFICE,
            team=outpost_a,
            region=district("440784"),
            area_mu=None,
            land_use=LandUse.B,
            floor_area_m2=Decimal("2500.5"),
            sale_price=Decimal("9800"),
            last_verified=timezone.localdate() - timedelta(days=500),
        ),
    ]


# --- round trip --------------------------------------------------------------------------------------------------


def test_an_exported_workbook_imported_again_yields_the_same_sites(sites, centre_officer, client_for):
    client = client_for(centre_officer)
    before = {c.reference: facts(c) for c in Carrier.objects.all()}
    exported = client.get(EXPORT_URL)
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in exported["Content-Disposition"]

    Carrier.objects.all().delete()
    response = post_import(client, SimpleUploadedFile("sites.xlsx", exported.content))

    assert response.context["result"].ok, response.context["result"].errors
    assert response.context["result"].created == 3
    after = {c.reference: facts(c) for c in Carrier.objects.all()}
    assert after == before
    assert (after["PJ-001"]["address"], after["PJ-001"]["address_en"]) == (
        "江门市蓬江区棠下镇堡棠路123号",
        "123 Baotang Road, Tangxia Town",
    )
    assert list(Carrier.objects.filter(search.query_q("堡棠路")).values_list("reference", flat=True)) == ["PJ-001"]


def test_importing_the_same_workbook_again_changes_nothing_and_writes_no_audit_record(sites, officer_a, client_for):
    client = client_for(officer_a)
    exported = client.get(EXPORT_URL).content
    versions = dict(Carrier.objects.values_list("reference", "version"))
    records = ChangeRecord.objects.count()

    result = post_import(client, SimpleUploadedFile("sites.xlsx", exported)).context["result"]

    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert dict(Carrier.objects.values_list("reference", "version")) == versions
    assert ChangeRecord.objects.count() == records


def test_the_export_holds_exactly_what_the_filtered_list_shows(sites, officer_a, client_for):
    client = client_for(officer_a)
    listed = client.get(reverse("portal:staff-carrier-list"), {"district": "440705"}).context["object_list"]
    rows = sheet_rows(client.get(EXPORT_URL, {"district": "440705"}).content)

    assert [row[0] for row in rows[1:]] == [c.reference for c in listed] == ["XH-002"]


def test_the_export_writes_numbers_as_numbers_and_dates_as_dates(sites, officer_a, client_for):
    rows = sheet_rows(client_for(officer_a).get(EXPORT_URL).content)
    first = next(dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[0] == "PJ-001")

    assert first[header("area_mu")] == 50
    assert first[header("port_km")] == 12.5
    assert first[header("last_verified")].date() == timezone.localdate()
    assert first[header("industry_codes")] == "38 39"
    assert first[header("district")] == "蓬江区"


# --- the template ------------------------------------------------------------------------------------------------


def test_the_template_opens_again_and_lists_every_column_with_its_meaning(db, officer_a, client_for):
    response = client_for(officer_a).get(TEMPLATE_URL)

    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    data, guide = wb.worksheets[0], wb.worksheets[1]
    headers = [cell.value for cell in data[1]]
    assert [h.rstrip(" *") for h in headers[1:]] == [header(c.key) for c in CARRIER_COLUMNS]
    assert headers[1].endswith("*")  # the listing number is required (the first column marks the example)
    assert data.freeze_panes == "A2"
    listed = [row[0] for row in guide.iter_rows(min_row=2, values_only=True) if row and row[0]]
    for column in CARRIER_COLUMNS:
        assert header(column.key) in listed
    kind_column = headers.index(header("kind") + " *") + 1
    letters = {str(v.sqref).split(":")[0][:-1] for v in data.data_validations.dataValidation}
    assert data.cell(row=1, column=kind_column).column_letter in letters


def test_the_filled_in_template_imports(db, city, officer_a, outpost_a, client_for):
    client = client_for(officer_a)
    wb = load_workbook(io.BytesIO(client.get(TEMPLATE_URL).content))
    sheet = wb.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index(header("team") + " *") + 1, value=outpost_a.name)
    sheet.cell(row=2, column=headers.index(header("last_verified") + " *") + 1, value=timezone.localdate())
    sheet.cell(row=2, column=1).value = None  # the example becomes a row of the user's own once its mark is gone
    out = io.BytesIO()
    wb.save(out)

    result = post_import(client, SimpleUploadedFile("filled.xlsx", out.getvalue())).context["result"]

    assert result.ok, result.errors
    assert Carrier.objects.get(reference="JM-PJ-0001").industry_codes == ["38", "39"]


def test_the_template_imported_unchanged_imports_no_site(db, city, officer_a, client_for):
    client = client_for(officer_a)

    response = post_import(client, SimpleUploadedFile("template.xlsx", client.get(TEMPLATE_URL).content))

    assert response.status_code == 422
    assert response.context["result"].examples == 1
    assert not Carrier.objects.exists()


# --- bad rows and bad files --------------------------------------------------------------------------------------


def test_an_import_with_one_bad_row_imports_nothing_and_reports_row_7_and_the_column(
    city, officer_a, outpost_a, client_for
):
    rows = [SITE_HEADERS] + [site_row(f"NEW-{n}", outpost_a) for n in range(2, 7)]
    rows.append(site_row("NEW-7", outpost_a, area="abc"))  # Excel row 7
    client = client_for(officer_a)

    response = post_import(client, upload(rows))

    assert response.status_code == 422
    assert Carrier.objects.count() == 0
    [error] = response.context["result"].errors
    assert (error.row, error.column) == (7, header("area_mu"))
    page = response.content.decode()
    assert 'data-row="7"' in page and header("area_mu") in page
    report = client.get(response.context["report_url"])
    assert report.status_code == 200
    assert [7, header("area_mu"), error.message] in sheet_rows(report.content)


def test_an_unknown_district_is_reported_on_its_row_and_nothing_is_saved(city, officer_a, outpost_a, client_for):
    rows = [SITE_HEADERS, site_row("A-1", outpost_a), site_row("A-2", outpost_a, district_name="火星区")]

    result = post_import(client_for(officer_a), upload(rows)).context["result"]

    assert [(e.row, e.column) for e in result.errors] == [(3, header("district"))]
    assert "火星区" in result.errors[0].message
    assert not Carrier.objects.exists()


def test_kind_rules_of_the_model_apply_to_each_row(city, officer_a, outpost_a, client_for):
    factory_without_floor_area = site_row("F-1", outpost_a, kind="Standard factory", area=None)
    rows = [SITE_HEADERS, site_row("P-1", outpost_a), factory_without_floor_area]

    result = post_import(client_for(officer_a), upload(rows)).context["result"]

    assert [(e.row, e.column) for e in result.errors] == [(3, header("floor_area_m2"))]
    assert not Carrier.objects.exists()


def test_a_repeated_listing_number_and_an_unknown_code_are_reported(city, officer_a, outpost_a, client_for):
    bad_code = site_row("B-2", outpost_a)
    bad_code[8] = "38 99"
    rows = [SITE_HEADERS, site_row("B-1", outpost_a), site_row("B-1", outpost_a), bad_code]

    result = post_import(client_for(officer_a), upload(rows)).context["result"]

    assert {(e.row, e.column) for e in result.errors} == {(3, header("reference")), (4, header("industry_codes"))}
    assert not Carrier.objects.exists()


def test_a_missing_required_header_is_a_file_error(city, officer_a, outpost_a, client_for):
    rows = [[h for h in SITE_HEADERS if h != "district"]]
    rows.append([v for h, v in zip(SITE_HEADERS, site_row("C-1", outpost_a), strict=True) if h != "district"])

    response = post_import(client_for(officer_a), upload(rows))

    [error] = response.context["result"].errors
    assert error.row is None
    assert header("district") in error.message
    assert not Carrier.objects.exists()


def test_an_unknown_header_is_a_file_error(city, officer_a, outpost_a, client_for):
    rows = [SITE_HEADERS + ["colour"], site_row("C-1", outpost_a) + ["red"]]

    [error] = post_import(client_for(officer_a), upload(rows)).context["result"].errors

    assert error.row is None and "colour" in error.message
    assert not Carrier.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_with_a_clear_message(city, officer_a, client_for):
    client = client_for(officer_a)
    text = SimpleUploadedFile("sites.txt", "listing number,kind\nA-1,地块\n".encode())  # .csv files are read

    response = post_import(client, text)

    assert response.status_code == 400
    [message] = response.context["form"].errors["file"]
    assert ".xlsx" in message
    assert not Carrier.objects.exists()
    disguised = post_import(client, SimpleUploadedFile("sites.xlsx", b"listing number,kind\n"))
    assert disguised.status_code == 400
    assert response.context["form"].errors["file"]


def test_english_headers_and_english_choice_labels_are_understood(city, officer_a, outpost_a, client_for):
    row = site_row("EN-1", outpost_a, kind="Land parcel")
    row[10] = "yes"
    heads = ["Listing number", "Kind", "Name", "District", "Longitude", "Latitude", "Land area (mu)"]
    heads += ["Floor area (m²)", "Industry codes", "Responsible team", "Published", "Last verified"]

    result = post_import(client_for(officer_a), upload([heads, row])).context["result"]

    assert result.ok, result.errors
    site = Carrier.objects.get(reference="EN-1")
    assert site.kind == CarrierKind.PARCEL and site.published and site.region.adcode == "440703"


# --- who may import what -----------------------------------------------------------------------------------------


def test_an_officer_cannot_change_another_teams_site_by_import(sites, officer_b, client_for):
    rows = [SITE_HEADERS, site_row("PJ-001", sites[0].team, area="999")]

    result = post_import(client_for(officer_b), upload(rows)).context["result"]

    assert [(e.row, e.column) for e in result.errors] == [(2, header("reference"))]
    assert Carrier.objects.get(reference="PJ-001").area_mu == Decimal("50")


def test_an_officer_cannot_give_a_new_site_to_another_team(city, officer_b, outpost_a, client_for):
    result = post_import(client_for(officer_b), upload([SITE_HEADERS, site_row("N-1", outpost_a)])).context["result"]

    assert [(e.row, e.column) for e in result.errors] == [(2, header("team"))]
    assert not Carrier.objects.exists()


def test_a_leader_may_not_import(city, leader, outpost_a, client_for):
    client = client_for(leader)

    assert client.get(IMPORT_URL).status_code == 403
    assert post_import(client, upload([SITE_HEADERS, site_row("L-1", outpost_a)])).status_code == 403
    assert not Carrier.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(db, investor):
    for url in (IMPORT_URL, EXPORT_URL, TEMPLATE_URL):
        assert investor.get(url).status_code == 302


def test_the_error_report_of_another_session_is_not_found(city, officer_a, officer_b, outpost_a, client_for):
    response = post_import(client_for(officer_a), upload([SITE_HEADERS, site_row("E-1", outpost_a, area="x")]))

    assert client_for(officer_b).get(response.context["report_url"]).status_code == 404


# --- audit and search --------------------------------------------------------------------------------------------


def test_each_imported_site_is_audited_and_searchable(city, officer_a, outpost_a, client_for):
    rows = [SITE_HEADERS, site_row("S-1", outpost_a), site_row("S-2", outpost_a)]

    result = post_import(client_for(officer_a), upload(rows)).context["result"]

    assert result.ok and result.created == 2
    for site in Carrier.objects.all():
        records = ChangeRecord.objects.filter(content_type__model="carrier", object_id=str(site.pk))
        created = records.get(action=ChangeKind.CREATE)
        assert created.user_id == officer_a.pk
        assert created.after == audit.snapshot(site)
        codes = records.get(action=ChangeKind.UPDATE)
        assert codes.after == {"industries": ["38", "39"]}
        assert site.created_by_id == officer_a.pk
        assert site.search_text == search.build_search_text(*site.search_values())
    assert Carrier.objects.filter(search.query_q("导入地块")).count() == 2


def test_an_update_by_import_records_only_what_changed_and_bumps_the_version(sites, officer_a, client_for):
    site = sites[0]
    row = site_row("PJ-001", site.team, area=75, verified=site.last_verified)
    row[2], row[4], row[5], row[8] = site.name, site.lon, site.lat, "38"
    rows = [SITE_HEADERS, row]

    result = post_import(client_for(officer_a), upload(rows)).context["result"]

    assert result.ok and result.updated == 1
    site.refresh_from_db()
    assert site.area_mu == Decimal("75") and site.version == 2 and site.industry_codes == ["38"]
    records = ChangeRecord.objects.filter(
        content_type__model="carrier", object_id=str(site.pk), action=ChangeKind.UPDATE
    )
    records = records.order_by("pk")
    assert [r.changed_fields for r in records] == [["area_mu"], ["industries"]]
    assert records[0].before == {"area_mu": "50.00"} and records[0].after == {"area_mu": "75.00"}
    assert records[1].before == {"industries": ["38", "39"]}
    assert site.park.name == "江门高新区"  # columns absent from the file are left as they were


# --- parks -------------------------------------------------------------------------------------------------------


def test_parks_round_trip_through_excel(city, centre_officer, outpost_a, client_for):
    ParkFactory(name="新会新能源电池产业园", team=outpost_a, codes=["38"], website="https://xh.example.cn")
    ParkFactory(
        name="鹤山工业城",
        team=outpost_a,
        region=district("440784"),
        published=False,
        address="鹤山市鹤城镇工业城大道33号",
        address_en="33 Gongyecheng Avenue, Hecheng Town, Heshan",
    )
    client = client_for(centre_officer)
    before = {p.name: facts(p) for p in Park.objects.all()}
    exported = client.get(PARK_EXPORT_URL).content
    headers = sheet_rows(exported)[0]
    assert zh(Park._meta.get_field("address").verbose_name) in " ".join(str(h) for h in headers)

    Park.objects.all().delete()
    result = post_import(client, SimpleUploadedFile("parks.xlsx", exported), PARK_IMPORT_URL).context["result"]

    assert result.ok and result.created == 2, result.errors
    after = {p.name: facts(p) for p in Park.objects.all()}
    ignore = {"min_lon", "min_lat", "max_lon", "max_lat", "centre_lon", "centre_lat"}  # boundaries are drawn, not typed
    assert {n: {k: v for k, v in f.items() if k not in ignore} for n, f in after.items()} == {
        n: {k: v for k, v in f.items() if k not in ignore} for n, f in before.items()
    }
    assert after["鹤山工业城"]["address_en"] == "33 Gongyecheng Avenue, Hecheng Town, Heshan"
    assert Park.objects.get(search.query_q("鹤城镇")).name == "鹤山工业城"


def test_an_address_column_imports_in_chinese_or_english_headers(city, officer_a, outpost_a, client_for):
    rows = [
        [*SITE_HEADERS, "地址", "address (English)"],
        [*site_row("S-1", outpost_a), "江门市蓬江区杜阮镇龙榜路5号", "5 Longbang Road, Duruan Town"],
    ]
    result = post_import(client_for(officer_a), upload(rows)).context["result"]
    assert result.ok and result.created == 1, result.errors
    site = Carrier.objects.get(reference="S-1")
    assert (site.address, site.address_en) == ("江门市蓬江区杜阮镇龙榜路5号", "5 Longbang Road, Duruan Town")
    assert Carrier.objects.filter(search.query_q("龙榜路")).get() == site
    assert Carrier.objects.filter(search.query_q("Longbang")).get() == site
