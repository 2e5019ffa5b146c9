"""The admission-review standards as data: the source documents, the city's zones, two versions of the rules
(2011 and the current one), the national land-use table, the warehouse and industrial-real-estate limits, the
experts' criteria, the rejection lists and the GB/T 4754-2002 → 2017 mapping of manufacturing.

``seed(apps)`` takes a registry of models (a migration's historical ``apps``, or ``django.apps.apps``) and only
creates what is missing: a value the centre has since edited is never overwritten, so running it again (the
``load_standards`` command) changes nothing but what was absent. The rows are looked up by their natural keys
(a document's title, a set's effective date, a zone's key, a threshold's scope, an item's title, a 2017 code).

What is published and what is not (see DOMAIN.md, "Admission review"):

- The national table (工业项目建设用地控制指标, 国土资发〔2008〕24号): building coefficient ≥ 30%, administrative
  and living land ≤ 7%, green ratio ≤ 20%, the plot-ratio minimum by GB/T 4754-2002 division. Both sets carry it.
- The city's land-supply rule, current version: per zone, tax per 亩 per year / investment intensity / total
  investment (25/300/5,000; 20/250/5,000; 15/200/3,000). Its title and number are not named in the sources we
  hold: the document has a descriptive title and the centre confirms title and number. The effective date of
  the current set (2024-01-01) is also to be confirmed by the centre: edit the set's date before any review
  uses it.
- The older rule (2011): only "15/12 万元 tax and 3,000/2,000万 investment" is known. We read them as two tiers:
  the higher one (15 万元 tax, 3,000 万元 total investment) for the national high-tech zone and the core
  districts, the lower one (12 / 2,000) for the rest; the 2011 rule names no investment intensity, so the 2011
  set has none. Both the reading and the tiers are to be confirmed by the centre. The 2011 set also carries the
  national table, but no warehouse, energy or industrial-real-estate limits (those rows read "no applicable
  threshold" for a review judged by it).
- Warehouses (a local planning code, title and number to be confirmed): general warehouse plot ratio ≥ 0.8,
  green ratio ≤ 20%, building coefficient ≥ 40%; logistics warehouse ≥ 1.0, ≤ 15%, ≥ 50%.
- Demo values, marked "演示 demo" in their note: the energy benchmark (the city sets it every year from the
  previous year's figure), the industrial-real-estate shares and smallest unit, the experts' criteria, and the
  one bad-credit investor (fictitious).

Zones: the national high-tech zone gets its park (by name, when the park exists); the core zone gets the
districts 蓬江 440703, 江海 440704, 新会 440705 (its core towns: the centre narrows it to parks where needed) and
鹤山 440784; every other place falls in the default zone. Districts and parks are loaded by their own commands
(``load_regions``, the demo), usually after migrating: the migration assigns what exists, ``load_standards``
assigns the rest (run it after ``load_regions``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

D = Decimal

# ---------------------------------------------------------------- documents

NATIONAL = "national"
CATALOGUE_2024 = "catalogue_2024"
CATALOGUE_2011 = "catalogue_2011"
NEGATIVE_2024 = "negative_2024"
POPS = "pops"
CITY_LAND = "city_land"
CITY_LAND_2011 = "city_land_2011"
WAREHOUSE = "warehouse"
ENERGY = "energy"
REAL_ESTATE = "real_estate"
GBT4754 = "gbt4754"
DEMO_CREDIT = "demo_credit"

TO_CONFIRM = "名称、文号待市投资促进中心确认"
TO_CONFIRM_EN = "title and number to be confirmed by the centre"

DOCUMENTS = {
    NATIONAL: {
        "title": "工业项目建设用地控制指标",
        "title_en": "Control indicators of land for industrial projects",
        "issuer": "国土资源部",
        "issuer_en": "Ministry of Land and Resources",
        "number": "国土资发〔2008〕24号",
    },
    CATALOGUE_2024: {
        "title": "产业结构调整指导目录（2024年本）",
        "title_en": "Guiding Catalogue for Industrial Structure Adjustment (2024 edition)",
        "issuer": "国家发展和改革委员会",
        "issuer_en": "National Development and Reform Commission",
    },
    CATALOGUE_2011: {
        "title": "产业结构调整指导目录（2011年本）",
        "title_en": "Guiding Catalogue for Industrial Structure Adjustment (2011 edition)",
        "issuer": "国家发展和改革委员会",
        "issuer_en": "National Development and Reform Commission",
    },
    NEGATIVE_2024: {
        "title": "外商投资准入特别管理措施（负面清单）（2024年版）",
        "title_en": "Special Administrative Measures for Foreign Investment Access (Negative List) (2024 edition)",
        "issuer": "国家发展和改革委员会、商务部",
        "issuer_en": "National Development and Reform Commission; Ministry of Commerce",
    },
    POPS: {
        "title": "关于禁止生产、流通、使用和进出口林丹等持久性有机污染物的公告",
        "title_en": "Announcement prohibiting the production, circulation, use, import and export of lindane and "
        "other persistent organic pollutants",
        "issuer": "生态环境部等",
        "issuer_en": "Ministry of Ecology and Environment and other ministries",
    },
    CITY_LAND: {
        "title": f"江门市工业用地供应准入指标（现行；{TO_CONFIRM}）",
        "title_en": f"Jiangmen admission indicators for industrial land supply (current; {TO_CONFIRM_EN})",
        "issuer": "江门市人民政府",
        "issuer_en": "Jiangmen Municipal People's Government",
    },
    CITY_LAND_2011: {
        "title": f"江门市工业用地供应准入指标（2011年；{TO_CONFIRM}）",
        "title_en": f"Jiangmen admission indicators for industrial land supply (2011; {TO_CONFIRM_EN})",
        "issuer": "江门市人民政府",
        "issuer_en": "Jiangmen Municipal People's Government",
    },
    WAREHOUSE: {
        "title": f"仓储用地规划控制指标（地方城市规划技术规定；{TO_CONFIRM}）",
        "title_en": f"Planning control indicators of warehouse land (local planning code; {TO_CONFIRM_EN})",
    },
    ENERGY: {
        "title": "江门市上年度单位产值能耗基准（演示值，每年由市设定）",
        "title_en": "Jiangmen benchmark of energy use per unit of output, previous year (demo value, set by the city "
        "every year)",
    },
    REAL_ESTATE: {
        "title": f"工业物业自持与分割销售管理规定（演示值；{TO_CONFIRM}）",
        "title_en": f"Rules on own use and divided sale of industrial property (demo values; {TO_CONFIRM_EN})",
    },
    GBT4754: {
        "title": "国民经济行业分类（GB/T 4754-2017 与 GB/T 4754-2002 对照）",
        "title_en": "Industrial classification for national economic activities (GB/T 4754-2017 against "
        "GB/T 4754-2002)",
        "issuer": "国家质量监督检验检疫总局、国家标准化管理委员会",
        "issuer_en": "AQSIQ; Standardization Administration of China",
        "number": "GB/T 4754-2017",
    },
    DEMO_CREDIT: {
        "title": "失信及违法转让土地投资者名单（演示）",
        "title_en": "Investors with bad credit or illegal land transfer (demo)",
    },
}

# ---------------------------------------------------------------- zones

HIGH_TECH, CORE, OTHER = "high-tech-zone", "core-districts", "other"
ZONES = [
    {
        "code": HIGH_TECH,
        "name": "国家高新区",
        "name_en": "National high-tech zone",
        "description": "江门国家高新区。园区由中心在区域页指定（演示数据中的“江门国家高新区”园区自动归入）。",
        "sort": 1,
    },
    {
        "code": CORE,
        "name": "蓬江、江海、新会（中心城镇）、鹤山",
        "name_en": "Pengjiang, Jianghai, Xinhui (core towns), Heshan",
        "description": "按区划代码归入：440703 蓬江区、440704 江海区、440705 新会区、440784 鹤山市。"
        "新会区仅中心城镇属本区，其余镇的园区由中心另行指定。",
        "sort": 2,
    },
    {
        "code": OTHER,
        "name": "省级园区、中心镇及其他",
        "name_en": "Provincial parks, central towns and others",
        "description": "未由园区或区划归入其他区域的用地。",
        "is_default": True,
        "sort": 3,
    },
]
ZONE_REGIONS = {CORE: ("440703", "440704", "440705", "440784")}
ZONE_PARKS = {HIGH_TECH: ("江门国家高新区",)}

# ---------------------------------------------------------------- the national plot-ratio table (2002 divisions)

PLOT_RATIO_2002 = {
    D("1.0"): ("13", "14", "15", "16", "18", "19", "24", "30", "40", "41", "42"),
    D("0.8"): ("17", "20", "21", "22", "23", "28", "29"),
    D("0.7"): ("27", "31", "34", "35", "36", "37", "39", "43"),
    D("0.6"): ("26", "32", "33"),
    D("0.5"): ("25",),
}

# GB/T 4754-2002 manufacturing divisions (13–43; there is no 38).
DIVISIONS_2002 = {
    "13": ("农副食品加工业", "Processing of food from agricultural products"),
    "14": ("食品制造业", "Manufacture of foods"),
    "15": ("饮料制造业", "Manufacture of beverages"),
    "16": ("烟草制品业", "Manufacture of tobacco"),
    "17": ("纺织业", "Manufacture of textiles"),
    "18": ("纺织服装、鞋、帽制造业", "Manufacture of textile wearing apparel, footwear and caps"),
    "19": ("皮革、毛皮、羽毛(绒)及其制品业", "Manufacture of leather, fur, feather and related products"),
    "20": (
        "木材加工及木、竹、藤、棕、草制品业",
        "Processing of timber, manufacture of wood, bamboo, rattan, palm and straw products",
    ),
    "21": ("家具制造业", "Manufacture of furniture"),
    "22": ("造纸及纸制品业", "Manufacture of paper and paper products"),
    "23": ("印刷业和记录媒介的复制", "Printing, reproduction of recording media"),
    "24": ("文教体育用品制造业", "Manufacture of articles for culture, education and sport activities"),
    "25": ("石油加工、炼焦及核燃料加工业", "Processing of petroleum, coking, processing of nuclear fuel"),
    "26": ("化学原料及化学制品制造业", "Manufacture of raw chemical materials and chemical products"),
    "27": ("医药制造业", "Manufacture of medicines"),
    "28": ("化学纤维制造业", "Manufacture of chemical fibres"),
    "29": ("橡胶制品业", "Manufacture of rubber"),
    "30": ("塑料制品业", "Manufacture of plastics"),
    "31": ("非金属矿物制品业", "Manufacture of non-metallic mineral products"),
    "32": ("黑色金属冶炼及压延加工业", "Smelting and pressing of ferrous metals"),
    "33": ("有色金属冶炼及压延加工业", "Smelting and pressing of non-ferrous metals"),
    "34": ("金属制品业", "Manufacture of metal products"),
    "35": ("通用设备制造业", "Manufacture of general purpose machinery"),
    "36": ("专用设备制造业", "Manufacture of special purpose machinery"),
    "37": ("交通运输设备制造业", "Manufacture of transport equipment"),
    "39": ("电气机械及器材制造业", "Manufacture of electrical machinery and equipment"),
    "40": (
        "通信设备、计算机及其他电子设备制造业",
        "Manufacture of communication equipment, computers and other electronic equipment",
    ),
    "41": (
        "仪器仪表及文化、办公用机械制造业",
        "Manufacture of measuring instruments and machinery for cultural activity and office work",
    ),
    "42": ("工艺品及其他制造业", "Manufacture of artwork and other manufacturing"),
    "43": ("废弃资源和废旧材料回收加工业", "Recycling and disposal of waste"),
}

# GB/T 4754-2017 code → (2002 division, note). A group overrides its division where a 2017 division took in part
# of another 2002 division; 2017 division 29 is split into its groups (291 rubber, 292 plastics) and has no row of
# its own. 2017 division 43 (repairs) has no 2002 manufacturing division: it is left unmapped, and its projects
# read "no applicable threshold".
CODE_MAPPING = {
    "13": ("13", ""),
    "14": ("14", ""),
    "15": ("15", "2017 酒、饮料和精制茶制造业 ← 2002 饮料制造业"),
    "16": ("16", ""),
    "17": ("17", ""),
    "18": ("18", ""),
    "19": ("19", ""),
    "20": ("20", ""),
    "21": ("21", ""),
    "22": ("22", ""),
    "23": ("23", ""),
    "24": ("24", "2017 文教、工美、体育和娱乐用品（工艺美术 243 除外）← 2002 文教体育用品"),
    "243": ("42", "2017 工艺美术及礼仪用品制造 ← 2002 工艺品及其他制造业"),
    "25": ("25", ""),
    "26": ("26", ""),
    "27": ("27", ""),
    "28": ("28", ""),
    "291": ("29", "2017 橡胶和塑料制品业分为两组：291 橡胶制品业 ← 2002 29"),
    "292": ("30", "2017 橡胶和塑料制品业分为两组：292 塑料制品业 ← 2002 30"),
    "30": ("31", ""),
    "31": ("32", ""),
    "32": ("33", ""),
    "33": ("34", ""),
    "34": ("35", "2017 通用设备（文化、办公用机械 347 除外）← 2002 通用设备"),
    "347": ("41", "2017 文化、办公用机械制造 ← 2002 仪器仪表及文化、办公用机械制造业"),
    "35": ("36", ""),
    "36": ("37", "2017 汽车制造业 ← 2002 交通运输设备制造业"),
    "37": ("37", "2017 铁路、船舶、航空航天和其他运输设备 ← 2002 交通运输设备制造业"),
    "38": ("39", ""),
    "39": ("40", ""),
    "40": ("41", ""),
    "41": ("42", ""),
    "42": ("43", ""),
}

# ---------------------------------------------------------------- the two sets

OLD_SET = {
    "effective_from": date(2011, 1, 1),
    "name": "工业项目准入标准（2011年）",
    "name_en": "Admission standards for industrial projects (2011)",
    "notes": "2011年规则只公开了“税收15/12万元、投资3,000/2,000万元”：本系统读作两档——国家高新区和中心城区"
    "（蓬江、江海、新会中心城镇、鹤山）亩均税收≥15万元、总投资≥3,000万元，其他区域≥12万元、≥2,000万元；"
    "该规则未规定投资强度。分档方式待中心确认。",
}
CURRENT_SET = {
    "effective_from": date(2024, 1, 1),
    "name": "工业项目准入标准（现行）",
    "name_en": "Admission standards for industrial projects (current)",
    "notes": "生效日期（2024-01-01）待中心确认：在评审使用本版本之前修改。"
    "能耗基准、工业地产指标、专家评分标准为演示值。",
}

# per zone: (tax per mu, intensity or None, total investment)
ZONE_FIGURES = {
    "old": {HIGH_TECH: (D(15), None, D(3000)), CORE: (D(15), None, D(3000)), OTHER: (D(12), None, D(2000))},
    "current": {HIGH_TECH: (D(25), D(300), D(5000)), CORE: (D(20), D(250), D(5000)), OTHER: (D(15), D(200), D(3000))},
}

ENERGY_BENCHMARK = D("0.10")  # demo: tce per 万元 of output

CRITERIA = [
    (
        "产业契合度",
        "Industry fit",
        "与本市重点产业链及园区主导产业的契合程度。",
        "How well the project fits the city's key chains and the park's leading industries.",
        D(30),
    ),
    (
        "技术水平",
        "Technology",
        "工艺、装备和研发水平；知识产权。",
        "Process, equipment and R&D level; intellectual property.",
        D(25),
    ),
    (
        "团队实力",
        "Team",
        "投资主体及管理团队的经营业绩与履约能力。",
        "Track record of the investor and its managers; ability to deliver.",
        D(20),
    ),
    ("市场前景", "Market", "产品市场容量、订单与竞争格局。", "Size of the market, orders in hand, competition.", D(25)),
]

DEMO = "演示 demo"

REJECTIONS = {
    "old": [
        (
            "eliminated",
            "超薄型（厚度低于0.025毫米）塑料购物袋",
            "Ultra-thin plastic shopping bags (under 0.025 mm)",
            "",
            "超薄 塑料购物袋",
            "",
            CATALOGUE_2011,
        ),
    ],
    "current": [
        (
            "eliminated",
            "厚度小于0.025毫米的超薄塑料购物袋",
            "Ultra-thin plastic shopping bags under 0.025 mm thick",
            "",
            "超薄塑料购物袋 超薄型塑料购物袋",
            "",
            CATALOGUE_2024,
        ),
        (
            "eliminated",
            "一次性发泡塑料餐具",
            "Single-use foamed plastic tableware",
            "",
            "发泡塑料餐具 发泡餐具",
            "",
            CATALOGUE_2024,
        ),
        (
            "eliminated",
            "含塑料微珠的日化产品",
            "Daily chemical products containing plastic microbeads",
            "",
            "塑料微珠",
            "",
            CATALOGUE_2024,
        ),
        (
            "negative_list",
            "稀土勘查、开采及选矿",
            "Exploration, mining and dressing of rare earths",
            "0932",
            "稀土开采 稀土选矿",
            "",
            NEGATIVE_2024,
        ),
        (
            "negative_list",
            "放射性矿产勘查、开采及选矿",
            "Exploration, mining and dressing of radioactive minerals",
            "0933",
            "放射性矿",
            "",
            NEGATIVE_2024,
        ),
        ("polluting", "林丹", "Lindane", "", "林丹", "", POPS),
        ("polluting", "硫丹", "Endosulfan", "", "硫丹", "", POPS),
        (
            "bad_credit",
            "（演示）示例失信投资有限公司",
            "(Demo) Example Bad-Credit Investment Co., Ltd. — fictitious",
            "",
            "",
            "91440700DEM0000001",
            DEMO_CREDIT,
        ),
    ],
}


def _threshold_rows(version: str):
    """(indicator, kind, zone code, division, comparison, value, document, note) of one set."""
    rows = []
    land = CITY_LAND if version == "current" else CITY_LAND_2011
    for zone, (tax, intensity, total) in ZONE_FIGURES[version].items():
        rows.append(("tax_per_mu", "", zone, "", "gte", tax, land, ""))
        if intensity is not None:
            rows.append(("investment_intensity", "", zone, "", "gte", intensity, land, ""))
        rows.append(("total_investment", "", zone, "", "gte", total, land, ""))
    rows += [
        ("building_coefficient", "", None, "", "gte", D(30), NATIONAL, ""),
        ("admin_share", "", None, "", "lte", D(7), NATIONAL, ""),
        ("green_ratio", "", None, "", "lte", D(20), NATIONAL, ""),
    ]
    for value, divisions in PLOT_RATIO_2002.items():
        for division in divisions:
            rows.append(("plot_ratio", "", None, division, "gte", value, NATIONAL, ""))
    if version == "current":
        for kind, plot, green, coefficient in (
            ("general_warehouse", D("0.8"), D(20), D(40)),
            ("logistics_warehouse", D("1.0"), D(15), D(50)),
        ):
            rows += [
                ("plot_ratio", kind, None, "", "gte", plot, WAREHOUSE, ""),
                ("green_ratio", kind, None, "", "lte", green, WAREHOUSE, ""),
                ("building_coefficient", kind, None, "", "gte", coefficient, WAREHOUSE, ""),
            ]
        rows += [
            ("energy_per_output", "", None, "", "lte", ENERGY_BENCHMARK, ENERGY, f"{DEMO}：市每年按上年基准设定"),
            ("own_use_share", "industrial_real_estate", None, "", "gte", D(30), REAL_ESTATE, DEMO),
            ("sale_share", "industrial_real_estate", None, "", "lte", D(50), REAL_ESTATE, DEMO),
            ("min_unit_area", "industrial_real_estate", None, "", "gte", D(500), REAL_ESTATE, DEMO),
        ]
    return rows


def seed(apps, schema_editor=None) -> dict:
    """Create whatever of the standards is missing (models from ``apps``) and put the districts and parks that
    exist into their zones; counts of what was created or added."""
    get = apps.get_model
    SourceDocument, StandardSet, Zone = (
        get("review", "SourceDocument"),
        get("review", "StandardSet"),
        get("review", "Zone"),
    )
    Threshold, RejectionEntry = get("review", "Threshold"), get("review", "RejectionEntry")
    Criterion, CodeMapping = get("review", "Criterion"), get("review", "CodeMapping")
    created = dict.fromkeys(("documents", "zones", "sets", "thresholds", "criteria", "rejections", "mappings"), 0)

    documents = {}
    for key, fields in DOCUMENTS.items():
        documents[key], new = SourceDocument.objects.get_or_create(title=fields["title"], defaults=fields)
        created["documents"] += new
    zones = {}
    for fields in ZONES:
        zones[fields["code"]], new = Zone.objects.get_or_create(code=fields["code"], defaults=fields)
        created["zones"] += new
    created["places"] = assign_places(apps)

    for version, fields in (("old", OLD_SET), ("current", CURRENT_SET)):
        standard_set, new = StandardSet.objects.get_or_create(effective_from=fields["effective_from"], defaults=fields)
        created["sets"] += new
        for indicator, kind, zone, division, comparison, value, document, note in _threshold_rows(version):
            _obj, new = Threshold.objects.get_or_create(
                standard_set=standard_set,
                indicator=indicator,
                kind=kind,
                zone=zones[zone] if zone else None,
                division_2002=division,
                defaults={"comparison": comparison, "value": value, "source": documents[document], "note": note},
            )
            created["thresholds"] += new
        for order, (name, name_en, guidance, guidance_en, points) in enumerate(CRITERIA, 1):
            _obj, new = Criterion.objects.get_or_create(
                standard_set=standard_set,
                name=name,
                defaults={
                    "name_en": name_en,
                    "guidance": f"{guidance}（{DEMO}）",
                    "guidance_en": f"{guidance_en} (demo)",
                    "max_points": points,
                    "sort": order,
                },
            )
            created["criteria"] += new
        for list_kind, title, title_en, code, keywords, uscc, document in REJECTIONS[version]:
            _obj, new = RejectionEntry.objects.get_or_create(
                standard_set=standard_set,
                list_kind=list_kind,
                title=title,
                defaults={
                    "title_en": title_en,
                    "industry_code": code,
                    "keywords": keywords,
                    "uscc": uscc,
                    "source": documents[document],
                },
            )
            created["rejections"] += new

    for code, (division, note) in CODE_MAPPING.items():
        name, name_en = DIVISIONS_2002[division]
        _obj, new = CodeMapping.objects.get_or_create(
            code_2017=code,
            defaults={
                "division_2002": division,
                "name_2002": name,
                "name_2002_en": name_en,
                "source": documents[GBT4754],
                "note": note,
            },
        )
        created["mappings"] += new
    return created


def assign_places(apps) -> int:
    """Put the districts (by adcode) and parks (by name) that exist into their zones; how many were added."""
    get = apps.get_model
    Zone, Region, Park = get("review", "Zone"), get("geo", "Region"), get("geo", "Park")
    added = 0
    for code, adcodes in ZONE_REGIONS.items():
        zone = Zone.objects.filter(code=code).first()
        if zone is None:
            continue
        have = set(zone.regions.values_list("pk", flat=True))
        found = [pk for pk in Region.objects.filter(adcode__in=adcodes).values_list("pk", flat=True) if pk not in have]
        zone.regions.add(*found)
        added += len(found)
    for code, names in ZONE_PARKS.items():
        zone = Zone.objects.filter(code=code).first()
        if zone is None:
            continue
        have = set(zone.parks.values_list("pk", flat=True))
        found = [pk for pk in Park.objects.filter(name__in=names).values_list("pk", flat=True) if pk not in have]
        zone.parks.add(*found)
        added += len(found)
    return added


def noop(apps, schema_editor):
    """Reversing the seed removes nothing (the centre may have edited or used the standards)."""
