"""A request declaring a body larger than allowed is refused (413) before the body is read."""

import pytest
from django.urls import reverse

from zhaoshang.industry.models import Enterprise


@pytest.fixture
def english_client(client_for, officer_a):
    return client_for(officer_a, language="en")


def declared(client, url, length: int, content_type: str):
    """A POST whose Content-Length says ``length`` while a few bytes are sent: only the declaration is judged."""
    return client.generic("POST", url, b"x" * 10, content_type=content_type, CONTENT_LENGTH=str(length))


def test_an_upload_declared_larger_than_the_limit_is_refused_unread(english_client, settings):
    settings.ZHAOSHANG_REQUEST_MAX_MB = 21

    response = declared(english_client, reverse("projects:project-import"), 22 * 1024 * 1024, "multipart/form-data")

    assert response.status_code == 413
    assert "22.0\xa0MB were sent; at most 21.0\xa0MB" in response.content.decode()


def test_a_body_other_than_an_upload_is_held_to_the_form_limit(english_client, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    api = declared(english_client, "/api/industry/enterprises/", 1001, "application/json")
    form = declared(english_client, reverse("projects:project-import"), 1001, "application/x-www-form-urlencoded")

    assert api.status_code == 413 and "at most 1000" in api.json()["detail"]
    assert form.status_code == 413
    assert not Enterprise.objects.exists()


def test_an_upload_within_the_limit_reaches_the_view(english_client):
    response = english_client.post(reverse("projects:project-import"), {})

    assert response.status_code == 400  # the form says a file is needed
