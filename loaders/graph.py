"""Turn a validated :class:`~loaders.dataset.Dataset` into the embedded graph.

This is the one place where tables become nodes and relationships; the shape is
documented in :mod:`graphmodel.embedded`.
"""

from __future__ import annotations

import math

import networkx as nx

from graphmodel.embedded import add_link, new_graph
from graphmodel.schema import (
    COVERS, IN_REGION, INSTITUTION_PARENT, MEMBER_OF, ORG_PARENT, REGION_PARENT,
    TABLE_LABEL, WORKS_AT,
)
from loaders.dataset import ROW_COLUMN, Dataset

__all__ = ["build_graph"]

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


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _records(frame):
    """Yield each row of a DataFrame as a dict without blank cells."""
    columns = list(frame.columns)
    for values in frame.itertuples(index=False, name=None):
        yield {c: v for c, v in zip(columns, values) if not _is_blank(v)}


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """Return the embedded graph of a validated dataset.

    Parameters
    ----------
    dataset : Dataset
        A dataset that passed :func:`loaders.validate.validate_dataset`.

    Returns
    -------
    networkx.MultiDiGraph
        The graph described in :mod:`graphmodel.embedded`.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = Dataset("x", tables={"institutions": pd.DataFrame(
    ...     {"id": ["h1"], "name": ["县医院"], "kind": ["county_hospital"],
    ...      "level": ["county"], "_row": [2]})})
    >>> G = build_graph(ds)
    >>> G.nodes["h1"]["label"], G.nodes["h1"]["row"]
    ('Institution', 2)
    """
    G = new_graph(dataset.name)
    for table, label in TABLE_LABEL.items():
        frame = dataset.tables.get(table)
        if frame is None:
            continue
        for record in _records(frame):
            node = record.pop("id")
            record["row"] = int(record.pop(ROW_COLUMN))
            G.add_node(node, label=label, **record)
    for table, column, rel in _REFERENCE_EDGES:
        frame = dataset.tables.get(table)
        if frame is None or column not in frame.columns:
            continue
        for node, value in zip(frame["id"], frame[column]):
            if _is_blank(value):
                continue
            targets = value if isinstance(value, list) else [value]
            for target in targets:
                G.add_edge(node, target, key=rel, type=rel)
    frame = dataset.tables.get("links")
    if frame is not None:
        for index, record in enumerate(_records(frame)):
            record["row"] = int(record.pop(ROW_COLUMN))
            source = record.pop("source_id")
            target = record.pop("target_id")
            link_type = record.pop("type")
            add_link(G, source, target, link_type=link_type, link_index=index, **record)
    frame = dataset.tables.get("services")
    if frame is not None:
        for record in _records(frame):
            record["row"] = int(record.pop(ROW_COLUMN))
            record.setdefault("coordinator_org_id", None)
            G.graph["services"].append(record)
    return G
