"""Maps are single offline files, draw the view they are asked for, and escape all data."""

import json
import math
import re
from pathlib import Path

import pytest

from conftest import write_csv_tables
from loaders import load_graph
from queries.runner import run_checks
from visualizations import encoding as enc
from visualizations.maps import (
    external_resources, json_for_script, label_boxes, map_html, positions,
)
from visualizations.views import VIEWS, VisualizationError, build_view


def vis_data(page, name):
    """Return the list pyvis put in ``name = new vis.DataSet([...])``."""
    match = re.search(name + r" = new vis\.DataSet\((\[.*?\])\);", page, re.DOTALL)
    return json.loads(match.group(1))


def orgnet_data(page):
    match = re.search(r'<script type="application/json" id="orgnet-data">(.*?)</script>',
                      page, re.DOTALL)
    return json.loads(match.group(1))


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_is_one_offline_file_with_the_view_drawn(tiny_graph, tiny_report, view):
    page = map_html(tiny_graph, tiny_report.findings, view=view)
    assert external_resources(page) == []
    assert "<link" not in page and not re.search(r"<script[^>]+src=", page)
    assert "bootstrap" not in page.lower() and "tom-select" not in page.lower()
    assert "sourceMappingURL" not in page
    assert "vis.Network" in page and page.startswith("<!DOCTYPE html>")
    expected = build_view(tiny_graph, view)
    nodes, edges = vis_data(page, "nodes"), vis_data(page, "edges")
    assert {n["id"] for n in nodes} == set(expected.nodes)
    assert len(edges) == expected.number_of_edges()
    assert orgnet_data(page)["counts"] == {"nodes": len(nodes), "edges": len(edges)}
    assert all("x" in n and "y" in n for n in nodes)               # precomputed layout
    assert '"physics": {"enabled": false}' in page


def test_external_resources_finds_every_kind_of_load():
    page = ('<script src="https://a/x.js"></script><link href="//b/y.css" rel=stylesheet>'
            '<style>p{background:url( "http://c/z.png")}</style><style>@import "d.css";</style>'
            '<img src=http://e/i.png>')
    assert len(external_resources(page)) == 5
    assert external_resources('<p>see https://example.org</p><img src="data:image/png;base64,">') == []


def test_json_for_script_cannot_end_the_script_element():
    text = json_for_script({"a": "</script><script>alert(1)</script>", "b": "&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "&\u2028"}


def test_payload_names_never_reach_the_page_as_html(tmp_path, xss_tables, xss_name):
    G = load_graph(write_csv_tables(tmp_path / "xss", xss_tables))
    report = run_checks(G)
    assert any(xss_name in f.message for f in report.findings)     # the payload is in findings
    for view in VIEWS:
        page = map_html(G, report.findings, view=view, title=xss_name, notes=[xss_name])
        assert "<img src=x" not in page and "<a href=" not in page
        assert "window.__xss=2</script>" not in page
        assert "popup.innerHTML" not in page         # pyvis's raw-HTML tooltip is never used
        assert all("title" not in n for n in vis_data(page, "nodes"))
        labels = {n["id"]: n["label"] for n in vis_data(page, "nodes")}
        if "V2" in labels:
            assert labels["V2"] == xss_name[:23] + "…"            # long names are cut
        assert external_resources(page) == []


def test_uncovered_isolated_and_cut_units_are_marked(tiny_graph, tiny_report):
    page = map_html(tiny_graph, tiny_report.findings, view="units")
    border = {n["id"]: n["color"]["border"] for n in vis_data(page, "nodes")}
    marks = {key: colour for key, colour in enc.FINDING_MARKS.values()}
    assert border["V2"] == marks["uncovered"]          # uncovered and isolated: uncovered wins
    assert border["V3"] == marks["isolated"]
    assert border["H1"] == marks["cut"]
    assert border["T2"] == "#555555"                   # findings, none of them drawn: near miss


def test_one_way_referral_and_broken_chain_marks(tiny_graph, make_finding):
    findings = [make_finding("referral.one_way", ["V1", "T1"]),
                make_finding("referral.broken_chain", ["V1"], evidence={"break_at": ["T1"]})]
    page = map_html(tiny_graph, findings, view="referral")
    nodes = {n["id"]: n for n in vis_data(page, "nodes")}
    edges = {(e["from"], e["to"]): e for e in vis_data(page, "edges")
             if e["color"].get("color") != enc.EDGE_STYLES["BELONGS_TO"]["color"]}
    assert edges[("V1", "T1")]["color"]["color"] == enc.FINDING_MARKS["referral.one_way"][1]
    assert edges[("T1", "H1")]["color"]["color"] == enc.REFERRAL_DIRECTION_COLOURS["up"]
    assert edges[("H1", "T1")]["color"]["color"] == enc.REFERRAL_DIRECTION_COLOURS["down"]
    assert edges[("V3", "T2")]["color"]["color"] == enc.REFERRAL_DIRECTION_COLOURS["inactive"]
    assert nodes["V1"]["color"]["border"] == enc.FINDING_MARKS["referral.broken_chain"][1]
    assert nodes["T1"]["color"]["border"] == enc.BREAK_POINT_MARK[1]


def test_referral_width_follows_count_and_both_ways_are_curved(tiny_graph):
    page = map_html(tiny_graph, view="referral")
    edges = {(e["from"], e["to"]): e for e in vis_data(page, "edges") if e["width"] != 1
             or e["to"] == "T2"}
    assert edges[("T1", "H1")]["width"] > edges[("V1", "T1")]["width"] > edges[("H1", "T1")]["width"]
    assert edges[("T1", "H1")]["smooth"]["type"] == "curvedCW"
    assert "smooth" not in edges[("V1", "T1")]
    assert edges[("T1", "H1")]["arrows"]["to"]["enabled"] is True


def test_tooltips_list_findings_and_suggestions_as_text(tiny_graph, tiny_report):
    page = map_html(tiny_graph, tiny_report.findings, view="units", lang="en")
    tips = orgnet_data(page)["nodeTips"]
    for f in tiny_report.findings:
        for node in f.subject:
            if node in tips:
                assert any(f.message in line for line in tips[node])
                assert any(f.suggestion in line for line in tips[node])
    assert tips["H1"][0] == "县人民医院"
    edge_tips = orgnet_data(page)["edgeTips"]
    assert any("王伟" in line for tip in edge_tips.values() for line in tip)  # the liaison


def test_structure_edges_are_listed_for_the_toggle(tiny_graph):
    page = map_html(tiny_graph, view="referral")
    data = orgnet_data(page)
    edges = vis_data(page, "edges")
    hidden = {e["id"] for e in edges if e.get("hidden")}
    assert hidden == set(data["structureEdges"]) and len(hidden) == 5
    assert data["structureShown"] is False
    assert 'id="orgnet-structure">' in page                    # unchecked
    units = map_html(tiny_graph, view="units")
    assert 'id="orgnet-structure" checked>' in units
    assert not any(e.get("hidden") for e in vis_data(units, "edges"))


def test_legend_in_the_chosen_language(tiny_graph, tiny_report):
    zh = map_html(tiny_graph, tiny_report.findings, view="full", lang="zh")
    assert '<html lang="zh-CN">' in zh and 'id="orgnet-legend"' in zh
    for key in ("legend", "mark.uncovered", "mark.one_way", "ref.up"):
        assert enc.text(key, "zh") in zh
    assert "村卫生室" in zh and "联点联系" in zh
    en = map_html(tiny_graph, tiny_report.findings, view="full", lang="en")
    assert enc.text("legend", "en") in en and enc.text("legend", "zh") not in en


def test_big_views_are_aggregated_and_the_page_says_so(tiny_graph):
    page = map_html(tiny_graph, view="full", limit=12)
    assert len(vis_data(page, "nodes")) <= 12
    assert "shown aggregated" in page and "members into their organization" in page
    small = map_html(tiny_graph, view="full")
    assert "shown aggregated" not in small


def test_filters_and_empty_maps_say_what_they_show(tiny_graph, make_finding):
    page = map_html(tiny_graph, [], view="units", check="referral.leapfrog", lang="zh")
    assert vis_data(page, "nodes") == []
    assert "当前范围内没有检查项 referral.leapfrog 的问题。" in page
    page = map_html(tiny_graph, view="units", region="R2")
    assert {n["id"] for n in vis_data(page, "nodes")} == {"T1", "V1", "V2"}
    assert "Filtered: 东镇 (R2)" in page


def test_unknown_view_is_an_error(tiny_graph):
    with pytest.raises(VisualizationError, match="unknown view 'map'"):
        map_html(tiny_graph, view="map")


def test_positions_are_distinct_and_trees_stay_together(tiny_graph):
    for view in VIEWS:
        built = build_view(tiny_graph, view)
        pos = positions(built)
        assert set(pos) == set(built.nodes)
        assert len(set(pos.values())) == len(pos)
    party = positions(build_view(tiny_graph, "party"))
    assert party["O1"][1] < party["O2"][1] < party["T1"][1]        # top-down tree


def test_three_or_more_trees_form_a_wheel_around_the_loose_units():
    from visualizations.views import View, ViewNode

    view = View("units")
    view.nodes["CITY"] = ViewNode("CITY", "Institution", "市医院", "city_hospital")
    for t in range(4):
        view.nodes[f"H{t}"] = ViewNode(f"H{t}", "Institution", "县医院", "county_hospital")
        for v in range(5):
            view.nodes[f"V{t}{v}"] = ViewNode(f"V{t}{v}", "Institution", "村", "village_clinic")
            view.parent[f"V{t}{v}"] = f"H{t}"
    pos = positions(view)
    assert pos["CITY"] == (0.0, 0.0)                       # the hub in the middle
    radii = {round((pos[f"H{t}"][0] ** 2 + pos[f"H{t}"][1] ** 2) ** 0.5) for t in range(4)}
    assert len(radii) == 1 and radii.pop() > 0              # the trees on one ring
    spread = [((pos[f"V{t}{v}"][0] - pos[f"H{t}"][0]) ** 2
               + (pos[f"V{t}{v}"][1] - pos[f"H{t}"][1]) ** 2) ** 0.5
              for t in range(4) for v in range(5)]
    gap = min(((pos[f"H{a}"][0] - pos[f"H{b}"][0]) ** 2
               + (pos[f"H{a}"][1] - pos[f"H{b}"][1]) ** 2) ** 0.5
              for a in range(4) for b in range(a + 1, 4))
    assert gap > 2 * max(spread)                            # neighbouring trees do not overlap


def overlapping_boxes(view, pos):
    boxes = label_boxes(view, pos)
    names = sorted(boxes)
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
            if boxes[a][0] < boxes[b][2] and boxes[b][0] < boxes[a][2]
            and boxes[a][1] < boxes[b][3] and boxes[b][1] < boxes[a][3]]


def hub_and_tree(trees=1):
    """Loose units with long Chinese names (bureau, MCH, party station) beside trees."""
    from visualizations.views import View, ViewNode

    view = View("units")
    for node, name, kind in (("HB", "清河县卫生健康局", "health_bureau"),
                             ("MCH", "清河县妇幼保健计划生育服务中心", "mch_hospital"),
                             ("PS", "城关镇党群服务中心", "party_service_station")):
        view.nodes[node] = ViewNode(node, "Institution", name, kind)
    for t in range(trees):
        view.nodes[f"C{t}"] = ViewNode(f"C{t}", "Institution", "清河县人民医院（医共体总院）",
                                       "county_hospital")
        for k in range(3):
            town = f"T{t}{k}"
            view.nodes[town] = ViewNode(town, "Institution", "石桥镇卫生院（总院石桥分院）",
                                        "township_health_center")
            view.parent[town] = f"C{t}"
            for v in range(5):
                village = f"V{t}{k}{v}"
                view.nodes[village] = ViewNode(village, "Institution", "鹰岭村卫生室",
                                               "village_clinic")
                view.parent[village] = town
    return view


def test_units_outside_the_trees_are_spaced_for_their_labels():
    for trees in (1, 3):                                   # rows and wheel layouts
        view = hub_and_tree(trees)
        pos = positions(view)
        assert overlapping_boxes(view, pos) == []
        closest = min(math.dist(pos[a], pos[b]) for a in pos for b in pos if a < b)
        assert closest >= 40                               # two node diameters at least
        # the loose units: side by side at least half their two labels apart
        assert abs(pos["HB"][0] - pos["MCH"][0]) >= (8 + 15) * 14 / 2 \
            or abs(pos["HB"][1] - pos["MCH"][1]) >= 60
        assert positions(view) == pos                       # deterministic


def test_labels_of_every_view_do_not_overlap(tiny_graph):
    for view_name in VIEWS:
        view = build_view(tiny_graph, view_name)
        assert overlapping_boxes(view, positions(view)) == []
    example = Path(__file__).resolve().parents[2] / "examples" / "county-medical-community"
    if example.is_dir():
        G = load_graph(example)
        for view_name in VIEWS:
            view = build_view(G, view_name)
            assert overlapping_boxes(view, positions(view)) == [], view_name
