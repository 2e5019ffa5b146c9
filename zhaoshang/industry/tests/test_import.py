"""Enterprises in and out of Excel: the register and a team's prospects.

A workbook of enterprises is checked first and its preview says which rows create, change or leave a record
and which look like a record on file; only the confirmation saves, all or nothing. The same file imported
again creates and changes nothing. A row without a credit code finds its enterprise by its normalized name.
The export holds the template's columns (export → import changes nothing) and contacts only for the
enterprises the user may change. The big-firm and high-tech figures follow the imported tags.
"""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.testing import xlsx_upload
from zhaoshang.industry.imports import ENTERPRISE_COLUMNS
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.tests.factories import credit_code
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats import services as stats
from zhaoshang.stats.periods import Period

IMPORT_URL = reverse("industry:enterprise-import")
EXPORT_URL = reverse("industry:enterprise-export")
TEMPLATE_URL = reverse("industry:enterprise-template")
LIST_URL = reverse("industry:enterprise-list")


def uscc(serial: str) -> str:
    return credit_code(serial)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    return lambda user: client_for(user, language="en")


def header(key: str) -> str:
    return str(next(c.header for c in ENTERPRISE_COLUMNS if c.key == key))


def upload(rows, name="enterprises.xlsx"):
    return xlsx_upload(rows, name)


def sheet(content: bytes) -> list[dict]:
    """The first sheet of a workbook as {header: value} rows, opened again from its bytes."""
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


KEYS = ["name", "uscc", "district", "industry_code", "tags", "size", "contact_name", "contact_phone"]


def workbook(*rows, keys=KEYS):
    return upload([[header(k) for k in keys], *rows])


REGISTER = [
    [
        "江门示例电池股份有限公司",
        uscc("1"),
        "蓬江区",
        "38",
        "世界500强、High-tech enterprise",
        "Large",
        "张三",
        "13800000001",
    ],
    ["示例硅能源科技有限公司", uscc("2"), "440784", "38", "上市公司, 专精特新", "Medium", "", ""],
    ["Overseas Robotics Ltd", "", "", "34", "Fortune Global 500", "", "", ""],
]


def preview_then_confirm(client, file):
    """Upload (the preview: nothing saved), then confirm; returns both responses."""
    preview = client.post(IMPORT_URL, {"file": file})
    assert preview.status_code == 200, preview.context["result"].errors
    token = preview.context["preview_token"]
    assert token
    return preview, client.post(IMPORT_URL, {"preview": token})


def tags_of(name: str) -> set[str]:
    return set(Enterprise.objects.get(name=name).tags.values_list("slug", flat=True))


def test_enterprises_are_imported_with_their_tags_after_a_preview_and_again_change_nothing(
    city, centre, centre_officer, client_for
):
    client = client_for(centre_officer)

    preview = client.post(IMPORT_URL, {"file": workbook(*REGISTER)})

    result = preview.context["result"]
    assert result.dry_run and (result.created, result.updated) == (3, 0)
    assert Enterprise.objects.count() == 0  # nothing saved before the confirmation
    assert b'data-testid="import-preview"' in preview.content and b"3 new records" in preview.content

    confirmed = client.post(IMPORT_URL, {"preview": preview.context["preview_token"]})

    assert confirmed.status_code == 200, confirmed.context["result"].errors
    assert not confirmed.context["result"].dry_run and confirmed.context["result"].created == 3
    battery = Enterprise.objects.get(uscc=uscc("1"))
    assert (battery.hq_region.adcode, battery.industry.code, battery.size) == ("440703", "38", "large")
    assert (battery.contact_name, battery.contact_phone, battery.owner_team) == ("张三", "13800000001", None)
    assert tags_of("江门示例电池股份有限公司") == {"fortune-global-500", "high-tech"}
    assert tags_of("示例硅能源科技有限公司") == {"listed", "specialized-innovative"}
    assert tags_of("Overseas Robotics Ltd") == {"fortune-global-500"}
    assert Enterprise.objects.get(name="Overseas Robotics Ltd").uscc is None
    written = ChangeRecord.objects.count()
    assert written >= 3  # each new record and its tags are audited

    again, saved = preview_then_confirm(client, workbook(*REGISTER))

    planned = again.context["result"]
    assert (planned.created, planned.updated, planned.unchanged) == (0, 0, 3)
    assert {p.matched_by for p in planned.plan} == {"credit code", "name"}
    result = saved.context["result"]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert Enterprise.objects.count() == 3 and ChangeRecord.objects.count() == written
    assert tags_of("江门示例电池股份有限公司") == {"fortune-global-500", "high-tech"}


def test_a_confirmation_is_used_once(city, centre, centre_officer, client_for):
    client = client_for(centre_officer)
    preview, confirmed = preview_then_confirm(client, workbook(*REGISTER))
    assert confirmed.context["result"].created == 3

    again = client.post(IMPORT_URL, {"preview": preview.context["preview_token"]})

    assert again.status_code == 400 and Enterprise.objects.count() == 3


def test_a_row_without_a_credit_code_finds_its_enterprise_by_its_normalized_name(
    city, centre, centre_officer, client_for
):
    kept = Enterprise.objects.create(name="江门示例科技有限公司", uscc=None)
    rows = [["江门示例科技股份有限公司", "", "", "", "行业龙头", "", "", ""]]

    preview, confirmed = preview_then_confirm(client_for(centre_officer), workbook(*rows))

    planned = preview.context["result"].plan[0]
    assert (planned.action, planned.record, planned.matched_by) == ("updated", "江门示例科技有限公司", "name")
    assert "tags" in planned.changes
    kept.refresh_from_db()
    assert Enterprise.objects.count() == 1 and kept.name == "江门示例科技股份有限公司"
    assert tags_of(kept.name) == {"industry-leader"}


def test_a_new_credit_code_gives_its_code_to_the_enterprise_of_that_name_still_without_one(
    city, centre, centre_officer, client_for
):
    kept = Enterprise.objects.create(name="Overseas Robotics Ltd", uscc=None)
    rows = [["Overseas Robotics Limited", uscc("9"), "", "", "", "", "", ""]]

    _preview, confirmed = preview_then_confirm(client_for(centre_officer), workbook(*rows))

    assert confirmed.context["result"].updated == 1
    kept.refresh_from_db()
    assert kept.uscc == uscc("9") and Enterprise.objects.count() == 1


def test_the_preview_shows_rows_that_look_like_an_enterprise_on_file(city, centre, centre_officer, client_for):
    Enterprise.objects.create(name="示例新材料股份有限公司", uscc=uscc("5"))
    Enterprise.objects.create(name="江门市示例储能有限公司", uscc=uscc("6"))
    rows = [
        ["示例新材料有限公司", uscc("7"), "", "", "", "", "", ""],  # same normalized name, another code
        ["示例储能（江门）有限公司", "", "", "", "", "", "", ""],  # only the place differs
        ["完全不同的企业有限公司", "", "", "", "", "", "", ""],
    ]

    preview = client_for(centre_officer).post(IMPORT_URL, {"file": workbook(*rows)})

    result = preview.context["result"]
    assert result.created == 3 and Enterprise.objects.count() == 2
    similar = {p.label: [name for name, _url in p.similar] for p in result.similar_rows}
    assert similar == {
        "示例新材料有限公司": [f"示例新材料股份有限公司 ({uscc('5')})"],
        "示例储能（江门）有限公司": [f"江门市示例储能有限公司 ({uscc('6')})"],
    }
    assert b'data-testid="preview-similar"' in preview.content


def test_blank_cells_keep_what_is_on_file(city, centre, centre_officer, client_for):
    client = client_for(centre_officer)
    preview_then_confirm(client, workbook(*REGISTER))
    short = [["江门示例电池有限公司", uscc("1"), "", "", "", "", "", "13800000009"]]

    preview, _confirmed = preview_then_confirm(client, workbook(*short))

    assert preview.context["result"].plan[0].changes == ("contact phone", "name")
    battery = Enterprise.objects.get(uscc=uscc("1"))
    assert (battery.name, battery.contact_phone, battery.contact_name) == (
        "江门示例电池有限公司",
        "13800000009",
        "张三",
    )
    assert (battery.hq_region.adcode, battery.size) == ("440703", "large")
    assert tags_of(battery.name) == {"fortune-global-500", "high-tech"}


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["坏代码企业有限公司", "91440703MA4UJ7KJ60", "", "", "", "", "", ""], "uscc", "check character"),
        (["未知标签企业有限公司", "", "", "", "世界500强、独角兽", "", "", ""], "tags", "独角兽"),
        (["未知地区企业有限公司", "", "火星区", "", "", "", "", ""], "district", "火星区"),
        (["", uscc("3"), "", "", "", "", "", ""], "name", ""),
    ],
)
def test_one_bad_row_imports_nothing_and_names_its_row_and_column(
    city, centre, centre_officer, client_for, row, column, words
):
    response = client_for(centre_officer).post(IMPORT_URL, {"file": workbook(REGISTER[0], row)})

    assert response.status_code == 422 and response.context["preview_token"] is None
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(3, header(column))]
    assert words in errors[0].message
    assert Enterprise.objects.count() == 0


def test_two_rows_of_one_enterprise_are_refused(city, centre, centre_officer, client_for):
    rows = [["重复企业有限公司", "", "", "", "", "", "", ""], ["重复企业股份有限公司", "", "", "", "", "", "", ""]]

    response = client_for(centre_officer).post(IMPORT_URL, {"file": workbook(*rows)})

    assert response.status_code == 422
    assert [e.row for e in response.context["result"].errors] == [3]


def test_an_officer_imports_prospects_for_their_team_and_may_not_change_the_shared_register(
    city, centre, outpost_a, officer_a, client_for
):
    shared = Enterprise.objects.create(name="共享名录企业有限公司", uscc=uscc("4"), size="large")
    client = client_for(officer_a)
    same = ["共享名录企业有限公司", uscc("4"), "", "", "", "Large", "", ""]
    prospect = ["驻点目标企业有限公司", "", "", "", "专精特新", "", "李四", "13900000000"]

    _preview, confirmed = preview_then_confirm(client, workbook(same, prospect))

    assert (confirmed.context["result"].created, confirmed.context["result"].unchanged) == (1, 1)
    assert Enterprise.objects.get(name="驻点目标企业有限公司").owner_team == outpost_a

    changed = client.post(
        IMPORT_URL, {"file": workbook(["共享名录企业有限公司", uscc("4"), "", "", "", "Small", "", ""])}
    )

    assert changed.status_code == 422
    assert "may not change" in changed.context["result"].errors[0].message
    shared.refresh_from_db()
    assert shared.size == "large"


def test_a_credit_code_of_another_teams_prospect_is_refused_without_showing_it(
    city, outpost_a, outpost_b, officer_b, client_for
):
    Enterprise.objects.create(name="甲队目标企业有限公司", uscc=uscc("8"), owner_team=outpost_a)

    response = client_for(officer_b).post(IMPORT_URL, {"file": workbook(["别名", uscc("8"), "", "", "", "", "", ""])})

    assert response.status_code == 422
    message = response.context["result"].errors[0].message
    assert "another team" in message and "甲队" not in message


def test_the_export_imports_again_unchanged_and_gives_contacts_only_to_who_may_change_them(
    city, centre, centre_officer, outpost_a, officer_a, client_for
):
    preview_then_confirm(client_for(centre_officer), workbook(*REGISTER))

    exported = client_for(centre_officer).get(EXPORT_URL)

    rows = sheet(exported.content)
    assert {r[header("name")] for r in rows} == {r[0] for r in REGISTER}
    battery = next(r for r in rows if r[header("uscc")] == uscc("1"))
    assert (battery[header("contact_name")], battery[header("tags")]) == (
        "张三",
        "Fortune Global 500、High-tech enterprise",
    )
    assert battery[header("registered_capital")] is None

    again, saved = preview_then_confirm(client_for(centre_officer), upload(load_rows(exported.content)))
    assert (saved.context["result"].created, saved.context["result"].updated) == (0, 0)

    officer_rows = sheet(client_for(officer_a).get(EXPORT_URL).content)  # the shared register, read only
    assert len(officer_rows) == 3
    assert all(r[header("contact_name")] is None and r[header("contact_phone")] is None for r in officer_rows)


def load_rows(content: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)]


def test_the_template_opens_again_and_imports_when_filled_in(city, centre, centre_officer, client_for):
    client = client_for(centre_officer)
    rows = load_rows(client.get(TEMPLATE_URL).content)
    assert rows[0][0] == "Example" and rows[1][0]  # the example row is marked
    rows.append([None, "模板新企业有限公司", uscc("3"), *[None] * (len(rows[0]) - 3)])

    _preview, confirmed = preview_then_confirm(client, upload(rows))

    assert confirmed.context["result"].created == 1
    assert Enterprise.objects.get().name == "模板新企业有限公司"


def test_the_enterprise_list_links_to_import_export_and_the_template(city, centre, centre_officer, client_for):
    page = client_for(centre_officer).get(LIST_URL).content.decode()
    for url, testid in ((IMPORT_URL, "import-link"), (EXPORT_URL, "export-link"), (TEMPLATE_URL, "template-link")):
        assert f'href="{url}' in page and f'data-testid="{testid}"' in page


def test_big_firm_and_high_tech_figures_follow_the_imported_tags(city, centre, centre_officer, client_for):
    client = client_for(centre_officer)
    preview_then_confirm(client, workbook(*REGISTER))
    for name in ("江门示例电池股份有限公司", "示例硅能源科技有限公司", "Overseas Robotics Ltd"):
        ProjectFactory(
            enterprise=Enterprise.objects.get(name=name),
            signed_on=date(2025, 5, 1),
            lead_on=date(2025, 1, 1),
            planned_investment=Decimal(20_000),
            owner_team=centre,
        )
    keys = ["large_signed", "large_leading_signed", "large_high_tech_signed"]
    period = Period.cumulative(2025, 11)

    figures = stats.compute(keys, period)

    assert [figures[k].value for k in keys] == [3, 3, 1]

    changed = [
        ["江门示例电池股份有限公司", uscc("1"), "", "", "高新技术企业", "", "", ""],  # no longer a top-500 firm
        ["示例硅能源科技有限公司", uscc("2"), "", "", "高新技术企业、上市公司", "", "", ""],
    ]
    preview_then_confirm(client, workbook(*changed))

    figures = stats.compute(keys, period)

    assert [figures[k].value for k in keys] == [3, 2, 2]


def test_a_filter_change_gives_the_export_link_of_the_new_filters(city, centre, centre_officer, client_for):
    fragment = client_for(centre_officer).get(LIST_URL, {"tag": "high-tech"}, HTTP_HX_REQUEST="true")

    assert f'href="{EXPORT_URL}?tag=high-tech"' in fragment.content.decode()
    assert 'hx-swap-oob="true"' in fragment.content.decode()


def test_the_export_holds_exactly_the_filtered_list(city, centre, centre_officer, client_for):
    client = client_for(centre_officer)
    preview_then_confirm(client, workbook(*REGISTER))

    rows = sheet(client.get(EXPORT_URL, {"tag": "high-tech"}).content)

    assert [r[header("name")] for r in rows] == ["江门示例电池股份有限公司"]
