"""Pages of parallel approvals: the catalogue (items, templates, park assessments: kept by the centre), a project's
plan (built from a template, its Gantt chart against actuals and what blocks construction start), an item's page
with its steps, a department's open queue and the speed figures.

Who reaches what: a plan and its page follow the project's rules (its owning and supporting teams, its district
bureau, the centre). A department reaches the items routed to it — each on its own page, which names the project —
and not the rest of the plan (ApprovalPlan answers 404 to it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import can
from zhaoshang.core.views import ObjectCreateView, ObjectUpdateView
from zhaoshang.projects.models import Project

from ..choices import ApprovalStage
from ..forms.approvals import (
    ActionForm,
    ApprovalItemForm,
    ApprovalTemplateForm,
    BuildPlanForm,
    ParkAssessmentForm,
    PlanForm,
    PlanItemAddForm,
    PlanItemDepartmentForm,
    QueueFilterForm,
    TemplateItemForm,
)
from ..models import ApprovalItem, ApprovalPlan, ApprovalTemplate, ParkAssessment, PlanItem, TemplateItem
from ..services import approvals as service

QUEUE_ROWS = 25


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


# ---------------------------------------------------------------- the catalogue


@login_required
def item_list(request):
    items = ApprovalItem.objects.restrict(request.user, Action.VIEW).select_related("department")
    return render(
        request,
        "services/approval_item_list.html",
        {"items": items, "can_add": ApprovalItem.can_add(request.user)},
    )


@login_required
def item_detail(request, pk: int):
    item = get_object_or_404(
        ApprovalItem.objects.restrict(request.user, Action.VIEW).select_related("department"), pk=pk
    )
    return render(
        request,
        "services/approval_item_detail.html",
        {
            "object": item,
            "can_change": can(request.user, item, Action.CHANGE),
            "templates": ApprovalTemplate.objects.filter(template_items__item=item).distinct(),
        },
    )


class ItemCreateView(ObjectCreateView):
    model = ApprovalItem
    form_class = ApprovalItemForm


class ItemUpdateView(ObjectUpdateView):
    model = ApprovalItem
    form_class = ApprovalItemForm


@login_required
def template_list(request):
    templates = ApprovalTemplate.objects.restrict(request.user, Action.VIEW).annotate(
        item_count=Count("template_items")
    )
    return render(
        request,
        "services/approval_template_list.html",
        {"templates": templates, "can_add": ApprovalTemplate.can_add(request.user)},
    )


@login_required
def template_detail(request, pk: int):
    template = get_object_or_404(ApprovalTemplate.objects.restrict(request.user, Action.VIEW), pk=pk)
    can_change = can(request.user, template, Action.CHANGE)
    return render(
        request,
        "services/approval_template_detail.html",
        {
            "object": template,
            "entries": template.template_items.select_related("item__department"),
            "can_change": can_change,
            "form": TemplateItemForm() if can_change else None,
        },
    )


class TemplateCreateView(ObjectCreateView):
    model = ApprovalTemplate
    form_class = ApprovalTemplateForm


class TemplateUpdateView(ObjectUpdateView):
    model = ApprovalTemplate
    form_class = ApprovalTemplateForm


@login_required
@require_POST
def template_items(request, pk: int):
    """Add an item to a template (with its offset) or remove one (``remove`` = the item's key)."""
    template = get_object_or_404(ApprovalTemplate.objects.restrict(request.user, Action.VIEW), pk=pk)
    if not can(request.user, template, Action.CHANGE):
        raise PermissionDenied
    if request.POST.get("remove"):
        TemplateItem.objects.filter(template=template, item_id=request.POST["remove"]).delete()
        messages.success(request, _("The item was removed from the template."))
        return redirect(template.get_absolute_url())
    form = TemplateItemForm(request.POST)
    if form.is_valid():
        entry, created = TemplateItem.objects.get_or_create(
            template=template,
            item=form.cleaned_data["item"],
            defaults={"start_offset": form.cleaned_data["start_offset"]},
        )
        if not created:
            entry.start_offset = form.cleaned_data["start_offset"]
            entry.save(update_fields=["start_offset"])
        messages.success(request, _("Saved %(object)s.") % {"object": entry})
        return redirect(template.get_absolute_url())
    return render(
        request,
        "services/approval_template_detail.html",
        {
            "object": template,
            "entries": template.template_items.select_related("item__department"),
            "can_change": True,
            "form": form,
        },
        status=400,
    )


@login_required
def assessment_list(request):
    assessments = ParkAssessment.objects.restrict(request.user, Action.VIEW).select_related("park")
    return render(
        request,
        "services/park_assessment_list.html",
        {
            "assessments": assessments,
            "can_add": ParkAssessment.can_add(request.user),
            "today": timezone.localdate(),
        },
    )


class AssessmentCreateView(ObjectCreateView):
    model = ParkAssessment
    form_class = ParkAssessmentForm


class AssessmentUpdateView(ObjectUpdateView):
    model = ParkAssessment
    form_class = ParkAssessmentForm


# ---------------------------------------------------------------- plans


@login_required
def plan_list(request):
    plans = ApprovalPlan.objects.restrict(request.user, Action.VIEW).select_related("project", "lead_officer")
    page = Paginator(plans, QUEUE_ROWS).get_page(request.GET.get("page"))
    return render(request, "services/approval_plan_list.html", {"page": page})


@login_required
def plan_build(request, pk: int):
    """Build a project's plan: a template (suggested from the project), a lead officer, the day it counts from."""
    project = get_object_or_404(Project.objects.restrict(request.user, Action.VIEW), pk=pk)
    if not can(request.user, project, Action.CHANGE):
        raise PermissionDenied
    existing = ApprovalPlan.objects.filter(project=project).first()
    suggested = service.suggest_template(project)
    initial = {
        "template": suggested,
        "lead_officer": request.user,
        "started_on": service.default_start(project),
    }
    form = BuildPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            plan = service.build_plan(
                project,
                form.cleaned_data["template"],
                form.cleaned_data["started_on"],
                form.cleaned_data["lead_officer"],
                request.user,
            )
        except ValidationError as error:
            for message in _messages_of(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The approval plan was built."))
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "services/approval_plan_build.html",
        {"project": project, "form": form, "existing": existing, "suggested": suggested},
        status=400 if request.method == "POST" else 200,
    )


def _plan_for(request, pk: int) -> ApprovalPlan:
    return get_object_or_404(
        ApprovalPlan.objects.restrict(request.user, Action.VIEW).select_related("project", "template", "lead_officer"),
        pk=pk,
    )


@login_required
def plan_detail(request, pk: int):
    plan = _plan_for(request, pk)
    now = timezone.now()
    items = list(plan.items.select_related("item", "department").order_by("stage", "planned_start", "pk"))
    found = service.clocks_for(items)
    for item in items:
        item.clock = found.get(item.pk)
    can_change = can(request.user, plan, Action.CHANGE)
    stages = [(label, [i for i in items if i.stage == value]) for value, label in ApprovalStage.choices]
    return render(
        request,
        "services/approval_plan_detail.html",
        {
            "object": plan,
            "project": plan.project,
            "stages": [(label, rows) for label, rows in stages if rows],
            "blockers": service.blockers(plan, now),
            "cap": service.cap_clock(plan),
            "gantt": service.gantt(plan, now),
            "can_change": can_change,
            "add_form": PlanItemAddForm() if can_change else None,
        },
    )


class PlanUpdateView(ObjectUpdateView):
    model = ApprovalPlan
    form_class = PlanForm


@login_required
@require_POST
def plan_item_add(request, pk: int):
    plan = _plan_for(request, pk)
    if not can(request.user, plan, Action.CHANGE):
        raise PermissionDenied
    form = PlanItemAddForm(request.POST)
    if form.is_valid():
        try:
            service.add_item(plan, form.cleaned_data["item"], request.user, form.cleaned_data["start_offset"])
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The item was added to the plan."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(plan.get_absolute_url())


# ---------------------------------------------------------------- an item and its steps


def _item_for(request, pk: int) -> PlanItem:
    return get_object_or_404(
        PlanItem.objects.restrict(request.user, Action.VIEW).select_related(
            "item", "department", "plan__project", "plan__lead_officer", "handler"
        ),
        pk=pk,
    )


ACTION_FIELDS = {
    "apply": ["applied_on"],
    "accept": ["with_gaps", "gaps_due_on", "by_commitment"],
    "request_documents": ["reason"],
    "pause": ["pause_reason", "reason"],
    "extend": ["days", "approved_by", "reason"],
    "refuse": ["reason"],
}


def _item_page(request, plan_item, form=None, failed="", status=200):
    clock = service.clock_of(plan_item)
    can_act = service.can_act(request.user, plan_item)
    approvers = service.extension_approvers(plan_item)
    actions = []
    if can_act:
        labels = service.action_labels()
        for name in service.available_actions(plan_item, clock):
            shown = form if name == failed and form is not None else None
            shown = shown or ActionForm(
                approvers=approvers, auto_id=f"{name}-%s", initial={"applied_on": timezone.localdate()}
            )
            if name == failed:
                shown.auto_id = f"{name}-%s"
            fields = [shown[field] for field in ACTION_FIELDS.get(name, ())]
            actions.append({"name": name, "label": labels[name], "fields": fields, "form": shown})
    return render(
        request,
        "services/plan_item_detail.html",
        {
            "object": plan_item,
            "project": plan_item.plan.project,
            "clock": clock,
            "pauses": list(clock.pauses.all()) if clock else [],
            "extensions": list(clock.extensions.select_related("approved_by")) if clock else [],
            "can_act": can_act,
            "can_see_plan": can(request.user, plan_item.plan, Action.VIEW),
            "can_change_plan": can(request.user, plan_item.plan, Action.CHANGE),
            "actions": actions,
            "failed": failed,
            "errors": form.non_field_errors() if form is not None else [],
            "department_form": PlanItemDepartmentForm(instance=plan_item, auto_id="department-%s"),
        },
        status=status,
    )


@login_required
def plan_item(request, pk: int):
    return _item_page(request, _item_for(request, pk))


@login_required
@require_POST
def plan_item_act(request, pk: int):
    """One step of the item (``action`` names it); a step its state does not allow is refused with the reason."""
    plan_item = _item_for(request, pk)
    if not service.can_act(request.user, plan_item):
        raise PermissionDenied
    action = request.POST.get("action", "")
    form = ActionForm(request.POST, approvers=service.extension_approvers(plan_item))
    if not form.is_valid():
        return _item_page(request, plan_item, form, action, status=400)
    data = dict(form.cleaned_data)
    if action == "pause":
        data["note"], data["reason"] = data.get("reason", ""), data.get("pause_reason")
    try:
        service.act(plan_item, action, request.user, **data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                target = "pause_reason" if action == "pause" and field == "reason" else field
                for message in errors:
                    form.add_error(target if target in form.fields else None, message)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return _item_page(request, plan_item, form, action, status=400)
    messages.success(
        request, _("%(item)s: %(state)s.") % {"item": plan_item.item.name, "state": plan_item.get_state_display()}
    )
    return redirect(plan_item.get_absolute_url())


@login_required
@require_POST
def plan_item_edit(request, pk: int):
    """Route the item to another department (the plan's owners)."""
    plan_item = _item_for(request, pk)
    if not can(request.user, plan_item.plan, Action.CHANGE):
        raise PermissionDenied
    form = PlanItemDepartmentForm(request.POST, instance=plan_item, user=request.user)
    if form.is_valid():
        service.change_department(plan_item, form.cleaned_data["department"], request.user)
        messages.success(request, _("Saved %(object)s.") % {"object": plan_item})
        return redirect(plan_item.plan.get_absolute_url())
    return _item_page(request, plan_item, status=400)


@login_required
@require_POST
def plan_item_remove(request, pk: int):
    plan_item = _item_for(request, pk)
    if not can(request.user, plan_item.plan, Action.CHANGE):
        raise PermissionDenied
    plan = plan_item.plan
    try:
        service.remove_item(plan_item, request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect(plan_item.get_absolute_url())
    messages.success(request, _("The item was removed from the plan."))
    return redirect(plan.get_absolute_url())


# ---------------------------------------------------------------- the queue and the speed page


@login_required
def item_queue(request):
    """The open items routed to the user's departments (for others: the items they read), 25 a page, by due."""
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    items = service.queue(
        request.user,
        state=filters.get("state") or "",
        stage=filters.get("stage") or "",
        overdue=bool(filters.get("overdue")),
        department=filters.get("department"),
        decided_year=filters.get("decided"),
        now=now,
    )
    page = Paginator(items, QUEUE_ROWS).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    found = service.clocks_for(rows)
    for row in rows:
        row.clock = found.get(row.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "services/item_queue.html",
        {"form": form, "page": page, "rows": rows, "now": now, "query_string": query.urlencode()},
    )


@login_required
def approval_speed(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    figures = service.speed(request.user, year)
    return render(request, "services/approval_speed.html", {**figures, "years": range(today.year, today.year - 6, -1)})
