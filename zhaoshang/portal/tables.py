"""Staff list tables of parks and sites: rows link to their staff page and show whether stale or unpublished."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import formatting
from zhaoshang.core.tables import Column, Table


def status_badges(listing) -> str:
    """“stale” when not verified within the period, “unpublished” when hidden from the public."""
    badges = []
    if listing.is_stale:
        badges.append(("bg-orange-lt", "stale", _("stale")))
    if not listing.published:
        badges.append(("bg-secondary-lt", "unpublished", _("unpublished")))
    if getattr(listing, "availability", None) == "taken":
        badges.append(("bg-red-lt", "taken", _("taken")))
    if not badges:
        badges.append(("bg-green-lt", "current", _("current")))
    return format_html_join(" ", '<span class="badge {}" data-status="{}">{}</span>', badges)


def staff_link(url_name: str, attribute: str = "display_name"):
    def accessor(obj):
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[obj.pk]), getattr(obj, attribute))

    return accessor


def _codes(listing) -> str:
    return " ".join(link.code for link in listing.industries.all()) or "—"


def _area(carrier):
    if carrier.area_mu:
        return formatting.mu(carrier.area_mu)
    if carrier.floor_area_m2:
        return formatting.sqm(carrier.floor_area_m2)
    return None


def _verified(listing):
    return format_html('<span class="text-nowrap">{}</span>', listing.last_verified.isoformat())


CARRIER_TABLE = Table(
    columns=(
        Column(
            "reference",
            _("Listing number"),
            accessor=staff_link("portal:staff-carrier-detail", "reference"),
            order_by=("reference",),
        ),
        Column("name", _("Name"), accessor=staff_link("portal:staff-carrier-detail"), order_by=("name",)),
        Column("kind", _("Kind"), order_by=("kind", "reference"), nowrap=True),
        Column(
            "region",
            _("District"),
            accessor=lambda c: c.region.display_name,
            order_by=("region__adcode",),
            nowrap=True,
        ),
        Column("park", _("Park"), accessor=lambda c: c.park.display_name if c.park_id else None),
        Column("area", _("Area"), accessor=_area, order_by=("area_mu", "floor_area_m2"), nowrap=True),
        Column("codes", _("Industry codes"), accessor=_codes),
        Column("team", _("Responsible team"), accessor=lambda c: c.team.display_name, order_by=("team__name",)),
        Column("last_verified", _("Last verified"), accessor=_verified, order_by=("last_verified", "reference")),
        Column("status", _("Status"), accessor=status_badges, order_by=("published", "last_verified")),
    ),
    default_sort="reference",
    select_related=("region", "park", "team"),
    prefetch_related=("industries",),
)

PARK_TABLE = Table(
    columns=(
        Column("name", _("Name"), accessor=staff_link("portal:staff-park-detail"), order_by=("name",)),
        Column("level", _("Level"), order_by=("level", "name"), nowrap=True),
        Column(
            "region",
            _("District"),
            accessor=lambda p: p.region.display_name,
            order_by=("region__adcode",),
            nowrap=True,
        ),
        Column("area_mu", _("Area (mu)"), order_by=("area_mu",), nowrap=True),
        Column("codes", _("Industry codes"), accessor=_codes),
        Column("team", _("Responsible team"), accessor=lambda p: p.team.display_name, order_by=("team__name",)),
        Column("last_verified", _("Last verified"), accessor=_verified, order_by=("last_verified", "name")),
        Column("status", _("Status"), accessor=status_badges, order_by=("published", "last_verified")),
    ),
    default_sort="name",
    select_related=("region", "team"),
    prefetch_related=("industries",),
)


def _edit_link(url_name: str):
    def accessor(obj):
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[obj.pk]), obj)

    return accessor


def _policy_place(policy):
    if policy.park_id:
        return policy.park.display_name
    return policy.region.display_name if policy.region_id else _("Whole city")


def _in_force(policy):
    start, end = policy.effective_from.isoformat(), policy.effective_to.isoformat() if policy.effective_to else ""
    return format_html('<span class="text-nowrap">{} – {}</span>', start, end)


def _public_link(obj):
    return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("public page"))


POLICY_TABLE = Table(
    columns=(
        Column("title", _("Title"), accessor=_edit_link("portal:staff-policy-edit"), order_by=("title",)),
        Column("issuer", _("Issued by"), accessor=lambda policy: policy.display_issuer, order_by=("issuer", "title")),
        Column("place", _("Applies to"), accessor=_policy_place, order_by=("region__adcode", "park__name")),
        Column("codes", _("Industry codes"), accessor=_codes),
        Column("effective_from", _("In force"), accessor=_in_force, order_by=("effective_from", "title")),
        Column("public", _("Portal"), accessor=_public_link),
    ),
    default_sort="-effective_from",
    select_related=("region", "park"),
    prefetch_related=("industries",),
)


def _step_count(guide):
    return len(guide.steps.all())


GUIDE_TABLE = Table(
    columns=(
        Column("title", _("Title"), accessor=_edit_link("portal:staff-guide-edit"), order_by=("title",)),
        Column("project_type", _("Project type"), order_by=("project_type",)),
        Column("steps", _("Steps"), accessor=_step_count),
        Column("days", _("Typical working days"), accessor=lambda guide: guide.total_days),
        Column("public", _("Portal"), accessor=_public_link),
    ),
    default_sort="project_type",
    prefetch_related=("steps",),
)
