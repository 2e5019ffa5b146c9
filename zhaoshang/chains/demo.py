"""The demo's chain targeting (demo data): tens of thousands of enterprises inside and outside the city with
their main products, classified to the chains' nodes; targets the task forces took up as leads or set aside; the
task forces' work record; and the chains' monthly value added.

Runs after the industry demo (the chains, their segments and nodes: ``industry.chain_data``) and the review demo,
before the statistics. Everything is drawn by seeded random generators.

**Gaps and weak nodes on purpose.** ``STRENGTH`` names, for each chain, nodes with no enterprise in the city (gaps)
and nodes with one or two small ones (weak): enterprises of those nodes are made outside the city, and no
enterprise in the city gets an industry code by which the classification would put it in a gap node (a code only
that node of its chain holds, when the node has no keywords). Should the rules still put an enterprise of the
earlier demos in a gap node, the task force checks it and excludes it from the node, as staff do.

**Value added (DOMAIN.md).** "1—11月全市15条重点产业链合计实现规模以上工业增加值949.61亿元、增长3.5%，新能源电池、
智能装备、食品等产业链增加值增长超过10%": January–November of the demo's year (the current year, as in the
statistics demo) adds up to 9,496,100 万元 over the 15 chains, the total growth is 3.5% and exactly these three
chains grow more than 10%. How it splits over chains and months is demo data.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.models import Membership, User
from zhaoshang.core import search
from zhaoshang.core.demo import DEMO_CITY, DEMO_PASSWORD
from zhaoshang.geo.models import Region
from zhaoshang.industry import classify as classification
from zhaoshang.industry.choices import ClassificationSource, EnterpriseSize, ProjectType, RevenueBand
from zhaoshang.industry.models import Enterprise, EnterpriseTag, IndustryCode, NodeClassification
from zhaoshang.industry.services import name_key, normalize_name
from zhaoshang.industry.validators import make_uscc
from zhaoshang.projects.choices import ActivityKind, LeadSource, Stage
from zhaoshang.projects.models import Activity, Contact
from zhaoshang.projects.services import create_project, transition

from .choices import ChainActivityKind, TargetState
from .models import ChainActivity, ChainValueAdded, Target

ENTERPRISES = 20_000
LOCAL_SHARE = 0.36
WEAK_LOCAL = 2  # enterprises in the city of a weak node at most

# chain → ([gap nodes], [weak nodes])
STRENGTH = {
    "硅能源": (["多晶硅"], ["逆变器"]),
    "新能源电池": (["隔膜", "回收利用"], ["电解液"]),
    "新一代信息技术": (["集成电路"], ["通信设备"]),
    "智能装备": (["减速器"], ["智能检测装备"]),
    "五金卫浴": (["不锈钢材"], ["整装卫浴"]),
    "机床装备": (["主轴"], ["机床再制造"]),
    "智能家电": (["控制板"], ["制冷电器"]),
    "食品": (["冷链物流"], ["食品配料"]),
    "汽车零部件": (["底盘部件"], ["整车制造"]),
    "新材料": (["先进陶瓷"], ["复合材料"]),
    "生物医药与健康": (["生物制品"], ["中药"]),
    "安全应急": (["应急救援装备"], ["消防装备"]),
    "纺织服装": (["化学纤维"], ["印染"]),
    "电子信息材料": (["电子气体"], ["半导体材料"]),
    "现代轻工": (["工艺美术品"], ["家具"]),
}

# Officers of the task forces who work the targets: (user name, full name, task force key, who).
OFFICERS = [
    ("battery", "冯电池", "battery", "officer of the new-energy battery task force"),
    ("food", "陈食品", "food", "officer of the food and biomedicine task force"),
    ("equipment", "韩装备", "equipment", "officer of the intelligent equipment task force"),
]

# Gap and weak nodes whose best candidates the task forces took up: (chain, node, officer, leads, set aside)
TAKEN = [
    ("新能源电池", "隔膜", "battery", 3, 1),
    ("新能源电池", "回收利用", "battery", 2, 1),
    ("新能源电池", "电解液", "battery", 2, 0),
    ("硅能源", "多晶硅", "silicon", 2, 1),
    ("食品", "冷链物流", "food", 2, 1),
    ("智能装备", "减速器", "equipment", 2, 0),
]
# The district a lead is steered to: the chain's local specialty (DOMAIN.md), else 蓬江.
SPECIALTY = {"硅能源": "440784", "新能源电池": "440705", "食品": "440703", "智能装备": "440785"}
# How far each lead got (in order of the leads taken): stages after the lead, the last with its planned investment.
PROGRESS = [
    [Stage.CONTACT, Stage.NEGOTIATION, Stage.SIGNED],
    [Stage.CONTACT],
    [],
    [Stage.CONTACT, Stage.NEGOTIATION],
]

# (band, weight, employees range, size)
BANDS = [
    (RevenueBand.UNDER_20M, 46, (8, 120), EnterpriseSize.SMALL),
    (RevenueBand.TO_100M, 28, (60, 400), EnterpriseSize.SMALL),
    (RevenueBand.TO_1B, 17, (200, 1500), EnterpriseSize.MEDIUM),
    (RevenueBand.TO_10B, 7, (1000, 8000), EnterpriseSize.LARGE),
    (RevenueBand.OVER_10B, 2, (5000, 60000), EnterpriseSize.LARGE),
]
TAG_CHANCES = [  # (tag, chance, least band index)
    ("high-tech", 0.30, 0),
    ("specialized-innovative", 0.08, 0),
    ("expanding", 0.07, 1),
    ("listed", 0.10, 2),
    ("industry-leader", 0.25, 3),
    ("china-manufacturing-500", 0.35, 4),
    ("china-500", 0.30, 4),
    ("fortune-global-500", 0.08, 4),
]
OUTSIDE = [  # (city, province or country, weight)
    ("深圳", "中国", 16), ("广州", "中国", 12), ("佛山", "中国", 10), ("东莞", "中国", 8), ("中山", "中国", 4),
    ("珠海", "中国", 3), ("上海", "中国", 9), ("苏州", "中国", 7), ("杭州", "中国", 5), ("宁波", "中国", 4),
    ("常州", "中国", 4), ("北京", "中国", 5), ("武汉", "中国", 3), ("成都", "中国", 3), ("长沙", "中国", 3),
    ("宜春", "中国", 1), ("香港", "中国", 2), ("新加坡", "Singapore", 1),
]  # fmt: skip
ROADS = ["江门大道", "迎宾大道", "龙溪路", "五邑路", "港口路", "胜利路", "会城大道", "今古洲大道", "金瓯路", "高新路"]
PREFIXES = list("华粤南新恒盛鸿嘉宏金中东瑞达广联博卓创海侨江远佳德信祥泰宇晟锦凯昊弘铭诚")
MIDDLES = list("科光能芯智锐源和睿通腾辉天力盈安润景众高峰美星汇启邦亿正丰翔拓")
SUFFIXES = ["有限公司", "科技有限公司", "股份有限公司", "实业有限公司", "集团有限公司", "新材料有限公司"]


def logins():
    return [(username, DEMO_PASSWORD, who) for username, _name, _team, who in OFFICERS]


def load(ctx):
    if ctx.city_adcode != DEMO_CITY or "chain_nodes" not in ctx.data or "teams" not in ctx.data:
        ctx.log.append("chains: the demo chains exist for Jiangmen only")
        return
    builder = Builder(ctx)
    builder.run()


class Builder:
    def __init__(self, ctx, count: int = ENTERPRISES):
        self.ctx = ctx
        self.count = count
        self.rng = random.Random(ctx.seed * 17 + 7)
        self.today = timezone.localdate()
        self.teams = ctx.data["teams"]
        self.users = ctx.data["users"]
        self.chains = ctx.data["chains"]
        self.nodes: dict = ctx.data["chain_nodes"]
        self.codes = {c.code: c for c in IndustryCode.objects.all()}
        self.tags = {t.slug: t for t in EnterpriseTag.objects.all()}

    def run(self):
        self.officers()
        made = self.enterprises()
        classification.classify()
        self.check_gaps()
        self.targets()
        self.activities()
        load_value_added(self.chains, self.today)
        self.ctx.data["chain_enterprises"] = made

    # ------------------------------------------------------------------ people

    def officers(self):
        for username, full_name, force, _who in OFFICERS:
            user = User(username=username, full_name=full_name, email=f"{username}@example.cn")
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.create(user=user, team=self.teams[f"task_force:{force}"], role=Role.OFFICER)
            self.users[username] = user

    # ------------------------------------------------------------------ enterprises

    def plan(self):
        """Per node: (node, its codes, may it have enterprises in the city, how many at most)."""
        gap_codes = set()
        owners = defaultdict(list)
        for (chain_name, _node_name), node in self.nodes.items():
            for code in self.node_codes(node):
                owners[(chain_name, code)].append(node)
        weak_codes = defaultdict(set)
        for (chain_name, node_name), node in self.nodes.items():
            gaps, weak = STRENGTH.get(chain_name, ([], []))
            for code in self.node_codes(node):
                if len(owners[(chain_name, code)]) == 1:  # the classification puts any enterprise of it here
                    if node_name in gaps:
                        gap_codes.add(code)
                    elif node_name in weak:
                        weak_codes[code].add(node.pk)
        return gap_codes, weak_codes

    def node_codes(self, node) -> list[str]:
        cache = self.__dict__.setdefault("_node_codes", {})
        if node.pk not in cache:
            cache[node.pk] = sorted(node.industry_codes.values_list("code", flat=True))
        return cache[node.pk]

    def enterprises(self) -> int:
        rng = self.rng
        gap_codes, weak_codes = self.plan()
        districts = list(self.ctx.data.get("districts") or [])
        if not districts:
            districts = list(Region.objects.filter(parent__adcode=self.ctx.city_adcode).order_by("adcode"))
        existing = Enterprise.objects.values_list("name", "uscc")
        used_keys = {name_key(name) for name, _u in existing}
        used_codes = {uscc for _n, uscc in existing if uscc}
        nodes = list(self.nodes.items())
        weak_local = defaultdict(int)
        cities, city_weights = [c[:2] for c in OUTSIDE], [c[2] for c in OUTSIDE]
        bands, band_weights = BANDS, [b[1] for b in BANDS]
        objs, node_words = [], []
        while len(objs) < self.count:
            (chain_name, node_name), node = rng.choice(nodes)
            gaps, weak = STRENGTH.get(chain_name, ([], []))
            codes = self.node_codes(node)
            local = rng.random() < LOCAL_SHARE and node_name not in gaps
            if local:
                if node_name in weak:
                    local = weak_local[node.pk] < WEAK_LOCAL
                    weak_local[node.pk] += local
                allowed = [c for c in codes if c not in gap_codes and (c not in weak_codes or node.pk in weak_codes[c])]
                if node_name not in weak:
                    allowed = [c for c in allowed if c not in weak_codes]
                local = local and bool(allowed)
                codes = allowed if local else codes
            code = rng.choice(codes) if codes else None
            band_index = rng.choices(range(len(bands)), weights=band_weights)[0]
            if local and node_name in weak:
                band_index = 0
            band, _w, (low, high), size = bands[band_index]
            words = [w for w in node.keywords.split("、") if w]  # as written, not lower-cased
            products = "、".join(rng.sample(words, min(len(words), rng.randint(1, 3))))
            region = rng.choice(districts) if local else None
            city, country = ("", "中国") if local else rng.choices(cities, weights=city_weights)[0]
            place = region.name if region else city
            word = node.name if len(node.name) <= 4 else node.name[:4]
            for _attempt in range(50):
                name = rng.choice(PREFIXES) + rng.choice(MIDDLES) + word + rng.choice(SUFFIXES)
                if city and rng.random() < 0.5:
                    name = f"{city}{'市' if country == '中国' and city not in ('香港',) else ''}{name}"
                key = name_key(name)
                if key not in used_keys:
                    break
            else:
                continue
            used_keys.add(key)
            foreign = country != "中国" or city == "香港"
            uscc = None
            if not foreign:
                while uscc is None or uscc in used_codes:
                    uscc = make_uscc(rng, region.adcode if region else "440300")
                used_codes.add(uscc)
            address = (
                f"广东省江门市{place}{rng.choice(ROADS)}{rng.randint(1, 399)}号"
                if local
                else f"{city}{rng.choice(['高新区', '经济开发区', '工业园'])}{rng.randint(1, 99)}号"
            )
            enterprise = Enterprise(
                name=name,
                uscc=uscc,
                hq_region=region,
                hq_city=city,
                hq_country=country,
                industry=self.codes.get(code) if code else None,
                owner_team=None,
                size=size,
                revenue_band=band,
                employees=rng.randint(low, high),
                registered_capital=Decimal(rng.randint(50, 5_000) * (band_index + 1) * 10),
                address=address,
                main_products=products,
                description="示例数据",
            )
            enterprise.normalized_name = normalize_name(name)
            enterprise.name_key = key
            objs.append(enterprise)
            node_words.append((band_index, foreign))
        memo: dict[str, frozenset] = {}
        for enterprise in objs:
            terms: set[str] = set()
            for value in enterprise.search_values():
                if value:
                    found = memo.get(value)
                    if found is None:
                        found = memo[value] = frozenset(search.index_terms(value))
                    terms |= found
            enterprise.search_text = f" {' '.join(sorted(terms))} " if terms else ""
        Enterprise.objects.bulk_create(objs, batch_size=1000)
        through = Enterprise.tags.through
        links = []
        for enterprise, (band_index, foreign) in zip(objs, node_words, strict=True):
            chosen = ["foreign"] if foreign else []
            for slug, chance, least in TAG_CHANCES:
                if band_index >= least and rng.random() < chance:
                    chosen.append(slug)
            links += [through(enterprise_id=enterprise.pk, enterprisetag_id=self.tags[s].pk) for s in chosen]
        through.objects.bulk_create(links, batch_size=2000)
        return len(objs)

    def check_gaps(self):
        """Enterprises of the earlier demos in the city that the rules put in a gap node (none while every gap node
        has keywords): the task force checks them and excludes them from the node."""
        gap_nodes = [self.nodes[(c, n)] for c, (gaps, _w) in STRENGTH.items() for n in gaps if (c, n) in self.nodes]
        rows = NodeClassification.objects.filter(node__in=gap_nodes, local=True, source=ClassificationSource.RULES)
        officer = self.users.get("centre")
        for row in list(rows.select_related("node")):
            row.source = ClassificationSource.STAFF
            row.excluded = True
            row.score = 0
            row.corrected_by = officer
            row.reason = {"note": "专班核实：主营产品不属于本环节（示例）"}
            row.save()

    # ------------------------------------------------------------------ targets

    def targets(self):
        rng = self.rng
        lead_index = 0
        for chain_name, node_name, officer_name, leads, aside in TAKEN:
            node = self.nodes.get((chain_name, node_name))
            officer = self.users.get(officer_name)
            if node is None or officer is None:
                continue
            chain = self.chains[chain_name]
            team = chain.task_force
            candidates = list(
                NodeClassification.objects.filter(node=node, local=False, excluded=False)
                .select_related("enterprise", "enterprise__industry")
                .order_by("-score", "-output_wan", "enterprise_id")[: leads + aside]
            )
            tags = defaultdict(list)
            for enterprise_id, slug in Enterprise.tags.through.objects.filter(
                enterprise_id__in=[c.enterprise_id for c in candidates]
            ).values_list("enterprise_id", "enterprisetag__slug"):
                tags[enterprise_id].append(slug)
            for index, row in enumerate(candidates):
                enterprise = row.enterprise
                rule = (row.reason or {}).get("rule", "words")
                score, parts = classification.fit(rule, enterprise.revenue_band, enterprise.size, tags[enterprise.pk])
                acted_on = self.today - timedelta(days=rng.randint(120, 300))
                target = Target(
                    node=node,
                    chain=chain,
                    enterprise=enterprise,
                    team=team,
                    score=score,
                    reasons=[list(part) for part in parts],
                    acted_by=officer,
                    acted_on=acted_on,
                )
                if index < leads:
                    target.state = TargetState.TAKEN
                    target.project = self.lead(
                        officer, team, chain, node, enterprise, acted_on, PROGRESS[lead_index % 4]
                    )
                    lead_index += 1
                else:
                    target.state = TargetState.DISMISSED
                    target.note = "已在外省布局同类产能，近期无扩产计划（示例）"
                target.save()

    def lead(self, officer, team, chain, node, enterprise, day, moves):
        rng = self.rng
        amount = Decimal(rng.randrange(30, 300) * 1000)
        district = Region.objects.filter(adcode=SPECIALTY.get(chain.name, "440703")).first()
        project = create_project(
            officer,
            name=f"{enterprise.name.removesuffix('有限公司')}{node.name}项目",
            owner_team=team,
            enterprise=enterprise,
            lead_on=day,
            project_type=ProjectType.INDUSTRIAL,
            chain=chain,
            industry_code=enterprise.industry,
            planned_investment=amount,
            district=district,
            source=LeadSource.OTHER,
            description=f"链式靶向招商：补{node.name}环节（示例）",
        )
        Contact.objects.create(
            project=project,
            name="投资发展部负责人（示例）",
            position="投资总监",
            organization=enterprise.name,
            phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
        )
        Activity.objects.create(
            project=project,
            kind=ActivityKind.CALL,
            happened_on=day,
            summary=f"专班按{node.name}环节靶向名单首次电话对接（示例）",
        )
        for stage in moves:
            day = min(day + timedelta(days=rng.randint(15, 45)), self.today)
            project = transition(project, stage, day, officer)
            if stage == Stage.CONTACT:
                Activity.objects.create(
                    project=project,
                    kind=ActivityKind.VISIT,
                    happened_on=day,
                    summary="赴企业总部拜访，介绍江门产业基础与载体（示例）",
                )
        return project

    # ------------------------------------------------------------------ work record

    def activities(self):
        rng = self.rng
        by_team = defaultdict(list)
        for chain in self.chains.values():
            by_team[chain.task_force_id].append(chain)
        authors = {}
        for username, _n, force, _w in OFFICERS:
            authors[self.teams[f"task_force:{force}"].pk] = self.users[username]
        if "silicon" in self.users:
            authors[self.teams["task_force:silicon"].pk] = self.users["silicon"]
        targets = defaultdict(list)
        for target in Target.objects.select_related("enterprise"):
            targets[target.chain_id].append(target)
        summaries = {
            ChainActivityKind.RESEARCH: "产业链图谱梳理，更新缺失与薄弱环节清单（示例）",
            ChainActivityKind.VISIT: "赴目标企业总部拜访，介绍江门产业基础与载体（示例）",
            ChainActivityKind.MEETING: "专班例会：研究补链项目推进事项（示例）",
            ChainActivityKind.CALL: "电话对接目标企业投资部门（示例）",
            ChainActivityKind.EVENT: "产业链专题招商推介会（示例）",
            ChainActivityKind.OTHER: "链长调度会材料准备（示例）",
        }
        kinds = list(summaries)
        for team_id, chains in by_team.items():
            for chain in chains:
                for _i in range(rng.randint(6, 10)):
                    kind = rng.choice(kinds)
                    target = rng.choice(targets[chain.pk]) if targets[chain.pk] and kind in ("visit", "call") else None
                    ChainActivity.objects.create(
                        chain=chain,
                        team_id=team_id,
                        author=authors.get(team_id),
                        happened_on=self.today - timedelta(days=rng.randint(0, 364)),
                        kind=kind,
                        summary=summaries[kind],
                        enterprise=target.enterprise if target else None,
                        target=target,
                    )


# ---------------------------------------------------------------------- value added

TOTAL_JAN_NOV_WAN = Decimal("9496100.00")  # 949.61亿元
TOTAL_GROWTH = Decimal("3.5")
# chain → (share of the total, growth % of January–November); growth None: the chain that balances the total growth
VALUE_ADDED = {
    "硅能源": (Decimal("0.085"), Decimal("6.2")),
    "新能源电池": (Decimal("0.092"), Decimal("18.6")),
    "新一代信息技术": (Decimal("0.074"), Decimal("2.3")),
    "智能装备": (Decimal("0.058"), Decimal("12.4")),
    "五金卫浴": (Decimal("0.081"), Decimal("-1.8")),
    "机床装备": (Decimal("0.038"), Decimal("1.6")),
    "智能家电": (Decimal("0.096"), Decimal("0.9")),
    "食品": (Decimal("0.071"), Decimal("10.8")),
    "汽车零部件": (Decimal("0.064"), None),
    "新材料": (Decimal("0.062"), Decimal("3.1")),
    "生物医药与健康": (Decimal("0.041"), Decimal("5.4")),
    "安全应急": (Decimal("0.033"), Decimal("4.2")),
    "纺织服装": (Decimal("0.068"), Decimal("-4.6")),
    "电子信息材料": (Decimal("0.049"), Decimal("2.8")),
    "现代轻工": (Decimal("0.088"), Decimal("-2.2")),
}
# Share of each month in a year (February has the Spring Festival).
SEASON = [7.6, 5.4, 8.4, 8.3, 8.5, 8.9, 8.4, 8.5, 8.6, 8.7, 8.9, 9.8]
CENT = Decimal("0.01")


def jan_nov_figures() -> dict[str, tuple[Decimal, Decimal]]:
    """{chain: (value added of January–November 万元, growth %)} of the demo's year: the values add up to
    ``TOTAL_JAN_NOV_WAN``; the balancing chain's growth makes the total grow by ``TOTAL_GROWTH``."""
    names = list(VALUE_ADDED)
    values = {n: (TOTAL_JAN_NOV_WAN * VALUE_ADDED[n][0]).quantize(CENT) for n in names}
    values[names[-1]] += TOTAL_JAN_NOV_WAN - sum(values.values())
    growth = {n: g for n, (_s, g) in VALUE_ADDED.items() if g is not None}
    (balance,) = [n for n in names if n not in growth]
    before_total = TOTAL_JAN_NOV_WAN / (1 + TOTAL_GROWTH / 100)
    before_others = sum(values[n] / (1 + growth[n] / 100) for n in growth)
    growth[balance] = ((values[balance] / (before_total - before_others) - 1) * 100).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    return {n: (values[n], growth[n]) for n in names}


def monthly_rows(year: int) -> list[tuple[str, int, int, Decimal, Decimal]]:
    """(chain, year, month, value added January to the month, growth %) of every month of ``year - 1`` and
    ``year`` (the demo's year)."""
    rng = random.Random(year * 31 + 5)
    figures = jan_nov_figures()
    rows = []
    for name, (jan_nov, growth) in figures.items():
        weights = [w * rng.uniform(0.93, 1.07) for w in SEASON]
        share = [Decimal(w / sum(weights[:11])) for w in weights]
        this_year = [(jan_nov * s).quantize(CENT) for s in share]
        this_year[10] += jan_nov - sum(this_year[:11])
        factor = 1 + growth / 100
        before_growth = Decimal(rng.uniform(-3, 9)).quantize(Decimal("0.1"))
        last_year = []
        for month in range(12):
            # the previous year's months, so that each cumulative growth is near the year's
            drift = Decimal(rng.uniform(-1.5, 1.5)) / 100 if month < 10 else Decimal(0)
            last_year.append((this_year[month] / (factor + drift)).quantize(CENT))
        last_year[10] += (jan_nov / factor).quantize(CENT) - sum(last_year[:11])
        for offset, months, prior in ((1, last_year, None), (0, this_year, last_year)):
            total = Decimal(0)
            total_prior = Decimal(0)
            for month, value in enumerate(months, start=1):
                total += value
                if prior is None:
                    pct = before_growth + Decimal(rng.uniform(-0.8, 0.8)).quantize(CENT)
                else:
                    total_prior += prior[month - 1]
                    pct = ((total / total_prior - 1) * 100).quantize(CENT, rounding=ROUND_HALF_UP)
                    if month == 11:
                        pct = growth
                rows.append((name, year - offset, month, total, pct.quantize(CENT)))
    return rows


def load_value_added(chains: dict, today: date) -> int:
    """The rows of ``monthly_rows`` up to the last complete month."""
    first_open = today.replace(day=1)
    made = 0
    for name, year, month, value, growth in monthly_rows(today.year):
        if name in chains and date(year, month, 1) < first_open:
            ChainValueAdded.objects.create(chain=chains[name], year=year, month=month, value_added=value, growth=growth)
            made += 1
    return made
