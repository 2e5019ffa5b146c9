from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

STATS_AREA = {"area": "stats", "area_label": _("Statistics"), "area_order": 40}


class StatsConfig(AppConfig):
    name = "zhaoshang.stats"
    label = "stats"
    verbose_name = _("Statistics, reports and events")

    navigation = [
        {**STATS_AREA, "label": _("Events"), "url": "stats:event-list"},
    ]
    home_panels = []
    work_panels = []
