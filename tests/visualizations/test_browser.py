"""Maps and reports in real headless Chromium, offline: they draw, make no request,
log no error, show the legend and run no injected script.

Needs the Debian packages chromium and chromium-driver (``/usr/bin/chromium``,
``/usr/bin/chromedriver``); skipped otherwise.  One browser serves the module.
Screenshots are saved to each test's ``tmp_path``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time

import pytest

from conftest import write_csv_tables
from loaders import load_graph
from queries.runner import run_checks
from visualizations.maps import map_html
from visualizations.report import report_html
from visualizations.views import build_view

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module, networking off, console and network logged."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            pytest.skip(f"{path} is missing (Debian packages chromium and chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="orgnet-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", f"--user-data-dir={profile}", "--window-size=1400,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.set_capability("unhandledPromptBehavior", "ignore")
    # an explicit driver path: Selenium Manager never runs, nothing is downloaded
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver, path, ready="window.orgnetMap"):
    """Open a file, wait until its script has run; return (requested URLs, console errors)."""
    driver.get_log("performance")
    driver.get_log("browser")
    driver.get(path.as_uri())
    deadline = time.time() + 30
    while not driver.execute_script(f"return !!({ready})"):
        assert time.time() < deadline, f"{ready} never became true"
        time.sleep(0.1)
    time.sleep(0.3)
    return requested_urls(driver), console_errors(driver)


def requested_urls(driver):
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def assert_offline(urls, path):
    assert urls, "the performance log recorded nothing"
    assert all(u.startswith(("file://", "data:")) for u in urls), urls
    assert path.as_uri() in urls


def assert_no_alert(driver):
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text


def assert_legends_fit(driver):
    """In every chart and balance SVG, legend captions and swatches do not overlap
    and stay inside the drawing (measured by the browser's own text layout)."""
    found = driver.execute_script("""
        var out = [];
        document.querySelectorAll('svg.chart, svg.balance').forEach(function (svg) {
          var width = svg.viewBox.baseVal.width, boxes = [];
          svg.querySelectorAll(':scope > rect, :scope > text').forEach(function (e) {
            var b = e.getBBox();
            if (e.tagName === 'rect' && b.width === 12 && b.height === 12 || e.tagName === 'text'
                && e.getAttribute('font-size') === '12') boxes.push([b.x, b.y, b.x + b.width,
                                                                  b.y + b.height, width]);
          });
          out.push(boxes);
        });
        return out;""")
    assert found and all(found)
    for boxes in found:
        for i, a in enumerate(boxes):
            assert a[2] <= a[4] + 0.5, a                              # inside the SVG
            for b in boxes[i + 1:]:
                assert not (a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5
                            and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5), (a, b)


def hover(driver, node_id):
    """Move the mouse over a node of the map; return the tooltip's text and child tags."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    point = driver.execute_script(
        "var p = network.getPositions([arguments[0]])[arguments[0]];"
        "return network.canvasToDOM(p);", node_id)
    canvas = driver.find_element(By.CSS_SELECTOR, "#mynetwork canvas")
    size = canvas.size
    actions = ActionChains(driver)
    actions.move_to_element_with_offset(canvas, int(point["x"] - size["width"] / 2) + 3,
                                        int(point["y"] - size["height"] / 2))
    actions.perform()
    actions.move_by_offset(-3, 0).perform()
    deadline = time.time() + 5
    while time.time() < deadline:
        tip = driver.execute_script(
            "var t = document.querySelector('div.vis-tooltip');"
            "return t && t.style.visibility !== 'hidden' && t.textContent ? "
            "[t.textContent, Array.from(t.querySelectorAll('*')).map(e => e.tagName)] : null;")
        if tip:
            return tip
        time.sleep(0.1)
    raise AssertionError(f"no tooltip appeared over {node_id}")




def test_map_offline_counts_legend_tooltips_and_no_injection(browser, tmp_path, xss_tables,
                                                             xss_name):
    G = load_graph(write_csv_tables(tmp_path / "xss", xss_tables))
    report = run_checks(G, lang="zh")
    expected = build_view(G, "units")
    path = tmp_path / "map.html"
    path.write_text(map_html(G, report.findings, view="units", lang="zh"), encoding="utf-8")

    urls, errors = open_page(browser, path)
    browser.save_screenshot(str(tmp_path / "map.png"))
    assert_offline(urls, path)
    assert errors == []
    counts = browser.execute_script("return [nodes.length, edges.length, "
                                    "network.body.data.nodes.length]")
    assert counts == [expected.number_of_nodes(), expected.number_of_edges(),
                      expected.number_of_nodes()]
    legend = browser.execute_script(
        "var l = document.getElementById('orgnet-legend');"
        "return [l.offsetWidth > 0 && l.offsetHeight > 0, l.textContent];")
    assert legend[0] and "图例" in legend[1] and "未建立党组织的卫生机构" in legend[1]

    text, tags = hover(browser, "V2")            # V2 carries the payload as its name
    browser.save_screenshot(str(tmp_path / "map-tooltip.png"))
    assert xss_name in text and "未被任何党组织覆盖" in text
    assert tags == ["DIV"] * len(tags)            # only the text rows we built
    assert_no_alert(browser)
    assert browser.execute_script("return window.__xss === undefined")
    assert browser.execute_script("return document.images.length") == 0

    hidden = "return edges.get({filter: function (e) { return e.hidden; }}).length"
    assert browser.execute_script(hidden) == 0
    browser.find_element("id", "orgnet-structure").click()
    assert browser.execute_script(hidden) == sum(1 for e in expected.edges if e.structure) > 0


def test_report_offline_table_filters_and_embedded_map(browser, tmp_path, xss_tables):
    G = load_graph(write_csv_tables(tmp_path / "xss", xss_tables))
    report = run_checks(G, lang="zh")
    path = tmp_path / "report.html"
    path.write_text(report_html(G, report, lang="zh"), encoding="utf-8")

    urls, errors = open_page(browser, path, ready="window.orgnetReport")
    browser.save_screenshot(str(tmp_path / "report.png"))
    assert_legends_fit(browser)
    assert_offline(urls, path)
    assert errors == []
    assert_no_alert(browser)
    assert browser.execute_script("return window.__xss === undefined && "
                                  "document.images.length === 0")
    visible = ("return Array.from(document.querySelectorAll('#findings-table tbody tr'))"
               ".filter(function (r) { return !r.hidden; }).length")
    from queries.planner import planner_lines

    lines = planner_lines(report, G)   # the designed hierarchy folded: one row per line
    assert browser.execute_script(visible) == len(lines)
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "filter-severity")).select_by_value("high")
    high = sum(1 for f in lines if f.severity == "high")
    assert browser.execute_script(visible) == high
    assert browser.find_element("id", "findings-shown").text == f"显示 {high} / {len(lines)} 条问题"
    Select(browser.find_element("id", "filter-family")).select_by_value("coverage")
    both = sum(1 for f in lines if f.severity == "high" and f.check.startswith("coverage."))
    assert browser.execute_script(visible) == both
    Select(browser.find_element("id", "filter-severity")).select_by_value("")
    Select(browser.find_element("id", "filter-family")).select_by_value("")

    browser.find_element("css selector", '#findings-table th[data-col="0"]').click()
    browser.find_element("css selector", '#findings-table th[data-col="0"]').click()
    order = browser.execute_script(
        "return Array.from(document.querySelectorAll('#findings-table tbody tr'))"
        ".map(function (r) { return r.getAttribute('data-severity'); });")
    assert order == sorted((f.severity for f in lines),
                           key=["low", "medium", "high"].index)          # descending by rank

    browser.switch_to.frame(browser.find_element("id", "orgnet-map"))
    try:
        deadline = time.time() + 30
        while not browser.execute_script("return !!window.orgnetMap"):
            assert time.time() < deadline
            time.sleep(0.1)
        expected = build_view(G, "units")
        assert browser.execute_script("return [nodes.length, edges.length]") == [
            expected.number_of_nodes(), expected.number_of_edges()]
        assert browser.execute_script("return window.__xss === undefined && "
                                      "document.images.length === 0")
    finally:
        browser.switch_to.default_content()
    browser.execute_script("document.getElementById('map').scrollIntoView()")
    browser.save_screenshot(str(tmp_path / "report-map.png"))
    assert console_errors(browser) == []


def test_aggregated_map_says_so_and_draws(browser, tmp_path):
    from loaders.generate import generate_dataset

    generate_dataset(tmp_path / "county", counties=1, seed=3)
    G = load_graph(tmp_path / "county")
    report = run_checks(G)
    path = tmp_path / "big.html"
    page = map_html(G, report.findings, view="full", limit=400)
    path.write_text(page, encoding="utf-8")
    urls, errors = open_page(browser, path)
    browser.save_screenshot(str(tmp_path / "big.png"))
    assert_offline(urls, path)
    assert errors == []
    state = browser.execute_script("return window.orgnetMap")
    assert state["nodes"] == state["expected"]["nodes"] <= 400
    assert state["edges"] == state["expected"]["edges"]
    assert "shown aggregated" in browser.find_element("id", "orgnet-header").text
