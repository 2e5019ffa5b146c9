"""Every published report bears a date of issue (apart from 0004: PostgreSQL does not alter a table with the
updates of the same transaction pending)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0004_report_date_of_issue"),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="issued_on",
            field=models.DateField(
                editable=False,
                help_text="The date the report bears: set by the publisher when publishing (default: the day of publishing).",
                verbose_name="date of issue",
            ),
        ),
    ]
