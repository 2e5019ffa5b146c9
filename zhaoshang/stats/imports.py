"""Excel import and export of actual FDI records (core/excel.py): a template, every row checked, all or nothing.

The reference (``code``) keys the import: a known reference updates that record, an empty one creates a record.
The enterprise is named by its credit code or its name, the project by its reference, the district by its code or
name, the team by its name; 万元 is computed from 万美元 × the rate when left empty, and checked against them when
given.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import excel
from zhaoshang.core.choices import Action
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Region
from zhaoshang.industry.models import Enterprise
from zhaoshang.projects.models import Project

from .forms import MONTH_FORMATS, MonthField, writable_teams
from .models import FDIRecord, next_fdi_codes
from .models.fdi import FDI_CODE_PREFIX


def _label(name):
    return capfirst(FDIRecord._meta.get_field(name).verbose_name)


def _month(value):
    return value.strftime("%Y-%m") if value else None


FDI_COLUMNS = [
    excel.Column(
        "code",
        _label("code"),
        help=_("Empty for a new record; the reference of an exported record updates it."),
    ),
    excel.Column(
        "enterprise",
        _label("enterprise"),
        getter=lambda r: (r.enterprise.uscc or r.enterprise.name) if r.enterprise_id else None,
        help=_("The enterprise's credit code or its exact name, as recorded on the platform."),
        width=28,
    ),
    excel.Column(
        "project",
        _label("project"),
        getter=lambda r: r.project.code if r.project_id else None,
        help=_("The project's reference (XM…), when the capital belongs to one project."),
    ),
    excel.Column(
        "district",
        _label("district"),
        getter=lambda r: r.district.adcode if r.district_id else None,
        help=_("The district's code or name; empty: the project's or the enterprise's district."),
    ),
    excel.Column(
        "team",
        _label("team"),
        required=True,
        getter=lambda r: r.team.name,
        help=_("The name of your team that records the figure."),
    ),
    excel.Column("month", _label("month"), required=True, format=_month, help=_("YYYY-MM, e.g. 2026-10.")),
    excel.Column("amount_usd", _label("amount_usd"), required=True, help=_("In 10,000 US dollars.")),
    excel.Column("exchange_rate", _label("exchange_rate"), required=True, help=_("Yuan per US dollar used, e.g. 7.1")),
    excel.Column(
        "amount_cny",
        _label("amount_cny"),
        help=_("In 10,000 yuan; empty: computed from the dollar amount and the rate."),
    ),
    excel.Column("note", _label("note"), width=30),
]

FDI_EXAMPLE = {
    "enterprise": "泰莱集团",
    "team": "市投资促进中心",
    "month": "2026-10",
    "amount_usd": Decimal("1250"),
    "exchange_rate": Decimal("7.1"),
}


class FDIImportForm(excel.ImportFormMixin, forms.ModelForm):
    month = MonthField(label=_label("month"), input_formats=MONTH_FORMATS)

    class Meta:
        model = FDIRecord
        fields = ["code"]


class FDIImporter(excel.ModelImporter):
    model = FDIRecord
    columns = FDI_COLUMNS
    key = "code"
    form_class = FDIImportForm
    title = _("actual FDI records")

    def __init__(self, user):
        super().__init__(user)
        self.numbers: dict[int, int] = {}  # year → the number of the next new reference

    def queryset(self):
        return FDIRecord._base_manager.select_related("enterprise", "project", "district", "team")

    def preload(self, datas, present):
        super().preload(datas, present)
        self.enterprise_keys = sorted({str(d["enterprise"]).strip() for d in datas if d.get("enterprise")})
        self.project_keys = sorted({str(d["project"]).strip() for d in datas if d.get("project")})

    def field_overrides(self, present):
        keys = {c.key for c in present}
        fields = {}
        if "enterprise" in keys:
            names = self.enterprise_keys
            enterprises = (
                Enterprise.objects.restrict(self.user, Action.VIEW)
                .filter(Q(uscc__in=names) | Q(name__in=names))
                .defer("search_text")
            )
            fields["enterprise"] = excel.LookupField(
                excel.Lookup(enterprises, "uscc", "name"),
                required=False,
                label=_label("enterprise"),
                unknown_message=_("There is no enterprise “%(value)s” you can see (give its credit code or name)."),
            )
        if "project" in keys:
            projects = Project.objects.restrict(self.user, Action.VIEW).filter(code__in=self.project_keys)
            fields["project"] = excel.LookupField(
                excel.Lookup(projects.select_related("enterprise", "district").defer("search_text"), "code"),
                required=False,
                label=_label("project"),
                unknown_message=_("There is no project with the reference “%(value)s” you can see."),
            )
        if "district" in keys:
            regions = Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary")
            fields["district"] = excel.LookupField(
                excel.Lookup(regions, "adcode", "name", "name_en"),
                required=False,
                label=_label("district"),
                unknown_message=_("“%(value)s” is not a district of this city (give its code or name)."),
            )
        fields["team"] = excel.LookupField(
            excel.Lookup(writable_teams(self.user), "name", "name_en"),
            label=_label("team"),
            unknown_message=_("“%(value)s” is not a team you record figures for."),
        )
        return fields

    def prepare_bulk(self, obj):
        obj.fill_derived()
        if not obj.code:
            year = obj.month.year
            if year not in self.numbers:
                self.numbers[year] = int(next_fdi_codes(1, year)[0].rsplit("-", 1)[1])
            obj.code = f"{FDI_CODE_PREFIX}{year}-{self.numbers[year]:06d}"
            self.numbers[year] += 1
