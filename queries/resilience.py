"""Key people, units and ties: what the single loss of each would cause.

For every member, institution (unit) and tie of the unit network, :func:`resilience`
tells which findings would appear if it alone were lost, and which institutions
would be cut off from the rest of their network.  Nothing is removed and no check
is re-run per candidate: the impacts are read from structure computed once.

- Units: the block-cut tree of the unit network
  (:func:`orgnet.queries.unitnet.block_cut_tree`: blocks, articulation points and the
  weight of every subtree, in linear time), the referral table (institutions whose only upward referral
  goes to the unit) and the services per area (stages the unit alone provides).
- Ties (edges of the unit network; losing one = losing the link rows that make
  it): bridges with both sides; referral pairs carried only by the tie.
- Members: org sizes (full members at or below each org, members at or below,
  secretaries per org) and the ties that rest on the member's links alone (a
  single liaison whose unit would lose its only tie).  When the loss takes
  several ties at once, a bounded multi-source search finds the parts
  (it stops as soon as all but one part are complete).

The findings counted as *caused* (:data:`CAUSED_CHECKS`) are those of the checks
a single loss can make appear and that the structure decides exactly:
isolated units and disconnected groups; new cut units and new bridges (read off
the block-cut tree of :func:`orgnet.queries.unitnet.block_cut_tree`: only the blocks
holding the lost unit or tie fall apart, so only their institutions can become
cut units and only their edges bridges; a bridge's sides are sums of what hangs
off the block, see ``_Context.structure_hits``); missing upward referrals and
broken referral chains (only the institutions that refer up, directly or not,
through the lost unit or referral are re-evaluated on the upward-referral DAG);
service stage gaps; branches falling below the minimum, orgs losing their
secretary or their last member.  The other checks are not predicted.
``tests/queries/test_resilience.py`` compares every prediction with brute force
(remove, re-run all checks, keep the appeared findings of these checks) on the
examples (every member, unit and tie), generated datasets and hand-made cases.

Ranking: most high findings caused first, then most institutions cut off, then
most medium, then most findings; then member, unit, tie; then id.  Items whose
loss causes nothing are left out.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph, add_link
>>> G = new_graph()
>>> for n, kind, level in (("H", "county_hospital", "county"), ("T", "township_health_center", "township"),
...                        ("V", "village_clinic", "village")):
...     G.add_node(n, label="Institution", name=n, kind=kind, level=level)
>>> add_link(G, "V", "T", link_type="referral", link_index=0)
>>> add_link(G, "T", "H", link_type="referral", link_index=1)
>>> items = resilience(G)
>>> [(i.kind, i.id, i.cut_off, [f.check for f in i.caused()]) for i in items][:2]
[('unit', 'T', ['V'], ['referral.no_upward_referral', 'connectivity.isolated_unit', 'connectivity.isolated_unit']), ('tie', ('H', 'T'), ['H'], ['referral.no_upward_referral', 'referral.broken_chain', 'connectivity.isolated_unit'])]
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import rustworkx as rx

from orgnet.graphmodel.schema import (
    BRANCH_KINDS, COUNTY_LEVEL, DEFAULT_SETTINGS, EMPTY_CHECK_KINDS, FULL_STATUS, HEALTH_KINDS,
    COVERS, INSTITUTION, MEMBER, MEMBER_OF, PARTY_ORG, WORKS_AT, SECRETARY_KINDS, SECRETARY_ROLE, STAGES, Settings,
    level_rank,
)
from orgnet.queries import _graph as g
from orgnet.queries.catalog import load_checks, render
from orgnet.queries.connectivity import (
    active_links, cached_unit_arrays, gc_paused, isolated_unit_hits,
)
from orgnet.queries.unitnet import block_cut_tree, components, edge_members
from orgnet.queries.referral import chain_ends, referral_pairs, upward_target

__all__ = ["Item", "CAUSED_CHECKS", "KINDS", "resilience", "severity_of"]

#: The checks whose appearing findings are predicted (see the module docstring).
CAUSED_CHECKS = (
    "connectivity.isolated_unit", "connectivity.disconnected_component",
    "connectivity.cut_unit", "connectivity.bridge_link",
    "referral.no_upward_referral", "referral.broken_chain", "service.stage_gap",
    "structure.branch_too_small", "structure.no_secretary", "coverage.empty_org",
)
#: Candidate kinds, in ranking order for ties.
KINDS = ("member", "unit", "tie")
_SEVERITY = {"connectivity.isolated_unit": "high", "connectivity.disconnected_component": "high",
             "connectivity.cut_unit": "medium", "connectivity.bridge_link": "medium",
             "referral.broken_chain": "high",
             "referral.no_upward_referral": "high", "service.stage_gap": "high",
             "structure.branch_too_small": "medium", "structure.no_secretary": "medium",
             "coverage.empty_org": "medium"}


@dataclass
class Item:
    """What the single loss of one member, unit or tie would cause.

    Attributes
    ----------
    id : str or tuple of str
        A member or institution id; a tie is ``(source, target)`` (sorted).
    kind : str
        ``member``, ``unit`` or ``tie``.
    hits : list of tuple
        ``(check id, subject, evidence)`` of the findings that would appear.
    cut_off : list of str
        Institutions that would lose their path to the main part of their network.
    rank : int
        1 for the item whose loss does most harm.
    name : str, optional
    """

    id: object
    kind: str
    hits: list = field(default_factory=list)
    cut_off: list = field(default_factory=list)
    rank: int = 0
    name: str | None = None
    lang: str = "en"

    def caused(self) -> list:
        """Return the caused findings as :class:`~queries.finding.Finding` records."""
        load_checks()
        return [render(check, subject, evidence, self.lang)
                for check, subject, evidence in self.hits]

    def counts(self) -> dict:
        """Return the number of caused findings per severity."""
        found = {"high": 0, "medium": 0, "low": 0}
        for check, _, _ in self.hits:
            found[_SEVERITY[check]] += 1
        return found

    def sort_key(self) -> tuple:
        """The ranking key (smaller first)."""
        c = self.counts()
        ident = self.id if isinstance(self.id, tuple) else (self.id,)
        return (-c["high"], -len(self.cut_off), -c["medium"], -len(self.hits),
                KINDS.index(self.kind), ident)

    def to_dict(self) -> dict:
        """Return ``{"id", "kind", "caused", "cut_off", "rank", "name"}`` (issue 10's JSON shape)."""
        return {"id": list(self.id) if isinstance(self.id, tuple) else self.id,
                "kind": self.kind, "name": self.name, "rank": self.rank,
                "caused": [f.to_dict() for f in self.caused()], "cut_off": list(self.cut_off)}


def resilience(G: nx.MultiDiGraph, *, settings: Settings = DEFAULT_SETTINGS, lang: str = "en",
               top: int | None = None, kinds=KINDS, progress=None) -> list[Item]:
    """Return the members, units and ties whose single loss would cause findings, ranked.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph; not changed.
    settings : Settings
        Thresholds (``branch_min_full_members``).
    lang : {"en", "zh"}
        Language of the caused findings' messages.
    top : int, optional
        Keep only the first ``top`` items.
    kinds : iterable of str
        Candidate kinds to consider (default all of :data:`KINDS`).
    progress : callable, optional
        Called with 1 after each kind.

    Returns
    -------
    list of Item
        Ranked (``rank`` 1 first); items that cause nothing are left out.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("O", label="PartyOrg", name="支部", kind="branch")
    >>> for m in ("a", "b", "c"):
    ...     G.add_node(m, label="Member", name=m, status="full", roles=["secretary"] if m == "a" else [])
    ...     _ = G.add_edge(m, "O", key="MEMBER_OF", type="MEMBER_OF")
    >>> [(i.id, [f.check for f in i.caused()]) for i in resilience(G)]
    [('a', ['structure.branch_too_small', 'structure.no_secretary']), ('b', ['structure.branch_too_small']), ('c', ['structure.branch_too_small'])]
    """
    items: list[Item] = []
    with gc_paused():
        context = _Context(G, settings)
        for kind in KINDS:
            if kind not in kinds:
                continue
            items += {"member": context.member_items, "unit": context.unit_items,
                      "tie": context.tie_items}[kind]()
            if progress is not None:
                progress(1)
    items.sort(key=Item.sort_key)
    if top is not None:
        items = items[:top]
    for rank, item in enumerate(items, 1):
        item.rank = rank
        item.lang = lang
    return items


# ---------------------------------------------------------------------------
# the structure, computed once
# ---------------------------------------------------------------------------
class _Context:
    def __init__(self, G, settings):
        self.G = G
        self.settings = settings
        # the block-cut tree of the unit network, and its components (largest first)
        self.net = net = cached_unit_arrays(G)
        self.tree = tree = block_cut_tree(net)
        self.nodes = net.ids
        self.position = net.position
        found = components(net)
        label = found["label"]
        self.comp = label.tolist()
        self.comp_size = found["size"].tolist()
        self.comp_order = np.argsort(label, kind="stable").tolist()   # increasing within each
        starts = np.cumsum(found["size"]) - found["size"]
        self.comp_start = starts.tolist()
        self.comp_first = [self.comp_order[i] for i in self.comp_start]
        # tree nodes: preorder place and span (tree nodes in each subtree)
        order = tree.order.tolist()
        parent = tree.parent.tolist()
        span = [1] * len(order)
        for x in reversed(order):
            if parent[x] >= 0:
                span[parent[x]] += span[x]
        self.t_order, self.t_parent, self.t_span = order, parent, span
        self.t_place = {x: i for i, x in enumerate(order)}
        self.t_below = tree.weight_below.tolist()
        self.t_min_below = tree.min_below.tolist()
        self.t_min_outside = tree.min_outside.tolist()
        self.cut_node = {v: tree.blocks + i for i, v in enumerate(tree.articulation.tolist())}
        self.edges_per_block = np.bincount(tree.edge_block, minlength=tree.blocks).tolist()
        nodes_data = G._node
        self.health = {n for n in self.nodes if nodes_data[n].get("kind") in HEALTH_KINDS}
        self.org_rows = self._org_rows()

    # -- connectivity ---------------------------------------------------------
    def units_of(self, entity) -> tuple:
        """The institutions an entity maps to in the unit network (spec section 6)."""
        data = self.G._node[entity]
        label = data.get("label")
        if label == INSTITUTION:
            return (entity,)
        rel = {MEMBER: WORKS_AT, PARTY_ORG: COVERS}.get(label)
        if rel is None:
            return ()
        return tuple(sorted(v for v, keyed in self.G._adj[entity].items() if rel in keyed))

    def row_edges(self, source, target) -> list:
        """The unit edges one link row makes."""
        units = sorted(set(self.units_of(source)).union(self.units_of(target)))
        return [(a, b) for i, a in enumerate(units) for b in units[i + 1:]]

    def _org_rows(self) -> dict:
        """Link index -> its unit edges, for the rows with a party org endpoint (the only
        rows that can make several edges: an org maps to every institution it covers)."""
        nodes = self.G._node
        found = {}
        for source, target, data in active_links(self.G):
            if PARTY_ORG in (nodes[source].get("label"), nodes[target].get("label")):
                found[data["link_index"]] = self.row_edges(source, target)
        return found

    def _neighbours(self, x) -> list:
        """The ids of the institutions tied to ``x`` (the unit network's arrays)."""
        nodes = self.nodes
        return [nodes[q] for q in self.net.neighbours(self.position[x]).tolist()]

    def _edge(self, a, b):
        """The edge number joining institutions a and b, or None."""
        pa, pb = self.position.get(a), self.position.get(b)
        if pa is None or pb is None:
            return None
        net = self.net
        found = net.neighbours(pa)
        i = int(np.searchsorted(found, pb))
        if i >= len(found) or found[i] != pb:
            return None
        return int(net.neighbour_edge[net.indptr[pa] + i])

    def _links(self, a, b) -> set:
        """The link rows behind the tie a-b (empty when there is none)."""
        e = self._edge(a, b)
        return set() if e is None else set(self.net.edge_links(e))

    def edges_lost(self, rows, edges) -> list:
        """The unit edges all of whose link rows are in ``rows``, among ``edges`` (the edges
        the rows make outside party-org rows) and those of the rows' party-org rows."""
        rows = set(rows)
        candidates = set(edges)
        for row in rows:
            candidates.update(self.org_rows.get(row, ()))
        found = []
        for e in sorted(candidates):
            links = self._links(*e)
            if links and links <= rows:
                found.append(e)
        return found

    def _component_nodes(self, c):
        start, nodes = self.comp_start[c], self.nodes
        return [nodes[p] for p in self.comp_order[start:start + self.comp_size[c]]]

    def _subtree_nodes(self, x):
        """The institutions carried by tree node ``x``'s subtree (a block carries its
        vertices that are no cut units, a cut node its unit)."""
        tree, nodes = self.tree, self.nodes
        blocks, ptr, vertices = tree.blocks, tree.block_ptr, tree.block_vertices
        found = []
        place = self.t_place[x]
        for t in self.t_order[place:place + self.t_span[x]]:
            if t >= blocks:
                found.append(nodes[int(tree.articulation[t - blocks])])
            else:
                found += [nodes[v] for v in vertices[ptr[t]:ptr[t + 1]].tolist()
                          if v not in self.cut_node]
        return found

    def _outside(self, c, x):
        """The institutions of component ``c`` outside tree node ``x``'s subtree."""
        inside = set(self._subtree_nodes(x))
        return [n for n in self._component_nodes(c) if n not in inside]

    def split_hits(self, c, pieces, removed=None):
        """Findings and cut-off ids when component ``c`` falls into ``pieces``.

        ``pieces``: list of ``(size, smallest position, nodes or callable)``; the
        removed unit (if any) is in none of them.
        """
        comp_size, comp_first = self.comp_size, self.comp_first
        pieces = [p for p in pieces if p[0] > 0]
        if not pieces:
            return [], []
        key = lambda p: (-p[0], p[1])          # noqa: E731  largest, then smallest id
        main = min(pieces, key=key)
        largest = main
        if c == 0:                             # components are numbered largest first
            if len(comp_size) > 1:
                candidate = (comp_size[1], comp_first[1], None)
                if key(candidate) < key(main):
                    largest = candidate
        else:
            largest = (comp_size[0], comp_first[0], None)
        hits, cut_off = [], []
        for piece in pieces:
            size = piece[0]
            if piece is main and piece is largest and size >= 2:
                continue
            nodes = sorted(piece[2]() if callable(piece[2]) else piece[2])
            if piece is not main:
                cut_off += nodes
            if size == 1:
                if self._counts_as_isolated(nodes[0]):
                    hits.append(self._isolated_hit(nodes[0], removed))
            elif piece is not largest:
                hits.append(self._component_hit(nodes, largest[0]))
        return hits, sorted(cut_off)

    def _counts_as_isolated(self, node):
        """Whether connectivity.isolated_unit reports this institution once it has no edge.

        Asked of the check itself (on a one-node network), so the rule (every
        institution, or health institutions only) is the check's.
        """
        kind = self.G._node[node].get("kind")
        rules = self.__dict__.setdefault("_isolated_rule", {})
        if kind not in rules:            # the rule depends on the kind only
            alone = nx.Graph()
            alone.add_node(node, **self.G._node[node])
            rules[kind] = bool(isolated_unit_hits(alone))
        return rules[kind]

    def _isolated_hit(self, node, removed):
        data = self.G._node[node]
        parent = data.get("parent_id")
        target = (parent if parent is not None and parent in self.position and parent != removed
                  else None)
        names = {node: data.get("name")}
        if target is not None:
            names[target] = self.G._node[target].get("name")
        return ("connectivity.isolated_unit", (node,), {
            "names": names, "kind": data.get("kind"), "level": data.get("level"),
            "link_to": target, "link_reason": "parent" if target else None})

    def _component_hit(self, nodes, largest_size):
        data = self.G._node
        return ("connectivity.disconnected_component", tuple(nodes), {
            "size": len(nodes), "largest_size": largest_size,
            "names": {n: data[n].get("name") for n in nodes[:5]},
            "link_from": None, "link_to": None})

    def unit_pieces(self, v):
        """The parts of v's component without v: (component, pieces).

        Read off the block-cut tree: a cut unit's parts are its child blocks'
        subtrees and the rest of the tree (as :func:`orgnet.queries.unitnet.cut_facts`
        counts them); any other unit leaves one part, the rest of its component.
        """
        c = self.comp[v]
        total = self.comp_size[c]
        if total == 1:
            return c, []
        node = self.cut_node.get(v)
        if node is None:
            first = self.comp_first[c]
            smallest = first if first != v else self.comp_order[self.comp_start[c] + 1]
            me = self.nodes[v]
            return c, [(total - 1, smallest,
                        (lambda: [n for n in self._component_nodes(c) if n != me]))]
        pieces = []
        parent = self.t_parent
        kids = [x for x in self.t_order[self.t_place[node] + 1:
                                        self.t_place[node] + self.t_span[node]] if parent[x] == node]
        for x in kids:
            pieces.append((self.t_below[x], self.t_min_below[x],
                           (lambda x=x: self._subtree_nodes(x))))
        if parent[node] >= 0:
            pieces.append((total - self.t_below[node], self.t_min_outside[node],
                           (lambda: self._outside(c, node))))
        return c, pieces

    def edge_pieces(self, lost):
        """Per component touched: the pieces when the unit edges ``lost`` go."""
        if len(lost) == 1:
            position = self.position
            pa, pb = position[lost[0][0]], position[lost[0][1]]
            e = self.net.edge_between(pa, pb)
            b = int(self.tree.edge_block[e])
            if self.edges_per_block[b] != 1:
                return []                     # not a bridge
            c = self.comp[pa]
            total = self.comp_size[c]
            if self.t_parent[b] >= 0:         # the bridge's lower side is its subtree
                inner = (self.t_below[b], self.t_min_below[b], (lambda: self._subtree_nodes(b)))
                outer = (total - self.t_below[b], self.t_min_outside[b],
                         (lambda: self._outside(c, b)))
                return [(c, [inner, outer])]
            sides = []                        # a root block: each end's subtree
            for x in (pa, pb):
                node = self.cut_node.get(x)
                if node is None:
                    sides.append((1, x, [self.nodes[x]]))
                else:
                    sides.append((self.t_below[node], self.t_min_below[node],
                                  (lambda node=node: self._subtree_nodes(node))))
            return [(c, sides)]
        return self._search(lost)

    def _search(self, lost):
        """Pieces of the components holding ``lost`` edges once they are gone.

        One breadth-first search per endpoint, expanded in turn; searches that
        meet merge; a search that runs dry has found a whole piece.  Stops when at
        most one search per component is still running: that one is the rest.
        """
        gone = set(lost)
        seeds = sorted({n for edge in lost for n in edge})
        comp, position = self.comp, self.position
        owner: dict = {}
        root = list(range(len(seeds)))
        queues = [deque([n]) for n in seeds]
        found = [[n] for n in seeds]
        for i, n in enumerate(seeds):
            owner[n] = i

        def find(i):
            while root[i] != i:
                root[i] = root[root[i]]
                i = root[i]
            return i

        running: dict = {}                     # component -> set of running roots
        for i, n in enumerate(seeds):
            running.setdefault(comp[position[n]], set()).add(i)
        done: dict = {c: [] for c in running}
        while any(len(active) > 1 for active in running.values()):
            for c, active in running.items():
                for r in list(active):
                    if len(active) <= 1:
                        break
                    if r not in active:
                        continue
                    queue = queues[r]
                    if not queue:
                        active.discard(r)
                        done[c].append(found[r])
                        continue
                    v = queue.popleft()
                    for w in self._neighbours(v):
                        if ((v, w) if v < w else (w, v)) in gone:
                            continue
                        o = owner.get(w)
                        if o is None:
                            owner[w] = r
                            queue.append(w)
                            found[r].append(w)
                            continue
                        j = find(o)
                        if j == r:
                            continue
                        big, small = (r, j) if len(found[r]) >= len(found[j]) else (j, r)
                        root[small] = big
                        found[big].extend(found[small])
                        queues[big].extend(queues[small])
                        found[small], queues[small] = [], deque()
                        active.discard(small)
                        active.add(big)
                        r, queue = big, queues[big]
        result = []
        comp_size = self.comp_size
        for c, active in running.items():
            pieces = [(len(nodes), min(position[n] for n in nodes), nodes) for nodes in done[c]]
            if active:
                taken = set()
                for nodes in done[c]:
                    taken.update(nodes)
                rest = comp_size[c] - len(taken)
                first = self.comp_first[c]
                if self.nodes[first] not in taken:
                    smallest = first
                else:
                    smallest = min(position[n] for n in self._component_nodes(c) if n not in taken)
                pieces.append((rest, smallest, (lambda c=c, taken=taken:
                                                [n for n in self._component_nodes(c) if n not in taken])))
            if len(pieces) > 1:
                result.append((c, pieces))
        return result

    # -- referrals ------------------------------------------------------------
    def referral_tables(self):
        found = self.__dict__.get("_referrals")
        if found is None:
            data = self.G._node
            rank = {n: level_rank(data[n].get("level")) for n in self.nodes}
            pairs = referral_pairs(self.G)
            up: dict = {}
            for (a, b), pair in pairs.items():
                if rank.get(b, 0) > rank.get(a, 0):
                    up.setdefault(a, []).append((b, set(pair["links"])))
            low_health = {n for n in self.health if rank[n] < level_rank(COUNTY_LEVEL)}
            found = self.__dict__["_referrals"] = {"up": up, "low": low_health, "pairs": pairs}
        return found

    def county_hospitals(self):
        found = self.__dict__.get("_county")
        if found is None:
            from orgnet.queries.referral import _county_hospitals    # the table upward_target reads

            found = self.__dict__["_county"] = _county_hospitals(self.G)
        return found

    def tables(self):
        """The check tables of the graph (queries.tables), once: upward_target reads them."""
        found = self.__dict__.get("_tables")
        if found is None:
            from orgnet.queries.tables import check_tables

            found = self.__dict__["_tables"] = check_tables(self.G)
        return found

    def _no_upward_hit(self, node, gone_unit=None):
        data = self.G._node[node]
        target, reason = upward_target(self.tables(), node, self.county_hospitals())
        if target is not None and target == gone_unit:
            target, reason = None, None
        names = {node: data.get("name")}
        if target is not None:
            names[target] = self.G._node[target].get("name")
        return ("referral.no_upward_referral", (node,), {
            "level": data.get("level"), "kind": data.get("kind"), "referrals_out": 0,
            "target": target, "target_reason": reason, "names": names})

    # -- services -------------------------------------------------------------
    def service_tables(self):
        found = self.__dict__.get("_services")
        if found is None:
            from orgnet.queries.service import service_area

            area_of: dict = {}
            providers: dict = {}          # (area, stage) -> set of institutions
            rows: dict = {}               # area -> number of services rows
            for row in self.G.graph.get("services", []):
                inst = row["institution_id"]
                if inst not in area_of:
                    area_of[inst] = service_area(self.G, inst)
                area = area_of[inst]
                providers.setdefault((area, row["stage"]), {}).setdefault(inst, 0)
                providers[(area, row["stage"])][inst] += 1
                rows[area] = rows.get(area, 0) + 1
            by_inst: dict = {}
            for (area, stage), insts in providers.items():
                for inst, n in insts.items():
                    by_inst.setdefault(inst, []).append((area, stage, n))
            found = self.__dict__["_services"] = {"providers": providers, "rows": rows,
                                                  "by_inst": by_inst, "area_of": area_of}
        return found

    def _gap_hit(self, area, stage, present):
        data = self.G._node
        return ("service.stage_gap", (area, stage), {
            "area_name": data[area].get("name"), "area_label": data[area].get("label"),
            "stage": stage, "provided": [s for s in STAGES if s in present],
            "candidates": [], "candidate_names": []})

    def unit_gap_hits(self, v):
        """Stage gaps that appear when institution ``v`` and its services rows go."""
        t = self.service_tables()
        if self._is_area_root(v):
            return self._root_gap_hits(v)
        hits = []
        lost_rows: dict = {}
        for area, stage, n in t["by_inst"].get(v, ()):
            lost_rows[area] = lost_rows.get(area, 0) + n
        for area, stage, n in t["by_inst"].get(v, ()):
            if len(t["providers"][(area, stage)]) == 1 and t["rows"][area] > lost_rows[area]:
                present = {s for (a, s) in self._stages_of(area) if (a, s) != (area, stage)}
                hits.append(self._gap_hit(area, stage, present))
        return hits

    def _stages_of(self, area):
        found = self.__dict__.setdefault("_area_stages", {})
        if not found:
            for (a, s) in self.service_tables()["providers"]:
                found.setdefault(a, set()).add((a, s))
        return found.get(area, set())

    def _is_area_root(self, v):
        """True when v is the service area (top of the parent chain) of an institution."""
        roots = self.__dict__.get("_area_roots")
        if roots is None:
            roots = self.__dict__["_area_roots"] = {
                a for a in self.service_tables()["rows"] if self.G._node[a].get("label") == INSTITUTION}
        return v in roots

    def _root_gap_hits(self, v):
        """v is an area by the parent chain: its institutions fall into the areas of v's children."""
        from orgnet.queries.service import service_area

        G = self.G
        H_area: dict = {}
        present: dict = {}
        for row in G.graph.get("services", []):
            inst = row["institution_id"]
            if inst == v or self.service_tables()["area_of"].get(inst) != v:
                continue
            chain = g.institution_chain(G, inst)
            new_area = chain[chain.index(v) - 1] if v in chain else service_area(G, inst)
            H_area[inst] = new_area
            present.setdefault(new_area, set()).add(row["stage"])
        return [self._gap_hit(area, stage, stages) for area, stages in sorted(present.items())
                for stage in STAGES if stage not in stages]

    # -- new weak points: read off the block-cut tree --------------------------
    def blocks(self):
        """The block-cut tree of the unit network (:func:`orgnet.queries.unitnet.block_cut_tree`)
        and, for the blocks of three or more institutions, their vertices and edges."""
        found = self.__dict__.get("_blocks")
        if found is None:
            net, tree = self.net, self.tree
            sizes = np.diff(tree.block_ptr)
            big = np.flatnonzero(sizes >= 3)
            vertices = {int(b): tree.block_vertices[tree.block_ptr[b]:tree.block_ptr[b + 1]].tolist()
                        for b in big}
            of_vertex: dict = {}
            for b, vs in vertices.items():
                for v in vs:
                    of_vertex.setdefault(v, []).append(b)
            edges: dict = {b: [] for b in vertices}
            inside = np.flatnonzero(sizes[tree.edge_block] >= 3) if len(tree.edge_block) else []
            for e, u, v, b in zip(inside.tolist() if len(inside) else [], net.eu[inside].tolist(),
                                  net.ev[inside].tolist(), tree.edge_block[inside].tolist()):
                edges[b].append((u, v))
            is_cut = np.zeros(net.number_of_nodes, dtype=bool)
            is_cut[tree.articulation] = True
            cut_node = {v: tree.blocks + i for i, v in enumerate(tree.articulation.tolist())}
            found = self.__dict__["_blocks"] = {
                "net": net, "tree": tree, "vertices": vertices, "edges": edges,
                "of_vertex": of_vertex, "is_cut": is_cut.tolist(), "cut_node": cut_node,
                "parent": tree.parent.tolist(), "below": tree.weight_below.tolist(),
                "total": tree.tree_weight.tolist()}
        return found

    def _hang(self, w, b):
        """Institutions reached from w without passing through block b's other vertices
        (w included): 1 unless w is a cut unit, else a side of the tree around w."""
        t = self.blocks()
        node = t["cut_node"].get(w)
        if node is None:
            return 1
        if t["parent"][b] == node:
            return t["total"][b] - t["below"][b]
        return t["below"][node]

    def structure_hits(self, removed=None, lost=()):
        """``connectivity.cut_unit`` and ``connectivity.bridge_link`` findings that appear
        when institution ``removed`` or the unit edges ``lost`` go.

        Blocks of the loss-free part of the network stay blocks; a block that loses a
        vertex or edges falls apart into the blocks of what is left of it, and only
        there can new cut units (an institution of the block, no cut unit before, in
        two of the new blocks) or bridges appear.  What hangs off each institution of
        the block outside it is a side of the block-cut tree (:meth:`_hang`), so the
        sides of a new bridge are sums over the block; when a loss touches several
        blocks the sides are counted in the network without the loss instead.
        """
        t = self.blocks()
        net = t["net"]
        position = net.position
        affected: dict = {}
        v = position.get(removed) if removed is not None else None
        if v is not None:
            for b in t["of_vertex"].get(v, ()):
                affected[b] = set()
        touched = set()
        for a, c in lost:
            pa, pc = position[a], position[c]
            e = net.edge_between(pa, pc)
            b = int(t["tree"].edge_block[e])
            touched.add(b)
            if b in t["vertices"]:
                affected.setdefault(b, set()).add((min(pa, pc), max(pa, pc)))
        if not affected:
            return []
        several = len(touched) > 1          # what hangs off the block may be lost too
        hits = []
        ids = net.ids
        for b, gone in sorted(affected.items()):
            # what is left of the block, as local adjacency lists (rustworkx for the
            # articulation points and bridges: no networkx graph, no reference cycle
            # left for the paused collector)
            verts = [x for x in t["vertices"][b] if x != v]
            local = {x: i for i, x in enumerate(verts)}
            adj: dict = {x: [] for x in verts}
            pairs = []
            for e in t["edges"][b]:
                if v in e or e in gone:
                    continue
                adj[e[0]].append(e[1])
                adj[e[1]].append(e[0])
                pairs.append((local[e[0]], local[e[1]]))
            R = rx.PyGraph(multigraph=False)
            R.add_nodes_from(verts)
            R.add_edges_from_no_data(pairs)
            weight = {x: self._hang(x, b) for x in verts}
            for x in sorted(verts[i] for i in rx.articulation_points(R)):
                if not t["is_cut"][x]:
                    hits.append(self._new_cut_hit(adj, x, weight))
            per_block: dict = {}
            for edge, block in rx.biconnected_components(R).items():
                per_block.setdefault(block, []).append(edge)
            bridges = sorted(tuple(sorted(edges[0])) for edges in per_block.values()
                             if len(edges) == 1)
            for i, j in bridges:
                x, y = verts[i], verts[j]
                if several:
                    side_x, side_y = self._sides_without(lost, ids[x], ids[y])
                else:
                    side_x = sum(weight[z] for z in _reach(adj, x, block=(x, y)))
                    side_y = sum(weight[z] for z in _reach(adj, y, block=(x, y)))
                if min(side_x, side_y) >= 2:
                    hits.append(self._new_bridge_hit(adj, x, y, side_x, side_y))
        return hits

    def _sides_without(self, lost, a, b):
        """Institutions on a's and on b's side of edge a-b in the network without ``lost``."""
        gone = {frozenset(e) for e in lost} | {frozenset((a, b))}
        sizes = []
        for start in (a, b):
            seen = {start}
            stack = [start]
            while stack:
                x = stack.pop()
                for y in self._neighbours(x):
                    if y not in seen and frozenset((x, y)) not in gone:
                        seen.add(y)
                        stack.append(y)
            sizes.append(len(seen))
        return sizes

    def _new_cut_hit(self, adj, x, weight):
        ids = self.blocks()["net"].ids
        component = _reach(adj, x)
        whole = sum(weight[z] for z in component)
        seen = {x}
        parts = []
        for start in sorted(adj[x]):
            if start in seen:
                continue
            part = _reach(adj, start, avoid=x)
            seen |= part
            parts.append([sum(weight[z] for z in part), min(part), part])
        parts.sort(key=lambda p: (-p[0], p[1]))
        main, cut = parts[0], parts[1]
        link_from = ids[min(y for y in adj[x] if y in cut[2])]
        link_to = ids[min(y for y in adj[x] if y in main[2])]
        node = ids[x]
        names = {n: self.G._node[n].get("name") for n in (node, link_from, link_to)}
        return ("connectivity.cut_unit", (node,), {
            "cut_off": whole - 1 - main[0], "component_size": whole, "parts": len(parts),
            "main_size": main[0], "link_from": link_from, "link_to": link_to,
            "link_from_part_size": cut[0], "names": names})

    def _new_bridge_hit(self, adj, x, y, side_x, side_y):
        ids = self.blocks()["net"].ids
        a, b = ids[x], ids[y]
        if a > b:
            a, b, x, y, side_x, side_y = b, a, y, x, side_y, side_x
        source = next((ids[w] for w in sorted(adj[x]) if w != y), None)
        target = next((ids[w] for w in sorted(adj[y]) if w != x), None)
        e = self._edge(a, b)
        names = {n: self.G._node[n].get("name") for n in (a, b, source, target) if n is not None}
        return ("connectivity.bridge_link", (a, b), {
            "sides": [side_x, side_y], "links": self.net.edge_links(e),
            "members": edge_members(self.net, e), "link_from": source, "link_to": target,
            "names": names})

    # -- broken referral chains: the upward referral DAG ------------------------
    def chains(self):
        """Which institutions reach county level by upward referrals, and who refers up to whom."""
        found = self.__dict__.get("_chains")
        if found is None:
            ref = self.referral_tables()
            data = self.G._node
            county = level_rank(COUNTY_LEVEL)
            rank = {n: level_rank(data[n].get("level")) for n in self.nodes}
            up = {a: [b for b, _ in targets] for a, targets in ref["up"].items()}
            down: dict = {}
            for a, targets in up.items():
                for b in targets:
                    down.setdefault(b, []).append(a)
            reach: dict = {}
            for start in sorted(up):
                if start in reach:
                    continue
                stack = [start]
                while stack:                      # iterative DFS, post-order evaluation
                    x = stack[-1]
                    pending = [t for t in up.get(x, ()) if rank[t] < county and t not in reach]
                    if pending:
                        stack.extend(pending)
                        continue
                    stack.pop()
                    reach[x] = any(rank[t] >= county or reach.get(t, False) for t in up.get(x, ()))
            found = self.__dict__["_chains"] = {"up": up, "down": down, "reach": reach,
                                                "rank": rank, "county": county}
        return found

    def chain_hits(self, removed=None, lost=()):
        """``referral.broken_chain`` findings that appear when institution ``removed`` or the
        link rows behind the unit edges ``lost`` go.

        Only institutions that refer up, directly or not, to the lost unit or to the
        source of a lost upward referral can lose their way to county level; their
        reach is re-evaluated on the upward-referral DAG, everyone else's is kept.
        """
        c = self.chains()
        up, down, reach, rank, county = c["up"], c["down"], c["reach"], c["rank"], c["county"]
        gone_pairs = set()
        if lost:
            ref = self.referral_tables()
            rows = set()
            for a, b in lost:
                rows |= self._links(a, b)
            for a, b in lost:
                for x, y in ((a, b), (b, a)):
                    pair = ref["pairs"].get((x, y))
                    if pair is not None and y in up.get(x, ()) and set(pair["links"]) <= rows:
                        gone_pairs.add((x, y))
        starts = {removed} if removed is not None else {x for x, _ in gone_pairs}
        if not starts:
            return []
        affected = set()
        stack = list(starts)
        while stack:
            x = stack.pop()
            if x in affected:
                continue
            affected.add(x)
            stack.extend(down.get(x, ()))
        new_reach: dict = {}

        def targets(x):
            return [t for t in up.get(x, ()) if t != removed and (x, t) not in gone_pairs]

        def evaluate(start):
            stack = [start]
            while stack:
                x = stack[-1]
                pending = [t for t in targets(x) if rank[t] < county and t in affected
                           and t not in new_reach]
                if pending:
                    stack.extend(pending)
                    continue
                stack.pop()
                new_reach[x] = any(rank[t] >= county
                                   or (new_reach[t] if t in affected else reach.get(t, False))
                                   for t in targets(x))

        low = self.referral_tables()["low"]
        hits = []
        for x in sorted(affected - {removed}):
            if x not in low or not reach.get(x) or not targets(x):
                continue
            if x not in new_reach:
                evaluate(x)
            if not new_reach[x]:
                hits.append(("referral.broken_chain", (x,), self._broken_evidence(x, targets, affected,
                                                                               new_reach, removed)))
        return hits

    def _broken_evidence(self, x, targets, affected, new_reach, removed):
        """The evidence of a predicted broken chain: where it stops, the missing hops."""
        up = self.chains()["up"]
        ends = sorted(chain_ends(x, lambda current: targets(current) if current in affected
                                 else up.get(current, ())))
        hops = []
        for end in ends:
            target, _ = upward_target(self.G, end, self.county_hospitals())
            if target is not None and target != removed:
                hops.append([end, target])
        data = self.G._node
        named = [x, *ends, *(b for _, b in hops)]
        return {"level": data[x].get("level"), "break_at": ends, "missing_hops": hops,
                "names": {n: data[n].get("name") for n in named}}

    # -- the candidates -------------------------------------------------------
    def unit_items(self) -> list[Item]:
        items = []
        ref = self.referral_tables()
        up_only: dict = {}
        for node, targets in ref["up"].items():
            if node in ref["low"] and len(targets) == 1:
                up_only.setdefault(targets[0][0], []).append(node)
        position = self.position
        for node in self.nodes:
            v = position[node]
            c, pieces = self.unit_pieces(v)
            hits, cut_off = self.split_hits(c, pieces, removed=node) if pieces else ([], [])
            hits += [self._no_upward_hit(x, node) for x in sorted(up_only.get(node, ()))]
            hits += self.unit_gap_hits(node)
            hits += self.structure_hits(removed=node)
            hits += self.chain_hits(removed=node)
            if hits or cut_off:
                items.append(Item(node, "unit", _sorted(hits), cut_off,
                                  name=self.G._node[node].get("name")))
        return items

    def tie_items(self) -> list[Item]:
        items = []
        ref = self.referral_tables()
        net, nodes = self.net, self.nodes
        for e, (pa, pb) in enumerate(zip(net.eu.tolist(), net.ev.tolist())):
            a, b = nodes[pa], nodes[pb]                   # positions in id order: a < b
            rows = set(net.edge_links(e))
            lost = self.edges_lost(rows, [(a, b)])
            hits, cut_off = self._edge_loss(lost)
            for x, y in ((a, b), (b, a)):
                if x in ref["low"]:
                    targets = ref["up"].get(x, ())
                    if targets and all(links <= rows for _, links in targets):
                        hits.append(self._no_upward_hit(x))
            if hits or cut_off:
                hits = _unique(hits)
                names = self.G._node
                items.append(Item((a, b), "tie", _sorted(hits), cut_off,
                                  name=f"{names[a].get('name')} – {names[b].get('name')}"))
        return items

    def _edge_loss(self, lost):
        hits, cut_off = [], []
        if not lost:
            return hits, cut_off
        hits += self.structure_hits(lost=lost)
        hits += self.chain_hits(lost=lost)
        for c, pieces in self.edge_pieces(lost):
            found, off = self.split_hits(c, pieces)
            hits += found
            cut_off += off
        return hits, sorted(cut_off)

    def member_items(self) -> list[Item]:
        G = self.G
        data = G._node
        rows_of: dict = {}            # member -> [(link index, source, target)]
        for source, target, link in active_links(G):
            for end in {source, target}:
                if data[end].get("label") == MEMBER:
                    rows_of.setdefault(end, []).append((link["link_index"], source, target))
        # org sizes: full members and members at or below each org, secretaries per org
        full: dict = {}
        total: dict = {}
        secretaries: dict = {}
        chain_of: dict = {}
        org_of: dict = {}
        for m, d in data.items():
            if d.get("label") != MEMBER:
                continue
            org = next((o for o, keyed in G._adj[m].items() if MEMBER_OF in keyed), None)
            if org is None:
                continue
            org_of[m] = org
            chain = chain_of.get(org)
            if chain is None:
                chain = chain_of[org] = g.org_chain(G, org)
            is_full = d.get("status") == FULL_STATUS
            for o in chain:
                total[o] = total.get(o, 0) + 1
                if is_full:
                    full[o] = full.get(o, 0) + 1
            if SECRETARY_ROLE in (d.get("roles") or ()):
                secretaries[org] = secretaries.get(org, 0) + 1
        minimum = self.settings.branch_min_full_members
        items = []
        for m in sorted(n for n, d in data.items() if d.get("label") == MEMBER):
            d = data[m]
            hits = []
            org = org_of.get(m)
            if org is not None:
                is_full = d.get("status") == FULL_STATUS
                for o in chain_of[org]:
                    kind = data[o].get("kind")
                    if is_full and kind in BRANCH_KINDS and full.get(o, 0) == minimum:
                        hits.append(("structure.branch_too_small", (o,), {
                            "name": data[o].get("name"), "kind": kind,
                            "full_members": minimum - 1, "minimum": minimum, "neighbours": [],
                            "neighbour_names": [], "neighbour_full_members": [],
                            "parent": None, "parent_name": None}))
                    if kind in EMPTY_CHECK_KINDS and total.get(o, 0) == 1:
                        parent = g.org_parent(G, o)
                        hits.append(("coverage.empty_org", (o,), {
                            "name": data[o].get("name"), "kind": kind, "parent": parent,
                            "parent_name": None if parent is None else data[parent].get("name"),
                            "institutions": g.covered_institutions(G, o)}))
                kind = data[org].get("kind")
                if (kind in SECRETARY_KINDS and SECRETARY_ROLE in (d.get("roles") or ())
                        and secretaries.get(org, 0) == 1):
                    hits.append(("structure.no_secretary", (org,), {
                        "name": data[org].get("name"), "kind": kind, "candidates": [],
                        "candidate_names": []}))
            cut_off: list = []
            rows = rows_of.get(m)
            if rows:
                edges = [e for _, source, target in rows for e in self.row_edges(source, target)]
                found, cut_off = self._edge_loss(self.edges_lost([r for r, _, _ in rows], edges))
                hits += found
            if hits or cut_off:
                items.append(Item(m, "member", _sorted(hits), cut_off, name=d.get("name")))
        return items


def _reach(adj, start, avoid=None, block=None):
    """The vertices reached from ``start`` in local adjacency lists, not through ``avoid``
    nor over the edge ``block``."""
    seen = {start}
    stack = [start]
    while stack:
        x = stack.pop()
        for y in adj[x]:
            if y == avoid or y in seen or (block is not None and {x, y} == set(block)):
                continue
            seen.add(y)
            stack.append(y)
    return seen


def _unique(hits):
    seen, kept = set(), []
    for hit in hits:
        key = (hit[0], hit[1])
        if key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept


def _sorted(hits):
    from orgnet.queries.catalog import CHECK_IDS

    return sorted(_unique(hits), key=lambda h: (CHECK_IDS.index(h[0]), h[1]))


def severity_of(check: str) -> str:
    """Return the severity of a caused check (one of :data:`CAUSED_CHECKS`).

    Examples
    --------
    >>> severity_of("service.stage_gap")
    'high'
    """
    return _SEVERITY[check]

