"""The tag "expanding" (近期扩产), a sign that targeting of chain nodes counts."""

from django.db import migrations


def load(apps, schema_editor):
    from zhaoshang.industry.services import load_tags

    load_tags(apps.get_model("industry", "EnterpriseTag"))


class Migration(migrations.Migration):
    dependencies = [("industry", "0006_chain_nodes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
