from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from zhaoshang.core.api.views import VersionedSerializerMixin

from ..forms import writable_teams
from ..metrics import METRICS
from ..models import ComparisonFigure, FDIRecord
from ..periods import Period

GROUP_KEYS = ["chain", "district", "source", "team", "type"]


class FiguresQuerySerializer(serializers.Serializer):
    metric = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(METRICS)),
        help_text=_("One or more metrics (repeat the parameter)."),
    )
    period = serializers.CharField(help_text=_("2026, 2026-q3, 2026-11 or 2026-ytd-11 (January to November)."))
    group = serializers.ChoiceField(choices=GROUP_KEYS, required=False, allow_null=True, default=None)

    def validate_period(self, value):
        try:
            return Period.parse(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None

    def validate(self, attrs):
        group = attrs.get("group")
        if group is not None:
            for key in attrs["metric"]:
                if group not in METRICS[key].source_def.groups:
                    raise serializers.ValidationError({"group": [_("This metric cannot be broken down that way.")]})
        return attrs


class HeadlineQuerySerializer(serializers.Serializer):
    period = serializers.CharField(help_text=_("2026, 2026-q3, 2026-11 or 2026-ytd-11 (January to November)."))

    validate_period = FiguresQuerySerializer.validate_period


class PeriodSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class ComparisonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComparisonFigure
        fields = ["id", "name", "name_en", "metric", "period", "value", "unit", "source", "version"]
        read_only_fields = ["version"]


class GroupFigureSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    rank = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False)
    previous = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False)
    yoy = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True, coerce_to_string=False)
    share = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True, coerce_to_string=False)
    url = serializers.CharField(help_text=_("The page listing the records behind the figure."))


class FigureSerializer(serializers.Serializer):
    metric = serializers.CharField(source="metric.key")
    label = serializers.CharField(source="metric.label")
    unit = serializers.CharField(source="metric.unit")
    date_field = serializers.CharField(source="metric.date_field", help_text=_("The date the metric counts by."))
    date_label = serializers.CharField(source="metric.date_label")
    period = PeriodSerializer()
    previous_period = PeriodSerializer()
    value = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False)
    previous = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False)
    yoy = serializers.DecimalField(
        max_digits=10,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("Year-on-year change in %; null when the previous year's figure is zero."),
    )
    share = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True, coerce_to_string=False)
    group = serializers.CharField(allow_null=True)
    groups = GroupFigureSerializer(many=True)
    url = serializers.CharField(help_text=_("The page listing the records behind the figure."))
    comparisons = ComparisonSerializer(many=True)


class HeadlineSerializer(serializers.Serializer):
    zh = serializers.CharField()
    en = serializers.CharField()


class FDIRecordSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = FDIRecord
        fields = [
            "id",
            "code",
            "enterprise",
            "project",
            "district",
            "team",
            "month",
            "amount_usd",
            "exchange_rate",
            "amount_cny",
            "note",
            "version",
        ]
        read_only_fields = ["code", "version"]
        extra_kwargs = {"amount_cny": {"required": False}}

    def validate_team(self, team):
        request = self.context.get("request")
        if request is not None and not writable_teams(request.user).filter(pk=team.pk).exists():
            raise serializers.ValidationError(_("You do not record figures for this team."))
        return team

    def validate(self, attrs):
        attrs = super().validate(attrs)
        record = FDIRecord(**{**self._current(), **attrs})
        try:
            record.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        attrs.update(month=record.month, enterprise=record.enterprise, district=record.district)
        attrs["amount_cny"] = record.amount_cny
        return attrs

    def _current(self) -> dict:
        if self.instance is None:
            return {}
        fields = [name for name in self.Meta.fields if name not in ("id", "version", "code")]
        return {name: getattr(self.instance, name) for name in fields}
