"""The list tables of the services pages kept by the centre."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, Table


def _edit(name, obj, text):
    return format_html('<a href="{}">{}</a>', reverse(name, args=[obj.pk]), text)


CATEGORY_TABLE = Table(
    columns=(
        Column("order", _("Order"), order_by=("order",), nowrap=True),
        Column("name", _("Name"), accessor=lambda c: _edit("services:category-edit", c, c.name), order_by=("name",)),
        Column("name_en", _("English name")),
        Column("code", _("Code"), order_by=("code",), nowrap=True),
        Column("department", _("Default department"), accessor=lambda c: c.department),
        Column("active", _("Active"), accessor=lambda c: _("Yes") if c.active else _("No")),
    ),
    default_sort="order",
    select_related=("department",),
)


def _limit(value, unit_display):
    return f"{value} {unit_display}"


POLICY_TABLE = Table(
    columns=(
        Column(
            "policy",
            _("Policy"),
            accessor=lambda p: _edit("services:policy-edit", p, p),
            order_by=("category__order", "channel"),
        ),
        Column(
            "contact", _("Contact within"), accessor=lambda p: _limit(p.contact_limit, p.get_contact_unit_display())
        ),
        Column("plan", _("Plan within"), accessor=lambda p: _limit(p.plan_limit, p.get_plan_unit_display())),
        Column("close", _("Close within"), accessor=lambda p: _limit(p.close_limit, p.get_close_unit_display())),
    ),
    default_sort="policy",
    select_related=("category",),
)
