"""The categories of enterprise requests and the default time-limit policy a city starts from (contact within 60
working minutes, a plan within 24 hours, closed within 7 working days), as Jiangmen's rapid-response platform
publishes them; the centre keeps them afterwards. ``seed`` creates what is missing and changes nothing that exists
(the categories by code); the data migration and the demo run it."""

from __future__ import annotations

CATEGORIES = [
    ("policy", "政策咨询", "Policy enquiries"),
    ("land", "用地", "Land"),
    ("financing", "融资", "Financing"),
    ("talent", "人才", "Talent"),
    ("utilities", "水电气", "Utilities and power"),
    ("approvals", "审批", "Approvals"),
    ("other", "其他", "Other"),
]


def seed(apps=None) -> None:
    if apps is None:
        from django.apps import apps
    RequestCategory = apps.get_model("services", "RequestCategory")
    ServicePolicy = apps.get_model("services", "ServicePolicy")
    for order, (code, name, name_en) in enumerate(CATEGORIES, 1):
        RequestCategory.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})
    if not ServicePolicy.objects.filter(category__isnull=True, channel="").exists():
        ServicePolicy.objects.create(
            contact_limit=60,
            contact_unit="wminutes",
            plan_limit=1440,
            plan_unit="minutes",
            close_limit=7,
            close_unit="wdays",
        )


def unseed(apps) -> None:
    apps.get_model("services", "ServicePolicy").objects.filter(category__isnull=True, channel="").delete()
    apps.get_model("services", "RequestCategory").objects.filter(
        code__in=[code for code, _name, _en in CATEGORIES], main_requests__isnull=True
    ).delete()
