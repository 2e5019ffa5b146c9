from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, Table

INDUSTRY_CODE_TABLE = Table(
    columns=(
        Column("code", _("Code"), order_by=("sort", "code"), link=True),
        Column("name", _("Name"), accessor=lambda c: c.display_name, order_by=("name",)),
        Column("level", _("Level"), order_by=("level", "sort")),
        Column("parent", _("Parent"), accessor=lambda c: c.parent.code if c.parent_id else None),
    ),
    default_sort="code",
    select_related=("parent",),
)

CHAIN_TABLE = Table(
    columns=(
        Column("name", _("Name"), accessor=lambda c: c.display_name, order_by=("sort", "name"), link=True),
        Column(
            "task_force", _("Task force"), accessor=lambda c: c.task_force.display_name if c.task_force_id else None
        ),
        Column(
            "codes",
            _("Industry codes"),
            accessor=lambda c: ", ".join(code.code for code in c.industry_codes.all()),
        ),
    ),
    default_sort="name",
    select_related=("task_force",),
    prefetch_related=("industry_codes",),
)

ENTERPRISE_TABLE = Table(
    columns=(
        Column("name", _("Name"), accessor=lambda e: e.display_name, order_by=("name",), link=True),
        Column("uscc", _("Credit code"), order_by=("uscc",)),
        Column("hq", _("Headquarters"), accessor=lambda e: e.hq_region.display_name if e.hq_region_id else e.hq_city),
        Column(
            "industry",
            _("Industry"),
            accessor=lambda e: str(e.industry) if e.industry_id else None,
            order_by=("industry__code",),
        ),
        Column("tags", _("Tags"), accessor=lambda e: " · ".join(t.display_name for t in e.tags.all())),
        Column(
            "owner_team",
            _("Kept by"),
            accessor=lambda e: e.owner_team.display_name if e.owner_team_id else _("shared register"),
        ),
    ),
    default_sort="name",
    select_related=("hq_region", "industry", "owner_team"),
    prefetch_related=("tags",),
)
