from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SERVICES_AREA = {"area": "services", "area_label": _("Services"), "area_order": 45}


class ServicesConfig(AppConfig):
    name = "zhaoshang.services"
    label = "services"
    verbose_name = _("Services after landing")

    navigation = []
    # ---- enterprise requests (诉求)
    navigation += [
        {
            **SERVICES_AREA,
            "label": _("Request queue"),
            "url": "services:request-queue",
            "visible": "zhaoshang.services.services.requests.is_staff_user",
        },
        {
            **SERVICES_AREA,
            "label": _("Request figures"),
            "url": "services:request-figures",
            "visible": "zhaoshang.services.services.requests.is_staff_user",
        },
        {
            **SERVICES_AREA,
            "label": _("Our requests"),
            "url": "services:my-requests",
            "visible": "zhaoshang.services.services.requests.has_account",
        },
        {
            **SERVICES_AREA,
            "label": _("Request categories"),
            "url": "services:category-list",
            "visible": "zhaoshang.services.services.requests.is_staff_user",
        },
        {
            **SERVICES_AREA,
            "label": _("Request time limits"),
            "url": "services:policy-list",
            "visible": "zhaoshang.services.services.requests.is_staff_user",
        },
        {
            **SERVICES_AREA,
            "label": _("Open an enterprise account"),
            "url": "services:account-add",
            "visible": "zhaoshang.services.services.requests.may_open_accounts",
        },
    ]
    home_panels = []
    work_panels = []
    # Grants that departments and service officers get on the records of the apps below (core.access).
    access_grants = []
