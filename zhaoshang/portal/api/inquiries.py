"""Portal API: inquiries.

POST /api/portal/inquiries/ — anyone (the mini-program), rate limited (scope "inquiry", the same throttle as
the page), validated by the page's own form (InquiryForm) so the rules exist once; the honeypot answers like
a success and saves nothing. GET /api/portal/inquiries/ and /<pk>/ — staff, through restrict(user, "view").
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from zhaoshang.core.api.throttling import LiveScopedRateThrottle
from zhaoshang.core.api.views import RestrictedViewSetMixin
from zhaoshang.core.choices import Action
from zhaoshang.core.ids import parse_id
from zhaoshang.geo.models import Carrier, Park

from ..choices import InquiryStatus
from ..forms.inquiries import InquiryFilterSet, InquiryForm
from ..models import Inquiry, Proposal
from ..services import inquiries as service

# ---------------------------------------------------------------- serializers


class InquirySubmitSerializer(serializers.Serializer):
    """An investor's inquiry. The declarations document the fields; every rule is InquiryForm's (one place)."""

    company = serializers.CharField(label=_("company"))
    contact_name = serializers.CharField(label=_("contact person"))
    phone = serializers.CharField(
        label=_("phone"), required=False, allow_blank=True, help_text=_("Phone or email: at least one.")
    )
    email = serializers.EmailField(
        label=_("email"), required=False, allow_blank=True, help_text=_("Phone or email: at least one.")
    )
    country = serializers.CharField(label=_("country or region"), required=False, allow_blank=True)
    message = serializers.CharField(
        label=_("needs"), help_text=_("What you plan: industry, land or floor area, investment, timing.")
    )
    investment_wan = serializers.DecimalField(
        label=_("planned investment (10,000 yuan)"), max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    carrier = serializers.IntegerField(label=_("site"), required=False, allow_null=True, help_text=_("Site id."))
    park = serializers.IntegerField(label=_("park"), required=False, allow_null=True, help_text=_("Park id."))
    proposal = serializers.CharField(
        label=_("proposal"), required=False, allow_blank=True, help_text=_("The proposal's link key.")
    )
    consent = serializers.BooleanField(
        label=_("consent"),
        help_text=_(
            "Required, true: the investor agrees that their personal data are used to answer the inquiry and to "
            "follow up the investment, and kept for ZHAOSHANG_INQUIRY_RETENTION_DAYS days after the inquiry is "
            "closed, then anonymised. Show them this before they send."
        ),
    )
    website = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Leave empty (a field robots fill in).")
    )

    def to_internal_value(self, data):
        """The page's form decides; its messages come back per field (or under non_field_errors)."""
        if not hasattr(data, "get"):
            raise serializers.ValidationError({"non_field_errors": [_("Send the inquiry as a JSON object.")]})
        form_data = {name: ("" if data.get(name) is None else data.get(name)) for name in InquiryForm.base_fields}
        form = InquiryForm(data=form_data)
        self.is_spam = form.is_spam
        if self.is_spam:
            return {"spam": True}
        errors = {}
        if not form.is_valid():
            errors = {
                ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
                for name, messages in form.errors.items()
            }
        target = {}
        try:
            target = self._target(data)
        except serializers.ValidationError as exc:
            errors.update(exc.detail)
        if errors:
            raise serializers.ValidationError(errors)
        return {"cleaned": form.cleaned_data, "target": target}

    def _target(self, data) -> dict:
        """The site, park or proposal, as the caller may see it (anonymous: published and current only)."""
        user = self.context["request"].user
        for name, model, key in (("carrier", Carrier, "pk"), ("park", Park, "pk"), ("proposal", Proposal, "token")):
            value = data.get(name)
            if value in (None, ""):
                continue
            if key == "pk":
                value = parse_id(value)
                if value is None:
                    raise serializers.ValidationError({name: [_("A whole number is required.")]})
            obj = model.objects.restrict(user, Action.VIEW).filter(**{key: value}).first()
            if obj is None:
                messages = {
                    "carrier": _("No published site has this id."),
                    "park": _("No published park has this id."),
                    "proposal": _("No proposal has this link key."),
                }
                raise serializers.ValidationError({name: [messages[name]]})
            return {name: obj}
        return {}

    def create(self, validated_data):  # pragma: no cover - the view saves through the service
        raise NotImplementedError


class InquiryReceiptSerializer(serializers.Serializer):
    received = serializers.BooleanField(help_text=_("Always true: the inquiry was received."))
    due = serializers.DateTimeField(help_text=_("When the first response is due at the latest."))


class InquirySerializer(serializers.ModelSerializer):
    """An inquiry as staff read it."""

    team = serializers.PrimaryKeyRelatedField(read_only=True)
    team_name = serializers.CharField(source="team.display_name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="adcode", read_only=True)
    proposal = serializers.SlugRelatedField(slug_field="token", read_only=True)
    responded_by = serializers.StringRelatedField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "company",
            "contact_name",
            "phone",
            "email",
            "country",
            "message",
            "investment_wan",
            "carrier",
            "park",
            "proposal",
            "team",
            "team_name",
            "region",
            "language",
            "status",
            "created",
            "due",
            "overdue",
            "first_response_at",
            "responded_by",
            "response_note",
            "lead",
            "accepted_at",
            "dismissed_at",
            "dismissal_reason",
            "consent_at",
            "anonymised_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField(help_text=_("Still without a first response after its due time.")))
    def get_overdue(self, obj) -> bool:
        return obj.first_response_at is None and obj.status == InquiryStatus.NEW and obj.due < timezone.now()


# ---------------------------------------------------------------- views


class InquiryViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Inquiries: anyone may send one (rate limited); staff read those of their scope."""

    queryset = Inquiry.objects.all()
    serializer_class = InquirySerializer
    filterset_class = InquiryFilterSet
    ordering_fields = ["created", "due", "first_response_at"]
    ordering = ["-created"]
    select_related = ("team", "region", "proposal", "responded_by")
    throttle_scope = service.THROTTLE_SCOPE

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self):
        # Only sending is limited; staff reading their inbox is not.
        return [LiveScopedRateThrottle()] if self.action == "create" else []

    def get_serializer_class(self):
        return InquirySubmitSerializer if self.action == "create" else InquirySerializer

    def get_queryset(self):
        return super().get_queryset().order_by("-created", "-pk")

    @extend_schema(
        request=InquirySubmitSerializer,
        responses={201: InquiryReceiptSerializer},
        summary="Send an inquiry",
        description=(
            "Anyone may send one; limited per client address (scope 'inquiry'). Give a phone number or an "
            "email address, and consent: true (without it the inquiry is refused and nothing is saved). "
            "Name at most one of carrier, park or proposal; hidden or unknown ones are refused."
        ),
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        received = timezone.now()
        if not serializer.validated_data.get("spam"):
            inquiry = service.submit_inquiry(
                serializer.validated_data["cleaned"],
                **serializer.validated_data["target"],
                language=get_language(),
                received=received,
            )
            due = inquiry.due
        else:  # the honeypot: the same answer, nothing saved
            due = Inquiry.response_due(received)
        receipt = InquiryReceiptSerializer({"received": True, "due": due})
        return Response(receipt.data, status=status.HTTP_201_CREATED)


router = SimpleRouter(trailing_slash=True)
router.register("inquiries", InquiryViewSet, basename="inquiry")

urlpatterns = router.urls
