from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "zhaoshang.portal"
    label = "portal"
    verbose_name = _("Investment map and portal")

    @property
    def navigation(self):
        from .apps_navigation import NAVIGATION

        return NAVIGATION

    home_panels = ["zhaoshang.portal.apps_navigation.inquiry_panel"]
