"""Choice widgets drawn without a template per option: the same HTML as Django's stock widget templates, built in
Python.

A filter form's selects and checkbox pills render one template for the widget and one more for each option (and the
attributes' template inside each): a list page's filter form of a few hundred options spent most of the page's time
there. ``LightRenderMixin`` builds the HTML of Django's stock ``select``, ``select_option``, ``checkbox_option``,
``radio_option``, ``input_option`` and ``input`` templates directly, character for character the same (escaping,
localisation and the templates' line breaks included; tests compare both). A widget given templates of its own keeps
the template path."""

from __future__ import annotations

from functools import cache

from django.forms.widgets import ChoiceWidget
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
_CONTEXT = Context()  # as the widget templates render: autoescape on, the active language's formats


def _text(value) -> str:
    """``{{ value }}`` in a template: localised and escaped."""
    return render_value_in_context(value, _CONTEXT)


def _string(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``%s`` of the value (still safe when it was), escaped."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ``True`` as a bare attribute, ``False`` left out."""
    return "".join(
        "" if value is False else f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"'
        for name, value in attrs.items()
    )


def _input(widget: dict) -> str:
    value = f' value="{_string(widget["value"])}"' if widget["value"] is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{attrs_html(widget["attrs"])}>\n'
    )


def _input_option(widget: dict) -> str:
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    label_for = f' for="{_text(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)} {_text(widget['label'])}</label>\n"


def _select_option(widget: dict) -> str:
    return (
        f'<option value="{_string(widget["value"])}"{attrs_html(widget["attrs"])}>{_text(widget["label"])}</option>\n'
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append("\n  ")
            parts.append(_render_option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


OPTION_TEMPLATES = {
    WIDGETS + "select_option.html": _select_option,
    WIDGETS + "checkbox_option.html": lambda widget: _input_option(widget) + "\n",
    WIDGETS + "radio_option.html": lambda widget: _input_option(widget) + "\n",
    WIDGETS + "input_option.html": _input_option,
}
TEMPLATES = {WIDGETS + "select.html": _select, WIDGETS + "input.html": _input, **OPTION_TEMPLATES}


def _render_option(option: dict) -> str:
    build = OPTION_TEMPLATES.get(option["template_name"])
    if build is None:  # an option template of the widget's own: the template path for all of it
        raise _OwnTemplate
    return build(option)


class _OwnTemplate(Exception):
    pass


class LightRenderMixin:
    """Draws Django's stock choice-widget templates in Python (see the module); any other template as usual."""

    def _render(self, template_name, context, renderer=None):
        build = TEMPLATES.get(template_name)
        if build is not None:
            try:
                return mark_safe(build(context["widget"]).strip())  # as BaseRenderer.render
            except _OwnTemplate:
                pass
        return super()._render(template_name, context, renderer)


@cache
def light_class(widget_class: type) -> type:
    """``widget_class`` drawn by ``LightRenderMixin`` (one class made per widget class)."""
    if issubclass(widget_class, LightRenderMixin):
        return widget_class
    return type(widget_class.__name__, (LightRenderMixin, widget_class), {"__module__": widget_class.__module__})


def lighten(fields) -> None:
    """Let the choice widgets among ``fields`` (selects, checkbox and radio groups) render without a template per
    option. The widget keeps its state and only changes class, like ``make_searchable``."""
    for field in fields:
        if isinstance(field.widget, ChoiceWidget):
            field.widget.__class__ = light_class(type(field.widget))
