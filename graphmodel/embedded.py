"""The embedded graph: a networkx ``MultiDiGraph`` holding one dataset.

This is the default store (no server needed) and the shape every other part
reads: the checks, the metrics and the maps.  The Neo4j store reads its content
back into exactly this shape (``orgnet.graphmodel.neo4j_store.read_graph``).

Shape
-----
- One node per entity, keyed by its ``id``; node attribute ``label`` is a schema
  label (``Region``, ``Institution``, ``PartyOrg``, ``Member``); the other
  attributes are the row's properties (canonical keys and values, list cells as
  lists, extra columns as strings, ``row`` the spreadsheet row).  Institutions
  always carry their effective ``level``.
- One edge per relationship, from the row's entity to what it names, with
  attribute ``type`` (a schema relationship type).  Structure edges
  (``BELONGS_TO``, ``REPORTS_TO``, ``PART_OF_REGION``, ``IN_REGION``, ``COVERS``,
  ``MEMBER_OF``, ``WORKS_AT``) use the type as the edge key.  Link edges use the
  key ``(type, link_index)`` and carry ``link_type``, ``count``, ``period``,
  ``note``, ``link_index`` (0-based position in the links table) and ``row``.
- ``G.graph["services"]`` is the list of services rows as dicts
  (``institution_id``, ``stage``, ``coordinator_org_id``, ``row``);
  ``G.graph["dataset"]`` the dataset name.

Examples
--------
>>> G = new_graph("demo")
>>> G.add_node("h1", label=INSTITUTION, name="县医院", kind="county_hospital", level="county")
>>> G.add_node("c1", label=INSTITUTION, name="卫生院", kind="township_health_center", level="township")
>>> add_link(G, "c1", "h1", link_type="referral", count=3, link_index=0)
>>> sorted(unit_network(G).edges())
[('c1', 'h1')]
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from typing import TYPE_CHECKING

from orgnet.graphmodel.schema import (
    CONTACT_LINK, COVERS, INSTITUTION, MEMBER, PARTY_ORG, WORKS_AT, is_unit_network_kind,
    link_rel_type,
)

if TYPE_CHECKING:  # annotations only: networkx is imported where a graph is built
    import networkx as nx

__all__ = [
    "new_graph", "add_link", "nodes_with_label", "links", "unit_network",
    "link_institutions", "number_of_entities",
]


def new_graph(dataset: str = "") -> nx.MultiDiGraph:
    """Return an empty orgnet graph.

    Examples
    --------
    >>> new_graph("x").graph["services"]
    []
    """
    import networkx as nx     # here, not at import: the check tables need no graph

    return nx.MultiDiGraph(dataset=dataset, services=[])


def add_link(G: nx.MultiDiGraph, source: str, target: str, *, link_type: str,
             link_index: int, count: int = 1, period=None, note=None, row=None,
             **extra) -> None:
    """Add one link row as an edge keyed ``(REL_TYPE, link_index)``."""
    rel = link_rel_type(link_type)
    G.add_edge(source, target, key=(rel, link_index), type=rel, link_type=link_type,
               link_index=link_index, count=count, period=period, note=note, row=row,
               **extra)


def nodes_with_label(G: nx.MultiDiGraph, label: str) -> Iterator[tuple[str, dict]]:
    """Yield ``(id, attributes)`` of the nodes with a label, in id order.

    Examples
    --------
    >>> G = new_graph(); G.add_node("b", label=INSTITUTION); G.add_node("a", label=INSTITUTION)
    >>> [n for n, _ in nodes_with_label(G, INSTITUTION)]
    ['a', 'b']
    """
    nodes = G._node                   # direct dict access: same nodes and attribute dicts
    for node in sorted([n for n, d in nodes.items() if d.get("label") == label]):
        yield node, nodes[node]


def links(G: nx.MultiDiGraph, *, include_inactive: bool = False,
          link_type: str | None = None) -> Iterator[tuple[str, str, dict]]:
    """Yield ``(source, target, attributes)`` of link edges in links-table order.

    Links with ``count == 0`` record a tie with no activity; checks ignore them, so
    they are left out unless ``include_inactive`` is true.

    Examples
    --------
    >>> G = new_graph(); G.add_node("a"); G.add_node("b")
    >>> add_link(G, "a", "b", link_type="pairing", link_index=0, count=0)
    >>> list(links(G)), len(list(links(G, include_inactive=True)))
    ([], 1)
    """
    if G.is_multigraph() and G.is_directed():   # direct dict access, same order as G.edges(data=True)
        found = [
            (u, v, d) for u, nbrs in G._adj.items() for v, keyed in nbrs.items()
            for d in keyed.values()
            if "link_index" in d
            and (include_inactive or d.get("count", 1) != 0)
            and (link_type is None or d["link_type"] == link_type)
        ]
    else:
        found = [
            (u, v, d) for u, v, d in G.edges(data=True)
            if "link_index" in d
            and (include_inactive or d.get("count", 1) != 0)
            and (link_type is None or d["link_type"] == link_type)
        ]
    found.sort(key=lambda item: item[2]["link_index"])
    yield from found


def link_institutions(G: nx.MultiDiGraph, entity: str) -> list[str]:
    """Return the institutions an entity maps to in the unit network (spec section 6).

    An institution maps to itself, a member to its workplace (``WORKS_AT``), a
    party org to the institutions it covers (``COVERS``); anything else to nothing.
    Institutions of the united-front kinds (``united_front_station``,
    ``association``) are not units of the network: nothing maps to them.

    Examples
    --------
    >>> G = new_graph()
    >>> G.add_node("s", label=INSTITUTION, kind="united_front_station")
    >>> G.add_node("m", label=MEMBER); _ = G.add_edge("m", "s", key=WORKS_AT, type=WORKS_AT)
    >>> link_institutions(G, "s"), link_institutions(G, "m")
    ([], [])
    """
    nodes = G._node                   # direct dict access: the same answer as G.out_edges
    label = nodes[entity].get("label")
    if label == INSTITUTION:
        found = [entity]
    elif label == MEMBER or label == PARTY_ORG:
        rel = WORKS_AT if label == MEMBER else COVERS
        found = sorted(v for v, keyed in G._adj[entity].items() if rel in keyed)
    else:
        return []
    return [v for v in found if is_unit_network_kind(nodes[v].get("kind"))]


def unit_network(G: nx.MultiDiGraph) -> nx.Graph:
    """Return the unit network of spec section 6.

    One node per institution (with its attributes) except the united-front kinds
    (``united_front_station``, ``association``); for every active link row other
    than a ``contact``, each endpoint is mapped to institutions
    (:func:`link_institutions`) and an undirected edge joins every pair of distinct
    institutions so obtained.  Each edge carries
    ``links`` (set of link indices that produced it) and ``members`` (set of member
    ids that were endpoints of those links).  ``parent_id`` structure and the party
    hierarchy add no edges, and neither do ``contact`` links (the united-front layer).

    Examples
    --------
    >>> G = new_graph()
    >>> for n in ("a", "b", "c"): G.add_node(n, label=INSTITUTION)
    >>> G.add_node("m", label=MEMBER); _ = G.add_edge("m", "a", key=WORKS_AT, type=WORKS_AT)
    >>> add_link(G, "m", "b", link_type="liaison", link_index=0)
    >>> U = unit_network(G)
    >>> sorted(U.edges(data="members"))
    [('a', 'b', {'m'})]
    >>> U.degree("c")
    0
    """
    import networkx as nx

    network = nx.Graph()
    network.add_nodes_from((n, d) for n, d in nodes_with_label(G, INSTITUTION)
                           if is_unit_network_kind(d.get("kind")))
    cache: dict[str, list[str]] = {}
    for source, target, data in links(G):
        if data["link_type"] == CONTACT_LINK:
            continue
        units: set[str] = set()
        members: set[str] = set()
        for end in (source, target):
            if end not in cache:
                cache[end] = link_institutions(G, end)
            units.update(cache[end])
            if G.nodes[end].get("label") == MEMBER:
                members.add(end)
        for a, b in combinations(sorted(units), 2):
            if network.has_edge(a, b):
                edge = network.edges[a, b]
                edge["links"].add(data["link_index"])
                edge["members"].update(members)
            else:
                network.add_edge(a, b, links={data["link_index"]}, members=set(members))
    return network


def number_of_entities(G: nx.MultiDiGraph) -> int:
    """Return the number of entity nodes (regions, institutions, orgs, members)."""
    return G.number_of_nodes()
