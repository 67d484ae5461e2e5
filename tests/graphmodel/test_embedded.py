"""The unit network of spec section 6, on hand-built graphs."""

import networkx as nx

from orgnet.graphmodel.embedded import add_link, link_institutions, links, new_graph, unit_network
from orgnet.graphmodel.schema import COVERS, INSTITUTION, MEMBER, PARTY_ORG, REGION, WORKS_AT


def _graph():
    G = new_graph("t")
    for node in ("A", "B", "C", "D"):
        G.add_node(node, label=INSTITUTION, name=node)
    G.add_node("R", label=REGION)
    G.add_node("O", label=PARTY_ORG)
    G.add_edge("O", "B", key=COVERS, type=COVERS)
    G.add_edge("O", "C", key=COVERS, type=COVERS)
    G.add_node("M", label=MEMBER)
    G.add_edge("M", "A", key=WORKS_AT, type=WORKS_AT)
    G.add_node("N", label=MEMBER)  # works nowhere
    return G


def test_endpoints_map_to_institutions():
    G = _graph()
    assert link_institutions(G, "A") == ["A"]
    assert link_institutions(G, "M") == ["A"]
    assert link_institutions(G, "O") == ["B", "C"]
    assert link_institutions(G, "N") == []
    assert link_institutions(G, "R") == []


def test_a_link_joins_every_pair_of_distinct_institutions():
    G = _graph()
    add_link(G, "M", "O", link_type="liaison", link_index=0)
    U = unit_network(G)
    assert sorted(U.edges()) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert U.edges["A", "B"]["links"] == {0}
    assert U.edges["A", "B"]["members"] == {"M"}
    assert U.degree("D") == 0


def test_edges_remember_every_link_and_member():
    G = _graph()
    add_link(G, "A", "B", link_type="referral", link_index=0, count=4)
    add_link(G, "M", "B", link_type="liaison", link_index=1)
    U = unit_network(G)
    assert U.edges["A", "B"] == {"links": {0, 1}, "members": {"M"}}


def test_inactive_links_and_self_mapped_links_add_no_edge():
    G = _graph()
    add_link(G, "A", "D", link_type="pairing", link_index=0, count=0)
    add_link(G, "M", "A", link_type="liaison", link_index=1)  # member works at A
    add_link(G, "N", "D", link_type="liaison", link_index=2)  # member works nowhere
    assert unit_network(G).number_of_edges() == 0
    assert [d["link_index"] for _, _, d in links(G, include_inactive=True)] == [0, 1, 2]


def test_structure_adds_no_edges_and_empty_graph_is_empty():
    G = _graph()
    G.add_edge("B", "A", key="BELONGS_TO", type="BELONGS_TO")
    assert unit_network(G).number_of_edges() == 0
    assert nx.is_empty(unit_network(new_graph()))
