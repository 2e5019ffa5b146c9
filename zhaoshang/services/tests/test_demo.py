"""The demo's services after landing: the departments and their logins, 中创新航's approvals (50 days from signing to
construction, every item granted in time), plans in progress with an item in 补正 and one overdue, thousands of
requests that answer as DOMAIN.md reports (contact within the hour, satisfaction of the rated above 97%), 200 key
enterprises with their officers and visits, and the enterprise logins.

The demo is loaded once for the module (every app's demo, as ``manage.py load_demo`` does) inside a transaction that
is rolled back at the end.
"""

from datetime import timedelta

from django.utils import timezone

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.accounts.models import Team
from zhaoshang.core import clocks
from zhaoshang.core.demo import DEMO_PASSWORD, demo_logins
from zhaoshang.core.models import Clock
from zhaoshang.services.approvals_seed import DEPARTMENTS as SEEDED_DEPARTMENTS
from zhaoshang.services.choices import (
    BEFORE_CONSTRUCTION,
    ItemState,
    Rating,
    RequestState,
    SendBackDecision,
    VisitState,
)
from zhaoshang.services.models import (
    ApprovalItem,
    ApprovalPlan,
    ApprovalTemplate,
    EnterpriseAccount,
    EnterpriseRequest,
    KeyEnterprise,
    PlanItem,
    RequestCategory,
    SendBack,
    ServicePolicy,
    ServiceVisit,
)
from zhaoshang.services.services import requests as service
from zhaoshang.services.services.approvals import CAP_CLOCK, ITEM_CLOCK
from zhaoshang.services.services.requests import CLOSE, CONTACT

CALB = "中创新航50GWh动力电池及储能系统江门基地"


def test_the_demo_has_departments_each_with_an_officer_and_a_team_lead_whose_logins_are_listed(demo, db):
    departments = Team.objects.filter(kind=TeamKind.DEPARTMENT)
    assert departments.count() >= 6
    for team in departments:
        assert team.name_en
        roles = set(team.memberships.values_list("role", flat=True))
        assert {"officer", "team_lead"} <= roles
    listed = {username for username, _password, _who in demo_logins()}
    assert {"nrb", "housing", "dept_power", "nrb_lead", "firm"} <= listed


def test_zhongchuang_xinhang_went_from_signing_to_construction_in_50_days_with_every_item_granted_in_time(demo, db):
    plan = ApprovalPlan.objects.select_related("project").get(project__name=CALB)
    project = plan.project
    assert (project.construction_on - project.signed_on).days == 50
    assert plan.started_on == project.signed_on
    before = PlanItem.objects.filter(plan=plan, stage__in=BEFORE_CONSTRUCTION)
    assert before.count() >= 5
    assert before.filter(state=ItemState.GRANTED).count() >= 5
    for item in before.exclude(state=ItemState.EXEMPT):
        assert item.state == ItemState.GRANTED
        assert timezone.localtime(item.decided_at).date() < project.construction_on
        status = clocks.status(clocks.clock_of(item, ITEM_CLOCK), timezone.now())
        assert status.state == "on_time", item.item.name
    permit = before.get(item__code="B04")
    assert timezone.localtime(permit.decided_at).date() < project.construction_on


def test_the_plans_follow_the_seeded_catalogue_and_templates_with_the_clocks_the_services_start(demo, db):
    assert not ApprovalItem.objects.exclude(code__regex=r"^[LWBD]\d\d$").exists()
    templates = ApprovalTemplate.objects.all()
    assert sorted(templates.values_list("project_kind", "cap_days")) == sorted(
        [("government", 90), ("social", 55), ("park_scheme", 30), ("fit_out", 30)]
    )
    for plan in ApprovalPlan.objects.all():
        assert plan.template in templates
        assert clocks.clock_of(plan, CAP_CLOCK) is not None
    started = PlanItem.objects.exclude(state__in=(ItemState.PLANNED, ItemState.EXEMPT))
    assert started.exists()
    assert all(clocks.clock_of(item, ITEM_CLOCK) is not None for item in started)
    assert (
        not Clock.objects.exclude(purpose__in=(ITEM_CLOCK, CAP_CLOCK, CONTACT, "plan", CLOSE))
        .filter(subject_type__app_label="services")
        .exists()
    )


def test_the_demo_reuses_the_seeded_departments_and_categories_without_duplicates(demo, db):
    names = list(Team.objects.filter(kind=TeamKind.DEPARTMENT).values_list("name", flat=True))
    assert len(names) == len(set(names))
    for name, _name_en in SEEDED_DEPARTMENTS.values():
        assert names.count(name) == 1
    assert not Team.objects.filter(
        name__in=["江门市发展和改革局", "江门市自然资源局", "江门市住房和城乡建设局"]
    ).exists()
    assert set(Team.objects.get(name="自然资源局").memberships.values_list("user__username", flat=True)) == {
        "nrb",
        "nrb_lead",
    }
    categories = RequestCategory.objects.all()
    assert sorted(categories.values_list("code", flat=True)) == sorted(
        ["policy", "land", "financing", "talent", "utilities", "approvals", "other"]
    )
    assert not categories.filter(department__isnull=True).exists()
    assert ServicePolicy.objects.filter(category=None, channel="").count() == 1


def test_the_requests_are_numbered_per_year_in_order_received_and_a_new_one_takes_the_next_number(demo, db):
    year = timezone.localdate().year
    numbers = list(
        EnterpriseRequest.objects.filter(received_at__year=year)
        .order_by("received_at", "pk")
        .values_list("number", flat=True)
    )
    assert numbers[:2] == [f"SQ{year}-000001", f"SQ{year}-000002"]
    assert numbers == sorted(numbers)
    key = KeyEnterprise.objects.select_related("enterprise").first()
    made = service.submit(
        key.enterprise,
        [RequestCategory.objects.get(code="financing")],
        "流动资金贷款对接",
        "示例诉求。",
        "王经理",
        "13800000000",
        at=timezone.now(),
    )
    assert made.number == f"SQ{year}-{len(numbers) + 1:06d}"
    assert clocks.clock_of(made, CONTACT).stopped_at is None


def test_plans_in_progress_have_an_item_in_correction_with_its_clock_paused_and_an_item_overdue(demo, db):
    paused = PlanItem.objects.filter(state=ItemState.CORRECTION)
    assert paused.exists()
    assert clocks.clock_of(paused.first(), ITEM_CLOCK).paused_since is not None
    now = timezone.now()
    running = [clocks.clock_of(item, ITEM_CLOCK) for item in PlanItem.objects.filter(state=ItemState.REVIEW)]
    assert any(clocks.status(clock, now).state == "overdue" for clock in running)


def test_the_demo_has_thousands_of_requests_over_a_year_with_policy_and_approvals_most_common(demo, db):
    requests = EnterpriseRequest.objects.all()
    assert requests.count() >= 2500
    oldest = requests.order_by("received_at").first().received_at
    assert oldest >= timezone.now() - timedelta(days=366)
    by_category = {}
    for code in requests.values_list("category__code", flat=True):
        by_category[code] = by_category.get(code, 0) + 1
    top_two = sorted(by_category, key=by_category.get, reverse=True)[:2]
    assert set(top_two) == {"policy", "approvals"}
    assert requests.filter(channel="web").count() > requests.filter(channel="phone").count()
    assert requests.filter(channel="phone").count() > requests.filter(channel="12345").count() > 0


def test_most_requests_are_contacted_within_the_hour_closed_on_time_and_rated_satisfied(demo, db):
    requests = EnterpriseRequest.objects.all()
    contact = Clock.objects.filter(purpose=CONTACT, stopped_at__isnull=False)
    late = sum(1 for c in contact.only("stopped_at", "due_at") if c.stopped_at > c.due_at)
    assert 0.01 < late / contact.count() < 0.06
    closed = requests.filter(closed_at__isnull=False)
    assert closed.filter(closed_on_time=True).count() / closed.count() > 0.9
    rated = requests.exclude(rating="")
    assert rated.count() > 1000
    assert rated.filter(rating=Rating.SATISFIED).count() / rated.count() > 0.97
    assert requests.filter(redo_count__gt=0, level__gt=1).exists()
    assert requests.filter(state=RequestState.VISITED).count() > requests.count() / 2
    assert requests.filter(state__in=(RequestState.SUBMITTED, RequestState.IN_PROGRESS, RequestState.INTERIM)).exists()
    assert SendBack.objects.filter(decision=SendBackDecision.PENDING).count() == 2


def test_every_request_has_its_three_clocks_and_the_stopped_ones_when_the_step_was_done(demo, db):
    request = EnterpriseRequest.objects.filter(state=RequestState.VISITED).first()
    contact = clocks.clock_of(request, CONTACT)
    assert contact.stopped_at == request.contacted_at
    assert clocks.clock_of(request, CLOSE).stopped_at == request.closed_at
    assert Clock.objects.filter(subject_id__in=EnterpriseRequest.objects.values("pk")).count() >= 3 * 2500


def test_the_demo_has_200_key_enterprises_of_the_city_ranked_by_output_each_served_with_visits(demo, db):
    year = timezone.localdate().year
    keys = KeyEnterprise.objects.filter(year=year).select_related("enterprise__hq_region")
    assert keys.count() >= 200
    assert list(keys.values_list("rank", flat=True)[:3]) == [1, 2, 3]
    outputs = list(keys.order_by("rank").values_list("output_wan", flat=True))
    assert outputs == sorted(outputs, reverse=True)
    assert all(k.enterprise.hq_region and k.enterprise.hq_region.adcode.startswith("4407") for k in keys)
    assert not keys.filter(officer__isnull=True).exists() and not keys.filter(team__isnull=True).exists()
    visits = ServiceVisit.objects.filter(key_enterprise__year=year)
    assert visits.filter(state=VisitState.DONE).exclude(findings="").exists()
    assert visits.filter(state=VisitState.PLANNED, planned_on__gte=timezone.localdate()).exists()


def test_three_enterprise_logins_follow_key_enterprises_with_requests(demo, db):
    accounts = EnterpriseAccount.objects.select_related("user")
    assert accounts.count() == 3
    for account in accounts:
        assert account.user.check_password(DEMO_PASSWORD)
        assert KeyEnterprise.objects.filter(enterprise=account.enterprise).exists()
        assert EnterpriseRequest.objects.filter(account=account).exists()
