"""Findings in the order a planner works, the designed hierarchy folded."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgnet.loaders import load_graph
from orgnet.queries.export import display_width, render_report
from orgnet.queries.finding import severity_rank
from orgnet.queries.planner import planner_lines
from orgnet.queries.runner import run_checks

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "county-medical-community"


@pytest.fixture(scope="module")
def example():
    G = load_graph(EXAMPLE)
    return G, run_checks(G, lang="zh").arranged(G)


def test_lines_go_by_severity_then_region_then_check(example):
    G, report = example
    keys = [(severity_rank(line.severity), not line.region_key, line.region_key)
            for line in report.lines]
    assert keys == sorted(keys)
    assert all(line.region for line in report.lines if line.check != "service.stage_gap"
               or line.subject[0] in G)


def test_every_finding_is_on_exactly_one_line_and_json_keeps_them_all(example):
    _, report = example
    listed = [f for line in report.lines for f in line.findings]
    assert sorted(map(repr, listed)) == sorted(map(repr, report.findings))
    assert len(report.to_dict()["findings"]) == len(report.findings)
    assert len(report.lines) < len(report.findings)


def test_single_link_units_tied_only_to_their_parent_fold_into_one_low_line(example):
    G, report = example
    folded = [line for line in report.lines if line.folded]
    assert folded and all(line.severity == "low" for line in folded)
    for line in folded:
        (parent,) = line.subject
        for f in line.findings:
            assert G.nodes[f.subject[0]]["parent_id"] == parent
            if f.check == "connectivity.single_link_unit":
                assert f.evidence["neighbour"] == parent
        assert f"下属{len(line.findings)}家机构" in line.message
    # a unit whose one neighbour is not its parent stays a finding of its own
    alone = [line for line in report.lines if not line.folded
             and line.check == "connectivity.single_link_unit"]
    for line in alone:
        f, = line.findings
        assert G.nodes[f.subject[0]].get("parent_id") != f.evidence["neighbour"]


def _village_tree(make_graph, extra_links=()):
    institutions = [{"id": "H", "name": "县医院", "kind": "county_hospital"},
                    {"id": "T", "name": "镇卫生院", "kind": "township_health_center",
                     "parent_id": "H"},
                    {"id": "V1", "name": "甲村", "kind": "village_clinic", "parent_id": "T"},
                    {"id": "V2", "name": "乙村", "kind": "village_clinic", "parent_id": "T"},
                    {"id": "X", "name": "外村", "kind": "village_clinic"}]
    links = [{"source_id": a, "target_id": b, "type": "pairing"}
             for a, b in [("V1", "T"), ("V2", "T"), ("T", "H"), *extra_links]]
    return make_graph({"institutions": institutions, "links": links})


def test_a_cut_unit_over_its_own_villages_folds_and_one_over_an_outsider_does_not(make_graph):
    G = _village_tree(make_graph)
    report = run_checks(G, only=["connectivity.cut_unit"])
    lines = planner_lines(report, G)
    assert [(line.check, line.subject, line.folded) for line in lines] == [
        ("connectivity.cut_unit", ("H",), True)]
    G = _village_tree(make_graph, extra_links=[("X", "T")])   # X hangs on T, not below it
    report = run_checks(G, only=["connectivity.cut_unit"])
    lines = planner_lines(report, G)
    assert [(line.subject, line.folded, line.severity) for line in lines] == [
        (("T",), False, "medium")]


@pytest.mark.parametrize("width", [60, 100, 160])
def test_the_terminal_table_never_runs_past_the_width(example, width):
    _, report = example
    text = render_report(report, "table", width=width)
    assert max(display_width(line) for line in text.splitlines()) <= width
    unwrapped = render_report(report, "table")
    assert max(display_width(line) for line in unwrapped.splitlines()) > 160
