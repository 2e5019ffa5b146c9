"""Large Excel imports run in the background, one mechanism for every importer (see ``ImportJob``).

``excel.ImportView`` imports a workbook of at most ``ZHAOSHANG_IMPORT_INLINE_ROWS`` rows in the request, as
before; a larger one is kept in private storage and ``start`` makes a job of it, and the user is sent to the
job's page, which follows its progress (rows read, rows checked, saving) and shows its result: the counts, or
the row-by-row errors and their report. The import itself is the same ``ModelImporter.run``, all or nothing.

Where the job runs:

- With Redis (``REDIS_URL``), a Celery worker runs ``core.run_import`` (``core/tasks.py``).
- In the embedded default (no broker: Celery tasks run eagerly, in the caller), the job runs in a thread of the
  web process, started once the request's transaction has committed, so that the request answers at once and
  the page shows the progress. Should the process end first (a restart), the job stops without saving anything
  (its transaction is rolled back) and its page says it was interrupted, derived from its last progress.

A job re-checks, when it runs, that its user is active and may still add records of the importer's model; each
row is then checked as in any import. Its changes are audited under the user, with ``import-<id>`` as request.
"""

from __future__ import annotations

import logging
import threading
import uuid
from time import monotonic

from django.conf import settings
from django.core.files import File
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import excel
from .choices import ImportPhase, ImportStatus
from .context import acting_as
from .models import ImportJob
from .notifications import notify

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 1.0  # at most one progress write a second


def importer_path(importer_class) -> str:
    return f"{importer_class.__module__}.{importer_class.__qualname__}"


def start(user, importer_class, upload, *, title, list_url: str = "") -> ImportJob:
    """Keep ``upload`` in private storage and queue its import by ``importer_class`` for ``user``."""
    job = ImportJob(
        user=user,
        importer=importer_path(importer_class),
        title=str(title)[:200],
        file_name=(getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:255],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        list_url=list_url,
    )
    upload.seek(0)
    job.file.save(f"{uuid.uuid4().hex}{'.csv' if excel.is_csv(upload) else '.xlsx'}", upload, save=False)
    job.save()
    enqueue(job.pk)
    return job


def enqueue(job_id: int) -> None:
    """Run the job once the current transaction has committed (at once outside one)."""
    transaction.on_commit(lambda: dispatch(job_id))


def dispatch(job_id: int) -> threading.Thread | None:
    """To a Celery worker; in the embedded default to a thread of this process (returned, for tests to join)."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        from .tasks import run_import

        run_import.delay(job_id)
        return None
    thread = threading.Thread(target=_run_in_thread, args=(job_id,), name=f"import-{job_id}", daemon=True)
    thread.start()
    return thread


def _run_in_thread(job_id: int) -> None:
    try:
        run(job_id)
    except Exception:  # pragma: no cover - run records its failures; this is the last resort of a thread
        logger.exception("import job %s failed", job_id)
    finally:
        connections.close_all()


class Progress:
    """The importer's progress callback: writes the job's phase and rows, at most once a second per phase."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.phase = None
        self.written = 0.0

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now = monotonic()
        if phase == self.phase and now - self.written < PROGRESS_SECONDS:
            return
        self.phase, self.written = phase, now
        fields = {"phase": phase, "rows_processed": done, "heartbeat": timezone.now()}
        if total is not None:
            fields["rows_total"] = total
        ImportJob.objects.filter(pk=self.job_id).update(**fields)


def run(job_id: int) -> ImportJob | None:
    """Run a queued job (once: a job already taken by another worker is left alone) and record its result."""
    now = timezone.now()
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started=now, heartbeat=now
    ):
        return None
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(job.language):
        try:
            _import(job)
        except Exception as error:
            logger.exception("import job %s failed", job.pk)
            job.status = ImportStatus.FAILED
            job.message = _("The import stopped with an error; nothing was saved: %(error)s") % {"error": error}
        finally:
            job.finished = timezone.now()
            if job.file:
                job.file.delete(save=False)
            job.save()
        _tell(job)
    return job


def _import(job: ImportJob) -> None:
    importer_class = import_string(job.importer)
    user = job.user
    if not user.is_active or not importer_class.model.can_add(user):
        job.status = ImportStatus.FAILED
        job.message = _("You may no longer import %(what)s; nothing was saved.") % {"what": job.title}
        return
    with job.file.open("rb") as stream, acting_as(user, request_id=f"import-{job.pk}"):
        result = importer_class(user).run(File(stream, name=job.file_name), progress=Progress(job.pk))
    job.rows_total = result.rows
    job.phase = ImportPhase.SAVING
    job.error_count = result.error_count
    job.errors = [error.as_list() for error in result.errors]
    if result.ok:
        job.status = ImportStatus.DONE
        job.rows_processed = result.rows
        job.created_count, job.updated_count, job.unchanged_count = result.created, result.updated, result.unchanged
    else:
        job.status = ImportStatus.FAILED


def _tell(job: ImportJob) -> None:
    """Leave the user a notification: they may have left the job's page."""
    if job.status == ImportStatus.DONE:
        message = _("The import of %(what)s (%(file)s) is done: %(created)d new, %(updated)d changed.") % {
            "what": job.title,
            "file": job.file_name,
            "created": job.created_count,
            "updated": job.updated_count,
        }
    else:
        message = _("The import of %(what)s (%(file)s) saved nothing; its page says why.") % {
            "what": job.title,
            "file": job.file_name,
        }
    notify(job.user, message, job.get_absolute_url())
