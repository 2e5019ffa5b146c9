"""Chinese full-text search (core.search) and enterprise search through the FilterSet, the list page and the API.

These tests run on whatever database the suite runs on (SQLite, and PostgreSQL through DATABASE_URL).
"""

import pytest
from django.db.models import Q

from zhaoshang.core import search
from zhaoshang.industry.filtersets import EnterpriseFilterSet
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.tests.factories import EnterpriseFactory

HUAWEI = "914403001922038216"
TENCENT = "91440300708461136T"


# --- index_terms, build_search_text, query_q -----------------------------------------------------


def test_every_two_character_run_of_a_chinese_name_is_a_term():
    terms = search.index_terms("江门市新会区某某电池有限公司")
    assert {"江门", "门市", "市新", "新会", "会区", "区某", "某某", "某电", "电池", "有限", "公司"} <= terms


def test_jiebas_search_mode_words_are_terms():
    terms = search.index_terms("江门市新会区某某电池有限公司")
    assert {"江门市", "新会区", "有限公司"} <= terms


def test_the_pinyin_of_each_word_is_a_term_in_full_and_as_initials():
    terms = search.index_terms("江门市新会区某某电池有限公司")
    assert {"jiangmenshi", "jms", "xinhuiqu", "xhq", "dianchi", "dc"} <= terms


def test_latin_words_and_codes_are_terms_in_lower_case():
    assert search.index_terms("Tate & Lyle PLC", TENCENT) == {"tate", "lyle", "plc", TENCENT.lower()}


def test_full_width_text_is_indexed_as_half_width():
    assert search.index_terms("ＴＣＬ　Ｇｒｏｕｐ") == {"tcl", "group"}


def test_a_one_character_chinese_text_is_its_own_term():
    assert "江" in search.index_terms("江")


def test_missing_and_empty_texts_give_no_terms():
    assert search.index_terms(None, "", "  ") == set()
    assert search.build_search_text(None, "") == ""


def test_the_search_text_is_the_sorted_terms_padded_with_spaces():
    text = search.build_search_text("Lyle", "Tate")
    assert text == " lyle tate "


def test_the_terms_of_several_fields_are_merged_once():
    text = search.build_search_text("江门", "江门", "Jiangmen")
    assert text.split().count("江门") == 1
    assert text.split().count("jiangmen") == 1


def test_a_chinese_query_asks_for_each_of_its_two_character_runs_as_a_whole_term():
    q = search.query_q("新会区")
    assert isinstance(q, Q)
    assert sorted(q.children) == [("search_text__contains", " 会区 "), ("search_text__contains", " 新会 ")]


def test_a_latin_query_asks_for_a_word_starting_with_it():
    assert search.query_q("Lyl").children == [("search_text__contains", " lyl")]


def test_a_one_character_query_asks_for_the_character_anywhere():
    assert search.query_q("江").children == [("search_text__contains", "江")]


def test_a_query_can_name_the_field_it_searches():
    assert search.query_q("tate", field="other_text").children == [("other_text__contains", " tate")]


def test_a_mixed_query_asks_for_all_of_its_terms():
    q = search.query_q("江门 Tate")
    assert sorted(q.children) == [("search_text__contains", " tate"), ("search_text__contains", " 江门 ")]


@pytest.mark.parametrize("query", ["", "   ", None, "!!", "（）", "&-"])
def test_a_query_without_terms_asks_for_nothing(query):
    assert search.query_q(query) is None


# --- enterprises -----------------------------------------------------------------------------------


@pytest.fixture
def enterprises(db):
    """A small register: two Jiangmen companies, two Shenzhen companies and a British one."""
    return {
        "battery": EnterpriseFactory(name="江门市新会区某某电池有限公司"),
        "lighting": EnterpriseFactory(name="某某照明科技有限公司", hq_city="江门"),
        "huawei": EnterpriseFactory(name="华为技术有限公司", uscc=HUAWEI, hq_city="深圳"),
        "tencent": EnterpriseFactory(name="深圳市腾讯计算机系统有限公司", uscc=TENCENT, hq_city="深圳"),
        "tate": EnterpriseFactory(
            name="泰莱（中国）投资有限公司", name_en="Tate & Lyle PLC", uscc=None, hq_city="London", hq_country="英国"
        ),
    }


def found(query: str) -> set[str]:
    """The names of the enterprises the shared FilterSet finds for ``?q=query``."""
    filterset = EnterpriseFilterSet({"q": query}, queryset=Enterprise.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("name", flat=True))


def test_a_two_character_word_is_found_inside_a_longer_name(enterprises):
    assert found("新会") == {"江门市新会区某某电池有限公司"}


def test_a_city_is_found_in_names_and_in_the_headquarters_city(enterprises):
    assert found("江门") == {"江门市新会区某某电池有限公司", "某某照明科技有限公司"}
    assert found("深圳") == {"华为技术有限公司", "深圳市腾讯计算机系统有限公司"}


def test_every_word_of_a_query_must_be_found(enterprises):
    assert found("江门 电池") == {"江门市新会区某某电池有限公司"}
    assert found("江门 华为") == set()


def test_pinyin_finds_a_chinese_name(enterprises):
    assert found("xinhui") == {"江门市新会区某某电池有限公司"}
    assert found("XinHui") == {"江门市新会区某某电池有限公司"}


def test_pinyin_initials_find_a_chinese_name(enterprises):
    assert "江门市新会区某某电池有限公司" in found("xhq")


def test_the_start_of_a_latin_word_finds_an_english_name(enterprises):
    assert found("Lyl") == {"泰莱（中国）投资有限公司"}
    assert found("tate lyle") == {"泰莱（中国）投资有限公司"}
    assert found("london") == {"泰莱（中国）投资有限公司"}


def test_the_middle_of_a_latin_word_does_not_match(enterprises):
    assert found("yle") == set()


def test_the_start_of_a_credit_code_finds_the_companies_registered_under_it(enterprises):
    assert found("91440300") == {"华为技术有限公司", "深圳市腾讯计算机系统有限公司"}
    assert found("9144030019") == {"华为技术有限公司"}
    assert found(TENCENT.lower()) == {"深圳市腾讯计算机系统有限公司"}


def test_a_query_that_matches_nothing_finds_nothing(enterprises):
    assert found("电动汽车") == set()
    assert found("volkswagen") == set()
    assert found("5555") == set()


def test_a_one_character_query_finds_every_name_with_that_character(enterprises):
    assert found("池") == {"江门市新会区某某电池有限公司"}
    assert found("腾") == {"深圳市腾讯计算机系统有限公司"}


def test_full_width_query_finds_like_half_width(enterprises):
    assert found("ＬＹＬＥ") == found("lyle") == {"泰莱（中国）投资有限公司"}


def test_an_empty_query_does_not_filter(enterprises):
    assert found("") == {e.name for e in enterprises.values()}
    assert found("!!") == {e.name for e in enterprises.values()}


def test_the_headquarters_district_is_searchable(city, db):
    from zhaoshang.geo.models import Region

    xinhui = Region.objects.get(adcode="440705")
    assert xinhui.name == "新会区"
    EnterpriseFactory(name="某某新材料有限公司", hq_region=xinhui)
    EnterpriseFactory(name="某某精密制造有限公司")
    assert found("新会") == {"某某新材料有限公司"}


def test_renaming_an_enterprise_reindexes_it(enterprises):
    battery = enterprises["battery"]
    battery.name = "某某储能有限公司"
    battery.save(update_fields=["name"])
    assert found("新会") == set()
    assert found("储能") == {"某某储能有限公司"}


def test_pinyin_finds_a_two_character_place_name_on_its_own(db):
    EnterpriseFactory(name="某某照明科技有限公司", hq_city="新会")
    assert found("xinhui") == {"某某照明科技有限公司"}


# --- the list page and the API use the same FilterSet --------------------------------------------


def listed(response) -> set[str]:
    return {enterprise.name for enterprise in response.context["object_list"]}


def test_the_enterprise_list_page_searches_with_q(enterprises, client_for, officer_a):
    client = client_for(officer_a)
    response = client.get("/industry/enterprises/", {"q": "新会"})
    assert response.status_code == 200
    assert listed(response) == {"江门市新会区某某电池有限公司"}
    assert "江门市新会区某某电池有限公司" in response.content.decode()
    assert listed(client.get("/industry/enterprises/", {"q": "xinhui"})) == {"江门市新会区某某电池有限公司"}
    assert listed(client.get("/industry/enterprises/", {"q": "91440300"})) == {
        "华为技术有限公司",
        "深圳市腾讯计算机系统有限公司",
    }
    assert listed(client.get("/industry/enterprises/", {"q": "电动汽车"})) == set()


def test_search_on_the_list_page_stays_within_what_the_user_may_see(outpost_b, client_for, officer_a):
    EnterpriseFactory(name="江门市新会区某某电池有限公司")
    EnterpriseFactory(name="新会某某陈皮有限公司", owner_team=outpost_b)
    response = client_for(officer_a).get("/industry/enterprises/", {"q": "新会"})
    assert listed(response) == {"江门市新会区某某电池有限公司"}


def test_the_api_searches_enterprises_with_q(enterprises, api_for, officer_a):
    response = api_for(officer_a).get("/api/enterprises/", {"q": "Lyle"})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["泰莱（中国）投资有限公司"]
