"""The applicant's figures of one review as a two-column workbook (指标 / 数值): the template holds the review's
current figures under their Chinese labels; importing it changes the review only when every row is right."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from zhaoshang.core.excel import ImportFileError, check_upload, excel_value, normalize_header, sheet_value
from zhaoshang.core.formatting import number

from ..forms.standards import FIGURE_FIELDS, MU, ReviewFiguresForm
from ..models import Review

SITE_AREA = "site_area"
HEADERS = ("指标", "数值")
HEADERS_EN = ("Indicator", "Value")


def figure_rows() -> list[tuple[str, str]]:
    """(field, Chinese label) of every figure of the sheet, site area (in 亩) first."""
    with translation.override("zh-hans"):
        rows = [(SITE_AREA, str(Review._meta.get_field("site_area_mu").verbose_name))]
        rows += [(name, str(Review._meta.get_field(name).verbose_name)) for name in FIGURE_FIELDS]
    return rows


def _labels() -> dict[str, str]:
    """Every accepted label (Chinese, English, the field's key), normalized → field."""
    found = {}
    for name, label in figure_rows():
        found[normalize_header(label)] = name
        found[normalize_header(name)] = name
    with translation.override("en"):
        found[normalize_header(str(Review._meta.get_field("site_area_mu").verbose_name))] = SITE_AREA
        for name in FIGURE_FIELDS:
            found[normalize_header(str(Review._meta.get_field(name).verbose_name))] = name
    return found


def template_workbook(review: Review) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标"
    sheet.append(list(HEADERS))
    for name, label in figure_rows():
        value = review.site_area_mu if name == SITE_AREA else getattr(review, name)
        sheet.append([sheet_value(sheet, label), sheet_value(sheet, excel_value(value))])
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 24
    return workbook


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return number(Decimal(repr(value)), 6).replace(",", "")
    if isinstance(value, int | Decimal):
        return str(value)
    return str(value).strip()


def import_figures(review: Review, file, user) -> tuple[bool, list[str]]:
    """Read the workbook into ``review``'s figures. (saved, messages): nothing is saved unless every row is right;
    each message names its row as Excel numbers it and its label."""
    try:
        check_upload(file)
        workbook = load_workbook(file, read_only=True, data_only=True)
    except ImportFileError as error:
        return False, [str(error)]
    except Exception:  # a damaged workbook openpyxl cannot read
        return False, [_("This file is not an Excel workbook (.xlsx), or it is damaged.")]
    sheet = workbook.worksheets[0]
    labels = _labels()
    form = ReviewFiguresForm(instance=review, user=user)
    data = {name: form[name].value() for name in form.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    data["site_area"], data["site_area_unit"] = review.site_area_mu if review.site_area_mu is not None else "", MU
    rows_of = {}
    errors = []
    for number_, row in enumerate(sheet.iter_rows(values_only=True), 1):
        label, value = (list(row) + [None, None])[:2]
        if label is None and value is None:
            continue
        if number_ == 1 and normalize_header(label) in {normalize_header(h) for h in HEADERS + HEADERS_EN}:
            continue
        name = labels.get(normalize_header(label))
        if name is None:
            errors.append(
                _("Row %(row)d: “%(label)s” is not a figure of the review.") % {"row": number_, "label": label}
            )
            continue
        rows_of[name] = (number_, label)
        data[name] = _cell_text(value)
    if errors:
        return False, errors
    form = ReviewFiguresForm(data, instance=review, user=user)
    if not form.is_valid():
        for name, messages_ in form.errors.items():
            row, label = rows_of.get(name, (None, form.fields[name].label if name in form.fields else ""))
            for message in messages_:
                if row is None:
                    errors.append(f"{label}: {message}" if label else message)
                else:
                    errors.append(
                        _("Row %(row)d (%(label)s): %(message)s") % {"row": row, "label": label, "message": message}
                    )
        return False, errors
    form.save()
    return True, []
