"""The report: summary figures, charts, findings table and map in one escaped offline page."""

import html
import re

from conftest import write_csv_tables
from orgnet.graphmodel.embedded import new_graph
from orgnet.loaders import load_graph
from orgnet.queries.planner import planner_lines
from orgnet.queries.finding import SEVERITIES
from orgnet.queries.catalog import CATALOG, FAMILIES
from orgnet.queries.runner import Report, run_checks
from orgnet.visualizations import encoding as enc
from orgnet.visualizations.maps import external_resources, page_model
from orgnet.visualizations.report import PAGE_SIZE, coverage_by_region, legend_layout, report_html


def rows(page):
    """The findings of the table (drawn by the page's script from the model)."""
    return [(f["fam"], f["s"]) for f in page_model(page)["findings"]]


def test_the_report_is_one_offline_page_with_every_section(tiny_graph, tiny_report):
    page = report_html(tiny_graph, tiny_report)
    assert page.startswith("<!DOCTYPE html>") and external_resources(page) == []
    assert "<link" not in page and not re.search(r"<script[^>]+src=", page)
    for section in ("summary", "chart-kind", "chart-region", "findings", "map"):
        assert f'<section id="{section}">' in page
    assert "@media print" in page
    # the map is embedded (no frame), so the table can drive it
    assert "<iframe" not in page and 'class="orgnet-map"' in page and "vis.Network" in page
    assert page.count('id="orgnet-model"') == 1
    assert page_model(page)["pageSize"] == PAGE_SIZE


def test_summary_figures_come_from_the_report(tiny_graph, tiny_report):
    page = report_html(tiny_graph, tiny_report)
    overall = tiny_report.summary["coverage"]["overall"]
    for rate in ("coverage_rate", "own_branch_rate", "work_coverage_rate"):
        assert f"{overall[rate] * 100:.1f}%" in page
    referrals = tiny_report.summary["referrals"]
    assert f"{enc.text('referrals_up', 'en')}: {referrals['up']}<" in page
    assert f"{enc.text('referrals_down', 'en')}: {referrals['down']}<" in page
    for kind, entry in tiny_report.summary["coverage"]["by_kind"].items():
        assert f"{enc.display_kind(kind)} ({entry['institutions']})" in page


def test_coverage_by_region_regroups_health_institutions(tiny_graph):
    by_region = dict(coverage_by_region(tiny_graph))
    # R1 holds H1, T2, V3 (all covered); R2 holds T1, V1 (covered) and V2 (not)
    assert by_region["示范县"]["institutions"] == 3 and by_region["示范县"]["coverage_rate"] == 1.0
    assert (by_region["东镇"]["covered"], by_region["东镇"]["institutions"]) == (2, 3)
    assert by_region["东镇"]["own_branch"] == 1          # T1's branch; V1 shares it
    tiny_graph.add_node("X", label="Institution", name="无区域卫生室", kind="village_clinic",
                        level="village")
    tiny_graph.add_node("S", label="Institution", name="学校", kind="school", level="village")
    names = [name for name, _ in coverage_by_region(tiny_graph, "zh")]
    assert names[-1] == enc.text("no_region", "zh")       # schools are not health institutions
    assert dict(coverage_by_region(tiny_graph))["(no region)"]["institutions"] == 1


def test_many_regions_roll_up_to_counties_then_the_worst_are_kept(tiny_graph):
    # R2 (township) lies in R1 (county): with at most 1 row, both count as 示范县
    assert [(n, e["institutions"]) for n, e in coverage_by_region(tiny_graph, most=1)] == [
        ("示范县", 6)]
    tiny_graph.nodes["R1"]["level"] = "city"          # no county above R2: no roll-up
    rows_ = coverage_by_region(tiny_graph, most=1)
    assert [(n, e["covered"], e["institutions"]) for n, e in rows_] == [("东镇", 2, 3)]


def test_findings_table_has_every_finding_with_filters(tiny_graph, tiny_report):
    page = report_html(tiny_graph, tiny_report)
    model = page_model(page)
    # every finding, in the planner's order: severity first, then region, then check
    planned = [f for line in planner_lines(tiny_report, tiny_graph) for f in line.findings]
    assert sorted(planned, key=repr) == sorted(tiny_report.findings, key=repr)
    assert rows(page) == [(f.check.split(".")[0], f.severity) for f in planned]
    ranks = [SEVERITIES.index(f.severity) for f in planned]
    assert ranks == sorted(ranks)
    for f, entry in zip(planned, model["findings"]):
        assert (entry["m"], entry["g"]) == (f.message, f.suggestion)
        assert model["checks"][f.check] == CATALOG[f.check].title["en"]
    for family in FAMILIES:
        assert f'<option value="{family}">' in page
    for severity in ("high", "medium", "low"):
        assert f'<option value="{severity}">' in page
    assert 'data-template="{shown} of {total} findings shown"' in page


def test_chinese_report(tiny_graph):
    report = run_checks(tiny_graph, lang="zh")
    page = report_html(tiny_graph, report, lang="zh")
    assert '<html lang="zh-CN">' in page
    for key in ("org_coverage", "own_branch_rate", "coverage_by_kind", "coverage_by_region",
                "referral_balance", "findings"):
        assert enc.text(key, "zh") in page
    assert any(f["subj"] == "王村卫生室（V2）" for f in page_model(page)["findings"])
    assert "乡镇卫生院 (2)" in page


def test_empty_graph_gives_a_report_without_figures():
    G = new_graph("empty")
    page = report_html(G, run_checks(G))
    assert rows(page) == [] and "–" in page and external_resources(page) == []


def test_report_without_summary_keys_still_renders(tiny_graph, make_finding):
    page = report_html(tiny_graph, Report({}, [make_finding("referral.leapfrog", ["V1", "H1"])]))
    assert len(rows(page)) == 1
    assert page_model(page)["findings"][0]["subj"] == "李村卫生室 (V1), 县人民医院 (H1)"


def test_payloads_are_escaped(tmp_path, xss_tables, xss_name):
    from markupsafe import escape

    xss_tables["regions"][1]["name"] = xss_name                 # drawn in a chart label
    G = load_graph(write_csv_tables(tmp_path / "xss", xss_tables))
    report = run_checks(G)
    page = report_html(G, report)
    assert any(xss_name in f.message for f in report.findings)
    assert "<img src=x" not in page and "<script>window.__xss" not in page
    assert 'onerror="' not in page and "innerHTML" not in page
    assert any(xss_name in f["m"] for f in page_model(page)["findings"])
    assert str(escape(xss_name)) in page                         # in the charts' labels


def test_redacted_report_names_nobody(tiny_graph, tiny_report):
    names = ("王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊")
    page = report_html(tiny_graph, tiny_report, map_view="full")
    assert all(name in page for name in names)
    redacted = report_html(tiny_graph, tiny_report, map_view="full", redact=True)
    assert not any(name in redacted for name in names)
    assert enc.text("redacted", "en") in redacted


def overlapping(boxes):
    """Pairs of legend entries on one row whose x ranges overlap."""
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[2] == b[2] and a[0] < b[1] and b[0] < a[1]]


def test_legend_entries_never_overlap_and_wrap_inside_the_width():
    for lang in ("en", "zh"):
        entries = [("#c00000", enc.text("org_coverage", lang)),
                   ("#f4a582", enc.text("own_branch_rate", lang)),
                   ("#888", enc.text("referrals_same", lang) + " 102")]
        for right in (100, 380, 610, 2000):
            items, height = legend_layout(entries, x=0, y=0, right=right)
            boxes = [(i["x"], i["end"], i["row"]) for i in items]
            assert len(boxes) == 3 and overlapping(boxes) == []
            # an entry passes the right edge only when it is alone on its row
            rows_used = [row for _, _, row in boxes]
            for start, end, row in boxes:
                assert end <= right or rows_used.count(row) == 1
            assert height == (max(rows_used) + 1) * 18
        items, _ = legend_layout(entries, x=0, y=0, right=100)
        assert [i["row"] for i in items] == [0, 1, 2]        # too narrow: stacked
    # CJK counts double: the Chinese caption is wider than as many Latin letters
    assert enc.text_width("组织覆盖率", 12) > enc.text_width("abcde", 12) * 1.5


def test_report_legends_show_whole_captions(tiny_graph, tiny_report):
    for lang in ("en", "zh"):
        page = report_html(tiny_graph, tiny_report, lang=lang)
        for key in ("org_coverage", "own_branch_rate", "referrals_same"):
            assert f">{html.escape(enc.text(key, lang))}" in page


def test_folded_lines_travel_with_their_findings(tmp_path):
    """The model lists each folded line (the designed hierarchy under one parent) with
    the place of its findings in the flat list the table and the map share."""
    from orgnet.loaders.generate import generate_dataset

    generate_dataset(tmp_path / "data", counties=1, seed=3)
    G = load_graph(tmp_path / "data")
    report = run_checks(G, lang="zh")
    page = report_html(G, report, lang="zh")
    model = page_model(page)
    lines = planner_lines(report, G)
    flat = [f for line in lines for f in line.findings]
    folded = [line for line in lines if line.folded]
    assert folded and len(model["folds"]) == len(folded)
    assert len(model["findings"]) == len(report.findings) == len(flat)
    for fold, line in zip(model["folds"], folded):
        assert flat[fold["at"]:fold["at"] + fold["size"]] == list(line.findings)
        assert (fold["s"], fold["c"], fold["m"], fold["g"]) == (
            "low", line.check, line.message, line.suggestion)
        assert fold["fam"] == "connectivity" and line.subject[0] in fold["subj"]
        for entry, finding in zip(model["findings"][fold["at"]:fold["at"] + fold["size"]],
                                  line.findings):
            assert (entry["c"], entry["m"]) == (finding.check, finding.message)
    assert enc.TEXTS["zh"]["fold_hint"] in page
    # no folded line: no hint
    assert enc.TEXTS["en"]["fold_hint"] not in report_html(new_graph("x"), run_checks(new_graph("x")))
