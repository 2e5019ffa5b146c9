"""Celery application. With REDIS_URL unset, tasks run in-process (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")

app = Celery("zhaoshang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
