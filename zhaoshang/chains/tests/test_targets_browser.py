"""In Debian's chromium: a task-force officer opens the new-energy-battery chain map, clicks a gap node, turns the
top target into a lead, and finds it in the pipeline."""

from __future__ import annotations

import os

import pytest

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.test_projects_browser import log_in
from zhaoshang.chains.models import Target
from zhaoshang.chains.tests.test_maps_browser import NODE_POINT
from zhaoshang.industry.choices import RevenueBand, SegmentPosition
from zhaoshang.industry.classify import classify
from zhaoshang.industry.models import EnterpriseTag, IndustryCode
from zhaoshang.industry.tests.factories import ChainFactory, ChainNodeFactory, ChainSegmentFactory, EnterpriseFactory
from zhaoshang.projects.choices import Stage

pytestmark = pytest.mark.browser


def test_task_force_turns_the_top_target_of_a_gap_node_into_a_lead(live_server, city, task_force, task_force_officer):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from zhaoshang.industry.services import load_reference_data

    if not IndustryCode.objects.exists():
        load_reference_data(IndustryCode, EnterpriseTag)  # a transactional test empties the tables it finds
    district = city.children.order_by("adcode").first()
    chain = ChainFactory(name="新能源电池", name_en="New-energy batteries", task_force=task_force)
    upstream = ChainSegmentFactory(chain=chain, position=SegmentPosition.UPSTREAM, name="材料", sort=0)
    midstream = ChainSegmentFactory(chain=chain, position=SegmentPosition.MIDSTREAM, name="电芯与系统", sort=1)
    separator = ChainNodeFactory(segment=upstream, name="隔膜", name_en="Separators", keywords="隔膜", codes=["29"])
    cell = ChainNodeFactory(segment=midstream, name="电芯", name_en="Cells", keywords="电芯", codes=["38"])
    plastics, electrical = IndustryCode.objects.get(code="29"), IndustryCode.objects.get(code="38")
    for number in range(4):  # the cells are made in the city: a strong node
        EnterpriseFactory(
            name=f"江门电芯{number}号有限公司",
            main_products="动力电池电芯",
            industry=electrical,
            hq_region=district,
            revenue_band=RevenueBand.TO_10B,
        )
    leader = EnterpriseFactory(
        name="星源隔膜科技有限公司",
        main_products="锂电池隔膜",
        industry=plastics,
        hq_city="深圳",
        revenue_band=RevenueBand.TO_10B,
        tags=[EnterpriseTag.objects.get(slug="industry-leader")],
    )
    EnterpriseFactory(name="小隔膜材料有限公司", main_products="隔膜", industry=plastics, hq_city="苏州")
    classify()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        log_in(tab, live_server, task_force_officer)
        tab.goto(f"{live_server.url}/work/chains/")
        tab.get_by_role("link", name="新能源电池").first.click()
        tab.wait_for_url(f"{live_server.url}/work/chains/{chain.pk}/")
        tab.wait_for_selector("#chain-graph canvas")
        assert tab.locator(f"[data-testid=node][data-node='{separator.pk}']").get_attribute("data-strength") == "gap"
        x, y = tab.evaluate(NODE_POINT, f"n{separator.pk}")
        tab.mouse.click(x, y)
        tab.wait_for_url(f"{live_server.url}/work/chains/nodes/{separator.pk}/")
        top = tab.locator("[data-testid=target]").first
        assert top.get_attribute("data-enterprise") == str(leader.pk)  # the leader ranks first, its reasons shown
        top.locator("summary").first.click()
        top.locator("[data-testid=take-form] button[type=submit]").click()
        tab.wait_for_load_state()
        target = Target.objects.get(node=separator, enterprise=leader)
        assert target.acted_by == task_force_officer and target.project.owner_team == task_force
        tab.goto(f"{live_server.url}/work/projects/")
        tab.get_by_role("link", name=target.project.name).first.click()
        tab.wait_for_url(f"{live_server.url}{target.project.get_absolute_url()}")
        assert target.project.stage == Stage.LEAD and target.project.chain == chain
        context.close()
        browser.close()
    assert cell.classifications.filter(local=True).count() == 4
