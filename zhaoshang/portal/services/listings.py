"""What the public map and the park and site pages show: policies that apply, the viewport query, contacts, guides.

``policies_for`` is shared with matching: keep its signature.
"""

from __future__ import annotations

import json
from datetime import date

from django.db import connections
from django.db.models import Case, Exists, F, FloatField, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import generations, units
from zhaoshang.geo.choices import CarrierKind
from zhaoshang.geo.models import Carrier, Listing, Park, Region
from zhaoshang.geo.services import REGIONS_GENERATION
from zhaoshang.industry.choices import CodeLevel, ProjectType
from zhaoshang.industry.models import Chain, IndustryCode

from ..models import Guide, Policy, PolicyIndustry, bilingual

VIEWPORT_LIMIT = 2000


# --- industry codes ---------------------------------------------------------------------------------------


# Moves on whenever what the public pages show beside the listings changes: guides, policies, the city's profile,
# listing photos and documents, location facts, teams (contacts), industry codes (see ``PortalConfig.ready``).
CONTENT_GENERATION = "portal:content"
# Moves on whenever a site, a park, their industry links or a chain change (see ``PortalConfig.ready``).
SITES_GENERATION = "portal:sites"


def division_sections() -> dict[str, str]:
    """Each division of the code standard with its section letter (``{"38": "C", …}``), in one query."""
    return dict(
        IndustryCode.objects.filter(level=CodeLevel.DIVISION, parent__isnull=False).values_list("code", "parent__code")
    )


def overlapping_codes(codes, sections: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    """The link codes that overlap ``codes``: ``(exact codes, prefixes)``.

    A link overlaps a code when it is the code, a finer code below it (a prefix match), a broader code above it,
    or the section the code belongs to. A section letter stands for itself and its divisions. ``sections`` is
    ``division_sections()``, read here when not given.
    """
    wanted = [str(code).strip().upper() for code in codes or () if str(code).strip()]
    exact: set[str] = set()
    prefixes: set[str] = set()
    letters = {code for code in wanted if code.isalpha()}
    digits = [code for code in wanted if code.isdigit()]
    if letters or digits:
        sections = division_sections() if sections is None else sections
    if letters:
        exact.update(letters)
        prefixes.update(division for division, section in sections.items() if section in letters)
    for code in digits:
        prefixes.add(code)
        exact.update(code[:n] for n in range(2, len(code)))
    exact.update(sections[code[:2]] for code in digits if code[:2] in sections)
    return sorted(exact), sorted(prefixes)


def overlap_q(codes, field: str = "code") -> Q:
    exact, prefixes = overlapping_codes(codes)
    q = Q(**{f"{field}__in": exact}) if exact else Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(**{f"{field}__startswith": prefix})
    return q


def industries(codes) -> list[IndustryCode]:
    """The codes with their names (in the page's language through ``display_name``), in the standard's order."""
    codes = set(codes)
    if not codes:
        return []
    return [code for code in code_list() if code.code in codes]


# Every code of the standard in its order, kept in the process until a code changes (a few thousand small records).
CODE_LIST = generations.Kept(CONTENT_GENERATION, size=1)


def code_list() -> list[IndustryCode]:
    return CODE_LIST.get(lambda: list(IndustryCode.objects.order_by("sort", "code")))


# --- policies ---------------------------------------------------------------------------------------------


def _region_and_ancestors(region: Region | None) -> list[str]:
    """The administrative codes of ``region`` and of the city and province above it."""
    if region is None:
        return []
    code = region.adcode
    return sorted({code, code[:4] + "00", code[:2] + "0000"})


def policy_place_q(region: Region | None = None, park: Park | None = None) -> Q:
    """Policies of the whole city, of ``region`` (or the park's district) and the city above it, and of ``park``."""
    if region is None and park is not None:
        region = park.region
    place = Q(region__isnull=True, park__isnull=True)
    adcodes = _region_and_ancestors(region)
    if adcodes:
        place |= Q(region__adcode__in=adcodes, park__isnull=True)
    if park is not None:
        place |= Q(park=park)
    return place


def policy_industry_q(codes) -> Q:
    """Policies for all industries (none linked) or for one that overlaps ``codes``; no condition without codes."""
    codes = [code for code in codes or () if code]
    if not codes:
        return Q()
    linked = PolicyIndustry.objects.filter(policy=OuterRef("pk"))
    return ~Exists(linked) | Exists(linked.filter(overlap_q(codes)))


def policies_for(region: Region | None = None, park: Park | None = None, codes=None, day: date | None = None):
    """The policies in force that apply to a place and industries.

    City-wide policies (no district, no park), those of ``region`` (or of the park's district) and of the city
    above it, and those of ``park`` itself; other districts' and other parks' policies are left out. When
    ``codes`` are given, a policy tied to industries applies only if one of them overlaps ``codes``; a policy
    with no industries applies to all. Ordered from the most specific (park, district, city), then newest.
    Chosen from the policies in force that day (``policy_book``): no query once they are read.
    """
    return policy_book(day).applying(region, park, codes)


class PolicyBook:
    """Every policy in force on a day with its place (district, park) and industries, and the code tree's
    divisions: read in three queries, then ``applying`` chooses a place's policies without asking again (a
    matching page shows the policies of twenty sites)."""

    def __init__(self, day: date):
        # The database orders by date, title and key (its collation for the titles); specificity comes first.
        policies = (
            Policy.objects.filter(Policy.in_force_q(day))
            .select_related("region", "park")
            .defer("region__boundary", "park__boundary")
            .prefetch_related("industries")
            .order_by("-effective_from", "title", "pk")
        )
        self.policies = sorted(policies, key=self.specificity)
        self.codes = {policy.pk: [link.code for link in policy.industries.all()] for policy in self.policies}
        self.sections = division_sections()

    @staticmethod
    def specificity(policy: Policy) -> int:
        return 0 if policy.park_id is not None else 1 if policy.region_id is not None else 2

    def applying(self, region: Region | None = None, park: Park | None = None, codes=None) -> list[Policy]:
        """``policies_for``'s rule over the policies read."""
        if region is None and park is not None:
            region = park.region
        adcodes = set(_region_and_ancestors(region))
        codes = [code for code in codes or () if code]
        exact, prefixes = overlapping_codes(codes, self.sections) if codes else ((), ())
        exact, prefixes = set(exact), tuple(prefixes)
        chosen = []
        for policy in self.policies:
            if policy.park_id is not None:
                if park is None or policy.park_id != park.pk:
                    continue
            elif policy.region_id is not None and policy.region.adcode not in adcodes:
                continue
            links = self.codes[policy.pk]
            if codes and links and not any(code in exact or code.startswith(prefixes) for code in links):
                continue
            chosen.append(policy)
        return chosen


# What the policies in force show and apply to: policies, their industries and the codes (content), parks (sites),
# districts (regions).
POLICY_BOOKS = generations.Kept(CONTENT_GENERATION, SITES_GENERATION, REGIONS_GENERATION)


def policy_book(day: date | None = None) -> PolicyBook:
    """The policies in force on ``day`` (today by default), kept in the process until a policy, a code, a park or
    a district changes."""
    day = day or timezone.localdate()
    return POLICY_BOOKS.get(lambda: PolicyBook(day), day)


def policy_scope_label(policy: Policy) -> str:
    if policy.park_id:
        return str(policy.park)
    if policy.region_id and policy.region.level == "district":
        return str(policy.region)
    return str(_("City-wide"))


# --- bilingual display ------------------------------------------------------------------------------------


class Localized:
    """A record seen in the page's language: ``x.title`` is ``title_en`` on an English page when there is one."""

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, name):
        obj = self._obj
        if not name.startswith("_") and hasattr(obj, f"{name}_en"):
            return bilingual(obj, name)
        return getattr(obj, name)

    def __str__(self):
        return str(self._obj)


def localized(objects) -> list[Localized]:
    return [Localized(obj) for obj in objects]


# --- guides and contacts ----------------------------------------------------------------------------------


def project_type_for(carrier: Carrier | None) -> str:
    """The landing guide that fits a site: services for office space, industrial otherwise."""
    if carrier is not None and carrier.kind == CarrierKind.OFFICE:
        return ProjectType.SERVICES
    return ProjectType.INDUSTRIAL


def guide_for(project_type: str) -> Guide | None:
    """The landing guide of ``project_type`` with its steps, kept in the process until the content changes."""
    return GUIDES.get(
        lambda: Guide.objects.filter(project_type=project_type).prefetch_related("steps").first(), project_type
    )


GUIDES = generations.Kept(CONTENT_GENERATION)


def guide_context(guide: Guide | None) -> dict:
    """What ``portal/_guide_steps.html`` shows: the guide, its steps and their total typical duration."""
    if guide is None:
        return {"guide": None, "guide_steps": [], "guide_days": 0}
    steps = list(guide.steps.all())
    return {
        "guide": Localized(guide),
        "guide_steps": localized(steps),
        "guide_days": sum(step.duration_days or 0 for step in steps),
    }


def contact_for(listing: Listing) -> dict:
    """Who answers for a park or site: its own contact, else its responsible team's phone and email."""
    team = listing.team
    return {
        "name": listing.display_contact_name,
        "phone": listing.contact_phone or team.phone,
        "email": listing.contact_email or team.email,
        "team": team,
    }


def staff_badges(listing: Listing) -> list[tuple[str, str]]:
    """Why a listing is hidden from the public, as (css class, label): shown to staff only."""
    badges = []
    if not listing.published:
        badges.append(("bg-secondary", _("unpublished")))
    if listing.is_stale:
        badges.append(("bg-warning", _("stale — hidden from the public")))
    if getattr(listing, "availability", None) == "taken":
        badges.append(("bg-danger", _("taken — hidden from the public")))
    return badges


def chains_sought(user) -> QuerySet:
    """招什么: the active chains the city seeks."""
    return Chain.objects.restrict(user, "view").filter(active=True).order_by("sort", "name")


def area_facts(area_mu) -> dict:
    """An area in 亩 also as m² and km²."""
    if area_mu is None:
        return {}
    return {
        "mu": area_mu,
        "m2": units.quantize(units.mu_to_sqm(area_mu), 0),
        "km2": units.quantize(units.mu_to_sqkm(area_mu), 2),
    }


# --- the viewport query -----------------------------------------------------------------------------------

# The properties of a site on the map, each as the SQL of the row it is read from (``t`` the sites, ``r`` their
# district); the name columns depend on the page language.
SITE_NUMBERS = ("area_mu", "floor_area_m2", "land_price", "rent")


def site_features(queryset: QuerySet, limit: int = VIEWPORT_LIMIT) -> str:
    """The map's list as GeoJSON text: a FeatureCollection of at most ``limit`` sites, by id.

    The database writes the JSON itself (SQLite's ``json_object``, PostgreSQL's ``json_build_object``) from one
    query over the filtered sites: no Python object per site, the text goes out as it comes. ``total`` is the
    exact number in view when it fits; when the list is cut it is null and ``truncated`` is true — counting
    tens of thousands of sites would cost more than the answer itself, and the map then asks the investor to
    zoom in or filter. Names are given in the page language; ``url_template`` makes each site's address from
    its id.
    """
    connection = connections[queryset.db]
    postgres = connection.vendor == "postgresql"
    columns = {
        "f_id": F("pk"),
        "f_reference": F("reference"),
        "f_name": F("name"),
        "f_name_en": F("name_en"),
        "f_kind": F("kind"),
        "f_availability": F("availability"),
        "f_lon": F("lon"),
        "f_lat": F("lat"),
        "f_region": F("region_id"),
        "f_stale": Case(
            When(last_verified__lt=Carrier.stale_before(), then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        **{f"f_{name}": Cast(name, FloatField()) for name in SITE_NUMBERS},
    }
    sql, params = queryset.order_by("pk").values(**columns)[: limit + 1].query.sql_with_params()

    def text(column, english_column):
        return f"COALESCE(NULLIF({english_column}, ''), {column})" if get_language() == "en" else column

    def coordinate(column):
        return f"round(CAST({column} AS numeric), 5)" if postgres else f"round({column}, 5)"

    stale = "t.f_stale = 1" if postgres else "json(CASE WHEN t.f_stale = 1 THEN 'true' ELSE 'false' END)"
    build, collect = ("json_build_object", "json_agg") if postgres else ("json_object", "json_group_array")
    properties = {
        "id": "t.f_id",
        "reference": "t.f_reference",
        "name": text("t.f_name", "t.f_name_en"),
        "kind": "t.f_kind",
        "availability": "t.f_availability",
        **{name: f"t.f_{name}" for name in SITE_NUMBERS},
        "district": f"COALESCE({text('r.name', 'r.name_en')}, '')",
        "stale": stale,
    }
    pairs = ", ".join(f"'{key}', {value}" for key, value in properties.items())
    array = "json_build_array" if postgres else "json_array"
    feature = (
        f"{build}('type', 'Feature', 'id', t.f_id, "
        f"'geometry', {build}('type', 'Point', 'coordinates', "
        f"{array}({coordinate('t.f_lon')}, {coordinate('t.f_lat')})), "
        f"'properties', {build}({pairs}))"
    )
    ordered = " ORDER BY t.rn" if postgres else ""  # SQLite aggregates in the order the rows come, numbered below
    query = (
        f"SELECT count(*), CAST({collect}({feature}{ordered}) FILTER (WHERE t.rn <= %s) AS text) "
        f"FROM (SELECT row_number() OVER (ORDER BY s.f_id) AS rn, s.* FROM ({sql}) s) t "
        f"LEFT JOIN {Region._meta.db_table} r ON r.id = t.f_region"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [limit, *params])
        count, features = cursor.fetchone()
    truncated = count > limit
    head = {
        "type": "FeatureCollection",
        "total": None if truncated else count,
        "truncated": truncated,
        "url_template": reverse("portal:carrier-detail", args=[987654321]).replace("987654321", "{id}"),
    }
    return json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + f',"features":{features or "[]"}}}'


def park_feature(park: Park) -> dict:
    return {
        "type": "Feature",
        "id": park.pk,
        "geometry": park.boundary,
        "properties": {
            "id": park.pk,
            "name": park.name,
            "name_en": park.name_en,
            "level": park.level,
            "district": park.region.display_name,
            "url": park.get_absolute_url(),
        },
    }


def stale_sites_panel(user) -> dict | None:
    """Home-page figure: sites this user keeps that were not verified within the period (hidden from the public)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from zhaoshang.core.choices import Action
    from zhaoshang.core.permissions import user_scope

    scope = user_scope(user)
    if not (scope.is_admin or scope.teams(Action.CHANGE) or scope.regions(Action.CHANGE)):
        return None
    stale = Carrier.objects.restrict(user, Action.CHANGE).filter(last_verified__lt=Carrier.stale_before())
    return {
        "title": _("Sites to verify"),
        "value": stale.count(),
        "note": _("not verified within the period: hidden from the public"),
        "url": reverse("portal:staff-carrier-list") + "?stale=true&kept=true",
    }
