"""The demo city: Jiangmen's platforms as parks, a few hundred sites inside the real districts, guides and policies.

The demo is loaded once for the module (every app's demo, as ``manage.py load_demo`` does) inside a
transaction that is rolled back at the end; before that it is loaded once more in a transaction of its
own, to show that two loads give the same city.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from pyproj import Geod
from shapely.geometry import Point, shape

from zhaoshang.core import search
from zhaoshang.core.demo import DEMO_CITY, load_demo
from zhaoshang.core.search import build_search_text
from zhaoshang.core.units import SQM_PER_MU
from zhaoshang.geo.choices import Availability, CarrierKind, LandUse, RegionLevel
from zhaoshang.geo.models import Carrier, Park, Region
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.models import Chain
from zhaoshang.portal.demo import PLOT_RATIO_MIN, WAREHOUSE_PLOT_RATIO_MIN
from zhaoshang.portal.models import Guide, Policy

TOLERANCE_DEG = 1e-6  # ~0.1 m: the precision of the stored coordinates


def fingerprint() -> str:
    """A digest of what the demo made: sites (reference, position, size), park boundaries, guides, policies."""
    sites = list(
        Carrier.objects.order_by("reference").values_list(
            "reference", "lon", "lat", "area_mu", "floor_area_m2", "availability", "last_verified", "published",
            "land_price", "rent", "power_kva", "contact_phone", "park__name",
        )
    )  # fmt: skip
    parks = [(p.name, json.dumps(p.boundary, sort_keys=True)) for p in Park.objects.order_by("name")]
    steps = list(
        Guide.objects.order_by("project_type", "steps__order").values_list(
            "project_type", "steps__order", "steps__title"
        )
    )
    policies = list(Policy.objects.order_by("title").values_list("title", "effective_from", "effective_to"))
    return hashlib.sha256(repr((sites, parks, steps, policies)).encode()).hexdigest()


@dataclass
class Loaded:
    first: str
    second: str


def map_sites():
    """The sites the portal's demo places on the map; the land reserve the review demo adds for the land allocation
    (numbered GD<year>-NNN, being prepared for supply: unpublished, in no park, no buildings) is not among them."""
    return Carrier.objects.exclude(reference__regex=r"^GD\d{4}-\d{3}$")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    fast_hasher = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("demo-private"),  # the demo's photos: not left under var/
    )
    # The demo's dates count back from today: both loads see the same day even if the run passes midnight.
    real, today = timezone.localdate, timezone.localdate()
    one_day = mock.patch(
        "django.utils.timezone.localdate",
        side_effect=lambda value=None, *a, **kw: real(value, *a, **kw) if value else today,
    )
    with django_db_blocker.unblock(), fast_hasher, one_day:
        from zhaoshang.industry.models import EnterpriseTag, IndustryCode
        from zhaoshang.industry.services import load_reference_data

        if not IndustryCode.objects.exists() or not EnterpriseTag.objects.exists():
            load_reference_data(IndustryCode, EnterpriseTag)
        with transaction.atomic():
            load_demo(DEMO_CITY)
            first = fingerprint()
            transaction.set_rollback(True)
        with transaction.atomic():
            load_demo(DEMO_CITY)
            yield Loaded(first=first, second=fingerprint())
            transaction.set_rollback(True)


@pytest.fixture
def districts(demo, db):
    return {r.adcode: r for r in Region.objects.filter(parent__adcode=DEMO_CITY, level=RegionLevel.DISTRICT)}


def area_mu(geom) -> Decimal:
    """Geodesic area on the WGS84 ellipsoid, in 亩 (independent of the loader's local approximation)."""
    area, _perimeter = Geod(ellps="WGS84").geometry_area_perimeter(geom)
    return Decimal(abs(area)) / SQM_PER_MU


def geometry(obj):
    return shape(obj.boundary)


def test_loading_the_demo_twice_gives_the_same_city(demo, db):
    assert demo.first == demo.second
    assert Carrier.objects.exists()


def test_the_demo_has_jiangmens_platforms_and_every_district_has_parks_and_sites(districts):
    assert Park.objects.count() >= 15
    assert Carrier.objects.count() >= 300
    for region in districts.values():
        assert Park.objects.filter(region=region).exists(), region.name
        assert Carrier.objects.filter(region=region).exists(), region.name
    assert Park.objects.get(name="深江产业园").area_mu == Decimal(23135)
    assert Park.objects.get(name="台山工业新城").area_mu == Decimal(207000)  # 138 km²
    for name in ["江门国家高新区", "中欧（江门）中小企业国际合作区", "新会新能源电池特色产业园", "鹤山硅能源产业园"]:
        assert Park.objects.filter(name=name, published=True).exists(), name


def test_every_park_lies_inside_its_district(districts):
    for park in Park.objects.all():
        boundary = geometry(park)
        assert boundary.is_valid, park.name
        assert boundary.within(geometry(districts[park.region.adcode]).buffer(TOLERANCE_DEG)), park.name


def test_each_park_boundary_has_the_stated_area_and_no_two_parks_overlap(demo, db):
    parks = list(Park.objects.all())
    for park in parks:
        measured = area_mu(geometry(park))
        assert abs(measured - park.area_mu) / park.area_mu < Decimal("0.05"), park.name
    for i, park in enumerate(parks):
        for other in parks[i + 1 :]:
            assert not geometry(park).intersects(geometry(other)), (park.name, other.name)


def test_every_site_lies_inside_its_district_and_inside_its_park(districts):
    parks = {p.pk: geometry(p).buffer(TOLERANCE_DEG) for p in Park.objects.all()}
    regions = {code: geometry(r).buffer(TOLERANCE_DEG) for code, r in districts.items()}
    outside_parks = 0
    for site in map_sites().select_related("region"):
        point = Point(site.lon, site.lat)
        assert regions[site.region.adcode].contains(point), site.reference
        if site.park_id:
            assert parks[site.park_id].contains(point), site.reference
        else:
            outside_parks += 1
            assert not any(p.contains(point) for p in parks.values()), site.reference
    assert 0 < outside_parks < Carrier.objects.count() / 2


def test_land_parcels_are_small_polygons_of_their_area_inside_their_park(demo, db):
    parcels = map_sites().filter(kind=CarrierKind.PARCEL).select_related("park")
    assert parcels.count() > Carrier.objects.count() / 2
    for parcel in parcels:
        boundary = geometry(parcel)
        assert boundary.is_valid and boundary.contains(Point(parcel.lon, parcel.lat)), parcel.reference
        measured = area_mu(boundary)
        assert abs(measured - parcel.area_mu) <= parcel.area_mu * Decimal("0.01"), parcel.reference
        if parcel.park_id:
            assert boundary.within(geometry(parcel.park)), parcel.reference
    for site in Carrier.objects.exclude(kind=CarrierKind.PARCEL):
        assert site.boundary is None


def test_sites_come_in_all_kinds_and_availabilities(demo, db):
    kinds = set(Carrier.objects.values_list("kind", flat=True))
    availabilities = set(Carrier.objects.values_list("availability", flat=True))
    assert kinds == set(CarrierKind.values)
    assert availabilities == set(Availability.values)
    assert Carrier.objects.filter(availability=Availability.AVAILABLE).count() > Carrier.objects.count() / 2
    land_uses = set(Carrier.objects.filter(kind=CarrierKind.PARCEL).values_list("land_use", flat=True))
    assert {LandUse.M1, LandUse.M2, LandUse.W} <= land_uses


def test_site_figures_are_in_realistic_ranges(demo, db):
    for site in map_sites().prefetch_related("industries"):
        assert 630 <= site.power_kva <= 20000, site.reference
        assert site.port_km > 0 and site.rail_km > 0 and 0 < site.highway_km < 10, site.reference
        assert 20 <= site.airport_km <= 200, site.reference
        if site.kind == CarrierKind.PARCEL:
            assert 10 <= site.area_mu <= 300, site.reference
            assert 20 <= site.land_price <= 120, site.reference
            assert site.plot_ratio_min < site.plot_ratio_max, site.reference
            if site.land_use == LandUse.W:
                assert site.plot_ratio_min >= WAREHOUSE_PLOT_RATIO_MIN, site.reference
            else:
                for code in site.industry_codes:
                    assert site.plot_ratio_min >= Decimal(PLOT_RATIO_MIN[code]), (site.reference, code)
        elif site.kind == CarrierKind.FACTORY:
            assert 2000 <= site.floor_area_m2 <= 30000, site.reference
            assert 1 <= site.floors <= 6 and 5 <= site.floor_load_kn <= 20 and 6 <= site.clear_height_m <= 12
            assert 12 <= site.rent <= 28, site.reference
        else:
            assert 30 <= site.rent <= 80, site.reference
        assert site.industry_codes, site.reference


def test_southern_group_sites_are_close_to_the_port(demo, db):
    south = Carrier.objects.filter(park__name="广海湾片区（南组团）")
    inland = Carrier.objects.filter(park__name="鹤山工业城")
    assert max(s.port_km for s in south) < min(s.port_km for s in inland)


def test_sites_belong_to_their_parks_team_and_carry_a_district_reference(districts):
    abbreviations = {"440703": "PJ", "440704": "JH", "440705": "XH", "440781": "TS", "440783": "KP", "440784": "HS"}
    year = timezone.localdate().year
    for site in map_sites().select_related("park", "region", "team"):
        if site.park_id:
            assert site.team_id == site.park.team_id, site.reference
            assert set(site.industry_codes) <= set(site.park.industry_codes) | {"65", "72", "73"}, site.reference
        else:
            assert site.team.adcode == site.region.adcode, site.reference
        assert re.fullmatch(rf"JM-[A-Z]{{2}}-{year}-\d{{4}}", site.reference), site.reference
        if site.region.adcode in abbreviations:
            assert site.reference.startswith(f"JM-{abbreviations[site.region.adcode]}-"), site.reference


def test_parks_are_published_verified_recently_and_kept_by_the_centre_or_their_district(demo, db):
    today = timezone.localdate()
    for park in Park.objects.select_related("team", "region"):
        assert park.published and 0 <= (today - park.last_verified).days <= 90, park.name
        assert park.team.kind == "centre" or park.team.adcode == park.region.adcode, park.name
        assert park.contact_phone and park.industry_codes and park.description_en, park.name


def test_staff_see_a_few_stale_and_unpublished_sites_that_investors_do_not(demo, db):
    stale = Carrier.objects.filter(last_verified__lt=Carrier.stale_before())
    unpublished = Carrier.objects.filter(published=False)
    assert 3 <= stale.count() <= Carrier.objects.count() * 0.1
    assert 3 <= unpublished.count() <= Carrier.objects.count() * 0.1
    public = Carrier.objects.restrict(AnonymousUser())
    assert not public.filter(pk__in=stale).exists()
    assert not public.filter(pk__in=unpublished).exists()
    assert public.count() > Carrier.objects.count() * 0.6


def test_bulk_created_sites_have_the_search_text_a_save_would_give(demo, db):
    for site in Carrier.objects.select_related("region").order_by("reference")[::20]:
        assert site.search_text == build_search_text(*site.search_values()), site.reference
    assert Carrier.objects.filter(search_text__contains=" 深江 ").exists()


def test_parks_and_their_sites_have_street_addresses_in_chinese_and_english_and_are_found_by_them(demo, db):
    parks = list(Park.objects.all())
    assert all(park.address and park.address_en.isascii() for park in parks)
    assert len({park.address for park in parks}) == len(parks)
    in_parks = Carrier.objects.filter(park__isnull=False)
    assert in_parks.exists() and not in_parks.filter(address="").exists()
    assert not in_parks.filter(address_en="").exists()
    site = in_parks.select_related("park").order_by("reference").first()
    road = re.search(r"[镇道]([^镇道]+路|[^镇道]+大道)", site.park.address).group(1)
    assert road in site.address
    assert Park.objects.filter(search.query_q("棠下镇")).get().name == "中欧（江门）中小企业国际合作区"
    assert (
        Carrier.objects.filter(search.query_q(road)).filter(park=site.park).count()
        == in_parks.filter(park=site.park).count()
    )


def test_chains_lead_to_their_parks(demo, db):
    assert Chain.objects.get(name="新能源电池").parks.filter(name="新会新能源电池特色产业园").exists()
    assert Chain.objects.get(name="硅能源").parks.filter(name="鹤山硅能源产业园").exists()
    assert Park.objects.filter(chains__isnull=True).count() == 0


def test_there_is_a_guide_for_each_project_type_with_ordered_steps(demo, db):
    types = [ProjectType.INDUSTRIAL, ProjectType.INDUSTRIAL_REAL_ESTATE, ProjectType.LOGISTICS, ProjectType.SERVICES]
    assert sorted(Guide.objects.values_list("project_type", flat=True)) == sorted(types)
    for guide in Guide.objects.all():
        steps = list(guide.steps.all())
        assert len(steps) >= 6, guide.title
        assert [s.order for s in steps] == list(range(1, len(steps) + 1))
        assert "示例" in guide.intro and "demo" in guide.intro_en
        for step in steps:
            assert step.title_en and step.department and step.department_en and step.cost and step.legal_basis
            assert step.document_list(), step.title
            assert len(step.documents.splitlines()) == len(step.documents_en.splitlines()), step.title
    industrial = [s.title for s in Guide.objects.get(project_type=ProjectType.INDUSTRIAL).steps.all()]
    order = [industrial.index(t) for t in ["企业投资项目备案", "建设用地规划许可证", "建筑工程施工许可证"]]
    assert order == sorted(order) and industrial[-1].startswith("不动产登记")
    assert industrial[-2].startswith("竣工联合验收")
    filing = Guide.objects.get(project_type=ProjectType.INDUSTRIAL).steps.get(title="企业投资项目备案")
    assert filing.department.startswith("发展改革局") and filing.cost == "免费" and filing.duration_days <= 3


def test_policies_are_labelled_as_demo_and_one_has_expired(demo, db):
    policies = Policy.objects.all()
    assert policies.count() >= 8
    assert all("示例" in p.title for p in policies)
    expired = policies.exclude(Policy.in_force_q())
    assert expired.count() >= 1
    assert all(p.effective_to < timezone.localdate() for p in expired)
    in_force = Policy.objects.restrict(AnonymousUser())
    assert not in_force.filter(pk__in=expired).exists()
    assert in_force.filter(region__isnull=True).exists()  # city-wide
    assert in_force.filter(park__isnull=False).exists()  # park-specific
    assert in_force.filter(region__isnull=False, park__isnull=True).exists()  # district-specific
    assert in_force.filter(industries__code="38", region__isnull=True).exists()  # the battery chain


def test_the_demo_gives_every_district_facts_named_as_demo_data_and_some_listings_photos(districts, client):
    from zhaoshang.geo.models import ListingPhoto, LocationFact

    for region in districts.values():
        assert LocationFact.objects.filter(region=region).count() >= 8, region.name
    assert set(LocationFact.objects.values_list("source", flat=True)) == {"演示数据"}
    photos = ListingPhoto.objects.select_related("park", "carrier")
    assert photos.filter(park__isnull=False).exists() and photos.filter(carrier__isnull=False).exists()
    first_park = Park.objects.filter(pk__in=photos.values("park")).order_by("pk").first()
    page = client.get(first_park.get_absolute_url()).content.decode()
    assert 'data-testid="gallery"' in page and "演示数据" in page
    for photo in photos:
        assert photo.thumbnail.size < photo.image.size
