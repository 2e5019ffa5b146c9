"""Forms of parallel approvals: the catalogue kept by the centre, building and editing a plan, an item's steps."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import PauseReason
from zhaoshang.core.forms import BaseForm as CoreForm
from zhaoshang.core.forms import BaseModelForm, widget_css

from ..choices import ApprovalStage, AssessmentKind, ItemState
from ..models import ApprovalItem, ApprovalPlan, ApprovalTemplate, ParkAssessment, PlanItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BaseForm(CoreForm):
    """A plain form drawn with Tabler's classes, as the model forms are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", widget_css(field.widget))


def departments():
    return Team.objects.filter(kind=TeamKind.DEPARTMENT, active=True).order_by("name")


class ApprovalItemForm(BaseModelForm):
    exempted_by = forms.MultipleChoiceField(
        label=_("exempted by park assessments"),
        choices=AssessmentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApprovalItem
        fields = [
            "code",
            "name",
            "name_en",
            "department",
            "stage",
            "statutory_days",
            "promised_days",
            "accept_with_gaps",
            "by_commitment",
            "exempted_by",
            "order",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments()

    def clean(self):
        data = super().clean()
        statutory, promised = data.get("statutory_days"), data.get("promised_days")
        if statutory is not None and promised is not None and promised > statutory:
            self.add_error("promised_days", _("The promised time limit cannot exceed the statutory one."))
        return data


class ApprovalTemplateForm(BaseModelForm):
    class Meta:
        model = ApprovalTemplate
        fields = ["name", "name_en", "project_kind", "cap_days", "active"]


class TemplateItemForm(BaseForm):
    item = forms.ModelChoiceField(label=_("approval item"), queryset=ApprovalItem.objects.filter(active=True))
    start_offset = forms.IntegerField(label=_("starts after (working days)"), min_value=0, max_value=400, initial=0)


class ParkAssessmentForm(BaseModelForm):
    class Meta:
        model = ParkAssessment
        fields = ["park", "kind", "done_on", "valid_until"]
        widgets = {"done_on": DATE, "valid_until": DATE}

    def clean(self):
        data = super().clean()
        done, until = data.get("done_on"), data.get("valid_until")
        if done and until and until < done:
            self.add_error("valid_until", _("The assessment cannot expire before it was done."))
        return data


def officers():
    return get_user_model().objects.filter(is_active=True, memberships__isnull=False).distinct().order_by("username")


class BuildPlanForm(BaseForm):
    template = forms.ModelChoiceField(
        label=_("template"), queryset=ApprovalTemplate.objects.filter(active=True).order_by("project_kind", "name")
    )
    lead_officer = forms.ModelChoiceField(label=_("lead officer"), queryset=officers(), required=False)
    started_on = forms.DateField(
        label=_("counted from"), widget=DATE, help_text=_("Usually the signing or land-supply date.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = officers()


class PlanForm(BaseModelForm):
    class Meta:
        model = ApprovalPlan
        fields = ["lead_officer", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = officers()


class PlanItemAddForm(BaseForm):
    item = forms.ModelChoiceField(label=_("approval item"), queryset=ApprovalItem.objects.filter(active=True))
    start_offset = forms.IntegerField(label=_("starts after (working days)"), min_value=0, max_value=400, initial=0)


class PlanItemDepartmentForm(BaseModelForm):
    class Meta:
        model = PlanItem
        fields = ["department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments()


class ActionForm(BaseForm):
    """An item's step: which fields count depends on the action (services.approvals.act checks them)."""

    applied_on = forms.DateField(label=_("applied on"), widget=DATE, required=False)
    with_gaps = forms.BooleanField(label=_("accepted with documents to follow"), required=False)
    gaps_due_on = forms.DateField(label=_("missing documents due"), widget=DATE, required=False)
    by_commitment = forms.BooleanField(label=_("granted on commitment"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)
    pause_reason = forms.ChoiceField(
        label=_("why the clock stops"),
        choices=[(r.value, r.label) for r in (PauseReason.HEARING, PauseReason.TESTING, PauseReason.EXPERT_REVIEW)],
        required=False,
    )
    days = forms.IntegerField(label=_("working days added"), min_value=1, max_value=200, required=False)
    approved_by = forms.ModelChoiceField(label=_("approved by"), queryset=officers(), required=False)

    def __init__(self, *args, approvers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if approvers is not None:
            self.fields["approved_by"].queryset = approvers


class QueueFilterForm(BaseForm):
    state = forms.ChoiceField(
        label=_("state"), choices=[("", _("Any"))] + [c for c in ItemState.choices], required=False
    )
    stage = forms.ChoiceField(label=_("stage"), choices=[("", _("Any"))] + list(ApprovalStage.choices), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    department = forms.ModelChoiceField(label=_("department"), queryset=Team.objects.none(), required=False)
    decided = forms.IntegerField(label=_("decided in year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments()
