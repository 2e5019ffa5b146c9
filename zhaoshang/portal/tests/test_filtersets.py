"""The site FilterSet shared by the map, the API, staff lists and exports."""

from zhaoshang.geo.models import Carrier
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district, stale_date
from zhaoshang.industry.models import IndustryCode
from zhaoshang.industry.tests.factories import ChainFactory
from zhaoshang.portal.filtersets import CarrierFilterSet


def filtered(**params):
    filterset = CarrierFilterSet(params, queryset=Carrier.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("reference", flat=True))


def test_industry_matches_the_code_finer_codes_below_it_and_broader_codes_above_it(city):
    CarrierFactory(reference="A38", codes=["38"])
    CarrierFactory(reference="A3811", codes=["3811"])
    CarrierFactory(reference="A13", codes=["13"])
    assert filtered(industry="38") == {"A38", "A3811"}
    assert filtered(industry="3811") == {"A38", "A3811"}
    assert filtered(industry="C") == {"A38", "A3811", "A13"}  # section C: manufacturing, divisions 13–43
    assert filtered(industry="65") == set()


def test_a_chain_selects_sites_of_its_codes_and_sites_in_its_leading_parks(city):
    chain = ChainFactory()
    chain.industry_codes.set([IndustryCode.objects.get(code="38")])
    park = ParkFactory()
    chain.parks.add(park)
    CarrierFactory(reference="BY-CODE", codes=["38"])
    CarrierFactory(reference="IN-PARK", codes=["13"], park=park)
    CarrierFactory(reference="OTHER", codes=["13"])
    assert filtered(chain=chain.pk) == {"BY-CODE", "IN-PARK"}


def test_district_ranges_staleness_and_viewport(city):
    pengjiang = CarrierFactory(reference="PJ", area_mu=30, power_kva=800)
    CarrierFactory(reference="XH", region=district("440705"), area_mu=120, power_kva=10000, last_verified=stale_date())
    assert filtered(district="440703") == {"PJ"}
    assert filtered(district="440705") == {"XH"}
    assert filtered(area_min=100) == {"XH"}
    assert filtered(power_min=5000, area_max=200) == {"XH"}
    assert filtered(stale=True) == {"XH"}
    assert filtered(stale=False) == {"PJ"}
    box = f"{pengjiang.lon - 0.001},{pengjiang.lat - 0.001},{pengjiang.lon + 0.001},{pengjiang.lat + 0.001}"
    assert filtered(bbox=box) == {"PJ"}


def test_a_malformed_viewport_is_refused_with_a_message(city):
    filterset = CarrierFilterSet({"bbox": "1,2,3"}, queryset=Carrier.objects.all())
    assert not filterset.is_valid()
    assert "bbox" in filterset.errors
