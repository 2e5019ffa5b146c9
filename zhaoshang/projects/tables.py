from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import formatting
from zhaoshang.core.tables import Column, Table

from .choices import StallRule


def stall_badge(project):
    """ "Stalled" in a badge, its rule as the badge's title, for a project read with ``with_stall`` (the list
    annotates it: no query per row); nothing for one that is not stalled."""
    rule = getattr(project, "stall_rule", None)
    if not rule:
        return None
    return format_html(
        '<span class="badge bg-orange-lt" title="{}" data-testid="badge-stalled">{}</span>',
        StallRule(rule).label,
        _("Stalled"),
    )


PROJECT_TABLE = Table(
    columns=(
        Column("name", _("Project"), order_by=("name",), link=True),
        Column(
            "enterprise", _("Investor"), accessor=lambda p: p.enterprise.display_name, order_by=("enterprise__name",)
        ),
        Column("stage", _("Stage"), order_by=("stage",), nowrap=True),
        Column("stall", _("Stalled"), accessor=stall_badge, nowrap=True),
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
