"""The Excel machinery every app shares: columns, export, templates, all-or-nothing imports, error reports.

Enterprises stand in for any model here: a small importer keyed by name, with
the credit code as a second unique column and the keeping team as a look-up.
"""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, models
from openpyxl import load_workbook

from zhaoshang.accounts.models import Team
from zhaoshang.core import audit, excel
from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.context import acting_as
from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.testing import xlsx_upload
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.services import normalize_name
from zhaoshang.industry.tests.factories import EnterpriseFactory

USCC = "91440300MA5DC5DL1L"  # a credit code with a valid check character

COLUMNS = [
    excel.Column("name", "名称", required=True, help="企业名称"),
    excel.Column("uscc", "统一社会信用代码"),
    excel.Column("registered_capital", "注册资本（万元）"),
    excel.Column(
        "owner_team", "所属团队", getter=lambda e: e.owner_team.name if e.owner_team_id else None, help="团队名称"
    ),
]


class EnterpriseRowForm(excel.ImportFormMixin, forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name"]


class EnterpriseImporter(excel.ModelImporter):
    model = Enterprise
    columns = COLUMNS
    key = "name"
    form_class = EnterpriseRowForm
    title = "enterprises"

    def field_overrides(self, present):
        return {"owner_team": excel.LookupField(excel.Lookup(Team.objects.all(), "name"), required=False)}


class BulkEnterpriseImporter(EnterpriseImporter):
    def prepare_bulk(self, obj):
        obj.normalized_name = normalize_name(obj.name)


def xlsx(rows, name="data.xlsx"):
    return xlsx_upload(rows, name)


def run(admin_user, rows, importer=EnterpriseImporter):
    with acting_as(admin_user):
        return importer(admin_user).run(xlsx(rows))


# --- headers and cells -------------------------------------------------------------------------------------------


def test_headers_may_be_chinese_english_or_the_key_in_any_order_and_width():
    columns = [
        excel.Column("reference", "listing number", required=True),
        excel.Column("name", "name"),
        excel.Column("area_mu", "land area (mu)"),
    ]
    found = excel.map_headers(["ＮＡＭＥ", " reference *", None, "area_mu"], columns)
    assert {i: c.key for i, c in found.items()} == {0: "name", 1: "reference", 3: "area_mu"}


def test_unknown_repeated_and_missing_required_headers_are_named_in_one_file_error():
    columns = [excel.Column("reference", "编号", required=True), excel.Column("name", "名称", required=True)]
    with pytest.raises(excel.ImportFileError) as error:
        excel.map_headers(["名称", "颜色", "name"], columns)
    message = str(error.value)
    assert "颜色" in message and "名称" in message and "编号" in message


def test_cells_become_what_forms_expect():
    assert excel.cell_value(12.0) == 12 and isinstance(excel.cell_value(12.0), int)
    assert excel.cell_value(datetime(2025, 3, 1)) == date(2025, 3, 1)
    assert excel.cell_value("  蓬江区 ") == "蓬江区"
    assert [excel.parse_bool(v) for v in ("是", "否", "Yes", "no", 1, 0, True, "")] == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        None,
    ]
    with pytest.raises(forms.ValidationError):
        excel.parse_bool("也许")
    assert excel.parse_list("38, 39、13；C") == ["38", "39", "13", "C"]


def test_a_choice_cell_may_hold_the_value_or_its_label():
    column = excel.Column("kind", "类型", choices=[("parcel", "地块"), ("factory", "标准厂房")])
    assert column.import_value("地块") == "parcel"
    assert column.import_value("FACTORY") == "factory"
    with pytest.raises(forms.ValidationError) as error:
        column.import_value("仓库")
    assert "地块" in error.value.messages[0]


# --- export and template -----------------------------------------------------------------------------------------


def test_the_export_has_a_bold_frozen_header_numbers_dates_and_labels(db):
    class Row:
        name = "甲公司"
        capital = Decimal("1234.50")
        founded = date(2020, 5, 17)
        kind = "parcel"
        listed = True

    columns = [
        excel.Column("name", "名称"),
        excel.Column("capital", "资本"),
        excel.Column("founded", "成立日期"),
        excel.Column("kind", "类型", choices=[("parcel", "地块")]),
        excel.Column("listed", "上市", format=excel.format_bool),
    ]
    wb = load_workbook(io.BytesIO(excel.workbook_bytes(excel.export_workbook([Row()], columns, "企业/名录"))))
    ws = wb.worksheets[0]

    assert ws.title == "企业 名录"
    assert ws.freeze_panes == "A2"
    assert all(cell.font.b for cell in ws[1])
    name, capital, founded, kind, listed = (cell for cell in ws[2])
    assert capital.data_type == "n" and capital.value == 1234.5
    assert founded.is_date and founded.value.date() == date(2020, 5, 17)
    assert kind.value == "地块"
    assert listed.value in ("Yes", "是")


FORMULA_LOOKING = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\t=1+1", "\r-1", "#REF!"]


@pytest.mark.parametrize("text", FORMULA_LOOKING)
def test_text_that_a_spreadsheet_would_evaluate_is_written_as_text_in_exports_templates_and_error_reports(db, text):
    class Row:
        name = text

    columns = [excel.Column("name", "名称")]
    workbooks = [
        excel.export_workbook([Row()], columns, "导出"),
        excel.template_workbook(columns, [{"name": text}]),
        excel.error_report([excel.RowError(2, text, text)]),
    ]
    for wb in workbooks:
        sheet = load_workbook(io.BytesIO(excel.workbook_bytes(wb))).worksheets[0]
        cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == text]
        assert cells, f"{text!r} is not in {wb}"
        assert {(cell.data_type, cell.quotePrefix) for cell in cells} == {("s", True)}


def test_plain_text_and_numbers_are_written_as_they_are(db):
    class Row:
        name = "江门-蓬江 A=1"
        capital = Decimal("-5")

    wb = excel.export_workbook([Row()], [excel.Column("name", "名称"), excel.Column("capital", "资本")], "导出")
    name, capital = load_workbook(io.BytesIO(excel.workbook_bytes(wb))).worksheets[0][2]
    assert (name.value, name.data_type, name.quotePrefix) == ("江门-蓬江 A=1", "s", False)
    assert (capital.value, capital.data_type) == (-5, "n")


def test_control_characters_a_workbook_cannot_hold_are_left_out_instead_of_failing_the_export(db):
    class Row:
        name = "甲\x07公司"

    wb = excel.export_workbook([Row()], [excel.Column("name", "名称")], "导出")
    assert load_workbook(io.BytesIO(excel.workbook_bytes(wb))).worksheets[0]["A2"].value == "甲公司"


def test_the_template_explains_each_column_and_offers_lists_for_choices(db):
    long_choices = [(f"v{n}", f"很长的选项名称{n}") for n in range(40)]
    columns = [
        excel.Column("name", "名称", required=True, help="企业名称"),
        excel.Column("kind", "类型", choices=[("parcel", "地块"), ("factory", "厂房")]),
        excel.Column("many", "多选项", choices=long_choices),
    ]
    wb = load_workbook(io.BytesIO(excel.workbook_bytes(excel.template_workbook(columns, [{"name": "示例"}]))))
    data, guide = wb.worksheets[0], wb.worksheets[1]

    assert [c.value for c in data[1]] == [str(excel.EXAMPLE_COLUMN.header), "名称 *", "类型", "多选项"]
    assert (data["A2"].value, data["B2"].value) == (str(excel.EXAMPLE_MARK), "示例")
    guide_rows = list(guide.iter_rows(min_row=3, max_row=5, values_only=True))
    assert [r[0] for r in guide_rows] == ["名称", "类型", "多选项"]
    assert guide_rows[0][2] == "企业名称" and guide_rows[1][4] == "地块、厂房"
    formulas = sorted(v.formula1 for v in data.data_validations.dataValidation)
    assert formulas == ['"地块,厂房"', "'_lists'!$A$1:$A$40"]
    assert wb["_lists"].sheet_state == "hidden"


# --- imports -----------------------------------------------------------------------------------------------------


def test_an_import_saves_all_rows_with_their_audit_records(admin_user, centre):
    rows = [["名称", "统一社会信用代码", "注册资本（万元）", "所属团队"]]
    rows += [["甲科技有限公司", USCC, 500, centre.name], ["乙科技有限公司", None, 1.5, None]]

    result = run(admin_user, rows)

    assert result.ok and (result.rows, result.created) == (2, 2)
    first = Enterprise.objects.get(name="甲科技有限公司")
    assert first.owner_team == centre and first.registered_capital == Decimal("500")
    assert first.normalized_name == "甲科技"  # Enterprise.save ran: its rows were saved one by one
    record = ChangeRecord.objects.get(object_id=str(first.pk), content_type__model="enterprise")
    assert record.action == ChangeKind.CREATE and record.user_id == admin_user.pk
    assert record.after == audit.snapshot(first)


@pytest.mark.parametrize("mark_header", ["Example", "example_row"])
def test_rows_marked_as_examples_are_skipped_wherever_they_stand_and_the_others_imported(admin_user, mark_header):
    rows = [[mark_header, "名称", "注册资本（万元）"]]
    rows += [["Example: not imported", "示例科技有限公司", 100], [None, "甲科技有限公司", 500]]
    rows += [["示例", "示例二科技有限公司", 1]]  # a mark in any words, below the user's own row

    result = run(admin_user, rows)

    assert result.ok and (result.rows, result.created, result.examples) == (1, 1, 2)
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["甲科技有限公司"]


def test_a_bulk_import_writes_the_same_records_and_audit_as_saving_one_by_one(admin_user):
    rows = [["名称", "注册资本（万元）"], ["丙科技有限公司", 300], ["丁科技有限公司", 12.5]]

    result = run(admin_user, rows, BulkEnterpriseImporter)

    assert result.ok and result.created == 2
    for enterprise in Enterprise.objects.all():
        assert enterprise.normalized_name == normalize_name(enterprise.name)
        assert enterprise.search_text.strip()
        [record] = ChangeRecord.objects.filter(object_id=str(enterprise.pk), content_type__model="enterprise")
        assert record.after == audit.snapshot(enterprise) and record.user_id == admin_user.pk
        assert enterprise.created_by_id == admin_user.pk


def test_an_update_by_bulk_import_records_the_changed_fields_and_bumps_the_version(admin_user):
    enterprise = EnterpriseFactory(name="戊科技有限公司", registered_capital=Decimal("100"), uscc=None)

    result = run(admin_user, [["名称", "注册资本（万元）"], ["戊科技有限公司", 250]], BulkEnterpriseImporter)

    assert result.ok and result.updated == 1
    enterprise.refresh_from_db()
    assert enterprise.registered_capital == Decimal("250") and enterprise.version == 2
    record = ChangeRecord.objects.filter(object_id=str(enterprise.pk), action=ChangeKind.UPDATE).get()
    assert record.changed_fields == ["registered_capital"]
    assert (record.before, record.after) == ({"registered_capital": "100.00"}, {"registered_capital": "250.00"})


def test_one_bad_row_saves_nothing_and_each_error_names_its_row_and_column(admin_user):
    rows = [["名称", "注册资本（万元）", "所属团队"]]
    rows += [["己公司", 1, None], ["庚公司", -5, None], ["辛公司", "很多", None], ["壬公司", 1, "不存在的团队"]]

    result = run(admin_user, rows)

    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "注册资本（万元）"),
        (4, "注册资本（万元）"),
        (5, "所属团队"),
    ]
    assert "不存在的团队" in result.errors[2].message
    assert not Enterprise.objects.exists()


def test_a_second_unique_column_is_checked_across_the_file_and_against_the_database(admin_user):
    EnterpriseFactory(name="已有公司", uscc=USCC)
    rows = [["名称", "统一社会信用代码"], ["新公司甲", USCC]]

    result = run(admin_user, rows)

    assert [(e.row, e.column) for e in result.errors] == [(2, "统一社会信用代码")]
    assert Enterprise.objects.count() == 1


def test_a_key_repeated_in_the_file_is_reported_on_the_later_row(admin_user):
    result = run(admin_user, [["名称"], ["癸公司"], ["别的公司"], ["癸公司"]])

    assert [(e.row, e.column) for e in result.errors] == [(4, "名称")]
    assert "2" in result.errors[0].message
    assert not Enterprise.objects.exists()


def test_a_failure_while_saving_rolls_everything_back_and_names_its_row(admin_user, monkeypatch):
    original = Enterprise.save

    def save(self, *args, **kwargs):
        if self.name == "坏公司":
            raise IntegrityError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Enterprise, "save", save)

    result = run(admin_user, [["名称"], ["好公司"], ["坏公司"], ["又一家公司"]])

    assert [(e.row, "disk full" in e.message) for e in result.errors] == [(3, True)]
    assert not Enterprise.objects.exists()
    assert not ChangeRecord.objects.filter(content_type__model="enterprise").exists()


def test_a_failed_bulk_save_is_located_by_saving_row_by_row_and_still_saves_nothing(admin_user, monkeypatch):
    original = Enterprise.save

    def save(self, *args, **kwargs):
        if self.name == "坏公司":
            raise IntegrityError("constraint failed")
        return original(self, *args, **kwargs)

    insert = excel._insert

    def bulk_insert(model, objs):
        if model is Enterprise:
            raise IntegrityError("constraint failed")
        return insert(model, objs)

    monkeypatch.setattr(Enterprise, "save", save)
    monkeypatch.setattr(excel, "_insert", bulk_insert)

    result = run(admin_user, [["名称"], ["好公司"], ["好公司二"], ["坏公司"]], BulkEnterpriseImporter)

    assert [e.row for e in result.errors] == [4]
    assert not Enterprise.objects.exists()


def test_bulk_inserts_send_plain_values_as_they_are_but_let_a_field_of_its_own_prepare_them():
    class Upper(models.CharField):
        def to_python(self, value):
            return value.upper() if isinstance(value, str) else value

    assert str in excel._plain_types(models.CharField(max_length=5))
    assert int in excel._plain_types(Enterprise._meta.get_field("owner_team"))  # a key, by its target's type
    assert excel._plain_types(Upper(max_length=5)) == ()
    assert excel._plain_types(models.DecimalField(max_digits=5, decimal_places=2)) == (type(None),)


def test_a_record_changed_by_someone_else_during_the_import_is_not_overwritten(admin_user):
    enterprise = EnterpriseFactory(name="并发公司", registered_capital=Decimal("1"))
    loaded = Enterprise.objects.get(pk=enterprise.pk)
    state = excel.loaded_state(loaded)
    enterprise.registered_capital = Decimal("2")
    enterprise.save()  # someone else, meanwhile
    loaded.registered_capital = Decimal("3")

    with pytest.raises(excel.RowSaveError) as error:
        excel.bulk_save(Enterprise, [excel.Pending(9, loaded, **state)])

    assert error.value.row == 9
    enterprise.refresh_from_db()
    assert enterprise.registered_capital == Decimal("2")


# --- files that cannot be imported -------------------------------------------------------------------------------


def test_files_that_are_not_workbooks_too_large_or_too_long_are_refused_with_a_message(admin_user):
    importer = EnterpriseImporter(admin_user)
    not_xlsx = importer.run(SimpleUploadedFile("data.txt", b"name\n"))
    assert ".xlsx" in not_xlsx.errors[0].message and not_xlsx.errors[0].row is None
    broken = importer.run(SimpleUploadedFile("data.xlsx", b"PK\x03\x04 but not a workbook"))
    assert broken.file_errors

    with pytest.raises(excel.ImportFileError) as too_large:
        excel.check_upload(xlsx([["名称"], ["甲"]]), max_bytes=100)
    assert "MB" in str(too_large.value)

    too_long = excel.import_workbook(xlsx([["名称"], ["甲"], ["乙"], ["丙"]]), COLUMNS, lambda data: None, max_rows=2)
    assert "2" in too_long.errors[0].message and too_long.errors[0].row is None
    empty = importer.run(xlsx([["名称"]]))
    assert empty.file_errors
    assert not Enterprise.objects.exists()


def test_empty_rows_are_skipped_but_rows_keep_their_excel_numbers(admin_user):
    result = run(admin_user, [["名称", "注册资本（万元）"], ["甲公司", 1], [None, None], ["乙公司", "x"]])

    assert [e.row for e in result.errors] == [4]


def test_the_error_report_lists_row_column_and_message(db):
    errors = [excel.RowError(None, "", "缺少列"), excel.RowError(7, "土地面积（亩）", "请输入数字")]

    ws = load_workbook(io.BytesIO(excel.workbook_bytes(excel.error_report(errors)))).worksheets[0]

    rows = list(ws.iter_rows(values_only=True))
    assert rows[2] == (7, "土地面积（亩）", "请输入数字")
    assert rows[1][1:] == (None, "缺少列")
