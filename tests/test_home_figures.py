"""Every figure on a user's home page is of the records that user reads, and equals the count of the list it
links to (for an outpost officer and for the centre)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhaoshang.geo.tests.factories import CarrierFactory, district, stale_date
from zhaoshang.industry.tests.factories import ChainFactory, EnterpriseFactory
from zhaoshang.portal.forms.inquiries import InquiryForm
from zhaoshang.portal.services.inquiries import submit_inquiry
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def listed(client, url) -> int:
    """How many records the page at ``url`` lists (all its pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if context.get("paginator") is not None:
        return context["paginator"].count
    if context.get("page_obj") is not None:
        return context["page_obj"].paginator.count
    if context.get("records") is not None:
        return (
            context["records"].paginator.count if hasattr(context["records"], "paginator") else len(context["records"])
        )
    return len(context["object_list"])


@pytest.fixture
def pipeline(city, outpost_a, outpost_b, officer_a):
    today = timezone.localdate()
    ago = lambda days: today - timedelta(days=days)  # noqa: E731
    for team in (outpost_a, outpost_b):
        ProjectFactory(owner_team=team, owner=officer_a if team == outpost_a else None, lead_on=ago(5))
        ProjectFactory(owner_team=team, stage=Stage.SIGNED, lead_on=ago(300), signed_on=ago(111))  # stalled
        ProjectFactory(owner_team=team, stage=Stage.SIGNED, lead_on=ago(10), signed_on=today, planned_investment=50_000)
        ProjectFactory(owner_team=team, stage=Stage.PAUSED, resume_stage=Stage.LEAD, lead_on=ago(50), paused_on=ago(3))
        ProjectFactory(
            owner_team=team,
            stage=Stage.DROPPED,
            resume_stage=Stage.LEAD,
            lead_on=ago(50),
            dropped_on=ago(3),
            drop_reason="撤资",
        )
        ProjectFactory(
            owner_team=team,
            stage=Stage.FULL_PRODUCTION,
            lead_on=ago(900),
            signed_on=ago(800),
            land_on=ago(700),
            construction_on=ago(600),
            production_on=ago(300),
            full_production_on=ago(30),
        )
        EnterpriseFactory()
        site = CarrierFactory(team=team, region=district("440703"), last_verified=stale_date())
        form = InquiryForm(
            data={
                "company": "海岸精密",
                "contact_name": "Li",
                "email": "li@coast.example.com",
                "message": "A factory of 5,000 m².",
                "consent": True,
            }
        )
        assert form.is_valid(), form.errors
        submit_inquiry(form.cleaned_data, carrier=site, language="en", received=timezone.now())
    ChainFactory(active=True)
    ChainFactory(active=False)


@pytest.mark.parametrize("who", ["officer_a", "centre_officer"])
def test_each_home_figure_equals_the_count_of_the_list_it_links_to(pipeline, client_for, request, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    panels = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").context["panels"]
    assert len(panels) >= 6
    # a warning (the calendar to load) is not a figure: it links to the page where it is dealt with
    figures = {panel["title"]: (panel["value"], panel["url"]) for panel in panels if not panel.get("warning")}
    listed_counts = {title: (listed(client, url), url) for title, (_value, url) in figures.items()}
    assert figures == listed_counts


def test_an_outposts_home_counts_its_own_records_and_the_centre_the_citys(
    pipeline, client_for, officer_a, centre_officer
):
    def figures(user):
        panels = client_for(user).get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").context["panels"]
        return {panel["title"]: panel["value"] for panel in panels}

    team, city = figures(officer_a), figures(centre_officer)
    assert team["Projects in progress"] == 3 and city["Projects in progress"] == 6
    assert team["Stalled projects"] == 1 and city["Stalled projects"] == 2
