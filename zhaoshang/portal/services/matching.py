"""Matching (按图索骥, 精准对接): rank the sites on offer against an investor's needs, criterion by criterion.

The method is documented in docs/matching.md. In short:

1. Hard constraints choose the candidates (with NumPy, from the columns of every site kept once per change of
   the sites; ``candidates`` is the same rule in SQL): what the user may see (anonymous: public listings only),
   never a taken site, the kind asked for, a suitable industry (the site's own codes, or its park's
   leading industries or chain), an area window around the range asked for, and a site available by the
   date needed.
2. Every need the investor stated is a criterion with a weight. The base weights (``BASE_WEIGHTS``) are
   scaled so that the criteria asked for always weigh 100 together, in whole even numbers.
3. A site earns a criterion's full weight when it meets the need, a linearly smaller share when it falls
   short within a tolerance, nothing beyond it, and half the weight when it does not record the fact.
4. The score is the sum of the points (0–100). The explanation is rendered from the same ``Criterion``
   objects that sum to the score, so the two always agree.

Each criterion is judged by one NumPy function over column arrays (``Columns``: one element per site), for
the tens of thousands of candidates of a ranking and for a single site (``evaluate``) alike; the criteria of
the best sites are then built from the same arrays, so there is one implementation of the method.

Criteria store keys and numbers (``facts``), never sentences: a saved proposal renders its explanations in
the language of whoever reads it.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
import zipfile
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

import numpy as np
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from zhaoshang.accounts.models import adcode_prefix
from zhaoshang.core import formatting, generations
from zhaoshang.core.choices import Action
from zhaoshang.core.lru import Budgeted
from zhaoshang.geo.choices import Availability, CarrierKind
from zhaoshang.geo.models import Carrier, CarrierIndustry, Park, ParkIndustry, Region
from zhaoshang.geo.services import REGIONS_GENERATION, cover_photos
from zhaoshang.industry.models import Chain, IndustryCode

from ..filtersets import codes_for_industry
from . import listings

logger = logging.getLogger(__name__)

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
    return formatting.number(value)


def mu(value) -> str:
    return formatting.mu(value)


def sqm(value) -> str:
    return formatting.sqm(value, 2)


def kva(value) -> str:
    return _("%(n)s kVA") % {"n": num(value)}


def tpd(value) -> str:
    return _("%(n)s t/day") % {"n": num(value)}


def km(value) -> str:
    return _("%(n)s km") % {"n": num(value)}


def wan(value) -> str:
    return formatting.money(value)


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


# --- the sites as columns -----------------------------------------------------------------------------------

# A judging function's status per site: an index into STATUSES.
FIT_CODE, PARTIAL_CODE, SHORT_CODE, UNKNOWN_CODE = range(4)

ID_COLUMNS = ("pk", "region_id", "park_id")
# Flags, as booleans: a land parcel (else a building), reserved for another investor, listed for the industry.
FLAG_COLUMNS = ("parcel", "reserved", "site_fit")
# Days, as days since 1970-01-01.
DAY_COLUMNS = ("available_from", "last_verified")
# Money, areas, capacities and distances, as float64.
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
COLUMNS = (*ID_COLUMNS, *FLAG_COLUMNS, *DAY_COLUMNS, *FLOAT_COLUMNS)
# The kind as a small number (its index in ``KINDS``): the kept columns of every site answer any kind asked for.
KINDS = tuple(CarrierKind.values)
KIND_COLUMN = "kind_code"
# The place of the site's listing number in the database's order of listing numbers (ties at the cut of a ranking
# go to the lower number): read with every site's columns, so that a ranking chooses among ties without a query.
ORDER_COLUMN = "reference_order"
ARRAYS = (*COLUMNS, KIND_COLUMN, ORDER_COLUMN)

# The columns each criterion reads; ranking also reads ``pk`` and ``last_verified`` (the order of ties).
READS = {
    "industry": ("site_fit", "park_id"),
    "area": ("parcel", "area_mu", "floor_area_m2"),
    "budget": ("parcel", "area_mu", "land_price", "floor_area_m2"),  # and the rent or the sale price
    "power": ("power_kva",),
    "wastewater": ("wastewater_t_day",),
    "port": ("port_km",),
    "highway": ("highway_km",),
    "district": ("region_id",),
    "timing": ("available_from", "reserved"),
}

EPOCH = date(1970, 1, 1).toordinal()


def day_number(value) -> float:
    """A date (or its ISO text) as days since 1970-01-01; NaN for none."""
    if value is None or value == "":
        return math.nan
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return float(value.toordinal() - EPOCH)


def iso_day(days: float) -> str | None:
    return None if math.isnan(days) else date.fromordinal(int(days) + EPOCH).isoformat()


def columns_read(needs: Needs) -> tuple[tuple[str, ...], dict[str, float]]:
    """The columns ranking reads for ``needs`` (those of the criteria asked, the id and the verification day),
    and the values every candidate shares: with a kind asked for, whether it is a parcel, and the other kind's
    measures (never read: NaN)."""
    names = {"pk", "last_verified"}
    asked = needs.asked()
    for key in asked:
        names.update(READS[key])
    if "budget" in asked:
        names.add("sale_price" if needs.tenure == BUY else "rent")
    shared = {}
    if needs.kind and "parcel" in names:
        parcel = needs.kind == CarrierKind.PARCEL
        shared["parcel"] = parcel
        other = ("floor_area_m2", "rent", "sale_price") if parcel else ("area_mu", "land_price")
        shared.update({name: math.nan for name in other if name in names})
    return tuple(name for name in COLUMNS if name in names and name not in shared), shared


class Columns:
    """Sites as column arrays, one element per site: what the judging functions read.

    Numbers are float64 with NaN where the site does not record the fact, days are days since 1970-01-01
    (NaN for none), ``parcel``, ``reserved`` and ``site_fit`` are booleans and ``pk`` is int64. A column
    that was not read (no criterion asked needs it) is None.
    """

    __slots__ = (*ARRAYS, "size")

    def __init__(self, size: int, **arrays):
        self.size = size
        for name in ARRAYS:
            setattr(self, name, arrays.get(name))

    def __len__(self) -> int:
        return self.size

    @classmethod
    def from_rows(cls, names: tuple[str, ...], rows: list[tuple], shared: dict | None = None) -> Columns:
        """Columns from database rows of numbers (None for NULL, 0/1 or booleans for flags) in ``names`` order,
        and columns of one ``shared`` value."""
        data = np.array(rows, dtype=np.float64).reshape(len(rows), len(names))  # None becomes NaN
        arrays = {}
        for index, name in enumerate(names):
            column = np.ascontiguousarray(data[:, index])
            if name in FLAG_COLUMNS:
                column = column > 0
            elif name == "pk":
                column = column.astype(np.int64)
            elif name == KIND_COLUMN:
                column = column.astype(np.int8)
            arrays[name] = column
        for name, value in (shared or {}).items():
            arrays[name] = np.full(len(rows), value, dtype=bool if name in FLAG_COLUMNS else np.float64)
        return cls(len(rows), **arrays)

    def take(self, indexes: np.ndarray) -> Columns:
        """The sites at ``indexes``."""
        arrays = {name: getattr(self, name) for name in ARRAYS if getattr(self, name) is not None}
        return Columns(len(indexes), **{name: array[indexes] for name, array in arrays.items()})

    @classmethod
    def from_sites(cls, sites: list[Site]) -> Columns:
        """Columns from ``Site`` tuples (``evaluate`` judges one site as columns of one)."""
        rows = [
            (
                site.pk,
                site.region_id,
                site.park_id,
                site.kind == CarrierKind.PARCEL,
                site.availability == Availability.RESERVED,
                bool(site.site_fit),
                day_number(site.available_from),
                day_number(site.last_verified),
                *(getattr(site, name) for name in FLOAT_COLUMNS),
            )
            for site in sites
        ]
        return cls.from_rows(COLUMNS, rows)


Site = namedtuple(
    "Site",
    (
        "pk",
        "reference",
        "kind",
        "availability",
        "region_id",
        "park_id",
        "available_from",
        "last_verified",
        *FLOAT_COLUMNS,
        "site_fit",
        "region_names",
        "park_names",
    ),
    defaults=(False, None, None),
)
Site.__doc__ = """One site's facts as plain values (dates as ISO text or dates): what ``evaluate`` judges.

Ranking reads the same facts as ``Columns`` straight from the database; ``evaluate`` turns a ``Site`` into
columns of one and judges them with the same functions, so a site alone gets the points it gets in a ranking.
"""


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def site_from_carrier(carrier: Carrier, site_fit: bool, park=None) -> Site:
    return Site(
        pk=carrier.pk,
        reference=carrier.reference,
        kind=carrier.kind,
        availability=carrier.availability,
        region_id=carrier.region_id,
        park_id=carrier.park_id,
        available_from=_iso(carrier.available_from),
        last_verified=_iso(carrier.last_verified),
        site_fit=site_fit,
        region_names=names_of(carrier.region),
        park_names=names_of(park) if park is not None else None,
        **{name: _number(getattr(carrier, name)) for name in FLOAT_COLUMNS},
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


# --- judging: every criterion for every site at once --------------------------------------------------------
#
# Each criterion is judged by one function over the columns, for one site or a hundred thousand: a status
# and a share per site. ``points_for`` turns them into whole points; the explanation of a site reads its
# facts from the same columns (``FACTS``), so the reasons shown are those that gave the points.


@dataclass
class Judgement:
    """One criterion judged for every site: a status code (index into STATUSES) and a share per site, the
    points they earn, and any derived array the explanation reads (the budget's cost)."""

    status: np.ndarray
    share: np.ndarray
    cost: np.ndarray | None = None
    weight: int = 0
    points: np.ndarray | None = None


def _judged(share: np.ndarray, known: np.ndarray | None = None) -> Judgement:
    """Fits at a share of 1, falls short at 0, partly in between; unknown where the fact is not ``known``."""
    status = np.full(share.shape, PARTIAL_CODE, dtype=np.int8)
    status[share >= 1] = FIT_CODE
    status[share <= 0] = SHORT_CODE
    if known is not None:
        status[~known] = UNKNOWN_CODE
        share = np.where(known, share, 0.0)
    return Judgement(status, share)


def shortfall_share(need, have, tolerance: float) -> np.ndarray:
    """1 where ``have`` reaches ``need``; falling linearly to 0 where it is short by ``tolerance`` × need."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.maximum(0.0, 1 - (need - have) / (need * tolerance))
        return np.where(have >= need, 1.0, share)


def excess_share(limit, have, tolerance: float) -> np.ndarray:
    """1 where ``have`` is within ``limit``; falling linearly to 0 where it exceeds it by ``tolerance`` × limit."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(limit <= 0, 0.0, np.maximum(0.0, 1 - (have - limit) / (limit * tolerance)))
        return np.where(have <= limit, 1.0, share)


def points_for(weight: int, judgement: Judgement) -> np.ndarray:
    """Whole points: the weight when it fits, half when unknown, none when short, in between when partial
    (the weight × share rounded half up, kept between 1 and weight − 1)."""
    points = np.array([weight, 0, 0, weight // 2], dtype=np.int64)[judgement.status]
    partial = judgement.status == PARTIAL_CODE
    if partial.any():
        share = judgement.share[partial]
        points[partial] = np.clip(np.floor(weight * share + 0.5), 1, weight - 1).astype(np.int64)
    return points


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def judge_industry(needs: Needs, cols: Columns, context: Context) -> Judgement:
    in_fit_park = np.isin(cols.park_id, np.fromiter(context.fit_park_ids, dtype=np.float64))
    return _judged(np.where(cols.site_fit, 1.0, np.where(in_fit_park, PARK_MATCH_SHARE, 0.0)))


def judge_area(needs: Needs, cols: Columns, context: Context) -> Judgement:
    # Land for parcels, floor space for buildings; the other measure sized only is unknown for the site.
    parcel = cols.parcel
    have = np.where(parcel, cols.area_mu, cols.floor_area_m2)
    low = np.where(parcel, _nan(needs.area_min), _nan(needs.floor_min))
    high = np.where(parcel, _nan(needs.area_max), _nan(needs.floor_max))
    wanted = np.where(parcel, needs.wants_land, needs.wants_floor)
    below = have < low
    above = ~below & (have > high)
    share = np.ones(len(cols))
    share[below] = shortfall_share(low[below], have[below], AREA_BELOW)
    share[above] = excess_share(high[above], have[above], AREA_ABOVE)
    return _judged(share, wanted & ~np.isnan(have))


def site_cost(needs: Needs, cols: Columns) -> np.ndarray:
    """What each site costs in 万元 against the budget: a parcel's land cost, a building's year of rent or its
    purchase price (``needs.tenure``); NaN where a figure is not recorded."""
    if needs.tenure == BUY:
        building = cols.floor_area_m2 * cols.sale_price / 10000
    else:
        building = cols.floor_area_m2 * cols.rent * 12 / 10000
    return np.where(cols.parcel, cols.area_mu * cols.land_price, building)


def judge_budget(needs: Needs, cols: Columns, context: Context) -> Judgement:
    cost = site_cost(needs, cols)
    judgement = _judged(excess_share(needs.budget, cost, BUDGET_OVER), ~np.isnan(cost))
    judgement.cost = cost
    return judgement


def _capacity(need: float, have: np.ndarray) -> Judgement:
    return _judged(shortfall_share(need, have, CAPACITY_SHORT), ~np.isnan(have))


def judge_power(needs: Needs, cols: Columns, context: Context) -> Judgement:
    return _capacity(needs.power, cols.power_kva)


def judge_wastewater(needs: Needs, cols: Columns, context: Context) -> Judgement:
    return _capacity(needs.wastewater, cols.wastewater_t_day)


def _distance(limit: float, have: np.ndarray) -> Judgement:
    return _judged(excess_share(limit, have, DISTANCE_OVER), ~np.isnan(have))


def judge_port(needs: Needs, cols: Columns, context: Context) -> Judgement:
    return _distance(needs.port_km, cols.port_km)


def judge_highway(needs: Needs, cols: Columns, context: Context) -> Judgement:
    return _distance(needs.highway_km, cols.highway_km)


def judge_district(needs: Needs, cols: Columns, context: Context) -> Judgement:
    preferred = np.fromiter(context.preferred_region_ids, dtype=np.float64)
    return _judged(np.isin(cols.region_id, preferred).astype(np.float64))


def judge_timing(needs: Needs, cols: Columns, context: Context) -> Judgement:
    late = cols.available_from > day_number(needs.needed_by)  # NaN (no date) is never late
    return _judged(np.where(late, 0.0, np.where(cols.reserved, RESERVED_SHARE, 1.0)))


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


def judge(needs: Needs, cols: Columns, context: Context, weights: dict[str, int]) -> dict[str, Judgement]:
    """Every weighted criterion judged for every site, with its points."""
    judged = {}
    for key, weight in weights.items():
        judgement = JUDGES[key](needs, cols, context)
        judgement.weight = weight
        judgement.points = points_for(weight, judgement)
        judged[key] = judgement
    return judged


def scores(judged: dict[str, Judgement], size: int) -> np.ndarray:
    """Each site's score: the sum of its points."""
    total = np.zeros(size, dtype=np.int64)
    for judgement in judged.values():
        total += judgement.points
    return total


# --- the facts that explain one site's points, read from the same columns -----------------------------------

SiteNames = namedtuple("SiteNames", ("region", "park"), defaults=(None, None))
SiteNames.__doc__ = "A site's district and (visible) park as {zh, en} names, for the explanations."


def _value(array: np.ndarray, i: int) -> float | None:
    value = float(array[i])
    return None if math.isnan(value) else value


def facts_industry(needs, cols, i, context, judgement, names) -> dict:
    facts = {"need": context.industry_names}
    if judgement.status[i] == PARTIAL_CODE:
        facts["park"] = names.park
    return facts


def facts_area(needs, cols, i, context, judgement, names) -> dict:
    parcel = bool(cols.parcel[i])
    measure = "land" if parcel else "floor"
    have = _value(cols.area_mu if parcel else cols.floor_area_m2, i)
    if not (needs.wants_land if parcel else needs.wants_floor):
        # The investor sized the other measure: a parcel has no floor area, a building no plot of its own.
        other = "floor" if parcel else "land"
        return {
            "measure": other,
            "min": needs.floor_min if parcel else needs.area_min,
            "max": needs.floor_max if parcel else needs.area_max,
            "have": None,
            "site_measure": measure,
            "site_has": have,
        }
    low, high = (needs.area_min, needs.area_max) if parcel else (needs.floor_min, needs.floor_max)
    return {"measure": measure, "min": low, "max": high, "have": have}


def facts_budget(needs, cols, i, context, judgement, names) -> dict:
    cost = _value(judgement.cost, i)
    return {
        "budget": needs.budget,
        "basis": "land" if cols.parcel[i] else needs.tenure,
        "cost": None if cost is None else round(cost, 2),
    }


def _facts_need_have(need_field: str, column: str):
    def facts(needs, cols, i, context, judgement, names) -> dict:
        return {"need": getattr(needs, need_field), "have": _value(getattr(cols, column), i)}

    return facts


def facts_district(needs, cols, i, context, judgement, names) -> dict:
    return {"district": names.region, "preferred": context.district_names}


def facts_timing(needs, cols, i, context, judgement, names) -> dict:
    return {
        "need": needs.needed_by.isoformat(),
        "reserved": bool(cols.reserved[i]),
        "from": iso_day(float(cols.available_from[i])),
    }


FACTS = {
    "industry": facts_industry,
    "area": facts_area,
    "budget": facts_budget,
    "power": _facts_need_have("power", "power_kva"),
    "wastewater": _facts_need_have("wastewater", "wastewater_t_day"),
    "port": _facts_need_have("port_km", "port_km"),
    "highway": _facts_need_have("highway_km", "highway_km"),
    "district": facts_district,
    "timing": facts_timing,
}


def criteria_at(
    needs: Needs, cols: Columns, i: int, context: Context, judged: dict[str, Judgement], names: SiteNames
) -> list[Criterion]:
    """The criteria of the site at index ``i``: its points and statuses as judged, with the facts behind them."""
    return [
        Criterion(
            key,
            judgement.weight,
            int(judgement.points[i]),
            STATUSES[judgement.status[i]],
            FACTS[key](needs, cols, i, context, judgement, names),
        )
        for key, judgement in judged.items()
    ]


def evaluate(needs: Needs, site: Site, context: Context, weights: dict[str, int] | None = None) -> list[Criterion]:
    """Every asked criterion judged for one site, with the facts that explain it (the ranking's functions,
    applied to columns of one site)."""
    weights = weights if weights is not None else effective_weights(needs.asked())
    cols = Columns.from_sites([site])
    judged = judge(needs, cols, context, weights)
    return criteria_at(needs, cols, 0, context, judged, SiteNames(site.region_names, site.park_names))


def score_of(needs: Needs, site: Site, context: Context, weights: dict[str, int]) -> int:
    """One site's score: the sum of its points."""
    return sum(criterion.points for criterion in evaluate(needs, site, context, weights))


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
    return _("The site is listed for industries other than %(need)s.") % {"need": need}


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
        lambda: _("port wanted within %(need)s; it is %(have)s away"),
        lambda: _("port within %(need)s wanted; the distance is not recorded"),
    ),
    "highway": _explain_distance(
        lambda: _("highway exit wanted within %(need)s; it is %(have)s away"),
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


# Databases on which "listed for the industry" is a join rather than an IN subquery. PostgreSQL scans the
# sites either way and hashes the subquery once for the condition and again for the ``site_fit`` column; one
# hash join gives both. SQLite, on the contrary, walks the code and park indexes for the IN form but would
# probe the links of every public site for a join.
LISTING_JOIN_VENDORS = frozenset({"postgresql"})


def listing_join(alias: str) -> bool:
    return connections[alias].vendor in LISTING_JOIN_VENDORS


def candidates(needs: Needs, user=None, context: Context | None = None):
    """The sites that meet the hard constraints, as a queryset annotated with ``site_fit`` when an industry
    or chain is asked (see docs/matching.md)."""
    queryset = Carrier.objects.restrict(user, Action.VIEW).exclude(availability=Availability.TAKEN).order_by()
    if needs.kind:
        queryset = queryset.filter(kind=needs.kind)
    if needs.industry or needs.chain:
        context = context or Context.for_needs(needs, user)
        codes = industry_codes(needs)
        if codes and listing_join(queryset.db):
            # A site listed under two matching codes comes once per code.
            condition = code_match_q(codes, "industries__code")
            queryset = queryset.annotate(listed=FilteredRelation("industries", condition=condition))
            site_fit = Q(listed__isnull=False)
        else:
            site_fit = Q(pk__in=CarrierIndustry.objects.filter(code_match_q(codes)).values("carrier_id"))
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


class EpochDays(Func):
    """A date column as days since 1970-01-01 (a number; NULL stays NULL)."""

    template = "(%(expressions)s - DATE '1970-01-01')"  # PostgreSQL: date − date is a number of days
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s) - 2440587.5)", **extra_context)


def _read_as_number(name: str):
    """The SQL that reads column ``name`` as a number the driver returns as is (see ``Columns``)."""
    if name == "parcel":
        return AsRead(Q(kind=CarrierKind.PARCEL), output_field=BooleanField())
    if name == "reserved":
        return AsRead(Q(availability=Availability.RESERVED), output_field=BooleanField())
    if name in DAY_COLUMNS:
        return AsRead(EpochDays(name), output_field=FloatField())
    if name in FLOAT_COLUMNS:
        return AsRead(Cast(name, FloatField()), output_field=FloatField())
    if name == KIND_COLUMN:
        whens = [When(kind=kind, then=Value(index)) for index, kind in enumerate(KINDS)]
        return AsRead(Case(*whens, default=Value(-1)), output_field=IntegerField())
    if name == ORDER_COLUMN:
        return AsRead(Window(RowNumber(), order_by=F("reference").asc()), output_field=IntegerField())
    return None  # ids, and ``site_fit`` annotated by ``candidates``


def _compiled(queryset, names: tuple[str, ...]) -> tuple[str, tuple] | None:
    """The SQL and parameters that read the ``names`` columns of ``queryset`` as plain numbers; None when the
    queryset can have no row."""
    expressions = {name: _read_as_number(name) for name in names}
    select = [f"m_{name}" if expressions[name] is not None else name for name in names]
    queryset = queryset.annotate(
        **{f"m_{name}": expression for name, expression in expressions.items() if expression is not None}
    ).values_list(*select)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a user who may see nothing
        return None
    return sql, tuple(params)


# The public's query of every site's columns, compiled once a day (its text holds the day's staleness limit) and
# again when the sites change: compiling it costs more than finding its columns kept.
PUBLIC_QUERY = generations.Kept(listings.SITES_GENERATION, size=2)


def _fetch(queryset, names: tuple[str, ...], key_prefix: str, public: bool = False):
    """The ``names`` columns of every row of ``queryset`` as ``Columns`` (one query, rows of plain numbers, no model
    instance), kept in ``COLUMN_CACHE`` until the sites' generation or the day changes. ``public``: the queryset is
    the public's, the same for every anonymous caller (its SQL is compiled once, ``PUBLIC_QUERY``)."""
    day = timezone.localdate()
    if public:
        compiled = PUBLIC_QUERY.get(lambda: _compiled(queryset, names), (key_prefix, queryset.db, names, day))
    else:
        compiled = _compiled(queryset, names)
    if compiled is None:
        return Columns.from_rows(names, [])
    sql, params = compiled
    key = (key_prefix, queryset.db, sql, tuple(map(repr, params)), generations.current(SITES_GENERATION), day)
    cols = COLUMN_CACHE.get(key)
    if cols is not None:
        return cols
    cols = COLUMN_STORE.get(key)
    if cols is None:
        # One fetchall, without Django's row iterator: the values need no conversion (see ``AsRead``).
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        cols = Columns.from_rows(names, rows)
        if not transaction.get_connection(queryset.db).in_atomic_block:  # what a transaction reads may not last
            COLUMN_STORE.put(key, cols)
    COLUMN_CACHE.put(key, cols)
    return cols


def keep_public_columns(sender=None, name: str = "", **kwargs) -> None:
    """Read the public's columns of every site now (``site_columns``), after a change of the sites has committed
    (``generations.committed``), so that the investor who asks next finds them ready in every process of the
    machine (``COLUMN_STORE``). A failure here never reaches the change: the next ranking reads them itself."""
    if name != SITES_GENERATION:
        return
    try:
        site_columns(None)
        industry_links(Carrier.objects.db)
    except Exception:  # the change is committed whatever happens here
        logger.exception("the public sites' columns could not be kept after a change")


def site_columns(user=None) -> Columns:
    """Every column of every site ``user`` may see and that is not taken, read in one query and kept for every
    ranking until a site, a park, their industries or a chain change (``SITES_GENERATION``) or the day changes
    (listings go stale). Rankings choose their candidates from these arrays (``candidate_columns``): whatever
    the needs, a ranking after the first reads no site column again."""
    queryset = Carrier.objects.restrict(user, Action.VIEW).exclude(availability=Availability.TAKEN).order_by()
    names = tuple(name for name in ARRAYS if name != "site_fit")
    return _fetch(queryset, names, "sites", public=user is None or not user.is_authenticated)


def link_matches(link: str, codes: list[str]) -> bool:
    """``code_match_q`` for one link code: the same code or a finer one below it, or a broader one above it."""
    return any(link.startswith(code) or link in {code[:n] for n in range(2, len(code))} for code in codes)


# Every site's industry links, read once per change of the sites (and right after it: ``keep_public_columns``).
LINKS = generations.Kept(listings.SITES_GENERATION, size=4)


def industry_links(alias: str = "default") -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every industry link of a site as two arrays, the site's id and the index of its code in the list of the
    codes linked (the third item): one query per change of the sites."""

    def read():
        sql, params = CarrierIndustry.objects.using(alias).values_list("carrier_id", "code").query.sql_with_params()
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        codes = sorted({code for _site, code in rows})
        index = {code: i for i, code in enumerate(codes)}
        sites = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        links = np.fromiter((index[row[1]] for row in rows), dtype=np.int32, count=len(rows))
        sites.flags.writeable = links.flags.writeable = False
        return sites, links, codes

    return LINKS.get(read, alias)


def listed_sites(codes: list[str], alias: str = "default") -> np.ndarray:
    """The ids of the sites listed under a code that matches ``codes`` (``code_match_q``), sorted: chosen from
    every site's links (``industry_links``), kept like the sites' columns."""
    if not codes:
        return np.empty(0, dtype=np.int64)
    key = ("listed", alias, tuple(codes), generations.current(SITES_GENERATION))
    ids = COLUMN_CACHE.get(key)
    if ids is not None:
        return ids
    sites, links, linked = industry_links(alias)
    wanted = [i for i, link in enumerate(linked) if link_matches(link, codes)]
    ids = np.unique(sites[np.isin(links, wanted)])
    COLUMN_CACHE.put(key, ids)
    return ids


def _in_window(values: np.ndarray, low: float | None, high: float | None) -> np.ndarray:
    """``_window`` over arrays: sizes from half the minimum to twice the maximum, or not recorded."""
    inside = np.ones(len(values), dtype=bool)
    if low is not None:
        inside &= values >= float(_decimal(low * (1 - AREA_BELOW)))
    if high is not None:
        inside &= values <= float(_decimal(high * (1 + AREA_ABOVE)))
    return inside | np.isnan(values) if low is not None or high is not None else inside


def candidate_columns(needs: Needs, user=None, context: Context | None = None) -> Columns:
    """The columns ranking reads for ``needs`` (``columns_read``) of the sites that meet its hard constraints:
    ``candidates`` applied to the kept columns of every site (``site_columns``) instead of asked of the
    database again. The same sites as ``candidates(needs, user)`` (a test checks it)."""
    cols = site_columns(user)
    keep = np.ones(len(cols), dtype=bool)
    site_fit = None
    if needs.kind:
        keep &= cols.kind_code == (KINDS.index(needs.kind) if needs.kind in KINDS else -1)
    if needs.industry or needs.chain:
        context = context or Context.for_needs(needs, user)
        site_fit = np.isin(cols.pk, listed_sites(industry_codes(needs), Carrier.objects.db))
        keep &= site_fit | np.isin(cols.park_id, np.fromiter(context.fit_park_ids, dtype=np.float64))
    if needs.wants_land or needs.wants_floor:
        land = _in_window(cols.area_mu, needs.area_min, needs.area_max)
        floor = _in_window(cols.floor_area_m2, needs.floor_min, needs.floor_max)
        keep &= np.where(cols.parcel, land, floor)
    if needs.needed_by:
        keep &= np.isnan(cols.available_from) | (cols.available_from <= day_number(needs.needed_by))
    index = np.flatnonzero(keep)
    names, shared = columns_read(needs)
    names = (*names, ORDER_COLUMN)  # ties at the cut (``_rank``)
    arrays = {name: getattr(cols, name)[index] for name in names if name != "site_fit"}
    if "site_fit" in names:
        arrays["site_fit"] = site_fit[index]
    for name, value in shared.items():
        arrays[name] = np.full(len(index), value, dtype=bool if name in FLAG_COLUMNS else np.float64)
    return Columns(len(index), **arrays)


# --- the candidates' columns, kept between rankings -----------------------------------------------------------

SITES_GENERATION = listings.SITES_GENERATION


class ColumnCache(Budgeted):
    """The columns of recent candidate queries, least recently used first out, within a budget of numbers.

    Reading every public site of a city (tens of thousands of rows) costs most of a ranking; scoring them costs
    little. The columns of every site a user may see are read once per change of the sites (``site_columns``)
    and every ranking chooses its candidates from them, whatever its needs. Kept arrays are read-only: judging
    never writes them. Each process keeps its own; entries are found only under the current generation of the sites.
    """

    def __init__(self, budget: int):
        super().__init__(budget, weigh=self.numbers)

    @staticmethod
    def numbers(cols: Columns) -> int:
        if isinstance(cols, np.ndarray):
            return len(cols)
        return len(cols) * sum(getattr(cols, name) is not None for name in ARRAYS)

    def put(self, key, cols: Columns) -> None:
        arrays = [cols] if isinstance(cols, np.ndarray) else [getattr(cols, name) for name in ARRAYS]
        for array in arrays:
            if array is not None:
                array.flags.writeable = False
        super().put(key, cols)


COLUMN_CACHE = ColumnCache(budget=8_000_000)  # 64 MB: every site's columns for the public and a few staff


class ColumnStore:
    """Columns kept in files (``ZHAOSHANG_VAR_DIR/matching/``) for every process of the machine: a worker that
    starts, or meets a generation another process has read already, loads the arrays (uncompressed ``.npz``, a
    few milliseconds) instead of reading every site again. Files are named by a hash of the key (query,
    generation, day), written whole under a temporary name and renamed, so a reader sees a whole file or none;
    only the ``keep`` most recent are left."""

    def __init__(self, keep: int = 16):
        self.keep = keep

    @property
    def folder(self):
        return settings.VAR_DIR / "matching"

    def path(self, key):
        return self.folder / f"{hashlib.sha256(repr(key).encode()).hexdigest()[:40]}.npz"

    def get(self, key) -> Columns | None:
        try:
            with np.load(self.path(key), allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None
        size = int(arrays.pop("size_", -1))
        if size < 0 or any(name not in ARRAYS or len(array) != size for name, array in arrays.items()):
            return None
        return Columns(size, **arrays)

    def put(self, key, cols: Columns) -> None:
        if not isinstance(cols, Columns):
            return
        path = self.path(key)
        temporary = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp")
        arrays = {name: getattr(cols, name) for name in ARRAYS if getattr(cols, name) is not None}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as file:
                np.savez(file, size_=np.array(len(cols)), **arrays)
            os.replace(temporary, path)
            kept = sorted(self.folder.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in kept[self.keep :]:
                old.unlink(missing_ok=True)
        except OSError:  # a full disk or a file another process removed: the arrays are still in memory
            temporary.unlink(missing_ok=True)

    def clear(self) -> None:
        for path in self.folder.glob("*.npz"):
            path.unlink(missing_ok=True)


COLUMN_STORE = ColumnStore()


# Ties go to the most recently verified site: the order key is score × 10⁷ + the verification day (shifted to
# be positive for any date).
DAY_SHIFT = EPOCH
ORDER_SCALE = 10**7


def _best(cols: Columns, total: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sites that may be among the ``limit`` best by score, then by the most recently verified: the indexes
    of those certainly in (``above`` the cut) and of those ``tied`` at it, and every site's order key."""
    key = total * ORDER_SCALE + (cols.last_verified.astype(np.int64) + DAY_SHIFT)
    if len(key) <= limit:
        return np.arange(len(key)), np.arange(0), key
    cut = np.partition(key, len(key) - limit)[len(key) - limit]
    return np.flatnonzero(key > cut), np.flatnonzero(key == cut), key


# The public's recent rankings, by needs, language, day and generations. Needs come from a form of few fields with
# few values in practice, so the same needs come back often; a ranking of the public sites is the same for every
# anonymous caller. Each process keeps its own (the matches hold records, not worth a round trip to the shared
# cache): an entry is found only under the generations it was ranked under, so a change to a site, a park, a
# chain, a policy or a region is seen by the next ranking.
ANSWER_CACHE = Budgeted(256)
ANSWER_GENERATIONS = (SITES_GENERATION, listings.CONTENT_GENERATION, REGIONS_GENERATION)


def rank(needs: Needs, user=None, limit: int = MATCH_LIMIT) -> list[Match]:
    """The ``limit`` best sites for ``needs`` among those ``user`` may see, best first.

    The public's rankings (no user, or an anonymous one) are kept (``ANSWER_CACHE``) for the same needs.
    """
    if user is not None and user.is_authenticated:
        return _rank(needs, user, limit)
    numbers = generations.current_many(ANSWER_GENERATIONS)
    key = (repr(needs), user is None, limit, get_language(), timezone.localdate(), tuple(numbers.values()))
    found = ANSWER_CACHE.get(key)
    if found is None:
        found = _rank(needs, user, limit)
        ANSWER_CACHE.put(key, found)
    return list(found)


# The public's winning sites as records, by site and generations: the same sites win many rankings.
WINNERS = Budgeted(4096)


def winners(pks: list[int], user) -> list[Carrier]:
    """The records of the sites ``pks`` as a ranking shows them (region, park and team, whether ``user`` may see
    the park, industries; no boundary nor search text), in no particular order. The public's are kept
    (``WINNERS``) until a site, a park, a chain, the content or a region changes: only those not kept are read."""
    public = user is None or not user.is_authenticated
    numbers = (user is None, *generations.current_many(ANSWER_GENERATIONS).values()) if public else None
    found = {pk: WINNERS.get((pk, numbers)) for pk in pks} if public else {}
    missing = [pk for pk in pks if found.get(pk) is None]
    if missing:
        visible_park = Park.objects.restrict(user, Action.VIEW).filter(pk=OuterRef("park_id"))
        records = (
            Carrier.objects.filter(pk__in=missing)
            .annotate(park_visible=Exists(visible_park))
            .select_related("region", "park", "team")
            .defer("boundary", "search_text", "region__boundary", "park__boundary", "park__search_text")
            .prefetch_related("industries")
        )
        keep = public and not transaction.get_connection().in_atomic_block  # what a transaction reads may not last
        for carrier in records:
            found[carrier.pk] = carrier
            if keep:
                WINNERS.put((carrier.pk, numbers), carrier)
    return [found[pk] for pk in pks if found.get(pk) is not None]


def _rank(needs: Needs, user, limit: int) -> list[Match]:
    """The ranking itself (see ``rank``).

    The candidates' columns are chosen from the kept columns of every site (``candidate_columns``; one query
    after a change of the sites) and every criterion is judged for all of them
    at once with NumPy; only the best are then loaded as records (``winners``: with their region, park, team,
    whether the user may see the park, and their industries; the public's kept), and their criteria are built
    from the same columns that gave the scores. Ties go to the most recently verified listing, then to the
    lower listing number.
    """
    if limit <= 0:
        return []
    context = Context.for_needs(needs, user)
    weights = effective_weights(needs.asked())
    cols = candidate_columns(needs, user, context)
    judged = judge(needs, cols, context, weights)
    above, tied, key = _best(cols, scores(judged, len(cols)), limit)
    if len(above) + len(tied) > limit:
        # More sites tie at the cut than places are left: the lower listing numbers among them take the places.
        tied = tied[np.argsort(cols.reference_order[tied], kind="stable")[: limit - len(above)]]
    index_of = {int(cols.pk[i]): i for i in (*above.tolist(), *tied.tolist())}
    carriers = winners(list(index_of), user)
    ranked = []
    for carrier in carriers:
        i = index_of[carrier.pk]
        park = carrier.park if carrier.park_visible else None
        names = SiteNames(names_of(carrier.region), names_of(park) if park is not None else None)
        criteria = criteria_at(needs, cols, i, context, judged, names)
        match = Match(carrier, sum(c.points for c in criteria), criteria, park)
        ranked.append((-int(key[i]), carrier.reference, match))
    ranked.sort(key=lambda item: item[:2])
    return [match for _key, _reference, match in ranked]


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
        "address": {"zh": site.address, "en": site.address_en},
        "lon": site.lon,
        "lat": site.lat,
        "facts": facts,
        "codes": site.industry_codes,
        "team": names_of(team),
        "contact": {
            "name": site.contact_name,
            "name_en": site.contact_name_en,
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
        self.cover = None  # the site's cover photo now (geo.ListingPhoto), when it is public and has one

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
    def address(self) -> str:
        """The site's address when the proposal was saved ("" when it recorded none)."""
        names = self.data.get("address") or {}
        return pick(names) if names.get("zh") or names.get("en") else ""

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
        """The contact recorded with the proposal, its name in the current language (English when recorded)."""
        contact = dict(self.data.get("contact") or {})
        if get_language() == "en" and contact.get("name_en"):
            contact["name"] = contact["name_en"]
        return contact

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
    covers = cover_photos(current.values())
    sites = []
    for item in proposal.results:
        carrier = current.get(item["carrier"])
        park = carrier.park if carrier is not None and carrier.park_id in public_parks else None
        site = SavedSite(item, carrier, park)
        site.cover = covers.get(carrier.pk) if carrier is not None else None
        sites.append(site)
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
