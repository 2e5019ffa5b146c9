"""The working pages of the pipeline: the board by stage (and moving cards on it), "my work" and the speed page."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.models import Membership
from zhaoshang.core.notifications import notify
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage, StallRule
from zhaoshang.projects.models import Project, StageTransition
from zhaoshang.projects.tests.factories import MilestoneFactory, ProjectFactory


def today():
    """Today where the city is (read at each use: a run may pass midnight)."""
    return timezone.localdate()


BOARD = reverse("projects:board")
MY_WORK = reverse("my-work")
SPEED = reverse("projects:speed")
HTMX = {"HTTP_HX_REQUEST": "true"}


def transition_url(project):
    return reverse("projects:project-transition", args=[project.pk])


def board_cards(response) -> set[str]:
    return {card.name for column in response.context["columns"] for card in column["cards"]}


# --- the board --------------------------------------------------------------------------------------------------


def test_the_board_shows_only_projects_the_user_may_see_and_never_another_teams_confidential_one(
    officer_a, outpost_a, outpost_b, client_for
):
    ProjectFactory(name="本队项目", owner_team=outpost_a)
    ProjectFactory(name="他队支持项目", owner_team=outpost_b).supporting_teams.add(outpost_a)
    ProjectFactory(name="他队公开项目", owner_team=outpost_b)
    ProjectFactory(name="他队保密项目", owner_team=outpost_b, confidential=True)

    response = client_for(officer_a).get(BOARD)

    assert response.status_code == 200
    assert board_cards(response) == {"本队项目", "他队支持项目"}
    assert "他队保密项目" not in response.content.decode()
    assert "他队公开项目" not in response.content.decode()


def test_the_board_puts_each_project_in_the_column_of_its_stage_with_its_badges(officer_a, outpost_a, client_for):
    ProjectFactory(
        name="硅能源基地",
        owner_team=outpost_a,
        planned_investment=200_000,
        stage=Stage.SIGNED,
        lead_on=today() - timedelta(days=200),
        signed_on=today() - timedelta(days=111),  # past the threshold, no land: stalled (no scan needed)
    )

    response = client_for(officer_a).get(BOARD)

    signed = next(column for column in response.context["columns"] if column["stage"] == Stage.SIGNED)
    assert [card.name for card in signed["cards"]] == ["硅能源基地"]
    html = response.content.decode()
    assert 'data-testid="badge-stalled"' in html
    assert 'data-testid="badge-large"' in html
    assert "20 亿元" in html


def test_the_board_filters_like_the_list(officer_a, outpost_a, client_for):
    ProjectFactory(name="大项目", owner_team=outpost_a, planned_investment=50_000)
    ProjectFactory(name="小项目", owner_team=outpost_a, planned_investment=500)

    response = client_for(officer_a).get(BOARD, {"tag": "large"})

    assert board_cards(response) == {"大项目"}


def test_cards_the_user_may_not_change_have_no_move_control(officer_a, outpost_a, outpost_b, client_for):
    ProjectFactory(name="本队项目", owner_team=outpost_a)
    ProjectFactory(name="他队项目", owner_team=outpost_b)
    # officer_a also sits in outpost_b with a read-only role: it reads that team's projects, it does not move them
    Membership.objects.create(user=officer_a, team=outpost_b, role=Role.REVIEWER)

    response = client_for(officer_a).get(BOARD)

    cards = {card.name: card for column in response.context["columns"] for card in column["cards"]}
    assert cards["本队项目"].movable and not cards["他队项目"].movable
    assert response.content.decode().count('data-testid="move-button"') == 1


def test_a_move_from_the_board_by_a_user_without_the_right_is_refused_and_changes_nothing(
    officer_a, outpost_b, client_for
):
    project = ProjectFactory(name="他队项目", owner_team=outpost_b)

    move = {"board": "1", "to_stage": Stage.NEGOTIATION, "happened_on": today()}

    # another team's project is not found; once the user reads it (a read-only role there), the move is forbidden
    assert client_for(officer_a).post(transition_url(project), move, **HTMX).status_code == 404
    Membership.objects.create(user=officer_a, team=outpost_b, role=Role.REVIEWER)
    response = client_for(officer_a).post(transition_url(project), move, **HTMX)

    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).stage == Stage.LEAD
    assert StageTransition.objects.filter(project=project).count() == 1
    assert client_for(officer_a).get(reverse("projects:board-move", args=[project.pk])).status_code == 403


def test_an_illegal_move_on_the_board_shows_the_reason_and_changes_nothing(officer_a, outpost_a, client_for):
    project = ProjectFactory(name="本队项目", owner_team=outpost_a, stage=Stage.NEGOTIATION, negotiation_on=today())

    response = client_for(officer_a).post(
        transition_url(project), {"board": "1", "to_stage": Stage.LAND, "happened_on": today()}, **HTMX
    )

    assert response.status_code == 200
    assert 'data-testid="move-errors"' in response.content.decode()
    assert "须有签约日期" in response.content.decode()  # land needs a signing date first
    assert Project.objects.get(pk=project.pk).stage == Stage.NEGOTIATION
    assert StageTransition.objects.filter(project=project).count() == 1


def test_a_move_on_the_board_dated_earlier_moves_the_card_to_its_new_column(officer_a, outpost_a, client_for):
    project = ProjectFactory(name="本队项目", owner_team=outpost_a, lead_on=today() - timedelta(days=60))
    signed = today() - timedelta(days=10)

    response = client_for(officer_a).post(
        transition_url(project),
        {"board": "1", "to_stage": Stage.SIGNED, "happened_on": signed.isoformat(), "note": "签约仪式"},
        **HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="card-{project.pk}" hx-swap-oob="delete"' in html
    assert 'hx-swap-oob="afterbegin:#cards-signed"' in html
    project.refresh_from_db()
    assert (project.stage, project.signed_on) == (Stage.SIGNED, signed)
    assert project.transitions.last().note == "签约仪式"


def test_the_move_form_of_a_dropped_card_proposes_the_column_it_was_dropped_on(officer_a, outpost_a, client_for):
    project = ProjectFactory(owner_team=outpost_a)

    response = client_for(officer_a).get(reverse("projects:board-move", args=[project.pk]), {"to_stage": "signed"})

    assert response.status_code == 200
    assert response.context["form"]["to_stage"].value() == "signed"


def test_the_board_takes_as_many_queries_for_many_projects_as_for_few(officer_a, outpost_a, client_for):
    client = client_for(officer_a)
    ProjectFactory(owner_team=outpost_a, planned_investment=20_000)
    client.get(BOARD)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(BOARD)
    for n in range(12):
        stage = [Stage.LEAD, Stage.SIGNED, Stage.LAND][n % 3]
        ProjectFactory(owner_team=outpost_a, stage=stage, signed_on=today(), land_on=today(), planned_investment=n)
    with CaptureQueriesContext(connection) as many:
        client.get(BOARD)

    # one query more per column that gets cards (three columns now hold cards instead of one)
    assert len(many.captured_queries) <= len(few.captured_queries) + 2


def test_a_column_shows_at_most_its_cap_and_links_to_the_rest_in_the_list(officer_a, outpost_a):
    for _n in range(4):
        ProjectFactory(owner_team=outpost_a)

    columns = services.board_columns(Project.objects.restrict(officer_a), officer_a, per_column=3)

    lead = columns[0]
    assert (lead["count"], len(lead["cards"]), lead["more"]) == (4, 3, 1)


# --- my work ----------------------------------------------------------------------------------------------------


def test_my_work_lists_exactly_my_due_milestones_and_stalled_projects_and_not_another_teams(
    officer_a, outpost_a, outpost_b, client_for
):
    long_ago = today() - timedelta(days=1000)  # idle since: stalled before signing (no scan needed)
    mine = ProjectFactory(name="本队项目", owner_team=outpost_a, lead_on=long_ago)
    theirs = ProjectFactory(name="他队项目", owner_team=outpost_b, lead_on=long_ago)
    MilestoneFactory(project=mine, name="土地挂牌", planned_on=today() + timedelta(days=5))
    MilestoneFactory(project=mine, name="逾期事项", planned_on=today() - timedelta(days=3))
    MilestoneFactory(project=mine, name="远期事项", planned_on=today() + timedelta(days=40))
    MilestoneFactory(project=mine, name="已完成", planned_on=today(), actual_on=today())
    MilestoneFactory(project=theirs, name="他队事项", planned_on=today())
    notify(officer_a, "请跟进项目")

    response = client_for(officer_a).get(MY_WORK)

    assert response.status_code == 200
    assert [m.name for m in response.context["milestones"]] == ["逾期事项", "土地挂牌"]
    assert [(p.name, p.stall.rule) for p in response.context["stalled"]] == [
        ("本队项目", StallRule.IDLE_BEFORE_SIGNING)
    ]
    assert [n.message for n in response.context["notifications"]] == ["请跟进项目"]
    assert "他队" not in response.content.decode()


def test_my_work_lists_my_projects_without_activity_for_a_while(officer_a, outpost_a):
    ProjectFactory(name="久无进展", owner_team=outpost_a, lead_on=today() - timedelta(days=100))
    ProjectFactory(name="刚接触", owner_team=outpost_a, lead_on=today() - timedelta(days=2))

    work = services.my_work(officer_a)

    assert [p.name for p in work["idle"]] == ["久无进展"]


def test_my_work_shows_the_panels_other_apps_contribute(officer_a, client_for):
    response = client_for(officer_a).get(MY_WORK)

    titles = [str(panel["title"]) for panel in response.context["panels"]]
    assert "待答复、受理或不予受理的咨询" in titles


def test_my_work_is_in_the_navigation_and_on_the_home_page(officer_a, client_for):
    response = client_for(officer_a).get(reverse("core:home"))

    assert MY_WORK in response.content.decode()


# --- speed ------------------------------------------------------------------------------------------------------


def supported(project, team):
    """``project`` with ``team`` among its supporting teams (which read it)."""
    project.supporting_teams.add(team)
    return project


@pytest.fixture
def signed_projects(outpost_a, outpost_b):
    start = date(today().year, 1, 1)
    return [
        ProjectFactory(name="甲", owner_team=outpost_a, stage=Stage.SIGNED, lead_on=start, signed_on=start),
        supported(
            ProjectFactory(
                name="乙", owner_team=outpost_b, stage=Stage.SIGNED, lead_on=start - timedelta(days=30), signed_on=start
            ),
            outpost_a,
        ),
        ProjectFactory(
            name="丙",
            owner_team=outpost_b,
            confidential=True,
            stage=Stage.SIGNED,
            lead_on=start - timedelta(days=90),
            signed_on=start,
        ),
    ]


def test_the_speed_page_shows_the_figures_of_the_projects_the_user_may_see_for_the_period(
    officer_a, signed_projects, client_for
):
    response = client_for(officer_a).get(SPEED)

    start = date(today().year, 1, 1)
    expected = services.speed_figures(Project.objects.restrict(officer_a), start, today())
    shown = response.context["figures"]
    assert shown["intervals"][0]["overall"] == expected["intervals"][0]["overall"]
    assert shown["intervals"][0]["overall"]["count"] == 2  # another team's project the user does not read is not
    assert shown["intervals"][0]["overall"]["median"] == 15
    assert 'data-testid="speed-count">2<' in response.content.decode()


def test_the_speed_page_groups_by_team_over_a_chosen_period(officer_a, signed_projects, client_for):
    start, end = date(today().year, 1, 1), date(today().year, 1, 31)

    response = client_for(officer_a).get(SPEED, {"period_start": start, "period_end": end, "group_by": "team"})

    expected = services.speed_figures(Project.objects.restrict(officer_a), start, end, "team")
    assert response.context["figures"]["intervals"] == expected["intervals"]
    assert len(response.context["figures"]["intervals"][0]["groups"]) == 2


def test_a_period_ending_before_it_starts_is_refused_with_a_message(officer_a, client_for):
    response = client_for(officer_a).get(SPEED, {"period_start": "2025-05-01", "period_end": "2025-04-01"})

    assert response.status_code == 200
    assert response.context["form"].errors["period_end"]


def test_a_new_activity_form_proposes_today(officer_a, outpost_a, client_for):
    project = ProjectFactory(owner_team=outpost_a)

    response = client_for(officer_a).get(reverse("projects:activity-add", args=[project.pk]))

    assert response.context["form"]["happened_on"].value() == today()


def test_a_card_may_be_dropped_only_on_the_columns_of_its_legal_moves(officer_a, outpost_a, client_for):
    project = ProjectFactory(name="本队项目", owner_team=outpost_a, stage=Stage.NEGOTIATION, negotiation_on=today())

    html = client_for(officer_a).get(BOARD).content.decode()

    moves = " ".join(services.allowed_moves(project))
    assert moves == "signed paused dropped"  # not yet signed: no land, construction or production
    assert f'data-moves="{moves}"' in html


def test_the_record_pages_of_a_project_have_english_plurals_in_their_addresses(officer_a, outpost_a, client_for):
    project = ProjectFactory(owner_team=outpost_a)
    assert reverse("projects:activity-add", args=[project.pk]) == f"/work/projects/{project.pk}/activities/add/"
    assert reverse("projects:milestone-add", args=[project.pk]).endswith("/milestones/add/")
    client = client_for(officer_a)
    assert client.get(f"/work/projects/{project.pk}/activities/add/").status_code == 200
    assert client.get(f"/work/projects/{project.pk}/activitys/add/").status_code == 404
