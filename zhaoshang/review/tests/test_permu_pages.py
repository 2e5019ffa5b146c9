"""Per-mu evaluation pages: the import (errors naming row and column, all or nothing, re-import changes nothing),
runs started by the centre, the results seen as the enterprise's access says, the score card and the export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhaoshang.core.testing import xlsx_upload
from zhaoshang.geo.models import Region
from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.review.choices import SizeClass
from zhaoshang.review.models import EnterpriseYear, EvaluationResult, EvaluationRun
from zhaoshang.review.services import permu

YEAR = 2025
HEADERS = ["uscc", "enterprise", "year", "size_class", "land_mu", "tax", "value_added", "emissions_t"]


def industry(code):
    from zhaoshang.industry.models import IndustryCode

    found = IndustryCode.objects.filter(code=code).first()
    if found is None:  # a class below its division
        division = IndustryCode.objects.get(code=code[:2])
        found = IndustryCode.objects.create(code=code, name="电机制造", level="class", parent=division)
    return found


@pytest.fixture
def firms(city, outpost_a, outpost_b):
    pengjiang = Region.objects.get(adcode="440703")
    xinhui = Region.objects.get(adcode="440705")
    return {
        "ours": EnterpriseFactory(
            name="江门甲电池有限公司", owner_team=outpost_a, hq_region=pengjiang, industry=industry("38")
        ),
        "ours_too": EnterpriseFactory(
            name="江门乙电机有限公司", owner_team=outpost_a, hq_region=xinhui, industry=industry("34")
        ),
        "theirs": EnterpriseFactory(
            name="江门丙照明有限公司", owner_team=outpost_b, hq_region=xinhui, industry=industry("3811")
        ),
    }


def rows_for(firms):
    return [
        HEADERS,
        [firms["ours"].uscc, "", YEAR, "large", 50, 1500, 8000, 2],
        ["", "江门乙电机有限公司", YEAR, "small", 40, 600, "", ""],
    ]


def test_an_officer_imports_figures_and_the_same_file_again_changes_nothing(client_for, officer_a, firms):
    client = client_for(officer_a)
    response = client.post(reverse("review:permu-data-import"), {"file": xlsx_upload(rows_for(firms))})
    assert response.status_code == 200, [
        (e.row, str(e.column), str(e.message)) for e in response.context["result"].errors
    ]
    saved = EnterpriseYear.objects.get(enterprise=firms["ours"], year=YEAR)
    assert (saved.size_class, saved.tax, saved.emissions_t) == (SizeClass.LARGE, Decimal("1500"), Decimal("2"))
    assert EnterpriseYear.objects.get(enterprise=firms["ours_too"]).size_class == SizeClass.SMALL  # found by name
    versions = sorted(EnterpriseYear.objects.values_list("pk", "version"))
    response = client.post(reverse("review:permu-data-import"), {"file": xlsx_upload(rows_for(firms))})
    assert response.context["result"].unchanged == 2
    assert sorted(EnterpriseYear.objects.values_list("pk", "version")) == versions


def test_an_import_with_an_unknown_or_foreign_enterprise_saves_nothing(client_for, officer_a, firms):
    rows = rows_for(firms) + [
        ["", "江门不存在的公司", YEAR, "large", 10, 10, 10, ""],
        [firms["theirs"].uscc, "", YEAR, "large", 10, 10, 10, ""],
        [firms["ours"].uscc, "", YEAR, "large", 10, "很多", 10, ""],
    ]
    response = client_for(officer_a).post(reverse("review:permu-data-import"), {"file": xlsx_upload(rows)})
    assert response.status_code == 422
    from zhaoshang.review.services.permu_import import PERMU_COLUMNS

    headers = {c.key: str(c.header) for c in PERMU_COLUMNS}
    errors = {(e.row, str(e.column)) for e in response.context["result"].errors}
    assert (4, headers["enterprise"]) in errors  # no enterprise of that name
    assert (5, headers["enterprise"]) in errors  # another team's enterprise
    assert (6, headers["tax"]) in errors  # a figure that is not a number
    assert (6, headers["year"]) in errors  # the same enterprise and year as row 2
    messages = " ".join(str(e.message) for e in response.context["result"].errors)
    assert "江门不存在的公司" in messages
    assert not EnterpriseYear.objects.exists()


def test_a_csv_file_imports_like_a_workbook(client_for, officer_a, firms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    lines = [",".join(str(cell) for cell in row) for row in rows_for(firms)]
    upload = SimpleUploadedFile("figures.csv", "\n".join(lines).encode("gb18030"), "text/csv")
    response = client_for(officer_a).post(reverse("review:permu-data-import"), {"file": upload})
    assert response.status_code == 200
    assert EnterpriseYear.objects.get(enterprise=firms["ours"], year=YEAR).tax == Decimal("1500")
    bad = SimpleUploadedFile(
        "bad.csv", f"uscc,year,size_class\n{firms['ours'].uscc},二〇二五,large\n".encode(), "text/csv"
    )
    response = client_for(officer_a).post(reverse("review:permu-data-import"), {"file": bad})
    assert response.status_code == 422
    assert [e.row for e in response.context["result"].errors] == [2]


def test_the_template_downloads_with_every_column(client_for, officer_a):
    response = client_for(officer_a).get(reverse("review:permu-data-template"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert any("亩" in str(h) for h in headers) and len(headers) >= 15


def test_only_the_centre_starts_a_run(client_for, officer_a, centre_officer, firms):
    EnterpriseYear.objects.create(enterprise=firms["ours"], year=YEAR, size_class=SizeClass.LARGE, tax=1, land_mu=1)
    assert client_for(officer_a).post(reverse("review:permu-run-start"), {"year": YEAR}).status_code == 403
    assert not EvaluationRun.objects.exists()
    response = client_for(centre_officer).post(reverse("review:permu-run-start"), {"year": YEAR})
    run = EvaluationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.started_by == centre_officer and run.results.count() == 1


def seeded_run(firms):
    for key, tax in (("ours", 1500), ("ours_too", 900), ("theirs", 300)):
        EnterpriseYear.objects.create(
            enterprise=firms[key], year=YEAR, size_class=SizeClass.LARGE, land_mu=50, tax=tax, value_added=8000
        )
    return permu.run_evaluation(YEAR)


def test_a_district_bureau_sees_its_districts_firms_only(client_for, district_officer, firms):
    run = seeded_run(firms)
    response = client_for(district_officer).get(reverse("review:permu-result-list"), {"run": run.pk})
    body = response.content.decode()
    assert "江门甲电池有限公司" in body and "江门乙电机有限公司" not in body
    detail = client_for(district_officer).get(run.get_absolute_url())
    assert detail.context["distribution"]["total"] == 1


def test_another_team_and_the_public_cannot_see_a_firms_score_card(client_for, officer_a, officer_b, firms, client):
    run = seeded_run(firms)
    result = EvaluationResult.objects.get(run=run, enterprise=firms["ours"])
    own = client_for(officer_a).get(result.get_absolute_url())
    assert own.status_code == 200 and "24.097" in own.content.decode()
    assert client_for(officer_b).get(result.get_absolute_url()).status_code == 404
    assert client.get(result.get_absolute_url()).status_code == 302  # to the login page
    listed = client_for(officer_b).get(reverse("review:permu-result-list"), {"run": run.pk}).content.decode()
    assert "江门甲电池有限公司" not in listed and "江门丙照明有限公司" in listed


def test_the_run_page_counts_by_class_district_and_industry(client_for, centre_officer, firms):
    run = seeded_run(firms)
    response = client_for(centre_officer).get(run.get_absolute_url())
    counts = {c: n for c, _label, n in response.context["distribution"]["classes"]}
    # three firms, 25/45/25/5: cumulative counts 1 (0.75), 2 (2.1), 3 (2.85) → A 1, B 1, C 1
    assert counts == {"A": 1, "B": 1, "C": 1, "D": 0}
    districts = {g["key"]: g["total"] for g in response.context["by_district"]}
    assert districts == {"440703": 1, "440705": 2}
    industries = {g["key"]: g["total"] for g in response.context["by_industry"]}
    assert industries == {"38": 2, "34": 1}  # a class code (3811) counts in its division
    assert "38 " in response.context["by_industry"][1]["labels"][0]
    assert b"permu-chart-data" in response.content


def test_the_export_opens_again_with_the_scores_and_classes(client_for, centre_officer, firms):
    run = seeded_run(firms)
    response = client_for(centre_officer).get(reverse("review:permu-result-export"), {"run": run.pk})
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"江门甲电池有限公司", "江门乙电机有限公司", "江门丙照明有限公司"}
    best = EvaluationResult.objects.get(run=run, enterprise=firms["ours"])
    assert by_name["江门甲电池有限公司"][5] == round(best.score, 2) and by_name["江门甲电池有限公司"][7] == "A"


def test_the_centre_edits_a_methods_benchmark(client_for, centre_officer, officer_a):
    from zhaoshang.core.testing import form_data
    from zhaoshang.review.models import MethodIndicator

    item = MethodIndicator.objects.filter(method__year=YEAR).first()
    url = reverse("review:permu-indicator-edit", args=[item.pk])
    assert client_for(officer_a).get(url).status_code == 403
    client = client_for(centre_officer)
    response = client.post(url, form_data(client.get(url), benchmark="25.5"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.benchmark == Decimal("25.5")


def test_the_list_filters_the_firms_that_moved_up_a_class(client_for, centre_officer, firms):
    from zhaoshang.review.models import EvaluationMethod

    seeded_run(firms)  # 2025: ours A, ours_too B, theirs C
    permu.copy_method(EvaluationMethod.objects.get(year=YEAR, size_class=SizeClass.LARGE), YEAR + 1)
    for key, tax in (("ours", 300), ("ours_too", 900), ("theirs", 1500)):
        EnterpriseYear.objects.create(
            enterprise=firms[key], year=YEAR + 1, size_class=SizeClass.LARGE, land_mu=50, tax=tax, value_added=8000
        )
    run = permu.run_evaluation(YEAR + 1)
    client = client_for(centre_officer)
    up = client.get(reverse("review:permu-result-list"), {"run": run.pk, "change": "up"}).content.decode()
    down = client.get(reverse("review:permu-result-list"), {"run": run.pk, "change": "down"}).content.decode()
    assert "江门丙照明有限公司" in up and "江门甲电池有限公司" not in up and "江门乙电机有限公司" not in up
    assert "江门甲电池有限公司" in down and "江门丙照明有限公司" not in down


def test_the_centre_copies_a_method_to_the_next_year(client_for, centre_officer, officer_a):
    from zhaoshang.review.models import EvaluationMethod

    method = EvaluationMethod.objects.get(year=YEAR, size_class=SizeClass.LARGE)
    url = reverse("review:permu-method-copy", args=[method.pk])
    assert client_for(officer_a).post(url, {"year": YEAR + 1}).status_code == 403
    response = client_for(centre_officer).post(url, {"year": YEAR + 1})
    copy = EvaluationMethod.objects.get(year=YEAR + 1, size_class=SizeClass.LARGE)
    assert response["Location"] == copy.get_absolute_url()
    assert [(i.indicator, i.benchmark) for i in copy.indicators.all()] == [
        (i.indicator, i.benchmark) for i in method.indicators.all()
    ]
    client_for(centre_officer).post(url, {"year": YEAR + 1})  # a second copy of that year is refused
    assert EvaluationMethod.objects.filter(year=YEAR + 1).count() == 1
