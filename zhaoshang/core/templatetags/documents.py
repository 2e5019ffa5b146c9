from django import template

from zhaoshang.core.documents import cell_text, is_number

register = template.Library()


@register.filter
def cell(value) -> str:
    """A document's cell as the files show it (— for a figure that cannot be computed)."""
    return cell_text(value)


@register.filter
def numeric(value) -> bool:
    return is_number(value)
