"""Land allocation at city scale: 500 admitted projects waiting for land against 2,000 parcels on offer.

Data: ``--projects`` signed projects (default 500), each with an admitting review decided in the last year, and
``--parcels`` available parcels (default 2,000) in the city's districts and in 20 parks, with one or two industry
codes on most of them; three zones (a high-tech zone of four parks, the core districts, the rest) with the tax
thresholds of the city's rules (25 / 20 / 15 万元 per 亩). Generated once per database.

Timed (median of ``--repeat`` runs), as the centre's officer asks for it:

- end to end: the records read, the matrices of allowed pairs built, solved (``linear_sum_assignment``), bounded
  (LP relaxation, HiGHS), first come first served, and every reason written (target ≤ 10 s);
- the floor: ``linear_sum_assignment`` alone on the prebuilt weight matrix (checked before timing to give the same
  assignment and objective as the end-to-end run).

It prints the objective, the upper bound and the optimality gap, the objective of first come, first served beside
them, and the MILP (HiGHS) solve of the same instance with its own objective.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import city_and_teams, machine_load, report, same, setup_django, timed

PREFIX = "BENCH-ALLOC-"


def generate(n_projects: int, n_parcels: int, seed: int = 11) -> None:
    import numpy as np
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from zhaoshang.accounts.choices import Role
    from zhaoshang.geo.choices import Availability, CarrierKind, LandUse, ParkLevel
    from zhaoshang.geo.models import Carrier, CarrierIndustry, Park, Region
    from zhaoshang.industry.models import Enterprise, IndustryCode
    from zhaoshang.industry.services import name_key, normalize_name
    from zhaoshang.industry.validators import uscc_check_character
    from zhaoshang.projects.choices import Stage
    from zhaoshang.projects.models import Project
    from zhaoshang.review.choices import Comparison, Decision, Indicator, ReviewKind, ReviewState
    from zhaoshang.review.models import Review, SourceDocument, StandardSet, Threshold, Zone

    have_projects = Project.objects.filter(code__startswith=PREFIX).count()
    have_parcels = Carrier.objects.filter(reference__startswith=PREFIX).count()
    if have_projects == n_projects and have_parcels == n_parcels:
        return
    print(f"generating {n_projects:,} projects waiting for land and {n_parcels:,} parcels …", flush=True)
    teams = city_and_teams(PREFIX, 4, members=(("bench_alloc_centre", 0, Role.OFFICER),))
    with transaction.atomic():
        Review.objects.filter(project__code__startswith=PREFIX).delete()
        Project.objects.filter(code__startswith=PREFIX).delete()
        Enterprise.objects.filter(name__startswith=PREFIX).delete()
        CarrierIndustry.objects.filter(carrier__reference__startswith=PREFIX).delete()
        Carrier.objects.filter(reference__startswith=PREFIX).delete()
        Park.objects.filter(name__startswith=PREFIX).delete()
        Threshold.objects.filter(standard_set__name__startswith=PREFIX).delete()
        StandardSet.objects.filter(name__startswith=PREFIX).delete()
        Zone.objects.filter(code__startswith="bench-").delete()

    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    districts = list(
        Region.objects.filter(parent__adcode=settings.ZHAOSHANG_CITY_ADCODE).defer("boundary").order_by("adcode")
    )
    divisions = ["26", "27", "30", "33", "34", "35", "36", "38", "39", "40"]
    codes = {c.code: c for c in IndustryCode.objects.filter(code__in=divisions)}

    with transaction.atomic():
        parks = [
            Park(
                name=f"{PREFIX}园区{i}",
                region=districts[i % len(districts)],
                team=teams[0],
                level=ParkLevel.PROVINCIAL,
                published=True,
                last_verified=today,
                area_mu=Decimal(5000),
            )
            for i in range(20)
        ]
        Park.objects.bulk_create(parks)
        parks = list(Park.objects.filter(name__startswith=PREFIX).order_by("pk"))

        source = SourceDocument.objects.create(title=f"{PREFIX}工业项目供地准入标准")
        rules = StandardSet.objects.create(name=f"{PREFIX}准入标准", effective_from=date(2000, 1, 1))
        high_tech = Zone.objects.create(code="bench-high-tech", name="高新区", sort=1)
        core = Zone.objects.create(code="bench-core", name="核心区", sort=2)
        rest = Zone.objects.create(code="bench-rest", name="其他区域", sort=3, is_default=True)
        high_tech.parks.set(parks[:4])
        core.regions.set(districts[:3])
        zones = [high_tech, core, rest]
        for zone, value in zip(zones, (25, 20, 15), strict=True):
            Threshold.objects.create(
                standard_set=rules,
                indicator=Indicator.TAX_PER_MU,
                zone=zone,
                comparison=Comparison.AT_LEAST,
                value=value,
                source=source,
            )

        parcels, links = [], []
        for j in range(n_parcels):
            park = parks[int(rng.integers(0, len(parks)))] if rng.random() < 0.5 else None
            region = park.region if park else districts[int(rng.integers(0, len(districts)))]
            parcels.append(
                Carrier(
                    kind=CarrierKind.PARCEL,
                    reference=f"{PREFIX}{j:06d}",
                    name=f"地块{j}",
                    region=region,
                    park=park,
                    team=teams[0],
                    lon=float(region.centre_lon or 113),
                    lat=float(region.centre_lat or 22.5),
                    availability=Availability.RESERVED if rng.random() < 0.1 else Availability.AVAILABLE,
                    published=bool(rng.random() < 0.8),
                    last_verified=today,
                    area_mu=Decimal(int(rng.integers(10, 200))),
                    land_use=LandUse.M1,
                    search_text=f" 地块{j} ",
                )
            )
        Carrier.objects.bulk_create(parcels, batch_size=2000)
        for pk in Carrier.objects.filter(reference__startswith=PREFIX).values_list("pk", flat=True):
            if rng.random() < 0.8:
                for code in rng.choice(divisions, size=int(rng.integers(1, 3)), replace=False):
                    links.append(CarrierIndustry(carrier_id=pk, code=str(code)))
        CarrierIndustry.objects.bulk_create(links, batch_size=5000)

        enterprises = []
        for i in range(n_projects):
            name = f"{PREFIX}企业{i}有限公司"
            first = f"91440700MB{i:07d}"
            enterprises.append(
                Enterprise(
                    name=name,
                    uscc=first + uscc_check_character(first),
                    normalized_name=normalize_name(name),
                    name_key=name_key(name),
                    owner_team=teams[1 + i % 3],
                    search_text=f" {name} ",
                )
            )
        Enterprise.objects.bulk_create(enterprises, batch_size=2000)
        enterprise_ids = list(
            Enterprise.objects.filter(name__startswith=PREFIX).order_by("pk").values_list("pk", flat=True)
        )
        needs = rng.integers(10, 180, size=n_projects)
        projects = [
            Project(
                code=f"{PREFIX}{i:06d}",
                name=f"待供地项目{i}",
                enterprise_id=enterprise_ids[i],
                industry_code=codes[divisions[int(rng.integers(0, len(divisions)))]],
                land_need_mu=Decimal(int(needs[i])),
                district=districts[int(rng.integers(0, len(districts)))],
                owner_team=teams[1 + i % 3],
                stage=Stage.SIGNED,
                signed_on=today - timedelta(days=int(rng.integers(30, 400))),
                search_text=f" 待供地项目{i} ",
            )
            for i in range(n_projects)
        ]
        Project.objects.bulk_create(projects, batch_size=2000)
        project_ids = list(Project.objects.filter(code__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))
        reviews = []
        for i, pk in enumerate(project_ids):
            site = Decimal(int(needs[i]))
            tax_per_mu = Decimal(str(round(float(rng.uniform(15, 45)), 2)))
            reviews.append(
                Review(
                    project_id=pk,
                    kind=ReviewKind.INDUSTRIAL,
                    state=ReviewState.DECIDED,
                    zone=zones[int(rng.integers(0, 3))],
                    standard_set=rules,
                    industry_code=projects[i].industry_code,
                    site_area_mu=site,
                    annual_tax=(site * tax_per_mu).quantize(Decimal("0.01")),
                    decision=Decision.APPROVE if rng.random() < 0.8 else Decision.APPROVE_WITH_CONDITIONS,
                    decided_on=today - timedelta(days=int(rng.integers(1, 365))),
                )
            )
        Review.objects.bulk_create(reviews, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--parcels", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    label = setup_django("_allocation")
    generate(args.projects, args.parcels)

    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from zhaoshang.accounts.models import User
    from zhaoshang.review.services import allocation

    user = User.objects.get(username="bench_alloc_centre")
    print(f"database: {label}; {machine_load()}")

    def end_to_end():
        return allocation.propose(allocation.load_instance(user))

    started = time.perf_counter()
    proposal = end_to_end()
    first = time.perf_counter() - started
    inst = proposal.instance
    allowed = int(inst.allowed.sum())
    print(
        f"{len(inst.applicants):,} projects × {len(inst.parcels):,} parcels: {allowed:,} allowed pairs "
        f"(first run {first:.2f} s)"
    )

    weight = inst.weight.copy()
    rows, cols = np.flatnonzero(inst.allowed.any(axis=1)), np.flatnonzero(inst.allowed.any(axis=0))
    sub = np.ascontiguousarray(weight[np.ix_(rows, cols)])

    def floor():
        return linear_sum_assignment(sub, maximize=True)

    r, c = floor()
    floor_pairs = sorted(
        (int(rows[a]), int(cols[b])) for a, b in zip(r, c, strict=True) if inst.allowed[rows[a], cols[b]]
    )
    floor_objective = float(sum(weight[i, j] for i, j in floor_pairs))
    same("allocation: the assignment", proposal.proposal.pairs, floor_pairs)
    same("allocation: the objective", round(proposal.proposal.objective, 6), round(floor_objective, 6))

    e2e_ms = timed(end_to_end, repeat=args.repeat, warmup=0)
    floor_ms = timed(floor, repeat=max(args.repeat, 5), warmup=1)
    report("allocation end to end (read, build, solve, reasons)", e2e_ms, floor_ms, target_ms=10_000)

    milp = allocation.solve(inst, allocation.Method.MILP)
    print("  steps of the last run: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in proposal.seconds.items()))
    print(f"  objective (expected tax of the allocated land): {proposal.proposal.objective:,.2f} 万元 a year")
    print(f"  upper bound (LP relaxation, HiGHS):              {proposal.bound:,.2f}")
    print(f"  optimality gap:                                  {proposal.gap * 100:.6f} %")
    print(f"  MILP (HiGHS) objective:                          {milp.objective:,.2f} in {milp.seconds * 1000:.0f} ms")
    ours, theirs = proposal.proposal.objective, proposal.baseline.objective
    percent = (ours / theirs - 1) * 100 if theirs else 0.0
    print(
        f"  first come, first served:                        {theirs:,.2f} (gain {ours - theirs:,.2f}, {percent:.1f} %)"
    )
    print(
        f"  projects given land: proposal {len(proposal.rows)}, first come first served {len(proposal.baseline.pairs)};"
        f" left without land {len(proposal.left)}"
    )


if __name__ == "__main__":
    main()
