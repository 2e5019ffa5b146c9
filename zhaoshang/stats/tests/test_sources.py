"""Statistics sources are registered by the apps that own the records (``AppConfig.stats_sources``): the metrics
count and list what any app registers, and ``stats`` imports none of its peers."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps

from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.core.stats_sources import Group, Source, all_records, model_labels, registered_sources
from zhaoshang.stats import services
from zhaoshang.stats.event_choices import EventKind
from zhaoshang.stats.forms import FiguresForm
from zhaoshang.stats.metrics import METRICS, SOURCES, Metric
from zhaoshang.stats.models import Event
from zhaoshang.stats.periods import Period

STATS = Path(__file__).resolve().parents[1]
PEERS = ("zhaoshang.portal", "zhaoshang.services", "zhaoshang.review")

# A kind of record an app could offer: events, counted by their first day and broken down by organising team.
EVENTS = Source(
    key="registered-events",
    label="events",
    model_path="stats.Event",
    for_user=lambda user: Event.objects.all(),
    everything=all_records("stats.Event"),
    dates={"start_on": "by first day"},
    groups={"organiser": Group("organiser", "Organiser", "organiser_team_id", model_labels("accounts.Team"))},
)


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_of_stats_imports_a_peer_app():
    modules = [p for p in STATS.rglob("*.py") if "tests" not in p.relative_to(STATS).parts]
    assert len(modules) > 10
    offending = {
        str(path.relative_to(STATS)): sorted(name for name in imported_modules(path) if name.startswith(PEERS))
        for path in modules
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_the_portal_registers_its_inquiries_and_stats_its_projects_and_fdi_records():
    from zhaoshang.portal.stats_sources import INQUIRIES

    assert set(SOURCES) == {"projects", "fdi", "inquiries"}
    assert SOURCES["inquiries"] is INQUIRIES
    assert apps.get_app_config("portal").stats_sources == ["zhaoshang.portal.stats_sources.INQUIRIES"]


def test_a_source_registered_by_an_app_is_counted_broken_down_and_listed(db, monkeypatch):
    monkeypatch.setattr(apps.get_app_config("geo"), "stats_sources", [f"{__name__}.EVENTS"], raising=False)
    monkeypatch.setitem(METRICS, "events_held", Metric("events_held", "Events held", "registered-events", "start_on"))
    host, other = TeamFactory(), TeamFactory()
    for team, day in ((host, date(2025, 3, 3)), (host, date(2025, 5, 5)), (other, date(2025, 4, 4))):
        Event.objects.create(name="招商推介会", kind=EventKind.CONFERENCE, start_on=day, organiser_team=team)
    Event.objects.create(name="往年推介会", kind=EventKind.CONFERENCE, start_on=date(2024, 3, 3), organiser_team=host)
    period = Period.whole_year(2025)

    figure = services.figure("events_held", period, group="organiser")

    assert SOURCES["registered-events"] is EVENTS
    assert (figure.value, figure.previous) == (3, 1)
    assert {(g.key, g.value) for g in figure.groups} == {(host.pk, 2), (other.pk, 1)}
    assert services.drill_records(METRICS["events_held"], period, group="organiser", key=other.pk).count() == 1
    assert ("organiser", "Organiser") in FiguresForm().fields["group"].choices


def test_two_sources_registered_under_one_key_are_refused(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("geo"), "stats_sources", ["zhaoshang.stats.metrics.FDI"], raising=False)
    with pytest.raises(ValueError, match="fdi"):
        registered_sources()
