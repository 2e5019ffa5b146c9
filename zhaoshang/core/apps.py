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
        self._watch_calendar()

    @staticmethod
    def _watch_calendar():
        from django.db.models.signals import post_delete, post_save

        from . import generations, workdays
        from .models import CalendarDay, CalendarYear

        generations.watch("calendar", CalendarDay, CalendarYear)
        for model in (CalendarDay, CalendarYear):
            for signal in (post_save, post_delete):
                signal.connect(
                    lambda **kwargs: workdays.forget(),
                    sender=model,
                    weak=False,
                    dispatch_uid=f"workdays:{model.__name__}:{signal}",
                )

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
            "label": _("Outgoing messages"),
            "url": "core:delivery-list",
            "admin_only": True,
        },
        {
            "area": "admin",
            "area_label": _("Administration"),
            "area_order": 90,
            "label": _("API documentation"),
            "url": "api:docs",
        },
        {
            "area": "admin",
            "area_label": _("Administration"),
            "area_order": 90,
            "label": _("Working-day calendar"),
            "url": "core:calendar",
        },
    ]
    # The centre is warned from 1 November when next year's official working days are not loaded.
    home_panels = ["zhaoshang.core.calendar_views.calendar_warning_panel"]
    work_panels = ["zhaoshang.core.calendar_views.calendar_warning_panel"]
