from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace every record and uploaded file with those of a backup (all or nothing; a backup whose checksums "
        "do not match is refused and nothing is changed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by `manage.py backup`")
        parser.add_argument("--yes", action="store_true", help="confirm that the current records are replaced")

    def handle(self, *args, path, yes=False, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"no backup file at {source}")
        if not yes:
            raise CommandError("restore replaces every record: run again with --yes to confirm")
        try:
            restore(source)
        except BackupError as error:
            raise CommandError(f"{error}. Nothing was changed.") from error
        self.stdout.write(f"restored from {source}")
