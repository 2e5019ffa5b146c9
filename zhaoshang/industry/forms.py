from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseForm, BaseModelForm
from zhaoshang.core.permissions import user_scope
from zhaoshang.geo.models import Park, Region

from .choices import CodeLevel
from .models import Chain, ChainNode, ChainSegment, Enterprise, IndustryCode
from .validators import clean_uscc


class EnterpriseForm(BaseModelForm):
    # Wider than the 18 stored characters: a code pasted in groups ("9144 0300 …") is cleaned first.
    uscc = forms.CharField(
        label=Enterprise._meta.get_field("uscc").verbose_name,
        help_text=Enterprise._meta.get_field("uscc").help_text,
        max_length=40,
        required=False,
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "name_en",
            "uscc",
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
            "contact_name",
            "contact_phone",
            "website",
            "description",
        ]
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "main_products": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user_scope(self.user)
        self.fields["hq_region"].queryset = Region.objects.defer("boundary").order_by("adcode")
        self.fields["industry"].queryset = IndustryCode.objects.exclude(level=CodeLevel.SECTION)
        # A record can be kept only by a team the user writes for; the shared register by the centre.
        allowed = set(scope.teams(Action.CHANGE))
        if self.instance.owner_team_id:
            allowed.add(self.instance.owner_team_id)  # whoever may edit the record may leave it where it is
        teams = Team.objects.all() if scope.is_admin else Team.objects.filter(pk__in=allowed)
        self.fields["owner_team"].queryset = teams
        if self.instance.pk is None and not scope.is_admin and len(scope.teams(Action.CHANGE)) == 1:
            self.fields["owner_team"].initial = next(iter(scope.teams(Action.CHANGE)))

    def clean_owner_team(self):
        team = self.cleaned_data.get("owner_team")
        # The instance still holds the saved owner here: the form's values reach it only after cleaning.
        error = self.instance.owner_team_error(self.user, team)
        if error:
            raise forms.ValidationError(error)
        return team

    def clean_uscc(self):
        return clean_uscc(self.cleaned_data.get("uscc") or "") or None


# ---------------------------------------------------------------- chains, their segments and nodes


class ChainForm(BaseModelForm):
    """A chain's fields; its task force and whether it is active are set by administrators."""

    class Meta:
        model = Chain
        fields = [
            "name",
            "name_en",
            "chief",
            "chief_en",
            "task_force",
            "industry_codes",
            "parks",
            "description",
            "description_en",
            "sort",
            "active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not user_scope(self.user).is_admin:
            for name in ("task_force", "active", "name"):
                self.fields.pop(name)
        self.fields["industry_codes"].queryset = IndustryCode.objects.exclude(level=CodeLevel.SECTION)
        self.fields["parks"].queryset = Park.objects.defer("boundary")


def _unique_in_chain(form, model, message) -> str:
    """The name of a segment or node, refused when another of its chain has it (the chain is not a form field)."""
    name = (form.cleaned_data.get("name") or "").strip()
    others = model.objects.filter(chain_id=form.instance.chain_id, name=name).exclude(pk=form.instance.pk)
    if name and others.exists():
        raise forms.ValidationError(message)
    return name


class ChainSegmentForm(BaseModelForm):
    class Meta:
        model = ChainSegment
        fields = ["position", "name", "name_en", "sort"]

    def clean_name(self):
        return _unique_in_chain(self, ChainSegment, _("This chain already has a segment of this name."))


class ChainNodeForm(BaseModelForm):
    """A node: its segment among the chain's, the industry codes and keywords the classification reads."""

    class Meta:
        model = ChainNode
        fields = ["segment", "name", "name_en", "industry_codes", "keywords", "description", "sort"]
        widgets = {"keywords": forms.Textarea(attrs={"rows": 2}), "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = ChainSegment.objects.filter(chain_id=self.instance.chain_id)
        self.fields["industry_codes"].queryset = IndustryCode.objects.exclude(level=CodeLevel.SECTION)

    def clean_name(self):
        return _unique_in_chain(self, ChainNode, _("This chain already has a node of this name."))

    def classification_changed(self) -> bool:
        """Whether saving changes what the classification reads (codes, keywords, or a new node)."""
        return self.instance.pk is None or bool({"industry_codes", "keywords"} & set(self.changed_data))


class CorrectionForm(BaseForm):
    """A member of staff's decision on an enterprise's place at a node."""

    INCLUDE, EXCLUDE = "include", "exclude"

    node = forms.ModelChoiceField(
        label=_("Chain node"), queryset=ChainNode.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(INCLUDE, _("Add to node")), (EXCLUDE, _("Not this node"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Why, for those who read the classification later (optional)."),
    )

    def __init__(self, *args, nodes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes if nodes is not None else ChainNode.objects.none()


class MergeForm(forms.Form):
    """Which of two enterprises stays when they are merged; ``confirm`` is sent by the confirmation step."""

    survivor = forms.TypedChoiceField(
        label=_("Record that stays"), coerce=int, widget=forms.RadioSelect, help_text=_("The other record is deleted.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, pair: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (pk, f"{enterprise.name} ({enterprise.uscc or '—'})") for pk, enterprise in pair.items()
        ]
        self.fields["survivor"].initial = next(iter(pair))
