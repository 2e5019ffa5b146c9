from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from zhaoshang.accounts.models import Team, User
from zhaoshang.core.api.fields import PrimaryKeyRelatedField
from zhaoshang.core.api.views import VersionedSerializerMixin
from zhaoshang.core.choices import Action
from zhaoshang.geo.models import Carrier, Park, Region
from zhaoshang.industry.models import Chain, Enterprise, IndustryCode
from zhaoshang.industry.validators import clean_uscc, validate_uscc

from .. import services
from ..choices import FORWARD_CHOICES, STAGE_DATE_FIELDS, Stage
from ..models import Activity, Project
from ..services import GROUPS


class ProjectSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """A project. Its stage and stage dates change only through the ``transition`` action."""

    enterprise = PrimaryKeyRelatedField(
        queryset=Enterprise.objects.none(),
        required=False,
        help_text=_("An enterprise on record; or send enterprise_uscc and enterprise_name (new project only)."),
    )
    enterprise_name = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text=_("A new investor's name (new project only).")
    )
    enterprise_uscc = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_("The investor's unified social credit code (new project only)."),
    )
    investor_name = serializers.CharField(source="enterprise.name", read_only=True)
    investor_uscc = serializers.CharField(source="enterprise.uscc", read_only=True, allow_null=True)
    lead_on = serializers.DateField(required=False, help_text=_("The day of the first contact (new project only)."))
    industry_code = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryCode.objects.all(), required=False, allow_null=True
    )
    chain = PrimaryKeyRelatedField(queryset=Chain.objects.all(), required=False, allow_null=True)
    district = serializers.SlugRelatedField(
        slug_field="adcode", queryset=Region.objects.defer("boundary"), required=False, allow_null=True
    )
    park = PrimaryKeyRelatedField(
        queryset=Park.objects.defer("boundary", "search_text"), required=False, allow_null=True
    )
    carrier = PrimaryKeyRelatedField(
        queryset=Carrier.objects.defer("boundary", "search_text"), required=False, allow_null=True
    )
    owner_team = PrimaryKeyRelatedField(queryset=Team.objects.all())
    owner = PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    supporting_teams = PrimaryKeyRelatedField(queryset=Team.objects.all(), many=True, required=False)
    resume_stage = serializers.ChoiceField(
        choices=Stage.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("The stage a paused or dropped project was at, to which it returns; empty otherwise."),
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "enterprise",
            "enterprise_name",
            "enterprise_uscc",
            "investor_name",
            "investor_uscc",
            "project_type",
            "industry_code",
            "chain",
            "planned_investment",
            "foreign_investment",
            "land_need_mu",
            "district",
            "park",
            "carrier",
            "source",
            "owner_team",
            "owner",
            "supporting_teams",
            "confidential",
            "description",
            "stage",
            *STAGE_DATE_FIELDS.values(),
            "paused_on",
            "dropped_on",
            "resumed_on",
            "drop_reason",
            "resume_stage",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = [
            "stage",
            *(f for f in STAGE_DATE_FIELDS.values() if f != "lead_on"),
            "paused_on",
            "dropped_on",
            "resumed_on",
            "drop_reason",
            "resume_stage",
            "version",
            "created",
            "updated",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "enterprise" in self.fields:
            self.fields["enterprise"].queryset = Enterprise.objects.restrict(request.user, Action.VIEW)

    def validate_enterprise_uscc(self, value):
        code = clean_uscc(value or "")
        if code:
            try:
                validate_uscc(code)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return code

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            for name in ("enterprise", "enterprise_name", "enterprise_uscc", "lead_on"):
                if name in attrs:
                    raise serializers.ValidationError({name: [_("Set only when the project is created.")]})
            team = attrs.get("owner_team")
            if team is not None and team.pk != self.instance.owner_team_id:
                _raise_for(services.check_owner_team, self.context["request"].user, team)
        elif not attrs.get("enterprise") and not (attrs.get("enterprise_uscc") or attrs.get("enterprise_name")):
            raise serializers.ValidationError(
                {"enterprise": [_("Choose the investor enterprise, or give its credit code and name.")]}
            )
        return attrs

    def create(self, validated_data):
        data = dict(validated_data)
        return _raise_for(
            services.create_project,
            self.context["request"].user,
            enterprise=data.pop("enterprise", None),
            uscc=data.pop("enterprise_uscc", None),
            enterprise_name=data.pop("enterprise_name", ""),
            lead_on=data.pop("lead_on", None),
            supporting_teams=data.pop("supporting_teams", []),
            **data,
        )

    def update(self, instance, validated_data):
        supporting = validated_data.pop("supporting_teams", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        _raise_for(instance.full_clean)
        instance.save()
        if supporting is not None:
            instance.supporting_teams.set(supporting)
        return instance


def _raise_for(function, *args, **kwargs):
    """Call a service; its ValidationError becomes the API's (field by field)."""
    try:
        return function(*args, **kwargs)
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        raise serializers.ValidationError(detail) from None


class MoveChoiceField(serializers.ChoiceField):
    """A stage (the schema lists them); any value goes on to projects.services.check_transition, which says why a
    move is refused in the same words as the pages."""

    def to_internal_value(self, data):
        return str(data)


class TransitionSerializer(serializers.Serializer):
    to_stage = MoveChoiceField(choices=Stage.choices, help_text=_("The stage the project moves to."))
    happened_on = serializers.DateField(help_text=_("The day it happened (not in the future)."))
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Required to drop the project.")
    )


class CorrectDateSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=FORWARD_CHOICES)
    happened_on = serializers.DateField(help_text=_("The correct date the stage was reached."))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ActivitySerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    project = PrimaryKeyRelatedField(queryset=Project.objects.none())
    participants = PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)

    class Meta:
        model = Activity
        fields = [
            "id",
            "project",
            "kind",
            "happened_on",
            "summary",
            "participants",
            "external_participants",
            "version",
            "created",
        ]
        read_only_fields = ["version", "created"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A record is added only to a project the caller may change.
            self.fields["project"].queryset = Project.objects.restrict(request.user, Action.CHANGE)

    def validate_happened_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(
                _("An activity is recorded after it happened: the date cannot be in the future.")
            )
        return value


# ---- speed and duplicates (responses)


class SpeedQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("First day of the period."))
    end = serializers.DateField(help_text=_("Last day of the period."))
    group_by = serializers.ChoiceField(choices=sorted(GROUPS), required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": [_("The period ends before it starts.")]})
        return attrs


class BinSerializer(serializers.Serializer):
    from_days = serializers.IntegerField()
    to_days = serializers.IntegerField(allow_null=True, help_text=_("Empty for the last, open-ended bin."))
    count = serializers.IntegerField()


class BestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    days = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    median = serializers.FloatField(allow_null=True)
    q1 = serializers.FloatField(allow_null=True)
    q3 = serializers.FloatField(allow_null=True)
    min = serializers.IntegerField(allow_null=True)
    max = serializers.IntegerField(allow_null=True)
    histogram = BinSerializer(many=True)
    best = BestSerializer(many=True)


class GroupFiguresSerializer(FiguresSerializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()


class IntervalSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    start_stage = serializers.CharField()
    end_stage = serializers.CharField()
    overall = FiguresSerializer()
    groups = GroupFiguresSerializer(many=True)


class SpeedSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    group_by = serializers.CharField(allow_null=True)
    intervals = IntervalSerializer(many=True)


class ClaimSerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    team_name = serializers.CharField()
    enterprise_name = serializers.CharField()
    engaged_on = serializers.DateField(allow_null=True)
    visible = serializers.BooleanField()
    name = serializers.CharField(help_text=_("Empty when the caller may not see the project."))
    stage = serializers.CharField()


class LookupQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        min_length=services.LOOKUP_MIN_LENGTH,
        help_text=_("Part of the enterprise's name or its credit code, at least two characters."),
    )


class LookupRowSerializer(serializers.Serializer):
    """A project seen through the look-up: that it exists, its stage and owning team."""

    project = serializers.IntegerField(source="project_id")
    enterprise_name = serializers.CharField()
    enterprise_uscc = serializers.CharField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    owner_team = serializers.IntegerField(source="team_id")
    owner_team_name = serializers.CharField(source="team_name")
    readable = serializers.BooleanField(help_text=_("Whether the caller may open the project."))


class DuplicateGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    key = serializers.CharField()
    claims = ClaimSerializer(many=True, help_text=_("Who engaged first comes first."))
