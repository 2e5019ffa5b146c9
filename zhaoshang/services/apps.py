from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SERVICES_AREA = {"area": "services", "area_label": _("Services"), "area_order": 45}


class ServicesConfig(AppConfig):
    name = "zhaoshang.services"
    label = "services"
    verbose_name = _("Services after landing")

    navigation = []
    home_panels = []
    work_panels = []
    # Grants that departments and service officers get on the records of the apps below (core.access).
    access_grants = []
