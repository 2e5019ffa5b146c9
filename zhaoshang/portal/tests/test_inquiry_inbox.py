"""The staff inbox of inquiries: who sees what, the response clock, recording the first response, figures."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhaoshang.geo.tests.factories import CarrierFactory, district
from zhaoshang.portal.choices import InquiryStatus
from zhaoshang.portal.forms.inquiries import InquiryForm
from zhaoshang.portal.models import Inquiry
from zhaoshang.portal.services.inquiries import (
    clock,
    inquiry_panel,
    response_stats,
    submit_inquiry,
    working_time_between,
)

INBOX = reverse("portal:inquiry-inbox")
API = "/api/portal/inquiries/"

TYPED = {
    "company": "海岸精密机械有限公司",
    "contact_name": "Li Na",
    "email": "li.na@coast.example.com",
    "message": "We look for a standard factory of 5,000 m² with a 5-ton floor load.",
    "consent": True,
}


def inquire(carrier=None, *, days_ago=0, company=None):
    """An inquiry that arrived ``days_ago`` days ago (its clock computed from then)."""
    form = InquiryForm(data={**TYPED, **({"company": company} if company else {})})
    assert form.is_valid(), form.errors
    received = timezone.now() - timedelta(days=days_ago)
    inquiry = submit_inquiry(form.cleaned_data, carrier=carrier, language="en", received=received)
    Inquiry.objects.filter(pk=inquiry.pk).update(created=received)
    inquiry.refresh_from_db()
    return inquiry


@pytest.fixture
def site_a(city, outpost_a):
    """A site of outpost_a in 蓬江 (440703), the district bureau's district."""
    return CarrierFactory(team=outpost_a, region=district("440703"))


@pytest.fixture
def late(site_a):
    return inquire(site_a, days_ago=10, company="迟复公司")


@pytest.fixture
def fresh(site_a):
    return inquire(site_a, company="新到公司")


def test_an_officer_finds_the_inquiries_of_their_team_newest_first_with_their_clocks(
    client_for, officer_a, late, fresh
):
    response = client_for(officer_a).get(INBOX)
    assert response.status_code == 200
    assert [i.pk for i in response.context["inquiries"]] == [fresh.pk, late.pk]
    html = response.content.decode()
    assert html.index("新到公司") < html.index("迟复公司")
    assert 'data-state="overdue"' in html and "text-danger" in html
    assert 'data-state="running"' in html


def test_the_inbox_filters_overdue_inquiries(client_for, officer_a, late, fresh):
    response = client_for(officer_a).get(INBOX, {"overdue": "true"})
    assert [i.pk for i in response.context["inquiries"]] == [late.pk]
    answered = client_for(officer_a).get(INBOX, {"status": InquiryStatus.ANSWERED})
    assert list(answered.context["inquiries"]) == []


def test_an_officer_of_another_outpost_cannot_see_it(client_for, api_for, officer_b, late):
    inbox = client_for(officer_b).get(INBOX)
    assert inbox.status_code == 200 and list(inbox.context["inquiries"]) == []
    assert client_for(officer_b).get(late.get_absolute_url()).status_code == 404
    assert client_for(officer_b).post(late.get_absolute_url(), {"note": "不是我的"}).status_code == 404
    assert api_for(officer_b).get(f"{API}{late.pk}/").status_code == 404
    assert api_for(officer_b).get(API).json()["count"] == 0
    late.refresh_from_db()
    assert late.first_response_at is None


def test_a_leader_reads_but_cannot_record_a_response(client_for, api_for, leader, late):
    page = client_for(leader).get(late.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="read-only"' in page.content.decode()
    assert 'data-testid="response-form"' not in page.content.decode()
    assert client_for(leader).post(late.get_absolute_url(), {"note": "领导批示"}).status_code == 403
    assert api_for(leader).get(f"{API}{late.pk}/").status_code == 200
    late.refresh_from_db()
    assert late.first_response_at is None


def test_the_district_bureau_sees_the_inquiries_of_its_district(client_for, api_for, district_officer, city, late):
    elsewhere = inquire(CarrierFactory(region=district("440705")), company="新会公司")
    response = client_for(district_officer).get(INBOX)
    assert [i.pk for i in response.context["inquiries"]] == [late.pk]
    assert client_for(district_officer).get(elsewhere.get_absolute_url()).status_code == 404
    assert [row["id"] for row in api_for(district_officer).get(API).json()["results"]] == [late.pk]


def test_anonymous_callers_cannot_list_or_read_inquiries(investor, late):
    from rest_framework.test import APIClient

    assert APIClient().get(API).status_code in (401, 403)
    assert APIClient().get(f"{API}{late.pk}/").status_code in (401, 403)
    assert investor.get(INBOX).status_code == 302  # to the login page
    assert investor.get(late.get_absolute_url()).status_code == 302


def test_an_officer_records_the_first_response_once(client_for, officer_a, late):
    url = late.get_absolute_url()
    page = client_for(officer_a).get(url)
    assert "Li Na" in page.content.decode() and TYPED["message"][:20] in page.content.decode()
    assert 'data-testid="response-form"' in page.content.decode()

    assert client_for(officer_a).post(url, {"note": ""}).status_code == 200  # a note is required
    late.refresh_from_db()
    assert late.first_response_at is None

    assert client_for(officer_a).post(url, {"note": "已电话回复，安排考察。"}).status_code == 302
    late.refresh_from_db()
    first = late.first_response_at
    assert first is not None and late.responded_by == officer_a and late.status == InquiryStatus.ANSWERED

    client_for(officer_a).post(url, {"note": "已寄送资料。"})
    late.refresh_from_db()
    assert late.first_response_at == first
    assert "已寄送资料" in late.response_note
    assert clock(late).state == "answered"


def test_the_staff_api_lists_inquiries_in_scope_with_their_overdue_flag(api_for, officer_a, late, fresh):
    rows = api_for(officer_a).get(API).json()["results"]
    assert [(row["id"], row["overdue"]) for row in rows] == [(fresh.pk, False), (late.pk, True)]
    assert api_for(officer_a).get(API, {"overdue": "true"}).json()["count"] == 1


def test_staff_reading_the_api_are_not_held_to_the_inquiry_rate(api_for, officer_a, late, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "inquiry": "1/hour"},
    }
    client = api_for(officer_a)
    assert [client.get(API).status_code for _ in range(3)] == [200, 200, 200]


def test_response_figures_per_team(site_a, outpost_a):
    on_time, slow, waiting_late = (inquire(site_a, days_ago=d) for d in (10, 10, 10))
    Inquiry.objects.filter(pk=on_time.pk).update(first_response_at=on_time.created + timedelta(hours=2))
    Inquiry.objects.filter(pk=slow.pk).update(first_response_at=slow.created + timedelta(days=6))
    inquire(site_a)  # still within its time: not yet decided
    (stats,) = response_stats(Inquiry.objects.all())
    assert stats.team_id == outpost_a.pk
    assert (stats.received, stats.open, stats.overdue, stats.answered) == (4, 2, 1, 2)
    assert stats.median_hours == 73.0  # (2 + 144) / 2
    assert stats.within_limit_share == pytest.approx(1 / 3, abs=0.001)


def test_the_clock_counts_working_days_only(db):
    friday_noon = timezone.make_aware(timezone.datetime(2026, 3, 6, 12, 0))
    monday_noon = friday_noon + timedelta(days=3)
    assert working_time_between(friday_noon, monday_noon) == timedelta(hours=24)
    assert working_time_between(friday_noon, friday_noon + timedelta(days=21)) == timedelta(days=15)
    assert working_time_between(monday_noon, friday_noon) == timedelta(0)


def test_the_clock_skips_the_spring_festival_and_counts_its_moved_working_days(db):
    friday_noon = timezone.make_aware(timezone.datetime(2026, 2, 13, 12, 0))  # the Spring Festival from 15 Feb
    tuesday_noon = timezone.make_aware(timezone.datetime(2026, 2, 24, 12, 0))  # the first working day after it
    # Friday afternoon, all of Saturday 14 Feb (a moved working day), Tuesday morning: 12 + 24 + 12 hours
    assert working_time_between(friday_noon, tuesday_noon) == timedelta(hours=48)


def test_the_home_panel_and_the_navigation(officer_a, officer_b, late, fresh, client_for):
    panel = inquiry_panel(officer_a)
    assert (panel["value"], panel["url"]) == (2, INBOX + "?awaiting=true")
    assert "1" in str(panel["note"])
    assert inquiry_panel(officer_b)["value"] == 0
    home = client_for(officer_a).get(reverse("core:home")).content.decode()
    assert reverse("portal:inquiry-inbox") in home  # in the navigation and as a home panel


def test_the_clock_reads_in_working_time(site_a):
    from zoneinfo import ZoneInfo

    from django.utils import translation

    shanghai = ZoneInfo("Asia/Shanghai")
    form = InquiryForm(data=TYPED)
    assert form.is_valid()
    friday_5pm = timezone.datetime(2026, 3, 6, 17, 0, tzinfo=shanghai)
    inquiry = submit_inquiry(form.cleaned_data, carrier=site_a, language="en", received=friday_5pm)
    with translation.override("en"):
        saturday_noon = clock(inquiry, timezone.datetime(2026, 3, 7, 12, 0, tzinfo=shanghai))
        assert (saturday_noon.state, saturday_noon.label) == ("running", "17 hours left")  # Monday 0:00–17:00
        tuesday_9am = clock(inquiry, timezone.datetime(2026, 3, 10, 9, 0, tzinfo=shanghai))
        assert (tuesday_9am.state, tuesday_9am.label) == ("overdue", "overdue by 16 hours")
        next_monday = clock(inquiry, timezone.datetime(2026, 3, 16, 17, 0, tzinfo=shanghai))
        assert next_monday.label == "overdue by 5 working days"


def test_my_work_lists_the_unanswered_inquiries_of_my_team_soonest_due_first_and_not_to_another_team(
    client_for, officer_a, officer_b, late, fresh
):
    from zhaoshang.portal.services.inquiries import inquiry_work_panel

    panel = inquiry_work_panel(officer_a)

    assert [item["label"] for item in panel["items"]] == [str(late), str(fresh)]
    assert panel["count"] == 2
    assert [item["late"] for item in panel["items"]] == [True, False]
    assert inquiry_work_panel(officer_b)["items"] == []
    page = client_for(officer_a).get(reverse("my-work")).content.decode()
    assert "迟复公司" in page and "新到公司" in page
    assert "迟复公司" not in client_for(officer_b).get(reverse("my-work")).content.decode()


def test_the_teams_figures_count_inquiries_received_and_an_inquiry_names_its_language(client_for, officer_a, late):
    inbox = client_for(officer_a, language="en").get(INBOX).content.decode()
    head = re.search(r'data-testid="response-stats">\s*<thead>(.*?)</thead>', inbox, re.S).group(1)
    assert "Inquiries received" in head
    detail = client_for(officer_a, language="en").get(late.get_absolute_url()).content.decode()
    assert re.search(r"Language of the inquiry</dt><dd[^>]*>English</dd>", detail)
