"""GB/T 4754-2017 sections and divisions, and the enterprise tags statistics count by."""

from django.db import migrations

def load(apps, schema_editor):
    from zhaoshang.industry.services import load_reference_data

    load_reference_data(apps.get_model("industry", "IndustryCode"), apps.get_model("industry", "EnterpriseTag"))


class Migration(migrations.Migration):
    dependencies = [("industry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
