"""Stale, unpublished and taken listings never reach anonymous investors; staff see them, flagged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhaoshang.geo.choices import Availability
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, stale_date
from zhaoshang.portal.models import Policy

HIDDEN_SITES = {
    "stale": {"last_verified": stale_date},
    "unpublished": {"published": False},
    "taken": {"availability": Availability.TAKEN},
}


def hidden_site(how: str):
    values = {key: (value() if callable(value) else value) for key, value in HIDDEN_SITES[how].items()}
    return CarrierFactory(reference=f"HIDDEN-{how}", **values)


def geojson_references(client, **params) -> set[str]:
    response = client.get(reverse("api:portal-site-geojson"), params)
    assert response.status_code == 200
    return {feature["properties"]["reference"] for feature in response.json()["features"]}


def list_references(client) -> set[str]:
    response = client.get(reverse("api:portal-site-list"))
    assert response.status_code == 200
    return {row["reference"] for row in response.json()["results"]}


@pytest.mark.parametrize("how", sorted(HIDDEN_SITES))
def test_a_hidden_site_is_not_found_by_an_anonymous_investor_on_any_page(city, investor, how):
    site = hidden_site(how)
    assert investor.get(reverse("portal:carrier-detail", args=[site.pk])).status_code == 404
    assert investor.get(reverse("portal:carrier-qr", args=[site.pk, "png"])).status_code == 404


@pytest.mark.parametrize("how", sorted(HIDDEN_SITES))
def test_a_hidden_site_is_absent_from_the_api_for_an_anonymous_caller(city, investor, how):
    CarrierFactory(reference="PUBLIC")
    site = hidden_site(how)
    assert list_references(investor) == {"PUBLIC"}
    assert geojson_references(investor) == {"PUBLIC"}
    assert investor.get(reverse("api:portal-site-detail", args=[site.pk])).status_code == 404


@pytest.mark.parametrize("how", sorted(HIDDEN_SITES))
def test_a_hidden_site_is_not_listed_on_its_parks_page_for_the_public(city, investor, how):
    park = ParkFactory()
    CarrierFactory(reference="PUBLIC-IN-PARK", park=park)
    hidden = hidden_site(how)
    hidden.park = park
    hidden.save()
    page = investor.get(park.get_absolute_url()).content.decode()
    assert "PUBLIC-IN-PARK" in page
    assert hidden.reference not in page


def test_staff_open_a_stale_site_and_see_it_flagged_as_hidden_from_the_public(city, client_for, officer_a):
    site = CarrierFactory(last_verified=stale_date())
    response = client_for(officer_a).get(site.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "stale — hidden from the public" in response.content.decode()


def test_staff_see_an_unpublished_site_badged_unpublished(city, client_for, centre_officer):
    site = CarrierFactory(published=False)
    response = client_for(centre_officer).get(site.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'data-testid="staff-badge">unpublished' in response.content.decode()


def test_a_current_published_site_carries_no_badge_for_staff(city, client_for, officer_a):
    site = CarrierFactory()
    response = client_for(officer_a).get(site.get_absolute_url())
    assert 'data-testid="staff-badge"' not in response.content.decode()


def test_staff_get_hidden_sites_from_the_api_and_the_viewport_marks_the_stale_one(city, api_for, officer_a):
    CarrierFactory(reference="PUBLIC")
    for how in HIDDEN_SITES:
        hidden_site(how)
    api = api_for(officer_a)
    assert list_references(api) == {"PUBLIC", "HIDDEN-stale", "HIDDEN-unpublished", "HIDDEN-taken"}
    features = api.get(reverse("api:portal-site-geojson")).json()["features"]
    stale = {f["properties"]["reference"] for f in features if f["properties"]["stale"]}
    assert stale == {"HIDDEN-stale"}


@pytest.mark.parametrize(
    ("how", "badge"), [("stale", "stale — hidden from the public"), ("unpublished", ">unpublished")]
)
def test_a_hidden_park_is_not_found_by_the_public_but_staff_see_it(city, investor, client_for, officer_b, how, badge):
    values = {"last_verified": stale_date()} if how == "stale" else {"published": False}
    park = ParkFactory(**values)
    assert investor.get(park.get_absolute_url()).status_code == 404
    assert investor.get(reverse("portal:park-qr", args=[park.pk, "svg"])).status_code == 404
    assert investor.get(reverse("api:portal-park-detail", args=[park.pk])).status_code == 404
    assert investor.get(reverse("api:portal-park-list")).json()["count"] == 0
    assert investor.get(reverse("api:portal-park-geojson")).json()["features"] == []
    response = client_for(officer_b).get(park.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert badge in response.content.decode()


def test_a_site_page_does_not_link_a_park_the_public_cannot_open(city, investor):
    park = ParkFactory(published=False)
    site = CarrierFactory(park=park)
    page = investor.get(site.get_absolute_url()).content.decode()
    assert park.get_absolute_url() not in page


def test_an_expired_policy_is_not_found_by_the_public(city, investor, client_for, officer_a):
    today = timezone.localdate()
    expired = Policy.objects.create(
        title="已废止政策",
        summary="…",
        effective_from=today - timedelta(days=400),
        effective_to=today - timedelta(days=1),
    )
    assert investor.get(expired.get_absolute_url()).status_code == 404
    assert investor.get(reverse("api:portal-policy-detail", args=[expired.pk])).status_code == 404
    assert investor.get(reverse("api:portal-policy-list")).json()["count"] == 0
    response = client_for(officer_a).get(expired.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "not in force" in response.content.decode()
