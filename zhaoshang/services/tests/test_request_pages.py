"""The pages of enterprise requests: who sees what (another department 404, the enterprise its own only and never
the internal notes), the submission and officers' entry forms, the queue's constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.tests.factories import UserFactory
from zhaoshang.core.models import Clock
from zhaoshang.core.testing import form_data
from zhaoshang.services.choices import RequestState
from zhaoshang.services.models.requests import EnterpriseAccount, EnterpriseRequest, ServicePolicy
from zhaoshang.services.services import requests as services

from .conftest import at

pytestmark = pytest.mark.django_db

MONDAY = "2026-03-09"


def test_another_department_does_not_find_the_request(receive, client_for, land_officer, power_officer):
    req = receive(at(MONDAY))
    assert client_for(land_officer).get(req.get_absolute_url()).status_code == 404
    assert client_for(land_officer).post(reverse("services:request-sign", args=[req.pk])).status_code == 404
    assert req.number not in client_for(land_officer).get(reverse("services:request-queue")).content.decode()
    assert client_for(power_officer).get(req.get_absolute_url()).status_code == 200


def test_the_public_is_sent_to_sign_in(receive, investor):
    req = receive(at(MONDAY))
    response = investor.get(req.get_absolute_url())
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_enterprise_sees_its_own_requests_and_never_the_internal_notes(
    receive, client_for, firm_user, other_firm, other_firm_user, power_officer, centre_officer
):
    mine = receive(at(MONDAY), title="我们的用电诉求")
    theirs = receive(at(MONDAY), enterprise=other_firm, title="别家的诉求")
    services.set_supervisor(mine, centre_officer, centre_officer, at=at(MONDAY, "10:05"))
    services.supervisor_note(mine, centre_officer, "内部督办意见", at=at(MONDAY, "10:10"))
    services.sign(mine, power_officer, at=at(MONDAY, "10:20"))
    services.give_plan(mine, power_officer, "明日上门勘查", at=at(MONDAY, "10:30"))
    client = client_for(firm_user)
    listing = client.get(reverse("services:my-requests")).content.decode()
    assert "我们的用电诉求" in listing and "别家的诉求" not in listing
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "明日上门勘查" in page and "内部督办意见" not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client_for(other_firm_user).get(mine.get_absolute_url()).status_code == 404
    assert client.get(reverse("services:request-queue")).status_code == 403


def test_an_enterprise_submits_a_request_with_its_categories_in_order(routed, client_for, firm, firm_user, power):
    client = client_for(firm_user)
    form = client.get(reverse("services:request-submit"))
    assert 'value="李经理"' in form.content.decode()  # the contact, from the user
    response = client.post(
        reverse("services:request-submit"),
        {
            "categories": [routed["land"].pk, routed["utilities"].pk],
            "main_category": routed["utilities"].pk,
            "title": "厂房用电",
            "description": "需要增容",
            "contact_name": "李经理",
            "contact_phone": "13800001111",
        },
    )
    req = EnterpriseRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == req.get_absolute_url()
    assert (req.category, req.department, req.enterprise, req.account.user) == (
        routed["utilities"],
        power,
        firm,
        firm_user,
    )
    assert set(req.categories.all()) == {routed["land"], routed["utilities"]}


def test_five_categories_are_refused_with_a_message_naming_the_field(routed, client_for, firm_user):
    response = client_for(firm_user).post(
        reverse("services:request-submit"),
        {
            "categories": [c.pk for c in list(routed.values())[:5]],
            "title": "x",
            "description": "y",
            "contact_name": "李",
            "contact_phone": "1",
        },
    )
    assert response.status_code == 200 and "categories" in response.context["form"].errors
    assert not EnterpriseRequest.objects.exists()


def test_staff_cannot_submit_as_an_enterprise(routed, client_for, power_officer):
    assert client_for(power_officer).get(reverse("services:request-submit")).status_code == 403


def test_an_officer_enters_a_phone_request_for_an_enterprise(routed, client_for, firm, power_officer, power):
    response = client_for(power_officer).post(
        reverse("services:request-add"),
        {
            "enterprise": firm.uscc,
            "channel": "phone",
            "received_at": "2026-03-09T10:00",
            "categories": [routed["utilities"].pk],
            "title": "电话反映停电",
            "description": "园区频繁停电",
            "contact_name": "王",
            "contact_phone": "13900000000",
        },
    )
    req = EnterpriseRequest.objects.get()
    assert response.status_code == 302
    assert (req.channel, req.received_at, req.account) == ("phone", at(MONDAY, "10:00"), None)
    assert services.request_clocks(req)["contact"].started_at == at(MONDAY, "10:00")


def test_an_unknown_enterprise_is_refused_by_name(routed, client_for, power_officer):
    response = client_for(power_officer).post(
        reverse("services:request-add"),
        {"enterprise": "不存在的公司", "channel": "phone", "received_at": "2026-03-09T10:00"},
    )
    assert "enterprise" in response.context["form"].errors
    assert not EnterpriseRequest.objects.exists()


def test_the_department_works_a_request_from_its_page(receive, client_for, power_officer, firm_user):
    req = receive(at(MONDAY))
    client = client_for(power_officer)
    client.post(reverse("services:request-sign", args=[req.pk]))
    client.post(reverse("services:request-close", args=[req.pk]), {"answer": "已处理"})
    assert EnterpriseRequest.objects.get(pk=req.pk).state == RequestState.CLOSED
    response = client_for(firm_user).post(reverse("services:request-rate", args=[req.pk]), {"rating": "satisfied"})
    assert response.status_code == 302
    assert EnterpriseRequest.objects.get(pk=req.pk).state == RequestState.VISITED


def test_a_step_without_its_text_is_refused_naming_the_field_and_changes_nothing(receive, client_for, power_officer):
    req = receive(at(MONDAY))
    client = client_for(power_officer)
    client.post(reverse("services:request-sign", args=[req.pk]))
    for name, data in (("request-plan", {"text": ""}), ("request-close", {"answer": " "})):
        response = client.post(reverse(f"services:{name}", args=[req.pk]), data, follow=True)
        assert response.status_code == 200
        shown = [str(m) for m in response.context["messages"]]
        assert any(m.startswith(("内容:", "办结答复:")) and "必填" in m for m in shown), shown  # text, answer: required
    req = EnterpriseRequest.objects.get(pk=req.pk)
    assert (req.state, req.planned_at, req.closed_at) == (RequestState.IN_PROGRESS, None, None)


def test_only_the_centre_decides_a_send_back(receive, client_for, power_officer, centre_officer, land_bureau, power):
    req = receive(at(MONDAY))
    send_back = services.ask_send_back(req, power_officer, "不属本部门", land_bureau, at=at(MONDAY, "10:30"))
    url = reverse("services:sendback-arbitrate", args=[send_back.pk])
    assert client_for(power_officer).post(url, {"decision": "accept", "team": land_bureau.pk}).status_code == 403
    assert EnterpriseRequest.objects.get(pk=req.pk).department == power
    client_for(centre_officer).post(url, {"decision": "accept", "team": land_bureau.pk})
    assert EnterpriseRequest.objects.get(pk=req.pk).department == land_bureau


def test_the_centre_opens_an_account_whose_person_sets_a_password(firm, client_for, centre_officer, power_officer):
    data = {"enterprise": firm.name, "username": "wang", "full_name": "王经理", "phone": "139", "email": "w@e.cn"}
    assert client_for(power_officer).post(reverse("services:account-add"), data).status_code == 403
    response = client_for(centre_officer).post(reverse("services:account-add"), data)
    account = EnterpriseAccount.objects.get(user__username="wang")
    assert account.enterprise == firm and not account.user.has_usable_password()
    link = response.context["link"]
    page = client_for(centre_officer).__class__().get(link, follow=True)
    assert page.status_code == 200
    set_url = page.redirect_chain[-1][0]
    page = page.client.post(set_url, {"new_password1": "Kx9!longer-pass", "new_password2": "Kx9!longer-pass"})
    account.user.refresh_from_db()
    assert account.user.check_password("Kx9!longer-pass")


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("services:request-queue"))
    assert response.status_code == 200
    return len(queries), response


def test_the_queue_takes_as_many_queries_for_25_rows_as_for_3(receive, client_for, power_officer):
    for minute in range(3):
        receive(at(MONDAY, f"10:{minute:02d}"))
    client = client_for(power_officer)
    client.get(reverse("services:request-queue"))  # warm the session and content-type caches
    three, response = _queue_queries(client)
    assert len(response.context["rows"]) == 3
    for minute in range(3, 30):
        receive(at(MONDAY, f"10:{minute:02d}"))
    twenty_five, response = _queue_queries(client)
    assert len(response.context["rows"]) == 25
    assert three == twenty_five


def test_the_queue_shows_the_nearest_due_first(receive, client_for, power_officer):
    later = receive(at(MONDAY, "10:00"))
    sooner = receive(at(MONDAY, "09:00"))
    rows = client_for(power_officer).get(reverse("services:request-queue")).context["rows"]
    assert [r.pk for r in rows] == [sooner.pk, later.pk]


def test_the_queue_filters_overdue_requests(receive, client_for, power_officer):
    old = receive(timezone.now() - timedelta(minutes=5))
    receive(timezone.now() - timedelta(minutes=5))
    Clock.objects.filter(subject_id=old.pk, purpose="contact").update(due_at=timezone.now() - timedelta(minutes=1))
    rows = client_for(power_officer).get(reverse("services:request-queue"), {"overdue": "true"}).context["rows"]
    assert [r.pk for r in rows] == [old.pk]


def test_a_service_officer_opens_accounts_for_the_firms_served_only(firm, other_firm, client_for, power_officer):
    EnterpriseAccount.objects.create(user=UserFactory(username="first"), enterprise=firm, officer=power_officer)
    client = client_for(power_officer)
    data = {"username": "second", "full_name": "赵", "phone": "139", "email": "z@e.cn"}
    client.post(reverse("services:account-add"), {**data, "enterprise": other_firm.uscc})
    assert not EnterpriseAccount.objects.filter(user__username="second").exists()
    client.post(reverse("services:account-add"), {**data, "enterprise": firm.uscc})
    assert EnterpriseAccount.objects.get(user__username="second").enterprise == firm


def test_the_centre_keeps_the_time_limits_and_departments_read_them(
    categories, client_for, centre_officer, power_officer
):
    policy = ServicePolicy.objects.get(category__isnull=True, channel="")
    url = reverse("services:policy-edit", args=[policy.pk])
    assert client_for(power_officer).get(reverse("services:policy-list")).status_code == 200
    assert client_for(power_officer).get(url).status_code == 403
    response = client_for(centre_officer).get(url)
    client_for(centre_officer).post(url, form_data(response, contact_limit=30))
    policy.refresh_from_db()
    assert policy.contact_limit == 30


def test_a_policy_for_the_same_category_and_channel_is_refused(categories, client_for, centre_officer):
    response = client_for(centre_officer).post(
        reverse("services:policy-add"),
        {
            "contact_limit": 60,
            "contact_unit": "wminutes",
            "plan_limit": 1440,
            "plan_unit": "minutes",
            "close_limit": 7,
            "close_unit": "wdays",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert ServicePolicy.objects.count() == 1
