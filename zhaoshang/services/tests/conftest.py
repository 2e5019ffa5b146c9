"""Two serving departments with an officer each (power supply, natural resources), the centre's officer, an
enterprise in 蓬江区 with an account of its person, another enterprise with its own account, the request categories
(seeded) routed to the power-supply department, and ``receive``: a request received at a given moment.

Key enterprises: one served by the Pengjiang bureau (its officer), with an open request, an open approval item of
a project it invests in, and a class in the latest per-mu evaluation."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zhaoshang.accounts.choices import Role, TeamKind
from zhaoshang.accounts.models import Team
from zhaoshang.accounts.tests.factories import TeamFactory, UserFactory, member
from zhaoshang.geo.models import Region
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
from zhaoshang.services.models.requests import EnterpriseAccount, ServicePolicy
from zhaoshang.services.services import requests as services

SEEDED = [
    ("policy", "政策咨询", "Policy enquiries"),
    ("land", "用地", "Land"),
    ("financing", "融资", "Financing"),
    ("talent", "人才", "Talent"),
    ("utilities", "水电气", "Utilities and power"),
    ("approvals", "审批", "Approvals"),
    ("other", "其他", "Other"),
]


def at(day: str, hm: str = "10:00") -> datetime:
    """A moment of local time: ``at("2026-03-09", "10:00")``."""
    return timezone.make_aware(datetime.fromisoformat(f"{day}T{hm}"))


@pytest.fixture
def categories(db):
    """The seeded categories (made again after a test that emptied the tables) and the default policy."""
    for order, (code, name, name_en) in enumerate(SEEDED, 1):
        RequestCategory.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})
    if not ServicePolicy.objects.filter(category__isnull=True, channel="").exists():
        ServicePolicy.objects.create()
    return {c.code: c for c in RequestCategory.objects.all()}


@pytest.fixture
def power(db):
    return TeamFactory(name="江门供电局", name_en="Jiangmen Power Supply Bureau", kind=TeamKind.DEPARTMENT)


@pytest.fixture
def land_bureau(db):
    return TeamFactory(name="市自然资源局", name_en="Natural Resources Bureau", kind=TeamKind.DEPARTMENT)


@pytest.fixture
def power_officer(power):
    return member(power, Role.OFFICER, username="power_officer", full_name="供电专员")


@pytest.fixture
def power_lead(power):
    return member(power, Role.TEAM_LEAD, username="power_lead")


@pytest.fixture
def land_officer(land_bureau):
    return member(land_bureau, Role.OFFICER, username="land_officer")


@pytest.fixture
def routed(categories, power, land_bureau, centre):
    """Utilities go to the power-supply bureau, land to natural resources; the others to the centre."""
    categories["utilities"].department = power
    categories["utilities"].save()
    categories["land"].department = land_bureau
    categories["land"].save()
    return categories


@pytest.fixture
def firm(city):
    return EnterpriseFactory(name="江门新材料有限公司", hq_region=Region.objects.get(adcode="440703"))


@pytest.fixture
def other_firm(city):
    return EnterpriseFactory(name="台山食品有限公司", hq_region=Region.objects.get(adcode="440781"))


@pytest.fixture
def firm_user(firm):
    user = UserFactory(username="firm_user", full_name="李经理", phone="13800001111", email="li@example.cn")
    EnterpriseAccount.objects.create(user=user, enterprise=firm)
    return user


@pytest.fixture
def other_firm_user(other_firm):
    user = UserFactory(username="other_firm_user")
    EnterpriseAccount.objects.create(user=user, enterprise=other_firm)
    return user


@pytest.fixture
def receive(routed, firm, firm_user):
    """``receive(when, category="utilities", enterprise=firm, channel="web")``: a request received at ``when``."""

    def make(when, category="utilities", enterprise=None, channel="web", title="用电报装"):
        enterprise = enterprise or firm
        account = EnterpriseAccount.objects.filter(enterprise=enterprise).first()
        return services.submit(
            enterprise,
            [routed[category]],
            title,
            "新厂房需要报装 10kV 专线",
            "李经理",
            "13800001111",
            channel=channel,
            account=account if channel == "web" else None,
            by=account.user if account and channel == "web" else None,
            received_at=when,
            at=when,
        )

    return make


# ---- parallel approvals: the seeded catalogue, the official calendar of 2026, departments with members and a
# signed project of outpost A


@pytest.fixture
def calendar_2026(db):
    """The official working days of 2026 (Labour Day: 1–5 May off, Saturday 9 May worked)."""
    from zhaoshang.core import workdays
    from zhaoshang.core.calendar_load import load_year
    from zhaoshang.core.models import CalendarYear

    if not CalendarYear.objects.filter(year=2026).exists():
        load_year(2026)
    workdays.forget()
    yield
    workdays.forget()


@pytest.fixture
def catalogue(db, calendar_2026):
    """The seeded catalogue (services.approvals_seed), as the data migration left it."""
    from zhaoshang.services.approvals_seed import seed

    seed()
    return {team.name: team for team in Team.objects.filter(kind="department")}


@pytest.fixture
def housing(catalogue):
    return catalogue["住房和城乡建设局"]


@pytest.fixture
def nr_bureau(catalogue):
    return catalogue["自然资源局"]


@pytest.fixture
def housing_officer(housing):
    return member(housing, Role.OFFICER, username="zjj_officer")


@pytest.fixture
def housing_lead(housing):
    return member(housing, Role.TEAM_LEAD, username="zjj_lead")


@pytest.fixture
def nr_officer(nr_bureau):
    return member(nr_bureau, Role.OFFICER, username="zrj_officer")


@pytest.fixture
def signed_project(city, outpost_a, officer_a):
    from zhaoshang.geo.tests.factories import ParkFactory, district
    from zhaoshang.projects.choices import Stage
    from zhaoshang.projects.tests.factories import ProjectFactory

    park = ParkFactory(name="测试产业园", team=outpost_a, region=district())
    return ProjectFactory(
        name="中创新航动力电池江门基地",
        owner_team=outpost_a,
        owner=officer_a,
        park=park,
        stage=Stage.SIGNED,
        signed_on=date(2026, 4, 29),
    )


# ---- key enterprises
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
