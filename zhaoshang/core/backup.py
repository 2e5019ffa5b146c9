"""Backup and restore of every record, as one compressed JSON file (portable between SQLite and PostgreSQL)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from django.apps import apps
from django.core import management
from django.db import transaction

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def backup(path: Path) -> Path:
    buffer = io.StringIO()
    management.call_command(
        "dumpdata",
        *[f"--exclude={label}" for label in EXCLUDED],
        natural_foreign=True,
        natural_primary=False,
        indent=None,
        stdout=buffer,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(buffer.getvalue())
    return path


@transaction.atomic
def restore(path: Path) -> None:
    """Replace every record with those in ``path``; all or nothing."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = handle.read()
    fixture = Path(path).with_suffix("").with_suffix(".restore.json")
    fixture.write_text(data, encoding="utf-8")
    try:
        models = [m for m in apps.get_models() if m._meta.app_label not in {"contenttypes", "sessions"}]
        models = [m for m in models if m._meta.label_lower not in {"auth.permission", "admin.logentry"}]
        for model in models:
            model._base_manager.all()._raw_delete(model._base_manager.db)
        management.call_command("loaddata", str(fixture), verbosity=0)
    finally:
        fixture.unlink(missing_ok=True)
