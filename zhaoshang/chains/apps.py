from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CHAINS_AREA = {"area": "chains", "area_label": _("Chains"), "area_order": 40}


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    label = "chains"
    verbose_name = _("Industry-chain targeting")

    navigation = [
        {**CHAINS_AREA, "label": _("Chain maps"), "url": "chains:overview"},
        {**CHAINS_AREA, "label": _("Chain value added"), "url": "chains:value-added-list"},
    ]
    home_panels = []
    work_panels = [
        "zhaoshang.chains.services.figures.work_panel",
        "zhaoshang.chains.services.targets.work_panel",
    ]
    # Grants that task forces get on the records of the apps below (core.access).
    access_grants = ["zhaoshang.chains.access.GRANTS"]
    # The monthly report's sentence and table on the chains' value added (core.report_parts).
    report_sentences = ["zhaoshang.chains.services.statistics.report_sentence"]
    report_tables = ["zhaoshang.chains.services.statistics.report_table"]
