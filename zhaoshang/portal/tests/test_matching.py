"""Matching (按图索骥): a documented scoring method whose explanation always agrees with its score.

The order of hand-made sites is the obvious one; every criterion earns its full weight on an exact fit, a
linearly smaller share on a shortfall within its tolerance, nothing beyond it, and half when the site does
not record the fact; the score is the sum of the points for any needs and sites; anonymous investors are
never matched with stale, unpublished or taken sites; the form keeps what was typed and names the field.
"""

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from zhaoshang.geo.choices import Availability, CarrierKind
from zhaoshang.geo.models import Carrier
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district, stale_date
from zhaoshang.industry.models import IndustryCode
from zhaoshang.industry.tests.factories import ChainFactory
from zhaoshang.portal.filtersets import CarrierFilterSet
from zhaoshang.portal.models import Policy
from zhaoshang.portal.services.matching import (
    BASE_WEIGHTS,
    FITS,
    PARTIAL,
    SHORT,
    UNKNOWN,
    Context,
    Needs,
    Site,
    code_match_q,
    effective_weights,
    evaluate,
    rank,
    score_of,
)

MATCH_URL = reverse("portal:match")
API_MATCH = reverse("api:portal-match")


def references(matches):
    return [m.carrier.reference for m in matches]


def only_match(needs, user=None):
    matches = rank(needs, user)
    assert len(matches) == 1, references(matches)
    return matches[0]


def criterion(match, key):
    return next(c for c in match.criteria if c.key == key)


def assert_consistent(match):
    """The score is the sum of the points, and every status says what its points say."""
    assert match.score == sum(c.points for c in match.criteria)
    assert 0 <= match.score <= 100
    if match.criteria:
        assert sum(c.weight for c in match.criteria) == 100
    for c in match.criteria:
        if c.status == FITS:
            assert c.points == c.weight
        elif c.status == SHORT:
            assert c.points == 0
        elif c.status == UNKNOWN:
            assert c.points == c.weight // 2
        else:
            assert c.status == PARTIAL
            assert 0 < c.points < c.weight


# --- the order of obvious cases -----------------------------------------------------------------------------


def test_the_site_meeting_every_need_ranks_first_and_each_shortfall_costs_its_criterion(city):
    CarrierFactory(reference="ALL-FIT", codes=["38"], area_mu=50, power_kva=8000)
    CarrierFactory(reference="LOW-POWER", codes=["38"], area_mu=50, power_kva=3000)
    CarrierFactory(reference="SMALL-ELSEWHERE", codes=["38"], area_mu=25, power_kva=8000, region=district("440705"))
    CarrierFactory(reference="OTHER-INDUSTRY", codes=["13"], area_mu=50, power_kva=8000)

    matches = rank(Needs(industry="38", area_min=40, area_max=60, power=5000, districts=("440703",)))

    assert references(matches) == ["ALL-FIT", "LOW-POWER", "SMALL-ELSEWHERE"]
    assert [m.score for m in matches] == [100, 84, 66]
    first, low_power, small = matches
    assert {c.status for c in first.criteria} == {FITS}
    assert criterion(low_power, "power").status == PARTIAL
    assert criterion(small, "area").status == PARTIAL
    assert criterion(small, "district").status == SHORT
    for match in matches:
        assert_consistent(match)


def test_equal_scores_go_to_the_most_recently_verified_site(city):
    today = timezone.localdate()
    CarrierFactory(reference="OLDER", codes=["38"], last_verified=today - timedelta(days=30))
    CarrierFactory(reference="NEWER", codes=["38"], last_verified=today)
    assert references(rank(Needs(industry="38"))) == ["NEWER", "OLDER"]


def test_no_more_than_the_limit_is_returned(city):
    for n in range(5):
        CarrierFactory(reference=f"S{n}", codes=["38"])
    assert len(rank(Needs(industry="38"), limit=3)) == 3


# --- each criterion at its edges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("have", "status", "points", "text"),
    [
        (8000, FITS, 100, "needs 5,000 kVA, has 8,000 kVA"),
        (5000, FITS, 100, "needs 5,000 kVA, has 5,000 kVA"),
        (3750, PARTIAL, 50, "needs 5,000 kVA, has 3,750 kVA"),
        (2500, SHORT, 0, "needs 5,000 kVA, has 2,500 kVA"),
        (None, UNKNOWN, 50, "needs 5,000 kVA; the power capacity is not recorded"),
    ],
)
def test_power_earns_its_weight_on_a_fit_less_on_a_shortfall_and_half_when_unknown(city, have, status, points, text):
    CarrierFactory(power_kva=have)
    power = criterion(only_match(Needs(power=5000)), "power")
    assert (power.status, power.points, power.weight) == (status, points, 100)
    with translation.override("en"):
        assert power.explanation == text


@pytest.mark.parametrize(
    ("have", "status", "points"),
    [(None, UNKNOWN, 50), (800, FITS, 100), (300, PARTIAL, 50), (200, SHORT, 0)],
)
def test_wastewater_capacity_is_judged_like_power(city, have, status, points):
    CarrierFactory(wastewater_t_day=have)
    wastewater = criterion(only_match(Needs(wastewater=400)), "wastewater")
    assert (wastewater.status, wastewater.points) == (status, points)


@pytest.mark.parametrize(
    ("area", "status", "points"),
    [
        (40, FITS, 100),  # the lower bound itself
        (60, FITS, 100),  # the upper bound itself
        (30, PARTIAL, 50),  # a quarter below the minimum: half of the tolerance of 50 %
        (20, SHORT, 0),  # half the minimum: nothing, but still shown
        (90, PARTIAL, 50),  # half again the maximum: half of the tolerance of 100 %
        (120, SHORT, 0),  # twice the maximum
    ],
)
def test_land_area_inside_the_range_fits_and_outside_it_decays_linearly(city, area, status, points):
    CarrierFactory(area_mu=area)
    size = criterion(only_match(Needs(area_min=40, area_max=60)), "area")
    assert (size.status, size.points) == (status, points)


def test_sites_far_outside_the_size_range_are_not_candidates(city):
    CarrierFactory(reference="TINY", area_mu=19)
    CarrierFactory(reference="HUGE", area_mu=121)
    CarrierFactory(reference="RIGHT", area_mu=50)
    assert references(rank(Needs(area_min=40, area_max=60))) == ["RIGHT"]


def test_a_building_is_sized_by_floor_space_and_a_parcel_by_land(city):
    CarrierFactory(reference="FACTORY", kind=CarrierKind.FACTORY, area_mu=None, floor_area_m2=4000, rent=20)
    CarrierFactory(reference="PARCEL", area_mu=50)

    matches = {m.carrier.reference: m for m in rank(Needs(floor_min=3000, floor_max=5000))}

    assert criterion(matches["FACTORY"], "area").status == FITS
    parcel_size = criterion(matches["PARCEL"], "area")
    assert (parcel_size.status, parcel_size.points) == (UNKNOWN, 50)
    with translation.override("en"):
        assert parcel_size.explanation == "needs 3,000 to 5,000 m² of floor space; this is a land parcel of 50 mu"


@pytest.mark.parametrize(
    ("budget", "status", "points"),
    [(3000, FITS, 100), (5000, FITS, 100), (2400, PARTIAL, 50), (2000, SHORT, 0)],
)
def test_a_parcels_land_cost_is_area_times_price_against_the_budget(city, budget, status, points):
    CarrierFactory(area_mu=50, land_price=60)  # 3,000 万元
    cost = criterion(only_match(Needs(budget=budget)), "budget")
    assert (cost.status, cost.points) == (status, points)
    with translation.override("en"):
        assert "land cost 30 million yuan" in cost.explanation


def test_a_buildings_budget_is_a_year_of_rent_or_the_purchase_price(city):
    # 2,000 m² at 25 yuan a month: 60 万元 a year; at 4,000 yuan per m²: 800 万元 to buy.
    CarrierFactory(kind=CarrierKind.FACTORY, area_mu=None, floor_area_m2=2000, rent=25, sale_price=4000)

    renting = criterion(only_match(Needs(budget=60)), "budget")
    buying = criterion(only_match(Needs(budget=60, tenure="buy")), "budget")

    assert (renting.status, renting.facts["cost"]) == (FITS, 60)
    assert (buying.status, buying.facts["cost"]) == (SHORT, 800)


def test_a_missing_price_scores_half_as_unknown(city):
    CarrierFactory(land_price=None)
    cost = criterion(only_match(Needs(budget=1000)), "budget")
    assert (cost.status, cost.points) == (UNKNOWN, 50)


@pytest.mark.parametrize(
    ("have", "status", "points"),
    [(12, FITS, 100), (20, FITS, 100), (30, PARTIAL, 50), (40, SHORT, 0), (None, UNKNOWN, 50)],
)
def test_port_distance_within_the_limit_fits_and_beyond_it_decays(city, have, status, points):
    CarrierFactory(port_km=have)
    port = criterion(only_match(Needs(port_km=20)), "port")
    assert (port.status, port.points) == (status, points)


def test_highway_distance_is_judged_like_the_port(city):
    CarrierFactory(highway_km=Decimal("7.5"))
    highway = criterion(only_match(Needs(highway_km=5)), "highway")
    assert (highway.status, highway.points) == (PARTIAL, 50)
    with translation.override("en"):
        assert highway.explanation == "highway exit wanted within 5 km; it is 7.5 km away"


def test_a_preferred_district_fits_and_another_falls_short(city):
    CarrierFactory(reference="PENGJIANG", region=district("440703"))
    CarrierFactory(reference="XINHUI", region=district("440705"))

    matches = {m.carrier.reference: m for m in rank(Needs(districts=("440705",)))}

    assert criterion(matches["XINHUI"], "district").points == 100
    assert criterion(matches["PENGJIANG"], "district").status == SHORT
    with translation.override("en"):
        assert "Xinhui" in criterion(matches["PENGJIANG"], "district").explanation


def test_the_industry_fits_by_the_sites_codes_and_partly_by_its_parks(city):
    battery_park = ParkFactory(codes=["38"])
    CarrierFactory(reference="LISTED-38", codes=["38"])
    CarrierFactory(reference="LISTED-3841", codes=["3841"])
    CarrierFactory(reference="IN-38-PARK", codes=["13"], park=battery_park)
    CarrierFactory(reference="FOOD", codes=["13"])
    CarrierFactory(reference="UNLISTED")

    matches = {m.carrier.reference: m for m in rank(Needs(industry="38"))}

    assert set(matches) == {"LISTED-38", "LISTED-3841", "IN-38-PARK"}
    assert criterion(matches["LISTED-38"], "industry").status == FITS
    assert criterion(matches["LISTED-3841"], "industry").status == FITS
    park_only = criterion(matches["IN-38-PARK"], "industry")
    assert (park_only.status, park_only.points) == (PARTIAL, 75)
    with translation.override("en"):
        assert battery_park.name_en in park_only.explanation
    with translation.override("zh-hans"):
        assert battery_park.name in park_only.explanation


def test_a_chain_matches_its_codes_and_its_leading_parks(city):
    chain = ChainFactory()
    chain.industry_codes.set([IndustryCode.objects.get(code="38")])
    park = ParkFactory()
    chain.parks.add(park)
    CarrierFactory(reference="BY-CODE", codes=["38"])
    CarrierFactory(reference="IN-PARK", codes=["13"], park=park)
    CarrierFactory(reference="OTHER", codes=["13"])

    matches = {m.carrier.reference: m for m in rank(Needs(chain=chain.pk))}

    assert set(matches) == {"BY-CODE", "IN-PARK"}
    assert criterion(matches["BY-CODE"], "industry").status == FITS
    assert criterion(matches["IN-PARK"], "industry").status == PARTIAL


@pytest.mark.parametrize("code", ["38", "3811", "C", "13", "65"])
def test_the_industry_prefilter_selects_the_same_sites_as_the_map_filter(city, code):
    CarrierFactory(reference="A38", codes=["38"])
    CarrierFactory(reference="A3811", codes=["3811"])
    CarrierFactory(reference="A13", codes=["13"])
    CarrierFactory(reference="A65", codes=["65"])
    filterset = CarrierFilterSet({"industry": code}, queryset=Carrier.objects.all())
    assert filterset.is_valid()
    on_the_map = set(filterset.qs.values_list("reference", flat=True))
    assert set(references(rank(Needs(industry=code)))) == on_the_map
    assert code_match_q([])  # no codes match nothing rather than everything


def test_a_site_available_too_late_is_left_out_and_a_reserved_one_earns_half(city):
    today = timezone.localdate()
    CarrierFactory(reference="NOW")
    CarrierFactory(reference="SOON", available_from=today + timedelta(days=20))
    CarrierFactory(reference="LATE", available_from=today + timedelta(days=90))
    CarrierFactory(reference="RESERVED", availability=Availability.RESERVED)

    matches = {m.carrier.reference: m for m in rank(Needs(needed_by=today + timedelta(days=30)))}

    assert set(matches) == {"NOW", "SOON", "RESERVED"}
    assert criterion(matches["SOON"], "timing").status == FITS
    reserved = criterion(matches["RESERVED"], "timing")
    assert (reserved.status, reserved.points) == (PARTIAL, 50)


def test_a_kind_asked_for_is_a_hard_constraint(city):
    CarrierFactory(reference="PARCEL")
    CarrierFactory(reference="OFFICE", kind=CarrierKind.OFFICE, area_mu=None, floor_area_m2=800)
    assert references(rank(Needs(kind=CarrierKind.OFFICE, power=100))) == ["OFFICE"]


# --- weights and the score's arithmetic ---------------------------------------------------------------------


def test_the_weights_of_any_set_of_criteria_are_even_and_add_up_to_100():
    assert effective_weights(list(BASE_WEIGHTS)) == BASE_WEIGHTS
    for n in range(1, len(BASE_WEIGHTS) + 1):
        for keys in itertools.combinations(BASE_WEIGHTS, n):
            weights = effective_weights(list(keys))
            assert sum(weights.values()) == 100
            assert all(w >= 4 and w % 2 == 0 for w in weights.values())
    assert effective_weights([]) == {}


def today():
    """Today where the city is (read at each use: a run may pass midnight)."""
    return timezone.localdate()


optional = st.one_of(st.none(), st.floats(min_value=0.5, max_value=50_000, allow_nan=False))
needs_strategy = st.builds(
    Needs,
    industry=st.sampled_from(["", "38", "13"]),
    kind=st.sampled_from(["", *CarrierKind.values]),
    area_min=optional,
    area_max=optional,
    floor_min=optional,
    floor_max=optional,
    budget=optional,
    tenure=st.sampled_from(["rent", "buy"]),
    power=optional,
    wastewater=optional,
    port_km=optional,
    highway_km=optional,
    districts=st.lists(st.sampled_from(["440703", "440704", "440705"]), max_size=2).map(tuple),
    needed_by=st.one_of(
        st.none(), st.dates(min_value=timezone.localdate(), max_value=timezone.localdate() + timedelta(days=400))
    ),
)
site_strategy = st.builds(
    Site,
    pk=st.integers(1, 10**6),
    reference=st.text(min_size=1, max_size=8),
    kind=st.sampled_from(CarrierKind.values),
    availability=st.sampled_from([Availability.AVAILABLE, Availability.RESERVED]),
    available_from=st.one_of(st.none(), st.dates().map(date.isoformat)),  # ranking reads dates as ISO text
    last_verified=st.dates().map(date.isoformat),
    region_id=st.integers(1, 4),
    park_id=st.one_of(st.none(), st.integers(1, 4)),
    area_mu=optional,
    floor_area_m2=optional,
    land_price=optional,
    rent=optional,
    sale_price=optional,
    power_kva=optional,
    wastewater_t_day=optional,
    port_km=optional,
    highway_km=optional,
    site_fit=st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(needs=needs_strategy, site=site_strategy, parks=st.frozensets(st.integers(1, 4)))
def test_for_any_needs_and_site_the_score_is_the_sum_of_points_that_agree_with_their_statuses(needs, site, parks):
    context = Context(
        industry_names={"zh": "38", "en": "38"},
        fit_park_ids=parks,
        preferred_region_ids=frozenset({1, 2}),
    )
    if not site.site_fit and site.park_id not in parks:
        site = site._replace(site_fit=True)  # industry is a hard constraint: others are never candidates
    criteria = evaluate(needs, site, context)

    class Scored:
        score = sum(c.points for c in criteria)

    Scored.criteria = criteria
    assert_consistent(Scored)
    assert score_of(needs, site, context, effective_weights(needs.asked())) == Scored.score
    assert [c.key for c in criteria] == needs.asked()
    with translation.override("en"):
        assert all(c.explanation for c in criteria)


def test_for_any_needs_every_ranked_site_scores_the_sum_of_its_points_best_first(city):
    rng = random.Random(4754)
    park = ParkFactory(codes=["38"])
    for n in range(40):
        kind = rng.choice(CarrierKind.values)
        building = kind != CarrierKind.PARCEL
        CarrierFactory(
            reference=f"R{n:02d}",
            kind=kind,
            codes=[rng.choice(["38", "3811", "13"])],
            park=park if rng.random() < 0.3 else None,
            region=district(rng.choice(["440703", "440704", "440705"])),
            availability=rng.choice([Availability.AVAILABLE, Availability.RESERVED]),
            area_mu=None if building else rng.randint(5, 300),
            floor_area_m2=rng.randint(300, 20000) if building else None,
            land_price=None if building else rng.choice([None, 30, 80]),
            rent=rng.choice([None, 15, 30]) if building else None,
            sale_price=rng.choice([None, 3000]) if building else None,
            power_kva=rng.choice([None, 500, 5000, 20000]),
            wastewater_t_day=rng.choice([None, 50, 800]),
            port_km=rng.choice([None, 5, 30, 90]),
            highway_km=rng.choice([None, 2, 15]),
        )

    @settings(max_examples=60, deadline=None)
    @given(needs=needs_strategy)
    def check(needs):
        matches = rank(needs, limit=50)
        scores = [m.score for m in matches]
        assert scores == sorted(scores, reverse=True)
        for match in matches:
            assert_consistent(match)

    check()


def test_ranking_takes_the_same_few_queries_for_five_sites_or_fifty(city):
    needs = Needs(industry="38", area_min=10, power=1000, districts=("440703",), budget=5000)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            matches = rank(needs)
            for match in matches:
                assert match.carrier.industry_codes and str(match.carrier.region) and match.carrier.team_id
        return len(captured.captured_queries)

    for _ in range(5):
        CarrierFactory(codes=["38"])
    few = queries()
    for _ in range(45):
        CarrierFactory(codes=["38"])
    assert queries() == few <= 8


# --- who sees what ------------------------------------------------------------------------------------------


@pytest.fixture
def offer(city):
    """A current public site, and three that must never reach the public: stale, unpublished and taken."""
    return {
        "public": CarrierFactory(reference="PUBLIC", codes=["38"]),
        "stale": CarrierFactory(reference="STALE", codes=["38"], last_verified=stale_date()),
        "unpublished": CarrierFactory(reference="UNPUBLISHED", codes=["38"], published=False),
        "taken": CarrierFactory(reference="TAKEN", codes=["38"], availability=Availability.TAKEN),
    }


def test_anonymous_investors_are_matched_with_current_published_sites_only(offer, investor):
    assert references(rank(Needs(industry="38"))) == ["PUBLIC"]

    page = investor.get(MATCH_URL, {"industry": "38"}).content.decode()
    assert 'data-reference="PUBLIC"' in page
    for hidden in ("STALE", "UNPUBLISHED", "TAKEN"):
        assert hidden not in page

    answer = investor.post(API_MATCH, {"industry": "38"}, content_type="application/json").json()
    assert [r["site"]["reference"] for r in answer["results"]] == ["PUBLIC"]


def test_staff_also_see_stale_and_unpublished_sites_marked_but_never_taken_ones(offer, officer_a, client_for):
    assert set(references(rank(Needs(industry="38"), officer_a))) == {"PUBLIC", "STALE", "UNPUBLISHED"}
    page = client_for(officer_a).get(MATCH_URL, {"industry": "38"}).content.decode()
    assert 'data-reference="UNPUBLISHED"' in page
    assert 'data-reference="TAKEN"' not in page


# --- the page and its form ----------------------------------------------------------------------------------


def test_the_page_lists_the_ranked_sites_with_each_criterion_explained(city, investor):
    CarrierFactory(reference="STRONG", codes=["38"], power_kva=8000)
    CarrierFactory(reference="WEAK", codes=["38"], power_kva=3000)

    response = investor.get(MATCH_URL, {"industry": "38", "power": "5000"}, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index('data-reference="STRONG"') < page.index('data-reference="WEAK"')
    assert "needs 5,000 kVA, has 8,000 kVA" in page
    assert "needs 5,000 kVA, has 3,000 kVA" in page
    assert 'data-testid="proposal-save"' in page
    assert '<input type="hidden" name="power" value="5000">' in page


def test_htmx_gets_the_results_fragment_from_the_same_url(city, investor):
    CarrierFactory(reference="ONLY", codes=["38"])
    response = investor.get(MATCH_URL, {"industry": "38"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'data-reference="ONLY"' in page
    assert "<html" not in page
    assert response.templates[0].name == "portal/_match_results.html"


def test_the_empty_page_shows_the_form_and_no_results(city, investor):
    response = investor.get(MATCH_URL)
    assert response.status_code == 200
    assert response.context["matches"] is None
    assert 'data-testid="match-form"' in response.content.decode()


def test_bad_needs_keep_what_was_typed_and_name_the_fields(city, investor):
    CarrierFactory(codes=["38"])
    response = investor.get(
        MATCH_URL, {"industry": "38", "area_min": "60", "area_max": "40", "power": "-5", "port_km": "0"}
    )

    form = response.context["form"]
    page = response.content.decode()
    assert response.context["matches"] is None
    assert set(form.errors) == {"area_max", "power", "port_km"}
    for name in ("area_max", "power", "port_km"):
        assert f'data-field="{name}"' in page
    assert 'value="60"' in page and 'value="40"' in page and 'value="-5"' in page
    assert "is-invalid" in page


def test_asking_for_nothing_says_to_state_a_need(city, investor):
    response = investor.get(MATCH_URL, {"kind": "parcel"})
    assert response.context["form"].non_field_errors()
    assert response.context["matches"] is None


def test_only_active_chains_and_the_citys_districts_are_offered(city, investor):
    active = ChainFactory(name="新能源电池")
    ChainFactory(name="已停用链", active=False)
    form = investor.get(MATCH_URL).context["form"]
    assert list(form.fields["chain"].queryset) == [active]
    assert {r.adcode for r in form.fields["districts"].queryset} >= {"440703", "440705"}
    assert all(r.adcode.startswith("4407") for r in form.fields["districts"].queryset)


def test_each_ranked_site_lists_the_policies_in_force_for_its_place(city, investor):
    today = timezone.localdate()
    CarrierFactory(reference="PJ", codes=["38"], region=district("440703"))
    Policy.objects.create(
        title="蓬江区制造业扶持办法",
        title_en="Pengjiang manufacturing support",
        summary="…",
        region=district("440703"),
        effective_from=today - timedelta(days=10),
    )
    Policy.objects.create(title="新会区电池产业政策", summary="…", region=district("440705"), effective_from=today)
    Policy.objects.create(
        title="已失效政策",
        summary="…",
        effective_from=today - timedelta(days=400),
        effective_to=today - timedelta(days=1),
    )

    (match,) = rank(Needs(industry="38"))
    page = investor.get(MATCH_URL, {"industry": "38"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert [p.title for p in match.policies] == ["蓬江区制造业扶持办法"]
    assert "Pengjiang manufacturing support" in page
    assert "新会区电池产业政策" not in page and "已失效政策" not in page


def test_a_park_hidden_from_the_public_neither_qualifies_a_site_nor_is_named_to_investors(city, investor, officer_a):
    hidden_park = ParkFactory(name="未发布的电池园", codes=["38"], published=False)
    CarrierFactory(reference="IN-HIDDEN-PARK", codes=["13"], park=hidden_park)
    CarrierFactory(reference="LISTED", codes=["38"], park=hidden_park)

    assert references(rank(Needs(industry="38"))) == ["LISTED"]
    assert set(references(rank(Needs(industry="38"), officer_a))) == {"LISTED", "IN-HIDDEN-PARK"}
    assert "未发布的电池园" not in investor.get(MATCH_URL, {"industry": "38"}).content.decode()
