"""The published figures of enterprise requests for a year: received, closed, closed on time, satisfaction
(satisfied ÷ rated, of the requests closed) and redone — per department, district and category.

Two GROUP BY queries over the user's readable requests (``restrict``) give all three breakdowns: one on the
requests received in the year (index ``services_req_recv_fig_idx``), one on those closed in it
(``services_req_closed_fig_idx``), each grouped by department, district and category at once; both indexes cover
the columns grouped and counted, so the database reads the year's slice of an index and never the rows. No Python
loop runs over requests, only over the groups.
Every figure carries the address of the request list filtered to the requests it counts (``services:request-list``
with the FilterSet of ``services.filtersets``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.geo.models import Region

from ..choices import Rating
from ..models.requests import EnterpriseRequest, RequestCategory

GROUPS = {
    "department": ("department_id", Team, _("Department")),
    "district": ("district_id", Region, _("District")),
    "category": ("category_id", RequestCategory, _("Category")),
}
FIGURES = ("received", "closed", "closed_on_time", "rated", "satisfied", "redone")


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


@dataclass
class Row:
    key: int | None
    label: str
    received: int = 0
    closed: int = 0
    closed_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    redone: int = 0
    links: dict = field(default_factory=dict)

    @property
    def satisfaction(self) -> Decimal | None:
        """Satisfied ÷ rated, in per cent (one decimal), None when nothing was rated."""
        if not self.rated:
            return None
        return (Decimal(100 * self.satisfied) / Decimal(self.rated)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def on_time_share(self) -> Decimal | None:
        if not self.closed:
            return None
        return (Decimal(100 * self.closed_on_time) / Decimal(self.closed)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _filters(year: int, group: str, key) -> dict[str, dict]:
    """The list's GET filters for each figure of a row."""
    base = {group: key if key is not None else "null"} if group else {}
    received = {**base, "received_year": year}
    closed = {**base, "closed_year": year}
    return {
        "received": received,
        "redone": {**received, "redone": "true"},
        "closed": closed,
        "closed_on_time": {**closed, "on_time": "true"},
        "rated": {**closed, "rated": "true"},
        "satisfied": {**closed, "rating": Rating.SATISFIED},
    }


def list_url(filters: dict) -> str:
    return f"{reverse('services:request-list')}?{urlencode(filters)}"


def request_figures(year: int, user, *, group_by: str | None = None) -> dict:
    """``{"department": [Row…], "district": [...], "category": [...], "total": Row}`` for ``year`` as ``user``
    reads the requests (or only the breakdown ``group_by``).

    Two scans of the year: the requests received and those closed, each grouped by department, district and
    category at once; the breakdowns add up those groups (a few thousand at most), never the requests."""
    start, end = year_bounds(year)
    readable = EnterpriseRequest.objects.restrict(user).order_by()
    groups = [group_by] if group_by else list(GROUPS)
    columns = [GROUPS[group][0] for group in groups]
    tables: dict = {group: {} for group in groups}

    def add(entry, **figures):
        for group, column in zip(groups, columns, strict=True):
            key = entry[column]
            row = tables[group].setdefault(key, Row(key, ""))
            for name, value in figures.items():
                setattr(row, name, getattr(row, name) + value)

    received = (
        readable.filter(received_at__gte=start, received_at__lt=end)
        .values(*columns)
        .annotate(n=Count("pk"), redone=Count("pk", filter=Q(redo_count__gt=0)))
    )
    for entry in received:
        add(entry, received=entry["n"], redone=entry["redone"])
    closed = (
        readable.filter(closed_at__gte=start, closed_at__lt=end)
        .values(*columns)
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(closed_on_time=True)),
            rated=Count("pk", filter=~Q(rating="")),
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
        )
    )
    for entry in closed:
        add(
            entry,
            closed=entry["n"],
            closed_on_time=entry["on_time"],
            rated=entry["rated"],
            satisfied=entry["satisfied"],
        )
    out: dict = {}
    for group in groups:
        _column, model, _label = GROUPS[group]
        rows = tables[group]
        names = {obj.pk: _name(obj) for obj in model.objects.filter(pk__in=[k for k in rows if k is not None])}
        for key, row in rows.items():
            row.label = names.get(key, "") if key is not None else str(_("Not set"))
            row.links = {name: list_url(f) for name, f in _filters(year, group, key).items()}
        out[group] = sorted(rows.values(), key=lambda r: (-r.received, r.label))
    total = Row(None, str(_("Total")))
    for name in FIGURES:
        setattr(total, name, sum(getattr(row, name) for row in out[groups[0]]))
    total.links = {name: list_url(f) for name, f in _filters(year, "", None).items()}
    out["total"] = total
    return out


def _name(obj) -> str:
    return str(getattr(obj, "display_name", None) or obj)
