from zhaoshang.core.views import ObjectDetailView, ObjectListView

from .filtersets import RegionFilterSet
from .models import Region
from .tables import REGION_TABLE


class RegionListView(ObjectListView):
    model = Region
    filterset_class = RegionFilterSet
    table = REGION_TABLE

    def get_queryset(self):
        return super().get_queryset().defer("boundary")


class RegionDetailView(ObjectDetailView):
    model = Region
    slug_field = "adcode"
    slug_url_kwarg = "adcode"
    template_name = "geo/region_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["children"] = self.object.children.defer("boundary").order_by("adcode")
        return context
