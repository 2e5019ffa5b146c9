"""Send the e-mails and webhook messages whose time has come (for cron; Celery runs the same after each commit that
queues one, and every minute)."""

from django.core.management.base import BaseCommand

from zhaoshang.core.notifications import send_pending

from .scan_clocks import moment


class Command(BaseCommand):
    help = "Send the pending e-mails and webhook messages that are due, each once; print how many went out."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Judge at this moment (ISO 8601) instead of now.")
        parser.add_argument("--limit", type=int, default=1000, help="Send at most this many (default 1000).")

    def handle(self, *args, at=None, limit=1000, **options):
        counts = send_pending(moment(at), limit=max(limit, 1))
        self.stdout.write(f"{counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} given up")
