"""Demo pipeline of Jiangmen: two years of projects, from the first lead to full production (demo data).

The current year up to today and the whole previous year: a few hundred projects of the demo teams, in
every district, chain and lead source, moved through their stages by the real services (``create_project``
and ``transition``, each dated the day it happened), with milestones, activities and contacts. The named
projects of DOMAIN.md carry their published figures; every other date of theirs is a demo stand-in. The
figures of the year (≥1亿 projects signed) are generated, not written down: a seeded random generator gives
the same pipeline on every load.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.models import Membership
from zhaoshang.core.demo import DEMO_CITY
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Region
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.models import Enterprise, EnterpriseTag, IndustryCode
from zhaoshang.industry.services import name_key
from zhaoshang.industry.validators import make_uscc, validate_uscc

from .choices import ActivityKind, LeadSource, Stage
from .models import LARGE_PROJECT_WAN, Activity, Contact, Milestone, Project
from .services import create_project, find_or_create_enterprise, scan_stalled, transition

# Projects signed in January to today of each year (the headline statistic counts the ≥1亿 among them);
# the previous year also gets its December, and each year its leads that were not (yet) signed.
SIGNED_IN_PERIOD = {0: 176, -1: 152}
UNSIGNED = {0: 80, -1: 58}

# Intensity floor (万元/亩) and the minimum total investment (万元) of the admission rules, by district.
ADMISSION = {
    "440703": (250, 5_000),
    "440704": (300, 5_000),  # most of 江海 lies in the national high-tech zone
    "440705": (250, 5_000),
    "440784": (250, 5_000),
    "440781": (200, 3_000),
    "440783": (200, 3_000),
    "440785": (200, 3_000),
}
# Local specialties (DOMAIN.md): a district draws more projects of its chain.
SPECIALTY = {
    "440784": "硅能源",
    "440705": "新能源电池",
    "440703": "食品",
    "440704": "安全应急",
    "440781": "汽车零部件",
    "440783": "五金卫浴",
    "440785": "智能装备",
}
PROJECT_WORDS = {
    "硅能源": ["光伏组件", "硅片", "储能逆变器", "光伏支架"],
    "新能源电池": ["动力电池", "电池材料", "储能系统", "电池结构件"],
    "新一代信息技术": ["显示模组", "服务器", "传感器", "软件研发中心"],
    "智能装备": ["智能装备", "工业机器人", "自动化产线"],
    "五金卫浴": ["智能卫浴", "水暖五金", "厨卫配件"],
    "机床装备": ["数控机床", "精密机床", "机床功能部件"],
    "智能家电": ["智能小家电", "家电零部件", "厨房电器"],
    "食品": ["健康食品", "调味品", "饮料", "预制菜"],
    "汽车零部件": ["汽车零部件", "汽车电子", "轮毂"],
    "新材料": ["新材料", "高性能膜材料", "特种合金"],
    "生物医药与健康": ["医疗器械", "生物医药", "保健品"],
    "安全应急": ["应急装备", "消防装备", "安防产品"],
    "纺织服装": ["功能性面料", "服装"],
    "电子信息材料": ["电子化学品", "覆铜板", "电子浆料"],
    "现代轻工": ["包装材料", "日化用品", "家居用品"],
}
NAME_HEADS = "华 粤 南 恒 盛 鸿 嘉 宏 金 东 瑞 达 联 博 卓 创 海 侨 远 佳 德 信 祥 泰 宇 晟 沃 凯 铭 璟 骏 拓".split()
NAME_TAILS = (
    "科 光 能 芯 智 锐 源 和 睿 通 腾 辉 天 力 盈 安 润 景 众 高 峰 美 星 汇 启 航 驰 川 泽 岳 杰 恒 丰 鼎".split()
)
TRADE_WORDS = ["科技", "新能源", "智造", "材料", "电子", "实业", "精密", "装备", "生物"]
FORMS = ["有限公司", "科技有限公司", "股份有限公司"]
SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 梁 谢 宋 郑 邓".split()
GIVEN = "伟 芳 敏 静 强 磊 军 洋 勇 艳 杰 涛 明 超 秀 霞 平 刚 辉 鹏 华 飞 婷 宁".split()
POSITIONS = ["董事长", "总经理", "副总经理", "投资总监", "项目经理", "战略发展部经理"]
DROP_REASONS = [
    "企业战略调整，暂停对外投资。",
    "用地需求与可供地块不匹配，企业另选他市。",
    "企业融资未到位，项目终止。",
    "产品属产业结构调整指导目录限制类，未通过准入评审。",
    "投资强度达不到准入要求，企业无意调整方案。",
    "与外市政策比较后，企业选择落户其他城市。",
]
PAUSE_REASONS = ["企业等待董事会决议。", "市场需求变化，企业放缓扩产计划。", "等待用地规划调整。"]
SOURCE_WEIGHTS = {
    LeadSource.OUTPOST: 2,
    LeadSource.CONFERENCE: 3,
    LeadSource.REFERRAL: 3,
    LeadSource.AGENCY: 2,
    LeadSource.ONLINE: 1,
    LeadSource.OTHER: 1,
}


@dataclass
class Plan:
    """One project to build: what it is and the dated moves of its history."""

    name: str
    enterprise_name: str
    team_key: str
    district: str
    chain: str
    amount: int
    source: str
    moves: list[tuple[str, date, str]] = field(default_factory=list)  # (to stage, day, reason)
    lead_on: date | None = None
    foreign: int | None = None
    land_mu: Decimal | None = None
    project_type: str = ProjectType.INDUSTRIAL
    uscc: str | None = None
    enterprise_en: str = ""
    tags: tuple[str, ...] = ()
    confidential: bool = False
    description: str = ""
    milestones: list[tuple[str, str, date | None, date | None]] = field(default_factory=list)


def load(ctx):
    if ctx.city_adcode != DEMO_CITY or "teams" not in ctx.data:
        ctx.log.append("projects: the demo pipeline exists for Jiangmen only")
        return
    Builder(ctx).run()


class Builder:
    def __init__(self, ctx):
        self.ctx = ctx
        # A generator of its own, so that the apps loaded after this one draw what they always drew.
        self.rng = random.Random(ctx.seed * 7 + 1)
        self.today = timezone.localdate()
        self.teams = ctx.data["teams"]
        self.users = ctx.data["users"]
        self.chains = ctx.data["chains"]
        self.districts = {
            r.adcode: r for r in Region.objects.filter(parent__adcode=ctx.city_adcode, level=RegionLevel.DISTRICT)
        }
        self.tags = {t.slug: t for t in EnterpriseTag.objects.all()}
        self.codes = {c.code: c for c in IndustryCode.objects.filter(level="division")}
        self.team_keys = {team.pk: key for key, team in self.teams.items()}
        self.members: dict[int, list] = {}
        working = Membership.objects.filter(role__in=[Role.OFFICER, Role.TEAM_LEAD]).select_related("user")
        for m in working.order_by("pk"):
            self.members.setdefault(m.team_id, []).append(m.user)
        self.used_keys: set[str] = set()
        self.used_names: set[str] = set()
        self.codes_made: set[str] = set()

    # ---------------------------------------------------------------- drawing

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def amount(self) -> int:
        r = self.rng.random()
        if r < 0.18:
            value = self.rng.uniform(3_000, 10_000)
        elif r < 0.83:
            value = 10 ** self.rng.uniform(4.0, 4.7)  # 10,000 – 50,000
        elif r < 0.97:
            value = 10 ** self.rng.uniform(4.7, 5.5)  # 50,000 – 316,000
        else:
            value = 10 ** self.rng.uniform(5.5, 6.05)  # a few above 1,000,000
        return int(round(value / 100) * 100)

    def team_for(self, district: str, chain: str) -> str:
        r = self.rng.random()
        if r < 0.42:
            return f"district:{district}"
        if r < 0.70:
            return self.rng.choice([k for k in self.teams if k.startswith("outpost:")])
        if r < 0.90:
            return self.team_keys.get(self.chains[chain].task_force_id, "centre")
        if r < 0.95:
            return self.rng.choice([k for k in self.teams if k.startswith("partner:")])
        return "centre"

    def source_for(self, team_key: str) -> str:
        if team_key.startswith("outpost:") and self.rng.random() < 0.7:
            return LeadSource.OUTPOST
        if team_key.startswith("partner:") and self.rng.random() < 0.8:
            return LeadSource.AGENCY
        sources = list(SOURCE_WEIGHTS)
        return self.rng.choices(sources, weights=[SOURCE_WEIGHTS[s] for s in sources])[0]

    def enterprise_name(self, trade: str) -> str:
        while True:
            name = (
                self.rng.choice(NAME_HEADS)
                + self.rng.choice(NAME_TAILS)
                + self.rng.choice(TRADE_WORDS if self.rng.random() < 0.5 else [trade])
                + self.rng.choice(FORMS)
            )
            if "科技科技" in name:
                continue
            key = name_key(name)
            if key not in self.used_keys and name not in self.used_names:
                self.used_keys.add(key)
                self.used_names.add(name)
                return name

    def land(self, district: str, amount: int, project_type: str) -> Decimal | None:
        if project_type not in (ProjectType.INDUSTRIAL, ProjectType.LOGISTICS):
            return None
        floor, _minimum = ADMISSION[district]
        intensity = floor * self.rng.uniform(1.0, 1.3)
        return Decimal(amount / intensity).quantize(Decimal("0.01"))

    # ---------------------------------------------------------------- histories

    def forward_after_signing(self, signed: date, moves: list, slow: bool) -> None:
        """Land 30–120 days after signing, construction 20–90 days after land, production 6–18 months later,
        full production 6–12 months after that, as far as today allows (a slow project stops earlier)."""
        rng = self.rng
        steps = [
            (Stage.LAND, 30, 120, 0.9),
            (Stage.CONSTRUCTION, 20, 90, 0.93),
            (Stage.PRODUCTION, 183, 548, 0.85),
            (Stage.FULL_PRODUCTION, 183, 365, 0.8),
        ]
        day = signed
        for stage, low, high, chance in steps:
            if slow and stage == Stage.PRODUCTION:
                return  # a slow project stays under construction (the stall scan flags it after 18 months)
            nxt = day + timedelta(days=rng.randint(low, high))
            if nxt > self.today or rng.random() > chance:
                return
            moves.append((stage, nxt, ""))
            day = nxt

    def history(self, signed: date | None, lead_end: date, lead_start: date) -> tuple[date, list]:
        """(lead day, moves) of a generated project: signed on ``signed`` (else never, a lead of the period)."""
        rng = self.rng
        moves: list[tuple[str, date, str]] = []
        if signed is not None:
            lead = signed - timedelta(days=rng.randint(21, 240))
            span = (signed - lead).days
            if rng.random() < 0.6:
                moves.append((Stage.CONTACT, lead + timedelta(days=rng.randint(3, max(4, span // 4))), ""))
            if rng.random() < 0.9:
                moves.append((Stage.NEGOTIATION, lead + timedelta(days=rng.randint(span // 3, span * 2 // 3)), ""))
            if rng.random() < 0.06:  # paused during negotiation, then resumed
                last = moves[-1][1] if moves else lead
                pause = last + timedelta(days=rng.randint(1, max(2, (signed - last).days // 3)))
                resume = pause + timedelta(days=rng.randint(1, max(2, (signed - pause).days - 1)))
                if resume < signed:
                    moves += [(Stage.PAUSED, pause, rng.choice(PAUSE_REASONS)), ("resume", resume, "")]
            moves.append((Stage.SIGNED, signed, ""))
            self.forward_after_signing(signed, moves, slow=rng.random() < 0.12)
            last = moves[-1][1]
            fate = rng.random()
            if moves[-1][0] in (Stage.SIGNED, Stage.LAND) and fate < 0.05 and last + timedelta(30) < self.today:
                moves.append(
                    (Stage.DROPPED, self.day_between(last + timedelta(30), self.today), rng.choice(DROP_REASONS))
                )
            elif moves[-1][0] != Stage.FULL_PRODUCTION and fate > 0.96 and last + timedelta(20) < self.today:
                moves.append(
                    (Stage.PAUSED, self.day_between(last + timedelta(20), self.today), rng.choice(PAUSE_REASONS))
                )
            return lead, moves
        lead = self.day_between(lead_start, lead_end)
        day = lead
        for stage, chance in ((Stage.CONTACT, 0.75), (Stage.NEGOTIATION, 0.55)):
            nxt = day + timedelta(days=rng.randint(5, 90))
            if nxt > self.today or rng.random() > chance:
                break
            moves.append((stage, nxt, ""))
            day = nxt
        fate = rng.random()
        if fate < 0.25 and day + timedelta(15) < self.today:
            moves.append((Stage.DROPPED, self.day_between(day + timedelta(15), self.today), rng.choice(DROP_REASONS)))
        elif fate < 0.33 and day + timedelta(15) < self.today:
            moves.append((Stage.PAUSED, self.day_between(day + timedelta(15), self.today), rng.choice(PAUSE_REASONS)))
        return lead, moves

    def generated(self) -> list[Plan]:
        rng = self.rng
        plans = []
        chain_names = list(self.chains)
        for offset in (-1, 0):
            year = self.today.year + offset
            start = date(year, 1, 1)
            period_end = self.today.replace(year=year)
            # the previous year runs to its end; the current one to today
            year_end = date(year, 12, 31) if offset else self.today
            signed_days = [self.day_between(start, period_end) for _ in range(SIGNED_IN_PERIOD[offset])]
            if offset:
                signed_days += [self.day_between(period_end + timedelta(1), year_end) for _ in range(10)]
            histories = [self.history(day, None, None) for day in signed_days]
            histories += [self.history(None, year_end, start) for _ in range(UNSIGNED[offset])]
            for lead, moves in histories:
                district = rng.choice(list(self.districts))
                chain = SPECIALTY[district] if rng.random() < 0.3 else rng.choice(chain_names)
                team_key = self.team_for(district, chain)
                if team_key.startswith("district:"):
                    district = team_key.split(":")[1]
                amount = max(self.amount(), ADMISSION[district][1])
                project_type = rng.choices(
                    [ProjectType.INDUSTRIAL, ProjectType.SERVICES, ProjectType.LOGISTICS, ProjectType.OTHER],
                    weights=[88, 6, 4, 2],
                )[0]
                word = rng.choice(PROJECT_WORDS[chain])
                enterprise = self.enterprise_name(word[:2])
                foreign = None
                tags = []
                if rng.random() < 0.1:
                    tags.append("foreign")
                    foreign = int(amount * rng.choice([1.0, 1.0, rng.uniform(0.25, 0.8)]))
                for slug, chance in (
                    ("high-tech", 0.4),
                    ("listed", 0.1),
                    ("china-500", 0.03),
                    ("china-manufacturing-500", 0.04),
                    ("fortune-global-500", 0.01),
                    ("specialized-innovative", 0.1),
                ):
                    if rng.random() < chance:
                        tags.append(slug)
                scale = "产业园" if amount >= 100_000 else "生产基地" if amount >= 20_000 else "项目"
                plans.append(
                    Plan(
                        name=f"{enterprise[:2]}{word}{scale}",
                        enterprise_name=enterprise,
                        team_key=team_key,
                        district=district,
                        chain=chain,
                        amount=amount,
                        source=self.source_for(team_key),
                        lead_on=lead,
                        moves=moves,
                        foreign=foreign,
                        land_mu=self.land(district, amount, project_type),
                        project_type=project_type,
                        uscc=None if "foreign" in tags and rng.random() < 0.5 else make_uscc(rng, "440300"),
                        tags=tuple(tags),
                        confidential=rng.random() < 0.03,
                    )
                )
        return plans

    # ---------------------------------------------------------------- named projects (DOMAIN.md)

    def named(self) -> list[Plan]:
        """The real projects of DOMAIN.md. Published: their names, planned investments and, for 中创新航, the
        signing on 26 January (of the current demo year) and construction 50 days later with the main structure
        done in 88 days. Every other date, district, team and amount marked "demo" is a stand-in."""
        y = self.today.year
        calb_signed = date(y, 1, 26)
        calb_built = calb_signed + timedelta(days=50)
        plans = [
            Plan(
                name="中创新航50GWh动力电池及储能系统江门基地",
                enterprise_name="中创新航科技集团股份有限公司",
                team_key="task_force:battery",
                district="440705",
                chain="新能源电池",
                amount=2_000_000,
                source=LeadSource.REFERRAL,  # demo
                lead_on=date(y - 1, 10, 15),  # demo
                moves=[
                    (Stage.CONTACT, date(y - 1, 10, 28), ""),  # demo
                    (Stage.NEGOTIATION, date(y - 1, 11, 20), ""),  # demo
                    (Stage.SIGNED, calb_signed, ""),  # published: 26 January
                    (Stage.LAND, calb_signed + timedelta(days=30), ""),  # demo
                    (Stage.CONSTRUCTION, calb_built, ""),  # published: 50 days after signing
                ],
                milestones=[
                    ("主体结构封顶", Stage.CONSTRUCTION, calb_built + timedelta(days=90), calb_built + timedelta(88)),
                    ("首条产线投产", Stage.PRODUCTION, date(y + 1, 6, 30), None),  # demo
                ],
                description="示例：签约、动工日期与投资额来自公开报道，其余日期为示例。",
            ),
            self.named_plan("隆基硅能源生产基地", "隆基绿能科技股份有限公司", "task_force:silicon", "440784", "硅能源",
                            1_000_000, LeadSource.OUTPOST, date(y - 1, 3, 18), 55, Stage.CONSTRUCTION),
            self.named_plan("柏涛智能装备产业园", "柏涛智能装备有限公司", "district:440703", "440703", "智能装备",
                            250_000, LeadSource.CONFERENCE, date(y - 1, 6, 12), 70, Stage.CONSTRUCTION),
            self.named_plan("英国泰莱集团江门项目", "泰莱集团", "outpost:香港", "440703", "食品",
                            176_700, LeadSource.OUTPOST, date(y, 4, 9), 60, Stage.LAND, foreign=176_700),
            self.named_plan("华津金属产业园", "华津金属产业园有限公司", "district:440705", "440705", "五金卫浴",
                            300_000, LeadSource.REFERRAL, date(y - 1, 4, 22), 80, Stage.PRODUCTION),
            self.named_plan("天赐新能源电池材料项目", "广州天赐高新材料股份有限公司", "task_force:battery", "440705",
                            "新能源电池", 150_000, LeadSource.REFERRAL, date(y - 1, 8, 6), 45, Stage.CONSTRUCTION),
            self.named_plan("科达利电池精密结构件项目", "深圳市科达利实业股份有限公司", "outpost:深圳", "440705",
                            "新能源电池", 120_000, LeadSource.OUTPOST, date(y, 2, 27), 40, Stage.LAND),
            self.named_plan("沃特海默电池装备项目", "沃特海默（江门）科技有限公司", "task_force:battery", "440705",
                            "新能源电池", 50_000, LeadSource.REFERRAL, date(y, 5, 14), 35, Stage.CONSTRUCTION),
            self.named_plan("联塑班皓硅能源项目", "联塑班皓新能源科技有限公司", "district:440784", "440784", "硅能源",
                            200_000, LeadSource.REFERRAL, date(y - 1, 9, 3), 60, Stage.PRODUCTION),
        ]  # fmt: skip
        return plans

    def named_plan(self, name, enterprise, team_key, district, chain, amount, source, signed, lead_days, reach,
                   foreign=None) -> Plan:  # fmt: skip
        """A named project with demo dates: lead ``lead_days`` before the signing, then up to ``reach``."""
        lead = signed - timedelta(days=lead_days * 3)
        moves = [(Stage.NEGOTIATION, signed - timedelta(days=lead_days), ""), (Stage.SIGNED, signed, "")]
        gaps = {Stage.LAND: 60, Stage.CONSTRUCTION: 45, Stage.PRODUCTION: 300}
        day = signed
        for stage, gap in gaps.items():
            day = day + timedelta(days=gap)
            if day > self.today:
                break
            moves.append((stage, day, ""))
            if stage == reach:
                break
        return Plan(
            name=name,
            enterprise_name=enterprise,
            team_key=team_key,
            district=district,
            chain=chain,
            amount=amount,
            source=source,
            lead_on=lead,
            moves=moves,
            foreign=foreign,
            land_mu=self.land(district, amount, ProjectType.INDUSTRIAL),
            description="示例：项目名称与投资额来自公开报道，各阶段日期为示例。",
        )

    # ---------------------------------------------------------------- duplicate claims (撞单)

    def duplicates(self, plans: list[Plan]) -> list[Plan]:
        """Two teams on one enterprise: certain (the same credit code, typed under another name) and possible
        (某某科技有限公司 and 某某科技股份有限公司, two codes)."""
        y = self.today.year
        first = next(p for p in plans if p.uscc and p.team_key.startswith("outpost:") and not p.moves)
        extra = [
            Plan(
                name=first.name.replace("项目", "扩产项目"),
                enterprise_name=first.enterprise_name.replace("有限公司", "（江门）有限公司"),
                uscc=first.uscc,
                team_key="district:440704" if first.district != "440704" else "district:440703",
                district="440704",
                chain=first.chain,
                amount=first.amount,
                source=LeadSource.REFERRAL,
                lead_on=self.day_between(first.lead_on, self.today),
            )
        ]
        while True:
            stem = self.rng.choice(NAME_HEADS) + self.rng.choice(NAME_TAILS) + "传感"
            if name_key(f"{stem}科技有限公司") not in self.used_keys:
                self.used_keys.add(name_key(f"{stem}科技有限公司"))
                break
        for name, team, lead in (
            (f"{stem}科技有限公司", "outpost:上海", date(y, 3, 2)),
            (f"{stem}科技股份有限公司", "task_force:ict", date(y, 5, 19)),
        ):
            extra.append(
                Plan(
                    name=f"{stem[:2]}智能传感器项目",
                    enterprise_name=name,
                    uscc=make_uscc(self.rng, "440300"),
                    team_key=team,
                    district="440704",
                    chain="新一代信息技术",
                    amount=30_000,
                    source=LeadSource.OUTPOST if team.startswith("outpost") else LeadSource.ONLINE,
                    lead_on=lead,
                    moves=[(Stage.CONTACT, lead + timedelta(days=12), "")],
                    land_mu=self.land("440704", 30_000, ProjectType.INDUSTRIAL),
                )
            )
        return extra

    # ---------------------------------------------------------------- building

    def run(self):
        named = self.named()
        plans = self.generated()
        plans += self.duplicates(plans)
        enterprises = {e.name: e for e in self.ctx.data.get("enterprises", [])}
        for plan in named + plans:
            self.build(plan, enterprises.get(plan.enterprise_name))
        result = scan_stalled(self.today)
        self.ctx.data["projects_stalled"] = result["open"]

    def actor(self, team):
        members = self.members.get(team.pk)
        return (members[0] if members else None), self.users["centre"]

    def build(self, plan: Plan, enterprise=None):
        rng = self.rng
        team = self.teams[plan.team_key]
        owner, clerk = self.actor(team)
        recorder = owner or clerk
        chain = self.chains[plan.chain]
        if enterprise is None and plan.uscc in self.codes_made:
            # a second team's claim: the credit code on record gives the enterprise, whatever name was typed
            enterprise = find_or_create_enterprise(
                plan.uscc, plan.enterprise_name, self.users["admin"], owner_team=team
            )
        elif enterprise is None:
            foreign = "foreign" in plan.tags
            city = rng.choice(["香港", "新加坡"] if foreign else ["深圳", "广州", "佛山", "上海", "杭州"])
            division = chain.industry_codes.order_by("code").values_list("code", flat=True).first()
            enterprise = Enterprise(
                name=plan.enterprise_name,
                uscc=plan.uscc,
                owner_team=team,
                industry=self.codes.get(division),
                hq_city=city,
                hq_country="Singapore" if city == "新加坡" else "中国",
            )
            if plan.uscc:
                validate_uscc(plan.uscc)
                self.codes_made.add(plan.uscc)
            enterprise.full_clean()
            enterprise.save()
            if plan.tags:
                enterprise.tags.add(*[self.tags[s] for s in plan.tags if s in self.tags])
        project = create_project(
            clerk,
            name=plan.name,
            owner_team=team,
            enterprise=enterprise,
            lead_on=plan.lead_on,
            project_type=plan.project_type,
            chain=chain,
            industry_code=enterprise.industry,
            planned_investment=Decimal(plan.amount),
            foreign_investment=Decimal(plan.foreign) if plan.foreign is not None else None,
            land_need_mu=plan.land_mu,
            district=self.districts[plan.district],
            source=plan.source,
            owner=owner,
            confidential=plan.confidential,
            description=plan.description,
        )
        for stage, day, reason in sorted(plan.moves, key=lambda move: move[1]):
            if stage == "resume":
                stage = project.resume_stage
            project = transition(project, stage, day, recorder, reason=reason if stage == Stage.DROPPED else "",
                                 note=reason if stage == Stage.PAUSED else "")  # fmt: skip
        self.records(project, plan, owner, clerk)

    def records(self, project, plan: Plan, owner, clerk):
        """Milestones (planned and actual), activities with participants, contacts."""
        rng = self.rng
        for name, stage, planned, actual in plan.milestones:
            Milestone.objects.create(project=project, name=name, stage=stage, planned_on=planned, actual_on=actual)
        if not plan.milestones and project.signed_on:
            day = project.signed_on
            for stage, name, gap in (
                (Stage.LAND, "取得土地使用权", 75),
                (Stage.CONSTRUCTION, "项目动工", 55),
                (Stage.PRODUCTION, "竣工投产", 365),
            ):
                planned = day + timedelta(days=gap)
                actual = project.stage_date(stage)
                if actual is None and project.stage in (Stage.DROPPED,):
                    break
                Milestone.objects.create(project=project, name=name, stage=stage, planned_on=planned, actual_on=actual)
                day = actual or planned
        # activities between the lead and the last move (a few after it for projects still being pursued)
        last = project.latest_date() or project.lead_on
        end = last if project.stage in (Stage.DROPPED, Stage.PAUSED) else min(self.today, last + timedelta(days=60))
        if project.stage in (Stage.LEAD, Stage.CONTACT, Stage.NEGOTIATION) and rng.random() < 0.4:
            end = last  # left alone since its last move: the stall scan may flag it
        people = [u for u in (owner, clerk) if u is not None]
        for _ in range(rng.randint(1, 3)):
            kind = rng.choices(list(ActivityKind), weights=[4, 4, 3, 2, 1])[0]
            when = self.day_between(project.lead_on, end)
            activity = Activity.objects.create(
                project=project,
                kind=kind,
                happened_on=when,
                summary={
                    ActivityKind.VISIT: "拜访企业总部，介绍江门产业政策与载体资源。",
                    ActivityKind.MEETING: "与企业高层会谈，商议投资规模与落地方案。",
                    ActivityKind.CALL: "电话跟进企业投资决策进度。",
                    ActivityKind.INSPECTION: "陪同企业考察意向地块及园区配套。",
                    ActivityKind.OTHER: "协调相关部门解决企业关切。",
                }[kind],
                external_participants="\n".join(self.person() for _ in range(1 if kind == ActivityKind.CALL else 2)),
            )  # fmt: skip
            activity.participants.add(*people[: rng.randint(1, len(people))])
        for _ in range(1 if rng.random() < 0.7 else 2):
            Contact.objects.create(
                project=project,
                name=self.person().split("（")[0],
                position=rng.choice(POSITIONS),
                organization=project.enterprise.name,
                phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
            )

    def person(self) -> str:
        return f"{self.rng.choice(SURNAMES)}{self.rng.choice(GIVEN)}（{self.rng.choice(POSITIONS)}）"


def headline(year: int, until: date) -> dict:
    """The ≥1亿 projects signed from 1 January of ``year`` to the same day as ``until``."""
    end = until.replace(year=year)
    signed = Project.objects.filter(signed_on__gte=date(year, 1, 1), signed_on__lte=end)
    return {
        "signed": signed.count(),
        "large": signed.filter(planned_investment__gte=LARGE_PROJECT_WAN).count(),
    }
