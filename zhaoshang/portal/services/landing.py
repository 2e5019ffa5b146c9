"""The city's page (the portal's landing): who the city is, the chains it seeks, its parks, figures, contacts.

Each key figure is computed from the records the public may see, with the same filter the list it links to uses
(the map's filters through ``CarrierFilterSet``, the policy list's "in force"), so a figure always equals the
count of its list.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.geo.choices import Availability, CarrierKind
from zhaoshang.geo.models import Carrier, Park

from ..filtersets import CarrierFilterSet
from ..models import Policy
from .search import public


@dataclass
class Figure:
    key: str
    label: str
    value: Decimal | int
    unit: str
    url: str
    filters: str = ""  # the query string of the map (and the public site API) the figure counts


def public_sites(filters: str):
    """The public sites the map lists for the query string ``filters`` (the site API filters alike)."""
    filterset = CarrierFilterSet(QueryDict(filters), queryset=public(Carrier))
    return filterset.qs


def _map_url(filters: str) -> str:
    return reverse("portal:map") + (f"?{filters}" if filters else "")


AVAILABLE_SITES = f"availability={Availability.AVAILABLE}"
AVAILABLE_LAND = f"kind={CarrierKind.PARCEL}&availability={Availability.AVAILABLE}"
AVAILABLE_FACTORIES = f"kind={CarrierKind.FACTORY}&availability={Availability.AVAILABLE}"


def figures() -> list[Figure]:
    """The key figures of the landing page, each with the address of the list it counts."""
    land = public_sites(AVAILABLE_LAND).aggregate(total=Sum("area_mu"))["total"] or Decimal(0)
    floor = public_sites(AVAILABLE_FACTORIES).aggregate(total=Sum("floor_area_m2"))["total"] or Decimal(0)
    return [
        Figure("parks", _("Parks"), public(Park).count(), "", reverse("portal:search") + "?kind=park"),
        Figure(
            "sites",
            _("Sites available"),
            public_sites(AVAILABLE_SITES).count(),
            "",
            _map_url(AVAILABLE_SITES),
            AVAILABLE_SITES,
        ),
        Figure("land", _("Land available"), land, "mu", _map_url(AVAILABLE_LAND), AVAILABLE_LAND),
        Figure(
            "factories",
            _("Standard-factory floor space available"),
            floor,
            "sqm",
            _map_url(AVAILABLE_FACTORIES),
            AVAILABLE_FACTORIES,
        ),
        Figure("policies", _("Policies in force"), public(Policy).count(), "", reverse("portal:policy-list")),
    ]


def parks() -> list[Park]:
    """The parks' cards, in the order of the districts, each with its ``cover`` photo (or None)."""
    from zhaoshang.geo.services import cover_photos

    found = list(
        public(Park)
        .select_related("region")
        .defer("boundary", "region__boundary", "search_text")
        .order_by("region__adcode", "name")
    )
    covers = cover_photos(found)
    for park in found:
        park.cover = covers.get(park.pk)
    return found
