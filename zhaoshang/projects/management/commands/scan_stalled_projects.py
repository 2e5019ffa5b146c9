"""Flag stalled projects and notify their officers (for cron; Celery beat runs the same scan daily)."""

from zhaoshang.core.commands import DatedScanCommand
from zhaoshang.projects.services import scan_stalled


class Command(DatedScanCommand):
    help = "Flag the projects past their stall thresholds, clear flags that no longer apply, notify the officers."

    def scan(self, today) -> str:
        result = scan_stalled(today)
        return f"{result['flagged']} flagged, {result['cleared']} cleared, {result['open']} open"
