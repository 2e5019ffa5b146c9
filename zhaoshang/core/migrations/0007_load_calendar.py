"""The official working-day calendar of every year the maintained package publishes (core.calendar_load)."""

from django.db import migrations


def load(apps, schema_editor):
    from zhaoshang.core.calendar_load import YearNotPublished, official_days, package_source

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    year = 2004
    while True:
        try:
            days = official_days(year)
        except YearNotPublished:
            break
        if not CalendarYear.objects.filter(year=year).exists():
            CalendarDay.objects.bulk_create(
                [
                    CalendarDay(date=d.date, working=d.working, name=d.name, name_en=d.name_en, source=d.source)
                    for d in days
                ]
            )
            CalendarYear.objects.create(year=year, source=package_source())
        year += 1


class Migration(migrations.Migration):
    dependencies = [("core", "0006_calendar_clocks_deliveries")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
