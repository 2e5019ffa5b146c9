from django.utils.translation import gettext as _
from rest_framework import serializers

from zhaoshang.accounts.models import Team
from zhaoshang.core.api.views import VersionedSerializerMixin
from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import user_scope
from zhaoshang.geo.models import Region

from ..models import Chain, Enterprise, EnterpriseTag, IndustryCode


class IndustryCodeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IndustryCode
        fields = ["code", "name", "name_en", "level", "parent"]


class ChainSerializer(serializers.ModelSerializer):
    industry_codes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Chain
        fields = ["id", "name", "name_en", "task_force", "industry_codes", "description", "description_en", "active"]


class EnterpriseSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    hq_region = serializers.SlugRelatedField(
        slug_field="adcode", queryset=Region.objects.defer("boundary"), required=False, allow_null=True
    )
    industry = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryCode.objects.all(), required=False, allow_null=True
    )
    tags = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=EnterpriseTag.objects.all(), required=False
    )
    owner_team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "name_en",
            "uscc",
            "normalized_name",
            "hq_region",
            "hq_city",
            "hq_country",
            "industry",
            "tags",
            "owner_team",
            "registered_capital",
            "website",
            "description",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["normalized_name", "version", "created", "updated"]

    def validate_owner_team(self, team):
        scope = user_scope(self.context["request"].user)
        if scope.is_admin:
            return team
        if team is None:
            if not scope.in_centre(Action.CHANGE):
                raise serializers.ValidationError(_("Choose the team that keeps this record."))
            return team
        if team.pk not in scope.teams(Action.CHANGE):
            raise serializers.ValidationError(_("You can only file records for a team you work in."))
        return team

    def validate_uscc(self, value):
        return value or None
