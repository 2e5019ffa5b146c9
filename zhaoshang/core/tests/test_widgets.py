"""Choice widgets drawn in Python (core.widgets) give exactly the HTML of Django's templates, and the filter forms of
the list pages use them."""

import pytest
from django import forms
from django.forms.widgets import ChoiceWidget
from django.utils.safestring import mark_safe
from django.utils.translation import override

from zhaoshang.core.widgets import LightRenderMixin, light_class, lighten

CHOICES = [
    ("", "Any"),
    ("a&b", 'Fish & "chips" <b>'),
    (3, mark_safe("<em>safe</em>")),
    ("Group <1>", [("g1", "One"), ("g2", "Two")]),
    (None, "None value"),
]


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES[1:], required=False, widget=forms.SelectMultiple)
    boxes = forms.MultipleChoiceField(choices=CHOICES[1:], required=False, widget=forms.CheckboxSelectMultiple)
    radios = forms.ChoiceField(choices=CHOICES[1:3], required=False, widget=forms.RadioSelect)
    yes_no = forms.NullBooleanField(required=False)
    number = forms.IntegerField(required=False)


DATA = {"plain": "a&b", "several": ["g2", "3"], "boxes": ["a&b", "g1"], "radios": "3", "yes_no": "true"}


def pairs(data):
    """Each field's HTML and each option's tag, template-drawn and Python-drawn."""
    stock, light = Sample(data, auto_id="id_%s"), Sample(data, auto_id="id_%s")
    for field in stock.fields.values():
        field.widget.attrs.update({"class": "form-select", "data-x": 'q"uote', "disabled": False, "required": True})
    for field in light.fields.values():
        field.widget.attrs.update({"class": "form-select", "data-x": 'q"uote', "disabled": False, "required": True})
    lighten(light.fields.values())
    for name in stock.fields:
        yield name, str(stock[name]), str(light[name])
        for a, b in (
            zip(stock[name], light[name], strict=True) if isinstance(stock.fields[name].widget, ChoiceWidget) else ()
        ):
            yield f"{name} tag", a.tag(), b.tag()
            yield f"{name} label", str(a), str(b)


@pytest.mark.parametrize("data", [None, DATA])
def test_light_widgets_draw_the_same_html_as_the_templates(data):
    seen = 0
    for name, stock, light in pairs(data):
        assert light == stock, name
        seen += 1
    assert seen > 20


def test_only_choice_widgets_change_class_and_keep_their_name():
    form = Sample()
    lighten(form.fields.values())
    assert isinstance(form.fields["plain"].widget, LightRenderMixin)
    assert type(form.fields["plain"].widget).__name__ == "Select"
    assert isinstance(form.fields["boxes"].widget, forms.CheckboxSelectMultiple)
    assert not isinstance(form.fields["number"].widget, LightRenderMixin)
    assert light_class(forms.Select) is light_class(forms.Select)


def test_a_widget_with_its_own_option_template_keeps_the_template():
    class Own(forms.Select):
        option_template_name = "django/forms/widgets/input.html"  # any other template than the stock option

    widget = light_class(Own)(choices=[("x", "X")])
    html = widget.render("f", "x")
    assert '<input type="select" name="f" value="x"' in html  # drawn by the template, not as an <option>


@pytest.mark.django_db
def test_the_project_filter_form_draws_the_same_html_as_the_templates(rf, officer_a):
    from zhaoshang.projects.filtersets import ProjectFilterSet
    from zhaoshang.projects.models import Project

    request = rf.get("/", {"stage": ["signed", "lead"], "source": "fair"})
    request.user = officer_a
    with override("zh-hans"):
        filterset = ProjectFilterSet(request.GET, queryset=Project.objects.all(), request=request)
        form = filterset.form
        checked = 0
        for bound in form:
            widget = bound.field.widget
            if not isinstance(widget, LightRenderMixin):
                continue
            light = str(bound)  # as the page draws it: the field's id and its options' ids included
            light_class = type(widget)
            widget.__class__ = light_class.__bases__[1]  # the stock widget class, drawn by its templates
            try:
                stock = str(bound)
            finally:
                widget.__class__ = light_class
            assert "<" in light and light == stock, bound.name
            for option in bound:
                context = {"widget": {**option.data, "wrap_label": False}}  # as BoundWidget.tag() draws it
                assert option.tag() == forms.Widget._render(widget, option.template_name, context)
            checked += 1
    assert checked >= 6
