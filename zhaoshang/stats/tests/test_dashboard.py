"""The leaders' dashboard: its figures are the metric layer's, its trend and funnel count the records, scoped."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.geo.models import Region
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats import services
from zhaoshang.stats.dashboard import dashboard, funnel, monthly_trend
from zhaoshang.stats.periods import Period

PERIOD = Period.cumulative(2025, 11)


@pytest.fixture
def projects(city, centre):
    pengjiang = Region.objects.get(adcode="440703")
    xinhui = Region.objects.get(adcode="440705")
    return [
        ProjectFactory(
            name="三月项目",
            district=pengjiang,
            planned_investment=20_000,
            owner_team=centre,
            stage=Stage.SIGNED,
            signed_on=date(2025, 3, 2),
        ),
        ProjectFactory(
            name="三月项目二",
            district=xinhui,
            planned_investment=35_000,
            owner_team=centre,
            stage=Stage.SIGNED,
            signed_on=date(2025, 3, 20),
        ),
        ProjectFactory(
            name="去年五月项目",
            district=xinhui,
            planned_investment=12_000,
            owner_team=centre,
            stage=Stage.CONSTRUCTION,
            signed_on=date(2024, 5, 5),
            construction_on=date(2025, 2, 1),
        ),
        ProjectFactory(name="线索项目", district=xinhui, planned_investment=50_000, owner_team=centre),
    ]


def test_the_cards_are_the_metric_layers_figures_and_link_to_their_records(projects):
    data = dashboard(PERIOD)
    cards = {card["key"]: card for card in data["cards"]}
    figure = services.figure("large_signed", PERIOD)
    assert cards["large_signed"]["value"] == "2" and figure.value == 2
    assert cards["large_signed"]["url"] == figure.url
    assert cards["large_signed"]["yoy"] == "100.0%" and cards["large_signed"]["direction"] == "up"
    assert cards["large_started"]["value"] == "1"


def test_the_trend_counts_each_month_of_both_years(projects):
    trend = monthly_trend(("large_signed", "large_signed_investment"), 2025)
    assert trend["large_signed"]["current"][2] == 2 and sum(trend["large_signed"]["current"]) == 2
    assert trend["large_signed"]["previous"][4] == 1
    assert trend["large_signed_investment"]["current"][2] == pytest.approx(5.5)  # 亿元


def test_the_funnel_counts_the_projects_that_reached_each_stage(projects):
    rows = {row["stage"]: row for row in funnel()}
    assert rows[Stage.LEAD]["count"] == 4 and rows[Stage.SIGNED]["count"] == 3
    assert rows[Stage.CONSTRUCTION]["count"] == 1 and rows[Stage.PRODUCTION]["count"] == 0
    assert (rows[Stage.SIGNED]["at"], rows[Stage.LEAD]["at"]) == (2, 1)


def test_the_district_ranking_ranks_ties_alike(projects):
    rows = dashboard(PERIOD)["districts"]
    assert sorted((row["label"], row["count"], row["rank"]) for row in rows) == [("新会区", 1, 1), ("蓬江区", 1, 1)]
    assert {row["adcode"] for row in rows} == {"440703", "440705"}
    assert sum(Decimal(str(row["amount"])) for row in rows) == Decimal("5.5")


def test_the_page_shows_the_figures_to_a_leader_and_a_district_its_own(projects, leader, district_officer, client_for):
    page = client_for(leader).get(reverse("stats:dashboard"), {"period": PERIOD.key})
    assert page.status_code == 200
    assert page.context["data"]["cards"][0]["value"] == "2"
    district = client_for(district_officer).get(reverse("stats:dashboard"), {"period": PERIOD.key})
    assert district.context["data"]["cards"][0]["value"] == "1"
    assert [row["label"] for row in district.context["data"]["districts"]] == ["蓬江区"]


def test_the_control_room_screen_has_no_menus(projects, leader, client_for):
    page = client_for(leader).get(reverse("stats:dashboard"), {"period": PERIOD.key, "screen": "1"}).content.decode()
    assert "dashboard-screen" in page and 'data-refresh="300"' in page and "navbar" not in page
    assert 'http-equiv="refresh"' not in page  # a timed refresh the reader cannot stop: the screen's script reloads


def test_anonymous_visitors_are_sent_to_log_in_and_a_bad_period_is_not_found(projects, leader, client, client_for):
    assert client.get(reverse("stats:dashboard")).status_code == 302
    assert client_for(leader).get(reverse("stats:dashboard"), {"period": "2025-13"}).status_code == 404


def embedded_data(page) -> dict:
    """The figures the page carries for its charts (json_script), as the browser's script reads them."""
    html = page.content.decode()
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page embeds no dashboard-data"
    return json.loads(match.group(1))


@pytest.mark.parametrize("screen", ["", "1"])
def test_the_monthly_chart_of_january_to_november_has_eleven_months_and_no_december(
    projects, leader, client_for, centre, screen
):
    ProjectFactory(  # signed in December of the year before: in neither year's bars of January to November
        name="去年十二月项目",
        district=Region.objects.get(adcode="440703"),
        planned_investment=30_000,
        owner_team=centre,
        stage=Stage.SIGNED,
        signed_on=date(2024, 12, 10),
    )
    data = embedded_data(client_for(leader).get(reverse("stats:dashboard"), {"period": PERIOD.key, "screen": screen}))
    assert data["labels"]["months"] == [f"{month}月" for month in range(1, 12)]
    for key in ("large_signed", "large_signed_investment"):
        assert len(data["trend"][key]["current"]) == len(data["trend"][key]["previous"]) == 11
    assert data["trend"]["large_signed"]["current"][2] == 2
    assert data["trend"]["large_signed"]["previous"] == [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]


def test_a_quarter_shows_its_three_months_in_english(projects, leader, client_for):
    page = client_for(leader, "en").get(reverse("stats:dashboard"), {"period": Period.quarter(2025, 1).key})
    data = embedded_data(page)
    assert data["labels"]["months"] == ["Jan", "Feb", "Mar"]
    assert data["trend"]["large_signed"]["current"] == [0, 0, 2]
    assert data["trend"]["large_signed_investment"]["current"] == pytest.approx([0, 0, 5.5])
