"""report --plan and map --plan in real headless Chromium, offline (as test_browser.py):
the plan section shows, proposed ties are drawn dashed, joint branches are framed on
the canvas, nothing is requested and no injected script runs."""

from __future__ import annotations

import pytest

from conftest import write_csv_tables
from orgnet.loaders import load_graph
from orgnet.queries.plan import make_plan, prove_plan
from orgnet.queries.runner import run_checks
from orgnet.visualizations.plan_overlay import plan_map_html
from orgnet.visualizations.report import report_html

from .test_browser import assert_no_alert, assert_offline, browser, open_page  # noqa: F401
from .test_plan_overlay import plan_tables

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan")
    G = load_graph(write_csv_tables(folder / "data", plan_tables()))
    report = run_checks(G, lang="zh")
    return G, report, prove_plan(G, make_plan(G, lang="zh", report=report))


def test_map_plan_draws_dashed_ties_and_framed_joint_branches(browser, tmp_path, planned):  # noqa: F811
    G, report, plan = planned
    path = tmp_path / "map.html"
    path.write_text(plan_map_html(G, plan, report.findings, lang="zh"), encoding="utf-8")
    urls, errors = open_page(browser, path)
    browser.save_screenshot(str(tmp_path / "map-plan.png"))
    assert_offline(urls, path)
    assert errors == []
    ties = {frozenset(op[1:3]) for a in plan.actions if a.kind == "pairing" for op in a.ops}
    dashed = browser.execute_script(
        "return edges.get({filter: function (e) { return Array.isArray(e.dashes); }})"
        ".map(function (e) { return [e.from, e.to]; });")
    assert {frozenset(e) for e in dashed} == ties
    frames = browser.execute_script("return orgnetMap.api.groupFrames();")
    assert sorted(f["label"].split()[0] for f in frames) == sorted(
        a.id for a in plan.actions if a.kind == "joint_branch")
    # the rings are painted: most points on each ring (between unit and ring edge) are
    # tinted in the group's colour, not white
    tinted = browser.execute_script("""
        var canvas = document.querySelector('.orgnet-canvas canvas');
        var ctx = canvas.getContext('2d'), ratio = canvas.width / canvas.clientWidth;
        return orgnetMap.api.groupFrames().map(function (f) {
          return f.rings.map(function (ring) {
            var hits = 0;
            for (var k = 0; k < 8; k += 1) {
              var a = k * Math.PI / 4 + 0.3, r = ring.r - 4;
              var p = network.canvasToDOM({x: ring.x + r * Math.cos(a), y: ring.y + r * Math.sin(a)});
              var d = ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
              if (d[0] + d[1] + d[2] < 740 && Math.max(d[0], d[1], d[2]) - Math.min(d[0], d[1], d[2]) > 8) {
                hits += 1;
              }
            }
            return hits;
          });
        });""")
    assert [len(rings) for rings in tinted] == [5, 1]
    assert all(hits >= 4 for rings in tinted for hits in rings), tinted
    legend = browser.execute_script("return document.querySelector('.orgnet-legend').textContent")
    assert "计划新增" in legend and "计划组建的联合党支部" in legend
    assert_no_alert(browser)
    assert browser.execute_script("return window.__xss === undefined")


def test_report_plan_section_shows_in_the_browser(browser, tmp_path, planned):  # noqa: F811
    G, report, plan = planned
    path = tmp_path / "report.html"
    path.write_text(report_html(G, report, lang="zh", plan=plan), encoding="utf-8")
    urls, errors = open_page(browser, path)
    browser.save_screenshot(str(tmp_path / "report-plan.png"))
    assert_offline(urls, path)
    assert errors == []
    shown = browser.execute_script("""
        var s = document.getElementById('plan');
        return [s.offsetHeight > 0, s.querySelectorAll('table.plan-actions tbody tr').length,
                s.querySelector('h2').textContent];""")
    assert shown == [True, len(plan.actions), "整改计划"]
    assert_no_alert(browser)
    assert browser.execute_script("return window.__xss === undefined")
