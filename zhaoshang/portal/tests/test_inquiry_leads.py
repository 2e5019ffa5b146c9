"""An investor's inquiry enters the project pipeline as a lead, owned by the team the inquiry went to.

The lead is dated the day the inquiry arrived, comes from an online inquiry, aims at the inquiry's site, park
and district, carries the planned amount and the contact person, and is named in the city's language; an
enterprise of that name already on record is the investor; nothing is opened for an invalid inquiry or a
robot; the inbox links the inquiry to its lead.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory
from zhaoshang.industry.models import Enterprise
from zhaoshang.portal.forms.inquiries import InquiryForm
from zhaoshang.portal.models import Inquiry
from zhaoshang.portal.services.inquiries import submit_inquiry
from zhaoshang.projects.choices import LeadSource, Stage
from zhaoshang.projects.models import Project, StageTransition
from zhaoshang.projects.services import duplicate_claims

RECEIVED = datetime(2026, 3, 6, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

TYPED = {
    "company": "星河新能源科技有限公司",
    "contact_name": "王经理",
    "phone": "+86 138-0013-8000",
    "email": "wang@xinghe.example.cn",
    "country": "中国",
    "message": "计划投资动力电池项目，需要工业用地约50亩，明年一季度开工。",
    "investment_wan": "20000",
}


def cleaned(**changes):
    form = InquiryForm(data={**TYPED, **changes})
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def park(city, outpost_b):
    return ParkFactory(name="新会新能源电池产业园", team=outpost_b)


@pytest.fixture
def site(park, outpost_a):
    return CarrierFactory(team=outpost_a, park=park, name="银湖湾地块", region=park.region)


def test_an_inquiry_about_a_site_opens_a_lead_of_the_sites_team(site, outpost_a, park):
    inquiry = submit_inquiry(cleaned(), carrier=site, language="zh-hans", received=RECEIVED)
    lead = inquiry.lead
    assert lead is not None
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


def test_an_english_inquiry_opens_a_lead_named_in_the_citys_language(park, outpost_b):
    inquiry = submit_inquiry(cleaned(company="Tate Ingredients Ltd"), park=park, language="en", received=RECEIVED)
    assert inquiry.lead.name == "Tate Ingredients Ltd关于新会新能源电池产业园的投资咨询"
    assert inquiry.lead.owner_team == outpost_b


def test_a_general_inquiry_opens_a_lead_of_the_centre(db, centre):
    inquiry = submit_inquiry(cleaned(), language="zh-hans", received=RECEIVED)
    assert inquiry.lead.owner_team == centre and inquiry.lead.name == "星河新能源科技有限公司投资咨询"
    assert inquiry.lead.district is None and inquiry.lead.carrier is None


def test_an_enterprise_already_on_record_is_the_investor_and_two_teams_meet_as_a_duplicate_claim(
    site, park, outpost_a, outpost_b
):
    known = Enterprise.objects.create(name=TYPED["company"], uscc="91440703MA4UJ5XK7E")
    first = submit_inquiry(cleaned(), carrier=site, language="zh-hans", received=RECEIVED)
    second = submit_inquiry(cleaned(), park=park, language="zh-hans", received=RECEIVED)
    assert first.lead.enterprise == known and second.lead.enterprise == known
    groups = duplicate_claims()
    assert len(groups) == 1
    assert {claim.project_id for claim in groups[0].claims} == {first.lead_id, second.lead_id}


def test_an_invalid_inquiry_or_a_robot_opens_no_lead(site, investor):
    investor.post(reverse("portal:inquire"), {**TYPED, "phone": "", "email": "", "carrier": site.pk})
    investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk, "website": "http://spam.example"})
    assert not Inquiry.objects.exists()
    assert not Project.objects.exists()


def test_the_inquiry_page_links_to_its_lead_and_the_officer_finds_it_in_the_pipeline(
    site, investor, officer_a, client_for
):
    investor.post(reverse("portal:inquire"), {**TYPED, "carrier": site.pk})
    inquiry = Inquiry.objects.get()
    client = client_for(officer_a)
    page = client.get(inquiry.get_absolute_url()).content.decode()
    assert inquiry.lead.get_absolute_url() in page
    listing = client.get(reverse("projects:project-list") + "?stage=lead").content.decode()
    assert inquiry.lead.name in listing
