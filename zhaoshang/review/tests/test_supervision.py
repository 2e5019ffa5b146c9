"""Supervision after landing: yearly results against the commitments per mu, breaches and overdue dates."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from zhaoshang.projects.models import Project
from zhaoshang.review.choices import Decision
from zhaoshang.review.models import Commitment
from zhaoshang.review.services import supervision, workflow

from .cases import full_marks, in_scoring

pytestmark = pytest.mark.usefixtures("own_standards")


@pytest.fixture
def committed(outpost_a, officer_a, centre_officer, reviewer, leader):
    review = in_scoring(outpost_a, centre_officer, [reviewer], leader)
    workflow.score(review.assignments.get(), reviewer, full_marks(review), submit=True)
    workflow.decide(review, leader, Decision.APPROVE, "符合条件")
    workflow.record_commitment(
        review,
        officer_a,
        investment_intensity=Decimal("500"),
        output_per_mu=Decimal("800"),
        tax_per_mu=Decimal("40"),
        construction_by=timezone.localdate() - timedelta(days=30),
        production_by=timezone.localdate() + timedelta(days=300),
    )
    review.refresh_from_db()
    return review


def test_a_breach_is_flagged_with_its_size(committed, officer_a):
    # 100 mu used: 45,000 → 450 per mu against 500 committed; tax 3,000 → 30 against 40; output 90,000 → 900 (met)
    result = workflow.record_result(
        committed,
        officer_a,
        2025,
        land_mu=Decimal("100"),
        investment=Decimal("45000"),
        output=Decimal("90000"),
        tax=Decimal("3000"),
    )
    found = {b.indicator: b for b in supervision.breaches_of(result)}
    assert set(found) == {"investment_intensity", "tax_per_mu"}
    assert (found["investment_intensity"].actual, found["investment_intensity"].shortfall) == (
        Decimal("450.00"),
        Decimal("50.00"),
    )
    assert found["investment_intensity"].shortfall_percent == Decimal("10.00")
    assert (found["tax_per_mu"].shortfall, found["tax_per_mu"].shortfall_percent) == (
        Decimal("10.00"),
        Decimal("25.00"),
    )


def test_a_result_meeting_the_commitment_is_no_breach(committed, officer_a):
    result = workflow.record_result(
        committed, officer_a, 2025, land_mu=Decimal("80"), investment=Decimal("40000"), tax=Decimal("3200")
    )
    assert supervision.breaches_of(result) == []  # 500 and 40 per mu exactly


def test_the_supervision_page_and_its_export_list_the_breaches(committed, officer_a, centre_officer, client_for):
    workflow.record_result(committed, officer_a, 2025, land_mu=Decimal("100"), investment=Decimal("45000"))
    client = client_for(centre_officer)
    page = client.get(reverse("review:supervision")).content.decode()
    assert page.count('data-testid="breach"') == 1 and committed.project.name in page
    assert (
        client.get(reverse("review:supervision"), {"year": "2024"}).content.decode().count('data-testid="breach"') == 0
    )
    response = client.get(reverse("review:supervision-export"), {"year": "2025"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == 2025 and rows[1][1] == committed.project.name
    assert [Decimal(str(v)) for v in rows[1][4:8]] == [Decimal("500"), Decimal("450"), Decimal("50"), Decimal("10")]


def test_another_team_sees_no_breach_of_others(committed, officer_a, officer_b, client_for):
    workflow.record_result(committed, officer_a, 2025, land_mu=Decimal("100"), investment=Decimal("45000"))
    page = client_for(officer_b).get(reverse("review:supervision")).content.decode()
    assert 'data-testid="breach"' not in page and committed.project.name not in page


def test_a_commitment_date_passed_without_the_stage_is_overdue(committed):
    commitments = Commitment.objects.all()
    late = supervision.overdue(commitments)
    assert [(o.project.pk, o.due) for o in late] == [(committed.project_id, committed.commitment.construction_by)]
    Project.objects.filter(pk=committed.project_id).update(construction_on=date.today())
    assert supervision.overdue(commitments) == []
