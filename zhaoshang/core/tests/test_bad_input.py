"""Nothing a user sends gives a server error: each malformed request a probe found answers 400, 404 or 409 with a
message, and the API's answers are what its schema says."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.exceptions import ValidationError

from zhaoshang.accounts.models import Team
from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.core.api.fields import PrimaryKeyRelatedField
from zhaoshang.core.ids import MAX_ID, parse_id
from zhaoshang.geo.tests.factories import CarrierFactory
from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.projects.tests.factories import ActivityFactory, ProjectFactory

# --- ids -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["7", 7, "0", str(MAX_ID)])
def test_a_whole_number_of_ascii_digits_names_an_id(value):
    assert parse_id(value) == int(value)


@pytest.mark.parametrize(
    "value",
    ["²", "١٢", "1.5", 1.5, " 7", "7 ", "1_000", "-1", -1, "", "abc", True, False, None, str(MAX_ID + 1), 10**30],
)
def test_anything_else_names_no_id(value):
    assert parse_id(value) is None


# --- pages ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def prospect(officer_a):
    return EnterpriseFactory(owner_team=officer_a.memberships.get().team)


@pytest.mark.parametrize("object_id", ["abc", "1.5", "99999999999999999999999"])
def test_history_of_a_malformed_object_id_is_not_found(officer_a, prospect, client_for, object_id):
    content_type = ContentType.objects.get_for_model(type(prospect))

    response = client_for(officer_a).get(f"/history/{content_type.pk}/{object_id}/")

    assert response.status_code == 404


def test_inquiry_form_for_a_site_named_by_a_superscript_digit_is_not_found(investor, city):
    CarrierFactory()

    assert investor.get("/inquire/?carrier=%C2%B2").status_code == 404


def test_records_behind_a_figure_with_an_enormous_key_are_not_found(leader, client_for):
    response = client_for(leader).get(
        reverse("stats:records"),
        {"metric": "signed", "period": "2026", "group": "chain", "key": "99999999999999999999999"},
    )

    assert response.status_code == 404


def test_deleting_an_enterprise_page_that_projects_refer_to_is_refused_with_a_message(officer_a, prospect, client_for):
    ProjectFactory(enterprise=prospect, owner_team=prospect.owner_team)
    client = client_for(officer_a)

    response = client.post(
        reverse("industry:enterprise-delete", args=[prospect.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert type(prospect).objects.filter(pk=prospect.pk).exists()
    assert "cannot be deleted: projects (1) still refer to it" in response.content.decode()


# --- API -----------------------------------------------------------------------------------------------------------


def test_deleting_an_enterprise_that_projects_refer_to_is_a_conflict_naming_them(officer_a, prospect, api_for):
    ProjectFactory(enterprise=prospect, owner_team=prospect.owner_team)

    response = api_for(officer_a).delete(f"/api/enterprises/{prospect.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"{prospect} cannot be deleted: projects (1) still refer to it. Remove or change those first."
    )
    assert type(prospect).objects.filter(pk=prospect.pk).exists()


def test_deleting_an_enterprise_nothing_refers_to_still_works(officer_a, prospect, api_for):
    assert api_for(officer_a).delete(f"/api/enterprises/{prospect.pk}/").status_code == 204
    assert not type(prospect).objects.filter(pk=prospect.pk).exists()


def post_inquiry(client, body: str):
    return client.post("/api/portal/inquiries/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


INQUIRY = {"name": "张先生", "phone": "13800000000", "message": "想了解这块地"}


def test_a_json_number_beyond_floating_point_is_a_bad_request(investor, city):
    site = CarrierFactory()
    body = json.dumps({**INQUIRY, "carrier": site.pk}).replace(f'"carrier": {site.pk}', '"carrier": 1e999')

    response = post_inquiry(investor, body)

    assert response.status_code == 400
    assert "numbers must be finite" in response.json()["detail"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_that_are_not_numbers_are_a_bad_request(investor, constant):
    assert post_inquiry(investor, f'{{"carrier": {constant}}}').status_code == 400


def test_json_nested_five_thousand_levels_deep_is_a_bad_request(investor):
    response = post_inquiry(investor, "[" * 5000 + "]" * 5000)

    assert response.status_code == 400
    assert response.json()["detail"] == "The JSON is nested too deeply."


def test_json_nested_deeper_than_the_limit_but_parseable_is_a_bad_request(investor):
    response = post_inquiry(investor, '{"a":' * 40 + "1" + "}" * 40)

    assert response.status_code == 400
    assert response.json()["detail"] == "The JSON is nested too deeply."


def test_a_boolean_is_not_the_id_of_a_site(investor, city):
    CarrierFactory()

    response = post_inquiry(investor, json.dumps({**INQUIRY, "carrier": True}))

    assert response.status_code == 400
    assert "carrier" in response.json()


@pytest.mark.parametrize("value", [True, 1.0])
def test_a_boolean_or_a_float_is_not_the_id_of_a_related_record(db, value):
    team = Team.objects.filter(pk=1).first() or TeamFactory(pk=1)
    field = PrimaryKeyRelatedField(queryset=Team.objects.all())

    assert field.run_validation(1) == team
    with pytest.raises(ValidationError):
        field.run_validation(value)


def test_activities_of_a_confidential_project_answer_like_those_of_an_unknown_project(officer_a, officer_b, api_for):
    hidden = ProjectFactory(owner_team=officer_b.memberships.get().team, confidential=True)
    ActivityFactory(project=hidden)
    client = api_for(officer_a)

    confidential = client.get("/api/projects/activities/", {"project": hidden.pk})
    unknown = client.get("/api/projects/activities/", {"project": hidden.pk + 1000})

    assert confidential.status_code == unknown.status_code == 400
    assert confidential.json().keys() == unknown.json().keys() == {"project"}


def test_activities_of_a_project_the_caller_sees_are_listed(officer_a, api_for):
    activity = ActivityFactory(project=ProjectFactory(owner_team=officer_a.memberships.get().team))

    response = api_for(officer_a).get("/api/projects/activities/", {"project": activity.project_id})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [activity.pk]


def test_an_api_address_no_route_matches_answers_json(investor):
    response = investor.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_page_address_no_route_matches_keeps_the_html_page(investor):
    response = investor.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- the schema says what the answers are ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


def component(schema, name):
    return schema["components"]["schemas"][name]["properties"]


def test_fields_that_can_be_empty_are_nullable_in_the_schema(schema):
    assert component(schema, "Region")["parent"]["nullable"] is True
    assert component(schema, "IndustryCode")["parent"]["nullable"] is True
    assert component(schema, "Carrier")["district"]["nullable"] is True
    assert component(schema, "Carrier")["land_cost_wan"]["nullable"] is True
    assert component(schema, "Policy")["full_text"]["nullable"] is True


def test_a_project_not_paused_has_an_empty_resume_stage_the_schema_allows(schema):
    resume_stage = component(schema, "Project")["resume_stage"]
    choices = [ref["$ref"].rsplit("/", 1)[1] for ref in resume_stage["oneOf"]]

    assert "BlankEnum" in choices


def test_the_map_layers_are_documented_as_geojson(schema):
    for path in ("/api/portal/sites/geojson/", "/api/portal/parks/geojson/"):
        assert "application/geo+json" in schema["paths"][path]["get"]["responses"]["200"]["content"]


def test_the_errors_an_operation_can_answer_are_documented(schema):
    delete = schema["paths"]["/api/enterprises/{id}/"]["delete"]["responses"]
    listing = schema["paths"]["/api/portal/sites/"]["get"]["responses"]

    assert {"204", "403", "404", "409"} <= delete.keys()
    assert {"200", "400", "403", "404", "429"} <= listing.keys()
    assert "409" not in listing


def test_an_unknown_token_on_a_public_operation_is_the_documented_403(investor, schema):
    response = investor.get("/api/portal/sites/", HTTP_AUTHORIZATION="Token not-a-token")

    assert response.status_code == 403
    assert "403" in schema["paths"]["/api/portal/sites/"]["get"]["responses"]
