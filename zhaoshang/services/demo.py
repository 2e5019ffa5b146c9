"""The demo's services after landing (demo data): the approving and serving departments with their logins, a year
of approval plans for the named projects (中创新航: 50 days from signing to construction, every item granted in
time), a few thousand enterprise requests over the last twelve months, the year's 200 key enterprises with their
service officers and visits, and three enterprise logins.

Runs last (after the statistics). Everything is drawn from one seeded generator; the requests, their events and
clocks are written in bulk, with the clocks' due moments computed as ``core.clocks`` computes them.

**Published (DOMAIN.md).** Contact within 60 minutes, a plan within 24 hours, closed within 7 days; satisfaction
of the closed above 97%; 中创新航 signed on 26 January and started construction 50 days later. Every other figure,
name and date is demo data.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from zhaoshang.accounts.choices import WRITE_ROLES, Role, TeamKind
from zhaoshang.accounts.models import Membership, Team, User
from zhaoshang.core import clocks, search, workdays
from zhaoshang.core.choices import Action, ClockUnit
from zhaoshang.core.demo import DEMO_PASSWORD
from zhaoshang.core.models import Clock
from zhaoshang.core.permissions import can
from zhaoshang.industry.models import Enterprise
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project

from . import approvals_seed, requests_seed
from .approvals_seed import DEPARTMENTS as SEEDED
from .choices import (
    BEFORE_CONSTRUCTION,
    ApprovalStage,
    Channel,
    ItemState,
    ProjectKind,
    RankBasis,
    Rating,
    RequestEventKind,
    RequestLevel,
    RequestState,
    SendBackDecision,
    VisitState,
)
from .models import (
    ApprovalPlan,
    ApprovalTemplate,
    EnterpriseAccount,
    EnterpriseRequest,
    KeyEnterprise,
    PlanItem,
    RequestCategory,
    RequestEvent,
    SendBack,
    ServicePolicy,
    ServiceVisit,
)
from .services import approvals
from .services.requests import CLOSE, CONTACT, PLAN

REQUESTS = 3000
KEY_FIRMS = 200

# Approving and serving departments: key → (name, English name, officer login, officer's name, lead's name). The
# first eight are the approval catalogue's departments (``approvals_seed.DEPARTMENTS``, found by name); the demo
# makes only the serving departments the catalogue lacks.
DEPARTMENTS = {
    "drc": (SEEDED["ndrc"][0], SEEDED["ndrc"][1], "drc", "何发改", "罗科长"),
    "nrb": (SEEDED["land"][0], SEEDED["land"][1], "nrb", "林规划", "高科长"),
    "housing": (SEEDED["housing"][0], SEEDED["housing"][1], "housing", "谢住建", "邓科长"),
    "ecology": (SEEDED["ecology"][0], SEEDED["ecology"][1], "ecology", "温环评", "梁科长"),
    "fire": (SEEDED["fire"][0], SEEDED["fire"][1], "fire", "赵消防", "潘科长"),
    "civil_defence": (SEEDED["civil_defence"][0], SEEDED["civil_defence"][1], "civil_defence", "孔人防", "钟科长"),
    "water": (SEEDED["water"][0], SEEDED["water"][1], "water", "汤水利", "马科长"),
    "weather": (SEEDED["weather"][0], SEEDED["weather"][1], "weather", "方气象", "韦科长"),
    "power": ("广东电网江门供电局", "Jiangmen Power Supply Bureau", "dept_power", "许供电", "曾主任"),
    "miit": ("江门市工业和信息化局", "Jiangmen Industry and Information Technology Bureau", "miit", "彭工信", "苏科长"),
    "finance": ("江门市金融工作局", "Jiangmen Financial Work Bureau", "finance", "吕金融", "蒋科长"),
    "hrss": ("江门市人力资源和社会保障局", "Jiangmen Human Resources and Social Security Bureau", "hrss", "丁人社",
             "魏科长"),
    "gov_services": ("江门市政务服务数据管理局", "Jiangmen Government Services and Data Administration",
                     "gov_services", "袁政务", "叶科长"),
}  # fmt: skip

# Request categories (the seed's codes, migration 0003): code → (the department routed to, weight in the demo).
CATEGORIES = {
    "policy": ("miit", 30),
    "approvals": ("gov_services", 22),
    "land": ("nrb", 11),
    "financing": ("finance", 12),
    "talent": ("hrss", 8),
    "utilities": ("power", 11),
    "other": ("gov_services", 6),
}
TITLES = {
    "policy": [
        "申请技改补贴的条件咨询",
        "高新技术企业认定奖励何时兑现",
        "专精特新奖励申报材料",
        "研发费用加计扣除政策咨询",
    ],
    "approvals": ["厂房扩建规划许可办理进度", "环评批复时间咨询", "消防验收预约", "施工许可证办理材料"],
    "land": ["扩产用地需求", "标准厂房租赁对接", "土地证办理咨询", "园区用地指标"],
    "financing": ["流动资金贷款对接", "设备融资租赁需求", "应急转贷资金申请", "上市辅导咨询"],
    "talent": ["技术工人招聘对接", "人才公寓申请", "职称评审咨询", "外籍员工工作许可"],
    "utilities": ["新增变压器报装", "工业用水增容", "天然气接入", "停电计划协调"],
    "other": ["周边道路交通改善", "员工子女入学咨询", "物流通道协调", "企业开办咨询"],
}
CHANNELS = [(Channel.WEB, 60), (Channel.PHONE, 22), (Channel.HOTLINE, 13), (Channel.VISIT, 4), (Channel.OTHER, 1)]

# Service officers of the key enterprises outside the centre: district adcode → (login, name); Pengjiang and Xinhui
# are served by their bureau's demo officers.
SERVICE_OFFICERS = {
    "440704": ("svc_jianghai", "邱江海"),
    "440781": ("svc_taishan", "伍台山"),
    "440783": ("svc_kaiping", "关开平"),
    "440784": ("svc_heshan", "冯鹤山"),
    "440785": ("svc_enping", "岑恩平"),
}
FIRM_LOGINS = [("firm", "张总（示例）", 1), ("firm2", "李经理（示例）", 5), ("firm3", "陈主管（示例）", 12)]
VISIT_PURPOSES = ["季度走访", "扩产需求调研", "政策宣讲", "用工情况了解", "项目推进协调"]
FINDINGS = [
    "生产经营正常，计划明年扩产一条产线，需协调用地。",
    "反映用电负荷紧张，已转供电局跟进。",
    "咨询技改补贴申报，已现场讲解政策。",
    "订单饱满，招工有缺口，已对接人社局招聘会。",
    "无新增诉求，企业对服务满意。",
]


def load(ctx):
    Loader(ctx).run()


def logins():
    out = []
    for _name, name_en, login, _person, _lead in DEPARTMENTS.values():
        out.append((login, DEMO_PASSWORD, f"officer of the department: {name_en}"))
        out.append((f"{login}_lead", DEMO_PASSWORD, f"team lead of the department: {name_en}"))
    for login, _name in SERVICE_OFFICERS.values():
        out.append((login, DEMO_PASSWORD, "service officer of key enterprises (district bureau)"))
    for login, _name, rank in FIRM_LOGINS:
        out.append((login, DEMO_PASSWORD, f"enterprise account of the key enterprise ranked {rank}"))
    return out


def ensure_categories(departments: dict) -> dict:
    """The request categories the seed made (migration 0003), found by code, each routed to its demo department:
    code → RequestCategory."""
    found = RequestCategory.objects.in_bulk(list(CATEGORIES), field_name="code")
    for code, category in found.items():
        category.department = departments[CATEGORIES[code][0]]
        category.save(update_fields=["department"])
    return found


def _last_numbers() -> dict[int, int]:
    """The last request number of each year already given (``SQ<year>-<n>``)."""
    found = {}
    for number in EnterpriseRequest.objects.filter(number__startswith="SQ").values_list("number", flat=True):
        year, _sep, serial = number[2:].partition("-")
        if year.isdigit() and serial.isdigit():
            found[int(year)] = max(found.get(int(year), 0), int(serial))
    return found


def working_days_before(day: date, n: int) -> date:
    """The working day ``n`` working days before ``day``."""
    back = day
    while workdays.working_days_between(back, day) < n or not workdays.is_working(back):
        back -= timedelta(days=1)
    return back


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class Loader:
    def __init__(self, ctx):
        self.ctx = ctx
        self.rng = random.Random(f"{ctx.seed}-services")
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.teams = ctx.data["teams"]
        self.users = ctx.data["users"]
        self.password = make_password(DEMO_PASSWORD)  # hashed once for every demo login made here

    def run(self):
        # the catalogue and the request categories, as the data migrations left them (a flushed database has none)
        approvals_seed.seed()
        requests_seed.seed()
        self.departments()
        self.approvals()
        self.key_firms()
        self.accounts()
        self.requests()

    def user(self, username: str, full_name: str, team=None, role=Role.OFFICER) -> User:
        user = User.objects.create(
            username=username, full_name=full_name, email=f"{username}@example.cn", password=self.password
        )
        if team is not None:
            Membership.objects.create(user=user, team=team, role=role)
        self.users[username] = user
        return user

    # ------------------------------------------------------------ departments

    def departments(self):
        """The catalogue's departments (found by name) and the serving ones it lacks, each with an officer and a
        team lead."""
        self.depts, self.dept_officer, self.dept_lead = {}, {}, {}
        for key, (name, name_en, login, person, lead) in DEPARTMENTS.items():
            team = Team.objects.filter(name=name).first()
            if team is None:
                team = Team.objects.create(name=name, name_en=name_en, kind=TeamKind.DEPARTMENT)
            self.teams[f"department:{key}"] = self.depts[key] = team
            self.dept_officer[key] = self.user(login, person, team)
            self.dept_lead[key] = self.user(f"{login}_lead", lead, team, Role.TEAM_LEAD)
        self.ctx.data["departments"] = self.depts

    # ------------------------------------------------------------ approvals

    def approvals(self):
        """Approval plans built from the catalogue's templates and moved through their items by the services (the
        clocks, states and audit events are the application's own)."""
        self.templates = {}
        for template in ApprovalTemplate.objects.filter(active=True).order_by("pk"):
            self.templates.setdefault(template.project_kind, template)
        if not {ProjectKind.PARK_WITH_SCHEME, ProjectKind.SOCIAL} <= set(self.templates):
            return
        y = self.today.year
        signed = Project.objects.filter(signed_on__gte=date(y - 1, 1, 1), signed_on__lte=self.today)
        named = list(signed.filter(name__in=[
            "中创新航50GWh动力电池及储能系统江门基地", "隆基硅能源生产基地", "柏涛智能装备产业园",
            "英国泰莱集团江门项目",
            "华津金属产业园", "天赐新能源电池材料项目", "科达利电池精密结构件项目", "沃特海默电池装备项目",
            "联塑班皓硅能源项目",
        ]).select_related("owner_team", "owner"))  # fmt: skip
        others = list(
            signed.filter(stage__in=(Stage.SIGNED, Stage.LAND), signed_on__gte=self.today - timedelta(days=150))
            .exclude(pk__in=[p.pk for p in named])
            .exclude(confidential=True)
            .order_by("signed_on", "pk")[:6]
        )
        plans = []
        in_progress = 0
        for project in named + others:
            calb = project.name.startswith("中创新航")
            kind = ProjectKind.PARK_WITH_SCHEME if calb or self.rng.random() < 0.5 else ProjectKind.SOCIAL
            plan = self.new_plan(project, kind)
            if plan is None:
                continue
            if project.construction_on:
                self.finished_plan(plan)
            else:
                # plans in progress in turn: an item in 补正, an item overdue, on track
                self.running_plan(plan, ("correction", "overdue", "on_track")[in_progress % 3])
                in_progress += 1
            plans.append(plan)
        self.ctx.data["approval_plans"] = plans

    def new_plan(self, project, kind) -> ApprovalPlan | None:
        """The project's plan as its officer (else a writer of the centre) builds it on the signing day; None when
        no one may."""
        candidates = [project.owner] if project.owner_id else []
        candidates += list(
            User.objects.filter(
                is_active=True, memberships__team__kind=TeamKind.CENTRE, memberships__role__in=WRITE_ROLES
            ).order_by("pk")[:3]
        )
        user = next((u for u in candidates if can(u, project, Action.CHANGE)), None)
        if user is None:
            return None
        plan = approvals.build_plan(
            project, self.templates[kind], project.signed_on, user, user, at=_at(project.signed_on, 9)
        )
        ApprovalPlan.objects.filter(pk=plan.pk).update(note="示例：审批计划为演示数据。")
        return plan

    def plan_items(self, plan) -> list[PlanItem]:
        return list(plan.items.select_related("item", "department").order_by("planned_start", "item__order", "pk"))

    def finished_plan(self, plan):
        """Every item before construction granted in time, the construction permit before construction started;
        the completion items still planned. 中创新航 (带方案出让, 30 working days): from the signing to construction in
        50 days."""
        project = plan.project
        span = workdays.working_days_between(project.signed_on, project.construction_on)
        scale = min(1.0, (span - 2) / plan.cap_days)  # fit the template's offsets within the days available
        latest = working_days_before(project.construction_on, 1)
        steps = []
        for item in self.plan_items(plan):
            if item.stage not in BEFORE_CONSTRUCTION or item.state != ItemState.PLANNED:
                continue
            offset = workdays.working_days_between(plan.started_on, item.planned_start)
            start = workdays.add_working_days(plan.started_on, int(offset * scale))
            days = min(item.limit_days - 1, 4 if item.stage != ApprovalStage.CONSTRUCTION else 2)
            end = min(workdays.add_working_days(start, max(0, days)), latest)
            steps.append((min(start, end), end, item))
        for start, end, item in sorted(steps, key=lambda step: (step[1], step[0])):
            self.move(item, start, decided_on=end)

    def running_plan(self, plan, scenario: str):
        """The land-stage items granted as far as their time has come; the first later item in 补正 (its clock
        paused) or overdue (accepted so long ago that its promised time ran out); the items starting with it under
        review, the rest planned."""
        items = [item for item in self.plan_items(plan) if item.state == ItemState.PLANNED]
        first = [item for item in items if item.stage == ApprovalStage.LAND_PLANNING]
        later = [
            item for item in items if item.stage in BEFORE_CONSTRUCTION and item.stage != ApprovalStage.LAND_PLANNING
        ]
        for item in first:
            start = item.planned_start
            end = workdays.add_working_days(start, max(0, item.limit_days - 1))
            if end < self.today:
                self.move(item, start, decided_on=end)
            elif start <= self.today:
                self.move(item, start)
        if not later:
            return
        special = later[0]
        recent = working_days_before(self.today, 2)
        if scenario == "correction":
            start = max(special.planned_start, working_days_before(self.today, 6))
            self.move(special, min(start, recent), correction=True)
        elif scenario == "overdue":
            self.move(special, working_days_before(self.today, special.limit_days + 3))
        else:
            self.move(special, recent)
        for item in later[1:]:
            if item.planned_start == special.planned_start:
                self.move(item, recent)

    def move(self, item, start: date, *, decided_on: date | None = None, correction: bool = False) -> PlanItem:
        """The item applied for and accepted (受理) on ``start`` by its department's officer, then granted on
        ``decided_on``, or under review, or in 补正 from the next working day."""
        officer = self.dept_officer[self._dept_key(item.department)]
        approvals.act(item, "apply", officer, at=_at(start, 9), applied_on=start)
        approvals.act(item, "accept", officer, at=_at(start, 10))
        if decided_on is not None:
            return approvals.act(item, "grant", officer, at=_at(decided_on, 16))
        approvals.act(item, "review", officer, at=_at(start, 11))
        if correction:
            since = min(workdays.add_working_days(start, 1), self.today)
            approvals.act(
                item, "request_documents", officer, at=_at(since, 15), reason="缺少申请材料，已一次性告知补正（示例）。"
            )
            PlanItem.objects.filter(pk=item.pk).update(note="补正：缺少申请材料（示例）。")
        return item

    def _dept_key(self, team) -> str:
        return next(key for key, dept in self.depts.items() if dept.pk == team.pk)

    # ------------------------------------------------------------ key enterprises

    def key_firms(self):
        from zhaoshang.review.models import EnterpriseYear

        rng = self.rng
        city = self.ctx.city_adcode[:4]
        last = EnterpriseYear.objects.order_by("-year").values_list("year", flat=True).first()
        figures = {}
        if last is not None:
            rows = (
                EnterpriseYear.objects.filter(year=last, enterprise__hq_region__adcode__startswith=city)
                .order_by("-revenue")
                .values_list("enterprise_id", "revenue", "tax")[: KEY_FIRMS * 2]
            )
            for firm, revenue, tax in rows:
                figures[firm] = (Decimal(revenue or 0), Decimal(tax or 0))
        top = max((v[0] for v in figures.values()), default=Decimal(500000))
        # local firms with projects (expansions) join the list with figures of their own
        with_projects = list(
            Enterprise.objects.filter(hq_region__adcode__startswith=city, projects__isnull=False)
            .exclude(pk__in=list(figures))
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)[:20]
        )
        for firm in with_projects:
            output = (top * Decimal(rng.uniform(0.2, 0.9))).quantize(Decimal("1"))
            figures[firm] = (output, (output * Decimal("0.03")).quantize(Decimal("1")))
        ranked = sorted(figures.items(), key=lambda kv: (-kv[1][0], kv[0]))[:KEY_FIRMS]
        firms = {f.pk: f for f in Enterprise.objects.filter(pk__in=[k for k, _v in ranked]).select_related("hq_region")}
        officers = {"440703": self.users.get("pengjiang"), "440705": self.users.get("xinhui")}
        for adcode, (login, name) in SERVICE_OFFICERS.items():
            officers[adcode] = self.user(login, name, self.teams[f"district:{adcode}"])
        year = self.today.year
        keys = []
        for rank, (firm_id, (output, tax)) in enumerate(ranked, 1):
            district = (firms[firm_id].hq_region.adcode if firms[firm_id].hq_region_id else "")[:6]
            if rank <= 20 or district not in officers:
                officer, team = self.users["centre"], self.teams["centre"]
            else:
                officer, team = officers[district], self.teams[f"district:{district}"]
            keys.append(
                KeyEnterprise(
                    year=year,
                    rank=rank,
                    enterprise_id=firm_id,
                    basis=RankBasis.OUTPUT,
                    output_wan=output,
                    tax_wan=tax,
                    officer=officer,
                    team=team,
                )
            )
        KeyEnterprise.objects.bulk_create(keys)
        keys = list(KeyEnterprise.objects.filter(year=year).order_by("rank"))
        visits = []
        for key in keys:
            for quarter in range(1, 5):
                day = date(year, 3 * quarter - 1, rng.randint(3, 26))
                if day > self.today + timedelta(days=60):
                    continue
                done = day <= self.today and rng.random() < 0.9
                state = VisitState.DONE if done else VisitState.PLANNED
                if day <= self.today and not done:  # a visit that did not take place was called off
                    state = VisitState.CANCELLED
                visits.append(
                    ServiceVisit(
                        key_enterprise=key,
                        planned_on=day,
                        done_on=day if done else None,
                        state=state,
                        officer_id=key.officer_id,
                        team_id=key.team_id,
                        purpose=rng.choice(VISIT_PURPOSES),
                        findings=rng.choice(FINDINGS) if done else "",
                    )
                )
            if rng.random() < 0.8:  # the next visit planned
                day = self.today + timedelta(days=rng.randint(3, 45))
                visits.append(
                    ServiceVisit(
                        key_enterprise=key,
                        planned_on=day,
                        officer_id=key.officer_id,
                        team_id=key.team_id,
                        purpose=rng.choice(VISIT_PURPOSES),
                    )
                )
        ServiceVisit.objects.bulk_create(visits, batch_size=1000)
        self.keys = keys
        self.ctx.data["key_enterprises"] = len(keys)

    def accounts(self):
        by_rank = {k.rank: k for k in self.keys}
        self.accounts_made = []
        for login, name, rank in FIRM_LOGINS:
            key = by_rank.get(rank)
            if key is None:
                continue
            user = self.user(login, name)
            self.accounts_made.append(
                EnterpriseAccount.objects.create(user=user, enterprise_id=key.enterprise_id, officer_id=key.officer_id)
            )

    # ------------------------------------------------------------ requests

    def requests(self):
        rng = self.rng
        categories = ensure_categories(self.depts)
        dept_of = {code: self.depts[CATEGORIES[code][0]] for code in categories}
        codes = list(categories)
        weights = [CATEGORIES[c][1] for c in codes]
        city = self.ctx.city_adcode[:4]
        local = list(
            Enterprise.objects.filter(hq_region__adcode__startswith=city)
            .order_by("pk")
            .values_list("pk", "name", "hq_region_id")[:4000]
        )
        if not local:
            return
        region_of = {pk: region for pk, _n, region in local}
        names = {pk: name for pk, name, _r in local}
        key_ids = [k.enterprise_id for k in self.keys]
        for pk, name, region in Enterprise.objects.filter(pk__in=key_ids).values_list("pk", "name", "hq_region_id"):
            names[pk], region_of[pk] = name, region
        start = self.now - timedelta(days=365)
        drawn = []
        for n in range(REQUESTS):
            account = None
            if n < len(self.accounts_made) * 12:
                account = self.accounts_made[n % len(self.accounts_made)]
                firm = account.enterprise_id
            elif rng.random() < 0.3 and key_ids:
                firm = rng.choice(key_ids)
            else:
                firm = rng.choice(local)[0]
            channel = Channel.WEB if account else rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0]
            when = start + timedelta(seconds=rng.randint(0, 365 * 86400 - 3600))
            day = timezone.localtime(when).date()
            if channel != Channel.HOTLINE:  # firms write and call in office hours, mostly on working days
                while not workdays.is_working(day) and rng.random() < 0.9:
                    day += timedelta(days=1)
                when = _at(day, rng.choice([9, 9, 10, 10, 11, 14, 15, 15, 16, 17]), rng.randint(0, 59))
            if when > self.now - timedelta(minutes=10):
                when = self.now - timedelta(minutes=rng.randint(10, 600))
            drawn.append((when, firm, account, channel, rng.choices(codes, weights)[0]))
        drawn.sort(key=lambda d: d[0])
        # the newest ones still open; among those, two with a send-back waiting for the centre
        records, plans = [], []
        serial = Counter(_last_numbers())  # numbered as the services number them: per year, in order received
        for when, firm, account, channel, code in drawn:
            local_day = timezone.localtime(when).date()
            serial[local_day.year] += 1
            dept = dept_of[code]
            category = categories[code]
            title = rng.choice(TITLES[code])
            number = f"SQ{local_day.year}-{serial[local_day.year]:06d}"
            record = EnterpriseRequest(
                number=number,
                enterprise_id=firm,
                account=account,
                contact_name=rng.choice(["王", "李", "张", "刘", "陈", "黄"])
                + rng.choice(["经理", "主任", "总", "主管"]),
                contact_phone=f"138{rng.randint(0, 99999999):08d}",
                channel=channel,
                category=category,
                title=title,
                description=f"示例诉求：{title}。",
                district_id=region_of.get(firm),
                department=dept,
                officer=self.dept_officer[CATEGORIES[code][0]],
                supervisor=self.dept_lead[CATEGORIES[code][0]],
                received_at=when,
            )
            record.search_text = search.build_search_text(number, title, names.get(firm))
            records.append(record)
            plans.append(self.timeline(record))
        events, pending = self.fill(records, plans)
        EnterpriseRequest.objects.bulk_create(records, batch_size=500)
        for event in events:  # the requests have their keys now
            event.request_id = event.request.pk
        RequestEvent.objects.bulk_create(events, batch_size=2000)
        through = EnterpriseRequest.categories.through
        links = []
        for record in records:
            links.append(through(enterpriserequest_id=record.pk, requestcategory_id=record.category_id))
            if rng.random() < 0.15:
                second = categories[rng.choice(codes)]
                if second.pk != record.category_id:
                    links.append(through(enterpriserequest_id=record.pk, requestcategory_id=second.pk))
        through.objects.bulk_create(links, batch_size=2000)
        content_type = ContentType.objects.get_for_model(EnterpriseRequest)
        Clock.objects.bulk_create(
            (
                clock
                for record, times in zip(records, plans, strict=True)
                for clock in self.request_clocks(content_type, record, times)
            ),
            batch_size=2000,
        )
        self.send_backs(pending)

    def timeline(self, record) -> dict:
        """When each step of the request happened (None: not yet), drawn so that most are contacted within the
        hour (about 3% late), given a plan the same day, closed within 7 working days and rated satisfied."""
        rng = self.rng
        received = record.received_at
        steps = {}
        late_contact = rng.random() < 0.03
        sign_minutes = rng.randint(2, 15)
        signed = workdays.add_working_minutes(received, sign_minutes)
        contact_minutes = rng.randint(61, 240) if late_contact else min(59, int(rng.expovariate(1 / 18)) + 3)
        contact_minutes = max(contact_minutes, sign_minutes + 1)  # signed for, then the firm called
        contacted = workdays.add_working_minutes(received, contact_minutes)
        planned = contacted + timedelta(minutes=rng.randint(30, 20 * 60) if rng.random() > 0.02 else 30 * 60)
        roll = rng.random()
        close_days = rng.randint(1, 6) if roll < 0.9 else (7 if roll < 0.96 else rng.randint(8, 12))
        closed = _at(workdays.add_working_days(timezone.localtime(received).date(), close_days), rng.randint(9, 17))
        closed = max(closed, planned + timedelta(hours=1))
        steps.update(signed=signed, contacted=contacted, planned=planned, closed=closed)
        redo = rng.random() < 0.025
        if redo:
            steps["unsatisfied_at"] = closed + timedelta(hours=rng.randint(20, 60))
            steps["reclosed"] = _at(
                workdays.add_working_days(timezone.localtime(steps["unsatisfied_at"]).date(), rng.randint(2, 6)), 16
            )
            steps["final_rating"] = Rating.SATISFIED if rng.random() < 0.8 else Rating.UNSATISFIED
        else:
            steps["final_rating"] = Rating.SATISFIED if rng.random() > 0.006 else Rating.UNSATISFIED
        final_close = steps.get("reclosed", closed)
        steps["rated"] = final_close + timedelta(hours=rng.randint(2, 48)) if rng.random() < 0.93 else None
        steps["visited"] = final_close + timedelta(days=rng.randint(1, 5))
        # what has happened by now
        for name in ("signed", "contacted", "planned", "closed", "unsatisfied_at", "reclosed", "rated", "visited"):
            if steps.get(name) is not None and steps[name] > self.now:
                steps[name] = None
        if steps["closed"] is None:
            for name in ("unsatisfied_at", "reclosed", "rated", "visited"):
                steps[name] = None
        if steps.get("unsatisfied_at") is None:
            steps["reclosed"] = None
        if redo and steps.get("unsatisfied_at") and steps.get("reclosed") is None:
            steps["rated"] = steps["visited"] = None
        return steps

    def fill(self, records, plans):
        """The requests' states and events from their timelines (the events keep their unsaved request), and the
        requests waiting for the centre on a send-back."""
        policy = self.policy = ServicePolicy.objects.filter(category=None, channel="").first()
        events, pending = [], []
        for record, steps in zip(records, plans, strict=True):
            by = record.officer_id
            received = record.received_at
            events.append(RequestEvent(request=record, kind=RequestEventKind.SUBMITTED, at=received, public=True))
            record.signed_at, record.contacted_at = steps["signed"], steps["contacted"]
            record.planned_at = steps["planned"]
            for kind, name in (
                (RequestEventKind.SIGNED, "signed"),
                (RequestEventKind.CONTACTED, "contacted"),
                (RequestEventKind.PLANNED, "planned"),
            ):
                if steps[name] is not None:
                    events.append(RequestEvent(request=record, kind=kind, at=steps[name], by_id=by, public=True))
            close_start = received
            closed = steps["closed"]
            if steps.get("unsatisfied_at"):
                events.append(
                    RequestEvent(request=record, kind=RequestEventKind.CLOSED, at=closed, by_id=by, public=True)
                )
                events.append(
                    RequestEvent(
                        request=record,
                        kind=RequestEventKind.RATED,
                        at=steps["unsatisfied_at"],
                        text="不满意：问题未解决。",
                        public=True,
                    )
                )
                events.append(
                    RequestEvent(request=record, kind=RequestEventKind.REDO, at=steps["unsatisfied_at"], public=True)
                )
                record.level, record.redo_count = RequestLevel.DISTRICT, 1
                close_start, closed = steps["unsatisfied_at"], steps["reclosed"]
            steps["close_start"] = close_start
            close_due = clocks.add(ClockUnit.WORKING_DAYS, close_start, policy.close_limit)
            if closed is not None:
                record.closed_at, record.closed_on_time = closed, closed <= close_due
                record.answer = "已协调相关部门办理，并向企业书面答复（示例）。"
                events.append(
                    RequestEvent(
                        request=record,
                        kind=RequestEventKind.CLOSED,
                        at=closed,
                        by_id=by,
                        text=record.answer,
                        public=True,
                    )
                )
                record.state = RequestState.CLOSED
                if steps["rated"] is not None:
                    record.rating, record.rated_at = steps["final_rating"], steps["rated"]
                    events.append(
                        RequestEvent(request=record, kind=RequestEventKind.RATED, at=steps["rated"], public=True)
                    )
                if steps["visited"] is not None:
                    record.state = RequestState.VISITED
                    events.append(
                        RequestEvent(
                            request=record, kind=RequestEventKind.VISITED, at=steps["visited"], by_id=by, public=False
                        )
                    )
            elif steps["planned"] is not None:
                record.state = RequestState.INTERIM if self.rng.random() < 0.4 else RequestState.IN_PROGRESS
            elif steps["signed"] is not None:
                record.state = RequestState.IN_PROGRESS
            else:
                record.state = RequestState.SUBMITTED
            if record.state == RequestState.INTERIM:
                events.append(
                    RequestEvent(
                        request=record,
                        kind=RequestEventKind.INTERIM,
                        at=steps["planned"] + timedelta(minutes=5),
                        by_id=by,
                        text="已受理，正在协调办理（示例）。",
                        public=True,
                    )
                )
            if record.state == RequestState.IN_PROGRESS and len(pending) < 2 and steps["planned"] is not None:
                pending.append(record)
        return events, pending

    def request_clocks(self, content_type, record, steps) -> list[Clock]:
        """The contact, plan and close clocks of a saved request."""
        policy = self.policy
        received = record.received_at
        return [
            self.clock(content_type, record, CONTACT, policy.contact_unit, policy.contact_limit, received,
                       record.contacted_at),
            self.clock(content_type, record, PLAN, policy.plan_unit, policy.plan_limit, received,
                       record.planned_at),
            self.clock(content_type, record, CLOSE, policy.close_unit, policy.close_limit,
                       steps["close_start"], record.closed_at),
        ]  # fmt: skip

    def clock(self, content_type, record, purpose, unit, limit, started, stopped) -> Clock:
        """A clock as ``core.clocks.start`` makes it, stopped when the step was done (``clocks.refresh``)."""
        clock = Clock(
            subject_type=content_type, subject_id=record.pk, purpose=purpose, unit=unit, limit=limit, started_at=started
        )
        clocks.refresh(clock)
        if stopped is not None:
            clock.stopped_at, clock.next_alert_at = stopped, None
        return clock

    def send_backs(self, records):
        others = list(self.depts.values())
        for record in records:
            suggested = next(d for d in others if d.pk != record.department_id)
            SendBack.objects.create(
                request=record,
                from_team_id=record.department_id,
                reason="该诉求涉及事项不属于本部门职责，建议转交。（示例）",
                suggested_team=suggested,
                decision=SendBackDecision.PENDING,
            )
            RequestEvent.objects.create(
                request=record,
                kind=RequestEventKind.SENT_BACK,
                at=record.planned_at + timedelta(minutes=30),
                by_id=record.officer_id,
                from_team_id=record.department_id,
                to_team=suggested,
                text="申请退单（示例）。",
            )
