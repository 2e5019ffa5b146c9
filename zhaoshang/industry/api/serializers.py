from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from zhaoshang.accounts.models import Team
from zhaoshang.core.api.fields import PrimaryKeyRelatedField
from zhaoshang.core.api.views import VersionedSerializerMixin
from zhaoshang.geo.models import Region

from ..models import Chain, Enterprise, EnterpriseTag, IndustryCode
from ..validators import clean_uscc, validate_uscc


class IndustryCodeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = IndustryCode
        fields = ["code", "name", "name_en", "level", "parent"]


class ChainSerializer(serializers.ModelSerializer):
    industry_codes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Chain
        fields = ["id", "name", "name_en", "task_force", "industry_codes", "description", "description_en", "active"]


class UsccField(serializers.CharField):
    """A credit code, cleaned (spaces, case, full width) before it is validated and checked for uniqueness."""

    def to_internal_value(self, data):
        return clean_uscc(super().to_internal_value(data)) or None


class EnterpriseSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    uscc = UsccField(
        max_length=40,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=[validate_uscc, UniqueValidator(queryset=Enterprise.objects.all())],
    )
    hq_region = serializers.SlugRelatedField(
        slug_field="adcode", queryset=Region.objects.defer("boundary"), required=False, allow_null=True
    )
    industry = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryCode.objects.all(), required=False, allow_null=True
    )
    tags = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=EnterpriseTag.objects.all(), required=False
    )
    owner_team = PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)

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
            "size",
            "revenue_band",
            "employees",
            "address",
            "main_products",
            "website",
            "description",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["normalized_name", "version", "created", "updated"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "owner_team" in attrs or self.instance is None:
            record = self.instance or Enterprise()
            error = record.owner_team_error(self.context["request"].user, attrs.get("owner_team"))
            if error:
                raise serializers.ValidationError({"owner_team": [error]})
        return attrs

    def validate_uscc(self, value):
        return value or None
