"""The check tables: one dataset as columns, what every check family reads.

A :class:`CheckTables` holds the entities of a dataset by position (one id space:
regions, institutions, party orgs, members), their attributes as columns, the
references as integer positions (``parent``, ``region``, ``org``, ``work``), the
``institution_ids`` pairs (``covers``), the active links and the services rows.
It is built column-wise from the validated tables (:meth:`CheckTables.from_dataset`,
what ``orgnet check PATH`` runs on: no networkx graph) or read off an embedded
graph (:meth:`CheckTables.from_graph`, for graphs edited in memory or read back
from Neo4j); :func:`check_tables` accepts either, so every check is one function
for both.

The checks select their hits with whole-column operations (numpy, pandas) and build
the evidence of each hit with the small lookups below (``covering_orgs``,
``institution_chain`` ...), which mirror :mod:`orgnet.queries._graph` and return sorted ids.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> G = new_graph("demo")
>>> G.add_node("O1", label="PartyOrg", name="党委", kind="committee")
>>> G.add_node("O2", label="PartyOrg", name="支部", kind="branch")
>>> _ = G.add_edge("O2", "O1", key="REPORTS_TO", type="REPORTS_TO")
>>> G.add_node("M1", label="Member", name="王伟", status="full")
>>> _ = G.add_edge("M1", "O2", key="MEMBER_OF", type="MEMBER_OF")
>>> t = check_tables(G)
>>> t.orgs_at_or_below("O1"), t.members_at_or_below("O1"), t.name_of("M1")
(['O1', 'O2'], ['M1'], '王伟')
>>> int(t.count_at_or_below(t.is_member & (t.status == "full"))[t.position("O1")])
1
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orgnet.graphmodel.schema import (
    CONTACT_LINK, COVERS, HEALTH_KINDS, IN_REGION, INSTITUTION, INSTITUTION_PARENT, MEMBER, MEMBER_OF,
    ORG_PARENT, ORG_TIERS, PARTY_ORG, REGION, REGION_PARENT, TABLE_LABEL, WORKS_AT,
)

__all__ = ["CheckTables", "check_tables"]

#: attribute columns kept per entity (absent: None)
ATTRIBUTES = ("name", "kind", "level", "status", "roles", "affiliation")
#: label -> relationship type of its ``parent_id``
_PARENT_REL = {REGION: REGION_PARENT, INSTITUTION: INSTITUTION_PARENT, PARTY_ORG: ORG_PARENT}


def _objects(values) -> np.ndarray:
    """A 1-d object array with blanks (None, NaN) as None (list cells stay lists)."""
    if not isinstance(values, np.ndarray):
        values = list(values)
        values = np.fromiter(values, dtype=object, count=len(values))
    elif values.dtype != object:
        values = values.astype(object)
    missing = pd.isna(values) if values.size else np.zeros(0, dtype=bool)
    if missing.ndim != 1:                     # pragma: no cover - defensive
        raise ValueError("expected a column")
    if missing.any():
        values = values.copy()
        values[missing] = None
    return values


def _frame(columns: dict) -> pd.DataFrame:
    """A DataFrame keeping object columns as objects (pandas >= 3 would infer a string
    dtype and turn None into NaN)."""
    # copy=False: the columns are fresh arrays of ours; consolidating them into 2-d
    # blocks would copy 1.5M-row link columns for nothing
    return pd.DataFrame({name: pd.Series(values, dtype=object, copy=False)
                         if np.asarray(values).dtype == object else values
                         for name, values in columns.items()}, copy=False)


class _CSR:
    """Items grouped by key position: ``items(k)`` is the item positions of key k."""

    def __init__(self, keys: np.ndarray, items: np.ndarray, size: int):
        order = np.argsort(keys, kind="stable")
        self.items = items[order]
        self.ptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys, minlength=size), out=self.ptr[1:])

    def of(self, key: int) -> np.ndarray:
        return self.items[self.ptr[key]:self.ptr[key + 1]]

    def counts(self) -> np.ndarray:
        return np.diff(self.ptr)


class CheckTables:
    """One dataset as columns (see the module docstring).

    Attributes
    ----------
    dataset : str
    ids : numpy.ndarray of str
        Entity ids by position.
    label, name, kind, level, status, roles, affiliation : numpy.ndarray of object
        Per entity (None where absent).
    parent, region, org, work : numpy.ndarray of int64
        Positions of the ``parent_id`` entity, an institution's region, a member's
        ``org_id`` org and ``institution_id`` workplace; -1 for none.
    covers_org, covers_inst : numpy.ndarray of int64
        One pair per ``institution_ids`` entry (org, institution).
    links : pandas.DataFrame
        The active links (``count != 0``) in links-table order: ``source``,
        ``target`` (positions), ``link_type``, ``count``, ``link_index``.
    services : pandas.DataFrame
        ``institution`` (position), ``institution_id``, ``stage``,
        ``coordinator_org_id``, ``row``.
    idle_contacts : numpy.ndarray of int64
        Per entity: the ``contact`` rows with count 0 ending at it.
    """

    def __init__(self, dataset, ids, label, attributes, parent, region, org, work,
                 covers_org, covers_inst, links, services, idle_contact_targets=(),
                 clean=False):
        # clean: ids, label and attributes are object arrays with blanks as None already
        # (from_dataset); scanning 1M-row columns for blanks again costs ~30 ms each
        tidy = (lambda values: values) if clean else _objects
        self.dataset = dataset
        self.ids = tidy(ids)
        self.size = len(self.ids)
        self.label = tidy(label)
        for key in ATTRIBUTES:
            setattr(self, key, tidy(attributes[key]) if key in attributes
                    else np.full(self.size, None, dtype=object))
        self.parent = np.asarray(parent, dtype=np.int64)
        self.region = np.asarray(region, dtype=np.int64)
        self.org = np.asarray(org, dtype=np.int64)
        self.work = np.asarray(work, dtype=np.int64)
        self.covers_org = np.asarray(covers_org, dtype=np.int64)
        self.covers_inst = np.asarray(covers_inst, dtype=np.int64)
        self.links = links
        self.services = services
        self.idle_contacts = np.bincount(np.asarray(idle_contact_targets, dtype=np.int64),
                                         minlength=self.size)
        self.memo: dict = {}

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_dataset(cls, dataset) -> "CheckTables":
        """Return the check tables of a validated :class:`orgnet.loaders.dataset.Dataset`.

        Examples
        --------
        >>> import pandas as pd
        >>> from orgnet.loaders.dataset import Dataset
        >>> ds = Dataset("x", tables={"institutions": pd.DataFrame(
        ...     {"id": ["h1", "c1"], "name": ["县医院", "卫生院"],
        ...      "kind": ["county_hospital", "township_health_center"],
        ...      "level": ["county", "township"], "parent_id": [None, "h1"], "_row": [2, 3]})})
        >>> t = CheckTables.from_dataset(ds)
        >>> t.institution_chain("c1"), t.health_institutions()
        (['c1', 'h1'], ['c1', 'h1'])
        """
        tables = dataset.tables
        frames = [(label, tables[table]) for table, label in TABLE_LABEL.items()
                  if tables.get(table) is not None]
        ids = np.concatenate([f["id"].to_numpy(dtype=object) for _, f in frames]) \
            if frames else np.zeros(0, dtype=object)
        size = len(ids)
        index = pd.Index(ids)
        labels = np.concatenate([np.full(len(f), label, dtype=object) for label, f in frames]) \
            if frames else np.zeros(0, dtype=object)

        bounds = np.cumsum([0] + [len(f) for _, f in frames]).tolist()

        def parts(name, frame_filter=None):
            """``(start, values)`` of the frames holding the column, blanks as None: only
            those parts are scanned (most columns exist in one or two tables)."""
            return [(bounds[k], _objects(frame[name].to_numpy(dtype=object)))
                    for k, (label, frame) in enumerate(frames)
                    if name in frame.columns and (frame_filter is None or label in frame_filter)]

        def column(name):
            found = np.full(size, None, dtype=object)
            for start, values in parts(name):
                found[start:start + len(values)] = values
            return found

        def positions(name, frame_filter):
            found = np.full(size, -1, dtype=np.int64)
            for start, values in parts(name, frame_filter):
                present = np.flatnonzero(values != None)      # noqa: E711 (element-wise)
                if len(present):
                    found[start + present] = index.get_indexer(values[present])
            return found

        attributes = {key: column(key) for key in ATTRIBUTES}
        parent = positions("parent_id", {REGION, INSTITUTION, PARTY_ORG})
        region = positions("region_id", {INSTITUTION})
        org = positions("org_id", {MEMBER})
        work = positions("institution_id", {MEMBER})
        covers_org, covers_inst = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        orgs = tables.get("party_orgs")
        if orgs is not None and "institution_ids" in orgs.columns:
            lists = orgs["institution_ids"].to_numpy(dtype=object)
            start = int(index.get_loc(orgs["id"].iloc[0])) if len(orgs) else 0
            lengths = np.fromiter((len(v) if isinstance(v, list) else 0 for v in lists),
                                  dtype=np.int64, count=len(lists))
            covers_org = np.repeat(np.arange(start, start + len(orgs), dtype=np.int64), lengths)
            flat = [x for v in lists if isinstance(v, list) for x in v]
            covers_inst = index.get_indexer(np.asarray(flat, dtype=object)) if flat \
                else np.zeros(0, dtype=np.int64)
        links, idle = _links_frame(tables.get("links"), index)
        services = _services_frame(tables.get("services"), index)
        tables = cls(dataset.name, _objects(ids), labels, attributes, parent, region, org, work,
                     covers_org, covers_inst, links, services, idle, clean=True)
        tables.memo["index"] = index        # its hash table serves position() (see _lookup)
        return tables

    @classmethod
    def from_graph(cls, G) -> "CheckTables":
        """Return the check tables of an embedded graph (:mod:`orgnet.graphmodel.embedded`).

        References come from the structure edges, or, where a node has none, from
        its ``parent_id`` / ``region_id`` attribute (hand-built graphs).
        """
        from orgnet.queries.connectivity import active_links

        nodes, succ = G._node, G._adj
        ids = list(nodes)
        position = {n: i for i, n in enumerate(ids)}
        label = [d.get("label") for d in nodes.values()]
        attributes = {key: [d.get(key) for d in nodes.values()] for key in ATTRIBUTES}

        def first(node, rel, fallback=None):
            found = [v for v, keyed in succ[node].items() if rel in keyed]
            if found:
                return position[min(found)]
            if fallback is not None:
                value = nodes[node].get(fallback)
                if isinstance(value, str) and value in position:
                    return position[value]
            return -1

        parent, region, org, work = [], [], [], []
        covers_org, covers_inst = [], []
        for i, (node, data) in enumerate(nodes.items()):
            kind = data.get("label")
            rel = _PARENT_REL.get(kind)
            parent.append(first(node, rel, "parent_id") if rel else -1)
            region.append(first(node, IN_REGION, "region_id") if kind == INSTITUTION else -1)
            org.append(first(node, MEMBER_OF))
            work.append(first(node, WORKS_AT))
            for v, keyed in succ[node].items():
                if COVERS in keyed:
                    covers_org.append(i)
                    covers_inst.append(position[v])
        active = active_links(G)
        links = _frame({
            "source": np.asarray([position[u] for u, _, _ in active], dtype=np.int64),
            "target": np.asarray([position[v] for _, v, _ in active], dtype=np.int64),
            "link_type": np.asarray([d["link_type"] for _, _, d in active], dtype=object),
            "count": np.asarray([int(d.get("count", 1)) for _, _, d in active], dtype=np.int64),
            "link_index": np.asarray([d["link_index"] for _, _, d in active], dtype=np.int64),
        })
        rows = G.graph.get("services", [])
        services = _frame({
            "institution": np.asarray([position.get(r["institution_id"], -1) for r in rows],
                                      dtype=np.int64),
            "institution_id": np.asarray([r["institution_id"] for r in rows], dtype=object),
            "stage": np.asarray([r["stage"] for r in rows], dtype=object),
            "coordinator_org_id": np.asarray([r.get("coordinator_org_id") for r in rows],
                                             dtype=object),
            "row": np.asarray([r.get("row") for r in rows], dtype=object),
        })
        idle = [position[v] for u, nbrs in succ.items() for v, keyed in nbrs.items()
                for d in keyed.values()
                if "link_index" in d and d.get("count", 1) == 0 and d["link_type"] == CONTACT_LINK]
        return cls(G.graph.get("dataset", ""), ids, label, attributes, parent, region, org, work,
                   covers_org, covers_inst, links, services, idle)

    # ----------------------------------------------------------------- masks and columns
    @property
    def is_institution(self) -> np.ndarray:
        return self._label_mask(INSTITUTION)

    @property
    def is_org(self) -> np.ndarray:
        return self._label_mask(PARTY_ORG)

    @property
    def is_member(self) -> np.ndarray:
        return self._label_mask(MEMBER)

    @property
    def is_region(self) -> np.ndarray:
        return self._label_mask(REGION)

    def _label_mask(self, label) -> np.ndarray:
        key = ("label", label)
        if key not in self.memo:
            self.memo[key] = self.label == label
        return self.memo[key]

    def kind_in(self, kinds) -> np.ndarray:
        """Boolean column: the entity's kind is one of ``kinds`` (computed once per set)."""
        key = ("kind in", frozenset(kinds))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.in_values(self.kind, kinds)
        return found

    def link_is(self, link_type: str) -> np.ndarray:
        """Boolean column over :attr:`links`: rows of one link type (computed once)."""
        key = ("link type", link_type)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.links["link_type"].to_numpy() == link_type
        return found

    def in_values(self, column: np.ndarray, values) -> np.ndarray:
        """Boolean column: the value is one of ``values``.

        A whole ``kind`` / ``status`` / ``level`` / ``label`` column is compared through its
        codes (factorized once): ``np.isin`` on a 1M-row object column hashes or sorts
        Python strings on every call.
        """
        values = list(values)
        if not values:
            return np.zeros(len(column), dtype=bool)
        for name in ("kind", "status", "level", "label"):
            if column is getattr(self, name, None) and not any(v is None for v in values):
                try:
                    codes, distinct = self._codes(name)
                except TypeError:                  # unhashable values (hand-built graphs)
                    break
                wanted = np.flatnonzero(pd.Index(distinct, dtype=object).isin(values))
                return np.isin(codes, wanted)
        return np.isin(column, np.asarray(values, dtype=object))

    def _codes(self, name):
        """``pd.factorize`` of a whole attribute column (blanks: code -1), computed once."""
        key = ("codes", name)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = pd.factorize(getattr(self, name))
        return found

    @property
    def is_health(self) -> np.ndarray:
        key = "health"
        if key not in self.memo:
            self.memo[key] = self.is_institution & self.kind_in(HEALTH_KINDS)
        return self.memo[key]

    def sorted_ids(self, mask) -> list[str]:
        """Ids of the entities where ``mask`` holds, sorted."""
        return sorted(self.ids[np.flatnonzero(mask)].tolist())

    def id_rank(self) -> np.ndarray:
        """Per entity: the rank of its id among all ids (sorting by it sorts by id).

        Computed once with Python's ``sorted`` (ids come nearly sorted table by table,
        which its merge sort exploits: ~0.1 s at 1M ids, against ~0.2 s for
        ``np.argsort`` of the object column); it lets whole-column sorts break ties by id
        on integers.
        """
        found = self.memo.get("id rank")
        if found is None:
            ids = self.ids.tolist()
            order = np.fromiter(sorted(range(self.size), key=ids.__getitem__), dtype=np.int64,
                                count=self.size)
            found = self.memo["id rank"] = np.empty(self.size, dtype=np.int64)
            found[order] = np.arange(self.size)
        return found

    def role_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """``(member positions, roles)``: one pair per role held (a ``roles`` cell that is a
        string counts as one role), computed once; the role checks test whole columns."""
        found = self.memo.get("role pairs")
        if found is None:
            where = np.flatnonzero(self.is_member & (self.roles != None))   # noqa: E711
            cells = [[r] if isinstance(r, str) else r for r in self.roles[where].tolist()]
            lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
            flat = [role for cell in cells for role in cell]
            found = self.memo["role pairs"] = (np.repeat(where, lengths),
                                               np.asarray(flat, dtype=object))
        return found

    def position(self, node: str) -> int:
        """Position of an id (KeyError when absent)."""
        return self._lookup()(node)

    def _lookup(self):
        """The id -> position function: the hash table of the ids' ``pd.Index`` built
        when reading (``from_dataset``), else one dict.  Building a dict of 1M ids costs
        ~0.4 s of fresh memory, more than all the per-hit lookups of a run together."""
        found = self.memo.get("lookup")
        if found is None:
            index = self.memo.get("index")
            if index is not None and index.is_unique:
                # get_loc costs ~0.5 us; the checks ask for the same few ids (regions,
                # parents, orgs) again and again, so answers are kept in a small dict
                get_loc, seen = index.get_loc, {}

                def found(node):
                    at = seen.get(node)
                    if at is None:
                        at = seen[node] = get_loc(node)
                    return at
            else:
                found = self._positions().__getitem__
            self.memo["lookup"] = found
        return found

    def _positions(self) -> dict:
        found = self.memo.get("positions")
        if found is None:               # one dict: per-hit lookups are the hot path
            found = self.memo["positions"] = dict(zip(self.ids.tolist(), range(self.size)))
        return found

    def __contains__(self, node) -> bool:
        try:
            self._lookup()(node)
        except (KeyError, TypeError, pd.errors.InvalidIndexError):
            return False
        return True

    # ----------------------------------------------------------------- grouped references
    def _csr(self, name):
        if name not in self.memo:
            if name == "covering":          # institution -> orgs
                self.memo[name] = _CSR(self.covers_inst, self.covers_org, self.size)
            elif name == "covered":         # org -> institutions
                self.memo[name] = _CSR(self.covers_org, self.covers_inst, self.size)
            else:                           # children / members / workers / region children
                column = {"children": self.parent, "members": self.org, "workers": self.work,
                          "placed": self.region}[name]
                where = np.flatnonzero(column >= 0)
                self.memo[name] = _CSR(column[where], where, self.size)
        return self.memo[name]

    def covering_count(self) -> np.ndarray:
        """Per entity: the number of ``institution_ids`` entries naming it."""
        return self._csr("covering").counts()

    def covered_count(self) -> np.ndarray:
        return self._csr("covered").counts()

    def count_at_or_below(self, mask) -> np.ndarray:
        """Per org: the number of members where ``mask`` holds whose ``org_id`` is it or below it.

        One bottom-up pass over the orgs, deepest first (linear in the number of orgs,
        whatever the depth of the party hierarchy).
        """
        total = np.bincount(self.org[mask & (self.org >= 0)], minlength=self.size).tolist()
        parent = self.parent_list()
        for org in self.deepest_first(self.is_org).tolist():
            up = parent[org]
            if up >= 0:
                total[up] += total[org]
        return np.asarray(total, dtype=np.int64)

    def parent_list(self) -> list:
        """:attr:`parent` as a list (fast to index one at a time)."""
        found = self.memo.get("parent list")
        if found is None:
            found = self.memo["parent list"] = self.parent.tolist()
        return found

    def depths(self) -> np.ndarray:
        """Per entity: the number of ``parent_id`` steps to the top of its chain.

        Pointer jumping (log of the depth passes over whole columns); a chain that
        loops (rejected when loading) is cut after 64 doublings.
        """
        found = self.memo.get("depths")
        if found is None:
            has = self.parent >= 0
            up = np.where(has, self.parent, np.arange(self.size))
            depth = has.astype(np.int64)
            for _ in range(64):
                if not (up != up[up]).any():
                    break
                depth = depth + depth[up]           # a top has depth 0 and points at itself
                up = up[up]
            found = self.memo["depths"] = depth
            self.memo["tops"] = up
        return found

    def tops(self) -> np.ndarray:
        """Per entity: the position of the top of its ``parent_id`` chain (itself at the top)."""
        self.depths()
        return self.memo["tops"]

    def deepest_first(self, mask) -> np.ndarray:
        """Positions where ``mask`` holds, deepest in their ``parent_id`` chain first."""
        where = np.flatnonzero(mask)
        return where[np.argsort(-self.depths()[where], kind="stable")]

    def _members_below(self, org: int, mask) -> list[int]:
        found = []
        for unit in self._below(org, "children", include=True):
            found += [m for m in self._csr("members").of(unit).tolist() if mask[m]]
        return found

    def _below(self, node: int, csr: str, include=False) -> list[int]:
        seen = {node}
        todo = [node]
        out = [node] if include else []
        groups = self._csr(csr)
        while todo:
            for child in groups.of(todo.pop()).tolist():
                if child not in seen:
                    seen.add(child)
                    out.append(child)
                    todo.append(child)
        return out

    # ----------------------------------------------------------------- lookups by id
    def get(self, node: str, attribute: str):
        return getattr(self, attribute)[self.position(node)]

    def name_of(self, node: str) -> str:
        """A node's name, or its id when it has none."""
        name = self.name[self.position(node)]
        return str(node if name is None else name)

    def kind_of(self, node: str):
        return self.kind[self.position(node)]

    def level_of(self, node: str):
        return self.level[self.position(node)]

    def label_of(self, node: str):
        return self.label[self.position(node)]

    def roles_of(self, node: str) -> list[str]:
        roles = self.roles[self.position(node)] or []
        if isinstance(roles, str):
            roles = [roles]
        return list(roles)

    def _id(self, i: int):
        return None if i < 0 else self.ids[i]

    def _sorted(self, positions) -> list[str]:
        return sorted(self.ids[positions].tolist()) if len(positions) else []

    def covering_orgs(self, institution: str) -> list[str]:
        return self._sorted(self._csr("covering").of(self.position(institution)))

    def covered_institutions(self, org: str) -> list[str]:
        return self._sorted(self._csr("covered").of(self.position(org)))

    def direct_members(self, org: str) -> list[str]:
        return self._sorted(self._csr("members").of(self.position(org)))

    def workers(self, institution: str, statuses=None) -> list[str]:
        found = self._csr("workers").of(self.position(institution))
        if statuses is not None:
            found = found[self.in_values(self.status[found], statuses)]
        return self._sorted(found)

    def org_parent(self, org: str):
        return self._id(self.parent[self.position(org)])

    institution_parent = org_parent

    def region_of(self, institution: str):
        return self._id(self.region[self.position(institution)])

    def _chain(self, node: str) -> list[str]:
        parent = self.parent_list()
        i = self.position(node)
        chain = [i]
        seen = {i}
        p = parent[i]
        while p >= 0 and p not in seen:        # a cycle (rejected on loading) stops the walk
            chain.append(p)
            seen.add(p)
            p = parent[p]
        ids = self.ids
        return [ids[j] for j in chain]

    def org_chain(self, org: str) -> list[str]:
        return self._chain(org)

    institution_chain = region_chain = org_chain

    def orgs_at_or_below(self, org: str) -> list[str]:
        return self._sorted(np.asarray(self._below(self.position(org), "children", True)))

    def institutions_below(self, institution: str) -> list[str]:
        return self._sorted(np.asarray(self._below(self.position(institution), "children"),
                                       dtype=np.int64))

    def members_at_or_below(self, org: str, statuses=None) -> list[str]:
        key = ("status mask", None if statuses is None else frozenset(statuses))
        mask = self.memo.get(key)
        if mask is None:
            mask = self.memo[key] = np.ones(self.size, dtype=bool) if statuses is None else \
                self.in_values(self.status, statuses)
        return self._sorted(np.asarray(self._members_below(self.position(org), mask),
                                       dtype=np.int64))

    def full_members_at_or_below(self, org: str) -> list[str]:
        from orgnet.graphmodel.schema import FULL_STATUS

        return self.members_at_or_below(org, {FULL_STATUS})

    def ids_with_label(self, label) -> list[str]:
        key = ("ids", label)
        if key not in self.memo:
            self.memo[key] = self.sorted_ids(self._label_mask(label))
        return self.memo[key]

    def org_ids(self) -> list[str]:
        return self.ids_with_label(PARTY_ORG)

    def health_institutions(self) -> list[str]:
        key = ("ids", "health")
        if key not in self.memo:
            self.memo[key] = self.sorted_ids(self.is_health)
        return self.memo[key]

    def join_preference(self, org: str) -> tuple:
        tier = ORG_TIERS.get(self.kind_of(org), len(ORG_TIERS))
        return ({2: 0, 1: 1, 0: 2}.get(tier, 3), org)

    def preferred_org(self, orgs) -> str | None:
        orgs = list(orgs)
        if not orgs:
            return None
        return min(orgs, key=self.join_preference)


def _links_frame(frame, index):
    """The active links of a links table as positions (count-0 rows left out), and the
    targets of the count-0 ``contact`` rows."""
    if frame is None or len(frame) == 0:
        return _frame({"source": np.zeros(0, dtype=np.int64),
                             "target": np.zeros(0, dtype=np.int64),
                             "link_type": np.zeros(0, dtype=object),
                             "count": np.zeros(0, dtype=np.int64),
                             "link_index": np.zeros(0, dtype=np.int64)}), []
    if "count" in frame.columns and frame["count"].dtype.kind in "iu":
        counts = frame["count"].to_numpy(dtype=np.int64)     # no blank: no object detour
    else:
        counts = frame["count"].to_numpy(dtype=object) if "count" in frame.columns else \
            np.full(len(frame), None, dtype=object)
        blank = pd.isna(counts)
        if blank.any():
            counts = counts.copy()
            counts[blank] = 1
        counts = counts.astype(np.int64)
    active = np.flatnonzero(counts != 0)
    types = frame["type"].to_numpy(dtype=object)
    idle = np.flatnonzero((counts == 0) & (types == CONTACT_LINK))
    idle_targets = index.get_indexer(frame["target_id"].to_numpy(dtype=object)[idle])
    return _frame({
        "source": index.get_indexer(frame["source_id"].to_numpy(dtype=object)[active]),
        "target": index.get_indexer(frame["target_id"].to_numpy(dtype=object)[active]),
        "link_type": types[active],
        "count": counts[active],
        "link_index": active.astype(np.int64),
    }), idle_targets


def _services_frame(frame, index) -> pd.DataFrame:
    if frame is None or len(frame) == 0:
        return _frame({"institution": np.zeros(0, dtype=np.int64),
                             "institution_id": np.zeros(0, dtype=object),
                             "stage": np.zeros(0, dtype=object),
                             "coordinator_org_id": np.zeros(0, dtype=object),
                             "row": np.zeros(0, dtype=object)})
    ids = frame["institution_id"].to_numpy(dtype=object)
    coordinator = _objects(frame["coordinator_org_id"].to_numpy(dtype=object)) \
        if "coordinator_org_id" in frame.columns else np.full(len(frame), None, dtype=object)
    from orgnet.loaders.dataset import ROW_COLUMN

    return _frame({
        "institution": index.get_indexer(ids), "institution_id": ids,
        "stage": frame["stage"].to_numpy(dtype=object), "coordinator_org_id": coordinator,
        "row": np.asarray([int(r) for r in frame[ROW_COLUMN].tolist()], dtype=object),
    })


def check_tables(source) -> CheckTables:
    """Return the check tables of a :class:`CheckTables` (itself) or an embedded graph.

    For a graph they are built once per run (``orgnet.queries.connectivity.memoized``).
    """
    if isinstance(source, CheckTables):
        return source
    from orgnet.queries.connectivity import memoized

    return memoized(source, "check_tables", CheckTables.from_graph)
