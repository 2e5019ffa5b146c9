"""Helpers of the workflow tests: a standard set with criteria, a draft review of a project, a case in scoring."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.tests.factories import member
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.review.choices import Comparison, Indicator, ReviewKind
from zhaoshang.review.models import Criterion, Review, SourceDocument, StandardSet, Threshold
from zhaoshang.review.services import workflow


def standard_set(effective_from=date(2024, 1, 1), name="江门市工业项目准入标准", intensity="300") -> StandardSet:
    source = SourceDocument.objects.create(title=f"{name}办法")
    found = StandardSet.objects.create(name=name, name_en="Admission rules", effective_from=effective_from)
    Criterion.objects.create(standard_set=found, name="产业契合度", name_en="Industry fit", max_points=Decimal("40"))
    Criterion.objects.create(
        standard_set=found, name="技术水平", name_en="Technology", max_points=Decimal("30"), sort=1
    )
    Threshold.objects.create(
        standard_set=found,
        indicator=Indicator.INVESTMENT_INTENSITY,
        kind=ReviewKind.INDUSTRIAL,
        comparison=Comparison.AT_LEAST,
        value=Decimal(intensity),
        source=source,
    )
    Threshold.objects.create(
        standard_set=found,
        indicator=Indicator.TAX_PER_MU,
        comparison=Comparison.AT_LEAST,
        value=Decimal("15"),
        source=source,
    )
    return found


def draft(team, district=None, **figures) -> Review:
    project = ProjectFactory(owner_team=team, district=district, name=figures.pop("name", "新能源电池项目"))
    values = {
        "site_area_mu": Decimal("100"),
        "fixed_asset_investment": Decimal("50000"),
        "total_investment": Decimal("60000"),
        "annual_output": Decimal("80000"),
        "annual_tax": Decimal("2000"),
        **figures,
    }
    return Review.objects.create(project=project, kind=ReviewKind.INDUSTRIAL, **values)


def in_scoring(team, centre_user, reviewers, chair, district=None) -> Review:
    """A case submitted, checked and assigned to ``reviewers`` with ``chair``."""
    review = draft(team, district)
    if not StandardSet.objects.exists():
        standard_set()
    review = workflow.submit(review, centre_user, on=date(2025, 3, 1))
    return workflow.assign(review, centre_user, reviewers, chair, date(2025, 3, 10))


def another_reviewer(centre, username="reviewer_two"):
    return member(centre, Role.REVIEWER, username=username)


def full_marks(review) -> dict:
    return {c.pk: c.max_points for c in workflow.criteria_of(review)}
