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


FACT_TABLE = Table(
    columns=(
        Column("place", _("District or park"), accessor=lambda f: f.place.display_name, link=True),
        Column("kind", _("Fact"), order_by=("kind", "region__adcode")),
        Column("value", _("Value"), accessor=lambda f: f.value, order_by=("value",)),
        Column("unit", _("Unit"), accessor=lambda f: f.unit),
        Column("text", _("Details"), accessor=lambda f: f.display_text),
        Column("source", _("Source"), accessor=lambda f: f.display_source, order_by=("source",)),
        Column("as_of", _("As of"), order_by=("as_of",), nowrap=True),
    ),
    default_sort="kind",
    select_related=("region", "park"),
)
