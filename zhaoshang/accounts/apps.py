from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhaoshang.accounts"
    label = "accounts"
    verbose_name = _("People and teams")

    navigation = [
        {
            "area": "reference",
            "area_label": _("Reference"),
            "area_order": 80,
            "label": _("Teams"),
            "url": "accounts:team-list",
        },
        {
            "area": "admin",
            "area_label": _("Administration"),
            "area_order": 90,
            "label": _("Users and teams"),
            "url": "admin:index",
            "admin_only": True,
        },
    ]
