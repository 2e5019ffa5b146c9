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

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from . import lockout, middleware

        user_locked_out.connect(lockout.on_locked_out, dispatch_uid="accounts:locked-out")
        user_logged_in.connect(middleware.on_logged_in, dispatch_uid="accounts:session-start")
