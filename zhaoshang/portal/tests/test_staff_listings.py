"""Staff keep parks and sites current under /work/.

Every member of staff reads every listing; a site is changed by its team, by the
bureau of its district and by the centre — anyone else gets 403, an anonymous
visitor is sent to log in. Verifying a site moves its date and is audited; the
lists mark stale and unpublished listings; bad input shows the field's error and
saves nothing; industry codes are saved with the record and their change audited.
"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core import search
from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.testing import form_data
from zhaoshang.geo.choices import CarrierKind
from zhaoshang.geo.models import Carrier, Park
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district, stale_date

LIST_URL = reverse("portal:staff-carrier-list")
ADD_URL = reverse("portal:staff-carrier-add")
PARK_LIST_URL = reverse("portal:staff-park-list")
PARK_ADD_URL = reverse("portal:staff-park-add")


def url(name, obj):
    return reverse(f"portal:staff-carrier-{name}", args=[obj.pk])


def park_url(name, park):
    return reverse(f"portal:staff-park-{name}", args=[park.pk])


def records_of(obj, **filters):
    return ChangeRecord.objects.filter(
        content_type__model=type(obj)._meta.model_name, object_id=str(obj.pk), **filters
    ).order_by("pk")


@pytest.fixture
def site_a(city, outpost_a):
    """A site in 蓬江 kept by the Beijing outpost, verified a month ago."""
    return CarrierFactory(
        reference="PJ-100",
        name="蓬江示范地块",
        team=outpost_a,
        codes=["38"],
        last_verified=timezone.localdate() - timedelta(days=30),
    )


def new_site(team, **changes):
    data = {
        "kind": CarrierKind.PARCEL,
        "reference": "NEW-1",
        "name": "新建地块",
        "region": district("440703").pk,
        "team": team.pk,
        "lon": "113.08",
        "lat": "22.60",
        "availability": "available",
        "area_mu": "40",
        "industry_codes": ["38", "39"],
        "published": "on",
        "last_verified": timezone.localdate().isoformat(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- who sees and changes what ---------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_log_in_from_every_staff_page(site_a, investor):
    for page in (LIST_URL, ADD_URL, url("detail", site_a), url("edit", site_a), url("delete", site_a)):
        response = investor.get(page)
        assert response.status_code == 302 and "/login" in response["Location"]
    assert investor.post(url("verify", site_a)).status_code == 302
    site_a.refresh_from_db()
    assert site_a.last_verified == timezone.localdate() - timedelta(days=30)


def test_an_officer_of_another_outpost_reads_the_site_but_cannot_edit_verify_or_delete_it(
    site_a, officer_a, officer_b, client_for
):
    client = client_for(officer_b)
    filled_in = form_data(client_for(officer_a).get(url("edit", site_a)), name="别人的修改")

    page = client.get(url("detail", site_a))
    assert page.status_code == 200
    assert not page.context["can_change"] and 'data-testid="verify-form"' not in page.content.decode()
    assert client.get(url("edit", site_a)).status_code == 403
    assert client.post(url("edit", site_a), filled_in).status_code == 403
    assert client.post(url("verify", site_a)).status_code == 403
    assert client.post(url("delete", site_a)).status_code == 403
    site_a.refresh_from_db()
    assert (
        site_a.version == 1
        and site_a.name == "蓬江示范地块"
        and site_a.last_verified == timezone.localdate() - timedelta(days=30)
    )
    assert Carrier.objects.filter(pk=site_a.pk).exists()


def test_a_site_that_does_not_exist_is_not_found(city, officer_a, client_for):
    client = client_for(officer_a)
    assert client.get(reverse("portal:staff-carrier-detail", args=[999999])).status_code == 404
    assert client.post(reverse("portal:staff-carrier-verify", args=[999999])).status_code == 404


def test_the_centre_and_the_districts_bureau_may_change_a_site_an_outpost_keeps(
    site_a, centre_officer, district_officer, client_for
):
    for user in (centre_officer, district_officer):
        client = client_for(user)
        page = client.get(url("edit", site_a))
        assert page.status_code == 200
        response = client.post(url("edit", site_a), form_data(page, area_mu="66"))
        assert response.status_code == 302, response.context["form"].errors
    site_a.refresh_from_db()
    assert site_a.area_mu == Decimal("66") and site_a.version == 3


def test_a_leader_reads_but_gets_403_on_edit_verify_import_and_add(site_a, leader, client_for):
    client = client_for(leader)

    assert client.get(LIST_URL).status_code == 200
    assert client.get(url("detail", site_a)).status_code == 200
    assert client.get(url("edit", site_a)).status_code == 403
    assert client.post(url("verify", site_a)).status_code == 403
    assert client.get(reverse("portal:staff-carrier-import")).status_code == 403
    assert client.get(ADD_URL).status_code == 403
    site_a.refresh_from_db()
    assert site_a.version == 1


# --- verification and staleness ----------------------------------------------------------------------------------


def test_verifying_a_site_moves_its_date_to_today_and_is_audited(site_a, officer_a, client_for):
    response = client_for(officer_a).post(url("verify", site_a))

    assert response.status_code == 302 and response["Location"] == url("detail", site_a)
    site_a.refresh_from_db()
    assert site_a.last_verified == timezone.localdate()
    [record] = records_of(site_a, action=ChangeKind.UPDATE)
    assert record.changed_fields == ["last_verified"]
    assert record.user_id == officer_a.pk
    assert record.after == {"last_verified": timezone.localdate().isoformat()}


def test_verify_is_a_post_only_action(site_a, officer_a, client_for):
    assert client_for(officer_a).get(url("verify", site_a)).status_code == 405


def test_verifying_from_the_list_returns_to_the_list(site_a, officer_a, client_for):
    back = f"{LIST_URL}?stale=true"
    response = client_for(officer_a).post(url("verify", site_a), {"next": back})
    assert response["Location"] == back
    elsewhere = client_for(officer_a).post(url("verify", site_a), {"next": "https://evil.example.com/"})
    assert elsewhere["Location"] == url("detail", site_a)


def test_the_list_marks_stale_and_unpublished_sites(city, officer_a, outpost_a, client_for):
    CarrierFactory(reference="OLD-1", team=outpost_a, last_verified=stale_date())
    CarrierFactory(reference="HIDDEN-1", team=outpost_a, published=False)
    CarrierFactory(reference="FRESH-1", team=outpost_a)

    page = client_for(officer_a).get(LIST_URL).content.decode()

    rows = {ref: page[page.index(ref) :].split("</tr>")[0] for ref in ("OLD-1", "HIDDEN-1", "FRESH-1")}
    assert 'data-status="stale"' in rows["OLD-1"] and 'data-status="unpublished"' not in rows["OLD-1"]
    assert 'data-status="unpublished"' in rows["HIDDEN-1"] and 'data-status="stale"' not in rows["HIDDEN-1"]
    assert 'data-status="current"' in rows["FRESH-1"]


def test_the_detail_page_says_a_stale_site_is_hidden_from_the_public(city, officer_a, outpost_a, client_for):
    site = CarrierFactory(team=outpost_a, last_verified=stale_date())

    page = client_for(officer_a).get(url("detail", site))

    assert 'data-status="stale"' in page.content.decode()
    assert page.context["public"] is False


def test_the_stale_filter_lists_only_stale_sites(city, officer_a, outpost_a, client_for):
    CarrierFactory(reference="OLD-2", team=outpost_a, last_verified=stale_date())
    CarrierFactory(reference="NEW-2", team=outpost_a)

    listed = client_for(officer_a).get(LIST_URL, {"stale": "true"}).context["object_list"]

    assert [c.reference for c in listed] == ["OLD-2"]


def test_the_export_link_follows_the_filters_also_when_htmx_redraws_the_table(site_a, officer_a, client_for):
    client = client_for(officer_a)
    page = client.get(LIST_URL, {"district": "440703"}).content.decode()
    assert reverse("portal:staff-carrier-export") + "?district=440703" in page

    fragment = client.get(LIST_URL, {"district": "440705"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-swap-oob="true"' in fragment
    assert reverse("portal:staff-carrier-export") + "?district=440705" in fragment


# --- forms -------------------------------------------------------------------------------------------------------


def test_creating_a_site_saves_its_codes_and_audits_them(city, officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(ADD_URL, new_site(outpost_a))

    assert response.status_code == 302
    site = Carrier.objects.get(reference="NEW-1")
    assert response["Location"] == url("detail", site)
    assert site.industry_codes == ["38", "39"] and site.created_by_id == officer_a.pk
    assert [r.action for r in records_of(site)] == [ChangeKind.CREATE, ChangeKind.UPDATE]
    assert records_of(site)[1].after == {"industries": ["38", "39"]}


def test_a_land_parcel_without_its_area_shows_the_field_error_and_saves_nothing(city, officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(ADD_URL, new_site(outpost_a, area_mu="", name="没有面积的地块"))

    assert response.status_code == 200
    assert response.context["form"].errors["area_mu"]
    page = response.content.decode()
    assert 'data-field="area_mu"' in page
    assert "没有面积的地块" in page  # what was typed is still there
    assert not Carrier.objects.exists()


def test_bad_numbers_a_reversed_plot_ratio_and_an_unknown_code_are_refused(city, officer_a, outpost_a, client_for):
    data = new_site(outpost_a, lon="east", plot_ratio_min="3", plot_ratio_max="1.5", industry_codes=["38", "99"])

    response = client_for(officer_a).post(ADD_URL, data)

    errors = response.context["form"].errors
    assert "lon" in errors and "industry_codes" in errors
    assert not Carrier.objects.exists()
    fixed = client_for(officer_a).post(ADD_URL, {**data, "lon": "113.1", "industry_codes": ["38"]})
    assert fixed.status_code == 200
    assert any("plot ratio" in e or "容积率" in e for e in fixed.context["form"].non_field_errors())
    assert not Carrier.objects.exists()


def test_an_officer_cannot_give_a_site_to_another_team(city, officer_a, outpost_b, client_for):
    response = client_for(officer_a).post(ADD_URL, new_site(outpost_b))

    assert "team" in response.context["form"].errors
    assert not Carrier.objects.exists()


def test_a_boundary_is_stored_with_its_box_and_gives_the_position_when_none_is_typed(
    city, officer_a, outpost_a, client_for
):
    square = {
        "type": "Polygon",
        "coordinates": [[[113.0, 22.5], [113.02, 22.5], [113.02, 22.52], [113.0, 22.52], [113.0, 22.5]]],
    }
    data = new_site(outpost_a, lon="", lat="", boundary_geojson=json.dumps(square))

    response = client_for(officer_a).post(ADD_URL, data)

    assert response.status_code == 302, response.context["form"].errors
    site = Carrier.objects.get(reference="NEW-1")
    assert site.bbox == (113.0, 22.5, 113.02, 22.52)
    assert 113.0 < site.lon < 113.02 and 22.5 < site.lat < 22.52


def test_a_boundary_that_is_not_a_polygon_is_refused(city, officer_a, outpost_a, client_for):
    line = {"type": "LineString", "coordinates": [[113.0, 22.5], [113.1, 22.6]]}
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    client = client_for(officer_a)
    for bad in ("{not json", json.dumps(line), json.dumps(bow_tie)):
        response = client.post(ADD_URL, new_site(outpost_a, boundary_geojson=bad))
        assert response.context["form"].errors["boundary_geojson"]
    assert not Carrier.objects.exists()


def test_editing_the_codes_records_the_change_on_the_site(site_a, officer_a, client_for):
    client = client_for(officer_a)
    page = client.get(url("edit", site_a))
    assert page.context["form"]["industry_codes"].value() == ["38"]

    response = client.post(url("edit", site_a), form_data(page, industry_codes=["38", "13"]))

    assert response.status_code == 302
    assert site_a.industry_codes == ["13", "38"]
    [record] = records_of(site_a, action=ChangeKind.UPDATE)
    assert record.before == {"industries": ["38"]} and record.after == {"industries": ["13", "38"]}


def test_a_stale_edit_form_is_refused_and_overwrites_nothing(site_a, officer_a, centre_officer, client_for):
    mine = client_for(officer_a)
    page = mine.get(url("edit", site_a))
    client_for(centre_officer).post(url("verify", site_a))

    response = mine.post(url("edit", site_a), form_data(page, name="过期的修改"))

    assert response.status_code == 200 and response.context["form"].non_field_errors()
    site_a.refresh_from_db()
    assert site_a.name == "蓬江示范地块"


def test_deleting_a_site_is_audited(site_a, officer_a, client_for):
    response = client_for(officer_a).post(url("delete", site_a))

    assert response.status_code == 302 and response["Location"] == LIST_URL
    assert not Carrier.objects.filter(pk=site_a.pk).exists()
    assert records_of(site_a, action=ChangeKind.DELETE).exists()


# --- parks -------------------------------------------------------------------------------------------------------


def test_parks_have_the_same_pages(city, officer_a, officer_b, outpost_a, client_for):
    response = client_for(officer_a).post(
        PARK_ADD_URL,
        {
            "name": "示范产业园",
            "region": district("440705").pk,
            "level": "provincial",
            "team": outpost_a.pk,
            "industry_codes": ["38"],
            "last_verified": (timezone.localdate() - timedelta(days=400)).isoformat(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    park = Park.objects.get(name="示范产业园")
    assert park.industry_codes == ["38"]

    listing = client_for(officer_b).get(PARK_LIST_URL).content.decode()
    assert "示范产业园" in listing and 'data-status="stale"' in listing
    assert client_for(officer_b).post(park_url("verify", park)).status_code == 403
    assert client_for(officer_a).post(park_url("verify", park)).status_code == 302
    park.refresh_from_db()
    assert park.last_verified == timezone.localdate()
    assert records_of(park, action=ChangeKind.UPDATE, changed_fields=["last_verified"]).exists()


def test_the_park_page_counts_its_sites(city, officer_a, outpost_a, client_for):
    park = ParkFactory(team=outpost_a)
    CarrierFactory(park=park)
    CarrierFactory(park=park)

    page = client_for(officer_a).get(park_url("detail", park))

    assert page.context["site_count"] == 2


def test_staff_edit_the_address_of_a_site_and_a_park_and_read_it_on_the_detail_pages(
    site_a, officer_a, officer_b, client_for
):
    client = client_for(officer_a)
    page = client.get(url("edit", site_a))
    assert 'name="address"' in page.content.decode() and 'name="address_en"' in page.content.decode()
    data = form_data(page, address="江门市蓬江区棠下镇堡棠路123号", address_en="123 Baotang Road, Tangxia Town")
    response = client.post(url("edit", site_a), data)
    assert response.status_code == 302
    site_a.refresh_from_db()
    assert (site_a.address, site_a.address_en) == ("江门市蓬江区棠下镇堡棠路123号", "123 Baotang Road, Tangxia Town")
    [record] = records_of(site_a, action=ChangeKind.UPDATE)
    assert sorted(record.changed_fields) == ["address", "address_en"]
    assert Carrier.objects.filter(search.query_q("堡棠路")).get() == site_a
    detail = client_for(officer_b).get(url("detail", site_a)).content.decode()  # every member of staff reads it
    assert "江门市蓬江区棠下镇堡棠路123号" in detail and "123 Baotang Road, Tangxia Town" in detail
    # another outpost may not change it
    assert client_for(officer_b).post(url("edit", site_a), {**data, "address": "别处"}).status_code == 403
    site_a.refresh_from_db()
    assert site_a.address == "江门市蓬江区棠下镇堡棠路123号"

    park = ParkFactory(team=site_a.team)
    page = client.get(park_url("edit", park))
    assert client.post(park_url("edit", park), form_data(page, address="鹤山市共和镇硅谷路6号")).status_code == 302
    park.refresh_from_db()
    assert park.address == "鹤山市共和镇硅谷路6号" and park.address_en == ""
    assert "鹤山市共和镇硅谷路6号" in client.get(park_url("detail", park)).content.decode()
