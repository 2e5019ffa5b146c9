from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

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

from . import imports, merge
from .filtersets import ChainFilterSet, EnterpriseFilterSet, IndustryCodeFilterSet
from .forms import EnterpriseForm, MergeForm
from .models import Chain, Enterprise, IndustryCode
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


class ChainDetailView(ObjectDetailView):
    model = Chain
    template_name = "industry/chain_detail.html"


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


class EnterpriseCreateView(ObjectCreateView):
    model = Enterprise
    form_class = EnterpriseForm


class EnterpriseUpdateView(ObjectUpdateView):
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


class EnterpriseTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        name = Enterprise._meta.verbose_name_plural
        wb = excel.template_workbook(imports.ENTERPRISE_COLUMNS, [imports.ENTERPRISE_EXAMPLE], title=name)
        return excel.workbook_response(wb, excel.template_filename(name))


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
