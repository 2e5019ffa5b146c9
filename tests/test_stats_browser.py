"""Statistics in Debian's chromium: a leader opens the dashboard, clicks the headline count, lands on the list of
those projects, exports the month's report and opens the file."""

from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.geo.models import Region
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats.periods import Period

from .test_browser import page  # noqa: F401 - the chromium page fixture
from .test_projects_browser import log_in

pytestmark = pytest.mark.browser


def test_a_leader_goes_from_the_dashboard_to_the_projects_and_exports_the_report(
    page,  # noqa: F811
    live_server,
    city,
    centre,
    leader,
    tmp_path,
):
    period = Period.default(timezone.localdate())
    signed_on = period.end - timedelta(days=3)
    pengjiang = Region.objects.get(adcode="440703")
    for name, amount in (("储能电池基地", 250_000), ("精密制造项目", 12_000), ("小型配套项目", 800)):
        ProjectFactory(
            name=name,
            planned_investment=amount,
            district=pengjiang,
            owner_team=centre,
            stage=Stage.SIGNED,
            lead_on=signed_on - timedelta(days=60),
            signed_on=signed_on,
        )

    log_in(page, live_server, leader)
    page.goto(f"{live_server.url}/work/stats/dashboard/")
    card = page.locator("[data-testid=card-large_signed]")
    assert card.locator("[data-testid=card-value]").inner_text().strip() == "2"
    page.wait_for_function("() => document.querySelector('#chart-trend canvas') !== null")  # ECharts drew, offline

    card.click()
    page.wait_for_url("**/work/stats/records/**")
    listed = page.locator("[data-testid=object-table]").inner_text()
    assert "储能电池基地" in listed and "精密制造项目" in listed and "小型配套项目" not in listed
    assert page.locator("[data-testid=drill-total]").inner_text().strip() == "2"

    page.goto(f"{live_server.url}/work/stats/report/")
    with page.expect_download() as download:
        page.click("[data-testid=download-xlsx]")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    workbook = load_workbook(path)
    text = [cell.value for cell in workbook.worksheets[0]["A"] if cell.value]
    assert any("亿元以上项目2个" in str(line) for line in text)
    signed_sheet = workbook.worksheets[2]
    names = [row[1] for row in signed_sheet.iter_rows(min_row=3, values_only=True)]
    assert names[:2] == ["储能电池基地", "精密制造项目"]


def test_the_control_room_map_names_each_district_with_its_count_and_has_a_legend(
    page,  # noqa: F811
    live_server,
    city,
    centre,
    leader,
):
    period = Period.default(timezone.localdate())
    pengjiang = Region.objects.get(adcode="440703")
    for name in ("储能电池基地", "精密制造项目"):
        ProjectFactory(
            name=name,
            planned_investment=20_000,
            district=pengjiang,
            owner_team=centre,
            stage=Stage.SIGNED,
            lead_on=period.start,
            signed_on=period.start + timedelta(days=2),
        )

    log_in(page, live_server, leader)
    page.goto(f"{live_server.url}/work/stats/dashboard/?period={period.key}&screen=1")
    labels = page.locator("#dashboard-map .dashboard-map-label")
    labels.filter(has_text="蓬江区").wait_for()
    assert labels.filter(has_text="蓬江区").inner_text().strip() == "蓬江区 2"
    assert labels.filter(has_text="新会区").inner_text().strip() == "新会区 0"
    legend = page.locator("[data-testid=map-legend]").inner_text().split()
    assert legend[0] == "项目" and legend[1:] == ["0", "2"]
