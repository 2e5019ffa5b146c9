"""Ranking judges every candidate at once (NumPy over column arrays); a site judged alone gets the same points.

For any needs and any handful of sites, the ranked sites are exactly the candidates, each with the score, the
statuses and the facts that ``evaluate`` gives the same site alone, in the documented order (score, then the
most recently verified, then the lower listing number), whatever the limit; and ranking asks the database the
same few questions for two sites or sixty.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.geo.choices import Availability, CarrierKind
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district
from zhaoshang.portal.services import matching
from zhaoshang.portal.services.matching import Context, Needs, candidates, evaluate, rank, site_from_carrier

DISTRICTS = ["440703", "440704", "440705"]
CODES = ["38", "3811", "13"]


def references(matches):
    return [m.carrier.reference for m in matches]


def listed_for(codes, industry):
    """The map's rule for the test's codes: the same code, or a finer one below it."""
    return bool(industry) and any(code.startswith(industry) for code in codes)


def one_of(*values):
    return st.sampled_from(values)


def money(*values):
    return st.sampled_from([None, *(Decimal(value) for value in values)])


# Needs and sites from a few values each, so that ties are common and every criterion fits, partly fits, falls
# short and is unknown; hard constraints are asked for now and then only, so that most sites are candidates.
needs_strategy = st.builds(
    Needs,
    industry=one_of("", "", "38", "13"),
    kind=one_of("", "", "", *CarrierKind.values),
    area_min=one_of(None, None, 30.0, 60.0),
    area_max=one_of(None, None, 100.0),
    floor_min=one_of(None, None, 2000.0),
    floor_max=one_of(None, None, 8000.0),
    budget=one_of(None, 50.0, 3000.0),
    tenure=one_of("rent", "buy"),
    power=one_of(None, 3000.0, 8000.0),
    wastewater=one_of(None, 200.0),
    port_km=one_of(None, 20.0, 60.0),
    highway_km=one_of(None, 5.0),
    districts=st.lists(st.sampled_from(DISTRICTS), max_size=2).map(tuple),
    needed_by=one_of(None, None, timezone.localdate() + timedelta(days=60)),
)

# Every fact independent of the kind (a parcel with a floor area, a building with a land price): the judging
# must pick the right measure whatever else is recorded.
site_strategy = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(CarrierKind.values),
        "codes": st.lists(one_of(*CODES), max_size=2, unique=True),
        "in_park": st.booleans(),
        "district": st.sampled_from(DISTRICTS),
        "availability": one_of(Availability.AVAILABLE, Availability.AVAILABLE, Availability.RESERVED),
        "available_in": one_of(None, None, -10, 30, 90),
        "verified_ago": st.integers(0, 2),
        "area_mu": money("20", "45.5", "80", "150.25"),
        "floor_area_m2": money("1500", "4000.5", "12000"),
        "land_price": money("30", "62.5"),
        "rent": money("18", "25.75"),
        "sale_price": money("4000"),
        "power_kva": one_of(None, 2000, 5000, 20000),
        "wastewater_t_day": money("120", "800"),
        "port_km": money("12.5", "35", "90"),
        "highway_km": money("2", "7.5"),
    }
)


@pytest.fixture(params=["subquery", "join"])
def listing_form(request, monkeypatch):
    """Both SQL forms of "listed for the industry": the IN subquery (SQLite) and the join (PostgreSQL)."""
    if request.param == "join":
        monkeypatch.setattr(matching, "LISTING_JOIN_VENDORS", frozenset({connection.vendor}))
    return request.param


def test_every_ranked_site_scores_and_reads_as_judged_alone_in_the_documented_order(city, listing_form):
    today = timezone.localdate()
    team = TeamFactory()
    park = ParkFactory(codes=["38"], team=team)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(needs=needs_strategy, specs=st.lists(site_strategy, min_size=2, max_size=10), data=st.data())
    def check(needs, specs, data):
        order = data.draw(st.permutations(range(len(specs))))  # listing numbers unrelated to creation order
        with transaction.atomic():
            codes_of = {}
            for n, spec in zip(order, specs, strict=True):
                spec = dict(spec)
                reference = f"H{n:02d}"
                codes_of[reference] = spec.pop("codes")
                available_in = spec.pop("available_in")
                CarrierFactory(
                    reference=reference,
                    team=team,
                    codes=codes_of[reference],
                    park=park if spec.pop("in_park") else None,
                    region=district(spec.pop("district")),
                    available_from=None if available_in is None else today + timedelta(days=available_in),
                    last_verified=today - timedelta(days=spec.pop("verified_ago")),
                    **spec,
                )

            matches = rank(needs, limit=len(specs) + 1)

            assert set(references(matches)) == set(candidates(needs).values_list("reference", flat=True))
            context = Context.for_needs(needs)
            alone = {}
            for match in matches:
                carrier = match.carrier
                site = site_from_carrier(carrier, listed_for(codes_of[carrier.reference], needs.industry), match.park)
                criteria = evaluate(needs, site, context)
                assert [c.as_dict() for c in match.criteria] == [c.as_dict() for c in criteria]
                assert match.score == sum(c.points for c in criteria)
                alone[carrier.reference] = (-match.score, -carrier.last_verified.toordinal(), carrier.reference)
            expected = sorted(alone, key=alone.get)
            assert references(matches) == expected
            for limit in (1, 3):
                assert references(rank(needs, limit=limit)) == expected[:limit]
            transaction.set_rollback(True)

    check()


def test_a_site_listed_under_two_matching_codes_is_ranked_once_in_either_sql_form(city, listing_form):
    battery_park = ParkFactory(codes=["38"])
    CarrierFactory(reference="TWICE", codes=["38", "3811"], power_kva=8000)
    CarrierFactory(reference="ONCE", codes=["3811"], power_kva=2000)
    CarrierFactory(reference="PARK", codes=["13"], park=battery_park)
    CarrierFactory(reference="OTHER", codes=["13"])

    needs = Needs(industry="38", power=5000)

    # industry 66 and power 34: listed and powered; in a park seeking 38 (75 % of 66); listed, power short
    assert [(m.carrier.reference, m.score) for m in rank(needs)] == [("TWICE", 100), ("PARK", 84), ("ONCE", 66)]
    assert references(rank(needs, limit=2)) == ["TWICE", "PARK"]  # one place for one site


def test_sites_tied_at_the_cut_go_to_the_lower_listing_numbers(city):
    CarrierFactory(reference="BEST", power_kva=9000)
    for reference in ["T5", "T1", "T4", "T2", "T3"]:
        CarrierFactory(reference=reference, power_kva=1000)

    assert references(rank(Needs(power=2000), limit=3)) == ["BEST", "T1", "T2"]
    assert references(rank(Needs(power=500), limit=2)) == ["BEST", "T1"]  # all six fit: a tie from the top


def test_ranking_asks_the_same_queries_for_two_sites_or_sixty_even_when_ties_crowd_the_cut(
    city, django_assert_num_queries
):
    needs = Needs(power=1000, districts=("440703",))
    team = TeamFactory()
    for _ in range(2):
        CarrierFactory(team=team)
    with CaptureQueriesContext(connection) as few:
        assert len(rank(needs)) == 2
    for _ in range(58):
        CarrierFactory(team=team)

    # the preferred districts (two), the candidates' columns, the 20 best records and their industries
    with django_assert_num_queries(len(few.captured_queries)):
        matches = rank(needs)
    assert len(few.captured_queries) <= 6
    assert len(matches) == 20
