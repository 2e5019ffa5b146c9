"""A key enterprise served by the Pengjiang bureau (its officer), with an open request, an open approval item of a
project it invests in, and a class in the latest per-mu evaluation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.services.choices import ApprovalStage, ItemState, ProjectKind, RankBasis, RequestState
from zhaoshang.services.models import (
    ApprovalItem,
    ApprovalPlan,
    EnterpriseRequest,
    KeyEnterprise,
    PlanItem,
    RequestCategory,
)


@pytest.fixture
def department(db):
    return TeamFactory(name="江门市自然资源局", name_en="Natural Resources Bureau", kind=TeamKind.DEPARTMENT)


@pytest.fixture
def make_key():
    """``make_key(rank, year=…, officer=…, team=…, **enterprise fields)``: a firm on the year's list."""

    def make(rank, year=2026, officer=None, team=None, **fields):
        enterprise = EnterpriseFactory(**fields)
        return KeyEnterprise.objects.create(
            year=year,
            rank=rank,
            enterprise=enterprise,
            basis=RankBasis.OUTPUT,
            output_wan=Decimal(1_000_000 - rank * 1000),
            tax_wan=Decimal(30_000),
            officer=officer,
            team=team,
        )

    return make


@pytest.fixture
def open_request():
    def make(enterprise, department, state=RequestState.IN_PROGRESS, title="扩产用地需求"):
        category, _created = RequestCategory.objects.get_or_create(
            code="land", defaults={"name": "用地用房", "name_en": "Land"}
        )
        count = EnterpriseRequest.objects.count()
        return EnterpriseRequest.objects.create(
            number=f"QS-T{count:05d}",
            enterprise=enterprise,
            contact_name="王经理",
            contact_phone="13800000000",
            category=category,
            title=title,
            description="需要50亩扩产用地",
            department=department,
            state=state,
            received_at=timezone.now() - timedelta(days=2),
        )

    return make


@pytest.fixture
def open_item():
    def make(enterprise, department, owner_team, state=ItemState.REVIEW, name="建设工程规划许可证"):
        project = ProjectFactory(name=f"{enterprise.name}扩产项目", enterprise=enterprise, owner_team=owner_team)
        item, _created = ApprovalItem.objects.get_or_create(
            code=f"T-{name}",
            defaults={
                "name": name,
                "department": department,
                "stage": ApprovalStage.ENGINEERING,
                "statutory_days": 20,
                "promised_days": 5,
            },
        )
        today = timezone.localdate()
        plan = ApprovalPlan.objects.create(
            project=project, project_kind=ProjectKind.SOCIAL, cap_days=55, started_on=today - timedelta(days=20)
        )
        return PlanItem.objects.create(
            plan=plan,
            item=item,
            department=department,
            stage=item.stage,
            state=state,
            limit_days=5,
            planned_start=today - timedelta(days=5),
            planned_end=today + timedelta(days=2),
        )

    return make
