"""The per-mu evaluation's demo: three years of figures for a few thousand firms, a graded run per year."""

from __future__ import annotations

import time

import pytest

from zhaoshang.core.demo import DemoContext
from zhaoshang.industry.models import Enterprise
from zhaoshang.review import demo_permu
from zhaoshang.review.models import EnterpriseYear, EvaluationResult, EvaluationRun


@pytest.mark.django_db
def test_the_demo_grades_three_years_with_class_changes(city):
    ctx = DemoContext(city_adcode="440700")
    started = time.perf_counter()
    demo_permu.load(ctx)
    elapsed = time.perf_counter() - started
    runs = list(EvaluationRun.objects.order_by("year"))
    assert [run.year for run in runs] == [2023, 2024, 2025]
    assert EnterpriseYear.objects.count() == 3 * Enterprise.objects.filter(permu_years__isnull=False).distinct().count()
    latest = runs[-1]
    grades = set(EvaluationResult.objects.filter(run=latest).values_list("grade", flat=True))
    assert grades == {"A", "B", "C", "D", ""}  # every class, and the firms not graded
    moved = EvaluationResult.objects.filter(run=latest).exclude(previous_grade="").exclude(grade="")
    assert any(r.change for r in moved[:500])
    assert all(e.name_en for e in Enterprise.objects.filter(permu_years__year=2025)[:50])
    print(f"demo loaded in {elapsed:.1f} s")
