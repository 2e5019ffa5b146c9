"""Site comparison (载体对比): two to four sites side by side, one row per fact.

The page, its PDF and the "save as a proposal" button read the same ``Comparison``: the sites the user may see,
in the order asked, and the rows built from them. A row is a label and one formatted cell per site (``—`` when the
site does not record the fact); in a row where a lower or a higher value is better, the best cells are marked
(``best`` — pages and the PDF show an icon and a word, never a colour alone).

The rows come from the functions of ``ROW_BUILDERS``, in order, each given the compared sites: another module
adds its rows (photos, location facts, …) with ``register_rows(function)`` without touching this one. A row
that no compared site records is left out.

Addresses: ``/compare/?sites=<id>&sites=<id>…`` — the ``sites`` parameter repeated, in the order of the columns
(what a form of checkboxes named ``sites`` sends).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core import formatting
from zhaoshang.core.choices import Action
from zhaoshang.core.ids import parse_id
from zhaoshang.geo.choices import FactKind
from zhaoshang.geo.models import Carrier, Park
from zhaoshang.geo.services import cover_photos, location_facts

from . import listings
from .matching import Match, km, kva, snapshot, tpd

MIN_SITES, MAX_SITES = 2, 4
PARAMETER = "sites"
LOWER, HIGHER = "lower", "higher"
UNKNOWN = formatting.UNKNOWN
SUGGESTIONS = 8  # sites of the same parks offered for adding
SOURCE = "comparison"  # what a proposal saved from a comparison records as its needs' source

BEST_LABELS = {LOWER: gettext_lazy("lowest"), HIGHER: gettext_lazy("highest")}

# Groups of rows, in the order they are shown.
GROUP_SITE = gettext_lazy("The site")
GROUP_LAND = gettext_lazy("Land and planning")
GROUP_BUILDING = gettext_lazy("Buildings")
GROUP_INFRASTRUCTURE = gettext_lazy("Infrastructure")
GROUP_DISTANCES = gettext_lazy("Distances")
GROUP_PARK = gettext_lazy("Park")
GROUP_POLICIES = gettext_lazy("Policies that apply")
GROUP_FACTS = gettext_lazy("Workforce, suppliers and costs")

# Location facts where a lower or a higher figure is better for the investor (wages: neither, they say two things).
FACT_BETTER = {
    FactKind.WORKING_AGE: HIGHER,
    FactKind.GRADUATES: HIGHER,
    FactKind.COLLEGES: HIGHER,
    FactKind.SUPPLIERS: HIGHER,
    FactKind.TO_PORT: LOWER,
    FactKind.TO_AIRPORT: LOWER,
    FactKind.TO_CITY: LOWER,
    FactKind.ELECTRICITY_PRICE: LOWER,
    FactKind.WATER_PRICE: LOWER,
    FactKind.GAS_PRICE: LOWER,
}


class ComparisonError(Exception):
    """The sites asked for cannot be compared: ``message`` says why (translated), ``status`` is the HTTP answer.
    ``keep`` are the ids that can still be compared (the address that drops the offending one)."""

    def __init__(self, message: str, status: int = 400, keep: Sequence[int] = ()):
        super().__init__(message)
        self.message = message
        self.status = status
        self.keep = list(keep)


# --- cells and rows -----------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One site's value in a row: its text (``—`` when unknown), an optional link, optional linked items (a list
    of policies, say) and whether it is the best of its row."""

    text: str = UNKNOWN
    url: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, url or "")
    best: bool = False
    image: str = ""  # an image's address (a cover photo): the page shows it, ``text`` is its alternative text
    photo: object = None  # the photo itself (geo.ListingPhoto), which the PDF embeds

    @property
    def missing(self) -> bool:
        return self.text == UNKNOWN and not self.items and not self.image

    @property
    def plain(self) -> str:
        """The cell as one line of text (the PDF's)."""
        if self.items:
            return "; ".join(text for text, _url in self.items)
        return self.text


@dataclass
class Row:
    key: str
    label: str
    group: str
    cells: list[Cell]
    better: str = ""  # LOWER or HIGHER when a lower or higher value is better; "" when neither

    @property
    def best_label(self) -> str:
        return str(BEST_LABELS[self.better]) if self.better else ""

    @property
    def marked(self) -> bool:
        return any(cell.best for cell in self.cells)


def mark_best(cells: list[Cell], values: list, better: str) -> None:
    """Mark the cells of the lowest (or highest) value, when at least two sites record the fact and they differ."""
    known = [value for value in values if value is not None]
    if not better or len(known) < 2 or len(set(known)) < 2:
        return
    target = min(known) if better == LOWER else max(known)
    for cell, value in zip(cells, values, strict=True):
        cell.best = value is not None and value == target


def number_row(key, label, group, sites, value_of: Callable, fmt: Callable, better: str = "") -> Row:
    """A row of a number each site may record: formatted by ``fmt``, the best marked when ``better`` says."""
    values = [value_of(site) for site in sites]
    cells = [Cell(fmt(value) if value is not None else UNKNOWN) for value in values]
    mark_best(cells, values, better)
    return Row(key, str(label), str(group), cells, better)


def text_row(key, label, group, sites, text_of: Callable) -> Row:
    return Row(key, str(label), str(group), [Cell(text_of(site) or UNKNOWN) for site in sites])


# --- the sites ----------------------------------------------------------------------------------------------


@dataclass
class Compared:
    """A compared site with its park when the user may see the park (else None)."""

    carrier: Carrier
    park: Park | None

    @property
    def pk(self) -> int:
        return self.carrier.pk


def parse_ids(values: Sequence[str]) -> list[int]:
    """The site ids of the ``sites`` parameters, in order, each once; a value that is no id is refused."""
    ids: list[int] = []
    for value in values:
        value = (value or "").strip()
        if not value:
            continue
        pk = parse_id(value)
        if pk is None:
            raise ComparisonError(_("“%(value)s” is not a site number.") % {"value": value[:40]})
        if pk not in ids:
            ids.append(pk)
    return ids


def load_sites(ids: Sequence[int], user) -> list[Compared]:
    """The sites ``ids`` as ``user`` may see them, in the order asked; one the user may not see is refused with
    the same message whether it exists or not (an unpublished site is not revealed)."""
    if len(ids) > MAX_SITES:
        raise ComparisonError(
            _("At most %(max)s sites can be compared at a time; %(count)s were chosen. Remove some first.")
            % {"max": MAX_SITES, "count": len(ids)},
            keep=ids[:MAX_SITES],
        )
    found = (
        Carrier.objects.restrict(user, Action.VIEW)
        .filter(pk__in=list(ids))
        .select_related("region", "park", "team")
        .defer("boundary", "search_text", "region__boundary", "park__boundary", "park__search_text")
        .prefetch_related("industries", "park__industries")
        .in_bulk()
    )
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ComparisonError(
            _("Site number %(id)s is not on offer to the public (or does not exist); it cannot be compared.")
            % {"id": missing[0]},
            status=404,
            keep=[pk for pk in ids if pk in found],
        )
    park_ids = {site.park_id for site in found.values() if site.park_id}
    visible = set(Park.objects.restrict(user, Action.VIEW).filter(pk__in=park_ids).values_list("pk", flat=True))
    return [Compared(found[pk], found[pk].park if found[pk].park_id in visible else None) for pk in ids]


def compare_url(ids: Sequence[int], name: str = "portal:compare") -> str:
    """The address of the comparison (or of its PDF, ``name="portal:compare-pdf"``) of the sites ``ids``."""
    url = reverse(name)
    return f"{url}?{urlencode([(PARAMETER, pk) for pk in ids])}" if ids else url


def suggestions(compared: Sequence[Compared], user, limit: int = SUGGESTIONS) -> list[Carrier]:
    """Sites of the same parks (or, for a site without a park, of the same district) to add to the comparison."""
    if not compared or len(compared) >= MAX_SITES:
        return []
    parks = {site.park.pk for site in compared if site.park is not None}
    regions = {site.carrier.region_id for site in compared if site.park is None}
    if not parks and not regions:
        return []
    place = Q(park__in=parks) | Q(region__in=regions, park__isnull=True)
    return list(
        Carrier.objects.restrict(user, Action.VIEW)
        .filter(place)
        .exclude(pk__in=[site.pk for site in compared])
        .select_related("region")
        .defer("boundary", "search_text", "region__boundary")
        .order_by("reference")[:limit]
    )


# --- the rows -----------------------------------------------------------------------------------------------

RowBuilder = Callable[[Sequence[Compared]], list[Row]]
ROW_BUILDERS: list[RowBuilder] = []


def register_rows(builder: RowBuilder) -> RowBuilder:
    """Add a function that returns rows for the compared sites (after those registered before it)."""
    if builder not in ROW_BUILDERS:
        ROW_BUILDERS.append(builder)
    return builder


def _field_label(name: str) -> str:
    return capfirst(Carrier._meta.get_field(name).verbose_name)


def _availability(site: Compared) -> str:
    carrier = site.carrier
    text = str(carrier.get_availability_display())
    if carrier.available_from:
        text += " · " + _("from %(day)s") % {"day": formatting.day(carrier.available_from)}
    return text


def _plot_ratio(site: Compared) -> str:
    low, high = site.carrier.plot_ratio_min, site.carrier.plot_ratio_max
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        return f"{formatting.number(low)} – {formatting.number(high)}"
    return formatting.number(low if low is not None else high)


def _codes(codes) -> list[tuple[str, str]]:
    return [(f"{code.code} {code.display_name}", "") for code in listings.industries(codes)]


@register_rows
def photo_rows(sites: Sequence[Compared]) -> list[Row]:
    """Each site's cover photo (as the public sees it), first."""
    covers = cover_photos([site.carrier for site in sites])
    cells = []
    for site in sites:
        photo = covers.get(site.pk)
        cells.append(Cell(photo.display_alt, image=photo.thumbnail_url, photo=photo) if photo else Cell())
    return [Row("photo", _("Photo"), str(GROUP_SITE), cells)]


@register_rows
def site_rows(sites: Sequence[Compared]) -> list[Row]:
    """The site's own facts: overview, land, buildings, infrastructure, distances."""
    c = [site.carrier for site in sites]
    rows = [
        text_row("reference", _("Listing number"), GROUP_SITE, c, lambda s: s.reference),
        text_row("kind", _("Kind"), GROUP_SITE, c, lambda s: str(s.get_kind_display())),
        Row(
            "park",
            _("Park"),
            str(GROUP_SITE),
            [
                Cell(site.park.display_name, site.park.get_absolute_url()) if site.park is not None else Cell()
                for site in sites
            ],
        ),
        text_row("district", _("District"), GROUP_SITE, c, lambda s: s.region.display_name),
        text_row("address", _("Address"), GROUP_SITE, c, lambda s: s.display_address),
        text_row("availability", _("Availability"), GROUP_SITE, sites, _availability),
        Row(
            "industries",
            _("Suitable industries"),
            str(GROUP_SITE),
            [Cell(items=_codes(s.industry_codes)) if s.industry_codes else Cell(_("Any industry")) for s in c],
        ),
        text_row("last_verified", _("Last verified"), GROUP_SITE, c, lambda s: formatting.day(s.last_verified)),
        # land
        number_row("area_mu", _("Land area"), GROUP_LAND, c, lambda s: s.area_mu, formatting.mu),
        text_row("land_use", _("Land use"), GROUP_LAND, c, lambda s: str(s.get_land_use_display() or "")),
        text_row("plot_ratio", _("Plot ratio"), GROUP_LAND, sites, _plot_ratio),
        number_row(
            "land_price",
            _("Land price"),
            GROUP_LAND,
            c,
            lambda s: s.land_price,
            lambda v: _("%(price)s per mu") % {"price": formatting.money(v)},
            LOWER,
        ),
        number_row("land_cost", _("Total land cost"), GROUP_LAND, c, lambda s: s.land_cost_wan, formatting.money),
        # buildings
        number_row("floor_area_m2", _("Floor area"), GROUP_BUILDING, c, lambda s: s.floor_area_m2, formatting.sqm),
        number_row("floors", _("Floors"), GROUP_BUILDING, c, lambda s: s.floors, formatting.number),
        number_row(
            "floor_load_kn",
            _("Floor load"),
            GROUP_BUILDING,
            c,
            lambda s: s.floor_load_kn,
            lambda v: f"{formatting.number(v)} kN/m²",
            HIGHER,
        ),
        number_row(
            "clear_height_m",
            _("Clear height"),
            GROUP_BUILDING,
            c,
            lambda s: s.clear_height_m,
            lambda v: f"{formatting.number(v)} m",
            HIGHER,
        ),
        number_row(
            "rent",
            _("Rent price"),
            GROUP_BUILDING,
            c,
            lambda s: s.rent,
            lambda v: _("%(rent)s yuan per m² and month") % {"rent": formatting.number(v)},
            LOWER,
        ),
        number_row(
            "sale_price",
            _("Sale price"),
            GROUP_BUILDING,
            c,
            lambda s: s.sale_price,
            lambda v: _("%(price)s yuan per m²") % {"price": formatting.number(v)},
            LOWER,
        ),
        # infrastructure
        number_row("power_kva", _("Power capacity"), GROUP_INFRASTRUCTURE, c, lambda s: s.power_kva, kva, HIGHER),
        number_row("water_t_day", _("Water supply"), GROUP_INFRASTRUCTURE, c, lambda s: s.water_t_day, tpd, HIGHER),
        text_row("gas", _("Piped gas"), GROUP_INFRASTRUCTURE, c, lambda s: _("yes") if s.gas else _("no")),
        number_row(
            "wastewater_t_day",
            _("Wastewater capacity"),
            GROUP_INFRASTRUCTURE,
            c,
            lambda s: s.wastewater_t_day,
            tpd,
            HIGHER,
        ),
    ]
    for name, label in (
        ("port_km", _("To port")),
        ("rail_km", _("To rail freight")),
        ("highway_km", _("To highway exit")),
        ("airport_km", _("To airport")),
    ):
        rows.append(number_row(name, label, GROUP_DISTANCES, c, lambda s, name=name: getattr(s, name), km, LOWER))
    return rows


@register_rows
def park_rows(sites: Sequence[Compared]) -> list[Row]:
    """What the site's park offers: its level, area and leading industries (a park the user may not see: —)."""

    def cell(site: Compared, value) -> Cell:
        return Cell(value) if site.park is not None and value else Cell()

    return [
        Row(
            "park_level",
            _("Park level"),
            str(GROUP_PARK),
            [cell(s, s.park and str(s.park.get_level_display())) for s in sites],
        ),
        Row(
            "park_area",
            _("Park area"),
            str(GROUP_PARK),
            [cell(s, s.park and s.park.area_mu is not None and formatting.mu(s.park.area_mu)) for s in sites],
        ),
        Row(
            "park_industries",
            _("Leading industries of the park"),
            str(GROUP_PARK),
            [
                Cell(items=_codes(s.park.industry_codes)) if s.park is not None and s.park.industry_codes else Cell()
                for s in sites
            ],
        ),
    ]


@register_rows
def fact_rows(sites: Sequence[Compared]) -> list[Row]:
    """The workforce, supplier and cost facts of each site's park or district (``geo.LocationFact``), one row per
    kind any site has, and a last row naming their sources and dates."""
    facts = location_facts([site.carrier for site in sites])
    by_site = [{fact.kind: fact for fact in facts.get(site.pk, [])} for site in sites]
    rows = []
    for kind in FactKind:
        found = [known.get(kind) for known in by_site]
        if not any(found):
            continue
        cells, values = [], []
        for fact in found:
            if fact is None:
                cells.append(Cell())
                values.append(None)
                continue
            parts = [f"{formatting.number(fact.value)} {fact.unit}"] if fact.value is not None else []
            parts += [fact.display_text] if fact.display_text else []
            cells.append(Cell("; ".join(parts) or UNKNOWN))
            values.append(fact.value)
        mark_best(cells, values, FACT_BETTER.get(kind, ""))
        rows.append(Row(f"fact_{kind}", str(kind.label), str(GROUP_FACTS), cells, FACT_BETTER.get(kind, "")))
    if rows:
        sources = []
        for known in by_site:
            seen = dict.fromkeys(f"{fact.display_source} · {formatting.day(fact.as_of)}" for fact in known.values())
            sources.append(Cell(items=[(text, "") for text in seen]) if seen else Cell())
        rows.append(Row("fact_sources", _("Sources of these figures"), str(GROUP_FACTS), sources))
    return rows


@register_rows
def policy_rows(sites: Sequence[Compared]) -> list[Row]:
    """The policies in force for each site's district, park and industries (the rule of the site page)."""
    cells = []
    for site in sites:
        policies = listings.localized(
            listings.policies_for(region=site.carrier.region, park=site.park, codes=site.carrier.industry_codes)
        )
        cells.append(Cell(items=[(policy.title, policy.get_absolute_url()) for policy in policies]))
    return [Row("policies", _("Policies that apply"), str(GROUP_POLICIES), cells)]


def build_rows(sites: Sequence[Compared]) -> list[Row]:
    """Every registered builder's rows, in order, less those no compared site records."""
    rows: list[Row] = []
    for builder in ROW_BUILDERS:
        rows.extend(builder(sites))
    return [row for row in rows if any(not cell.missing for cell in row.cells)]


# --- the comparison -----------------------------------------------------------------------------------------


@dataclass
class Comparison:
    sites: list[Compared]
    rows: list[Row]

    @property
    def ids(self) -> list[int]:
        return [site.pk for site in self.sites]

    def url(self, name: str = "portal:compare") -> str:
        return compare_url(self.ids, name)

    def without(self, pk: int) -> str:
        """The address of this comparison less the site ``pk``."""
        return compare_url([other for other in self.ids if other != pk])

    def groups(self) -> list[tuple[str, list[Row]]]:
        """The rows by group, in order of first appearance."""
        grouped: dict[str, list[Row]] = {}
        for row in self.rows:
            grouped.setdefault(row.group, []).append(row)
        return list(grouped.items())


def compare(ids: Sequence[int], user) -> Comparison:
    """The comparison of the sites ``ids`` (two to four, each one ``user`` may see), with its rows."""
    sites = load_sites(ids, user)
    if len(sites) < MIN_SITES:
        # Not a fault: the page says so and offers sites to add (from the same park).
        raise ComparisonError(
            _("Choose at least %(min)s sites to compare (at most %(max)s).") % {"min": MIN_SITES, "max": MAX_SITES},
            status=200,
            keep=[site.pk for site in sites],
        )
    return Comparison(sites, build_rows(sites))


def save_as_proposal(ids: Sequence[int], *, language: str, title: str = ""):
    """Save the compared sites, in their order, as a proposal (a public page: public sites only, whoever saves).

    The proposal's needs record that it came from a comparison; its sites carry no score (no needs were stated).
    """
    from ..models import Proposal

    sites = load_sites(ids, None)
    if len(sites) < MIN_SITES:
        raise ComparisonError(
            _("Choose at least %(min)s sites to compare (at most %(max)s).") % {"min": MIN_SITES, "max": MAX_SITES}
        )
    results = [snapshot(Match(site.carrier, 0, [], site.park)) for site in sites]
    return Proposal.objects.create(
        title=title or _("Comparison of %(count)s sites") % {"count": len(sites)},
        needs={"source": SOURCE},
        results=results,
        language=language,
    )


def from_comparison(proposal) -> bool:
    """Whether a proposal was saved from a comparison (its sites were chosen, not ranked)."""
    return isinstance(proposal.needs, dict) and proposal.needs.get("source") == SOURCE


def proposal_compare_url(saved_sites) -> str:
    """The comparison of a proposal's first sites still on offer (two to four), or "" when fewer than two are."""
    ids = [site.carrier.pk for site in saved_sites if site.carrier is not None][:MAX_SITES]
    return compare_url(ids) if len(ids) >= MIN_SITES else ""
