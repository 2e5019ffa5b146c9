from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from zhaoshang.core import excel
from zhaoshang.core.choices import Action
from zhaoshang.core.views import (
    SORT_PARAM,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
)

from . import imports
from .filtersets import ChainFilterSet, EnterpriseFilterSet, IndustryCodeFilterSet
from .forms import EnterpriseForm
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
