"""Matching (按图索骥, 精准对接): rank the sites on offer against an investor's needs, criterion by criterion.

The method is documented in docs/matching.md. In short:

1. Hard constraints choose the candidates in SQL: what the user may see (anonymous: public listings only),
   never a taken site, the kind asked for, a suitable industry (the site's own codes, or its park's
   leading industries or chain), an area window around the range asked for, and a site available by the
   date needed.
2. Every need the investor stated is a criterion with a weight. The base weights (``BASE_WEIGHTS``) are
   scaled so that the criteria asked for always weigh 100 together, in whole even numbers.
3. A site earns a criterion's full weight when it meets the need, a linearly smaller share when it falls
   short within a tolerance, nothing beyond it, and half the weight when it does not record the fact.
4. The score is the sum of the points (0–100). The explanation is rendered from the same ``Criterion``
   objects that sum to the score, so the two always agree.

Criteria store keys and numbers (``facts``), never sentences: a saved proposal renders its explanations in
the language of whoever reads it.
"""

from __future__ import annotations

import heapq
import math
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from django.db.models import CharField, ExpressionWrapper, FloatField, IntegerField, Q
from django.db.models.functions import Cast
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from zhaoshang.accounts.models import adcode_prefix
from zhaoshang.core.choices import Action
from zhaoshang.geo.choices import Availability, CarrierKind
from zhaoshang.geo.models import Carrier, CarrierIndustry, Park, ParkIndustry, Region
from zhaoshang.industry.models import Chain, IndustryCode

from ..filtersets import codes_for_industry
from . import listings

FITS, PARTIAL, SHORT, UNKNOWN = "fits", "partial", "short", "unknown"
STATUSES = (FITS, PARTIAL, SHORT, UNKNOWN)

RENT, BUY = "rent", "buy"

# Base weights, even numbers summing to 100, in the order criteria are shown. See docs/matching.md.
BASE_WEIGHTS = {
    "industry": 24,
    "area": 20,
    "budget": 16,
    "power": 12,
    "wastewater": 8,
    "port": 6,
    "highway": 4,
    "district": 6,
    "timing": 4,
}
ORDER = tuple(BASE_WEIGHTS)

LABELS = {
    "industry": gettext_lazy("Industry"),
    "area": gettext_lazy("Size"),
    "budget": gettext_lazy("Budget"),
    "power": gettext_lazy("Power"),
    "wastewater": gettext_lazy("Wastewater"),
    "port": gettext_lazy("Port"),
    "highway": gettext_lazy("Highway"),
    "district": gettext_lazy("District"),
    "timing": gettext_lazy("Timing"),
}

# How far a site may miss a need before it earns nothing, as a share of the need: a site with half the
# power asked for earns nothing for power; a port twice as far as wanted earns nothing for the port.
AREA_BELOW = 0.5  # land or floor area down to half the minimum
AREA_ABOVE = 1.0  # up to twice the maximum
BUDGET_OVER = 0.5  # cost up to 1.5 × the budget
CAPACITY_SHORT = 0.5  # power and wastewater down to half the need
DISTANCE_OVER = 1.0  # port and highway up to twice the distance
PARK_MATCH_SHARE = 0.75  # the site is not listed for the industry but its park seeks it
RESERVED_SHARE = 0.5  # the site is reserved for another investor for now

MATCH_LIMIT = 20

STATUS_LABELS = {
    FITS: gettext_lazy("fits"),
    PARTIAL: gettext_lazy("partly"),
    SHORT: gettext_lazy("falls short"),
    UNKNOWN: gettext_lazy("not recorded"),
}


# --- the needs ----------------------------------------------------------------------------------------------


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def _positive(value) -> float | None:
    """A need of zero or less is no need."""
    value = _number(value)
    return value if value is not None and value > 0 else None


@dataclass
class Needs:
    """What an investor needs. Every field is optional; an empty field is not a criterion.

    ``area_min``/``area_max`` are land in 亩 (compared with land parcels), ``floor_min``/``floor_max`` floor
    space in m² (compared with factories and offices). ``budget`` is in 万元: what the investor can pay for a
    parcel's land, or per year of rent for a building (or its purchase price when ``tenure`` is "buy").
    """

    industry: str = ""  # GB/T 4754-2017 code: a section letter, a division or a finer code
    chain: int | None = None  # an industry chain's id
    kind: str = ""  # a CarrierKind, or "" for any
    area_min: float | None = None
    area_max: float | None = None
    floor_min: float | None = None
    floor_max: float | None = None
    budget: float | None = None
    tenure: str = RENT
    power: float | None = None  # kVA
    wastewater: float | None = None  # t/day
    port_km: float | None = None  # the port at most this far
    highway_km: float | None = None  # a highway exit at most this far
    districts: tuple[str, ...] = ()  # preferred districts (adcodes)
    needed_by: date | None = None

    def __post_init__(self):
        self.industry = (self.industry or "").strip().upper()
        self.kind = self.kind or ""
        self.tenure = self.tenure if self.tenure in (RENT, BUY) else RENT
        self.chain = int(self.chain) if self.chain not in (None, "") else None
        for name in ("area_min", "floor_min"):
            setattr(self, name, _positive(getattr(self, name)))
        for name in ("area_max", "floor_max", "budget", "power", "wastewater", "port_km", "highway_km"):
            setattr(self, name, _positive(getattr(self, name)))
        self.districts = tuple(sorted({str(code) for code in self.districts or () if code}))
        if isinstance(self.needed_by, str):
            self.needed_by = date.fromisoformat(self.needed_by) if self.needed_by else None

    @property
    def wants_land(self) -> bool:
        return self.area_min is not None or self.area_max is not None

    @property
    def wants_floor(self) -> bool:
        return self.floor_min is not None or self.floor_max is not None

    def asked(self) -> list[str]:
        """The criteria these needs ask for, in display order."""
        asked = {
            "industry": bool(self.industry or self.chain),
            "area": self.wants_land or self.wants_floor,
            "budget": self.budget is not None,
            "power": self.power is not None,
            "wastewater": self.wastewater is not None,
            "port": self.port_km is not None,
            "highway": self.highway_km is not None,
            "district": bool(self.districts),
            "timing": self.needed_by is not None,
        }
        return [key for key in ORDER if asked[key]]

    def to_dict(self) -> dict:
        """JSON-safe (stored with a proposal)."""
        return {
            "industry": self.industry,
            "chain": self.chain,
            "kind": self.kind,
            "area_min": self.area_min,
            "area_max": self.area_max,
            "floor_min": self.floor_min,
            "floor_max": self.floor_max,
            "budget": self.budget,
            "tenure": self.tenure,
            "power": self.power,
            "wastewater": self.wastewater,
            "port_km": self.port_km,
            "highway_km": self.highway_km,
            "districts": list(self.districts),
            "needed_by": self.needed_by.isoformat() if self.needed_by else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Needs:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def summary(self) -> list[tuple[str, str]]:
        """The stated needs as (label, value) lines in the current language."""
        lines = []
        if self.industry:
            code = IndustryCode.objects.filter(code=self.industry).first()
            lines.append((_("Industry"), str(code) if code else self.industry))
        if self.chain:
            chain = Chain.objects.filter(pk=self.chain).first()
            lines.append((_("Industry chain"), str(chain) if chain else "—"))
        if self.kind:
            lines.append((_("Kind"), str(CarrierKind(self.kind).label)))
        if self.wants_land:
            lines.append((_("Land"), _range(self.area_min, self.area_max, mu)))
        if self.wants_floor:
            lines.append((_("Floor space"), _range(self.floor_min, self.floor_max, sqm)))
        if self.budget is not None:
            tenure = _("renting") if self.tenure == RENT else _("buying")
            lines.append(
                (_("Budget"), _("%(amount)s (buildings: %(tenure)s)") % {"amount": wan(self.budget), "tenure": tenure})
            )
        if self.power is not None:
            lines.append((_("Power"), kva(self.power)))
        if self.wastewater is not None:
            lines.append((_("Wastewater"), tpd(self.wastewater)))
        if self.port_km is not None:
            lines.append((_("Port within"), km(self.port_km)))
        if self.highway_km is not None:
            lines.append((_("Highway exit within"), km(self.highway_km)))
        if self.districts:
            names = [str(r) for r in Region.objects.filter(adcode__in=self.districts).defer("boundary")]
            lines.append((_("Preferred districts"), ", ".join(names)))
        if self.needed_by:
            lines.append((_("Needed by"), self.needed_by.isoformat()))
        return lines


# --- numbers in sentences -----------------------------------------------------------------------------------


def num(value) -> str:
    """A number with thousands separators and no trailing zeros: 5,000 · 12.5 · 0.75."""
    if value is None:
        return "—"
    value = float(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def mu(value) -> str:
    return _("%(n)s mu") % {"n": num(value)}


def sqm(value) -> str:
    return _("%(n)s m²") % {"n": num(value)}


def kva(value) -> str:
    return _("%(n)s kVA") % {"n": num(value)}


def tpd(value) -> str:
    return _("%(n)s t/day") % {"n": num(value)}


def km(value) -> str:
    return _("%(n)s km") % {"n": num(value)}


def wan(value) -> str:
    return _("%(n)s × 10,000 yuan") % {"n": num(value)}


def _range(low, high, unit) -> str:
    if low is not None and high is not None:
        return _("%(low)s to %(high)s") % {"low": num(low), "high": unit(high)}
    if low is not None:
        return _("at least %(low)s") % {"low": unit(low)}
    return _("at most %(high)s") % {"high": unit(high)}


def pick(names: dict | None) -> str:
    """The current language's text of a {"zh": …, "en": …} pair."""
    if not names:
        return "—"
    if get_language() == "en" and names.get("en"):
        return names["en"]
    return names.get("zh") or names.get("en") or "—"


def names_of(obj) -> dict:
    return {"zh": obj.name, "en": getattr(obj, "name_en", "") or obj.name}


# --- criteria -----------------------------------------------------------------------------------------------


def status_of(share: float) -> str:
    if share >= 1:
        return FITS
    if share <= 0:
        return SHORT
    return PARTIAL


def points_for(weight: int, status: str, share: float = 0.0) -> int:
    """Whole points: the weight when it fits, half when unknown, none when short, in between when partial."""
    if status == FITS:
        return weight
    if status == SHORT:
        return 0
    if status == UNKNOWN:
        return weight // 2
    return min(weight - 1, max(1, math.floor(weight * share + 0.5)))


def shortfall_share(need: float, have: float, tolerance: float) -> float:
    """1 when ``have`` reaches ``need``; falling linearly to 0 when it is short by ``tolerance`` × need."""
    if have >= need:
        return 1.0
    return max(0.0, 1 - (need - have) / (need * tolerance))


def excess_share(limit: float, have: float, tolerance: float) -> float:
    """1 when ``have`` is within ``limit``; falling linearly to 0 when it exceeds it by ``tolerance`` × limit."""
    if have <= limit:
        return 1.0
    if limit <= 0:
        return 0.0
    return max(0.0, 1 - (have - limit) / (limit * tolerance))


def effective_weights(keys: list[str]) -> dict[str, int]:
    """The base weights of ``keys`` scaled to sum to 100 in even numbers (largest remainder)."""
    if not keys:
        return {}
    total = sum(BASE_WEIGHTS[key] for key in keys)
    raw = {key: Fraction(BASE_WEIGHTS[key] * 50, total) for key in keys}
    units = {key: math.floor(value) for key, value in raw.items()}
    left = 50 - sum(units.values())
    for key in sorted(keys, key=lambda k: (-(raw[k] - units[k]), ORDER.index(k)))[:left]:
        units[key] += 1
    return {key: 2 * units[key] for key in keys}


@dataclass(frozen=True)
class Criterion:
    """One need judged for one site: the points it earns and the numbers that explain them."""

    key: str
    weight: int
    points: int
    status: str
    facts: dict = field(default_factory=dict, compare=False)

    @property
    def label(self) -> str:
        return str(LABELS[self.key])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def explanation(self) -> str:
        """The reason in the current language, from the same facts that gave the points."""
        return EXPLAIN[self.key](self.status, self.facts)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "weight": self.weight,
            "points": self.points,
            "status": self.status,
            "facts": self.facts,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Criterion:
        return cls(data["key"], int(data["weight"]), int(data["points"]), data["status"], dict(data.get("facts") or {}))


# --- one site's facts, as read for ranking ------------------------------------------------------------------

# Columns read for every candidate; money, areas and distances are read as floats (no Decimal per value).
FLOAT_COLUMNS = (
    "area_mu",
    "floor_area_m2",
    "land_price",
    "rent",
    "sale_price",
    "power_kva",
    "wastewater_t_day",
    "port_km",
    "highway_km",
)
PLAIN_COLUMNS = ("pk", "reference", "kind", "availability", "region_id", "park_id")
# Dates are read as ISO text ("2026-05-30"): text needs no conversion per value and compares like the date.
DATE_COLUMNS = ("available_from", "last_verified")

Site = namedtuple(
    "Site",
    (*PLAIN_COLUMNS, *DATE_COLUMNS, *FLOAT_COLUMNS, "site_fit", "region_names", "park_names"),
    defaults=(False, None, None),
)
Site.__doc__ = """The facts of one site that the criteria read: plain values, no model instance.

Ranking reads them from the database for every candidate; the best sites are judged again from their
records with names added (``site_from_carrier``), by the same functions, so the points are the same.
"""


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def site_from_carrier(carrier: Carrier, site_fit: bool, park=None) -> Site:
    values = {name: getattr(carrier, name) for name in PLAIN_COLUMNS if name != "pk"}
    values.update({name: _iso(getattr(carrier, name)) for name in DATE_COLUMNS})
    values.update({name: _number(getattr(carrier, name)) for name in FLOAT_COLUMNS})
    return Site(
        pk=carrier.pk,
        site_fit=site_fit,
        region_names=names_of(carrier.region),
        park_names=names_of(park) if park is not None else None,
        **values,
    )


@dataclass
class Context:
    """What the criteria need to know once per ranking: the parks that seek the industry, the preferred
    districts' regions, and names for the explanations."""

    industry_names: dict | None = None
    fit_park_ids: frozenset = frozenset()
    preferred_region_ids: frozenset = frozenset()
    district_names: list = field(default_factory=list)

    @classmethod
    def for_needs(cls, needs: Needs, user=None) -> Context:
        context = cls()
        labels = []
        codes = industry_codes(needs)
        if needs.industry:
            code = IndustryCode.objects.filter(code=needs.industry).first()
            if code:
                labels.append({"zh": f"{code.code} {code.name}", "en": f"{code.code} {code.name_en or code.name}"})
            else:
                labels.append({"zh": needs.industry, "en": needs.industry})
        chain = Chain.objects.filter(pk=needs.chain).first() if needs.chain else None
        if chain is not None:
            labels.append(names_of(chain))
        if labels:
            context.industry_names = {
                "zh": " / ".join(label["zh"] for label in labels),
                "en": " / ".join(label["en"] for label in labels),
            }
        if needs.industry or needs.chain:
            # Parks the user may not see (unpublished, stale) neither qualify a site nor are named to them.
            visible_parks = Park.objects.restrict(user, Action.VIEW).values("pk")
            parks = set()
            if codes:
                linked = ParkIndustry.objects.filter(code_match_q(codes), park__in=visible_parks)
                parks.update(linked.values_list("park_id", flat=True))
            if chain is not None:
                parks.update(chain.parks.filter(pk__in=visible_parks).values_list("pk", flat=True))
            context.fit_park_ids = frozenset(parks)
        if needs.districts:
            prefixes = Q()
            for adcode in needs.districts:
                prefixes |= Q(adcode__startswith=adcode_prefix(adcode))
            context.preferred_region_ids = frozenset(Region.objects.filter(prefixes).values_list("pk", flat=True))
            context.district_names = [
                names_of(region)
                for region in Region.objects.filter(adcode__in=needs.districts).only("adcode", "name", "name_en")
            ]
        return context


def industry_codes(needs: Needs) -> list[str]:
    """The codes an investor's industry and chain stand for (a section letter stands for its divisions)."""
    codes = codes_for_industry(needs.industry) if needs.industry else []
    if needs.chain:
        codes += list(IndustryCode.objects.filter(chains__pk=needs.chain).values_list("code", flat=True))
    return codes


def code_match_q(codes: list[str], field_name: str = "code") -> Q:
    """Link codes that match ``codes`` by the rule of ``portal.filtersets.industry_q``: the same code, a finer
    code below it, or a broader code above it. Written as ranges (``"38" <= code < "39"``) instead of ``LIKE``
    so that the database walks the code index; a test checks both give the same sites."""
    if not codes:
        return Q(pk__in=[])
    match = Q()
    for code in codes:
        upper = code[:-1] + chr(ord(code[-1]) + 1)
        broader = [code[:n] for n in range(2, len(code))]
        match |= Q(**{f"{field_name}__gte": code, f"{field_name}__lt": upper})
        if broader:
            match |= Q(**{f"{field_name}__in": broader})
    return match


def judge_industry(needs: Needs, site: Site, context: Context, facts: dict | None = None):
    if facts is not None:
        facts["need"] = context.industry_names
    if site.site_fit:
        return FITS, 1.0
    if site.park_id in context.fit_park_ids:
        if facts is not None:
            facts["park"] = site.park_names
        return PARTIAL, PARK_MATCH_SHARE
    return SHORT, 0.0


def judge_area(needs: Needs, site: Site, context: Context, facts: dict | None = None):
    if site.kind == CarrierKind.PARCEL:
        measure, low, high, have, wanted = "land", needs.area_min, needs.area_max, site.area_mu, needs.wants_land
    else:
        measure, low, high = "floor", needs.floor_min, needs.floor_max
        have, wanted = site.floor_area_m2, needs.wants_floor
    if not wanted:
        # The investor sized the other measure: a parcel has no floor area, a building no plot of its own.
        if facts is not None:
            other = "floor" if measure == "land" else "land"
            facts.update(
                measure=other,
                min=needs.floor_min if other == "floor" else needs.area_min,
                max=needs.floor_max if other == "floor" else needs.area_max,
                have=None,
                site_measure=measure,
                site_has=have,
            )
        return UNKNOWN, 0.0
    if facts is not None:
        facts.update(measure=measure, min=low, max=high, have=have)
    if have is None:
        return UNKNOWN, 0.0
    share = 1.0
    if low is not None and have < low:
        share = shortfall_share(low, have, AREA_BELOW)
    elif high is not None and have > high:
        share = excess_share(high, have, AREA_ABOVE)
    return status_of(share), share


def site_cost(needs: Needs, site: Site) -> tuple[str, float | None]:
    """What the site costs in 万元 against the budget: land cost, a year of rent, or the purchase price."""
    if site.kind == CarrierKind.PARCEL:
        if site.area_mu is None or site.land_price is None:
            return "land", None
        return "land", site.area_mu * site.land_price
    if site.floor_area_m2 is None:
        return needs.tenure, None
    if needs.tenure == BUY:
        if site.sale_price is None:
            return BUY, None
        return BUY, site.floor_area_m2 * site.sale_price / 10000
    if site.rent is None:
        return RENT, None
    return RENT, site.floor_area_m2 * site.rent * 12 / 10000


def judge_budget(needs: Needs, site: Site, context: Context, facts: dict | None = None):
    basis, cost = site_cost(needs, site)
    if facts is not None:
        facts.update(budget=needs.budget, basis=basis, cost=None if cost is None else round(cost, 2))
    if cost is None:
        return UNKNOWN, 0.0
    share = excess_share(needs.budget, cost, BUDGET_OVER)
    return status_of(share), share


def _capacity(need: float, have: float | None, facts: dict | None):
    if facts is not None:
        facts.update(need=need, have=have)
    if have is None:
        return UNKNOWN, 0.0
    share = shortfall_share(need, have, CAPACITY_SHORT)
    return status_of(share), share


def judge_power(needs: Needs, site: Site, context: Context, facts: dict | None = None):
    return _capacity(needs.power, site.power_kva, facts)


def judge_wastewater(needs: Needs, site: Site, context: Context, facts: dict | None = None):
    return _capacity(needs.wastewater, site.wastewater_t_day, facts)


def _distance(limit: float, have: float | None, facts: dict | None):
    if facts is not None:
        facts.update(need=limit, have=have)
    if have is None:
        return UNKNOWN, 0.0
    share = excess_share(limit, have, DISTANCE_OVER)
    return status_of(share), share


def judge_port(needs: Needs, site: Site, context: Context, facts: dict | None = None):
    return _distance(needs.port_km, site.port_km, facts)


def judge_highway(needs: Needs, site: Site, context: Context, facts: dict | None = None):
    return _distance(needs.highway_km, site.highway_km, facts)


def judge_district(needs: Needs, site: Site, context: Context, facts: dict | None = None):
    if facts is not None:
        facts.update(district=site.region_names, preferred=context.district_names)
    if site.region_id in context.preferred_region_ids:
        return FITS, 1.0
    return SHORT, 0.0


def judge_timing(needs: Needs, site: Site, context: Context, facts: dict | None = None):
    available_from = site.available_from  # ISO text
    needed_by = needs.needed_by.isoformat()
    reserved = site.availability == Availability.RESERVED
    if facts is not None:
        facts.update(need=needed_by, reserved=reserved, **{"from": available_from})
    if available_from is not None and available_from > needed_by:
        return SHORT, 0.0
    if reserved:
        return PARTIAL, RESERVED_SHARE
    return FITS, 1.0


JUDGES = {
    "industry": judge_industry,
    "area": judge_area,
    "budget": judge_budget,
    "power": judge_power,
    "wastewater": judge_wastewater,
    "port": judge_port,
    "highway": judge_highway,
    "district": judge_district,
    "timing": judge_timing,
}


def score_of(needs: Needs, site: Site, context: Context, weights: dict[str, int]) -> int:
    """The sum of the points (what ranking sorts by; ``evaluate`` gives the same points with their reasons)."""
    total = 0
    for key, weight in weights.items():
        status, share = JUDGES[key](needs, site, context)
        total += points_for(weight, status, share)
    return total


def evaluate(needs: Needs, site: Site, context: Context, weights: dict[str, int] | None = None) -> list[Criterion]:
    """Every asked criterion judged for one site, with the facts that explain it."""
    weights = weights if weights is not None else effective_weights(needs.asked())
    criteria = []
    for key, weight in weights.items():
        facts: dict = {}
        status, share = JUDGES[key](needs, site, context, facts)
        criteria.append(Criterion(key, weight, points_for(weight, status, share), status, facts))
    return criteria


# --- explanations (rendered at display time, in the reader's language) --------------------------------------


def _explain_industry(status, facts):
    need = pick(facts.get("need"))
    if status == FITS:
        return _("The site is listed for %(need)s.") % {"need": need}
    if status == PARTIAL:
        return _("The site is not listed for %(need)s, but its park %(park)s seeks it.") % {
            "need": need,
            "park": pick(facts.get("park")),
        }
    return _("The site is listed for other industries than %(need)s.") % {"need": need}


def _explain_area(status, facts):
    unit = mu if facts.get("measure") == "land" else sqm
    need = _range(facts.get("min"), facts.get("max"), unit)
    if facts.get("site_measure"):
        site_unit = mu if facts["site_measure"] == "land" else sqm
        if facts["site_measure"] == "land":
            text = _("needs %(need)s of floor space; this is a land parcel of %(have)s")
        else:
            text = _("needs %(need)s of land; this is a building with %(have)s of floor space")
        return text % {"need": need, "have": site_unit(facts.get("site_has")) if facts.get("site_has") else "—"}
    if status == UNKNOWN:
        return _("needs %(need)s; the site's area is not recorded") % {"need": need}
    return _("needs %(need)s, has %(have)s") % {"need": need, "have": unit(facts.get("have"))}


def _explain_budget(status, facts):
    budget = wan(facts.get("budget"))
    basis = facts.get("basis")
    if status == UNKNOWN:
        if basis == "land":
            return _("budget %(budget)s; the land price is not recorded") % {"budget": budget}
        if basis == BUY:
            return _("budget %(budget)s; the sale price is not recorded") % {"budget": budget}
        return _("budget %(budget)s; the rent is not recorded") % {"budget": budget}
    cost = wan(facts.get("cost"))
    if basis == "land":
        return _("budget %(budget)s, land cost %(cost)s") % {"budget": budget, "cost": cost}
    if basis == BUY:
        return _("budget %(budget)s, purchase price %(cost)s") % {"budget": budget, "cost": cost}
    return _("budget %(budget)s, rent %(cost)s a year") % {"budget": budget, "cost": cost}


def _explain_capacity(unit, missing):
    def explain(status, facts):
        if status == UNKNOWN:
            return missing() % {"need": unit(facts.get("need"))}
        return _("needs %(need)s, has %(have)s") % {"need": unit(facts.get("need")), "have": unit(facts.get("have"))}

    return explain


def _explain_distance(within, missing):
    def explain(status, facts):
        if status == UNKNOWN:
            return missing() % {"need": km(facts.get("need"))}
        return within() % {"need": km(facts.get("need")), "have": km(facts.get("have"))}

    return explain


def _explain_district(status, facts):
    district = pick(facts.get("district"))
    if status == FITS:
        return _("in %(district)s, a preferred district") % {"district": district}
    preferred = ", ".join(pick(names) for names in facts.get("preferred") or [])
    return _("in %(district)s, not among the preferred districts (%(preferred)s)") % {
        "district": district,
        "preferred": preferred or "—",
    }


def _explain_timing(status, facts):
    values = {"need": facts.get("need"), "from": facts.get("from")}
    if status == SHORT:
        return _("needed by %(need)s, available only from %(from)s") % values
    if status == PARTIAL:
        return _("needed by %(need)s; reserved for another investor for now, ask the contact") % values
    if facts.get("from"):
        return _("needed by %(need)s, available from %(from)s") % values
    return _("needed by %(need)s, available now") % values


EXPLAIN = {
    "industry": _explain_industry,
    "area": _explain_area,
    "budget": _explain_budget,
    "power": _explain_capacity(kva, lambda: _("needs %(need)s; the power capacity is not recorded")),
    "wastewater": _explain_capacity(tpd, lambda: _("needs %(need)s; the wastewater capacity is not recorded")),
    "port": _explain_distance(
        lambda: _("port within %(need)s wanted, it is %(have)s away"),
        lambda: _("port within %(need)s wanted; the distance is not recorded"),
    ),
    "highway": _explain_distance(
        lambda: _("highway exit within %(need)s wanted, it is %(have)s away"),
        lambda: _("highway exit within %(need)s wanted; the distance is not recorded"),
    ),
    "district": _explain_district,
    "timing": _explain_timing,
}


# --- ranking ------------------------------------------------------------------------------------------------


@dataclass
class Match:
    """One ranked site: the score is the sum of the criteria's points."""

    carrier: Carrier
    score: int
    criteria: list[Criterion]
    park: Park | None = None  # the site's park when the user may see it

    @cached_property
    def policies(self) -> list:
        return policies_for_carrier(self.carrier, self.park)

    @property
    def fits(self) -> list[Criterion]:
        return [c for c in self.criteria if c.status == FITS]

    @property
    def shortfalls(self) -> list[Criterion]:
        return [c for c in self.criteria if c.status in (PARTIAL, SHORT)]


def policies_for_carrier(carrier: Carrier, park: Park | None) -> list:
    """The policies in force for the site's district, its park (when visible) and its industries: the rule of
    the park and site pages (``listings.policies_for``)."""
    return list(listings.policies_for(region=carrier.region, park=park, codes=carrier.industry_codes))


class AsRead(ExpressionWrapper):
    """An expression whose values come back as the database driver returns them.

    Drivers already give floats for a float cast, text for a text cast and 0/1 or a bool for a condition;
    without Django's per-value conversion, reading thousands of candidate rows takes a third less time.
    """

    @property
    def convert_value(self):
        return self._convert_value_noop


def _decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))


def candidates(needs: Needs, user=None, context: Context | None = None):
    """The sites that meet the hard constraints, as a queryset annotated with ``site_fit`` when an industry
    or chain is asked (see docs/matching.md)."""
    queryset = Carrier.objects.restrict(user, Action.VIEW).exclude(availability=Availability.TAKEN).order_by()
    if needs.kind:
        queryset = queryset.filter(kind=needs.kind)
    if needs.industry or needs.chain:
        context = context or Context.for_needs(needs, user)
        codes = industry_codes(needs)
        listed = CarrierIndustry.objects.filter(code_match_q(codes)).values("carrier_id")
        site_fit = Q(pk__in=listed)
        queryset = queryset.filter(site_fit | Q(park_id__in=sorted(context.fit_park_ids))).annotate(
            site_fit=AsRead(site_fit, output_field=IntegerField())
        )
    if needs.wants_land or needs.wants_floor:
        queryset = queryset.filter(
            (Q(kind=CarrierKind.PARCEL) & _window("area_mu", needs.area_min, needs.area_max))
            | (~Q(kind=CarrierKind.PARCEL) & _window("floor_area_m2", needs.floor_min, needs.floor_max))
        )
    if needs.needed_by:
        queryset = queryset.filter(Q(available_from__isnull=True) | Q(available_from__lte=needs.needed_by))
    return queryset


def _window(column: str, low: float | None, high: float | None) -> Q:
    """Sizes worth scoring: from half the minimum to twice the maximum (or not recorded)."""
    q = Q()
    if low is not None:
        q &= Q(**{f"{column}__gte": _decimal(low * (1 - AREA_BELOW))})
    if high is not None:
        q &= Q(**{f"{column}__lte": _decimal(high * (1 + AREA_ABOVE))})
    if not q:
        return Q()
    return q | Q(**{f"{column}__isnull": True})


def rank(needs: Needs, user=None, limit: int = MATCH_LIMIT) -> list[Match]:
    """The ``limit`` best sites for ``needs`` among those ``user`` may see, best first.

    Every candidate is scored from a few plain columns (one query, no model instances); the best are then
    loaded with their names and industries (three more queries) and judged again with reasons. Ties go to
    the most recently verified listing, then to the lower listing number.
    """
    context = Context.for_needs(needs, user)
    weights = effective_weights(needs.asked())
    with_industry = bool(needs.industry or needs.chain)
    dates = {f"d_{name}": AsRead(Cast(name, CharField()), output_field=CharField()) for name in DATE_COLUMNS}
    floats = {f"f_{name}": AsRead(Cast(name, FloatField()), output_field=FloatField()) for name in FLOAT_COLUMNS}
    columns = [*PLAIN_COLUMNS, *dates, *floats]
    if with_industry:
        columns.append("site_fit")
    rows = candidates(needs, user, context).annotate(**dates, **floats).values_list(*columns)
    scored = []
    for row in rows:
        site = Site(*row)
        verified = -int(site.last_verified.replace("-", ""))
        scored.append((-score_of(needs, site, context, weights), verified, site.reference, site))
    best = heapq.nsmallest(limit, scored, key=lambda item: item[:3])
    carriers = (
        Carrier.objects.filter(pk__in=[item[3].pk for item in best])
        .select_related("region", "park", "team")
        .defer("boundary", "search_text", "region__boundary", "park__boundary", "park__search_text")
        .prefetch_related("industries")
        .in_bulk()
    )
    park_ids = {carrier.park_id for carrier in carriers.values() if carrier.park_id}
    visible_parks = set(Park.objects.restrict(user, Action.VIEW).filter(pk__in=park_ids).values_list("pk", flat=True))
    matches = []
    for _score, _verified, _reference, row in best:
        carrier = carriers.get(row.pk)
        if carrier is None:  # deleted in between
            continue
        park = carrier.park if carrier.park_id in visible_parks else None
        criteria = evaluate(needs, site_from_carrier(carrier, bool(row.site_fit), park), context, weights)
        matches.append(Match(carrier, sum(c.points for c in criteria), criteria, park))
    return matches


# --- saved proposals ----------------------------------------------------------------------------------------

FACT_FIELDS = (
    "area_mu",
    "land_price",
    "floor_area_m2",
    "rent",
    "sale_price",
    "power_kva",
    "wastewater_t_day",
    "port_km",
    "highway_km",
)


def _json_number(value):
    return float(value) if isinstance(value, Decimal) else value


def snapshot(match: Match) -> dict:
    """A ranked site as saved with a proposal: its facts then, its score and criteria as keys and numbers."""
    site = match.carrier
    team = site.team
    facts = {name: _json_number(getattr(site, name)) for name in FACT_FIELDS}
    facts["available_from"] = site.available_from.isoformat() if site.available_from else None
    return {
        "carrier": site.pk,
        "reference": site.reference,
        "name": site.name,
        "name_en": site.name_en,
        "kind": site.kind,
        "region": {"adcode": site.region.adcode, **names_of(site.region)},
        "park": names_of(match.park) if match.park is not None else None,
        "lon": site.lon,
        "lat": site.lat,
        "facts": facts,
        "codes": site.industry_codes,
        "team": names_of(team),
        "contact": {
            "name": site.contact_name,
            "phone": site.contact_phone or team.phone,
            "email": site.contact_email or team.email,
        },
        "project_type": listings.project_type_for(site),
        "score": match.score,
        "criteria": [criterion.as_dict() for criterion in match.criteria],
    }


def save_proposal(needs: Needs, *, language: str, title: str = ""):
    """Rank again and save the result as a proposal.

    A proposal is a public page (anyone with its link reads it), so it holds public sites only, whoever saves it.
    """
    from ..models import Proposal

    matches = rank(needs, user=None)
    return Proposal.objects.create(
        title=title, needs=needs.to_dict(), results=[snapshot(match) for match in matches], language=language
    )


class SavedSite:
    """A site of a saved proposal as the reader sees it: the snapshot, in the reader's language, with whether
    the site is still on offer now (``carrier`` is the current public record, or None)."""

    def __init__(self, data: dict, carrier: Carrier | None, current_park: Park | None = None):
        self.data = data
        self.carrier = carrier
        self.current_park = current_park  # the site's park now, when public
        self.reference = data["reference"]
        self.score = int(data["score"])
        self.criteria = [Criterion.from_dict(c) for c in data.get("criteria", [])]
        self.project_type = data.get("project_type", "")

    @property
    def available(self) -> bool:
        return self.carrier is not None

    @property
    def name(self) -> str:
        return pick({"zh": self.data["name"], "en": self.data.get("name_en")})

    @property
    def name_zh(self) -> str:
        return self.data["name"]

    @property
    def name_en(self) -> str:
        return self.data.get("name_en") or ""

    @property
    def district(self) -> str:
        return pick(self.data.get("region"))

    @property
    def park(self) -> str:
        return pick(self.data["park"]) if self.data.get("park") else ""

    @property
    def kind_label(self) -> str:
        try:
            return str(CarrierKind(self.data["kind"]).label)
        except ValueError:
            return self.data["kind"]

    @property
    def team(self) -> str:
        return pick(self.data.get("team"))

    @property
    def contact(self) -> dict:
        return self.data.get("contact") or {}

    @property
    def url(self) -> str:
        return self.carrier.get_absolute_url() if self.carrier else ""

    @property
    def key_facts(self) -> list[tuple[str, str]]:
        """(label, value) of the facts recorded when the proposal was saved."""
        facts = self.data.get("facts") or {}
        lines = []
        for name in FACT_FIELDS:
            value = facts.get(name)
            if value is not None:
                lines.append((capfirst(Carrier._meta.get_field(name).verbose_name), num(value)))
        if facts.get("available_from"):
            lines.append((capfirst(Carrier._meta.get_field("available_from").verbose_name), facts["available_from"]))
        return lines

    @cached_property
    def policies(self) -> list:
        """The policies in force now for the site, in the reader's language (none once the site is gone)."""
        if self.carrier is None:
            return []
        return [listings.Localized(p) for p in policies_for_carrier(self.carrier, self.current_park)]

    def point(self) -> dict:
        """What the proposal's map draws for this site."""
        return {
            "reference": self.reference,
            "name": self.name,
            "lon": self.data.get("lon"),
            "lat": self.data.get("lat"),
            "score": self.score,
            "available": self.available,
            "url": self.url,
        }


def proposal_sites(proposal) -> list[SavedSite]:
    """The proposal's sites in their saved order; those no longer public or on offer have ``carrier`` None."""
    pks = [item["carrier"] for item in proposal.results]
    current = (
        Carrier.objects.restrict(None, Action.VIEW)
        .filter(pk__in=pks)
        .select_related("region", "park", "team")
        .defer("boundary", "search_text", "region__boundary", "park__boundary", "park__search_text")
        .prefetch_related("industries")
        .in_bulk()
    )
    park_ids = {carrier.park_id for carrier in current.values() if carrier.park_id}
    public_parks = set(Park.objects.restrict(None, Action.VIEW).filter(pk__in=park_ids).values_list("pk", flat=True))
    sites = []
    for item in proposal.results:
        carrier = current.get(item["carrier"])
        park = carrier.park if carrier is not None and carrier.park_id in public_parks else None
        sites.append(SavedSite(item, carrier, park))
    return sites


def proposal_guides(sites: list[SavedSite]) -> list[dict]:
    """The landing guides of the proposal's sites (one per project type, in first-seen order), with steps."""
    seen: list[str] = []
    for site in sites:
        if site.project_type and site.project_type not in seen:
            seen.append(site.project_type)
    guides = []
    for project_type in seen:
        context = listings.guide_context(listings.guide_for(project_type))
        if context["guide"] is not None:
            guides.append({"project_type": project_type, **context})
    return guides
