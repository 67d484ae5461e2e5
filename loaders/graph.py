"""Turn a validated :class:`~loaders.dataset.Dataset` into the embedded graph.

This is the one place where tables become nodes and relationships; the shape is
documented in :mod:`orgnet.graphmodel.embedded`.
"""

from __future__ import annotations

import contextlib
import gc
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from orgnet.graphmodel.embedded import new_graph
from orgnet.graphmodel.schema import (
    COVERS, IN_REGION, INSTITUTION_PARENT, LINK_TYPES, MEMBER_OF, ORG_PARENT,
    REGION_PARENT, TABLE_LABEL, WORKS_AT, link_rel_type,
)
from orgnet.loaders.dataset import ROW_COLUMN, Dataset

if TYPE_CHECKING:  # annotations only: networkx is imported where a graph is built
    import networkx as nx

__all__ = ["build_graph", "gc_paused"]

#: (table, column, relationship type) for every reference that becomes an edge
_REFERENCE_EDGES = (
    ("regions", "parent_id", REGION_PARENT),
    ("institutions", "parent_id", INSTITUTION_PARENT),
    ("institutions", "region_id", IN_REGION),
    ("party_orgs", "parent_id", ORG_PARENT),
    ("party_orgs", "institution_ids", COVERS),
    ("members", "org_id", MEMBER_OF),
    ("members", "institution_id", WORKS_AT),
)
#: link columns that become named attributes of the link edge (the rest are extras)
_LINK_COLUMNS = ("source_id", "target_id", "type", "count", "period", "note")


def _column(frame, column) -> list:
    """Return a column as a list of Python objects, blanks (None or NaN) as None."""
    values = frame[column].to_numpy(dtype=object)
    missing = pd.isna(values)
    if missing.any() and not np.equal(values[missing], None).all():
        values = values.copy()
        values[missing] = None
    return values.tolist()


def _attribute_dicts(frame, skip=()) -> list[dict]:
    """Return one dict per row holding its non-blank cells (``_row`` becomes ``row``)."""
    rows = frame[ROW_COLUMN].to_numpy().tolist()
    dicts = [{"row": int(r)} for r in rows]
    for column in frame.columns:
        if column == ROW_COLUMN or column in skip:
            continue
        values = frame[column].to_numpy(dtype=object)
        present = ~pd.isna(values)
        if present.all():
            for attributes, value in zip(dicts, values.tolist()):
                attributes[column] = value
        elif present.any():
            where = np.flatnonzero(present)
            for i, value in zip(where.tolist(), values[where].tolist()):
                dicts[i][column] = value
    return dicts


def _add_nodes(G: nx.MultiDiGraph, nodes) -> None:
    """Add ``(node, attributes)`` pairs of distinct new nodes, keeping the dicts given.

    Writes networkx's node and adjacency dicts directly (what ``add_nodes_from``
    does, without copying each attribute dict): valid on a fresh graph only.
    """
    node_dict, succ, pred = G._node, G._succ, G._pred
    for node, attributes in nodes:
        node_dict[node] = attributes
        succ[node] = {}
        pred[node] = {}


def _add_reference_edges(G: nx.MultiDiGraph, ids, values, rel: str) -> None:
    """Add a ``rel`` edge from each id to the id(s) in its cell (None: no edge).

    Writes networkx's adjacency dicts directly, as ``add_edges_from`` does without
    its per-edge checks (several times faster on millions of edges).  Valid only on
    a graph holding every endpoint, which is what :func:`build_graph` has.
    """
    succ, pred = G._succ, G._pred
    for node, value in zip(ids, values):
        if value is None:
            continue
        for target in (value if type(value) is list else (value,)):
            keydict = succ[node].get(target)
            if keydict is None:
                keydict = succ[node][target] = pred[target][node] = {}
            keydict[rel] = {"type": rel}


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building millions of containers.

    Every few hundred allocations the collector walks the objects made so far; on a
    large dataset that walk, not the work, takes most of the time (more than half
    of ``build_graph`` on 100,000 entities).  The structures built are not cyclic
    garbage, so nothing is lost by collecting once at the end instead.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """Return the embedded graph of a validated dataset.

    Parameters
    ----------
    dataset : Dataset
        A dataset that passed :func:`orgnet.loaders.validate.validate_dataset`.

    Returns
    -------
    networkx.MultiDiGraph
        The graph described in :mod:`orgnet.graphmodel.embedded`.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = Dataset("x", tables={"institutions": pd.DataFrame(
    ...     {"id": ["h1", "c1"], "name": ["县医院", "卫生院"],
    ...      "kind": ["county_hospital", "township_health_center"],
    ...      "level": ["county", "township"], "parent_id": [None, "h1"], "_row": [2, 3]}),
    ...     "links": pd.DataFrame({"source_id": ["c1"], "target_id": ["h1"],
    ...      "type": ["referral"], "count": [4], "_row": [2]})})
    >>> G = build_graph(ds)
    >>> G.nodes["h1"]["label"], G.nodes["h1"]["row"]
    ('Institution', 2)
    >>> sorted(G.edges("c1", keys=True), key=str)
    [('c1', 'h1', 'BELONGS_TO'), ('c1', 'h1', ('REFERRAL', 0))]
    >>> G.edges["c1", "h1", ("REFERRAL", 0)]["count"]
    4
    """
    with gc_paused():
        return _build(dataset)


def _build(dataset: Dataset) -> nx.MultiDiGraph:
    G = new_graph(dataset.name)
    for table, label in TABLE_LABEL.items():
        frame = dataset.tables.get(table)
        if frame is None:
            continue
        ids = _column(frame, "id")
        dicts = _attribute_dicts(frame, skip=("id",))
        for attributes in dicts:
            attributes["label"] = label
        _add_nodes(G, zip(ids, dicts))
    for table, column, rel in _REFERENCE_EDGES:
        frame = dataset.tables.get(table)
        if frame is None or column not in frame.columns:
            continue
        _add_reference_edges(G, _column(frame, "id"), _column(frame, column), rel)
    frame = dataset.tables.get("links")
    if frame is not None:
        _add_links(G, frame)
    frame = dataset.tables.get("services")
    if frame is not None:
        for record in _attribute_dicts(frame):
            record.setdefault("coordinator_org_id", None)
            G.graph["services"].append(record)
    return G


def _add_links(G: nx.MultiDiGraph, frame) -> None:
    """Add the link rows as edges keyed ``(REL_TYPE, link_index)`` (see ``add_link``)."""
    size = len(frame)
    columns = [_column(frame, c) if c in frame.columns else [None] * size
               for c in ("source_id", "target_id", "type", "count", "period", "note")]
    rows = frame[ROW_COLUMN].to_numpy().tolist()
    extra_columns = [c for c in frame.columns if c not in _LINK_COLUMNS and c != ROW_COLUMN]
    extras = _attribute_dicts(frame[extra_columns + [ROW_COLUMN]]) if extra_columns else None
    rel_of = {t: link_rel_type(t) for t in LINK_TYPES}
    succ, pred = G._succ, G._pred
    for index, (source, target, link_type, count, period, note, row) in enumerate(
            zip(*columns, rows)):
        rel = rel_of[link_type]
        attributes = {"type": rel, "link_type": link_type, "link_index": index,
                      "count": 1 if count is None else int(count), "period": period,
                      "note": note, "row": int(row)}
        if extras is not None:
            extra = extras[index]
            del extra["row"]
            attributes.update(extra)
        keydict = succ[source].get(target)
        if keydict is None:
            keydict = succ[source][target] = pred[target][source] = {}
        keydict[(rel, index)] = attributes
