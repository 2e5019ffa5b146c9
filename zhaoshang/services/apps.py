from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SERVICES_AREA = {"area": "services", "area_label": _("Services"), "area_order": 45}


class ServicesConfig(AppConfig):
    name = "zhaoshang.services"
    label = "services"
    verbose_name = _("Services after landing")

    navigation = [
        # ---- parallel approvals (entries of the approvals pages)
        # ---- enterprise requests (entries of the requests pages)
        # ---- key enterprises (200强)
        {**SERVICES_AREA, "label": _("Key enterprises"), "url": "services:key-list"},
    ]
    home_panels = []
    work_panels = [
        # ---- key enterprises (200强)
        "zhaoshang.services.services.key_firms.work_panel",
    ]
    # Grants that departments and service officers get on the records of the apps below (core.access).
    access_grants = []
