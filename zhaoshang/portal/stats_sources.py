"""The inquiries as a statistics source (``core.stats_sources``), registered in ``PortalConfig.stats_sources``:
the statistics count and list them without importing the portal."""

from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import Action
from zhaoshang.core.documents import local_day
from zhaoshang.core.stats_sources import Group, Source, all_records, model_labels
from zhaoshang.core.tables import Column, Table


def inquiry_records(user):
    """The inquiries whose figures ``user`` sees: those they may read."""
    from .models import Inquiry

    return Inquiry.objects.restrict(user, Action.VIEW)


INQUIRY_TABLE = Table(
    columns=(
        Column("company", _("Company"), order_by=("company",), link=True),
        Column("team", _("Team"), accessor=lambda i: i.team.display_name),
        Column("created", _("Received"), accessor=lambda i: local_day(i.created), order_by=("created",)),
        Column("status", _("Status"), order_by=("status",)),
    ),
    default_sort="-created",
    select_related=("team",),
)

INQUIRIES = Source(
    key="inquiries",
    label=_("inquiries"),
    model_path="portal.Inquiry",
    for_user=inquiry_records,
    everything=all_records("portal.Inquiry"),
    dates={"created__date": _("by the day received")},
    groups={
        g.key: g
        for g in (
            Group("district", _("District"), "region_id", model_labels("geo.Region", ("boundary",))),
            Group("team", _("Team"), "team_id", model_labels("accounts.Team")),
        )
    },
    table=INQUIRY_TABLE,
)
