"""orgnet.queries.resilience against brute force: remove each candidate, re-run the checks."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from orgnet.loaders import load_graph
from orgnet.loaders.generate import generate_dataset
from orgnet.queries.connectivity import cached_unit_network, memoized
from orgnet.queries.diff import finding_key
from orgnet.queries.resilience import CAUSED_CHECKS, Item, resilience
from orgnet.queries.runner import run_checks

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir()
                  if p.is_dir() or p.suffix in (".xlsx", ".json"))


def _without(G, kind, ident):
    """The graph with one member, unit or tie (all its link rows) taken away."""
    H = G.copy()
    H.graph["services"] = [dict(r) for r in G.graph["services"]]
    if kind == "tie":
        U = cached_unit_network(G)
        rows = U.edges[ident]["links"]
        H.remove_edges_from([(u, v, k) for u, v, k, d in G.edges(keys=True, data=True)
                             if d.get("link_index") in rows])
        return H
    from orgnet.queries.whatif import Change, apply_changes

    return apply_changes(G, [Change("remove", (ident,))])


def brute_force(G, candidates, settings=None):
    """{(kind, id): set of caused finding keys} by removing each and re-running the checks."""
    kw = {"only": list(CAUSED_CHECKS)}
    if settings is not None:
        kw["settings"] = settings
    before = {finding_key(f) for f in run_checks(G, **kw).findings}
    found = {}
    for kind, ident in candidates:
        after = {finding_key(f) for f in run_checks(_without(G, kind, ident), **kw).findings}
        found[(kind, ident)] = after - before
    return found


def candidates_of(G, sample=None, seed=0, items=()):
    """Every member, unit and tie; or per kind ``sample`` random ones plus ``sample`` of
    those predicted to cause something (so that both hits and near misses are tried)."""
    U = cached_unit_network(G)
    members = sorted(n for n, d in G.nodes(data=True) if d.get("label") == "Member")
    units = sorted(U)
    ties = sorted(tuple(sorted(e)) for e in U.edges())
    memoized.cache_clear(G)
    if sample is not None:
        rng = random.Random(seed)

        def pick(kind, pool):
            hit = sorted({i.id for i in items if i.kind == kind}, key=str)
            chosen = set(rng.sample(pool, min(sample, len(pool))))
            chosen |= set(rng.sample(hit, min(sample, len(hit))))
            return sorted(chosen)

        members, units, ties = pick("member", members), pick("unit", units), pick("tie", ties)
    return [("member", m) for m in members] + [("unit", u) for u in units] + \
        [("tie", t) for t in ties]


def assert_matches_brute_force(G, sample=None, seed=0):
    items = {(i.kind, i.id): i for i in resilience(G)}
    candidates = candidates_of(G, sample, seed, items.values())
    expected = brute_force(G, candidates)
    for key in candidates:
        item = items.get(key)
        predicted = {(c, tuple(s)) for c, s, _ in item.hits} if item else set()
        assert predicted == expected[key], key
    # the ranking is that of the brute-force findings with the same key
    ranked = [i for i in items.values() if (i.kind, i.id) in expected]
    ranked.sort(key=lambda i: i.rank)
    assert [(i.kind, i.id) for i in ranked] == [(i.kind, i.id) for i in sorted(ranked, key=Item.sort_key)]
    return items, expected


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_match_brute_force(path):
    assert_matches_brute_force(load_graph(path))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_datasets_match_brute_force(seed, tmp_path):
    generate_dataset(tmp_path / "g", counties=1, seed=seed)
    assert_matches_brute_force(load_graph(tmp_path / "g"), sample=15, seed=seed)


def test_tiny_matches_brute_force(tiny_dir):
    items, expected = assert_matches_brute_force(load_graph(tiny_dir))
    # M2 is O2's only secretary; H1 carries T1's only upward referral
    assert ("structure.no_secretary", ("O2",)) in {(c, s) for c, s, _ in items[("member", "M2")].hits}
    assert any(any(k == ("referral.no_upward_referral", ("T1",)) for k in v)
               for (kind, _), v in expected.items() if kind == "unit")


def test_hand_made_edge_cases_match_brute_force(make_graph):
    """A member whose liaison links are the only ties of two units (several ties lost at
    once), a service area that is the top of a parent chain (its removal splits the
    area), two components of equal size (a loss changes which one is the largest)."""
    G = make_graph({
        "institutions": [
            {"id": "A", "name": "甲院", "kind": "county_hospital"},
            {"id": "B", "name": "乙院", "kind": "township_health_center", "parent_id": "A"},
            {"id": "C", "name": "丙院", "kind": "township_health_center", "parent_id": "A"},
            {"id": "D", "name": "丁室", "kind": "village_clinic", "parent_id": "B"},
            {"id": "E", "name": "戊室", "kind": "village_clinic", "parent_id": "C"},
            {"id": "X", "name": "己院", "kind": "township_health_center"},
            {"id": "Y", "name": "庚院", "kind": "township_health_center"},
            {"id": "Z", "name": "辛院", "kind": "township_health_center"},
            {"id": "W", "name": "壬院", "kind": "township_health_center"},
        ],
        "party_orgs": [{"id": "O", "name": "支部", "kind": "branch", "institution_ids": "B;C"}],
        "members": [
            {"id": "m1", "name": "甲", "status": "full", "org_id": "O", "institution_id": "B",
             "roles": "secretary"},
            {"id": "m2", "name": "乙", "status": "full", "org_id": "O", "institution_id": "C"},
            {"id": "m3", "name": "丙", "status": "full", "org_id": "O", "institution_id": "C"},
        ],
        "links": [
            {"source_id": "B", "target_id": "A", "type": "referral"},
            {"source_id": "C", "target_id": "A", "type": "referral"},
            {"source_id": "m1", "target_id": "D", "type": "liaison"},
            {"source_id": "m1", "target_id": "E", "type": "liaison"},
            {"source_id": "E", "target_id": "C", "type": "referral"},
            {"source_id": "X", "target_id": "Y", "type": "pairing"},
            {"source_id": "Z", "target_id": "W", "type": "pairing"},
            {"source_id": "Y", "target_id": "Z", "type": "pairing"},
        ],
        "services": [
            {"institution_id": "A", "stage": "delivery"},
            {"institution_id": "B", "stage": "prenatal_care"},
            {"institution_id": "C", "stage": "child_health"},
        ],
    })
    items, expected = assert_matches_brute_force(G)
    caused = {key: {(c, s) for c, s, _ in item.hits} for key, item in items.items()}
    assert ("connectivity.isolated_unit", ("D",)) in caused[("member", "m1")]
    assert any(c == "service.stage_gap" for c, _ in caused[("unit", "A")])
    # without B, {A, C, E} is smaller than {W, X, Y, Z}, which becomes the main network
    assert ("connectivity.disconnected_component", ("A", "C", "E")) in caused[("unit", "B")]
