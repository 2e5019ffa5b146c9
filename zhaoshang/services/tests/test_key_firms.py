"""Key enterprises (200强): the yearly import (all or nothing, a year replaced as a whole), the list with a constant
number of queries, one firm's page with its open requests, approvals, projects and per-mu class, its visits, and
who may change them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.tests.factories import member
from zhaoshang.core.context import acting_as
from zhaoshang.core.testing import permu_records, xlsx_upload
from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.services.choices import ItemState, RequestState, VisitState
from zhaoshang.services.models import KeyEnterprise, ServiceVisit
from zhaoshang.services.services.key_firms import KEY_COLUMNS, KeyEnterpriseImporter, key_list, work_panel

HEADERS = [
    "年度",
    "排名",
    "统一社会信用代码",
    "企业名称",
    "排名依据",
    "产值(万元)",
    "税收(万元)",
    "服务专员",
    "服务团队",
]


def upload(*rows, name="key.xlsx"):
    return xlsx_upload([HEADERS, *rows], name)


@pytest.fixture
def firms(db):
    return [
        EnterpriseFactory(name="江门甲电池有限公司", uscc="91440700MA51A0001X"),
        EnterpriseFactory(name="江门乙五金有限公司", uscc="91440700MA51A0002X"),
        EnterpriseFactory(name="江门丙食品有限公司", uscc="91440700MA51A0003X"),
    ]


# ---------------------------------------------------------------- import


def test_the_import_reads_firms_by_credit_code_or_name_with_their_officer_and_team(
    firms, centre_officer, district_officer, district_bureau
):
    with acting_as(centre_officer):
        result = KeyEnterpriseImporter(centre_officer).run(
            upload(
                [2026, 1, "91440700MA51A0001X", "", "产值", 1200000, 35000, "district_officer", "蓬江区投资促进局"],
                [2026, 2, "", "江门乙五金有限公司", "税收", "", 20000, "", ""],
            )
        )
    assert result.ok, result.errors
    first, second = KeyEnterprise.objects.filter(year=2026).order_by("rank")
    assert (first.enterprise, first.output_wan, first.officer, first.team) == (
        firms[0],
        Decimal("1200000"),
        district_officer,
        district_bureau,
    )
    assert (second.enterprise, second.basis, second.tax_wan, second.officer) == (firms[1], "tax", Decimal(20000), None)


def test_an_import_with_bad_rows_saves_nothing_and_names_each_row_and_column(firms, centre_officer):
    with acting_as(centre_officer):
        result = KeyEnterpriseImporter(centre_officer).run(
            upload(
                [2026, 1, "91440700MA51A0001X", "", "产值", 100, "", "", ""],
                [2026, 2, "91440700MA99999999", "", "产值", 90, "", "", ""],
                [2026, 3, "", "不存在的企业", "产值", 80, "", "nobody", ""],
                [2026, 1, "91440700MA51A0003X", "", "产值", "", "", "", ""],
            ),
        )
    assert not result.ok
    assert KeyEnterprise.objects.count() == 0
    header = {column.key: str(column.header) for column in KEY_COLUMNS}
    messages = {(e.row, str(e.column)): e.message for e in result.errors}
    assert "91440700MA99999999" in messages[(3, header["uscc"])]
    assert "不存在的企业" in messages[(4, header["enterprise"])]
    assert "nobody" in messages[(4, header["officer"])]
    assert (5, header["output_wan"]) in messages


def test_a_rank_or_firm_twice_in_a_year_is_refused(firms, centre_officer):
    with acting_as(centre_officer):
        result = KeyEnterpriseImporter(centre_officer).run(
            upload(
                [2026, 1, "91440700MA51A0001X", "", "产值", 100, "", "", ""],
                [2026, 1, "91440700MA51A0002X", "", "产值", 90, "", "", ""],
            )
        )
    assert not result.ok and result.errors[0].row == 3
    assert KeyEnterprise.objects.count() == 0


def test_reimporting_a_year_replaces_its_list_and_keeps_other_years(firms, centre_officer, make_key):
    other_year = KeyEnterprise.objects.create(year=2025, rank=1, enterprise=firms[2], output_wan=1)
    with acting_as(centre_officer):
        first = KeyEnterpriseImporter(centre_officer).run(
            upload(
                [2026, 1, "91440700MA51A0001X", "", "产值", 100, "", "", ""],
                [2026, 2, "91440700MA51A0002X", "", "产值", 90, "", "", ""],
            )
        )
        assert first.ok, first.errors
        second = KeyEnterpriseImporter(centre_officer).run(
            upload(
                [2026, 1, "91440700MA51A0002X", "", "产值", 120, "", "", ""],
                [2026, 2, "91440700MA51A0003X", "", "产值", 95, "", "", ""],
            )
        )
    assert second.ok, second.errors
    listed = list(KeyEnterprise.objects.filter(year=2026).order_by("rank").values_list("enterprise", "rank"))
    assert listed == [(firms[1].pk, 1), (firms[2].pk, 2)]
    assert KeyEnterprise.objects.filter(pk=other_year.pk).exists()


def test_a_csv_file_imports_like_a_workbook(firms, centre_officer, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = ",".join(HEADERS) + "\n2026,1,91440700MA51A0001X,,产值,100,,,\n"
    response = client_for(centre_officer).post(
        reverse("services:key-import"), {"file": SimpleUploadedFile("key.csv", text.encode("utf-8"))}
    )
    assert response.status_code == 200
    assert KeyEnterprise.objects.get().enterprise == firms[0]


def test_only_the_centre_imports_the_list(firms, centre_officer, district_officer, client_for):
    client = client_for(district_officer)
    assert client.get(reverse("services:key-import")).status_code == 403
    assert client.get(reverse("services:key-template")).status_code == 403
    assert "import-link" not in client.get(reverse("services:key-list")).content.decode()
    assert client_for(centre_officer).get(reverse("services:key-template")).status_code == 200


# ---------------------------------------------------------------- the list


def test_the_list_shows_each_firm_with_its_open_requests_items_next_visit_and_class_in_constant_queries(
    db, make_key, district_officer, district_bureau, department, officer_a, outpost_a, open_request, open_item,
    centre_officer, client_for,
):  # fmt: skip
    keys = [make_key(rank, officer=district_officer, team=district_bureau) for rank in (1, 2)]
    open_request(keys[0].enterprise, department)
    open_request(keys[0].enterprise, department, state=RequestState.CLOSED)
    open_item(keys[0].enterprise, department, outpost_a)
    ServiceVisit.objects.create(
        key_enterprise=keys[0], planned_on=timezone.localdate().replace(month=12, day=28), purpose="走访"
    )
    client = client_for(centre_officer)
    url = reverse("services:key-list") + "?year=2026"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    rows = list(key_list(centre_officer, 2026).order_by("rank"))
    assert [(r.open_requests, r.open_items) for r in rows] == [(1, 1), (0, 0)]
    assert rows[0].next_visit is not None and rows[1].next_visit is None
    for rank in range(3, 23):
        key = make_key(rank, officer=district_officer, team=district_bureau)
        open_request(key.enterprise, department)
        ServiceVisit.objects.create(key_enterprise=key, planned_on=timezone.localdate(), purpose="走访")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('data-testid="key-row"') == 22
    assert len(many) == len(few)


def test_the_list_shows_the_per_mu_class_of_the_latest_evaluation(db, make_key, centre_officer, client_for):
    key = make_key(1)
    result = permu_records(key.enterprise)["review.EvaluationResult"]
    assert result.grade
    row = key_list(centre_officer, 2026).get()
    assert row.permu_class == result.grade
    page = client_for(centre_officer).get(reverse("services:key-detail", args=[key.pk])).content.decode()
    assert f"Class {result.grade}" in page or f"{result.grade} 类" in page or result.grade in page


# ---------------------------------------------------------------- a firm's page


def test_the_firm_page_shows_its_officer_open_requests_open_approvals_and_projects(
    db, make_key, district_officer, district_bureau, department, outpost_a, open_request, open_item, centre_officer,
    client_for,
):  # fmt: skip
    key = make_key(1, officer=district_officer, team=district_bureau, name="江门甲电池有限公司")
    open_request(key.enterprise, department, title="新增变压器报装")
    open_request(key.enterprise, department, state=RequestState.VISITED, title="已办结的诉求")
    open_item(key.enterprise, department, outpost_a, name="施工许可证")
    open_item(key.enterprise, department, outpost_a, state=ItemState.GRANTED, name="用地预审")
    other = EnterpriseFactory(name="别家企业")
    open_request(other, department, title="别家的诉求")
    page = client_for(centre_officer).get(reverse("services:key-detail", args=[key.pk])).content.decode()
    assert district_officer.username in page or district_officer.get_full_name() in page
    assert district_bureau.name in page
    assert "新增变压器报装" in page and "已办结的诉求" not in page and "别家的诉求" not in page
    assert "施工许可证" in page and "用地预审" not in page
    assert "江门甲电池有限公司扩产项目" in page
    assert "未评价" in page  # not evaluated


def test_the_service_officer_plans_a_visit_and_records_it_done_with_findings(
    db, make_key, district_officer, district_bureau, client_for
):
    key = make_key(1, officer=district_officer, team=district_bureau)
    client = client_for(district_officer)
    today = timezone.localdate()
    response = client.post(
        reverse("services:key-visit-add", args=[key.pk]),
        {"planned_on": today.isoformat(), "purpose": "扩产需求调研", "state": VisitState.PLANNED},
    )
    assert response.status_code == 302
    visit = ServiceVisit.objects.get()
    assert (visit.officer, visit.team, visit.state) == (district_officer, district_bureau, VisitState.PLANNED)
    url = reverse("services:key-visit-edit", args=[visit.pk])
    refused = client.post(
        url,
        {"planned_on": today.isoformat(), "purpose": "扩产需求调研", "state": VisitState.DONE, "record_version": 1},
    )
    # "record what the visit found before marking it done"
    assert refused.status_code == 200 and "标记完成前请填写走访情况" in refused.content.decode()
    done = client.post(
        url,
        {
            "planned_on": today.isoformat(),
            "purpose": "扩产需求调研",
            "state": VisitState.DONE,
            "findings": "需要协调50亩用地",
            "record_version": visit.version,
        },
    )
    assert done.status_code == 302
    visit.refresh_from_db()
    assert (visit.state, visit.done_on, visit.findings) == (VisitState.DONE, today, "需要协调50亩用地")
    assert "需要协调50亩用地" in client.get(key.get_absolute_url()).content.decode()


# ---------------------------------------------------------------- who may do what


def test_another_team_reads_the_list_but_changes_no_visit_and_sees_no_visit_record(
    db, make_key, district_officer, district_bureau, officer_b, client_for
):
    key = make_key(1, officer=district_officer, team=district_bureau)
    visit = ServiceVisit.objects.create(key_enterprise=key, planned_on=timezone.localdate(), purpose="保密的走访")
    client = client_for(officer_b)
    assert client.get(reverse("services:key-list")).status_code == 200
    page = client.get(key.get_absolute_url())
    assert page.status_code == 200 and "保密的走访" not in page.content.decode()
    assert "visit-add" not in page.content.decode()
    assert client.get(reverse("services:key-visit-add", args=[key.pk])).status_code == 403
    assert (
        client.post(reverse("services:key-visit-add", args=[key.pk]), {"planned_on": "2026-12-01", "purpose": "x"})
    ).status_code == 403
    assert client.get(reverse("services:key-visit-edit", args=[visit.pk])).status_code == 404
    assert ServiceVisit.objects.count() == 1


def test_a_user_of_no_team_finds_no_key_enterprise(db, make_key, client_for):
    from zhaoshang.accounts.tests.factories import UserFactory

    key = make_key(1)
    client = client_for(UserFactory(username="firm_user"))
    assert client.get(key.get_absolute_url()).status_code == 404


def test_the_centre_changes_any_firm_and_the_team_lead_of_the_service_team_too(
    db, make_key, district_officer, district_bureau, centre_officer, client_for
):
    key = make_key(1, officer=district_officer, team=district_bureau)
    lead = member(district_bureau, Role.TEAM_LEAD, username="district_lead")
    for user in (centre_officer, lead):
        assert client_for(user).get(reverse("services:key-visit-add", args=[key.pk])).status_code == 200


# ---------------------------------------------------------------- my work


def test_my_key_enterprises_panel_lists_the_firms_i_serve_with_next_visit_and_open_requests(
    db, make_key, district_officer, district_bureau, department, open_request, officer_b
):
    key = make_key(1, officer=district_officer, team=district_bureau, name="江门甲电池有限公司")
    make_key(2, officer=None, team=district_bureau)
    open_request(key.enterprise, department)
    ServiceVisit.objects.create(key_enterprise=key, planned_on=timezone.localdate(), purpose="走访")
    panel = work_panel(district_officer)
    assert panel["count"] == 1
    assert "江门甲电池有限公司" in panel["items"][0]["label"]
    assert "1" in panel["items"][0]["note"] and str(timezone.localdate()) in panel["items"][0]["note"]
    assert work_panel(officer_b) is None


def test_the_list_finds_a_firm_by_name_shows_a_year_and_the_firms_i_serve(
    db, make_key, district_officer, district_bureau, client_for
):
    make_key(1, officer=district_officer, team=district_bureau, name="江门甲电池有限公司", name_en="Jia Battery")
    make_key(2, name="江门乙五金有限公司")
    make_key(1, year=2025, name="江门丙食品有限公司")
    client = client_for(district_officer)

    def shown(**query):
        return client.get(reverse("services:key-list"), query).content.decode().count('data-testid="key-row"')

    assert shown() == 2  # the latest year
    assert shown(year=2025) == 1
    assert shown(year=2026, q="jia") == 1 and shown(year=2026, q="五金") == 1
    assert shown(year=2026, mine="1") == 1
