from rest_framework.permissions import AllowAny

from zhaoshang.core.api.views import RestrictedModelViewSet, RestrictedReadOnlyViewSet

from ..filtersets import ChainFilterSet, EnterpriseFilterSet, IndustryCodeFilterSet
from ..models import Chain, Enterprise, IndustryCode
from .serializers import ChainSerializer, EnterpriseSerializer, IndustryCodeSerializer


class IndustryCodeViewSet(RestrictedReadOnlyViewSet):
    """GB/T 4754-2017 industry codes (public reference data)."""

    queryset = IndustryCode.objects.all()
    serializer_class = IndustryCodeSerializer
    filterset_class = IndustryCodeFilterSet
    permission_classes = [AllowAny]
    lookup_field = "code"
    select_related = ("parent",)


class ChainViewSet(RestrictedReadOnlyViewSet):
    queryset = Chain.objects.all()
    serializer_class = ChainSerializer
    filterset_class = ChainFilterSet
    prefetch_related = ("industry_codes",)


class EnterpriseViewSet(RestrictedModelViewSet):
    """Enterprises: the shared register plus each team's own prospects."""

    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["name", "uscc", "created"]
    select_related = ("hq_region", "industry")
    prefetch_related = ("tags",)

    def get_queryset(self):
        return super().get_queryset().defer("hq_region__boundary")

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method == "POST" and not Enterprise.can_add(request.user):
            self.permission_denied(request)
