"""Workforce, supply-chain and cost facts: kept for a district by the centre and for a park by whoever may change
the park, shown with their source and date on the public park and site pages in both languages, a park's fact
replacing its district's of the same kind."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.geo.choices import FactKind
from zhaoshang.geo.models import LocationFact
from zhaoshang.geo.services import location_facts
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district


@pytest.fixture
def park(city, outpost_a):
    return ParkFactory(name="要素园区", name_en="Facts Park", team=outpost_a)


@pytest.fixture
def facts(park):
    pengjiang = district("440703")
    common = {"source": "江门市统计局", "source_en": "Jiangmen Statistics Bureau", "as_of": date(2025, 12, 31)}
    return {
        "wage": LocationFact.objects.create(
            region=pengjiang, kind=FactKind.AVERAGE_WAGE, value=Decimal(7600), **common
        ),
        "district_port": LocationFact.objects.create(
            region=pengjiang,
            kind=FactKind.TO_PORT,
            value=Decimal("1.5"),
            text="到江门港",
            text_en="to Jiangmen port",
            **common,
        ),
        "park_port": LocationFact.objects.create(
            park=park,
            kind=FactKind.TO_PORT,
            value=Decimal("0.5"),
            text="园区专用码头",
            text_en="the park's own wharf",
            source="园区管委会",
            source_en="Park administration",
            as_of=date(2026, 6, 30),
        ),
        "other_district": LocationFact.objects.create(
            region=district("440705"), kind=FactKind.AVERAGE_WAGE, value=Decimal(7100), **common
        ),
    }


def test_a_park_fact_replaces_the_district_fact_of_the_same_kind(park, facts, outpost_a, django_assert_num_queries):
    site = CarrierFactory(reference="F-1", team=outpost_a, park=park)
    lone = CarrierFactory(reference="F-2", team=outpost_a, region=district("440705"))
    with django_assert_num_queries(1):
        found = location_facts([site, lone])
    assert found[site.pk] == [facts["wage"], facts["park_port"]]
    assert found[lone.pk] == [facts["other_district"]]
    assert location_facts([park])[park.pk] == [facts["wage"], facts["park_port"]]


def test_the_park_page_shows_each_fact_with_its_source_and_date_in_both_languages(client, park, facts):
    chinese = client.get(park.get_absolute_url()).content.decode()
    assert "园区专用码头" in chinese and "园区管委会 · 2026-06-30" in chinese
    assert "江门市统计局 · 2025-12-31" in chinese and "7,600" in chinese
    assert "到江门港" not in chinese  # replaced by the park's own
    english = client.get(park.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the park&#x27;s own wharf" in english and "Park administration · 2026-06-30" in english
    assert "Jiangmen Statistics Bureau · 2025-12-31" in english and "Average monthly wage" in english


def test_the_site_page_shows_the_facts_of_its_park_and_district(client, park, facts, outpost_a):
    site = CarrierFactory(reference="F-3", team=outpost_a, park=park)
    page = client.get(site.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Park administration · 2026-06-30" in page and "Jiangmen Statistics Bureau" in page


def test_the_facts_of_an_unpublished_park_stay_hidden_from_the_public(park, facts, outpost_a):
    park.published = False
    park.save()
    site = CarrierFactory(reference="F-4", team=outpost_a, park=park)
    assert location_facts([site])[site.pk] == [facts["wage"], facts["district_port"]]


def fact_form(**changes):
    data = {"kind": FactKind.GRADUATES, "value": "3000", "source": "五邑大学", "as_of": "2026-01-01", **changes}
    return {key: value for key, value in data.items() if value is not None}


def test_the_park_team_keeps_its_park_facts_and_another_team_cannot(client_for, officer_a, officer_b, park, facts):
    add = reverse("portal:staff-fact-add")
    assert client_for(officer_a).post(add, fact_form(park=park.pk)).status_code == 302
    assert LocationFact.objects.filter(park=park, kind=FactKind.GRADUATES).exists()
    refused = client_for(officer_b).post(add, fact_form(park=park.pk, kind=FactKind.COLLEGES))
    assert refused.status_code == 200 and "park" in refused.context["form"].errors
    edit = reverse("portal:staff-fact-edit", args=[facts["park_port"].pk])
    assert client_for(officer_b).get(edit).status_code == 403
    assert (
        client_for(officer_b).post(reverse("portal:staff-fact-delete", args=[facts["park_port"].pk])).status_code == 403
    )
    assert LocationFact.objects.filter(pk=facts["park_port"].pk).exists()


def test_only_the_centre_keeps_district_facts(client_for, officer_a, centre_officer, city):
    add = reverse("portal:staff-fact-add")
    pengjiang = district("440703")
    refused = client_for(officer_a).post(add, fact_form(region=pengjiang.pk))
    assert refused.status_code == 200 and "region" in refused.context["form"].errors
    assert client_for(centre_officer).post(add, fact_form(region=pengjiang.pk)).status_code == 302
    assert LocationFact.objects.get(region=pengjiang).value == 3000


def test_a_fact_needs_its_source_and_date_and_one_place(client_for, centre_officer, park):
    add = reverse("portal:staff-fact-add")
    response = client_for(centre_officer, language="en").post(
        add, fact_form(source="", as_of="", park=park.pk, region=district("440703").pk)
    )
    form = response.context["form"]
    assert {"source", "as_of"} <= set(form.errors) and "Choose either a district or a park." in form.non_field_errors()
    assert not LocationFact.objects.exists()
