"""Demo data of the per-mu evaluation: a few thousand industrial firms of the city (made here in bulk, with English
names), three years of their figures and a graded run per year with the county's methods.

``load(ctx)`` is called from the review app's demo; ``make_firms`` and ``make_years`` also feed the benchmark
(bench/review_permu.py). Everything is drawn from one seeded generator and written with bulk inserts.
"""

from __future__ import annotations

import random
from decimal import Decimal

from .choices import NotGradedReason, SizeClass

FIRMS = 3000
YEARS = 3
PLACES = [("江门", "Jiangmen"), ("五邑", "Wuyi"), ("侨乡", "Qiaoxiang"), ("粤西", "Yuexi"), ("银湖", "Yinhu")]
WORDS = [
    ("恒达", "Hengda"), ("华信", "Huaxin"), ("金海", "Jinhai"), ("宏利", "Hongli"), ("天成", "Tiancheng"),
    ("瑞丰", "Ruifeng"), ("新源", "Xinyuan"), ("德盛", "Desheng"), ("永兴", "Yongxing"), ("嘉美", "Jiamei"),
    ("鸿运", "Hongyun"), ("明达", "Mingda"), ("富华", "Fuhua"), ("联创", "Lianchuang"), ("中科", "Zhongke"),
    ("佳宝", "Jiabao"), ("长青", "Changqing"), ("汇通", "Huitong"), ("立新", "Lixin"), ("广源", "Guangyuan"),
]  # fmt: skip
TRADES = [
    ("电池科技", "Battery Technology", "38"), ("五金制品", "Hardware", "33"), ("卫浴洁具", "Sanitary Ware", "33"),
    ("智能装备", "Intelligent Equipment", "34"), ("食品", "Foods", "14"), ("硅材料", "Silicon Materials", "30"),
    ("电子科技", "Electronics", "39"), ("汽车零部件", "Auto Parts", "36"), ("纺织服装", "Textiles", "17"),
    ("塑料制品", "Plastics", "29"), ("家电", "Home Appliances", "38"), ("机床", "Machine Tools", "34"),
    ("新材料", "New Materials", "26"), ("包装印刷", "Packaging and Printing", "23"), ("照明电器", "Lighting", "38"),
]  # fmt: skip


def make_firms(count: int, rng: random.Random, *, search_text: bool = True, prefix: str = "") -> list:
    """``count`` new industrial enterprises in the shared register, spread over the city's districts, saved in bulk
    (their credit codes valid, their names unique)."""
    from zhaoshang.core import search
    from zhaoshang.geo.choices import RegionLevel
    from zhaoshang.geo.models import Region
    from zhaoshang.industry.models import Enterprise, IndustryCode
    from zhaoshang.industry.validators import make_uscc

    districts = list(Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary"))
    codes = {c.code: c for c in IndustryCode.objects.filter(code__in={t[2] for t in TRADES})}
    taken = set(Enterprise.objects.filter(name__startswith=prefix).values_list("name", flat=True)) if prefix else set()
    taken |= set(Enterprise.objects.values_list("uscc", flat=True).exclude(uscc=None)) if count < 20000 else set()
    firms, names = [], set(taken)
    serial = 0
    while len(firms) < count:
        place, word, trade = rng.choice(PLACES), rng.choice(WORDS), rng.choice(TRADES)
        name = f"{prefix}{place[0]}{word[0]}{trade[0]}有限公司"
        name_en = f"{prefix}{place[1]} {word[1]} {trade[1]} Co., Ltd."
        if name in names:
            serial += 1
            name = f"{prefix}{place[0]}{word[0]}{trade[0]}{serial}号有限公司"
            name_en = f"{prefix}{place[1]} {word[1]} {trade[1]} No. {serial} Co., Ltd."
        names.add(name)
        district = rng.choice(districts) if districts else None
        firm = Enterprise(
            name=name,
            name_en=name_en,
            uscc=make_uscc(rng),
            hq_region=district,
            industry=codes.get(trade[2]),
            hq_city="",
        )
        firm.derive()
        if search_text:
            firm.search_text = search.build_search_text(firm.name, firm.name_en, firm.uscc)
        firms.append(firm)
    seen, unique = set(taken), []
    for firm in firms:  # a drawn credit code is unique with overwhelming odds; keep the first of a repeat
        if firm.uscc not in seen:
            seen.add(firm.uscc)
            unique.append(firm)
    Enterprise.objects.bulk_create(unique, batch_size=1000)
    return unique


def make_years(firms, years, rng: random.Random) -> list:
    """Figures of each firm for each year (a firm keeps its size and land; it grows a few per cent a year), saved
    in bulk. About 3% are not graded (new, start-up, public utility); a tenth of large firms report no emissions."""
    from .models import EnterpriseYear

    rows = []
    for firm in firms:
        large = rng.random() < 0.4
        land = Decimal(str(round(rng.lognormvariate(3.3 if large else 2.3, 0.6), 2)))
        productivity = rng.lognormvariate(0, 0.45)
        reason = ""
        roll = rng.random()
        if roll < 0.015:
            reason = NotGradedReason.NEW
        elif roll < 0.025:
            reason = NotGradedReason.START_UP
        elif roll < 0.03:
            reason = NotGradedReason.PUBLIC_UTILITY
        silent = large and rng.random() < 0.1
        for index, year in enumerate(years):
            growth = (1 + rng.uniform(-0.05, 0.12)) ** index * productivity
            mu = float(land)
            tax = mu * (24 if large else 11.6) * growth * rng.lognormvariate(0, 0.3)
            value_added = mu * (136 if large else 60) * growth * rng.lognormvariate(0, 0.25)
            revenue = value_added * rng.uniform(3, 5)
            rows.append(
                EnterpriseYear(
                    enterprise=firm,
                    year=year,
                    size_class=SizeClass.LARGE if large else SizeClass.SMALL,
                    not_graded=reason if index == 0 or reason == NotGradedReason.PUBLIC_UTILITY else "",
                    land_mu=land,
                    tax=_money(tax),
                    value_added=_money(value_added),
                    revenue=_money(revenue),
                    energy_tce=_money(value_added / 2.7 * rng.lognormvariate(0, 0.3)),
                    emissions_t=None if silent else _money(value_added / 4900 * rng.lognormvariate(0, 0.4)),
                    power_10k_kwh=_money(tax / 0.235 * rng.lognormvariate(0, 0.3)),
                    employees=Decimal(max(5, round(value_added / 18 * rng.lognormvariate(0, 0.3)))),
                    rd_spending=_money(revenue * 0.03 * rng.lognormvariate(0, 0.5)),
                )
            )
    EnterpriseYear.objects.bulk_create(rows, batch_size=1000)
    return rows


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def load(ctx) -> None:
    from .models import EvaluationMethod, MethodIndicator
    from .services.permu import run_evaluation, seed_county_methods

    rng = random.Random(ctx.seed + 3)
    latest = EvaluationMethod.objects.order_by("-year").values_list("year", flat=True).first() or 2025
    years = list(range(latest - YEARS + 1, latest + 1))
    for year in years:
        seed_county_methods(EvaluationMethod, MethodIndicator, year)
    firms = make_firms(FIRMS, rng)
    make_years(firms, years, rng)
    runs = [run_evaluation(year) for year in years]
    ctx.data["permu_runs"] = runs
    ctx.log.append(f"per-mu evaluation: {len(firms)} firms × {len(years)} years")
