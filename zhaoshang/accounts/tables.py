from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, Table

TEAM_TABLE = Table(
    columns=(
        Column("name", _("Name"), accessor=lambda t: t.display_name, order_by=("name",), link=True),
        Column("kind", _("Kind"), order_by=("kind", "name")),
        Column("stationed_city", _("Stationed in"), order_by=("stationed_city",)),
        Column("adcode", _("District code"), order_by=("adcode",)),
        Column("active", _("Active"), accessor=lambda t: _("yes") if t.active else _("no")),
    ),
    default_sort="kind",
)
