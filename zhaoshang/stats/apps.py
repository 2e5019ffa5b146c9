from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

STATS_AREA = {"area": "stats", "area_label": _("Statistics"), "area_order": 40}


class StatsConfig(AppConfig):
    name = "zhaoshang.stats"
    label = "stats"
    verbose_name = _("Statistics, reports and events")

    navigation = [
        {**STATS_AREA, "label": _("Dashboard"), "url": "stats:dashboard"},
        {**STATS_AREA, "label": _("Figures"), "url": "stats:figures"},
        {**STATS_AREA, "label": _("Monthly report"), "url": "stats:report"},
        {**STATS_AREA, "label": _("Events"), "url": "stats:event-list"},
        {
            **STATS_AREA,
            "label": _("Actual FDI"),
            "url": "stats:fdi-list",
            "visible": "zhaoshang.stats.models.fdi_readable",
        },
        {**STATS_AREA, "label": _("Comparison figures"), "url": "stats:comparison-list"},
        {**STATS_AREA, "label": _("Consistency checks"), "url": "stats:checks"},
    ]
    home_panels = ["zhaoshang.stats.services.large_signed_panel"]
    work_panels = []
    # The kinds of record the figures count (core.stats_sources): the projects (below stats) and stats' own FDI
    # records; peers register theirs in their own AppConfig.
    stats_sources = ["zhaoshang.stats.metrics.PROJECTS", "zhaoshang.stats.metrics.FDI"]
