"""Template filters of the project pages."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from zhaoshang.core.units import wan_to_yi

from ..models import LARGE_PROJECT_WAN

register = template.Library()


@register.filter
def money_wan(value) -> str:
    """An amount in 万元 as people say it: in 亿元 from 100 million yuan up, else in 万元 ("—" when unknown)."""
    if value is None:
        return "—"
    if value >= LARGE_PROJECT_WAN:
        return _("%(value)s hundred million yuan") % {"value": floatformat(wan_to_yi(value), "-2g")}
    return _("%(value)s ten thousand yuan") % {"value": floatformat(value, "-2g")}
