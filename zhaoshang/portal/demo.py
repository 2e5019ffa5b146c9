"""Demo parks, sites, landing guides and policies of Jiangmen (示例数据: the city loads its own).

Runs after the other apps' demo modules (``zhaoshang.core.demo``): it finds the teams in
``ctx.data["teams"]``, the chains in ``ctx.data["chains"]`` and the regions with their boundaries
in the database, and leaves ``ctx.data["parks"]`` (name → Park) and ``ctx.data["carriers"]``.

Everything is drawn from ``ctx.rng``, so the same seed gives the same city. Dates are relative
to today (``timezone.localdate()``) so that the demo always shows current, stale and expired data.

Geometry: a park is an irregular polygon of its stated area around a point (its known location
where we have one, else a random point of its district), clipped to the district's boundary shrunk
by ~100 m, and kept apart from the parks placed before it. Land parcels are small quadrilaterals
inside their park; factories and offices are points. Areas are measured in a local equirectangular
frame (1° of longitude = 111.32 km × cos latitude, 1° of latitude = 110.57 km), exact enough at
the scale of a park.

Audit: parks, guides and policies are saved one by one and get change records. The ~400 sites
and their industries are bulk-created for speed: they have no change records and no author
(``created_by`` is None), and their ``search_text`` is built here with the same function
``SearchableModel.save`` uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

import numpy as np
import shapely
from django.conf import settings
from django.utils import timezone
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.prepared import prep

from zhaoshang.core.demo import DEMO_CITY
from zhaoshang.core.formatting import number
from zhaoshang.core.search import CJK_RUN, LATIN_WORD, build_search_text, normalize
from zhaoshang.core.units import SQM_PER_MU
from zhaoshang.geo import demo as geo_demo
from zhaoshang.geo.choices import Availability, CarrierKind, LandUse, ParkLevel, RegionLevel
from zhaoshang.geo.models import Carrier, CarrierIndustry, Park, ParkIndustry, Region
from zhaoshang.industry.choices import ProjectType

from .models import CityProfile, Guide, GuideStep, Policy, PolicyIndustry

SQM_PER_MU_F = float(SQM_PER_MU)
M_PER_DEG_LAT = 110_574.0
DISTRICT_MARGIN_DEG = 0.001  # parks keep ~100 m inside the district boundary
PARK_GAP_DEG = 0.003  # and ~300 m apart from each other
PARK_MARGIN_DEG = 0.0003  # sites keep ~30 m inside their park
SITES_IN_PARKS = 340
SITES_OUTSIDE_PARKS = 63


def m_per_deg_lon(lat: float) -> float:
    return 111_320.0 * math.cos(math.radians(lat))


def area_m2(geom) -> float:
    """Area of a small lon/lat geometry in m² (local equirectangular frame at its centroid)."""
    if geom.is_empty:
        return 0.0
    return geom.area * m_per_deg_lon(geom.centroid.y) * M_PER_DEG_LAT


def largest_polygon(geom) -> Polygon | None:
    if isinstance(geom, Polygon):
        return None if geom.is_empty else geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    polygons = [p for g in parts for p in (g.geoms if isinstance(g, MultiPolygon) else [g])]
    return max(polygons, key=lambda p: p.area) if polygons else None


def rounded(geom):
    """Coordinates to 6 decimals (~0.1 m), keeping the geometry valid."""
    return shapely.set_precision(geom, 1e-6)


def random_point(rng, geom, prepared=None, tries: int = 5000) -> Point:
    """A uniformly random point (6 decimals) strictly inside ``geom``, by rejection sampling in its bbox."""
    prepared = prepared or prep(geom)
    minx, miny, maxx, maxy = geom.bounds
    for _ in range(tries):
        point = Point(round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6))
        if prepared.contains(point):
            return point
    raise RuntimeError("no point found inside the geometry")


def blob_maker(rng, lon: float, lat: float, area: float, vertices: int = 14):
    """A function of a scale giving an irregular star-shaped polygon of ``area`` m² × scale² around (lon, lat)."""
    noise = [rng.uniform(-1, 1) for _ in range(vertices)]
    radii = [1 + 0.4 * (noise[i - 1] + 2 * noise[i] + noise[(i + 1) % vertices]) / 4 for i in range(vertices)]
    angles = [2 * math.pi * (i + rng.uniform(-0.3, 0.3)) / vertices for i in range(vertices)]
    aspect = rng.uniform(0.55, 1.0)
    turn = rng.uniform(0, math.pi)
    unit = []
    for r, a in zip(radii, angles, strict=True):
        x, y = r * math.cos(a), r * math.sin(a) * aspect
        unit.append((x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn)))
    base = math.sqrt(area / Polygon(unit).area)  # metres per unit
    kx, ky = m_per_deg_lon(lat), M_PER_DEG_LAT

    def make(scale: float) -> Polygon:
        s = base * scale
        return Polygon([(lon + x * s / kx, lat + y * s / ky) for x, y in unit])

    return make


def fit_area(make, container, target: float, tolerance: float = 0.03) -> Polygon | None:
    """Grow ``make(scale)`` clipped to ``container`` until its area is ``target`` m² (±tolerance)."""
    scale = 1.0
    for _ in range(6):
        clipped = largest_polygon(make(scale).intersection(container))
        if clipped is None:
            return None
        got = area_m2(clipped)
        if abs(got - target) <= tolerance * target:
            return clipped
        scale *= math.sqrt(target / got)
        if scale > 1.8:
            return None  # the district is too narrow here: try elsewhere
    return None


UNIT_SQUARE = [(-1, -1), (1, -1), (1, 1), (-1, 1)]


def quad(rng, lon: float, lat: float, area: float) -> Polygon:
    """A land parcel: a slightly irregular rotated quadrilateral of ``area`` m² centred on (lon, lat)."""
    aspect = rng.uniform(0.45, 1.0)
    turn = rng.uniform(0, math.pi)
    corners = [(x * (1 + rng.uniform(-0.06, 0.06)), y * (1 + rng.uniform(-0.06, 0.06))) for x, y in UNIT_SQUARE]
    unit = [(x, y * aspect) for x, y in corners]
    scale = math.sqrt(area / Polygon(unit).area)
    kx, ky = m_per_deg_lon(lat), M_PER_DEG_LAT
    points = []
    for x, y in unit:
        rx, ry = x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn)
        points.append((lon + rx * scale / kx, lat + ry * scale / ky))
    return Polygon(points)


def transform_round(geom):
    """Round to 6 decimals with numpy (cheaper than set_precision for simple shapes that stay valid)."""
    return shapely.transform(geom, lambda c: np.round(c, 6))


# --- Platforms ------------------------------------------------------------------------------------------------------

# Minimum plot ratio by GB/T 4754-2017 division, from the national 工业项目建设用地控制指标 (given in 2002
# divisions; mapped: 2002 →2017 39→38, 40→39, 41→40, 42→41, 43→42; 29 rubber 0.8 and 30 plastics 1.0 merged
# into 29, the stricter lower bound 0.8 kept; 31→30, 32→31, 33→32, 34→33, 35→34, 36→35, 37→36/37).
PLOT_RATIO_MIN = {
    "13": "1.0", "14": "1.0", "15": "1.0", "16": "1.0", "17": "0.8", "18": "1.0", "19": "1.0", "20": "0.8",
    "21": "0.8", "22": "0.8", "23": "0.8", "24": "1.0", "25": "0.5", "26": "0.6", "27": "0.7", "28": "0.8",
    "29": "0.8", "30": "0.7", "31": "0.6", "32": "0.6", "33": "0.7", "34": "0.7", "35": "0.7", "36": "0.7",
    "37": "0.7", "38": "0.7", "39": "1.0", "40": "1.0", "41": "1.0", "42": "0.7",
}  # fmt: skip
WAREHOUSE_PLOT_RATIO_MIN = Decimal("1.0")  # logistics warehouse (local planning code in DOMAIN.md)
HEAVY = {"22", "25", "26", "28", "29", "30", "31", "32", "33"}  # class 2 industrial land (M2)
LOGISTICS = {"58", "59"}
OFFICE_CODES = ["65", "72", "73"]  # software, business services, R&D


@dataclass(frozen=True)
class Platform:
    name: str
    name_en: str
    short: str  # prefix of its sites' names
    short_en: str
    adcode: str  # the district it lies in
    level: str
    area_mu: int
    anchor: tuple[float, float] | None  # roughly where it is; a random point of the district when None or taken
    codes: list[str]  # leading industries (GB/T 4754-2017 divisions)
    chains: list[str]
    centre: bool  # a city-level platform kept by the centre (else by its district bureau)
    kinds: tuple[float, float, float]  # shares of parcels, factories, offices among its sites
    description: str
    description_en: str


# Rows in the order of Platform's fields. Areas and boundaries are demo values except where DOMAIN.md gives one.
PLATFORM_ROWS = [
    (
        "江门国家高新区",
        "Jiangmen National Hi-tech Industrial Development Zone",
        "高新区",
        "Hi-tech Zone",
        "440704",
        ParkLevel.NATIONAL,
        30000,
        (113.12, 22.55),
        ["39", "38", "35", "27", "26"],
        ["新一代信息技术", "智能装备", "新材料", "生物医药与健康", "电子信息材料"],
        True,
        (0.45, 0.35, 0.2),
        "国家级高新技术产业开发区，与江海区实行“区政合一”管理，重点发展新一代信息技术、高端装备、新材料和大健康产业。"
        "地图上的范围与面积为示例。",
        "National high-tech zone, administered together with Jianghai District; next-generation IT, advanced "
        "equipment, new materials and health industries. The boundary and area on this map are demo values.",
    ),
    (
        "中欧（江门）中小企业国际合作区",
        "China-EU (Jiangmen) SME International Cooperation Zone",
        "中欧合作区",
        "China-EU Zone",
        "440703",
        ParkLevel.CLUSTER,
        15000,
        (113.02, 22.72),
        ["34", "35", "38", "39"],
        ["智能装备", "机床装备", "智能家电"],
        True,
        (0.6, 0.3, 0.1),
        "大型产业集聚区北组团的核心平台，面向欧洲中小企业，发展智能装备、机床装备和智能家电。面积与边界为示例。",
        "Core platform of the North Group of the major industrial cluster, for European SMEs: intelligent "
        "equipment, machine tools and smart appliances. Area and boundary are demo values.",
    ),
    (
        "深江产业园",
        "Shenzhen-Jiangmen Industrial Park",
        "深江产业园",
        "Shen-Jiang Park",
        "440705",
        ParkLevel.CLUSTER,
        23135,
        (113.10, 22.38),
        ["39", "38", "35", "34"],
        ["新一代信息技术", "新能源电池", "智能装备"],
        True,
        (0.6, 0.32, 0.08),
        "大型产业集聚区东组团，深圳与江门合作共建，规划面积23,135亩，承接深圳先进制造业项目。地图边界为示例。",
        "East Group of the major industrial cluster, built jointly by Shenzhen and Jiangmen; planned area "
        "23,135 mu for advanced manufacturing from Shenzhen. The boundary on the map is a demo value.",
    ),
    (
        "广海湾片区（南组团）",
        "Guanghai Bay Area (South Group)",
        "广海湾片区",
        "Guanghai Bay",
        "440781",
        ParkLevel.CLUSTER,
        30000,
        (112.78, 21.95),
        ["35", "34", "44", "26", "59"],
        ["智能装备", "新材料"],
        True,
        (0.7, 0.25, 0.05),
        "大型产业集聚区南组团，临港布局，发展临港装备制造、清洁能源、新材料和港口物流。面积与边界为示例。",
        "South Group of the major industrial cluster by the port: port-side equipment, clean energy, new "
        "materials and port logistics. Area and boundary are demo values.",
    ),
    (
        "银湖湾片区（南组团）",
        "Yinhu Bay Area (South Group)",
        "银湖湾片区",
        "Yinhu Bay",
        "440705",
        ParkLevel.CLUSTER,
        20000,
        (113.08, 22.23),
        ["26", "29", "22", "38"],
        ["新材料", "现代轻工", "新能源电池"],
        True,
        (0.7, 0.25, 0.05),
        "大型产业集聚区南组团，沿银洲湖布局，发展新材料、现代轻工和新能源电池材料。面积与边界为示例。",
        "South Group of the major industrial cluster: new materials, modern light industry and battery "
        "materials. Area and boundary are demo values.",
    ),
    (
        "大广海湾经济区（台山起步区）",
        "Greater Guanghai Bay Economic Zone (Taishan start-up area)",
        "大广海湾",
        "Greater Guanghai Bay",
        "440781",
        ParkLevel.PROVINCIAL,
        45000,
        (112.90, 22.05),
        ["36", "35", "26", "59", "58"],
        ["汽车零部件", "智能装备", "新材料"],
        True,
        (0.65, 0.25, 0.1),
        "横跨江门沿海的省级发展平台；地图仅标示台山境内的一个起步区，范围与面积为示例。",
        "Provincial development platform along Jiangmen's coast; the map shows one start-up area in Taishan, "
        "with demo boundary and area.",
    ),
    (
        "台山工业新城",
        "Taishan Industrial New Town",
        "台山工业新城",
        "Taishan New Town",
        "440781",
        ParkLevel.MUNICIPAL,
        207000,  # 138 km²
        (112.85, 22.30),
        ["36", "34", "35", "38", "30"],
        ["汽车零部件", "智能装备", "硅能源"],
        False,
        (0.65, 0.3, 0.05),
        "规划面积约138平方公里，发展汽车零部件、装备制造和新能源产业。地图边界为示例。",
        "Planned area about 138 km²: auto parts, equipment manufacturing and new energy. The boundary on the "
        "map is a demo value.",
    ),
    (
        "新会新能源电池特色产业园",
        "Xinhui New-Energy Battery Specialty Park",
        "新会电池产业园",
        "Xinhui Battery Park",
        "440705",
        ParkLevel.MUNICIPAL,
        8000,
        (113.03, 22.30),
        ["38", "26"],
        ["新能源电池"],
        False,
        (0.65, 0.3, 0.05),
        "新会区新能源电池特色产业园，集聚动力电池、储能系统和电池材料企业。面积与边界为示例。",
        "Xinhui's specialty park for new-energy batteries: power batteries, energy storage and battery "
        "materials. Area and boundary are demo values.",
    ),
    (
        "鹤山硅能源产业园",
        "Heshan Silicon Energy Industrial Park",
        "鹤山硅能源产业园",
        "Heshan Silicon Park",
        "440784",
        ParkLevel.MUNICIPAL,
        8000,
        (112.90, 22.61),
        ["38", "39", "30"],
        ["硅能源"],
        False,
        (0.65, 0.3, 0.05),
        "鹤山市硅能源特色产业园，发展光伏电池、组件及配套材料。面积与边界为示例。",
        "Heshan's silicon energy park: photovoltaic cells, modules and materials. Area and boundary are demo values.",
    ),
    (
        "开平水暖卫浴产业园",
        "Kaiping Plumbing and Sanitary Ware Industrial Park",
        "开平卫浴产业园",
        "Kaiping Sanitary Park",
        "440783",
        ParkLevel.MUNICIPAL,
        6000,
        (112.70, 22.40),
        ["33", "30", "34"],
        ["五金卫浴"],
        False,
        (0.55, 0.4, 0.05),
        "开平水暖卫浴特色产业园，承接卫浴、龙头阀门和五金配件企业。面积与边界为示例。",
        "Kaiping's plumbing and sanitary ware park: sanitary ware, taps, valves and hardware. Area and boundary "
        "are demo values.",
    ),
    (
        "恩平智能装备产业园",
        "Enping Intelligent Equipment Industrial Park",
        "恩平智能装备产业园",
        "Enping Equipment Park",
        "440785",
        ParkLevel.MUNICIPAL,
        5000,
        (112.33, 22.20),
        ["35", "34", "40"],
        ["智能装备", "机床装备"],
        False,
        (0.6, 0.35, 0.05),
        "恩平市智能装备特色产业园，发展专用设备、通用设备和仪器仪表。面积与边界为示例。",
        "Enping's intelligent equipment park: special and general machinery and instruments. Area and boundary "
        "are demo values.",
    ),
    (
        "蓬江健康食品产业园",
        "Pengjiang Health Food Industrial Park",
        "蓬江健康食品产业园",
        "Pengjiang Food Park",
        "440703",
        ParkLevel.MUNICIPAL,
        3000,
        (113.00, 22.62),
        ["13", "14", "15"],
        ["食品"],
        False,
        (0.5, 0.45, 0.05),
        "蓬江区健康食品特色产业园，发展食品加工、饮料和健康食品。面积与边界为示例。",
        "Pengjiang's health food park: food processing, beverages and health foods. Area and boundary are demo values.",
    ),
    (
        "江海安全应急产业园",
        "Jianghai Safety and Emergency Industrial Park",
        "江海安全应急产业园",
        "Jianghai Safety Park",
        "440704",
        ParkLevel.MUNICIPAL,
        3000,
        (113.15, 22.52),
        ["35", "40", "38"],
        ["安全应急"],
        False,
        (0.5, 0.4, 0.1),
        "江海区安全应急特色产业园，发展应急装备、监测预警仪器和安全防护产品。面积与边界为示例。",
        "Jianghai's safety and emergency park: emergency equipment, monitoring instruments and protective "
        "products. Area and boundary are demo values.",
    ),
    (
        "台山汽车零部件产业园",
        "Taishan Auto Parts Industrial Park",
        "台山汽车零部件产业园",
        "Taishan Auto Parts Park",
        "440781",
        ParkLevel.MUNICIPAL,
        4000,
        (112.75, 22.20),
        ["36", "34", "29"],
        ["汽车零部件"],
        False,
        (0.6, 0.35, 0.05),
        "台山市汽车零部件特色产业园（示例）。",
        "Taishan's auto parts park (demo).",
    ),
    (
        "开平翠山湖科技产业园",
        "Kaiping Cuishan Lake Technology Industrial Park",
        "翠山湖科技产业园",
        "Cuishan Lake Park",
        "440783",
        ParkLevel.MUNICIPAL,
        20000,
        (112.63, 22.47),
        ["39", "38", "29", "33"],
        ["新一代信息技术", "智能家电", "五金卫浴"],
        False,
        (0.6, 0.3, 0.1),
        "开平市综合性产业园区，发展电子信息、智能家电和新材料。面积与边界为示例。",
        "Kaiping's general industrial park: electronics, smart appliances and new materials. Area and boundary "
        "are demo values.",
    ),
    (
        "鹤山工业城",
        "Heshan Industrial City",
        "鹤山工业城",
        "Heshan Industrial City",
        "440784",
        ParkLevel.MUNICIPAL,
        15000,
        (112.78, 22.72),
        ["34", "35", "33", "17"],
        ["智能装备", "五金卫浴", "纺织服装"],
        False,
        (0.6, 0.35, 0.05),
        "鹤山市综合性工业园区，发展装备制造、金属制品和纺织服装。面积与边界为示例。",
        "Heshan's general industrial park: machinery, metal products, textiles and garments. Area and boundary "
        "are demo values.",
    ),
    (
        "恩平工业园",
        "Enping Industrial Park",
        "恩平工业园",
        "Enping Industrial Park",
        "440785",
        ParkLevel.MUNICIPAL,
        10000,
        (112.26, 22.22),
        ["39", "41", "29"],
        ["电子信息材料", "现代轻工"],
        False,
        (0.6, 0.35, 0.05),
        "恩平市综合性工业园区，发展电声电子、现代轻工和塑胶制品。面积与边界为示例。",
        "Enping's general industrial park: electro-acoustics, light industry and plastics. Area and boundary are "
        "demo values.",
    ),
    (
        "新会经济开发区",
        "Xinhui Economic Development Zone",
        "新会经济开发区",
        "Xinhui EDZ",
        "440705",
        ParkLevel.MUNICIPAL,
        12000,
        (113.03, 22.50),
        ["26", "27", "14", "38"],
        ["新材料", "生物医药与健康", "食品"],
        False,
        (0.55, 0.35, 0.1),
        "新会区综合性开发区，发展新材料、生物医药和食品。面积与边界为示例。",
        "Xinhui's general development zone: new materials, biomedicine and food. Area and boundary are demo values.",
    ),
    (
        "蓬江数字经济产业园（示例）",
        "Pengjiang Digital Economy Park (demo)",
        "蓬江数字经济产业园",
        "Pengjiang Digital Park",
        "440703",
        ParkLevel.MUNICIPAL,
        3000,
        (113.09, 22.60),
        ["65", "64", "73", "39"],
        ["新一代信息技术"],
        False,
        (0.1, 0.2, 0.7),
        "示例园区：软件、互联网和研发服务，以写字楼和研发楼为主。",
        "Demo park: software, internet and R&D services, mostly office and R&D buildings.",
    ),
]
PLATFORMS = [Platform(*row) for row in PLATFORM_ROWS]

# Demo street addresses of the parks: (town, road, number) in Chinese and English; a park's sites lie on the same
# road (demo values, not real addresses).
PARK_ADDRESSES = {
    "江门国家高新区": (
        "江门市江海区外海街道",
        "金瓯路",
        "Waihai Subdistrict, Jianghai District, Jiangmen",
        "Jin'ou Road",
        288,
    ),
    "中欧（江门）中小企业国际合作区": (
        "江门市蓬江区棠下镇",
        "堡棠路",
        "Tangxia Town, Pengjiang District, Jiangmen",
        "Baotang Road",
        123,
    ),
    "深江产业园": ("江门市新会区大鳌镇", "沿江路", "Da'ao Town, Xinhui District, Jiangmen", "Yanjiang Road", 1),
    "广海湾片区（南组团）": ("台山市广海镇", "海滨路", "Guanghai Town, Taishan", "Haibin Road", 18),
    "银湖湾片区（南组团）": (
        "江门市新会区崖门镇",
        "银湖大道",
        "Yamen Town, Xinhui District, Jiangmen",
        "Yinhu Avenue",
        68,
    ),
    "大广海湾经济区（台山起步区）": ("台山市赤溪镇", "滨海大道", "Chixi Town, Taishan", "Binhai Avenue", 99),
    "台山工业新城": ("台山市水步镇", "工业大道", "Shuibu Town, Taishan", "Gongye Avenue", 8),
    "新会新能源电池特色产业园": (
        "江门市新会区司前镇",
        "新能源大道",
        "Siqian Town, Xinhui District, Jiangmen",
        "Xinnengyuan Avenue",
        18,
    ),
    "鹤山硅能源产业园": ("鹤山市共和镇", "硅谷路", "Gonghe Town, Heshan", "Guigu Road", 6),
    "开平水暖卫浴产业园": ("开平市水口镇", "卫浴大道", "Shuikou Town, Kaiping", "Weiyu Avenue", 28),
    "恩平智能装备产业园": ("恩平市恩城街道", "智造路", "Encheng Subdistrict, Enping", "Zhizao Road", 16),
    "蓬江健康食品产业园": (
        "江门市蓬江区杜阮镇",
        "食品路",
        "Duruan Town, Pengjiang District, Jiangmen",
        "Shipin Road",
        38,
    ),
    "江海安全应急产业园": (
        "江门市江海区礼乐街道",
        "应急路",
        "Lile Subdistrict, Jianghai District, Jiangmen",
        "Yingji Road",
        9,
    ),
    "台山汽车零部件产业园": ("台山市大江镇", "汽配路", "Dajiang Town, Taishan", "Qipei Road", 12),
    "开平翠山湖科技产业园": ("开平市沙塘镇", "翠山湖大道", "Shatang Town, Kaiping", "Cuishanhu Avenue", 1),
    "鹤山工业城": ("鹤山市鹤城镇", "工业城大道", "Hecheng Town, Heshan", "Gongyecheng Avenue", 33),
    "恩平工业园": ("恩平市圣堂镇", "工业大道", "Shengtang Town, Enping", "Gongye Avenue", 20),
    "新会经济开发区": (
        "江门市新会区会城街道",
        "今古洲大道",
        "Huicheng Subdistrict, Xinhui District, Jiangmen",
        "Jinguzhou Avenue",
        88,
    ),
    "蓬江数字经济产业园（示例）": (
        "江门市蓬江区白沙街道",
        "建设路",
        "Baisha Subdistrict, Pengjiang District, Jiangmen",
        "Jianshe Road",
        56,
    ),
}


def street_address(park_name: str, number: int | None = None) -> tuple[str, str]:
    """A demo address (Chinese, English) on the road of the park ``park_name`` (at the park's own number when
    ``number`` is None); empty for a park without one."""
    if park_name not in PARK_ADDRESSES:
        return "", ""
    town, road, town_en, road_en, own = PARK_ADDRESSES[park_name]
    number = own if number is None else number
    return f"{town}{road}{number}号", f"{number} {road_en}, {town_en}"


# Approximate transport nodes for the demo distances (示例; straight line × 1.3 for the road).
PORTS = [
    (113.14, 22.56),  # 江门港高新港区
    (113.05, 22.43),  # 新会港区
    (112.78, 21.92),  # 广海湾港区
    (112.87, 22.33),  # 台山港区
    (112.96, 22.76),  # 鹤山港区
    (112.70, 22.39),  # 开平港区
]
RAIL = [(113.05, 22.59), (113.04, 22.49), (112.78, 22.26), (112.66, 22.33), (112.31, 22.18), (112.93, 22.72)]
AIRPORTS = [(113.376, 22.006), (113.299, 23.392), (113.811, 22.639)]  # 珠海金湾, 广州白云, 深圳宝安
ROAD_FACTOR = 1.3
# Demo land prices of industrial land, 万元/亩, by district (order of magnitude of Jiangmen's land market).
LAND_PRICE = {
    "440703": (60, 120),
    "440704": (60, 120),
    "440705": (40, 90),
    "440784": (40, 90),
    "440781": (20, 60),
    "440783": (20, 60),
    "440785": (20, 60),
}
TRANSFORMERS = [630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000]
SURNAMES = "陈 李 黄 梁 张 王 吴 刘 林 谭 关 何 周 邓 余 冯 区 司徒 甄 伍".split()
SURNAMES_EN = dict(
    zip(
        SURNAMES,
        "Chen Li Huang Liang Zhang Wang Wu Liu Lin Tan Guan He Zhou Deng Yu Feng Ou Situ Zhen Wu".split(),
        strict=True,
    )
)
TITLES = {"先生": "Mr", "女士": "Ms", "工": "Engineer"}


def road_km(lon: float, lat: float, nodes) -> Decimal:
    best = min(
        math.hypot((lon - x) * m_per_deg_lon(lat), (lat - y) * M_PER_DEG_LAT) / 1000 * ROAD_FACTOR for x, y in nodes
    )
    return Decimal(str(round(max(best, 0.5), 1)))


def contact(rng) -> tuple[str, str, str]:
    """A contact person's name in Chinese and in English, and a phone number."""
    surname, title = rng.choice(SURNAMES), rng.choice(list(TITLES))
    phone = f"0750-{rng.choice('3678')}{rng.randrange(0, 1_000_000):06d}"
    return surname + title, f"{TITLES[title]} {SURNAMES_EN[surname]}", phone


@cache
def _piece_terms(piece: str) -> frozenset[str]:
    return frozenset(build_search_text(piece).split())


def search_text(*values) -> str:
    """``build_search_text(*values)``, faster for many similar texts.

    The index of a text is the union of the index of its Chinese runs and of its Latin words (see
    core.search), so the runs are indexed once each and the terms merged; the test compares the result
    with ``build_search_text`` itself.
    """
    terms: set[str] = set()
    for value in values:
        text = normalize(str(value or ""))
        for piece in [*CJK_RUN.findall(text), " ".join(LATIN_WORD.findall(text))]:
            if piece:
                terms |= _piece_terms(piece)
    return f" {' '.join(sorted(terms))} " if terms else ""


@cache
def district_abbreviation(name: str) -> str:
    """XH for 新会区: pinyin initials of the name without its suffix."""
    from pypinyin import Style, lazy_pinyin

    stem = name[:-1] if len(name) > 2 else name
    return "".join(lazy_pinyin(stem, style=Style.FIRST_LETTER)).upper()


def load(ctx):
    if ctx.city_adcode != DEMO_CITY:
        ctx.log.append("portal: demo platforms exist for Jiangmen only")
        return
    today = timezone.localdate()
    districts = {r.adcode: r for r in Region.objects.filter(parent__adcode=ctx.city_adcode, level=RegionLevel.DISTRICT)}
    parks = load_parks(ctx, districts, today)
    ctx.data["parks"] = {p.name: p for p, _spec in parks}
    ctx.data["carriers"] = load_sites(ctx, districts, parks, today)
    public = list(Carrier.objects.filter(Carrier.public_q()).defer("boundary", "search_text").order_by("pk")[:5])
    geo_demo.load_media(ctx, list(districts.values()), [park for park, _spec in parks], public, today)
    load_guides()
    load_policies(ctx, districts, today)
    load_city_profile()


# --- The city's page ------------------------------------------------------------------------------------------------

CITY_PROFILE = {
    "slogan": "中国侨都 · 制造强市",
    "slogan_en": "The home of overseas Chinese, a manufacturing city on the Pearl River Delta",
    "intro": (
        "江门地处珠江三角洲西岸，毗邻港澳，陆地面积约9505平方公里，常住人口约482万，是著名的中国侨乡。\n"
        "全市打造大型产业集聚区，重点发展硅能源、新能源电池、新一代信息技术、智能装备、食品等产业链，"
        "欢迎投资者来江门兴业发展。"
    ),
    "intro_en": (
        "Jiangmen lies on the west bank of the Pearl River Delta, next to Hong Kong and Macao: about 9,505 km² and "
        "4.82 million residents, the best-known home town of overseas Chinese.\n"
        "The city is building large industrial clusters for silicon energy, new-energy batteries, next-generation "
        "information technology, intelligent equipment and food, and welcomes investors."
    ),
    "office": "江门市投资促进中心（示例）",
    "office_en": "Jiangmen Investment Promotion Centre (demo)",
    "phone": "0750-0000000",
    "email": "invest@example.cn",
    "address": "江门市蓬江区（示例地址）",
    "address_en": "Pengjiang District, Jiangmen (demo address)",
}


def load_city_profile():
    """The city's page: introduction, slogan and contacts (demo contacts: example numbers and addresses)."""
    CityProfile.objects.create(**CITY_PROFILE)


# --- Parks ----------------------------------------------------------------------------------------------------------


def place_park(rng, district_geom, interior, taken, area: float, anchor):
    """A polygon of ``area`` m² inside ``interior``, not touching the ``taken`` area (other parks and gaps)."""
    prepared_taken = prep(taken) if taken is not None else None
    free = interior if taken is None else interior.difference(taken)
    prepared_free = prep(free)
    for attempt in range(300):
        if attempt == 0 and anchor and prepared_free.contains(Point(anchor)):
            lon, lat = anchor
        else:
            point = random_point(rng, free, prepared_free)
            lon, lat = point.x, point.y
        make = blob_maker(rng, lon, lat, area)
        polygon = fit_area(make, interior, area)
        if polygon is None:
            continue
        if prepared_taken is not None and prepared_taken.intersects(polygon):
            continue
        polygon = rounded(polygon)
        if polygon.is_valid and district_geom.contains(polygon):
            return polygon
    # last resort: clip to what is free (keeps the rules, loses a little of the shape)
    make = blob_maker(rng, *random_point(rng, free, prepared_free).coords[0], area)
    polygon = fit_area(make, free, area, tolerance=0.1)
    if polygon is None:
        raise RuntimeError("no room for a park of this size in the district")
    return rounded(polygon)


def load_parks(ctx, districts, today):
    rng = ctx.rng
    teams = ctx.data["teams"]
    chains = ctx.data.get("chains", {})
    shapes = {code: shape(r.boundary) for code, r in districts.items()}
    interiors = {code: geom.buffer(-DISTRICT_MARGIN_DEG) for code, geom in shapes.items()}
    taken: dict[str, object] = {}
    parks = []
    for spec in PLATFORMS:
        adcode = spec.adcode
        area = spec.area_mu * SQM_PER_MU_F
        polygon = place_park(rng, shapes[adcode], interiors[adcode], taken.get(adcode), area, spec.anchor)
        gap = polygon.buffer(PARK_GAP_DEG)
        taken[adcode] = gap if adcode not in taken else taken[adcode].union(gap)
        contact_name, contact_name_en, contact_phone = contact(rng)
        park = Park(
            name=spec.name,
            name_en=spec.name_en,
            region=districts[adcode],
            level=spec.level,
            area_mu=Decimal(spec.area_mu),
            team=teams["centre"] if spec.centre else teams[f"district:{adcode}"],
            description=spec.description,
            description_en=spec.description_en,
            address=street_address(spec.name)[0],
            address_en=street_address(spec.name)[1],
            contact_name=contact_name,
            contact_name_en=contact_name_en,
            contact_phone=contact_phone,
            contact_email=f"park{len(parks) + 1:02d}@example.cn",
            published=True,
            last_verified=today - timedelta(days=rng.randrange(0, 90)),
        )
        park.set_boundary(mapping(polygon))
        park.save()
        ParkIndustry.objects.bulk_create([ParkIndustry(park=park, code=code) for code in spec.codes])
        for chain_name in spec.chains:
            if chain_name in chains:
                chains[chain_name].parks.add(park)
        parks.append((park, spec))
    return parks


# --- Sites ----------------------------------------------------------------------------------------------------------


def allocate(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of ``total`` in proportion to ``weights``."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class SiteBuilder:
    """Makes the unsaved Carrier objects and their industry codes, numbered per district."""

    def __init__(self, ctx, today):
        self.rng = ctx.rng
        self.today = today
        self.stale_before = today - timedelta(days=settings.ZHAOSHANG_LISTING_STALE_DAYS)
        self.sequence: dict[str, int] = {}
        self.names: dict[tuple[str, str], int] = {}
        self.carriers: list[Carrier] = []
        self.on_road: dict[str, int] = {}  # sites given an address on each park's road
        self.codes: list[list[str]] = []

    def reference(self, region: Region) -> str:
        number = self.sequence.get(region.adcode, 0) + 1
        self.sequence[region.adcode] = number
        return f"JM-{district_abbreviation(region.name)}-{self.today.year}-{number:04d}"

    def pick_kind(self, weights) -> str:
        r = self.rng.random()
        if r < weights[0]:
            return CarrierKind.PARCEL
        if r < weights[0] + weights[1]:
            return CarrierKind.FACTORY
        return CarrierKind.OFFICE

    def pick_codes(self, codes: list[str], kind: str) -> list[str]:
        rng = self.rng
        if kind == CarrierKind.OFFICE:
            services = [c for c in codes if c in {"64", "65", "72", "73"}]
            pool = sorted(set(services + OFFICE_CODES))
            return sorted(rng.sample(pool, rng.randint(1, 3)))
        manufacturing = [c for c in codes if c not in LOGISTICS and c not in {"44", "64", "65", "72", "73"}] or codes
        return sorted(rng.sample(manufacturing, rng.randint(1, min(3, len(manufacturing)))))

    def status(self, carrier: Carrier) -> None:
        rng, today = self.rng, self.today
        r = rng.random()
        if r < 0.75:
            carrier.availability = Availability.AVAILABLE
            if rng.random() < 0.7:
                carrier.available_from = today - timedelta(days=rng.randrange(0, 120))
            else:
                carrier.available_from = today + timedelta(days=rng.randrange(14, 270))
        elif r < 0.88:
            carrier.availability = Availability.RESERVED
            carrier.available_from = today + timedelta(days=rng.randrange(30, 180))
        else:
            carrier.availability = Availability.TAKEN
            carrier.available_from = None
        if rng.random() < 0.05:
            carrier.last_verified = self.stale_before - timedelta(days=rng.randrange(5, 200))
        else:
            carrier.last_verified = today - timedelta(days=min(rng.randrange(0, 60), rng.randrange(0, 150)))
        carrier.published = rng.random() >= 0.03

    def infrastructure(self, carrier: Carrier, scale: float, gas_chance: float) -> None:
        """Power, water, gas and wastewater scaled by ``scale`` (1 ≈ a 100-mu plant)."""
        rng = self.rng
        wanted = 630 + scale * rng.uniform(2000, 7000)
        carrier.power_kva = next((t for t in TRANSFORMERS if t >= wanted), TRANSFORMERS[-1])
        water = max(20.0, scale * rng.uniform(300, 1500))
        carrier.water_t_day = Decimal(str(round(water / 10) * 10))
        carrier.wastewater_t_day = Decimal(str(round(water * rng.uniform(0.6, 0.85) / 10) * 10))
        carrier.gas = rng.random() < gas_chance

    def distances(self, carrier: Carrier) -> None:
        lon, lat = carrier.lon, carrier.lat
        carrier.port_km = road_km(lon, lat, PORTS)
        carrier.rail_km = road_km(lon, lat, RAIL)
        carrier.highway_km = Decimal(str(round(self.rng.uniform(0.8, 9.0), 1)))
        carrier.airport_km = road_km(lon, lat, AIRPORTS)

    def parcel(self, carrier, region, codes, area_mu: float, polygon, label, label_en):
        rng = self.rng
        logistics = bool(LOGISTICS & set(codes))
        if logistics and rng.random() < 0.4:
            carrier.land_use = LandUse.W
            codes = sorted(LOGISTICS & set(codes))
            ratio_min = WAREHOUSE_PLOT_RATIO_MIN
        else:
            codes = self.pick_codes(codes, CarrierKind.PARCEL)
            carrier.land_use = LandUse.M2 if HEAVY & set(codes) else LandUse.M1
            ratio_min = max(Decimal(PLOT_RATIO_MIN.get(c, "1.0")) for c in codes)
        carrier.area_mu = Decimal(str(round(area_mu, 2)))
        carrier.plot_ratio_min = ratio_min
        carrier.plot_ratio_max = ratio_min + rng.choice([Decimal("0.8"), Decimal("1.0"), Decimal("1.5"), Decimal(2)])
        low, high = LAND_PRICE.get(region.adcode, (20, 120))
        carrier.land_price = Decimal(str(round(rng.uniform(low, high) * 2) / 2)).quantize(Decimal("0.01"))
        carrier.set_boundary(mapping(polygon))
        carrier.lon, carrier.lat = carrier.centre_lon, carrier.centre_lat
        self.infrastructure(carrier, area_mu / 100, 0.7)
        carrier.description = (
            f"示例数据：{label}内{'仓储' if carrier.land_use == LandUse.W else '工业'}用地，"
            f"约{number(carrier.area_mu)}亩，"
            f"容积率{carrier.plot_ratio_min}–{carrier.plot_ratio_max}，已完成“三通一平”。"
        )
        carrier.description_en = (
            f"Demo data: {'warehouse' if carrier.land_use == LandUse.W else 'industrial'} land in {label_en}, "
            f"about {number(carrier.area_mu)} mu, plot ratio "
            f"{carrier.plot_ratio_min}–{carrier.plot_ratio_max}, serviced and levelled."
        )
        return codes

    def factory(self, carrier, codes, label, label_en):
        rng = self.rng
        codes = self.pick_codes(codes, CarrierKind.FACTORY)
        floors = rng.choice([1, 1, 1, 2, 3, 4, 4, 5, 6])
        area = rng.uniform(2000, 30000) if floors > 1 else rng.uniform(2000, 15000)
        carrier.floor_area_m2 = Decimal(str(round(area / 10) * 10))
        carrier.floors = floors
        # One figure per building: single-storey sheds carry heavy ground loads, upper floors less.
        carrier.floor_load_kn = Decimal(
            rng.choice(["15", "18", "20"]) if floors == 1 else rng.choice(["5", "6.5", "8", "10", "12"])
        )
        carrier.clear_height_m = Decimal(str(rng.choice([8, 9, 10, 12]) if floors == 1 else rng.choice([6, 6.5, 7, 8])))
        carrier.rent = Decimal(str(round(rng.uniform(12, 28), 1)))
        if rng.random() < 0.25:
            carrier.sale_price = Decimal(rng.randrange(2600, 5200, 100))
        self.infrastructure(carrier, area / 20000, 0.5)
        carrier.description = (
            f"示例数据：{label}{floors}层标准厂房，建筑面积约{number(carrier.floor_area_m2)}平方米，"
            f"楼面荷载{carrier.floor_load_kn}kN/m²，净高{carrier.clear_height_m}米。"
        )
        carrier.description_en = (
            f"Demo data: {floors}-storey standard factory in {label_en}, "
            f"about {number(carrier.floor_area_m2)} m², floor load {carrier.floor_load_kn} kN/m², "
            f"clear height {carrier.clear_height_m} m."
        )
        return codes

    def office(self, carrier, codes, label, label_en):
        rng = self.rng
        codes = self.pick_codes(codes, CarrierKind.OFFICE)
        carrier.floor_area_m2 = Decimal(str(round(rng.uniform(300, 6000) / 10) * 10))
        carrier.floors = rng.randrange(8, 31)
        carrier.floor_load_kn = Decimal(rng.choice(["2.0", "2.5", "3.0"]))
        carrier.clear_height_m = Decimal(rng.choice(["2.8", "3.0", "3.2"]))
        carrier.rent = Decimal(str(round(rng.uniform(30, 80), 1)))
        self.infrastructure(carrier, 0.1, 0.3)
        carrier.power_kva = min(carrier.power_kva, 2000)
        carrier.description = (
            f"示例数据：{label}商务楼宇，可分层或整层租用，面积约{number(carrier.floor_area_m2)}平方米。"
        )
        carrier.description_en = (
            f"Demo data: office building in {label_en}; whole or part floors, about {number(carrier.floor_area_m2)} m²."
        )
        return codes

    def add(self, *, region, team, park, kind, codes, point=None, parcel=None, parcel_mu=None, label, label_en):
        number = self.names.get((label, kind), 0) + 1
        self.names[(label, kind)] = number
        carrier = Carrier(
            kind=kind,
            reference=self.reference(region),
            region=region,
            team=team,
            park=park,
        )
        if kind == CarrierKind.PARCEL:
            carrier.name = f"{label}{number}号地块"
            carrier.name_en = f"{label_en} parcel {number}"
            codes = self.parcel(carrier, region, codes, parcel_mu, parcel, label, label_en)
        else:
            carrier.lon, carrier.lat = point.x, point.y
            if kind == CarrierKind.FACTORY:
                carrier.name = f"{label}标准厂房{number}号"
                carrier.name_en = f"{label_en} standard factory {number}"
                codes = self.factory(carrier, codes, label, label_en)
            else:
                carrier.name = f"{label}商务楼宇{number}号"
                carrier.name_en = f"{label_en} office space {number}"
                codes = self.office(carrier, codes, label, label_en)
        carrier.contact_name, carrier.contact_name_en, carrier.contact_phone = contact(self.rng)
        if park is not None:
            # sites of a park: a number on the park's road (sites outside parks are known by their position)
            self.on_road[park.name] = self.on_road.get(park.name, 0) + 1
            carrier.address, carrier.address_en = street_address(park.name, 200 + 2 * self.on_road[park.name])
        self.status(carrier)
        self.distances(carrier)
        carrier.search_text = search_text(*carrier.search_values())
        carrier.created_by = None
        self.carriers.append(carrier)
        self.codes.append(codes)
        return carrier


def place_parcel(rng, area: float, inside, prepared_inside, occupied: list) -> Polygon | None:
    """A quadrilateral of ``area`` m² inside ``inside`` that overlaps none of ``occupied``."""
    for _ in range(80):
        centre = random_point(rng, inside, prepared_inside)
        polygon = transform_round(quad(rng, centre.x, centre.y, area))
        if prepared_inside.contains(polygon) and not any(polygon.intersects(o) for o in occupied):
            return polygon
    return None


def build_area_sites(builder, rng, *, region, team, park, count, codes, kinds, inside, label, label_en, area_cap):
    """``count`` sites inside the polygon ``inside`` (a park, or a district without its parks)."""
    prepared_inside = prep(inside)
    occupied: list[Polygon] = []
    for _ in range(count):
        kind = builder.pick_kind(kinds)
        if kind == CarrierKind.PARCEL:
            high = max(12.0, min(300.0, area_cap))
            area_mu = math.exp(rng.uniform(math.log(10), math.log(high)))
            polygon = place_parcel(rng, area_mu * SQM_PER_MU_F, inside, prepared_inside, occupied)
            while polygon is None and area_mu > 10:
                area_mu = max(10.0, area_mu * 0.7)  # crowded: try a smaller parcel
                polygon = place_parcel(rng, area_mu * SQM_PER_MU_F, inside, prepared_inside, occupied)
            if polygon is not None:
                occupied.append(polygon)
                builder.add(
                    region=region, team=team, park=park, kind=kind, codes=codes, parcel=polygon, parcel_mu=area_mu,
                    label=label, label_en=label_en,
                )  # fmt: skip
                continue
            kind = CarrierKind.FACTORY  # no room for a parcel: offer a factory instead
        point = None
        for _attempt in range(200):
            point = random_point(rng, inside, prepared_inside)
            if not any(o.contains(point) for o in occupied):
                break
        builder.add(
            region=region, team=team, park=park, kind=kind, codes=codes, point=point, label=label, label_en=label_en
        )


def load_sites(ctx, districts, parks, today):
    rng = ctx.rng
    teams = ctx.data["teams"]
    builder = SiteBuilder(ctx, today)
    counts = allocate(SITES_IN_PARKS, [math.sqrt(spec.area_mu) for _park, spec in parks])
    district_codes: dict[str, set[str]] = {}
    park_geoms: dict[str, list] = {}
    for (park, spec), count in zip(parks, counts, strict=True):
        district_codes.setdefault(spec.adcode, set()).update(spec.codes)
        geom = shape(park.boundary)
        park_geoms.setdefault(spec.adcode, []).append(geom)
        build_area_sites(
            builder, rng, region=park.region, team=park.team, park=park, count=count, codes=spec.codes,
            kinds=spec.kinds, inside=geom.buffer(-PARK_MARGIN_DEG), label=spec.short, label_en=spec.short_en,
            area_cap=spec.area_mu / 12,
        )  # fmt: skip
    # Sites outside the parks: evenly spread over the districts, for the district's own industries.
    ordered = sorted(districts)
    per_district = allocate(SITES_OUTSIDE_PARKS, [1.0] * len(ordered))
    for adcode, count in zip(ordered, per_district, strict=True):
        region = districts[adcode]
        outside = shape(region.boundary).buffer(-DISTRICT_MARGIN_DEG)
        for geom in park_geoms.get(adcode, []):
            outside = outside.difference(geom.buffer(PARK_GAP_DEG))
        short = region.name
        short_en = region.name_en or region.name
        build_area_sites(
            builder, rng, region=region, team=teams[f"district:{adcode}"], park=None, count=count,
            codes=sorted(district_codes.get(adcode, {"34", "38"})), kinds=(0.5, 0.4, 0.1), inside=outside,
            label=f"{short}园外", label_en=f"{short_en} (outside parks)", area_cap=120,
        )  # fmt: skip
    created = Carrier.objects.bulk_create(builder.carriers, batch_size=200)
    CarrierIndustry.objects.bulk_create(
        [
            CarrierIndustry(carrier=c, code=code)
            for c, codes in zip(created, builder.codes, strict=True)
            for code in codes
        ],
        batch_size=500,
    )
    return created


# --- Landing guides (如何落) ------------------------------------------------------------------------------------------

FREE = ("免费", "Free")
REGISTRATION_FEE = (
    "登记费550元/件（非住宅，含第一本证书）",
    "550 yuan per registration (non-residential, first certificate included)",
)

# key: (title, English, department, English, documents, English documents, working days, cost, legal basis, English)
STEPS = {
    "admission": (
        "项目准入评审",
        "Admission review of the project",
        "市投资促进中心、产业园区管理机构",
        "Investment Promotion Centre and the park administration",
        ["项目准入申请表", "项目可行性研究报告", "投资强度、亩均税收承诺书", "投资方营业执照及近三年财务报表"],
        [
            "Admission application form",
            "Feasibility study",
            "Commitment on investment intensity and tax per mu",
            "Investor's business licence and last three years' financial statements",
        ],
        10,
        FREE,
        ("江门市工业用地供应准入标准（示例）", "Jiangmen industrial land admission standards (demo)"),
    ),
    "filing": (
        "企业投资项目备案",
        "Filing of the enterprise investment project",
        "发展改革局（广东省投资项目在线审批监管平台）",
        "Development and Reform Bureau (Guangdong online investment project platform)",
        ["项目备案信息表（项目名称、建设地点、建设规模和内容、总投资）", "营业执照", "法定代表人身份证明"],
        [
            "Project filing form (name, location, scale and content, total investment)",
            "Business licence",
            "Identity document of the legal representative",
        ],
        2,
        FREE,
        (
            "《企业投资项目核准和备案管理条例》；《广东省企业投资项目核准和备案管理办法》",
            "Regulation on the Approval and Filing of Enterprise Investment Projects; Guangdong Measures on the "
            "Approval and Filing of Enterprise Investment Projects",
        ),
    ),
    "site": (
        "建设项目用地预审与选址意见书",
        "Land pre-examination and site selection opinion",
        "自然资源局",
        "Natural Resources Bureau",
        ["用地预审与选址申请表", "项目备案证明", "拟选址位置图及勘测定界图", "节约集约用地论证材料（如需）"],
        [
            "Application form for land pre-examination and site selection",
            "Project filing certificate",
            "Site location map and cadastral survey map",
            "Land-saving assessment (where required)",
        ],
        10,
        FREE,
        (
            "《中华人民共和国土地管理法》；《建设项目用地预审管理办法》",
            "Land Administration Law; Measures on the Pre-examination of Land for Construction Projects",
        ),
    ),
    "land": (
        "土地招拍挂出让，签订国有建设用地使用权出让合同",
        "Land tender, auction or listing; sign the land-use rights grant contract",
        "自然资源局、公共资源交易中心",
        "Natural Resources Bureau and the Public Resources Trading Centre",
        ["竞买申请书", "营业执照及法定代表人身份证明", "竞买保证金缴纳凭证", "产业发展监管协议（示例）"],
        [
            "Bid application",
            "Business licence and identity of the legal representative",
            "Proof of the bid deposit",
            "Industrial development supervision agreement (demo)",
        ],
        20,
        ("土地出让价款（按成交价）；契税3%", "Land price as awarded; deed tax 3%"),
        (
            "《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）",
            "Provisions on Granting State-owned Construction Land Use Rights by Tender, Auction and Listing "
            "(MLR Order No. 39)",
        ),
    ),
    "land_registration": (
        "国有建设用地使用权首次登记",
        "First registration of the land-use right",
        "不动产登记中心",
        "Real Estate Registration Centre",
        ["不动产登记申请书", "出让合同及土地价款缴清凭证", "契税完税凭证", "宗地图及界址点坐标"],
        [
            "Registration application",
            "Grant contract and proof of full payment",
            "Deed tax receipt",
            "Parcel map with boundary coordinates",
        ],
        5,
        REGISTRATION_FEE,
        ("《不动产登记暂行条例》", "Interim Regulation on Real Estate Registration"),
    ),
    "land_permit": (
        "建设用地规划许可证",
        "Planning permit for construction land",
        "自然资源局",
        "Natural Resources Bureau",
        ["建设用地规划许可申请表", "国有建设用地使用权出让合同", "项目备案证明"],
        ["Application form", "Land-use rights grant contract", "Project filing certificate"],
        5,
        FREE,
        ("《中华人民共和国城乡规划法》第三十八条", "Urban and Rural Planning Law, art. 38"),
    ),
    "environment": (
        "建设项目环境影响评价审批",
        "Environmental impact assessment approval",
        "生态环境局",
        "Ecology and Environment Bureau",
        ["环境影响报告表（或报告书）", "审批申请函", "环评信息公开情况说明"],
        ["Environmental impact report form (or full report)", "Application letter", "Statement on public disclosure"],
        15,
        (
            "审批免费（报告由企业委托技术单位编制）",
            "Approval free (the report is prepared by a consultant the investor hires)",
        ),
        (
            "《中华人民共和国环境影响评价法》；《建设项目环境保护管理条例》",
            "Environmental Impact Assessment Law; Regulation on the Environmental Protection of Construction Projects",
        ),
    ),
    "environment_registration": (
        "建设项目环境影响登记表备案",
        "Online filing of the environmental impact registration form",
        "生态环境局（网上备案）",
        "Ecology and Environment Bureau (online)",
        ["环境影响登记表"],
        ["Environmental impact registration form"],
        1,
        FREE,
        (
            "《中华人民共和国环境影响评价法》；《建设项目环境影响评价分类管理名录》",
            "Environmental Impact Assessment Law; Catalogue of EIA Classification of Construction Projects",
        ),
    ),
    "energy": (
        "固定资产投资项目节能审查",
        "Energy-saving review of the investment project",
        "发展改革局",
        "Development and Reform Bureau",
        ["节能审查申请函", "节能报告（年综合能耗1000吨标准煤以上的项目）"],
        ["Application letter", "Energy-saving report (projects using 1,000 t of standard coal or more a year)"],
        10,
        FREE,
        (
            "《固定资产投资项目节能审查办法》（国家发展改革委令2023年第2号）",
            "Measures for the Energy-saving Review of Fixed-asset Investment Projects (NDRC Order No. 2 of 2023)",
        ),
    ),
    "works_permit": (
        "建设工程规划许可证",
        "Planning permit for construction works",
        "自然资源局",
        "Natural Resources Bureau",
        ["建设工程规划许可申请表", "建设工程设计方案（总平面图、建筑单体图）", "不动产权证书或土地出让合同"],
        [
            "Application form",
            "Design scheme (site plan, building drawings)",
            "Real estate title certificate or land grant contract",
        ],
        10,
        FREE,
        ("《中华人民共和国城乡规划法》第四十条", "Urban and Rural Planning Law, art. 40"),
    ),
    "drawings": (
        "施工图设计文件审查",
        "Review of construction drawings",
        "住房城乡建设局（联合图审）",
        "Housing and Urban-Rural Development Bureau (joint drawing review)",
        ["施工图设计文件", "岩土工程勘察报告", "设计合同"],
        ["Construction drawings", "Geotechnical investigation report", "Design contract"],
        10,
        ("政府购买服务，企业免费（示例）", "Paid by the government, free to the investor (demo)"),
        (
            "《房屋建筑和市政基础设施工程施工图设计文件审查管理办法》",
            "Measures on the Review of Construction Drawings of Buildings and Municipal Infrastructure",
        ),
    ),
    "fire": (
        "建设工程消防设计审查",
        "Fire protection design review",
        "住房城乡建设局",
        "Housing and Urban-Rural Development Bureau",
        ["消防设计审查申请表", "消防设计文件", "依法需要办理的行政许可文件"],
        ["Application form", "Fire protection design documents", "Other permits required by law"],
        15,
        FREE,
        (
            "《中华人民共和国消防法》第十一条；《建设工程消防设计审查验收管理暂行规定》（住房和城乡建设部令第51号）",
            "Fire Protection Law, art. 11; Interim Provisions on Fire Design Review and Acceptance of Construction "
            "Projects (MOHURD Order No. 51)",
        ),
    ),
    "fire_warehouse": (
        "仓储建筑消防设计审查",
        "Fire protection design review of the warehouses",
        "住房城乡建设局",
        "Housing and Urban-Rural Development Bureau",
        [
            "消防设计审查申请表",
            "消防设计文件（按储存物品火灾危险性分类，执行GB 50016《建筑设计防火规范》）",
            "自动喷水灭火及火灾自动报警系统设计（丙类仓库）",
            "危险化学品仓储的安全条件审查意见（如涉及）",
        ],
        [
            "Application form",
            "Fire design documents (fire hazard class of the stored goods, GB 50016 Code for Fire Protection Design "
            "of Buildings)",
            "Sprinkler and fire alarm design (class C warehouses)",
            "Safety review of hazardous chemicals storage (where applicable)",
        ],
        15,
        FREE,
        (
            "《中华人民共和国消防法》第十一条；GB 50016《建筑设计防火规范》",
            "Fire Protection Law, art. 11; GB 50016 Code for Fire Protection Design of Buildings",
        ),
    ),
    "construction_permit": (
        "建筑工程施工许可证",
        "Construction permit",
        "住房城乡建设局",
        "Housing and Urban-Rural Development Bureau",
        [
            "施工许可申请表",
            "建设工程规划许可证",
            "施工合同（中标通知书）",
            "监理合同",
            "施工图审查合格书",
            "建设资金已落实承诺书",
        ],
        [
            "Application form",
            "Planning permit for construction works",
            "Construction contract (notice of award)",
            "Supervision contract",
            "Drawing review certificate",
            "Commitment that construction funds are in place",
        ],
        3,
        FREE,
        (
            "《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》",
            "Construction Law, arts. 7–8; Measures on Construction Permits",
        ),
    ),
    "acceptance": (
        "竣工联合验收（规划核实、消防验收、人防、档案）",
        "Joint completion acceptance (planning, fire, civil air defence, archives)",
        "住房城乡建设局（牵头）",
        "Housing and Urban-Rural Development Bureau (lead)",
        ["竣工验收报告", "规划条件核实申请及竣工测绘成果", "消防验收申请", "工程档案资料"],
        [
            "Completion report",
            "Planning verification request and as-built survey",
            "Fire acceptance request",
            "Project archives",
        ],
        10,
        FREE,
        (
            "《国务院办公厅关于全面开展工程建设项目审批制度改革的实施意见》（国办发〔2019〕11号）",
            "General Office of the State Council: Opinions on Reforming the Approval of Construction Projects "
            "(2019 No. 11)",
        ),
    ),
    "property": (
        "不动产登记（房屋所有权首次登记）",
        "Real estate registration of the buildings",
        "不动产登记中心",
        "Real Estate Registration Centre",
        ["不动产登记申请书", "身份证明", "土地权属证明", "竣工验收材料", "房屋测绘报告"],
        ["Registration application", "Identity documents", "Land title", "Completion acceptance", "Building survey"],
        5,
        REGISTRATION_FEE,
        (
            "《不动产登记暂行条例》；《关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
            "Interim Regulation on Real Estate Registration; NDRC notice on registration fees (2016 No. 2559)",
        ),
    ),
    "division": (
        "工业物业分割转让审核",
        "Approval of the division and sale of industrial property",
        "工业和信息化局、自然资源局",
        "Industry and Information Technology Bureau; Natural Resources Bureau",
        ["分割转让申请书", "受让企业产业准入审查意见", "分割方案及房屋测绘报告", "出让合同约定的分割比例证明"],
        [
            "Application",
            "Admission opinion on each buyer",
            "Division plan and building survey",
            "Proof of the division share allowed by the grant contract",
        ],
        15,
        FREE,
        ("地方工业物业产权分割管理办法（示例）", "Local rules on dividing industrial property (demo)"),
    ),
    "transport": (
        "道路货物运输经营许可",
        "Road freight transport licence",
        "交通运输局",
        "Transport Bureau",
        ["道路运输经营申请表", "车辆行驶证及技术等级证明", "驾驶员从业资格证", "安全生产管理制度"],
        [
            "Application form",
            "Vehicle registration and technical grade",
            "Drivers' qualification certificates",
            "Safety management rules",
        ],
        10,
        FREE,
        ("《中华人民共和国道路运输条例》", "Regulation on Road Transport"),
    ),
    "company": (
        "商事登记（设立登记，领取营业执照）",
        "Company registration (business licence)",
        "市场监督管理局（广东省企业开办一网通办平台）",
        "Administration for Market Regulation (Guangdong one-stop business start-up platform)",
        ["设立登记申请书", "公司章程", "股东主体资格证明", "法定代表人及董事、监事、经理的任职文件", "住所使用证明"],
        [
            "Registration application",
            "Articles of association",
            "Shareholders' identity documents",
            "Appointment of legal representative, directors, supervisors and manager",
            "Proof of the registered address",
        ],
        1,
        FREE,
        (
            "《中华人民共和国市场主体登记管理条例》",
            "Regulation on the Registration and Administration of Market Entities",
        ),
    ),
    "foreign_report": (
        "外商投资信息报告（外资企业）",
        "Foreign investment information report (foreign-invested companies)",
        "商务局（随商事登记一并报送）",
        "Commerce Bureau (filed with the company registration)",
        ["外商投资初始报告"],
        ["Initial foreign investment report"],
        1,
        FREE,
        ("《外商投资信息报告办法》", "Measures on Reporting Foreign Investment Information"),
    ),
    "seal": (
        "公章刻制备案",
        "Company seals",
        "公安局（企业开办一网通办）",
        "Public Security Bureau (one-stop business start-up)",
        ["营业执照", "法定代表人身份证明"],
        ["Business licence", "Identity of the legal representative"],
        1,
        ("新办企业首套印章免费（示例）", "First set of seals free for new companies (demo)"),
        ("《印铸刻字业暨公章刻制治安管理办法》（示例）", "Rules on seal engraving (demo)"),
    ),
    "tax": (
        "涉税事项办理与发票申领",
        "Tax registration and invoices",
        "税务局",
        "Tax Bureau",
        ["营业执照", "办税人员身份证明", "财务会计制度备案"],
        ["Business licence", "Identity of the tax officer", "Accounting system filing"],
        1,
        FREE,
        ("《中华人民共和国税收征收管理法》", "Law on the Administration of Tax Collection"),
    ),
    "bank_social": (
        "银行开户、社会保险和住房公积金登记",
        "Bank account, social insurance and housing fund registration",
        "商业银行、人力资源和社会保障局、住房公积金管理中心",
        "Commercial bank; Human Resources and Social Security Bureau; Housing Provident Fund Centre",
        ["营业执照", "法定代表人身份证明", "员工名单"],
        ["Business licence", "Identity of the legal representative", "List of employees"],
        2,
        FREE,
        (
            "《中华人民共和国社会保险法》；《住房公积金管理条例》",
            "Social Insurance Law; Regulation on the Administration of Housing Provident Funds",
        ),
    ),
    "fit_out": (
        "装修工程消防设计审查或备案",
        "Fire review or filing of the fit-out works",
        "住房城乡建设局",
        "Housing and Urban-Rural Development Bureau",
        ["装修工程消防设计文件", "租赁合同", "原建筑消防验收或备案证明"],
        ["Fit-out fire design documents", "Lease", "Fire acceptance or filing of the building"],
        5,
        FREE,
        (
            "《建设工程消防设计审查验收管理暂行规定》（住房和城乡建设部令第51号）",
            "Interim Provisions on Fire Design Review and Acceptance of Construction Projects (MOHURD Order No. 51)",
        ),
    ),
    "fire_check": (
        "公众聚集场所投入使用、营业前消防安全检查",
        "Fire safety inspection before opening (places of public assembly)",
        "消防救援大队",
        "Fire and Rescue Brigade",
        ["消防安全检查申请表", "营业执照", "场所平面布置图", "消防安全制度及应急预案"],
        ["Application form", "Business licence", "Floor plan", "Fire safety rules and emergency plan"],
        10,
        FREE,
        ("《中华人民共和国消防法》第十五条", "Fire Protection Law, art. 15"),
    ),
    "sector_licence": (
        "行业经营许可（如需，例如增值电信业务许可）",
        "Sector licence where required (e.g. value-added telecom services)",
        "行业主管部门",
        "The competent authority of the sector",
        ["许可申请表", "营业执照", "行业规定的其他材料"],
        ["Application form", "Business licence", "Other documents the sector rules require"],
        None,
        ("视行业而定", "Depends on the sector"),
        ("相关行业法规", "The sector's regulations"),
    ),
}

BUILD = [
    "land_permit",
    "environment",
    "energy",
    "works_permit",
    "drawings",
    "fire",
    "construction_permit",
    "acceptance",
    "property",
]
GUIDES = [
    (
        ProjectType.INDUSTRIAL,
        "工业项目落地指引",
        "Landing guide: industrial projects",
        ["admission", "filing", "site", "land", "land_registration", *BUILD],
    ),
    (
        ProjectType.INDUSTRIAL_REAL_ESTATE,
        "产业载体（标准厂房）开发项目落地指引",
        "Landing guide: industrial real estate (standard factories)",
        ["admission", "filing", "land", "land_registration", *BUILD, "division"],
    ),
    (
        ProjectType.LOGISTICS,
        "物流仓储项目落地指引",
        "Landing guide: logistics and warehousing",
        [
            "filing",
            "admission",
            "site",
            "land",
            "land_registration",
            "land_permit",
            "environment_registration",
            "works_permit",
            "drawings",
            "fire_warehouse",
            "construction_permit",
            "acceptance",
            "property",
            "transport",
        ],
    ),
    (
        ProjectType.SERVICES,
        "现代服务业项目落地指引",
        "Landing guide: modern services",
        ["company", "foreign_report", "seal", "tax", "bank_social", "fit_out", "fire_check", "sector_licence"],
    ),
]
GUIDE_INTRO = (
    "按顺序列出在江门落地此类项目的一般步骤；工程建设项目实行并联审批，部分步骤可同时办理。"
    "部门、时限（工作日）和费用为一般情形，以各部门最新规定为准；标注“示例”的内容为演示数据。"
)
GUIDE_INTRO_EN = (
    "The usual steps, in order, to land a project of this type in Jiangmen; construction approvals run in "
    "parallel, so several steps can proceed at the same time. Departments, durations (working days) and costs are "
    "the general case and the departments' current rules prevail; items marked demo are demonstration data."
)


def load_guides():
    for project_type, title, title_en, keys in GUIDES:
        guide = Guide.objects.create(
            project_type=project_type, title=title, title_en=title_en, intro=GUIDE_INTRO, intro_en=GUIDE_INTRO_EN
        )
        for order, key in enumerate(keys, start=1):
            (step_title, step_title_en, department, department_en, documents, documents_en, days, cost,
             legal) = STEPS[key]  # fmt: skip
            GuideStep.objects.create(
                guide=guide,
                order=order,
                title=step_title,
                title_en=step_title_en,
                department=department,
                department_en=department_en,
                documents="\n".join(documents),
                documents_en="\n".join(documents_en),
                duration_days=days,
                cost=cost[0],
                cost_en=cost[1],
                legal_basis=legal[0],
                legal_basis_en=legal[1],
            )


# --- Policies -------------------------------------------------------------------------------------------------------

# (title, English, summary, English, issuer, district, park name, codes, (from, to) in years relative to this year)
POLICIES = [
    (
        "江门市促进制造业高质量发展若干扶持措施（示例）",
        "Measures to support high-quality manufacturing in Jiangmen (demo)",
        "新落户制造业项目固定资产投资1亿元以上的，按设备投资额的一定比例给予奖励；对亿元以上项目优先保障用地指标。"
        "金额与比例为示例。",
        "New manufacturing projects with fixed-asset investment over 100 million yuan receive an award in "
        "proportion to their equipment investment; projects over 100 million yuan get land quota first. Amounts and "
        "rates are demo values.",
        "江门市人民政府",
        None,
        None,
        ["C"],
        (-1, 2),
    ),
    (
        "江门市招商引资项目全流程服务工作方案（示例）",
        "Full-lifecycle service for investment projects in Jiangmen (demo)",
        "每个亿元以上项目配备一名服务专员，从签约到达产全程跟踪，协调并联审批。示例政策。",
        "Every project over 100 million yuan gets a service officer who follows it from signing to full "
        "production and coordinates parallel approvals. Demo policy.",
        "江门市投资促进中心",
        None,
        None,
        [],
        (-2, None),
    ),
    (
        "江门市新能源电池产业链招商扶持办法（示例）",
        "Support for investment in the new-energy battery chain (demo)",
        "对动力电池、储能电池及电池材料项目，按实际到位投资给予补助，并支持配套企业就近入园。示例政策。",
        "Power battery, energy storage and battery material projects receive a subsidy on investment actually "
        "made; suppliers are helped to settle nearby. Demo policy.",
        "江门市工业和信息化局",
        None,
        None,
        ["38", "26"],
        (-1, 3),
    ),
    (
        "鹤山市硅能源产业发展扶持措施（示例）",
        "Heshan support measures for the silicon energy industry (demo)",
        "对落户鹤山的光伏电池、组件及配套材料项目给予用电、用地和人才住房支持。示例政策。",
        "Photovoltaic cell, module and material projects in Heshan receive support for power, land and staff "
        "housing. Demo policy.",
        "鹤山市人民政府",
        "440784",
        None,
        ["38", "39", "30"],
        (0, 3),
    ),
    (
        "江门国家高新区高新技术企业落户奖励办法（示例）",
        "Awards for high-tech companies settling in the Jiangmen Hi-tech Zone (demo)",
        "经认定的高新技术企业迁入或新设在高新区的，给予一次性落户奖励和三年研发费用补助。示例政策。",
        "Certified high-tech companies moving to or founded in the zone receive a one-off award and three years "
        "of R&D subsidies. Demo policy.",
        "江门国家高新区管理委员会",
        "440704",
        "江门国家高新区",
        ["39", "35", "27", "38"],
        (-1, 2),
    ),
    (
        "深江产业园企业入园厂房租金补贴（示例）",
        "Factory rent subsidy for companies entering the Shenzhen-Jiangmen Industrial Park (demo)",
        "租用园区标准厂房的制造业企业，前两年租金补贴50%，第三年补贴30%。比例为示例。",
        "Manufacturers renting standard factories in the park get 50% of the rent back in the first two years "
        "and 30% in the third. Rates are demo values.",
        "新会区人民政府",
        "440705",
        "深江产业园",
        ["39", "38", "35", "34"],
        (0, 3),
    ),
    (
        "开平市水暖卫浴产业转型升级扶持办法（示例）",
        "Kaiping support for upgrading the plumbing and sanitary ware industry (demo)",
        "支持卫浴企业智能化改造和入园集聚，按设备投入给予补助。示例政策。",
        "Sanitary ware companies that automate or move into the park receive a subsidy on equipment. Demo policy.",
        "开平市人民政府",
        "440783",
        None,
        ["33"],
        (-1, 2),
    ),
    (
        "台山市临港物流与仓储用地支持措施（示例）",
        "Taishan support for port logistics and warehouse land (demo)",
        "在广海湾片区建设物流仓储项目的，土地出让起始价按工业用地标准确定，并支持开通港口集装箱航线。示例政策。",
        "Logistics and warehouse projects in the Guanghai Bay area buy land at industrial starting prices and are "
        "helped to open container routes. Demo policy.",
        "台山市人民政府",
        "440781",
        "广海湾片区（南组团）",
        ["59", "58"],
        (0, 2),
    ),
    (
        "蓬江区健康食品产业扶持措施（示例）",
        "Pengjiang support for the health food industry (demo)",
        "对食品加工和健康食品企业的质量认证、品牌建设给予奖励。示例政策。",
        "Food processing and health food companies receive awards for quality certification and brand building. "
        "Demo policy.",
        "江门市蓬江区人民政府",
        "440703",
        None,
        ["13", "14", "15"],
        (-1, 2),
    ),
    (
        "江门市工业企业技术改造扶持办法（示例，已失效）",
        "Support for technical upgrading of industrial companies (demo, expired)",
        "对工业企业技术改造项目按设备投资额给予补助。本办法已到期失效，仅作示例展示过期政策的筛选。",
        "Technical upgrading projects of industrial companies received a subsidy on equipment. This policy has "
        "expired; it is here to show how expired policies are filtered. Demo policy.",
        "江门市人民政府",
        None,
        None,
        ["C"],
        (-5, -2),
    ),
]


ISSUERS_EN = {
    "江门市人民政府": "Jiangmen Municipal People's Government",
    "江门市工业和信息化局": "Jiangmen Bureau of Industry and Information Technology",
    "江门市投资促进中心": "Jiangmen Investment Promotion Centre",
    "江门国家高新区管理委员会": "Administrative Committee of Jiangmen National Hi-tech Zone",
    "江门市蓬江区人民政府": "People's Government of Pengjiang District, Jiangmen",
    "新会区人民政府": "People's Government of Xinhui District",
    "台山市人民政府": "Taishan Municipal People's Government",
    "开平市人民政府": "Kaiping Municipal People's Government",
    "鹤山市人民政府": "Heshan Municipal People's Government",
}


def load_policies(ctx, districts, today):
    parks = ctx.data.get("parks", {})
    for title, title_en, summary, summary_en, issuer, adcode, park_name, codes, (start, end) in POLICIES:
        policy = Policy.objects.create(
            title=title,
            title_en=title_en,
            summary=summary,
            summary_en=summary_en,
            issuer=issuer,
            issuer_en=ISSUERS_EN.get(issuer, ""),
            region=districts.get(adcode) if adcode else None,
            park=parks.get(park_name) if park_name else None,
            effective_from=date(today.year + start, 1, 1),
            effective_to=date(today.year + end, 12, 31) if end is not None else None,
        )
        PolicyIndustry.objects.bulk_create([PolicyIndustry(policy=policy, code=code) for code in codes])
