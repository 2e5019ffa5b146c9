"""The permission matrix: every restricted model, every page and API endpoint, every standard user, checked
against the table of docs/access.md.

The world (one user per role, one reference record per row: zhaoshang.core.testing.build_world) is built once
for the module inside a transaction rolled back at its end; each test runs in a savepoint of it. A model with
``restrict()`` that the table lacks, or a URL that is neither mapped to a model nor exempt, fails the meta-tests:
the next app cannot forget to say who may see its records.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from zhaoshang.core import audit
from zhaoshang.core.choices import Action
from zhaoshang.core.personal import mask_value, personal_fields
from zhaoshang.core.testing import (
    ACTION,
    CONFIDENTIAL_ROW,
    CREATE,
    DELETE,
    DETAIL,
    DOWNLOAD,
    EDIT,
    EXEMPT,
    EXPLICIT,
    EXPORT,
    HISTORY,
    IMPORT,
    LIST,
    LOOKUP,
    PUBLIC,
    ROLES,
    SUMMARY,
    build_world,
    model_of_row,
    policy_table,
    restricted_models,
    walk_urls,
)

TABLE = policy_table()
WALK = walk_urls()
# The endpoints that serve a record of a row, with the rows they are checked on (a project's: both projects).
ROWS_OF = {row.split(" ", 1)[0]: [] for row in TABLE}
for _row in TABLE:
    ROWS_OF[_row.split(" ", 1)[0]].append(_row)

# The models with a delete page or API endpoint: there, "c" is also the right to delete.
DELETABLE = {
    endpoint.model
    for endpoint in WALK.endpoints
    if endpoint.kind == DELETE or (endpoint.api and "delete" in endpoint.methods)
}

# What a list shows of each reference record, when not its name (or str() for a record without one).
MARKERS = {
    "projects.Activity": lambda obj: obj.summary,
    "portal.Inquiry": lambda obj: obj.company,
    "stats.FDIRecord": lambda obj: obj.enterprise.name,
    "stats.EventProject": lambda obj: obj.project.name,
    "core.ImportJob": lambda obj: obj.title,
    "geo.LocationFact": lambda obj: obj.text,
    "review.EnterpriseYear": lambda obj: obj.enterprise.name,
    "review.EvaluationResult": lambda obj: obj.enterprise.name,
    "chains.ChainValueAdded": lambda obj: obj.chain.name,
    "core.Delivery": lambda obj: obj.subject,  # notifications
    "services.EnterpriseRequest": lambda obj: obj.number,  # enterprise requests: a cell of their export
}
# Query strings that bring the reference record onto the first page of a long list.
LIST_QUERY = {
    "industry:code-list": {"q": "38"},
    "api:industry-code-list": {"q": "38"},
    "stats:records": {"metric": "leads", "period": "2025"},
    "api:project-speed": {"start": "2025-01-01", "end": "2026-12-31"},
}


def marker(row, obj) -> str:
    default = MARKERS.get(row.split(" ", 1)[0])
    return default(obj) if default else str(getattr(obj, "name", "") or obj)


# ---------------------------------------------------------------- the world, once per module


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction
    from django.test import override_settings
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from zhaoshang.industry.models import EnterpriseTag, IndustryCode
    from zhaoshang.industry.services import load_reference_data

    test_settings = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private"),  # the world's document: not left under var/
    )
    with django_db_blocker.unblock(), test_settings:
        if not IndustryCode.objects.exists() or not EnterpriseTag.objects.exists():
            load_reference_data(IndustryCode, EnterpriseTag)
        with transaction.atomic():
            built = build_world()
            for record in built.records.values():
                record._matrix_state = _state(record)  # what every refused request must leave as it was
            built.pages, built.apis = {}, {}
            for role, user in built.users.items():
                page, api = Client(), APIClient()
                if user is not None:
                    page.force_login(user)
                    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
                built.pages[role], built.apis[role] = page, api
            yield built
            transaction.set_rollback(True)


@pytest.fixture
def w(world, db):
    """The world, in a savepoint of its own for the test."""
    return world


# ---------------------------------------------------------------- meta-tests: nothing is left out


def test_every_model_with_restrict_has_a_row_in_the_table():
    labels = {model._meta.label for model in restricted_models()}
    rows = {row.split(" ", 1)[0] for row in TABLE}
    assert labels - rows == set(), "add these models to the table of docs/access.md"
    assert rows - labels == set(), "these rows of docs/access.md name no restricted model"
    assert CONFIDENTIAL_ROW in TABLE


def test_every_page_and_api_endpoint_is_mapped_to_a_model_or_exempt():
    assert WALK.unmapped == [], "map these URLs in core.testing.EXPLICIT (model, kind) or exempt them with a reason"
    names = {endpoint.name for endpoint in WALK.endpoints} | set(WALK.exempt)
    stale = (set(EXPLICIT) | set(EXEMPT)) - names
    assert stale == set(), "core.testing maps or exempts URLs that no longer exist"
    assert all(reason.strip() for reason in EXEMPT.values())


def test_every_mapped_endpoint_serves_a_model_of_the_table():
    models = {endpoint.model for endpoint in WALK.endpoints} - {"*"}
    assert models <= set(ROWS_OF)


def test_the_letters_of_the_table_are_those_the_records_have():
    """``p`` only where a record holds personal data (and on projects: their contacts), ``e`` only where the
    model has an export, ``k`` only on projects (the look-up)."""
    exported = {endpoint.model for endpoint in WALK.endpoints if endpoint.kind == EXPORT}
    for row, cells in TABLE.items():
        model = model_of_row(row)
        letters = set().union(*cells.values())
        if not personal_fields(model) and model._meta.label != "projects.Project":
            assert "p" not in letters, row
        if model._meta.label not in exported:
            assert "e" not in letters, row
        if model._meta.label != "projects.Project":
            assert "k" not in letters, row


# ---------------------------------------------------------------- the querysets


@pytest.mark.parametrize("row", list(TABLE))
def test_restrict_answers_as_the_table(w, row):
    """``restrict()`` for every action, as each role's cell of the row says (all wrong cells at once)."""
    obj = w.records[row]
    model = type(obj)
    wrong = {}
    for role in ROLES:
        letters = TABLE[row][role]
        user = w.users[role]

        def can(action, user=user):
            return model._default_manager.restrict(user, action).filter(pk=obj.pk).exists()

        found = {"r": can(Action.VIEW), "k": can(Action.LOOKUP), "c": can(Action.CHANGE)}
        expected = {"r": "r" in letters, "k": bool({"k", "r"} & letters), "c": "c" in letters}
        if model._meta.label in DELETABLE:
            found["delete"], expected["delete"] = can(Action.DELETE), "c" in letters
        if personal_fields(model) or model._meta.label == "projects.Project":
            found["p"] = can(Action.PERSONAL)
            expected["p"] = "p" in letters
        if found != expected:
            wrong[role] = {key: found[key] for key in found if found[key] != expected[key]}
    assert wrong == {}, f"{row}: restrict() answers (role: {{action: answer}}) against the table"


# ---------------------------------------------------------------- the endpoints


def _key_kwargs(endpoint, w, row):
    """The URL's keyword arguments naming the row's reference record (or its parent: a project's contacts)."""
    obj = w.records[row]
    key = obj
    if endpoint.parent:
        key = getattr(obj, endpoint.parent.split(".")[1].lower())
    pattern_names = set(re.findall(r"<(?:\w+:)?(\w+)>", endpoint.route)) | set(
        re.findall(r"\(\?P<(\w+)>", endpoint.route)
    )
    kwargs = {}
    for name in pattern_names - {"format"}:
        if name == "pk":
            kwargs[name] = key.pk
        elif name == "link_pk":
            kwargs[name] = obj.pk
        elif name in ("fmt",):
            kwargs[name] = "svg"
        elif name == "kind":
            kwargs[name] = "xlsx"
        else:
            kwargs[name] = getattr(key, name)
    return kwargs


def _url(endpoint, w, row):
    kwargs = _key_kwargs(endpoint, w, row)
    url = reverse(endpoint.name, kwargs=kwargs or None)
    return url, bool(kwargs)


def _cases():
    return [pytest.param(endpoint, id=endpoint.name) for endpoint in WALK.endpoints if endpoint.kind != HISTORY]


def _body(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell) for sheet in book.worksheets for line in sheet.iter_rows(values_only=True) for cell in line
        )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _shows(response, text) -> bool:
    body = _body(response)
    return text in body or escape(text) in body


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def _state(obj):
    """What a refused write must leave as it was: the record's row, every column (None once deleted)."""
    return type(obj)._base_manager.filter(pk=obj.pk).values().first()


@pytest.mark.parametrize("endpoint", _cases())
def test_endpoint_answers_as_the_table(w, endpoint):
    """Every role asks the endpoint about every reference record it serves; all wrong answers are listed."""
    wrong = []
    for role in ROLES:
        for row in ROWS_OF[endpoint.model]:
            try:
                _check(endpoint, role, row, w)
            except AssertionError as error:
                wrong.append(str(error).splitlines()[0])
    assert not wrong, "\n".join(wrong)


def _check(endpoint, role, row, w):
    letters = TABLE[row][role]
    key_row = row if not endpoint.parent else ROWS_OF[endpoint.key_model][0]
    key_letters = TABLE[key_row][role]  # of the record the URL names (a project's, for its contacts' page)
    obj = w.records[row]
    client = w.apis[role] if endpoint.api else w.pages[role]
    url, keyed = _url(endpoint, w, row)
    anonymous = role == "anonymous"

    def where(response=None):
        status = f" → {response.status_code}" if response is not None else ""
        return f"{endpoint} {row} as {role}: {url}{status}"

    if endpoint.kind == PUBLIC:  # the portal's pages and API: what anonymous investors read (public_q)
        if anonymous and keyed and (not endpoint.methods or "get" in endpoint.methods):
            response = client.get(url)
            assert response.status_code == (200 if "r" in letters else 404), where(response)
        return

    if anonymous and not endpoint.api:  # every staff page sends the anonymous to the login page
        response = client.get(url)
        assert _is_login_redirect(response), where(response)
        return

    if endpoint.kind in (LIST, SUMMARY, EXPORT, LOOKUP):
        query = LIST_QUERY.get(endpoint.name)
        if endpoint.kind == LOOKUP:  # the look-up answers a question: the enterprise's name
            query = {"search" if endpoint.api else "q": obj.enterprise.name}
        response = client.get(url, query)
        if keyed and "r" not in key_letters:  # a list of a record's records (an event's projects)
            assert response.status_code in _refusals(key_letters, anonymous), where(response)
            return
        if endpoint.kind == EXPORT:
            wanted = "e" in letters
        elif endpoint.kind == LOOKUP:
            wanted = bool({"k", "r"} & letters)
        else:
            wanted = "r" in letters
        if anonymous and response.status_code in (401, 403):
            return  # the API asks the anonymous to sign in: stricter than the table, never wider
        if not wanted:
            assert response.status_code in (200, 403), where(response)
            if response.status_code == 200:
                assert not _lists(response, endpoint, row, obj), f"{where(response)}: listed"
            return
        assert response.status_code == 200, where(response)
        if endpoint.kind == SUMMARY:
            return  # a summary shows some of the records the user reads (their own work, duplicates)
        assert _lists(response, endpoint, row, obj), f"{where(response)}: not listed"
        if endpoint.kind == LOOKUP:
            body = _body(response)
            assert str(obj.get_stage_display()) in body and obj.owner_team.name in body, where(response)
            if "r" not in letters:  # look-up only: no amounts, no people
                assert "87654" not in body, f"{where(response)}: the planned investment shown"
                assert "矩阵经理" not in body and "13812345678" not in body, f"{where(response)}: a contact shown"
        return

    if endpoint.kind in (DETAIL, DOWNLOAD):
        response = client.get(url)
        if anonymous and response.status_code in (401, 403):
            return
        if "r" not in letters and _closed_to(client, endpoint, w, row, response):
            return
        assert response.status_code == (200 if "r" in letters else 404), where(response)
        if endpoint.api and "delete" in endpoint.methods and "c" not in letters:
            response = client.patch(url, {}, format="json")
            _refused(response, letters, obj, where(response), anonymous)
            response = client.delete(url)
            _refused(response, letters, obj, where(response), anonymous)
        return

    if endpoint.kind in (EDIT, DELETE):
        response = client.get(url)
        if "r" not in letters and _closed_to(client, endpoint, w, row, response):
            return
        assert response.status_code == _expected_write(letters), where(response)
        if "c" not in letters:
            response = client.post(url, {})
            _refused(response, letters, obj, where(response), anonymous)
        return

    if endpoint.kind == CREATE:
        if not endpoint.parent:
            return  # adding a record is a right of the user's teams, not of the reference record (can_add)
        response = client.get(url)
        assert response.status_code == _expected_write(key_letters), where(response)
        if "c" not in key_letters:
            before = type(obj)._base_manager.count()
            response = client.post(url, {})
            _refused(response, key_letters, obj, where(response), anonymous)
            assert type(obj)._base_manager.count() == before, where(response)
        return

    if endpoint.kind == ACTION:
        if "c" in key_letters:
            return  # the action's own tests send it valid data
        response = client.post(url, {}, format="json") if endpoint.api else client.post(url, {})
        _refused(response, key_letters, obj, where(response), anonymous)
        return

    if endpoint.kind == IMPORT:
        return  # importing files records for the user's teams (tested by each importer): not record-level

    raise AssertionError(f"no check for {where()}")


def _closed_to(client, endpoint, w, row, response) -> bool:
    """Whether a 403 is the page closed to the user whatever the record (statistics to an outpost): the same
    address naming no record answers 403 too, so it tells nothing of the record."""
    if response.status_code != 403:
        return False
    kwargs = {
        name: 10**8 if isinstance(value, int) else "999999"
        for name, value in _key_kwargs(endpoint, w, row).items()
        if name not in ("fmt", "kind")
    }
    return client.get(reverse(endpoint.name, kwargs=kwargs)).status_code == 403


def _lists(response, endpoint, row, obj) -> bool:
    """Whether the answer shows the record: its key among the API's objects, its name on a page or in a file (a
    look-up: its enterprise)."""
    if endpoint.kind == LOOKUP:  # a row of the look-up: the enterprise's credit code (the query echoes its name)
        return obj.enterprise.uscc in _body(response)
    if endpoint.api and response.get("Content-Type", "").startswith("application/json"):
        return _has_key(response.json(), obj)
    return _shows(response, marker(row, obj))


KEY_FIELDS = ("id", "pk", "adcode", "code", "token")


def _has_key(data, obj) -> bool:
    """Whether a JSON answer lists an object whose key (id, adcode, code, token) is the record's: the answer's own
    objects (a page of results, a GeoJSON collection's features, one object), never the objects nested in them."""
    if isinstance(data, dict) and "results" in data:
        data = data["results"]
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
        data = [{**(feature.get("properties") or {}), "id": feature.get("id")} for feature in data["features"]]
    objects = data if isinstance(data, list) else [data]
    return any(
        name in item and hasattr(obj, name) and str(item[name]) == str(getattr(obj, name))
        for item in objects
        if isinstance(item, dict)
        for name in KEY_FIELDS
    )


def _refusals(letters, anonymous) -> tuple[int, ...]:
    if anonymous:
        return (401, 403, 404)
    return (403,) if "r" in letters else (404,)


def _expected_write(letters) -> int:
    return 200 if "c" in letters else 403 if "r" in letters else 404


def _refused(response, letters, obj, where, anonymous=False):
    assert response.status_code in _refusals(letters, anonymous), where
    assert _state(obj) == obj._matrix_state, f"{where}: a refused request changed the record"


# ---------------------------------------------------------------- history pages


@pytest.mark.parametrize("row", [row for row in TABLE if audit.is_audited(model_of_row(row))])
def test_history_page_answers_as_the_table(w, row):
    obj = w.records[row]
    content_type = ContentType.objects.get_for_model(type(obj))
    url = reverse("core:object-history", args=[content_type.pk, obj.pk])
    answers = {role: w.pages[role].get(url) for role in ROLES}
    assert _is_login_redirect(answers.pop("anonymous"))
    found = {role: response.status_code for role, response in answers.items()}
    assert found == {role: 200 if "r" in TABLE[row][role] else 404 for role in answers}


# ---------------------------------------------------------------- personal data


def _contact_pages(w):
    contact = w.records["projects.Contact"]
    ct = ContentType.objects.get_for_model(contact)
    return contact, [
        (False, reverse("projects:project-detail", args=[contact.project_id])),
        (False, reverse("core:object-history", args=[ct.pk, contact.pk])),
    ]


def _inquiry_pages(w):
    inquiry = w.records["portal.Inquiry"]
    ct = ContentType.objects.get_for_model(inquiry)
    return inquiry, [
        (False, reverse("portal:inquiry-inbox")),
        (False, reverse("portal:inquiry-detail", args=[inquiry.pk])),
        (False, reverse("core:object-history", args=[ct.pk, inquiry.pk])),
        (True, reverse("api:inquiry-list")),
        (True, reverse("api:inquiry-detail", args=[inquiry.pk])),
    ]


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
@pytest.mark.parametrize("row", ["projects.Contact", "portal.Inquiry"])
def test_personal_data_are_in_clear_only_for_p_and_masked_for_the_other_readers(w, row, role):
    record, pages = (_contact_pages if row == "projects.Contact" else _inquiry_pages)(w)
    letters = TABLE[row][role]
    if "r" not in letters:
        return  # not seen at all: the endpoint test holds the 404s
    clear = [getattr(record, name) for name in personal_fields(type(record)) if getattr(record, name)]
    for api, url in pages:
        response = (w.apis if api else w.pages)[role].get(url)
        assert response.status_code == 200, url
        body = json.dumps(response.json(), ensure_ascii=False) if api else response.content.decode()
        shown = [value if "p" in letters else mask_value(value) for value in clear]
        assert any(value in body or escape(value) in body for value in shown), f"{url}: {shown} not shown to {role}"
        if "p" not in letters:
            for value in clear:
                assert value not in body and escape(value) not in body, f"{url}: {value} in clear for {role}"
