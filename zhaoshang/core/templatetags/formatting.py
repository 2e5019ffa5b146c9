"""Template filters of ``core.formatting``: ``{{ value|num }}``, ``|money``, ``|mu``, ``|sqm``, ``|sqkm``, ``|day``.

Loaded everywhere (a template builtin), so every page formats numbers the same way.
"""

from __future__ import annotations

from django import template

from zhaoshang.core import formatting

register = template.Library()


@register.filter
def num(value, places=2):
    return formatting.number(value, int(places))


@register.filter
def money(value, places=2):
    return formatting.money(value, int(places))


@register.filter
def mu(value, places=2):
    return formatting.mu(value, int(places))


@register.filter
def sqm(value, places=0):
    return formatting.sqm(value, int(places))


@register.filter
def sqkm(value, places=2):
    return formatting.sqkm(value, int(places))


@register.filter
def day(value):
    return formatting.day(value)
