"""Key people, units and ties: what the single loss of each would cause.

For every member, institution (unit) and tie of the unit network, :func:`resilience`
tells which findings would appear if it alone were lost, and which institutions
would be cut off from the rest of their network.  Nothing is removed and no check
is re-run per candidate: the impacts are read from structure computed once.

- Units: the DFS block-cut structure of the unit network
  (:func:`block_cut_structure`: articulation points with the parts they separate,
  in linear time), the referral table (institutions whose only upward referral
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
isolated units and disconnected groups, missing upward referrals, service stage
gaps, branches falling below the minimum, orgs losing their secretary or their
last member.  New weak points (a unit that becomes a cut unit), broken chains and
the other checks are not predicted.  ``tests/queries/test_resilience.py``
compares every prediction with brute force (remove, re-run all checks, keep the
appeared findings of these checks) on the examples and generated datasets.

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
[('unit', 'T', ['V'], ['referral.no_upward_referral', 'connectivity.isolated_unit', 'connectivity.isolated_unit']), ('tie', ('H', 'T'), ['H'], ['referral.no_upward_referral', 'connectivity.isolated_unit'])]
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import networkx as nx

from orgnet.graphmodel.schema import (
    BRANCH_KINDS, COUNTY_LEVEL, DEFAULT_SETTINGS, EMPTY_CHECK_KINDS, FULL_STATUS, HEALTH_KINDS,
    COVERS, INSTITUTION, MEMBER, MEMBER_OF, PARTY_ORG, WORKS_AT, SECRETARY_KINDS, SECRETARY_ROLE, STAGES, Settings,
    level_rank,
)
from orgnet.queries import _graph as g
from orgnet.queries.catalog import load_checks, render
from orgnet.queries.connectivity import (
    active_links, cached_unit_network, component_structure, gc_paused, isolated_unit_hits,
    memoized,
)
from orgnet.queries.referral import referral_pairs, upward_target

__all__ = ["Item", "CAUSED_CHECKS", "KINDS", "resilience", "block_cut_structure", "severity_of"]

#: The checks whose appearing findings are predicted (see the module docstring).
CAUSED_CHECKS = (
    "connectivity.isolated_unit", "connectivity.disconnected_component",
    "referral.no_upward_referral", "service.stage_gap", "structure.branch_too_small",
    "structure.no_secretary", "coverage.empty_org",
)
#: Candidate kinds, in ranking order for ties.
KINDS = ("member", "unit", "tie")
_SEVERITY = {"connectivity.isolated_unit": "high", "connectivity.disconnected_component": "high",
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


def block_cut_structure(U: nx.Graph) -> dict:
    """Return the DFS block-cut structure of a unit network (articulation points, bridges, parts).

    The one place resilience reads the structure from: today
    :func:`orgnet.queries.connectivity.component_structure` (one linear DFS with low
    points, subtree sizes and subtree minima), shared with the connectivity checks.

    Examples
    --------
    >>> s = block_cut_structure(nx.path_graph(["a", "b", "c"]))
    >>> s["nodes"], s["size"]
    (['a', 'b', 'c'], [3, 2, 1])
    """
    return memoized(U, "component_structure", component_structure)


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
        self.U = U = cached_unit_network(G)
        s = block_cut_structure(U)
        self.s = s
        self.nodes = s["nodes"]
        self.position = {node: i for i, node in enumerate(self.nodes)}
        comp_start, comp_size, order = s["comp_start"], s["comp_size"], s["order"]
        ranking = sorted(range(len(comp_start)), key=lambda c: (-comp_size[c], order[comp_start[c]]))
        self.rank_of = {c: i for i, c in enumerate(ranking)}
        self.ranking = ranking
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

    def edges_lost(self, rows, edges) -> list:
        """The unit edges all of whose link rows are in ``rows``, among ``edges`` (the edges
        the rows make outside party-org rows) and those of the rows' party-org rows."""
        rows = set(rows)
        adj = self.U._adj
        candidates = set(edges)
        for row in rows:
            candidates.update(self.org_rows.get(row, ()))
        return sorted(e for e in candidates if e[1] in adj.get(e[0], {})
                      and adj[e[0]][e[1]]["links"] <= rows)

    def _slice(self, start, length):
        order, nodes = self.s["order"], self.nodes
        return [nodes[order[i]] for i in range(start, start + length)]

    def _component_nodes(self, c):
        return self._slice(self.s["comp_start"][c], self.s["comp_size"][c])

    def split_hits(self, c, pieces, removed=None):
        """Findings and cut-off ids when component ``c`` falls into ``pieces``.

        ``pieces``: list of ``(size, smallest position, nodes or callable)``; the
        removed unit (if any) is in none of them.
        """
        s = self.s
        comp_start, comp_size, order = s["comp_start"], s["comp_size"], s["order"]
        pieces = [p for p in pieces if p[0] > 0]
        if not pieces:
            return [], []
        key = lambda p: (-p[0], p[1])          # noqa: E731  largest, then smallest id
        main = min(pieces, key=key)
        largest = main
        if self.rank_of[c] == 0:
            if len(self.ranking) > 1:
                other = self.ranking[1]
                candidate = (comp_size[other], order[comp_start[other]], None)
                if key(candidate) < key(main):
                    largest = candidate
        else:
            first = self.ranking[0]
            largest = (comp_size[first], order[comp_start[first]], None)
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
        kind = self.U._node[node].get("kind")
        rules = self.__dict__.setdefault("_isolated_rule", {})
        if kind not in rules:            # the rule depends on the kind only
            alone = nx.Graph()
            alone.add_node(node, **self.U._node[node])
            rules[kind] = bool(isolated_unit_hits(alone))
        return rules[kind]

    def _isolated_hit(self, node, removed):
        data = self.G._node[node]
        parent = data.get("parent_id")
        target = parent if parent is not None and parent in self.U and parent != removed else None
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
        """The parts of v's component without v: (component, pieces)."""
        s = self.s
        disc, low, size, submin = s["disc"], s["low"], s["size"], s["submin"]
        comp, order, comp_start, comp_size = s["comp"], s["order"], s["comp_start"], s["comp_size"]
        c = comp[v]
        total = comp_size[c]
        if total == 1:
            return c, []
        kids = self.children[v]
        separating = [k for k in kids if low[k] >= disc[v]]
        pieces = [(size[k], submin[k], (lambda k=k: self._slice(disc[k], size[k])))
                  for k in separating]
        rest = total - 1 - sum(size[k] for k in separating)
        if rest > 0:
            sep = set(separating)

            def rest_nodes(v=v, sep=sep):
                start, end = comp_start[c], comp_start[c] + comp_size[c]
                inside = set()
                for k in sep:
                    inside.update(range(disc[k], disc[k] + size[k]))
                return [self.nodes[order[i]] for i in range(start, end)
                        if i != disc[v] and i not in inside]

            smallest = order[comp_start[c]] if order[comp_start[c]] != v else None
            if smallest is None:       # v is the root: the rest is its other children's subtrees
                smallest = min(submin[k] for k in kids if k not in sep)
            pieces.append((rest, smallest, rest_nodes))
        return c, pieces

    def edge_pieces(self, lost):
        """Per component touched: the pieces when the unit edges ``lost`` go."""
        s = self.s
        position, disc, low, size, parent, comp = (self.position, s["disc"], s["low"], s["size"],
                                                   s["parent"], s["comp"])
        if len(lost) == 1:
            a, b = (position[lost[0][0]], position[lost[0][1]])
            if parent[b] == a:
                p, k = a, b
            elif parent[a] == b:
                p, k = b, a
            else:
                return []
            if low[k] <= disc[p]:
                return []                     # not a bridge
            c = comp[k]
            inner = (size[k], s["submin"][k], (lambda: self._slice(disc[k], size[k])))
            outer_size = s["comp_size"][c] - size[k]
            outer = (outer_size, s["order"][s["comp_start"][c]],
                     (lambda: self._outside(c, disc[k], size[k])))
            return [(c, [inner, outer])]
        return self._search(lost)

    def _outside(self, c, start, length):
        s = self.s
        begin, end = s["comp_start"][c], s["comp_start"][c] + s["comp_size"][c]
        return [self.nodes[s["order"][i]] for i in range(begin, end)
                if not start <= i < start + length]

    def _search(self, lost):
        """Pieces of the components holding ``lost`` edges once they are gone.

        One breadth-first search per endpoint, expanded in turn; searches that
        meet merge; a search that runs dry has found a whole piece.  Stops when at
        most one search per component is still running: that one is the rest.
        """
        adj = self.U._adj
        gone = set(lost)
        seeds = sorted({n for edge in lost for n in edge})
        comp, position = self.s["comp"], self.position
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
                    for w in adj[v]:
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
        s = self.s
        order, comp_start, comp_size = s["order"], s["comp_start"], s["comp_size"]
        for c, active in running.items():
            pieces = [(len(nodes), min(position[n] for n in nodes), nodes) for nodes in done[c]]
            if active:
                taken = set()
                for nodes in done[c]:
                    taken.update(nodes)
                rest = comp_size[c] - len(taken)
                first = order[comp_start[c]]
                if self.nodes[first] not in taken:
                    smallest = first
                else:
                    smallest = min(position[n] for n in self._component_nodes(c) if n not in taken)
                pieces.append((rest, smallest, (lambda c=c, taken=taken:
                                                [n for n in self._component_nodes(c) if n not in taken])))
            if len(pieces) > 1:
                result.append((c, pieces))
        return result

    @property
    def children(self):
        found = self.__dict__.get("_children")
        if found is None:
            parent, order = self.s["parent"], self.s["order"]
            found = [[] for _ in self.nodes]
            for w in order:
                if parent[w] >= 0:
                    found[parent[w]].append(w)
            self.__dict__["_children"] = found
        return found

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

    def _no_upward_hit(self, node, gone_unit=None):
        data = self.G._node[node]
        target, reason = upward_target(self.G, node, self.county_hospitals())
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
            if hits or cut_off:
                items.append(Item(node, "unit", _sorted(hits), cut_off,
                                  name=self.G._node[node].get("name")))
        return items

    def tie_items(self) -> list[Item]:
        items = []
        ref = self.referral_tables()
        for a, b, data in self.U.edges(data=True):
            a, b = (a, b) if a < b else (b, a)
            rows = data["links"]
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

