"""Parallel approvals: a plan built from a template, items moved step by step against their clocks, what blocks
construction start, a department's queue and the speed figures, with the official calendar of 2026 (Labour Day:
1–5 May off, Saturday 9 May worked)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.tests.factories import member
from zhaoshang.core import clocks, workdays
from zhaoshang.core.choices import ClockUnit, PauseReason
from zhaoshang.core.models import ChangeRecord, Notification
from zhaoshang.services.choices import ApprovalStage, AssessmentKind, ItemState, ProjectKind
from zhaoshang.services.models import ApprovalItem, ApprovalTemplate, ParkAssessment, PlanItem, TemplateItem
from zhaoshang.services.services import approvals as service
from zhaoshang.services.services.approvals import TransitionError

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def social():
    return ApprovalTemplate.objects.get(project_kind=ProjectKind.SOCIAL)


def item_of(plan, code) -> PlanItem:
    return plan.items.select_related("item", "department").get(item__code=code)


def small_template(*codes, name="测试模板"):
    template = ApprovalTemplate.objects.create(name=name, project_kind=ProjectKind.SOCIAL, cap_days=30)
    for code in codes:
        TemplateItem.objects.create(template=template, item=ApprovalItem.objects.get(code=code), start_offset=0)
    return template


@pytest.fixture
def plan(signed_project, officer_a, catalogue):
    return service.build_plan(
        signed_project, social(), date(2026, 4, 29), officer_a, officer_a, at=at(date(2026, 4, 29))
    )


# ---------------------------------------------------------------- building a plan


def test_the_calendar_of_2026_moves_labour_day(calendar_2026):
    assert not workdays.is_working(date(2026, 5, 4))
    assert workdays.is_working(date(2026, 5, 9))  # a Saturday worked (调休)


def test_a_plan_from_the_social_template_routes_each_item_to_its_department(plan, catalogue):
    assert plan.items.count() == social().template_items.count() == 19
    assert plan.cap_days == 55 and plan.project_kind == ProjectKind.SOCIAL
    filing = item_of(plan, "L01")
    assert filing.department == catalogue["发展和改革局"]
    assert item_of(plan, "B04").department == catalogue["住房和城乡建设局"]
    assert item_of(plan, "B01").limit_days == 10  # the promised time limit, not the statutory 15


def test_planned_dates_count_working_days_over_labour_day(plan):
    filing = item_of(plan, "L01")  # starts at once, 1 working day
    assert (filing.planned_start, filing.planned_end) == (date(2026, 4, 29), date(2026, 4, 30))
    energy = item_of(plan, "L02")  # starts after 1 working day, 10 working days: 1–5 May off, 9 May worked
    assert (energy.planned_start, energy.planned_end) == (date(2026, 4, 30), date(2026, 5, 18))


def test_the_cap_clock_starts_on_the_day_the_plan_counts_from(plan):
    cap = service.cap_clock(plan)
    assert cap.limit == 55 and cap.stopped_at is None
    assert timezone.localtime(cap.started_at).date() == date(2026, 4, 29)


def test_items_covered_by_a_valid_park_assessment_are_exempt(signed_project, officer_a, catalogue):
    park = signed_project.park
    ParkAssessment.objects.create(park=park, kind=AssessmentKind.ENVIRONMENT, done_on=date(2025, 3, 1))
    ParkAssessment.objects.create(
        park=park, kind=AssessmentKind.ENERGY, done_on=date(2023, 1, 1), valid_until=date(2026, 1, 31)
    )
    built = service.build_plan(signed_project, social(), date(2026, 4, 29), officer_a, officer_a)
    assert item_of(built, "L06").state == ItemState.EXEMPT  # environmental impact: covered
    assert item_of(built, "L02").state == ItemState.PLANNED  # energy: the assessment expired


def test_a_project_has_one_plan(plan, officer_a):
    with pytest.raises(ValidationError):
        service.build_plan(plan.project, social(), date(2026, 4, 29), officer_a, officer_a)


def test_an_officer_of_another_team_cannot_build_the_plan(signed_project, officer_b, catalogue):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        service.build_plan(signed_project, social(), date(2026, 4, 29), officer_b, officer_b)


def test_the_social_template_is_suggested_for_a_project_outside_a_scheme_park(signed_project, catalogue):
    signed_project.park = None
    assert service.suggest_template(signed_project).project_kind == ProjectKind.SOCIAL
    assert service.default_start(signed_project) == date(2026, 4, 29)


# ---------------------------------------------------------------- steps and clocks


def accept(plan_item, user, day, **data):
    service.act(plan_item, "apply", user, at=at(day, 9), applied_on=day)
    return service.act(plan_item, "accept", user, at=at(day), **data)


def test_accepting_starts_the_items_clock_with_its_time_limit(plan, nr_officer):
    permit = accept(item_of(plan, "W02"), nr_officer, date(2026, 4, 27))
    clock = service.clock_of(permit)
    assert permit.state == ItemState.ACCEPTED and clock.limit == 5
    assert timezone.localtime(clock.due_at).date() == date(2026, 5, 7)  # 28, 29, 30 April, 6, 7 May


def test_missing_documents_pause_the_clock_and_move_the_due_date_by_the_paused_working_days(plan, nr_officer):
    permit = accept(item_of(plan, "W02"), nr_officer, date(2026, 4, 27))
    service.act(permit, "request_documents", nr_officer, at=at(date(2026, 4, 28)), reason="缺少总平面图")
    clock = service.clock_of(permit)
    assert permit.state == ItemState.CORRECTION and clock.paused_since is not None and clock.due_at is None
    service.act(permit, "documents_received", nr_officer, at=at(date(2026, 5, 6)))
    clock.refresh_from_db()
    assert permit.state == ItemState.REVIEW
    assert clock.paused == 3  # 29, 30 April and 6 May
    assert timezone.localtime(clock.due_at).date() == date(2026, 5, 11)  # 7 May moved by 3 working days


def test_a_hearing_pauses_the_clock_with_its_reason_and_resuming_counts_again(plan, nr_officer):
    permit = accept(item_of(plan, "W02"), nr_officer, date(2026, 4, 27))
    service.act(permit, "pause", nr_officer, at=at(date(2026, 4, 28)), reason=PauseReason.HEARING, note="听证")
    clock = service.clock_of(permit)
    assert clock.pauses.get().reason == PauseReason.HEARING
    assert "grant" not in service.available_actions(permit, clock)
    service.act(permit, "resume", nr_officer, at=at(date(2026, 4, 30)))
    clock.refresh_from_db()
    assert clock.paused == 2 and clock.paused_since is None


def test_a_pause_needs_a_reason_the_law_does_not_count(plan, nr_officer):
    permit = accept(item_of(plan, "W02"), nr_officer, date(2026, 4, 27))
    with pytest.raises(TransitionError) as refused:
        service.act(permit, "pause", nr_officer, reason="")
    assert "reason" in refused.value.message_dict


def test_a_step_the_state_does_not_allow_is_refused_and_changes_nothing(plan, nr_officer):
    permit = item_of(plan, "W02")
    with pytest.raises(TransitionError) as refused:
        service.act(permit, "grant", nr_officer)
    assert "准予" in refused.value.messages[0] and "未申请" in refused.value.messages[0]  # grant, not applied
    permit.refresh_from_db()
    assert permit.state == ItemState.PLANNED and service.clock_of(permit) is None


def test_a_refusal_needs_its_reason(plan, nr_officer):
    permit = accept(item_of(plan, "W02"), nr_officer, date(2026, 4, 27))
    with pytest.raises(TransitionError):
        service.act(permit, "refuse", nr_officer, reason=" ")
    service.act(permit, "refuse", nr_officer, at=at(date(2026, 4, 29)), reason="不符合控制性详细规划")
    assert permit.state == ItemState.REFUSED and "控制性详细规划" in permit.note
    assert service.clock_of(permit).stopped_at is not None


def test_a_commitment_grants_at_once_where_the_item_allows_it(plan, catalogue):
    officer = member(catalogue["人民防空办公室"], Role.OFFICER)
    design = accept(item_of(plan, "B02"), officer, date(2026, 4, 27), by_commitment=True)
    assert design.state == ItemState.GRANTED and design.by_commitment
    assert service.clock_of(design).stopped_at == at(date(2026, 4, 27))


def test_a_commitment_is_refused_where_the_item_does_not_allow_it(plan, housing_officer):
    permit = item_of(plan, "B04")
    service.act(permit, "apply", housing_officer, applied_on=date(2026, 4, 27))
    with pytest.raises(TransitionError) as refused:
        service.act(permit, "accept", housing_officer, by_commitment=True)
    assert "by_commitment" in refused.value.message_dict
    permit.refresh_from_db()
    assert permit.state == ItemState.APPLIED


def test_accepting_with_a_document_missing_asks_when_it_is_due(plan, housing_officer):
    permit = item_of(plan, "B04")
    service.act(permit, "apply", housing_officer, applied_on=date(2026, 4, 27))
    with pytest.raises(TransitionError) as refused:
        service.act(permit, "accept", housing_officer, with_gaps=True)
    assert "gaps_due_on" in refused.value.message_dict
    service.act(permit, "accept", housing_officer, with_gaps=True, gaps_due_on=date(2026, 5, 8))
    assert permit.with_gaps and permit.gaps_due_on == date(2026, 5, 8)


def test_an_extension_is_approved_by_a_team_lead_of_the_department(plan, housing_officer, housing_lead):
    permit = accept(item_of(plan, "B04"), housing_officer, date(2026, 4, 27))
    with pytest.raises(TransitionError) as refused:
        service.act(permit, "extend", housing_officer, days=2, reason="专家论证", approved_by=housing_officer)
    assert "approved_by" in refused.value.message_dict
    service.act(permit, "extend", housing_officer, days=2, reason="专家论证", approved_by=housing_lead)
    clock = service.clock_of(permit)
    assert clock.extended == 2 and clock.extensions.get().approved_by == housing_lead
    assert timezone.localtime(clock.due_at).date() == date(2026, 5, 7)  # 3 + 2 working days from 27 April


def test_every_step_is_audited(plan, nr_officer):
    permit = accept(item_of(plan, "W02"), nr_officer, date(2026, 4, 27))
    service.act(permit, "request_documents", nr_officer, at=at(date(2026, 4, 28)))
    records = ChangeRecord.objects.filter(object_id=str(permit.pk), content_type__model="planitem")
    assert records.count() >= 4  # created, applied, accepted, paused, documents requested


def test_another_department_cannot_record_a_step(plan, nr_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        service.act(item_of(plan, "B04"), "apply", nr_officer)


# ---------------------------------------------------------------- what blocks construction


def test_blockers_are_the_items_before_construction_not_granted_the_latest_first(
    signed_project, officer_a, nr_officer, housing_officer
):
    template = small_template("W02", "B04", "D05")
    built = service.build_plan(signed_project, template, date(2026, 4, 27), officer_a, officer_a)
    accept(item_of(built, "W02"), nr_officer, date(2026, 4, 27))  # due 7 May
    accept(item_of(built, "B04"), housing_officer, date(2026, 5, 6))  # due 9 May
    found = service.blockers(built, now=at(date(2026, 5, 8), 12))
    assert [b.plan_item.item.code for b in found] == ["W02", "B04"]  # completion filing does not block
    assert found[0].status.state == "overdue" and found[1].status.state == "running"
    assert "建设工程规划许可证" in found[0].text and "自然资源局" in found[0].text


def test_when_nothing_blocks_the_cap_clock_stops(signed_project, officer_a, nr_officer, housing_officer):
    template = small_template("W02", "B04", "D05")
    built = service.build_plan(signed_project, template, date(2026, 4, 27), officer_a, officer_a)
    for code, user in (("W02", nr_officer), ("B04", housing_officer)):
        service.act(accept(item_of(built, code), user, date(2026, 4, 27)), "grant", user, at=at(date(2026, 4, 29)))
    assert service.blockers(built) == []
    assert service.cap_clock(built).stopped_at == at(date(2026, 4, 29))


def test_construction_start_stops_the_cap_clock(plan):
    project = plan.project
    project.construction_on = date(2026, 6, 18)
    project.save()
    assert timezone.localtime(service.cap_clock(plan).stopped_at).date() == date(2026, 6, 18)


def test_the_project_page_shows_what_blocks_construction(plan, client_for, officer_a):
    response = client_for(officer_a).get(plan.project.get_absolute_url())
    assert response.status_code == 200
    assert "建筑工程施工许可证" in response.content.decode()
    assert reverse("services:plan-detail", args=[plan.pk]) in response.content.decode()


def test_the_project_page_offers_to_build_the_plan(signed_project, client_for, officer_a, catalogue):
    body = client_for(officer_a).get(signed_project.get_absolute_url()).content.decode()
    assert reverse("services:plan-build", args=[signed_project.pk]) in body


# ---------------------------------------------------------------- pages


def test_building_the_plan_from_its_page(signed_project, client_for, officer_a, catalogue):
    client = client_for(officer_a)
    page = client.get(reverse("services:plan-build", args=[signed_project.pk]))
    assert page.status_code == 200 and page.context["form"]["started_on"].value() == date(2026, 4, 29)
    response = client.post(
        reverse("services:plan-build", args=[signed_project.pk]),
        {"template": social().pk, "lead_officer": officer_a.pk, "started_on": "2026-04-29"},
    )
    assert response.status_code == 302
    assert signed_project.approval_plan.items.count() == 19


def test_a_refused_step_answers_with_the_reason(plan, client_for, nr_officer):
    permit = item_of(plan, "W02")
    response = client_for(nr_officer).post(reverse("services:plan-item-act", args=[permit.pk]), {"action": "grant"})
    assert response.status_code == 400
    assert "Not applied" in response.content.decode() or "未申请" in response.content.decode()
    permit.refresh_from_db()
    assert permit.state == ItemState.PLANNED


def test_the_plan_page_shows_blockers_gantt_data_and_its_table(plan, client_for, officer_a):
    body = client_for(officer_a).get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="blockers"' in body and 'id="approval-gantt-data"' in body
    assert 'data-testid="gantt-table"' in body and "2026-04-29" in body


# ---------------------------------------------------------------- the queue


def test_a_department_sees_only_the_items_routed_to_it(plan, client_for, nr_officer, housing_officer):
    housing_item = item_of(plan, "B04")
    land = client_for(nr_officer)
    assert land.get(housing_item.get_absolute_url()).status_code == 404
    assert land.get(plan.get_absolute_url()).status_code == 404  # no department reaches the whole plan
    queue = land.get(reverse("services:item-queue"))
    shown = {row.pk for row in queue.context["rows"]}
    assert housing_item.pk not in shown and shown
    assert all(row.department == item_of(plan, "W02").department for row in queue.context["rows"])
    housing = client_for(housing_officer)
    page = housing.get(housing_item.get_absolute_url())
    assert page.status_code == 200 and plan.project.name in page.content.decode()


def _department_items(plan, department, count, start=0):
    items = []
    for n in range(start, start + count):
        catalogue_item = ApprovalItem.objects.create(
            code=f"Q{n:03d}",
            name=f"测试事项{n}",
            department=department,
            stage=ApprovalStage.CONSTRUCTION,
            statutory_days=20,
            promised_days=5,
        )
        item = PlanItem.objects.create(
            plan=plan,
            item=catalogue_item,
            department=department,
            stage=catalogue_item.stage,
            state=ItemState.ACCEPTED,
            limit_days=5,
            planned_start=date(2026, 4, 27),
            planned_end=date(2026, 5, 7),
            accepted_at=at(date(2026, 4, 27)),
        )
        clocks.start(item, service.ITEM_CLOCK, 5, ClockUnit.WORKING_DAYS, at=at(date(2026, 4, 27)))
        items.append(item)
    return items


def test_the_queue_asks_as_many_queries_for_25_rows_as_for_3(
    signed_project, officer_a, client_for, catalogue, django_assert_num_queries
):
    from zhaoshang.accounts.tests.factories import TeamFactory

    department = TeamFactory(name="测试审批局", kind="department")
    officer = member(department, Role.OFFICER)
    built = service.build_plan(signed_project, small_template("L01"), date(2026, 4, 27), officer_a, officer_a)
    client = client_for(officer)
    _department_items(built, department, 3)
    client.get(reverse("services:item-queue"))  # the session and the calendar, once
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("services:item-queue"))
    assert len(response.context["rows"]) == 3
    _department_items(built, department, 22, start=3)
    with django_assert_num_queries(len(three)):
        response = client.get(reverse("services:item-queue"))
    assert len(response.context["rows"]) == 25


def test_the_queue_sorts_by_due_and_filters_overdue(plan, client_for, nr_officer, housing_officer):
    accept(item_of(plan, "W02"), nr_officer, date(2026, 4, 27))
    items = service.queue(nr_officer, overdue=True, now=at(date(2026, 5, 12)))
    assert [i.item.code for i in items][:1] == ["W02"]
    assert all(i.department_id == item_of(plan, "W02").department_id for i in items)


# ---------------------------------------------------------------- speed figures and reminders


def test_speed_figures_of_a_hand_computed_year(plan, housing_officer, centre_officer):
    quick = accept(item_of(plan, "B04"), housing_officer, date(2026, 4, 27))  # 3 working days allowed
    service.act(quick, "grant", housing_officer, at=at(date(2026, 4, 30)))  # 3 counted: on time
    slow = accept(item_of(plan, "D05"), housing_officer, date(2026, 4, 27))  # 5 allowed
    service.act(slow, "request_documents", housing_officer, at=at(date(2026, 4, 28)))
    service.act(slow, "documents_received", housing_officer, at=at(date(2026, 5, 6)))  # 3 paused
    service.act(slow, "grant", housing_officer, at=at(date(2026, 5, 12)))  # 9 − 3 = 6 counted: due 11 May, late
    figures = service.speed(centre_officer, 2026)
    (housing,) = [row for row in figures["by_department"] if row.count]
    assert (housing.count, housing.median, housing.mean, housing.on_time, housing.paused) == (2, 4.5, 4.5, 1, 3)
    assert housing.on_time_share == 50.0
    by_stage = {row.key: row for row in figures["by_stage"]}
    assert by_stage[ApprovalStage.CONSTRUCTION].median == 3 and by_stage[ApprovalStage.COMPLETION].median == 6
    assert f"decided=2026&department={housing.key}" in housing.link


def test_the_speed_links_open_the_items_they_count(plan, housing_officer, centre_officer, client_for):
    quick = accept(item_of(plan, "B04"), housing_officer, date(2026, 4, 27))
    service.act(quick, "grant", housing_officer, at=at(date(2026, 4, 30)))
    (row,) = service.speed(centre_officer, 2026)["by_department"]
    listed = client_for(centre_officer).get(row.link).context["rows"]
    assert [item.pk for item in listed] == [quick.pk]


def test_a_reminder_tells_the_department_and_an_escalation_the_lead_officer(
    plan, housing_officer, housing_lead, officer_a
):
    permit = accept(item_of(plan, "B04"), housing_officer, date(2026, 4, 27))  # due 30 April
    clocks.scan(now=at(date(2026, 4, 30), 8))  # half the time has gone
    reminder = Notification.objects.get(recipient=housing_officer)
    assert plan.project.name in reminder.message and "建筑工程施工许可证" in reminder.message
    clocks.scan(now=at(date(2026, 5, 6), 12))  # overdue
    escalated = {n.recipient for n in Notification.objects.exclude(pk=reminder.pk)}
    assert {officer_a, housing_lead} <= escalated
    assert reminder.url == permit.get_absolute_url()


# ---------------------------------------------------------------- the other pages


def test_the_pages_of_an_item_under_way_show_its_pauses_and_extensions(
    plan, client_for, housing_officer, housing_lead, officer_a, centre_officer
):
    permit = accept(item_of(plan, "B04"), housing_officer, date(2026, 4, 27))
    service.act(permit, "pause", housing_officer, at=at(date(2026, 4, 28)), reason=PauseReason.EXPERT_REVIEW)
    service.act(permit, "resume", housing_officer, at=at(date(2026, 4, 30)))
    service.act(permit, "extend", housing_officer, days=1, reason="专家论证", approved_by=housing_lead)
    for language in ("zh-hans", "en"):
        client = client_for(housing_officer, language)
        body = client.get(permit.get_absolute_url()).content.decode()
        assert 'data-testid="item-pauses"' in body and 'data-testid="item-extensions"' in body
        assert 'data-testid="action-grant"' in body and 'data-testid="action-request_documents"' in body
        assert plan.project.name in body
        owner = client_for(officer_a, language)
        assert owner.get(plan.get_absolute_url()).status_code == 200
        centre = client_for(centre_officer, language)
        for name in ("item-list", "template-list", "assessment-list", "plan-list", "approval-speed", "item-add"):
            assert centre.get(reverse(f"services:{name}")).status_code == 200, name
        assert centre.get(reverse("services:item-queue"), {"overdue": "on", "stage": "3_build"}).status_code == 200
        assert centre.get(item_of(plan, "B04").item.get_absolute_url()).status_code == 200
        assert centre.get(plan.template.get_absolute_url()).status_code == 200


def test_the_plans_owner_adds_removes_and_reroutes_items(plan, client_for, officer_a, catalogue):
    client = client_for(officer_a)
    filing = item_of(plan, "L01")
    assert client.post(reverse("services:plan-item-remove", args=[filing.pk])).status_code == 302
    assert not plan.items.filter(item__code="L01").exists()
    added = client.post(
        reverse("services:plan-item-add", args=[plan.pk]),
        {"item": ApprovalItem.objects.get(code="L01").pk, "start_offset": 0},
    )
    assert added.status_code == 302 and plan.items.filter(item__code="L01").exists()
    permit = item_of(plan, "B04")
    moved = client.post(
        reverse("services:plan-item-department", args=[permit.pk]),
        {"department": catalogue["自然资源局"].pk, "record_version": permit.version},
    )
    assert moved.status_code == 302
    permit.refresh_from_db()
    assert permit.department == catalogue["自然资源局"]


def test_the_centre_keeps_the_catalogue_and_a_department_reads_it(client_for, centre_officer, nr_officer, catalogue):
    template = ApprovalTemplate.objects.get(project_kind=ProjectKind.FIT_OUT)
    centre = client_for(centre_officer)
    response = centre.post(
        reverse("services:template-items", args=[template.pk]),
        {"item": ApprovalItem.objects.get(code="B02").pk, "start_offset": 2},
    )
    assert response.status_code == 302
    assert template.template_items.filter(item__code="B02", start_offset=2).exists()
    land = client_for(nr_officer)
    assert land.get(template.get_absolute_url()).status_code == 200
    assert land.post(reverse("services:template-items", args=[template.pk]), {"remove": 1}).status_code == 403
    refused = centre.post(
        reverse("services:item-add"),
        {
            "code": "X01",
            "name": "测试",
            "department": catalogue["自然资源局"].pk,
            "stage": ApprovalStage.ENGINEERING,
            "statutory_days": 5,
            "promised_days": 9,
            "order": 1,
        },
    )
    assert refused.status_code == 200 and "promised_days" in refused.context["form"].errors
    assert not ApprovalItem.objects.filter(code="X01").exists()
