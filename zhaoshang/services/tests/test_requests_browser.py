"""In Debian's chromium: an enterprise submits a request, the power-supply bureau's officer signs for it and closes
it with an answer, the enterprise rates it satisfied, and the bureau's figures on the figures page change (closed,
satisfied); axe-core finds no serious violation on the submit form, the queue, the request's page and the figures,
in Chinese and in English."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from tests.test_accessibility_browser import DESKTOP
from tests.test_accessibility_browser import blocking_violations as blocking
from tests.test_accessibility_browser import log_in_with_password as log_in
from zhaoshang.services.models.requests import EnterpriseRequest

pytestmark = pytest.mark.browser


def figure(page, base_url, department, name) -> str:
    page.goto(f"{base_url}{reverse('services:request-figures')}")
    row = page.locator(f"[data-testid=figures-department] tr[data-key='{department.pk}']")
    if row.count() == 0:
        return "0"
    return row.locator(f"[data-testid={name}]").inner_text().strip()


def test_an_enterprise_request_goes_from_submission_to_a_satisfied_rating_and_the_figures_change(
    live_server, browser, routed, power, power_officer, firm_user
):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    base = live_server.url

    firm = browser.new_context(locale="zh-CN", viewport=DESKTOP, bypass_csp=True).new_page()
    firm.set_default_timeout(20_000)
    log_in(firm, base, firm_user)
    firm.goto(f"{base}{reverse('services:request-submit')}")
    assert blocking(firm) == []
    firm.locator(".form-selectgroup-label", has_text="水电气").click()
    firm.fill("#id_title", "新厂房用电报装")
    firm.fill("#id_description", "需要 10kV 专线")
    firm.locator("[data-testid=request-form] [type=submit]").click()
    firm.wait_for_url("**/requests/*/")
    request = EnterpriseRequest.objects.get()
    assert request.department == power and request.contact_name == "李经理"

    officer = browser.new_context(locale="zh-CN", viewport=DESKTOP, bypass_csp=True).new_page()
    officer.set_default_timeout(20_000)
    log_in(officer, base, power_officer)
    closed_before, satisfied_before = (figure(officer, base, power, n) for n in ("closed", "satisfied"))
    officer.goto(f"{base}{reverse('services:request-queue')}")
    assert blocking(officer) == []
    officer.get_by_role("link", name=str(request)).click()
    officer.wait_for_url(f"**{request.get_absolute_url()}")
    assert blocking(officer) == []
    officer.locator("[data-testid=sign]").click()
    officer.wait_for_load_state("load")
    officer.fill("[data-testid=answer-text]", "已安排施工，本周通电")
    officer.locator("[data-testid=close]").click()
    officer.wait_for_load_state("load")
    assert officer.locator("[data-testid=answer]").inner_text().strip() == "已安排施工，本周通电"
    assert figure(officer, base, power, "closed") == str(int(closed_before) + 1)
    assert blocking(officer) == []

    firm.goto(f"{base}{request.get_absolute_url()}")
    firm.locator("[data-testid=rating-satisfied]").check()
    firm.locator("[data-testid=rate]").click()
    firm.wait_for_load_state("load")
    assert EnterpriseRequest.objects.get().rating == "satisfied"
    assert figure(officer, base, power, "satisfied") == str(int(satisfied_before) + 1)

    en_officer = browser.new_context(locale="en-US", viewport=DESKTOP, bypass_csp=True).new_page()
    log_in(en_officer, base, power_officer)
    for name in ("services:request-queue", "services:request-figures"):
        en_officer.goto(f"{base}{reverse(name)}")
        assert blocking(en_officer) == [], name
    en_officer.goto(f"{base}{request.get_absolute_url()}")
    assert blocking(en_officer) == []
    en_firm = browser.new_context(locale="en-US", viewport=DESKTOP, bypass_csp=True).new_page()
    log_in(en_firm, base, firm_user)
    en_firm.goto(f"{base}{reverse('services:request-submit')}")
    assert blocking(en_firm) == []
    en_firm.goto(f"{base}{request.get_absolute_url()}")
    assert blocking(en_firm) == []
