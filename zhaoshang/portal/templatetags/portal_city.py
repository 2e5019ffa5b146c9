"""The configured city's name for the public site's header (``{% city_name %}``): the region of
``ZHAOSHANG_CITY_ADCODE`` in the page's language."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def city_name(context) -> str:
    from zhaoshang.geo.services import configured_city

    request = context.get("request")
    cache = getattr(request, "_portal_city", None) if request is not None else None
    if cache is None:
        region = configured_city()
        cache = region if region is not None else False
        if request is not None:
            request._portal_city = cache
    return cache.display_name if cache else ""
