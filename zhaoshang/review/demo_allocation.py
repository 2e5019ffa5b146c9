"""Demo of the land allocation: parcels being prepared for supply and admitted projects waiting for them.

``load(ctx)`` is called from the review app's demo, after the portal's demo placed the map's sites. Beside them the
allocation brings land of its own: ten parcels being prepared for supply (收储待供, not yet
published on the map) in the city's districts, and admitting reviews (decided, some with their commitments) of
nine signed projects of the demo pipeline that wait for land and have no review yet. Their figures are chosen so
that the page shows every case: projects competing for the same parcel (the one paying more per 亩 gets it, first
come first served would have given it to the earlier decision), one whose need no parcel matches, one whose
industry no parcel of its size is meant for, and one that a zone's tax threshold refuses when the standards name
zones.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from zhaoshang.geo.choices import Availability, CarrierKind, LandUse, RegionLevel
from zhaoshang.geo.models import Carrier, CarrierIndustry, Region
from zhaoshang.industry.models import IndustryCode
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project

from .choices import Decision, ReviewKind, ReviewState
from .models import Commitment, Review, StandardSet, Zone

# (district adcode, area in 亩, industry codes (empty: any), name, English name)
PARCELS = [
    ("440703", 32, ("38", "39"), "棠下镇收储地块A", "Tangxia reserve parcel A"),
    ("440703", 58, ("C",), "杜阮镇收储地块", "Duruan reserve parcel"),
    ("440704", 45, ("38", "39", "40"), "江海区高新片区地块", "Jianghai high-tech area parcel"),
    ("440704", 88, (), "江海区礼乐地块", "Jianghai Lile parcel"),
    ("440705", 36, ("33", "34"), "新会区今古洲地块", "Xinhui Jingu island parcel"),
    ("440705", 120, ("C",), "新会区崖门地块", "Xinhui Yamen parcel"),
    ("440781", 66, ("26", "30"), "台山工业新城地块", "Taishan new industrial town parcel"),
    ("440783", 24, ("13", "14"), "开平翠山湖地块", "Kaiping Cuishan lake parcel"),
    ("440784", 50, ("34", "35"), "鹤山工业城地块", "Heshan industrial city parcel"),
    ("440785", 40, (), "恩平工业园地块", "Enping industrial park parcel"),
]

# (need in 亩, expected annual tax in 万元, days before today of the decision, committed tax per 亩 or None, zone
# code the review was made for, industry code of the review)
APPLICANTS = [
    (30, Decimal("960"), 40, Decimal("30"), "high-tech-zone", "39"),  # wins the 32 亩 parcel of Tangxia
    (30, Decimal("660"), 90, None, "core-districts", "39"),  # decided first: FCFS gives it the Tangxia parcel
    (42, Decimal("1050"), 60, None, "high-tech-zone", "38"),
    (55, Decimal("1100"), 75, Decimal("21"), "core-districts", "34"),
    (80, Decimal("1760"), 30, None, "core-districts", "26"),
    (110, Decimal("2420"), 20, None, "core-districts", "30"),
    (60, Decimal("840"), 50, None, "other", "26"),  # 14 万元 per 亩: below every zone's threshold
    (22, Decimal("500"), 15, None, "other", "39"),  # the one parcel of its size is meant for 13 and 14
    (300, Decimal("6000"), 10, None, "other", "C"),  # no parcel that large
]


def load(ctx) -> None:
    today = timezone.localdate()
    districts = {r.adcode: r for r in Region.objects.filter(level=RegionLevel.DISTRICT, adcode__in=_adcodes())}
    teams = ctx.data.get("teams") or {}
    team = teams.get("centre")
    if team is None or not districts:
        ctx.log.append("review: the allocation demo needs the demo city and its centre")
        return
    for number, (adcode, area, codes, name, name_en) in enumerate(PARCELS, start=1):
        region = districts.get(adcode)
        if region is None:
            continue
        carrier = Carrier.objects.create(
            kind=CarrierKind.PARCEL,
            reference=f"GD{today.year}-{number:03d}",
            name=name,
            name_en=name_en,
            description="收储待供，供地方案编制中。",
            description_en="Reserved land being prepared for supply.",
            region=region,
            team=teams.get(f"district:{adcode}", team),
            lon=region.centre_lon or 113.08,
            lat=region.centre_lat or 22.58,
            availability=Availability.RESERVED,
            available_from=today + timedelta(days=60),
            published=False,
            last_verified=today,
            area_mu=Decimal(area),
            land_use=LandUse.M1,
        )
        CarrierIndustry.objects.bulk_create([CarrierIndustry(carrier=carrier, code=code) for code in codes])

    waiting = list(
        Project.objects.filter(stage=Stage.SIGNED, land_on__isnull=True, reviews=None)
        .select_related("industry_code")
        .order_by("signed_on", "pk")[: len(APPLICANTS)]
    )
    zones = {z.code: z for z in Zone.objects.all()}
    standards = StandardSet.in_force(today)
    codes = {c.code: c for c in IndustryCode.objects.filter(code__in={a[5] for a in APPLICANTS})}
    for project, (need, tax, days, committed, zone_code, code) in zip(waiting, APPLICANTS, strict=False):
        decided = today - timedelta(days=days)
        review = Review.objects.create(
            project=project,
            kind=ReviewKind.INDUSTRIAL,
            state=ReviewState.COMMITTED if committed is not None else ReviewState.DECIDED,
            zone=zones.get(zone_code),
            industry_code=codes.get(code, project.industry_code),
            standard_set=standards,
            submitted_on=decided - timedelta(days=30),
            checked_on=decided - timedelta(days=28),
            meeting_on=decided,
            decided_on=decided,
            decision=Decision.APPROVE if days % 20 else Decision.APPROVE_WITH_CONDITIONS,
            site_area_mu=Decimal(need),
            annual_tax=tax,
            total_investment=Decimal(need) * 320,
            fixed_asset_investment=Decimal(need) * 280,
            reasons="符合产业准入要求。",
        )
        if committed is not None:
            Commitment.objects.create(
                review=review,
                investment_intensity=Decimal(280),
                tax_per_mu=committed,
                construction_by=decided + timedelta(days=180),
                production_by=decided + timedelta(days=540),
            )
        if project.land_need_mu is None:
            project.land_need_mu = Decimal(need)
            project.save(update_fields=["land_need_mu"])
    ctx.log.append(f"review: {len(PARCELS)} parcels and {min(len(waiting), len(APPLICANTS))} admitted projects")


def _adcodes() -> list[str]:
    return sorted({adcode for adcode, *_rest in PARCELS})
