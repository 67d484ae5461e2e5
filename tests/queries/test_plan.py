"""orgnet.queries.plan: plan --apply then check closes what the plan claims and opens nothing high."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import networkx as nx
import pytest

from orgnet.loaders import load_dataset, load_graph
from orgnet.loaders.generate import generate_dataset
from orgnet.queries.diff import diff_findings, finding_key
from orgnet.queries.plan import (
    _county_areas, _plausible_pairs, apply_plan, make_plan, prove_plan, reason_text, write_dataset,
)
from orgnet.queries.runner import run_checks

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir()
                  if p.is_dir() or p.suffix in (".xlsx", ".json"))


def assert_plan_holds(path, tmp_path, lang="en"):
    """Write FIXED in the input's container, re-check it, compare with the plan's claims."""
    G = load_graph(path)
    plan = make_plan(G, lang=lang)
    fixed = tmp_path / ("fixed" + ("" if Path(path).is_dir() else Path(path).suffix))
    write_dataset(apply_plan(G, plan), fixed, like=path)
    load_dataset(fixed)                                  # valid under orgnet validate
    checked = run_checks(load_graph(fixed), lang=lang)
    plan = prove_plan(G, plan, fixed=load_graph(fixed))
    after = {finding_key(f) for f in checked.findings}
    claimed = {(c["check"], tuple(c["subject"])) for a in plan.actions for c in a.closes}
    assert not claimed & after, "a finding the plan claims to close is still there"
    opened = diff_findings(plan.findings_before, checked.findings).appeared
    assert [f for f in opened if f.severity == "high"] == []
    # the figures the plan prints are those of check FIXED
    expected, got = dict(checked.summary), dict(plan.after)
    expected.pop("dataset"), got.pop("dataset")
    assert got == expected
    # every finding before is claimed, listed as unclosable, or gone as a side effect
    open_keys = {(u["check"], tuple(u["subject"])) for u in plan.unclosable}
    for f in plan.findings_before:
        key = finding_key(f)
        assert key in claimed or key in open_keys or key not in after
    return plan, checked


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples(path, tmp_path):
    plan, checked = assert_plan_holds(path, tmp_path)
    assert plan.actions
    assert checked.summary["findings"]["by_severity"]["high"] \
        <= plan.before["findings"]["by_severity"]["high"]


@pytest.mark.slow
@pytest.mark.parametrize("seed,counties", [(1, 1), (2, 2), (3, 2), (4, 3), (5, 1)])
def test_generated_datasets(seed, counties, tmp_path):
    """Several seeds and sizes (one to three county medical communities)."""
    generate_dataset(tmp_path / "g", counties=counties, seed=seed)
    plan, checked = assert_plan_holds(tmp_path / "g", tmp_path)
    assert checked.summary["findings"]["by_severity"]["high"] < \
        plan.before["findings"]["by_severity"]["high"]


def test_tiny_in_json(tiny_tables, tmp_path):
    from conftest import write_json_tables

    path = write_json_tables(tmp_path / "tiny.json", tiny_tables)
    plan, _ = assert_plan_holds(path, tmp_path, lang="zh")
    kinds = {a.kind for a in plan.actions}
    # V2 is uncovered under T1 (covered by O2): it joins O2; O3 has no secretary and no full member
    assert "join_org" in kinds
    join = next(a for a in plan.actions if a.kind == "join_org")
    assert (join.subjects, join.org) == (["V2"], "O2")
    assert join.text["zh"].startswith("将王村卫生室（V2）纳入")
    assert all(set(a.text) == {"en", "zh"} for a in plan.actions)
    assert [a.id for a in plan.actions] == [f"A{i:03d}" for i in range(1, len(plan.actions) + 1)]
    assert [a.priority for a in plan.actions] == sorted(a.priority for a in plan.actions)


def test_joint_branch_groups_clinics_and_instructor_without_full_members(make_graph):
    clinics = [{"id": f"V{i}", "name": f"{i}村卫生室", "kind": "village_clinic", "parent_id": "T"}
               for i in range(1, 8)]
    G = make_graph({
        "institutions": [{"id": "T", "name": "镇卫生院", "kind": "township_health_center"}] + clinics,
        "members": [{"id": f"M{i}", "name": f"党员{i}", "status": "full", "institution_id": f"V{i}"}
                    for i in range(1, 7)],
    })
    plan = make_plan(G, only=["coverage"])
    joints = [a for a in plan.actions if a.kind == "joint_branch"]
    # six clinics with full members: groups of at most joint_branch_max_units (5)
    assert [len(a.subjects) for a in joints] == [5, 1]
    instructors = [a for a in plan.actions if a.kind == "instructor"]
    # no full member at the center T nor at V7: an instructor, no org invented
    assert [a.subjects for a in instructors] == [["T"], ["V7"]]
    assert all(a.closes == [] and a.ops == [] for a in instructors)
    plan = prove_plan(G, plan, only=["coverage"])
    assert {(u["check"], tuple(u["subject"])) for u in plan.unclosable} == {
        ("coverage.uncovered_institution", ("T",)), ("coverage.uncovered_institution", ("V7",))}
    assert "instructor" in reason_text(plan.unclosable[0]["reason"], "en")
    H = apply_plan(G, plan)
    new = [n for n, d in H.nodes(data=True) if d.get("kind") == "joint_branch"]
    assert len(new) == 2 and all(n.startswith("PLAN-JB-") for n in new)


def _county(make_graph, edges, n):
    units = [{"id": "H", "name": "县医院", "kind": "county_hospital", "region_id": "R"}]
    for i in range(1, n):
        parent = "H" if i <= 2 else f"U{(i - 1) // 2}"
        units.append({"id": f"U{i}", "name": f"机构{i}",
                      "kind": "township_health_center" if parent == "H" else "village_clinic",
                      "parent_id": parent, "region_id": "R"})
    links = [{"source_id": a, "target_id": b, "type": "pairing"} for a, b in edges]
    return make_graph({"regions": [{"id": "R", "name": "县", "level": "county"}],
                       "institutions": units, "links": links})


def _weak(H):
    return (not nx.is_connected(H) or nx.has_bridges(H)
            or any(True for _ in nx.articulation_points(H)))


@pytest.mark.parametrize("seed", range(6))
def test_connectivity_leaves_no_weak_point_where_brute_force_finds_one_possible(make_graph, seed):
    """Small county trees: brute force over sets of plausible ties says whether the
    area can be made free of isolated units, cut units and bridges; where it can,
    the plan's ties do it, with the fewest ties."""
    rng = random.Random(seed)
    n = 6
    ids = ["H"] + [f"U{i}" for i in range(1, n)]
    tree = [(ids[i], ids[rng.randrange(i)]) for i in range(1, n)]
    G = _county(make_graph, tree[: n - 1 - seed % 2], n)          # some seeds leave one unit isolated
    from orgnet.queries.connectivity import cached_unit_network

    U = cached_unit_network(G)
    (units,) = _county_areas(G, U).values()
    avail = [(a, b) for a, b, _ in _plausible_pairs(G, units) if not U.has_edge(a, b)]
    fewest = None
    for size in range(0, 5):
        for extra in itertools.combinations(avail, size):
            H = nx.Graph(U.edges())
            H.add_nodes_from(U)
            H.add_edges_from(extra)
            if not _weak(H):
                fewest = size
                break
        if fewest is not None:
            break
    plan = make_plan(G, only=["connectivity"])
    ties = [tuple(op[1:3]) for a in plan.actions if a.kind == "pairing" for op in a.ops]
    H = nx.Graph(U.edges())
    H.add_nodes_from(U)
    H.add_edges_from(ties)
    if fewest is None:
        return
    assert not _weak(H)
    assert len(ties) == fewest
    assert plan.connectivity["fewest_proved"] == plan.connectivity["areas"] == 1
    after = run_checks(apply_plan(G, plan), only=["connectivity.cut_unit", "connectivity.bridge_link",
                                                  "connectivity.isolated_unit"])
    assert after.findings == []


def _brute_fewest(U, avail, most=5):
    for size in range(0, most + 1):
        for extra in itertools.combinations(avail, size):
            H = nx.Graph(U.edges())
            H.add_nodes_from(U)
            H.add_edges_from(extra)
            if not _weak(H):
                return size
    return None


@pytest.mark.parametrize("seed", range(12))
def test_connectivity_ties_are_the_fewest_on_random_small_graphs(make_graph, seed):
    """Random small county networks (trees, cycles with tails, several parts, isolated
    units): the plan's ties leave no isolated unit, cut unit or bridge whenever brute
    force finds some set of plausible ties that does, and are as few as brute force's."""
    rng = random.Random(100 + seed)
    n = rng.choice([5, 6, 7])
    ids = ["H"] + [f"U{i}" for i in range(1, n)]
    edges = set()
    for _ in range(rng.randrange(0, n + 2)):
        a, b = rng.sample(ids, 2)
        edges.add(tuple(sorted((a, b))))
    G = _county(make_graph, sorted(edges), n)
    from orgnet.queries.connectivity import cached_unit_network

    U = cached_unit_network(G)
    (units,) = _county_areas(G, U).values()
    avail = [(a, b) for a, b, _ in _plausible_pairs(G, units) if not U.has_edge(a, b)]
    fewest = _brute_fewest(U, avail)
    from orgnet.queries.plan import plausible_lower_bound, ties_lower_bound

    H0 = nx.Graph(U.edges())
    H0.add_nodes_from(U)
    weighted = [(a, b, 1) for a, b in avail]
    if fewest is not None:              # the lower bounds are bounds
        assert ties_lower_bound(H0) <= fewest and plausible_lower_bound(H0, weighted) <= fewest
    plan = make_plan(G, only=["connectivity"])
    ties = [tuple(op[1:3]) for a in plan.actions if a.kind == "pairing" for op in a.ops]
    if fewest is None:                      # no plausible set of ties can do it
        assert plan.connectivity.get("fixed", 0) == 0
        return
    H = nx.Graph(U.edges())
    H.add_nodes_from(U)
    H.add_edges_from(ties)
    assert not _weak(H)
    assert len(ties) == fewest, (sorted(edges), ties, fewest)
    after = run_checks(apply_plan(G, plan), only=["connectivity.cut_unit", "connectivity.bridge_link",
                                                  "connectivity.isolated_unit"])
    assert after.findings == []


def test_fewest_ties_on_a_large_area_reaches_the_lower_bound_or_says_so():
    """A 150-unit county tree (two tiers, augmented tier by tier): no weak point left,
    and the count is either proved (the lower bound) or reported as not proved."""
    from orgnet.queries.plan import _weak_points, _with, fewest_ties, ties_lower_bound

    rng = random.Random(7)
    H = nx.Graph()
    H.add_node(0)
    for i in range(1, 150):
        H.add_edge(i, rng.randrange(max(0, i - 10), i))
    avail = [(a, b, 1 + abs(a - b) // 10) for a in range(150) for b in range(a + 1, min(150, a + 12))
             if not H.has_edge(a, b)]
    ties, proved, bound = fewest_ties(H, avail)
    assert not _weak_points(_with(H, ties))
    assert bound >= ties_lower_bound(H) and len(ties) >= bound
    assert proved == (len(ties) == bound)


def test_no_findings_means_no_plan(tmp_path):
    path = tmp_path / "empty"
    path.mkdir()
    (path / "institutions.csv").write_text("id,name,kind\n", encoding="utf-8")
    plan = prove_plan(load_graph(path), make_plan(load_graph(path)))
    assert plan.actions == [] and plan.unclosable == [] and plan.findings_before == []


def test_united_front_actions_on_the_county_example(tmp_path):
    plan, checked = assert_plan_holds(ROOT / "examples" / "county-medical-community", tmp_path)
    kinds = {a.kind for a in plan.actions}
    assert {"contact", "united_front_member"} <= kinds
    left = {f.check for f in checked.findings}
    assert "united_front.uncontacted_representative" not in left
    assert "united_front.no_united_front_member" not in left


def _liaison_county(make_graph):
    units = [{"id": "H", "name": "县医院", "kind": "county_hospital", "region_id": "R"},
             {"id": "T", "name": "镇卫生院", "kind": "township_health_center", "parent_id": "H",
              "region_id": "R"}]
    units += [{"id": f"V{i}", "name": f"{i}村卫生室", "kind": "village_clinic", "parent_id": "T",
               "region_id": "R"} for i in range(1, 5)]
    members = [{"id": m, "name": f"党员{m}", "status": "full", "institution_id": "T"}
               for m in ("A", "B", "C")]
    links = [{"source_id": "T", "target_id": "H", "type": "pairing"},
             {"source_id": "T", "target_id": "H", "type": "referral"}]
    links += [{"source_id": "A", "target_id": f"V{i}", "type": "liaison"} for i in range(1, 5)]
    return make_graph({"regions": [{"id": "R", "name": "县", "level": "county"}],
                       "institutions": units, "members": members, "links": links})


@pytest.mark.parametrize("most", [1, 2, 5])
def test_backup_liaisons_spread_the_load_within_the_limit(make_graph, most):
    G = _liaison_county(make_graph)
    single = [f.subject for f in run_checks(G, only=["connectivity.single_liaison"]).findings]
    assert single == [("V1",), ("V2",), ("V3",), ("V4",)]
    plan = prove_plan(G, make_plan(G, only=["connectivity.single_liaison"], max_liaison_units=most),
                      only=["connectivity.single_liaison"])
    backups = [a for a in plan.actions if a.kind == "backup_liaison"]
    load: dict = {}
    for a in backups:
        load[a.subjects[1]] = load.get(a.subjects[1], 0) + 1
    assert set(load) <= {"B", "C"} and max(load.values()) <= most
    assert max(load.values()) - min(load.values()) <= 1          # spread, not piled on one
    assert len(backups) == min(4, 2 * most)
    closed = {tuple(c["subject"]) for a in backups for c in a.closes}
    assert closed == {tuple(a.subjects[:1]) for a in backups}
    left = {tuple(u["subject"]) for u in plan.unclosable}
    assert left == set(single) - closed
    assert all("liaison" in u["reason"] for u in plan.unclosable)


@pytest.mark.parametrize("seed", range(40))
def test_lower_bounds_hold_and_fewest_ties_matches_brute_force(seed):
    """Random graphs of 4-7 units with random candidate ties: both lower bounds are at
    most brute force's fewest, and fewest_ties finds exactly that many (it is small
    enough to be proved) or reports that no candidate set works."""
    from orgnet.queries.plan import _weak_points, _with, fewest_ties, plausible_lower_bound, ties_lower_bound

    rng = random.Random(seed)
    n = rng.randrange(4, 8)
    H = nx.Graph()
    H.add_nodes_from(range(n))
    for _ in range(rng.randrange(0, n + 3)):
        a, b = rng.sample(range(n), 2)
        H.add_edge(a, b)
    missing = [(a, b) for a in range(n) for b in range(a + 1, n) if not H.has_edge(a, b)]
    avail = [(a, b, rng.randrange(1, 5)) for a, b in missing if rng.random() < 0.6]
    fewest = _brute_fewest(H, [(a, b) for a, b, _ in avail], most=len(avail))
    ties, proved, bound = fewest_ties(H, avail)
    if fewest is None:
        assert _weak_points(_with(H, ties))
        return
    assert ties_lower_bound(H) <= fewest and plausible_lower_bound(H, avail) <= fewest
    assert proved and len(ties) == fewest and not _weak_points(_with(H, ties))


def test_the_plan_is_the_same_whatever_the_string_hashing(tmp_path):
    """networkx iterates sets of nodes inside its augmentation: the plan must not depend
    on Python's per-process string hashing (PYTHONHASHSEED)."""
    import json
    import os
    import subprocess
    import sys

    generate_dataset(tmp_path / "g", counties=4, seed=4)
    code = ("import json, sys; from orgnet.loaders import load_graph; "
            "from orgnet.queries.plan import make_plan; "
            "p = make_plan(load_graph(sys.argv[1])); "
            "print(json.dumps([[a.kind, a.subjects, a.text['en']] for a in p.actions]))")
    outputs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "g")], env=env,
                             capture_output=True, text=True, check=True).stdout
        outputs.append(json.loads(out))
    assert outputs[0] == outputs[1] == outputs[2]
    assert any(kind == "pairing" for kind, _, _ in outputs[0])
