"""An investor's inquiry waits in its team's inbox; it enters the project pipeline only when a member of that team
accepts it, and a team dismisses a robot's or an irrelevant one with a reason (kept, audited, never a lead).

The lead an accepted inquiry opens is owned by the team the inquiry went to, dated the day the inquiry arrived,
comes from an online inquiry, aims at the inquiry's site, park and district, carries the planned amount and the
contact person, and is named in the city's language; an enterprise of that name already on record is the
investor; nothing is opened for an invalid inquiry or a robot; the inquiry page links the inquiry to its lead.
Another team cannot accept or dismiss (404), a leader who reads it cannot (403), anonymous callers log in first.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhaoshang.core.models import ChangeRecord
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory
from zhaoshang.industry.models import Enterprise
from zhaoshang.portal.choices import InquiryStatus
from zhaoshang.portal.forms.inquiries import InquiryForm
from zhaoshang.portal.models import Inquiry
from zhaoshang.portal.services.inquiries import (
    accept_inquiry,
    clock,
    dismiss_inquiry,
    inquiry_work_panel,
    open_q,
    response_stats,
    submit_inquiry,
)
from zhaoshang.portal.tests.factories import TYPED_INQUIRY
from zhaoshang.projects.choices import LeadSource, Stage
from zhaoshang.projects.models import Project, StageTransition
from zhaoshang.projects.services import duplicate_claims

RECEIVED = datetime(2026, 3, 6, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

TYPED = TYPED_INQUIRY


def cleaned(**changes):
    form = InquiryForm(data={**TYPED, **changes})
    assert form.is_valid(), form.errors
    return form.cleaned_data


def received(inquiry_kwargs=None, **kwargs):
    """An inquiry received at RECEIVED (its creation time moved there, as if it had arrived then)."""
    inquiry = submit_inquiry(cleaned(**(inquiry_kwargs or {})), language="zh-hans", received=RECEIVED, **kwargs)
    Inquiry.objects.filter(pk=inquiry.pk).update(created=RECEIVED)
    inquiry.refresh_from_db()
    return inquiry


@pytest.fixture
def park(city, outpost_b):
    return ParkFactory(name="新会新能源电池产业园", team=outpost_b)


@pytest.fixture
def site(park, outpost_a):
    return CarrierFactory(team=outpost_a, park=park, name="银湖湾地块", region=park.region)


# ---------------------------------------------------------------- nothing enters the pipeline by itself


def test_an_inquiry_opens_nothing_in_the_pipeline_until_it_is_accepted(site, investor, officer_a):
    investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk})
    inquiry = Inquiry.objects.get()
    assert inquiry.lead is None and inquiry.is_pending
    assert not Project.objects.exists() and not Enterprise.objects.exists()
    assert Inquiry.objects.filter(open_q()).count() == 1  # its response clock runs meanwhile
    assert clock(inquiry).state == "running"


# ---------------------------------------------------------------- accepting opens the lead


def test_accepting_an_inquiry_about_a_site_opens_a_lead_of_the_sites_team(site, outpost_a, park, officer_a):
    inquiry = received(carrier=site)
    lead = accept_inquiry(inquiry, officer_a)
    inquiry.refresh_from_db()
    assert inquiry.lead == lead and inquiry.accepted_by == officer_a and inquiry.accepted_at is not None
    assert (lead.owner_team, lead.stage, lead.lead_on, lead.source) == (
        outpost_a,
        Stage.LEAD,
        RECEIVED.date(),
        LeadSource.ONLINE,
    )
    assert (lead.carrier, lead.park, lead.district) == (site, park, site.region)
    assert lead.planned_investment == Decimal("20000")
    assert lead.description == TYPED["message"]
    assert lead.enterprise.name == TYPED["company"] and lead.enterprise.owner_team == outpost_a
    contact = lead.contacts.get()
    assert (contact.name, contact.phone, contact.email) == ("王经理", TYPED["phone"], TYPED["email"])
    history = StageTransition.objects.filter(project=lead)
    assert [(t.to_stage, t.happened_on) for t in history] == [(Stage.LEAD, RECEIVED.date())]
    assert lead.name == "星河新能源科技有限公司关于银湖湾地块的投资咨询"


def test_an_accepted_english_inquiry_opens_a_lead_named_in_the_citys_language(park, outpost_b, officer_b):
    inquiry = received({"company": "Tate Ingredients Ltd"}, park=park)
    lead = accept_inquiry(inquiry, officer_b)
    assert lead.name == "Tate Ingredients Ltd关于新会新能源电池产业园的投资咨询"
    assert lead.owner_team == outpost_b


def test_an_accepted_general_inquiry_opens_a_lead_of_the_centre(db, centre, centre_officer):
    lead = accept_inquiry(received(), centre_officer)
    assert lead.owner_team == centre and lead.name == "星河新能源科技有限公司投资咨询"
    assert lead.district is None and lead.carrier is None


def test_an_enterprise_already_on_record_is_the_investor_and_two_teams_meet_as_a_duplicate_claim(
    site, park, officer_a, officer_b
):
    known = Enterprise.objects.create(name=TYPED["company"], uscc="91440703MA4UJ5XK7E")
    first = accept_inquiry(received(carrier=site), officer_a)
    second = accept_inquiry(received(park=park), officer_b)
    assert first.enterprise == known and second.enterprise == known
    groups = duplicate_claims()
    assert len(groups) == 1
    assert {claim.project_id for claim in groups[0].claims} == {first.pk, second.pk}


def test_an_invalid_inquiry_or_a_robot_opens_no_lead(site, investor):
    investor.post(reverse("portal:inquire"), {**TYPED, "phone": "", "email": "", "carrier": site.pk})
    investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk, "website": "http://spam.example"})
    assert not Inquiry.objects.exists()
    assert not Project.objects.exists()


def test_an_officer_accepts_on_the_inquiry_page_which_then_links_the_lead_found_in_the_pipeline(
    site, investor, officer_a, client_for
):
    investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk})
    inquiry = Inquiry.objects.get()
    client = client_for(officer_a)
    assert 'data-testid="accept-form"' in client.get(inquiry.get_absolute_url()).content.decode()
    response = client.post(reverse("portal:inquiry-accept", args=[inquiry.pk]))
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.lead is not None
    page = client.get(inquiry.get_absolute_url()).content.decode()
    assert inquiry.lead.get_absolute_url() in page and 'data-testid="accept-form"' not in page
    listing = client.get(reverse("projects:project-list") + "?stage=lead").content.decode()
    assert inquiry.lead.name in listing


def test_an_inquiry_is_accepted_once(site, officer_a):
    inquiry = received(carrier=site)
    accept_inquiry(inquiry, officer_a)
    with pytest.raises(ValidationError):
        accept_inquiry(Inquiry.objects.get(pk=inquiry.pk), officer_a)
    assert Project.objects.count() == 1


# ---------------------------------------------------------------- dismissing keeps it, opens nothing


def test_a_team_dismisses_a_robots_inquiry_with_a_reason_which_is_kept_and_audited(
    site, investor, officer_a, client_for
):
    investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk})
    inquiry = Inquiry.objects.get()
    client = client_for(officer_a)
    url = reverse("portal:inquiry-dismiss", args=[inquiry.pk])
    assert client.post(url, {"grounds": "spam", "reason": ""}).status_code == 400  # a reason is required
    response = client.post(url, {"grounds": "spam", "reason": "Random text, a made-up company"})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.dismissed_by, inquiry.dismissal_reason) == (
        InquiryStatus.SPAM,
        officer_a,
        "Random text, a made-up company",
    )
    assert inquiry.lead is None and not Project.objects.exists()
    record = ChangeRecord.objects.filter(object_id=str(inquiry.pk), content_type__model="inquiry").first()
    assert record.user == officer_a and "dismissal_reason" in record.changed_fields
    assert client.post(reverse("portal:inquiry-accept", args=[inquiry.pk])).status_code == 302
    assert not Project.objects.exists()  # a dismissed inquiry cannot be accepted any more


def test_a_dismissed_inquiry_leaves_the_open_ones_the_clock_the_figures_and_my_work(site, officer_a, client_for):
    kept = received({"company": "真实投资有限公司"}, carrier=site)
    junk = received({"company": "Robot Ltd"}, carrier=site)
    dismiss_inquiry(junk, officer_a, "irrelevant", "Sells advertising, no investment")
    assert list(Inquiry.objects.filter(open_q())) == [kept]
    assert clock(junk).state == "closed"
    assert [row.received for row in response_stats(Inquiry.objects.all())] == [1]
    assert [item["label"] for item in inquiry_work_panel(officer_a)["items"]] == [str(kept)]
    inbox = client_for(officer_a).get(reverse("portal:inquiry-inbox"))
    assert [i.pk for i in inbox.context["inquiries"]] == [kept.pk]
    dismissed = client_for(officer_a).get(reverse("portal:inquiry-inbox") + "?decision=dismissed")
    assert [i.pk for i in dismissed.context["inquiries"]] == [junk.pk]


def test_the_inbox_lists_the_inquiries_waiting_for_a_decision(site, officer_a, client_for):
    waiting = received({"company": "待定公司"}, carrier=site)
    accept_inquiry(received({"company": "已受理公司"}, carrier=site), officer_a)
    response = client_for(officer_a).get(reverse("portal:inquiry-inbox") + "?decision=pending")
    assert [i.pk for i in response.context["inquiries"]] == [waiting.pk]
    assert response.context["pending_count"] == 1


# ---------------------------------------------------------------- who may decide


def test_another_team_cannot_accept_or_dismiss_it(site, officer_b, client_for):
    inquiry = received(carrier=site)
    client = client_for(officer_b)
    assert client.post(reverse("portal:inquiry-accept", args=[inquiry.pk])).status_code == 404
    dismiss = reverse("portal:inquiry-dismiss", args=[inquiry.pk])
    assert client.post(dismiss, {"grounds": "spam", "reason": "not ours"}).status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.is_pending and not Project.objects.exists()


def test_a_leader_reads_it_but_cannot_accept_or_dismiss_it(site, leader, client_for):
    inquiry = received(carrier=site)
    client = client_for(leader)
    page = client.get(inquiry.get_absolute_url()).content.decode()
    assert 'data-testid="accept-form"' not in page
    assert client.post(reverse("portal:inquiry-accept", args=[inquiry.pk])).status_code == 403
    dismiss = reverse("portal:inquiry-dismiss", args=[inquiry.pk])
    assert client.post(dismiss, {"grounds": "spam", "reason": "x"}).status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.is_pending and not Project.objects.exists()


def test_anonymous_callers_are_sent_to_log_in(site, investor):
    inquiry = received(carrier=site)
    for name in ("portal:inquiry-accept", "portal:inquiry-dismiss"):
        response = investor.post(reverse(name, args=[inquiry.pk]), {"grounds": "spam", "reason": "x"})
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    inquiry.refresh_from_db()
    assert inquiry.is_pending and not Project.objects.exists()
