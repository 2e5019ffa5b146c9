"""Fire the clocks' reminders and escalations that have come (for cron; Celery beat runs the same scan every minute)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from zhaoshang.core import clocks
from zhaoshang.core.choices import ClockAlert
from zhaoshang.core.context import acting_as


def moment(value: str | None, option: str = "--at"):
    """``value`` (ISO 8601) as an aware moment; now when not given."""
    if not value:
        return timezone.now()
    try:
        at = parse_datetime(value)
    except ValueError:
        at = None
    if at is None:
        raise CommandError(f"{option}: not a date and time (e.g. 2026-03-02T09:00+08:00): {value!r}")
    return timezone.make_aware(at) if timezone.is_naive(at) else at


class Command(BaseCommand):
    help = "Fire the reminders and escalations of the clocks whose time has come, once each; print how many."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Judge at this moment (ISO 8601, e.g. 2026-03-02T09:00+08:00) instead of now.")

    def handle(self, *args, at=None, **options):
        now = moment(at)
        with acting_as(None, request_id="scan_clocks"), translation.override(settings.LANGUAGE_CODE):
            counts = clocks.scan(now)
        self.stdout.write(
            f"{counts[str(ClockAlert.REMINDER)]} reminders, {counts[str(ClockAlert.ESCALATION)]} escalations"
        )
