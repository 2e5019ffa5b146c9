"""Key enterprises (200强): the yearly import of the ranked list, the list for the service team with each firm's
open requests, open approval items, next planned visit and per-mu class, one firm's page, its visits, and the
"my key enterprises" panel."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, IntegerField, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.accounts.models import Team
from zhaoshang.core import excel
from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import user_scope
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.services import EnterpriseIndex, clean_uscc_value

from ..choices import ITEM_DONE, REQUEST_OPEN, RankBasis, VisitState
from ..models import EnterpriseRequest, KeyEnterprise, PlanItem, ServiceVisit


def _label(name: str):
    return KeyEnterprise._meta.get_field(name).verbose_name


def can_import(user) -> bool:
    """The centre keeps the yearly list (administrators too)."""
    scope = user_scope(user)
    return scope.is_admin or scope.in_centre(Action.ADD)


# ---------------------------------------------------------------- the yearly import


def _whole(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class ListColumn(excel.Column):
    """A column that also answers to the headers of the list as the city publishes it (年度, 排名, …)."""

    aliases: tuple[str, ...] = ()
    choice_aliases: tuple[tuple[str, str], ...] = ()  # (value, another spelling)

    def header_variants(self) -> set[str]:
        return super().header_variants() | {excel.normalize_header(alias) for alias in self.aliases}

    def choice_map(self) -> dict:
        names = super().choice_map()
        for value, spelling in self.choice_aliases:
            names[excel.normalize_header(spelling)] = value
        return names


KEY_COLUMNS = [
    ListColumn("year", _label("year"), required=True, parse=_whole, help=gettext_lazy("e.g. 2026."), aliases=("年度",)),
    ListColumn(
        "rank",
        _label("rank"),
        required=True,
        parse=_whole,
        help=gettext_lazy("1 for the first firm."),
        aliases=("排名",),
    ),
    ListColumn(
        "uscc",
        gettext_lazy("unified social credit code"),
        getter=lambda r: r.enterprise.uscc,
        help=gettext_lazy("The enterprise's 18-character code; or give its name."),
        width=22,
        aliases=("统一社会信用代码", "信用代码"),
    ),
    ListColumn(
        "enterprise",
        _label("enterprise"),
        getter=lambda r: r.enterprise.name,
        help=gettext_lazy("The enterprise's registered name (used when no credit code is given)."),
        width=30,
        aliases=("企业名称", "企业"),
    ),
    ListColumn(
        "basis",
        _label("basis"),
        choices=RankBasis.choices,
        help=gettext_lazy("Industrial output or tax."),
        aliases=("排名依据",),
        choice_aliases=((RankBasis.OUTPUT, "产值"), (RankBasis.TAX, "税收"), (RankBasis.TAX, "纳税")),
    ),
    ListColumn(
        "output_wan",
        _label("output_wan"),
        help=gettext_lazy("In 10,000 yuan."),
        width=18,
        aliases=("产值(万元)", "产值（万元）", "产值"),
    ),
    ListColumn(
        "tax_wan",
        _label("tax_wan"),
        help=gettext_lazy("In 10,000 yuan."),
        width=18,
        aliases=("税收(万元)", "税收（万元）", "税收"),
    ),
    ListColumn(
        "officer",
        _label("officer"),
        getter=lambda r: r.officer.username if r.officer_id else "",
        help=gettext_lazy("The service officer's user name."),
        aliases=("服务专员",),
    ),
    ListColumn(
        "team",
        _label("team"),
        getter=lambda r: r.team.name if r.team_id else "",
        help=gettext_lazy("The service team's name in Chinese or English."),
        width=24,
        aliases=("服务团队",),
    ),
]

KEY_EXAMPLE = {
    "year": 2026,
    "rank": 1,
    "uscc": "91440700MA00000000",
    "enterprise": "示例电池科技有限公司",
    "basis": RankBasis.OUTPUT,
    "output_wan": Decimal("1250000"),
    "tax_wan": Decimal("36000"),
    "officer": "centre",
    "team": "江门市投资促进中心",
}


class KeyEnterpriseRowForm(forms.Form):
    """One row of the import: the firm by credit code or name, the officer by user name, the team by name."""

    year = forms.IntegerField(label=_label("year"), min_value=2000, max_value=2100)
    rank = forms.IntegerField(label=_label("rank"), min_value=1, max_value=10000)
    basis = forms.ChoiceField(label=_label("basis"), choices=RankBasis.choices, required=False)
    output_wan = forms.DecimalField(
        label=_label("output_wan"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    tax_wan = forms.DecimalField(label=_label("tax_wan"), max_digits=14, decimal_places=2, min_value=0, required=False)

    def __init__(self, *args, index, officers, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.index = index
        self.fields["uscc"] = forms.CharField(label=gettext_lazy("unified social credit code"), required=False)
        self.fields["enterprise"] = forms.CharField(label=_label("enterprise"), required=False)
        self.fields["officer"] = excel.LookupField(
            officers,
            label=_label("officer"),
            required=False,
            unknown_message=gettext_lazy("There is no user “%(value)s”."),
        )
        self.fields["team"] = excel.LookupField(
            teams,
            label=_label("team"),
            required=False,
            unknown_message=gettext_lazy("There is no team “%(value)s”."),
        )

    def clean(self):
        data = super().clean()
        code = clean_uscc_value(data.get("uscc"))
        name = (data.get("enterprise") or "").strip()
        firm = None
        if code:
            found = self.index.by_code(code)
            if found is None:
                self.add_error("uscc", _("No enterprise has the credit code “%(code)s”.") % {"code": code})
            else:
                firm = found.pk
        elif name:
            candidates = self.index.by_name(name)
            if not candidates:
                self.add_error("enterprise", _("There is no enterprise “%(name)s”.") % {"name": name})
            elif len(candidates) > 1:
                self.add_error(
                    "enterprise", _("“%(name)s” names more than one enterprise; give its credit code.") % {"name": name}
                )
            else:
                firm = candidates[0].pk
        else:
            self.add_error("enterprise", _("Give the enterprise's credit code or its name."))
        data["firm"] = firm
        basis = data.get("basis") or RankBasis.OUTPUT
        data["basis"] = basis
        figure = "output_wan" if basis == RankBasis.OUTPUT else "tax_wan"
        if data.get(figure) is None and figure not in self.errors:
            self.add_error(figure, _("The figure the firm is ranked by is missing."))
        return data


class KeyEnterpriseImporter:
    """The year's list of key enterprises from a workbook or CSV file: all rows or none; a year in the file
    replaces that year's whole list (its firms' visits go with the firms no longer listed)."""

    model = KeyEnterprise
    columns = KEY_COLUMNS
    title = gettext_lazy("key enterprises")

    def __init__(self, user):
        self.user = user
        # by credit code among all records, by name among those the user reads (as every import finds them)
        self.index = EnterpriseIndex(Enterprise.objects.restrict(user, Action.VIEW))
        self.officers = excel.Lookup(get_user_model().objects.filter(is_active=True), "username")
        self.teams = excel.Lookup(Team.objects.all(), "name", "name_en")

    def prepare(self, datas, present) -> None:
        self.index.load(
            codes=[str(d.get("uscc") or "") for d in datas], names=[str(d.get("enterprise") or "") for d in datas]
        )

    def make_form(self, data: dict):
        return KeyEnterpriseRowForm(data, index=self.index, officers=self.officers, teams=self.teams)

    def save_rows(self, valid) -> dict:
        years: dict[int, dict] = {}
        firms: dict[tuple, int] = {}
        ranks: dict[tuple, int] = {}
        for row, form in valid:
            data = form.cleaned_data
            year = data["year"]
            if (year, data["firm"]) in firms:
                raise excel.RowSaveError(
                    row,
                    _("Row %(earlier)s already lists this enterprise for the year.")
                    % {"earlier": firms[(year, data["firm"])]},
                    _label("enterprise"),
                )
            if (year, data["rank"]) in ranks:
                raise excel.RowSaveError(
                    row,
                    _("Row %(earlier)s already has this rank for the year.") % {"earlier": ranks[(year, data["rank"])]},
                    _label("rank"),
                )
            firms[(year, data["firm"])] = ranks[(year, data["rank"])] = row
            years.setdefault(year, {})[data["firm"]] = data
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        fields = ("rank", "basis", "output_wan", "tax_wan", "officer", "team")
        for year, by_firm in years.items():
            existing = {k.enterprise_id: k for k in KeyEnterprise.objects.filter(year=year)}
            gone = [k.pk for firm, k in existing.items() if firm not in by_firm]
            for record in KeyEnterprise.objects.filter(pk__in=gone):
                record.delete()
            # ranks move freely within the year: park the kept firms' ranks out of the way first
            kept = [k for firm, k in existing.items() if firm in by_firm]
            if kept:
                KeyEnterprise.objects.filter(pk__in=[k.pk for k in kept]).update(rank=F("rank") + 10000)
            for firm, data in by_firm.items():
                values = {
                    "rank": data["rank"],
                    "basis": data["basis"],
                    "output_wan": data.get("output_wan"),
                    "tax_wan": data.get("tax_wan"),
                    "officer": data.get("officer"),
                    "team": data.get("team"),
                }
                record = existing.get(firm)
                if record is None:
                    KeyEnterprise(year=year, enterprise_id=firm, **values).save()
                    counts["created"] += 1
                    continue
                same = all(getattr(record, name) == values[name] for name in fields)
                for name in fields:
                    setattr(record, name, values[name])
                record.save()
                counts["unchanged" if same else "updated"] += 1
        return counts

    def run(self, file, progress=None, *, dry_run: bool = False) -> excel.ImportResult:
        return excel.import_workbook(
            file,
            self.columns,
            self.make_form,
            save_rows=self.save_rows,
            prepare=self.prepare,
            progress=progress,
            dry_run=dry_run,
        )


# ---------------------------------------------------------------- the list and a firm's page


def latest_permu_run():
    from zhaoshang.review.models import EvaluationRun

    return EvaluationRun.latest()


def open_requests(user):
    return EnterpriseRequest.objects.restrict(user, Action.VIEW).filter(state__in=REQUEST_OPEN)


def open_items(user):
    return PlanItem.objects.restrict(user, Action.VIEW).exclude(state__in=ITEM_DONE)


def _count(queryset, outer: str):
    counted = (
        queryset.order_by()
        .filter(**{outer: OuterRef("enterprise_id")})
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def key_list(user, year: int | None = None):
    """The key enterprises the user reads (of ``year``), each with its open requests and open approval items (as
    far as the user reads them), its next planned visit and its per-mu class in the latest evaluation run: one
    query, whatever the number of firms."""
    from zhaoshang.review.models import EvaluationResult

    records = KeyEnterprise.objects.restrict(user, Action.VIEW).select_related("enterprise", "officer", "team")
    if year is not None:
        records = records.filter(year=year)
    next_visit = (
        ServiceVisit.objects.filter(key_enterprise=OuterRef("pk"), state=VisitState.PLANNED)
        .order_by()
        .values("key_enterprise")
        .annotate(first=Min("planned_on"))
        .values("first")
    )
    run = latest_permu_run()
    grade = Value("")
    if run is not None:
        grade = Subquery(
            EvaluationResult.objects.restrict(user, Action.VIEW)
            .filter(run=run, enterprise=OuterRef("enterprise_id"))
            .exclude(grade="")
            .values("grade")[:1]
        )
    return records.annotate(
        open_requests=_count(open_requests(user), "enterprise_id"),
        open_items=_count(open_items(user), "plan__project__enterprise_id"),
        next_visit=Subquery(next_visit),
        permu_class=grade,
    )


def key_years(user) -> list[int]:
    return list(
        KeyEnterprise.objects.restrict(user, Action.VIEW).order_by("-year").values_list("year", flat=True).distinct()
    )


def permu_class(user, enterprise):
    """The enterprise's result in the latest evaluation run (None: not evaluated, or not readable)."""
    from zhaoshang.review.models import EvaluationResult

    run = latest_permu_run()
    if run is None:
        return None
    return (
        EvaluationResult.objects.restrict(user, Action.VIEW)
        .filter(run=run, enterprise=enterprise)
        .select_related("run")
        .first()
    )


def firm_page(user, key: KeyEnterprise) -> dict:
    """What the firm's page shows: its visits, open requests, open approval items, projects and per-mu class."""
    from zhaoshang.projects.models import Project

    firm = key.enterprise
    requests = (
        open_requests(user).filter(enterprise=firm).select_related("category", "department").order_by("received_at")
    )
    items = (
        open_items(user)
        .filter(plan__project__enterprise=firm)
        .select_related("plan__project", "item", "department")
        .order_by("planned_end", "pk")
    )
    projects = (
        Project.objects.restrict(user, Action.VIEW)
        .filter(enterprise=firm)
        .select_related("district", "owner_team")
        .order_by("-lead_on", "-pk")
    )
    return {
        "visits": ServiceVisit.objects.restrict(user, Action.VIEW)
        .filter(key_enterprise=key)
        .select_related("officer", "team")
        .order_by("-planned_on", "-pk"),
        "requests": requests,
        "items": items,
        "projects": projects,
        "permu": permu_class(user, firm),
        "other_years": KeyEnterprise.objects.restrict(user, Action.VIEW)
        .filter(enterprise=firm)
        .exclude(pk=key.pk)
        .order_by("-year"),
    }


def save_visit(key: KeyEnterprise, visit: ServiceVisit, user) -> ServiceVisit:
    """Record a visit of the firm (new or changed): done with its date when findings are recorded as done; its
    officer and team default to the firm's."""
    with transaction.atomic():
        locked = KeyEnterprise.objects.restrict(user, Action.CHANGE).select_for_update().filter(pk=key.pk).first()
        if locked is None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        visit.key_enterprise = locked
        if visit.state == VisitState.DONE and visit.done_on is None:
            visit.done_on = timezone.localdate()
        if visit.state != VisitState.DONE:
            visit.done_on = None
        if visit.officer_id is None:
            visit.officer_id = locked.officer_id or user.pk
        if visit.team_id is None:
            visit.team_id = locked.team_id
        visit.save()
    return visit


# ---------------------------------------------------------------- "my work"


def work_panel(user) -> dict | None:
    """ "My key enterprises": the firms of the latest year the user serves (as officer), with the next visit and
    the open requests."""
    if not user.is_authenticated:
        return None
    year = KeyEnterprise.objects.filter(officer=user).order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return None
    firms = list(key_list(user, year).filter(officer=user).order_by("rank")[:20])
    total = KeyEnterprise.objects.filter(officer=user, year=year).count()
    items = []
    for key in firms:
        visit = _("next visit %(date)s") % {"date": key.next_visit} if key.next_visit else _("no visit planned")
        items.append(
            {
                "label": f"#{key.rank} {key.enterprise.display_name}",
                "url": key.get_absolute_url(),
                "note": _("%(visit)s · %(count)s open requests") % {"visit": visit, "count": key.open_requests},
            }
        )
    return {
        "title": _("My key enterprises"),
        "count": total,
        "items": items,
        "url": reverse("services:key-list") + f"?year={year}&mine=1",
    }
