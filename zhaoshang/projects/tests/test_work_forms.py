"""The project form and list as staff use them: long drop-downs and multiple choices can be searched by typing,
a new project is filed for the user's own team, and the list marks stalled projects."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.models import Membership
from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.core.forms import SEARCHABLE_MIN_OPTIONS
from zhaoshang.geo.tests.factories import CarrierFactory
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.forms import ProjectForm
from zhaoshang.projects.tests.factories import ProjectFactory

ADD = reverse("projects:project-add")
LIST = reverse("projects:project-list")


def select_tag(html: str, name: str) -> str:
    found = re.search(rf'<select name="{name}"[^>]*>', html)
    assert found, f"no select {name}"
    return found.group(0)


def selected_values(html: str, name: str) -> list[str]:
    block = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', block)


def option_labels(html: str, name: str) -> list[str]:
    block = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [label for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', block) if value]


# --- searchable selects -----------------------------------------------------------------------------------------


def test_long_selects_and_multiple_choices_of_the_project_form_are_searchable_short_ones_stay_plain(
    city, officer_a, outpost_a
):
    CarrierFactory.create_batch(SEARCHABLE_MIN_OPTIONS + 1, team=outpost_a)
    with translation.override("en"):
        html = ProjectForm(user=officer_a).as_p()

    carrier = select_tag(html, "carrier")
    assert "data-searchable" in carrier
    assert 'data-searchable-no-results="No results"' in carrier
    assert 'data-searchable-placeholder="Type to search…"' in carrier
    assert "data-searchable" in select_tag(html, "industry_code")  # hundreds of industry codes
    teams = select_tag(html, "supporting_teams")
    assert "multiple" in teams and "data-searchable" in teams  # chosen one by one, no Ctrl-click
    assert "data-searchable" not in select_tag(html, "project_type")  # a handful of options
    assert "data-searchable" not in select_tag(html, "source")


def test_a_select_becomes_searchable_only_past_the_threshold(city, officer_a, outpost_a):
    CarrierFactory.create_batch(SEARCHABLE_MIN_OPTIONS - 1, team=outpost_a)  # with the empty choice: the threshold
    assert "data-searchable" not in select_tag(ProjectForm(user=officer_a).as_p(), "carrier")

    CarrierFactory(team=outpost_a)
    assert "data-searchable" in select_tag(ProjectForm(user=officer_a).as_p(), "carrier")


def test_the_list_filters_offer_their_long_selects_searchable_and_the_page_loads_the_script(
    city, officer_a, outpost_a, client_for
):
    TeamFactory.create_batch(SEARCHABLE_MIN_OPTIONS + 1)
    html = client_for(officer_a).get(LIST).content.decode()
    assert "data-searchable" in select_tag(html, "team")
    assert "core/searchable.js" in html
    assert "vendor/tom-select/js/tom-select.complete.min.js" in html


def test_the_searchable_select_files_are_served(client):
    for path in (
        "/static/vendor/tom-select/js/tom-select.complete.min.js",
        "/static/vendor/tom-select/css/tom-select.bootstrap5.min.css",
        "/static/vendor/sortable/Sortable.min.js",
        "/static/core/searchable.js",
    ):
        response = client.get(path)
        assert response.status_code == 200, path


# --- the owning team of a new project ---------------------------------------------------------------------------


def test_a_new_project_is_filed_for_the_officers_only_team(officer_a, outpost_a, client_for):
    html = client_for(officer_a).get(ADD).content.decode()
    assert selected_values(html, "owner_team") == [str(outpost_a.pk)]


def test_a_centre_officer_in_one_team_finds_it_chosen_among_all_teams(centre_officer, centre, outpost_a, client_for):
    html = client_for(centre_officer).get(ADD).content.decode()
    assert selected_values(html, "owner_team") == [str(centre.pk)]
    assert len(option_labels(html, "owner_team")) >= 2  # the centre still files for any team


def test_an_officer_of_two_teams_chooses_the_owning_team_their_teams_listed_first(
    officer_a, outpost_a, centre, client_for
):
    second = TeamFactory(name="驻深圳招商联络处")
    Membership.objects.create(user=officer_a, team=second, role=Role.OFFICER)
    TeamFactory(name="AAA 其他团队")  # sorts before theirs by name, still after them

    html = client_for(officer_a).get(ADD).content.decode()

    assert selected_values(html, "owner_team") == [""]  # the empty choice: theirs to make
    assert set(option_labels(html, "owner_team")[:2]) == {outpost_a.display_name, second.display_name}


def test_an_officer_of_two_teams_sees_their_teams_before_the_others_in_the_centre(
    centre_officer, centre, outpost_a, client_for
):
    Membership.objects.create(user=centre_officer, team=outpost_a, role=Role.OFFICER)
    TeamFactory(name="AAA 其他团队")

    html = client_for(centre_officer).get(ADD).content.decode()

    labels = option_labels(html, "owner_team")
    assert set(labels[:2]) == {centre.display_name, outpost_a.display_name}
    assert "AAA 其他团队" in labels[2:]
    assert selected_values(html, "owner_team") == [""]  # the empty choice: theirs to make


# --- stalled projects in the list -------------------------------------------------------------------------------


@pytest.fixture
def thresholds(settings):
    settings.ZHAOSHANG_STALL_SIGNED_NO_LAND_DAYS = 90


def signed(name, days_ago, team):
    today = timezone.localdate()
    return ProjectFactory(
        name=name,
        owner_team=team,
        stage=Stage.SIGNED,
        lead_on=today - timedelta(days=days_ago + 10),
        signed_on=today - timedelta(days=days_ago),
    )


def rows_by_name(html: str) -> dict[str, str]:
    table = re.search(r'<table[^>]*data-testid="object-table".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return {re.search(r'<a href="[^"]*">([^<]*)</a>', row).group(1): row for row in rows if "<a href" in row}


def test_the_list_marks_a_project_signed_long_ago_stalled_and_a_fresh_signing_not(
    thresholds, officer_a, outpost_a, client_for
):
    signed("久签未供地项目", 200, outpost_a)
    signed("新签项目", 5, outpost_a)

    html = client_for(officer_a).get(LIST).content.decode()

    rows = rows_by_name(html)
    assert 'data-testid="badge-stalled"' in rows["久签未供地项目"]
    assert ">停滞<" in rows["久签未供地项目"] or ">Stalled<" in rows["久签未供地项目"]  # a word, not a colour
    assert 'data-testid="badge-stalled"' not in rows["新签项目"]


def test_the_stalled_filter_keeps_only_stalled_projects(thresholds, officer_a, outpost_a, client_for):
    signed("久签未供地项目", 200, outpost_a)
    signed("新签项目", 5, outpost_a)

    rows = rows_by_name(client_for(officer_a).get(LIST, {"stalled": "true"}).content.decode())

    assert set(rows) == {"久签未供地项目"}


def test_the_stalled_badges_cost_no_query_per_row(thresholds, officer_a, outpost_a, client_for):
    client = client_for(officer_a)
    signed("久签项目0", 200, outpost_a)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(1, 8):
        signed(f"久签项目{n}", 200 + n, outpost_a)
    with CaptureQueriesContext(connection) as many:
        html = client.get(LIST).content.decode()
    assert html.count('data-testid="badge-stalled"') == 8
    assert len(many) == len(few)


def test_the_public_matching_forms_industry_select_is_searchable_too(db):
    from zhaoshang.portal.forms.matching import MatchForm

    html = MatchForm().as_p()
    assert "data-searchable" in select_tag(html, "industry")  # the industries, grouped by section
    assert "data-searchable" not in select_tag(html, "kind")
