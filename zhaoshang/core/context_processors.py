"""The UI shell: navigation by area, built from what each installed app offers."""

from __future__ import annotations

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string

from .permissions import user_scope


def navigation(user) -> list[dict]:
    """Areas in a fixed order; each app lists its items in ``AppConfig.navigation``. An item with ``admin_only`` is
    for administrators; one with ``visible`` (the dotted path of ``fn(user) -> bool``) for the users it accepts."""
    if not user.is_authenticated:
        return []
    scope = user_scope(user)
    areas: dict[str, dict] = {}
    for config in apps.get_app_configs():
        for item in getattr(config, "navigation", ()):
            if item.get("admin_only") and not scope.is_admin:
                continue
            if "visible" in item and not import_string(item["visible"])(user):
                continue
            area = areas.setdefault(
                item["area"], {"label": item["area_label"], "order": item["area_order"], "items": []}
            )
            area["items"].append({"label": item["label"], "url": reverse(item["url"])})
    return sorted(areas.values(), key=lambda a: a["order"])


def shell(request):
    from .notifications import unread_count

    user = getattr(request, "user", None)
    return {
        "nav_areas": navigation(user) if user is not None else [],
        "unread_notifications": unread_count(user) if user is not None else 0,
    }
