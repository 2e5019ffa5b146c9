"""Forms of the review workflow's steps (each posts to its own address; the service checks and saves)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseForm as CoreForm
from zhaoshang.core.forms import widget_css
from zhaoshang.projects.models import Project

from ..choices import Decision, ReviewKind
from ..models import Commitment, YearResult
from ..services import workflow

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Styled:
    """Tabler's classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", widget_css(field.widget))


class BaseForm(Styled, CoreForm):
    pass


class ReviewCreateForm(BaseForm):
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind of review"),
        choices=[("", _("From the project's type"))] + list(ReviewKind.choices),
        required=False,
        help_text=_(
            "Industrial → industrial; industrial real estate → industrial real estate; logistics → general warehouse."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.restrict(user, Action.CHANGE).defer("search_text").order_by("name")
        )


class ReasonForm(BaseForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(BaseForm):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"), queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple
    )
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=get_user_model().objects.none())
    meeting_on = forms.DateField(label=_("Meeting on"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects
        self.fields["reviewers"].queryset = workflow.reviewer_candidates().order_by("username")
        self.fields["chair"].queryset = (
            users.filter(memberships__team__kind=TeamKind.CENTRE, is_active=True).distinct().order_by("username")
        )


class ScoreForm(BaseForm):
    """One points field (and a comment) per criterion of the review's standard set."""

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(workflow.criteria_of(assignment.review))
        current = {s.criterion_id: s for s in assignment.scores.all()}
        for criterion in self.criteria:
            found = current.get(criterion.pk)
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label=_("%(criterion)s (full marks %(max)s)") % {"criterion": criterion, "max": criterion.max_points},
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=2,
                required=False,
                initial=found.points if found else None,
                help_text=criterion.display_guidance if hasattr(criterion, "display_guidance") else criterion.guidance,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion},
                required=False,
                initial=found.comment if found else "",
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", widget_css(field.widget))

    def pairs(self):
        return [(self[f"points_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def points(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"points_{c.pk}") for c in self.criteria}

    def comments(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}") or "" for c in self.criteria}


class DecisionForm(BaseForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(
        label=_("Conditions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required for an approval with conditions."),
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CommitmentForm(Styled, forms.ModelForm):
    class Meta:
        model = Commitment
        fields = list(workflow.COMMITMENT_FIELDS)
        widgets = {
            "construction_by": DATE,
            "production_by": DATE,
            "full_production_by": DATE,
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class YearResultForm(Styled, forms.ModelForm):
    class Meta:
        model = YearResult
        fields = ["year", "land_mu", "investment", "output", "tax"]
