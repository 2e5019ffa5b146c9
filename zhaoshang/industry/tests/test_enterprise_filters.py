"""The enterprise FilterSet, shared by the list page and the API."""

from zhaoshang.industry.models import EnterpriseTag
from zhaoshang.industry.tests.factories import EnterpriseFactory

LIST_URL = "/industry/enterprises/"


def names_on_page(response):
    return {obj.name for obj in response.context["object_list"]}


def test_the_list_filters_by_one_or_several_tags(officer_a, outpost_a, client_for):
    listed = EnterpriseFactory(name="上市样本有限公司", owner_team=outpost_a)
    listed.tags.set([EnterpriseTag.objects.get(slug="listed")])
    foreign = EnterpriseFactory(name="外资样本有限公司", owner_team=outpost_a)
    foreign.tags.set([EnterpriseTag.objects.get(slug="foreign"), EnterpriseTag.objects.get(slug="listed")])
    EnterpriseFactory(name="无标签样本有限公司", owner_team=outpost_a)
    client = client_for(officer_a)

    assert names_on_page(client.get(LIST_URL, {"tag": "foreign"})) == {"外资样本有限公司"}
    both = client.get(LIST_URL, {"tag": ["listed", "foreign"]})
    assert names_on_page(both) == {"上市样本有限公司", "外资样本有限公司"}
    assert both.context["paginator"].count == 2  # an enterprise with both tags is listed once


def test_the_api_filters_by_tag_and_refuses_an_unknown_one(officer_a, outpost_a, api_for):
    listed = EnterpriseFactory(name="上市接口样本有限公司", owner_team=outpost_a)
    listed.tags.set([EnterpriseTag.objects.get(slug="listed")])
    EnterpriseFactory(name="普通接口样本有限公司", owner_team=outpost_a)
    api = api_for(officer_a)

    response = api.get("/api/enterprises/", {"tag": "listed"})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["上市接口样本有限公司"]
    assert api.get("/api/enterprises/", {"tag": "no-such-tag"}).status_code == 400


def test_tag_choices_are_drawn_as_pills_on_the_list_page(officer_a, client_for):
    html = client_for(officer_a).get(LIST_URL).content.decode()
    assert 'class="form-selectgroup-input"' in html
    assert "form-selectgroup-label" in html
