from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, Table

REGION_TABLE = Table(
    columns=(
        Column("adcode", _("Code"), order_by=("adcode",)),
        Column("name", _("Name"), accessor=lambda r: r.display_name, order_by=("name",), link=True),
        Column("level", _("Level"), order_by=("level", "adcode")),
        Column("parent", _("Parent"), accessor=lambda r: r.parent.display_name if r.parent_id else None),
        Column("area_km2", _("Area (km²)"), order_by=("area_km2",)),
    ),
    default_sort="adcode",
    select_related=("parent",),
)
