"""Password guessing is refused, and sessions end when idle or old.

After the configured number of wrong passwords for one account from one address, that account is refused from
that address, even with the right password, with a message on the login page (and the admin's); another account
from the address and the account from another address log in; after the cool-off the account logs in again; the
lockout is in the audit log. A session idle for longer than the idle timeout is logged out, an active one kept.
"""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import translation

from zhaoshang.accounts import middleware
from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.tests.factories import PASSWORD, member
from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.models import ChangeRecord

LOGIN = reverse("accounts:login")
HOME = reverse("core:home")
GUESSER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


@pytest.fixture(autouse=True)
def three_tries(settings):
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture
def alice(outpost_a):
    return member(outpost_a, Role.OFFICER, username="alice")


@pytest.fixture
def bob(outpost_a):
    return member(outpost_a, Role.OFFICER, username="bob")


def log_in(username, password, address=GUESSER, url=LOGIN):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(url, {"username": username, "password": password})
    return client, response


def guess(username, times=3, address=GUESSER, url=LOGIN):
    for _ in range(times):
        log_in(username, "wrong-password", address, url)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_after_the_limit_of_wrong_passwords_even_the_right_one_is_refused_with_a_message(alice):
    _client, response = log_in("alice", "wrong-password")
    assert response.status_code == 200  # a wrong password: the form again, not yet a lockout
    guess("alice", times=2)
    client, response = log_in("alice", PASSWORD)
    assert response.status_code == 429 and not logged_in(client)
    with translation.override("en"):
        assert "Too many wrong passwords" in response.content.decode()


def test_the_lockout_holds_one_account_at_one_address(alice, bob):
    guess("alice")
    client, response = log_in("bob", PASSWORD)  # another account from the same address
    assert response.status_code == 302 and logged_in(client)
    client, response = log_in("alice", PASSWORD, address=ELSEWHERE)  # the account from another address
    assert response.status_code == 302 and logged_in(client)


def test_after_the_cool_off_the_account_logs_in_again(alice, settings):
    guess("alice")
    assert log_in("alice", PASSWORD)[1].status_code == 429
    # the clock moves past the cool-off: the failures are that much older
    past = timedelta(minutes=settings.AXES_COOLOFF_TIME.total_seconds() / 60 + 1)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - past)
    client, response = log_in("alice", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_the_lockout_is_in_the_audit_log_that_administrators_read(alice, admin_user, client_for):
    guess("alice", times=5)  # refused attempts during the lockout are not recorded again
    records = ChangeRecord.objects.filter(action=ChangeKind.LOCKOUT)
    assert records.count() == 1
    record = records.get()
    assert record.object_id == str(alice.pk) and record.after["ip_address"] == GUESSER
    assert record.after["username"] == "alice" and record.after["failures"] == 3
    log = client_for(admin_user).get(reverse("core:audit-log"))
    assert log.status_code == 200 and "alice" in log.content.decode()


def test_guessing_an_unknown_account_is_refused_and_audited_too(db):
    guess("nobody")
    assert log_in("nobody", "x")[1].status_code == 429
    assert ChangeRecord.objects.filter(action=ChangeKind.LOCKOUT, after__username="nobody").exists()


def test_the_admin_login_refuses_with_the_message_too(alice):
    admin_login = reverse("admin:login")
    guess("alice", url=admin_login)
    _client, response = log_in("alice", PASSWORD, url=admin_login)
    assert response.status_code == 429
    with translation.override("en"):
        assert "Too many wrong passwords" in response.content.decode()


# ---------------------------------------------------------------- sessions


def test_an_idle_session_is_logged_out_and_an_active_one_kept(alice, bob, settings, monkeypatch):
    settings.ZHAOSHANG_SESSION_IDLE_MINUTES = 120
    idle, _response = log_in("alice", PASSWORD)
    active, _response = log_in("bob", PASSWORD)
    start = time.time()
    clock = {"now": start}
    monkeypatch.setattr(middleware.time, "time", lambda: clock["now"])
    for minutes in (30, 60, 90, 120, 150):  # bob works every half hour; alice has gone
        clock["now"] = start + minutes * 60
        assert active.get(HOME).status_code == 200
    assert logged_in(active)
    response = idle.get(HOME)
    assert response.status_code == 302 and LOGIN in response["Location"]
    assert not logged_in(idle)


def test_a_session_ends_after_its_maximum_age_however_active(alice, settings, monkeypatch):
    settings.ZHAOSHANG_SESSION_MAX_HOURS = 12
    client, _response = log_in("alice", PASSWORD)
    start = time.time()
    clock = {"now": start}
    monkeypatch.setattr(middleware.time, "time", lambda: clock["now"])
    for hours in range(1, 13):
        clock["now"] = start + hours * 3600 - 60
        assert client.get(HOME).status_code == 200
    clock["now"] = start + 12 * 3600 + 60
    assert client.get(HOME).status_code == 302 and not logged_in(client)


def test_the_last_activity_is_written_at_most_once_a_minute(alice, monkeypatch):
    client, _response = log_in("alice", PASSWORD)
    seen = client.session[middleware.SEEN_AT]
    monkeypatch.setattr(middleware.time, "time", lambda: seen + 30)
    client.get(HOME)
    assert client.session[middleware.SEEN_AT] == seen  # not saved again within the minute
    monkeypatch.setattr(middleware.time, "time", lambda: seen + 61)
    client.get(HOME)
    assert client.session[middleware.SEEN_AT] == seen + 61
