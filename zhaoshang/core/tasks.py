"""Background jobs of the core (Celery; see core/import_jobs.py for how imports run without a broker)."""

from celery import shared_task

RUN_IMPORT = "core.run_import"


@shared_task(name=RUN_IMPORT)
def run_import(job_id: int) -> str | None:
    """Run a queued Excel import and record its result on its job."""
    from .import_jobs import run

    job = run(job_id)
    return job.status if job is not None else None


SEND_NOTIFICATIONS = "core.send_notifications"


@shared_task(name=SEND_NOTIFICATIONS)
def send_notifications() -> dict[str, int]:
    """Send the e-mails and webhook messages whose time has come (after each commit that queued one; every minute)."""
    from .notifications import send_pending

    return send_pending()


SCAN_CLOCKS = "core.scan_clocks"


@shared_task(name=SCAN_CLOCKS)
def scan_clocks() -> dict[str, int]:
    """Fire the clocks' reminders and escalations that have come (every minute); the timed records notify."""
    from django.conf import settings
    from django.utils import translation

    from . import clocks
    from .context import acting_as

    with acting_as(None, request_id="scan_clocks"), translation.override(settings.LANGUAGE_CODE):
        return clocks.scan()
