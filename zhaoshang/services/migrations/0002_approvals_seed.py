"""The approval catalogue a city starts from (services.approvals_seed): departments, items and templates."""

from django.db import migrations


def forwards(apps, schema_editor):
    from zhaoshang.services.approvals_seed import seed

    seed(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_initial"),
        ("accounts", "0002_alter_team_kind"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
