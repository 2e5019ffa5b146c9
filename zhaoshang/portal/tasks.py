"""Background jobs of the portal (Celery; in-process when no broker is configured)."""

from celery import shared_task

from .services.inquiries import flag_overdue

FLAG_OVERDUE_INQUIRIES = "portal.flag_overdue_inquiries"


@shared_task(name=FLAG_OVERDUE_INQUIRIES)
def flag_overdue_inquiries() -> dict[str, int]:
    """Count (and log) the inquiries past their first-response time, per team; the inbox flags them in red."""
    return flag_overdue()


ANONYMISE_INQUIRIES = "portal.anonymise_inquiries"


@shared_task(name=ANONYMISE_INQUIRIES)
def anonymise_inquiries() -> int:
    """Anonymise the personal data of closed inquiries past their retention period (docs/privacy.md)."""
    from zhaoshang.core.context import acting_as

    from .services.privacy import anonymise_expired

    with acting_as(None, request_id="anonymise_inquiries"):
        return anonymise_expired()
