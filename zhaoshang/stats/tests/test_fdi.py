"""Actual FDI records: the form, the all-or-nothing Excel import, the figures, and who may see them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.core.context import acting_as
from zhaoshang.core.testing import xlsx_upload
from zhaoshang.geo.models import Region
from zhaoshang.industry.models import EnterpriseTag
from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.stats import services
from zhaoshang.stats.imports import FDIImporter
from zhaoshang.stats.models import ComparisonFigure, FDIRecord
from zhaoshang.stats.periods import Period


def xlsx(rows):
    return xlsx_upload(rows, "fdi.xlsx")


@pytest.fixture
def foreign(db):
    return EnterpriseFactory(name="泰莱集团", uscc=None, tags=[EnterpriseTag.objects.get(slug="foreign")])


def record(team, district=None, month=date(2025, 3, 1), usd="100", rate="7.0", **fields):
    return FDIRecord.objects.create(
        team=team, district=district, month=month, amount_usd=Decimal(usd), exchange_rate=Decimal(rate), **fields
    )


def test_the_yuan_amount_is_computed_from_dollars_and_rate_and_the_month_is_its_first_day(city, centre, foreign):
    made = record(centre, month=date(2025, 3, 17), usd="1250", rate="7.1234", enterprise=foreign)
    assert made.amount_cny == Decimal("8904.25") and made.month == date(2025, 3, 1)
    assert made.code.startswith("WZ2025-")


def test_fdi_figures_compare_with_the_previous_year_and_show_the_published_comparison(city, centre, foreign):
    record(centre, month=date(2025, 2, 1), usd="1000", rate="7", enterprise=foreign)
    record(centre, month=date(2025, 10, 1), usd="414", rate="7", enterprise=foreign)
    record(centre, month=date(2025, 11, 1), usd="999", rate="7", enterprise=foreign)  # after October
    record(centre, month=date(2024, 5, 1), usd="1000", rate="7", enterprise=foreign)
    ComparisonFigure.objects.create(
        name="全省平均增速", metric="fdi_actual", period="2025-ytd-10", value=Decimal("3.25")
    )
    figure = services.figure("fdi_actual", Period.cumulative(2025, 10))
    assert (figure.value, figure.previous, figure.yoy) == (Decimal("9898.00"), Decimal("7000.00"), Decimal("41.4"))
    assert [c.value for c in figure.comparisons] == [Decimal("3.25")]
    records = services.drill_records(figure.metric, Period.cumulative(2025, 10))
    assert services.drill_total(figure.metric, records) == figure.value


def test_the_import_creates_every_row_with_its_reference(city, centre, admin_user, foreign):
    rows = [
        ["企业", "团队", "月份", "金额（万美元）", "汇率（元/美元）"],
        ["泰莱集团", centre.name, "2025-10", 1250, 7.1],
        ["泰莱集团", centre.name, "2025-11", 100, 7.1],
    ]
    rows[0] = ["enterprise", "team", "month", "amount_usd", "exchange_rate"]
    with acting_as(admin_user):
        result = FDIImporter(admin_user).run(xlsx(rows))
    assert result.ok, result.errors
    assert result.created == 2
    assert sorted(FDIRecord.objects.values_list("amount_cny", flat=True)) == [Decimal("710.00"), Decimal("8875.00")]
    assert FDIRecord.objects.filter(enterprise=foreign, code__startswith="WZ2025-").count() == 2


def test_an_import_with_a_bad_row_imports_nothing_and_names_the_row_and_field(city, centre, admin_user, foreign):
    rows = [
        ["enterprise", "team", "month", "amount_usd", "exchange_rate", "amount_cny"],
        ["泰莱集团", centre.name, "2025-10", 1250, 7.1, 8875],
        ["泰莱集团", centre.name, "2025-11", 100, 7.1, 7100],  # 1,000 times too much for 100 × 7.1
        ["不存在的企业", centre.name, "2025-12", 100, 7.1, None],
    ]
    with acting_as(admin_user):
        result = FDIImporter(admin_user).run(xlsx(rows))
    assert not result.ok
    assert FDIRecord.objects.count() == 0
    errors = {(e.row, e.column) for e in result.errors}
    assert (3, "Amount (10,000 yuan)") in errors or (3, "金额（万元）") in errors
    assert any(e.row == 4 and "不存在的企业" in e.message for e in result.errors)


def test_an_import_may_not_record_for_another_team(city, centre, district_bureau, district_officer, foreign):
    rows = [["enterprise", "team", "month", "amount_usd", "exchange_rate"], ["泰莱集团", centre.name, "2025-10", 1, 7]]
    with acting_as(district_officer):
        result = FDIImporter(district_officer).run(xlsx(rows))
    assert not result.ok and result.errors[0].row == 2
    assert FDIRecord.objects.count() == 0


def test_the_import_page_reports_errors_and_the_template_downloads(city, centre, centre_officer, client_for, foreign):
    client = client_for(centre_officer)
    assert client.get(reverse("stats:fdi-template")).status_code == 200
    bad = xlsx(
        [["enterprise", "team", "month", "amount_usd", "exchange_rate"], ["泰莱集团", centre.name, "2025-13", 1, 7]]
    )
    response = client.post(reverse("stats:fdi-import"), {"file": bad})
    assert response.status_code == 422
    assert FDIRecord.objects.count() == 0


def test_the_fdi_template_imported_unchanged_imports_no_record(city, centre, centre_officer, client_for, foreign):
    client = client_for(centre_officer)
    template = SimpleUploadedFile("template.xlsx", client.get(reverse("stats:fdi-template")).content)

    response = client.post(reverse("stats:fdi-import"), {"file": template})

    assert response.status_code == 422
    assert response.context["result"].examples == 1
    assert FDIRecord.objects.count() == 0


def test_an_officer_adds_a_record_with_the_form(city, centre, centre_officer, client_for, foreign):
    response = client_for(centre_officer).post(
        reverse("stats:fdi-add"),
        {"enterprise": foreign.pk, "team": centre.pk, "month": "2025-10", "amount_usd": "10", "exchange_rate": "7"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FDIRecord.objects.get().amount_cny == Decimal("70.00")


# ---------------------------------------------------------------- who sees FDI


def test_outsiders_cannot_see_fdi_pages_or_api(city, centre, officer_a, client_for, api_for, investor, foreign):
    made = record(centre, enterprise=foreign)
    for url in (reverse("stats:fdi-list"), reverse("stats:fdi-detail", args=[made.pk]), reverse("stats:fdi-add")):
        assert client_for(officer_a).get(url).status_code == 403
        assert investor.get(url).status_code == 302  # to the login page
    assert api_for(officer_a).get("/api/stats/fdi/").status_code == 403
    assert investor.get("/api/stats/fdi/").status_code in (401, 403)
    figures = api_for(officer_a).get("/api/stats/figures/", {"metric": "fdi_actual", "period": "2025-ytd-10"})
    assert figures.status_code == 403
    drill = client_for(officer_a).get(reverse("stats:records"), {"metric": "fdi_actual", "period": "2025-ytd-10"})
    assert drill.status_code == 403


def test_a_district_bureau_sees_the_fdi_of_its_district_only(
    city, centre, district_officer, client_for, api_for, foreign
):
    pengjiang = Region.objects.get(adcode="440703")
    xinhui = Region.objects.get(adcode="440705")
    own = record(centre, district=pengjiang, enterprise=foreign)
    other = record(centre, district=xinhui, enterprise=foreign)
    client = client_for(district_officer)
    assert client.get(reverse("stats:fdi-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("stats:fdi-detail", args=[other.pk])).status_code == 404
    listed = api_for(district_officer).get("/api/stats/fdi/").json()["results"]
    assert [r["id"] for r in listed] == [own.pk]
    figure = services.figure("fdi_actual", Period.cumulative(2025, 10), district_officer)
    assert figure.value == own.amount_cny


def test_the_api_creates_a_record_and_refuses_a_wrong_yuan_amount(city, centre, centre_officer, api_for, foreign):
    api = api_for(centre_officer)
    payload = {"enterprise": foreign.pk, "team": centre.pk, "month": "2025-10-01", "amount_usd": "10"}
    created = api.post("/api/stats/fdi/", {**payload, "exchange_rate": "7"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["amount_cny"] == "70.00"
    refused = api.post("/api/stats/fdi/", {**payload, "exchange_rate": "7", "amount_cny": "700"}, format="json")
    assert refused.status_code == 400 and "amount_cny" in refused.json()
    assert FDIRecord.objects.count() == 1


def test_the_centre_enters_a_comparison_figure_and_a_bad_period_is_refused(city, centre_officer, leader, client_for):
    url = reverse("stats:comparison-add")
    data = {"name": "全省实际利用外资平均增速", "metric": "fdi_actual", "value": "3.25", "unit": "%"}
    refused = client_for(centre_officer).post(url, {**data, "period": "2025-10月"})
    assert refused.status_code == 200 and refused.context["form"].errors["period"]
    assert client_for(centre_officer).post(url, {**data, "period": "2025-YTD-10"}).status_code == 302
    assert ComparisonFigure.objects.get().period == "2025-ytd-10"
    assert client_for(leader).post(url, {**data, "period": "2025-ytd-9"}).status_code == 403
    assert ComparisonFigure.objects.count() == 1


def test_the_fdi_menu_entry_is_offered_to_those_who_may_open_it(city, officer_a, centre_officer, district_officer):
    from zhaoshang.core.context_processors import navigation

    def entries(user):
        return {item["url"] for area in navigation(user) for item in area["items"]}

    url = reverse("stats:fdi-list")
    assert url not in entries(officer_a)
    assert url in entries(centre_officer) and url in entries(district_officer)
    assert reverse("stats:figures") in entries(officer_a)
