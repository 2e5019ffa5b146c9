"""Who sees and changes which enterprise, on the pages and over the API.

An enterprise kept by a team is that team's own prospect: other outposts do not
know it exists (404), a district bureau sees those headquartered in its
district, leaders read everything and change nothing (403), administrators do
everything. Records without a team are the shared register: every member of
staff reads them, only the centre and administrators change them.

What each standard user gets of a team's enterprise on every page and API
endpoint (list, detail, edit, delete, history; anonymous callers sent to the
login page) is checked by the permission matrix (tests/test_access_matrix.py);
the tests here hold what it does not: PUT, the shared register, creating and
handing records over.
"""

import pytest
from django.urls import reverse

from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.tests.factories import EnterpriseFactory

LIST_URL = reverse("industry:enterprise-list")
ADD_URL = reverse("industry:enterprise-add")
API_LIST_URL = "/api/enterprises/"


def edit_url(enterprise):
    return reverse("industry:enterprise-edit", args=[enterprise.pk])


def delete_url(enterprise):
    return reverse("industry:enterprise-delete", args=[enterprise.pk])


def api_url(enterprise):
    return f"/api/enterprises/{enterprise.pk}/"


def api_names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def prospect_b(outpost_b):
    """A prospect kept by the Shanghai outpost."""
    return EnterpriseFactory(name="上海某某新能源有限公司", owner_team=outpost_b)


@pytest.fixture
def shared_record(db):
    """An enterprise of the shared register (kept by no team)."""
    return EnterpriseFactory(name="共享名录某某集团有限公司", owner_team=None)


# --- another outpost's prospect ----------------------------------------------------------------------------------


def test_officer_gets_404_for_other_outposts_enterprise_over_the_api(officer_a, prospect_b, api_for):
    api = api_for(officer_a)

    assert api.get(api_url(prospect_b)).status_code == 404
    patched = api.patch(api_url(prospect_b), {"name": "改名", "version": prospect_b.version}, format="json")
    assert patched.status_code == 404
    assert api.put(api_url(prospect_b), {"name": "改名", "version": 1}, format="json").status_code == 404
    assert api.delete(api_url(prospect_b)).status_code == 404
    prospect_b.refresh_from_db()
    assert prospect_b.name == "上海某某新能源有限公司"


def test_owner_officer_sees_and_changes_own_teams_enterprise(officer_b, prospect_b, client_for, api_for):
    client = client_for(officer_b)
    api = api_for(officer_b)

    assert prospect_b.name in client.get(LIST_URL).content.decode()
    assert client.get(prospect_b.get_absolute_url()).status_code == 200
    assert client.get(edit_url(prospect_b)).status_code == 200
    assert client.get(delete_url(prospect_b)).status_code == 200
    assert prospect_b.name in api_names(api.get(API_LIST_URL))
    assert api.get(api_url(prospect_b)).status_code == 200

    patched = api.patch(
        api_url(prospect_b), {"name": "上海某某储能有限公司", "version": prospect_b.version}, format="json"
    )

    assert patched.status_code == 200, patched.content
    prospect_b.refresh_from_db()
    assert prospect_b.name == "上海某某储能有限公司"


def test_owner_officer_deletes_own_teams_enterprise_over_the_api(officer_b, prospect_b, api_for):
    assert api_for(officer_b).delete(api_url(prospect_b)).status_code == 204
    assert not Enterprise.objects.filter(pk=prospect_b.pk).exists()


# --- leader and administrator ------------------------------------------------------------------------------------


def test_leader_is_forbidden_to_edit_or_delete_and_nothing_changes(leader, prospect_b, client_for, api_for):
    client = client_for(leader)
    api = api_for(leader)

    assert client.get(edit_url(prospect_b)).status_code == 403
    assert client.post(edit_url(prospect_b), {"name": "领导改名", "record_version": 1}).status_code == 403
    assert client.get(delete_url(prospect_b)).status_code == 403
    assert client.post(delete_url(prospect_b)).status_code == 403
    assert api.patch(api_url(prospect_b), {"name": "领导改名", "version": 1}, format="json").status_code == 403
    assert api.put(api_url(prospect_b), {"name": "领导改名", "version": 1}, format="json").status_code == 403
    assert api.delete(api_url(prospect_b)).status_code == 403

    prospect_b.refresh_from_db()
    assert prospect_b.name == "上海某某新能源有限公司"
    assert prospect_b.version == 1


def test_leader_cannot_create_enterprises(leader, client_for, api_for, centre):
    assert client_for(leader).get(ADD_URL).status_code == 403
    created = api_for(leader).post(API_LIST_URL, {"name": "领导新建有限公司", "owner_team": centre.pk}, format="json")
    assert created.status_code == 403
    assert not Enterprise.objects.filter(name="领导新建有限公司").exists()


def test_admin_changes_and_deletes_any_teams_enterprise(admin_user, prospect_b, client_for, api_for):
    api = api_for(admin_user)
    assert client_for(admin_user).get(edit_url(prospect_b)).status_code == 200

    patched = api.patch(api_url(prospect_b), {"name": "管理员改名有限公司", "version": 1}, format="json")

    assert patched.status_code == 200, patched.content
    prospect_b.refresh_from_db()
    assert prospect_b.name == "管理员改名有限公司"
    assert api.delete(api_url(prospect_b)).status_code == 204
    assert not Enterprise.objects.filter(pk=prospect_b.pk).exists()


# --- district bureau ---------------------------------------------------------------------------------------------


def test_district_officer_sees_enterprises_headquartered_in_their_district(
    district_officer, outpost_b, city, client_for, api_for
):
    pengjiang = EnterpriseFactory(name="蓬江某某电器有限公司", owner_team=outpost_b, hq_region_id=_region("440703"))
    xinhui = EnterpriseFactory(name="新会某某陈皮有限公司", owner_team=outpost_b, hq_region_id=_region("440705"))
    client = client_for(district_officer)

    page = client.get(LIST_URL).content.decode()
    assert pengjiang.name in page
    assert xinhui.name not in page
    assert client.get(pengjiang.get_absolute_url()).status_code == 200
    assert client.get(xinhui.get_absolute_url()).status_code == 404
    names = api_names(api_for(district_officer).get(API_LIST_URL))
    assert pengjiang.name in names
    assert xinhui.name not in names
    assert api_for(district_officer).get(api_url(xinhui)).status_code == 404


def _region(adcode):
    from zhaoshang.geo.models import Region

    return Region.objects.get(adcode=adcode).pk


# --- shared register ---------------------------------------------------------------------------------------------


def test_shared_register_is_visible_to_all_staff(
    officer_a, officer_b, district_officer, centre_officer, reviewer, leader, shared_record, client_for, api_for
):
    for user in (officer_a, officer_b, district_officer, centre_officer, reviewer, leader):
        assert client_for(user).get(shared_record.get_absolute_url()).status_code == 200, user
        assert shared_record.name in api_names(api_for(user).get(API_LIST_URL)), user


def test_outpost_officer_is_forbidden_to_change_the_shared_register(officer_a, shared_record, client_for, api_for):
    client = client_for(officer_a)
    api = api_for(officer_a)

    assert client.get(edit_url(shared_record)).status_code == 403
    assert client.post(delete_url(shared_record)).status_code == 403
    assert api.patch(api_url(shared_record), {"name": "外联改名", "version": 1}, format="json").status_code == 403
    assert api.delete(api_url(shared_record)).status_code == 403
    shared_record.refresh_from_db()
    assert shared_record.name == "共享名录某某集团有限公司"


def test_centre_officer_changes_the_shared_register(centre_officer, shared_record, client_for, api_for):
    assert client_for(centre_officer).get(edit_url(shared_record)).status_code == 200

    patched = api_for(centre_officer).patch(
        api_url(shared_record), {"name": "共享名录改名有限公司", "version": 1}, format="json"
    )

    assert patched.status_code == 200, patched.content
    shared_record.refresh_from_db()
    assert shared_record.name == "共享名录改名有限公司"


def test_outpost_officer_cannot_file_an_enterprise_in_the_shared_register(officer_a, api_for):
    response = api_for(officer_a).post(API_LIST_URL, {"name": "无主有限公司", "owner_team": None}, format="json")

    assert response.status_code == 400
    assert "owner_team" in response.json()
    assert not Enterprise.objects.filter(name="无主有限公司").exists()


# --- anonymous investor ------------------------------------------------------------------------------------------


def test_anonymous_investor_is_refused_by_the_enterprise_api(investor, prospect_b, shared_record):
    assert investor.get(API_LIST_URL).status_code in (401, 403)
    assert investor.get(api_url(shared_record)).status_code in (401, 403)
    assert investor.get(api_url(prospect_b)).status_code in (401, 403)
    created = investor.post(API_LIST_URL, {"name": "匿名有限公司"}, content_type="application/json")
    assert created.status_code in (401, 403)
    assert investor.delete(api_url(shared_record)).status_code in (401, 403)
    assert Enterprise.objects.filter(pk=shared_record.pk).exists()
    assert not Enterprise.objects.filter(name="匿名有限公司").exists()


def test_anonymous_investor_reads_regions_and_industry_codes(investor, city):
    regions = investor.get("/api/regions/")
    codes = investor.get("/api/industry-codes/")

    assert regions.status_code == 200
    assert "440703" in {row["adcode"] for row in regions.json()["results"]}
    assert codes.status_code == 200
    assert investor.get("/api/industry-codes/38/").json()["parent"] == "C"


# --- creating ----------------------------------------------------------------------------------------------------


def test_officer_cannot_create_an_enterprise_for_a_team_they_are_not_in(officer_a, outpost_b, api_for):
    response = api_for(officer_a).post(
        API_LIST_URL, {"name": "越权新建有限公司", "owner_team": outpost_b.pk}, format="json"
    )

    assert response.status_code == 400
    assert "owner_team" in response.json()
    assert not Enterprise.objects.filter(name="越权新建有限公司").exists()


def test_officer_creates_an_enterprise_for_own_team_over_the_api(officer_a, outpost_a, api_for):
    response = api_for(officer_a).post(
        API_LIST_URL, {"name": "北京某某智能有限公司", "owner_team": outpost_a.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    created = Enterprise.objects.get(pk=response.json()["id"])
    assert created.owner_team == outpost_a
    assert created.created_by == officer_a


def test_officer_creates_an_enterprise_for_own_team_on_the_page(officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(
        ADD_URL, {"name": "北京某某机器人有限公司", "owner_team": outpost_a.pk, "hq_country": "中国"}
    )

    created = Enterprise.objects.get(name="北京某某机器人有限公司")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.owner_team == outpost_a
    assert created.created_by == officer_a


def test_officer_cannot_choose_another_team_on_the_create_page(officer_a, outpost_b, client_for):
    response = client_for(officer_a).post(ADD_URL, {"name": "越权页面有限公司", "owner_team": outpost_b.pk})

    assert response.status_code == 200
    assert "owner_team" in response.context["form"].errors
    assert not Enterprise.objects.filter(name="越权页面有限公司").exists()


# --- district bureau editing a team's prospect in its district ---------------------------------------------------


@pytest.fixture
def pengjiang_prospect_b(outpost_b, city):
    return EnterpriseFactory(name="蓬江某某五金有限公司", owner_team=outpost_b, hq_region_id=_region("440703"))


def test_district_officer_edits_an_enterprise_of_their_district_on_the_page_without_taking_it(
    district_officer, pengjiang_prospect_b, outpost_b, client_for
):
    client = client_for(district_officer)
    url = edit_url(pengjiang_prospect_b)
    form_page = client.get(url)
    data = {f.name: f.value() for f in form_page.context["form"] if f.value() is not None}
    data["description"] = "区局补充：已对接用地"

    response = client.post(url, data)

    assert response.status_code == 302
    pengjiang_prospect_b.refresh_from_db()
    assert pengjiang_prospect_b.description == "区局补充：已对接用地"
    assert pengjiang_prospect_b.owner_team == outpost_b


def test_district_officer_cannot_take_another_teams_prospect_for_their_bureau(
    district_officer, district_bureau, pengjiang_prospect_b, outpost_b, officer_b, api_for
):
    response = api_for(district_officer).patch(
        api_url(pengjiang_prospect_b), {"owner_team": district_bureau.pk, "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert "owner_team" in response.json()
    pengjiang_prospect_b.refresh_from_db()
    assert pengjiang_prospect_b.owner_team == outpost_b
    assert api_for(officer_b).get(api_url(pengjiang_prospect_b)).status_code == 200
