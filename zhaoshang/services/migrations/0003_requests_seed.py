"""The categories of enterprise requests and the default time-limit policy (contact within 60 working minutes, a
plan within 24 hours, closed within 7 working days), as Jiangmen's rapid-response platform publishes them; the
centre keeps them afterwards."""

from django.db import migrations

CATEGORIES = [
    ("policy", "政策咨询", "Policy enquiries"),
    ("land", "用地", "Land"),
    ("financing", "融资", "Financing"),
    ("talent", "人才", "Talent"),
    ("utilities", "水电气", "Utilities and power"),
    ("approvals", "审批", "Approvals"),
    ("other", "其他", "Other"),
]


def seed(apps, schema_editor):
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


def unseed(apps, schema_editor):
    apps.get_model("services", "ServicePolicy").objects.filter(category__isnull=True, channel="").delete()
    apps.get_model("services", "RequestCategory").objects.filter(
        code__in=[code for code, _name, _en in CATEGORIES], main_requests__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("services", "0002_requests_figure_indexes")]

    operations = [migrations.RunPython(seed, unseed)]
