from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CHAINS_AREA = {"area": "chains", "area_label": _("Chains"), "area_order": 40}


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    label = "chains"
    verbose_name = _("Industry-chain targeting")

    navigation = []
    home_panels = []
    work_panels = [
        "zhaoshang.chains.services.targets.work_panel",
    ]
    # Grants that task forces get on the records of the apps below (core.access).
    access_grants = ["zhaoshang.chains.access.GRANTS"]
