"""Demo actual FDI of Jiangmen: monthly payments of the demo's foreign-invested enterprises over the previous
year and the current one up to its last complete month (demo data).

The totals follow DOMAIN.md: actual FDI utilized in January–October of the current year 30.54亿元, 41.4% more
than in the same months of the previous year; the province's average growth (+3.25%) is a comparison figure.
How the totals are split over months and enterprises is drawn by a seeded random generator.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.utils import timezone

from zhaoshang.core.demo import DEMO_CITY
from zhaoshang.core.units import quantize
from zhaoshang.industry.models import Enterprise
from zhaoshang.projects.models import Project

from .models import ComparisonFigure, FDIRecord
from .periods import Period

# Actual FDI of January–October (万元): the current year's published figure and the previous year's it grew from.
CURRENT_JAN_OCT_WAN = Decimal("305400")
GROWTH = Decimal("1.414")
PREVIOUS_JAN_OCT_WAN = quantize(CURRENT_JAN_OCT_WAN / GROWTH, 2)
# November and December each bring about a tenth of January–October.
LATE_MONTH_SHARE = Decimal("0.1")
# Yuan per US dollar by month (demo: around the central parity of recent years).
RATE_BASE = Decimal("7.10")
PROVINCE_GROWTH = Decimal("3.25")


def load(ctx):
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
