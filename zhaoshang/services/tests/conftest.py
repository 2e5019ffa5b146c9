"""Two serving departments with an officer each (power supply, natural resources), the centre's officer, an
enterprise in 蓬江区 with an account of its person, another enterprise with its own account, the request categories
(seeded) routed to the power-supply department, and ``receive``: a request received at a given moment."""

from datetime import datetime

import pytest
from django.utils import timezone

from zhaoshang.accounts.choices import Role, TeamKind
from zhaoshang.accounts.tests.factories import TeamFactory, UserFactory, member
from zhaoshang.geo.models import Region
from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.services.models.requests import EnterpriseAccount, RequestCategory, ServicePolicy
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
