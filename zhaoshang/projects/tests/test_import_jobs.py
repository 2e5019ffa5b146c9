"""Large imports run in the background (core/import_jobs.py), shown here with the projects' import.

A file of more rows than are imported in the request becomes a job: the user is sent to its page, which follows
its progress and refreshes itself until the result; the job saves all rows or none, keeps its errors for the
report, is seen only by its user and administrators, and runs in a worker with Redis, in a thread without.
"""

import io
import re
import threading
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from zhaoshang.accounts.models import Membership
from zhaoshang.core import import_jobs, tasks
from zhaoshang.core.choices import ImportPhase, ImportStatus
from zhaoshang.core.models import ImportJob, Notification
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.test_import import IMPORT_URL, english, row, workbook  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def background(settings, tmp_path):
    """Every file of more than one row goes to the background; its file waits in a temporary folder."""
    settings.ZHAOSHANG_IMPORT_INLINE_ROWS = 1
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def client_for(client_for):
    """Pages served in English, like the messages asserted here."""
    return lambda user: client_for(user, language="en")


def three_projects(team, **changes):
    return workbook(team, *(row(team, name=f"项目{n}", **changes) for n in range(3)))


def upload(client, file, django_capture_on_commit_callbacks):
    """Post the file; the job's start waits for the transaction to commit, as it would in a request."""
    with django_capture_on_commit_callbacks() as started:
        response = client.post(IMPORT_URL, {"file": file})
    return response, started


def test_a_large_file_becomes_a_job_whose_page_follows_it_until_its_result(
    city, outpost_a, officer_a, client_for, background, django_capture_on_commit_callbacks
):
    client = client_for(officer_a)

    response, started = upload(client, three_projects(outpost_a), django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.user, job.status, job.file_name, job.language) == (
        officer_a,
        ImportStatus.QUEUED,
        "projects.xlsx",
        "en",
    )
    assert len(started) == 1 and not Project.objects.exists()
    kept = background / job.file.name
    assert job.file.name.startswith("imports/") and kept.exists()  # kept in private storage meanwhile
    waiting = client.get(job.get_absolute_url())
    assert 'hx-trigger="every 2s"' in waiting.content.decode() and "Waiting to start" in waiting.content.decode()

    import_jobs.run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.rows_total, job.created_count, job.error_count) == (ImportStatus.DONE, 3, 3, 0)
    assert Project.objects.count() == 3
    assert not kept.exists() and not job.file  # deleted once imported
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "<html" not in text and "hx-trigger" not in text  # the result: the page stops asking
    assert "All 3 rows were imported: 3 new, 0 changed, 0 unchanged." in text
    assert Notification.objects.get(recipient=officer_a).url == job.get_absolute_url()
    assert job.file_name in client.get(IMPORT_URL).content.decode()  # the import page lists the user's jobs


@pytest.mark.parametrize(
    ("url_name", "importer"),
    [
        ("projects:project-import", "zhaoshang.projects.imports.ProjectImporter"),
        ("portal:staff-carrier-import", "zhaoshang.portal.forms.listings.CarrierImporter"),
        ("portal:staff-park-import", "zhaoshang.portal.forms.listings.ParkImporter"),
        ("stats:fdi-import", "zhaoshang.stats.imports.FDIImporter"),
    ],
)
def test_every_import_sends_a_large_file_to_the_background(city, admin_user, client_for, url_name, importer):
    rows = [["name"], *([f"第{n}行"] for n in range(3))]
    file = workbook_of(rows)

    response = client_for(admin_user).post(reverse(url_name), {"file": file})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.importer == importer


def test_the_job_writes_its_progress_as_it_reads_checks_and_saves(city, outpost_a, officer_a, monkeypatch):
    job = import_jobs.start(officer_a, _importer(), three_projects(outpost_a), title="projects")
    seen = []
    write = import_jobs.Progress.__call__

    def watched(self, phase, done, total):
        write(self, phase, done, total)
        seen.append(ImportJob.objects.values_list("status", "phase", "rows_total").get(pk=self.job_id))

    monkeypatch.setattr(import_jobs.Progress, "__call__", watched)

    import_jobs.run(job.pk)

    assert seen == [
        (ImportStatus.RUNNING, ImportPhase.CHECKING, 3),
        (ImportStatus.RUNNING, ImportPhase.SAVING, 3),
    ]


def test_a_running_job_shows_how_far_it_is_and_keeps_asking(city, outpost_a, officer_a, client_for):
    job = import_jobs.start(officer_a, _importer(), three_projects(outpost_a), title="projects")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, phase=ImportPhase.CHECKING, rows_total=100, rows_processed=40
    )

    page = client_for(officer_a).get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 2s"' in page and 'value="40" max="100"' in page
    assert "checking the rows" in page and "40 of 100 rows" in page


def test_a_job_with_a_bad_row_saves_nothing_and_keeps_its_error_report(city, outpost_a, officer_a, client_for):
    rows = [row(outpost_a, name="甲"), row(outpost_a, name="乙", where="火星区"), row(outpost_a, name="丙")]
    job = import_jobs.start(officer_a, _importer(), workbook(outpost_a, *rows), title="projects")

    import_jobs.run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.error_count) == (ImportStatus.FAILED, 1) and not Project.objects.exists()
    client = client_for(officer_a)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Nothing was imported" in page and 'data-row="3"' in page
    report = load_workbook(io.BytesIO(client.get(reverse("core:import-job-errors", args=[job.pk])).content))
    [error] = list(report.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert error[0] == 3 and "火星区" in error[2]


def test_a_job_is_seen_only_by_its_user_and_administrators(
    city, outpost_a, officer_a, officer_b, admin_user, client_for
):
    rows = [row(outpost_a, name="甲", where="火星区"), row(outpost_a, name="乙")]
    job = import_jobs.start(officer_a, _importer(), workbook(outpost_a, *rows), title="projects")
    import_jobs.run(job.pk)
    urls = [job.get_absolute_url(), reverse("core:import-job-errors", args=[job.pk])]

    assert [client_for(officer_b).get(url).status_code for url in urls] == [404, 404]
    assert [client_for(officer_a).get(url).status_code for url in urls] == [200, 200]
    assert [client_for(admin_user).get(url).status_code for url in urls] == [200, 200]
    assert not ImportJob.objects.restrict(officer_b).exists()
    assert job.file_name not in client_for(officer_b).get(reverse("core:import-jobs")).content.decode()
    assert job.file_name in client_for(officer_a).get(reverse("core:import-jobs")).content.decode()


def test_a_job_whose_user_may_no_longer_import_saves_nothing(city, outpost_a, officer_a):
    job = import_jobs.start(officer_a, _importer(), three_projects(outpost_a), title="projects")
    Membership.objects.filter(user=officer_a).delete()

    import_jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "no longer" in job.message
    assert not Project.objects.exists()


def test_a_job_runs_once_even_if_started_twice(city, outpost_a, officer_a):
    job = import_jobs.start(officer_a, _importer(), three_projects(outpost_a), title="projects")

    assert import_jobs.run(job.pk) is not None
    assert import_jobs.run(job.pk) is None
    assert Project.objects.count() == 3


def test_a_job_left_running_by_a_process_that_ended_is_shown_as_interrupted(city, outpost_a, officer_a, client_for):
    job = import_jobs.start(officer_a, _importer(), three_projects(outpost_a), title="projects")
    long_ago = timezone.now() - ImportJob.SILENT_FOR - timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started=long_ago, heartbeat=long_ago)

    page = client_for(officer_a).get(job.get_absolute_url()).content.decode()

    assert "interrupted" in page and "hx-trigger" not in page


def test_a_small_file_is_still_imported_in_the_request(city, outpost_a, officer_a, client_for, settings):
    settings.ZHAOSHANG_IMPORT_INLINE_ROWS = 1000

    response = client_for(officer_a).post(IMPORT_URL, {"file": three_projects(outpost_a)})

    assert response.status_code == 200 and response.context["result"].created == 3
    assert not ImportJob.objects.exists()


def test_a_workbook_over_the_limits_is_refused_in_the_request_and_makes_no_job(city, outpost_a, officer_a, client_for):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/media/image1.png", b"\0" * (20 * 1024 * 1024))

    response = client_for(officer_a).post(IMPORT_URL, {"file": SimpleUploadedFile("p.xlsx", bomb.getvalue())})

    assert response.status_code == 400
    assert "compressed" in response.content.decode() and "at most 200 to 1" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_large_file_over_the_limits_further_down_is_refused_by_its_job(city, outpost_a, officer_a, client_for):
    """The request scans only as far as it imports in the request; the job checks the whole file first."""
    wide = row(outpost_a, name="丙") + [None] * 300 + ["beyond column 256"]
    file = without_dimension(workbook(outpost_a, row(outpost_a, name="甲"), row(outpost_a, name="乙"), wide))

    response = client_for(officer_a).post(IMPORT_URL, {"file": file})
    job = ImportJob.objects.get()
    import_jobs.run(job.pk)

    job.refresh_from_db()
    assert response.status_code == 302 and job.status == ImportStatus.FAILED
    assert "at most 256 columns" in job.errors[0][2] and not Project.objects.exists()


def test_with_a_broker_the_job_goes_to_a_celery_worker(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(tasks.run_import, "delay", sent.append)

    assert import_jobs.dispatch(41) is None
    assert sent == [41]


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_job_runs_in_a_thread_after_the_request(
    city, outpost_a, officer_a, client_for, settings, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    threads = []
    dispatch = import_jobs.dispatch
    monkeypatch.setattr(import_jobs, "dispatch", lambda job_id: threads.append(dispatch(job_id)))

    response = client_for(officer_a).post(IMPORT_URL, {"file": three_projects(outpost_a)})

    assert response.status_code == 302
    [thread] = threads
    assert isinstance(thread, threading.Thread) and thread.name.startswith("import-")
    thread.join(timeout=120)
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert Project.objects.count() == 3


def workbook_of(rows, name="data.xlsx"):
    wb = Workbook()
    for values in rows:
        wb.active.append(values)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def without_dimension(upload):
    """The workbook without the <dimension> that states its size (a writer need not write one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(upload) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            target.writestr(name, content)
    return SimpleUploadedFile(upload.name, out.getvalue())


def _importer():
    from zhaoshang.projects.imports import ProjectImporter

    return ProjectImporter
