"""Typed names on the maps, tooltips, popups and charts, in Debian's chromium: shown as text, never run.

The records of ``test_names_as_text.typed`` carry markup in every name. A visitor opens the public pages in
Chinese and in English, and a leader the dashboard, the project board and a project page; on each page every
Leaflet tooltip and popup is opened (through Leaflet's own ``Map.addInitHook``, so no map is missed) and every
chart tooltip shown. No script may run (``window.__xss`` stays undefined, no dialog opens, no element of the
markup is in the page) and the names are read literally.
"""

import pytest
from django.urls import reverse

from tests.test_names_as_text import typed  # noqa: F401 - the records with typed names
from tests.test_projects_browser import log_in

pytestmark = pytest.mark.browser

# Keeps every Leaflet map of the page in window.__maps (run before the page's scripts).
WATCH_MAPS = """(() => {
  window.__maps = [];
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      if (value && value.Map && !value.Map.__watched) {
        value.Map.__watched = true;
        value.Map.addInitHook(function () { window.__maps.push(this); });
      }
    },
  });
})();"""

# Opens every tooltip and, one after the other, every popup of every map; answers their texts.
OPEN_OVERLAYS = """() => {
  const texts = [];
  for (const map of window.__maps) {
    const layers = [];
    map.eachLayer((layer) => layers.push(layer));
    for (const layer of layers) {
      if (layer.getTooltip && layer.getTooltip()) {
        layer.openTooltip();
        texts.push(layer.getTooltip().getElement().textContent);
      }
      if (layer.getPopup && layer.getPopup()) {
        layer.openPopup();
        texts.push(layer.getPopup().getElement().textContent);
      }
    }
  }
  return texts;
}"""

# Shows the tooltip of every data item of every chart; answers their texts.
SHOW_CHART_TIPS = """async () => {
  const texts = [];
  for (const element of document.querySelectorAll("[_echarts_instance_]")) {
    const chart = window.echarts.getInstanceByDom(element);
    const series = chart.getOption().series;
    for (let s = 0; s < series.length; s += 1) {
      for (let i = 0; i < series[s].data.length; i += 1) {
        chart.dispatchAction({ type: "showTip", seriesIndex: s, dataIndex: i });
        await new Promise((resolve) => setTimeout(resolve, 30));
        texts.push(element.textContent); // the canvas has no text: this is the tooltip's

      }
    }
  }
  return texts;
}"""

# What a script of the typed markup would have left behind.
TRACES = """() => ({
  ran: window.__xss === undefined ? null : String(window.__xss),
  elements: Array.from(document.querySelectorAll("[onerror], [onload]")).map((e) => e.outerHTML),
  scripts: Array.from(document.scripts).filter((s) => s.type !== "application/json" && s.text.includes("__xss")).length,
})"""


class Visitor:
    """A page in a context watching maps and dialogs."""

    def __init__(self, browser, live_server, locale):
        self.live_server = live_server
        self.context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        self.context.add_init_script(WATCH_MAPS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def visit(self, path: str, wait_for: str | None = None) -> str:
        """Open the page, every map overlay and chart tooltip; answer the text the visitor can read."""
        self.page.goto(f"{self.live_server.url}{path}")
        if wait_for:
            self.page.wait_for_selector(wait_for, state="attached")
        self.page.wait_for_load_state("networkidle")
        overlays = self.page.evaluate(OPEN_OVERLAYS)
        tips = self.page.evaluate(SHOW_CHART_TIPS) if self.page.evaluate("!!window.echarts") else []
        self.page.wait_for_load_state("networkidle")  # an injected <img src=x> would have failed by now
        traces = self.page.evaluate(TRACES)
        assert traces == {"ran": None, "elements": [], "scripts": 0}, f"markup ran on {path}: {traces}"
        assert self.dialogs == [], f"a dialog opened on {path}"
        return "\n".join([self.page.locator("body").inner_text(), *overlays, *tips])


def read_literally(text: str, typed, tags) -> list[str]:  # noqa: F811
    """The tags whose names are not in ``text`` as typed."""
    return [tag for tag in tags if typed[tag] not in text]


@pytest.mark.parametrize(("locale", "suffix"), [("zh-CN", "z"), ("en-US", "e")])
def test_a_visitor_reads_typed_names_as_text_on_every_public_page(
    live_server,
    browser,
    typed,  # noqa: F811
    locale,
    suffix,
):
    visitor = Visitor(browser, live_server, locale)
    objects = typed.objects
    districts = [f"D{number}{suffix}" for number in range(len(objects["districts"]))]
    missing = {}

    # the map: district labels, the list, the chain chips, every site and park tooltip and the park's popup
    text = visitor.visit("/map/", wait_for="[data-testid=map-list] > li")
    assert visitor.page.locator("#portal-map .portal-region-label").count() == len(districts)
    missing["/map/"] = read_literally(text, typed, [*districts, "S" + suffix, "R" + suffix, "P" + suffix, "C" + suffix])
    visitor.page.locator("[data-testid=map-list] > li").first.click()  # the visitor's way to a site's tooltip
    assert typed["S" + suffix] in visitor.page.locator("#portal-map .leaflet-tooltip-pane").inner_text()

    # the names each page shows: a tag without its language letter is read in the visitor's language
    pages = {
        objects["site"].get_absolute_url(): ["S", "P", "L", "H", "B", "D0", "Kz"],
        objects["park"].get_absolute_url(): ["P", "S", "C", "L", "D0"],
        reverse("portal:policy-list"): ["L"],
        objects["policy"].get_absolute_url(): ["L", "M", "Iz"],
        reverse("portal:guide-list"): ["G"],
        objects["guide"].get_absolute_url(): ["G", "H"],
        f"{reverse('portal:match')}?industry=38": ["S", "R", "L"],
        objects["proposal"].get_absolute_url(): ["Qz", "S", "R", "G", "H", "D0", "D2"],
    }
    for path, tags in pages.items():
        text = visitor.visit(path, wait_for=".leaflet-container" if "sites" in path or "parks" in path else None)
        missing[path] = read_literally(text, typed, [tag if tag[-1] in "ze" else tag + suffix for tag in tags])
    assert visitor.errors == []
    assert {path: tags for path, tags in missing.items() if tags} == {}, "names not shown as typed"


def test_staff_read_typed_names_as_text_on_the_dashboard_board_and_project(
    live_server,
    browser,
    typed,  # noqa: F811
    centre_officer,
):
    visitor = Visitor(browser, live_server, "zh-CN")
    page = visitor.page
    log_in(page, live_server, centre_officer)
    objects = typed.objects

    text = visitor.visit(reverse("stats:dashboard"), wait_for="#chart-chains canvas")
    assert read_literally(text, typed, ["D0z", "Cz"]) == []
    text = visitor.visit(reverse("projects:board"))
    assert read_literally(text, typed, ["Jz", "Ez"]) == []
    page.locator(f"#card-{objects['project'].pk} [data-testid=move-button]").click()
    page.locator("[data-testid=move-form]").wait_for()
    assert page.evaluate(TRACES)["ran"] is None
    text = visitor.visit(objects["project"].get_absolute_url())
    assert read_literally(text, typed, ["Jz", "Ez", "D0z", "Cz"]) == []
    text = visitor.visit(objects["inquiry"].get_absolute_url())
    assert read_literally(text, typed, ["Yz", "Xz", "Wz", "Sz"]) == []
    text = visitor.visit(reverse("geo:region-detail", args=["440700"]), wait_for=".leaflet-container")
    assert read_literally(text, typed, ["D0z", "D1z"]) == []
    assert visitor.errors == []
