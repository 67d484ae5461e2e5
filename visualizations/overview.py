"""The overview of a large map: one node per region, each opening on its detail.

A view of the institutions (``units`` or ``referral``) with more than
:data:`OVERVIEW_FROM` nodes is not drawn whole: the page opens on an overview
with one node per township, county or city (the finest of these levels that
gives at most :data:`OVERVIEW_LIMIT` nodes), coloured by its organizational
coverage (组织覆盖率) and tied to the others by the ties between their units.
Each region's detail is the view cut down to its institutions, plus the
institutions of other regions they have a tie with (drawn as *external*).

Institutions whose region lies above the chosen level (a city hospital when
the overview is by county) form a node of their own region; institutions
without a region form one "(no region)" node.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> from orgnet.visualizations.views import build_view
>>> G = new_graph()
>>> for r in ("A", "B"):
...     G.add_node(r, label="Region", name=r + "县", level="county")
...     for i in range(3):
...         G.add_node(f"{r}{i}", label="Institution", name=f"{r}{i}", kind="village_clinic",
...                    level="village", region_id=r)
...         _ = G.add_edge(f"{r}{i}", r, key="IN_REGION", type="IN_REGION")
>>> ov = region_overview(G, build_view(G, "units"), limit=5)
>>> ov.level, sorted(ov.details), ov.view.nodes["A"].attrs["institutions"]
('county', ['A', 'B'], 3)
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from orgnet.graphmodel.embedded import nodes_with_label
from orgnet.graphmodel.schema import COVERS, HEALTH_KINDS, REGION, REGION_PARENT
from orgnet.queries.finding import SEVERITIES
from orgnet.visualizations.views import View, ViewEdge, ViewNode, finding_node_ids

__all__ = ["OVERVIEW_FROM", "OVERVIEW_LIMIT", "OVERVIEW_VIEWS", "NO_REGION", "Overview",
           "region_overview", "wants_overview"]

#: views with more nodes than this open on the overview
OVERVIEW_FROM = 1000
#: the most nodes of an overview
OVERVIEW_LIMIT = 300
#: the views made of institutions only, which an overview can split by region
OVERVIEW_VIEWS = ("units", "referral")
#: the group of the institutions without a region
NO_REGION = ""
_LEVELS = ("village", "township", "county", "city", "province")


@dataclass
class Overview:
    """An overview: its view (one node per region), the level, each region's detail view.

    The overview's nodes carry in ``attrs``: ``institutions`` (health institutions),
    ``covered``, ``own_branch``, ``coverage_rate``, ``own_branch_rate``, ``units``
    (units drawn in the detail) and ``findings`` (``{severity: count}``).
    """

    level: str
    view: View
    details: dict[str, View] = field(default_factory=dict)
    external: dict[str, set] = field(default_factory=dict)
    group_of: dict[str, str] = field(default_factory=dict)


def wants_overview(view: View, *, start: int = OVERVIEW_FROM) -> bool:
    """Return whether a view is drawn through an overview (an institution view above ``start``).

    Examples
    --------
    >>> wants_overview(View("units")), wants_overview(View("party"), start=-1)
    (False, False)
    """
    return view.name in OVERVIEW_VIEWS and view.number_of_nodes() > start


def region_overview(G: nx.MultiDiGraph, view: View, findings=(), *,
                    limit: int = OVERVIEW_LIMIT) -> Overview:
    """Return the overview of an institution view, by region.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph (regions, coverage).
    view : View
        A ``units`` or ``referral`` view.
    findings : iterable of Finding
        Counted per region (by the region of their subjects).
    limit : int
        The most regions of the overview.

    Returns
    -------
    Overview
    """
    from orgnet.queries.runner import own_branch_institutions

    chains = _region_chains(G)
    level, group_of = _grouping(G, view, chains, limit)
    names = {r: str(d.get("name", r)) for r, d in nodes_with_label(G, REGION)}
    own = own_branch_institutions(G)
    covered = {v for _, v, k in G.edges(keys=True) if k == COVERS}
    overview = View("overview")
    stats: dict[str, dict] = defaultdict(lambda: {"institutions": 0, "covered": 0,
                                                  "own_branch": 0, "units": 0,
                                                  "findings": dict.fromkeys(SEVERITIES, 0)})
    for node, group in group_of.items():
        entry = stats[group]
        entry["units"] += 1
        if view.nodes[node].kind in HEALTH_KINDS:
            entry["institutions"] += 1
            entry["covered"] += node in covered
            entry["own_branch"] += node in own
    for finding in findings:
        groups = {group_of[n] for n in finding_node_ids(finding) if n in group_of}
        for group in groups:
            stats[group]["findings"][finding.severity] = \
                stats[group]["findings"].get(finding.severity, 0) + 1
    for group in sorted(stats, key=lambda g: (g == NO_REGION, g)):
        entry = dict(stats[group])
        total = entry["institutions"]
        entry["coverage_rate"] = round(entry["covered"] / total, 4) if total else None
        entry["own_branch_rate"] = round(entry["own_branch"] / total, 4) if total else None
        group_level = G.nodes[group].get("level") if group in G else None
        overview.nodes[group] = ViewNode(group, REGION, names.get(group, group), group_level,
                                         attrs=entry)
    # a region of the overview's level sits by the region above it (a county by its
    # city); the higher regions are not nested in each other, so the overview packs
    # into a few compact groups instead of one wide ring
    for group in overview.nodes:
        if overview.nodes[group].kind != level:
            continue
        for parent in chains.get(group, [])[1:]:
            if parent in overview.nodes:
                overview.parent[group] = parent
                break
    ties: dict[tuple, ViewEdge] = {}
    for edge in view.edges:
        if edge.structure:
            continue
        a, b = group_of[edge.source], group_of[edge.target]
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        tie = ties.get(key)
        if tie is None:
            tie = ties[key] = ViewEdge(key[0], key[1], "OVERVIEW", count=0)
        tie.count += edge.count
        tie.rows.append(len(tie.rows))
    overview.edges = [ties[k] for k in sorted(ties)]
    result = Overview(level, overview, group_of=group_of)
    _split(view, result)
    return result


def _region_chains(G) -> dict[str, list[str]]:
    """Return each region's chain of regions, itself first, then up the ``parent_id``s."""
    parent = {}
    for u, v, k in G.edges(keys=True):
        if k == REGION_PARENT:
            parent.setdefault(u, v)
    chains = {}
    for region, _ in nodes_with_label(G, REGION):
        chain, current = [], region
        while current is not None and current not in chain:
            chain.append(current)
            current = parent.get(current)
        chains[region] = chain
    return chains


def _grouping(G, view: View, chains, limit) -> tuple[str, dict[str, str]]:
    """Choose the finest level giving at most ``limit`` groups; return it and each node's group."""
    regions = {n: item.attrs.get("region_id") for n, item in view.nodes.items()}
    last = None
    for level in _LEVELS[1:]:
        group_of = {}
        for node, region in regions.items():
            chain = chains.get(region) if region else None
            if not chain:
                group_of[node] = NO_REGION
                continue
            group_of[node] = next((r for r in chain if G.nodes[r].get("level") == level),
                                  chain[0])
        last = group_of
        if len(set(group_of.values())) <= limit:
            break
    # name the overview by the level most of its regions have
    levels = Counter(G.nodes[g].get("level") for g in set(last.values()) if g in G)
    return (levels.most_common(1)[0][0] if levels else level), last


def _split(view: View, overview: Overview) -> None:
    """Cut the view into one detail view per group (its nodes, plus external tie ends)."""
    group_of = overview.group_of
    members: dict[str, set] = defaultdict(set)
    for node, group in group_of.items():
        members[group].add(node)
    edges: dict[str, list] = defaultdict(list)
    external: dict[str, set] = defaultdict(set)
    for edge in view.edges:
        a, b = group_of[edge.source], group_of[edge.target]
        edges[a].append(edge)
        if a != b:
            if edge.structure:
                edges[a].pop()
                continue
            edges[b].append(edge)
            external[a].add(edge.target)
            external[b].add(edge.source)
    for group in overview.view.nodes:
        shown = members[group] | external[group]
        detail = dataclasses.replace(
            view, nodes={n: view.nodes[n] for n in sorted(shown)}, edges=edges[group],
            parent={n: p for n, p in view.parent.items() if n in shown and p in shown},
            notes=list(view.notes),
            member_names={m: view.member_names[m] for e in edges[group] for m in e.members
                          if m in view.member_names})
        overview.details[group] = detail
        overview.external[group] = external[group]
