from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from zhaoshang.core.backup import backup


class Command(BaseCommand):
    help = (
        "Write every record and uploaded file to one archive readable by its owner only, with a SHA-256 checksum "
        "per file (default: var/backups/zhaoshang-<time>.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="file to write")

    def handle(self, *args, path=None, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = Path(path) if path else Path(settings.VAR_DIR) / "backups" / f"zhaoshang-{stamp}.tar.gz"
        backup(target)
        self.stdout.write(f"backup written to {target}")
