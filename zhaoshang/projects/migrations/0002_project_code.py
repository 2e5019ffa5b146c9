from django.db import migrations, models


def give_codes(apps, schema_editor):
    """Existing projects get XM<year recorded>-<id>: unique, and below every number given later in that year."""
    Project = apps.get_model("projects", "Project")
    batch = []
    for pk, created in Project.objects.order_by("pk").values_list("pk", "created").iterator():
        batch.append(Project(pk=pk, code=f"XM{created.year}-{pk:06d}"))
        if len(batch) >= 1000:
            Project.objects.bulk_update(batch, ["code"])
            batch = []
    Project.objects.bulk_update(batch, ["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="code",
            field=models.CharField(blank=True, default="", max_length=30, verbose_name="project reference"),
            preserve_default=False,
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="project",
            name="code",
            field=models.CharField(
                blank=True,
                help_text="Given on creation (e.g. XM2026-000123); an Excel import updates the project of this reference.",
                max_length=30,
                unique=True,
                verbose_name="project reference",
            ),
        ),
    ]
