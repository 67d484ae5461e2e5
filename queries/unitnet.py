"""The unit network as arrays, its block-cut tree and the connectivity facts.

The connectivity checks (:mod:`orgnet.queries.connectivity`) and the Neo4j backend
(:mod:`orgnet.queries.neo4j_checks`) both run on a :class:`UnitNetwork`: the unit network
of spec section 6 held column-wise in numpy arrays (institutions by position in id
order, one row per undirected edge, the link indices behind each edge) instead of a
``networkx.Graph`` of dicts and sets.  The graph algorithms run in compiled code:
connected components with ``scipy.sparse.csgraph``, blocks (biconnected components)
and articulation points with ``rustworkx``; what the checks need beyond that (the
parts a cut institution leaves behind, the sides of a bridge) is read off the
block-cut tree (:func:`block_cut_tree`) in one linear pass.

:func:`orgnet.graphmodel.embedded.unit_network` stays the reference (a networkx graph, the
public shape); ``UnitNetwork.from_networkx`` turns one into the other, and the tests
check that every connectivity check gives the same hits on both.

Examples
--------
>>> net = UnitNetwork.from_pairs(["a", "b", "c", "d", "e"],
...                              [("a", "b", 0), ("b", "c", 1), ("c", "d", 2), ("d", "e", 3)])
>>> tree = block_cut_tree(net)
>>> [net.ids[v] for v in tree.articulation]
['b', 'c', 'd']
>>> sorted(cut_facts(net)["c"].items())[:3]
[('component_size', 5), ('cut_off', 2), ('link_from', 'd')]
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, combinations

import numpy as np
import pandas as pd

__all__ = ["UnitNetwork", "BlockCutTree", "block_cut_tree", "components", "cut_facts",
           "bridge_sides", "edge_members", "isolated_unit_hits", "disconnected_component_hits",
           "cut_unit_hits", "bridge_link_hits", "single_link_unit_hits", "single_liaison_hits"]


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort: ``np.unique``'s hashing is many times slower here)."""
    values = np.sort(values)
    if len(values):
        values = values[np.r_[True, values[1:] != values[:-1]]]
    return values


def _first_of_each(labels: np.ndarray) -> np.ndarray:
    """For each distinct label in increasing order, the smallest index holding it."""
    order = np.argsort(labels, kind="stable")
    ordered = labels[order]
    if not len(ordered):
        return order
    return order[np.r_[True, ordered[1:] != ordered[:-1]]]


def _counted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and how often each occurs."""
    values = np.sort(values)
    if not len(values):
        return values, values
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return values[starts], np.diff(np.r_[starts, len(values)])


class _RowAttributes:
    """The attributes of each unit, read from check tables on demand (no dict per unit).

    ``rows[i].get("name")`` etc., like the node dicts of a graph; ``parent_id`` and
    ``region_id`` give ids.
    """

    def __init__(self, tables, positions):
        self._tables = tables
        self._positions = positions

    def __len__(self):
        return len(self._positions)

    def __getitem__(self, i):
        return _Row(self._tables, int(self._positions[i]))

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def column(self, key) -> list:
        """One attribute of every unit as a list, read off whole table columns at once
        (the per-hit paths index this list instead of building a row object per unit)."""
        t, at = self._tables, self._positions
        if key in ("parent_id", "region_id"):
            refs = (t.parent if key == "parent_id" else t.region)[at]
            ids = t.ids[np.where(refs >= 0, refs, 0)] if len(refs) else t.ids[:0]
            return np.where(refs >= 0, ids, None).tolist()
        if key not in _ROW_COLUMNS:
            return [None] * len(at)
        return getattr(t, key)[at].tolist()


class _Row:
    __slots__ = ("_t", "_i")

    def __init__(self, tables, i):
        self._t, self._i = tables, i

    def get(self, key, default=None):
        t, i = self._t, self._i
        if key == "parent_id":
            value = t.parent[i]
            return default if value < 0 else t.ids[value]
        if key == "region_id":
            value = t.region[i]
            return default if value < 0 else t.ids[value]
        column = getattr(t, key, None) if key in _ROW_COLUMNS else None
        if column is None:
            return default
        value = column[i]
        return default if value is None else value

    def __getitem__(self, key):
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key):
        return self.get(key, _MISSING) is not _MISSING


_ROW_COLUMNS = frozenset({"name", "kind", "level", "status", "roles", "affiliation", "label"})
_MISSING = object()


class UnitNetwork:
    """The unit network of spec section 6, column-wise.

    Attributes
    ----------
    ids : list of str
        Institution ids, sorted; an institution is known by its position here.
    attributes : list of dict
        The node attributes of each institution (``name``, ``kind``, ``level``,
        ``parent_id``, ``region_id`` ...), aligned with ``ids``; read, never copied.
    position : dict
        id -> position.
    eu, ev : numpy.ndarray of int64
        The edges, one per joined pair, ``eu < ev``, sorted by ``(eu, ev)``.
    link_ptr, link_index : numpy.ndarray of int64
        The sorted link indices behind edge ``e`` are
        ``link_index[link_ptr[e]:link_ptr[e + 1]]``.
    indptr, neighbour, neighbour_edge : numpy.ndarray of int64
        Adjacency (CSR): the neighbours of ``v`` are ``neighbour[indptr[v]:indptr[v + 1]]``
        in increasing position (= id order), ``neighbour_edge`` the edge of each.
    link_members : dict
        link index -> sorted tuple of the member ids among its endpoints (links
        without a member endpoint may be left out).

    Examples
    --------
    >>> net = UnitNetwork.from_pairs("abc", [("a", "b", 0), ("c", "a", 1), ("a", "b", 2)],
    ...                              {"a": {"name": "甲"}}, link_members={2: ("m",)})
    >>> net.neighbours(0).tolist(), net.edge_links(net.edge_between(0, 1)), net.name_map(["a", "b"])
    ([1, 2], [0, 2], {'a': '甲', 'b': None})
    >>> edge_members(net, net.edge_between(1, 0))
    ['m']
    """

    def __init__(self, ids, attributes, a, b, link, link_members=None):
        self.ids = list(ids)
        self.attributes = attributes if isinstance(attributes, _RowAttributes) else list(attributes)
        self.position = {node: i for i, node in enumerate(self.ids)}
        self.link_members = dict(link_members or {})
        n = len(self.ids)
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        link = np.asarray(link, dtype=np.int64)
        keep = a != b
        if not keep.all():
            a, b, link = a[keep], b[keep], link[keep]
        key = np.minimum(a, b)
        key *= max(n, 1)
        key += np.maximum(a, b)
        width = int(link.max()) + 1 if len(link) else 1
        if len(key) and (link >= 0).all() and max(n, 1) ** 2 * width < 2 ** 62:
            # one integer per (edge, link), sorted in place: no order array, no gathers
            # (fresh memory is what costs most here)
            key *= width
            key += link
            key.sort()
            key, link = np.divmod(key, width)
        else:
            order = np.lexsort((link, key))
            key, link = key[order], link[order]
        if len(key):                                  # one entry per (edge, link)
            first = np.ones(len(key), dtype=bool)
            first[1:] = (key[1:] != key[:-1]) | (link[1:] != link[:-1])
            key, link = key[first], link[first]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
        edge_keys = key[starts]
        self.eu = (edge_keys // max(n, 1)).astype(np.int64)
        self.ev = (edge_keys % max(n, 1)).astype(np.int64)
        self.link_ptr = np.r_[starts, len(key)].astype(np.int64)
        self.link_index = link
        m = len(self.eu)
        src = np.concatenate([self.eu, self.ev])
        dst = np.concatenate([self.ev, self.eu])
        edge = np.concatenate([np.arange(m), np.arange(m)])
        order = np.lexsort((dst, src))
        self.neighbour = dst[order]
        self.neighbour_edge = edge[order]
        self.indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=self.indptr[1:])
        self.degree = np.diff(self.indptr)
        self._memo: dict = {}

    # -- construction ------------------------------------------------------
    @classmethod
    def from_tables(cls, t) -> "UnitNetwork":
        """Build the unit network of spec section 6 from check tables, column-wise.

        Each endpoint of an active link other than a ``contact`` maps to institutions
        (an institution to itself, a member to its workplace, a party org to the
        institutions it covers; united-front kinds map to nothing); every pair of
        distinct institutions so obtained is an edge.  Links whose endpoints map to
        one institution each (nearly all) are joined as whole columns; the few with
        an org endpoint covering several go through ``combinations``.

        Examples
        --------
        >>> from orgnet.graphmodel.embedded import new_graph, add_link
        >>> from orgnet.queries.tables import check_tables
        >>> G = new_graph()
        >>> for n in "abc": G.add_node(n, label="Institution")
        >>> G.add_node("o", label="PartyOrg")
        >>> for n in "bc": _ = G.add_edge("o", n, key="COVERS", type="COVERS")
        >>> add_link(G, "a", "o", link_type="pairing", link_index=0)
        >>> net = UnitNetwork.from_tables(check_tables(G))
        >>> [(net.ids[a], net.ids[b]) for a, b in zip(net.eu.tolist(), net.ev.tolist())]
        [('a', 'b'), ('a', 'c'), ('b', 'c')]
        """
        from itertools import combinations

        from orgnet.graphmodel.schema import CONTACT_LINK, UNITED_FRONT_KINDS

        units = np.flatnonzero(t.is_institution & ~t.kind_in(UNITED_FRONT_KINDS))
        units = units[np.argsort(t.ids[units].astype(str), kind="stable")]
        unit_of = np.full(t.size + 1, -1, dtype=np.int64)     # position -> unit (last: none)
        unit_of[units] = np.arange(len(units))
        single = np.full(t.size, -1, dtype=np.int64)
        single[units] = unit_of[units]
        members = np.flatnonzero(t.is_member)
        single[members] = unit_of[t.work[members]]             # work -1 reads the last slot
        is_org = t.is_org
        # Masks over the whole links columns, then one gather per output: every
        # intermediate 1.5M-row copy costs more in fresh memory than in arithmetic.
        links = t.links
        source = links["source"].to_numpy()
        target = links["target"].to_numpy()
        index = links["link_index"].to_numpy()
        keep = ~t.link_is(CONTACT_LINK)
        # link members: the member endpoints of each link (link_member_endpoints)
        is_member = t.is_member
        ms, mt = is_member[source] & keep, is_member[target] & keep
        link_members = {}
        ids = t.ids
        both = ms & mt & (source != target)
        for i, a, b in zip(index[both].tolist(), ids[source[both]].tolist(),
                           ids[target[both]].tolist()):
            link_members[i] = (a, b) if a < b else (b, a)
        only_s = ms & ~both
        for i, a in zip(index[only_s].tolist(), ids[source[only_s]].tolist()):
            link_members[i] = (a,)
        only_t = mt & ~ms
        for i, b in zip(index[only_t].tolist(), ids[target[only_t]].tolist()):
            link_members[i] = (b,)
        # plain links: one institution per endpoint
        with_org = is_org[source] | is_org[target]
        plain = keep & ~with_org
        a, b = single[source], single[target]
        ok = plain & (a >= 0) & (b >= 0)
        pair_a, pair_b, pair_link = [a[ok]], [b[ok]], [index[ok]]
        del a, b
        keep &= with_org                                # links with an org endpoint
        source, target, index = source[keep], target[keep], index[keep]
        # links with an org endpoint: the pairs of the union of their institutions
        if len(source):
            covered = t._csr("covered")
            cache: dict = {}

            def units_of(end):
                found = cache.get(end)
                if found is None:
                    if is_org[end]:
                        found = unit_of[covered.of(end)]
                        found = set(found[found >= 0].tolist())
                    else:
                        found = {int(single[end])} if single[end] >= 0 else set()
                    cache[end] = found
                return found

            xs, ys, ls = [], [], []
            for s_end, t_end, link in zip(source.tolist(), target.tolist(), index.tolist()):
                for x, y in combinations(sorted(units_of(s_end) | units_of(t_end)), 2):
                    xs.append(x)
                    ys.append(y)
                    ls.append(link)
            pair_a.append(np.asarray(xs, dtype=np.int64))
            pair_b.append(np.asarray(ys, dtype=np.int64))
            pair_link.append(np.asarray(ls, dtype=np.int64))
        net = cls(ids[units].tolist(), _RowAttributes(t, units),
                  np.concatenate(pair_a), np.concatenate(pair_b), np.concatenate(pair_link),
                  link_members)
        # parents as unit positions straight from the integer column (a parent outside
        # the network, or none, reads the last slot: -1)
        net._memo["parent positions"] = unit_of[t.parent[units]]
        return net

    @classmethod
    def from_pairs(cls, ids, triples, attributes=None, link_members=None) -> "UnitNetwork":
        """Build from ``(id, id, link index)`` triples (``attributes``: ``{id: dict}``).

        Examples
        --------
        >>> net = UnitNetwork.from_pairs(["a", "b"], [("b", "a", 4), ("a", "b", 2)])
        >>> net.edge_links(0)
        [2, 4]
        """
        ids = sorted(ids)
        position = {node: i for i, node in enumerate(ids)}
        attributes = attributes or {}
        triples = list(triples)
        return cls(ids, [attributes.get(i, {}) for i in ids],
                   [position[t[0]] for t in triples], [position[t[1]] for t in triples],
                   [t[2] for t in triples], link_members)

    @classmethod
    def from_link_rows(cls, institutions, rows, link_members=None) -> "UnitNetwork":
        """Build from ``(institution id, attributes)`` pairs and link rows.

        Parameters
        ----------
        institutions : iterable of (str, dict)
            Every institution of the network (any order).
        rows : iterable of (int, sequence of str, sequence of str)
            ``(link index, institutions of the source, institutions of the target)``
            for each active link row; every pair of distinct institutions of a row
            is joined (spec section 6).
        link_members : mapping, optional
            See :attr:`link_members`.

        Examples
        --------
        >>> net = UnitNetwork.from_link_rows([("a", {}), ("b", {}), ("c", {})],
        ...                                  [(0, ["a"], ["b", "c"])])
        >>> [(net.ids[u], net.ids[v]) for u, v in zip(net.eu, net.ev)]
        [('a', 'b'), ('a', 'c'), ('b', 'c')]
        """
        pairs = sorted(institutions, key=lambda item: item[0])
        ids = [p[0] for p in pairs]
        position = {node: i for i, node in enumerate(ids)}
        a: list[int] = []
        b: list[int] = []
        link: list[int] = []
        for index, source_units, target_units in rows:
            if len(source_units) == 1 and len(target_units) == 1:   # the common case
                a.append(position[source_units[0]])
                b.append(position[target_units[0]])
                link.append(index)
                continue
            for x, y in combinations(sorted(set(source_units).union(target_units)), 2):
                a.append(position[x])
                b.append(position[y])
                link.append(index)
        return cls(ids, [p[1] for p in pairs], a, b, link, link_members)

    @classmethod
    def from_networkx(cls, U) -> "UnitNetwork":
        """Build from a networkx unit network (edge attribute ``links``; ``members`` ignored).

        Examples
        --------
        >>> import networkx as nx
        >>> U = nx.Graph(); U.add_edge("b", "a", links={3})
        >>> UnitNetwork.from_networkx(U).ids
        ['a', 'b']
        """
        triples = [(u, v, index) for u, v, found in U.edges(data="links")
                   for index in (found or ())]
        return cls.from_pairs(list(U), triples, dict(U.nodes(data=True)))

    @classmethod
    def from_networkx_with_members(cls, U, link_members) -> "UnitNetwork":
        """:meth:`from_networkx` with ``link_members`` (see the attribute)."""
        net = cls.from_networkx(U)
        net.link_members = dict(link_members)
        return net

    # -- reading -----------------------------------------------------------
    @property
    def number_of_nodes(self) -> int:
        """The number of institutions."""
        return len(self.ids)

    @property
    def number_of_edges(self) -> int:
        """The number of joined pairs."""
        return len(self.eu)

    def neighbours(self, v: int) -> np.ndarray:
        """Positions of the neighbours of position ``v``, increasing."""
        return self.neighbour[self.indptr[v]:self.indptr[v + 1]]

    def edge_links(self, e: int) -> list[int]:
        """The sorted link indices behind edge ``e``."""
        return self.link_index[self.link_ptr[e]:self.link_ptr[e + 1]].tolist()

    def edge_between(self, u: int, v: int) -> int:
        """The edge joining positions ``u`` and ``v`` (they must be neighbours)."""
        start = self.indptr[u]
        found = np.searchsorted(self.neighbours(u), v)
        return int(self.neighbour_edge[start + found])

    @property
    def names(self) -> list:
        """The ``name`` attribute of each institution (None when absent), by position."""
        return self.column("name")

    def name(self, node):
        """The ``name`` attribute of an institution id (None when unknown or absent)."""
        at = self.position.get(node)
        return None if at is None else self.names[at]

    def name_map(self, ids) -> dict:
        """``{id: name}`` for the ids given (None skipped), in the order given."""
        position, names = self.position, self.names
        found = {}
        for i in ids:
            if i is not None:
                at = position.get(i)
                found[i] = None if at is None else names[at]
        return found

    def column(self, key) -> list:
        """The attribute ``key`` of every institution by position (None when absent),
        computed once per network: the hit builders read whole columns, not rows."""
        def build():
            if isinstance(self.attributes, _RowAttributes):
                return self.attributes.column(key)
            return [data.get(key) for data in self.attributes]
        return self.memo(("column", key), build)

    def parent_positions(self) -> np.ndarray:
        """Per institution: the position of its ``parent_id`` institution, -1 when that
        is absent or no institution of the network (computed once)."""
        def build():
            position = self.position
            return np.fromiter((-1 if p is None else position.get(p, -1)
                                for p in self.column("parent_id")),
                               dtype=np.int64, count=self.number_of_nodes)
        return self.memo("parent positions", build)

    def memo(self, name, build):
        """``build()``, computed once per network."""
        if name not in self._memo:
            self._memo[name] = build()
        return self._memo[name]


# ---------------------------------------------------------------------------
# components
# ---------------------------------------------------------------------------
def components(net: UnitNetwork) -> dict:
    """Return the connected components, largest first (ties: smallest id first).

    Returns
    -------
    dict
        ``label`` (component number of each position, in that ranking), ``size``
        (institutions per component), ``count``.

    Examples
    --------
    >>> net = UnitNetwork.from_pairs("abcde", [("b", "c", 0), ("d", "e", 1), ("c", "e", 2)])
    >>> components(net)["label"].tolist(), components(net)["size"].tolist()
    ([1, 0, 0, 0, 0], [4, 1])
    """
    def build():
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import connected_components

        n = net.number_of_nodes
        if n == 0:
            return {"label": np.zeros(0, np.int64), "size": np.zeros(0, np.int64), "count": 0}
        matrix = csr_matrix((np.ones(len(net.neighbour), dtype=np.int8), net.neighbour, net.indptr),
                            shape=(n, n))
        count, raw = connected_components(matrix, directed=False)
        size = np.bincount(raw, minlength=count)
        first = _first_of_each(raw)                        # smallest position of each
        rank = np.lexsort((first, -size))                  # largest first, then smallest id
        relabel = np.empty(count, dtype=np.int64)
        relabel[rank] = np.arange(count)
        return {"label": relabel[raw], "size": size[rank], "count": int(count)}
    return net.memo("components", build)


# ---------------------------------------------------------------------------
# the block-cut tree
# ---------------------------------------------------------------------------
@dataclass
class BlockCutTree:
    """The block-cut tree of a unit network (a forest: one tree per component with an edge).

    Tree nodes ``0 .. blocks - 1`` are the blocks (biconnected components; a bridge
    is a block of one edge), ``blocks + i`` is the articulation point
    ``articulation[i]``.  Each tree is rooted at its block of smallest number.

    Attributes
    ----------
    blocks : int
        Number of blocks.
    articulation : numpy.ndarray
        Positions of the articulation points, increasing.
    edge_block : numpy.ndarray
        Block of each edge of the network.
    block_ptr, block_vertices : numpy.ndarray
        Vertices (positions, increasing) of block ``b``:
        ``block_vertices[block_ptr[b]:block_ptr[b + 1]]``.
    parent : numpy.ndarray
        Parent tree node of each tree node (-1 for roots).
    order : numpy.ndarray
        Tree nodes in depth-first preorder (each tree after the previous one).
    weight_below : numpy.ndarray
        Institutions carried by each tree node's subtree: an articulation point
        carries itself, a block its vertices that are no articulation points.
    min_below : numpy.ndarray
        Smallest position carried by each subtree (``n`` when none).
    min_outside : numpy.ndarray
        Smallest position carried by the node's tree outside its subtree (``n`` when none).
    tree_weight : numpy.ndarray
        Institutions in each node's tree (= its component).
    """

    blocks: int
    articulation: np.ndarray
    edge_block: np.ndarray
    block_ptr: np.ndarray
    block_vertices: np.ndarray
    parent: np.ndarray
    order: np.ndarray
    weight_below: np.ndarray
    min_below: np.ndarray
    min_outside: np.ndarray
    tree_weight: np.ndarray

    def node_of(self, position: int) -> int:
        """The tree node of an articulation point given by its network position."""
        at = int(np.searchsorted(self.articulation, position))
        if at >= len(self.articulation) or self.articulation[at] != position:
            raise KeyError(position)
        return self.blocks + at


def block_cut_tree(net: UnitNetwork) -> BlockCutTree:
    """Return the block-cut tree of a unit network, computed in linear time.

    Blocks and articulation points come from ``rustworkx`` (compiled); the tree,
    its depth-first order and the per-subtree sums and minima are built with
    numpy plus one linear pass.  Computed once per network.

    Examples
    --------
    >>> net = UnitNetwork.from_pairs("abcd", [("a", "b", 0), ("b", "c", 1), ("c", "a", 2), ("c", "d", 3)])
    >>> tree = block_cut_tree(net)
    >>> tree.blocks, [net.ids[v] for v in tree.articulation]
    (2, ['c'])
    >>> sorted(net.ids[v] for v in tree.block_vertices[tree.block_ptr[0]:tree.block_ptr[1]])
    ['a', 'b', 'c']
    """
    return net.memo("block_cut_tree", lambda: _block_cut_tree(net))


def _block_cut_tree(net: UnitNetwork) -> BlockCutTree:
    import rustworkx as rx
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components, depth_first_order

    n, m = net.number_of_nodes, net.number_of_edges
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    eu, ev = net.eu.tolist(), net.ev.tolist()
    graph.add_edges_from_no_data(list(zip(eu, ev)))
    found = rx.biconnected_components(graph)            # {(u, v): block}, either orientation
    ends = np.fromiter(chain.from_iterable(found.keys()), dtype=np.int64,
                       count=2 * len(found)).reshape(-1, 2)
    key = np.minimum(ends[:, 0], ends[:, 1]) * max(n, 1) + np.maximum(ends[:, 0], ends[:, 1])
    edge_block = np.empty(m, dtype=np.int64)            # edges are sorted by (eu, ev): search
    edge_block[np.searchsorted(net.eu * max(n, 1) + net.ev, key)] = np.fromiter(
        found.values(), dtype=np.int64, count=len(key))
    if m:                                                # number blocks 0.. in edge order
        first = _first_of_each(edge_block)             # first edge of each block, by block
        renumber = np.empty(int(edge_block.max()) + 1, dtype=np.int64)
        renumber[edge_block[np.sort(first)]] = np.arange(len(first))
        edge_block = renumber[edge_block]
    blocks = int(edge_block.max()) + 1 if m else 0
    # vertices of each block
    vertex = np.concatenate([net.eu, net.ev])
    block = np.concatenate([edge_block, edge_block])
    pairs = _distinct(block * max(n, 1) + vertex)
    pair_block, pair_vertex = pairs // max(n, 1), pairs % max(n, 1)
    # the articulation points are the vertices of two blocks or more (the same set as
    # rx.articulation_points, without a second pass over the graph)
    is_cut = np.bincount(pair_vertex, minlength=n) >= 2
    articulation = np.flatnonzero(is_cut).astype(np.int64)
    cut_node = np.full(n, -1, dtype=np.int64)
    cut_node[articulation] = blocks + np.arange(len(articulation))
    block_ptr = np.zeros(blocks + 1, dtype=np.int64)
    np.cumsum(np.bincount(pair_block, minlength=blocks), out=block_ptr[1:])

    # the forest: block -- articulation point
    size = blocks + len(articulation)
    weight = np.zeros(size + 1, dtype=np.int64)
    lowest = np.full(size + 1, n, dtype=np.int64)
    plain = ~is_cut[pair_vertex]
    np.add.at(weight, pair_block[plain], 1)
    np.minimum.at(lowest, pair_block[plain], pair_vertex[plain])
    weight[blocks:size] = 1
    lowest[blocks:size] = articulation
    tree_u = pair_block[~plain]
    tree_v = cut_node[pair_vertex[~plain]]
    matrix = csr_matrix((np.ones(len(tree_u), dtype=np.int8), (tree_u, tree_v)), shape=(size, size))
    count, label = connected_components(matrix, directed=False) if size else (0, np.zeros(0, np.int64))
    roots = _first_of_each(label)                        # smallest node of each tree: a block
    # one depth-first order over all trees through a virtual root (node ``size``)
    super_u = np.concatenate([tree_u, np.full(len(roots), size, dtype=np.int64)])
    super_v = np.concatenate([tree_v, roots.astype(np.int64)])
    matrix = csr_matrix((np.ones(len(super_u), dtype=np.int8), (super_u, super_v)),
                        shape=(size + 1, size + 1))
    order, predecessor = depth_first_order(matrix, size, directed=False, return_predecessors=True)
    order = order[1:].astype(np.int64)                   # drop the virtual root
    parent = predecessor[:size].astype(np.int64)
    parent[parent == size] = -1
    parent[parent < 0] = -1

    # subtree sums and minima: one pass from the leaves up
    below = weight[:size].tolist()
    low = lowest[:size].tolist()
    count_below = [1] * size                              # tree nodes in each subtree
    up = parent.tolist()
    for node in reversed(order.tolist()):
        p = up[node]
        if p >= 0:
            below[p] += below[node]
            count_below[p] += count_below[node]
            if low[node] < low[p]:
                low[p] = low[node]
    weight_below = np.array(below, dtype=np.int64)
    min_below = np.array(low, dtype=np.int64)

    # minimum outside each subtree: prefix / suffix minima along the preorder, per tree
    place = np.empty(size, dtype=np.int64)
    place[order] = np.arange(size)
    tree_of = np.cumsum(parent[order] < 0) - 1            # tree number along the order
    carried = lowest[order]
    big = n + 1
    prefix = np.minimum.accumulate(carried - tree_of * big) + tree_of * big
    suffix = (np.minimum.accumulate((carried + tree_of * big)[::-1])[::-1]) - tree_of * big
    span = np.array(count_below, dtype=np.int64)
    start = place
    end = place + span                                    # first position after the subtree
    root_places = np.flatnonzero(parent[order] < 0)
    root_spans = span[order[root_places]]
    tree_start_by_tree = root_places
    tree_end_by_tree = root_places + root_spans
    node_tree = np.empty(size, dtype=np.int64)
    node_tree[order] = tree_of
    tree_start = tree_start_by_tree[node_tree]
    tree_end = tree_end_by_tree[node_tree]
    outside = np.full(size, n, dtype=np.int64)
    has_before = start > tree_start
    outside[has_before] = prefix[start[has_before] - 1]
    has_after = end < tree_end
    outside[has_after] = np.minimum(outside[has_after], suffix[end[has_after]])
    tree_weight = weight_below[order[root_places]][node_tree]
    return BlockCutTree(
        blocks=blocks, articulation=articulation, edge_block=edge_block,
        block_ptr=block_ptr, block_vertices=pair_vertex, parent=parent, order=order,
        weight_below=weight_below, min_below=min_below, min_outside=outside,
        tree_weight=tree_weight)


# ---------------------------------------------------------------------------
# what the connectivity checks read off the tree
# ---------------------------------------------------------------------------
def cut_facts(net: UnitNetwork) -> dict:
    """Return the facts of ``connectivity.cut_unit`` for every articulation point.

    The parts a cut institution *v* leaves behind are the sides of the tree
    around *v*'s tree node, one per block holding *v*: a child block's part is its
    subtree, the parent block's part is the rest of the tree.  Sizes and smallest
    ids come from :class:`BlockCutTree`; each neighbour *w* of *v* lies in the
    part of the block of the edge *v-w*.  Linear in the size of the network.

    Returns
    -------
    dict
        ``{id: {"cut_off", "component_size", "parts", "main_size", "link_from",
        "link_to", "link_from_part_size"}}`` in id order: the same as
        :func:`orgnet.queries.connectivity.articulation_units` (the reading of "largest
        remaining part" is in :mod:`orgnet.queries.connectivity`).

    Examples
    --------
    >>> net = UnitNetwork.from_pairs(["h", "t1", "t2", "v1", "v2", "v3"],
    ...     [("h", "t1", 0), ("h", "t2", 1), ("t1", "v1", 2), ("t1", "v2", 3), ("t2", "v3", 4)])
    >>> {k: v["cut_off"] for k, v in cut_facts(net).items()}
    {'h': 2, 't1': 2, 't2': 1}
    """
    return net.memo("cut_facts", lambda: _cut_facts(net))


def _cut_facts(net: UnitNetwork) -> dict:
    tree = block_cut_tree(net)
    ids = net.ids
    blocks = tree.blocks
    cuts = tree.articulation
    if not len(cuts):
        return {}
    # smallest neighbour of each articulation point per block (= per part)
    starts, ends = net.indptr[cuts], net.indptr[cuts + 1]
    lengths = ends - starts
    owner = np.repeat(np.arange(len(cuts)), lengths)
    slots = np.arange(int(lengths.sum())) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    other = net.neighbour[slots]
    block = tree.edge_block[net.neighbour_edge[slots]]
    order = np.lexsort((other, block, owner))           # neighbours increase within a group
    owner, block, other = owner[order], block[order], other[order]
    first = np.r_[True, (owner[1:] != owner[:-1]) | (block[1:] != block[:-1])]
    width = blocks + len(cuts) + 1                      # tree nodes (a part's key: one of them)
    nearest_key = owner[first] * width + block[first]   # increasing: (owner, block) order
    nearest = other[first]
    # the parts of every articulation point as rows (owner, size, smallest position, key):
    # its child blocks' subtrees, and the rest of its tree through its parent block
    parent = tree.parent
    child = np.flatnonzero(parent >= blocks)
    node = blocks + np.arange(len(cuts))
    part_owner = np.concatenate([parent[child] - blocks, np.arange(len(cuts))])
    part_size = np.concatenate([tree.weight_below[child],
                                tree.tree_weight[node] - tree.weight_below[node]])
    part_low = np.concatenate([tree.min_below[child], tree.min_outside[node]])
    part_key = np.concatenate([child, parent[node]])
    # largest first, ties: the smallest position; the main part and the cut-off part
    # are the first two rows of each articulation point
    order = np.lexsort((part_low, -part_size, part_owner))
    part_owner, part_size, part_key = part_owner[order], part_size[order], part_key[order]
    parts = np.bincount(part_owner, minlength=len(cuts))
    main = np.r_[0, np.cumsum(parts)[:-1]]
    cut = main + 1

    def neighbour_in(rows):
        return nearest[np.searchsorted(nearest_key, np.arange(len(cuts)) * width + part_key[rows])]

    whole = tree.tree_weight[node]
    main_size = part_size[main]
    columns = zip(cuts.tolist(), (whole - 1 - main_size).tolist(), whole.tolist(), parts.tolist(),
                  main_size.tolist(), neighbour_in(cut).tolist(), neighbour_in(main).tolist(),
                  part_size[cut].tolist())
    return {ids[v]: {"cut_off": cut_off, "component_size": size, "parts": count,
                     "main_size": main_part, "link_from": ids[source], "link_to": ids[target],
                     "link_from_part_size": cut_part}
            for v, cut_off, size, count, main_part, source, target, cut_part in columns}


def bridge_sides(net: UnitNetwork) -> list[tuple[int, int, int, int, int]]:
    """Return every bridge as ``(edge, u, v, institutions on u's side, on v's side)``, ``u < v``.

    A bridge is a block of one edge; the side of the endpoint below it in the
    block-cut tree is that subtree, the other side is the rest of the component.
    Sorted by ``(u, v)`` (positions, so by id).

    Examples
    --------
    >>> net = UnitNetwork.from_pairs("abcd", [("a", "b", 0), ("b", "c", 1), ("c", "a", 2), ("c", "d", 3)])
    >>> [(net.ids[u], net.ids[v], su, sv) for _, u, v, su, sv in bridge_sides(net)]
    [('c', 'd', 3, 1)]
    """
    return net.memo("bridge_sides", lambda: _bridge_sides(net))


def _bridge_sides(net: UnitNetwork) -> list:
    tree = block_cut_tree(net)
    m = net.number_of_edges
    if not m:
        return []
    edges_per_block = np.bincount(tree.edge_block, minlength=tree.blocks)
    bridges = np.flatnonzero(edges_per_block[tree.edge_block] == 1)    # edges, in (u, v) order
    blocks = tree.blocks
    cut_node = np.full(net.number_of_nodes, -1, dtype=np.int64)
    cut_node[tree.articulation] = blocks + np.arange(len(tree.articulation))
    # all bridges at once: below a parent articulation point, the block's subtree is the
    # side of the endpoint that is not that point; a root block's sides are the subtree
    # of u's tree node (u alone when u is no articulation point) and the rest
    u, v = net.eu[bridges], net.ev[bridges]
    block = tree.edge_block[bridges]
    whole, up, lower = tree.tree_weight[block], tree.parent[block], tree.weight_below[block]
    u_node = cut_node[u]
    side_u = np.where(up >= 0, np.where(u_node == up, whole - lower, lower),
                      np.where(u_node >= 0, tree.weight_below[u_node], 1))
    return list(zip(bridges.tolist(), u.tolist(), v.tolist(), side_u.tolist(),
                    (whole - side_u).tolist()))


# ---------------------------------------------------------------------------
# the hits of the six connectivity checks
# ---------------------------------------------------------------------------
def isolated_unit_hits(net: UnitNetwork) -> list:
    """Return the ``connectivity.isolated_unit`` hits (see :func:`orgnet.queries.connectivity.isolated_units`).

    Examples
    --------
    >>> net = UnitNetwork.from_pairs(["a", "b", "s"], [], {
    ...     "a": {"name": "甲", "parent_id": "b", "kind": "village_clinic"}, "b": {"name": "乙"},
    ...     "s": {"name": "小学", "kind": "school"}})
    >>> isolated_unit_hits(net)        # only health institutions are findings
    [(('a',), {'names': {'a': '甲', 'b': '乙'}, 'kind': 'village_clinic', 'level': None, 'link_to': 'b', 'link_reason': 'parent'})]
    """
    from orgnet.graphmodel.schema import HEALTH_KINDS, level_rank

    ids, degree = net.ids, net.degree
    kinds = net.column("kind")
    # only health institutions are findings (spec v1.1)
    lonely = [i for i in np.flatnonzero(degree == 0).tolist() if kinds[i] in HEALTH_KINDS]
    if not lonely:
        return []
    # per region, the connected institution of highest level (smallest id first), for
    # all regions at once: one sort by (region, -rank, position); positions are in id order
    regions = net.column("region_id")
    linked = np.flatnonzero(degree > 0)
    region_of = np.fromiter((regions[i] is not None for i in linked.tolist()), dtype=bool,
                            count=len(linked))
    linked = linked[region_of]
    by_region: dict = {}
    if len(linked):
        codes, distinct = pd.factorize(np.asarray([regions[i] for i in linked.tolist()],
                                                  dtype=object))
        levels = net.column("level")
        ranks: dict = {}

        def rank_of(level):
            try:
                found = ranks.get(level)
            except TypeError:                     # an unhashable level: no memo
                return level_rank(level)
            if found is None:
                found = ranks[level] = level_rank(level)
            return found

        rank = np.fromiter((rank_of(levels[i]) for i in linked.tolist()), dtype=np.int64,
                           count=len(linked))
        order = np.lexsort((linked, -rank, codes))
        first = order[np.r_[True, codes[order][1:] != codes[order][:-1]]]
        by_region = dict(zip(distinct[codes[first]].tolist(), linked[first].tolist()))
    up, names, levels = net.parent_positions(), net.names, net.column("level")
    hits = []
    for i in lonely:
        node = ids[i]
        target, reason = None, None
        if up[i] >= 0:
            target, reason = int(up[i]), "parent"
        elif regions[i] in by_region:
            target, reason = by_region[regions[i]], "region"
        shown = {node: names[i]}
        if target is not None:
            shown[ids[target]] = names[target]
        hits.append(((node,), {
            "names": shown, "kind": kinds[i], "level": levels[i],
            "link_to": None if target is None else ids[target], "link_reason": reason,
        }))
    return hits


def disconnected_component_hits(net: UnitNetwork) -> list:
    """Return the ``connectivity.disconnected_component`` hits.

    Examples
    --------
    >>> net = UnitNetwork.from_pairs("abcdef", [("a", "b", 0), ("c", "d", 1), ("e", "f", 2)])
    >>> [s for s, _ in disconnected_component_hits(net)]     # a-b is the largest (smallest id)
    [('c', 'd'), ('e', 'f')]
    """
    found = components(net)
    if not found["count"]:
        return []
    label, size = found["label"], found["size"]
    ids, attributes = net.ids, net.attributes
    members = np.argsort(label, kind="stable")            # positions grouped by component, increasing
    bounds = np.r_[0, np.cumsum(size)]
    largest = size[0]
    largest_ids = {ids[i] for i in members[:largest].tolist()}
    hits = []
    for c in np.flatnonzero(size >= 2).tolist():
        if c == 0:
            continue
        component = [ids[i] for i in members[bounds[c]:bounds[c + 1]].tolist()]
        source = target = None
        for i in members[bounds[c]:bounds[c + 1]].tolist():
            parent = attributes[i].get("parent_id")
            if parent in largest_ids:
                source, target = ids[i], parent
                break
        shown = list(component[:5]) + [n for n in (source, target) if n is not None]
        hits.append((tuple(component), {
            "size": len(component), "largest_size": int(largest),
            "names": net.name_map(shown), "link_from": source, "link_to": target,
        }))
    hits.sort(key=lambda hit: hit[0])
    return hits


def cut_unit_hits(net: UnitNetwork) -> list:
    """Return the ``connectivity.cut_unit`` hits.

    Examples
    --------
    >>> net = UnitNetwork.from_pairs("abcd", [("a", "b", 0), ("b", "c", 1), ("c", "a", 2), ("c", "d", 3)])
    >>> [(s, e["cut_off"], e["parts"], e["main_size"]) for s, e in cut_unit_hits(net)]
    [(('c',), 1, 2, 2)]
    """
    return [((node,), {**info, "names": net.name_map([node, info["link_from"], info["link_to"]])})
            for node, info in cut_facts(net).items()]


def edge_members(net: UnitNetwork, e: int) -> list:
    """The sorted member endpoints of the links behind edge ``e`` (``net.link_members``).

    Examples
    --------
    >>> net = UnitNetwork.from_pairs("ab", [("a", "b", 0), ("b", "a", 1)], link_members={0: ("n",), 1: ("m", "n")})
    >>> edge_members(net, 0)
    ['m', 'n']
    """
    found = set()
    for index in net.edge_links(e):
        found.update(net.link_members.get(index, ()))
    return sorted(found)


def bridge_link_hits(net: UnitNetwork) -> list:
    """Return the ``connectivity.bridge_link`` hits (bridges with 2+ institutions on each side).

    Examples
    --------
    >>> net = UnitNetwork.from_pairs("abcdef", [("a", "b", 0), ("b", "c", 1), ("c", "a", 2), ("c", "d", 3),
    ...                                          ("d", "e", 4), ("e", "f", 5), ("f", "d", 6)])
    >>> [(s, e["sides"], e["links"]) for s, e in bridge_link_hits(net)]
    [(('c', 'd'), [3, 3], [3])]
    """
    ids = net.ids
    hits = []
    for e, u, v, side_u, side_v in bridge_sides(net):
        if min(side_u, side_v) < 2:
            continue
        source = next(w for w in net.neighbours(u).tolist() if w != v)
        target = next(w for w in net.neighbours(v).tolist() if w != u)
        a, b, source, target = ids[u], ids[v], ids[source], ids[target]
        hits.append(((a, b), {
            "sides": [side_u, side_v],
            "links": net.edge_links(e),
            "members": edge_members(net, e),
            "link_from": source, "link_to": target,
            "names": net.name_map([a, b, source, target]),
        }))
    return hits


def single_link_unit_hits(net: UnitNetwork) -> list:
    """Return the ``connectivity.single_link_unit`` hits (institutions with one neighbour).

    Examples
    --------
    >>> net = UnitNetwork.from_pairs("abc", [("a", "b", 0), ("b", "c", 1)])
    >>> [(s, e["neighbour"]) for s, e in single_link_unit_hits(net)]
    [(('a',), 'b'), (('c',), 'b')]
    """
    ids, names = net.ids, net.names
    single = np.flatnonzero(net.degree == 1)
    slots = net.indptr[single]
    neighbour = net.neighbour[slots]
    edges = net.neighbour_edge[slots]
    # the suggested partner, for all hits at once: the unit's own parent institution,
    # else the neighbour's, when it is neither of the two
    up = net.parent_positions()
    own, theirs = up[single], up[neighbour]
    own_ok = (own >= 0) & (own != single) & (own != neighbour)
    theirs_ok = (theirs >= 0) & (theirs != single) & (theirs != neighbour)
    target = np.where(own_ok, own, np.where(theirs_ok, theirs, -1))
    # one list of all link indices, sliced per hit (a numpy slice + tolist per hit is
    # several times slower at 170k hits)
    links, ptr = net.link_index.tolist(), net.link_ptr.tolist()
    hits = []
    for i, j, e, k in zip(single.tolist(), neighbour.tolist(), edges.tolist(), target.tolist()):
        node, other = ids[i], ids[j]
        if k >= 0:
            partner = ids[k]
            shown = {node: names[i], other: names[j], partner: names[k]}
        else:
            partner = None
            shown = {node: names[i], other: names[j]}
        hits.append(((node,), {"neighbour": other, "links": links[ptr[e]:ptr[e + 1]],
                               "link_to": partner, "names": shown}))
    return hits


def single_liaison_hits(net: UnitNetwork, member_names=None) -> list:
    """Return the ``connectivity.single_liaison`` hits.

    An institution qualifies when some member is an endpoint of every link row
    behind its edges (``net.link_members``); the smallest such member id is named.
    Column-wise: (institution, link row) pairs, then (institution, member) counts.

    Examples
    --------
    >>> net = UnitNetwork.from_pairs("abc", [("a", "b", 0), ("a", "b", 1), ("b", "c", 2)],
    ...                              link_members={0: ("m",), 1: ("m", "n"), 2: ("n",)})
    >>> [(s, e["member"], e["links"]) for s, e in single_liaison_hits(net)]
    [(('a',), 'm', 2), (('c',), 'n', 1)]
    """
    member_names = member_names or {}
    if not net.number_of_edges or not net.link_members:
        return []
    width = int(net.link_index.max()) + 1
    # member endpoints of each link row, as codes in id order
    names = sorted({m for found in net.link_members.values() for m in found})
    code = {m: i for i, m in enumerate(names)}
    first = np.full(width, -1, dtype=np.int64)
    second = np.full(width, -1, dtype=np.int64)
    for index, found in net.link_members.items():
        if 0 <= index < width and found:
            codes = sorted({code[m] for m in found})
            first[index] = codes[0]
            if len(codes) > 1:
                second[index] = codes[1]
                if len(codes) > 2:        # (two endpoints: never more than two members)
                    raise ValueError("a link row has at most two member endpoints")
    # an institution behind a link row without a member endpoint cannot qualify: drop
    # them first (nearly all: referrals), so that only the few others are sorted below
    edge_of_entry = np.repeat(np.arange(net.number_of_edges), np.diff(net.link_ptr))
    memberless = first[net.link_index] < 0
    ruled_out = np.zeros(net.number_of_nodes, dtype=bool)
    ruled_out[net.eu[edge_of_entry[memberless]]] = True
    ruled_out[net.ev[edge_of_entry[memberless]]] = True
    entry = np.flatnonzero(~(ruled_out[net.eu[edge_of_entry]] & ruled_out[net.ev[edge_of_entry]]))
    node = np.concatenate([net.eu[edge_of_entry[entry]], net.ev[edge_of_entry[entry]]])
    link = np.concatenate([net.link_index[entry], net.link_index[entry]])
    keep = ~ruled_out[node]
    node, link = node[keep], link[keep]
    pairs = _distinct(node * width + link)                 # (institution, link row), once each
    node, link = pairs // width, pairs % width
    rows = np.bincount(node, minlength=net.number_of_nodes)
    holder = np.concatenate([node, node])
    member = np.concatenate([first[link], second[link]])
    keep = member >= 0
    holder, member = holder[keep], member[keep]
    if not len(holder):
        return []
    width_m = len(names)
    counted, times = _counted(holder * width_m + member)
    holder, member = counted // width_m, counted % width_m
    common = times == rows[holder]
    holder, member = holder[common], member[common]
    if not len(holder):
        return []
    chosen = np.r_[True, holder[1:] != holder[:-1]]        # smallest member code first
    hits = []
    for i, m in zip(holder[chosen].tolist(), member[chosen].tolist()):
        node_id, member_id = net.ids[i], names[m]
        hits.append(((node_id,), {
            "member": member_id, "links": int(rows[i]),
            "names": {**net.name_map([node_id]), member_id: member_names.get(member_id)},
        }))
    return hits
