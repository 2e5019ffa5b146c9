"""The chain map in Debian's chromium: the graph is drawn, a click on a node opens the node's page, and the chain
pages have no serious accessibility violation in Chinese and in English."""

from __future__ import annotations

import os

import pytest

from tests.test_accessibility_browser import AXE, violations_of
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.test_projects_browser import log_in
from zhaoshang.chains.models import ChainValueAdded
from zhaoshang.industry.choices import SegmentPosition
from zhaoshang.industry.models import NodeClassification
from zhaoshang.industry.tests.factories import ChainFactory, ChainNodeFactory, ChainSegmentFactory, EnterpriseFactory

pytestmark = pytest.mark.browser

# The pixel position of a node of the graph: the layout of its data item through the graph's view.
NODE_POINT = """(id) => {
  const chart = echarts.getInstanceByDom(document.getElementById('chain-graph'));
  const series = chart.getModel().getSeriesByIndex(0);
  const data = series.getData();
  const index = [...Array(data.count()).keys()].find((i) => data.getRawDataItem(i).id === id);
  const point = series.coordinateSystem.dataToPoint(data.getItemLayout(index));
  const box = document.getElementById('chain-graph').getBoundingClientRect();
  return [box.left + point[0], box.top + point[1]];
}"""


def test_the_chain_map_is_drawn_and_a_node_opens_its_page(live_server, city, centre_officer):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from zhaoshang.industry.models import EnterpriseTag, IndustryCode
    from zhaoshang.industry.services import load_reference_data

    if not IndustryCode.objects.exists():
        load_reference_data(IndustryCode, EnterpriseTag)  # a transactional test empties the tables it finds
    chain = ChainFactory(name="矩阵电池", name_en="Matrix batteries")
    segments = [
        ChainSegmentFactory(chain=chain, position=position, name=f"环节{number}", sort=number)
        for number, position in enumerate(SegmentPosition.values)
    ]
    nodes = [ChainNodeFactory(segment=segment, name=f"节点{segment.sort}") for segment in segments]
    for count, node in zip([0, 2, 6], nodes, strict=True):  # a gap, a weak node, a strong one
        for _number in range(count):
            NodeClassification.objects.create(
                enterprise=EnterpriseFactory(), node=node, chain=chain, local=True, output_wan=30_000
            )
    ChainValueAdded.objects.create(chain=chain, year=2025, month=11, value_added=1000, growth=12)
    assert AXE.exists()
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for locale in ("zh-CN", "en-US"):
            context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000}, bypass_csp=True)
            tab = context.new_page()
            errors = []
            tab.on("pageerror", lambda error, found=errors: found.append(str(error)))
            log_in(tab, live_server, centre_officer)
            tab.goto(f"{live_server.url}/work/chains/{chain.pk}/")
            tab.wait_for_selector("#chain-graph canvas")
            assert not errors, errors
            x, y = tab.evaluate(NODE_POINT, f"n{nodes[2].pk}")
            tab.mouse.click(x, y)
            tab.wait_for_url(f"{live_server.url}/work/chains/nodes/{nodes[2].pk}/")
            for name, path in [
                ("overview", "/work/chains/"),
                ("map", f"/work/chains/{chain.pk}/"),
                ("value added", "/work/chains/value-added/"),
            ]:
                problems += violations_of(tab, f"{locale} {name}", f"{live_server.url}{path}")
            context.close()
        browser.close()
    assert not problems, "\n".join(problems)
