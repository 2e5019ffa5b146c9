"""Celery application. With REDIS_URL unset, tasks run in-process (eager)."""

import os
import sys

from celery import Celery

from zhaoshang.core.env import ConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")

app = Celery("zhaoshang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if os.path.basename(sys.argv[0]) == "celery":  # a worker or beat: read the settings now, to fail in one line
    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018
    except ConfigError as exc:
        sys.stderr.write(f"configuration error: {exc}\n")
        sys.exit(2)
