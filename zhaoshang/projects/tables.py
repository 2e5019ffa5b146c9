from django.utils.translation import gettext_lazy as _

from zhaoshang.core import formatting
from zhaoshang.core.tables import Column, Table

PROJECT_TABLE = Table(
    columns=(
        Column("name", _("Project"), order_by=("name",), link=True),
        Column(
            "enterprise", _("Investor"), accessor=lambda p: p.enterprise.display_name, order_by=("enterprise__name",)
        ),
        Column("stage", _("Stage"), order_by=("stage",), nowrap=True),
        Column(
            "owner_team", _("Owning team"), accessor=lambda p: p.owner_team.display_name, order_by=("owner_team__name",)
        ),
        Column(
            "district",
            _("District"),
            accessor=lambda p: p.district.display_name if p.district_id else None,
            nowrap=True,
        ),
        Column(
            "planned_investment",
            _("Planned investment"),
            accessor=lambda project: formatting.money(project.planned_investment),
            order_by=("planned_investment",),
            nowrap=True,
        ),
        Column("lead_on", _("Lead on"), order_by=("lead_on",), nowrap=True),
        Column("signed_on", _("Signed on"), order_by=("signed_on",), nowrap=True),
    ),
    default_sort="-lead_on",
    select_related=("enterprise", "owner_team", "district"),
)
