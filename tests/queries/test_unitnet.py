"""The column-wise unit network (queries.unitnet) against the networkx reference.

The reference is :func:`orgnet.graphmodel.embedded.unit_network` with the networkx
functions of :mod:`orgnet.queries.connectivity` (``*_hits(U)``, ``articulation_units``,
``bridges_with_sides``, ``component_structure``): the code the checks ran on
before they moved to arrays, kept for that purpose.  Every check must give the
same hits, and whole reports the same JSON bytes, on random graphs, on the
examples and on generated datasets.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import networkx as nx
import pytest

from orgnet.graphmodel.embedded import unit_network
from orgnet.loaders import load_graph
from orgnet.loaders.generate import generate_dataset
from orgnet.queries import connectivity as c
from orgnet.queries import unitnet as u
from orgnet.queries.catalog import CATALOG, load_checks
from orgnet.queries.export import to_json
from orgnet.queries.runner import run_checks

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = [REPO / "examples" / "county-medical-community",
            REPO / "examples" / "county-medical-community.xlsx",
            REPO / "examples" / "city-mch-alliance"]
SIMPLE = ["isolated_unit_hits", "disconnected_component_hits", "cut_unit_hits",
          "bridge_link_hits", "single_link_unit_hits"]


def _random_network(seed: int):
    """A random unit network with attributes, links and member endpoints."""
    rng = random.Random(seed)
    n = rng.randint(1, 25)
    U = nx.gnm_random_graph(n, rng.randint(0, 2 * n), seed=seed)
    U = nx.relabel_nodes(U, {i: f"n{rng.randint(0, 99):02d}_{i}" for i in U})
    ids = list(U)
    for v in ids:
        U.nodes[v].update(name=f"名{v}", kind=rng.choice(["village_clinic", None]),
                          level=rng.choice(["village", "township", "county", None]),
                          parent_id=rng.choice(ids + [None, "elsewhere"]),
                          region_id=rng.choice(["r1", "r2", None]))
    link_members, index = {}, 0
    for a, b in U.edges:
        rows = set()
        for _ in range(rng.randint(1, 3)):
            rows.add(index)
            members = rng.sample(["m1", "m2", "m3"], rng.randint(0, 2))
            if members:
                link_members[index] = tuple(sorted(members))
            index += 1
        U.edges[a, b]["links"] = rows
        U.edges[a, b]["members"] = {m for r in rows for m in link_members.get(r, ())}
    return U, link_members


def _same_hits(U, link_members, member_names, net):
    for name in SIMPLE:
        expected, got = getattr(c, name)(U), getattr(u, name)(net)
        assert got == expected, name
        assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False), name
    assert (u.single_liaison_hits(net, member_names)
            == c.single_liaison_hits(U, link_members, member_names))


@pytest.mark.parametrize("seed", range(300))
def test_random_networks_give_the_reference_hits(seed):
    U, link_members = _random_network(seed)
    net = u.UnitNetwork.from_networkx_with_members(U, link_members)
    _same_hits(U, link_members, {"m1": "王", "m2": None}, net)


@pytest.mark.parametrize("seed", range(100))
def test_trees_and_cut_facts_match_the_dfs_reference(seed):
    rng = random.Random(seed)
    U = nx.random_labeled_tree(rng.randint(1, 40), seed=seed)
    U = nx.relabel_nodes(U, {i: f"t{i}" for i in U})
    U.add_edges_from([(f"t{rng.randrange(len(U))}", f"t{rng.randrange(len(U))}")
                      for _ in range(rng.randint(0, 5))])
    U.remove_edges_from(nx.selfloop_edges(U))
    nx.set_edge_attributes(U, {0}, "links")
    net = u.UnitNetwork.from_networkx(U)
    assert u.cut_facts(net) == c.articulation_units(U)
    assert ([((net.ids[a], net.ids[b]), (sa, sb)) for _, a, b, sa, sb in u.bridge_sides(net)]
            == [(x["pair"], x["sides"]) for x in c.bridges_with_sides(U)])
    label = u.components(net)["label"].tolist()
    grouped = [[] for _ in range(max(label, default=-1) + 1)]
    for i, part in enumerate(label):
        grouped[part].append(net.ids[i])
    assert grouped == c.component_structure(U)["components"]


def test_block_cut_tree_of_two_triangles_and_a_tail():
    net = u.UnitNetwork.from_pairs("abcdefg", [
        ("a", "b", 0), ("b", "c", 1), ("c", "a", 2), ("c", "d", 3),
        ("d", "e", 4), ("e", "f", 5), ("f", "d", 6), ("f", "g", 7)])
    tree = u.block_cut_tree(net)
    assert [net.ids[v] for v in tree.articulation] == ["c", "d", "f"]
    blocks = sorted(sorted(net.ids[v] for v in tree.block_vertices[tree.block_ptr[b]:tree.block_ptr[b + 1]])
                    for b in range(tree.blocks))
    assert blocks == [["a", "b", "c"], ["c", "d"], ["d", "e", "f"], ["f", "g"]]
    # every articulation point's tree node joins the blocks that hold it
    for i, v in enumerate(tree.articulation.tolist()):
        node = tree.node_of(v)
        assert node == tree.blocks + i
        held = {b for b in range(tree.blocks)
                if v in tree.block_vertices[tree.block_ptr[b]:tree.block_ptr[b + 1]].tolist()}
        joined = {int(x) for x in range(len(tree.parent)) if tree.parent[x] == node}
        if tree.parent[node] >= 0:
            joined.add(int(tree.parent[node]))
        assert joined == held
    assert tree.tree_weight.tolist() == [7] * len(tree.parent)
    assert u.cut_facts(net)["d"]["parts"] == 2


def test_empty_network():
    net = u.UnitNetwork.from_pairs([], [])
    assert [getattr(u, name)(net) for name in SIMPLE] == [[]] * 5
    assert u.single_liaison_hits(net) == []


def _reference_report(G, lang):
    """Run every check with the connectivity checks on the networkx reference."""
    calls = []

    def reference(name, with_members=False):
        def run(G, settings):
            calls.append(name)
            U = c.cached_unit_network(G)
            if with_members:
                members = c.link_member_endpoints(G)
                names = {m: G.nodes[m].get("name") for ms in members.values() for m in ms}
                return c.single_liaison_hits(U, members, names)
            return getattr(c, name)(U)
        return run

    load_checks()
    originals = {check_id: CATALOG[check_id] for check_id in CATALOG}
    swapped = {
        "connectivity.isolated_unit": reference("isolated_unit_hits"),
        "connectivity.disconnected_component": reference("disconnected_component_hits"),
        "connectivity.cut_unit": reference("cut_unit_hits"),
        "connectivity.bridge_link": reference("bridge_link_hits"),
        "connectivity.single_link_unit": reference("single_link_unit_hits"),
        "connectivity.single_liaison": reference(None, with_members=True),
    }
    import dataclasses
    try:
        for check_id, function in swapped.items():
            CATALOG[check_id] = dataclasses.replace(CATALOG[check_id], function=function)
        text = to_json(run_checks(G, lang=lang))
        assert len(calls) == len(swapped)
        return text
    finally:
        CATALOG.update(originals)


def _assert_same_as_reference(G):
    U = unit_network(G)
    net = c.cached_unit_arrays(G)
    assert net.ids == sorted(U)
    assert ({(net.ids[a], net.ids[b]): net.edge_links(e)
             for e, (a, b) in enumerate(zip(net.eu.tolist(), net.ev.tolist()))}
            == {tuple(sorted((a, b))): sorted(links) for a, b, links in U.edges(data="links")})
    for lang in ("en", "zh"):
        assert to_json(run_checks(G, lang=lang)) == _reference_report(G, lang)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_report_the_same_bytes_as_the_reference(path):
    _assert_same_as_reference(load_graph(path))


@pytest.mark.parametrize("seed, knobs", [(3, {}), (7, {"isolated": 3, "links_per_entity": 0.6}),
                                         (11, {"links_per_entity": 0.3})])
def test_generated_datasets_report_the_same_bytes_as_the_reference(tmp_path, seed, knobs):
    generate_dataset(tmp_path / "d", counties=2, seed=seed, **knobs)
    _assert_same_as_reference(load_graph(tmp_path / "d"))
