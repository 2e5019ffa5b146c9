from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseModelForm
from zhaoshang.core.permissions import user_scope
from zhaoshang.geo.models import Region

from .choices import CodeLevel
from .models import Enterprise, IndustryCode
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
