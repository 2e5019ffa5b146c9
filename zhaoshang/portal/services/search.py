"""The public search of the portal: parks, sites and policies by name (Chinese, English, pinyin), listing number,
address.

Only what the public may see is searched (``restrict`` as an anonymous visitor: published, current, not taken;
policies in force), whoever asks: the portal's search box is the investor's, staff search their own lists.
Names, descriptions, districts, addresses (a road, a town) and issuers are matched through the records'
``search_text`` (``core.search``: jieba words, two-character runs, pinyin in full and as initials, English words
as prefixes); a site's listing number (地块编号) also as a plain substring, so that ``JM-0703`` and ``0703-012``
both find it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import search
from zhaoshang.geo.models import Carrier, Park

from ..models import Policy, bilingual

SUGGESTIONS = 8
MAX_QUERY = 100


@dataclass
class Kind:
    key: str
    label: str
    model: type
    results: list = field(default_factory=list)
    count: int = 0


KINDS = (
    ("park", _("Parks")),
    ("site", _("Sites")),
    ("policy", _("Policies")),
)


def public(model) -> QuerySet:
    """What an anonymous visitor may see of ``model``."""
    return model.objects.restrict(AnonymousUser(), "view")


def clean_query(query) -> str:
    """The query with runs of white space (and control characters such as NUL) made one space, cut to 100."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(query or ""))
    return " ".join(text.split())[:MAX_QUERY]


def parks(query: str) -> QuerySet:
    q = search.query_q(query)
    queryset = public(Park).select_related("region").defer("boundary", "region__boundary", "search_text")
    if q is None:
        return queryset.none() if query else queryset.order_by("region__adcode", "name")
    return queryset.filter(q).order_by("region__adcode", "name")


def sites(query: str) -> QuerySet:
    text = search.normalize(query).strip()
    q = search.query_q(query)
    queryset = (
        public(Carrier)
        .select_related("region", "park")
        .defer("boundary", "region__boundary", "park__boundary", "park__search_text", "search_text")
    )
    if not text:
        return queryset.order_by("reference")
    by_number = Q(reference__icontains=text)
    queryset = queryset.filter(by_number | q if q is not None else by_number)
    # a listing number typed in full comes first, then numbers that start with the query
    first = Case(
        When(reference__iexact=text, then=Value(0)),
        When(reference__istartswith=text, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.annotate(number_match=first).order_by("number_match", "reference")


def policies(query: str) -> QuerySet:
    q = search.query_q(query)
    queryset = (
        public(Policy).select_related("region", "park").defer("region__boundary", "park__boundary", "search_text")
    )
    if q is None:
        return queryset.none() if query else queryset.order_by("-effective_from", "title")
    return queryset.filter(q).order_by("-effective_from", "title")


SEARCHES = {"park": parks, "site": sites, "policy": policies}


def label(kind: str, obj) -> str:
    """How a result reads in the page's language: its name (also when the query matched its address)."""
    if kind == "site":
        return f"{obj.reference} {obj.display_name}"
    if kind == "policy":
        return bilingual(obj, "title")
    return obj.display_name


def results(query: str, kind: str = "", limit: int = 50) -> list[Kind]:
    """The matches of ``query`` grouped by kind (only ``kind`` when given), each with its full count and at most
    ``limit`` records. An empty query lists everything of ``kind`` (and nothing without a kind)."""
    query = clean_query(query)
    groups = []
    for key, name in KINDS:
        if kind and key != kind:
            continue
        if not query and not kind:
            continue
        queryset = SEARCHES[key](query)
        group = Kind(key, name, queryset.model)
        group.count = queryset.count()
        group.results = list(queryset[:limit])
        groups.append(group)
    return groups


def suggestions(query: str, size: int = SUGGESTIONS) -> list[dict]:
    """Up to ``size`` matches for the search box: ``{kind, label, url}``. A listing number that matches comes
    first; then parks, sites and policies share the places in turn."""
    query = clean_query(query)
    if not query:
        return []
    found = {key: list(SEARCHES[key](query)[:size]) for key, _name in KINDS}
    ordered = []
    sites_found = found["site"]
    while sites_found and getattr(sites_found[0], "number_match", 2) < 2:
        ordered.append(("site", sites_found.pop(0)))
    queues = [[(key, obj) for obj in found[key]] for key, _name in KINDS]
    while len(ordered) < size and any(queues):
        for queue in queues:
            if queue and len(ordered) < size:
                ordered.append(queue.pop(0))
    kinds = dict(KINDS)
    return [
        {"kind": key, "kind_label": str(kinds[key]), "label": label(key, obj), "url": obj.get_absolute_url()}
        for key, obj in ordered[:size]
    ]
