from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndustryConfig(AppConfig):
    name = "zhaoshang.industry"
    label = "industry"
    verbose_name = _("Industries and enterprises")

    navigation = [
        {
            "area": "chains",
            "area_label": _("Chains"),
            "area_order": 40,
            "label": _("Industry chains"),
            "url": "industry:chain-list",
        },
        {
            "area": "chains",
            "area_label": _("Chains"),
            "area_order": 40,
            "label": _("Enterprises"),
            "url": "industry:enterprise-list",
        },
        {
            "area": "reference",
            "area_label": _("Reference"),
            "area_order": 80,
            "label": _("Industry codes"),
            "url": "industry:code-list",
        },
    ]
    home_panels = ["zhaoshang.industry.services.enterprise_panel", "zhaoshang.industry.services.chain_panel"]
