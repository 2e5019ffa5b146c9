from django.urls import reverse_lazy

from zhaoshang.core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
)

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
