"""Forms answer bad input with messages and save nothing; the shared pages render.

List pages filter, sort, paginate and answer htmx with the table fragment only;
the health check, the OpenAPI schema and its docs page work offline (no CDN);
the home and profile pages serve the signed-in user; the language switch works.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from zhaoshang.accounts.models import User
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.tests.factories import EnterpriseFactory

ADD_URL = reverse("industry:enterprise-add")
LIST_URL = reverse("industry:enterprise-list")


def field_errors(response, name):
    return response.context["form"].errors.get(name, [])


# --- bad input ---------------------------------------------------------------------------------------------------


def test_creating_an_enterprise_without_a_name_shows_the_error_and_saves_nothing(officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(ADD_URL, {"name": "", "owner_team": outpost_a.pk, "website": "x"})

    assert response.status_code == 200
    assert field_errors(response, "name")
    page = response.content.decode()
    assert 'data-field="name"' in page
    assert 'data-field="website"' in page
    assert "is-invalid" in page
    assert Enterprise.objects.count() == 0


def test_negative_registered_capital_is_refused_on_its_field_and_saves_nothing(officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(
        ADD_URL, {"name": "负资本有限公司", "owner_team": outpost_a.pk, "registered_capital": "-100"}
    )

    assert response.status_code == 200
    [error] = field_errors(response, "registered_capital")
    assert 'data-field="registered_capital"' in response.content.decode()
    assert not Enterprise.objects.filter(name="负资本有限公司").exists()


def test_a_bad_website_url_is_refused_on_its_field(officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(
        ADD_URL, {"name": "坏网址有限公司", "owner_team": outpost_a.pk, "website": "not a url"}
    )

    assert response.status_code == 200
    assert field_errors(response, "website")
    assert not Enterprise.objects.filter(name="坏网址有限公司").exists()


def test_a_mistyped_credit_code_is_refused_on_its_field(officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(
        ADD_URL, {"name": "错码有限公司", "owner_team": outpost_a.pk, "uscc": "91440700MA4UJ8XX00"}
    )

    assert response.status_code == 200
    assert field_errors(response, "uscc")
    assert not Enterprise.objects.filter(name="错码有限公司").exists()


def test_bad_input_on_the_edit_page_changes_nothing(officer_a, outpost_a, client_for):
    enterprise = EnterpriseFactory(name="原名有限公司", owner_team=outpost_a, website="https://example.cn")
    url = reverse("industry:enterprise-edit", args=[enterprise.pk])

    response = client_for(officer_a).post(
        url, {"name": "", "owner_team": outpost_a.pk, "website": "ftp//bad", "record_version": 1}
    )

    assert response.status_code == 200
    assert field_errors(response, "name")
    assert field_errors(response, "website")
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.website, enterprise.version) == ("原名有限公司", "https://example.cn", 1)


def test_bad_input_over_the_api_names_the_field_and_saves_nothing(officer_a, outpost_a, api_for):
    response = api_for(officer_a).post(
        "/api/enterprises/",
        {"name": "", "owner_team": outpost_a.pk, "website": "nope", "registered_capital": "-5"},
        format="json",
    )

    assert response.status_code == 400
    assert {"name", "website"} <= set(response.json())
    assert Enterprise.objects.count() == 0


def test_negative_registered_capital_over_the_api_is_a_400_on_the_field(officer_a, outpost_a, api_for):
    response = api_for(officer_a).post(
        "/api/enterprises/",
        {"name": "负资本有限公司", "owner_team": outpost_a.pk, "registered_capital": "-5"},
        format="json",
    )

    assert response.status_code == 400
    assert "registered_capital" in response.json()
    assert not Enterprise.objects.filter(name="负资本有限公司").exists()


# --- list pages --------------------------------------------------------------------------------------------------


@pytest.fixture
def thirty_enterprises(outpost_a):
    return [EnterpriseFactory(name=f"企业{n:02d}有限公司", owner_team=outpost_a) for n in range(30)]


def row_names(response):
    return [e.name for e in response.context["object_list"]]


def test_enterprise_list_sorts_by_name_both_ways(officer_a, thirty_enterprises, client_for):
    client = client_for(officer_a)

    ascending = client.get(LIST_URL, {"sort": "name"})
    descending = client.get(LIST_URL, {"sort": "-name"})

    assert row_names(ascending)[:3] == ["企业00有限公司", "企业01有限公司", "企业02有限公司"]
    assert row_names(descending)[:3] == ["企业29有限公司", "企业28有限公司", "企业27有限公司"]
    page = descending.content.decode()
    assert page.index("企业29有限公司") < page.index("企业28有限公司")


def test_enterprise_list_ignores_an_unknown_sort(officer_a, thirty_enterprises, client_for):
    response = client_for(officer_a).get(LIST_URL, {"sort": "password"})

    assert response.status_code == 200
    assert row_names(response)[0] == "企业00有限公司"


def test_enterprise_list_is_paginated_by_25(officer_a, thirty_enterprises, client_for):
    client = client_for(officer_a)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert len(first.context["object_list"]) == 25
    assert row_names(second) == [f"企业{n}有限公司" for n in range(25, 30)]
    assert "page=2" in first.content.decode()
    assert "企业29有限公司" in second.content.decode()
    assert "企业00有限公司" not in second.content.decode()


def test_enterprise_list_pagination_keeps_sort_and_filters(officer_a, thirty_enterprises, client_for):
    response = client_for(officer_a).get(LIST_URL, {"sort": "-name", "q": "企业"})

    links = re.findall(r'href="\?([^"]*page=2[^"]*)"', response.content.decode())
    assert links
    assert all("sort=-name" in link and "q=" in link for link in links)


def test_enterprise_list_filters_by_search_and_team(officer_a, outpost_a, district_officer, client_for, db):
    EnterpriseFactory(name="江门某某摩托车有限公司", owner_team=outpost_a)
    EnterpriseFactory(name="江门某某厨具有限公司", owner_team=outpost_a)
    EnterpriseFactory(name="共享某某摩托车有限公司", owner_team=None)
    client = client_for(officer_a)

    searched = client.get(LIST_URL, {"q": "摩托车"})
    by_team = client.get(LIST_URL, {"owner_team": outpost_a.pk})

    assert sorted(row_names(searched)) == ["共享某某摩托车有限公司", "江门某某摩托车有限公司"]
    assert sorted(row_names(by_team)) == ["江门某某厨具有限公司", "江门某某摩托车有限公司"]


def test_htmx_request_gets_only_the_table_fragment(officer_a, thirty_enterprises, client_for):
    response = client_for(officer_a).get(LIST_URL, {"sort": "-name", "page": 2}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "<body" not in fragment
    assert 'data-testid="object-table"' in fragment
    assert 'data-testid="filter-form"' not in fragment
    assert "企业04有限公司" in fragment
    assert "企业05有限公司" not in fragment


def test_a_full_list_page_has_the_html_shell_and_the_filter_form(officer_a, client_for):
    page = client_for(officer_a).get(LIST_URL).content.decode()

    assert "<html" in page
    assert 'data-testid="filter-form"' in page
    assert 'data-testid="object-table"' in page


@pytest.mark.parametrize(
    "url_name", ["industry:enterprise-list", "industry:code-list", "industry:chain-list", "accounts:team-list"]
)
def test_list_pages_render_for_staff(url_name, officer_a, client_for):
    assert client_for(officer_a).get(reverse(url_name)).status_code == 200


# --- health, schema, docs ----------------------------------------------------------------------------------------


def test_health_endpoint_answers_ok_in_json(investor):
    response = investor.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "ok", "database": "ok"}


def test_openapi_schema_lists_the_enterprise_endpoints(investor):
    response = investor.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/enterprises/" in schema["paths"]
    assert "/api/enterprises/{id}/" in schema["paths"]
    assert "/api/regions/" in schema["paths"]


EXTERNAL_ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def test_api_docs_page_loads_nothing_from_other_hosts(officer_a, client_for):
    response = client_for(officer_a).get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assets = EXTERNAL_ASSET.findall(page)
    assert assets, "the docs page loads its scripts and styles"
    for asset in assets:
        parts = urlsplit(asset)
        assert parts.scheme not in {"http", "https"} and not asset.startswith("//"), asset
    assert not re.search(r"""["'](?:https?:)?//(?!testserver)[^"'\s]+\.(?:js|css)""", page)


def test_no_redoc_page_fetches_fonts_from_the_internet(officer_a, client_for):
    """drf-spectacular's stock ReDoc page links Google Fonts; it is either not served or served without them."""
    response = client_for(officer_a).get("/api/redoc/")

    if response.status_code != 404:
        assert response.status_code == 200
        for asset in EXTERNAL_ASSET.findall(response.content.decode()):
            assert not re.match(r"(?:https?:)?//", asset), asset


def test_staff_pages_load_nothing_from_other_hosts(officer_a, client_for):
    page = client_for(officer_a).get(LIST_URL).content.decode()

    for asset in EXTERNAL_ASSET.findall(page):
        assert not re.match(r"(?:https?:)?//", asset), asset


# --- home and profile --------------------------------------------------------------------------------------------


def test_home_page_shows_the_users_teams(officer_a, outpost_a, client_for):
    response = client_for(officer_a).get(reverse("core:home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "驻北京招商联络处" in page
    assert outpost_a.get_absolute_url() in page
    assert "驻上海招商联络处" not in page


def test_home_page_sends_the_anonymous_to_login(investor):
    response = investor.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_page_saves_name_and_phone(officer_a, client_for):
    client = client_for(officer_a)

    response = client.post(
        reverse("accounts:profile"), {"full_name": "李明", "email": "liming@example.cn", "phone": "0750-3500000"}
    )

    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert (officer_a.full_name, officer_a.email, officer_a.phone) == ("李明", "liming@example.cn", "0750-3500000")
    assert "李明" in client.get(reverse("accounts:profile")).content.decode()


def test_profile_page_refuses_a_bad_email_and_saves_nothing(officer_a, client_for):
    old = User.objects.get(pk=officer_a.pk)

    response = client_for(officer_a).post(
        reverse("accounts:profile"), {"full_name": "不该保存", "email": "not-an-email", "phone": "123"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert "is-invalid" in response.content.decode()
    officer_a.refresh_from_db()
    assert (officer_a.full_name, officer_a.email, officer_a.phone) == (old.full_name, old.email, old.phone)


# --- language ----------------------------------------------------------------------------------------------------


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_language_switch_changes_the_page_language(officer_a, client_for):
    client = client_for(officer_a)
    assert html_lang(client.get(reverse("core:home"))) == "zh-hans"

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302
    english = client.get(reverse("core:home"))
    assert html_lang(english) == "en"
    assert "My teams" in english.content.decode()

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert html_lang(client.get(reverse("core:home"))) == "zh-hans"


def test_language_switch_works_for_the_anonymous_login_page(investor):
    investor.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert html_lang(investor.get(reverse("accounts:login"))) == "en"
