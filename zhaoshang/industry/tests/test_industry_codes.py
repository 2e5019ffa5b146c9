"""GB/T 4754-2017 (国民经济行业分类), loaded by a migration: 20 sections, 97 divisions.

The names are the standard's own, word for word; every code has an English
name; a section selects the enterprises of all its divisions.
"""

import pytest
from django.urls import reverse

from zhaoshang.industry.choices import CodeLevel
from zhaoshang.industry.models import IndustryCode
from zhaoshang.industry.tests.factories import EnterpriseFactory

# Each section with its first and last division (GB/T 4754-2017, table of sections and divisions).
SECTION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


def test_the_standard_has_twenty_sections_a_to_t(db):
    sections = IndustryCode.objects.filter(level=CodeLevel.SECTION)

    assert list(sections.values_list("code", flat=True)) == list("ABCDEFGHIJKLMNOPQRST")
    assert not sections.exclude(parent=None).exists()


def test_the_standard_has_ninety_seven_divisions_numbered_01_to_97(db):
    divisions = IndustryCode.objects.filter(level=CodeLevel.DIVISION)

    assert divisions.count() == 97
    assert sorted(divisions.values_list("code", flat=True)) == [f"{n:02d}" for n in range(1, 98)]


def test_each_division_belongs_to_its_section(db):
    for section, (first, last) in SECTION_RANGES.items():
        children = IndustryCode.objects.filter(parent__code=section).values_list("code", flat=True)
        assert sorted(children) == [f"{n:02d}" for n in range(first, last + 1)], section


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("13", "农副食品加工业"),
        ("38", "电气机械和器材制造业"),
        ("39", "计算机、通信和其他电子设备制造业"),
        ("37", "铁路、船舶、航空航天和其他运输设备制造业"),
        ("65", "软件和信息技术服务业"),
        ("C", "制造业"),
        ("I", "信息传输、软件和信息技术服务业"),
        ("01", "农业"),
        ("97", "国际组织"),
    ],
)
def test_codes_carry_the_standards_names_exactly(code, name, db):
    assert IndustryCode.objects.get(code=code).name == name


def test_division_38_belongs_to_manufacturing(db):
    division = IndustryCode.objects.get(code="38")

    assert division.level == CodeLevel.DIVISION
    assert division.parent.code == "C"
    assert division.parent.level == CodeLevel.SECTION


def test_every_code_has_an_english_name(db):
    assert not IndustryCode.objects.filter(name_en="").exists()
    assert IndustryCode.objects.get(code="C").name_en == "Manufacturing"
    english = IndustryCode.objects.values_list("name_en", flat=True)
    assert all(name.isascii() for name in english)


def test_codes_are_ordered_sections_then_divisions(db):
    codes = list(IndustryCode.objects.values_list("code", flat=True))

    assert codes[:20] == list("ABCDEFGHIJKLMNOPQRST")
    assert codes[20:] == [f"{n:02d}" for n in range(1, 98)]


def test_industry_code_api_is_public_and_names_the_parent(investor, db):
    response = investor.get("/api/industry-codes/38/")

    assert response.status_code == 200
    assert response.json() == {
        "code": "38",
        "name": "电气机械和器材制造业",
        "name_en": IndustryCode.objects.get(code="38").name_en,
        "level": "division",
        "parent": "C",
    }


def test_industry_code_api_lists_the_divisions_of_a_section(investor, db):
    response = investor.get("/api/industry-codes/", {"parent": "C", "page_size": 100})

    codes = [row["code"] for row in response.json()["results"]]
    assert response.json()["count"] == 31
    assert set(codes) <= {f"{n}" for n in range(13, 44)}


def test_industry_code_pages_render_for_staff(officer_a, client_for):
    client = client_for(officer_a)

    assert client.get(reverse("industry:code-list")).status_code == 200
    detail = client.get(reverse("industry:code-detail", args=["C"]))
    assert detail.status_code == 200
    assert "电气机械和器材制造业" in detail.content.decode()


# --- the industry filter on enterprises --------------------------------------------------------------------------


@pytest.fixture
def enterprises_by_division(db):
    """One shared-register enterprise per division code, named after it."""

    def make(code):
        return EnterpriseFactory(name=f"行业{code}样本有限公司", industry=IndustryCode.objects.get(code=code))

    return {code: make(code) for code in ["01", "12", "13", "26", "38", "39", "43", "44", "65"]}


def listed_names(response):
    return {e.name for e in response.context["object_list"]}


def test_industry_filter_with_a_section_selects_its_divisions_13_to_43(officer_a, enterprises_by_division, client_for):
    response = client_for(officer_a).get(reverse("industry:enterprise-list"), {"industry": "C"})

    assert response.status_code == 200
    assert listed_names(response) == {f"行业{c}样本有限公司" for c in ["13", "26", "38", "39", "43"]}


def test_industry_filter_with_a_division_selects_only_that_division(officer_a, enterprises_by_division, client_for):
    response = client_for(officer_a).get(reverse("industry:enterprise-list"), {"industry": "38"})

    assert listed_names(response) == {"行业38样本有限公司"}


def test_industry_filter_accepts_lower_case_and_spaces(officer_a, enterprises_by_division, client_for):
    response = client_for(officer_a).get(reverse("industry:enterprise-list"), {"industry": " c "})

    assert len(listed_names(response)) == 5


def test_industry_filter_with_an_unknown_code_selects_nothing(officer_a, enterprises_by_division, client_for):
    response = client_for(officer_a).get(reverse("industry:enterprise-list"), {"industry": "Z"})

    assert response.status_code == 200
    assert listed_names(response) == set()


def test_industry_filter_works_the_same_over_the_api(officer_a, enterprises_by_division, api_for):
    response = api_for(officer_a).get("/api/enterprises/", {"industry": "C"})

    assert response.status_code == 200
    assert {row["industry"] for row in response.json()["results"]} == {"13", "26", "38", "39", "43"}
