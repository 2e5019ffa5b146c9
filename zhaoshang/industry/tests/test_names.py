"""Company names reduced for matching (industry.services.normalize_name) and kept on Enterprise."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.services import name_key, normalize_name
from zhaoshang.industry.tests.factories import EnterpriseFactory


@pytest.mark.parametrize(
    "name",
    [
        "某某科技有限公司",
        "某某科技股份有限公司",
        "某某科技（江门）有限公司",
        "某某科技(江门)有限公司",
        "某某科技有限责任公司",
        "某某科技集团股份有限公司",
        "某某科技集团有限公司",
        "某某科技集团",
        "某某科技",
    ],
)
def test_one_company_in_all_its_chinese_legal_forms_has_one_normalized_name(name):
    assert normalize_name(name) == "某某科技"


def test_china_in_parentheses_is_dropped_from_a_name():
    assert normalize_name("阿里巴巴（中国）有限公司") == "阿里巴巴"
    assert normalize_name("某某(中国)投资有限公司") == "某某投资"


def test_full_width_and_half_width_forms_of_a_name_are_the_same():
    assert normalize_name("ＴＣＬ科技集团股份有限公司") == normalize_name("TCL科技集团股份有限公司") == "tcl科技"
    assert normalize_name("Ｆｏｏ　Ｃｏ．，Ｌｔｄ．") == normalize_name("Foo Co., Ltd.") == "foo"


def test_spaces_inside_a_name_do_not_matter():
    assert normalize_name("  某某 科技  有限公司 ") == "某某科技"
    assert normalize_name("Tate  &  Lyle\tPLC") == normalize_name("Tate & Lyle PLC")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tate & Lyle PLC", "tatelyle"),
        ("Foo Co., Ltd.", "foo"),
        ("FOO CO.,LTD.", "foo"),
        ("Foo Company Limited", "foo"),
        ("Foo (China) Co., Ltd.", "foo"),
        ("Foo Group Co., Ltd.", "foo"),
        ("Apple Inc.", "apple"),
        ("Tesla, Inc.", "tesla"),
        ("Microsoft Corporation", "microsoft"),
        ("Siemens AG", "siemens"),
        ("Robert Bosch GmbH", "robertbosch"),
        ("Foo LLC", "foo"),
    ],
)
def test_english_legal_forms_are_dropped_from_a_name(name, expected):
    assert normalize_name(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tag", "tag"),  # not "t" + AG
        ("Zinc", "zinc"),  # not "z" + Inc
        ("Disco", "disco"),  # not "dis" + Co
        ("Abacorp", "abacorp"),  # not "aba" + Corp
        ("Bigroup", "bigroup"),  # not "bi" + Group
    ],
)
def test_a_latin_legal_form_is_dropped_only_when_it_is_a_separate_word(name, expected):
    assert normalize_name(name) == expected


def test_a_name_that_is_only_a_legal_form_is_not_emptied():
    assert normalize_name("Ltd.") == "ltd"
    assert normalize_name("公司") == "公司"


def test_an_empty_name_normalizes_to_an_empty_string():
    assert normalize_name("") == ""
    assert normalize_name(None) == ""


# --- properties ----------------------------------------------------------------------------------

CHINESE_WORDS = ["某某", "科技", "新能源", "电池", "江门", "华为技术", "投资", "智能制造", "照明", "TCL"]
LATIN_WORDS = ["foo", "tate", "lyle", "tag", "zinc", "siemens", "global", "energy", "disco", "bosch"]
REGIONS = ["", "（江门）", "(江门)", "（中国）", "(中国)", "【深圳】", "[香港]"]
CHINESE_FORMS = ["", "有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "集团", "公司"]
LATIN_FORMS = ["", " Co., Ltd.", " Co.,Ltd.", " Company Limited", " PLC", " Inc.", ", Inc.", " AG", " GmbH", " Corp."]

FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"}


def full_width(text: str) -> str:
    return "".join(FULL_WIDTH.get(ch, ch) for ch in text)


chinese_bases = st.lists(st.sampled_from(CHINESE_WORDS), min_size=1, max_size=3).map("".join)
latin_bases = st.lists(
    st.sampled_from(LATIN_WORDS).flatmap(lambda w: st.sampled_from([w, w.title(), w.upper()])), min_size=1, max_size=3
).map(" ".join)


@st.composite
def company_names(draw):
    """(base name, the same company in one of its legal forms, possibly typed in full-width characters)."""
    if draw(st.booleans()):
        base = draw(chinese_bases)
        name = base + draw(st.sampled_from(REGIONS)) + draw(st.sampled_from(CHINESE_FORMS))
    else:
        base = draw(latin_bases)
        region = draw(st.sampled_from(["", " (China)", " （中国）"]))
        name = base + region + draw(st.sampled_from(LATIN_FORMS))
    if draw(st.booleans()):
        name = full_width(name)
    return base, name


@given(company_names())
def test_a_company_name_in_any_legal_form_normalizes_like_its_bare_name(pair):
    base, name = pair
    assert normalize_name(name) == normalize_name(base)


@given(company_names())
def test_normalizing_a_company_name_twice_changes_nothing(pair):
    _base, name = pair
    once = normalize_name(name)
    assert normalize_name(once) == once


@given(st.text(max_size=40))
def test_a_normalized_name_never_has_spaces_or_upper_case(text):
    result = normalize_name(text)
    assert not any(ch.isspace() for ch in result)
    assert result == result.lower()


@pytest.mark.parametrize("name", ["某某科技有限公 司", "某某科技有限公司.", "某某科技（江门（蓬江））有限公司"])
def test_normalizing_an_untidy_name_twice_changes_nothing(name):
    once = normalize_name(name)
    assert normalize_name(once) == once


def test_a_space_typed_inside_a_chinese_legal_form_does_not_matter():
    assert normalize_name("某某科技有限 公司") == "某某科技"


# --- on the model --------------------------------------------------------------------------------


def test_saving_an_enterprise_stores_its_normalized_name(db):
    enterprise = EnterpriseFactory(name="某某科技（江门）有限公司")
    enterprise.refresh_from_db()
    assert enterprise.normalized_name == "某某科技"


def test_renaming_an_enterprise_updates_its_normalized_name_even_with_update_fields(db):
    enterprise = EnterpriseFactory(name="某某科技有限公司")
    enterprise.name = "Tate & Lyle PLC"
    enterprise.save(update_fields=["name"])
    assert Enterprise.objects.get(pk=enterprise.pk).normalized_name == "tatelyle"


def test_one_company_filed_under_two_legal_forms_is_found_by_its_normalized_name(db):
    first = EnterpriseFactory(name="某某科技有限公司")
    second = EnterpriseFactory(name="某某科技（江门）股份有限公司")
    EnterpriseFactory(name="另一家科技有限公司")
    same = Enterprise.objects.filter(normalized_name=normalize_name("某某科技集团"))
    assert set(same) == {first, second}


# --- the looser key of possible duplicates ------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "江门市某某科技有限公司",
        "某某科技（江门）有限公司",
        "某某科技股份有限公司",
        "广东省江门市某某科技有限公司",
        "江门市新会区某某科技有限公司",
        "深圳某某科技集团有限公司",
        "某某科技",
    ],
)
def test_place_names_and_legal_form_words_are_dropped_from_the_name_key(name):
    assert name_key(name) == "某某科技"


def test_a_name_that_is_only_a_place_keeps_it_in_the_name_key():
    assert name_key("江门市") == "江门市"
    assert name_key("江门市有限公司") == "江门市"


def test_a_place_name_inside_a_name_stays_in_the_key():
    assert name_key("某某江门科技有限公司") == "某某江门科技"


def test_saving_an_enterprise_stores_its_name_key(db):
    enterprise = EnterpriseFactory(name="江门市某某科技有限公司")
    enterprise.refresh_from_db()
    assert (enterprise.normalized_name, enterprise.name_key) == ("江门市某某科技", "某某科技")
