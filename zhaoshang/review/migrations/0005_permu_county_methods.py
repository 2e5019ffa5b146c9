"""Data: the county's two per-mu evaluation methods (规上, 规下), from DOMAIN's published formula, for the year
before the platform's first (benchmarks are re-set every year: the centre copies and edits them)."""

from django.db import migrations

SEED_YEAR = 2025


def seed(apps, schema_editor):
    from zhaoshang.review.services.permu import seed_county_methods

    seed_county_methods(apps.get_model("review", "EvaluationMethod"), apps.get_model("review", "MethodIndicator"), SEED_YEAR)


def unseed(apps, schema_editor):
    apps.get_model("review", "EvaluationMethod").objects.filter(year=SEED_YEAR, runs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("review", "0004_permu")]

    operations = [migrations.RunPython(seed, unseed)]
