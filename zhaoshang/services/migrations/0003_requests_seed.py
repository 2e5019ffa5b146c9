"""The categories of enterprise requests and the default time-limit policy (services.requests_seed)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from zhaoshang.services.requests_seed import seed

    seed(apps)


def backwards(apps, schema_editor):
    from zhaoshang.services.requests_seed import unseed

    unseed(apps)


class Migration(migrations.Migration):
    dependencies = [("services", "0002_approvals_seed")]

    operations = [migrations.RunPython(forwards, backwards)]
