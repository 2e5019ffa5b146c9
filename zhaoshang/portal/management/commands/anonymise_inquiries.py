"""Anonymise closed inquiries past their retention period (for cron; Celery beat runs the same scan daily)."""

from zhaoshang.core.commands import DatedScanCommand
from zhaoshang.portal.services.privacy import anonymise_expired


class Command(DatedScanCommand):
    help = "Anonymise the personal data of inquiries closed longer ago than ZHAOSHANG_INQUIRY_RETENTION_DAYS."

    def scan(self, today) -> str:
        return f"{anonymise_expired(today)} anonymised"
