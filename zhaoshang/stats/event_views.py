"""Staff pages of the events under /work/stats/events/: list, detail with figures, the event and its venues on
one form, the projects on its list, a printable list for the ceremony and its Excel export.

Every member of staff reads the events; the organising team, the centre and administrators change them (403
for anyone else). The rows of an event's list are those the reader may see (``EventProject.scope_q``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from zhaoshang.core import excel
from zhaoshang.core.choices import Action
from zhaoshang.core.models import ConflictError
from zhaoshang.core.permissions import can
from zhaoshang.core.views import ObjectDeleteView, ObjectListView, history_url, is_fragment

from . import events as services
from .event_filtersets import EventFilterSet
from .event_forms import AddProjectForm, EventForm, VenueFormSet, project_options
from .event_tables import EVENT_TABLE
from .models import Event, EventProject

CONFLICT = gettext_lazy(
    "Someone else changed this event after you opened it. Nothing was saved: "
    "reload the page to see their change, then make yours again."
)


def visible_event(request, pk: int, action: str = Action.VIEW) -> Event:
    """The event (404 when the user may not see it); for a change, 403 when the user may only read it."""
    event = get_object_or_404(Event.objects.restrict(request.user, Action.VIEW).select_related("organiser_team"), pk=pk)
    if action != Action.VIEW and not can(request.user, event, action):
        raise PermissionDenied
    return event


class EventListView(ObjectListView):
    model = Event
    filterset_class = EventFilterSet
    table = EVENT_TABLE
    add_url_name = "stats:event-add"


class EventDeleteView(ObjectDeleteView):
    """Delete an event with its venues and its list (the projects themselves stay)."""

    model = Event
    success_url = reverse_lazy("stats:event-list")


def list_rows(event: Event, user, today=None) -> list[dict]:
    """The rows of the event's list the user may see, numbered in order, with their state."""
    today = today or timezone.localdate()
    rows = []
    for number, link in enumerate(services.visible_links(event, user), start=1):
        state = services.link_state(link, today)
        rows.append({"number": number, "link": link, "state": state, "state_label": services.link_state_label(state)})
    return rows


@login_required
def event_detail(request, pk: int):
    event = visible_event(request, pk)
    summary = services.event_summary(event)
    today = timezone.localdate()
    rows = list_rows(event, request.user, today)
    listed = EventProject.objects.filter(event=event).count()
    return render(
        request,
        "stats/events/event_detail.html",
        {
            "object": event,
            "event": event,
            "summary": summary,
            "rows": rows,
            "hidden_count": listed - len(rows),
            # the day of a row not recorded has come: its stage may be recorded
            "can_record": any(services.recordable(row["link"], today) for row in rows),
            "can_change": can(request.user, event, Action.CHANGE),
            "history_url": history_url(event),
        },
    )


@login_required
def event_edit(request, pk: int | None = None):
    """An event and its venues on one page (a new event when ``pk`` is None)."""
    if pk is None:
        if not Event.can_add(request.user):
            raise PermissionDenied
        event = None
    else:
        event = visible_event(request, pk, Action.CHANGE)
    data = request.POST if request.method == "POST" else None
    form = EventForm(data, instance=event, user=request.user)
    valid = data is not None and form.is_valid()
    # the venues are checked against the event as the form left it (its days)
    formset = VenueFormSet(data, instance=form.instance if valid else (event or Event()), prefix="venues")
    if valid and formset.is_valid():
        try:
            event = services.save_event(form, formset)
        except ConflictError:
            form.add_error(None, CONFLICT)
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": event})
            return redirect(event.get_absolute_url())
    return render(request, "stats/events/event_form.html", {"form": form, "formset": formset, "object": event})


@login_required
def event_add_project(request, pk: int):
    """Put a project on the event's list. With ``?q=`` (htmx), only the project options matching the search."""
    event = visible_event(request, pk, Action.CHANGE)
    query = request.GET.get("q", "")
    if request.method == "GET" and is_fragment(request):
        return render(request, "stats/events/_project_options.html", {"options": project_options(request.user, query)})
    data = request.POST if request.method == "POST" else None
    form = AddProjectForm(event, request.user, data, query=query)
    if data is not None and form.is_valid():
        try:
            link = services.add_project(
                request.user, event, form.cleaned_data["project"], form.cleaned_data["role"], form.cleaned_data["venue"]
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("%(project)s is on the list.") % {"project": link.project})
            return redirect(event.get_absolute_url())
    return render(request, "stats/events/event_add_project.html", {"event": event, "form": form})


@login_required
@require_POST
def event_remove_project(request, pk: int, link_pk: int):
    event = visible_event(request, pk, Action.CHANGE)
    link = get_object_or_404(
        EventProject.objects.restrict(request.user, Action.VIEW).select_related("project"), pk=link_pk, event=event
    )
    services.remove_project(request.user, link)
    messages.success(request, _("%(project)s was taken off the list.") % {"project": link.project})
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def event_record_stages(request, pk: int):
    """Record on the projects of the list that have not reached their stage the stage on their venue's day."""
    event = visible_event(request, pk, Action.CHANGE)
    try:
        count = services.record_stages(request.user, event)
    except ValidationError as exc:
        messages.error(request, _("Nothing was recorded:"))
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext("%(count)s stage was recorded.", "%(count)s stages were recorded.", count) % {"count": count},
        )
    return redirect(event.get_absolute_url())


@login_required
def event_print(request, pk: int):
    """The list of the ceremony, for printing: order, enterprise, project, amount, venue."""
    event = visible_event(request, pk)
    return render(
        request,
        "stats/events/event_print.html",
        {"event": event, "summary": services.event_summary(event), "rows": list_rows(event, request.user)},
    )


def _export_columns():
    return [
        excel.Column("number", _("No."), getter=lambda row: row["number"], width=6),
        excel.Column("venue", _("Venue"), getter=lambda row: str(row["link"].venue), width=20),
        excel.Column("role", _("Role"), getter=lambda row: row["link"].get_role_display(), width=14),
        excel.Column(
            "enterprise", _("Investor"), getter=lambda row: row["link"].project.enterprise.display_name, width=36
        ),
        excel.Column("project", _("Project"), getter=lambda row: row["link"].project.name, width=40),
        excel.Column(
            "amount",
            _("Planned investment (10,000 yuan)"),
            getter=lambda row: row["link"].project.planned_investment,
            width=18,
        ),
        excel.Column("code", _("Project reference"), getter=lambda row: row["link"].project.code, width=16),
        excel.Column("state", _("State"), getter=lambda row: row["state_label"], width=16),
    ]


@login_required
def event_export(request, pk: int) -> HttpResponse:
    """The printable list as a workbook (the rows the user may see, in the same order)."""
    event = visible_event(request, pk)
    wb = excel.export_workbook(list_rows(event, request.user), _export_columns(), event.name)
    return excel.workbook_response(wb, f"{event.name}.xlsx")
