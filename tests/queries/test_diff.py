"""orgnet.queries.diff: findings that appeared / went away / changed, and summary figure changes."""

from __future__ import annotations

from orgnet.queries.diff import HEADLINE_FIGURES, diff_findings, diff_summaries, finding_key, summary_figures
from orgnet.queries.finding import Finding
from orgnet.queries.runner import run_checks


def test_same_runs_have_no_difference(make_graph):
    G = make_graph({"institutions": [{"id": "V1", "name": "卫生室", "kind": "village_clinic"}]})
    a, b = run_checks(G), run_checks(G)
    assert diff_findings(a.findings, b.findings).is_empty()
    assert diff_summaries(a.summary, b.summary) == []


def test_appeared_resolved_and_changed_are_told_apart():
    kept_old = Finding("connectivity.cut_unit", "medium", ("T1",), "m", {"cut_off": 2})
    kept_new = Finding("connectivity.cut_unit", "medium", ("T1",), "m", {"cut_off": 3})
    gone = Finding("coverage.empty_org", "medium", ("O1",), "m")
    new = Finding("coverage.empty_org", "medium", ("O2",), "m")
    d = diff_findings([kept_old, gone], [new, kept_new])
    assert d.appeared == [new]
    assert d.resolved == [gone]
    assert d.changed == [(kept_old, kept_new)]


def test_json_findings_compare_like_records():
    record = Finding("referral.one_way", "medium", ("A", "B"), "m", {"x": 1})
    assert finding_key(record) == finding_key(record.to_dict()) == ("referral.one_way", ("A", "B"))
    assert diff_findings([record], [record.to_dict()]).is_empty()


def test_summary_diff_lists_changes_and_headline_figures(make_graph):
    G = make_graph({"institutions": [{"id": "V1", "name": "卫生室", "kind": "village_clinic"},
                                     {"id": "T1", "name": "卫生院", "kind": "township_health_center"}],
                    "party_orgs": [{"id": "O1", "name": "支部", "kind": "branch",
                                    "institution_ids": "T1"}]})
    before = run_checks(G).summary
    G.remove_node("O1")
    after = run_checks(G).summary
    rows = diff_summaries(before, after, always=HEADLINE_FIGURES)
    assert [r["figure"] for r in rows[:len(HEADLINE_FIGURES)]] == list(HEADLINE_FIGURES)
    by_name = {r["figure"]: r for r in rows}
    assert by_name["coverage.overall.coverage_rate"] == {
        "figure": "coverage.overall.coverage_rate", "before": 0.5, "after": 0.0, "change": -0.5}
    assert by_name["counts.PartyOrg"]["change"] == -1
    # unchanged figures outside the headline are left out
    assert "counts.Institution" not in by_name


def test_a_figure_present_on_one_side_only_counts_as_zero_on_the_other():
    rows = diff_summaries({"link_types": {}}, {"link_types": {"referral": 2}})
    assert rows == [{"figure": "link_types.referral", "before": 0, "after": 2, "change": 2}]
    assert summary_figures({"a": {"b": True, "c": "x", "d": 1.5}}) == {"a.d": 1.5}
