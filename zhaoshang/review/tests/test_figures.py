"""The applicant's figures: the form (亩 or 公顷), who may change them, the Excel template and its import."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhaoshang.core.testing import form_data, xlsx_upload
from zhaoshang.review.services.figures import figure_rows

from .standards_fixtures import FIGURES, make_review_fixture, standards_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_site_area_in_hectares_is_kept_in_mu(make_review, client_for, officer_a):
    review = make_review(**FIGURES)
    client = client_for(officer_a)
    url = reverse("review:review-figures", args=[review.pk])
    response = client.post(url, form_data(client.get(url), site_area="2", site_area_unit="hectare"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.site_area_mu == Decimal("30.00")  # 2 公顷 × 15
    response = client.post(url, form_data(client.get(url), site_area="45.5", site_area_unit="mu"))
    review.refresh_from_db()
    assert review.site_area_mu == Decimal("45.50")


def test_bad_figures_are_refused_naming_the_field(make_review, client_for, officer_a):
    review = make_review(**FIGURES)
    client = client_for(officer_a, language="en")
    url = reverse("review:review-figures", args=[review.pk])
    response = client.post(url, form_data(client.get(url), high_storey_floor_area_m2="70000"))
    assert response.status_code == 200
    assert response.context["form"].errors["high_storey_floor_area_m2"]
    review.refresh_from_db()
    assert review.high_storey_floor_area_m2 == Decimal("6000")


def test_outsiders_cannot_see_or_change_the_figures(make_review, client_for, officer_b, district_officer, investor):
    review = make_review(**FIGURES)
    url = reverse("review:review-figures", args=[review.pk])
    assert client_for(officer_b).get(url).status_code == 404
    assert client_for(officer_b).post(url, {"site_area": "1"}).status_code == 404
    assert client_for(officer_b).get(reverse("review:review-figures-template", args=[review.pk])).status_code == 404
    response = investor.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    # the district bureau of 蓬江区 works the drafts of its district's projects (Review.scope_q)
    assert client_for(district_officer).get(url).status_code == 200
    review.refresh_from_db()
    assert review.site_area_mu == Decimal("100")


def test_a_submitted_review_is_read_only_for_its_team(make_review, client_for, officer_a):
    from zhaoshang.review.choices import ReviewState

    review = make_review(**FIGURES)
    review.state = ReviewState.SUBMITTED
    review.save()
    url = reverse("review:review-figures", args=[review.pk])
    assert client_for(officer_a).get(url).status_code == 403
    assert client_for(officer_a).get(reverse("review:review-figures-template", args=[review.pk])).status_code == 200


def test_the_template_holds_the_figures_under_their_labels(make_review, client_for, officer_a):
    review = make_review(**FIGURES)
    response = client_for(officer_a).get(reverse("review:review-figures-template", args=[review.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    labels = dict(figure_rows())
    assert [c.value for c in sheet[1]] == ["指标", "数值"]
    assert Decimal(str(values[labels["site_area"]])) == Decimal("100")
    assert Decimal(str(values[labels["annual_tax"]])) == Decimal("2500")


def test_an_import_sets_the_figures(make_review, client_for, officer_a):
    review = make_review()
    labels = dict(figure_rows())
    upload = xlsx_upload(
        [
            ["指标", "数值"],
            [labels["site_area"], 80],
            [labels["fixed_asset_investment"], 24000.5],
            [labels["products"], "锂电池"],
        ]
    )
    response = client_for(officer_a).post(reverse("review:review-figures-import", args=[review.pk]), {"file": upload})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.site_area_mu == Decimal("80") and review.fixed_asset_investment == Decimal("24000.50")
    assert review.products == "锂电池"


def test_a_bad_row_is_named_and_nothing_is_saved(make_review, client_for, officer_a):
    review = make_review(**FIGURES)
    labels = dict(figure_rows())
    upload = xlsx_upload(
        [["指标", "数值"], [labels["annual_tax"], 3000], [labels["site_area"], "一百亩"], [labels["jobs"], 12]]
    )
    response = client_for(officer_a, language="en").post(
        reverse("review:review-figures-import", args=[review.pk]), {"file": upload}
    )
    assert response.status_code == 200
    errors = response.context["import_form"].errors["file"]
    assert any(error.startswith(f"Row 3 ({labels['site_area']})") for error in errors), errors
    review.refresh_from_db()
    assert review.annual_tax == Decimal("2500") and review.site_area_mu == Decimal("100") and review.jobs is None


def test_an_unknown_label_is_named(make_review, client_for, officer_a):
    review = make_review(**FIGURES)
    upload = xlsx_upload([["指标", "数值"], ["不存在的指标", 1]])
    response = client_for(officer_a, language="en").post(
        reverse("review:review-figures-import", args=[review.pk]), {"file": upload}
    )
    assert "Row 2" in " ".join(response.context["import_form"].errors["file"])
