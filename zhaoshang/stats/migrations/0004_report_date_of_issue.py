"""Published reports get their date of issue; those published before it are dated the day they were published
(the date their documents already bear), in the configured time zone as ``core.documents.local_day`` does."""

from django.db import migrations, models
from django.utils import timezone


def date_published_reports(apps, schema_editor):
    Report = apps.get_model("stats", "Report")
    for report in Report.objects.filter(issued_on__isnull=True).only("pk", "created"):
        Report.objects.filter(pk=report.pk).update(issued_on=timezone.localdate(report.created))


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0003_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="issued_on",
            field=models.DateField(
                editable=False,
                null=True,
                help_text="The date the report bears: set by the publisher when publishing (default: the day of publishing).",
                verbose_name="date of issue",
            ),
        ),
        migrations.RunPython(date_published_reports, migrations.RunPython.noop),
    ]
