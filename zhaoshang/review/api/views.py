"""API of admission reviews: read-only, restricted like the pages (a review the caller may not read is 404)."""

from __future__ import annotations

from zhaoshang.core.api.views import RestrictedReadOnlyViewSet

from ..filtersets import ReviewFilterSet
from ..models import Review
from .serializers import ReviewDetailSerializer, ReviewSerializer


class ReviewViewSet(RestrictedReadOnlyViewSet):
    """Admission reviews of projects: state, kind, decision; the detail adds the figures and the decision's
    reasons. Filters as the list page (state, kind, decision, district, zone, mine)."""

    queryset = Review.objects.all()
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilterSet
    ordering_fields = ["submitted_on", "decided_on"]
    ordering = ["-submitted_on", "-pk"]
    select_related = ("project",)
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return super().get_queryset().order_by("-submitted_on", "-pk")

    def get_serializer_class(self):
        return ReviewDetailSerializer if self.action == "retrieve" else ReviewSerializer
