"""Background jobs of the project pipeline (Celery; in-process when no broker is configured)."""

from celery import shared_task

from .services import scan_stalled

SCAN_STALLED_PROJECTS = "projects.scan_stalled_projects"


@shared_task(name=SCAN_STALLED_PROJECTS)
def scan_stalled_projects() -> dict[str, int]:
    """Flag the projects stalled today, clear the flags of those that moved on, notify the officers (daily)."""
    return scan_stalled()
