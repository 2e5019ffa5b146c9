"""In Debian's chromium: an administrator opens the outgoing messages from the navigation, finds the one given up
first, retries it, and it goes out; the page has no serious accessibility violation (axe-core)."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.test_accessibility_browser import AXE, BLOCKING, RUN_AXE
from tests.test_projects_browser import log_in
from zhaoshang.core.choices import DeliveryChannel, DeliveryStatus
from zhaoshang.core.models import Delivery

pytestmark = pytest.mark.browser


def test_an_administrator_retries_a_message_given_up(live_server, browser, admin_user):
    Delivery.objects.create(
        channel=DeliveryChannel.EMAIL, address="sent@example.cn", subject="已发出的通知", body="ok",
        status=DeliveryStatus.SENT, attempts=1,
    )  # fmt: skip
    failed = Delivery.objects.create(
        channel=DeliveryChannel.EMAIL, address="zhang@example.cn", subject="项目停滞提醒", body="项目甲停滞",
        status=DeliveryStatus.FAILED, attempts=6, last_error="SMTPServerDisconnected: connection refused",
    )  # fmt: skip
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server, admin_user)

    link = page.locator("a.dropdown-item[href='/work/deliveries/']").first  # under Administration in the navigation
    link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/a[contains(@class, 'dropdown-toggle')]").click()
    link.click()
    page.wait_for_url(f"{live_server.url}/work/deliveries/")
    rows = page.locator("[data-testid=delivery-row]")
    assert rows.first.get_attribute("data-status") == DeliveryStatus.FAILED
    assert "zhang@example.cn" in rows.first.inner_text()
    page.add_script_tag(path=str(AXE))
    blocking = [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
    assert blocking == []

    rows.first.locator("button[type=submit]").click()
    page.wait_for_load_state()
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert [email.to for email in mail.outbox] == [["zhang@example.cn"]]
    assert page.locator("[data-testid=delivery-row][data-status=failed]").count() == 0
    context.close()
