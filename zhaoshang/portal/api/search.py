"""Portal API: suggestions of the public search box (parks, sites and policies the public may see)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..services import search


class SuggestionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[key for key, _label in search.KINDS], help_text="park, site or policy")
    kind_label = serializers.CharField(help_text="The kind in the caller's language.")
    label = serializers.CharField(help_text="The name in the caller's language (a site's listing number first).")
    url = serializers.CharField(help_text="The public page of the record.")


class SuggestionsSerializer(serializers.Serializer):
    results = SuggestionSerializer(many=True)


class SuggestView(APIView):
    """Up to 8 published parks, sites and policies whose name (Chinese, English or pinyin), listing number,
    district or address matches ``q``; a listing number that matches comes first."""

    permission_classes = [AllowAny]
    throttle_scope = "portal"

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="What the visitor typed (100 characters).")],
        responses={200: SuggestionsSerializer},
        tags=["portal"],
    )
    def get(self, request):
        return Response({"results": search.suggestions(request.query_params.get("q", ""))})


urlpatterns = [path("suggest/", SuggestView.as_view(), name="portal-suggest")]
