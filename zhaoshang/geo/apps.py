from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "zhaoshang.geo"
    label = "geo"
    verbose_name = _("Geography")

    navigation = [
        {
            "area": "reference",
            "area_label": _("Reference"),
            "area_order": 80,
            "label": _("Regions"),
            "url": "geo:region-list",
        },
    ]

    def ready(self):
        from zhaoshang.core import generations

        from .models import Region
        from .services import REGIONS_GENERATION

        generations.watch(REGIONS_GENERATION, Region)
