from django.apps import apps
from django.core.management.base import BaseCommand

from zhaoshang.core.context import acting_as
from zhaoshang.review.standards_seed import seed


class Command(BaseCommand):
    help = (
        "Create the admission-review standards that are missing (never overwrites an edited value) and put the "
        "districts and parks loaded since into their zones. Safe to run again; run it after load_regions."
    )

    def handle(self, *args, **options):
        with acting_as(None, request_id="load_standards"):
            created = seed(apps)
        summary = ", ".join(f"{key} {count}" for key, count in created.items())
        self.stdout.write(f"standards created or added: {summary}")
