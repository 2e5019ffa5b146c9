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

    def ready(self):
        # parallel approvals: a project's construction start stops its plan's cap clock
        from .services import approvals

        approvals.connect()


# -- parallel approvals (并联审批): menu entries and the project page's panel ------------------------------------------
ServicesConfig.navigation = [
    *ServicesConfig.navigation,
    {**SERVICES_AREA, "label": _("Approval queue"), "url": "services:item-queue"},
    {**SERVICES_AREA, "label": _("Approval plans"), "url": "services:plan-list"},
    {**SERVICES_AREA, "label": _("Approval catalogue"), "url": "services:item-list"},
    {**SERVICES_AREA, "label": _("Approval speed"), "url": "services:approval-speed"},
]
ServicesConfig.project_panels = [
    *getattr(ServicesConfig, "project_panels", []),
    "zhaoshang.services.services.approvals.project_panel",
]
