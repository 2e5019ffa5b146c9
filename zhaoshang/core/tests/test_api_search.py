"""Every API list that offers a search (``search``, or ``q`` as on the pages) narrows the list to the records
that match, with the Chinese search of the list pages: a two-character run such as 新会 finds 新会区.

These tests run on whatever database the suite runs on (SQLite, and PostgreSQL through DATABASE_URL).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district
from zhaoshang.industry.models import IndustryCode
from zhaoshang.industry.tests.factories import ChainFactory, EnterpriseFactory
from zhaoshang.portal.forms.inquiries import InquiryForm
from zhaoshang.portal.services.inquiries import submit_inquiry
from zhaoshang.portal.tests.factories import TYPED_INQUIRY
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats.event_choices import EventKind
from zhaoshang.stats.models import Event, FDIRecord

TERM = "新会"
TERMS = {"/api/industry-codes/": "采矿"}


def projects(users):
    def project(name):
        return ProjectFactory(name=name, owner_team=users.outpost_a, owner=users.officer_a).pk

    return project("新会区动力电池基地"), project("蓬江储能项目")


def reviews(users):
    from zhaoshang.review.models import Review

    def review(name):
        project = ProjectFactory(name=name, owner_team=users.outpost_a, owner=users.officer_a)
        return Review.objects.create(project=project, kind="industrial").pk

    return review("新会区动力电池基地"), review("蓬江储能项目")


def enterprises(users):
    return EnterpriseFactory(name="江门市新会区某某电池有限公司").pk, EnterpriseFactory(name="蓬江精密制造有限公司").pk


def teams(users):
    return TeamFactory(name="新会区招商分局").pk, TeamFactory(name="蓬江区招商分局").pk


def regions(users):
    return district("440705").adcode, district("440703").adcode


def industry_codes(users):
    """Reference data: 采矿业 (B) is found by 采矿, 农、林、牧、渔业 (A) is not."""
    return IndustryCode.objects.get(code="B").code, IndustryCode.objects.get(code="A").code


def chains(users):
    return ChainFactory(name="新会陈皮产业链").pk, ChainFactory(name="蓬江电池产业链").pk


def inquiries(users):
    site = CarrierFactory(team=users.outpost_a)

    def inquiry(company):
        form = InquiryForm(data={**TYPED_INQUIRY, "company": company})
        assert form.is_valid(), form.errors
        return submit_inquiry(form.cleaned_data, carrier=site, language="zh-hans").pk

    return inquiry("江门市新会区某某电池有限公司"), inquiry("蓬江精密制造有限公司")


def parks(users):
    return ParkFactory(name="新会经济开发区").pk, ParkFactory(name="蓬江产业园").pk


def sites(users):
    return CarrierFactory(name="新会区银洲湖地块").pk, CarrierFactory(name="蓬江棠下地块").pk


def fdi(users):
    def record(name):
        return FDIRecord.objects.create(
            team=users.centre,
            month=date(2025, 3, 1),
            amount_usd=Decimal("100"),
            exchange_rate=Decimal("7.0"),
            enterprise=EnterpriseFactory(name=name),
        ).pk

    return record("新会区某某外资电池有限公司"), record("蓬江某某外资制造有限公司")


def events(users):
    def event(name):
        start = timezone.localdate() + timedelta(days=10)
        return Event.objects.create(
            name=name, start_on=start, kind=EventKind.SIGNING, organiser_team=users.outpost_a
        ).pk

    return event("新会区重大项目集中签约"), event("蓬江区招商推介会")


# (list, how a matching and an other record are made, who reads the list, where a record's id is in the answer)
SEARCHABLE = {
    "/api/projects/": (projects, "officer_a", "id"),
    "/api/enterprises/": (enterprises, "admin_user", "id"),
    "/api/teams/": (teams, "admin_user", "id"),
    "/api/regions/": (regions, "admin_user", "adcode"),
    "/api/industry-codes/": (industry_codes, "admin_user", "code"),
    "/api/chains/": (chains, "admin_user", "id"),
    "/api/portal/inquiries/": (inquiries, "officer_a", "id"),
    "/api/portal/parks/": (parks, "admin_user", "id"),
    "/api/portal/sites/": (sites, "admin_user", "id"),
    "/api/stats/fdi/": (fdi, "centre_officer", "id"),
    "/api/stats/events/": (events, "officer_a", "id"),
    "/api/review/reviews/": (reviews, "officer_a", "id"),
}


# Lists whose search is required (no search, no list): proven by their own tests.
SEARCH_REQUIRED = {
    "/api/projects/lookup/": "core/tests/test_access_grants.py (the look-up of other teams' projects)",
}


class Users:
    def __init__(self, request):
        self.request = request

    def __getattr__(self, name):
        return self.request.getfixturevalue(name)


def ids(response, key):
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    if isinstance(rows, dict) and "features" in rows:
        rows = [feature["properties"] for feature in rows["features"]]
    return {row[key] for row in rows}


@pytest.mark.parametrize("url", SEARCHABLE)
@pytest.mark.parametrize("parameter", ["search", "q"])
def test_a_search_narrows_the_list_to_the_matching_records(url, parameter, request, city, api_for):
    make, reader, key = SEARCHABLE[url]
    users = Users(request)
    match, other = make(users)
    client = api_for(getattr(users, reader))

    everything = ids(client.get(url), key)
    found = ids(client.get(url, {parameter: TERMS.get(url, TERM)}), key)

    assert {match, other} <= everything
    assert match in found
    assert other not in found


def test_every_list_that_advertises_a_search_is_proven_to_filter():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    advertised = {
        path
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method == "get" and any(p["name"] == "search" for p in operation.get("parameters", []))
    }
    assert advertised == set(SEARCHABLE) | set(SEARCH_REQUIRED)


def test_a_page_searches_by_q_and_carries_a_search_it_was_linked_with_as_a_hidden_field(
    request, city, officer_a, client_for
):
    match, other = projects(Users(request))
    client = client_for(officer_a)

    plain = client.get("/work/projects/").content.decode()
    linked = client.get("/work/projects/", {"search": TERM}).content.decode()

    assert 'name="q"' in plain and 'name="search"' not in plain
    assert f'<input type="hidden" name="search" value="{TERM}"' in linked
    assert f"/work/projects/{match}/" in linked and f"/work/projects/{other}/" not in linked
