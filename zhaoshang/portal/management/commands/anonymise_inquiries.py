"""Anonymise closed inquiries past their retention period (for cron; Celery beat runs the same scan daily)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from zhaoshang.core.context import acting_as
from zhaoshang.portal.services.privacy import anonymise_expired


class Command(BaseCommand):
    help = "Anonymise the personal data of inquiries closed longer ago than ZHAOSHANG_INQUIRY_RETENTION_DAYS."

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
        with acting_as(None, request_id="anonymise_inquiries"):
            count = anonymise_expired(today)
        self.stdout.write(f"{count} anonymised")
