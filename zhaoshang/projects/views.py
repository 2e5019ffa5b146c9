"""Staff pages of the project pipeline under /work/projects/: list, detail, forms, stage changes, duplicates.

Thin views: the rules live in ``projects.services``. A project outside the user's scope is 404 (a
confidential project of another team included); a project the user may read but not change is 403 on
every form (leaders read everything and change nothing).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from zhaoshang.core import conflicts, excel, personal
from zhaoshang.core.choices import Action
from zhaoshang.core.conflicts import ConflictError
from zhaoshang.core.permissions import can
from zhaoshang.core.views import (
    SORT_PARAM,
    ObjectCreateView,
    ObjectListView,
    ObjectUpdateView,
    app_panels,
    history_url,
    is_fragment,
)

from . import services
from .filtersets import ProjectFilterSet
from .forms import (
    ActivityForm,
    ContactForm,
    CorrectDateForm,
    DocumentForm,
    MilestoneForm,
    ProjectForm,
    SpeedForm,
    TransitionForm,
)
from .imports import PROJECT_COLUMNS, PROJECT_EXAMPLE, ProjectImporter
from .models import Activity, Contact, Document, Milestone, Project
from .tables import PROJECT_TABLE

# Columns a page never needs (the search index, the district's boundary).
LIGHT = ("search_text", "enterprise__search_text", "district__boundary")


def visible_project(request, pk: int, action: str = Action.VIEW) -> Project:
    """The project as the user may see it (404 otherwise); for a change, 403 when the user may only read it."""
    queryset = Project.objects.restrict(request.user, Action.VIEW).select_related(
        "enterprise", "owner_team", "owner", "district", "park", "carrier", "industry_code", "chain"
    )
    project = get_object_or_404(queryset.defer(*LIGHT, "park__boundary", "carrier__boundary"), pk=pk)
    if action != Action.VIEW and not can(request.user, project, action):
        raise PermissionDenied
    return project


class ProjectListView(ObjectListView):
    model = Project
    filterset_class = ProjectFilterSet
    table = PROJECT_TABLE
    add_url_name = "projects:project-add"
    template_name = "projects/project_list.html"
    # The columns PROJECT_TABLE shows (and the permission and link need): the page reads nothing else.
    LIST_FIELDS = (
        "id",
        "name",
        "stage",
        "planned_investment",
        "lead_on",
        "signed_on",
        "confidential",
        "owner_team",
        "district",
        "enterprise",
        "enterprise__name",
        "enterprise__name_en",
        "owner_team__name",
        "owner_team__name_en",
        "district__name",
        "district__name_en",
    )

    def get_queryset(self):
        # with_stall: the stalled badge of each row, from the same query
        return super().get_queryset().only(*self.LIST_FIELDS).with_stall()

    def get_template_names(self):
        if is_fragment(self.request):
            return ["projects/_project_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = Project.can_add(self.request.user)
        context["urls"] = {action: reverse(f"projects:project-{action}") for action in ("export", "template", "import")}
        return context


def filtered_projects(request):
    """The projects of the list page for the same filters and sort order (the export's rows)."""
    queryset = Project.objects.restrict(request.user, Action.VIEW).defer(*LIGHT)
    filterset = ProjectFilterSet(request.GET or None, queryset=queryset, request=request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    return PROJECT_TABLE.prepare(queryset, PROJECT_TABLE.sort_key(request.GET.get(SORT_PARAM)))


class ProjectExportView(LoginRequiredMixin, View):
    """Exactly the projects the list shows for the same filters, in the same order, as a workbook."""

    def get(self, request):
        queryset = (
            filtered_projects(request)
            .select_related("park", "chain", "industry_code", "owner")
            .prefetch_related("enterprise__tags")
            .defer("park__boundary", "park__search_text")
        )
        name = Project._meta.verbose_name_plural
        wb = excel.export_workbook(queryset.iterator(chunk_size=2000), PROJECT_COLUMNS, name)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return excel.workbook_response(wb, f"{name}-{stamp}.xlsx")


class ProjectTemplateView(excel.TemplateView):
    model, columns, examples = Project, PROJECT_COLUMNS, [PROJECT_EXAMPLE]


class ProjectImportView(excel.ImportView):
    importer_class = ProjectImporter
    list_url_name = "projects:project-list"
    template_url_name = "projects:project-template"


def _detail_context(request, project: Project, transition_form=None, correct_form=None) -> dict:
    can_change = can(request.user, project, Action.CHANGE)
    return {
        "object": project,
        "project": project,
        "can_change": can_change,
        "history_url": history_url(project),
        "transitions": services.stage_history(project),
        "milestones": project.milestones.all(),
        "activities": project.activities.prefetch_related("participants"),
        "documents": project.documents.all(),
        "contacts": personal.mask(project.contacts.all(), request.user),
        "supporting_teams": project.supporting_teams.all(),
        "stall": project.stall(),
        "duplicates": project.duplicates(request.user),
        "durations": services.project_durations(project),
        "transition_form": transition_form or (TransitionForm(project) if can_change else None),
        "correct_form": correct_form or _correct_form(project, can_change),
        # sections other apps add to the page (AppConfig.project_panels: admission reviews…)
        "app_sections": app_panels(request.user, "project_panels", project),
    }


def _correct_form(project, can_change: bool):
    """The form to correct a stage's date, when the user may and there is a stage to date."""
    if not can_change:
        return None
    form = CorrectDateForm(project)
    return form if form.fields["stage"].choices else None


@login_required
def project_detail(request, pk: int):
    project = visible_project(request, pk)
    return render(request, "projects/project_detail.html", _detail_context(request, project))


def _moved(request, project: Project, message: str):
    messages.success(request, message)
    if is_fragment(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = project.get_absolute_url()
        return response
    return redirect(project.get_absolute_url())


@login_required
@require_POST
def project_transition(request, pk: int):
    """POST to_stage, happened_on, note, reason: move the project (htmx: the form comes back with its errors)."""
    project = visible_project(request, pk, Action.CHANGE)
    on_board = is_fragment(request) and request.POST.get("board") == "1"
    form = TransitionForm(project, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        from_stage = project.stage
        try:
            project = services.transition(
                project, data["to_stage"], data["happened_on"], request.user, note=data["note"], reason=data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except ConflictError:
            form.add_error(None, conflicts.PAGE_MESSAGE)
        else:
            message = _("%(project)s is now at %(stage)s.") % {"project": project, "stage": project.get_stage_display()}
            if on_board:
                return _moved_on_board(request, project, from_stage, message)
            return _moved(request, project, message)
    if on_board:
        return render(request, "projects/_board_move_form.html", {"project": project, "form": form})
    if is_fragment(request):
        return render(request, "projects/_transition_form.html", {"project": project, "transition_form": form})
    return render(request, "projects/project_detail.html", _detail_context(request, project, transition_form=form))


@login_required
@require_POST
def project_correct_date(request, pk: int):
    """POST stage, happened_on, note: put right the date a stage was reached."""
    project = visible_project(request, pk, Action.CHANGE)
    form = CorrectDateForm(project, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            project = services.correct_date(
                project, data["stage"], data["happened_on"], request.user, note=data["note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except ConflictError:
            form.add_error(None, conflicts.PAGE_MESSAGE)
        else:
            return _moved(request, project, _("The date was corrected."))
    if is_fragment(request):
        return render(request, "projects/_correct_form.html", {"project": project, "correct_form": form})
    return render(request, "projects/project_detail.html", _detail_context(request, project, correct_form=form))


class ProjectCreateView(ObjectCreateView):
    model = Project
    form_class = ProjectForm

    def form_valid(self, form):
        try:
            self.object = form.create()
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(object)s.") % {"object": self.object})
        return redirect(self.object.get_absolute_url())


class ProjectUpdateView(ObjectUpdateView):
    model = Project
    form_class = ProjectForm

    def get_queryset(self):
        return super().get_queryset().defer(*LIGHT)


class ProjectRecordCreateView(ObjectCreateView):
    """Add a record (activity, milestone, contact, document) to a project the user may change."""

    template_name = "projects/record_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = visible_project(request, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(project=self.project)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        return context

    def get_success_url(self):
        return self.project.get_absolute_url()


@login_required
def document_download(request, pk: int):
    """A project's file, for those who may see the project (404 for anyone else)."""
    document = get_object_or_404(Document.objects.restrict(request.user, Action.VIEW), pk=pk)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


@login_required
def duplicates(request):
    """Enterprises pursued by more than one team (撞单) that the user's projects are part of, with who came first."""
    groups = services.duplicate_claims(request.user)
    return render(request, "projects/duplicates.html", {"groups": groups})


@login_required
def lookup(request):
    """Is another team already on it? Projects on an enterprise, by name or credit code: stage and owning team."""
    query = request.GET.get("q", "")
    rows = services.lookup(request.user, query)
    return render(
        request,
        "projects/lookup.html",
        {"query": query, "rows": rows, "min_length": services.LOOKUP_MIN_LENGTH, "limit": services.LOOKUP_LIMIT},
    )


# kind (URL name "<kind>-add") → (its plural in the URL, model, form)
RECORD_VIEWS = {
    "activity": ("activities", Activity, ActivityForm),
    "milestone": ("milestones", Milestone, MilestoneForm),
    "contact": ("contacts", Contact, ContactForm),
    "document": ("documents", Document, DocumentForm),
}


# ---------------------------------------------------------------- the board, "my work", speed


def _board_labels() -> dict:
    """Texts the board's script shows, translated here (the script holds none)."""
    return {"dropHere": _("Drop the card here to move the project.")}


@login_required
def board(request):
    """The projects the user may see, one column per stage, filtered like the list."""
    queryset = Project.objects.restrict(request.user, Action.VIEW)
    filterset = ProjectFilterSet(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound:
        queryset = filterset.qs
    columns = services.board_columns(queryset, request.user)
    query = request.GET.copy()
    query.pop("stage", None)
    return render(
        request,
        "projects/board.html",
        {
            "filterset": filterset,
            "columns": columns,
            "query_string": query.urlencode(),
            "per_column": services.BOARD_CARDS_PER_COLUMN,
            "labels": _board_labels(),
            "today": timezone.localdate(),
        },
    )


@login_required
def board_move_form(request, pk: int):
    """The move form of one card (htmx; the card's Move button, the board's keyboard path): the stage preset from
    ``?to_stage=``, else the next allowed one; a card dragged onto a column posts its move directly. The legal
    moves are offered; a stage that is not one of them is refused at once, in the service's words."""
    project = visible_project(request, pk, Action.CHANGE)
    moves = services.allowed_moves(project)
    to_stage = request.GET.get("to_stage") or (moves[0] if moves else None)
    refusals = []
    if to_stage and to_stage not in moves:
        try:
            services.check_transition(project, to_stage, timezone.localdate())
        except ValidationError as exc:
            refusals = exc.messages
            to_stage = moves[0] if moves else None
    form = TransitionForm(project, initial={"to_stage": to_stage})
    return render(request, "projects/_board_move_form.html", {"project": project, "form": form, "refusals": refusals})


def _moved_on_board(request, project: Project, from_stage: str, message: str):
    """The moved card, out of its old column and on top of its new one, and the message in the move panel."""
    card = services.board_card(project, request.user)
    return render(
        request,
        "projects/_board_moved.html",
        {"card": card, "from_stage": from_stage, "message": message, "column_counts": True},
    )


@login_required
def my_work(request):
    """What the logged-in officer has to do, and what the other apps ask of them (``AppConfig.work_panels``)."""
    work = services.my_work(request.user)
    return render(request, "projects/my_work.html", {**work, "panels": app_panels(request.user, "work_panels")})


@login_required
def speed(request):
    """How fast the projects the user may see move between the key stages over a period (default: this year)."""
    form = SpeedForm(request.GET or None)
    start, end, group_by = form.period()
    figures = services.speed_figures(Project.objects.restrict(request.user, Action.VIEW), start, end, group_by)
    charts = [
        {
            "id": f"speed-chart-{interval['key']}",
            "bins": [
                (f"{bar['from_days']}–{bar['to_days']}" if bar["to_days"] is not None else f"≥ {bar['from_days']}")
                for bar in interval["overall"]["histogram"]
            ],
            "counts": [bar["count"] for bar in interval["overall"]["histogram"]],
        }
        for interval in figures["intervals"]
    ]
    return render(
        request,
        "projects/speed.html",
        {
            "form": form,
            "figures": figures,
            "charts": charts,
            "chart_labels": {"days": _("days"), "projects": _("projects")},
        },
    )
