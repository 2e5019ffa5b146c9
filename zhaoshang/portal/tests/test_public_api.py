"""The public read API (also the mini-program's): parks, sites and the map's viewport query, guides, policies."""

import gzip
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from zhaoshang.geo.choices import CarrierKind
from zhaoshang.geo.models import Carrier
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district
from zhaoshang.industry.models import IndustryCode
from zhaoshang.industry.tests.factories import ChainFactory
from zhaoshang.portal.models import Guide, GuideStep, Policy
from zhaoshang.portal.services.listings import VIEWPORT_LIMIT

SITES = reverse("api:portal-site-geojson")


def bbox_around(lon, lat, d=0.01) -> str:
    return f"{lon - d},{lat - d},{lon + d},{lat + d}"


def references(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {feature["properties"]["reference"] for feature in response.json()["features"]}


def test_the_viewport_query_returns_only_the_points_inside_the_box(city, investor):
    here = CarrierFactory(reference="HERE")
    CarrierFactory(reference="EAST", lon=here.lon + 0.05, lat=here.lat)
    CarrierFactory(reference="NORTH", lon=here.lon, lat=here.lat + 0.05)
    response = investor.get(SITES, {"bbox": bbox_around(here.lon, here.lat)})
    assert references(response) == {"HERE"}
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["total"] == 1
    assert body["truncated"] is False


def test_a_viewport_feature_carries_what_the_map_list_shows_and_no_more(city, investor):
    site = CarrierFactory(reference="P-1", name="新会地块", name_en="Xinhui parcel", area_mu=Decimal("52.5"))
    body = investor.get(SITES).json()
    feature = body["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [round(site.lon, 5), round(site.lat, 5)]}
    assert set(feature["properties"]) == {
        "id",
        "reference",
        "name",
        "kind",
        "availability",
        "area_mu",
        "floor_area_m2",
        "land_price",
        "rent",
        "district",
        "stale",
    }
    props = feature["properties"]
    assert props["area_mu"] == 52.5
    assert body["url_template"].replace("{id}", str(props["id"])) == site.get_absolute_url()
    assert (props["name"], props["district"]) == ("新会地块", "蓬江区")
    english = investor.get(SITES, HTTP_ACCEPT_LANGUAGE="en").json()["features"][0]["properties"]
    assert (english["name"], english["district"]) == ("Xinhui parcel", district("440703").name_en)


def test_the_viewport_query_honours_the_map_filters(city, investor):
    chain = ChainFactory()
    chain.industry_codes.set([IndustryCode.objects.get(code="38")])
    CarrierFactory(reference="BIG-38", codes=["38"], area_mu=120, power_kva=10000)
    CarrierFactory(reference="SMALL-38", codes=["38"], area_mu=20, power_kva=800)
    CarrierFactory(reference="XINHUI", region=district("440705"), area_mu=150)
    CarrierFactory(reference="FACTORY", kind=CarrierKind.FACTORY, area_mu=None, floor_area_m2=5000, rent=18)
    assert references(investor.get(SITES, {"chain": chain.pk})) == {"BIG-38", "SMALL-38"}
    assert references(investor.get(SITES, {"area_min": 100})) == {"BIG-38", "XINHUI"}
    assert references(investor.get(SITES, {"district": "440705"})) == {"XINHUI"}
    assert references(investor.get(SITES, {"kind": "factory", "rent_max": 20})) == {"FACTORY"}
    assert references(investor.get(SITES, {"industry": "38", "power_min": 5000})) == {"BIG-38"}


def test_the_viewport_query_stops_at_two_thousand_points_and_says_so(city, investor):
    team = CarrierFactory(reference="FIRST").team
    region = district("440703")
    today = timezone.localdate()
    Carrier.objects.bulk_create(
        Carrier(
            kind=CarrierKind.PARCEL,
            reference=f"BULK-{n:05d}",
            name=f"地块{n}",
            region=region,
            team=team,
            lon=region.centre_lon + (n % 50) * 0.0001,
            lat=region.centre_lat + (n // 50) * 0.0001,
            published=True,
            last_verified=today,
            area_mu=10,
        )
        for n in range(VIEWPORT_LIMIT + 4)
    )
    body = investor.get(SITES).json()
    assert body["truncated"] is True
    assert body["total"] is None  # not counted when cut: the map asks to zoom in
    assert len(body["features"]) == VIEWPORT_LIMIT == 2000
    ids = [feature["id"] for feature in body["features"]]
    assert ids == sorted(ids)  # deterministic: the same first 2,000 every time


def test_the_viewport_query_reads_in_a_fixed_number_of_queries(city, investor, django_assert_max_num_queries):
    for _n in range(30):
        CarrierFactory(codes=["38"])
    with django_assert_max_num_queries(2):  # the rows (a count only when cut): nothing per site
        assert len(investor.get(SITES).json()["features"]) == 30


def test_a_viewport_answer_is_gzipped_for_a_client_that_accepts_it(city, investor):
    for _n in range(20):
        CarrierFactory()
    compressed = investor.get(SITES, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(compressed.content))["features"]) == 20
    plain = investor.get(SITES)
    assert not plain.has_header("Content-Encoding")
    assert len(plain.json()["features"]) == 20


def test_a_malformed_viewport_is_refused_with_a_message_naming_it(city, investor):
    response = investor.get(SITES, {"bbox": "113,22"})
    assert response.status_code == 400
    assert "bbox" in response.json()


def test_park_geojson_gives_boundaries_of_the_parks_in_the_viewport(city, investor):
    near = ParkFactory(name="蓬江园", name_en="Pengjiang Park")
    far = ParkFactory(name="远处园", square=(near.centre_lon + 0.5, near.centre_lat))
    response = investor.get(reverse("api:portal-park-geojson"), {"bbox": bbox_around(near.centre_lon, near.centre_lat)})
    features = response.json()["features"]
    assert [f["properties"]["name"] for f in features] == ["蓬江园"]
    assert features[0]["geometry"]["type"] == "Polygon"
    assert far.pk not in {f["id"] for f in features}


def test_park_list_and_detail_show_industries_chains_and_a_contact(city, investor):
    park = ParkFactory(codes=["38", "13"], contact_phone="", team__phone="0750-1234567")
    chain = ChainFactory()
    chain.parks.add(park)
    ChainFactory(active=False).parks.add(park)
    body = investor.get(reverse("api:portal-park-detail", args=[park.pk])).json()
    assert body["industry_codes"] == ["13", "38"]
    assert body["chains"] == [chain.pk]
    assert body["contact"]["phone"] == "0750-1234567"
    assert body["district"] == "440703"
    assert investor.get(reverse("api:portal-park-list")).json()["count"] == 1


def test_site_detail_gives_the_facts_of_its_kind(city, investor):
    site = CarrierFactory(area_mu=Decimal("50"), land_price=Decimal("60"), codes=["38"])
    body = investor.get(reverse("api:portal-site-detail", args=[site.pk])).json()
    assert body["reference"] == site.reference
    assert Decimal(body["land_cost_wan"]) == Decimal("3000")
    assert body["industry_codes"] == ["38"]
    assert "search_text" not in body and "version" not in body


def test_guides_come_with_their_steps_in_order(city, investor):
    guide = Guide.objects.create(project_type="industrial", title="工业项目落地指南", title_en="Industrial projects")
    GuideStep.objects.create(guide=guide, order=2, title="施工许可", department="住建局", duration_days=5)
    GuideStep.objects.create(guide=guide, order=1, title="立项备案", department="发改局", documents="营业执照\n申请表")
    body = investor.get(reverse("api:portal-guide-detail", args=["industrial"])).json()
    assert [step["title"] for step in body["steps"]] == ["立项备案", "施工许可"]
    assert body["steps"][0]["documents"] == ["营业执照", "申请表"]
    assert body["total_days"] == 5
    assert len(investor.get(reverse("api:portal-guide-list")).json()) == 1


def test_policies_list_those_in_force_and_select_by_district_and_industry(city, investor):
    today = timezone.localdate()
    year_ago = today - timedelta(days=365)
    Policy.objects.create(title="全市政策", summary="…", effective_from=year_ago)
    Policy.objects.create(title="蓬江政策", summary="…", region=district("440703"), effective_from=year_ago)
    Policy.objects.create(title="新会政策", summary="…", region=district("440705"), effective_from=year_ago)
    Policy.objects.create(title="过期政策", summary="…", effective_from=date(2020, 1, 1), effective_to=date(2021, 1, 1))
    food = Policy.objects.create(title="食品政策", summary="…", effective_from=year_ago)
    food.industries.create(code="14")
    url = reverse("api:portal-policy-list")

    def titles(**params):
        return {row["title"] for row in investor.get(url, params).json()["results"]}

    assert titles() == {"全市政策", "蓬江政策", "新会政策", "食品政策"}
    assert titles(district="440703") == {"全市政策", "蓬江政策", "食品政策"}
    assert titles(district="440703", industry="38") == {"全市政策", "蓬江政策"}


def test_the_public_api_is_rate_limited(city, investor, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "portal", "2/min")
    url = reverse("api:portal-park-list")
    assert [investor.get(url).status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()


def test_the_public_endpoints_are_in_the_openapi_schema(db, investor):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in [
        "/api/portal/parks/",
        "/api/portal/parks/geojson/",
        "/api/portal/sites/",
        "/api/portal/sites/{id}/",
        "/api/portal/sites/geojson/",
        "/api/portal/guides/",
        "/api/portal/policies/",
    ]:
        assert path in paths, path


@pytest.mark.parametrize("name", ["api:portal-park-list", "api:portal-site-list", "api:portal-policy-list"])
def test_an_anonymous_caller_may_read_without_logging_in(city, investor, name):
    assert investor.get(reverse(name)).status_code == 200


def test_a_chain_lists_each_site_and_park_once_whatever_the_chains_of_its_park(city, investor):
    chain, *others = ChainFactory.create_batch(4)
    chain.industry_codes.set([IndustryCode.objects.get(code="38")])
    leading = ParkFactory()
    chain.parks.add(leading)
    coded = ParkFactory(codes=["38"])
    for other in others:  # both parks lead several chains: a join through them would repeat their sites
        other.parks.add(leading, coded)
    CarrierFactory(reference="IN-LEADING", codes=["13"], park=leading)
    CarrierFactory(reference="CODED", codes=["38"], park=coded)
    CarrierFactory(reference="OTHER", codes=["13"], park=coded)

    listed = investor.get(reverse("api:portal-site-list"), {"chain": chain.pk}).json()
    assert listed["count"] == 2
    assert sorted(site["reference"] for site in listed["results"]) == ["CODED", "IN-LEADING"]
    body = investor.get(SITES, {"chain": chain.pk}).json()
    assert sorted(feature["properties"]["reference"] for feature in body["features"]) == ["CODED", "IN-LEADING"]
    assert body["total"] == 2
    parks = investor.get(reverse("api:portal-park-list"), {"chain": chain.pk}).json()
    assert parks["count"] == 2
    assert sorted(park["id"] for park in parks["results"]) == sorted([leading.pk, coded.pk])
