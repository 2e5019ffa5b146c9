"""The event pages and API: who reads and who changes an event, the forms, the printable list and its export."""

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.tests.factories import member
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.services import transition
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats.event_choices import EventKind, EventRole
from zhaoshang.stats.models import Event, EventProject, EventVenue


def today():
    return timezone.localdate()


@pytest.fixture
def event(outpost_a):
    """A signing ceremony of the Beijing outpost, with a main venue and a Hong Kong branch venue."""
    day = today() - timedelta(days=5)
    event = Event.objects.create(name="集中签约仪式", kind=EventKind.SIGNING, start_on=day, organiser_team=outpost_a)
    EventVenue.objects.create(event=event, name="江门主会场", city="江门", held_on=day, order=1)
    EventVenue.objects.create(event=event, name="香港分会场", city="香港", held_on=day, order=2)
    return event


def venue(event, city):
    return event.venues.get(city=city)


def link(event, city, name, amount, order, **fields):
    project = ProjectFactory(name=name, planned_investment=Decimal(amount), **fields)
    return EventProject.objects.create(
        event=event, venue=venue(event, city), project=project, role=EventRole.SIGNED, order=order
    )


def url(name, event, *args):
    return reverse(f"stats:{name}", args=[event.pk, *args])


def venue_post(event, **changes):
    """The edit form as the page sends it: the event's fields and its venues (and one empty extra venue)."""
    venues = list(event.venues.order_by("order"))
    data = {
        "name": event.name,
        "name_en": event.name_en,
        "kind": event.kind,
        "start_on": event.start_on.isoformat(),
        "end_on": "",
        "organiser_team": event.organiser_team_id,
        "description": "",
        "record_version": event.version,
        "venues-TOTAL_FORMS": len(venues) + 1,
        "venues-INITIAL_FORMS": len(venues),
        "venues-MIN_NUM_FORMS": 0,
        "venues-MAX_NUM_FORMS": 1000,
    }
    for i, v in enumerate(venues):
        data.update(
            {
                f"venues-{i}-id": v.pk,
                f"venues-{i}-event": event.pk,
                f"venues-{i}-name": v.name,
                f"venues-{i}-name_en": v.name_en,
                f"venues-{i}-city": v.city,
                f"venues-{i}-held_on": v.held_on.isoformat(),
                f"venues-{i}-order": v.order,
            }
        )
    data[f"venues-{len(venues)}-order"] = 1  # the empty venue as the browser sends it: its initial order
    data.update(changes)
    return data


# ---------------------------------------------------------------- who reads, who changes


def test_an_anonymous_caller_is_sent_to_log_in_and_the_api_refuses(event, investor):
    for name in ("event-detail", "event-edit", "event-print", "event-export", "event-add-project"):
        response = investor.get(url(name, event))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    assert investor.get(reverse("stats:event-list")).status_code == 302
    assert investor.get(f"/api/stats/events/{event.pk}/").status_code in (401, 403)


def test_every_member_of_staff_reads_an_event_but_another_team_changes_nothing(
    event, officer_b, leader, client_for, api_for
):
    existing = link(event, "江门", "光伏组件项目", 20_000, 1)
    for user in (officer_b, leader):
        client = client_for(user)
        assert client.get(url("event-detail", event)).status_code == 200
        assert "集中签约仪式" in client.get(reverse("stats:event-list")).content.decode()
        assert client.get(url("event-edit", event)).status_code == 403
        assert client.post(url("event-edit", event), venue_post(event, name="改名")).status_code == 403
        assert client.get(url("event-add-project", event)).status_code == 403
        assert client.post(url("event-remove-project", event, existing.pk)).status_code == 403
        assert api_for(user).get(f"/api/stats/events/{event.pk}/").status_code == 200
    event.refresh_from_db()
    assert event.name == "集中签约仪式"
    assert EventProject.objects.filter(pk=existing.pk).exists()


def test_the_organising_team_and_the_centre_change_the_event(event, officer_a, centre_officer, client_for):
    for user, name in ((officer_a, "第一次改名"), (centre_officer, "第二次改名")):
        event.refresh_from_db()
        response = client_for(user).post(url("event-edit", event), venue_post(event, name=name))
        assert response.status_code == 302, response.context and (
            response.context["form"].errors,
            response.context["formset"].errors,
            response.context["formset"].non_form_errors(),
        )
        event.refresh_from_db()
        assert event.name == name


def test_an_officer_without_a_team_cannot_create_an_event(client_for, outpost_a):
    reader = member(outpost_a, Role.LEADER, username="reader")
    assert client_for(reader).get(reverse("stats:event-add")).status_code == 403


def test_a_confidential_project_of_another_team_is_missing_from_their_pages_and_api(
    event, outpost_a, officer_a, officer_b, client_for, api_for
):
    link(event, "江门", "公开照明项目", 20_000, 1)
    link(event, "江门", "保密电池项目", 30_000, 2, confidential=True, owner_team=outpost_a)
    for name in ("event-detail", "event-print"):
        theirs = client_for(officer_b).get(url(name, event)).content.decode()
        assert "公开照明项目" in theirs and "保密电池项目" not in theirs, name
        ours = client_for(officer_a).get(url(name, event)).content.decode()
        assert "保密电池项目" in ours
    detail = client_for(officer_b).get(url("event-detail", event))
    assert "2个项目现场签约，计划投资总额5亿元" in detail.content.decode()
    assert detail.context["hidden_count"] == 1
    names = [row["project_name"] for row in api_for(officer_b).get(f"/api/stats/events/{event.pk}/projects/").json()]
    assert names == ["公开照明项目"]
    workbook = load_workbook(io.BytesIO(client_for(officer_b).get(url("event-export", event)).content))
    assert "保密电池项目" not in [cell.value for row in workbook.active.iter_rows() for cell in row]


# ---------------------------------------------------------------- forms


def test_a_new_event_is_saved_with_its_venues(officer_a, outpost_a, client_for):
    day = today() + timedelta(days=30)
    data = {
        "name": "全球招商大会",
        "name_en": "Global Investment Conference",
        "kind": EventKind.CONFERENCE,
        "start_on": day.isoformat(),
        "end_on": (day + timedelta(days=1)).isoformat(),
        "organiser_team": outpost_a.pk,
        "venues-TOTAL_FORMS": 2,
        "venues-INITIAL_FORMS": 0,
        "venues-MIN_NUM_FORMS": 0,
        "venues-MAX_NUM_FORMS": 1000,
        "venues-0-name": "江门主会场",
        "venues-0-city": "江门",
        "venues-0-order": 1,
        "venues-1-name": "澳门分会场",
        "venues-1-city": "澳门",
        "venues-1-held_on": (day + timedelta(days=1)).isoformat(),
        "venues-1-order": 2,
    }
    response = client_for(officer_a).post(reverse("stats:event-add"), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert [(v.name, v.held_on) for v in event.venues.all()] == [
        ("江门主会场", day),  # an empty date is the event's first day
        ("澳门分会场", day + timedelta(days=1)),
    ]


def test_an_event_ending_before_it_starts_names_the_field_and_saves_nothing(event, officer_a, client_for):
    bad = venue_post(event, end_on=(event.start_on - timedelta(days=1)).isoformat(), name="改名")
    response = client_for(officer_a).post(url("event-edit", event), bad)
    assert response.status_code == 200
    assert response.context["form"].errors["end_on"] == ["活动的结束日期不能早于开始日期。"]
    event.refresh_from_db()
    assert event.name == "集中签约仪式" and event.end_on is None


def test_a_venue_dated_outside_the_event_names_the_venues_date_and_saves_nothing(event, officer_a, client_for):
    bad = venue_post(event, **{"venues-1-held_on": (event.start_on + timedelta(days=3)).isoformat()})
    response = client_for(officer_a).post(url("event-edit", event), bad)
    assert response.status_code == 200
    errors = response.context["formset"].forms[1].errors["held_on"]
    assert errors == [f"会场日期必须在活动期间（{event.start_on.isoformat()}）。"]
    assert venue(event, "香港").held_on == event.start_on


def test_a_venue_with_projects_cannot_be_deleted(event, officer_a, client_for):
    link(event, "香港", "光伏组件项目", 20_000, 1)
    response = client_for(officer_a).post(url("event-edit", event), venue_post(event, **{"venues-1-DELETE": "on"}))
    assert response.status_code == 200
    assert "香港分会场" in response.context["formset"].non_form_errors()[0]
    assert event.venues.count() == 2


def test_a_project_signed_on_another_day_is_refused_on_the_form(event, officer_a, client_for):
    project = ProjectFactory(name="储能系统项目", owner_team=event.organiser_team)
    transition(project, Stage.SIGNED, event.start_on - timedelta(days=2), officer_a)
    data = {"project": project.pk, "venue": venue(event, "江门").pk, "role": EventRole.SIGNED}
    response = client_for(officer_a).post(url("event-add-project", event), data)
    assert response.status_code == 200
    assert "储能系统项目" in response.context["form"].errors["project"][0]
    assert not EventProject.objects.exists()


def test_an_organiser_cannot_put_a_project_they_may_not_see_on_the_list(event, officer_a, outpost_b, client_for):
    hidden = ProjectFactory(name="他队保密项目", owner_team=outpost_b, confidential=True)
    data = {"project": hidden.pk, "venue": venue(event, "江门").pk, "role": EventRole.SIGNED}
    response = client_for(officer_a).post(url("event-add-project", event), data)
    assert response.status_code == 200
    assert "project" in response.context["form"].errors
    assert not EventProject.objects.exists()


def test_the_organiser_puts_a_project_on_the_list_and_takes_it_off(event, officer_a, client_for):
    project = ProjectFactory(name="光伏支架项目")
    data = {"project": project.pk, "venue": venue(event, "香港").pk, "role": EventRole.SIGNED}
    client = client_for(officer_a)
    assert client.post(url("event-add-project", event), data).status_code == 302
    added = EventProject.objects.get()
    assert (added.project, added.venue.city) == (project, "香港")
    assert client.post(url("event-remove-project", event, added.pk)).status_code == 302
    assert not EventProject.objects.exists()


def test_the_project_search_offers_only_visible_matching_projects(event, officer_a, outpost_b, client_for):
    ProjectFactory(name="光伏组件项目")
    ProjectFactory(name="光伏硅片项目", owner_team=outpost_b, confidential=True)
    ProjectFactory(name="调味品项目")
    response = client_for(officer_a).get(url("event-add-project", event), {"q": "光伏"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "光伏组件项目" in html and "光伏硅片项目" not in html and "调味品项目" not in html


# ---------------------------------------------------------------- the printable list, export, API


def test_the_printable_list_names_the_projects_in_order(event, officer_b, client_for):
    link(event, "香港", "丙项目", 30_000, 1)
    link(event, "江门", "乙项目", 20_000, 3)
    link(event, "江门", "甲项目", 15_000, 2)
    response = client_for(officer_b).get(url("event-print", event))
    html = response.content.decode()
    rows = [row["link"].project.name for row in response.context["rows"]]
    assert rows == ["甲项目", "乙项目", "丙项目"]  # the main venue first, then by order
    assert html.index("甲项目") < html.index("乙项目") < html.index("丙项目")
    assert "stats/event_print.css" in html
    assert "@media print" in Path(finders.find("stats/event_print.css")).read_text()  # A4 landscape, no buttons
    assert "3个项目现场签约，计划投资总额6.5亿元" not in html  # amounts are floored to whole 亿
    assert "3个项目现场签约，计划投资总额超6亿元" in html


def test_the_export_has_the_printable_list(event, officer_b, client_for):
    link(event, "江门", "甲项目", 15_000, 1)
    response = client_for(officer_b).get(url("event-export", event))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("序号", "会场", "环节", "投资者", "项目", "计划投资额（万元）")
    assert rows[1][:6] == (1, "江门主会场", "签约", rows[1][3], "甲项目", 15000)


def test_the_api_lists_events_with_venues_and_gives_the_summary(event, officer_b, api_for):
    link(event, "江门", "甲项目", 15_000, 1)
    listed = api_for(officer_b).get("/api/stats/events/").json()
    assert [e["name"] for e in listed["results"]] == ["集中签约仪式"]
    assert [v["name"] for v in listed["results"][0]["venues"]] == ["江门主会场", "香港分会场"]
    detail = api_for(officer_b).get(f"/api/stats/events/{event.pk}/").json()
    assert detail["summary"]["text_zh"] == "1个项目现场签约，计划投资总额超1亿元"
    assert detail["summary"]["text_en"] == "1 project signed on site, with planned investment of over 100 million yuan"
    assert detail["summary"]["lines"][0]["count"] == 1


def test_the_events_are_in_the_navigation_and_the_list_filters_by_kind(event, outpost_a, officer_b, client_for):
    Event.objects.create(name="集中投产仪式", kind=EventKind.PRODUCTION, start_on=today(), organiser_team=outpost_a)
    client = client_for(officer_b)
    assert reverse("stats:event-list") in client.get(reverse("core:home")).content.decode()
    listed = client.get(reverse("stats:event-list"), {"kind": EventKind.PRODUCTION})
    assert [e.name for e in listed.context["object_list"]] == ["集中投产仪式"]


def test_a_refused_project_stays_chosen_on_the_form(event, officer_a, client_for):
    project = ProjectFactory(name="储能逆变器项目", owner_team=event.organiser_team)
    transition(project, Stage.SIGNED, event.start_on - timedelta(days=1), officer_a)
    data = {"project": project.pk, "venue": venue(event, "江门").pk, "role": EventRole.SIGNED}
    html = client_for(officer_a).post(url("event-add-project", event) + "?q=调味品", data).content.decode()
    assert f'<option value="{project.pk}" selected>' in html


def test_the_organiser_deletes_an_event_and_its_projects_stay(event, officer_a, officer_b, client_for):
    listed = link(event, "江门", "甲项目", 15_000, 1)
    assert client_for(officer_b).post(url("event-delete", event)).status_code == 403
    assert client_for(officer_a).post(url("event-delete", event)).status_code == 302
    assert not Event.objects.exists() and not EventVenue.objects.exists() and not EventProject.objects.exists()
    assert listed.project.__class__.objects.filter(pk=listed.project_id).exists()


def test_the_page_records_the_stages_of_the_day(event, officer_a, client_for):
    project = ProjectFactory(name="甲项目", owner_team=event.organiser_team)
    EventProject.objects.create(event=event, venue=venue(event, "江门"), project=project, role=EventRole.SIGNED)
    client = client_for(officer_a)
    assert 'data-testid="record-stages"' in client.get(url("event-detail", event)).content.decode()
    response = client.post(url("event-record-stages", event), follow=True)
    assert "已登记1个阶段。" in response.content.decode()
    project.refresh_from_db()
    assert project.signed_on == event.start_on
