"""The approval catalogue a city starts from: the items of the four stages of construction-project approval
(国办发〔2018〕33号) with their departments, statutory time limits (行政许可法: 20 working days unless a rule says
otherwise; 消防设计审查 15, 施工许可证 7) and the promised ones, whether 容缺受理 or 告知承诺 applies, the park
assessments (区域评估) that exempt them, and the templates per kind of project with the caps of 江府〔2019〕23号
(government-invested 90, social investment 55, industrial park land sold with its scheme 30, interior fit-out 30).

It is data: the centre edits it on the catalogue pages. ``seed`` creates what is missing and changes nothing that
exists (the departments by name, the items by code, the templates by name).
"""

from __future__ import annotations

DEPARTMENTS = {
    "ndrc": ("发展和改革局", "Development and Reform Bureau"),
    "land": ("自然资源局", "Natural Resources Bureau"),
    "housing": ("住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    "ecology": ("生态环境局", "Ecology and Environment Bureau"),
    "fire": ("消防救援支队", "Fire and Rescue Detachment"),
    "civil_defence": ("人民防空办公室", "Civil Air Defence Office"),
    "water": ("水利局", "Water Resources Bureau"),
    "weather": ("气象局", "Meteorological Bureau"),
}

# code, name, English name, department, stage, statutory days, promised days, 容缺受理, 告知承诺, exempted by, order
ITEMS = [
    (
        "L01",
        "企业投资项目备案",
        "Filing of an enterprise investment project",
        "ndrc",
        "1_land",
        3,
        1,
        False,
        False,
        [],
        1,
    ),
    ("L02", "固定资产投资项目节能审查", "Energy-saving review", "ndrc", "1_land", 20, 10, True, False, ["energy"], 2),
    ("L03", "建设项目选址意见书", "Site selection opinion", "land", "1_land", 20, 5, True, False, [], 3),
    ("L04", "建设项目用地预审", "Preliminary review of land use", "land", "1_land", 20, 5, True, False, [], 4),
    ("L05", "建设用地规划许可证", "Land-use planning permit", "land", "1_land", 20, 5, True, False, [], 5),
    (
        "L06",
        "环境影响评价审批",
        "Environmental impact assessment approval",
        "ecology",
        "1_land",
        30,
        10,
        True,
        True,
        ["environment"],
        6,
    ),
    (
        "L07",
        "水土保持方案审批",
        "Soil and water conservation plan",
        "water",
        "1_land",
        20,
        10,
        True,
        True,
        ["soil_water"],
        7,
    ),
    ("L08", "洪水影响评价审批", "Flood impact assessment", "water", "1_land", 20, 10, True, False, ["flood"], 8),
    ("W01", "设计方案审查", "Design scheme review", "land", "2_works", 20, 10, False, False, [], 1),
    ("W02", "建设工程规划许可证", "Construction project planning permit", "land", "2_works", 20, 5, True, False, [], 2),
    ("B01", "消防设计审查", "Fire protection design review", "fire", "3_build", 15, 10, True, False, [], 1),
    (
        "B02",
        "人防工程设计审核",
        "Civil air defence design review",
        "civil_defence",
        "3_build",
        20,
        5,
        True,
        True,
        [],
        2,
    ),
    (
        "B03",
        "雷电防护装置设计审核",
        "Lightning protection design review",
        "weather",
        "3_build",
        20,
        5,
        True,
        True,
        [],
        3,
    ),
    ("B04", "建筑工程施工许可证", "Construction permit", "housing", "3_build", 7, 3, True, False, [], 4),
    ("D01", "规划条件核实（规划验收）", "Planning acceptance", "land", "4_done", 20, 5, False, False, [], 1),
    ("D02", "土地核验（土地验收）", "Land acceptance", "land", "4_done", 20, 5, False, False, [], 2),
    ("D03", "消防验收", "Fire protection acceptance", "fire", "4_done", 15, 5, False, False, [], 3),
    (
        "D04",
        "人防工程竣工验收备案",
        "Civil air defence acceptance filing",
        "civil_defence",
        "4_done",
        15,
        5,
        False,
        True,
        [],
        4,
    ),
    ("D05", "竣工验收备案", "Completion acceptance filing", "housing", "4_done", 15, 5, False, False, [], 5),
]

# name, English name, project kind, cap (working days), [(item code, starts after n working days)]
TEMPLATES = [
    (
        "政府投资项目",
        "Government-invested project",
        "government",
        90,
        [
            ("L01", 0),
            ("L02", 2),
            ("L03", 2),
            ("L04", 2),
            ("L05", 10),
            ("L06", 2),
            ("L07", 2),
            ("L08", 2),
            ("W01", 20),
            ("W02", 40),
            ("B01", 50),
            ("B02", 50),
            ("B03", 50),
            ("B04", 65),
            ("D01", 75),
            ("D02", 75),
            ("D03", 75),
            ("D04", 75),
            ("D05", 80),
        ],
    ),
    (
        "社会投资项目",
        "Social investment project",
        "social",
        55,
        [
            ("L01", 0),
            ("L02", 1),
            ("L03", 1),
            ("L04", 1),
            ("L05", 6),
            ("L06", 1),
            ("L07", 1),
            ("L08", 1),
            ("W01", 12),
            ("W02", 22),
            ("B01", 27),
            ("B02", 27),
            ("B03", 27),
            ("B04", 37),
            ("D01", 45),
            ("D02", 45),
            ("D03", 45),
            ("D04", 45),
            ("D05", 50),
        ],
    ),
    (
        # 带方案出让: the scheme was reviewed with the land sale; planning and construction permits run together
        "工业园区带方案出让项目",
        "Industrial park project, land sold with its design scheme",
        "park_scheme",
        30,
        [
            ("L01", 0),
            ("L02", 0),
            ("L05", 0),
            ("L06", 0),
            ("L07", 0),
            ("L08", 0),
            ("W02", 5),
            ("B01", 5),
            ("B02", 5),
            ("B03", 5),
            ("B04", 15),
            ("D01", 20),
            ("D02", 20),
            ("D03", 20),
            ("D04", 20),
            ("D05", 25),
        ],
    ),
    (
        "室内装饰装修工程",
        "Interior fit-out works",
        "fit_out",
        30,
        [("B01", 0), ("B04", 10), ("D03", 15), ("D05", 20)],
    ),
]


def seed(apps=None) -> dict[str, int]:
    """Create the departments, items and templates that are missing; returns how many of each were created."""
    if apps is None:
        from django.apps import apps
    Team = apps.get_model("accounts", "Team")
    ApprovalItem = apps.get_model("services", "ApprovalItem")
    ApprovalTemplate = apps.get_model("services", "ApprovalTemplate")
    TemplateItem = apps.get_model("services", "TemplateItem")
    created = {"departments": 0, "items": 0, "templates": 0}
    teams = {}
    for key, (name, name_en) in DEPARTMENTS.items():
        team = Team.objects.filter(name=name).first()
        if team is None:
            team = Team.objects.create(name=name, name_en=name_en, kind="department")
            created["departments"] += 1
        teams[key] = team
    items = {}
    for code, name, name_en, department, stage, statutory, promised, gaps, commitment, exempted, order in ITEMS:
        item = ApprovalItem.objects.filter(code=code).first()
        if item is None:
            item = ApprovalItem.objects.create(
                code=code,
                name=name,
                name_en=name_en,
                department=teams[department],
                stage=stage,
                statutory_days=statutory,
                promised_days=promised,
                accept_with_gaps=gaps,
                by_commitment=commitment,
                exempted_by=list(exempted),
                order=order,
            )
            created["items"] += 1
        items[code] = item
    for name, name_en, kind, cap, entries in TEMPLATES:
        if ApprovalTemplate.objects.filter(name=name).exists():
            continue
        template = ApprovalTemplate.objects.create(name=name, name_en=name_en, project_kind=kind, cap_days=cap)
        TemplateItem.objects.bulk_create(
            TemplateItem(template=template, item=items[code], start_offset=offset) for code, offset in entries
        )
        created["templates"] += 1
    return created
