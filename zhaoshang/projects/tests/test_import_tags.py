"""The investor's tags in the projects' workbook: imported onto the enterprise, exported again, counted by the
big-firm and high-tech figures; a filled cell replaces the tags, an empty one keeps them."""

import pytest
from django.utils import translation

from zhaoshang.industry.models import Enterprise, EnterpriseTag
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.test_import import (
    EXPORT_URL,
    IMPORT_URL,
    KEYS,
    header,
    row,
    sheet_rows,
    upload,
    uscc,
)
from zhaoshang.stats import services as stats
from zhaoshang.stats.periods import Period

TAGGED_KEYS = [*KEYS, "investor_tags"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    return lambda user: client_for(user, language="en")


def tagged_workbook(*rows):
    return upload([[header(k) for k in TAGGED_KEYS], *rows])


def tagged_row(team, tags, **fields):
    return [*row(team, **fields), tags]


def slugs(enterprise) -> set[str]:
    return set(enterprise.tags.values_list("slug", flat=True))


def figures(year):
    keys = ["large_signed", "large_leading_signed", "large_high_tech_signed"]
    computed = stats.compute(keys, Period.whole_year(year))
    return [computed[k].value for k in keys]


def test_the_investors_tags_are_imported_onto_the_enterprise_and_counted_by_the_figures(
    city, outpost_a, officer_a, client_for
):
    rows = [
        tagged_row(outpost_a, "High-tech enterprise、上市公司", name="电池项目"),
        tagged_row(outpost_a, "高新技术企业, Listed company", name="电池二期", amount=50_000),  # the same investor
        tagged_row(outpost_a, "", name="其他项目", enterprise="另一家企业有限公司", credit=uscc("2")),
    ]

    response = client_for(officer_a).post(IMPORT_URL, {"file": tagged_workbook(*rows)})

    assert response.status_code == 200, response.context["result"].errors
    assert slugs(Enterprise.objects.get(uscc=uscc("1"))) == {"high-tech", "listed"}
    assert slugs(Enterprise.objects.get(uscc=uscc("2"))) == set()
    year = Project.objects.get(name="电池项目").signed_on.year
    assert figures(year) == [3, 2, 2]


def test_an_exported_workbook_with_the_investors_tags_imports_again_unchanged(city, outpost_a, officer_a, client_for):
    client = client_for(officer_a)
    client.post(IMPORT_URL, {"file": tagged_workbook(tagged_row(outpost_a, "世界500强、高新技术企业"))})
    exported = sheet_rows(client.get(EXPORT_URL).content)
    assert exported[1][exported[0].index(header("investor_tags"))] == "Fortune Global 500、High-tech enterprise"

    response = client.post(IMPORT_URL, {"file": upload(exported)})

    result = response.context["result"]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1), result.errors
    assert slugs(Enterprise.objects.get()) == {"fortune-global-500", "high-tech"}


def test_a_filled_cell_replaces_the_tags_and_moves_the_figures(city, outpost_a, officer_a, client_for):
    client = client_for(officer_a)
    client.post(IMPORT_URL, {"file": tagged_workbook(tagged_row(outpost_a, "世界500强"))})
    project = Project.objects.get()
    assert figures(project.signed_on.year) == [1, 1, 0]
    again = tagged_row(outpost_a, "高新技术企业", code=project.code)

    response = client.post(IMPORT_URL, {"file": tagged_workbook(again)})

    assert response.context["result"].updated == 1, response.context["result"].errors
    assert slugs(project.enterprise) == {"high-tech"}
    assert figures(project.signed_on.year) == [1, 0, 1]


def test_an_officer_may_not_retag_an_investor_of_the_shared_register(city, outpost_a, officer_a, client_for):
    shared = Enterprise.objects.create(name="共享名录投资方有限公司", uscc=uscc("1"))
    shared.tags.set(EnterpriseTag.objects.filter(slug="listed"))
    client = client_for(officer_a)

    refused = client.post(IMPORT_URL, {"file": tagged_workbook(tagged_row(outpost_a, "世界500强"))})

    assert refused.status_code == 422
    assert [e.column for e in refused.context["result"].errors] == [header("investor_tags")]
    kept = client.post(IMPORT_URL, {"file": tagged_workbook(tagged_row(outpost_a, ""))})
    assert kept.status_code == 200 and slugs(shared) == {"listed"}


def test_two_rows_giving_one_investor_different_tags_import_nothing(city, outpost_a, officer_a, client_for):
    rows = [tagged_row(outpost_a, "上市公司", name="一期"), tagged_row(outpost_a, "专精特新", name="二期")]

    response = client_for(officer_a).post(IMPORT_URL, {"file": tagged_workbook(*rows)})

    assert response.status_code == 422
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(3, header("investor_tags"))]
    assert not Project.objects.exists()


def test_an_unknown_tag_names_the_known_ones(city, outpost_a, officer_a, client_for):
    response = client_for(officer_a).post(IMPORT_URL, {"file": tagged_workbook(tagged_row(outpost_a, "独角兽"))})

    message = response.context["result"].errors[0].message
    assert "独角兽" in message and "High-tech enterprise" in message
    assert not Project.objects.exists()
