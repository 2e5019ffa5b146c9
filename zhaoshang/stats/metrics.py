"""The metrics the city is judged by, defined once: dashboards, reports and the API name them by key.

A metric is a count or a sum over one kind of record (a *source*: projects, actual FDI records, inquiries),
restricted by filters and counted by one date column — which date is part of the definition (projects
*signed* in a period count by their signing date, projects *started* by their construction date) and is shown
beside the figure. ``stats.services`` computes metrics for a period, against the same period of the previous
year, for a user's scope, optionally grouped (district, chain, source, team, type) and ranked, always with
aggregate queries; and lists the records behind any figure (the drill-down).

To add a metric, add a ``Metric`` to ``METRICS`` below; a kind of record (chain statistics, reviews) is a
``core.stats_sources.Source`` with its date columns, groups and drill-down table, registered by the app that
owns the records in its ``AppConfig.stats_sources`` (the portal registers its inquiries that way).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import Action
from zhaoshang.core.stats_sources import Group, RegisteredSources, Source, all_records, choice_labels, model_labels
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.models import Enterprise
from zhaoshang.projects.choices import LeadSource
from zhaoshang.projects.models import LARGE_PROJECT_WAN, Project

# ---------------------------------------------------------------- units


class Unit:
    COUNT = "count"  # records
    WAN = "wan"  # 万元 (shown in 亿元 in reports)
    WAN_USD = "wan_usd"  # 万美元


UNIT_LABELS = {
    Unit.COUNT: _("records"),
    Unit.WAN: _("10,000 yuan"),
    Unit.WAN_USD: _("10,000 US dollars"),
}

# ---------------------------------------------------------------- filters

# Enterprise tags that make a "500-strong, listed or leading" investor (data: EnterpriseTag slugs).
LEADING_TAGS = ("fortune-global-500", "china-500", "china-manufacturing-500", "listed", "industry-leader")
HIGH_TECH_TAGS = ("high-tech",)
FOREIGN_TAGS = ("foreign",)


def enterprise_tagged(slugs: tuple[str, ...], enterprise_field: str = "enterprise_id") -> Q:
    """Records whose enterprise carries any of the tags. A subquery of the tagged enterprises (hashed once by the
    database, so a record counts once however many of its tags match; no join multiplies rows)."""
    tagged = Enterprise.tags.through.objects.filter(enterprisetag__slug__in=slugs).values("enterprise_id")
    return Q(**{f"{enterprise_field}__in": tagged})


# The filters of project metrics, by name (the API and the drill-down page accept them by name too).
LARGE = Q(planned_investment__gte=LARGE_PROJECT_WAN)
INDUSTRIAL = Q(project_type=ProjectType.INDUSTRIAL)


def foreign_project() -> Q:
    """Foreign capital in the project, or a foreign-invested investor."""
    return Q(foreign_investment__gt=0) | enterprise_tagged(FOREIGN_TAGS)


# ---------------------------------------------------------------- sources and groups

# Sources are registered by the apps that own the records (``core.stats_sources``): ``stats`` registers those of
# the apps below it and its own (``StatsConfig.stats_sources``), the portal its inquiries; ``stats`` imports none
# of its peers.

DISTRICT = Group("district", _("District"), "district_id", model_labels("geo.Region", ("boundary",)))
CHAIN = Group("chain", _("Industry chain"), "chain_id", model_labels("industry.Chain"))
SOURCE = Group("source", _("Lead source"), "source", choice_labels(LeadSource))
PROJECT_TEAM = Group("team", _("Team"), "owner_team_id", model_labels("accounts.Team"))
TYPE = Group("type", _("Project type"), "project_type", choice_labels(ProjectType))
FDI_TEAM = Group("team", _("Team"), "team_id", model_labels("accounts.Team"))


def city_wide(scope) -> bool:
    return scope.is_admin or scope.is_leader or scope.in_centre(Action.VIEW)


def project_records(user):
    """The projects whose figures ``user`` sees: those they may read (core.permissions, with every grant the apps
    register) — the city's for the centre, leaders and administrators; a district bureau's district; a team's
    own and supported projects."""
    return Project.objects.restrict(user, Action.VIEW)


def fdi_records(user):
    from .models import FDIRecord

    return FDIRecord.objects.restrict(user, Action.VIEW)


PROJECTS = Source(
    key="projects",
    label=_("projects"),
    model_path="projects.Project",
    for_user=project_records,
    everything=all_records("projects.Project"),
    dates={
        "lead_on": _("by the day the lead was recorded"),
        "signed_on": _("by signing date"),
        "land_on": _("by land supply date"),
        "construction_on": _("by construction start date"),
        "production_on": _("by production start date"),
        "full_production_on": _("by full production date"),
    },
    groups={g.key: g for g in (DISTRICT, CHAIN, SOURCE, PROJECT_TEAM, TYPE)},
    table="zhaoshang.projects.tables.PROJECT_TABLE",
)
FDI = Source(
    key="fdi",
    label=_("actual FDI records"),
    model_path="stats.FDIRecord",
    for_user=fdi_records,
    everything=all_records("stats.FDIRecord"),
    dates={"month": _("by month paid in")},
    groups={g.key: g for g in (DISTRICT, FDI_TEAM)},
    table="zhaoshang.stats.tables.FDI_TABLE",
)

# Every registered source by key (``StatsConfig.stats_sources`` lists PROJECTS and FDI; the portal its inquiries).
SOURCES = RegisteredSources()


# ---------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Metric:
    """A count (``sum_of`` None) or a sum of ``sum_of`` over the records of ``source`` whose ``date_field`` falls in
    the period and that pass ``filters`` (a callable returning a Q, so that subqueries are built per query).
    ``share_of`` names the metric this one is shown as a share of (high-tech projects among all ≥1亿 ones)."""

    key: str
    label: object
    source: str
    date_field: str
    sum_of: str | None = None
    filters: Callable[[], Q] = field(default=Q)
    unit: str = Unit.COUNT
    share_of: str | None = None
    description: object = ""

    @property
    def source_def(self) -> Source:
        return SOURCES[self.source]

    @property
    def date_label(self):
        return self.source_def.date_label(self.date_field)

    @property
    def unit_label(self):
        return UNIT_LABELS[self.unit]

    def condition(self) -> Q:
        return self.filters()


_METRICS = [
    Metric("leads", _("Leads recorded"), "projects", "lead_on"),
    Metric("signed", _("Projects signed"), "projects", "signed_on"),
    Metric(
        "signed_investment",
        _("Planned investment of projects signed"),
        "projects",
        "signed_on",
        sum_of="planned_investment",
        unit=Unit.WAN,
    ),
    Metric(
        "large_signed",
        _("Projects of ≥100M yuan signed"),
        "projects",
        "signed_on",
        filters=lambda: LARGE,
        description=_("Planned investment of at least 10,000 (10,000 yuan), i.e. 100 million yuan."),
    ),
    Metric(
        "large_signed_investment",
        _("Planned investment of projects of ≥100M yuan signed"),
        "projects",
        "signed_on",
        sum_of="planned_investment",
        filters=lambda: LARGE,
        unit=Unit.WAN,
    ),
    Metric(
        "large_industrial_signed",
        _("Industrial projects of ≥100M yuan signed"),
        "projects",
        "signed_on",
        filters=lambda: LARGE & INDUSTRIAL,
    ),
    Metric(
        "large_industrial_signed_investment",
        _("Planned investment of industrial projects of ≥100M yuan signed"),
        "projects",
        "signed_on",
        sum_of="planned_investment",
        filters=lambda: LARGE & INDUSTRIAL,
        unit=Unit.WAN,
    ),
    Metric(
        "large_leading_signed",
        _("Projects of ≥100M yuan signed by top-500, listed or leading enterprises"),
        "projects",
        "signed_on",
        filters=lambda: LARGE & enterprise_tagged(LEADING_TAGS),
        share_of="large_signed",
        description=_(
            "Investors tagged Fortune Global 500, China Top 500, China Manufacturing Top 500, listed or "
            "industry leader."
        ),
    ),
    Metric(
        "large_high_tech_signed",
        _("Projects of ≥100M yuan signed by high-tech enterprises"),
        "projects",
        "signed_on",
        filters=lambda: LARGE & enterprise_tagged(HIGH_TECH_TAGS),
        share_of="large_signed",
    ),
    Metric(
        "large_foreign_signed",
        _("Foreign-funded projects of ≥100M yuan signed"),
        "projects",
        "signed_on",
        filters=lambda: LARGE & foreign_project(),
        share_of="large_signed",
        description=_("With foreign capital in the project or a foreign-invested investor."),
    ),
    Metric(
        "large_started",
        _("Projects of ≥100M yuan that started construction"),
        "projects",
        "construction_on",
        filters=lambda: LARGE,
    ),
    Metric(
        "large_started_investment",
        _("Planned investment of projects of ≥100M yuan that started construction"),
        "projects",
        "construction_on",
        sum_of="planned_investment",
        filters=lambda: LARGE,
        unit=Unit.WAN,
    ),
    Metric(
        "large_producing",
        _("Projects of ≥100M yuan that started production"),
        "projects",
        "production_on",
        filters=lambda: LARGE,
    ),
    Metric(
        "fdi_actual",
        _("Actual FDI utilized"),
        "fdi",
        "month",
        sum_of="amount_cny",
        unit=Unit.WAN,
    ),
    Metric(
        "fdi_actual_usd",
        _("Actual FDI utilized (US dollars)"),
        "fdi",
        "month",
        sum_of="amount_usd",
        unit=Unit.WAN_USD,
    ),
    Metric(
        "inquiries",
        _("Investor inquiries received"),
        "inquiries",
        "created__date",
        # an inquiry its team dismissed (spam, not relevant) is not an investor's inquiry
        filters=lambda: Q(dismissed_at__isnull=True),
        description=_("Inquiries dismissed by their team as spam or not relevant are not counted."),
    ),
]

METRICS: dict[str, Metric] = {m.key: m for m in _METRICS}


def get_metric(key: str) -> Metric:
    try:
        return METRICS[key]
    except KeyError:
        raise ValueError(_("There is no metric “%(metric)s”.") % {"metric": key}) from None
