"""Notifications leave the platform: by e-mail (Django's backend; locmem in tests) and to webhooks (a real HTTP
receiver on 127.0.0.1), retried on a schedule, given up after the maximum, each sent once."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from zhaoshang.accounts.notifications import notify_team
from zhaoshang.core import notifications
from zhaoshang.core.choices import DeliveryChannel, DeliveryStatus
from zhaoshang.core.models import Delivery, Notification
from zhaoshang.core.notifications import notify, notify_webhook, send_pending
from zhaoshang.core.webhooks import link_label, payload

with translation.override(settings.LANGUAGE_CODE):
    OPEN = str(link_label())  # the link's words, in the language webhook messages are written in

# The sender's clock: later than any moment a test queues at (deliveries are due when queued).
T0 = timezone.make_aware(datetime(2100, 3, 2, 9, 0))


class Receiver:
    """A local webhook receiver: records each request; answers the first ``failures`` requests with ``failure``
    (500, or a WeCom error body), then ``{"errcode": 0}``."""

    def __init__(self):
        self.requests: list[dict] = []
        self.failures = 0
        self.failure = "500"
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append(
                        {"path": self.path, "content_type": self.headers.get("Content-Type"), "json": json.loads(body)}
                    )
                    failing = len(receiver.requests) <= receiver.failures
                if failing and receiver.failure == "500":
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b"server error")
                    return
                answer = {"errcode": 93000, "errmsg": "invalid webhook url"} if failing else {"errcode": 0}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=test-key"

    def fail_first(self, n: int, how: str = "500"):
        self.failures, self.failure = n, how

    @property
    def contents(self) -> list[str]:
        return [r["json"]["markdown"]["content"] for r in self.requests]


@pytest.fixture
def receiver():
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def site(settings):
    settings.ZHAOSHANG_SITE_URL = "https://zs.example.cn"
    settings.ZHAOSHANG_WEBHOOK_FORMAT = "wecom"
    settings.ZHAOSHANG_NOTIFY_MAX_ATTEMPTS = 6
    settings.ZHAOSHANG_NOTIFY_EMAIL = True


# ---------------------------------------------------------------- e-mail


def test_a_notification_also_goes_by_email_with_the_absolute_link(officer_a):
    notify(officer_a, "项目甲停滞超过90天\n请跟进", "/work/projects/7/")

    assert Notification.objects.filter(recipient=officer_a).count() == 1
    assert send_pending(T0) == {"sent": 1, "retry": 0, "failed": 0}
    [email] = mail.outbox
    assert email.to == [officer_a.email]
    assert email.subject == "项目甲停滞超过90天"
    assert "项目甲停滞超过90天\n请跟进" in email.body
    assert "https://zs.example.cn/work/projects/7/" in email.body
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.SENT, 1, T0)


def test_no_email_without_an_address_or_when_email_is_switched_off(officer_a, officer_b, settings):
    officer_a.email = ""
    officer_a.save()
    notify(officer_a, "one")
    settings.ZHAOSHANG_NOTIFY_EMAIL = False
    notify(officer_b, "two")

    assert Notification.objects.count() == 2
    assert not Delivery.objects.exists()


def test_a_long_first_line_is_shortened_for_the_subject(officer_a):
    notify(officer_a, "长" * 200)

    subject = Delivery.objects.get().subject
    assert len(subject) == 80 and subject.endswith("…")


def test_a_broken_mail_server_is_retried_then_given_up(officer_a, settings):
    settings.EMAIL_BACKEND = "zhaoshang.core.tests.test_deliveries.RefusingBackend"
    settings.ZHAOSHANG_NOTIFY_MAX_ATTEMPTS = 2
    notify(officer_a, "hello")

    assert send_pending(T0) == {"sent": 0, "retry": 1, "failed": 0}
    delivery = Delivery.objects.get()
    assert delivery.last_error == "SMTPServerDisconnected: connection refused"
    assert send_pending(T0 + timedelta(minutes=1)) == {"sent": 0, "retry": 0, "failed": 1}
    assert Delivery.objects.get().status == DeliveryStatus.FAILED


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("connection refused")


# ---------------------------------------------------------------- webhooks


def test_the_webhook_receives_wecom_markdown_with_the_link(receiver, db):
    notify_webhook(receiver.url, "中创新航 50 天开工", "/work/projects/7/")

    assert send_pending(T0)["sent"] == 1
    [request] = receiver.requests
    assert request["path"] == "/cgi-bin/webhook/send?key=test-key"
    assert request["content_type"].startswith("application/json")
    assert request["json"] == {
        "msgtype": "markdown",
        "markdown": {"content": f"中创新航 50 天开工\n[{OPEN}](https://zs.example.cn/work/projects/7/)"},
    }


def test_user_text_cannot_make_markup_in_the_group(receiver, db):
    text = '**急** [点此](http://evil.example/) <font color="warning">x</font> <@all> # `a_b` &lt;script&gt;'
    notify_webhook(receiver.url, text, "/work/x (1)/")
    send_pending(T0)

    [content] = receiver.contents
    message, link = content.split("\n")
    for character in "*[]<>#`_&":
        assert character not in message
    assert message == (
        '＊＊急＊＊ ［点此］(http://evil.example/) ＜font color="warning"＞x＜/font＞ ＜@all＞ ＃ ｀a＿b｀ '
        "＆lt;script＆gt;"
    )
    assert link == f"[{OPEN}](https://zs.example.cn/work/x%20%281%29/)"


def test_a_plain_json_webhook_gets_text_and_url(receiver, db, settings):
    settings.ZHAOSHANG_WEBHOOK_FORMAT = "json"
    notify_webhook(receiver.url, "a <b> & *c*", "/work/")
    send_pending(T0)

    assert receiver.requests[0]["json"] == {"text": "a <b> & *c*", "url": "https://zs.example.cn/work/"}


def test_a_very_long_message_fits_wecom_limit():
    content = payload("长" * 3000, "https://zs.example.cn/work/", fmt="wecom")["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096
    assert content.endswith(f"…\n[{OPEN}](https://zs.example.cn/work/)")


def test_failures_are_retried_on_the_schedule_and_succeed_later(receiver, db):
    receiver.fail_first(2, "500")
    delivery = notify_webhook(receiver.url, "hello")

    assert send_pending(T0) == {"sent": 0, "retry": 1, "failed": 0}
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.next_attempt_at, delivery.last_error) == (
        1,
        T0 + timedelta(minutes=1),
        "HTTP 500 Internal Server Error",
    )
    # not due before its time
    assert send_pending(T0 + timedelta(seconds=59)) == {"sent": 0, "retry": 0, "failed": 0}
    assert send_pending(T0 + timedelta(minutes=1))["retry"] == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == T0 + timedelta(minutes=1 + 5)
    assert send_pending(T0 + timedelta(minutes=6)) == {"sent": 1, "retry": 0, "failed": 0}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 3, "")
    assert len(receiver.requests) == 3


def test_a_wecom_error_code_is_a_failure_and_the_sender_gives_up_after_the_maximum(receiver, db):
    receiver.fail_first(100, "errcode")
    delivery = notify_webhook(receiver.url, "hello")

    now, waits = T0, []
    for _attempt in range(6):
        result = send_pending(now)
        delivery.refresh_from_db()
        if delivery.status == DeliveryStatus.PENDING:
            waits.append(int((delivery.next_attempt_at - now).total_seconds() // 60))
            now = delivery.next_attempt_at
    assert waits == [1, 5, 15, 60, 240]
    assert result == {"sent": 0, "retry": 0, "failed": 1}
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 6)
    assert delivery.last_error == "errcode 93000: invalid webhook url"
    assert send_pending(now + timedelta(days=1)) == {"sent": 0, "retry": 0, "failed": 0}
    assert len(receiver.requests) == 6


def test_an_unreachable_webhook_is_a_failed_attempt(db):
    notify_webhook("http://127.0.0.1:9/nothing-listens", "hello")

    assert send_pending(T0)["retry"] == 1
    assert Delivery.objects.get().last_error


def test_only_http_addresses_are_queued(db):
    assert notify_webhook("file:///etc/passwd", "hello") is None
    assert notify_webhook("", "hello") is None
    assert not Delivery.objects.exists()


def test_a_delivery_is_never_sent_twice_even_when_two_senders_run(receiver, db, monkeypatch):
    first = notify_webhook(receiver.url, "one")
    second = notify_webhook(receiver.url, "two")
    real_send = notifications._send
    inner = {}

    def send_while_another_sender_runs(delivery):
        if not inner:  # while the first sender sends its first delivery, a second sender runs over the same list
            inner["result"] = send_pending(T0)
        return real_send(delivery)

    monkeypatch.setattr(notifications, "_send", send_while_another_sender_runs)
    outer = send_pending(T0)

    assert inner["result"]["sent"] + outer["sent"] == 2
    assert sorted(receiver.contents) == ["one", "two"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attempts, second.attempts) == (1, 1)
    assert send_pending(T0 + timedelta(hours=1)) == {"sent": 0, "retry": 0, "failed": 0}
    assert len(receiver.requests) == 2


# ---------------------------------------------------------------- teams


def test_notify_team_reaches_its_active_members_and_its_webhook(receiver, outpost_a, officer_a, officer_b):
    from zhaoshang.accounts.choices import Role
    from zhaoshang.accounts.models import Membership
    from zhaoshang.accounts.tests.factories import member

    Membership.objects.create(user=officer_a, team=outpost_a, role=Role.TEAM_LEAD)  # two roles: told once
    gone = member(outpost_a, Role.OFFICER, username="gone")
    gone.is_active = False
    gone.save()
    outpost_a.webhook_url = receiver.url
    outpost_a.save()

    notice = notify_team(outpost_a, "新线索：储能电池项目", "/work/leads/3/")

    assert [n.recipient for n in notice.notifications] == [officer_a]
    assert notice.webhook.channel == DeliveryChannel.WEBHOOK
    send_pending(T0)
    assert [email.to for email in mail.outbox] == [[officer_a.email]]
    assert receiver.contents == [f"新线索：储能电池项目\n[{OPEN}](https://zs.example.cn/work/leads/3/)"]
    assert not Notification.objects.filter(recipient__in=[officer_b, gone]).exists()


def test_a_team_without_webhook_is_told_in_the_app_only(outpost_a, officer_a):
    notice = notify_team(outpost_a, "hello")

    assert notice.webhook is None
    assert list(Delivery.objects.values_list("channel", flat=True)) == [DeliveryChannel.EMAIL]


def test_the_webhook_address_is_shown_to_administrators_only_and_kept_masked_in_history(
    outpost_a, officer_a, admin_user, client_for
):
    from zhaoshang.core.models import ChangeRecord

    outpost_a.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key-123"
    outpost_a.save()
    url = reverse("accounts:team-detail", args=[outpost_a.pk])

    assert "secret-key-123" in client_for(admin_user).get(url).content.decode()
    assert "secret-key-123" not in client_for(officer_a).get(url).content.decode()
    assert "secret-key-123" not in json.dumps([r.after for r in ChangeRecord.objects.all()])
    history = client_for(admin_user).get(reverse("core:object-history", args=[_type_id(outpost_a), outpost_a.pk]))
    assert "secret-key-123" not in history.content.decode()
    assert f'href="{outpost_a.get_absolute_url()}"' in history.content.decode()  # the team's own page is no secret
    assert "secret-key-123" not in json.dumps(client_for(officer_a).get(reverse("api:team-list")).json())


def _type_id(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


# ---------------------------------------------------------------- after the commit, commands, the page


def test_the_sender_runs_once_after_the_commit_that_queued(officer_a, officer_b, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(officer_a, "one")
        notify(officer_b, "two")

    assert len(callbacks) == 1
    assert sorted(email.to[0] for email in mail.outbox) == sorted([officer_a.email, officer_b.email])
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_the_send_notifications_command_sends_what_is_due(officer_a):
    notify(officer_a, "hello")
    out = StringIO()
    call_command("send_notifications", "--at", "2100-03-02T09:00+08:00", stdout=out)

    assert out.getvalue().strip() == "1 sent, 0 to retry, 0 given up"
    assert len(mail.outbox) == 1


def test_the_scan_clocks_command_fires_what_has_come_and_prints_the_counts(outpost_a, settings):
    from zhaoshang.core import clocks
    from zhaoshang.core.choices import ClockUnit

    settings.ZHAOSHANG_CLOCK_REMINDER_SHARES = [50, 80, 100]
    start = timezone.make_aware(datetime(2026, 3, 2, 9, 0))
    clocks.start(outpost_a, "matrix-test", 100, ClockUnit.MINUTES, at=start)

    def scan(at: str) -> str:
        out = StringIO()
        call_command("scan_clocks", "--at", at, stdout=out)
        return out.getvalue().strip()

    assert scan("2026-03-02T09:30") == "0 reminders, 0 escalations"
    assert scan("2026-03-02T10:00") == "1 reminders, 0 escalations"  # 60 of 100 minutes: the 50 % reminder
    assert scan("2026-03-02T10:00") == "0 reminders, 0 escalations"  # once
    assert scan("2026-03-02T11:00") == "0 reminders, 1 escalations"


def test_the_periodic_tasks_run_the_sender_and_the_clock_scan(officer_a):
    from zhaoshang.core.tasks import scan_clocks, send_notifications

    notify(officer_a, "hello")

    assert send_notifications.delay().get() == {"sent": 1, "retry": 0, "failed": 0}
    assert scan_clocks.delay().get() == {"reminder": 0, "escalation": 0}


def test_beat_runs_the_clock_scan_and_the_sender_every_minute():
    from django.conf import settings

    from zhaoshang.core.tasks import SCAN_CLOCKS, SEND_NOTIFICATIONS

    entries = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries[SCAN_CLOCKS] == 60
    assert entries[SEND_NOTIFICATIONS] == 60


def test_the_delivery_page_is_for_administrators_only(
    officer_a, leader, centre_officer, admin_user, client_for, receiver
):
    notify_webhook(receiver.url, "<script>alert(1)</script>")
    url = reverse("core:delivery-list")

    for user in (officer_a, leader, centre_officer):
        assert client_for(user).get(url).status_code == 403
    page = client_for(admin_user).get(url).content.decode()
    assert receiver.url in page
    assert "<script>alert(1)</script>" not in page


def test_failed_deliveries_come_first_and_an_administrator_retries_one(officer_a, admin_user, client_for, receiver):
    sent = notify_webhook(receiver.url, "第一条已发出")
    failed = notify_webhook(receiver.url, "第二条已放弃")
    waiting = notify_webhook(receiver.url, "第三条在等待")
    Delivery.objects.filter(pk=sent.pk).update(status=DeliveryStatus.SENT, attempts=1)
    Delivery.objects.filter(pk=failed.pk).update(status=DeliveryStatus.FAILED, attempts=6, last_error="errcode 93000")
    admin = client_for(admin_user)

    page = admin.get(reverse("core:delivery-list")).content.decode()
    assert page.index("第二条已放弃") < page.index("第三条在等待") < page.index("第一条已发出")
    assert page.count('data-testid="delivery-row"') == 3
    assert page.count("/retry/") == 1  # only the one given up can be retried

    retry = reverse("core:delivery-retry", args=[failed.pk])
    assert client_for(officer_a).post(retry).status_code == 404
    assert admin.post(retry).status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 0)
    admin.post(reverse("core:delivery-retry", args=[waiting.pk]))  # not given up: nothing to retry
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (DeliveryStatus.PENDING, 0)
    assert not receiver.requests


def test_retrying_sends_the_message_after_the_commit(
    admin_user, client_for, receiver, django_capture_on_commit_callbacks
):
    failed = Delivery.objects.create(
        channel=DeliveryChannel.WEBHOOK, address=receiver.url, body="again", status=DeliveryStatus.FAILED, attempts=6
    )

    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin_user).post(reverse("core:delivery-retry", args=[failed.pk]))

    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert receiver.contents == ["again"]


@override_settings(ZHAOSHANG_WEBHOOK_TIMEOUT=1)
def test_the_timeout_comes_from_the_settings(db, monkeypatch):
    seen = {}

    def fake_urlopen(request, timeout):
        seen["timeout"] = timeout
        raise OSError("down")

    monkeypatch.setattr(notifications.urllib.request, "urlopen", fake_urlopen)
    notify_webhook("http://127.0.0.1:1/", "x")
    send_pending(T0)
    assert seen == {"timeout": 1}


def test_a_bad_site_address_or_mail_setting_is_refused_at_start_up(tmp_path):
    from tests.test_settings import refused_with_one_line, start

    assert "ZHAOSHANG_SITE_URL" in refused_with_one_line(start(tmp_path, "check", ZHAOSHANG_SITE_URL="zs.example.cn"))
    assert "EMAIL_USE_TLS" in refused_with_one_line(start(tmp_path, "check", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1"))
    assert "EMAIL_BACKEND" in refused_with_one_line(start(tmp_path, "check", EMAIL_BACKEND="carrier-pigeon"))
