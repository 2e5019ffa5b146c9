"""The admission-review standards as data (review.standards_seed): documents, zones, the 2011 and current sets,
the national tables, rejection lists and the 2002 → 2017 industry-code mapping. Districts and parks that exist
now are put into their zones; ``manage.py load_standards`` does it for those loaded later."""

from django.db import migrations

from zhaoshang.review.standards_seed import noop, seed


class Migration(migrations.Migration):
    dependencies = [("review", "0002_allocation"), ("geo", "0006_listing_address")]

    operations = [migrations.RunPython(seed, reverse_code=noop)]
