from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.core import checks

        from . import audit, pdf

        audit.connect()
        checks.register(pdf.check_font)

    navigation = [
        {
            "area": "admin",
            "area_label": _("Administration"),
            "area_order": 90,
            "label": _("Audit log"),
            "url": "core:audit-log",
            "admin_only": True,
        },
        {
            "area": "admin",
            "area_label": _("Administration"),
            "area_order": 90,
            "label": _("API documentation"),
            "url": "api:docs",
        },
    ]
