from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseModelForm
from zhaoshang.core.permissions import user_scope
from zhaoshang.geo.models import Region

from .choices import CodeLevel
from .models import Enterprise, IndustryCode


class EnterpriseForm(BaseModelForm):
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
            "website",
            "description",
        ]
        widgets = {"tags": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user_scope(self.user)
        self.fields["hq_region"].queryset = Region.objects.defer("boundary").order_by("adcode")
        self.fields["industry"].queryset = IndustryCode.objects.exclude(level=CodeLevel.SECTION)
        # A record can be kept only by a team the user writes for; the shared register by the centre.
        teams = Team.objects.all() if scope.is_admin else Team.objects.filter(pk__in=scope.teams(Action.CHANGE))
        self.fields["owner_team"].queryset = teams
        self.shared_allowed = scope.is_admin or scope.in_centre(Action.CHANGE)
        if not self.shared_allowed:
            self.fields["owner_team"].required = True
            if self.instance.pk is None and teams.count() == 1:
                self.fields["owner_team"].initial = teams.first()

    def clean_owner_team(self):
        team = self.cleaned_data.get("owner_team")
        if team is None and not self.shared_allowed:
            raise forms.ValidationError(_("Choose the team that keeps this record."))
        return team

    def clean_uscc(self):
        return self.cleaned_data.get("uscc") or None
