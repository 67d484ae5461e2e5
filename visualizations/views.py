"""What a map shows: the four views of the embedded graph and their filters.

A :class:`View` is a plain description of nodes and edges (no colours, no
positions): :mod:`orgnet.visualizations.aggregate` may shrink it and
:mod:`orgnet.visualizations.maps` draws it.

- ``units``: the institutions and the unit network of spec section 6 (one edge
  per pair of units, styled by the link types behind it), with ``parent_id``
  structure;
- ``party``: the party organization tree, the institutions the organizations
  cover and every health institution (uncovered ones too);
- ``referral``: health institutions and every institution in a referral, with
  the referrals up and down (one arrow per direction and pair, summed counts);
- ``full``: every entity, every link and every structure relationship.

Filters narrow the view to a region (its sub-regions included), a medical
community (an institution at the top of a ``parent_id`` chain and everything
below it) and the subjects of one check's findings with their neighbours.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph, add_link
>>> G = new_graph("demo")
>>> G.add_node("h", label=INSTITUTION, name="县医院", kind="county_hospital", level="county")
>>> G.add_node("t", label=INSTITUTION, name="卫生院", kind="township_health_center", level="township")
>>> add_link(G, "t", "h", link_type="referral", count=5, link_index=0)
>>> v = build_view(G, "referral")
>>> [(e.source, e.target, e.count, e.direction) for e in v.edges]
[('t', 'h', 5, 'up')]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orgnet.graphmodel.embedded import links, nodes_with_label, unit_network
from orgnet.graphmodel.errors import OrgnetError
from orgnet.graphmodel.schema import (
    COVERS, HEALTH_KINDS, INSTITUTION, INSTITUTION_PARENT, IN_REGION, MEMBER, MEMBER_OF,
    ORG_PARENT, PARTY_ORG, REGION, REGION_PARENT, UNITED_FRONT_KINDS, WORKS_AT, level_rank,
    link_rel_type,
)
from orgnet.visualizations.encoding import MIXED_EDGE, STRUCTURE_EDGE_TYPES

if TYPE_CHECKING:  # annotations only: networkx is imported where a graph is built
    import networkx as nx

__all__ = ["VIEWS", "View", "ViewNode", "ViewEdge", "VisualizationError", "build_view",
           "region_institutions", "community_institutions", "finding_node_ids"]

VIEWS = ("units", "party", "referral", "full", "united_front")
_REFERRAL = link_rel_type("referral")


class VisualizationError(OrgnetError):
    """A map or report cannot be drawn as asked (unknown view, region, community or check)."""


@dataclass
class ViewNode:
    """One node of a view.

    ``kind`` is the institution or org kind, the member status, or the region level;
    ``merged`` counts what aggregation folded into it (``{"members": 12}``);
    ``members`` is the number of members whose ``org_id`` is this org (size of orgs).
    """

    id: str
    label: str
    name: str
    kind: str | None = None
    attrs: dict = field(default_factory=dict)
    members: int = 0
    merged: dict = field(default_factory=dict)


@dataclass
class ViewEdge:
    """One edge of a view.

    ``type`` is a schema relationship type, or ``MIXED`` for a unit-network edge made of
    several link types; ``link_types`` the link type keys behind it; ``count`` the sum of
    the link counts; ``rows`` the links-table rows; ``members`` the member ids that were
    link endpoints; ``direction`` (referrals only) ``up``, ``down`` or ``same``;
    ``both_ways`` whether an edge of the same type runs back; ``two_headed`` whether this
    one edge stands for both directions (unit network).
    """

    source: str
    target: str
    type: str
    structure: bool = False
    link_types: tuple = ()
    count: int = 0
    rows: list = field(default_factory=list)
    members: set = field(default_factory=set)
    direction: str | None = None
    both_ways: bool = False
    two_headed: bool = False


@dataclass
class View:
    """A view: nodes by id (in drawing order), edges, and the tree used for the layout.

    ``parent`` maps a node to the node it is drawn around (or below, in a
    hierarchical view); ``notes`` are page texts as ``(key, fields)`` pairs;
    ``member_names`` names the members behind the edges (shown in edge tooltips).
    """

    name: str
    nodes: dict[str, ViewNode] = field(default_factory=dict)
    edges: list[ViewEdge] = field(default_factory=list)
    parent: dict[str, str] = field(default_factory=dict)
    hierarchical: bool = False
    structure_shown: bool = True
    notes: list = field(default_factory=list)
    member_names: dict = field(default_factory=dict)

    def number_of_nodes(self) -> int:
        """Return the number of nodes."""
        return len(self.nodes)

    def number_of_edges(self) -> int:
        """Return the number of edges."""
        return len(self.edges)

    def neighbours(self) -> dict[str, set[str]]:
        """Return each node's neighbours over every edge, ignoring direction."""
        out: dict[str, set[str]] = defaultdict(set)
        for edge in self.edges:
            out[edge.source].add(edge.target)
            out[edge.target].add(edge.source)
        return out


def build_view(G: nx.MultiDiGraph, view: str = "units", *, region: str | None = None,
               community: str | None = None, check: str | None = None,
               findings=()) -> View:
    """Return one view of the embedded graph, filtered.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph (:mod:`orgnet.graphmodel.embedded`).
    view : {"units", "party", "referral", "full", "united_front"}
    region : str, optional
        Keep the institutions in this region or below it, the organizations covering
        them, and the members working there or belonging to those organizations.
    community : str, optional
        The id of the institution at the top of a medical community: keep it and the
        institutions below it (same rule for organizations and members).
    check : str, optional
        A check id (or a family name): keep the entities named by that check's
        findings (subjects and break points) and their neighbours in the view.
    findings : iterable of Finding
        The findings (only used with ``check``).

    Returns
    -------
    View

    Raises
    ------
    VisualizationError
        An unknown view, region, community top or check id.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> build_view(new_graph(), "party").number_of_nodes()
    0
    >>> build_view(new_graph(), "tree")
    Traceback (most recent call last):
    ...
    orgnet.visualizations.views.VisualizationError: unknown view 'tree'; choose one of units, party, referral, full, united_front
    """
    if view not in VIEWS:
        raise VisualizationError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    keep = _kept_entities(G, region=region, community=community)
    builder = {"units": _units, "party": _party, "referral": _referral, "full": _full,
               "united_front": _united_front}[view]
    result = builder(G, keep)
    result.member_names = {m: str(G.nodes[m].get("name", m))
                           for edge in result.edges for m in sorted(edge.members)}
    if region:
        result.notes.append(("filtered", {"what": f"{_name(G, region)} ({region})"}))
    if community:
        result.notes.append(("filtered", {"what": f"{_name(G, community)} ({community})"}))
    if check:
        _keep_check(result, check, findings)
    return result


def region_institutions(G: nx.MultiDiGraph, region: str) -> set[str]:
    """Return the institutions in a region or any region below it.

    Raises
    ------
    VisualizationError
        If ``region`` is not a region id.
    """
    if region not in G or G.nodes[region].get("label") != REGION:
        raise VisualizationError(f"unknown region {region!r}; use the id of a row in regions")
    regions = {region}
    frontier = [region]
    while frontier:
        current = frontier.pop()
        for child, _, key in G.in_edges(current, keys=True):
            if key == REGION_PARENT and child not in regions:
                regions.add(child)
                frontier.append(child)
    return {u for r in regions for u, _, key in G.in_edges(r, keys=True) if key == IN_REGION}


def community_institutions(G: nx.MultiDiGraph, top: str) -> set[str]:
    """Return a medical community: its top institution and every institution below it.

    Raises
    ------
    VisualizationError
        If ``top`` is not an institution with no parent and at least one below it.
    """
    import networkx as nx

    if top not in G or G.nodes[top].get("label") != INSTITUTION:
        raise VisualizationError(f"unknown community {top!r}; use the id of the institution "
                                 "at the top of a medical community (no parent_id)")
    if any(key == INSTITUTION_PARENT for _, _, key in G.out_edges(top, keys=True)):
        raise VisualizationError(f"{top!r} has a parent_id, so it is not the top of a medical "
                                 "community; use the id at the top of its parent_id chain")
    below = nx.ancestors(_institution_tree(G), top)
    if not below:
        raise VisualizationError(f"no institution has {top!r} as parent_id, so it is not a "
                                 "medical community")
    return below | {top}


def finding_node_ids(finding) -> list[str]:
    """Return the entity ids a finding names: its subject and ``evidence.break_at``.

    Examples
    --------
    >>> from orgnet.queries.finding import Finding
    >>> finding_node_ids(Finding("referral.broken_chain", "high", ("V1",), "m", {"break_at": ["T1"]}))
    ['V1', 'T1']
    """
    ids = list(finding.subject)
    extra = finding.evidence.get("break_at") if isinstance(finding.evidence, dict) else None
    if isinstance(extra, (list, tuple)):
        ids += [str(x) for x in extra if str(x) not in ids]
    return ids


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def _name(G, node) -> str:
    return str(G.nodes[node].get("name", node)) if node in G else str(node)


def _institution_tree(G) -> nx.DiGraph:
    import networkx as nx

    tree = nx.DiGraph()
    tree.add_nodes_from(n for n, _ in nodes_with_label(G, INSTITUTION))
    tree.add_edges_from((u, v) for u, v, k in G.edges(keys=True) if k == INSTITUTION_PARENT)
    return tree


def _kept_entities(G, *, region, community) -> set[str] | None:
    """Return the entity ids a region/community filter keeps, or None for no filter."""
    import networkx as nx

    if not region and not community:
        return None
    units = None
    if region:
        units = region_institutions(G, region)
    if community:
        found = community_institutions(G, community)
        units = found if units is None else units & found
    orgs = {o for o, u, k in G.edges(keys=True) if k == COVERS and u in units}
    members = {m for m, t, k in G.edges(keys=True)
               if (k == WORKS_AT and t in units) or (k == MEMBER_OF and t in orgs)}
    kept = units | orgs | members
    if region:
        kept.add(region)
        kept |= {r for r in nx.ancestors(_region_tree(G), region)}
    return kept


def _region_tree(G) -> nx.DiGraph:
    import networkx as nx

    tree = nx.DiGraph()
    tree.add_edges_from((u, v) for u, v, k in G.edges(keys=True) if k == REGION_PARENT)
    return tree


def _node(G, node) -> ViewNode:
    data = G.nodes[node]
    label = data.get("label", "")
    kind = data.get("kind") if label in (INSTITUTION, PARTY_ORG) else \
        data.get("status") if label == MEMBER else data.get("level")
    attrs = dict(data)
    region = data.get("region_id")
    if region in G:
        attrs["region_name"] = str(G.nodes[region].get("name", region))
    return ViewNode(id=node, label=label, name=str(data.get("name", node)), kind=kind,
                    attrs=attrs)


def _add_nodes(G, view: View, ids) -> None:
    members = defaultdict(int)
    for m, o, k in G.edges(keys=True):
        if k == MEMBER_OF:
            members[o] += 1
    for node in sorted(ids):
        view.nodes[node] = _node(G, node)
        view.nodes[node].members = members.get(node, 0)


def _selected(G, label, keep) -> list[str]:
    return [n for n, _ in nodes_with_label(G, label) if keep is None or n in keep]


def _structure_edges(G, view: View, types) -> None:
    for u, v, key in sorted(G.edges(keys=True), key=lambda e: (e[0], e[1], str(e[2]))):
        if key in types and u in view.nodes and v in view.nodes:
            view.edges.append(ViewEdge(u, v, key, structure=True))


def _link_edges(G, view: View, *, accept=lambda u, v, d: True) -> None:
    """Add one edge per (source, target, link type) among the view's nodes, counts summed."""
    grouped: dict[tuple, ViewEdge] = {}
    for u, v, data in links(G, include_inactive=True):
        if u not in view.nodes or v not in view.nodes or not accept(u, v, data):
            continue
        key = (u, v, data["type"])
        edge = grouped.get(key)
        if edge is None:
            edge = grouped[key] = ViewEdge(u, v, data["type"], link_types=(data["link_type"],))
            if data["link_type"] == "referral":
                edge.direction = _direction(G, u, v)
        edge.count += int(data.get("count", 1) or 0)
        edge.rows.append(data.get("row"))
        for end in (u, v):
            if G.nodes[end].get("label") == MEMBER:
                edge.members.add(end)
    for (u, v, rel), edge in grouped.items():
        edge.both_ways = (v, u, rel) in grouped
    view.edges.extend(grouped.values())


def _direction(G, source, target) -> str:
    a = level_rank(G.nodes[source].get("level"))
    b = level_rank(G.nodes[target].get("level"))
    return "up" if b > a else "down" if b < a else "same"


def _tree_parent(G, view: View, node, rel) -> str | None:
    targets = sorted(t for _, t, k in G.out_edges(node, keys=True) if k == rel and t in view.nodes)
    return targets[0] if targets else None


# ---------------------------------------------------------------------------
# the views
# ---------------------------------------------------------------------------
def _units(G, keep) -> View:
    view = View("units")
    _add_nodes(G, view, _selected(G, INSTITUTION, keep))
    network = unit_network(G)
    rows_of, ends_of = {}, {}
    for u, v, d in links(G):
        rows_of[d["link_index"]] = d
        ends_of[d["link_index"]] = (u, v)
    for a, b, data in sorted(network.edges(data=True)):
        if a not in view.nodes or b not in view.nodes:
            continue
        kinds = tuple(sorted({rows_of[i]["link_type"] for i in data["links"]}))
        rel = link_rel_type(kinds[0]) if len(kinds) == 1 else MIXED_EDGE
        edge = ViewEdge(a, b, rel, link_types=kinds,
                        count=sum(int(rows_of[i].get("count", 1) or 0) for i in data["links"]),
                        rows=sorted(rows_of[i].get("row") for i in data["links"]),
                        members=set(data["members"]))
        if kinds == ("referral",):
            pairs = {ends_of[i] for i in data["links"]}
            if (b, a) in pairs and (a, b) not in pairs:
                edge.source, edge.target = b, a
            edge.both_ways = (a, b) in pairs and (b, a) in pairs
            edge.two_headed = edge.both_ways
            if not edge.both_ways:
                edge.direction = _direction(G, edge.source, edge.target)
        view.edges.append(edge)
    _structure_edges(G, view, {INSTITUTION_PARENT})
    for node in view.nodes:
        parent = _tree_parent(G, view, node, INSTITUTION_PARENT)
        if parent:
            view.parent[node] = parent
    return view


def _party(G, keep) -> View:
    view = View("party", hierarchical=True)
    orgs = _selected(G, PARTY_ORG, keep)
    covered = {v for o, v, k in G.edges(keys=True) if k == COVERS and o in orgs}
    units = [n for n in _selected(G, INSTITUTION, keep)
             if n in covered or G.nodes[n].get("kind") in HEALTH_KINDS]
    _add_nodes(G, view, orgs + units)
    _structure_edges(G, view, {ORG_PARENT, COVERS})
    _link_edges(G, view, accept=lambda u, v, d: PARTY_ORG in (G.nodes[u].get("label"),
                                                              G.nodes[v].get("label")))
    for node in orgs:
        parent = _tree_parent(G, view, node, ORG_PARENT)
        if parent:
            view.parent[node] = parent
    for node in units:
        covering = sorted(o for o, _, k in G.in_edges(node, keys=True)
                          if k == COVERS and o in view.nodes)
        if covering:
            view.parent[node] = covering[0]
    return view


def _referral(G, keep) -> View:
    view = View("referral", structure_shown=False)
    in_referral = {n for u, v, _ in links(G, include_inactive=True, link_type="referral")
                   for n in (u, v)}
    units = [n for n in _selected(G, INSTITUTION, keep)
             if n in in_referral or G.nodes[n].get("kind") in HEALTH_KINDS]
    _add_nodes(G, view, units)
    _link_edges(G, view, accept=lambda u, v, d: d["type"] == _REFERRAL)
    _structure_edges(G, view, {INSTITUTION_PARENT})
    for node in view.nodes:
        parent = _tree_parent(G, view, node, INSTITUTION_PARENT)
        if parent:
            view.parent[node] = parent
    return view


def _full(G, keep) -> View:
    view = View("full")
    ids = [n for label in (REGION, INSTITUTION, PARTY_ORG, MEMBER)
           for n in _selected(G, label, keep)]
    _add_nodes(G, view, ids)
    _link_edges(G, view)
    _structure_edges(G, view, STRUCTURE_EDGE_TYPES)
    for node, item in view.nodes.items():
        if item.label == INSTITUTION:
            parent = _tree_parent(G, view, node, INSTITUTION_PARENT)
        elif item.label == PARTY_ORG:
            parent = _tree_parent(G, view, node, COVERS) or _tree_parent(G, view, node, ORG_PARENT)
        elif item.label == MEMBER:
            parent = _tree_parent(G, view, node, WORKS_AT) or _tree_parent(G, view, node, MEMBER_OF)
        else:
            parent = _tree_parent(G, view, node, REGION_PARENT)
        if parent:
            view.parent[node] = parent
    return view


def _united_front(G, keep) -> View:
    """The united-front layer (spec 7b): representatives, the people and orgs in touch
    with them, where they work, the stations and associations, and the township regions
    where representatives work or stations stand (with the regions above them)."""
    from orgnet.queries import united_front as uf

    view = View("united_front")
    people = [m for m in uf.representatives(G) if keep is None or m in keep]
    contacts = [(u, v) for u, v, _ in links(G, include_inactive=True, link_type="contact")
                if keep is None or (u in keep and v in keep)]
    stations = [n for n in _selected(G, INSTITUTION, keep)
                if G.nodes[n].get("kind") in UNITED_FRONT_KINDS]
    places = {t for m in people for _, t, k in G.out_edges(m, keys=True) if k == WORKS_AT}
    regions = set()
    for node in stations + people:
        region = uf.representative_region(G, node) if node in people else \
            next((t for _, t, k in G.out_edges(node, keys=True) if k == IN_REGION), None)
        if region is not None:
            regions.update(uf.regions_above(G, region))
    ids = set(people) | {n for pair in contacts for n in pair} | set(stations) | places | regions
    _add_nodes(G, view, ids)
    _link_edges(G, view, accept=lambda u, v, d: d["link_type"] == "contact")
    _structure_edges(G, view, {WORKS_AT, INSTITUTION_PARENT, IN_REGION, REGION_PARENT})
    for node, item in view.nodes.items():
        rel = WORKS_AT if item.label == MEMBER else IN_REGION if item.label == INSTITUTION \
            else REGION_PARENT
        parent = _tree_parent(G, view, node, rel)
        if item.label == INSTITUTION:
            parent = _tree_parent(G, view, node, INSTITUTION_PARENT) or parent
        if parent:
            view.parent[node] = parent
    return view


def _keep_check(view: View, check: str, findings) -> None:
    from orgnet.queries.catalog import CHECK_IDS, FAMILIES, family_of

    if check in FAMILIES:
        checks = {c for c in CHECK_IDS if family_of(c) == check}
    elif check in CHECK_IDS:
        checks = {check}
    else:
        from difflib import get_close_matches

        close = get_close_matches(check, CHECK_IDS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise VisualizationError(f"unknown check {check!r}{hint}")
    named = {n for f in findings if f.check in checks for n in finding_node_ids(f)}
    named &= set(view.nodes)
    neighbours = view.neighbours()
    keep = set(named)
    for node in named:
        keep |= neighbours.get(node, set())
    if not named:
        view.notes.append(("no_findings_for_check", {"check": check}))
    else:
        view.notes.append(("filtered", {"what": check}))
    view.nodes = {n: item for n, item in view.nodes.items() if n in keep}
    view.edges = [e for e in view.edges if e.source in keep and e.target in keep]
    view.parent = {n: p for n, p in view.parent.items() if n in keep and p in keep}
