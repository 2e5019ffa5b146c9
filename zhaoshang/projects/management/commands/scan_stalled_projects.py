"""Flag stalled projects and notify their officers (for cron; Celery beat runs the same scan daily)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from zhaoshang.core.context import acting_as
from zhaoshang.projects.services import scan_stalled


class Command(BaseCommand):
    help = "Flag the projects past their stall thresholds, clear flags that no longer apply, notify the officers."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Judge as on this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = parse_date(date)
            except ValueError:
                today = None
            if today is None:
                raise CommandError(f"--date: not a date (YYYY-MM-DD): {date!r}")
        with acting_as(None, request_id="scan_stalled_projects"):
            result = scan_stalled(today)
        self.stdout.write(f"{result['flagged']} flagged, {result['cleared']} cleared, {result['open']} open")
