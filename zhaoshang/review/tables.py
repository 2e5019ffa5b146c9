"""The list-page tables of the review app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, Table

REVIEW_TABLE = Table(
    columns=(
        Column("project", _("Project"), accessor=lambda r: r.project.name, order_by=("project__name",), link=True),
        Column("kind", _("Kind of review"), order_by=("kind",), nowrap=True),
        Column("state", _("State"), order_by=("state",), nowrap=True),
        Column(
            "district",
            _("District"),
            accessor=lambda r: r.project.district.display_name if r.project.district_id else None,
            nowrap=True,
        ),
        Column("submitted_on", _("Submitted on"), order_by=("submitted_on",), nowrap=True),
        Column("decision", _("Decision"), order_by=("decision",), nowrap=True),
        Column("decided_on", _("Decided on"), order_by=("decided_on",), nowrap=True),
    ),
    default_sort="-submitted_on",
    select_related=("project", "project__district"),
)
