"""Two officers writing the same project at the same moment: one of them wins, the other is told so.

Each trial sends two requests through the real pages or the API, from two logged-in officers in two threads
with their own database connections, released together by a barrier. Every answer is a success, the conflict
message or the refusal that the other's change makes right (the project is already at that stage); never a
server error. Afterwards the database is consistent: one history row and one change record per successful move,
one version per successful write. On SQLite the test database is a file, as on a server.
"""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.tests.factories import TeamFactory, member
from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.context import acting_as
from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.testing import at_once, file_database
from zhaoshang.core.testing import form_data as shared_form_data
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage, TransitionKind
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.factories import ProjectFactory

TRIALS = 12
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true"}
PAGE_CONFLICT = "Someone else changed this record after you opened it"
API_CONFLICT = "Someone else changed this record after you read it"
ALREADY_AT = "The project is already at"
ALREADY_DATED = "is already dated"

pytestmark = pytest.mark.django_db(transaction=True)


def today():
    return timezone.localdate()


@pytest.fixture
def officers(tmp_path, transactional_db):
    """Two officers of one outpost, each with a page session and an API token, on a database in a file."""
    with file_database(tmp_path / "concurrent.sqlite3"):
        team = TeamFactory(name="驻深圳招商联络处")
        yield team, [member(team, Role.OFFICER, username=f"officer_{n}") for n in (1, 2)]


def page_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.raise_request_exception = False
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def outcome(response) -> str:
    """What the officer was told: saved, conflict, refused (with the reason) or a server error."""
    text = response.content.decode()
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code == 302 or (response.status_code == 200 and 'data-testid="move-message"' in text):
        return "saved"
    if response.status_code == 200 and response.get("Content-Type", "").startswith("application/json"):
        return "saved"
    if PAGE_CONFLICT in text or (response.status_code == 409 and API_CONFLICT in text):
        return "conflict"
    for refusal in (ALREADY_AT, ALREADY_DATED):
        if refusal in text:
            return "refused"
    return f"unexpected {response.status_code}: {text[:300]}"


def project_updates(project):
    content_type = ContentType.objects.get_for_model(Project)
    return ChangeRecord.objects.filter(
        content_type=content_type, object_id=str(project.pk), action=ChangeKind.UPDATE
    ).order_by("pk")


def assert_history_matches_audit(project):
    """Each move or correction of the stage history has its change record, saying the same."""
    history = project.transitions.exclude(kind=TransitionKind.OPEN).order_by("pk")
    for row, record in zip(history, project_updates(project), strict=True):
        if row.kind == TransitionKind.CORRECT:
            assert record.after == {"signed_on": row.happened_on.isoformat()}
        else:
            assert (record.before["stage"], record.after["stage"]) == (row.from_stage, row.to_stage)


def state(project):
    """The project's version, its stage history (after opening) and its change records of updates."""
    project.refresh_from_db()
    moves = project.transitions.exclude(kind=TransitionKind.OPEN).count()
    return project.version, moves, project_updates(project).count()


def assert_one_wins(trials, *, others):
    """In every trial one request was saved and the other was told why not; the failures of all trials at once."""
    wrong = [outcomes for outcomes in trials if outcomes.count("saved") != 1 or set(outcomes) - {"saved", *others}]
    assert not wrong, f"{len(wrong)} of {len(trials)} trials went wrong: {wrong}"


def run_trials(make_project, requests, *, others, moves):
    """``TRIALS`` times: a new project, both requests at once; one success, and the history that goes with it."""
    trials = []
    for _trial in range(TRIALS):
        project = make_project()
        version, history, updates = state(project)
        outcomes = [outcome(response) for response in at_once(*requests(project))]
        trials.append(outcomes)
        assert state(project) == (version + 1, history + moves, updates + 1), outcomes
        if moves:
            assert_history_matches_audit(project)
    assert_one_wins(trials, others=others)


def two_moves(clients, project, **extra):
    url = reverse("projects:project-transition", args=[project.pk])
    data = {"to_stage": Stage.NEGOTIATION, "happened_on": today(), **extra.pop("data", {})}
    return [lambda client=client: client.post(url, data, **ENGLISH, **extra) for client in clients]


def test_two_officers_moving_a_card_on_the_board_at_once_never_see_a_server_error(officers):
    team, users = officers
    clients = [page_client(user) for user in users]
    run_trials(
        lambda: ProjectFactory(owner_team=team),
        lambda project: two_moves(clients, project, data={"board": "1"}, **HTMX),
        others=("conflict", "refused"),
        moves=1,
    )


def test_two_officers_submitting_the_stage_form_at_once_never_see_a_server_error(officers):
    team, users = officers
    clients = [page_client(user) for user in users]
    run_trials(
        lambda: ProjectFactory(owner_team=team),
        lambda project: two_moves(clients, project),
        others=("conflict", "refused"),
        moves=1,
    )


def test_two_officers_saving_the_same_project_form_at_once_one_is_told_of_the_conflict(officers):
    team, users = officers
    clients = [page_client(user) for user in users]

    def edits(project):
        url = reverse("projects:project-edit", args=[project.pk])
        forms = [client.get(url) for client in clients]
        return [
            lambda client=client, form=form, n=n: client.post(url, shared_form_data(form, name=f"改名{n}"), **ENGLISH)
            for n, (client, form) in enumerate(zip(clients, forms, strict=True))
        ]

    run_trials(lambda: ProjectFactory(owner_team=team), edits, others=("conflict",), moves=0)


def test_two_api_clients_moving_a_project_at_once_never_see_a_server_error(officers):
    team, users = officers
    clients = [api_client(user) for user in users]

    def moves(project):
        url = f"/api/projects/{project.pk}/transition/"
        data = {"to_stage": Stage.NEGOTIATION, "happened_on": today().isoformat()}
        return [lambda client=client: client.post(url, data, format="json", **ENGLISH) for client in clients]

    run_trials(lambda: ProjectFactory(owner_team=team), moves, others=("conflict", "refused"), moves=1)


def test_two_api_clients_correcting_a_date_at_once_never_see_a_server_error(officers):
    team, users = officers
    clients = [api_client(user) for user in users]

    def signed_project():
        project = ProjectFactory(owner_team=team, lead_on=today() - timedelta(days=60))
        with acting_as(users[0]):
            return services.transition(project, Stage.SIGNED, today() - timedelta(days=10), users[0])

    def corrections(project):
        url = f"/api/projects/{project.pk}/correct-date/"
        data = {"stage": Stage.SIGNED, "happened_on": (today() - timedelta(days=20)).isoformat()}
        return [lambda client=client: client.post(url, data, format="json", **ENGLISH) for client in clients]

    run_trials(signed_project, corrections, others=("conflict", "refused"), moves=1)


def test_two_api_clients_patching_the_same_version_at_once_one_is_told_of_the_conflict(officers):
    team, users = officers
    clients = [api_client(user) for user in users]

    def patches(project):
        url = f"/api/projects/{project.pk}/"
        return [
            lambda client=client, n=n: client.patch(
                url, {"name": f"改名{n}", "version": project.version}, format="json", **ENGLISH
            )
            for n, client in enumerate(clients)
        ]

    run_trials(lambda: ProjectFactory(owner_team=team), patches, others=("conflict",), moves=0)


# --- a lock held longer than the database waits ------------------------------------------------------------------


@contextmanager
def locked_by_someone_else(project):
    """Another connection writes the project and keeps its transaction open until the block ends.

    This thread's connection waits a tenth of a second for a lock instead of the configured seconds, so that a
    write meeting the open transaction is refused at once. SQLite locks the whole database, PostgreSQL the row.
    """
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Project.objects.filter(pk=project.pk).update(version=F("version"))
                locked.set()
                release.wait(timeout=60)
                transaction.set_rollback(True)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=60), "the other connection did not get the lock"
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA busy_timeout = 100")
            else:
                cursor.execute("SET lock_timeout = '100ms'")
        yield
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA busy_timeout = {connection.settings_dict['OPTIONS']['timeout'] * 1000}")
            else:
                cursor.execute("RESET lock_timeout")


@pytest.fixture
def busy_project(officers):
    """A signed project, and the two officers' page and API clients."""
    team, users = officers
    project = ProjectFactory(owner_team=team, lead_on=today() - timedelta(days=60))
    with acting_as(users[0]):
        project = services.transition(project, Stage.SIGNED, today() - timedelta(days=10), users[0])
    return project, page_client(users[0]), api_client(users[0])


def test_a_write_that_waits_too_long_for_the_lock_is_told_of_the_conflict_and_changes_nothing(busy_project):
    project, page, api = busy_project
    edit_url = reverse("projects:project-edit", args=[project.pk])
    edit_form = page.get(edit_url)
    before = state(project)
    move = {"to_stage": Stage.LAND, "happened_on": today().isoformat()}
    correction = {"stage": Stage.SIGNED, "happened_on": (today() - timedelta(days=20)).isoformat()}

    with locked_by_someone_else(project):
        api_move = api.post(f"/api/projects/{project.pk}/transition/", move, format="json", **ENGLISH)
        api_correction = api.post(f"/api/projects/{project.pk}/correct-date/", correction, format="json", **ENGLISH)
        api_patch = api.patch(
            f"/api/projects/{project.pk}/", {"name": "改名", "version": project.version}, format="json", **ENGLISH
        )
        board_move = page.post(
            reverse("projects:project-transition", args=[project.pk]), {**move, "board": "1"}, **HTMX, **ENGLISH
        )
        page_edit = page.post(edit_url, shared_form_data(edit_form, name="改名"), **ENGLISH)

    for response in (api_move, api_correction, api_patch):
        assert response.status_code == 409
        assert response.json() == {"detail": API_CONFLICT + "; read it again and retry."}
    for response in (board_move, page_edit):
        assert response.status_code == 200
        assert outcome(response) == "conflict"
    assert state(project) == before
    assert project.name != "改名"


def test_pages_and_the_api_read_while_someone_else_holds_the_write_lock(busy_project):
    """Reading takes no transaction: a page or API read never waits for a write, nor is refused because of one."""
    project, page, api = busy_project
    pages = [
        reverse("projects:board"),
        reverse("projects:project-list"),
        reverse("projects:project-detail", args=[project.pk]),
        reverse("projects:project-edit", args=[project.pk]),
        reverse("my-work"),
    ]

    with locked_by_someone_else(project):
        statuses = {url: page.get(url).status_code for url in pages}
        statuses["api list"] = api.get("/api/projects/").status_code
        statuses["api detail"] = api.get(f"/api/projects/{project.pk}/").status_code

    assert set(statuses.values()) == {200}, statuses
