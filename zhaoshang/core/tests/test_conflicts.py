"""A write that meets another ends in success or in the conflict message, never in a server error.

What counts as meeting another write (a stale version, a lock not had in time), and the answer of a page that has
no form to show again. The concurrent writes themselves are in projects/tests/test_concurrency.py.
"""

import sqlite3

import psycopg
import pytest
from django.db import IntegrityError, OperationalError
from django.urls import path

from zhaoshang import urls as project_urls
from zhaoshang.core.conflicts import ConflictError, atomic_write, is_lock_conflict
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.tests.factories import EnterpriseFactory


def wrapped(cause: Exception, kind=OperationalError) -> Exception:
    """``cause`` as Django hands it on: its own exception class, with the driver's error as its cause."""
    try:
        raise kind(*cause.args) from cause
    except kind as exc:
        return exc


def busy_sqlite_error(tmp_path) -> sqlite3.OperationalError:
    """The error SQLite gives a writer when another connection holds the write lock and it will not wait."""
    holder = sqlite3.connect(tmp_path / "busy.sqlite3", isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(tmp_path / "busy.sqlite3", timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        return exc
    finally:
        other.close()
        holder.close()
    raise AssertionError("the second writer was not refused")


def test_sqlite_refusing_a_writer_because_another_holds_the_lock_is_a_conflict(tmp_path):
    error = busy_sqlite_error(tmp_path)
    assert "database is locked" in str(error)
    assert is_lock_conflict(wrapped(error))


@pytest.mark.parametrize(
    "sqlstate",
    ["55P03", "40P01", "40001"],
    ids=["lock not available", "deadlock detected", "serialization failure"],
)
def test_postgresql_refusing_a_write_for_another_ones_lock_is_a_conflict(sqlstate):
    assert is_lock_conflict(wrapped(psycopg.errors.lookup(sqlstate)("refused")))


@pytest.mark.parametrize(
    "error",
    [
        wrapped(psycopg.errors.lookup("23505")("duplicate key"), IntegrityError),
        wrapped(psycopg.errors.lookup("57014")("canceling statement due to statement timeout")),
        wrapped(sqlite3.OperationalError("no such table: projects_project")),
        OperationalError("disk I/O error"),
        ValueError("database is locked"),
    ],
    ids=["unique violation", "statement timeout", "missing table", "disk error", "not a database error"],
)
def test_other_errors_are_not_conflicts(error):
    assert not is_lock_conflict(error)


def test_a_write_refused_for_a_lock_is_a_conflict_error_and_leaves_nothing_behind(db, tmp_path):
    prospect = EnterpriseFactory(name="北京某某航空有限公司")
    busy = wrapped(busy_sqlite_error(tmp_path))

    with pytest.raises(ConflictError) as raised, atomic_write(prospect):
        Enterprise.objects.filter(pk=prospect.pk).update(name="改了一半")
        raise busy

    assert raised.value.obj == prospect
    assert raised.value.__cause__ is busy
    prospect.refresh_from_db()
    assert prospect.name == "北京某某航空有限公司"


def test_any_other_database_error_passes_through_as_it_was(db):
    error = OperationalError("disk I/O error")
    with pytest.raises(OperationalError) as raised, atomic_write():
        raise error
    assert raised.value is error


# --- a page with no form to show again -------------------------------------------------------------------------


def writes_without_a_form(request):
    raise ConflictError()


def writes_past_the_lock_timeout(request):
    raise wrapped(psycopg.errors.lookup("55P03")("canceling statement due to lock timeout"))


urlpatterns = [
    path("conflict/", writes_without_a_form),
    path("locked/", writes_past_the_lock_timeout),
    *project_urls.urlpatterns,
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/conflict/", "/locked/"])
def test_a_page_whose_write_meets_another_answers_409_with_the_conflict_message(officer_a, client_for, url):
    client = client_for(officer_a)
    client.raise_request_exception = False

    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert "Someone else changed this record after you opened it" in response.content.decode()


def test_the_api_schema_says_that_every_write_may_answer_409(investor):
    schema = investor.get("/api/schema/", {"format": "json"}).json()

    transition = schema["paths"]["/api/projects/{id}/transition/"]["post"]
    reference = transition["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
    assert "409" in schema["paths"]["/api/projects/{id}/"]["patch"]["responses"]
    assert "409" not in schema["paths"]["/api/projects/{id}/"]["get"]["responses"]
    assert schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["required"] == ["detail"]
