"""structure.*: each check fires, a near miss does not, the empty graph gives nothing."""

import pytest

from orgnet.graphmodel.schema import Settings
from orgnet.queries.catalog import render
from orgnet.queries.structure import (
    branches_without_committee, large_branches, orgs_without_secretary, orphan_orgs,
    small_branches, units_without_branch, ununified_community_units, wide_joint_branches,
)

CHECKS = [small_branches, large_branches, orgs_without_secretary, units_without_branch,
          branches_without_committee, wide_joint_branches, orphan_orgs,
          ununified_community_units]


@pytest.mark.parametrize("check", CHECKS)
def test_empty_graph_gives_no_hits(make_graph, check):
    assert check(make_graph({})) == []


def people(prefix, n, org=None, status="full", institution=None, roles=None):
    rows = []
    for i in range(n):
        row = {"id": f"{prefix}{i}", "name": f"{prefix}名{i}", "status": status}
        if org:
            row["org_id"] = org
        if institution:
            row["institution_id"] = institution
        if roles and i < len(roles):
            row["roles"] = roles[i]
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- too small
SMALL = {
    "institutions": [
        {"id": "H1", "name": "县医院", "kind": "county_hospital"},
        {"id": "T1", "name": "东镇卫生院", "kind": "township_health_center", "parent_id": "H1"},
        {"id": "T2", "name": "西镇卫生院", "kind": "township_health_center", "parent_id": "H1"},
        {"id": "T3", "name": "南镇卫生院", "kind": "township_health_center"},
    ],
    "party_orgs": [
        {"id": "O1", "name": "党委", "kind": "committee", "institution_ids": "H1"},
        {"id": "B1", "name": "东镇支部", "kind": "branch", "parent_id": "O1", "institution_ids": "T1"},
        {"id": "B2", "name": "西镇支部", "kind": "branch", "parent_id": "O1", "institution_ids": "T2"},
        {"id": "B3", "name": "南镇支部", "kind": "joint_branch", "institution_ids": "T3"},
        {"id": "G1", "name": "西镇小组", "kind": "group", "parent_id": "B2"},
    ],
    # B1: 2 full + 1 probationary (too small); B2: 2 full in the branch + 1 in its group (ok);
    # B3: 2 full (too small, no neighbour, no parent)
    "members": people("a", 2, "B1") + people("p", 1, "B1", "probationary")
    + people("b", 2, "B2") + people("g", 1, "G1") + people("c", 2, "B3"),
}


def test_small_branches_exact_hits(make_graph):
    hits = small_branches(make_graph(SMALL))
    assert hits == [
        (("B1",), {"name": "东镇支部", "kind": "branch", "full_members": 2, "minimum": 3,
                   "neighbours": ["B2"], "neighbour_names": ["西镇支部"],
                   "neighbour_full_members": [3], "parent": "O1", "parent_name": "党委"}),
        (("B3",), {"name": "南镇支部", "kind": "joint_branch", "full_members": 2, "minimum": 3,
                   "neighbours": [], "neighbour_names": [], "neighbour_full_members": [],
                   "parent": None, "parent_name": None}),
    ]
    zh = render("structure.branch_too_small", ("B1",), hits[0][1], "zh")
    assert zh.message == "东镇支部（B1）仅有正式党员2名，少于3名。"
    assert zh.suggestion == "与相邻的西镇支部（B2，正式党员3名）组建联合党支部。"


def test_small_branch_neighbours_ranked_region_first_then_smallest(make_graph):
    tables = {
        "regions": [{"id": "R1", "name": "东镇", "level": "township"}],
        "institutions": [{"id": "H1", "name": "县医院", "kind": "county_hospital"}] + [
            {"id": f"T{i}", "name": f"卫生院{i}", "kind": "township_health_center",
             "parent_id": "H1", **({"region_id": "R1"} if i in (0, 5) else {})}
            for i in range(6)],
        "party_orgs": [{"id": f"B{i}", "name": f"支部{i}", "kind": "branch",
                        "institution_ids": f"T{i}"} for i in range(6)],
        # B0 has 1 full member; B1..B5 have 5, 4, 3, 6, 7
        "members": people("a", 1, "B0") + people("b", 5, "B1") + people("c", 4, "B2")
        + people("d", 3, "B3") + people("e", 6, "B4") + people("f", 7, "B5"),
    }
    hits = dict(small_branches(make_graph(tables)))
    # B5 shares B0's region: first despite 7 members; then the two smallest by parent
    assert hits[("B0",)]["neighbours"] == ["B5", "B3", "B2"]
    assert hits[("B0",)]["neighbour_full_members"] == [7, 3, 4]


def test_small_branch_threshold_comes_from_settings(make_graph):
    hits = small_branches(make_graph(SMALL), Settings(branch_min_full_members=2))
    assert hits == []


# --------------------------------------------------------------------------- too large
def test_large_branches_counts_full_and_probationary_at_or_below(make_graph):
    tables = {"institutions": [], "party_orgs": [
        {"id": "B1", "name": "大支部", "kind": "branch"},
        {"id": "G1", "name": "小组", "kind": "group", "parent_id": "B1"},
        {"id": "B2", "name": "正好支部", "kind": "branch"}],
        "members": people("f", 40, "B1") + people("p", 10, "G1", "probationary")
        + people("x", 1, "G1") + people("a", 5, "B1", "activist") + people("n", 50, "B2")}
    assert large_branches(make_graph(tables)) == [
        (("B1",), {"name": "大支部", "kind": "branch", "members": 51, "maximum": 50,
                   "split_into": 2})]


# --------------------------------------------------------------------------- secretary
def test_orgs_without_secretary_exact_hits(make_graph):
    tables = {"institutions": [], "party_orgs": [
        {"id": "C1", "name": "党委", "kind": "committee"},
        {"id": "B1", "name": "一支部", "kind": "branch", "parent_id": "C1"},
        {"id": "B2", "name": "二支部", "kind": "branch", "parent_id": "C1"},
        {"id": "G1", "name": "小组", "kind": "group", "parent_id": "B1"}],
        "members": [
            # B1 has a secretary; C1's only secretary sits in B1, so C1 has none
            {"id": "M1", "name": "王伟", "status": "full", "org_id": "B1", "roles": "secretary"},
            {"id": "M2", "name": "李娜", "status": "full", "org_id": "C1"},
            {"id": "M3", "name": "张敏", "status": "full", "org_id": "C1", "roles": "committee_member"},
            {"id": "M4", "name": "刘洋", "status": "probationary", "org_id": "C1",
             "roles": "deputy_secretary"},
            {"id": "M5", "name": "陈静", "status": "full", "org_id": "B2", "roles": "expert"},
        ]}
    assert orgs_without_secretary(make_graph(tables)) == [
        # candidates: full members, direct first, committee roles first, then id
        (("B2",), {"name": "二支部", "kind": "branch", "candidates": ["M5"],
                   "candidate_names": ["陈静"]}),
        (("C1",), {"name": "党委", "kind": "committee", "candidates": ["M3", "M2", "M1"],
                   "candidate_names": ["张敏", "李娜", "王伟"]}),
    ]


def test_no_secretary_near_miss_groups_need_none(make_graph):
    tables = {"institutions": [], "party_orgs": [
        {"id": "G1", "name": "小组", "kind": "group"},
        {"id": "W1", "name": "党工委", "kind": "working_committee"}]}
    assert orgs_without_secretary(make_graph(tables)) == []


# --------------------------------------------------------------------------- unit without branch
def test_units_without_branch_exact_hits(make_graph):
    tables = {
        "institutions": [
            {"id": "T1", "name": "东镇卫生院", "kind": "township_health_center"},
            {"id": "T2", "name": "西镇卫生院", "kind": "township_health_center"},
            {"id": "T3", "name": "南镇卫生院", "kind": "township_health_center"},
            {"id": "T4", "name": "北镇卫生院", "kind": "township_health_center"},
        ],
        "party_orgs": [
            {"id": "J1", "name": "联合支部", "kind": "joint_branch", "institution_ids": "T1;T4"},
            {"id": "B2", "name": "西镇支部", "kind": "branch", "institution_ids": "T2"},
        ],
        # T1: 3 full under a joint branch (hit); T2: 3 full with own branch (no);
        # T3: 3 full, uncovered (hit); T4: 2 full + 1 probationary (no)
        "members": people("a", 3, "J1", institution="T1") + people("b", 3, "B2", institution="T2")
        + people("c", 3, institution="T3") + people("d", 2, "J1", institution="T4")
        + people("e", 1, "J1", "probationary", institution="T4"),
    }
    hits = units_without_branch(make_graph(tables))
    assert hits == [
        (("T1",), {"name": "东镇卫生院", "kind": "township_health_center", "full_members": 3,
                   "members": ["a0", "a1", "a2"], "member_names": ["a名0", "a名1", "a名2"],
                   "covered_by": ["J1"], "covered_by_names": ["联合支部"]}),
        (("T3",), {"name": "南镇卫生院", "kind": "township_health_center", "full_members": 3,
                   "members": ["c0", "c1", "c2"], "member_names": ["c名0", "c名1", "c名2"],
                   "covered_by": [], "covered_by_names": []}),
    ]
    en = render("structure.unit_without_branch", ("T1",), hits[0][1], "en")
    assert en.suggestion == ("Set up a branch in 东镇卫生院 (T1) with its 3 full members "
                             "(a名0 (a0), a名1 (a1), a名2 (a2)), moving it out of 联合支部 (J1).")


# --------------------------------------------------------------------------- branch committee
def test_branches_without_committee_exact_hits(make_graph):
    tables = {"institutions": [], "party_orgs": [
        {"id": "B1", "name": "大支部", "kind": "branch"},
        {"id": "B2", "name": "有委员会支部", "kind": "branch"},
        {"id": "B3", "name": "六人支部", "kind": "branch"}],
        "members": people("a", 7, "B1", roles=["secretary"])
        + people("b", 7, "B2", roles=["secretary", "deputy_secretary", "committee_member"])
        + people("c", 6, "B3")}
    assert branches_without_committee(make_graph(tables)) == [
        (("B1",), {"name": "大支部", "kind": "branch", "full_members": 7,
                   "committee": ["a0"], "committee_names": ["a名0"], "minimum": 3,
                   "candidates": ["a1", "a2"], "candidate_names": ["a名1", "a名2"]})]


# --------------------------------------------------------------------------- joint branch width
def test_wide_joint_branches_exact_hits(make_graph):
    units = [{"id": f"V{i}", "name": f"卫生室{i}", "kind": "village_clinic"} for i in range(6)]
    tables = {"institutions": units, "party_orgs": [
        {"id": "J1", "name": "宽联合支部", "kind": "joint_branch",
         "institution_ids": ";".join(f"V{i}" for i in range(6))},
        {"id": "J2", "name": "五单位联合支部", "kind": "joint_branch",
         "institution_ids": ";".join(f"V{i}" for i in range(5))},
        {"id": "B1", "name": "普通支部", "kind": "branch",
         "institution_ids": ";".join(f"V{i}" for i in range(6))}],
        "members": people("m", 3, "J1", institution="V2")}
    assert wide_joint_branches(make_graph(tables)) == [
        (("J1",), {"name": "宽联合支部", "units": 6, "maximum": 5, "split_into": 2,
                   "institutions": [f"V{i}" for i in range(6)],
                   "institution_names": [f"卫生室{i}" for i in range(6)],
                   "minimum": 3, "own_branch_units": ["V2"], "own_branch_unit_names": ["卫生室2"]})]


# --------------------------------------------------------------------------- orphan
def test_orphan_orgs_exact_hits(make_graph):
    tables = {
        "institutions": [
            {"id": "H1", "name": "县医院", "kind": "county_hospital"},
            {"id": "T1", "name": "东镇卫生院", "kind": "township_health_center", "parent_id": "H1"},
            {"id": "V1", "name": "李村卫生室", "kind": "village_clinic", "parent_id": "T1"},
        ],
        "party_orgs": [
            {"id": "C1", "name": "县医院党委", "kind": "committee", "institution_ids": "H1"},
            {"id": "W1", "name": "党工委", "kind": "working_committee"},
            {"id": "B1", "name": "东镇支部", "kind": "branch", "institution_ids": "T1"},
            {"id": "G1", "name": "李村小组", "kind": "group", "institution_ids": "V1"},
            {"id": "B9", "name": "无单位支部", "kind": "branch"},
            {"id": "B2", "name": "已挂靠支部", "kind": "branch", "parent_id": "C1"},
        ],
    }
    assert orphan_orgs(make_graph(tables)) == [
        (("B1",), {"name": "东镇支部", "kind": "branch", "suggested_parent": "C1",
                   "suggested_parent_name": "县医院党委"}),
        (("B9",), {"name": "无单位支部", "kind": "branch", "suggested_parent": None,
                   "suggested_parent_name": None}),
        # the nearest covered institution above V1 is T1, whose branch outranks a group
        (("G1",), {"name": "李村小组", "kind": "group", "suggested_parent": "B1",
                   "suggested_parent_name": "东镇支部"}),
    ]


# --------------------------------------------------------------------------- community
COMMUNITY = {
    "institutions": [
        {"id": "H1", "name": "县医院", "kind": "county_hospital"},
        {"id": "T1", "name": "东镇卫生院", "kind": "township_health_center", "parent_id": "H1"},
        {"id": "T2", "name": "西镇卫生院", "kind": "township_health_center", "parent_id": "H1"},
        {"id": "V1", "name": "李村卫生室", "kind": "village_clinic", "parent_id": "T1"},
        {"id": "V2", "name": "王村卫生室", "kind": "village_clinic", "parent_id": "T2"},
        {"id": "V3", "name": "张村卫生室", "kind": "village_clinic", "parent_id": "T2"},
        # a second community whose root no committee/general branch/branch covers: skipped
        {"id": "M1", "name": "妇幼保健院", "kind": "mch_hospital"},
        {"id": "M2", "name": "妇幼分站", "kind": "community_health_station", "parent_id": "M1"},
    ],
    "party_orgs": [
        {"id": "C1", "name": "医共体党委", "kind": "committee", "institution_ids": "H1"},
        {"id": "B1", "name": "东镇支部", "kind": "branch", "parent_id": "C1", "institution_ids": "T1;V1"},
        {"id": "C2", "name": "镇党委", "kind": "committee"},
        {"id": "B2", "name": "西镇支部", "kind": "branch", "parent_id": "C2", "institution_ids": "T2"},
        {"id": "J1", "name": "联合支部", "kind": "joint_branch", "institution_ids": "V2"},
        {"id": "X1", "name": "妇幼联合支部", "kind": "joint_branch", "institution_ids": "M1;M2"},
        {"id": "X2", "name": "分站支部", "kind": "branch", "institution_ids": "M2"},
    ],
}


def test_ununified_community_units_exact_hits(make_graph):
    hits = ununified_community_units(make_graph(COMMUNITY))
    # T1, V1 report to C1 through B1; V3 is uncovered (coverage's business); M1's
    # community is skipped because only a joint branch covers M1
    assert hits == [
        (("T2",), {"name": "西镇卫生院", "kind": "township_health_center", "community": "H1",
                   "community_name": "县医院", "orgs": ["B2"], "org_names": ["西镇支部"],
                   "org_kinds": ["branch"], "target": "C1", "target_name": "医共体党委"}),
        (("V2",), {"name": "王村卫生室", "kind": "village_clinic", "community": "H1",
                   "community_name": "县医院", "orgs": ["J1"], "org_names": ["联合支部"],
                   "org_kinds": ["joint_branch"], "target": "C1", "target_name": "医共体党委"}),
    ]
    zh = render("structure.community_not_unified", ("T2",), hits[0][1], "zh")
    assert zh.suggestion == "将西镇支部（B2）的隶属关系调整到医共体党委（C1），实行医共体党建统一管理。"


def test_community_unit_under_a_territorial_committee_gets_a_branch_suggestion(make_graph):
    tables = {"institutions": COMMUNITY["institutions"][:2], "party_orgs": [
        {"id": "C1", "name": "医共体党委", "kind": "committee", "institution_ids": "H1"},
        {"id": "W1", "name": "街道党工委", "kind": "working_committee", "institution_ids": "T1"}]}
    hits = ununified_community_units(make_graph(tables))
    assert [(s, e["org_kinds"]) for s, e in hits] == [(("T1",), ["working_committee"])]
    zh = render("structure.community_not_unified", ("T1",), hits[0][1], "zh")
    assert zh.suggestion == ("在东镇卫生院（T1）建立党支部（或联合党支部），隶属医共体党委（C1），"
                             "实行医共体党建统一管理；街道党工委（W1）继续负责属地党建工作。")


def test_community_near_miss_one_covering_org_reports_up_is_enough(make_graph):
    tables = {"institutions": COMMUNITY["institutions"][:2], "party_orgs": [
        {"id": "C1", "name": "医共体党委", "kind": "committee", "institution_ids": "H1"},
        {"id": "B1", "name": "东镇支部", "kind": "branch", "parent_id": "C1", "institution_ids": "T1"},
        {"id": "J9", "name": "另一支部", "kind": "joint_branch", "institution_ids": "T1"}]}
    assert ununified_community_units(make_graph(tables)) == []
