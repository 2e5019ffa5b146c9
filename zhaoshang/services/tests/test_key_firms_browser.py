"""In the browser: the list of key enterprises and a firm's page (with a visit, an open request, an open approval
item and a project) pass axe-core in Chinese and in English."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.test_accessibility_browser import blocking_violations as blocking
from tests.test_accessibility_browser import log_in_with_password as log_in
from zhaoshang.services.choices import VisitState
from zhaoshang.services.models import ServiceVisit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_the_key_list_and_a_firm_page_are_accessible(
    transactional_db, live_server, browser, locale, make_key, district_officer, district_bureau, department,
    outpost_a, open_request, open_item,
):  # fmt: skip
    key = make_key(1, officer=district_officer, team=district_bureau, name="江门甲电池有限公司", name_en="Jia Battery")
    make_key(2, officer=district_officer, team=district_bureau)
    open_request(key.enterprise, department)
    open_item(key.enterprise, department, outpost_a)
    today = timezone.localdate()
    ServiceVisit.objects.create(key_enterprise=key, planned_on=today, purpose="季度走访", state=VisitState.PLANNED)
    ServiceVisit.objects.create(
        key_enterprise=key, planned_on=today, done_on=today, purpose="政策宣讲", state=VisitState.DONE, findings="正常"
    )
    context = browser.new_context(locale=locale, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, district_officer)
    found = []
    for path in (
        reverse("services:key-list"),
        reverse("services:key-detail", args=[key.pk]),
        reverse("services:key-visit-add", args=[key.pk]),
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found += [f"{path}: {line}" for line in blocking(page)]
    assert found == []
    page.goto(live_server.url + reverse("services:key-list"))
    assert page.locator("[data-testid=key-row]").count() == 2
    context.close()
