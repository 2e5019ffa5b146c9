"""The city's page (the portal's landing at /) and the public search with its suggestions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from zhaoshang.geo.choices import Availability, CarrierKind
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, stale_date
from zhaoshang.industry.tests.factories import ChainFactory
from zhaoshang.portal.models import CityProfile, Policy


def days(n):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def listings(city):
    """Published and hidden parks, sites of each kind and availability, policies in force, expired and future."""
    park = ParkFactory(name="银湖湾科技园", name_en="Silver Lake Bay Science Park")
    other = ParkFactory(name="大广海湾产业园", name_en="Great Guanghai Bay Park")
    hidden = ParkFactory(name="银湖湾未发布园", name_en="Silver Lake Hidden Park", published=False)
    sites = {
        "parcel": CarrierFactory(reference="JM-0703-001", name="银湖湾地块", name_en="Silver Lake plot", park=park),
        "parcel2": CarrierFactory(reference="JM-0704-002", name="滨江地块", area_mu=Decimal("30.5"), park=other),
        "reserved": CarrierFactory(
            reference="JM-0703-003", name="预留地块", availability=Availability.RESERVED, area_mu=Decimal("70")
        ),
        "factory": CarrierFactory(
            reference="JM-0703-004",
            name="标准厂房一号",
            kind=CarrierKind.FACTORY,
            area_mu=None,
            floor_area_m2=Decimal("2000"),
            park=park,
        ),
        "factory2": CarrierFactory(
            reference="JM-0703-005",
            name="标准厂房二号",
            kind=CarrierKind.FACTORY,
            area_mu=None,
            floor_area_m2=Decimal("1500.5"),
        ),
        "taken": CarrierFactory(reference="JM-0703-006", name="银湖湾已出让地块", availability=Availability.TAKEN),
        "unpublished": CarrierFactory(reference="JM-0703-007", name="银湖湾未发布地块", published=False),
        "stale": CarrierFactory(reference="JM-0703-008", name="银湖湾过期地块", last_verified=stale_date()),
        "hidden_park_site": CarrierFactory(reference="JM-0703-009", name="隐园地块", park=hidden, published=False),
    }
    policies = {
        "city": Policy.objects.create(
            title="银湖湾招商引资扶持办法",
            title_en="Silver Lake investment support",
            summary="…",
            effective_from=days(-30),
        ),
        "open": Policy.objects.create(
            title="标准厂房租金补贴", summary="…", effective_from=days(-10), effective_to=days(10)
        ),
        "expired": Policy.objects.create(
            title="银湖湾旧扶持政策", summary="…", effective_from=days(-400), effective_to=days(-1)
        ),
        "future": Policy.objects.create(title="银湖湾未来扶持政策", summary="…", effective_from=days(5)),
    }
    return {"park": park, "other": other, "hidden": hidden, "sites": sites, "policies": policies}


@pytest.fixture
def profile(db):
    return CityProfile.objects.create(
        slogan="侨乡新城，投资首选",
        slogan_en="The home of overseas Chinese, a place to invest",
        intro="一座制造业城市。",
        intro_en="A manufacturing city.",
        office="市投资促进中心",
        office_en="Investment Promotion Centre",
        phone="0750-1234567",
        email="invest@example.cn",
        address="某路1号",
        address_en="1 Some Road",
    )


# --- the landing page ------------------------------------------------------------------------------------------


def test_the_city_page_is_the_site_root_and_the_map_moved_to_map(city, investor):
    assert reverse("portal:home") == "/"
    assert reverse("portal:map") == "/map/"
    assert investor.get("/").resolver_match.url_name == "home"
    assert "portal-map-app" in investor.get("/map/").content.decode()


def test_the_city_page_says_who_the_city_is_with_its_chains_parks_and_contacts(city, investor, listings, profile):
    sought = ChainFactory(name="新能源电池", name_en="New energy batteries")
    ChainFactory(name="已停用产业链", active=False)
    page = investor.get("/")
    html = page.content.decode()
    assert page.context["city_name"] == "江门市"
    assert "侨乡新城，投资首选" in html and "一座制造业城市。" in html
    assert f'href="/map/?chain={sought.pk}"' in html and "已停用产业链" not in html
    assert listings["park"].get_absolute_url() in html and listings["other"].get_absolute_url() in html
    assert "银湖湾未发布园" not in html
    assert "0750-1234567" in html and "invest@example.cn" in html and "市投资促进中心" in html


def test_the_city_name_comes_from_the_configured_region_in_the_header_of_every_public_page(city, investor):
    html = investor.get(reverse("portal:policy-list")).content.decode()
    assert '<span data-testid="city-brand">江门市</span>' in html
    with override_settings(ZHAOSHANG_CITY_ADCODE="440703"):
        assert investor.get("/").context["city_name"] == "蓬江区"
        assert '<span data-testid="city-brand">蓬江区</span>' in investor.get("/map/").content.decode()


def test_the_city_page_works_before_the_centre_writes_the_profile(city, investor):
    page = investor.get("/")
    assert page.status_code == 200
    assert page.context["profile"] is None
    assert "江门市" in page.content.decode()


def test_the_english_city_page_reads_the_english_profile(city, investor, listings, profile):
    html = investor.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Jiangmen" in html
    assert "The home of overseas Chinese, a place to invest" in html and "A manufacturing city." in html
    assert "Investment Promotion Centre" in html and "1 Some Road" in html
    assert "Silver Lake Bay Science Park" in html
    assert "侨乡新城" not in html and "银湖湾科技园" not in html


def figure_values(investor):
    return {figure.key: figure for figure in investor.get("/").context["figures"]}


def test_each_figure_of_the_city_page_equals_the_count_of_the_list_it_links_to(city, investor, listings):
    figures = figure_values(investor)
    html = investor.get("/").content.decode()
    for figure in figures.values():
        assert f'href="{figure.url}"' in html.replace("&amp;", "&")

    parks = investor.get(figures["parks"].url).context["groups"]
    assert figures["parks"].value == parks[0]["count"] == len(parks[0]["items"]) == 2

    api = reverse("api:portal-site-list")

    def listed(figure):
        assert figure.url == f"{reverse('portal:map')}?{figure.filters}"
        answer = investor.get(f"{api}?{figure.filters}&page_size=1000").json()
        assert answer["count"] == len(answer["results"])
        return answer["results"]

    assert figures["sites"].value == len(listed(figures["sites"])) == 4
    land = listed(figures["land"])
    assert figures["land"].value == sum(Decimal(str(site["area_mu"])) for site in land) == Decimal("80.5")
    factories = listed(figures["factories"])
    assert figures["factories"].value == sum(Decimal(str(s["floor_area_m2"])) for s in factories) == Decimal("3500.5")

    policies = investor.get(figures["policies"].url).context["page_obj"].paginator.count
    assert figures["policies"].value == policies == 2


def test_the_figures_follow_the_records(city, investor, listings):
    before = figure_values(investor)
    CarrierFactory(reference="JM-0703-010", name="新挂牌地块", area_mu=Decimal("12"))
    after = figure_values(investor)
    assert after["sites"].value == before["sites"].value + 1
    assert after["land"].value == before["land"].value + 12


def test_staff_see_the_same_public_figures_as_investors(city, investor, client, centre_officer, listings):
    client.force_login(centre_officer)
    public = {key: figure.value for key, figure in figure_values(investor).items()}
    assert {key: figure.value for key, figure in figure_values(client).items()} == public


def test_the_centre_edits_the_city_page_and_an_outpost_may_not(
    city, client, centre_officer, officer_a, profile, investor
):
    edit = reverse("portal:staff-city-edit", args=[profile.pk])
    client.force_login(officer_a)
    assert client.get(edit).status_code == 403
    assert "Edit the city" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(centre_officer)
    assert edit in client.get("/").content.decode()
    form = client.get(edit).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["slogan"] = "新的口号"
    assert client.post(edit, data).status_code == 302
    assert "新的口号" in investor.get("/").content.decode()


# --- search ----------------------------------------------------------------------------------------------------


def suggested(investor, query, **headers):
    response = investor.get(reverse("api:portal-suggest"), {"q": query}, **headers)
    assert response.status_code == 200
    return response.json()["results"]


def labels(results):
    return [item["label"] for item in results]


def test_the_search_groups_parks_sites_and_policies_with_their_counts(city, investor, listings):
    page = investor.get(reverse("portal:search"), {"q": "银湖湾"})
    groups = {group["key"]: group for group in page.context["groups"]}
    assert [item["label"] for item in groups["park"]["items"]] == ["银湖湾科技园"]
    assert [item["label"] for item in groups["site"]["items"]] == ["JM-0703-001 银湖湾地块"]
    assert [item["label"] for item in groups["policy"]["items"]] == ["银湖湾招商引资扶持办法"]
    assert {key: group["count"] for key, group in groups.items()} == {"park": 1, "site": 1, "policy": 1}
    assert page.context["total"] == 3


def test_what_the_public_may_not_see_never_appears_in_search_or_suggestions(
    city, investor, client, centre_officer, listings
):
    hidden = ["未发布", "过期", "已出让", "旧扶持", "未来扶持", "隐园"]
    client.force_login(centre_officer)  # staff search their own lists: the portal's search is the public's
    for visitor in (investor, client):
        for query in ["银湖湾", "yinhu", "JM-0703", "Silver Lake"]:
            page = visitor.get(reverse("portal:search"), {"q": query})
            shown = [item["label"] for group in page.context["groups"] for item in group["items"]]
            assert shown and sum(group["count"] for group in page.context["groups"]) == len(shown)
            found = labels(suggested(visitor, query))
            for word in hidden:
                assert not any(word in label for label in shown + found)
    assert labels(suggested(investor, "JM-0703-007")) == []
    assert labels(suggested(investor, "隐园")) == []
    assert labels(suggested(investor, "银湖湾旧扶持政策")) == []


@pytest.mark.parametrize(
    "query, expected",
    [
        ("银湖湾科技", "银湖湾科技园"),  # Chinese name
        ("Silver Lake Bay", "银湖湾科技园"),  # English name
        ("kejiyuan", "银湖湾科技园"),  # pinyin
        ("yinhu keji", "银湖湾科技园"),  # pinyin words
        ("yh kjy", "银湖湾科技园"),  # pinyin initials
        ("JM-0704-002", "JM-0704-002 滨江地块"),  # listing number
        ("0704", "JM-0704-002 滨江地块"),  # part of a listing number
        ("zujin butie", "标准厂房租金补贴"),  # a policy by pinyin
    ],
)
def test_suggestions_find_by_chinese_english_pinyin_and_listing_number(city, investor, listings, query, expected):
    assert expected in labels(suggested(investor, query))


def test_a_listing_number_typed_in_full_is_suggested_first_and_links_to_the_site(city, investor, listings):
    site = listings["sites"]["parcel"]
    found = suggested(investor, "jm-0703-001")
    assert (found[0]["kind"], found[0]["label"], found[0]["url"]) == (
        "site",
        "JM-0703-001 银湖湾地块",
        site.get_absolute_url(),
    )


def test_suggestions_are_at_most_eight_and_read_in_english_on_english_pages(city, investor, listings):
    for n in range(12):
        ParkFactory(name=f"银湖湾分园{n}", name_en=f"Silver Lake branch {n}")
    assert len(suggested(investor, "银湖湾")) == 8
    english = suggested(investor, "Silver Lake Bay", HTTP_ACCEPT_LANGUAGE="en")
    assert english[0] == {
        "kind": "park",
        "kind_label": "Parks",
        "label": "Silver Lake Bay Science Park",
        "url": listings["park"].get_absolute_url(),
    }


@pytest.fixture
def addressed(city):
    """A park and a site known by their addresses (their names say nothing of the place), and unpublished ones
    on the same road and in the same town."""
    return {
        "park": ParkFactory(
            name="智造创新园",
            name_en="Smart Manufacturing Park",
            address="江门市蓬江区棠下镇桐井路8号",
            address_en="8 Tongjing Road, Tangxia Town, Pengjiang District, Jiangmen",
        ),
        "hidden_park": ParkFactory(name="未发布创新园", address="江门市蓬江区棠下镇桐井路10号", published=False),
        "site": CarrierFactory(
            reference="JM-0703-021",
            name="滨河地块",
            name_en="Riverside plot",
            address="江门市蓬江区荷塘镇堡棠路123号",
            address_en="123 Baotang Road, Hetang Town, Pengjiang District, Jiangmen",
        ),
        "hidden_site": CarrierFactory(
            reference="JM-0703-022", name="未发布滨河地块", address="江门市蓬江区荷塘镇堡棠路125号", published=False
        ),
        "stale_site": CarrierFactory(
            reference="JM-0703-023",
            name="过期滨河地块",
            address="江门市蓬江区荷塘镇堡棠路127号",
            last_verified=stale_date(),
        ),
    }


@pytest.mark.parametrize("query", ["堡棠路", "堡棠", "Baotang Road", "baotang", "荷塘镇堡棠路123号"])
def test_a_site_is_found_by_a_road_of_its_address_and_not_an_unpublished_one(city, investor, addressed, query):
    assert labels(suggested(investor, query)) == ["JM-0703-021 滨河地块"]
    page = investor.get(reverse("portal:search"), {"q": query})
    groups = {group["key"]: group for group in page.context["groups"]}
    assert [item["label"] for item in groups["site"]["items"]] == ["JM-0703-021 滨河地块"]
    assert groups["park"]["count"] == 0
    assert "江门市蓬江区荷塘镇堡棠路123号" in page.content.decode()
    assert "未发布" not in page.content.decode() and "过期" not in page.content.decode()


@pytest.mark.parametrize("query", ["棠下镇", "棠下", "Tangxia", "tangxia"])
def test_a_park_is_found_by_its_town_and_not_an_unpublished_one(city, investor, addressed, query):
    found = suggested(investor, query)
    assert [(item["kind"], item["label"]) for item in found] == [("park", "智造创新园")]
    assert found[0]["url"] == addressed["park"].get_absolute_url()
    english = suggested(investor, query, HTTP_ACCEPT_LANGUAGE="en")
    assert labels(english) == ["Smart Manufacturing Park"]  # the name: the address is not repeated
    page = investor.get(reverse("portal:search"), {"q": query}, HTTP_ACCEPT_LANGUAGE="en")
    assert [item["label"] for item in page.context["groups"][0]["items"]] == ["Smart Manufacturing Park"]
    assert "8 Tongjing Road, Tangxia Town" in page.content.decode()


def test_an_address_changed_by_staff_is_searched_at_once(city, investor, addressed):
    site = addressed["site"]
    site.address = "江门市蓬江区杜阮镇龙榜路5号"
    site.save()
    assert labels(suggested(investor, "龙榜路")) == ["JM-0703-021 滨河地块"]
    assert labels(suggested(investor, "堡棠路")) == []


def test_an_empty_or_wordless_query_suggests_nothing(city, investor, listings):
    assert suggested(investor, "") == []
    assert suggested(investor, "   ") == []
    assert suggested(investor, "!!!") == []
    assert suggested(investor, "\x00") == []
    assert labels(suggested(investor, "银湖湾\x00科技")) == ["银湖湾科技园"]
    assert investor.get(reverse("portal:search"), {"q": ""}).context["groups"] == []


def test_names_are_escaped_in_the_results(city, investor):
    ParkFactory(name="<script>alert(1)</script>园", name_en="<b>Bold</b> park")
    html = investor.get(reverse("portal:search"), {"q": "script"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;园" in html


def test_the_search_box_works_without_javascript_and_is_a_combobox(city, investor):
    html = investor.get(reverse("portal:policy-list")).content.decode()
    assert f'action="{reverse("portal:search")}"' in html
    assert 'role="combobox"' in html and 'aria-expanded="false"' in html and 'role="listbox"' in html
    assert f'data-suggest-url="{reverse("api:portal-suggest")}"' in html
    assert 'role="combobox"' in investor.get("/").content.decode()


def test_the_suggestions_are_rate_limited_and_in_the_openapi_schema(city, investor, monkeypatch):
    from django.core.cache import cache
    from drf_spectacular.generators import SchemaGenerator

    cache.clear()
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "portal", "2/min")
    url = reverse("api:portal-suggest")
    assert [investor.get(url, {"q": "x"}).status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/portal/suggest/"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["q"]


def test_all_kinds_show_the_first_ten_of_each_with_a_link_to_the_whole_kind(city, investor, listings):
    for n in range(12):
        CarrierFactory(reference=f"JM-0799-{n:03d}", name=f"银湖湾新地块{n}")
    page = investor.get(reverse("portal:search"), {"q": "银湖湾"})
    sites = next(group for group in page.context["groups"] if group["key"] == "site")
    assert sites["count"] == 13 and len(sites["items"]) == 10
    assert "?q=%E9%93%B6%E6%B9%96%E6%B9%BE&amp;kind=site" in page.content.decode()
    whole = investor.get(reverse("portal:search"), {"q": "银湖湾", "kind": "site"}).context["groups"]
    assert [group["key"] for group in whole] == ["site"] and len(whole[0]["items"]) == 13


def test_a_park_card_shows_the_park_cover_photo_with_its_description(city, investor, listings, settings, tmp_path):
    from zhaoshang.core.testing import listing_photo

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    photo = listing_photo(listings["park"], "园区大门", "The park's gate")
    page = investor.get(reverse("portal:home")).content.decode()
    assert f'src="{photo.thumbnail_url}" alt="园区大门"' in page
    assert investor.get(photo.thumbnail_url).status_code == 200
    assert page.count('data-testid="park-cover"') == 1  # the other park has none
