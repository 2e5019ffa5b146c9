"""Portal API: matching (按图索骥) and saved proposals, for the mini-program and other clients.

Anyone may call these (rate-limited, scope "matching"); anonymous callers are matched against public sites only.
The needs are checked by the same form as the matching page, so the rules and messages are the same.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.core.choices import Action
from zhaoshang.geo.choices import CarrierKind

from ..forms.matching import MatchForm
from ..models import Proposal
from ..services import listings
from ..services.matching import BUY, RENT, STATUSES, proposal_sites, rank, save_proposal

# Plain strings, not enums: the site kind enum is shared by several components (see the reply to the brief).
KIND_HELP = "Site kind: " + ", ".join(CarrierKind.values) + "; empty for any"

# --- serializers --------------------------------------------------------------------------------------------


class NeedsSerializer(serializers.Serializer):
    """An investor's needs; every field is optional but at least one need must be stated."""

    industry = serializers.CharField(required=False, allow_blank=True, help_text="GB/T 4754-2017 division, e.g. 38")
    chain = serializers.IntegerField(required=False, allow_null=True, help_text="Industry chain id")
    kind = serializers.CharField(required=False, allow_blank=True, help_text=KIND_HELP)
    area_min = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    area_max = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    floor_min = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    floor_max = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, help_text="10,000 yuan"
    )
    tenure = serializers.ChoiceField(choices=[RENT, BUY], required=False, help_text="For buildings: rent or buy")
    power = serializers.IntegerField(required=False, allow_null=True, help_text="kVA")
    wastewater = serializers.DecimalField(
        max_digits=12, decimal_places=1, required=False, allow_null=True, help_text="t/day"
    )
    port_km = serializers.DecimalField(max_digits=12, decimal_places=1, required=False, allow_null=True)
    highway_km = serializers.DecimalField(max_digits=12, decimal_places=1, required=False, allow_null=True)
    districts = serializers.ListField(child=serializers.CharField(max_length=6), required=False, help_text="adcodes")
    needed_by = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs):
        """The matching page's form decides: same rules, same messages, errors keyed by field."""
        data = {}
        for name, value in attrs.items():
            if value is None:
                continue
            data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
        form = self.form_class(data=data, user=self.context.get("user"))
        if not form.is_valid():
            errors = {
                (name if name != "__all__" else "non_field_errors"): list(msgs) for name, msgs in form.errors.items()
            }
            raise serializers.ValidationError(errors)
        attrs["form"] = form
        return attrs

    form_class = MatchForm


class ProposalCreateSerializer(NeedsSerializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=150)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs["title"] = attrs.get("title", "")
        return attrs


class CriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.IntegerField()
    points = serializers.IntegerField()
    status = serializers.CharField(help_text="One of: " + ", ".join(STATUSES))
    explanation = serializers.CharField()


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class MatchSiteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.CharField(help_text=KIND_HELP)
    district = serializers.CharField()
    park = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True, help_text="In the language asked for; empty when not recorded")
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    url = serializers.CharField()


class MatchResultSerializer(serializers.Serializer):
    site = MatchSiteSerializer()
    score = serializers.IntegerField(help_text="0–100, the sum of the criteria's points")
    criteria = CriterionSerializer(many=True)
    policies = NamedSerializer(many=True)


class MatchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = MatchResultSerializer(many=True)


class SavedSiteSerializer(serializers.Serializer):
    reference = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    district = serializers.CharField()
    address = serializers.CharField(allow_blank=True, help_text="As saved with the proposal; empty when not recorded")
    score = serializers.IntegerField()
    available = serializers.BooleanField(help_text="Still on offer now")
    url = serializers.CharField(allow_blank=True)
    criteria = CriterionSerializer(many=True)


class ProposalSerializer(serializers.Serializer):
    token = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    created = serializers.DateTimeField()
    needs = serializers.DictField()
    url = serializers.CharField()
    pdf_url = serializers.CharField()
    qr_svg = serializers.CharField()
    qr_png = serializers.CharField()
    api_url = serializers.CharField()
    sites = SavedSiteSerializer(many=True, required=False)


# --- payloads -----------------------------------------------------------------------------------------------


def _criteria(criteria) -> list[dict]:
    return [
        {
            "key": c.key,
            "label": c.label,
            "weight": c.weight,
            "points": c.points,
            "status": c.status,
            "explanation": c.explanation,
        }
        for c in criteria
    ]


def _match_payload(request, match) -> dict:
    site = match.carrier
    return {
        "site": {
            "id": site.pk,
            "reference": site.reference,
            "name": site.name,
            "name_en": site.name_en,
            "kind": site.kind,
            "district": str(site.region),
            "park": str(match.park) if match.park else "",
            "address": site.display_address,
            "lon": site.lon,
            "lat": site.lat,
            "url": request.build_absolute_uri(site.get_absolute_url()),
        },
        "score": match.score,
        "criteria": _criteria(match.criteria),
        "policies": [
            {"id": p.pk, "title": listings.Localized(p).title, "url": request.build_absolute_uri(p.get_absolute_url())}
            for p in match.policies
        ],
    }


def _proposal_payload(request, proposal, with_sites: bool) -> dict:
    def absolute(name, *args):
        return request.build_absolute_uri(reverse(name, args=[proposal.token, *args]))

    payload = {
        "token": proposal.token,
        "title": proposal.title,
        "created": proposal.created,
        "needs": proposal.needs,
        "url": absolute("portal:proposal-detail"),
        "pdf_url": absolute("portal:proposal-pdf"),
        "qr_svg": absolute("portal:proposal-qr", "svg"),
        "qr_png": absolute("portal:proposal-qr", "png"),
        "api_url": absolute("api:portal-proposal-detail"),
    }
    if with_sites:
        payload["sites"] = [
            {
                "reference": site.reference,
                "name": site.name_zh,
                "name_en": site.name_en,
                "district": site.district,
                "address": site.address,
                "score": site.score,
                "available": site.available,
                "url": request.build_absolute_uri(site.url) if site.url else "",
                "criteria": _criteria(site.criteria),
            }
            for site in proposal_sites(proposal)
        ]
    return payload


# --- views --------------------------------------------------------------------------------------------------


class MatchView(APIView):
    """Rank the sites on offer against the needs; each result explains its score criterion by criterion."""

    permission_classes = [AllowAny]
    throttle_scope = "matching"

    @extend_schema(request=NeedsSerializer, responses={200: MatchResponseSerializer}, tags=["portal"])
    def post(self, request):
        serializer = NeedsSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        matches = rank(serializer.validated_data["form"].needs(), user=request.user)
        results = [_match_payload(request, match) for match in matches]
        return Response({"count": len(results), "results": results})


class ProposalCreateView(APIView):
    """Save the ranking of the needs as a shareable proposal (public sites only); answers its links."""

    permission_classes = [AllowAny]
    throttle_scope = "matching"

    @extend_schema(request=ProposalCreateSerializer, responses={201: ProposalSerializer}, tags=["portal"])
    def post(self, request):
        serializer = ProposalCreateSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = save_proposal(data["form"].needs(), language=get_language(), title=data["title"])
        return Response(_proposal_payload(request, proposal, with_sites=False), status=status.HTTP_201_CREATED)


class ProposalDetailView(APIView):
    """A saved proposal by its token, its explanations in the caller's language."""

    permission_classes = [AllowAny]
    throttle_scope = "portal"

    @extend_schema(responses={200: ProposalSerializer}, tags=["portal"])
    def get(self, request, token):
        proposal = get_object_or_404(Proposal.objects.restrict(request.user, Action.VIEW), token=token)
        return Response(_proposal_payload(request, proposal, with_sites=True))


urlpatterns = [
    path("match/", MatchView.as_view(), name="portal-match"),
    path("proposals/", ProposalCreateView.as_view(), name="portal-proposals"),
    path("proposals/<str:token>/", ProposalDetailView.as_view(), name="portal-proposal-detail"),
]
