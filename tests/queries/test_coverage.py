"""coverage.*: each check fires, a near miss does not, the empty graph gives nothing."""

import pytest

from orgnet.graphmodel.schema import Settings
from orgnet.queries.catalog import render
from orgnet.queries.coverage import empty_orgs, unattached_members, uncovered_institutions

CHECKS = [uncovered_institutions, empty_orgs, unattached_members]


@pytest.mark.parametrize("check", CHECKS)
def test_empty_graph_gives_no_hits(make_graph, check):
    assert check(make_graph({})) == []


# --------------------------------------------------------------------------- uncovered
COMMUNITY = {
    "regions": [
        {"id": "R1", "name": "示范县", "level": "county"},
        {"id": "R2", "name": "东镇", "level": "township", "parent_id": "R1"},
        {"id": "R3", "name": "李村", "level": "village", "parent_id": "R2"},
    ],
    "institutions": [
        {"id": "H1", "name": "县人民医院", "kind": "county_hospital", "region_id": "R1"},
        {"id": "T1", "name": "东镇卫生院", "kind": "township_health_center", "region_id": "R2",
         "parent_id": "H1"},
        {"id": "V1", "name": "李村卫生室", "kind": "village_clinic", "region_id": "R3",
         "parent_id": "T1"},
        {"id": "V2", "name": "王村卫生室", "kind": "village_clinic", "region_id": "R2"},
        {"id": "V3", "name": "张村卫生室", "kind": "village_clinic", "region_id": "R3"},
        {"id": "S1", "name": "东镇小学", "kind": "school", "region_id": "R2"},
    ],
    "party_orgs": [
        {"id": "O1", "name": "县人民医院党委", "kind": "committee", "institution_ids": "H1;T1"},
        {"id": "O2", "name": "东镇卫生院党支部", "kind": "branch", "parent_id": "O1",
         "institution_ids": "T1"},
    ],
}


def test_uncovered_institutions_exact_hits(make_graph):
    hits = dict(uncovered_institutions(make_graph(COMMUNITY)))
    # S1 is a school: not a health institution, never reported
    assert sorted(hits) == [("V1",), ("V2",), ("V3",)]
    # V1 has a covered parent T1: join the branch-tier org covering it (O2 before committee O1)
    assert hits[("V1",)] == {
        "name": "李村卫生室", "kind": "village_clinic", "level": "village",
        "ancestor": "T1", "ancestor_name": "东镇卫生院",
        "org": "O2", "org_name": "东镇卫生院党支部", "org_kind": "branch",
        "region": None, "region_name": None,
        "nearby": [], "nearby_names": [], "nearby_orgs": [], "nearby_org_names": [],
    }
    # V2 has no parent: covered institutions in its township region R2 (own region first)
    assert hits[("V2",)]["org"] is None
    assert hits[("V2",)]["region"] == "R2"
    assert hits[("V2",)]["nearby"] == ["T1"]
    assert hits[("V2",)]["nearby_orgs"] == ["O2"]
    # V3's region is a village: its township-level region is the parent R2
    assert hits[("V3",)]["region"] == "R2"
    assert hits[("V3",)]["nearby"] == ["T1"]


def test_uncovered_nearby_is_limited_by_joint_branch_width(make_graph, ):
    tables = {
        "regions": [{"id": "R2", "name": "东镇", "level": "township"}],
        "institutions": [{"id": f"C{i}", "name": f"卫生室{i}", "kind": "village_clinic",
                          "region_id": "R2"} for i in range(4)]
        + [{"id": "X", "name": "新卫生室", "kind": "village_clinic", "region_id": "R2"}],
        "party_orgs": [{"id": "J1", "name": "联合党支部", "kind": "joint_branch",
                        "institution_ids": "C0;C1;C2;C3"}],
    }
    hits = dict(uncovered_institutions(make_graph(tables), Settings(joint_branch_max_units=3)))
    assert hits[("X",)]["nearby"] == ["C0", "C1"]
    assert hits[("X",)]["nearby_orgs"] == ["J1", "J1"]


def test_uncovered_near_miss_joint_branch_counts_as_cover(make_graph):
    tables = {
        "institutions": [{"id": "V1", "name": "李村卫生室", "kind": "village_clinic"}],
        "party_orgs": [{"id": "J1", "name": "联合党支部", "kind": "joint_branch",
                        "institution_ids": "V1"}],
    }
    assert uncovered_institutions(make_graph(tables)) == []


def test_uncovered_messages_name_the_org_in_both_languages(make_graph):
    hits = dict(uncovered_institutions(make_graph(COMMUNITY)))
    zh = render("coverage.uncovered_institution", ("V1",), hits[("V1",)], "zh")
    assert zh.message == "李村卫生室（V1）未被任何党组织覆盖。"
    assert "东镇卫生院党支部（O2）" in zh.suggestion
    en = render("coverage.uncovered_institution", ("V2",), hits[("V2",)], "en")
    assert "东镇卫生院党支部 (O2)" in en.suggestion and "东镇 (R2)" in en.suggestion


# --------------------------------------------------------------------------- empty org
ORGS = {
    "institutions": [{"id": "H1", "name": "县人民医院", "kind": "county_hospital"}],
    "party_orgs": [
        {"id": "O1", "name": "党委", "kind": "committee", "institution_ids": "H1"},
        {"id": "O2", "name": "党总支", "kind": "general_branch", "parent_id": "O1"},
        {"id": "O3", "name": "一支部", "kind": "branch", "parent_id": "O2"},
        {"id": "O4", "name": "党小组", "kind": "group", "parent_id": "O3"},
        {"id": "O5", "name": "空支部", "kind": "branch", "parent_id": "O1"},
        {"id": "O6", "name": "临时党小组", "kind": "temporary_group"},
    ],
    "members": [
        # an activist in the group: members of any status count, below counts for above
        {"id": "M1", "name": "王伟", "status": "activist", "org_id": "O4"},
    ],
}


def test_empty_orgs_exact_hits(make_graph):
    hits = empty_orgs(make_graph(ORGS))
    # O1 is a committee (not checked); O2, O3, O4 hold M1 at or below them
    assert hits == [
        (("O5",), {"name": "空支部", "kind": "branch", "parent": "O1", "parent_name": "党委",
                   "institutions": []}),
        (("O6",), {"name": "临时党小组", "kind": "temporary_group", "parent": None,
                   "parent_name": None, "institutions": []}),
    ]
    finding = render("coverage.empty_org", ("O5",), hits[0][1], "zh")
    assert finding.suggestion == "转入党员组织关系，或撤销该组织并由上级党委（O1）统筹。"


def test_empty_org_near_miss_member_only_in_a_group_below(make_graph):
    tables = {"institutions": [], "party_orgs": [
        {"id": "B", "name": "支部", "kind": "branch"},
        {"id": "G", "name": "小组", "kind": "group", "parent_id": "B"}],
        "members": [{"id": "M", "name": "甲", "status": "full", "org_id": "G"}]}
    assert empty_orgs(make_graph(tables)) == []


# --------------------------------------------------------------------------- unattached
MEMBERS = {
    "institutions": [{"id": "T1", "name": "东镇卫生院", "kind": "township_health_center"},
                     {"id": "V9", "name": "远村卫生室", "kind": "village_clinic"}],
    "party_orgs": [{"id": "O1", "name": "党委", "kind": "committee", "institution_ids": "T1"},
                   {"id": "O2", "name": "东镇卫生院党支部", "kind": "branch",
                    "parent_id": "O1", "institution_ids": "T1"}],
    "members": [
        {"id": "M1", "name": "王伟", "status": "full", "institution_id": "T1"},
        {"id": "M2", "name": "李娜", "status": "probationary", "institution_id": "V9"},
        {"id": "M3", "name": "张敏", "status": "full", "org_id": "O2", "institution_id": "T1"},
        {"id": "M4", "name": "刘洋", "status": "activist", "institution_id": "T1"},
        {"id": "M5", "name": "陈静", "status": "non_party", "institution_id": "T1"},
        {"id": "M6", "name": "杨磊", "status": "full"},
    ],
}


def test_unattached_members_exact_hits(make_graph):
    hits = unattached_members(make_graph(MEMBERS))
    assert hits == [
        (("M1",), {"name": "王伟", "status": "full", "institution": "T1",
                   "institution_name": "东镇卫生院", "org": "O2", "org_name": "东镇卫生院党支部"}),
        (("M2",), {"name": "李娜", "status": "probationary", "institution": "V9",
                   "institution_name": "远村卫生室", "org": None, "org_name": None}),
        (("M6",), {"name": "杨磊", "status": "full", "institution": None,
                   "institution_name": None, "org": None, "org_name": None}),
    ]
    en = render("coverage.unattached_member", ("M1",), hits[0][1], "en")
    assert en.suggestion == ("Transfer the membership to 东镇卫生院党支部 (O2), "
                             "which covers the workplace 东镇卫生院 (T1).")


def test_unattached_near_miss_activists_and_non_party_are_not_reported(make_graph):
    tables = {"institutions": [], "members": [
        {"id": "A", "name": "甲", "status": "activist"},
        {"id": "B", "name": "乙", "status": "non_party"},
        {"id": "C", "name": "丙", "status": "democratic_party"}]}
    assert unattached_members(make_graph(tables)) == []
