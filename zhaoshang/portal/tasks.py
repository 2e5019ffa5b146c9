"""Background jobs of the portal (Celery; in-process when no broker is configured)."""

from celery import shared_task

from .services.inquiries import flag_overdue

FLAG_OVERDUE_INQUIRIES = "portal.flag_overdue_inquiries"


@shared_task(name=FLAG_OVERDUE_INQUIRIES)
def flag_overdue_inquiries() -> dict[str, int]:
    """Count (and log) the inquiries past their first-response time, per team; the inbox flags them in red."""
    return flag_overdue()
