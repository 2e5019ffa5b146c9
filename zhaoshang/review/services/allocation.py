"""Land allocation (供地建议): which admitted project should get which available parcel.

The problem
-----------
Applicants are the projects waiting for land: signed, no land date yet, whose latest decided admission review
admits them (``Review.decision in ADMITTING``). An applicant needs ``need`` 亩 (the review's site area, else the
project's land need) and is expected to pay ``tax`` 万元 per 亩 and year (the commitment's tax per 亩 when it is
recorded, else the review's expected annual tax ÷ its site area).

Parcels are the land on offer: sites of kind parcel, not taken, published or not, that the user may read.

An applicant *may* get a parcel when all of these hold:

- **area**: need ≤ parcel area ≤ need × (1 + tolerance);
- **industry**: the parcel names no industry, or one of its codes is the applicant's code or an ancestor of it
  (a section letter, a division…), or a more detailed code inside it (GB/T 4754-2017 tree, else digit prefixes);
- **zone**: the parcel's zone (``Zone.for_place`` of its park and district) admits the applicant: the applicant's
  expected tax per 亩 meets the zone's tax-per-亩 threshold of the standard set and kind of review its review used,
  and that threshold is not stricter than the one of the zone it was reviewed for (a project reviewed for the
  high-tech zone may land in a lower zone; one reviewed for a lower zone was not examined against the stricter
  zone's rules and may not land there without a new review).

The objective
-------------
Each applicant gets at most one parcel and each parcel goes to at most one applicant. The proposal maximises the
expected tax of the allocated land,

    Σ over assigned pairs (applicant i, parcel j) of  tax_i × area_j     (万元 per year),

since a commitment of tax is made per 亩 of land granted: the whole parcel pays at the applicant's rate. All
weights are ≥ 0, so leaving an applicant without land is never better than giving it a parcel that fits, unless the
parcel earns more with another applicant.

It is a rectangular maximum-weight bipartite matching on the pairs that are allowed. ``solve`` uses
``scipy.optimize.linear_sum_assignment`` (the Jonker–Volgenant algorithm, exact) on the allowed rows and columns,
or ``scipy.optimize.milp`` (HiGHS) on one binary variable per allowed pair; either way pairs that are not allowed
are never returned. ``upper_bound`` solves the LP relaxation with HiGHS (the assignment polytope is integral, so the
bound equals the optimum up to rounding and the gap printed beside the objective is a proof of optimality).

The baseline is first come, first served: applicants in the order of their decision date (then review number) each
take the smallest allowed parcel still free (ties by parcel number).

Nothing is written to the projects: the proposal is computed when asked, and the centre may keep it as it was shown
(``save_proposal``, a ``SavedAllocation`` record).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from time import perf_counter

import numpy as np
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, linprog, milp

from zhaoshang.core import formatting
from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import user_scope
from zhaoshang.core.units import quantize
from zhaoshang.geo.choices import Availability, CarrierKind
from zhaoshang.geo.models import Carrier, CarrierIndustry
from zhaoshang.industry.models import IndustryCode
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project

from ..choices import ADMITTING, Comparison, Decision, Indicator
from ..models import Commitment, Review, Threshold, Zone

DEFAULT_TOLERANCE = Decimal("0.20")
EPSILON = 1e-9


def allocation_readable(user) -> bool:
    """Whether ``user`` may open the land allocation: the centre's members and administrators (it weighs the
    projects of every team and district against each other)."""
    scope = user_scope(user)
    return scope.is_admin or scope.in_centre(Action.VIEW)


# --- the instance -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """A project waiting for land, with the figures of its admission review."""

    review_id: int
    project_id: int
    label: str  # code and name of the project
    need_mu: Decimal | None
    tax_per_mu: Decimal | None
    industry_code: str = ""
    decision: str = Decision.APPROVE
    decided_on: date | None = None
    review_zone_id: int | None = None
    # The tax-per-亩 threshold of each zone (by id) under the applicant's standard set and kind of review.
    zone_thresholds: dict = field(default_factory=dict)
    tax_from_commitment: bool = False
    url: str = ""


@dataclass(frozen=True)
class Parcel:
    """A parcel on offer."""

    id: int
    label: str  # reference and name
    area_mu: Decimal
    codes: tuple[str, ...] = ()
    zone_id: int | None = None
    url: str = ""


def digit_lineage(code: str) -> frozenset[str]:
    """The code and its shorter digit prefixes (a group's division…), for codes the tree does not hold."""
    if code.isdigit():
        return frozenset(code[:n] for n in range(2, len(code) + 1))
    return frozenset({code})


@dataclass
class Instance:
    """Applicants, parcels and the rules that say which pairs are allowed (as boolean matrices)."""

    applicants: Sequence[Applicant]
    parcels: Sequence[Parcel]
    tolerance: Decimal = DEFAULT_TOLERANCE
    zone_names: dict = field(default_factory=dict)
    # code → the code and its ancestors (GB/T 4754-2017 tree); codes not in it fall back to digit prefixes.
    lineage: dict = field(default_factory=dict)

    def __post_init__(self):
        self.build()

    def lineage_of(self, code: str) -> frozenset[str]:
        return self.lineage.get(code) or digit_lineage(code)

    def suits(self, parcel_code: str, project_code: str) -> bool:
        """Whether a parcel meant for ``parcel_code`` suits a project of ``project_code``: one lies in the other."""
        return parcel_code in self.lineage_of(project_code) or project_code in self.lineage_of(parcel_code)

    def build(self) -> None:
        n, m = len(self.applicants), len(self.parcels)
        tolerance = float(self.tolerance)
        self.need = np.array([float(a.need_mu) if a.need_mu else np.nan for a in self.applicants], dtype=float)
        self.tax = np.array(
            [float(a.tax_per_mu) if a.tax_per_mu is not None else np.nan for a in self.applicants], dtype=float
        )
        self.area = np.array([float(p.area_mu) for p in self.parcels], dtype=float)
        self.has_figures = ~np.isnan(self.need) & ~np.isnan(self.tax)
        need = np.nan_to_num(self.need, nan=np.inf)[:, None]
        area = self.area[None, :]
        self.area_ok = (area >= need - EPSILON) & (area <= need * (1 + tolerance) + EPSILON)
        self.area_ok &= self.has_figures[:, None]

        # Industry: the distinct codes on both sides, matched once; parcels naming none suit everyone.
        parcel_codes = sorted({c for p in self.parcels for c in p.codes})
        project_codes = sorted({a.industry_code for a in self.applicants})
        column = {c: k for k, c in enumerate(parcel_codes)}
        names = np.zeros((len(parcel_codes), m), dtype=bool)
        for j, p in enumerate(self.parcels):
            for c in p.codes:
                names[column[c], j] = True
        suits = np.array(
            [[bool(pc) and self.suits(c, pc) for c in parcel_codes] for pc in project_codes], dtype=bool
        ).reshape(len(project_codes), len(parcel_codes))
        by_code = (suits.astype(np.int32) @ names.astype(np.int32)) > 0 if parcel_codes else np.zeros((0, m), bool)
        row = {c: k for k, c in enumerate(project_codes)}
        open_to_all = np.array([not p.codes for p in self.parcels], dtype=bool)
        if n:
            self.industry_ok = (
                by_code[[row[a.industry_code] for a in self.applicants]] if parcel_codes else np.zeros((n, m), bool)
            )
            self.industry_ok = self.industry_ok | open_to_all[None, :]
        else:
            self.industry_ok = np.zeros((0, m), dtype=bool)

        # Zone: each applicant against each zone that has parcels, then spread to the parcels.
        zones = sorted({p.zone_id for p in self.parcels}, key=lambda z: (z is None, z or 0))
        zone_col = {z: k for k, z in enumerate(zones)}
        zone_matrix = np.array([[self.zone_verdict(a, z)[0] for z in zones] for a in self.applicants], dtype=bool)
        zone_matrix = zone_matrix.reshape(n, len(zones))
        self.zone_ok = zone_matrix[:, [zone_col[p.zone_id] for p in self.parcels]] if m else np.zeros((n, 0), bool)

        self.allowed = self.area_ok & self.industry_ok & self.zone_ok
        self.weight = np.where(self.allowed, np.nan_to_num(self.tax)[:, None] * area, 0.0)

    def zone_verdict(self, applicant: Applicant, zone_id) -> tuple[bool, str]:
        """Whether the zone admits the applicant, and why (translated)."""
        zone = self.zone_names.get(zone_id) or _("no zone")
        threshold = applicant.zone_thresholds.get(zone_id)
        tax = applicant.tax_per_mu
        if tax is None:
            return False, _("no expected tax per mu")
        if threshold is not None and tax < threshold:
            return False, _("%(zone)s needs a tax of %(threshold)s per mu; the project expects %(tax)s") % {
                "zone": zone,
                "threshold": tax_rate(threshold),
                "tax": tax_rate(tax),
            }
        reviewed = applicant.review_zone_id
        if reviewed is not None and zone_id != reviewed and threshold is not None:
            reviewed_threshold = applicant.zone_thresholds.get(reviewed)
            if reviewed_threshold is None or threshold > reviewed_threshold:
                return False, _("%(zone)s is stricter than %(reviewed)s, the zone the project was reviewed for") % {
                    "zone": zone,
                    "reviewed": self.zone_names.get(reviewed) or reviewed,
                }
        if threshold is None:
            return True, _("%(zone)s sets no tax threshold") % {"zone": zone}
        return True, _("%(zone)s: %(tax)s meets %(threshold)s") % {
            "zone": zone,
            "tax": tax_rate(tax),
            "threshold": tax_rate(threshold),
        }


def tax_rate(value) -> str:
    return _("%(value)s per mu and year") % {"value": formatting.money(value)}


# --- solving ----------------------------------------------------------------------------------------------------


class Method(StrEnum):
    ASSIGNMENT = "assignment"
    MILP = "milp"
    FCFS = "fcfs"


@dataclass
class Allocation:
    """Pairs (applicant index, parcel index), sorted by applicant, and their objective."""

    pairs: list[tuple[int, int]]
    objective: float
    method: str
    seconds: float = 0.0

    @property
    def by_applicant(self) -> dict[int, int]:
        return dict(self.pairs)


def objective_of(instance: Instance, pairs: Iterable[tuple[int, int]]) -> float:
    return float(sum(instance.weight[i, j] for i, j in pairs))


def solve(instance: Instance, method: str = Method.ASSIGNMENT) -> Allocation:
    """The allocation of greatest expected tax (exact), by ``method``."""
    started = perf_counter()
    rows = np.flatnonzero(instance.allowed.any(axis=1))
    cols = np.flatnonzero(instance.allowed.any(axis=0))
    pairs: list[tuple[int, int]] = []
    if len(rows) and len(cols):
        if method == Method.MILP:
            pairs = _solve_milp(instance, rows, cols)
        else:
            # Pairs not allowed weigh 0 and are dropped afterwards; as every weight is ≥ 0, the best matching
            # of the allowed pairs is a best matching of this matrix without its zero-weight pairs.
            sub = instance.weight[np.ix_(rows, cols)]
            r, c = linear_sum_assignment(sub, maximize=True)
            pairs = [(int(rows[a]), int(cols[b])) for a, b in zip(r, c, strict=True)]
    pairs = sorted((i, j) for i, j in pairs if instance.allowed[i, j])
    return Allocation(pairs, objective_of(instance, pairs), str(method), perf_counter() - started)


def _pair_problem(instance: Instance, rows, cols):
    """The allowed pairs of the sub-matrix as variables: (applicant, parcel, weight) and the two ≤ 1 constraints."""
    sub = instance.allowed[np.ix_(rows, cols)]
    i, j = np.nonzero(sub)
    k = np.arange(len(i))
    weights = instance.weight[rows[i], cols[j]]
    a = sparse.vstack(
        [
            sparse.csr_array((np.ones(len(k)), (i, k)), shape=(len(rows), len(k))),
            sparse.csr_array((np.ones(len(k)), (j, k)), shape=(len(cols), len(k))),
        ]
    ).tocsr()
    return i, j, weights, a


def _solve_milp(instance: Instance, rows, cols) -> list[tuple[int, int]]:
    i, j, weights, a = _pair_problem(instance, rows, cols)
    result = milp(
        -weights,
        constraints=LinearConstraint(a, -np.inf, 1),
        integrality=np.ones(len(weights)),
        bounds=Bounds(0, 1),
    )
    if result.x is None:
        raise RuntimeError(result.message)
    chosen = np.flatnonzero(result.x > 0.5)
    return [(int(rows[i[k]]), int(cols[j[k]])) for k in chosen]


def upper_bound(instance: Instance) -> float:
    """The LP relaxation's optimum (HiGHS): no allocation earns more."""
    rows = np.flatnonzero(instance.allowed.any(axis=1))
    cols = np.flatnonzero(instance.allowed.any(axis=0))
    if not len(rows) or not len(cols):
        return 0.0
    _i, _j, weights, a = _pair_problem(instance, rows, cols)
    result = linprog(-weights, A_ub=a, b_ub=np.ones(a.shape[0]), bounds=(0, 1), method="highs")
    if result.status != 0:
        raise RuntimeError(result.message)
    return float(-result.fun)


def first_come_first_served(instance: Instance) -> Allocation:
    """Applicants in the order of their decision (then review number) each take the smallest free parcel allowed."""
    started = perf_counter()
    order = sorted(
        range(len(instance.applicants)),
        key=lambda i: (instance.applicants[i].decided_on or date.max, instance.applicants[i].review_id),
    )
    by_size = sorted(range(len(instance.parcels)), key=lambda j: (instance.area[j], instance.parcels[j].id))
    free = np.ones(len(instance.parcels), dtype=bool)
    rank = np.empty(len(by_size), dtype=int)
    rank[by_size] = np.arange(len(by_size))
    pairs = []
    for i in order:
        candidates = np.flatnonzero(instance.allowed[i] & free)
        if len(candidates):
            j = int(candidates[np.argmin(rank[candidates])])
            free[j] = False
            pairs.append((i, j))
    pairs.sort()
    return Allocation(pairs, objective_of(instance, pairs), Method.FCFS, perf_counter() - started)


def gap(objective: float, bound: float) -> float:
    """(bound − objective) ÷ bound, 0 when nothing can be allocated."""
    return max(0.0, (bound - objective) / bound) if bound > 0 else 0.0


# --- reasons ----------------------------------------------------------------------------------------------------


class Unassigned(StrEnum):
    NO_FIGURES = "no_figures"
    AREA = "area"
    INDUSTRY = "industry"
    ZONE = "zone"
    OUTBID = "outbid"


UNASSIGNED_LABELS = {
    Unassigned.NO_FIGURES: gettext_lazy("Figures missing"),
    Unassigned.AREA: gettext_lazy("No parcel of fitting area"),
    Unassigned.INDUSTRY: gettext_lazy("No parcel suits its industry"),
    Unassigned.ZONE: gettext_lazy("No zone admits it"),
    Unassigned.OUTBID: gettext_lazy("Its parcels earn more with other projects"),
}


@dataclass
class Row:
    """One proposed grant with its reasons."""

    applicant: Applicant
    parcel: Parcel
    expected_tax: Decimal
    area_reason: str
    industry_reason: str
    zone_reason: str
    admission_reason: str
    tax_reason: str

    @property
    def reasons(self) -> list[str]:
        return [self.area_reason, self.industry_reason, self.zone_reason, self.admission_reason, self.tax_reason]


@dataclass
class Left:
    """An applicant left without land, and why."""

    applicant: Applicant
    cause: str
    reason: str

    @property
    def cause_label(self):
        return UNASSIGNED_LABELS[self.cause]


def expected_tax(applicant: Applicant, parcel: Parcel) -> Decimal:
    return quantize(applicant.tax_per_mu * parcel.area_mu)


def admission_reason(applicant: Applicant) -> str:
    decision = Decision(applicant.decision).label if applicant.decision in Decision.values else applicant.decision
    if applicant.decided_on:
        return _("%(decision)s on %(day)s") % {"decision": decision, "day": formatting.day(applicant.decided_on)}
    return str(decision)


def explain_row(instance: Instance, i: int, j: int) -> Row:
    a, p = instance.applicants[i], instance.parcels[j]
    over = (p.area_mu - a.need_mu) / a.need_mu * 100 if a.need_mu else Decimal(0)
    area = _("needs %(need)s, parcel %(area)s (+%(over)s%%)") % {
        "need": formatting.mu(a.need_mu),
        "area": formatting.mu(p.area_mu),
        "over": formatting.number(over, 1),
    }
    if not p.codes:
        industry = _("the parcel names no industry")
    else:
        found = [c for c in p.codes if a.industry_code and instance.suits(c, a.industry_code)]
        industry = _("the parcel is meant for %(codes)s; the project is %(code)s") % {
            "codes": ", ".join(found),
            "code": a.industry_code,
        }
    zone = instance.zone_verdict(a, p.zone_id)[1]
    source = _("commitment") if a.tax_from_commitment else _("review figures")
    tax = _("%(rate)s × %(area)s = %(total)s a year (from the %(source)s)") % {
        "rate": tax_rate(a.tax_per_mu),
        "area": formatting.mu(p.area_mu),
        "total": formatting.money(expected_tax(a, p)),
        "source": source,
    }
    return Row(a, p, expected_tax(a, p), area, industry, zone, admission_reason(a), tax)


def explain_left(instance: Instance, i: int, allocation: Allocation) -> Left:
    a = instance.applicants[i]
    if not instance.has_figures[i]:
        missing = _("no land need") if a.need_mu is None else _("no expected tax")
        return Left(a, Unassigned.NO_FIGURES, missing)
    low, high = a.need_mu, quantize(a.need_mu * (1 + instance.tolerance))
    area_ok = instance.area_ok[i]
    fitting = _("%(low)s to %(high)s") % {"low": formatting.mu(low), "high": formatting.mu(high)}
    if not area_ok.any():
        return Left(a, Unassigned.AREA, _("no parcel measures %(range)s") % {"range": fitting})
    industry_ok = area_ok & instance.industry_ok[i]
    if not industry_ok.any():
        return Left(
            a,
            Unassigned.INDUSTRY,
            _("%(count)s parcels of %(range)s, none for industry %(code)s")
            % {"count": int(area_ok.sum()), "range": fitting, "code": a.industry_code or "—"},
        )
    allowed = instance.allowed[i]
    if not allowed.any():
        verdicts = {instance.zone_verdict(a, instance.parcels[j].zone_id)[1] for j in np.flatnonzero(industry_ok)}
        return Left(a, Unassigned.ZONE, "; ".join(sorted(verdicts)))
    holder = {j: k for k, j in allocation.pairs}
    taken = [
        _("%(parcel)s to %(project)s") % {"parcel": instance.parcels[j].label, "project": instance.applicants[k].label}
        for j in np.flatnonzero(allowed)
        if (k := holder.get(int(j))) is not None
    ]
    return Left(
        a,
        Unassigned.OUTBID,
        _("every parcel it fits earns more tax with another project: %(taken)s") % {"taken": "; ".join(taken[:5])}
        + ("…" if len(taken) > 5 else ""),
    )


# --- reading the records ----------------------------------------------------------------------------------------


def waiting_reviews(user):
    """The latest decided review of each project waiting for land, when it admits the project."""
    projects = Project.objects.restrict(user, Action.VIEW).filter(stage=Stage.SIGNED, land_on__isnull=True)
    latest = (
        Review.objects.filter(project=OuterRef("project"), decided_on__isnull=False)
        .exclude(decision="")
        .order_by("-decided_on", "-pk")
        .values("pk")[:1]
    )
    return (
        Review.objects.restrict(user, Action.VIEW)
        .filter(project__in=projects.values("pk"), decision__in=sorted(ADMITTING))
        .filter(pk=Subquery(latest))
    )


def tax_thresholds() -> dict:
    """(standard set id, kind, zone id) → the tax-per-亩 threshold (at least), for every division."""
    return {
        (t.standard_set_id, t.kind, t.zone_id): t.value
        for t in Threshold.objects.filter(indicator=Indicator.TAX_PER_MU, comparison=Comparison.AT_LEAST)
        .filter(division_2002="")
        .only("standard_set_id", "kind", "zone_id", "value")
    }


def thresholds_for(thresholds: dict, standard_set_id, kind: str, zone_ids: Iterable) -> dict:
    """The threshold of each zone for one review: its kind's before the set's general one, a zone's before the
    set's city-wide one."""
    out = {}
    for zone_id in zone_ids:
        for key in (
            (standard_set_id, kind, zone_id),
            (standard_set_id, "", zone_id),
            (standard_set_id, kind, None),
            (standard_set_id, "", None),
        ):
            if key in thresholds:
                out[zone_id] = thresholds[key]
                break
    return out


class ZoneFinder:
    """``Zone.for_place`` for many places at once: the park's zone, else the district's, else the default."""

    def __init__(self):
        zones = list(Zone.objects.order_by("sort", "code").prefetch_related("parks", "regions"))
        self.by_park, self.by_region = {}, {}
        for zone in zones:
            for park in zone.parks.all():
                self.by_park.setdefault(park.pk, zone.pk)
            for region in zone.regions.all():
                self.by_region.setdefault(region.adcode, zone.pk)
        self.default = next((z.pk for z in zones if z.is_default), None)
        self.names = {z.pk: z.display_name for z in zones}

    def __call__(self, park_id, adcode) -> int | None:
        return self.by_park.get(park_id) or self.by_region.get(adcode) or self.default


def available_parcels(user, districts=(), parks=()):
    parcels = (
        Carrier.objects.restrict(user, Action.VIEW)
        .filter(kind=CarrierKind.PARCEL, area_mu__gt=0)
        .exclude(availability=Availability.TAKEN)
    )
    place = Q()
    if districts:
        place |= Q(region__in=list(districts))
    if parks:
        place |= Q(park__in=list(parks))
    return parcels.filter(place) if place else parcels


def load_instance(user, tolerance: Decimal = DEFAULT_TOLERANCE, districts=(), parks=()) -> Instance:
    """The instance of the records ``user`` may read; districts and parks limit the land on offer, and the projects
    to those that target them (a project that names neither stays in)."""
    finder = ZoneFinder()
    parcel_rows = list(
        available_parcels(user, districts, parks)
        .order_by("pk")
        .values_list("pk", "reference", "name", "name_en", "area_mu", "park_id", "region__adcode")
    )
    wanted = {r[0] for r in parcel_rows}
    codes: dict[int, list[str]] = {}
    links = CarrierIndustry.objects.filter(carrier__kind=CarrierKind.PARCEL).exclude(
        carrier__availability=Availability.TAKEN
    )
    for carrier_id, code in links.values_list("carrier_id", "code"):
        if carrier_id in wanted:
            codes.setdefault(carrier_id, []).append(code)
    english = get_language() == "en"
    parcels = [
        Parcel(
            id=pk,
            label=f"{reference} {name_en if english and name_en else name}",
            area_mu=area,
            codes=tuple(sorted(codes.get(pk, ()))),
            zone_id=finder(park_id, adcode),
            url=Carrier(pk=pk).get_absolute_url(),
        )
        for pk, reference, name, name_en, area, park_id, adcode in parcel_rows
    ]

    reviews = waiting_reviews(user)
    if districts or parks:
        reviews = reviews.filter(
            Q(project__district__in=list(districts))
            | Q(project__park__in=list(parks))
            | Q(project__district__isnull=True, project__park__isnull=True)
        )
    commitment = Commitment.objects.filter(review=OuterRef("pk")).values("tax_per_mu")[:1]
    review_rows = list(
        reviews.annotate(committed_tax=Subquery(commitment))
        .order_by("pk")
        .values_list(
            "pk",
            "project_id",
            "project__code",
            "project__name",
            "site_area_mu",
            "annual_tax",
            "committed_tax",
            "project__land_need_mu",
            "industry_code__code",
            "project__industry_code__code",
            "decision",
            "decided_on",
            "zone_id",
            "standard_set_id",
            "kind",
        )
    )
    thresholds = tax_thresholds()
    zone_ids = [*finder.names, None]
    applicants = []
    for (pk, project_id, code, name, site, annual_tax, committed, land_need, review_code, project_code, decision,
         decided_on, zone_id, set_id, kind) in review_rows:  # fmt: skip
        need = site or land_need
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
                decided_on=decided_on,
                review_zone_id=zone_id,
                zone_thresholds=thresholds_for(thresholds, set_id, kind, zone_ids),
                tax_from_commitment=committed is not None,
                url=Project(pk=project_id).get_absolute_url(),
            )
        )
    return Instance(applicants, parcels, tolerance, zone_names=finder.names, lineage=industry_lineage())


def industry_lineage() -> dict[str, frozenset[str]]:
    """Each GB/T 4754-2017 code → itself and its ancestors, from the code tree."""
    return lineage_from(dict(IndustryCode.objects.values_list("code", "parent__code")))


def lineage_from(parent: dict[str, str | None]) -> dict[str, frozenset[str]]:
    """Each code of ``parent`` (code → its parent's code) → itself, its ancestors and its digit prefixes."""
    out = {}
    for code in parent:
        chain, seen = [], code
        while seen and seen not in chain:
            chain.append(seen)
            seen = parent.get(seen)
        out[code] = frozenset(chain) | digit_lineage(code)
    return out


# --- the proposal -----------------------------------------------------------------------------------------------


@dataclass
class Proposal:
    instance: Instance
    proposal: Allocation
    baseline: Allocation
    bound: float
    rows: list[Row]
    left: list[Left]
    seconds: dict

    @property
    def objective(self) -> Decimal:
        return sum((r.expected_tax for r in self.rows), Decimal(0))

    @property
    def baseline_objective(self) -> Decimal:
        inst = self.instance
        return sum((expected_tax(inst.applicants[i], inst.parcels[j]) for i, j in self.baseline.pairs), Decimal(0))

    @property
    def gain(self) -> Decimal:
        return self.objective - self.baseline_objective

    @property
    def gain_percent(self) -> Decimal | None:
        base = self.baseline_objective
        return quantize(self.gain / base * 100, 1) if base else None

    @property
    def gap(self) -> float:
        return gap(self.proposal.objective, self.bound)

    @property
    def allocated_mu(self) -> Decimal:
        return sum((r.parcel.area_mu for r in self.rows), Decimal(0))


def explain(instance: Instance, allocation: Allocation) -> tuple[list[Row], list[Left]]:
    rows = [explain_row(instance, i, j) for i, j in allocation.pairs]
    rows.sort(key=lambda r: (-r.expected_tax, r.applicant.review_id))
    assigned = allocation.by_applicant
    left = [explain_left(instance, i, allocation) for i in range(len(instance.applicants)) if i not in assigned]
    return rows, left


def propose(instance: Instance, method: str = Method.ASSIGNMENT) -> Proposal:
    """Solve, bound, compare with first come, first served, and explain."""
    timings = {}
    started = perf_counter()
    allocation = solve(instance, method)
    timings["solve"] = perf_counter() - started
    started = perf_counter()
    bound = upper_bound(instance)
    timings["bound"] = perf_counter() - started
    baseline = first_come_first_served(instance)
    started = perf_counter()
    rows, left = explain(instance, allocation)
    timings["reasons"] = perf_counter() - started
    return Proposal(instance, allocation, baseline, bound, rows, left, timings)


# --- keeping a proposal -----------------------------------------------------------------------------------------


def proposal_tables(proposal: Proposal) -> tuple[list[dict], list[dict]]:
    """The grants and the projects left without land as plain rows (their figures as text, every reason in the
    user's language): what the page shows and what a saved proposal keeps."""

    def figure(value):
        return None if value is None else str(value)

    rows = [
        {
            "review_id": r.applicant.review_id,
            "project_id": r.applicant.project_id,
            "project": r.applicant.label,
            "project_url": r.applicant.url,
            "parcel_id": r.parcel.id,
            "parcel": r.parcel.label,
            "parcel_url": r.parcel.url,
            "need_mu": figure(r.applicant.need_mu),
            "area_mu": figure(r.parcel.area_mu),
            "tax_per_mu": figure(r.applicant.tax_per_mu),
            "expected_tax": figure(r.expected_tax),
            "reasons": [str(reason) for reason in r.reasons],
        }
        for r in proposal.rows
    ]
    left = [
        {
            "review_id": item.applicant.review_id,
            "project": item.applicant.label,
            "project_url": item.applicant.url,
            "need_mu": figure(item.applicant.need_mu),
            "cause": str(item.cause),
            "cause_label": str(item.cause_label),
            "reason": str(item.reason),
        }
        for item in proposal.left
    ]
    return rows, left


def save_proposal(proposal: Proposal, user, *, title: str, districts=(), parks=()):
    """Keep the proposal as it was shown (its figures and every reason, in the user's language); nothing else
    changes."""
    from ..models import SavedAllocation

    rows, left = proposal_tables(proposal)
    record = SavedAllocation(
        title=title,
        tolerance=proposal.instance.tolerance,
        filters={"districts": [str(d) for d in districts], "parks": [str(p) for p in parks]},
        objective=proposal.objective,
        baseline_objective=proposal.baseline_objective,
        upper_bound=quantize(proposal.bound),
        projects_waiting=len(proposal.instance.applicants),
        parcels_on_offer=len(proposal.instance.parcels),
        rows=rows,
        left=left,
        created_by=user,
    )
    record.save()
    return record
