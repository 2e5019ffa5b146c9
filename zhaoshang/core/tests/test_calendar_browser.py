"""In Debian's chromium: the working-day calendar's pages pass axe-core in both languages, and an administrator
adds a holiday by the form, is told which field is wrong first, and finds the day in its month."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.test_accessibility_browser import blocking_violations as blocking
from tests.test_accessibility_browser import log_in_with_password as log_in
from zhaoshang.core import workdays
from zhaoshang.core.models import CalendarDay

pytestmark = pytest.mark.browser


def test_the_calendar_pages_are_accessible_and_an_administrator_adds_a_holiday(
    transactional_db, live_server, browser, admin_user
):
    pages = [
        reverse("core:calendar"),
        reverse("core:calendar-year", args=[2026]),
        reverse("core:calendar-day-add"),
        reverse("core:calendar-day-edit", args=["2026-02-14"]),
        reverse("core:calendar-year-complete", args=[2027]),
    ]
    found = []
    for locale in ("zh-CN", "en-US"):
        context = browser.new_context(locale=locale, bypass_csp=True)
        page = context.new_page()
        log_in(page, live_server.url, admin_user)
        for path in pages:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            found += [f"{locale} {path}: {line}" for line in blocking(page)]
        context.close()
    assert found == []

    context = browser.new_context(locale="en-US", bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, admin_user)
    page.goto(live_server.url + reverse("core:calendar-year", args=[2026]))
    page.click("[data-testid=calendar-day-add]")
    page.fill("#id_date", "2026-03-06")
    page.check("#id_working")  # a Friday that is a working day anyway, without a name: refused
    page.locator("[data-testid=calendar-day-form] [type=submit]").click()
    error = page.locator("[data-field=working]")
    assert "2026-03-06" in error.inner_text() and "weekday" in error.inner_text()
    assert found + blocking(page) == []  # the form returned with its error
    page.uncheck("#id_working")
    page.fill("#id_name", "特别休息日")
    page.fill("#id_name_en", "Special day off")
    page.locator("[data-testid=calendar-day-form] [type=submit]").click()
    page.wait_for_url(live_server.url + reverse("core:calendar-year", args=[2026]))
    cell = page.locator("[data-testid=calendar-month] td[data-date='2026-03-06']")
    assert cell.get_attribute("data-kind") == "holiday"
    assert "holiday: Special day off" in cell.inner_text() or "holiday: Special day off" in cell.text_content()
    assert CalendarDay.objects.get(date=date(2026, 3, 6)).source == f"staff: {admin_user.username}"
    assert not workdays.is_working(date(2026, 3, 6))
    context.close()
