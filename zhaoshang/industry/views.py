from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from zhaoshang.core import excel
from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import can
from zhaoshang.core.views import (
    SORT_PARAM,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
)

from . import chain_imports, imports, merge
from .choices import SegmentPosition
from .classify import classify, correct, correctable_nodes, may_correct_any, undo_correction
from .filtersets import ChainFilterSet, EnterpriseFilterSet, IndustryCodeFilterSet
from .forms import ChainForm, ChainNodeForm, ChainSegmentForm, CorrectionForm, EnterpriseForm, MergeForm
from .models import Chain, ChainNode, ChainSegment, Enterprise, IndustryCode, NodeClassification
from .tables import CHAIN_TABLE, ENTERPRISE_TABLE, INDUSTRY_CODE_TABLE


class IndustryCodeListView(ObjectListView):
    model = IndustryCode
    filterset_class = IndustryCodeFilterSet
    table = INDUSTRY_CODE_TABLE
    paginate_by = 50


class IndustryCodeDetailView(ObjectDetailView):
    model = IndustryCode
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "industry/industrycode_detail.html"


class ChainListView(ObjectListView):
    model = Chain
    filterset_class = ChainFilterSet
    table = CHAIN_TABLE
    add_url_name = "industry:chain-add"
    template_name = "industry/chain_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = Chain.can_add(self.request.user)
        return context


class ChainDetailView(ObjectDetailView):
    """A chain's fields and its tree: segments by position (上游/中游/下游), each with its nodes."""

    model = Chain
    template_name = "industry/chain_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("task_force").prefetch_related("industry_codes", "parks")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chain = self.object
        counts = dict(
            NodeClassification.objects.filter(chain=chain, excluded=False)
            .values_list("node_id")
            .annotate(count=Count("pk"))
            .values_list("node_id", "count")
        )
        nodes = ChainNode.objects.filter(chain=chain).prefetch_related("industry_codes").order_by("sort", "pk")
        segments = chain.segments.prefetch_related(Prefetch("nodes", queryset=nodes)).order_by("sort", "pk")
        by_position = defaultdict(list)
        for segment in segments:
            for node in segment.nodes.all():
                node.enterprise_count = counts.get(node.pk, 0)
            by_position[segment.position].append(segment)
        context["positions"] = [
            (value, label, by_position[value]) for value, label in SegmentPosition.choices if by_position[value]
        ]
        context["can_edit_parts"] = chain_parts_writable(self.request.user, chain)
        context["can_import"] = Chain.can_add(self.request.user)
        return context


class ChainCreateView(ObjectCreateView):
    model = Chain
    form_class = ChainForm


class ChainUpdateView(ObjectUpdateView):
    model = Chain
    form_class = ChainForm


class ChainPartMixin:
    """Add a segment or node to a chain the user may change the parts of (404 unseen, 403 without the right)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.chain = get_object_or_404(Chain.objects.restrict(request.user, Action.VIEW), pk=kwargs["pk"])
        if not chain_parts_writable(request.user, self.chain):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(chain=self.chain)
        return kwargs

    def get_success_url(self):
        return self.object.get_absolute_url()


def chain_parts_writable(user, chain) -> bool:
    """Whether ``user`` may add, change and delete the segments and nodes of ``chain`` (``ChainPart.scope_q``)."""
    from zhaoshang.core.permissions import user_scope

    scope = user_scope(user)
    return scope.is_admin or (chain.task_force_id is not None and chain.task_force_id in scope.teams(Action.CHANGE))


class ChainSegmentCreateView(ChainPartMixin, ObjectCreateView):
    model = ChainSegment
    form_class = ChainSegmentForm


class ChainSegmentUpdateView(ObjectUpdateView):
    model = ChainSegment
    form_class = ChainSegmentForm


class ChainSegmentDeleteView(ObjectDeleteView):
    model = ChainSegment

    def form_valid(self, form):
        self.success_url = self.object.chain.get_absolute_url()
        response = _delete_with_nodes(super().form_valid, form, list(self.object.nodes.values_list("pk", flat=True)))
        _reclassify(self.request)  # its nodes went with it
        return response


def _delete_with_nodes(delete, form, node_ids):
    """Delete the view's object, the rules rows of ``node_ids`` first by one statement (derived rows: not one change
    record each, as the cascade would write); the reclassification that follows restores them if the delete was
    refused."""
    from .classify_store import delete_rules_rows_of_nodes

    delete_rules_rows_of_nodes(node_ids)
    return delete(form)


def _reclassify(request) -> None:
    """Queue the classification of every enterprise again (the nodes' codes or keywords changed) and say so."""
    from .tasks import reclassify_after_commit

    reclassify_after_commit()
    messages.info(request, _("The enterprises are being classified to the chain's nodes again."))


class NodeSaveMixin:
    def form_valid(self, form):
        changed = form.classification_changed()
        response = super().form_valid(form)
        if changed:
            _reclassify(self.request)
        return response


class ChainNodeCreateView(NodeSaveMixin, ChainPartMixin, ObjectCreateView):
    model = ChainNode
    form_class = ChainNodeForm


class ChainNodeUpdateView(NodeSaveMixin, ObjectUpdateView):
    model = ChainNode
    form_class = ChainNodeForm


class ChainNodeDeleteView(ObjectDeleteView):
    model = ChainNode

    def form_valid(self, form):
        self.success_url = self.object.chain.get_absolute_url()
        response = _delete_with_nodes(super().form_valid, form, [self.object.pk])
        _reclassify(self.request)
        return response


class ChainExportView(LoginRequiredMixin, View):
    """Every chain the user reads, one row per node, in the template's columns (export → edit → import)."""

    def get(self, request):
        chains = Chain.objects.restrict(request.user, Action.VIEW)
        name = Chain._meta.verbose_name_plural
        wb = excel.export_workbook(chain_imports.export_rows(chains), chain_imports.CHAIN_COLUMNS, name)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return excel.workbook_response(wb, f"{name}-{stamp}.xlsx")


class ChainTemplateView(excel.TemplateView):
    model, columns, examples = Chain, chain_imports.CHAIN_COLUMNS, [chain_imports.CHAIN_EXAMPLE]


class ChainImportView(excel.ImportView):
    importer_class = chain_imports.ChainImporter
    list_url_name = "industry:chain-list"
    template_url_name = "industry:chain-template"


class EnterpriseListView(ObjectListView):
    model = Enterprise
    filterset_class = EnterpriseFilterSet
    table = ENTERPRISE_TABLE
    add_url_name = "industry:enterprise-add"
    template_name = "industry/enterprise_list.html"
    fragment_template_name = "industry/_enterprise_table.html"  # the table and the export link of its filters

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = Enterprise.can_add(self.request.user)
        urls = ("export", "template", "import")
        context["urls"] = {action: reverse(f"industry:enterprise-{action}") for action in (*urls, "duplicates")}
        return context


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    template_name = "industry/enterprise_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("hq_region", "industry", "owner_team").prefetch_related("tags")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(enterprise_nodes(self.request.user, self.object))
        return context


def enterprise_nodes(user, enterprise) -> dict:
    """The card of an enterprise's chain nodes: its rows (staff exclusions too), and for those who may correct
    them the nodes they may add it to."""
    rows = (
        NodeClassification.objects.restrict(user, Action.VIEW)
        .filter(enterprise=enterprise)
        .select_related("node__chain", "node__segment", "corrected_by")
        .order_by("chain__sort", "node__segment__sort", "node__sort", "node__pk")
    )
    writable = NodeClassification.objects.restrict(user, Action.CHANGE).filter(enterprise=enterprise)
    writable_ids = set(writable.values_list("pk", flat=True))
    rows = list(rows)
    for row in rows:
        row.may_correct = row.pk in writable_ids
    addable = correctable_nodes(user).exclude(pk__in=[row.node_id for row in rows if not row.excluded])
    if not may_correct_any(user, enterprise):
        addable = ChainNode.objects.none()
    return {
        "node_rows": rows,
        "correction_form": CorrectionForm(nodes=addable, initial={"decision": CorrectionForm.INCLUDE}),
        "can_correct": addable.exists(),
    }


@login_required
@require_POST
def enterprise_node_correct(request, pk: int):
    """A member of staff's decision on the enterprise's place at a node: "Add to node" or "Not this node"."""
    enterprise = get_object_or_404(Enterprise.objects.restrict(request.user, Action.VIEW), pk=pk)
    nodes = correctable_nodes(request.user)
    if not may_correct_any(request.user, enterprise):
        raise PermissionDenied
    form = CorrectionForm(request.POST, nodes=nodes)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(enterprise.get_absolute_url() + "#chain-nodes")
    node = form.cleaned_data["node"]
    include = form.cleaned_data["decision"] == CorrectionForm.INCLUDE
    correct(enterprise, node, request.user, include, form.cleaned_data["note"])
    text = _("%(enterprise)s was added to %(node)s.") if include else _("%(enterprise)s was taken off %(node)s.")
    messages.success(request, text % {"enterprise": enterprise, "node": node})
    return redirect(enterprise.get_absolute_url() + "#chain-nodes")


@login_required
@require_POST
def classification_undo(request, pk: int):
    """Withdraw a staff correction: the rules classify the enterprise again."""
    row = get_object_or_404(NodeClassification.objects.restrict(request.user, Action.VIEW), pk=pk)
    if not can(request.user, row, Action.CHANGE):
        raise PermissionDenied
    url = row.enterprise.get_absolute_url() + "#chain-nodes"
    try:
        undo_correction(row, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(url)
    messages.success(request, _("The correction was undone; the rules classified the enterprise again."))
    return redirect(url)


class ClassifySavedMixin:
    """The saved enterprise is classified to the chain nodes at once (its products or code may have changed)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.object is not None and self.object.pk is not None:
            classify([self.object.pk])
        return response


class EnterpriseCreateView(ClassifySavedMixin, ObjectCreateView):
    model = Enterprise
    form_class = EnterpriseForm


class EnterpriseUpdateView(ClassifySavedMixin, ObjectUpdateView):
    model = Enterprise
    form_class = EnterpriseForm


class EnterpriseDeleteView(ObjectDeleteView):
    model = Enterprise
    success_url = reverse_lazy("industry:enterprise-list")


def filtered_enterprises(request):
    """The enterprises of the list page for the same filters and sort order (the export's rows)."""
    queryset = Enterprise.objects.restrict(request.user, Action.VIEW)
    filterset = EnterpriseFilterSet(request.GET or None, queryset=queryset, request=request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    return ENTERPRISE_TABLE.prepare(queryset, ENTERPRISE_TABLE.sort_key(request.GET.get(SORT_PARAM)))


class EnterpriseExportView(LoginRequiredMixin, View):
    """The enterprises the list shows for the same filters, in the template's columns (export → edit → import);
    contacts only of the enterprises the user may change."""

    def get(self, request):
        queryset = imports.export_rows(filtered_enterprises(request), request.user)
        name = Enterprise._meta.verbose_name_plural
        wb = excel.export_workbook(queryset.iterator(chunk_size=2000), imports.ENTERPRISE_COLUMNS, name)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return excel.workbook_response(wb, f"{name}-{stamp}.xlsx")


class EnterpriseTemplateView(excel.TemplateView):
    model, columns, examples = Enterprise, imports.ENTERPRISE_COLUMNS, [imports.ENTERPRISE_EXAMPLE]


class EnterpriseImportView(excel.ImportView):
    importer_class = imports.EnterpriseImporter
    list_url_name = "industry:enterprise-list"
    template_url_name = "industry:enterprise-template"
    preview = True


# --- near-duplicates and merging -------------------------------------------------------------------------------

DUPLICATE_GROUPS_PER_PAGE = 20


@login_required
def enterprise_duplicates(request):
    """Groups of enterprises that may be one company (the same loose name key), among those the user may change;
    ``?of=<pk>``: the group of one enterprise."""
    of = None
    if request.GET.get("of", "").isdigit():
        of = get_object_or_404(Enterprise.objects.restrict(request.user, Action.VIEW), pk=request.GET["of"])
    paginator = Paginator(merge.duplicate_keys(request.user, of=of), DUPLICATE_GROUPS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "industry/enterprise_duplicates.html",
        {
            "groups": merge.duplicate_groups(request.user, page.object_list),
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": page.has_other_pages(),
            "of": of,
        },
    )


def _writable_enterprise(user, pk) -> Enterprise:
    """The enterprise ``pk`` if the user may change it; 404 if they cannot see it, 403 if they only read it."""
    enterprise = get_object_or_404(Enterprise.objects.restrict(user, Action.VIEW), pk=pk)
    if not can(user, enterprise, Action.CHANGE):
        raise PermissionDenied
    return enterprise


@login_required
def enterprise_merge(request, pk: int):
    """Two records of one company side by side with what refers to each; the user chooses the one that stays,
    confirms, and the other is merged into it (``merge.merge_enterprises``). Without ``?with=``: the records the
    enterprise may be a duplicate of, to choose from."""
    enterprise = _writable_enterprise(request.user, pk)
    other_pk = request.POST.get("with") or request.GET.get("with")
    if not other_pk:
        if request.method == "POST":
            raise PermissionDenied  # nothing to merge with: refused like any incomplete request
        candidates = [
            e
            for group in merge.duplicate_groups(request.user, merge.duplicate_keys(request.user, of=enterprise))
            for e in group["enterprises"]
            if e.pk != enterprise.pk
        ]
        return render(
            request, "industry/enterprise_merge.html", {"object": enterprise, "candidates": candidates, "other": None}
        )
    if not str(other_pk).isdigit():
        raise Http404
    other = _writable_enterprise(request.user, int(other_pk))
    pair = {enterprise.pk: enterprise, other.pk: other}
    form = MergeForm(request.POST or None, pair=pair)
    confirming = False
    status = 200
    if request.method == "POST" and form.is_valid():
        survivor = pair[form.cleaned_data["survivor"]]
        duplicate = other if survivor is enterprise else enterprise
        if form.cleaned_data.get("confirm"):
            try:
                moved = merge.merge_enterprises(survivor, duplicate, request.user, note=form.cleaned_data["note"])
            except merge.MergeRefused as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(
                    request,
                    _("Merged “%(duplicate)s” into “%(survivor)s”; %(count)s records now refer to it.")
                    % {"duplicate": duplicate.name, "survivor": survivor, "count": sum(moved.values())},
                )
                return redirect(survivor)
        else:
            confirming = True
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "industry/enterprise_merge.html",
        {
            "object": enterprise,
            "other": other,
            "form": form,
            "confirming": confirming,
            "survivor": pair.get(form.cleaned_data.get("survivor")) if confirming else None,
            "columns": [_merge_column(e) for e in (enterprise, other)],
            "rows": _merge_rows(enterprise, other),
            "problems": merge.merge_problems(enterprise, other),
        },
        status=status,
    )


def _merge_column(enterprise) -> dict:
    return {"enterprise": enterprise, "references": merge.reference_counts(enterprise)}


MERGE_FIELDS = (
    "name",
    "name_en",
    "uscc",
    "hq_region",
    "hq_city",
    "hq_country",
    "address",
    "industry",
    "owner_team",
    "registered_capital",
    "size",
    "revenue_band",
    "employees",
    "main_products",
    "website",
)


def _merge_rows(first, second) -> list[tuple]:
    """(label, first's value, second's value, whether they differ) of the fields compared on the merge page."""
    rows = []
    for name in MERGE_FIELDS:
        field = Enterprise._meta.get_field(name)
        values = []
        for enterprise in (first, second):
            display = getattr(enterprise, f"get_{name}_display", None)
            value = display() if field.choices and display else getattr(enterprise, name)
            values.append("" if value is None else str(value))
        rows.append((field.verbose_name, values[0], values[1], values[0] != values[1]))
    return rows
