"""The runner: order, selection, severity filter, and the summary figures on a hand-built network."""

import json

import pytest

from orgnet.queries.catalog import CHECK_IDS, QueryError
from orgnet.queries.runner import Report, own_branch_institutions, run_checks, summarize

NETWORK = {
    "institutions": [
        {"id": "H1", "name": "县人民医院", "kind": "county_hospital"},
        {"id": "T1", "name": "东镇卫生院", "kind": "township_health_center", "parent_id": "H1"},
        {"id": "T2", "name": "西镇卫生院", "kind": "township_health_center", "parent_id": "H1"},
        {"id": "V1", "name": "李村卫生室", "kind": "village_clinic", "parent_id": "T1"},
        {"id": "V2", "name": "王村卫生室", "kind": "village_clinic", "parent_id": "T1"},
        {"id": "V3", "name": "张村卫生室", "kind": "village_clinic", "parent_id": "T2"},
        {"id": "V4", "name": "赵村卫生室", "kind": "village_clinic", "parent_id": "T2"},
        {"id": "V5", "name": "钱村卫生室", "kind": "village_clinic", "parent_id": "T2"},
        {"id": "S1", "name": "东镇小学", "kind": "school"},
    ],
    "party_orgs": [
        {"id": "O1", "name": "县人民医院党委", "kind": "committee", "institution_ids": "H1"},
        {"id": "O2", "name": "东镇卫生院党支部", "kind": "branch", "parent_id": "O1",
         "institution_ids": "T1;V1"},
        {"id": "O3", "name": "西镇联合党支部", "kind": "joint_branch", "parent_id": "O1",
         "institution_ids": "T2"},
        {"id": "O4", "name": "村医党支部", "kind": "branch", "parent_id": "O1",
         "institution_ids": "V2;V3"},
    ],
    "members": [{"id": "M1", "name": "王伟", "status": "full", "org_id": "O1",
                 "institution_id": "H1", "roles": "secretary"}],
    "links": [
        {"source_id": "V1", "target_id": "T1", "type": "referral", "count": 10},
        {"source_id": "T1", "target_id": "H1", "type": "referral", "count": 5},
        {"source_id": "H1", "target_id": "T1", "type": "referral", "count": 3},
        {"source_id": "T1", "target_id": "T2", "type": "referral", "count": 2},
        {"source_id": "V2", "target_id": "T1", "type": "referral", "count": 0},
        {"source_id": "M1", "target_id": "V4", "type": "liaison"},
        {"source_id": "M1", "target_id": "V5", "type": "liaison", "count": 0},
    ],
}


def test_own_branch_means_the_org_covers_only_the_unit_and_units_below_it(make_graph):
    # O2 covers T1 and V1 below it: T1's own; O4 covers peers V2, V3: nobody's own;
    # O3 is a joint branch: never own
    assert own_branch_institutions(make_graph(NETWORK)) == {"H1", "T1"}


def test_summary_figures(make_graph):
    G = make_graph(NETWORK, name="hand")
    summary = run_checks(G, only=["coverage"]).summary
    assert summary["dataset"] == "hand"
    assert summary["counts"] == {"Region": 0, "Institution": 9, "PartyOrg": 4, "Member": 1,
                                 "links": 5, "services": 0}
    assert summary["institution_kinds"] == {"county_hospital": 1, "township_health_center": 2,
                                            "village_clinic": 5, "school": 1}
    assert list(summary["institution_kinds"]) == ["county_hospital", "township_health_center",
                                                  "village_clinic", "school"]
    assert summary["org_kinds"] == {"committee": 1, "branch": 2, "joint_branch": 1}
    assert summary["member_statuses"] == {"full": 1}
    assert summary["link_types"] == {"referral": 4, "liaison": 1}
    assert summary["coverage"]["overall"] == {
        "institutions": 8, "covered": 6, "own_branch": 2, "work_covered": 7,
        "coverage_rate": 0.75, "own_branch_rate": 0.25, "work_coverage_rate": 0.875}
    assert summary["coverage"]["by_kind"] == {
        "county_hospital": {"institutions": 1, "covered": 1, "own_branch": 1, "work_covered": 1,
                            "coverage_rate": 1.0, "own_branch_rate": 1.0,
                            "work_coverage_rate": 1.0},
        "township_health_center": {"institutions": 2, "covered": 2, "own_branch": 1,
                                   "work_covered": 2, "coverage_rate": 1.0,
                                   "own_branch_rate": 0.5, "work_coverage_rate": 1.0},
        "village_clinic": {"institutions": 5, "covered": 3, "own_branch": 0, "work_covered": 4,
                           "coverage_rate": 0.6, "own_branch_rate": 0.0,
                           "work_coverage_rate": 0.8},
    }
    # count-0 rows are ignored; T1 -> T2 is same-level
    assert summary["referrals"] == {"up": 15, "down": 3, "same_level": 2, "links": 4}
    assert summary["findings"] == {
        "total": 5, "by_severity": {"high": 2, "medium": 3, "low": 0},
        "by_check": {"coverage.uncovered_institution": 2, "coverage.empty_org": 3,
                     "coverage.unattached_member": 0}}
    json.dumps(summary)  # plain JSON types only


def test_findings_in_catalog_order_then_subject(make_graph):
    report = run_checks(make_graph(NETWORK))
    keys = [(CHECK_IDS.index(f.check), f.subject) for f in report.findings]
    assert keys == sorted(keys)
    assert {f.check for f in report.findings} >= {
        "coverage.uncovered_institution", "coverage.empty_org", "structure.branch_too_small"}
    assert report.summary["findings"]["total"] == len(report.findings)
    assert list(report.summary["findings"]["by_check"]) == list(CHECK_IDS)


def test_only_skip_and_min_severity(make_graph):
    G = make_graph(NETWORK)
    only = run_checks(G, only=["coverage.uncovered_institution"])
    assert [f.subject for f in only.findings] == [("V4",), ("V5",)]
    skipped = run_checks(G, only=["coverage"], skip=["coverage.empty_org"])
    assert {f.check for f in skipped.findings} == {"coverage.uncovered_institution"}
    assert "coverage.empty_org" not in skipped.summary["findings"]["by_check"]
    high = run_checks(G, only=["coverage"], min_severity="high")
    assert {f.severity for f in high.findings} == {"high"}


def test_report_json_and_fail_on(make_graph):
    report = run_checks(make_graph(NETWORK), only=["coverage"], lang="zh")
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert set(data) == {"summary", "findings"}
    first = data["findings"][0]
    assert set(first) == {"check", "severity", "subject", "message", "evidence", "suggestion"}
    assert first["message"] == "赵村卫生室（V4）未被任何党组织覆盖。"
    assert report.has_findings_at_or_above("high")
    assert not Report({}, []).has_findings_at_or_above("low")


@pytest.mark.parametrize("kw", [{"only": ["nonsense"]}, {"skip": ["coverage.nope"]},
                                {"min_severity": "urgent"}, {"lang": "fr"}])
def test_bad_selection_raises_query_error(make_graph, kw):
    with pytest.raises(QueryError):
        run_checks(make_graph({}), **kw)


def test_empty_graph_summary(make_graph):
    summary = summarize(make_graph({}), [])
    assert summary["coverage"]["overall"]["coverage_rate"] is None
    assert summary["referrals"] == {"up": 0, "down": 0, "same_level": 0, "links": 0}
    assert summary["findings"]["total"] == 0


def test_a_second_run_sees_an_attribute_edited_in_place(make_graph):
    # the shared derived tables (unit network, active links, ...) live for one run
    # only: setting a link's count to 0 in place (same nodes, same node pairs) must
    # show in the next run on the same graph object
    import copy

    G = make_graph(NETWORK)
    isolated = "connectivity.isolated_unit"
    before = run_checks(G)
    assert ("V4",) not in [f.subject for f in before.findings if f.check == isolated]
    (data,) = [d for u, v, d in G.edges("M1", data=True) if v == "V4"]
    data["count"] = 0                       # the only active link reaching V4
    after = run_checks(G)
    assert ("V4",) in [f.subject for f in after.findings if f.check == isolated]
    assert after.summary["counts"]["links"] == before.summary["counts"]["links"] - 1
    assert after.to_dict() == run_checks(copy.deepcopy(G)).to_dict()
