"""Connectivity checks (spec section 7, connectivity.*) on hand-built unit networks,
and the linear cut-off / bridge computation against a brute-force reference."""

from __future__ import annotations

import json
import random

import networkx as nx
import pytest

from orgnet.graphmodel.embedded import links, unit_network
from orgnet.graphmodel.schema import INSTITUTION
from orgnet.queries import connectivity as c
from orgnet.queries.catalog import CATALOG, render
from orgnet.queries.runner import run_checks

CHECKS = [
    "connectivity.isolated_unit", "connectivity.disconnected_component",
    "connectivity.cut_unit", "connectivity.bridge_link",
    "connectivity.single_link_unit", "connectivity.single_liaison",
]


def inst(node, kind="township_health_center", **extra):
    return {"id": node, "name": f"{node}名", "kind": kind, **extra}


def link(a, b, kind="pairing", count=None):
    row = {"source_id": a, "target_id": b, "type": kind}
    if count is not None:
        row["count"] = count
    return row


def path_tables(nodes, **extra):
    """Institutions joined in a path by pairing links."""
    return {
        "institutions": [inst(n) for n in nodes],
        "links": [link(a, b) for a, b in zip(nodes, nodes[1:])],
        **extra,
    }


def hits(G, check_id):
    return CATALOG[check_id].function(G)


def subjects(G, check_id):
    return [subject for subject, _ in hits(G, check_id)]


# ---------------------------------------------------------------------------
# every check: the empty graph, and every hit renders in both languages
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("check_id", CHECKS)
def test_empty_graph_has_no_hits(make_graph, check_id):
    assert hits(make_graph({}), check_id) == []


RICH = {
    "regions": [{"id": "R", "name": "县", "level": "county"}],
    "institutions": [
        inst("H", "county_hospital", region_id="R"),
        inst("T1", parent_id="H", region_id="R"), inst("T2", parent_id="H", region_id="R"),
        inst("V1", "village_clinic", parent_id="T1"), inst("V2", "village_clinic", parent_id="T1"),
        inst("V3", "village_clinic", parent_id="T2", region_id="R"),
        inst("X1", "village_clinic", parent_id="H"), inst("X2", "village_clinic"),
        inst("S", "school"), inst("X3", "village_clinic"),
    ],
    "members": [{"id": "M", "name": "王伟", "status": "full", "institution_id": "H"}],
    "links": [
        link("H", "T1"), link("H", "T2"), link("T1", "V1"), link("T1", "V2"),
        link("M", "V3", "liaison"), link("X1", "X2"), link("T2", "V3", count=0),
    ],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_hit_renders_from_its_evidence(make_graph, lang):
    G = make_graph(RICH)
    seen = set()
    for check_id in CHECKS:
        for subject, evidence in hits(G, check_id):
            json.dumps(evidence)          # JSON-serializable
            finding = render(check_id, subject, evidence, lang)
            assert finding.message and finding.suggestion
            for node in subject[:1]:
                assert node in finding.message
            seen.add(check_id)
    assert seen == set(CHECKS)


def test_runner_reports_the_connectivity_family_in_spec_order(make_graph):
    report = run_checks(make_graph(RICH), only=["connectivity"], lang="zh")
    assert [f.check for f in report.findings] == sorted(
        (f.check for f in report.findings), key=CHECKS.index)
    isolated = [f.subject for f in report.findings if f.check == "connectivity.isolated_unit"]
    assert ("X3",) in isolated and ("S",) not in isolated     # a school is no finding (v1.1)


# ---------------------------------------------------------------------------
# isolated_unit
# ---------------------------------------------------------------------------
def test_isolated_unit_fires_and_suggests_its_parent(make_graph):
    G = make_graph({"institutions": [inst("H", "county_hospital"), inst("T", parent_id="H"),
                                     inst("U")],
                    "links": [link("H", "U")]})
    ((subject, evidence),) = hits(G, "connectivity.isolated_unit")
    assert subject == ("T",)
    assert (evidence["link_to"], evidence["link_reason"]) == ("H", "parent")
    assert "H名" in render("connectivity.isolated_unit", subject, evidence, "zh").suggestion


def test_isolated_unit_suggests_the_highest_connected_unit_of_its_region(make_graph):
    G = make_graph({
        "regions": [{"id": "R", "name": "县", "level": "county"}],
        "institutions": [inst("A", "village_clinic", region_id="R"),
                         inst("B", region_id="R"), inst("C", "county_hospital", region_id="R"),
                         inst("D", "county_hospital", region_id="R"), inst("E", "city_hospital")],
        "links": [link("B", "C"), link("D", "E", count=0)],
    })
    by_subject = dict(hits(G, "connectivity.isolated_unit"))
    assert sorted(by_subject) == [("A",), ("D",), ("E",)]   # count-0 links give no edge
    assert (by_subject[("A",)]["link_to"], by_subject[("A",)]["link_reason"]) == ("C", "region")
    assert by_subject[("E",)]["link_to"] is None


def test_isolated_unit_near_miss_a_member_link_gives_an_edge(make_graph):
    G = make_graph({"institutions": [inst("A"), inst("B")],
                    "members": [{"id": "M", "name": "m", "status": "full", "institution_id": "A"}],
                    "links": [link("M", "B", "liaison")]})
    assert subjects(G, "connectivity.isolated_unit") == []


# ---------------------------------------------------------------------------
# disconnected_component
# ---------------------------------------------------------------------------
def test_disconnected_components_exact_set_and_tie_break(make_graph):
    tables = {
        "institutions": [inst(n) for n in ["A", "B", "C", "D", "E", "F", "G"]]
                        + [inst("P", parent_id="A"), inst("Q")],
        "links": [link("C", "D"), link("E", "F"), link("G", "P"), link("P", "Q")],
    }
    G = make_graph(tables)
    # components: {A} {B} {C,D} {E,F} {G,P,Q}: largest {G,P,Q}; A, B are singletons
    found = dict(hits(G, "connectivity.disconnected_component"))
    assert sorted(found) == [("C", "D"), ("E", "F")]
    assert found[("C", "D")]["size"] == 2 and found[("C", "D")]["largest_size"] == 3
    # tie: two components of 3, the one holding the smallest id counts as largest
    tables["links"].append(link("E", "A"))
    G = make_graph(tables)
    assert subjects(G, "connectivity.disconnected_component") == [("C", "D"), ("G", "P", "Q")]
    evidence = dict(hits(G, "connectivity.disconnected_component"))[("G", "P", "Q")]
    assert (evidence["link_from"], evidence["link_to"]) == ("P", "A")   # P's parent is in the largest


def test_disconnected_component_near_miss_one_connected_network(make_graph):
    G = make_graph(path_tables(["A", "B", "C", "D"]))
    assert subjects(G, "connectivity.disconnected_component") == []


# ---------------------------------------------------------------------------
# cut_unit and bridge_link
# ---------------------------------------------------------------------------
def test_cut_units_of_a_star_of_paths(make_graph):
    # H - T1 - V1, H - T2 - V2 - W2, and a triangle H, T3, T4
    tables = {
        "institutions": [inst(n) for n in ["H", "T1", "T2", "T3", "T4", "V1", "V2", "W2"]],
        "links": [link("H", "T1"), link("T1", "V1"), link("H", "T2"), link("T2", "V2"),
                  link("V2", "W2"), link("H", "T3"), link("T3", "T4"), link("T4", "H")],
    }
    found = dict(hits(make_graph(tables), "connectivity.cut_unit"))
    assert {s[0]: e["cut_off"] for s, e in found.items()} == {"H": 4, "T1": 1, "T2": 2, "V2": 1}
    # H splits {T1,V1} {T2,V2,W2} {T3,T4}: main {T2,V2,W2}, largest cut-off part {T1,V1}
    # (tie with {T3,T4} goes to the smallest id), tie suggested between H's neighbours
    evidence = found[("H",)]
    assert (evidence["parts"], evidence["main_size"], evidence["component_size"]) == (3, 3, 8)
    assert (evidence["link_from"], evidence["link_to"]) == ("T1", "T2")


def test_cut_unit_near_miss_a_cycle_has_none(make_graph):
    tables = path_tables(["A", "B", "C", "D"])
    tables["links"].append(link("D", "A"))
    assert subjects(make_graph(tables), "connectivity.cut_unit") == []
    assert subjects(make_graph(tables), "connectivity.bridge_link") == []


def test_cut_off_in_a_minor_component_is_read_within_that_component(make_graph):
    # big component of 5 (a cycle), minor path X - Y - Z: Y cuts off 1 of its own component
    tables = path_tables(["X", "Y", "Z"])
    tables["institutions"] += [inst(n) for n in "ABCDE"]
    tables["links"] += [link(a, b) for a, b in zip("ABCDE", "BCDEA")]
    found = dict(hits(make_graph(tables), "connectivity.cut_unit"))
    assert list(found) == [("Y",)]
    assert found[("Y",)]["cut_off"] == 1 and found[("Y",)]["component_size"] == 3


def test_bridge_links_need_two_institutions_each_side(make_graph):
    # triangle A B C - bridge C D - triangle D E F - pendant F G
    tables = {
        "institutions": [inst(n) for n in "ABCDEFG"],
        "links": [link("A", "B"), link("B", "C"), link("C", "A"), link("C", "D"),
                  link("D", "E"), link("E", "F"), link("F", "D"), link("F", "G")],
    }
    found = dict(hits(make_graph(tables), "connectivity.bridge_link"))
    assert list(found) == [("C", "D")]                  # F - G has one institution on G's side
    evidence = found[("C", "D")]
    assert evidence["sides"] == [3, 4] and evidence["links"] == [3]
    assert (evidence["link_from"], evidence["link_to"]) == ("A", "E")


def test_bridge_subject_is_the_sorted_pair(make_graph):
    tables = {"institutions": [inst(n) for n in ["Z", "Y", "B", "A"]],
              "links": [link("Z", "Y"), link("Y", "B"), link("B", "A")]}
    assert subjects(make_graph(tables), "connectivity.bridge_link") == [("B", "Y")]


def _brute_parts(U, v):
    """Parts of v's component without v: sorted (size desc, min id) list of sets."""
    component = nx.node_connected_component(U, v) - {v}
    H = U.subgraph(component)
    parts = [set(p) for p in nx.connected_components(H)]
    return sorted(parts, key=lambda p: (-len(p), min(p)))


def _random_networks():
    for seed in range(60):
        rng = random.Random(seed)
        n = rng.randint(1, 18)
        p = rng.choice([0.08, 0.15, 0.25, 0.4])
        G = nx.gnp_random_graph(n, p, seed=seed)
        if seed % 3 == 0:                         # trees and forests have many cut vertices
            G = nx.random_labeled_tree(n, seed=seed) if n > 1 else G
        mapping = {i: f"n{rng.randrange(1000):03d}{i}" for i in G}
        U = nx.relabel_nodes(G, mapping)
        nx.set_edge_attributes(U, {e: {0} for e in U.edges}, "links")
        yield seed, U


@pytest.mark.parametrize("seed, U", list(_random_networks()))
def test_cut_off_matches_brute_force(seed, U):
    found = c.articulation_units(U)
    assert set(found) == set(nx.articulation_points(U))
    for v in U:
        parts = _brute_parts(U, v)
        if len(parts) < 2:
            assert v not in found
            continue
        info = found[v]
        assert info["cut_off"] == sum(len(p) for p in parts[1:])
        assert info["parts"] == len(parts)
        assert info["main_size"] == len(parts[0])
        assert info["component_size"] == 1 + sum(len(p) for p in parts)
        main, cut = parts[0], parts[1]
        assert info["link_to"] == min(set(U[v]) & main)
        assert info["link_from"] == min(set(U[v]) & cut)
        assert info["link_from_part_size"] == len(cut)


@pytest.mark.parametrize("seed, U", list(_random_networks()))
def test_bridges_match_brute_force(seed, U):
    expected = {}
    for a, b in U.edges:
        H = U.copy()
        H.remove_edge(a, b)
        if not nx.has_path(H, a, b):
            a, b = sorted((a, b))
            expected[(a, b)] = (len(nx.node_connected_component(H, a)),
                                len(nx.node_connected_component(H, b)))
    found = {bridge["pair"]: bridge["sides"] for bridge in c.bridges_with_sides(U)}
    assert found == expected
    assert [s for s, _ in c.bridge_link_hits(U)] == sorted(
        pair for pair, sides in expected.items() if min(sides) >= 2)


def test_the_algorithms_do_not_depend_on_insertion_order():
    U = nx.Graph([("d", "c"), ("c", "b"), ("b", "a"), ("c", "e"), ("e", "f"), ("f", "c")])
    V = nx.Graph(list(reversed([(b, a) for a, b in U.edges])))
    assert c.articulation_units(U) == c.articulation_units(V)
    assert c.bridges_with_sides(U) == c.bridges_with_sides(V)


# ---------------------------------------------------------------------------
# single_link_unit
# ---------------------------------------------------------------------------
def test_single_link_units_are_the_ends_of_a_path(make_graph):
    tables = path_tables(["A", "B", "C"])
    tables["institutions"][0]["parent_id"] = "C"
    found = dict(hits(make_graph(tables), "connectivity.single_link_unit"))
    assert sorted(found) == [("A",), ("C",)]
    assert found[("A",)]["neighbour"] == "B" and found[("A",)]["link_to"] == "C"
    assert found[("C",)]["link_to"] is None


def test_single_link_unit_near_miss_two_neighbours_through_one_org(make_graph):
    # an org covering A and B linked to C gives A two neighbours (B and C)
    G = make_graph({
        "institutions": [inst("A"), inst("B"), inst("C")],
        "party_orgs": [{"id": "O", "name": "联合支部", "kind": "joint_branch", "institution_ids": "A;B"}],
        "links": [link("O", "C")],
    })
    assert subjects(G, "connectivity.single_link_unit") == []


# ---------------------------------------------------------------------------
# single_liaison
# ---------------------------------------------------------------------------
LIAISON = {
    "institutions": [inst("H", "county_hospital"), inst("T1"), inst("T2"), inst("T3")],
    "members": [
        {"id": "M", "name": "王伟", "status": "full", "institution_id": "H"},
        {"id": "N", "name": "李娜", "status": "full", "institution_id": "H"},
    ],
}


def test_single_liaison_fires_when_every_link_has_the_same_member(make_graph):
    tables = dict(LIAISON, links=[link("M", "T1", "liaison"), link("M", "T2", "liaison"),
                                  link("N", "T3", "liaison"), link("H", "T3", "referral")])
    found = dict(hits(make_graph(tables), "connectivity.single_liaison"))
    # H's edges come from M's links (T1, T2), N's link and H's own referral
    assert sorted(found) == [("T1",), ("T2",)]
    assert found[("T1",)]["member"] == "M" and found[("T1",)]["links"] == 1
    assert found[("T1",)]["names"]["M"] == "王伟"


def test_single_liaison_whole_institution_through_one_member(make_graph):
    tables = dict(LIAISON, links=[link("M", "T1", "liaison"), link("M", "T2", "liaison")])
    found = dict(hits(make_graph(tables), "connectivity.single_liaison"))
    assert sorted(found) == [("H",), ("T1",), ("T2",)]
    assert found[("H",)] == {"member": "M", "links": 2, "names": {"H": "H名", "M": "王伟"}}


def test_single_liaison_near_miss_two_members_or_a_direct_link(make_graph):
    tables = dict(LIAISON, links=[link("M", "T1", "liaison"), link("N", "T1", "liaison"),
                                  link("M", "T2", "liaison"), link("T2", "H", "pairing"),
                                  link("T3", "H", "pairing", count=0)])
    assert subjects(make_graph(tables), "connectivity.single_liaison") == []


def test_single_liaison_needs_every_link_not_just_the_edge_union():
    # the edge a-b was produced by a member link and by a direct link: union {m}, common {}
    U = nx.Graph()
    U.add_edge("a", "b", links={0, 1}, members={"m"})
    assert c.single_liaison_hits(U, {0: ("m",)}) == []


# ---------------------------------------------------------------------------
# memo
# ---------------------------------------------------------------------------
def test_memo_is_rebuilt_when_the_graph_grows(make_graph):
    G = make_graph(path_tables(["A", "B"]))
    assert subjects(G, "connectivity.isolated_unit") == []
    G.add_node("C", label=INSTITUTION, name="C", kind="village_clinic", level="village")
    assert subjects(G, "connectivity.isolated_unit") == [("C",)]
    assert c.cached_unit_network(G).number_of_nodes() == unit_network(G).number_of_nodes()


def test_the_fast_unit_network_equals_the_reference(tmp_path, make_graph):
    from orgnet.loaders import load_graph
    from orgnet.loaders.generate import generate_dataset

    generate_dataset(tmp_path / "county", counties=1, seed=5)
    for G in (load_graph(tmp_path / "county"), make_graph(RICH)):
        fast, reference = c.cached_unit_network(G), unit_network(G)
        assert list(fast.nodes(data=True)) == list(reference.nodes(data=True))
        assert list(fast.edges(data=True)) == list(reference.edges(data=True))
        assert c.active_links(G) == list(links(G))


# ---------------------------------------------------------------------------
# v1.1: isolated_unit for health institutions only; the united-front exclusion
# ---------------------------------------------------------------------------
def test_isolated_unit_reports_health_institutions_only(make_graph):
    G = make_graph({"institutions": [inst("H", "county_hospital"), inst("V", "village_clinic"),
                                     inst("S", "school"), inst("P", "party_service_station"),
                                     inst("B", "health_bureau")]})
    assert subjects(G, "connectivity.isolated_unit") == [("H",), ("V",)]


UNITED_FRONT = {
    "institutions": [
        inst("H", "county_hospital"), inst("T", parent_id="H"),
        inst("V", "village_clinic", parent_id="T"),
        inst("ST", "united_front_station"), inst("AS", "association"),
    ],
    "party_orgs": [{"id": "O", "name": "党委", "kind": "committee", "institution_ids": "H;ST"}],
    "members": [
        {"id": "M", "name": "王伟", "status": "full", "org_id": "O", "institution_id": "H"},
        {"id": "D", "name": "李医生", "status": "democratic_party", "institution_id": "V",
         "roles": "representative"},
        {"id": "W", "name": "站长", "status": "full", "org_id": "O", "institution_id": "ST"},
    ],
    "links": [
        link("H", "T"),
        link("M", "D", "contact"), link("O", "V", "contact"), link("M", "T", "contact"),
        link("ST", "V", "pairing"), link("AS", "T", "assistance"), link("W", "V", "liaison"),
    ],
}


def test_contacts_and_united_front_institutions_add_nothing_to_the_unit_network(make_graph):
    G = make_graph(UNITED_FRONT)
    for U in (unit_network(G), c.cached_unit_network(G)):
        assert sorted(U.nodes) == ["H", "T", "V"]          # no station, no association
        assert sorted(U.edges) == [("H", "T")]            # contacts, ST/AS/W links: no edge
    # and so the connectivity findings are those of the dataset without the layer
    plain = make_graph({"institutions": UNITED_FRONT["institutions"][:3],
                        "links": [link("H", "T")]})
    for check_id in CHECKS:
        assert hits(G, check_id) == hits(plain, check_id), check_id
    assert subjects(G, "connectivity.isolated_unit") == [("V",)]
