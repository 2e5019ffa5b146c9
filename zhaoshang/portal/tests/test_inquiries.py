"""Investor inquiries: who owns them, the response clock, validation, the honeypot and the rate limit."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from zhaoshang.accounts.tests.factories import TeamFactory, member
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, stale_date
from zhaoshang.portal.choices import InquiryStatus
from zhaoshang.portal.forms.inquiries import InquiryForm
from zhaoshang.portal.models import Inquiry, Proposal
from zhaoshang.portal.services.inquiries import (
    flag_overdue,
    overdue_inquiries,
    record_first_response,
    submit_inquiry,
)
from zhaoshang.portal.tasks import flag_overdue_inquiries
from zhaoshang.portal.tests.factories import TYPED_INQUIRY

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY_5PM = datetime(2026, 3, 6, 17, 0, tzinfo=SHANGHAI)  # a Friday
MONDAY_5PM = datetime(2026, 3, 9, 17, 0, tzinfo=SHANGHAI)

API = "/api/portal/inquiries/"

TYPED = TYPED_INQUIRY


def cleaned(**changes):
    form = InquiryForm(data={**TYPED, **changes})
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.fixture
def two_per_hour(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "inquiry": "2/hour"},
    }


@pytest.fixture
def site(city, outpost_a):
    return CarrierFactory(team=outpost_a)


# ---------------------------------------------------------------- who owns an inquiry


def test_an_inquiry_about_a_site_belongs_to_the_sites_team_and_district(site, outpost_a, centre):
    inquiry = submit_inquiry(cleaned(), carrier=site, language="zh-hans")
    assert inquiry.team == outpost_a
    assert inquiry.region == site.region
    assert inquiry.status == InquiryStatus.NEW


def test_an_inquiry_about_a_park_belongs_to_the_parks_team(city, outpost_b, centre):
    park = ParkFactory(team=outpost_b)
    inquiry = submit_inquiry(cleaned(), park=park, language="en")
    assert inquiry.team == outpost_b
    assert inquiry.region == park.region
    assert inquiry.language == "en"


def test_an_inquiry_about_nothing_in_particular_goes_to_the_centre(db, outpost_a, centre):
    inquiry = submit_inquiry(cleaned(), language="zh-hans")
    assert inquiry.team == centre
    assert inquiry.region is None


def test_without_a_centre_the_first_active_team_takes_general_inquiries(db):
    retired = TeamFactory(active=False)
    first = TeamFactory()
    TeamFactory()
    inquiry = submit_inquiry(cleaned(), language="zh-hans")
    assert inquiry.team == first != retired


def test_a_site_of_a_disbanded_team_routes_to_its_park_team(city, outpost_b, centre):
    park = ParkFactory(team=outpost_b)
    carrier = CarrierFactory(team=TeamFactory(active=False), park=park)
    assert submit_inquiry(cleaned(), carrier=carrier, language="zh-hans").team == outpost_b


def test_a_proposal_inquiry_goes_to_the_team_of_its_best_ranked_site_still_on_record(
    city, outpost_a, outpost_b, centre
):
    best = CarrierFactory(team=outpost_b)
    second = CarrierFactory(team=outpost_a)
    proposal = Proposal.objects.create(
        needs={},
        results=[
            {"carrier": 999999, "score": 99},  # removed since the proposal was saved
            "not a row",
            {"carrier": None},
            {"carrier": str(best.pk), "score": 90},
            {"carrier": second.pk, "score": 80},
        ],
    )
    inquiry = submit_inquiry(cleaned(), proposal=proposal, language="zh-hans")
    assert inquiry.team == outpost_b
    assert inquiry.region == best.region
    assert inquiry.proposal == proposal


def test_a_proposal_whose_sites_are_all_gone_goes_to_the_centre(db, centre):
    proposal = Proposal.objects.create(needs={}, results={"unexpected": "shape"})
    assert submit_inquiry(cleaned(), proposal=proposal, language="zh-hans").team == centre


# ---------------------------------------------------------------- the response clock


def test_friday_5pm_plus_one_working_day_is_monday_5pm(db, settings):
    settings.ZHAOSHANG_INQUIRY_RESPONSE_DAYS = 1
    assert Inquiry.response_due(FRIDAY_5PM) == MONDAY_5PM
    # the same moment written in UTC is still a Friday evening in the city
    assert Inquiry.response_due(FRIDAY_5PM.astimezone(ZoneInfo("UTC"))) == MONDAY_5PM


def test_an_inquiry_received_on_the_last_working_day_before_the_spring_festival_is_due_the_first_after_it(
    site, settings
):
    """2026: 15–23 February off; Saturday 14 February is a moved working day (the last before the holiday)."""
    settings.ZHAOSHANG_INQUIRY_RESPONSE_DAYS = 1
    saturday = datetime(2026, 2, 14, 10, 30, tzinfo=SHANGHAI)
    inquiry = submit_inquiry(cleaned(), carrier=site, language="zh-hans", received=saturday)
    assert inquiry.due == datetime(2026, 2, 24, 10, 30, tzinfo=SHANGHAI)  # Tuesday, not Monday 16 February
    # the Friday before is due on that moved working Saturday, not on the Monday of the holiday
    assert Inquiry.response_due(datetime(2026, 2, 13, 17, 0, tzinfo=SHANGHAI)) == datetime(
        2026, 2, 14, 17, 0, tzinfo=SHANGHAI
    )


def test_an_inquiry_received_on_friday_evening_is_due_on_monday_evening(site, settings):
    settings.ZHAOSHANG_INQUIRY_RESPONSE_DAYS = 1
    inquiry = submit_inquiry(cleaned(), carrier=site, language="zh-hans", received=FRIDAY_5PM)
    inquiry.refresh_from_db()
    assert inquiry.due == MONDAY_5PM


def test_the_response_limit_is_configurable(site, settings):
    settings.ZHAOSHANG_INQUIRY_RESPONSE_DAYS = 3
    inquiry = submit_inquiry(cleaned(), carrier=site, language="zh-hans", received=FRIDAY_5PM)
    assert inquiry.due == datetime(2026, 3, 11, 17, 0, tzinfo=SHANGHAI)  # Wednesday


def test_the_first_response_is_recorded_once_and_later_notes_do_not_move_the_clock(site, officer_a, outpost_a):
    inquiry = submit_inquiry(cleaned(), carrier=site, language="zh-hans", received=FRIDAY_5PM)
    colleague = member(outpost_a)
    answered_at = datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI)
    assert record_first_response(inquiry, officer_a, "已电话联系，约下周到现场考察。", now=answered_at) is True
    assert (
        record_first_response(inquiry, colleague, "已发送园区资料。", now=datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI))
        is False
    )
    inquiry.refresh_from_db()
    assert inquiry.first_response_at == answered_at
    assert inquiry.responded_by == officer_a
    assert inquiry.status == InquiryStatus.ANSWERED
    assert "已电话联系" in inquiry.response_note and "已发送园区资料" in inquiry.response_note
    assert not inquiry.is_overdue


def test_overdue_means_still_unanswered_after_the_due_time(site, city, outpost_b, settings):
    settings.ZHAOSHANG_INQUIRY_RESPONSE_DAYS = 1
    waiting = submit_inquiry(cleaned(), carrier=site, language="zh-hans", received=FRIDAY_5PM)
    answered = submit_inquiry(cleaned(), carrier=site, language="zh-hans", received=FRIDAY_5PM)
    Inquiry.objects.filter(pk=answered.pk).update(first_response_at=MONDAY_5PM, status=InquiryStatus.ANSWERED)
    other_team = submit_inquiry(
        cleaned(), carrier=CarrierFactory(team=outpost_b), language="zh-hans", received=FRIDAY_5PM
    )

    monday_noon = datetime(2026, 3, 9, 12, 0, tzinfo=SHANGHAI)
    tuesday_9am = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
    assert not overdue_inquiries(monday_noon).exists()
    assert set(overdue_inquiries(tuesday_9am)) == {waiting, other_team}
    assert flag_overdue(tuesday_9am) == {site.team.name: 1, outpost_b.name: 1}


def test_the_overdue_command_prints_the_count_per_team(site, outpost_a):
    submit_inquiry(cleaned(), carrier=site, language="zh-hans", received=FRIDAY_5PM)
    out = StringIO()
    call_command("flag_overdue_inquiries", "--at", "2026-03-10T09:00+08:00", stdout=out)
    assert f"{outpost_a.name}: 1" in out.getvalue()
    assert "1 overdue" in out.getvalue()
    out = StringIO()
    call_command("flag_overdue_inquiries", "--at", "2026-03-09T09:00+08:00", stdout=out)
    assert out.getvalue().strip() == "0 overdue"


def test_the_periodic_task_runs_the_same_scan(site, outpost_a):
    submit_inquiry(cleaned(), carrier=site, language="zh-hans", received=FRIDAY_5PM)
    assert flag_overdue_inquiries.delay().get() == {outpost_a.name: 1}


# ---------------------------------------------------------------- the form page


def test_an_investor_sends_an_inquiry_from_a_site_and_is_thanked(site, investor, outpost_a):
    page = investor.get(reverse("portal:inquire") + f"?carrier={site.pk}")
    assert page.status_code == 200
    assert site.reference in page.content.decode()
    response = investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:inquiry-thanks")
    inquiry = Inquiry.objects.get()
    assert (inquiry.company, inquiry.carrier, inquiry.team) == (TYPED["company"], site, outpost_a)
    assert investor.get(response["Location"]).status_code == 200


def test_an_invalid_inquiry_keeps_what_was_typed_and_saves_nothing(site, investor):
    typed = {**TYPED, "phone": "", "email": "", "message": "太短了", "carrier": site.pk}
    response = investor.post(reverse("portal:inquire"), typed)
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    form = response.context["inquiry_form"]
    assert set(form.errors) == {"phone", "email", "message"}
    assert "电话" in form.errors["phone"][0] and "电子邮箱" in form.errors["phone"][0]  # names both fields
    html = response.content.decode()
    for value in (TYPED["company"], TYPED["contact_name"], TYPED["country"], "太短了", TYPED["investment_wan"]):
        assert value in html
    assert f'name="carrier" value="{site.pk}"' in html


@pytest.mark.parametrize("phone", ["12345", "138 0013 8000 ext 5", "+86-(138)-0013", "-- -- -- --"])
def test_a_phone_number_must_look_like_one(phone):
    form = InquiryForm(data={**TYPED, "phone": phone})
    assert not form.is_valid()
    assert list(form.errors) == ["phone"]


def test_either_a_phone_or_an_email_is_enough():
    assert InquiryForm(data={**TYPED, "email": ""}).is_valid()
    assert InquiryForm(data={**TYPED, "phone": ""}).is_valid()


def test_a_message_may_not_exceed_4000_characters():
    form = InquiryForm(data={**TYPED, "message": "需" * 4001})
    assert list(form.errors) == ["message"]


def test_an_inquiry_cannot_be_attached_to_a_hidden_site(city, investor, outpost_a):
    unpublished = CarrierFactory(team=outpost_a, published=False)
    stale = CarrierFactory(team=outpost_a, last_verified=stale_date())
    for carrier in (unpublished, stale):
        assert investor.get(reverse("portal:inquire") + f"?carrier={carrier.pk}").status_code == 404
        assert investor.post(reverse("portal:inquire"), {**TYPED, "carrier": carrier.pk}).status_code == 404
    assert investor.post(reverse("portal:inquire"), {**TYPED, "proposal": "no-such-key"}).status_code == 404
    assert not Inquiry.objects.exists()


def test_the_honeypot_answers_like_a_success_and_saves_nothing(site, investor):
    response = investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk, "website": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:inquiry-thanks")
    assert not Inquiry.objects.exists()


def test_the_honeypot_is_hidden_from_people(site, investor):
    html = investor.get(reverse("portal:inquire")).content.decode()
    field = html[html.index('name="website"') - 200 : html.index('name="website"') + 100]
    assert 'autocomplete="off"' in field and 'tabindex="-1"' in field
    assert 'aria-hidden="true"' in html[html.index('name="website"') - 400 : html.index('name="website"')]


def test_with_htmx_the_form_is_swapped_in_place(site, investor):
    htmx = {"HTTP_HX_REQUEST": "true"}
    fragment = investor.get(reverse("portal:inquire") + f"?carrier={site.pk}", **htmx)
    assert "<html" not in fragment.content.decode()
    assert 'data-testid="inquiry-form"' in fragment.content.decode()
    invalid = investor.post(reverse("portal:inquire"), {**TYPED, "email": "", "phone": "", "carrier": site.pk}, **htmx)
    assert invalid.status_code == 200 and "<html" not in invalid.content.decode()
    assert TYPED["company"] in invalid.content.decode()
    sent = investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk}, **htmx)
    assert sent.status_code == 200
    assert 'data-testid="inquiry-sent"' in sent.content.decode()
    assert Inquiry.objects.count() == 1


def test_the_embedded_form_loads_itself_for_the_listing_it_is_on(site):
    html = render_to_string("portal/_inquiry_form.html", {"carrier": site})
    assert f"{reverse('portal:inquire')}?carrier={site.pk}" in html
    park_html = render_to_string("portal/_inquiry_form.html", {"park": site})
    assert f"?park={site.pk}" in park_html


# ---------------------------------------------------------------- rate limits: one mechanism for page and API


def test_the_page_answers_429_after_the_configured_number_and_keeps_what_was_typed(site, investor, two_per_hour):
    url = reverse("portal:inquire")
    assert investor.post(url, {**TYPED, "carrier": site.pk}).status_code == 302
    assert investor.post(url, {**TYPED, "email": "", "phone": "", "carrier": site.pk}).status_code == 200  # counts too
    blocked = investor.post(url, {**TYPED, "company": "第三次提交公司", "carrier": site.pk})
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    html = blocked.content.decode()
    assert 'data-testid="rate-limited"' in html
    assert "第三次提交公司" in html and TYPED["message"] in html
    assert Inquiry.objects.count() == 1


def test_the_api_answers_429_after_the_configured_number(site, two_per_hour):
    from rest_framework.test import APIClient

    client = APIClient()
    url = reverse("api:inquiry-list")
    payload = {**TYPED, "carrier": site.pk}
    assert client.post(url, payload, format="json").status_code == 201
    assert client.post(url, payload, format="json").status_code == 201
    assert client.post(url, payload, format="json").status_code == 429
    assert Inquiry.objects.count() == 2


def test_the_page_and_the_api_share_one_budget_per_address(site, investor, two_per_hour):
    from rest_framework.test import APIClient

    investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk})
    investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk})
    assert APIClient().post(API, TYPED, format="json").status_code == 429
    other_address = APIClient(REMOTE_ADDR="10.9.8.7")
    assert other_address.post(API, TYPED, format="json").status_code == 201


# ---------------------------------------------------------------- the API for the mini-program


def test_the_api_takes_an_inquiry_with_the_same_rules_as_the_page(site, outpost_a):
    from rest_framework.test import APIClient

    client = APIClient()
    bad = client.post(API, {**TYPED, "phone": "", "email": "", "message": "短"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()) == {"phone", "email", "message"}
    assert not Inquiry.objects.exists()
    good = client.post(API, {**TYPED, "investment_wan": 20000, "carrier": site.pk}, format="json")
    assert good.status_code == 201
    assert good.json()["received"] is True
    assert Inquiry.objects.get().team == outpost_a


def test_the_api_refuses_hidden_sites_and_answers_robots_like_people(city, outpost_a, centre):
    from rest_framework.test import APIClient

    client = APIClient()
    hidden = CarrierFactory(team=outpost_a, published=False)
    refused = client.post(API, {**TYPED, "carrier": hidden.pk}, format="json")
    assert refused.status_code == 400 and list(refused.json()) == ["carrier"]
    robot = client.post(API, {**TYPED, "website": "buy-now.example"}, format="json")
    assert robot.status_code == 201 and robot.json()["received"] is True
    assert not Inquiry.objects.exists()
