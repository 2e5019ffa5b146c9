"""The figures of enterprise requests on a hand-computed set, with their links and their queries.

The set (2026 unless said):
  power bureau, 蓬江区, utilities: A closed on time, satisfied; B closed late, unsatisfied then reopened and closed
      again late (redone); C open
  land bureau, 台山市, land:       D closed on time, not rated
  power bureau, 蓬江区, utilities: E received in 2025, closed in 2026 on time, satisfied
So in 2026: power received 3 (A B C), closed 3 (A B E), on time 2 (A E), rated 3, satisfied 2 (A E), redone 1 (B);
land received 1, closed 1, on time 1, rated 0. By category: utilities as power, land as land. By district: 蓬江区 as
power, 台山市 as land.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhaoshang.services.choices import Rating
from zhaoshang.services.services import requests as services
from zhaoshang.services.services.figures import request_figures

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures_set(receive, other_firm, power_officer, land_officer, firm_user):
    def work(req, officer, closed_on, rating=None, comment=""):
        services.sign(req, officer, at=req.received_at)
        services.close(req, officer, "已办结", at=at(closed_on, "16:00"))
        if rating:
            services.rate(req, firm_user, rating, comment, at=at(closed_on, "17:00"))

    a = receive(at("2026-03-09"))
    work(a, power_officer, "2026-03-10", Rating.SATISFIED)
    b = receive(at("2026-03-09", "11:00"))
    work(b, power_officer, "2026-03-30", Rating.UNSATISFIED, "未解决")
    services.close(b, power_officer, "再次办结", at=at("2026-05-01"))  # late again (the new clock from 30 March)
    c = receive(at("2026-04-01"))
    d = receive(at("2026-04-01"), category="land", enterprise=other_firm)
    work(d, land_officer, "2026-04-02")
    e = receive(at("2025-12-30"))
    work(e, power_officer, "2026-01-05", Rating.SATISFIED)
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def _table(rows):
    return {
        row.label: (row.received, row.closed, row.closed_on_time, row.rated, row.satisfied, row.redone) for row in rows
    }


def test_the_figures_of_a_year_per_department_district_and_category(figures_set, leader, power, land_bureau):
    figures = request_figures(2026, leader)
    power_row, land_row = (3, 3, 2, 3, 2, 1), (1, 1, 1, 0, 0, 0)
    assert _table(figures["department"]) == {power.name: power_row, land_bureau.name: land_row}
    assert _table(figures["district"]) == {"蓬江区": power_row, "台山市": land_row}
    assert _table(figures["category"]) == {"水电气": power_row, "用地": land_row}
    by_department = {row.label: row for row in figures["department"]}
    assert str(by_department[power.name].satisfaction) == "66.7"
    assert by_department[land_bureau.name].satisfaction is None
    assert (figures["total"].received, figures["total"].closed) == (4, 4)


def test_each_figure_links_to_the_list_of_the_requests_it_counts(figures_set, client_for, leader, power):
    client = client_for(leader)
    row = next(r for r in request_figures(2026, leader)["department"] if r.label == power.name)
    for name, expected in [("received", 3), ("closed", 3), ("closed_on_time", 2), ("satisfied", 2), ("redone", 1)]:
        response = client.get(row.links[name])
        assert response.context["page"].paginator.count == expected, name


def test_a_department_sees_its_own_row(figures_set, power_officer, power):
    assert [row.label for row in request_figures(2026, power_officer)["department"]] == [power.name]


def test_the_figures_take_a_few_queries_whatever_the_number_of_requests(figures_set, leader, receive):
    request_figures(2026, leader)  # the user's scope, read once per request
    with CaptureQueriesContext(connection) as few:
        request_figures(2026, leader)
    for day in range(10, 20):
        receive(at(f"2026-06-{day}"))
    with CaptureQueriesContext(connection) as more:
        request_figures(2026, leader)
    assert len(few) == len(more) <= 5


def test_the_figures_page_shows_the_three_breakdowns_for_the_year(figures_set, client_for, leader, power):
    response = client_for(leader).get(reverse("services:request-figures"), {"year": 2026})
    body = response.content.decode()
    assert response.status_code == 200, body
    for key in ("department", "district", "category"):
        assert f'data-testid="figures-{key}"' in body
    assert power.name in body and "66.7%" in body
