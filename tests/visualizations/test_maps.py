"""Maps are single offline files rendered from templates, draw the view they are asked
for (or its overview), and escape all data."""

import json
import re
from pathlib import Path

import pytest

from conftest import write_csv_tables
from orgnet.loaders import load_graph
from orgnet.queries.runner import run_checks
from orgnet.visualizations import encoding as enc
from orgnet.visualizations.maps import (
    MIN_LABEL_PX, READABLE_UP_TO, external_resources, json_for_script, map_html, map_model,
    page_model,
)
from orgnet.visualizations.views import VIEWS, VisualizationError, build_view

PACKAGE = Path(__file__).resolve().parents[2] / "visualizations"


def main_layer(page):
    return page_model(page)["layers"]["main"]


def by_id(layer):
    return {n["id"]: n for n in layer["nodes"]}


def border(model, node):
    return model["marks"][node["m"]]["color"] if "m" in node else None


def edge_style(model, edge):
    return model["edgeStyles"][edge["s"]]


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_is_one_offline_file_with_the_view_drawn(tiny_graph, tiny_report, view):
    page = map_html(tiny_graph, tiny_report.findings, view=view)
    assert external_resources(page) == []
    assert "<link" not in page and not re.search(r"<script[^>]+src=", page)
    assert "bootstrap" not in page.lower() and "cdn" not in page.lower()
    assert "sourceMappingURL" not in page
    assert "vis.Network" in page and page.startswith("<!DOCTYPE html>")
    expected = build_view(tiny_graph, view)
    layer = main_layer(page)
    assert {n["id"] for n in layer["nodes"]} == set(expected.nodes)
    assert len(layer["edges"]) == expected.number_of_edges()
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float)
               for n in layer["nodes"])                         # precomputed layout
    assert "physics: {enabled: false}" in page


def test_the_map_page_comes_from_templates_not_string_surgery():
    source = (PACKAGE / "maps.py").read_text(encoding="utf-8")
    assert "re.sub(" not in source and "_replace_once" not in source
    assert "generate_html" not in source and "<html" not in source and "<div" not in source
    for name in ("map.html.j2", "_map.html.j2", "report.html.j2"):
        assert (PACKAGE / "templates" / name).is_file()
    report = (PACKAGE / "report.py").read_text(encoding="utf-8")
    assert "<tr" not in report and "<svg" not in report and "<section" not in report


def test_json_for_script_cannot_end_the_script_element():
    text = json_for_script({"a": "</script><script>alert(1)</script>", "b": "&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "&\u2028"}


def test_external_resources_finds_every_kind_of_load():
    page = ('<script src="https://a/x.js"></script><link href="//b/y.css">'
            "<style>@import 'z.css'; p { background: url(http://c/i.png) }</style>"
            '<img srcset="https://d/1.png 1x">')
    assert len(external_resources(page)) == 5
    assert external_resources('<p>see https://example.org</p><img src="data:image/png;base64,">') == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_payload_names_never_reach_the_page_as_html(tmp_path, xss_tables, xss_name, lang):
    G = load_graph(write_csv_tables(tmp_path / "xss", xss_tables))
    report = run_checks(G, lang=lang)
    assert any(xss_name in f.message for f in report.findings)     # the payload is in findings
    for view in VIEWS:
        page = map_html(G, report.findings, view=view, title=xss_name, notes=[xss_name],
                        lang=lang)
        assert "<img src=x" not in page and "<a href=" not in page
        assert "window.__xss=2</script>" not in page
        assert 'onerror="' not in page
        assert f"<h1>{xss_name}" not in page and "&lt;img src=x onerror=" in page
        assert "innerHTML" not in page                          # DOM text only
        labels = {n["id"]: n["l"] for n in main_layer(page)["nodes"]}
        if "V2" in labels:
            assert labels["V2"] == xss_name[:23] + "…"            # long names are cut
            assert page_model(page)["layers"]["main"]["nodes"][0]["t"]  # tooltip lines
        assert external_resources(page) == []


def test_uncovered_isolated_and_cut_units_are_marked(tiny_graph, tiny_report):
    page = map_html(tiny_graph, tiny_report.findings, view="units")
    model = page_model(page)
    nodes = by_id(model["layers"]["main"])
    marks = {key: colour for key, colour in enc.FINDING_MARKS.values()}
    assert border(model, nodes["V2"]) == marks["uncovered"]   # uncovered and isolated: uncovered wins
    assert border(model, nodes["V3"]) == marks["isolated"]
    assert border(model, nodes["H1"]) == marks["cut"]
    assert border(model, nodes["T2"]) is None                 # findings, none of them drawn


def test_one_way_referral_and_broken_chain_marks(tiny_graph, make_finding):
    findings = [make_finding("referral.one_way", ["V1", "T1"]),
                make_finding("referral.broken_chain", ["V1"], evidence={"break_at": ["T1"]})]
    model = page_model(map_html(tiny_graph, findings, view="referral"))
    layer = model["layers"]["main"]
    edges = {(e["a"], e["b"]): edge_style(model, e)["color"] for e in layer["edges"]
             if not edge_style(model, e)["structure"]}
    assert edges[("V1", "T1")] == enc.FINDING_MARKS["referral.one_way"][1]
    assert edges[("T1", "H1")] == enc.REFERRAL_DIRECTION_COLOURS["up"]
    assert edges[("H1", "T1")] == enc.REFERRAL_DIRECTION_COLOURS["down"]
    assert edges[("V3", "T2")] == enc.REFERRAL_DIRECTION_COLOURS["inactive"]
    nodes = by_id(layer)
    assert border(model, nodes["V1"]) == enc.FINDING_MARKS["referral.broken_chain"][1]
    assert border(model, nodes["T1"]) == enc.BREAK_POINT_MARK[1]
    # the legend lists what is drawn: these two marks and the one-way tie, nothing else
    assert sorted(m["key"] for m in model["marks"]) == ["break_point", "broken", "one_way"]


def test_referral_width_follows_count_and_both_ways_are_curved(tiny_graph):
    model = page_model(map_html(tiny_graph, view="referral"))
    edges = {(e["a"], e["b"]): e for e in model["layers"]["main"]["edges"] if "w" in e}
    assert edges[("T1", "H1")]["w"] > edges[("V1", "T1")]["w"] > edges[("H1", "T1")]["w"]
    assert edges[("T1", "H1")].get("r") == 1 and "r" not in edges[("V1", "T1")]
    assert edge_style(model, edges[("T1", "H1")])["to"] is True


def test_tooltips_and_findings_travel_as_text(tiny_graph, tiny_report):
    model = page_model(map_html(tiny_graph, tiny_report.findings, view="units", lang="en"))
    nodes = by_id(model["layers"]["main"])
    assert nodes["H1"]["t"][0] == "县人民医院"
    for i, f in enumerate(tiny_report.findings):
        entry = model["findings"][i]
        assert (entry["c"], entry["s"], entry["m"], entry["g"]) == (
            f.check, f.severity, f.message, f.suggestion)
        for node in f.subject:
            if node in nodes:
                assert i in nodes[node]["f"] and node in entry["n"]
    edge_tips = [e["t"] for e in model["layers"]["main"]["edges"]]
    assert any("王伟" in line for tip in edge_tips for line in tip)   # the liaison


def test_party_findings_are_shown_at_the_units_their_org_covers(tiny_graph, make_finding):
    model = map_model(tiny_graph, [make_finding("structure.no_secretary", ["O3"])])
    assert model["findings"][0]["n"] and all(
        n in by_id(model["layers"]["main"]) for n in model["findings"][0]["n"])


def test_structure_edges_sit_on_a_toggle(tiny_graph):
    model = page_model(map_html(tiny_graph, view="referral"))
    layer = model["layers"]["main"]
    structure = [e for e in layer["edges"] if edge_style(model, e)["structure"]]
    assert len(structure) == 5 and layer["structureShown"] is False
    assert page_model(map_html(tiny_graph, view="units"))["layers"]["main"]["structureShown"]


def test_page_texts_in_the_chosen_language(tiny_graph, tiny_report):
    zh = map_html(tiny_graph, tiny_report.findings, view="full", lang="zh")
    assert '<html lang="zh-CN">' in zh and 'class="orgnet-legend"' in zh
    model = page_model(zh)
    for key in ("legend", "search_placeholder", "export_png", "zoom_in", "filters"):
        assert model["texts"][key] == enc.text(key, "zh")
    assert enc.text("search_placeholder", "zh") in zh            # the template's own text
    texts = [s["text"] for s in model["nodeStyles"] + model["edgeStyles"] + model["marks"]]
    assert any("村卫生室" in t for t in texts) and "联点联系" in texts
    assert enc.text("mark.uncovered", "zh") in texts
    en = map_html(tiny_graph, tiny_report.findings, view="full", lang="en")
    assert enc.text("legend", "en") in en and enc.text("legend", "zh") not in en


def test_legend_entries_never_share_a_colour(tiny_graph, tiny_report):
    for view in VIEWS:
        model = page_model(map_html(tiny_graph, tiny_report.findings, view=view))
        entries = [(s["color"], s["text"]) for s in model["nodeStyles"]] + \
            [(s["color"], s["text"]) for s in model["edgeStyles"]] + \
            [(m["color"], m["text"]) for m in model["marks"]]
        colours = {}
        for colour, text in entries:
            colours.setdefault(colour.lower(), set()).add(text)
        assert all(len(texts) == 1 for texts in colours.values()), colours


def test_big_views_are_aggregated_and_the_page_says_so(tiny_graph):
    page = map_html(tiny_graph, view="full", limit=12)
    assert len(main_layer(page)["nodes"]) <= 12
    assert "shown aggregated" in page and "members into their organization" in page
    assert "shown aggregated" not in map_html(tiny_graph, view="full")


def test_filters_and_empty_maps_say_what_they_show(tiny_graph):
    page = map_html(tiny_graph, [], view="units", check="referral.leapfrog", lang="zh")
    assert main_layer(page)["nodes"] == []
    assert "当前范围内没有检查项 referral.leapfrog 的问题。" in page
    page = map_html(tiny_graph, view="units", region="R2")
    assert {n["id"] for n in main_layer(page)["nodes"]} == {"T1", "V1", "V2"}
    assert "Filtered: 东镇 (R2)" in page


def test_unknown_view_is_an_error(tiny_graph):
    with pytest.raises(VisualizationError, match="unknown view 'map'"):
        map_html(tiny_graph, view="map")


def test_readable_label_settings_reach_the_page(tiny_graph):
    model = page_model(map_html(tiny_graph))
    assert (model["minLabelPx"], model["readableUpTo"]) == (MIN_LABEL_PX, READABLE_UP_TO) \
        == (10, 300)


def test_large_institution_views_open_on_an_overview(tmp_path):
    from orgnet.loaders.generate import generate_dataset

    generate_dataset(tmp_path / "three", counties=3, seed=5)
    G = load_graph(tmp_path / "three")
    report = run_checks(G)
    model = map_model(G, report.findings, overview_from=100)
    assert model["start"] == "overview"
    overview = model["layers"]["overview"]
    assert 3 <= len(overview["nodes"]) <= 300
    units = build_view(G, "units")
    details = {k: v for k, v in model["layers"].items() if k.startswith("region:")}
    assert {n["o"] for n in overview["nodes"]} == set(details)
    homes = [n["id"] for layer in details.values() for n in layer["nodes"] if not n.get("e")]
    assert sorted(homes) == sorted(units.nodes)                 # every unit drawn once at home
    colours = {model["nodeStyles"][n["s"]]["color"] for n in overview["nodes"]}
    assert colours <= {c for _, c in enc.COVERAGE_SCALE} | {enc.NO_RATE_COLOUR}
    # the same map under the threshold: one layer
    assert map_model(G, report.findings)["start"] == "main"
    # party views are aggregated instead
    assert map_model(G, report.findings, view="party", overview_from=100)["start"] == "main"


def test_big_models_are_compressed_and_read_back(tiny_graph, tiny_report):
    small = map_html(tiny_graph, tiny_report.findings)
    packed = map_html(tiny_graph, tiny_report.findings, pack_over=100)
    assert 'type="application/json" id="orgnet-model"' in small
    assert 'type="application/x-orgnet-gzip-base64" id="orgnet-model"' in packed
    assert page_model(packed) == page_model(small)
    assert external_resources(packed) == []


def test_a_split_model_reads_regions_and_texts_later_and_joins_back(tmp_path):
    from orgnet.loaders.generate import generate_dataset
    from orgnet.visualizations.maps import split_model

    generate_dataset(tmp_path / "three", counties=3, seed=5)
    G = load_graph(tmp_path / "three")
    report = run_checks(G, lang="zh")
    model = map_model(G, report.findings, lang="zh", overview_from=100)
    core, parts = split_model(model, pack_over=1000, chunk=100)
    assert list(core["layers"]) == ["overview"]                  # only the first layer
    assert set(core["parts"]["layers"]) == set(model["layers"]) - {"overview"}
    assert len(core["parts"]["texts"]["chunks"]) == -(-len(report.findings) // 100)
    assert all("m" not in f and "s" in f and "n" in f for f in core["findings"])
    assert {u[0] for u in core["units"]} == set(build_view(G, "units").nodes)
    assert all(p["type"] == "application/x-orgnet-gzip-base64" for p in parts)
    page = map_html(G, report.findings, lang="zh", overview_from=100, pack_over=1000)
    assert page_model(page) == model
    assert external_resources(page) == []
