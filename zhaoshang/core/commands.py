"""A periodic scan as a management command, for cron (Celery beat runs the same scan): judged as on a day.

``--date YYYY-MM-DD`` judges as on that day instead of today; the scan runs as the system, its change records
under the command's name as request id. A command says what it scans in ``scan(today)`` and returns the line it
prints.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from .context import acting_as


class DatedScanCommand(BaseCommand):
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
        with acting_as(None, request_id=self.__module__.rsplit(".", 1)[-1]):
            self.stdout.write(self.scan(today))

    def scan(self, today) -> str:
        raise NotImplementedError
