"""The whole API, fuzzed: nothing anyone sends gives a server error, and every answer is what the schema says.

Schemathesis reads the OpenAPI schema at ``/api/schema/`` and calls every operation of it in-process (WSGI,
no server) with valid and invalid data, once anonymously and once as an officer of the centre, on the demo
city (loaded once for the module, rolled back at the end; each test's own writes are rolled back with it).
Every answer must be a non-5xx status the schema documents for the operation, of a documented content type,
with a body its schema accepts.

The run is bounded and reproducible: a fixed seed, deterministic generation, a few examples per operation
(``FUZZ_EXAMPLES``, default 6) and no example database. ``docs/testing.md`` tells how to run it alone.
"""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.pagination import PageNumberPagination
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Answers uncompressed: the in-process client does not undo the gzip that pages and the API apply.
PLAIN = {"Accept-Encoding": "identity"}
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261206,
        "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }
)
# Hypothesis's own settings: no deadline (the first call of an operation warms caches), no health checks that
# judge speed or filtering (the schema's own constraints decide what is generated).
FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


def load_schema():
    """The OpenAPI schema the app serves (as ``manage.py spectacular`` writes it), its calls going to the app
    in-process."""
    from drf_spectacular.generators import SchemaGenerator

    from zhaoshang.wsgi import application

    document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
    loaded = schemathesis.openapi.from_dict(document, config=CONFIG)
    loaded.app = application
    return loaded


@pytest.fixture(autouse=True)
def fuzzing_pace(settings, monkeypatch):
    """The fuzzer calls far faster than anyone may: rate limits would answer 429 for most of the run. Pages of
    five records walk the same code as pages of fifty, in a tenth of the time."""
    rates = {scope: "1000000/min" for scope in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(PageNumberPagination, "page_size", 5)


@pytest.fixture(autouse=True)
def one_connection():
    """Requests keep the test's database connection, as with Django's test client: the WSGI handler would close
    it when each request finishes (and with it the test's transaction, on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_token(demo, db):
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=demo.data["users"]["centre"])
    return token.key


schema = load_schema()


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_callers_get_no_server_error_and_only_documented_answers(case, demo, db):
    case.call_and_validate(checks=CHECKS, headers=PLAIN)


@schema.parametrize()
@FUZZ_SETTINGS
def test_an_officer_gets_no_server_error_and_only_documented_answers(case, officer_token):
    case.call_and_validate(checks=CHECKS, headers={**PLAIN, "Authorization": f"Token {officer_token}"})
