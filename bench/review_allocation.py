"""Land allocation at city scale: 500 admitted projects waiting for land against 2,000 parcels on offer.

Data: ``--projects`` signed projects (default 500), each with an admitting review decided in the last year, and
``--parcels`` available parcels (default 2,000) in the city's districts and in 20 parks, with one or two industry
codes on most of them; three zones (a high-tech zone of four parks, the core districts, the rest) with the tax
thresholds of the city's rules (25 / 20 / 15 万元 per 亩). Generated once per database.

Timed (median of ``--repeat`` runs), as the centre's officer asks for it:

- end to end: the records read, the matrices of allowed pairs built, solved (``linear_sum_assignment``), bounded
  (LP relaxation, HiGHS), first come first served, and every reason written (target ≤ 10 s);
- the floor: the same records read with raw SQL (the zones, the parcels on offer and their codes, the latest
  admitting review of each project waiting with its commitment, the tax thresholds, the code tree: the centre sees
  every record, checked), the service's instance built from them and the same solver calls (``propose``: solve,
  bound, first come first served, reasons); checked before timing to give the same proposal: every grant and project
  left with their figures and reasons (``proposal_tables``), the assignment, the objective, the bound and first come,
  first served's pairs and objective.

It prints the objective, the upper bound and the optimality gap, the objective of first come, first served beside
them, and the MILP (HiGHS) solve of the same instance with its own objective.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from decimal import Context, Decimal
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


# ---------------------------------------------------------------- the floor: raw SQL, the same solver calls


def _quanta(model, *names):
    """Each field's quantum: SQLite's cursor gives a float (or an int) that the ORM rounds to the field's places."""
    return [Decimal(1).scaleb(-model._meta.get_field(name).decimal_places) for name in names]


_FLOAT = Context(prec=15).create_decimal_from_float


def _decimal(value, quantum=None):
    """A stored decimal as the ORM gives it: a column rounded to its places, a subquery's as it comes (PostgreSQL's
    cursor already gives a Decimal)."""
    if value is None or isinstance(value, Decimal):
        return value
    found = _FLOAT(value)
    return found if quantum is None else found.quantize(quantum)


def floor_instance(tolerance=None):
    """The instance ``load_instance`` builds for the centre (which sees every record: checked before timing), read
    with raw SQL: the zones with their parks and districts, the parcels on offer with their codes, the latest
    admitting review of each signed project without land with its commitment, the tax thresholds and the code tree;
    the applicants' need and tax as the service derives them; then the service's ``Instance`` (its matrices of
    allowed pairs and weights)."""
    from django.db import connection
    from django.urls import reverse
    from django.utils.translation import get_language

    from zhaoshang.core.units import quantize
    from zhaoshang.geo.choices import Availability, CarrierKind
    from zhaoshang.geo.models import Carrier
    from zhaoshang.projects.choices import Stage
    from zhaoshang.projects.models import Project
    from zhaoshang.review.choices import ADMITTING, Comparison, Indicator
    from zhaoshang.review.models import Review, Threshold
    from zhaoshang.review.services.allocation import (
        DEFAULT_TOLERANCE,
        Applicant,
        Instance,
        Parcel,
        lineage_from,
        thresholds_for,
    )

    english = get_language() == "en"
    (area_q,) = _quanta(Carrier, "area_mu")
    site_q, annual_q = _quanta(Review, "site_area_mu", "annual_tax")
    (need_q,) = _quanta(Project, "land_need_mu")
    (value_q,) = _quanta(Threshold, "value")
    carrier_url = reverse("portal:carrier-detail", args=[0]).rsplit("0", 1)
    project_url = reverse("projects:project-detail", args=[0]).rsplit("0", 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, name_en, is_default FROM review_zone ORDER BY sort, code")
        zones = cursor.fetchall()
        cursor.execute("SELECT zone_id, park_id FROM review_zone_parks")
        parks_of: dict = {}
        for zone, park in cursor.fetchall():
            parks_of.setdefault(zone, []).append(park)
        cursor.execute(
            "SELECT zr.zone_id, g.adcode FROM review_zone_regions zr JOIN geo_region g ON g.id = zr.region_id"
        )
        regions_of: dict = {}
        for zone, adcode in cursor.fetchall():
            regions_of.setdefault(zone, []).append(adcode)
        by_park, by_region = {}, {}
        for zone, *_names in zones:
            for park in parks_of.get(zone, ()):
                by_park.setdefault(park, zone)
            for adcode in regions_of.get(zone, ()):
                by_region.setdefault(adcode, zone)
        default = next((z[0] for z in zones if z[3]), None)
        names = {pk: (name_en if english and name_en else name) for pk, name, name_en, _default in zones}
        on_offer = "c.kind = %s AND c.area_mu > 0 AND c.availability <> %s"
        cursor.execute(
            "SELECT c.id, c.reference, c.name, c.name_en, c.area_mu, c.park_id, g.adcode FROM geo_carrier c"
            f" LEFT JOIN geo_region g ON g.id = c.region_id WHERE {on_offer} ORDER BY c.id",
            [CarrierKind.PARCEL, Availability.TAKEN],
        )
        parcel_rows = cursor.fetchall()
        cursor.execute(
            "SELECT i.carrier_id, i.code FROM geo_carrierindustry i JOIN geo_carrier c ON c.id = i.carrier_id"
            f" WHERE {on_offer}",
            [CarrierKind.PARCEL, Availability.TAKEN],
        )
        codes: dict = {}
        for carrier, code in cursor.fetchall():
            codes.setdefault(carrier, []).append(code)
        admitting = sorted(ADMITTING)
        cursor.execute(
            "SELECT r.id, r.project_id, p.code, p.name, r.site_area_mu, r.annual_tax,"
            " (SELECT m.tax_per_mu FROM review_commitment m WHERE m.review_id = r.id LIMIT 1), p.land_need_mu,"
            " rc.code, pc.code, r.decision, r.decided_on, r.zone_id, r.standard_set_id, r.kind"
            " FROM review_review r JOIN projects_project p ON p.id = r.project_id"
            " LEFT JOIN industry_industrycode rc ON rc.id = r.industry_code_id"
            " LEFT JOIN industry_industrycode pc ON pc.id = p.industry_code_id"
            " WHERE p.stage = %s AND p.land_on IS NULL"
            f" AND r.decision IN ({', '.join(['%s'] * len(admitting))})"
            " AND r.id = (SELECT l.id FROM review_review l WHERE l.project_id = r.project_id"
            " AND l.decided_on IS NOT NULL AND l.decision <> '' ORDER BY l.decided_on DESC, l.id DESC LIMIT 1)"
            " ORDER BY r.id",
            [Stage.SIGNED, *admitting],
        )
        review_rows = cursor.fetchall()
        cursor.execute(
            "SELECT standard_set_id, kind, zone_id, value FROM review_threshold"
            " WHERE indicator = %s AND comparison = %s AND division_2002 = ''",
            [Indicator.TAX_PER_MU, Comparison.AT_LEAST],
        )
        thresholds = {(s, k, z): _decimal(v, value_q) for s, k, z, v in cursor.fetchall()}
        cursor.execute(
            "SELECT c.code, p.code FROM industry_industrycode c LEFT JOIN industry_industrycode p ON p.id = c.parent_id"
        )
        parent = dict(cursor.fetchall())
    parcels = [
        Parcel(
            id=pk,
            label=f"{reference} {name_en if english and name_en else name}",
            area_mu=_decimal(area, area_q),
            codes=tuple(sorted(codes.get(pk, ()))),
            zone_id=by_park.get(park) or by_region.get(adcode) or default,
            url=f"{carrier_url[0]}{pk}{carrier_url[1]}",
        )
        for pk, reference, name, name_en, area, park, adcode in parcel_rows
    ]
    zone_ids = [*names, None]
    applicants = []
    for (pk, project_id, code, name, site, annual_tax, committed, land_need, review_code, project_code, decision,
         decided_on, zone_id, set_id, kind) in review_rows:  # fmt: skip
        site, annual_tax = _decimal(site, site_q), _decimal(annual_tax, annual_q)
        committed, need = _decimal(committed), site or _decimal(land_need, need_q)
        if committed is not None:
            tax = committed
        elif annual_tax is not None and site:
            tax = quantize(annual_tax / site, 4)
        else:
            tax = None
        applicants.append(
            Applicant(
                review_id=pk,
                project_id=project_id,
                label=f"{code} {name}",
                need_mu=need,
                tax_per_mu=tax,
                industry_code=review_code or project_code or "",
                decision=decision,
                decided_on=_day(decided_on),
                review_zone_id=zone_id,
                zone_thresholds=thresholds_for(thresholds, set_id, kind, zone_ids),
                tax_from_commitment=committed is not None,
                url=f"{project_url[0]}{project_id}{project_url[1]}",
            )
        )
    return Instance(applicants, parcels, tolerance or DEFAULT_TOLERANCE, zone_names=names, lineage=lineage_from(parent))


def _day(value):
    """A stored date as the ORM gives it (SQLite's cursor gives text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def proposal_answer(proposal) -> dict:
    """What the officer is shown and what a saved proposal keeps: the grants and the projects left without land
    with every figure and reason (``proposal_tables``), the assignment, its objective, the bound, and first come,
    first served's pairs and objective."""
    from zhaoshang.review.services.allocation import proposal_tables

    rows, left = proposal_tables(proposal)
    return {
        "rows": rows,
        "left": left,
        "pairs": proposal.proposal.pairs,
        "objective": str(proposal.objective),
        "solver objective": round(proposal.proposal.objective, 6),
        "bound": round(proposal.bound, 6),
        "first come first served": (proposal.baseline.pairs, str(proposal.baseline_objective)),
    }


def _centre_sees_everything(user) -> None:
    """The floor reads every record: the centre's member must see every project, review and parcel."""
    from zhaoshang.core.permissions import EVERYTHING, access_q
    from zhaoshang.geo.models import Carrier
    from zhaoshang.projects.models import Project
    from zhaoshang.review.models import Review

    for model in (Project, Review, Carrier):
        assert access_q(model, user) is EVERYTHING, f"the centre does not see every {model.__name__}: update the floor"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--parcels", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    label = setup_django("_allocation")
    generate(args.projects, args.parcels)

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

    _centre_sees_everything(user)

    def floor():
        return allocation.propose(floor_instance())

    same("allocation: the proposal (grants, reasons, left, objective, bound, first come first served)",
         proposal_answer(proposal), proposal_answer(floor()))  # fmt: skip

    e2e_ms = timed(end_to_end, repeat=args.repeat, warmup=0)
    floor_ms = timed(floor, repeat=args.repeat, warmup=0)
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
