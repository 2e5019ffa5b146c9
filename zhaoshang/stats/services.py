"""Figures from the records: metrics over a period against the same period of the previous year, grouped and
ranked, the records behind each figure, and the headline paragraph of the monthly report.

Every figure is computed by the database: the metrics that count by one date column of one kind of record are
aggregated together in ONE query, current and previous period side by side (conditional aggregation over the
rows of both periods), grouped when asked. Nothing iterates records in Python. ``user`` None means the whole
city (commands, the official report); otherwise the user's scope (``metrics.Source.for_user``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import user_scope
from zhaoshang.core.units import WAN_PER_YI, quantize

from .metrics import METRICS, SOURCES, Metric, Unit, get_metric
from .periods import NO_FIGURE, Period, english, format_percent, share, yoy


@dataclass
class GroupFigure:
    key: object
    label: str
    value: int | Decimal
    previous: int | Decimal
    yoy: Decimal | None
    share: Decimal | None  # of the group's own total (its part of the figure)
    rank: int = 0
    url: str = ""


@dataclass
class Figure:
    metric: Metric
    period: Period
    value: int | Decimal
    previous: int | Decimal
    yoy: Decimal | None
    share: Decimal | None = None  # of ``metric.share_of`` in the same period
    group: str | None = None
    groups: list[GroupFigure] = field(default_factory=list)
    url: str = ""
    previous_url: str = ""
    comparisons: list = field(default_factory=list)

    @property
    def previous_period(self) -> Period:
        return self.period.previous_year()


def in_period(date_field: str, period: Period) -> Q:
    return Q(**{f"{date_field}__gte": period.start, f"{date_field}__lte": period.end})


def _both_periods(date_field: str, period: Period, previous: Period) -> Q:
    """The rows of a period and its previous-year period: one range from the earlier start to the later end when
    that holds little more (January to N: two stretches a few months apart; a year: the two years), so that the
    date index is read in one sweep; two ranges otherwise (a month: thirteen months in between)."""
    both = (period.end - period.start).days + (previous.end - previous.start).days + 2
    span = (period.end - previous.start).days + 1
    if span <= 1.5 * both:
        return Q(**{f"{date_field}__gte": previous.start, f"{date_field}__lte": period.end})
    return in_period(date_field, period) | in_period(date_field, previous)


def aggregate(metric: Metric, condition: Q):
    """COUNT(1) rather than of the key: a count of rows read from a covering index alone needs no key."""
    if metric.sum_of is None:
        return Count(Value(1), filter=condition)
    return Sum(metric.sum_of, filter=condition)


def raw_value(metric: Metric, raw):
    if metric.sum_of is None:
        return int(raw or 0)
    return Decimal(raw or 0)


def _rank(groups: list[GroupFigure]) -> list[GroupFigure]:
    """Largest first (ties by name), ranked as competitions are: 1, 2, 2, 4."""
    groups.sort(key=lambda g: (-g.value, str(g.label)))
    for position, entry in enumerate(groups, start=1):
        tied = position > 1 and groups[position - 2].value == entry.value
        entry.rank = groups[position - 2].rank if tied else position
    return groups


def compute(keys, period: Period, user=None, group: str | None = None, *, links: bool = True) -> dict[str, Figure]:
    """The figures of the metrics ``keys`` for ``period`` and its previous-year period, for ``user``'s records
    (the city's for None), each with year-on-year change, share (when the metric is a share of another) and, with
    ``group``, one entry per group ranked by value. One query per (kind of record, date column)."""
    metrics = [get_metric(k) for k in keys]
    wanted = {m.key: m for m in metrics}
    for m in metrics:
        if m.share_of:
            wanted.setdefault(m.share_of, METRICS[m.share_of])
    buckets: dict[tuple[str, str], list[Metric]] = {}
    for m in wanted.values():
        buckets.setdefault((m.source, m.date_field), []).append(m)
    previous = period.previous_year()
    totals: dict[str, tuple] = {}
    grouped: dict[str, dict] = {}
    for (source_key, date_field), bucket in buckets.items():
        source = SOURCES[source_key]
        if group is not None and group not in source.groups:
            raise ValueError(
                _("The figures of %(source)s cannot be grouped by “%(group)s”.")
                % {"source": source.label, "group": group}
            )
        current_q, previous_q = in_period(date_field, period), in_period(date_field, previous)
        annotations = {}
        for index, m in enumerate(bucket):
            condition = m.condition()
            annotations[f"c{index}"] = aggregate(m, current_q & condition)
            annotations[f"p{index}"] = aggregate(m, previous_q & condition)
        rows = source.records(user).filter(_both_periods(date_field, period, previous)).order_by()
        if group is None:
            row = rows.aggregate(**annotations)
            for index, m in enumerate(bucket):
                totals[m.key] = (raw_value(m, row[f"c{index}"]), raw_value(m, row[f"p{index}"]))
            continue
        column = source.groups[group].column
        for m in bucket:
            grouped[m.key] = {}
        for row in rows.values(column).annotate(**annotations):
            for index, m in enumerate(bucket):
                grouped[m.key][row[column]] = (raw_value(m, row[f"c{index}"]), raw_value(m, row[f"p{index}"]))
        for m in bucket:
            values = grouped[m.key].values()
            zero = raw_value(m, None)
            totals[m.key] = (sum((v[0] for v in values), zero), sum((v[1] for v in values), zero))

    figures = {}
    for m in metrics:
        value, before = totals[m.key]
        figure = Figure(metric=m, period=period, value=value, previous=before, yoy=yoy(value, before), group=group)
        if m.share_of:
            figure.share = share(value, totals[m.share_of][0])
        if links:
            figure.url = drill_url(m, period)
            figure.previous_url = drill_url(m, period, previous=True)
        if group is not None:
            groups_def = m.source_def.groups[group]
            names = groups_def.labels(list(grouped[m.key]))
            entries = []
            for key, (v, p) in grouped[m.key].items():
                if v == 0 and p == 0:
                    continue
                label = names.get(key, key) if key is not None else _("Not set")
                entries.append(
                    GroupFigure(
                        key=key,
                        label=str(label),
                        value=v,
                        previous=p,
                        yoy=yoy(v, p),
                        share=share(v, value),
                        url=drill_url(m, period, group=group, key=key) if links else "",
                    )
                )
            figure.groups = _rank(entries)
        figures[m.key] = figure
    _attach_comparisons(figures, period)
    return figures


def figure(key: str, period: Period, user=None, group: str | None = None) -> Figure:
    return compute([key], period, user, group)[key]


def _attach_comparisons(figures: dict[str, Figure], period: Period) -> None:
    from .models import ComparisonFigure

    if not figures:
        return
    for comparison in ComparisonFigure.objects.filter(metric__in=list(figures), period=period.key).order_by("name"):
        figures[comparison.metric].comparisons.append(comparison)


# ---------------------------------------------------------------- the records behind a figure


NOT_SET = "none"  # the group key of records without a value in the group's column (in URLs)


def drill_records(metric: Metric, period: Period, user=None, group: str | None = None, key=None):
    """The records a figure counts: of ``user``'s records (the city's for None), those whose date falls in the
    period and that pass the metric's filters — and, with ``group``, whose group column is ``key``. Their count
    (or the sum of the metric's column) is the figure."""
    source = metric.source_def
    records = source.records(user).filter(in_period(metric.date_field, period)).filter(metric.condition())
    if group is not None:
        column = source.groups[group].column
        if key is None or key == NOT_SET:
            records = records.filter(**{f"{column}__isnull": True})
        else:
            records = records.filter(**{column: key})
    return records


def drill_total(metric: Metric, records):
    """The figure of a drill-down list, computed like the figure itself."""
    return raw_value(metric, records.order_by().aggregate(total=aggregate(metric, Q()))["total"])


def drill_url(metric: Metric, period: Period, group: str | None = None, key=None, previous: bool = False) -> str:
    params = {"metric": metric.key, "period": (period.previous_year() if previous else period).key}
    if group is not None:
        params.update(group=group, key=NOT_SET if key is None else key)
    return f"{reverse('stats:records')}?{urlencode(params)}"


# ---------------------------------------------------------------- who sees which figures


def scope_name(user=None) -> tuple[str, str]:
    """What a user's figures cover, in Chinese and English: 全市 / the city, a district, or their teams' records."""
    if user is None:
        return "全市", "the city"
    scope = user_scope(user)
    if scope.is_admin or scope.is_leader or scope.in_centre(Action.VIEW):
        return "全市", "the city"
    from zhaoshang.geo.models import Region

    prefixes = scope.regions(Action.VIEW)
    if prefixes:
        regions = Region.objects.filter(adcode__in=[p.ljust(6, "0") for p in prefixes]).order_by("adcode")
        regions = list(regions.values_list("name", "name_en"))
        if regions:
            return "、".join(r[0] for r in regions), ", ".join(r[1] or r[0] for r in regions)
    return "本团队", "the team"


def large_signed_panel(user) -> dict:
    """The home page's figure: projects of ≥1亿 signed this year so far, against the same days' months of last
    year, linked to the projects behind it."""
    from django.utils import timezone

    today = timezone.localdate()
    result = figure("large_signed", Period.cumulative(today.year, today.month), user)
    return {
        "title": _("Projects of ≥100M yuan signed, %(period)s") % {"period": result.period.label},
        "value": result.value,
        "note": _("Year on year: %(change)s") % {"change": format_percent(result.yoy)},
        "url": result.url,
    }


# ---------------------------------------------------------------- figures as reports write them


def yi(wan) -> Decimal:
    """万元 → 亿元 with one decimal, rounded half up (1565.5亿元)."""
    return quantize(Decimal(wan) / WAN_PER_YI, 1)


def billion(wan) -> Decimal:
    """万元 → billion yuan with two decimals (the English of one decimal of 亿元)."""
    return quantize(Decimal(wan) / WAN_PER_YI / 10, 2)


def change_zh(change: Decimal | None) -> str:
    """增长14.9% / 下降3.2% / 持平 / — (no base)."""
    if change is None:
        return NO_FIGURE
    if change > 0:
        return f"增长{change}%"
    if change < 0:
        return f"下降{-change}%"
    return "持平"


def change_en(change: Decimal | None) -> str:
    """up 14.9% / down 3.2% / unchanged / — (no base)."""
    if change is None:
        return NO_FIGURE
    if change > 0:
        return f"up {change}%"
    if change < 0:
        return f"down {-change}%"
    return "unchanged"


HEADLINE_METRICS = (
    "large_signed",
    "large_signed_investment",
    "large_industrial_signed",
    "large_industrial_signed_investment",
    "large_leading_signed",
    "large_high_tech_signed",
)


def headline(period: Period, user=None) -> dict[str, str]:
    """The headline paragraph of the monthly report, written from the figures in Chinese and English, in the
    city's published form — the ≥1亿 projects and the industrial ones among them, then the projects of large and
    of high-tech enterprises:

    1—11月，全市引进投资亿元以上项目255个，同比增长14.9%；计划投资额1565.5亿元，增长18.1%。其中，工业项目238个，
    增长16.1%；计划投资额1293.2亿元，增长27.2%。世界500强、中国500强、中国制造业500强、上市公司及行业龙头企业
    投资项目31个；高新技术企业投资项目107个，占亿元以上项目的42.0%。

    Amounts in 亿元 with one decimal; a decrease reads 下降x.x%, no change 持平, a zero base of the previous year
    "—". ``user`` None: the whole city; otherwise the user's scope, named accordingly. One query (the six figures
    count by signing date) and one for the comparison figures.
    """
    figures = compute(HEADLINE_METRICS, period, user, links=False)
    large, large_inv, industrial, industrial_inv = (figures[k] for k in HEADLINE_METRICS[:4])
    place_zh, place_en = scope_name(user)
    if large.yoy is None:
        first_zh = NO_FIGURE
    else:
        first_zh = f"同比{change_zh(large.yoy)}"
    zh = (
        f"{period.span_zh()}，{place_zh}引进投资亿元以上项目{large.value}个，{first_zh}；"
        f"计划投资额{yi(large_inv.value)}亿元，{change_zh(large_inv.yoy)}。"
        f"其中，工业项目{industrial.value}个，{change_zh(industrial.yoy)}；"
        f"计划投资额{yi(industrial_inv.value)}亿元，{change_zh(industrial_inv.yoy)}。"
    )
    span_en = period.span_en()
    span_en = span_en[0].upper() + span_en[1:]
    first_en = change_en(large.yoy) + ("" if large.yoy is None or large.yoy == 0 else " year on year")
    projects_en = "project" if large.value == 1 else "projects"
    industrial_en = "was" if industrial.value == 1 else "were"
    en = (
        f"In {span_en}, {place_en} attracted {large.value} {projects_en} of 100 million yuan or more, {first_en}, "
        f"with planned investment of {billion(large_inv.value)} billion yuan, {change_en(large_inv.yoy)}. "
        f"Of these, {industrial.value} {industrial_en} industrial, {change_en(industrial.yoy)}, "
        f"with planned investment of {billion(industrial_inv.value)} billion yuan, "
        f"{change_en(industrial_inv.yoy)}."
    )
    enterprises = enterprise_sentence(figures["large_leading_signed"], figures["large_high_tech_signed"])
    return {"zh": zh + enterprises["zh"], "en": f"{en} {enterprises['en']}"}


def enterprise_sentence(leading: Figure, high_tech: Figure) -> dict[str, str]:
    """The headline's second sentence: the ≥1亿 projects of top-500, listed and leading enterprises
    (``metrics.LEADING_TAGS``), and those of high-tech enterprises with their share of all ≥1亿 projects (left out
    when there are none to share):

    世界500强、中国500强、中国制造业500强、上市公司及行业龙头企业投资项目31个；高新技术企业投资项目107个，
    占亿元以上项目的42.0%。
    """
    share_zh = "" if high_tech.share is None else f"，占亿元以上项目的{high_tech.share}%"
    zh = (
        f"世界500强、中国500强、中国制造业500强、上市公司及行业龙头企业投资项目{leading.value}个；"
        f"高新技术企业投资项目{high_tech.value}个{share_zh}。"
    )
    verb = "was" if leading.value == 1 else "were"
    share_en = "" if high_tech.share is None else f" ({high_tech.share}% of them)"
    en = (
        f"Of all projects of 100 million yuan or more, {leading.value} {verb} by Fortune Global 500, China Top 500, "
        f"China Manufacturing Top 500, listed or industry-leading enterprises, and {high_tech.value} by high-tech "
        f"enterprises{share_en}."
    )
    return {"zh": zh, "en": en}


def format_value(metric: Metric, value) -> str:
    """A figure as pages show it: counts as they are; 万元 as 亿元 with one decimal (billion yuan with two in
    English); 万美元 with two decimals (million US dollars in English)."""
    if metric.unit == Unit.COUNT:
        return str(value)
    if metric.unit == Unit.WAN:
        return f"{billion(value)} billion yuan" if english() else f"{yi(value)}亿元"
    if english():
        return f"{quantize(Decimal(value) / 100, 2)} million US dollars"
    return f"{quantize(value, 2)}万美元"


# ---------------------------------------------------------------- consistency checks

# A planned investment this many times the median of its peers (or this many times smaller) was probably typed in
# the wrong unit: 元 instead of 万元 makes a value 10,000 times too large, 亿元 instead of 万元 10,000 times too
# small. Genuine projects of one type and chain rarely differ from their median by three orders of magnitude.
UNIT_RATIO = 1000
# A median needs this many peers (same type and chain) to judge by.
UNIT_MIN_PEERS = 5
# At most this many findings of one check are listed (the count is always complete).
CHECK_LIMIT = 200


@dataclass
class Finding:
    label: str
    url: str
    detail: str = ""


@dataclass
class Check:
    key: str
    title: str
    rule: str
    count: int = 0
    findings: list[Finding] = field(default_factory=list)


def _post_signing_q() -> Q:
    from zhaoshang.projects.choices import POST_SIGNING, STAGE_DATE_FIELDS, Stage

    reached = [Stage.SIGNED, *POST_SIGNING]
    q = Q(stage__in=reached) | Q(stage__in=[Stage.PAUSED, Stage.DROPPED], resume_stage__in=reached)
    for stage in POST_SIGNING:
        q |= Q(**{f"{STAGE_DATE_FIELDS[stage]}__isnull": False})
    return q


def _out_of_order_q() -> Q:
    """Any two stage dates of the forward chain where the later stage is dated before the earlier one."""
    from django.db.models import F

    from zhaoshang.projects.choices import STAGE_DATE_FIELDS

    columns = list(STAGE_DATE_FIELDS.values())
    q = Q(pk__in=[])
    for i, earlier in enumerate(columns):
        for later in columns[i + 1 :]:
            q |= Q(**{f"{later}__lt": F(earlier)})
    return q


def _listed(check: Check, queryset, label, detail=lambda obj: "") -> Check:
    check.count = queryset.count()
    check.findings = [Finding(str(label(obj)), obj.get_absolute_url(), detail(obj)) for obj in queryset[:CHECK_LIMIT]]
    return check


def _unit_outliers(projects) -> tuple[int, list]:
    """Projects whose planned investment is ≥ UNIT_RATIO times the median of their peers (same type and chain,
    at least UNIT_MIN_PEERS of them) or ≤ 1/UNIT_RATIO of it: the database returns three columns, NumPy finds the
    medians."""
    import numpy as np

    rows = list(
        projects.filter(planned_investment__gt=0)
        .order_by()
        .values_list("project_type", "chain_id", "planned_investment", "pk")
    )
    peers: dict = {}
    for kind, chain, amount, pk in rows:
        peers.setdefault((kind, chain), []).append((float(amount), pk))
    found = []
    for entries in peers.values():
        if len(entries) < UNIT_MIN_PEERS:
            continue
        amounts = np.array([a for a, _pk in entries])
        median = float(np.median(amounts))
        for amount, pk in entries:
            if amount >= median * UNIT_RATIO or amount * UNIT_RATIO <= median:
                found.append((pk, amount, median))
    return len(found), found


def consistency_checks(user=None) -> list[Check]:
    """What would make figures wrong, in the records ``user``'s figures are computed from (the city's for None)."""
    from zhaoshang.industry.models import Enterprise
    from zhaoshang.projects.models import Project

    from .metrics import FOREIGN_TAGS, SOURCES

    projects = SOURCES["projects"].records(user).defer("search_text")
    fdi = SOURCES["fdi"].records(user)
    checks = []

    checks.append(
        _listed(
            Check(
                "missing_signing_date",
                _("Signed projects without a signing date"),
                _(
                    "Projects at or past signing (or with a later stage date) whose signing date is empty: figures "
                    "counted by signing date miss them."
                ),
            ),
            projects.filter(_post_signing_q(), signed_on__isnull=True).order_by("-planned_investment", "pk"),
            lambda p: p.name,
            lambda p: (
                _("stage: %(stage)s; planned investment: %(amount)s (10,000 yuan)")
                % {"stage": p.get_stage_display(), "amount": p.planned_investment if p.planned_investment else "—"}
            ),
        )
    )

    count, found = _unit_outliers(projects)
    check = Check(
        "wrong_unit",
        _("Amounts probably in the wrong unit"),
        _(
            "Planned investment at least %(ratio)s times the median of projects of the same type and chain (or at "
            "most 1/%(ratio)s of it), with at least %(peers)s such projects: typed in yuan or in 100 million yuan "
            "instead of 10,000 yuan."
        )
        % {"ratio": f"{UNIT_RATIO:,}", "peers": UNIT_MIN_PEERS},
        count=count,
    )
    names = dict(Project._base_manager.filter(pk__in=[pk for pk, *_r in found[:CHECK_LIMIT]]).values_list("pk", "name"))
    check.findings = [
        Finding(
            names.get(pk, str(pk)),
            reverse("projects:project-detail", args=[pk]),
            _("%(amount)s against a median of %(median)s (10,000 yuan)")
            % {"amount": f"{amount:,.2f}", "median": f"{median:,.2f}"},
        )
        for pk, amount, median in found[:CHECK_LIMIT]
    ]
    checks.append(check)

    checks.append(
        _listed(
            Check(
                "dates_out_of_order",
                _("Stage dates out of order"),
                _("A later stage of the chain (e.g. construction) dated before an earlier one (e.g. signing)."),
            ),
            projects.filter(_out_of_order_q()).order_by("pk"),
            lambda p: p.name,
        )
    )
    checks.append(
        _listed(
            Check(
                "fdi_without_enterprise",
                _("Actual FDI without an enterprise"),
                _("Foreign capital recorded without the enterprise that paid it in."),
            ),
            fdi.filter(enterprise__isnull=True).select_related("district").order_by("-month", "pk"),
            lambda r: r.code,
            lambda r: _("%(month)s, %(amount)s (10,000 yuan)") % {"month": f"{r.month:%Y-%m}", "amount": r.amount_cny},
        )
    )
    enterprises = Enterprise.objects.restrict(user, Action.VIEW) if user is not None else Enterprise.objects.all()
    from .models import FDIRecord

    foreign_projects = Project._base_manager.filter(enterprise_id=OuterRef("pk"), foreign_investment__gt=0)
    paid = FDIRecord._base_manager.filter(enterprise_id=OuterRef("pk"))
    checks.append(
        _listed(
            Check(
                "foreign_without_capital",
                _("Foreign-tagged enterprises without foreign capital"),
                _(
                    "Enterprises with projects, tagged foreign-invested, with no foreign capital on any of their "
                    "projects and no actual FDI record: their projects count as foreign."
                ),
            ),
            enterprises.filter(tags__slug__in=FOREIGN_TAGS)
            .filter(Exists(Project._base_manager.filter(enterprise_id=OuterRef("pk"))))
            .filter(~Exists(foreign_projects), ~Exists(paid))
            .defer("search_text")
            .distinct()
            .order_by("name", "pk"),
            lambda e: e.display_name,
        )
    )
    return checks
