import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import SearchFilterSet

from .choices import TeamKind
from .models import Team


class TeamFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en", "stationed_city")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=TeamKind.choices)

    class Meta:
        model = Team
        fields = ["q", "kind", "active"]
