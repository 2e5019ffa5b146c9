"""Empty choices read a translated label, short table columns stay on one line, and the site has its own icon."""

from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import django_filters
from django import forms
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from zhaoshang.accounts.models import Team
from zhaoshang.core.filtersets import BaseFilterSet
from zhaoshang.core.forms import BaseForm
from zhaoshang.core.tables import Column, Table

DASHES = "---------"


class PickForm(BaseForm):
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False)
    colour = forms.ChoiceField(choices=[("", DASHES), ("red", "Red")], required=False)


class TeamFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=[("a", "A")])
    team = django_filters.ModelChoiceFilter(field_name="pk", queryset=Team.objects.all())

    class Meta:
        model = Team
        fields = ["kind", "team"]


def test_a_forms_empty_choice_reads_a_translated_label_not_dashes(db):
    with translation.override("en"):
        page = str(PickForm())
    assert DASHES not in page
    assert page.count("Choose…") == 2


def test_a_filters_empty_choice_reads_any(db):
    with translation.override("en"):
        page = str(TeamFilterSet(data={}, queryset=Team.objects.all()).form)
    assert DASHES not in page
    assert page.count(">Any<") == 2


def test_short_columns_keep_to_one_line():
    table = Table(columns=(Column("stage", "Stage", nowrap=True), Column("name", "Name")), default_sort="name")

    class Row:
        stage, name = "线索", "某项目"

    (cells,) = table.rows([Row()])
    assert cells[0] == '<span class="text-nowrap">线索</span>'
    assert cells[1] == "某项目"
    assert [h["nowrap"] for h in table.headers("name", {})] == [True, False]


def test_table_cells_format_amounts_with_thousands_separators():
    table = Table(columns=(Column("area", "Area"),), default_sort="area")

    class Row:
        area = Decimal("50000.00")

    assert table.rows([Row()]) == [["50,000"]]


def test_every_page_links_the_sites_own_icon_served_from_static(client, db):
    path = finders.find("core/favicon.svg")
    assert path, "core/favicon.svg is not among the static files"
    root = ElementTree.parse(Path(path)).getroot()
    assert root.tag.endswith("svg") and root.get("viewBox")
    page = client.get(reverse("portal:policy-list")).content.decode()
    assert 'rel="icon"' in page and "core/favicon" in page
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and "core/favicon" in answer["Location"]
