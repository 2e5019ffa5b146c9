"""The official monthly report (工作通报): written by the system from the records for any month, in Chinese and
English, as Excel, Word and PDF (``core.documents``); published reports are frozen.

The report of month N covers January to N (1—N月) and compares it with the same period of the previous year:

- the headline paragraph (``services.headline``: the ≥1亿 projects, the industrial ones, those of top-500, listed
  and leading enterprises and of high-tech ones) and the actual-FDI sentence with its comparison figures;
- 表1, the districts: ≥1亿 projects signed, their planned investment, the industrial ones, those started and
  producing, each with year-on-year change, ranked by the number signed (every district of the city is listed,
  also those with nothing to report);
- 表2–4, the ≥1亿 projects signed, started and put into production in month N itself (本月), largest first;
- 表5–6, the ten largest ≥1亿 projects signed but not started, and started but not producing, as at the end of
  month N (by their stage dates, so a past month's report is reproduced as it was);
- 表7, the chains: ≥1亿 projects signed and their planned investment by chain, with shares;
- the sentences and tables other apps register (``core.report_parts``): the chains' value added of the month
  (规上工业增加值) after the FDI sentence and as 表8.

Amounts are rounded one by one, each to the decimals the report shows (亿元 to one), the way statistics offices
publish them: a district's amount is the same in every report and on the dashboard. Where the rounded rows of a
table do not add up to its rounded total, the table says so in a note (``rounding_note``) — and only there.

Official documents leave the owning team's hands, so a confidential project is listed without its name and
investor ("保密项目"); its figures count like any other.

A published report keeps both languages' documents and the records behind the headline figures as they were
(``Report``), and is dated its date of issue, set by the publisher when publishing (the day of publishing unless
changed); the live report is dated the day it is computed and moves on with the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhaoshang.core.documents import Document, Section, Table, local_day
from zhaoshang.core.permissions import user_scope
from zhaoshang.core.report_parts import report_sentences, report_tables

from .metrics import LARGE, SOURCES, city_wide, get_metric
from .periods import Period, english
from .services import (
    HEADLINE_METRICS,
    billion,
    change_en,
    change_zh,
    compute,
    drill_records,
    format_value,
    headline,
    yi,
)

TOP = 10  # the length of the lists of projects waiting for their next stage
MONTH_LIST_LIMIT = 50  # the month's projects listed in a report, largest first (all of them are online)

DISTRICT_METRICS = (
    "large_signed",
    "large_signed_investment",
    "large_industrial_signed",
    "large_started",
    "large_producing",
)
CHAIN_METRICS = ("large_signed", "large_signed_investment")
# The projects of month N listed in the report: metric, the stage date shown.
MONTH_LISTS = (
    ("large_signed", "signed_on"),
    ("large_started", "construction_on"),
    ("large_producing", "production_on"),
)


def amount(wan) -> object:
    """万元 → 亿元 (one decimal) in Chinese, billion yuan (two decimals) in English."""
    if wan is None:
        return None
    return billion(wan) if english() else yi(wan)


def amount_unit() -> str:
    return _("billion yuan") if english() else "亿元"


def joined(*parts: str) -> str:
    """Sentences of one note: side by side in Chinese, a space between them in English."""
    return (" " if english() else "").join(part for part in parts if part)


def rounding_note(rows: list[list], total: list, columns: tuple[int, ...]) -> str:
    """The note a table carries when its rows' rounded amounts (``columns``) do not add up to its rounded total;
    "" when they do."""
    for index in columns:
        added = sum((row[index] for row in rows if row[index] is not None), Decimal(0))
        if total[index] is not None and added != total[index]:
            return _(
                "Amounts are rounded one by one: the rows add up to %(rows)s %(unit)s, the total is %(total)s %(unit)s."
            ) % {"rows": added, "total": total[index], "unit": amount_unit()}
    return ""


def dated(day: date) -> str:
    """A report's date as it is printed under its title: 2025年12月5日, 2025-12-05 in English."""
    return day.isoformat() if english() else f"{day.year}年{day.month}月{day.day}日"


def city_name() -> str:
    """The city's name in the page language."""
    from zhaoshang.geo.services import configured_city

    region = configured_city()
    return region.display_name if region else ""


def issuer_name() -> str:
    """The centre's name in the page language: it issues the report."""
    from zhaoshang.accounts.choices import TeamKind
    from zhaoshang.accounts.models import Team

    team = Team.objects.filter(kind=TeamKind.CENTRE, active=True).order_by("pk").first()
    return team.display_name if team else ""


@dataclass
class ProjectRow:
    """One project as a report lists it (and as a published report keeps it)."""

    id: int
    code: str
    name: str
    enterprise: str
    district_zh: str
    district_en: str
    chain: str
    planned_investment: object  # 万元
    day: date | None
    confidential: bool

    @classmethod
    def rows(cls, queryset, date_field: str) -> list[ProjectRow]:
        values = queryset.values_list(
            "pk",
            "code",
            "name",
            "enterprise__name",
            "district__name",
            "district__name_en",
            "chain__name",
            "planned_investment",
            date_field,
            "confidential",
        )
        return [cls(*row) for row in values]

    @property
    def district(self) -> str:
        return ((english() and self.district_en) or self.district_zh) or ""

    def shown_name(self) -> str:
        return _("Confidential project") if self.confidential else self.name

    def shown_enterprise(self) -> str:
        return "" if self.confidential else (self.enterprise or "")

    def as_data(self) -> dict:
        """As a published report keeps it (names are masked when shown, not when kept)."""
        return {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "enterprise": self.enterprise or "",
            "district": self.district_zh or "",
            "district_en": self.district_en or "",
            "chain": self.chain or "",
            "planned_investment": None if self.planned_investment is None else str(self.planned_investment),
            "day": self.day.isoformat() if self.day else None,
            "confidential": self.confidential,
        }

    @classmethod
    def from_data(cls, data: dict) -> ProjectRow:
        amount = data.get("planned_investment")
        day = data.get("day")
        return cls(
            id=data["id"],
            code=data["code"],
            name=data["name"],
            enterprise=data.get("enterprise", ""),
            district_zh=data.get("district", ""),
            district_en=data.get("district_en", ""),
            chain=data.get("chain", ""),
            planned_investment=None if amount is None else Decimal(amount),
            day=date.fromisoformat(day) if day else None,
            confidential=data.get("confidential", False),
        )


def month_projects(
    metric_key: str, date_field: str, year: int, month: int, user=None, limit: int | None = None
) -> tuple[list[ProjectRow], int]:
    """The largest ``limit`` (``MONTH_LIST_LIMIT``) projects of the month's figure, and how many there are in all."""
    limit = limit or MONTH_LIST_LIMIT
    records = drill_records(get_metric(metric_key), Period.month(year, month), user)
    ordered = records.order_by("-planned_investment", date_field, "pk")
    rows = ProjectRow.rows(ordered[: limit + 1], date_field)
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], records.count()


def waiting_projects(reached: str, next_stage: str, end: date, user=None, limit: int = TOP) -> list[ProjectRow]:
    """The largest ≥1亿 projects that had reached ``reached`` by ``end`` but not ``next_stage`` (nor been dropped).

    A project that stands at ``next_stage`` or beyond with that date unknown (imported from a ledger) is not
    listed: it is not waiting, and the consistency checks list its missing date."""
    from zhaoshang.projects.choices import FORWARD, STAGE_DATE_FIELDS, Stage

    stage = next(s for s, column in STAGE_DATE_FIELDS.items() if column == next_stage)
    beyond = FORWARD[FORWARD.index(stage) :]
    past = Q(stage__in=beyond) | Q(stage__in=[Stage.PAUSED, Stage.DROPPED], resume_stage__in=beyond)
    records = (
        SOURCES["projects"]
        .records(user)
        .filter(LARGE, **{f"{reached}__lte": end})
        .filter((Q(**{f"{next_stage}__isnull": True}) & ~past) | Q(**{f"{next_stage}__gt": end}))
        .filter(Q(dropped_on__isnull=True) | Q(dropped_on__gt=end))
        .order_by("-planned_investment", reached, "pk")
    )
    return ProjectRow.rows(records[:limit], reached)


def _district_table(period: Period, user, figures) -> Table:
    from zhaoshang.geo.choices import RegionLevel
    from zhaoshang.geo.models import Region

    by_metric = {key: {g.key: g for g in figures[key].groups} for key in DISTRICT_METRICS}
    signed = figures["large_signed"]
    # every district with a figure in any column (one may have started projects and signed none), so that each
    # column's rows add up to its total
    keys = list(dict.fromkeys(key for metric in DISTRICT_METRICS for key in by_metric[metric]))
    if user is None or city_wide(user_scope(user)):
        city = settings.ZHAOSHANG_CITY_ADCODE
        districts = Region.objects.filter(level=RegionLevel.DISTRICT, adcode__startswith=city[:4]).order_by("adcode")
        keys += [pk for pk in districts.values_list("pk", flat=True) if pk not in keys]
    names = {
        region.pk: region.display_name
        for region in Region.objects.filter(pk__in=[k for k in keys if k is not None]).defer("boundary")
    }

    def value(metric, key):
        found = by_metric[metric].get(key)
        return found.value if found else 0

    def change(metric, key):
        found = by_metric[metric].get(key)
        return found.yoy if found else None  # "—": nothing to compare with

    rows = []
    for key in keys:
        ranked = by_metric["large_signed"].get(key)
        rows.append(
            [
                names.get(key, _("Not set")),
                value("large_signed", key),
                change("large_signed", key),
                amount(value("large_signed_investment", key)),
                change("large_signed_investment", key),
                value("large_industrial_signed", key),
                value("large_started", key),
                value("large_producing", key),
                ranked.rank if ranked else None,
            ]
        )
    rows.sort(key=lambda row: (row[8] is None, row[8] or 0, row[0]))
    total = [
        _("Total"),
        signed.value,
        signed.yoy,
        amount(figures["large_signed_investment"].value),
        figures["large_signed_investment"].yoy,
        figures["large_industrial_signed"].value,
        figures["large_started"].value,
        figures["large_producing"].value,
        None,
    ]
    unit = amount_unit()
    return Table(
        title=_("Table 1 Projects of ≥100M yuan by district, %(period)s") % {"period": period.label},
        columns=[
            _("City or district"),
            _("Signed (projects)"),
            _("Year on year (%)"),
            _("Planned investment (%(unit)s)") % {"unit": unit},
            _("Year on year (%)"),
            _("Of which industrial"),
            _("Construction started (projects)"),
            _("Production started (projects)"),
            _("Rank"),
        ],
        rows=rows,
        total=total,
        note=joined(
            _(
                "Signed projects count by signing date, started ones by construction start, producing ones by "
                "production start; ranked by the number signed."
            ),
            rounding_note(rows, total, (3,)),
        ),
        sheet=_("Table 1 Districts"),
    )


def _project_table(
    number: int, title: str, rows: list[ProjectRow], date_label: str, sheet: str, days_to=None, count=None
):
    columns = [
        _("No."),
        _("Project"),
        _("Investor"),
        _("City or district"),
        _("Planned investment (%(unit)s)") % {"unit": amount_unit()},
        date_label,
    ]
    if days_to:
        columns.append(_("Days waiting"))
    body = []
    for position, row in enumerate(rows, start=1):
        line = [
            position,
            row.shown_name(),
            row.shown_enterprise(),
            row.district or "",
            amount(row.planned_investment),
            row.day,
        ]
        if days_to:
            line.append((days_to - row.day).days if row.day else None)
        body.append(line)
    return Table(
        title=_("Table %(number)s %(title)s") % {"number": number, "title": title},
        columns=columns,
        rows=body,
        note=_note(len(body), count),
        sheet=sheet,
    )


def _note(shown: int, count: int | None) -> str:
    if not shown:
        return _("None in this period.")
    if count is not None and count > shown:
        return _("The %(shown)s largest of %(count)s are listed; all of them are in the list behind the figure.") % {
            "shown": shown,
            "count": count,
        }
    return ""


def _chain_table(period: Period, figures) -> Table:
    counts = {g.key: g for g in figures["large_signed"].groups}
    amounts = {g.key: g for g in figures["large_signed_investment"].groups}
    rows = []
    for key, entry in counts.items():
        money = amounts.get(key)
        rows.append(
            [
                entry.label,
                entry.value,
                entry.yoy,
                amount(money.value if money else 0),
                money.yoy if money else None,
                entry.share,
            ]
        )
    total = [
        _("Total"),
        figures["large_signed"].value,
        figures["large_signed"].yoy,
        amount(figures["large_signed_investment"].value),
        figures["large_signed_investment"].yoy,
        None,
    ]
    return Table(
        title=_("Table 7 Projects of ≥100M yuan signed by industry chain, %(period)s") % {"period": period.label},
        columns=[
            _("Industry chain"),
            _("Signed (projects)"),
            _("Year on year (%)"),
            _("Planned investment (%(unit)s)") % {"unit": amount_unit()},
            _("Year on year (%)"),
            _("Share of projects (%)"),
        ],
        rows=rows,
        total=total,
        note=rounding_note(rows, total, (3,)),
        sheet=_("Table 7 Chains"),
    )


def fdi_sentence(period: Period, user=None) -> str:
    """实际利用外资 of the period with its change and the comparison figures entered for it, or "" without any."""
    figure = compute(["fdi_actual"], period, user, links=False)["fdi_actual"]
    if not figure.value and not figure.previous:
        return ""
    if english():
        text = f"Actual FDI utilized was {billion(figure.value)} billion yuan, {change_en(figure.yoy)}"
        extra = [f"{c.name_en or c.name} {c.value.normalize():f}{c.unit}" for c in figure.comparisons]
        return text + (f" ({'; '.join(extra)})" if extra else "") + "."
    text = f"{period.span_zh()}，实际利用外资{yi(figure.value)}亿元，{change_zh(figure.yoy)}"
    extra = [f"{c.name}{c.value.normalize():f}{c.unit}" for c in figure.comparisons]
    return text + (f"（{'；'.join(extra)}）" if extra else "") + "。"


def monthly_report(
    year: int, month: int, user=None, today: date | None = None, issued_on: date | None = None
) -> Document:
    """The report of one month for a user's scope (None: the city), in the active language, computed ``today``
    and dated ``issued_on`` (its date of issue when published; the day it is computed otherwise)."""
    period = Period.cumulative(year, month)
    today = today or local_day(timezone.now())
    en = english()
    figures = compute(DISTRICT_METRICS, period, user, group="district", links=False)
    chains = compute(CHAIN_METRICS, period, user, group="chain", links=False)
    lead = [headline(period, user)["en" if en else "zh"]]
    fdi = fdi_sentence(period, user)
    if fdi:
        lead.append(fdi)
    lead.extend(report_sentences(period, user))

    month_label = Period.month(year, month).label
    lists = []
    titles = {
        "large_signed": (_("Projects of ≥100M yuan signed in %(month)s"), _("Signed on"), _("Table 2 Signed")),
        "large_started": (
            _("Projects of ≥100M yuan that started construction in %(month)s"),
            _("Construction started on"),
            _("Table 3 Started"),
        ),
        "large_producing": (
            _("Projects of ≥100M yuan that started production in %(month)s"),
            _("Production started on"),
            _("Table 4 Producing"),
        ),
    }
    for number, (metric, date_field) in enumerate(MONTH_LISTS, start=2):
        title, date_label, sheet = titles[metric]
        rows, count = month_projects(metric, date_field, year, month, user)
        lists.append(_project_table(number, title % {"month": month_label}, rows, date_label, sheet, count=count))

    end = period.end
    waiting = [
        _project_table(
            5,
            _("The %(top)s largest projects of ≥100M yuan signed but not started, at %(day)s")
            % {"top": TOP, "day": end.isoformat()},
            waiting_projects("signed_on", "construction_on", end, user),
            _("Signed on"),
            _("Table 5 Not started"),
            days_to=end,
        ),
        _project_table(
            6,
            _("The %(top)s largest projects of ≥100M yuan started but not producing, at %(day)s")
            % {"top": TOP, "day": end.isoformat()},
            waiting_projects("construction_on", "production_on", end, user),
            _("Construction started on"),
            _("Table 6 Not producing"),
            days_to=end,
        ),
    ]
    return Document(
        title=_("%(place)s investment promotion report") % {"place": city_name()},
        issue=_("%(year)s, No. %(number)s") % {"year": year, "number": month},
        issuer=issuer_name(),
        dated=dated(issued_on or today),
        lead=lead,
        sections=[
            Section(_("1. Districts"), tables=[_district_table(period, user, figures)]),
            Section(_("2. Projects of the month"), tables=lists),
            Section(_("3. Projects waiting for their next stage"), tables=waiting),
            Section(_("4. Industry chains"), tables=[_chain_table(period, chains), *report_tables(period, user)]),
        ],
        footer=_("Computed from the records on %(day)s; every figure can be traced to its projects.")
        % {"day": today.isoformat()},
    )


def headline_records(period: Period, user=None) -> dict:
    """The projects behind each headline figure, as a published report keeps them."""
    records = {}
    for key in HEADLINE_METRICS:
        metric = get_metric(key)
        rows = ProjectRow.rows(drill_records(metric, period, user).order_by("pk"), metric.date_field)
        records[key] = [row.as_data() for row in rows]
    return records


# ---------------------------------------------------------------- publishing (frozen reports)


class PublishError(Exception):
    pass


def last_complete_month(today: date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def check_issue_date(year: int, month: int, issued_on: date, today: date) -> None:
    """A report is issued after the month it reports on is over, and not later than the day it is published."""
    after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    if issued_on < after:
        raise PublishError(
            _("Date of issue: the report of a month is issued once the month is over, on %(day)s or later.")
            % {"day": after.isoformat()}
        )
    if issued_on > today:
        raise PublishError(
            _("Date of issue: a report is published on or after its date of issue, not before (today is %(day)s).")
            % {"day": today.isoformat()}
        )


def publish(year: int, month: int, user, today: date | None = None, issued_on: date | None = None):
    """Freeze the city's report of ``year``-``month``: both languages' documents and the projects behind the
    headline figures, as they are now, dated ``issued_on`` (default: today, in ``TIME_ZONE``). Only a finished
    month, once; by a publisher (``report_publisher``)."""
    from django.core.exceptions import PermissionDenied
    from django.db import IntegrityError, transaction

    from zhaoshang.core.documents import to_data

    from .models import Report, report_publisher

    if not report_publisher(user):
        raise PermissionDenied
    today = today or local_day(timezone.now())
    issued_on = issued_on or today
    if (year, month) > last_complete_month(today):
        raise PublishError(_("Only a month that is over can be published."))
    if Report.objects.filter(year=year, month=month).exists():
        raise PublishError(_("The report of this month has been published already."))
    check_issue_date(year, month, issued_on, today)
    content = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            content[language] = to_data(monthly_report(year, month, None, today, issued_on))
    records = headline_records(Period.cumulative(year, month))
    try:
        with transaction.atomic():
            return Report.objects.create(
                year=year, month=month, issued_on=issued_on, content=content, records=records, published_by=user
            )
    except IntegrityError:
        raise PublishError(_("The report of this month has been published already.")) from None


def frozen_document(report) -> Document:
    """A published report's document in the active language (Chinese when the language was not kept)."""
    from zhaoshang.core.documents import from_data

    language = "en" if english() else "zh-hans"
    return from_data(report.content.get(language) or report.content["zh-hans"])


def frozen_records(report) -> list[dict]:
    """The headline figures of a published report with the projects each counted, as they were when published
    (a report published before a figure joined the headline has none kept for it: the figure is left out)."""
    figures = []
    for key in HEADLINE_METRICS:
        if key not in report.records:
            continue
        metric = get_metric(key)
        rows = [ProjectRow.from_data(data) for data in report.records.get(key, [])]
        if metric.sum_of:
            value = sum((row.planned_investment or 0 for row in rows), Decimal(0))
        else:
            value = len(rows)
        figures.append({"metric": metric, "value": format_value(metric, value), "rows": rows})
    return figures
