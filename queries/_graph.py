"""Small read helpers over the embedded graph shared by the check families.

Everything here reads the shape documented in :mod:`orgnet.graphmodel.embedded` through
its structure edges (``COVERS``, ``MEMBER_OF``, ``REPORTS_TO``, ``BELONGS_TO``,
``IN_REGION``, ``PART_OF_REGION``, ``WORKS_AT``).  Lists come back sorted by id so
that every check is deterministic.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> G = new_graph()
>>> G.add_node("O1", label=PARTY_ORG, name="党委", kind="committee")
>>> G.add_node("O2", label=PARTY_ORG, name="支部", kind="branch")
>>> _ = G.add_edge("O2", "O1", key=ORG_PARENT, type=ORG_PARENT)
>>> G.add_node("M1", label=MEMBER, name="王伟", status="full")
>>> _ = G.add_edge("M1", "O2", key=MEMBER_OF, type=MEMBER_OF)
>>> orgs_at_or_below(G, "O1"), members_at_or_below(G, "O1")
(['O1', 'O2'], ['M1'])
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from orgnet.graphmodel.schema import (
    COVERS, FULL_STATUS, HEALTH_KINDS, IN_REGION, INSTITUTION, INSTITUTION_PARENT,
    MEMBER, MEMBER_OF, ORG_PARENT, ORG_TIERS, PARTY_ORG, REGION_PARENT, WORKS_AT,
)

if TYPE_CHECKING:  # annotations only: networkx is imported where a graph is built
    import networkx as nx

__all__ = [
    "name_of", "kind_of", "targets", "sources", "org_parent", "org_chain",
    "orgs_at_or_below", "members_at_or_below", "direct_members", "full_members_at_or_below",
    "covering_orgs", "covered_institutions", "institution_parent", "institution_chain",
    "institutions_below", "workers", "region_of", "region_chain", "is_health",
    "health_institutions", "roles_of", "join_preference", "preferred_org", "org_ids",
    "labelled", "run_scope", "number_of_members_at_or_below", "has_ancestor_in",
    "orgs_deepest_first",
]

#: id(graph) -> lists shared by the checks of one run (see :func:`run_scope`)
_RUN: dict[int, dict] = {}


@contextlib.contextmanager
def run_scope(G: nx.MultiDiGraph):
    """Share the node lists (ids per label, health institutions) among the checks of one run.

    :func:`orgnet.queries.runner.run_checks` runs its checks inside this block; each
    list is then computed once instead of once per check.  Outside any block
    nothing is kept, so a graph edited between two calls is always read afresh.
    The graph must not change inside the block.  Nested use is fine.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("O1", label=PARTY_ORG)
    >>> with run_scope(G):
    ...     org_ids(G) == org_ids(G) == ["O1"]
    True
    """
    key = id(G)
    if key in _RUN:
        yield
        return
    _RUN[key] = {}
    try:
        yield
    finally:
        _RUN.pop(key, None)


def _shared(G, name, build):
    """Return ``build()``: computed once per run inside :func:`run_scope`, else each time."""
    cache = _RUN.get(id(G))
    if cache is None:
        return build()
    if name not in cache:
        cache[name] = build()
    return cache[name]


def _ids_with_label(G, label) -> list[str]:
    def build():
        return sorted([n for n, d in G._node.items() if d.get("label") == label])
    try:
        return _shared(G, ("label", label), build)
    except TypeError:                 # an unhashable label: nothing shared
        return build()


def labelled(G: nx.MultiDiGraph, label: str) -> list[tuple[str, dict]]:
    """Return ``list(graphmodel.embedded.nodes_with_label(G, label))`` (shared within a run).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("b", label=MEMBER); G.add_node("a", label=MEMBER)
    >>> [n for n, _ in labelled(G, MEMBER)]
    ['a', 'b']
    """
    nodes = G._node
    return [(n, nodes[n]) for n in _ids_with_label(G, label)]


def name_of(G: nx.MultiDiGraph, node: str) -> str:
    """Return a node's name, or its id when it has none."""
    return str(G._node[node].get("name", node))


def kind_of(G: nx.MultiDiGraph, node: str):
    """Return a node's kind (None when it has none)."""
    return G._node[node].get("kind")


def targets(G: nx.MultiDiGraph, node: str, rel: str) -> list[str]:
    """Return the sorted targets of a node's structure edges of one type."""
    # G._adj[node] is {target: {key: data}}: one entry per target holding the key,
    # the same targets ``G.out_edges(node, keys=True)`` yields, without the views.
    return sorted([v for v, keyed in G._adj[node].items() if rel in keyed])


def sources(G: nx.MultiDiGraph, node: str, rel: str) -> list[str]:
    """Return the sorted sources of the structure edges of one type into a node."""
    return sorted([u for u, keyed in G._pred[node].items() if rel in keyed])


def org_ids(G: nx.MultiDiGraph) -> list[str]:
    """Return the ids of every party org, sorted."""
    return list(_ids_with_label(G, PARTY_ORG))


def _first_target(G: nx.MultiDiGraph, node: str, rel: str):
    """Return the (single) node a ``rel`` relationship leads to, or None."""
    found = targets(G, node, rel)
    return found[0] if found else None


def _chain(G: nx.MultiDiGraph, node: str, rel: str) -> list[str]:
    """Return the node and every node up its ``rel`` parent chain, nearest first.

    A cycle (rejected by the validator) stops the walk instead of looping.
    """
    chain = [node]
    seen = {node}                     # a set: a deep chain is walked in linear time
    parent = _first_target(G, node, rel)
    while parent is not None and parent not in seen:
        chain.append(parent)
        seen.add(parent)
        parent = _first_target(G, parent, rel)
    return chain


def _depths(G: nx.MultiDiGraph, nodes, rel: str) -> dict[str, int]:
    """Return the depth of each node in its ``rel`` parent chain (a root is 0).

    Every chain is walked once: a walk stops at the first node whose depth is
    known and numbers the path on the way back (no recursion; a cycle, which the
    validator rejects, is cut where it closes).
    """
    depth: dict[str, int] = {}
    for start in nodes:
        path = []
        on_path = set()
        node = start
        while node is not None and node not in depth and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = _first_target(G, node, rel)
        base = depth.get(node, -1) if node is not None else -1
        for offset, item in enumerate(reversed(path), start=1):
            depth[item] = base + offset
    return depth


def orgs_deepest_first(G: nx.MultiDiGraph) -> list[str]:
    """Return the org ids, every org before the org it reports to (for bottom-up passes).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> for o in ("O1", "O2", "O3"): G.add_node(o, label=PARTY_ORG)
    >>> _ = G.add_edge("O2", "O1", key=ORG_PARENT); _ = G.add_edge("O3", "O2", key=ORG_PARENT)
    >>> orgs_deepest_first(G)
    ['O3', 'O2', 'O1']
    """
    def build():
        orgs = org_ids(G)
        depth = _depths(G, orgs, ORG_PARENT)
        return sorted(orgs, key=lambda o: -depth.get(o, 0))

    return _shared(G, "orgs_deepest_first", build)


def _member_counts(G: nx.MultiDiGraph, statuses) -> dict[str, int]:
    """Members (with one of ``statuses``, or all) whose org is each org or one below it.

    One bottom-up pass over the orgs, deepest first: linear in orgs + members
    however deep the chains of orgs are.
    """
    orgs = org_ids(G)
    nodes = G._node
    total = {o: sum(1 for m in direct_members(G, o)
                    if statuses is None or nodes[m].get("status") in statuses) for o in orgs}
    for org in orgs_deepest_first(G):
        parent = org_parent(G, org)
        if parent is not None and parent in total and parent != org:
            total[parent] += total[org]
    return total


def number_of_members_at_or_below(G: nx.MultiDiGraph, org: str, statuses=None) -> int:
    """Return ``len(members_at_or_below(G, org, statuses))`` without listing them.

    Inside :func:`run_scope` the counts of every org are computed once, bottom
    up; a chain of 20,000 nested orgs costs one pass, not 20,000 walks.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("O1", label=PARTY_ORG); G.add_node("O2", label=PARTY_ORG)
    >>> _ = G.add_edge("O2", "O1", key=ORG_PARENT)
    >>> G.add_node("M1", label="Member", status="full"); _ = G.add_edge("M1", "O2", key=MEMBER_OF)
    >>> number_of_members_at_or_below(G, "O1"), number_of_members_at_or_below(G, "O2", {"x"})
    (1, 0)
    """
    key = ("member_counts", None if statuses is None else frozenset(statuses))
    counts = _shared(G, key, lambda: _member_counts(G, statuses))
    return counts.get(org, 0)


def has_ancestor_in(G: nx.MultiDiGraph, org: str, wanted, memo: dict) -> bool:
    """Return True when the org or an org it reports to is in ``wanted``.

    ``memo`` (one dict per ``wanted`` set) remembers every org already answered,
    so asking for every org of a deep chain walks the chain once.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> for o in ("O1", "O2", "O3"): G.add_node(o, label=PARTY_ORG)
    >>> _ = G.add_edge("O3", "O2", key=ORG_PARENT); _ = G.add_edge("O2", "O1", key=ORG_PARENT)
    >>> memo = {}
    >>> has_ancestor_in(G, "O3", {"O1"}, memo), sorted(memo)
    (True, ['O1', 'O2', 'O3'])
    """
    path = []
    seen = set()
    node = org
    answer = False
    while node is not None:
        if node in memo:
            answer = memo[node]
            break
        if node in wanted:
            answer = True
            path.append(node)
            break
        if node in seen:              # a cycle (rejected by the validator)
            break
        path.append(node)
        seen.add(node)
        node = org_parent(G, node)
    for item in path:
        memo[item] = answer
    return answer


def _descendants(G: nx.MultiDiGraph, node: str, rel: str) -> set[str]:
    """Return every node below one through ``rel`` parent relationships (not the node)."""
    seen: set[str] = set()
    todo = [node]
    while todo:
        for child in sources(G, todo.pop(), rel):
            if child not in seen and child != node:
                seen.add(child)
                todo.append(child)
    return seen


def org_parent(G: nx.MultiDiGraph, org: str):
    """Return the org an org reports to, or None."""
    return _first_target(G, org, ORG_PARENT)


def org_chain(G: nx.MultiDiGraph, org: str) -> list[str]:
    """Return the org and every org it reports to, nearest first."""
    return _chain(G, org, ORG_PARENT)


def orgs_at_or_below(G: nx.MultiDiGraph, org: str) -> list[str]:
    """Return the org and every org reporting to it directly or indirectly, sorted."""
    return sorted(_descendants(G, org, ORG_PARENT) | {org})


def direct_members(G: nx.MultiDiGraph, org: str) -> list[str]:
    """Return the members whose ``org_id`` is the org, sorted."""
    return sources(G, org, MEMBER_OF)


def members_at_or_below(G: nx.MultiDiGraph, org: str, statuses=None) -> list[str]:
    """Return the members whose ``org_id`` is the org or an org below it, sorted.

    ``statuses`` (a set of status keys) keeps only members with one of them.
    """
    found = []
    for unit in orgs_at_or_below(G, org):
        found += direct_members(G, unit)
    if statuses is not None:
        found = [m for m in found if G._node[m].get("status") in statuses]
    return sorted(found)


def full_members_at_or_below(G: nx.MultiDiGraph, org: str) -> list[str]:
    """Return the full members of an org in the spec's sense (at or below it), sorted."""
    return members_at_or_below(G, org, {FULL_STATUS})


def covering_orgs(G: nx.MultiDiGraph, institution: str) -> list[str]:
    """Return the orgs listing the institution in ``institution_ids``, sorted."""
    return sources(G, institution, COVERS)


def covered_institutions(G: nx.MultiDiGraph, org: str) -> list[str]:
    """Return the institutions an org lists in ``institution_ids``, sorted."""
    return targets(G, org, COVERS)


def institution_parent(G: nx.MultiDiGraph, institution: str):
    """Return an institution's ``parent_id`` institution, or None."""
    return _first_target(G, institution, INSTITUTION_PARENT)


def institution_chain(G: nx.MultiDiGraph, institution: str) -> list[str]:
    """Return the institution and its ``parent_id`` ancestors, nearest first."""
    return _chain(G, institution, INSTITUTION_PARENT)


def institutions_below(G: nx.MultiDiGraph, institution: str) -> list[str]:
    """Return every institution below one in the ``parent_id`` structure, sorted."""
    return sorted(_descendants(G, institution, INSTITUTION_PARENT))


def workers(G: nx.MultiDiGraph, institution: str, statuses=None) -> list[str]:
    """Return the members working at an institution (``WORKS_AT``), sorted."""
    found = sources(G, institution, WORKS_AT)
    if statuses is not None:
        found = [m for m in found if G._node[m].get("status") in statuses]
    return found


def region_of(G: nx.MultiDiGraph, institution: str):
    """Return an institution's region, or None."""
    return _first_target(G, institution, IN_REGION)


def region_chain(G: nx.MultiDiGraph, region: str) -> list[str]:
    """Return the region and its parent regions, nearest first."""
    return _chain(G, region, REGION_PARENT)


def is_health(G: nx.MultiDiGraph, node: str) -> bool:
    """Return True for an institution whose kind is a health kind (schema.HEALTH_KINDS)."""
    data = G._node[node]
    return data.get("label") == INSTITUTION and data.get("kind") in HEALTH_KINDS


def health_institutions(G: nx.MultiDiGraph) -> list[str]:
    """Return the ids of the health institutions, sorted."""
    nodes = G._node
    return list(_shared(G, "health", lambda: [
        n for n in _ids_with_label(G, INSTITUTION) if nodes[n].get("kind") in HEALTH_KINDS]))


def roles_of(G: nx.MultiDiGraph, member: str) -> list[str]:
    """Return a member's roles as a list (empty when none)."""
    roles = G._node[member].get("roles") or []
    if isinstance(roles, str):
        roles = [roles]
    return list(roles)


def join_preference(G: nx.MultiDiGraph, org: str) -> tuple:
    """Sort key of the org to name when an institution should join one.

    Branch-tier orgs (branch, joint branch) first, then general branches, then
    committees, then groups; ties by id.
    """
    tier = ORG_TIERS.get(kind_of(G, org), len(ORG_TIERS))
    return ({2: 0, 1: 1, 0: 2}.get(tier, 3), org)


def preferred_org(G: nx.MultiDiGraph, orgs) -> str | None:
    """Return the org of ``orgs`` an institution should join (:func:`join_preference`)."""
    orgs = list(orgs)
    if not orgs:
        return None
    return min(orgs, key=lambda o: join_preference(G, o))

