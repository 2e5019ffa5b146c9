from django import template

from zhaoshang.core import clocks

register = template.Library()


@register.inclusion_tag("core/_clock.html")
def clock_status(clock, now=None):
    """A clock's state in words, with its due moment: ``{% load clocks %}{% clock_status item_clock %}``."""
    return {"status": clocks.status(clock, now)}
