"""Shrink a view that is too big to draw interactively.

Above :data:`NODE_LIMIT` nodes a browser can no longer keep a network map
responsive, so the view is aggregated, step by step until it fits:

1. members are folded into their party organization (else their workplace);
2. village-level institutions (village clinics, community health stations) are
   folded into their ``parent_id`` institution (their township health center);
3. as a last resort, only the nodes with findings and the most connected ones
   are kept.

Folded nodes count what they hold (``merged``); edges follow their ends, and
edges that end up between the same two nodes with the same type are summed.
The view's ``notes`` say what was done, so the page can say it too.

Examples
--------
>>> from orgnet.visualizations.views import View, ViewNode, ViewEdge
>>> v = View("units")
>>> v.nodes = {"T": ViewNode("T", "Institution", "镇", "township_health_center"),
...            "V1": ViewNode("V1", "Institution", "村1", "village_clinic"),
...            "V2": ViewNode("V2", "Institution", "村2", "village_clinic")}
>>> v.parent = {"V1": "T", "V2": "T"}
>>> small = aggregate_view(v, limit=2)
>>> sorted(small.nodes), small.nodes["T"].merged
(['T'], {'villages': 2})
"""

from __future__ import annotations

import copy
import dataclasses
from collections import defaultdict

from orgnet.graphmodel.schema import COVERS, INSTITUTION, INSTITUTION_KINDS, MEMBER, level_rank
from orgnet.visualizations.views import View, ViewEdge

__all__ = ["NODE_LIMIT", "aggregate_view"]

#: the most nodes a map draws as they are (interactive and settled within seconds)
NODE_LIMIT = 3000


def aggregate_view(view: View, limit: int = NODE_LIMIT, *, keep=()) -> View:
    """Return the view itself if it has at most ``limit`` nodes, else an aggregated copy.

    Parameters
    ----------
    view : View
    limit : int
        The most nodes to draw.
    keep : iterable of str
        Ids to prefer when nodes must be dropped (the entities with findings).

    Returns
    -------
    View
        With an ``("aggregated", {...})`` note when it was aggregated.
    """
    before = view.number_of_nodes()
    if before <= limit:
        return view
    view = _copy(view)
    steps = []
    members = {n for n, item in view.nodes.items() if item.label == MEMBER}
    if members:
        _fold(view, members, "members")
        steps.append("agg.members")
    if view.number_of_nodes() > limit:
        villages = {n for n, item in view.nodes.items()
                    if item.label == INSTITUTION and _is_village(item) and n in view.parent}
        if villages:
            _fold(view, villages, "villages")
            steps.append("agg.villages")
    if view.number_of_nodes() > limit:
        _truncate(view, limit, set(keep))
        steps.append("agg.truncated")
    view.notes.insert(0, ("aggregated", {"before": before, "limit": limit,
                                         "after": view.number_of_nodes(), "steps": steps}))
    return view


def _copy(view: View) -> View:
    """Copy what aggregation changes (node dicts, merged counts, parents, notes, the edge
    list); edges themselves are copied by :func:`_rewire` before they change."""
    nodes = {}
    for node, item in view.nodes.items():
        twin = copy.copy(item)
        twin.merged = dict(item.merged)
        nodes[node] = twin
    return dataclasses.replace(view, nodes=nodes, edges=list(view.edges),
                               parent=dict(view.parent), notes=list(view.notes),
                               member_names=dict(view.member_names))


def _is_village(item) -> bool:
    level = item.attrs.get("level") or getattr(INSTITUTION_KINDS.get(item.kind), "level", None)
    return level_rank(level) == 0


def _fold(view: View, folded: set[str], what: str) -> None:
    """Fold each node of ``folded`` into its layout parent (dropped if it has none)."""
    into: dict[str, str | None] = {}
    for node in folded:
        target = view.parent.get(node)
        org = view.nodes[node].attrs.get("org_id") if what == "members" else None
        if org in view.nodes:
            target = org
        seen = {node}
        while target in folded and target not in seen:   # members of members cannot occur,
            seen.add(target)                             # but be safe with chains
            target = view.parent.get(target)
        into[node] = target if target in view.nodes and target not in folded else None
    for node, target in into.items():
        if target is not None:
            merged = view.nodes[target].merged
            merged[what] = merged.get(what, 0) + 1 + view.nodes[node].merged.get(what, 0)
        del view.nodes[node]
    view.parent = {n: p for n, p in view.parent.items() if n in view.nodes and p in view.nodes}
    _rewire(view, lambda n: into[n] if n in into else n)


def _rewire(view: View, mapped) -> None:
    """Move edge ends with ``mapped``; drop loops and dropped ends; sum parallel edges.

    Structure edges of a folded node (a member's MEMBER_OF and WORKS_AT, a village's
    BELONGS_TO and IN_REGION) are dropped: the folded node stands for them.  Coverage
    is kept: an org covering a folded village covers part of its township's group.
    """
    grouped: dict[tuple, ViewEdge] = {}
    for edge in view.edges:
        source, target = mapped(edge.source), mapped(edge.target)
        if source is None or target is None or source == target:
            continue
        moved = source != edge.source or target != edge.target
        if moved and edge.structure and edge.type != COVERS:
            continue
        if source not in view.nodes or target not in view.nodes:
            continue
        key = (source, target, edge.type)
        found = grouped.get(key)
        if found is None:
            found = grouped[key] = copy.copy(edge)
            found.source, found.target = source, target
            found.rows = list(edge.rows)
            found.members = set(edge.members)
        else:
            found.count += edge.count
            found.rows += edge.rows
            found.members |= edge.members
            found.link_types = tuple(sorted(set(found.link_types) | set(edge.link_types)))
    for (source, target, rel), edge in grouped.items():
        edge.both_ways = edge.both_ways or (target, source, rel) in grouped
    view.edges = list(grouped.values())


def _truncate(view: View, limit: int, keep: set[str]) -> None:
    degree = defaultdict(int)
    for edge in view.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    ranked = sorted(view.nodes, key=lambda n: (n not in keep, -degree[n], n))
    kept = set(ranked[:limit])
    view.nodes = {n: item for n, item in view.nodes.items() if n in kept}
    view.parent = {n: p for n, p in view.parent.items() if n in kept and p in kept}
    view.edges = [e for e in view.edges if e.source in kept and e.target in kept]
