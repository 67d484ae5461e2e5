"""Views above the node limit are folded: members into orgs, villages into townships."""

from orgnet.graphmodel.schema import (
    COVERS, INSTITUTION, MEMBER, MEMBER_OF, PARTY_ORG, WORKS_AT, link_rel_type,
)
from orgnet.visualizations.aggregate import NODE_LIMIT, aggregate_view
from orgnet.visualizations.views import View, ViewEdge, ViewNode, build_view

REFERRAL = link_rel_type("referral")


def county(villages_per_township=3, townships=2, members_per_org=2) -> View:
    """A hand-made view: a county hospital, townships, villages, one org per township."""
    view = View("full")
    view.nodes["H"] = ViewNode("H", INSTITUTION, "县医院", "county_hospital", {"level": "county"})
    for t in range(townships):
        town, org = f"T{t}", f"O{t}"
        view.nodes[town] = ViewNode(town, INSTITUTION, f"镇{t}", "township_health_center",
                                    {"level": "township"})
        view.parent[town] = "H"
        view.nodes[org] = ViewNode(org, PARTY_ORG, f"支部{t}", "branch")
        view.parent[org] = town
        view.edges.append(ViewEdge(org, town, COVERS, structure=True))
        for v in range(villages_per_township):
            village = f"V{t}{v}"
            view.nodes[village] = ViewNode(village, INSTITUTION, f"村{t}{v}", "village_clinic",
                                           {"level": "village"})
            view.parent[village] = town
            view.edges.append(ViewEdge(village, "H", REFERRAL, link_types=("referral",),
                                       count=2, rows=[v]))
        for m in range(members_per_org):
            member = f"M{t}{m}"
            view.nodes[member] = ViewNode(member, MEMBER, f"人{t}{m}", "full",
                                          {"org_id": org, "institution_id": town})
            view.parent[member] = town
    return view


def test_a_view_within_the_limit_is_returned_as_it_is():
    view = county()
    assert aggregate_view(view, limit=len(view.nodes)) is view
    assert NODE_LIMIT == 3000


def test_members_fold_into_their_org_first():
    view = county()                                   # 1 + 2 * (1 + 1 + 3 + 2) = 15 nodes
    small = aggregate_view(view, limit=11)
    assert not any(n.label == MEMBER for n in small.nodes.values())
    assert small.nodes["O0"].merged == {"members": 2}
    assert len(small.nodes) == 11
    assert small.notes[0] == ("aggregated", {"before": 15, "limit": 11, "after": 11,
                                             "steps": ["agg.members"]})
    assert len(view.nodes) == 15                      # the original is untouched


def test_villages_fold_into_their_township_and_edges_are_summed():
    view = county()
    small = aggregate_view(view, limit=6)
    assert sorted(small.nodes) == ["H", "O0", "O1", "T0", "T1"]
    assert [(e.source, e.count) for e in view.edges if e.type == REFERRAL][0] == ("V00", 2)
    assert view.nodes["T0"].merged == {}                 # the original is untouched
    assert small.nodes["T0"].merged == {"villages": 3}
    referrals = [e for e in small.edges if e.type == REFERRAL]
    assert sorted((e.source, e.target, e.count, len(e.rows)) for e in referrals) == [
        ("T0", "H", 6, 3), ("T1", "H", 6, 3)]
    assert small.notes[0][1]["steps"] == ["agg.members", "agg.villages"]


def test_edges_inside_a_folded_group_disappear():
    view = county(villages_per_township=2, townships=1, members_per_org=0)
    view.edges.append(ViewEdge("V00", "T0", REFERRAL, link_types=("referral",), count=1))
    small = aggregate_view(view, limit=3)
    assert all(e.source != e.target for e in small.edges)


def test_last_resort_keeps_flagged_and_connected_nodes():
    view = county()
    small = aggregate_view(view, limit=2, keep={"O1"})
    assert len(small.nodes) == 2
    assert "O1" in small.nodes                        # flagged by a finding
    assert small.notes[0][1]["steps"][-1] == "agg.truncated"
    assert all(e.source in small.nodes and e.target in small.nodes for e in small.edges)


def test_aggregating_the_tiny_full_view(tiny_graph):
    view = build_view(tiny_graph, "full")
    small = aggregate_view(view, limit=12)
    assert len(small.nodes) <= 12
    assert small.nodes["O2"].merged["members"] == 3   # M2, M3, M4
    # M6 has no org: folded into its workplace V2
    assert small.nodes["V2"].merged["members"] == 1
    # a folded member's own structure edges go with it; its links follow its org
    assert not any(e.type in (MEMBER_OF, WORKS_AT) for e in small.edges)
    assert ("O1", "T2", "LIAISON") in {(e.source, e.target, e.type) for e in small.edges}
