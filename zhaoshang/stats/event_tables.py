from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, Table

EVENT_TABLE = Table(
    columns=(
        Column("name", _("Event"), accessor=lambda e: e.display_name, order_by=("name",), link=True),
        Column("kind", _("Kind"), order_by=("kind",)),
        Column("start_on", _("Date"), accessor=lambda e: e.days_display, order_by=("start_on",)),
        Column(
            "organiser_team",
            _("Organising team"),
            accessor=lambda e: e.organiser_team.display_name,
            order_by=("organiser_team__name",),
        ),
        Column("venues", _("Venues"), accessor=lambda e: ", ".join(v.display_name for v in e.venues.all())),
    ),
    default_sort="-start_on",
    select_related=("organiser_team",),
    prefetch_related=("venues",),
)
