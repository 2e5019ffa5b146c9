"""The one formatter of numbers, money, areas and dates, for pages, PDFs and exports alike.

Numbers carry thousands separators and no trailing zeros (``85,293`` · ``12.5``). Money is stored in 万元 and read
the way each language counts: 万元 and, from 100 million yuan up, 亿元 in Chinese; yuan, million yuan and billion
yuan in English (8,000 万元 reads "80 million yuan"). Areas read 亩/平方米/平方公里 in Chinese, mu/m²/km² in
English. Dates read ISO 8601 (2026-03-01) in both languages, as official tables print them. Nothing known reads "—".
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .units import WAN_PER_YI, _d, wan_to_yuan

UNKNOWN = "—"
MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return _d(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def number(value, places: int = 2, fixed: bool = False) -> str:
    """``value`` rounded half up to at most ``places`` decimals, with thousands separators, without trailing zeros
    (exactly ``places`` decimals when ``fixed``, for a column of figures such as changes in %)."""
    amount = _decimal(value)
    if amount is None:
        return UNKNOWN if value is None or value == "" else str(value)
    if not amount.is_finite():
        return str(value)
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) if places >= 0 else amount
    text = f"{rounded:,f}"
    if "." in text and not fixed:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def counts_in_wan(language: str | None = None) -> bool:
    """Whether the language counts large amounts in 万 and 亿 (Chinese) rather than in thousands (English)."""
    return (language or get_language() or "zh-hans").lower().startswith("zh")


def money(wan, places: int = 2) -> str:
    """An amount stored in 万元, as people of the page's language say it."""
    amount = _decimal(wan)
    if amount is None:
        return UNKNOWN
    if counts_in_wan():
        if abs(amount) >= WAN_PER_YI:
            return _("%(value)s hundred million yuan") % {"value": number(amount / WAN_PER_YI, places)}
        return _("%(value)s ten thousand yuan") % {"value": number(amount, places)}
    yuan = wan_to_yuan(amount)
    if abs(yuan) >= BILLION:
        return _("%(value)s billion yuan") % {"value": number(yuan / BILLION, places)}
    if abs(yuan) >= MILLION:
        return _("%(value)s million yuan") % {"value": number(yuan / MILLION, places)}
    return _("%(value)s yuan") % {"value": number(yuan, 0)}


def mu(value, places: int = 2) -> str:
    """An area in 亩."""
    return UNKNOWN if _decimal(value) is None else _("%(n)s mu") % {"n": number(value, places)}


def sqm(value, places: int = 0) -> str:
    """An area in m² (whole square metres unless told)."""
    return UNKNOWN if _decimal(value) is None else _("%(n)s m²") % {"n": number(value, places)}


def sqkm(value, places: int = 2) -> str:
    """An area in km²."""
    return UNKNOWN if _decimal(value) is None else _("%(n)s km²") % {"n": number(value, places)}


def day(value) -> str:
    """A date (or the local date of a datetime) as YYYY-MM-DD."""
    if value is None or value == "":
        return UNKNOWN
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
