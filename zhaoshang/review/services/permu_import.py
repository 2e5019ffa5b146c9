"""Enterprise-year figures in and out of Excel (core.excel): a template, every row checked, all or nothing.

A row is one enterprise's figures of one year. The enterprise is found as every import finds enterprises
(``industry.services.EnterpriseIndex``): by its credit code, else by its normalized name among the enterprises the
user can see; an enterprise not on record is an error of its row (the register is kept by its own import). The
figures of an enterprise and year on record are replaced by the row's (a blank cell empties a figure), so that
importing the same file again changes nothing. Recording figures needs the right to change the enterprise.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core import excel
from zhaoshang.core.choices import Action
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.services import CHUNK, EnterpriseIndex
from zhaoshang.industry.validators import clean_uscc

from ..choices import NotGradedReason, SizeClass
from ..models import EnterpriseYear


def _label(name):
    return capfirst(EnterpriseYear._meta.get_field(name).verbose_name)


def _figure(name, help_text=""):
    return excel.Column(name, _label(name), help=help_text)


PERMU_COLUMNS = [
    excel.Column(
        "uscc",
        capfirst(Enterprise._meta.get_field("uscc").verbose_name),
        getter=lambda r: r.enterprise.uscc,
        help=gettext_lazy("18 characters (GB 32100-2015): the enterprise on record with this code."),
        width=22,
    ),
    excel.Column(
        "enterprise",
        capfirst(Enterprise._meta.get_field("name").verbose_name),
        field="enterprise_name",
        getter=lambda r: r.enterprise.name,
        help=gettext_lazy("The registered name; used when the credit code is empty."),
        width=30,
    ),
    excel.Column("year", _label("year"), required=True, help=gettext_lazy("The year of the figures, e.g. 2025.")),
    excel.Column("size_class", _label("size_class"), required=True, choices=SizeClass.choices),
    excel.Column(
        "not_graded",
        _label("not_graded"),
        choices=NotGradedReason.choices,
        help=gettext_lazy("Empty for an enterprise that is graded."),
    ),
    _figure("land_mu", gettext_lazy("In mu.")),
    _figure("tax", gettext_lazy("Taxes actually paid, in 10,000 yuan.")),
    _figure("value_added", gettext_lazy("Industrial value added, in 10,000 yuan.")),
    _figure("revenue", gettext_lazy("Operating revenue, in 10,000 yuan.")),
    _figure("energy_tce", gettext_lazy("Total energy use, in tonnes of standard coal.")),
    _figure("emissions_t", gettext_lazy("Main pollutants, tonnes of equivalent; empty when not reported.")),
    _figure("power_10k_kwh", gettext_lazy("Electricity use, in 10,000 kWh.")),
    _figure("employees", gettext_lazy("Average number of employees in the year.")),
    _figure("rd_spending", gettext_lazy("R&D spending, in 10,000 yuan.")),
]

PERMU_EXAMPLE = {
    "uscc": "91440703MA4UJ7KJ6Y",
    "enterprise": "示例新能源科技有限公司",
    "year": 2025,
    "size_class": SizeClass.LARGE.label,
    "land_mu": Decimal("50"),
    "tax": Decimal("1500"),
    "value_added": Decimal("8000"),
    "revenue": Decimal("20000"),
    "energy_tce": Decimal("2500"),
    "emissions_t": Decimal("2"),
    "power_10k_kwh": Decimal("1800"),
    "employees": 400,
    "rd_spending": Decimal("600"),
}


class EnterpriseYearImportForm(excel.ImportFormMixin, forms.ModelForm):
    uscc = forms.CharField(required=False, max_length=40)
    enterprise_name = forms.CharField(required=False, max_length=200)

    class Meta:
        model = EnterpriseYear
        fields = ["year"]


class EnterpriseYearImporter(excel.ModelImporter):
    model = EnterpriseYear
    columns = PERMU_COLUMNS
    key = "uscc"
    form_class = EnterpriseYearImportForm
    title = gettext_lazy("enterprise-year figures")

    def __init__(self, user):
        super().__init__(user)
        self.index = EnterpriseIndex(Enterprise.objects.restrict(user, Action.VIEW))
        self.writable_enterprises: set[int] = set()
        self.on_record: dict[tuple[int, int], EnterpriseYear] = {}
        self.seen: dict[tuple[int, int], int] = {}

    def run(self, file, progress=None, *, dry_run: bool = False):
        """As every import, without a key column unique in the file: an enterprise has one row per year."""
        return excel.import_workbook(
            file,
            self.columns,
            self.make_form,
            self.save_row,
            save_rows=self.save_rows,
            prepare=self._prepare,
            progress=progress,
            plan=self.plan if dry_run else None,
            dry_run=dry_run,
        )

    def preload(self, datas, present):
        self.index.load(
            codes=[d.get("uscc") for d in datas if d.get("uscc")],
            names=[str(d.get("enterprise_name") or "") for d in datas],
        )
        pks = sorted({e.pk for e in self.index.codes.values()} | {e.pk for es in self.index.names.values() for e in es})
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            self.writable_enterprises.update(
                Enterprise.objects.restrict(self.user, Action.CHANGE).filter(pk__in=chunk).values_list("pk", flat=True)
            )
            for record in EnterpriseYear._base_manager.filter(enterprise_id__in=chunk):
                self.on_record[(record.enterprise_id, record.year)] = record
        self.writable = {r.pk for r in self.on_record.values() if r.enterprise_id in self.writable_enterprises}

    def find(self, code: str | None, name: str):
        """(the enterprise the row names, or None and the column and message of the problem)."""
        if code:
            found = self.index.by_code(code)
            if found is not None:
                return found, None
            return None, ("uscc", _("No enterprise on record has the credit code %(code)s.") % {"code": code})
        candidates = self.index.by_name(name)
        if len(candidates) == 1:
            return candidates[0], None
        if len(candidates) > 1:
            return None, ("enterprise_name", _("Several enterprises have this name: give the credit code."))
        if not name:
            return None, ("enterprise_name", _("Give the enterprise's credit code or name."))
        return None, ("enterprise_name", _("No enterprise on record is named “%(name)s”.") % {"name": name})

    def make_form(self, data: dict):
        code = clean_uscc(str(data.get("uscc") or "")) or None
        name = str(data.get("enterprise_name") or "").strip()
        enterprise, problem = self.find(code, name)
        record = None
        if enterprise is not None:
            try:
                year = int(str(data.get("year") or "").strip())
            except ValueError:
                year = None
            record = self.on_record.get((enterprise.pk, year))
            if record is not None and record.pk not in self.states:
                self.states[record.pk] = excel.loaded_state(record)
        form = self.form(data, instance=record if record is not None else EnterpriseYear(enterprise=enterprise))
        form.importer = self
        form.enterprise = enterprise
        form.problem = problem
        return form

    def row_errors(self, form) -> dict:
        if form.problem is not None:
            return {form.problem[0]: form.problem[1]}
        enterprise, record = form.enterprise, form.instance
        if enterprise.pk not in self.writable_enterprises:
            return {
                "enterprise_name": _("You may not record figures for “%(name)s” (kept by another team).")
                % {"name": enterprise.name}
            }
        key = (enterprise.pk, record.year)
        earlier = self.seen.setdefault(key, id(form))
        if earlier != id(form):
            return {"year": _("An earlier row has this enterprise's figures of %(year)s.") % {"year": record.year}}
        return {}


def csv_as_workbook(upload):
    """A CSV upload (UTF-8, with or without its mark, or GB 18030 as Chinese spreadsheets save it) as the .xlsx
    upload the import reads: the same rows, every cell as text (the import's fields read the numbers)."""
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    raw = upload.read(excel.MAX_BYTES + 1)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any bytes
        text = raw.decode("utf-8", errors="replace")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for count, row in enumerate(csv.reader(io.StringIO(text))):
        if count > excel.MAX_ROWS + 1:
            break
        sheet.append([excel.sheet_value(sheet, cell.strip()) if cell.strip() else None for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    name = (upload.name or "data.csv").rsplit(".", 1)[0] + ".xlsx"
    return SimpleUploadedFile(name, out.getvalue(), excel.XLSX_CONTENT_TYPE)
