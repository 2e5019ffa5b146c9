"""The public pages: the investment map, park and site pages (招什么 到哪里 落哪里 如何落), guides, policies, QR."""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from zhaoshang.geo.choices import CarrierKind
from zhaoshang.geo.models import Carrier
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, district
from zhaoshang.industry.models import IndustryCode
from zhaoshang.industry.tests.factories import ChainFactory
from zhaoshang.portal.models import Guide, GuideStep, Policy
from zhaoshang.portal.services.listings import policies_for

STATIC_DIR = Path(__file__).resolve().parents[1] / "static" / "portal"
EXTERNAL = re.compile(r"""(?:https?:)?//(?!testserver[/:"'])[a-z0-9.-]+\.[a-z]{2,}""", re.IGNORECASE)
PAGE_BUDGET = 1_500_000  # bytes: the map's first load on a phone


def year_ago():
    return timezone.localdate() - timedelta(days=365)


@pytest.fixture
def guides(db):
    industrial = Guide.objects.create(
        project_type="industrial", title="工业项目落地指南", title_en="Landing an industrial project"
    )
    GuideStep.objects.create(
        guide=industrial,
        order=1,
        title="项目备案",
        title_en="Project filing",
        department="发展和改革局",
        department_en="Development and Reform Bureau",
        documents="营业执照\n项目备案申请表",
        duration_days=3,
    )
    services = Guide.objects.create(project_type="services", title="服务业项目落地指南", title_en="Services projects")
    GuideStep.objects.create(guide=services, order=1, title="商事登记", department="市场监督管理局", duration_days=1)
    return industrial, services


# --- the map -----------------------------------------------------------------------------------------------


def test_the_map_is_at_map_and_offers_the_chains_the_city_seeks_as_chips(city, investor):
    sought = ChainFactory(name="新能源电池", name_en="New energy batteries")
    ChainFactory(name="已停用产业链", active=False)
    assert reverse("portal:map") == "/map/"
    page = investor.get("/map/").content.decode()
    assert f'data-chain="{sought.pk}"' in page
    assert "新能源电池" in page
    assert "已停用产业链" not in page


def test_the_map_filters_use_the_site_filterset_names(city, investor):
    page = investor.get("/map/").content.decode()
    for name in [
        "chain",
        "industry",
        "district",
        "kind",
        "area_min",
        "area_max",
        "price_max",
        "rent_max",
        "power_min",
        "wastewater_min",
        "availability",
    ]:
        assert f'name="{name}"' in page, name
    assert ">蓬江区<" in page  # the city's districts to choose from


def test_the_map_page_says_where_its_data_comes_from_and_keeps_the_filters_of_its_address(city, investor):
    response = investor.get("/map/", {"kind": "factory", "chain": ""})
    config = response.context["map_config"]
    assert config["sites"] == reverse("api:portal-site-geojson")
    assert config["regions"].endswith(f"?parent={settings.ZHAOSHANG_CITY_ADCODE}")
    assert config["tiles"] == ""
    assert re.search(r'name="kind" value="factory"[^>]*checked', response.content.decode())


def test_the_online_tile_layer_is_offered_only_when_configured(city, investor, settings):
    settings.ZHAOSHANG_ONLINE_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.ZHAOSHANG_ONLINE_TILES_ATTRIBUTION = "© Example"
    config = investor.get("/map/").context["map_config"]
    assert config["tiles"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert config["tilesAttribution"] == "© Example"


def test_the_map_page_references_no_other_host(city, investor):
    ChainFactory()
    html = investor.get("/map/").content.decode()
    assert EXTERNAL.findall(html) == []
    for name in ["map.js", "map.css"]:
        assert EXTERNAL.findall((STATIC_DIR / name).read_text()) == [], name


def test_the_maps_first_load_stays_well_under_the_budget_with_a_full_viewport(city, investor):
    """Static files counted uncompressed (the worst case), the map's data as a browser receives it (gzip)."""
    team = CarrierFactory().team
    region = district("440703")
    Carrier.objects.bulk_create(
        Carrier(
            kind=CarrierKind.PARCEL,
            reference=f"LOAD-{n:05d}",
            name=f"蓬江区工业地块{n}",
            name_en=f"Pengjiang industrial parcel {n}",
            region=region,
            team=team,
            lon=region.centre_lon + (n % 50) * 0.0002,
            lat=region.centre_lat + (n // 50) * 0.0002,
            published=True,
            last_verified=timezone.localdate(),
            area_mu=Decimal("35.5"),
            land_price=Decimal("48"),
        )
        for n in range(2100)
    )
    html = investor.get("/map/").content.decode()
    assets = re.findall(r"""(?:src|href)="/static/([^"]+)\"""", html)
    assert "vendor/leaflet/leaflet.js" in assets
    assert not any("echarts" in asset for asset in assets)
    static = sum(Path(finders.find(asset)).stat().st_size for asset in assets)
    config = investor.get("/map/").context["map_config"]
    data = [
        investor.get(config["regions"], HTTP_ACCEPT_ENCODING="gzip"),
        investor.get(config["sites"], HTTP_ACCEPT_ENCODING="gzip"),
        investor.get(config["parks"], HTTP_ACCEPT_ENCODING="gzip"),
    ]
    total = len(html.encode()) + static + sum(len(response.content) for response in data)
    assert total < PAGE_BUDGET, total


def test_the_map_renders_in_english(city, investor):
    ChainFactory(name="硅能源", name_en="Silicon energy")
    page = investor.get("/map/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Silicon energy" in page
    assert 'lang="en"' in page


# --- the park page -----------------------------------------------------------------------------------------


def test_a_park_page_answers_what_where_which_site_and_how(city, investor, guides):
    park = ParkFactory(name="江门高新区", name_en="Jiangmen Hi-tech Zone", codes=["38"], area_mu=Decimal("1500"))
    chain = ChainFactory(name="新能源电池")
    chain.parks.add(park)
    CarrierFactory(reference="JM-001", park=park)
    Policy.objects.create(title="园区专项政策", summary="…", park=park, effective_from=year_ago())
    response = investor.get(park.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "江门高新区" in page
    assert IndustryCode.objects.get(code="38").name in page  # 招什么: codes with their names
    assert "新能源电池" in page
    english = investor.get(park.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1,500 mu (1 km²)" in english  # 到哪里: area in mu and km²
    assert "JM-001" in page  # 落哪里
    assert "项目备案" in page and "发展和改革局" in page  # 如何落
    assert "园区专项政策" in page
    assert reverse("portal:park-qr", args=[park.pk, "svg"]) in page


def test_a_park_page_names_the_team_to_call_when_the_listing_has_no_contact_of_its_own(city, investor):
    park = ParkFactory(contact_phone="", team__phone="0750-3000000", team__name="江海区投资促进局")
    page = investor.get(park.get_absolute_url()).content.decode()
    assert "0750-3000000" in page
    assert "江海区投资促进局" in page


def test_a_park_page_in_english_shows_english_names(city, investor, guides):
    park = ParkFactory(name="江门高新区", name_en="Jiangmen Hi-tech Zone", codes=["38"])
    page = investor.get(park.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Jiangmen Hi-tech Zone" in page
    assert "江门高新区" not in page
    assert "Project filing" in page and "Development and Reform Bureau" in page
    assert district("440703").name_en in page


# --- the site page -----------------------------------------------------------------------------------------


def test_a_parcel_page_shows_land_facts_cost_infrastructure_and_the_industrial_guide(city, investor, guides):
    park = ParkFactory(name="新会产业园")
    site = CarrierFactory(
        park=park,
        area_mu=Decimal("30"),
        land_price=Decimal("50"),
        plot_ratio_min=Decimal("1.2"),
        plot_ratio_max=Decimal("2.5"),
        wastewater_t_day=Decimal("300"),
        codes=["38"],
    )
    page = investor.get(site.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "30 mu (20,000 m²)" in page  # 30 亩 = 20,000 m²
    assert "1.20 – 2.50" in page
    assert "15 million yuan" in page  # total land cost: 30 亩 × 50 万元 = 1,500 万元
    assert "5,000 kVA" in page
    assert "Landing an industrial project" in page
    assert park.get_absolute_url() in page
    assert IndustryCode.objects.get(code="38").name_en in page


def address_shown(page: str) -> str | None:
    found = re.search(r'data-testid="address">([^<]*)<', page)
    return found.group(1) if found else None


def test_a_site_page_shows_its_address_in_chinese_and_the_english_page_the_english_form(city, investor):
    site = CarrierFactory(address="江门市蓬江区棠下镇堡棠路123号", address_en="123 Baotang Road, Tangxia Town")
    chinese = investor.get(site.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert address_shown(chinese) == "江门市蓬江区棠下镇堡棠路123号"
    assert "Baotang Road" not in chinese
    english = investor.get(site.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert address_shown(english) == "123 Baotang Road, Tangxia Town"
    assert "堡棠路" not in english
    # without an English form the English page gives the Chinese one; without an address there is no line
    only_chinese = CarrierFactory(address="台山市广海镇海滨路18号")
    english = investor.get(only_chinese.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert address_shown(english) == "台山市广海镇海滨路18号"
    bare = investor.get(CarrierFactory().get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert address_shown(bare) is None and ">Address<" not in bare


def test_a_park_page_and_the_api_give_the_address(city, investor):
    park = ParkFactory(address="江门市蓬江区棠下镇桐井路8号", address_en="8 Tongjing Road, Tangxia Town")
    site = CarrierFactory(park=park, address="江门市蓬江区棠下镇桐井路20号")
    chinese = investor.get(park.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert address_shown(chinese) == "江门市蓬江区棠下镇桐井路8号"
    english = investor.get(park.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert address_shown(english) == "8 Tongjing Road, Tangxia Town"
    data = investor.get(reverse("api:portal-park-detail", args=[park.pk])).json()
    assert (data["address"], data["address_en"]) == ("江门市蓬江区棠下镇桐井路8号", "8 Tongjing Road, Tangxia Town")
    data = investor.get(reverse("api:portal-site-detail", args=[site.pk])).json()
    assert (data["address"], data["address_en"]) == ("江门市蓬江区棠下镇桐井路20号", "")


def test_an_office_page_shows_floor_facts_and_the_services_guide(city, investor, guides):
    site = CarrierFactory(
        kind=CarrierKind.OFFICE,
        area_mu=None,
        land_price=None,
        floor_area_m2=Decimal("800"),
        floors=20,
        rent=Decimal("45"),
    )
    page = investor.get(site.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "800 m²" in page
    assert "45 yuan per m² and month" in page
    assert "Services projects" in page
    assert "Landing an industrial project" not in page
    assert site.name_en in page


def test_a_site_page_lists_policies_that_apply_to_its_place_and_industry(city, investor):
    site = CarrierFactory(codes=["38"])
    Policy.objects.create(title="蓬江制造业政策", summary="…", region=district("440703"), effective_from=year_ago())
    Policy.objects.create(title="开平政策", summary="…", region=district("440783"), effective_from=year_ago())
    page = investor.get(site.get_absolute_url()).content.decode()
    assert "蓬江制造业政策" in page
    assert "开平政策" not in page


# --- QR codes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["portal", "park", "site"])
def test_qr_codes_are_valid_svg_and_png(city, investor, which):
    args = {"portal": [], "park": [ParkFactory().pk], "site": [CarrierFactory().pk]}[which]
    name = {"portal": "portal:portal-qr", "park": "portal:park-qr", "site": "portal:carrier-qr"}[which]
    svg = investor.get(reverse(name, args=[*args, "svg"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert ElementTree.fromstring(svg.content).tag == "{http://www.w3.org/2000/svg}svg"
    png = investor.get(reverse(name, args=[*args, "png"]))
    assert png["Content-Type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_qr_code_of_another_format_is_not_found(city, investor):
    assert investor.get("/qr.gif").status_code == 404


# --- guides and policies -----------------------------------------------------------------------------------


def test_the_guides_are_listed_and_each_shows_its_steps(city, investor, guides):
    listing = investor.get(reverse("portal:guide-list")).content.decode()
    assert "工业项目落地指南" in listing and "服务业项目落地指南" in listing
    detail = investor.get(reverse("portal:guide-detail", args=["industrial"])).content.decode()
    assert "项目备案申请表" in detail
    assert investor.get(reverse("portal:guide-detail", args=["logistics"])).status_code == 404


def test_the_policy_pages_show_policies_in_force_and_filter_by_district(city, investor):
    pengjiang = Policy.objects.create(
        title="蓬江政策",
        title_en="Pengjiang policy",
        summary="支持",
        region=district("440703"),
        effective_from=year_ago(),
    )
    Policy.objects.create(title="新会政策", summary="…", region=district("440705"), effective_from=year_ago())
    Policy.objects.create(title="旧政策", summary="…", effective_from=date(2019, 1, 1), effective_to=date(2020, 1, 1))
    listing = investor.get(reverse("portal:policy-list")).content.decode()
    assert "蓬江政策" in listing and "新会政策" in listing and "旧政策" not in listing
    filtered = investor.get(reverse("portal:policy-list"), {"district": "440703"}).content.decode()
    assert "蓬江政策" in filtered and "新会政策" not in filtered
    detail = investor.get(pengjiang.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pengjiang policy" in detail


# --- policies_for: the rule shared with matching -----------------------------------------------------------


def test_policies_for_a_park_are_city_wide_its_district_and_its_own_in_force(city):
    park = ParkFactory()
    other_park = ParkFactory()
    start = year_ago()
    Policy.objects.create(title="全市", summary="…", effective_from=start)
    Policy.objects.create(title="江门市级", summary="…", region=city, effective_from=start)
    Policy.objects.create(title="蓬江", summary="…", region=district("440703"), effective_from=start)
    Policy.objects.create(title="本园", summary="…", park=park, effective_from=start)
    Policy.objects.create(title="新会", summary="…", region=district("440705"), effective_from=start)
    Policy.objects.create(title="别园", summary="…", park=other_park, effective_from=start)
    Policy.objects.create(title="已过期", summary="…", effective_from=date(2020, 1, 1), effective_to=date(2020, 12, 31))
    Policy.objects.create(title="未生效", summary="…", effective_from=timezone.localdate() + timedelta(days=30))
    titles = [policy.title for policy in policies_for(region=park.region, park=park, codes=[])]
    assert titles[0] == "本园"  # the most specific first
    assert set(titles) == {"全市", "江门市级", "蓬江", "本园"}
    assert {p.title for p in policies_for(region=district("440705"))} == {"全市", "江门市级", "新会"}


def test_policies_for_industries_keep_those_for_all_industries_and_overlapping_ones(city):
    start = year_ago()
    Policy.objects.create(title="通用", summary="…", effective_from=start)
    Policy.objects.create(title="电气机械", summary="…", effective_from=start).industries.create(code="38")
    Policy.objects.create(title="电池", summary="…", effective_from=start).industries.create(code="3841")
    Policy.objects.create(title="制造业", summary="…", effective_from=start).industries.create(code="C")
    Policy.objects.create(title="食品", summary="…", effective_from=start).industries.create(code="14")
    assert {p.title for p in policies_for(codes=["3841"])} == {"通用", "电气机械", "电池", "制造业"}
    assert {p.title for p in policies_for(codes=["38"])} == {"通用", "电气机械", "电池", "制造业"}
    assert {p.title for p in policies_for(codes=["65"])} == {"通用"}
    assert len(policies_for()) == 5


def test_policies_for_chooses_as_the_policy_filters_query_does(city):
    """``policies_for`` chooses from the policies in force read once (``policy_book``); the policy list's filters
    ask the database with ``policy_place_q`` and ``policy_industry_q``: the same rule, the same policies."""
    from zhaoshang.portal.services.listings import policy_industry_q, policy_place_q

    park, other_park = ParkFactory(), ParkFactory()
    start = year_ago()
    places = {
        "city": {},
        "district": {"region": district("440703")},
        "park": {"park": park},
        "other": {"park": other_park},
    }
    for (label, place), code in zip(places.items(), ["", "38", "3841", "C", "14"], strict=False):
        for industry in ("", code):
            policy = Policy.objects.create(title=f"{label}-{industry}", summary="…", effective_from=start, **place)
            if industry:
                policy.industries.create(code=industry)
    for region, place_park in ((None, None), (district("440703"), None), (park.region, park), (None, other_park)):
        for codes in ([], ["3841"], ["38"], ["C"], ["14", "65"], ["65"]):
            expected = Policy.objects.filter(
                Policy.in_force_q(), policy_place_q(region, place_park), policy_industry_q(codes)
            )
            chosen = policies_for(region=region, park=place_park, codes=codes)
            assert {p.title for p in chosen} == {p.title for p in expected}, (region, place_park, codes)


def test_pages_and_static_files_go_out_compressed_to_a_browser_that_accepts_it(city, investor):
    import gzip

    page = investor.get("/map/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert page["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.content).decode()
    assert "vendor/leaflet/leaflet.js" in html
    script = investor.get("/static/vendor/leaflet/leaflet.js", HTTP_ACCEPT_ENCODING="gzip")
    body = b"".join(script.streaming_content) if script.streaming else script.content
    assert script["Content-Encoding"] == "gzip"
    assert len(body) < len(gzip.decompress(body)) / 2
    plain = investor.get("/map/", HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in plain and "vendor/leaflet/leaflet.js" in plain.content.decode()
