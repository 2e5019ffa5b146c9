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

# The look-up page and API arrive with the look-up branch: until they are routed, their cases are expected to fail.
LOOKUP_PENDING = pytest.mark.xfail(reason="look-up endpoint arrives with the look-up branch", strict=False)
LOOKUP_NAMES = ("projects:lookup", "api:project-lookup")

# What a list shows of each reference record, when not its str() (where a page cuts or composes it).
MARKERS = {
    "industry.IndustryCode": lambda obj: obj.name,
    "projects.Activity": lambda obj: obj.summary,
    "portal.Inquiry": lambda obj: obj.company,
    "stats.FDIRecord": lambda obj: obj.enterprise.name,
    "stats.EventProject": lambda obj: obj.project.name,
    "core.ImportJob": lambda obj: obj.title,
    "geo.Region": lambda obj: obj.name,
}
# Query strings that bring the reference record onto the first page of a long list.
LIST_QUERY = {
    "industry:code-list": {"q": "38"},
    "api:industry-code-list": {"search": "38"},
}


def marker(row, obj) -> str:
    return MARKERS.get(row.split(" ", 1)[0], str)(obj)


# ---------------------------------------------------------------- the world, once per module


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import override_settings
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from zhaoshang.industry.models import EnterpriseTag, IndustryCode
    from zhaoshang.industry.services import load_reference_data

    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hasher:
        if not IndustryCode.objects.exists() or not EnterpriseTag.objects.exists():
            load_reference_data(IndustryCode, EnterpriseTag)
        with transaction.atomic():
            built = build_world()
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
    stale = (set(EXPLICIT) | set(EXEMPT)) - names - set(LOOKUP_NAMES)
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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", list(TABLE))
def test_restrict_answers_as_the_table(w, row, role):
    obj = w.records[row]
    model = type(obj)
    letters = TABLE[row][role]
    user = w.users[role]

    def can(action):
        return model._default_manager.restrict(user, action).filter(pk=obj.pk).exists()

    found = {"r": can(Action.VIEW), "k": can(Action.LOOKUP), "c": can(Action.CHANGE)}
    expected = {"r": "r" in letters, "k": bool({"k", "r"} & letters), "c": "c" in letters}
    if model._meta.label in DELETABLE:
        found["delete"], expected["delete"] = can(Action.DELETE), "c" in letters
    if personal_fields(model) or model._meta.label == "projects.Project":
        found["p"] = can(Action.PERSONAL)
        expected["p"] = "p" in letters
    assert found == expected


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


def _url(endpoint, w, row, query=None):
    kwargs = _key_kwargs(endpoint, w, row)
    url = reverse(endpoint.name, kwargs=kwargs or None)
    return url, bool(kwargs)


def _cases():
    for endpoint in WALK.endpoints:
        if endpoint.kind in (HISTORY,):
            continue
        marks = [LOOKUP_PENDING] if endpoint.name in LOOKUP_NAMES else []
        for role in ROLES:
            yield pytest.param(endpoint, role, id=f"{endpoint.name}-{role}", marks=marks)
    for name in LOOKUP_NAMES:
        if name not in {endpoint.name for endpoint in WALK.endpoints}:
            for role in ROLES:
                yield pytest.param(name, role, id=f"{name}-{role}", marks=[LOOKUP_PENDING])


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
    return response.status_code == 302 and "login" in response["Location"]


def _state(obj):
    """What a refused write must leave as it was: the row's version (and that it still exists)."""
    row = type(obj)._base_manager.filter(pk=obj.pk).values().first()
    return row


@pytest.mark.parametrize(("endpoint", "role"), list(_cases()))
def test_endpoint_answers_as_the_table(w, endpoint, role):
    if isinstance(endpoint, str):
        pytest.fail(f"{endpoint} is not routed yet")
    for row in ROWS_OF[endpoint.model]:
        _check(endpoint, role, row, w)


def _check(endpoint, role, row, w):
    letters = TABLE[row][role]
    key_row = row if not endpoint.parent else ROWS_OF[endpoint.key_model][0]
    parent_letters = TABLE[key_row][role]
    obj = w.records[row]
    client = w.apis[role] if endpoint.api else w.pages[role]
    url, keyed = _url(endpoint, w, row)
    where = f"{endpoint} {row} as {role}: {url}"
    anonymous = role == "anonymous"

    if endpoint.kind == PUBLIC:
        if not anonymous or endpoint.methods and "get" not in endpoint.methods:
            return
        if not keyed:
            return
        response = client.get(url)
        expected = 200 if "r" in letters else 404
        assert response.status_code == expected, where
        return

    if anonymous and not endpoint.api:
        response = client.get(url)
        assert _is_login_redirect(response), where
        return

    if endpoint.kind in (LIST, SUMMARY, EXPORT, LOOKUP):
        query = LIST_QUERY.get(endpoint.name)
        if endpoint.kind == LOOKUP:
            query = {"q": obj.enterprise.name}
        if keyed and endpoint.parent:
            # a list of a parent's records (an event's projects): only for those who read the parent
            response = client.get(url, query)
            if "r" not in parent_letters:
                assert response.status_code in (401, 403, 404), where
                return
        else:
            response = client.get(url, query)
        if endpoint.kind == EXPORT:
            wanted = "e" in letters
        elif endpoint.kind == LOOKUP:
            wanted = bool({"k", "r"} & letters)
        else:
            wanted = "r" in letters
        if anonymous and response.status_code in (401, 403):
            assert not wanted, where
            return
        if endpoint.kind == SUMMARY or not wanted:
            assert response.status_code in (200, 403), where
            if response.status_code == 200:
                assert not _shows(response, marker(row, obj)), f"{where}: listed"
            return
        assert response.status_code == 200, where
        assert _shows(response, marker(row, obj)), f"{where}: not listed"
        if endpoint.kind == LOOKUP:
            assert _shows(response, obj.get_stage_display()) and _shows(response, obj.owner_team.name), where
            if "r" not in letters:  # look-up only: no amounts, no people
                assert "87654" not in _body(response), f"{where}: planned investment shown"
                assert "矩阵经理" not in _body(response) and "13812345678" not in _body(response), where
        return

    if endpoint.kind in (DETAIL, DOWNLOAD):
        response = client.get(url)
        if anonymous:
            expected = (200,) if "r" in letters else (401, 403, 404)
        else:
            expected = (200,) if "r" in letters else (404,)
        assert response.status_code in expected, where
        if endpoint.api and "delete" in endpoint.methods and "c" not in letters and not anonymous:
            _refused(client.delete(url), letters, obj, where)
            _refused(client.patch(url, {}, format="json"), letters, obj, where)
        return

    if endpoint.kind in (EDIT, DELETE):
        response = client.get(url)
        assert response.status_code == _expected_write(letters), where
        if "c" not in letters:
            _refused(client.post(url, {}), letters, obj, where)
        return

    if endpoint.kind == CREATE:
        if not endpoint.parent:
            return  # adding a record is a right of the user's teams, not of the reference record (can_add)
        response = client.get(url) if not endpoint.api else client.post(url, {})
        assert response.status_code == _expected_write(parent_letters), where
        if "c" not in parent_letters:
            before = type(obj)._base_manager.count()
            _refused(client.post(url, {}), parent_letters, obj, where)
            assert type(obj)._base_manager.count() == before, where
        return

    if endpoint.kind == ACTION:
        key_letters = parent_letters if endpoint.parent else letters
        if "c" in key_letters:
            return  # the action's own tests send it valid data
        if endpoint.api:
            response = client.post(url, {}, format="json")
        else:
            response = client.post(url, {})
        _refused(response, key_letters, obj, where)
        return

    if endpoint.kind == IMPORT:
        return  # importing files records for the user's teams (tested by each importer): not record-level

    raise AssertionError(f"no check for {where}")


def _expected_write(letters) -> int:
    return 200 if "c" in letters else 403 if "r" in letters else 404


def _refused(response, letters, obj, where):
    before = getattr(obj, "_matrix_state", None)
    if before is None:
        before = obj._matrix_state = _state(obj)
    assert response.status_code == (403 if "r" in letters else 404), where
    assert _state(obj) == before, f"{where}: a refused request changed the record"


# ---------------------------------------------------------------- history pages


def _audited_rows():
    for row in TABLE:
        if audit.is_audited(model_of_row(row)):
            for role in ROLES:
                yield pytest.param(row, role, id=f"{row}-{role}")


@pytest.mark.parametrize(("row", "role"), list(_audited_rows()))
def test_history_page_answers_as_the_table(w, row, role):
    obj = w.records[row]
    content_type = ContentType.objects.get_for_model(type(obj))
    response = w.pages[role].get(reverse("core:object-history", args=[content_type.pk, obj.pk]))
    if role == "anonymous":
        assert _is_login_redirect(response)
    else:
        assert response.status_code == (200 if "r" in TABLE[row][role] else 404)


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
    # the history shows the values of the records' changes: give the record one
    type(record)._base_manager.filter(pk=record.pk)  # (the world's records were created: their "created" rows)
    for api, url in pages:
        response = (w.apis if api else w.pages)[role].get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if api:
            body = json.dumps(response.json(), ensure_ascii=False)
        for value in clear:
            if "p" in letters:
                assert value in body or escape(value) in body, f"{url}: {value} not in clear for {role}"
            else:
                assert value not in body and escape(value) not in body, f"{url}: {value} in clear for {role}"
                masked = mask_value(value)
                assert masked in body or escape(masked) in body, f"{url}: {masked} not shown to {role}"
