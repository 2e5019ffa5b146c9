from __future__ import annotations

from rest_framework import serializers

from ..choices import Decision
from ..models import Review


class ReviewSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    decision = serializers.ChoiceField(
        choices=Decision.choices, allow_blank=True, read_only=True, help_text="Empty until the review is decided."
    )
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "project",
            "project_name",
            "kind",
            "kind_display",
            "state",
            "state_display",
            "zone",
            "standard_set",
            "submitted_on",
            "checked_on",
            "decided_on",
            "decision",
            "decision_display",
        ]
        read_only_fields = fields


class ReviewDetailSerializer(ReviewSerializer):
    """A review with the applicant's figures and the decision's text."""

    class Meta(ReviewSerializer.Meta):
        fields = ReviewSerializer.Meta.fields + [
            "site_area_mu",
            "total_investment",
            "fixed_asset_investment",
            "annual_output",
            "annual_tax",
            "jobs",
            "products",
            "meeting_on",
            "reasons",
            "conditions",
        ]
        read_only_fields = fields
