"""Land allocation: which admitted project gets which parcel (review.services.allocation) and its page."""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from zhaoshang.core.testing import form_data
from zhaoshang.geo.choices import Availability, CarrierKind
from zhaoshang.geo.models import Park, Region
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory
from zhaoshang.industry.models import IndustryCode
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.review.choices import Comparison, Decision, Indicator, ReviewKind
from zhaoshang.review.models import Commitment, Review, SourceDocument, StandardSet, Threshold, Zone
from zhaoshang.review.services import allocation
from zhaoshang.review.services.allocation import (
    Applicant,
    Instance,
    Method,
    Parcel,
    Unassigned,
    first_come_first_served,
    propose,
    solve,
    upper_bound,
)

HIGH_TECH, CORE, OTHER = 1, 2, 3
ZONE_NAMES = {HIGH_TECH: "高新区", CORE: "核心区", OTHER: "其他区域"}
JIANGMEN = {HIGH_TECH: Decimal(25), CORE: Decimal(20), OTHER: Decimal(15)}
DAY = date(2026, 3, 1)


def applicant(review_id, need, tax, code="3911", zone=None, thresholds=None, decided_on=None, **kwargs):
    return Applicant(
        review_id=review_id,
        project_id=review_id,
        label=f"P{review_id}",
        need_mu=Decimal(str(need)) if need is not None else None,
        tax_per_mu=Decimal(str(tax)) if tax is not None else None,
        industry_code=code,
        review_zone_id=zone,
        zone_thresholds=thresholds or {},
        decided_on=decided_on or DAY + timedelta(days=review_id),
        **kwargs,
    )


def parcel(pk, area, codes=(), zone=None):
    return Parcel(id=pk, label=f"L{pk}", area_mu=Decimal(str(area)), codes=tuple(codes), zone_id=zone)


def instance(applicants, parcels, tolerance="0.20", **kwargs):
    kwargs.setdefault("zone_names", ZONE_NAMES)
    return Instance(applicants, parcels, Decimal(tolerance), **kwargs)


def left_of(proposal, review_id):
    return next(left for left in proposal.left if left.applicant.review_id == review_id)


# --- hand-made instances ----------------------------------------------------------------------------------------


def test_a_parcel_fits_between_the_need_and_the_need_plus_the_tolerance():
    inst = instance([applicant(1, 10, 30)], [parcel(1, "9.99"), parcel(2, "12.01"), parcel(3, 12)])
    proposal = propose(inst)
    assert [(r.applicant.review_id, r.parcel.id) for r in proposal.rows] == [(1, 3)]
    assert "+20%" in proposal.rows[0].area_reason


def test_a_project_without_a_parcel_of_fitting_area_is_told_the_range_it_needs():
    inst = instance([applicant(1, 10, 30)], [parcel(1, "9.99"), parcel(2, "12.01")])
    proposal = propose(inst)
    assert proposal.rows == []
    left = left_of(proposal, 1)
    assert left.cause == Unassigned.AREA
    assert "10" in left.reason and "12" in left.reason


def test_a_wider_tolerance_lets_the_larger_parcel_fit():
    inst = instance([applicant(1, 10, 30)], [parcel(2, "12.01")], tolerance="0.25")
    assert solve(inst).pairs == [(0, 0)]


def test_a_parcel_for_another_industry_is_refused_and_one_for_an_ancestor_code_suits():
    lineage = {"3911": frozenset({"3911", "391", "39", "C"})}
    parcels = [parcel(1, 10, codes=["26"]), parcel(2, 11, codes=["C"])]
    proposal = propose(instance([applicant(1, 10, 30, code="3911")], parcels, lineage=lineage))
    assert [(r.applicant.review_id, r.parcel.id) for r in proposal.rows] == [(1, 2)]
    assert "C" in proposal.rows[0].industry_reason

    alone = propose(instance([applicant(1, 10, 30, code="3911")], [parcel(1, 10, codes=["26"])], lineage=lineage))
    left = left_of(alone, 1)
    assert left.cause == Unassigned.INDUSTRY
    assert "3911" in left.reason


def test_a_parcel_that_names_no_industry_suits_every_project():
    proposal = propose(instance([applicant(1, 10, 30, code="2611")], [parcel(1, 10)]))
    assert len(proposal.rows) == 1
    assert proposal.rows[0].industry_reason


def test_a_zone_refuses_a_project_whose_tax_per_mu_is_below_its_threshold():
    a = applicant(1, 10, 22, zone=CORE, thresholds=JIANGMEN)
    proposal = propose(instance([a], [parcel(1, 10, zone=HIGH_TECH)]))
    left = left_of(proposal, 1)
    assert left.cause == Unassigned.ZONE
    assert "高新区" in left.reason


def test_a_project_reviewed_for_a_lower_zone_may_not_land_in_a_stricter_one():
    a = applicant(1, 10, 30, zone=CORE, thresholds=JIANGMEN)  # meets 25 but was reviewed against 20
    proposal = propose(instance([a], [parcel(1, 10, zone=HIGH_TECH)]))
    left = left_of(proposal, 1)
    assert left.cause == Unassigned.ZONE
    assert "核心区" in left.reason


def test_a_project_reviewed_for_the_high_tech_zone_may_land_in_a_lower_zone():
    a = applicant(1, 10, 30, zone=HIGH_TECH, thresholds=JIANGMEN)
    proposal = propose(instance([a], [parcel(1, 10, zone=OTHER)]))
    assert [r.parcel.id for r in proposal.rows] == [1]
    assert "其他区域" in proposal.rows[0].zone_reason


def test_the_parcel_goes_to_the_project_that_pays_more_and_the_other_is_told_who_got_it():
    proposal = propose(instance([applicant(1, 10, 20), applicant(2, 10, 35)], [parcel(7, 11)]))
    assert [(r.applicant.review_id, r.parcel.id) for r in proposal.rows] == [(2, 7)]
    left = left_of(proposal, 1)
    assert left.cause == Unassigned.OUTBID
    assert "L7" in left.reason and "P2" in left.reason


def test_a_project_without_figures_is_left_out_with_the_missing_figure_named():
    proposal = propose(instance([applicant(1, None, 30), applicant(2, 10, None)], [parcel(1, 10)]))
    assert {left.cause for left in proposal.left} == {Unassigned.NO_FIGURES}
    assert proposal.rows == []


def test_first_come_first_served_gives_the_earliest_decision_the_smallest_fitting_parcel():
    early = applicant(5, 10, 10, decided_on=date(2026, 1, 1))
    late = applicant(1, 10, 40, decided_on=date(2026, 2, 1))
    inst = instance([early, late], [parcel(3, 12), parcel(2, 10), parcel(1, 10)])
    baseline = first_come_first_served(inst)
    assert baseline.by_applicant == {0: 2, 1: 1}  # parcels 1 then 2 (ties by number), both of 10 亩


def test_the_proposal_beats_first_come_first_served_on_a_crowded_instance():
    # The early low payer takes the only parcel the late high payer fits; the proposal gives it the larger one.
    early = applicant(1, 11, 10, decided_on=date(2026, 1, 1))  # fits 11 to 13.2
    late = applicant(2, 10, 40, decided_on=date(2026, 2, 1))  # fits 10 to 12
    inst = instance([early, late], [parcel(1, 11), parcel(2, 13)])
    proposal = propose(inst)
    assert proposal.baseline.by_applicant == {0: 0}
    assert proposal.proposal.objective > proposal.baseline.objective
    assert proposal.gain > 0 and proposal.gain_percent > 0


def test_the_upper_bound_proves_the_proposal_optimal():
    inst = instance(
        [applicant(i, 10 + i, 15 + 3 * i) for i in range(1, 6)],
        [parcel(j, 10 + j) for j in range(1, 8)],
    )
    proposal = propose(inst)
    assert proposal.bound >= proposal.proposal.objective - 1e-6
    assert proposal.gap < 1e-6


# --- generated instances ----------------------------------------------------------------------------------------


@st.composite
def instances(draw, max_applicants=8, max_parcels=8):
    n = draw(st.integers(0, max_applicants))
    m = draw(st.integers(0, max_parcels))
    codes = st.sampled_from(["", "26", "39", "3911", "C"])
    zones = st.sampled_from([None, HIGH_TECH, CORE, OTHER])
    applicants = [
        applicant(
            i + 1,
            draw(st.integers(5, 30)),
            draw(st.integers(5, 40)),
            code=draw(st.sampled_from(["2611", "3911", "3912"])),
            zone=draw(zones),
            thresholds=JIANGMEN if draw(st.booleans()) else {},
            decided_on=DAY + timedelta(days=draw(st.integers(0, 5))),
        )
        for i in range(n)
    ]
    parcels = [
        parcel(j + 1, draw(st.integers(5, 36)), codes=[c for c in {draw(codes)} if c], zone=draw(zones))
        for j in range(m)
    ]
    lineage = {"3911": frozenset({"3911", "391", "39", "C"}), "3912": frozenset({"3912", "391", "39", "C"})}
    return instance(applicants, parcels, tolerance=draw(st.sampled_from(["0", "0.1", "0.2", "0.5"])), lineage=lineage)


def brute_force(inst: Instance) -> float:
    """The best objective over every allocation (each applicant: one of the parcels, or none)."""
    n, m = len(inst.applicants), len(inst.parcels)
    best = 0.0
    for choice in itertools.product(range(-1, m), repeat=n):
        used = [j for j in choice if j >= 0]
        if len(used) != len(set(used)):
            continue
        if any(j >= 0 and not inst.allowed[i, j] for i, j in enumerate(choice)):
            continue
        best = max(best, sum(inst.weight[i, j] for i, j in enumerate(choice) if j >= 0))
    return best


@settings(max_examples=120, deadline=None)
@given(instances())
def test_the_proposal_never_earns_less_than_first_come_first_served(inst):
    proposal = solve(inst)
    baseline = first_come_first_served(inst)
    assert proposal.objective >= baseline.objective - 1e-6


@settings(max_examples=120, deadline=None)
@given(instances(max_applicants=5, max_parcels=5))
def test_the_proposal_is_optimal_on_small_instances_by_brute_force(inst):
    best = brute_force(inst)
    assert solve(inst).objective == pytest.approx(best, abs=1e-6)
    assert solve(inst, Method.MILP).objective == pytest.approx(best, abs=1e-6)
    assert upper_bound(inst) == pytest.approx(best, abs=1e-4)


@settings(max_examples=120, deadline=None)
@given(instances())
def test_a_pair_that_is_not_allowed_is_never_returned(inst):
    for method in (Method.ASSIGNMENT, Method.MILP):
        result = solve(inst, method)
        assert all(inst.allowed[i, j] for i, j in result.pairs)
        assert len({i for i, _ in result.pairs}) == len(result.pairs)
        assert len({j for _, j in result.pairs}) == len(result.pairs)
    assert all(inst.allowed[i, j] for i, j in first_come_first_served(inst).pairs)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_every_project_is_either_given_land_or_told_why_not(inst):
    proposal = propose(inst)
    given_ = {r.applicant.review_id for r in proposal.rows}
    left = {item.applicant.review_id for item in proposal.left}
    assert given_ | left == {a.review_id for a in inst.applicants}
    assert not given_ & left
    assert all(item.reason for item in proposal.left)
    assert all(all(r.reasons) for r in proposal.rows)


def test_the_allowed_matrix_agrees_with_the_rules_pair_by_pair():
    rng = np.random.default_rng(4)
    applicants = [applicant(i, int(rng.integers(5, 30)), int(rng.integers(5, 40))) for i in range(1, 30)]
    parcels = [parcel(j, int(rng.integers(5, 36)), codes=["39"] if j % 3 else ["26"]) for j in range(1, 40)]
    inst = instance(applicants, parcels)
    for i, a in enumerate(applicants):
        for j, p in enumerate(parcels):
            fits = a.need_mu <= p.area_mu <= a.need_mu * Decimal("1.2")
            suits = "39" in p.codes
            assert inst.allowed[i, j] == (fits and suits)


# --- the records ------------------------------------------------------------------------------------------------


@pytest.fixture
def standards(city):
    # Zones and rules of the test's own, in place of those the data migration seeds.
    StandardSet.objects.all().delete()
    Zone.objects.all().delete()
    source = SourceDocument.objects.create(title="江门市工业项目供地准入标准")
    rules = StandardSet.objects.create(name="2025 准入标准", effective_from=date(2025, 1, 1))
    high_tech = Zone.objects.create(code="high-tech", name="国家高新区", sort=1)
    core = Zone.objects.create(code="core", name="核心城区", sort=2)
    other = Zone.objects.create(code="other", name="其他区域", sort=3, is_default=True)
    core.regions.add(Region.objects.get(adcode="440703"))
    for zone, value in ((high_tech, 25), (core, 20), (other, 15)):
        Threshold.objects.create(
            standard_set=rules,
            indicator=Indicator.TAX_PER_MU,
            zone=zone,
            comparison=Comparison.AT_LEAST,
            value=value,
            source=source,
        )
    return {"set": rules, "high_tech": high_tech, "core": core, "other": other}


def waiting_project(team, *, need=None, code="39", stage=Stage.SIGNED, land_on=None, **kwargs):
    return ProjectFactory(
        owner_team=team,
        stage=stage,
        signed_on=DAY,
        land_on=land_on,
        land_need_mu=need,
        industry_code=IndustryCode.objects.get(code=code),
        **kwargs,
    )


def admitted(project, standards, *, site, tax, zone="core", decision=Decision.APPROVE, decided_on=DAY):
    return Review.objects.create(
        project=project,
        kind=ReviewKind.INDUSTRIAL,
        zone=standards[zone],
        standard_set=standards["set"],
        site_area_mu=Decimal(site),
        annual_tax=Decimal(tax),
        decision=decision,
        decided_on=decided_on,
    )


@pytest.fixture
def world(standards, outpost_a):
    pengjiang = Region.objects.get(adcode="440703")
    high_tech_park = ParkFactory(name="高新区测试园", region=Region.objects.get(adcode="440704"))
    standards["high_tech"].parks.add(high_tech_park)
    parcels = {
        "core_30": CarrierFactory(area_mu=Decimal(30), region=pengjiang, codes=["39"]),
        "core_33": CarrierFactory(area_mu=Decimal(33), region=pengjiang, published=False),
        "hightech_30": CarrierFactory(area_mu=Decimal(30), park=high_tech_park, region=high_tech_park.region),
        "taken": CarrierFactory(area_mu=Decimal(30), region=pengjiang, availability=Availability.TAKEN),
        "factory": CarrierFactory(kind=CarrierKind.FACTORY, area_mu=Decimal(30), region=pengjiang),
    }
    rich = waiting_project(outpost_a, name="高税收项目")
    poor = waiting_project(outpost_a, name="低税收项目", need=Decimal(30))
    reviews = {
        "rich": admitted(rich, standards, site="30", tax="900", zone="high_tech", decided_on=DAY + timedelta(9)),
        "poor": admitted(poor, standards, site="30", tax="660", decision=Decision.APPROVE_WITH_CONDITIONS),
    }
    # Not waiting: rejected, already given land, not signed yet.
    admitted(waiting_project(outpost_a), standards, site="30", tax="900", decision=Decision.REJECT)
    admitted(waiting_project(outpost_a, stage=Stage.LAND, land_on=DAY), standards, site="30", tax="900")
    admitted(waiting_project(outpost_a, stage=Stage.NEGOTIATION), standards, site="30", tax="900")
    return {"parcels": parcels, "reviews": reviews, "standards": standards}


def test_the_instance_reads_admitted_projects_waiting_for_land_and_parcels_on_offer(world, centre_officer):
    inst = allocation.load_instance(centre_officer)
    assert {a.review_id for a in inst.applicants} == {r.pk for r in world["reviews"].values()}
    offered = {p.id for p in inst.parcels}
    parcels = world["parcels"]
    assert offered >= {parcels["core_30"].pk, parcels["core_33"].pk, parcels["hightech_30"].pk}
    assert parcels["taken"].pk not in offered and parcels["factory"].pk not in offered
    rich = next(a for a in inst.applicants if a.review_id == world["reviews"]["rich"].pk)
    assert rich.tax_per_mu == Decimal(30) and rich.need_mu == Decimal(30)


def test_the_zone_of_each_parcel_is_the_one_zone_for_place_names(world, centre_officer):
    finder = allocation.ZoneFinder()
    for p in allocation.available_parcels(centre_officer).select_related("region"):
        expected = Zone.for_place(p.park_id, p.region.adcode)
        assert finder(p.park_id, p.region.adcode) == (expected.pk if expected else None)


def test_a_recorded_commitment_sets_the_tax_per_mu(world, centre_officer):
    Commitment.objects.create(review=world["reviews"]["poor"], tax_per_mu=Decimal("26.5"))
    inst = allocation.load_instance(centre_officer)
    poor = next(a for a in inst.applicants if a.review_id == world["reviews"]["poor"].pk)
    assert poor.tax_per_mu == Decimal("26.5") and poor.tax_from_commitment


def test_a_later_rejection_takes_the_project_out_of_the_allocation(world, centre_officer):
    project = world["reviews"]["poor"].project
    later = DAY + timedelta(30)
    admitted(project, world["standards"], site="30", tax="660", decision=Decision.REJECT, decided_on=later)
    inst = allocation.load_instance(centre_officer)
    assert world["reviews"]["poor"].pk not in {a.review_id for a in inst.applicants}


def test_the_proposal_of_the_records_gives_each_project_land_of_its_zone(world, centre_officer):
    proposal = propose(allocation.load_instance(centre_officer))
    given_ = {r.applicant.review_id: r.parcel.id for r in proposal.rows}
    parcels, reviews = world["parcels"], world["reviews"]
    # The poor project (20 万元/亩, reviewed for the core zone) cannot land in the high-tech park.
    assert given_[reviews["poor"].pk] in {parcels["core_30"].pk, parcels["core_33"].pk}
    assert reviews["rich"].pk in given_
    assert proposal.gap < 1e-6


# --- the page ---------------------------------------------------------------------------------------------------

URL = reverse("review:allocation")


def test_the_centre_sees_the_proposal_with_its_totals(world, client_for, centre_officer):
    response = client_for(centre_officer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "高税收项目" in html and "低税收项目" in html
    assert 'data-testid="gap"' in html
    assert response.context["proposal"].rows


def test_an_administrator_sees_the_proposal(world, client_for, admin_user):
    assert client_for(admin_user).get(URL).status_code == 200


@pytest.mark.parametrize("who", ["officer_a", "district_officer", "partner_officer"])
def test_others_are_forbidden(world, client_for, who, request):
    user = request.getfixturevalue(who)
    assert client_for(user).get(URL).status_code == 403
    assert client_for(user).get(URL, {"export": "xlsx"}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(world, investor):
    response = investor.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))


def test_a_tolerance_out_of_range_is_refused_by_name(world, client_for, centre_officer):
    response = client_for(centre_officer).get(URL, {"tolerance": "150"})
    assert response.status_code == 200
    assert response.context["proposal"] is None
    assert "tolerance" in response.context["form"].errors


def test_the_form_sent_back_as_the_page_shows_it_proposes_again(world, client_for, centre_officer):
    client = client_for(centre_officer)
    first = client.get(URL)
    again = client.get(URL, form_data(first))
    assert again.context["form"].errors == {}
    assert [r.parcel.id for r in again.context["proposal"].rows] == [
        r.parcel.id for r in first.context["proposal"].rows
    ]


def test_a_district_filter_limits_the_land_on_offer(world, client_for, centre_officer):
    pengjiang = Region.objects.get(adcode="440703")
    response = client_for(centre_officer).get(URL, {"tolerance": "20", "districts": [pengjiang.pk]})
    offered = {p.id for p in response.context["proposal"].instance.parcels}
    assert world["parcels"]["hightech_30"].pk not in offered
    assert world["parcels"]["core_30"].pk in offered


def test_the_export_opens_again_with_the_proposal_the_page_shows(world, client_for, centre_officer):
    client = client_for(centre_officer)
    page = client.get(URL, {"tolerance": "20"}).context["proposal"]
    response = client.get(URL, {"tolerance": "20", "export": "xlsx"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    proposal_sheet, left_sheet, totals_sheet = wb.worksheets
    rows = list(proposal_sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == sorted(r.applicant.label for r in page.rows)
    assert sum(Decimal(str(r[5])) for r in rows) == page.objective
    totals = {r[0]: r[1] for r in totals_sheet.iter_rows(values_only=True)}
    assert Decimal(str(next(iter(totals.values())))) == page.objective
    assert left_sheet.max_row == 1 + len(page.left)


def test_the_navigation_shows_the_entry_to_the_centre_only(world, client_for, centre_officer, officer_a):
    assert URL in client_for(centre_officer).get(reverse("core:home")).content.decode()
    assert URL not in client_for(officer_a).get(reverse("core:home")).content.decode()


def test_nothing_is_saved_to_the_projects(world, client_for, centre_officer):
    before = list(world["reviews"]["rich"].project.__class__.objects.values_list("pk", "stage", "land_on", "carrier"))
    client_for(centre_officer).get(URL)
    after = list(world["reviews"]["rich"].project.__class__.objects.values_list("pk", "stage", "land_on", "carrier"))
    assert before == after
    assert Park.objects.exists() and timezone.localdate()


def test_the_page_reads_in_english(world, client_for, centre_officer):
    response = client_for(centre_officer, language="en").get(URL)
    html = response.content.decode()
    assert "Land allocation" in html and "First come, first served" in html
    row = response.context["proposal"].rows[0]
    assert row.area_reason.startswith("needs 30 mu")
    assert "Test parcel" in row.parcel.label


# --- saved proposals --------------------------------------------------------------------------------------------


def test_the_centre_saves_the_proposal_as_shown_and_reads_it_again(world, client_for, centre_officer):
    from zhaoshang.projects.models import Project
    from zhaoshang.review.models import SavedAllocation

    client = client_for(centre_officer)
    before = list(Project.objects.order_by("pk").values_list("pk", "stage", "land_on", "carrier", "version"))
    shown = client.get(URL, {"tolerance": "20"}).context["proposal"]
    response = client.post(reverse("review:allocation-save") + "?tolerance=20")
    record = SavedAllocation.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert [(r["review_id"], r["parcel_id"]) for r in record.rows] == [
        (r.applicant.review_id, r.parcel.id) for r in shown.rows
    ]
    assert record.objective == shown.objective and record.created_by == centre_officer
    assert list(Project.objects.order_by("pk").values_list("pk", "stage", "land_on", "carrier", "version")) == before
    page = client.get(record.get_absolute_url())
    assert page.status_code == 200
    assert shown.rows[0].applicant.label in page.content.decode()
    assert record.title in client.get(URL).content.decode()


@pytest.mark.parametrize("who", ["officer_a", "district_officer"])
def test_others_can_neither_save_nor_read_a_saved_proposal(world, client_for, centre_officer, who, request):
    from zhaoshang.review.models import SavedAllocation

    client_for(centre_officer).post(reverse("review:allocation-save"))
    record = SavedAllocation.objects.get()
    client = client_for(request.getfixturevalue(who))
    assert client.post(reverse("review:allocation-save")).status_code == 403
    assert SavedAllocation.objects.count() == 1
    assert client.get(record.get_absolute_url()).status_code == 403


def test_saving_asks_for_a_post(world, client_for, centre_officer):
    assert client_for(centre_officer).get(reverse("review:allocation-save")).status_code == 405
