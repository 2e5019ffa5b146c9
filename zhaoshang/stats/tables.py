from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, Table

FDI_TABLE = Table(
    columns=(
        Column("code", _("Reference"), order_by=("code",), link=True),
        Column(
            "enterprise",
            _("Enterprise"),
            accessor=lambda r: r.enterprise.display_name if r.enterprise_id else None,
            order_by=("enterprise__name",),
        ),  # fmt: skip
        Column("project", _("Project"), accessor=lambda r: r.project.name if r.project_id else None),
        Column("district", _("District"), accessor=lambda r: r.district.display_name if r.district_id else None),
        Column("month", _("Month"), accessor=lambda r: r.month.strftime("%Y-%m"), order_by=("month",)),
        Column("amount_usd", _("Amount (10,000 US dollars)"), order_by=("amount_usd",)),
        Column("exchange_rate", _("Exchange rate")),
        Column("amount_cny", _("Amount (10,000 yuan)"), order_by=("amount_cny",)),
    ),
    default_sort="-month",
    select_related=("enterprise", "project", "district"),
)

COMPARISON_TABLE = Table(
    columns=(
        Column("name", _("Name"), order_by=("name",), link=True),
        Column("period", _("Period"), order_by=("period",)),
        Column("value", _("Value"), order_by=("value",)),
        Column("unit", _("Unit")),
        Column("metric", _("Compared with")),
        Column("source", _("Published in")),
    ),
    default_sort="-period",
)
