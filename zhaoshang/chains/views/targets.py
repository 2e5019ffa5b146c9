"""A node's enterprises, targets and projects; a chain's work record (progress, targets acted on, activities)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.industry.models import Chain, ChainNode, Enterprise, NodeClassification
from zhaoshang.projects.models import Project

from ..forms import ChainActivityForm, DismissTargetForm, TakeTargetForm
from ..models import ChainActivity, Target
from ..services import targets as services
from ..services.figures import node_figures

LOCAL_PER_PAGE = 25
ACTIVITIES_PER_PAGE = 20
NODE_PROJECTS = 50


def _node(pk) -> ChainNode:
    return get_object_or_404(ChainNode.objects.select_related("chain", "chain__task_force", "segment"), pk=pk)


def _require_work(user, chain) -> None:
    """Only those who work the chain's targets go on: 404 for those who do not read them, 403 for readers."""
    if not services.can_work_chain(user, chain):
        if services.can_read_targets(user, chain):
            raise PermissionDenied
        raise Http404


def _working_node(request, pk) -> ChainNode:
    """The node, if the user works its chain's targets."""
    node = _node(pk)
    _require_work(request.user, node.chain)
    return node


@login_required
def node_detail(request, pk):
    node = _node(pk)
    user = request.user
    chain = node.chain
    local = (
        NodeClassification.objects.restrict(user)
        .filter(node=node, local__in=[True], excluded__in=[False])  # equalities: the node's index serves them
        .select_related("enterprise")
        .order_by("-output_wan", "pk")
    )
    local_page = Paginator(local, LOCAL_PER_PAGE).get_page(request.GET.get("page"))
    may_read = services.can_read_targets(user, chain)
    may_work = services.can_work_chain(user, chain)
    candidates = services.rank_targets(node, user) if may_read else []
    acted = Target.objects.restrict(user).filter(node=node).select_related("enterprise", "team", "acted_by", "project")
    on_node = NodeClassification.objects.filter(node=node, excluded=False).values("enterprise")
    projects = (
        Project.objects.restrict(user)
        .filter(chain=chain, enterprise__in=on_node)
        .select_related("enterprise", "owner_team")
        .order_by("-lead_on", "-pk")[:NODE_PROJECTS]
    )
    return render(
        request,
        "chains/node_detail.html",
        {
            "node": node,
            "chain": chain,
            "figures": node_figures(node, user),
            "local_page": local_page,
            "may_read_targets": may_read,
            "may_work": may_work,
            "candidates": candidates,
            "teams": services.team_choices(user, chain) if may_work else [],
            "acted": acted,
            "projects": projects,
        },
    )


def _enterprise(request, form_class, **kwargs):
    readable = Enterprise.objects.restrict(request.user)
    return form_class(request.POST, enterprises=readable, **kwargs)


def _form_errors(request, form) -> None:
    """A refused form's errors as messages, each named by its field."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _report(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def target_take(request, node_id):
    node = _working_node(request, node_id)
    form = _enterprise(request, TakeTargetForm, teams=services.team_choices(request.user, node.chain))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("chains:node-detail", pk=node.pk)
    try:
        target = services.take_target(
            node, form.cleaned_data["enterprise"], request.user, form.cleaned_data["team"], form.cleaned_data["note"]
        )
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(
            request,
            _("%(enterprise)s taken as a lead for %(team)s.") % {"enterprise": target.enterprise, "team": target.team},
        )
    return redirect(reverse("chains:node-detail", args=[node.pk]) + "#targets")


@login_required
@require_POST
def target_dismiss(request, node_id):
    node = _working_node(request, node_id)
    form = _enterprise(request, DismissTargetForm)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("chains:node-detail", pk=node.pk)
    try:
        target = services.dismiss_target(node, form.cleaned_data["enterprise"], request.user, form.cleaned_data["note"])
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("%(enterprise)s set aside.") % {"enterprise": target.enterprise})
    return redirect(reverse("chains:node-detail", args=[node.pk]) + "#targets")


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _activity_enterprises(chain, user):
    """The enterprises an activity may name: those of the chain's targets the user reads."""
    targets = Target.objects.restrict(user).filter(chain=chain).values("enterprise")
    return Enterprise.objects.restrict(user).filter(pk__in=targets)


def _work_context(request, chain, form=None) -> dict:
    user = request.user
    year = _year(request)
    activities = ChainActivity.objects.restrict(user).filter(chain=chain).select_related("team", "author", "enterprise")
    may_read = services.can_read_targets(user, chain)
    may_work = services.can_work_chain(user, chain)
    if may_work and form is None:
        form = ChainActivityForm(enterprises=_activity_enterprises(chain, user))
    return {
        "chain": chain,
        "year": year,
        "may_read_targets": may_read,
        "may_work": may_work,
        "progress": services.progress(chain, user, year) if may_read else None,
        "targets": Target.objects.restrict(user)
        .filter(chain=chain)
        .select_related("node", "enterprise", "team", "acted_by", "project"),
        "activity_page": Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page")),
        "nodes": ChainNode.objects.filter(chain=chain).select_related("segment"),
        "form": form if may_work else None,
    }


@login_required
def chain_work(request, pk):
    chain = get_object_or_404(Chain.objects.restrict(request.user).select_related("task_force"), pk=pk)
    return render(request, "chains/chain_work.html", _work_context(request, chain))


@login_required
@require_POST
def activity_add(request, chain_id):
    chain = get_object_or_404(Chain.objects.restrict(request.user).select_related("task_force"), pk=chain_id)
    user = request.user
    _require_work(user, chain)
    form = ChainActivityForm(request.POST, enterprises=_activity_enterprises(chain, user))
    if not form.is_valid():
        return render(request, "chains/chain_work.html", _work_context(request, chain, form), status=200)
    services.record_activity(chain, user, form.save(commit=False))
    messages.success(request, _("Activity recorded."))
    return redirect(reverse("chains:chain-work", args=[chain.pk]) + "#activities")
