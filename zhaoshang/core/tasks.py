"""Background jobs of the core (Celery; see core/import_jobs.py for how imports run without a broker)."""

from celery import shared_task

RUN_IMPORT = "core.run_import"


@shared_task(name=RUN_IMPORT)
def run_import(job_id: int) -> str | None:
    """Run a queued Excel import and record its result on its job."""
    from .import_jobs import run

    job = run(job_id)
    return job.status if job is not None else None
