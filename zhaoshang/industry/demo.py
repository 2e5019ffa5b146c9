"""Demo chains and enterprises of Jiangmen. Named firms are from public reports; codes are synthetic."""

from __future__ import annotations

from decimal import Decimal

from zhaoshang.geo.models import Region

from .chain_data import load_chain_parts
from .models import Chain, Enterprise, EnterpriseTag, IndustryCode
from .validators import make_uscc

# The 15 key chains: the first eight are named in public sources, the rest are demo until the city loads its list.
# (name, English, task force key, GB/T 4754 divisions, public?)
CHAINS = [
    ("硅能源", "Silicon energy", "silicon", ["38", "39", "30"], True),
    ("新能源电池", "New-energy batteries", "battery", ["38", "26"], True),
    ("新一代信息技术", "Next-generation information technology", "ict", ["39", "65"], True),
    ("智能装备", "Intelligent equipment", "equipment", ["34", "35"], True),
    ("五金卫浴", "Hardware and sanitary ware", "hardware", ["33", "30"], True),
    ("机床装备", "Machine tools", "equipment", ["34"], True),
    ("智能家电", "Smart home appliances", "appliance", ["38"], True),
    ("食品", "Food", "food", ["13", "14", "15"], True),
    ("汽车零部件", "Auto parts", "auto", ["36"], False),
    ("新材料", "New materials", "materials", ["26", "29", "32"], False),
    ("生物医药与健康", "Biomedicine and health", "food", ["27"], False),
    ("安全应急", "Safety and emergency", "emergency", ["35", "40"], False),
    ("纺织服装", "Textiles and garments", "emergency", ["17", "18"], False),
    ("电子信息材料", "Electronic materials", "ict", ["39", "26"], False),
    ("现代轻工", "Modern light industry", "emergency", ["22", "24", "41"], False),
]

# Named enterprises from DOMAIN.md: (name, English, chain, division, tags, HQ city or district code)
NAMED = [
    (
        "中创新航科技集团股份有限公司",
        "CALB Group Co., Ltd.",
        "新能源电池",
        "38",
        ["listed", "industry-leader", "high-tech", "china-500"],
        "常州",
    ),
    (
        "隆基绿能科技股份有限公司",
        "LONGi Green Energy Technology Co., Ltd.",
        "硅能源",
        "38",
        ["listed", "industry-leader", "china-500", "china-manufacturing-500"],
        "西安",
    ),
    ("柏涛智能装备有限公司", "Botao Intelligent Equipment Co., Ltd.", "智能装备", "35", ["high-tech"], "440703"),
    ("泰莱集团", "Tate & Lyle PLC", "食品", "14", ["foreign", "listed"], "London"),
    (
        "华津金属产业园有限公司",
        "Huajin Metal Industrial Park Co., Ltd.",
        "五金卫浴",
        "33",
        ["industry-leader"],
        "440705",
    ),
    (
        "广州天赐高新材料股份有限公司",
        "Guangzhou Tinci Materials Technology Co., Ltd.",
        "新能源电池",
        "26",
        ["listed", "high-tech"],
        "广州",
    ),
    (
        "深圳市科达利实业股份有限公司",
        "Shenzhen Kedali Industry Co., Ltd.",
        "新能源电池",
        "38",
        ["listed", "high-tech"],
        "深圳",
    ),
    (
        "沃特海默（江门）科技有限公司",
        "Watthammer (Jiangmen) Technology Co., Ltd.",
        "新能源电池",
        "38",
        ["specialized-innovative"],
        "440705",
    ),
    (
        "联塑班皓新能源科技有限公司",
        "Lesso Banhao New Energy Technology Co., Ltd.",
        "硅能源",
        "38",
        ["high-tech"],
        "440784",
    ),
]

PREFIXES = "华 粤 南 新 恒 盛 鸿 嘉 宏 金 中 东 瑞 达 广 联 博 卓 创 海 侨 江 远 佳 德 信 祥 泰 宇 晟".split()
MIDDLES = "科 光 能 芯 智 锐 源 和 睿 通 腾 辉 天 力 盈 安 润 景 众 高 峰 华 美 星 汇 远 启".split()
WORDS = {
    "13": "食品",
    "14": "食品",
    "15": "饮料",
    "17": "纺织",
    "18": "服饰",
    "22": "纸业",
    "24": "文体用品",
    "26": "化学材料",
    "27": "医药",
    "29": "塑胶",
    "30": "新材料",
    "32": "金属材料",
    "33": "五金",
    "34": "机械",
    "35": "装备",
    "36": "汽车部件",
    "38": "电气",
    "39": "电子",
    "40": "仪器",
    "41": "制品",
    "65": "软件",
}
OUTSIDE_CITIES = [
    "深圳",
    "广州",
    "佛山",
    "东莞",
    "上海",
    "北京",
    "杭州",
    "苏州",
    "香港",
    "澳门",
    "新加坡",
    "Munich",
    "Tokyo",
]
SUFFIXES = ["有限公司", "科技有限公司", "股份有限公司", "实业有限公司", "集团有限公司"]


def load(ctx):
    teams = ctx.data["teams"]
    codes = {c.code: c for c in IndustryCode.objects.all()}
    tags = {t.slug: t for t in EnterpriseTag.objects.all()}
    districts = list(Region.objects.filter(parent__adcode=ctx.city_adcode).order_by("adcode"))
    chains = {}
    for order, (name, name_en, force, divisions, public) in enumerate(CHAINS):
        chain = Chain.objects.create(
            name=name,
            name_en=name_en,
            task_force=teams[f"task_force:{force}"],
            sort=order,
            description="" if public else "示例产业链，待市里导入正式名单。",
            description_en="" if public else "Demo chain, until the city loads its official list.",
        )
        chain.industry_codes.set([codes[d] for d in divisions])
        chains[name] = (chain, divisions)
    ctx.data["chains"] = {name: chain for name, (chain, _d) in chains.items()}
    ctx.data["chain_nodes"] = load_chain_parts(ctx.data["chains"], codes)

    rng = ctx.rng
    enterprises = []
    for name, name_en, _chain, division, tag_slugs, hq in NAMED:
        region = next((d for d in districts if d.adcode == hq), None)
        enterprise = Enterprise.objects.create(
            name=name,
            name_en=name_en,
            uscc=None if "foreign" in tag_slugs else make_uscc(rng, region.adcode if region else "440700"),
            hq_region=region,
            hq_city="" if region else hq,
            hq_country="United Kingdom" if hq == "London" else "中国",
            industry=codes[division],
            registered_capital=Decimal(rng.randrange(5_000, 500_000)),
            description="示例数据：名称来自公开报道，代码为虚构。",
        )
        enterprise.tags.set([tags[s] for s in tag_slugs])
        enterprises.append(enterprise)

    owners = [None] * 4 + [
        t for key, t in teams.items() if key.split(":")[0] in {"district", "outpost", "task_force", "centre"}
    ]
    used = set()
    while len(enterprises) < 320:
        chain, divisions = rng.choice(list(chains.values()))
        division = rng.choice(divisions)
        name = rng.choice(PREFIXES) + rng.choice(MIDDLES) + WORDS.get(division, "实业") + rng.choice(SUFFIXES)
        if name in used:
            continue
        used.add(name)
        local = rng.random() < 0.55
        region = rng.choice(districts) if local and districts else None
        owner = rng.choice(owners)
        if owner is not None and owner.kind == "district":
            region = next((d for d in districts if d.adcode == owner.adcode), region)
        city = "" if region else rng.choice(OUTSIDE_CITIES)
        foreign = city in {"香港", "澳门", "新加坡", "Munich", "Tokyo"}
        if city in {"香港", "澳门"}:
            name = name.replace("有限公司", "（香港）有限公司" if city == "香港" else "（澳门）有限公司")
        enterprise = Enterprise.objects.create(
            name=name,
            uscc=None if foreign else make_uscc(rng, region.adcode if region else "440300"),
            hq_region=region,
            hq_city=city,
            hq_country={"新加坡": "Singapore", "Munich": "Germany", "Tokyo": "Japan"}.get(city, "中国"),
            industry=codes[division],
            owner_team=owner,
            registered_capital=Decimal(rng.randrange(100, 80_000)),
        )
        chosen = [tags["foreign"]] if foreign else []
        for slug, chance in [
            ("high-tech", 0.35),
            ("specialized-innovative", 0.12),
            ("listed", 0.08),
            ("industry-leader", 0.05),
        ]:
            if rng.random() < chance:
                chosen.append(tags[slug])
        if chosen:
            enterprise.tags.set(chosen)
        enterprises.append(enterprise)
    ctx.data["enterprises"] = enterprises
