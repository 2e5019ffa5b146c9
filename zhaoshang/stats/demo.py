"""The demo's statistics records (demo data): actual FDI and the events.

Actual FDI of Jiangmen: monthly payments of the demo's foreign-invested enterprises over the previous
year and the current one up to its last complete month (demo data).

The totals follow DOMAIN.md: actual FDI utilized in January–October of the current year 30.54亿元, 41.4% more
than in the same months of the previous year; the province's average growth (+3.25%) is a comparison figure.
How the totals are split over months and enterprises is drawn by a seeded random generator.

Events of Jiangmen (DOMAIN.md): the global investment conference and, the same day, the ceremony of major
projects starting construction or production.

Published: at the conference 111 projects were signed on site, planned investment over 1,661亿元; the same day
148 projects started construction or production, over 764亿元. The day, the venues (Jiangmen, Hong Kong, Macao;
one branch venue per district for the ceremony), the projects and their amounts are demo stand-ins.

Every figure is counted from the lists, whose projects are pipeline projects made by the project services
(``create_project``, ``transition``, through the pipeline demo's builder) and put on the lists by
``stats.events.add_project``. The conference is held on the day 中创新航 signed (26 January of the current
year), so that project is on its list with every other demo project signed that day; the other projects are
made to match the published figures: the conference's 111 projects and its total (超1661亿元) exactly; the
ceremony's total (超764亿元) exactly, with 48 projects instead of 148, because the pipeline demo keeps its
yearly figures (projects ≥1亿 signed this year and the year before, a few hundred projects in all) and a
ceremony of 148 projects would be a third of them. The ceremony's projects were signed in the previous year
(within its January-to-today figure) and the conference's ones this year, so both years grow alike.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from zhaoshang.core.demo import DEMO_CITY
from zhaoshang.core.units import quantize
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.services import name_key
from zhaoshang.industry.validators import make_uscc
from zhaoshang.projects.choices import LeadSource, Stage
from zhaoshang.projects.demo import PROJECT_WORDS, Builder, Plan
from zhaoshang.projects.models import Project

from . import events as services
from .event_choices import EventKind, EventRole
from .models import ComparisonFigure, Event, EventVenue, FDIRecord
from .periods import Period

CONFERENCE_PROJECTS = 111
CONFERENCE_TOTAL_WAN = 16_612_300  # 超1661亿元
CEREMONY_PROJECTS = 48
CEREMONY_TOTAL_WAN = 7_643_800  # 超764亿元
CONFERENCE_VENUES = [  # name, English name, city, share of the signings
    ("江门主会场", "Jiangmen main venue", "江门", 0.7),
    ("香港分会场", "Hong Kong venue", "香港", 0.2),
    ("澳门分会场", "Macao venue", "澳门", 0.1),
]


def load(ctx):
    load_events(ctx)
    load_fdi(ctx)


def load_events(ctx):
    if ctx.city_adcode != DEMO_CITY or "teams" not in ctx.data:
        ctx.log.append("stats: the demo events exist for Jiangmen only")
        return
    calb = Project.objects.filter(name__startswith="中创新航", signed_on__isnull=False).first()
    if calb is None or calb.signed_on > timezone.localdate():
        ctx.log.append("stats: the demo events need the pipeline demo")
        return
    EventBuilder(ctx, calb.signed_on).run()


def amounts(rng, count: int, target: int, small: int, mid: int) -> list[int]:
    """``count`` amounts (万元) summing to ``target``: ``small`` under 1亿, ``mid`` of 1–5亿, the rest large."""
    low = [rng.randrange(50, 99) * 100 for _ in range(small)]
    middle = [rng.randrange(120, 500) * 100 for _ in range(mid)]
    rest = target - sum(low) - sum(middle)
    weights = [rng.uniform(0.4, 2.0) for _ in range(count - small - mid)]
    large = [int(rest * w / sum(weights)) // 100 * 100 for w in weights]
    large[0] += rest - sum(large)
    values = low + middle + large
    rng.shuffle(values)
    return values


class EventBuilder:
    def __init__(self, ctx, day: date):
        self.ctx = ctx
        self.day = day
        self.today = timezone.localdate()
        self.rng = random.Random(ctx.seed * 13 + 5)
        self.users = ctx.data["users"]
        self.organiser = ctx.data["teams"]["centre"]
        self.user = self.users["centre"]
        self.builder = Builder(ctx)
        self.builder.rng = self.rng
        names = list(Enterprise.objects.values_list("name", flat=True))
        self.builder.used_names = set(names)
        self.builder.used_keys = {name_key(name) for name in names}

    def run(self):
        self.conference()
        self.ceremony()

    def event(self, name, name_en, kind, venues) -> tuple[Event, list[EventVenue]]:
        event = Event.objects.create(
            name=name, name_en=name_en, kind=kind, start_on=self.day, organiser_team=self.organiser,
            description="示例：活动名称与成果数据来自公开报道，日期、会场和项目为示例。",
        )  # fmt: skip
        made = [
            EventVenue.objects.create(event=event, name=n, name_en=en, city=city, held_on=self.day, order=i)
            for i, (n, en, city) in enumerate(venues, start=1)
        ]
        return event, made

    def plan(self, amount: int, lead: date, moves: list, source: str | None = None) -> Plan:
        b = self.builder
        district = self.rng.choice(list(b.districts))
        chain = self.rng.choice(list(b.chains))
        team_key = b.team_for(district, chain)
        if team_key.startswith("district:"):
            district = team_key.split(":")[1]
        word = self.rng.choice(PROJECT_WORDS[chain])
        enterprise = b.enterprise_name(word[:2])
        scale = "产业园" if amount >= 100_000 else "生产基地" if amount >= 20_000 else "项目"
        return Plan(
            name=f"{enterprise[:2]}{word}{scale}",
            enterprise_name=enterprise,
            team_key=team_key,
            district=district,
            chain=chain,
            amount=amount,
            source=source or b.source_for(team_key),
            lead_on=lead,
            moves=moves,
            land_mu=b.land(district, amount, ProjectType.INDUSTRIAL),
            uscc=make_uscc(self.rng, "440300"),
        )

    def build(self, plan: Plan) -> Project:
        self.builder.build(plan)
        return Project.objects.filter(name=plan.name, enterprise__name=plan.enterprise_name).get()

    # ---------------------------------------------------------------- the conference: signings

    def conference(self):
        event, venues = self.event(
            "江门全球招商大会", "Jiangmen Global Investment Conference", EventKind.CONFERENCE,
            [(n, en, city) for n, en, city, _share in CONFERENCE_VENUES],
        )  # fmt: skip
        signed = list(Project.objects.filter(signed_on=self.day).order_by("-planned_investment", "pk"))
        new = CONFERENCE_PROJECTS - len(signed)
        fixed = sum(int(p.planned_investment or 0) for p in signed)
        values = amounts(self.rng, new, CONFERENCE_TOTAL_WAN - fixed, small=new // 2, mid=new // 4)
        for amount in values:
            lead = self.day - timedelta(days=self.rng.randint(60, 300))
            moves = [
                (Stage.NEGOTIATION, lead + timedelta(days=self.rng.randint(10, 50)), ""),
                (Stage.SIGNED, self.day, ""),
            ]
            self.builder.forward_after_signing(self.day, moves, slow=False)
            signed.append(self.build(self.plan(amount, lead, moves, source=LeadSource.CONFERENCE)))
        weights = [share for *_rest, share in CONFERENCE_VENUES]
        for index, project in enumerate(signed):
            venue = venues[0] if index == 0 else self.rng.choices(venues, weights=weights)[0]
            services.add_project(self.user, event, project, EventRole.SIGNED, venue)

    # ---------------------------------------------------------------- the ceremony: construction and production

    def ceremony(self):
        districts = sorted(self.builder.districts.values(), key=lambda r: r.adcode)
        event, venues = self.event(
            "重大项目集中动工投产仪式", "Ceremony of major projects starting construction and production",
            EventKind.GROUNDBREAKING,
            [(f"{r.name}分会场", f"{r.name_en or r.name} venue", r.name) for r in districts],
        )  # fmt: skip
        by_district = {r.pk: venue for r, venue in zip(districts, venues, strict=True)}
        started = Project.objects.filter(construction_on=self.day).order_by("pk")
        producing = Project.objects.filter(production_on=self.day).order_by("pk")
        links = [(p, EventRole.STARTED) for p in started] + [(p, EventRole.PRODUCING) for p in producing]
        new = CEREMONY_PROJECTS - len(links)
        fixed = sum(int(p.planned_investment or 0) for p, _role in links)
        # signed in the previous year, within its January-to-today figure, at least two months before the day
        same_day = date(self.day.year - 1, self.today.month, min(self.today.day, 28))
        window_end = min(same_day, self.day - timedelta(days=60))
        window_start = date(self.day.year - 1, 1, 1)
        for amount in amounts(self.rng, new, CEREMONY_TOTAL_WAN - fixed, small=0, mid=new // 2):
            signed = self.builder.day_between(window_start, window_end)
            lead = signed - timedelta(days=self.rng.randint(40, 200))
            land = signed + timedelta(days=(self.day - signed).days // 3)
            moves = [(Stage.SIGNED, signed, ""), (Stage.LAND, land, "")]
            role = EventRole.PRODUCING if self.rng.random() < 0.3 and (self.day - land).days > 30 else EventRole.STARTED
            if role == EventRole.PRODUCING:
                moves += [(Stage.CONSTRUCTION, land + timedelta(days=(self.day - land).days // 4), ""),
                          (Stage.PRODUCTION, self.day, "")]  # fmt: skip
            else:
                moves.append((Stage.CONSTRUCTION, self.day, ""))
            links.append((self.build(self.plan(amount, lead, moves)), role))
        for project, role in links:
            venue = by_district.get(project.district_id, venues[0])
            services.add_project(self.user, event, project, role, venue)


# Actual FDI of January–October (万元): the current year's published figure and the previous year's it grew from.
CURRENT_JAN_OCT_WAN = Decimal("305400")
GROWTH = Decimal("1.414")
PREVIOUS_JAN_OCT_WAN = quantize(CURRENT_JAN_OCT_WAN / GROWTH, 2)
# November and December each bring about a tenth of January–October.
LATE_MONTH_SHARE = Decimal("0.1")
# Yuan per US dollar by month (demo: around the central parity of recent years).
RATE_BASE = Decimal("7.10")
PROVINCE_GROWTH = Decimal("3.25")


def load_fdi(ctx):
    if ctx.city_adcode != DEMO_CITY or "teams" not in ctx.data:
        ctx.log.append("stats: the demo FDI exists for Jiangmen only")
        return
    rng = random.Random(ctx.seed * 11 + 3)
    today = timezone.localdate()
    centre = ctx.data["teams"]["centre"]
    enterprises = list(
        Enterprise.objects.filter(tags__slug="foreign").select_related("hq_region").distinct().order_by("pk")
    )
    if not enterprises:
        return
    projects: dict[int, Project] = {}
    for project in Project.objects.filter(enterprise__in=enterprises).order_by("-planned_investment", "pk"):
        projects.setdefault(project.enterprise_id, project)
    # The enterprises with a project pay most; a few without one pay too.
    payers = [e for e in enterprises if e.pk in projects] + [e for e in enterprises if e.pk not in projects][:5]
    weights = [3.0 if e.pk in projects else 1.0 for e in payers]
    records = []
    for year, jan_oct in ((today.year - 1, PREVIOUS_JAN_OCT_WAN), (today.year, CURRENT_JAN_OCT_WAN)):
        monthly = _split(rng, jan_oct, 10)
        late = quantize(jan_oct * LATE_MONTH_SHARE, 2)
        monthly += [late, late]
        for month, total in enumerate(monthly, start=1):
            if date(year, month, 1) >= today.replace(day=1):
                break  # only complete months
            rate = quantize(RATE_BASE + Decimal(rng.uniform(-0.12, 0.12)), 4)
            chosen = _choose(rng, payers, weights, rng.randint(3, 6))
            for enterprise, amount in zip(chosen, _split(rng, total, len(chosen)), strict=True):
                usd = quantize(amount / rate, 2)
                project = projects.get(enterprise.pk)
                records.append(
                    FDIRecord(
                        enterprise=enterprise,
                        project=project,
                        district_id=project.district_id if project else enterprise.hq_region_id,
                        team=centre,
                        month=date(year, month, 1),
                        amount_usd=usd,
                        exchange_rate=rate,
                        amount_cny=amount,
                        note="示例数据",
                    )
                )
    for record in records:
        record.save()  # each is given its reference
    ComparisonFigure.objects.create(
        name="全省实际利用外资平均增速",
        name_en="Province's average growth of actual FDI utilized",
        metric="fdi_actual",
        period=Period.cumulative(today.year, 10).key,
        value=PROVINCE_GROWTH,
        unit="%",
        source="示例：省商务部门月度通报",
    )
    ctx.data["fdi_records"] = len(records)


def _split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` random shares (two decimals) that add up to it exactly."""
    shares = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    whole = sum(shares)
    out = [quantize(total * Decimal(s / whole), 2) for s in shares[:-1]]
    return out + [total - sum(out)]


def _choose(rng: random.Random, items: list, weights: list[float], count: int) -> list:
    chosen: list = []
    pool, pool_weights = list(items), list(weights)
    while pool and len(chosen) < count:
        index = rng.choices(range(len(pool)), weights=pool_weights)[0]
        chosen.append(pool.pop(index))
        pool_weights.pop(index)
    return chosen
