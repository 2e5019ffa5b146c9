"""Print how many inquiries are past their first-response time, per team (for cron; Celery runs the same scan)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhaoshang.portal.services.inquiries import flag_overdue


class Command(BaseCommand):
    help = "Count the inquiries still without a first response after their due time, per team."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Judge at this moment (ISO 8601, e.g. 2026-03-02T09:00+08:00) instead of now.")

    def handle(self, *args, at=None, **options):
        now = timezone.now()
        if at:
            now = parse_datetime(at)
            if now is None:
                raise CommandError(f"--at: not a date and time: {at!r}")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        counts = flag_overdue(now)
        total = sum(counts.values())
        for team, count in counts.items():
            self.stdout.write(f"{team}: {count}")
        self.stdout.write(f"{total} overdue")
