"""Enterprise requests against the clock: received 10:00 on a working day (Monday 9 March 2026), office hours
08:30-12:00 and 14:30-17:30, contact within 60 working minutes, a plan within 24 hours, closed within 7 working days."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.core import clocks
from zhaoshang.core.choices import ClockUnit
from zhaoshang.core.models import Notification
from zhaoshang.services.choices import (
    Rating,
    RequestEventKind,
    RequestLevel,
    RequestState,
    SendBackDecision,
)
from zhaoshang.services.models.requests import EnterpriseRequest, ServicePolicy
from zhaoshang.services.services import requests as services

from .conftest import at

pytestmark = pytest.mark.django_db

MONDAY = "2026-03-09"


def state_of(req):
    return EnterpriseRequest.objects.get(pk=req.pk)


def test_a_submitted_request_is_numbered_routed_timed_and_announced(receive, power, power_officer, firm):
    req = receive(at(MONDAY))
    assert req.number == "SQ2026-000001"
    assert receive(at(MONDAY, "10:05")).number == "SQ2026-000002"
    assert req.department == power and req.district.adcode == "440703" and req.state == RequestState.SUBMITTED
    found = services.request_clocks(req)
    assert {purpose: (c.limit, c.unit) for purpose, c in found.items()} == {
        "contact": (60, ClockUnit.WORKING_MINUTES),
        "plan": (1440, ClockUnit.MINUTES),
        "close": (7, ClockUnit.WORKING_DAYS),
    }
    assert found["contact"].due_at == at(MONDAY, "11:00")
    assert found["plan"].due_at == at("2026-03-10", "10:00")
    assert req.events.get().kind == RequestEventKind.SUBMITTED
    assert Notification.objects.filter(recipient=power_officer, message__contains=req.number).exists()


def test_a_category_without_a_department_goes_to_the_centre(receive, centre):
    assert receive(at(MONDAY), category="policy").department == centre


def test_the_most_specific_policy_sets_the_limits(receive, routed):
    ServicePolicy.objects.create(category=routed["utilities"], channel="phone", contact_limit=30)
    ServicePolicy.objects.create(category=routed["utilities"], contact_limit=45)
    by_phone = receive(at(MONDAY), channel="phone")
    online = receive(at(MONDAY))
    assert services.request_clocks(by_phone)["contact"].limit == 30
    assert services.request_clocks(online)["contact"].limit == 45


def test_more_than_four_categories_are_refused(routed, firm):
    with pytest.raises(ValidationError):
        services.submit(firm, list(routed.values())[:5], "t", "d", "n", "1")
    assert not EnterpriseRequest.objects.exists()


@pytest.mark.parametrize(("contacted", "state"), [("11:00", "on_time"), ("11:01", "late")])
def test_a_request_received_at_ten_and_contacted_at_minute_61_is_late(receive, power_officer, contacted, state):
    req = receive(at(MONDAY, "10:00"))
    services.sign(req, power_officer, at=at(MONDAY, "10:20"))
    services.record_contact(req, power_officer, "电话联系李经理", at=at(MONDAY, contacted))
    clock = services.request_clocks(req)["contact"]
    assert clocks.status(clock, at(MONDAY, "12:00")).state == state
    assert services.request_clocks(req)["close"].stopped_at is None  # the others keep counting


def test_signing_makes_the_signer_the_officer(receive, power_officer):
    req = services.sign(receive(at(MONDAY)), power_officer, at=at(MONDAY, "10:10"))
    assert (req.state, req.officer, req.signed_at) == (RequestState.IN_PROGRESS, power_officer, at(MONDAY, "10:10"))
    with pytest.raises(ValidationError):
        services.sign(req, power_officer, at=at(MONDAY, "10:11"))


def test_another_department_cannot_work_the_request(receive, land_officer):
    req = receive(at(MONDAY))
    with pytest.raises(PermissionDenied):
        services.sign(req, land_officer, at=at(MONDAY, "10:10"))
    assert state_of(req).state == RequestState.SUBMITTED


def test_the_plan_stops_its_clock_and_is_shown_to_the_enterprise(receive, power_officer):
    req = services.sign(receive(at(MONDAY)), power_officer, at=at(MONDAY, "10:10"))
    services.give_plan(req, power_officer, "周三现场勘查，周五出方案", at=at(MONDAY, "15:00"))
    found = services.request_clocks(req)
    assert found["plan"].stopped_at == at(MONDAY, "15:00")
    assert found["contact"].stopped_at == at(MONDAY, "15:00")  # a plan means the enterprise was reached
    assert req.events.get(kind=RequestEventKind.PLANNED).public


def test_an_interim_reply_marks_the_request(receive, power_officer):
    req = services.sign(receive(at(MONDAY)), power_officer, at=at(MONDAY, "10:10"))
    req = services.interim_reply(req, power_officer, "已协调施工队", at=at("2026-03-11"))
    assert req.state == RequestState.INTERIM
    with pytest.raises(ValidationError):
        services.interim_reply(req, power_officer, "  ", at=at("2026-03-11"))


@pytest.mark.parametrize(("closed_on", "on_time"), [("2026-03-18", True), ("2026-03-19", False)])
def test_closing_stops_the_close_clock_and_tells_whether_on_time(receive, power_officer, closed_on, on_time):
    req = services.sign(receive(at(MONDAY)), power_officer, at=at(MONDAY, "10:10"))
    req = services.close(req, power_officer, "已完成报装", at=at(closed_on, "16:00"))
    assert (req.state, req.closed_on_time) == (RequestState.CLOSED, on_time)
    assert all(c.stopped_at is not None for c in services.request_clocks(req).values())


def test_satisfied_closes_the_loop(receive, power_officer, firm_user):
    req = services.sign(receive(at(MONDAY)), power_officer, at=at(MONDAY, "10:10"))
    services.close(req, power_officer, "已完成报装", at=at("2026-03-12"))
    req = services.rate(req, firm_user, Rating.SATISFIED, at=at("2026-03-13"))
    assert (req.state, req.rating, req.level, req.redo_count) == (
        RequestState.VISITED,
        Rating.SATISFIED,
        RequestLevel.DEPARTMENT,
        0,
    )


def test_unsatisfied_reopens_the_request_a_level_up_with_a_new_close_clock(
    receive, power_officer, firm_user, centre_officer
):
    req = services.sign(receive(at(MONDAY)), power_officer, at=at(MONDAY, "10:10"))
    services.set_supervisor(req, centre_officer, centre_officer, at=at(MONDAY, "11:00"))
    services.close(req, power_officer, "已完成报装", at=at("2026-03-12"))
    with pytest.raises(ValidationError):
        services.rate(req, firm_user, Rating.UNSATISFIED, "", at=at("2026-03-13"))  # a comment is required
    req = services.rate(req, firm_user, Rating.UNSATISFIED, "仍未通电", at=at("2026-03-13", "09:00"))
    assert (req.state, req.level, req.redo_count, req.closed_at) == (
        RequestState.IN_PROGRESS,
        RequestLevel.DISTRICT,
        1,
        None,
    )
    close_clock = services.request_clocks(req)["close"]
    assert close_clock.started_at == at("2026-03-13", "09:00") and close_clock.stopped_at is None
    assert close_clock.due_at.date().isoformat() == "2026-03-24"  # 7 working days after Friday 13th
    assert Notification.objects.filter(recipient=centre_officer, message__contains="不满意").exists()
    services.close(req, power_officer, "已通电", at=at("2026-03-16"))
    services.rate(req, firm_user, Rating.UNSATISFIED, "电压不稳", at=at("2026-03-17"))
    services.close(req, power_officer, "已更换变压器", at=at("2026-03-18"))
    req = services.rate(req, firm_user, Rating.UNSATISFIED, "还是不稳", at=at("2026-03-19"))
    assert (req.level, req.redo_count) == (RequestLevel.CITY, 3)  # the city is the top


def test_another_enterprise_cannot_rate_the_request(receive, power_officer, other_firm_user):
    req = services.sign(receive(at(MONDAY)), power_officer, at=at(MONDAY, "10:10"))
    services.close(req, power_officer, "已完成", at=at("2026-03-12"))
    with pytest.raises(PermissionDenied):
        services.rate(req, other_firm_user, Rating.SATISFIED, at=at("2026-03-13"))
    assert state_of(req).rating == ""


def test_a_return_visit_records_the_rating_of_a_phone_request(receive, power_officer):
    req = receive(at(MONDAY), channel="phone")
    services.sign(req, power_officer, at=at(MONDAY, "10:10"))
    services.close(req, power_officer, "已完成", at=at("2026-03-12"))
    req = services.return_visit(req, power_officer, Rating.SATISFIED, "电话回访李经理", at=at("2026-03-13"))
    assert (req.state, req.rating) == (RequestState.VISITED, Rating.SATISFIED)
    assert req.events.get(kind=RequestEventKind.VISITED).text == "电话回访李经理"


def test_a_transfer_moves_the_request_and_the_clocks_continue(receive, power_officer, land_bureau, land_officer):
    req = services.sign(receive(at(MONDAY)), power_officer, at=at(MONDAY, "10:10"))
    before = services.request_clocks(req)["close"]
    req = services.transfer(req, power_officer, land_bureau, "属用地问题", at=at(MONDAY, "11:00"))
    assert (req.department, req.state, req.officer) == (land_bureau, RequestState.SUBMITTED, None)
    after = services.request_clocks(req)["close"]
    assert (after.started_at, after.due_at) == (before.started_at, before.due_at)
    assert Notification.objects.filter(recipient=land_officer, message__contains=req.number).exists()
    services.sign(req, land_officer, at=at(MONDAY, "11:10"))
    with pytest.raises(PermissionDenied):  # the first department no longer works it
        services.interim_reply(req, power_officer, "x", at=at(MONDAY, "11:20"))


def test_a_send_back_needs_a_reason(receive, power_officer):
    req = receive(at(MONDAY))
    with pytest.raises(ValidationError):
        services.ask_send_back(req, power_officer, "   ", at=at(MONDAY, "10:30"))
    assert not req.send_backs.exists()


def test_a_send_back_without_arbitration_changes_nothing(receive, power, power_officer, land_bureau):
    req = receive(at(MONDAY))
    services.ask_send_back(req, power_officer, "不属供电业务", land_bureau, at=at(MONDAY, "10:30"))
    assert state_of(req).department == power
    with pytest.raises(ValidationError):  # one at a time
        services.ask_send_back(req, power_officer, "再次申请", at=at(MONDAY, "10:31"))
    with pytest.raises(PermissionDenied):  # the department cannot decide its own send-back
        services.arbitrate(req.send_backs.get(), power_officer, True, land_bureau, at=at(MONDAY, "10:40"))
    assert state_of(req).department == power


def test_the_centre_refusing_a_send_back_keeps_the_request_with_the_department(
    receive, power, power_officer, land_bureau, centre_officer
):
    req = receive(at(MONDAY))
    send_back = services.ask_send_back(req, power_officer, "不属供电业务", land_bureau, at=at(MONDAY, "10:30"))
    send_back = services.arbitrate(send_back, centre_officer, False, note="属供电业务", at=at(MONDAY, "11:00"))
    assert send_back.decision == SendBackDecision.REFUSED
    assert state_of(req).department == power
    assert Notification.objects.filter(recipient=power_officer, message__contains="未获同意").exists()


def test_the_centre_accepting_a_send_back_reroutes_the_request(
    receive, power_officer, land_bureau, land_officer, centre_officer
):
    req = receive(at(MONDAY))
    send_back = services.ask_send_back(req, power_officer, "不属供电业务", land_bureau, at=at(MONDAY, "10:30"))
    send_back = services.arbitrate(send_back, centre_officer, True, at=at(MONDAY, "11:00"))
    assert send_back.decision == SendBackDecision.ACCEPTED
    assert state_of(req).department == land_bureau
    with pytest.raises(ValidationError):
        services.arbitrate(send_back, centre_officer, False, at=at(MONDAY, "11:05"))


def test_reminders_go_to_the_department_and_escalations_to_the_supervisor_and_team_leads(
    receive, power_officer, power_lead, centre_officer
):
    req = receive(at(MONDAY, "10:00"))
    services.set_supervisor(req, centre_officer, centre_officer, at=at(MONDAY, "10:01"))
    Notification.objects.all().delete()
    clocks.scan(now=at(MONDAY, "10:31"))  # half the contact time
    assert Notification.objects.filter(recipient=power_officer, message__contains="50%").count() == 1
    assert not Notification.objects.filter(recipient=centre_officer).exists()
    clocks.scan(now=at(MONDAY, "11:02"))  # overdue
    assert Notification.objects.filter(recipient=centre_officer, message__contains="已超时").count() == 1
    assert Notification.objects.filter(recipient=power_lead, message__contains="已超时").count() == 1
    clocks.scan(now=at(MONDAY, "11:30"))
    assert Notification.objects.filter(recipient=centre_officer, message__contains="已超时").count() == 1


def test_one_scan_reads_the_members_of_all_its_departments_at_once(receive, power_lead, land_bureau):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.accounts.choices import Role
    from zhaoshang.accounts.tests.factories import member

    land_lead = member(land_bureau, Role.TEAM_LEAD, username="land_lead")
    receive(at(MONDAY, "10:00"))
    receive(at(MONDAY, "10:00"), category="land", title="用地咨询")
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        clocks.scan(now=at(MONDAY, "11:02"))  # both contact clocks overdue
    reads = [q["sql"] for q in captured if "accounts_membership" in q["sql"]]
    assert len(reads) == 1
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"power_lead", "land_lead"}
    assert Notification.objects.filter(recipient=land_lead, message__contains="已超时").count() == 1


def test_the_supervisor_adds_internal_notes(receive, power_officer, centre_officer, land_officer):
    req = receive(at(MONDAY))
    services.set_supervisor(req, centre_officer, land_officer, at=at(MONDAY, "10:05"))
    event = services.supervisor_note(req, land_officer, "请今日联系企业", at=at(MONDAY, "10:10"))
    assert not event.public
    with pytest.raises(PermissionDenied):
        services.supervisor_note(req, power_officer, "x", at=at(MONDAY, "10:11"))
