"""Maps and reports in real headless Chromium, offline: they draw, make no request,
log no error, show the legend and run no injected script; search, filters, zoom, PNG
export, the overview and the report's finding-to-map link work.

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
from orgnet.loaders import load_graph
from orgnet.queries.planner import planner_lines
from orgnet.queries.runner import run_checks
from orgnet.visualizations.maps import map_html
from orgnet.visualizations.report import report_html
from orgnet.visualizations.views import build_view

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
    canvas = driver.find_element(By.CSS_SELECTOR, ".orgnet-canvas canvas")
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


def node_on_screen(driver, node_id):
    """Return (x, y, width, height): a node's position in the canvas and the canvas size."""
    return driver.execute_script(
        "var p = network.canvasToDOM(network.getPositions([arguments[0]])[arguments[0]]);"
        "var c = document.querySelector('.orgnet-canvas');"
        "return [p.x, p.y, c.clientWidth, c.clientHeight];", node_id)


def label_pixels(driver):
    """The drawn size of the labels at the current zoom."""
    return driver.execute_script("return network.getScale() * orgnetMap.api.model.labelFont")


def click_node(driver, node_id):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    x, y, width, height = node_on_screen(driver, node_id)
    canvas = driver.find_element(By.CSS_SELECTOR, ".orgnet-canvas canvas")
    size = canvas.size
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(x - size["width"] / 2), int(y - size["height"] / 2)).click().perform()


def wait_for(driver, script, seconds=10):
    deadline = time.time() + seconds
    while not driver.execute_script(script):
        assert time.time() < deadline, script
        time.sleep(0.1)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """One generated county (about 250 units: one map under 300 nodes) and its findings."""
    from orgnet.loaders.generate import generate_dataset

    folder = tmp_path_factory.mktemp("county")
    generate_dataset(folder / "data", counties=1, seed=3)
    G = load_graph(folder / "data")
    return G, run_checks(G, lang="zh")


@pytest.fixture(scope="module")
def three_counties(tmp_path_factory):
    """Three generated counties, drawn through the overview (threshold lowered to 100)."""
    from orgnet.loaders.generate import generate_dataset

    folder = tmp_path_factory.mktemp("three")
    generate_dataset(folder / "data", counties=3, seed=5)
    G = load_graph(folder / "data")
    return G, run_checks(G)


def test_map_offline_counts_legend_tooltips_and_no_injection(browser, tmp_path, xss_tables,
                                                             xss_name):
    G = load_graph(write_csv_tables(tmp_path / "xss", xss_tables))
    report = run_checks(G, lang="zh")
    expected = build_view(G, "units")
    path = tmp_path / "map.html"
    path.write_text(map_html(G, report.findings, view="units", lang="zh", title=xss_name,
                             notes=[xss_name]), encoding="utf-8")

    urls, errors = open_page(browser, path)
    browser.save_screenshot(str(tmp_path / "map.png"))
    assert_offline(urls, path)
    assert errors == []
    counts = browser.execute_script("return [nodes.length, edges.length, "
                                    "network.body.data.nodes.length]")
    assert counts == [expected.number_of_nodes(), expected.number_of_edges(),
                      expected.number_of_nodes()]
    assert label_pixels(browser) >= 10
    assert browser.find_element("css selector", "#orgnet-header h1").text == xss_name
    legend = browser.execute_script(
        "var l = document.querySelector('.orgnet-legend');"
        "return [l.offsetWidth > 0 && l.offsetHeight > 0, l.textContent];")
    assert legend[0] and "图例" in legend[1] and "未建立党组织的卫生机构" in legend[1]
    assert "转诊链断点" not in legend[1]               # no broken chain here: not listed

    text, tags = hover(browser, "V2")            # V2 carries the payload as its name
    browser.save_screenshot(str(tmp_path / "map-tooltip.png"))
    assert xss_name in text and "未被任何党组织覆盖" in text
    assert tags == ["DIV"] * len(tags)            # only the text rows we built
    assert_no_alert(browser)
    assert browser.execute_script("return window.__xss === undefined")
    assert browser.execute_script("return document.images.length") == 0

    hidden = "return edges.get({filter: function (e) { return e.hidden; }}).length"
    assert browser.execute_script(hidden) == 0
    browser.find_element("css selector", ".orgnet-structure").click()
    assert browser.execute_script(hidden) == sum(1 for e in expected.edges if e.structure) > 0

    # the legend folds away
    browser.find_element("css selector", ".orgnet-legend summary").click()
    assert not browser.find_element("css selector", ".orgnet-legend-body").is_displayed()


def test_search_selects_and_centres_the_unit(browser, tmp_path, county):
    G, report = county
    path = tmp_path / "county.html"
    path.write_text(map_html(G, report.findings, lang="zh"), encoding="utf-8")
    urls, errors = open_page(browser, path)
    assert errors == [] and all(u.startswith(("file://", "data:")) for u in urls)
    assert browser.execute_script("return nodes.length") <= 300
    assert label_pixels(browser) >= 10                      # readable at the first zoom

    target = sorted(n for n, d in G.nodes(data=True)
                    if d.get("kind") == "village_clinic")[-1]
    name = G.nodes[target]["name"]
    box = browser.find_element("css selector", ".orgnet-search-input")
    for query, by in ((target.lower(), "id"), (name, "name")):
        box.clear()
        box.send_keys(query)
        results = browser.find_element("css selector", ".orgnet-results")
        assert results.is_displayed() and name in results.text
        box.send_keys("\n")
        assert browser.execute_script("return network.getSelectedNodes()") == [target], by
        x, y, width, height = node_on_screen(browser, target)
        assert abs(x - width / 2) < 5 and abs(y - height / 2) < 5, by      # centred
        assert label_pixels(browser) >= 10
        info = browser.find_element("css selector", ".orgnet-info")
        assert info.is_displayed() and name in info.text
        browser.execute_script("network.moveTo({position: {x: 0, y: 0}, scale: 0.3})")
    browser.save_screenshot(str(tmp_path / "search.png"))
    box.clear()
    box.send_keys("没有这个机构")
    assert "没有匹配的机构" in browser.find_element("css selector", ".orgnet-results").text


def test_zoom_buttons_filters_and_png_export(browser, tmp_path, county):
    import base64
    import struct

    G, report = county
    path = tmp_path / "county.html"
    path.write_text(map_html(G, report.findings, lang="zh"), encoding="utf-8")
    open_page(browser, path)
    scale = browser.execute_script("return network.getScale()")
    browser.find_element("css selector", '[data-action="zoom-in"]').click()
    assert browser.execute_script("return network.getScale()") > scale
    browser.find_element("css selector", '[data-action="zoom-out"]').click()
    browser.find_element("css selector", '[data-action="zoom-out"]').click()
    assert browser.execute_script("return network.getScale()") < scale

    from selenium.webdriver.support.ui import Select

    browser.find_element("css selector", ".orgnet-filters summary").click()
    Select(browser.find_element("css selector", ".orgnet-severity")).select_by_value("high")
    shown = browser.execute_script(
        "return nodes.get({filter: function (n) { return !n.hidden; }}).map(n => n.id).sort()")
    high = {n for f in report.findings if f.severity == "high" for n in f.subject}
    with_high = sorted(n for n in build_view(G, "units").nodes if n in high)
    assert shown == with_high and 0 < len(shown) < browser.execute_script("return nodes.length")
    Select(browser.find_element("css selector", ".orgnet-severity")).select_by_value("")
    village = browser.find_element(
        "xpath", "//fieldset[@class='orgnet-kinds']//label[contains(., '村卫生室')]/input")
    village.click()                                        # hide the village clinics
    hidden = browser.execute_script(
        "return nodes.get({filter: function (n) { return n.hidden; }}).length")
    villages = sum(1 for n in build_view(G, "units").nodes.values() if n.kind == "village_clinic")
    assert hidden == villages > 0
    browser.find_element("css selector", ".orgnet-reset").click()
    browser.find_element("css selector", ".orgnet-filters summary").click()

    browser.execute_cdp_cmd("Browser.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.find_element("css selector", '[data-action="png"]').click()
    deadline = time.time() + 10
    while not list(tmp_path.glob("*.png.crdownload")) and not list(tmp_path.glob("orgnet-*.png")):
        assert time.time() < deadline, "no PNG was downloaded"
        time.sleep(0.1)
    while list(tmp_path.glob("*.crdownload")):
        time.sleep(0.1)
    png = next(tmp_path.glob("orgnet-*.png")).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    canvas = browser.execute_script("var c = document.querySelector('.orgnet-canvas canvas');"
                                    "return [c.width, c.height];")
    assert [width, height] == canvas and width > 0 and len(png) > 5000
    # not blank: the image holds many colours (nodes, ties, text)
    colours = browser.execute_async_script("""
        var done = arguments[1], img = new Image();
        img.onload = function () {
          var c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
          var ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
          var d = ctx.getImageData(0, 0, c.width, c.height).data, seen = {};
          for (var i = 0; i < d.length; i += 4 * 7) { seen[d[i] + ',' + d[i+1] + ',' + d[i+2]] = 1; }
          done(Object.keys(seen).length);
        };
        img.src = arguments[0];""", "data:image/png;base64," + base64.b64encode(png).decode())
    assert colours > 20


def test_report_offline_table_filters_paging_and_embedded_map(browser, tmp_path, xss_tables):
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
    assert browser.execute_script("return document.querySelectorAll('iframe').length") == 0
    visible = "return document.querySelectorAll('#findings-table tbody tr').length"
    # one row per line of the planner (the designed hierarchy folded: one row per parent)
    lines = planner_lines(report, G)
    assert browser.execute_script(visible) == len(lines)
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "filter-severity")).select_by_value("high")
    high = sum(1 for f in report.findings if f.severity == "high")
    assert browser.execute_script(visible) == high
    assert browser.find_element("id", "findings-shown").text == \
        f"显示 {high} / {len(report.findings)} 条问题"
    Select(browser.find_element("id", "filter-family")).select_by_value("coverage")
    both = sum(1 for f in report.findings
               if f.severity == "high" and f.check.startswith("coverage."))
    assert browser.execute_script(visible) == both
    Select(browser.find_element("id", "filter-severity")).select_by_value("")
    Select(browser.find_element("id", "filter-family")).select_by_value("")

    browser.find_element("css selector", '#findings-table th[data-col="0"]').click()
    browser.find_element("css selector", '#findings-table th[data-col="0"]').click()
    order = browser.execute_script(
        "return Array.from(document.querySelectorAll('#findings-table tbody tr'))"
        ".map(function (r) { return r.getAttribute('data-severity'); });")
    assert order == sorted((line.severity for line in lines),
                           key=["low", "medium", "high"].index)          # descending by rank

    expected = build_view(G, "units")
    assert browser.execute_script("return [nodes.length, edges.length]") == [
        expected.number_of_nodes(), expected.number_of_edges()]
    assert console_errors(browser) == []


@pytest.mark.parametrize("pack_over", [None, 20_000], ids=["whole", "split"])
def test_clicking_a_finding_in_the_report_shows_it_on_the_map(browser, tmp_path, county,
                                                              pack_over):
    G, report = county
    path = tmp_path / "report.html"
    options = {} if pack_over is None else {"pack_over": pack_over}
    page = report_html(G, report, lang="zh", **options)
    assert ('id="orgnet-model-texts0"' in page) == (pack_over is not None)
    path.write_text(page, encoding="utf-8")
    open_page(browser, path, ready="window.orgnetReport")
    index = next(i for i, f in enumerate(report.findings)
                 if f.check == "coverage.uncovered_institution")
    finding = report.findings[index]
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "filter-family")).select_by_value("coverage")
    wait_for(browser, f"return !!document.querySelector('#findings-table tr[data-index=\"{index}\"]')")
    row = browser.find_element("css selector", f'#findings-table tr[data-index="{index}"]')
    row.click()
    wait_for(browser, "return network.getSelectedNodes().length > 0")
    assert browser.execute_script("return network.getSelectedNodes()") == list(finding.subject)
    x, y, width, height = node_on_screen(browser, finding.subject[0])
    assert 0 < x < width and 0 < y < height                      # in view
    assert abs(x - width / 2) < 5 and abs(y - height / 2) < 5
    assert label_pixels(browser) >= 10
    wait_for(browser, "return !document.querySelector('.orgnet-info').hidden")
    info = browser.find_element("css selector", ".orgnet-info")
    assert info.is_displayed() and finding.message in info.text
    top, bottom, inner = browser.execute_script(
        "var r = document.querySelector('#map .orgnet-map').getBoundingClientRect();"
        "return [r.top, r.bottom, window.innerHeight];")
    assert 0 <= top < inner / 4 and bottom > inner / 2           # the map scrolled into view
    browser.save_screenshot(str(tmp_path / "report-finding.png"))
    # the text search reads every finding's texts (the split page inflates them first)
    Select(browser.find_element("id", "filter-family")).select_by_value("")
    browser.find_element("id", "filter-text").send_keys(finding.subject[0])
    wait_for(browser, "return document.querySelectorAll('#findings-table tbody tr').length === "
             + str(sum(1 for f in report.findings
                       if any(finding.subject[0] in str(x) for x in
                              (f.message, f.suggestion, *f.subject)))))
    # paging: the table shows one page of findings at a time
    browser.find_element("id", "filter-text").clear()
    browser.find_element("id", "filter-text").send_keys(" ")
    pages = -(-len(planner_lines(report, G)) // 50)            # a folded line is one row
    if pages > 1:
        wait_for(browser, "return document.querySelectorAll('#findings-table tbody tr').length"
                          " === 50")
        browser.find_element("id", "page-next").click()
        wait_for(browser, "return document.getElementById('page-number').textContent"
                          f" === '第 2 / {pages} 页'")
    assert console_errors(browser) == []


@pytest.mark.parametrize("pack_over", [None, 20_000], ids=["whole", "split"])
def test_the_overview_opens_a_region_and_search_reaches_any_unit(browser, tmp_path,
                                                                 three_counties, pack_over):
    G, report = three_counties
    path = tmp_path / "overview.html"
    options = {} if pack_over is None else {"pack_over": pack_over}
    path.write_text(map_html(G, report.findings, overview_from=100, **options),
                    encoding="utf-8")
    urls, errors = open_page(browser, path)
    assert errors == []
    assert browser.execute_script("return orgnetMap.api.layer()") == "overview"
    count = browser.execute_script("return nodes.length")
    assert 3 <= count <= 300 and label_pixels(browser) >= 10
    browser.save_screenshot(str(tmp_path / "overview.png"))
    region = browser.execute_script(
        "var c = document.querySelector('.orgnet-canvas');"
        "return orgnetMap.api.model.layers.overview.nodes.filter(function (n) {"
        "  return n.o === 'region:' + n.id; }).map(function (n) { return n.id; })"
        ".filter(function (id) {"
        "  var p = network.canvasToDOM(network.getPositions([id])[id]);"
        "  return p.x > 40 && p.y > 40"
        "    && p.x < c.clientWidth - 400 && p.y < c.clientHeight - 40; })[0]")
    click_node(browser, region)
    wait_for(browser, f"return orgnetMap.api.layer() === 'region:{region}'")
    units = browser.execute_script("return nodes.length")
    assert units > 0 and browser.find_element("css selector", ".orgnet-back").is_displayed()
    browser.find_element("css selector", ".orgnet-back").click()
    assert browser.execute_script("return orgnetMap.api.layer()") == "overview"

    target = sorted(n for n, d in G.nodes(data=True) if d.get("kind") == "village_clinic")[0]
    box = browser.find_element("css selector", ".orgnet-search-input")
    box.send_keys(target + "\n")
    wait_for(browser, "return network.getSelectedNodes().length > 0")
    assert browser.execute_script("return orgnetMap.api.layer()").startswith("region:")
    assert browser.execute_script("return network.getSelectedNodes()") == [target]
    wait_for(browser, "return !document.querySelector('.orgnet-info').hidden")
    assert console_errors(browser) == []


def test_aggregated_map_says_so_and_draws(browser, tmp_path, county):
    G, report = county
    path = tmp_path / "big.html"
    path.write_text(map_html(G, report.findings, view="full", limit=400), encoding="utf-8")
    urls, errors = open_page(browser, path)
    browser.save_screenshot(str(tmp_path / "big.png"))
    assert_offline(urls, path)
    assert errors == []
    state = browser.execute_script("var m = window.orgnetMap;"
                                   "return {nodes: m.nodes, edges: m.edges, expected: m.expected}")
    assert state["nodes"] == state["expected"]["nodes"] <= 400
    assert state["edges"] == state["expected"]["edges"]
    assert "shown aggregated" in browser.find_element("css selector", ".orgnet-layer-notes").text \
        or "shown aggregated" in browser.find_element("id", "orgnet-header").text


@pytest.mark.parametrize("pack_over", [None, 20_000], ids=["whole", "split"])
def test_folded_hierarchy_lines_open_by_click_and_keyboard(browser, tmp_path, county, pack_over):
    """A folded line (units that restate the designed hierarchy under one parent) is one
    row; its ▸ button (click, Enter, Space) lists its findings under it, each of which
    shows its unit on the map; the row itself shows all its units; paging, filters and
    the text search see folded lines as lines."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    G, report = county
    lines = planner_lines(report, G)
    folded = [line for line in lines if line.folded]
    assert folded and any(len(line.findings) > 1 for line in folded)
    path = tmp_path / "report.html"
    options = {} if pack_over is None else {"pack_over": pack_over}
    path.write_text(report_html(G, report, lang="zh", **options), encoding="utf-8")
    open_page(browser, path, ready="window.orgnetReport")
    rows = "return document.querySelectorAll('#findings-table tbody tr').length"
    assert browser.find_element("id", "findings-shown").text == \
        f"显示 {len(report.findings)} / {len(report.findings)} 条问题"
    assert browser.execute_script(rows) == min(len(lines), 50)

    # the connectivity family: the folded lines and the other connectivity findings
    Select(browser.find_element("id", "filter-family")).select_by_value("connectivity")
    family = [line for line in lines if line.check.startswith("connectivity.")]
    wait_for(browser, f"{rows} === {min(len(family), 50)}")
    assert browser.find_element("id", "findings-shown").text == \
        f"显示 {sum(len(line.findings) for line in family)} / {len(report.findings)} 条问题"
    k, line = next((k, line) for k, line in enumerate(folded) if len(line.findings) > 1)
    flat = [f for item in lines for f in item.findings]
    start = flat.index(line.findings[0])
    row = browser.find_element("css selector", f'#findings-table tr.fold[data-fold="{k}"]')
    assert row.get_attribute("data-size") == str(len(line.findings))
    assert line.message in row.text and "▸" in row.text
    button = row.find_element("css selector", "button.fold-toggle")
    assert button.get_attribute("aria-expanded") == "false"
    members = f"return document.querySelectorAll('tr[data-in-fold=\"{k}\"]').length"
    assert browser.execute_script(members) == 0

    # keyboard: Enter on the ▸ button opens the line, focus stays on its button
    button.send_keys(Keys.ENTER)
    wait_for(browser, f"{members} === {len(line.findings)}")
    button = browser.find_element("css selector",
                                  f'#findings-table tr.fold[data-fold="{k}"] button')
    assert button.get_attribute("aria-expanded") == "true"
    assert browser.execute_script("return document.activeElement") == button
    listed = browser.execute_script(
        f"return Array.from(document.querySelectorAll('tr[data-in-fold=\"{k}\"]'))"
        ".map(function (r) { return Number(r.getAttribute('data-index')); })")
    assert listed == list(range(start, start + len(line.findings)))
    texts = browser.execute_script(
        f"return Array.from(document.querySelectorAll('tr[data-in-fold=\"{k}\"]'))"
        ".map(function (r) { return r.cells[4].textContent; })")
    assert texts == [f.message for f in line.findings]
    # Space closes it again
    button.send_keys(Keys.SPACE)
    wait_for(browser, f"{members} === 0")
    assert browser.find_element(
        "css selector", f'#findings-table tr.fold[data-fold="{k}"] button'
    ).get_attribute("aria-expanded") == "false"

    # mouse: ▸ opens; a listed finding shows its unit on the map
    browser.find_element("css selector", f'#findings-table tr.fold[data-fold="{k}"] button').click()
    wait_for(browser, f"{members} === {len(line.findings)}")
    finding = line.findings[-1]
    browser.find_element("css selector", f'tr[data-in-fold="{k}"][data-index="'
                         f'{start + len(line.findings) - 1}"]').click()
    wait_for(browser, "return network.getSelectedNodes().length > 0")
    assert browser.execute_script("return network.getSelectedNodes()") == list(finding.subject)
    wait_for(browser, "return !document.querySelector('.orgnet-info').hidden")
    assert finding.message in browser.find_element("css selector", ".orgnet-info").text
    # the folded row itself shows every unit of its findings
    browser.execute_script("network.unselectAll()")
    row = browser.find_element("css selector", f'#findings-table tr.fold[data-fold="{k}"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    row.find_elements("css selector", "td")[4].click()
    wait_for(browser, "return network.getSelectedNodes().length > 1")
    assert sorted(browser.execute_script("return network.getSelectedNodes()")) == \
        sorted(f.subject[0] for f in line.findings)
    # ... and from the keyboard (Enter on the focused row)
    browser.execute_script("network.unselectAll()")
    row = browser.find_element("css selector", f'#findings-table tr.fold[data-fold="{k}"]')
    assert row.get_attribute("tabindex") == "0"
    row.send_keys(Keys.ENTER)
    wait_for(browser, "return network.getSelectedNodes().length > 1")
    browser.save_screenshot(str(tmp_path / "report-fold.png"))

    # the text search finds a folded line by the name of one of its units
    Select(browser.find_element("id", "filter-family")).select_by_value("")
    name = G.nodes[finding.subject[0]]["name"]
    browser.find_element("id", "filter-text").send_keys(name)
    wait_for(browser, f"return !!document.querySelector('tr.fold[data-fold=\"{k}\"]')")
    # the line stays open, its findings on the same page as the line
    assert browser.execute_script(members) == len(line.findings)
    browser.find_element("id", "filter-text").clear()
    browser.find_element("id", "filter-text").send_keys(" ")
    pages = -(-len(lines) // 50)
    position = next(n for n, item in enumerate(lines) if item is line)
    on_page = min(50, len(lines) - 50 * (position // 50))
    if position // 50 == 0:
        wait_for(browser, f"{rows} === {on_page + len(line.findings)}")
    if pages > 1:
        browser.find_element("id", "page-next").click()
        wait_for(browser, "return document.getElementById('page-number').textContent"
                          f" === '第 2 / {pages} 页'")
    assert console_errors(browser) == []
