"""The rows a graph store writes, made from a validated dataset without building the graph.

:func:`dataset_rows` gives the same rows as
``orgnet.graphmodel.neo4j_store.graph_rows(build_graph(dataset))`` (same dicts, so the same
content hash), but makes them a chunk of table rows at a time while the store asks
for them: a load of a million entities holds the tables and one batch, not the
embedded graph plus every row (see :mod:`orgnet.graphmodel.neo4j_store`).  The shape of
the rows is the one :mod:`orgnet.loaders.graph` gives the graph: this module reuses its
column helpers and reference list, so the two cannot drift apart unnoticed (the
tests compare them on every example).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import numpy as np

from orgnet.graphmodel.neo4j_store import GraphRows, row_properties
from orgnet.graphmodel.schema import INSTITUTION, LINK_TYPES, PROVIDES, STAGE, TABLE_LABEL, link_rel_type
from orgnet.loaders.dataset import ROW_COLUMN, Dataset
from orgnet.loaders.graph import _LINK_COLUMNS, _REFERENCE_EDGES, _attribute_dicts, _column, gc_paused

__all__ = ["dataset_rows", "tables_digest", "CHUNK"]

#: Table rows turned into row dicts at a time.
CHUNK = 5000


#: Bumped when the rows made from the same tables change: part of the digest.
ROWS_FORMAT = 1
_NONE = "\x00"


def _text(value) -> str:
    """One cell as text for the digest: blanks, numbers and lists distinguishable."""
    if value is None:
        return _NONE
    kind = type(value)
    if kind is str:
        return value
    return f"{kind.__name__}\x01{value!r}"


def tables_digest(dataset: Dataset) -> str:
    """Return a SHA-256 hex digest of a validated dataset's tables, column by column.

    Every table, column name and cell (with its type) counts, in table and row
    order (row order is content: each row's line number is stored); the dataset
    name does not.  Several times cheaper than hashing every store row, it is
    what :func:`dataset_rows` gives the store to compare a reload with the live
    version.

    Examples
    --------
    >>> import pandas as pd
    >>> a = Dataset("a", tables={"regions": pd.DataFrame({"id": ["r1"], "_row": [2]})})
    >>> b = Dataset("b", tables={"regions": pd.DataFrame({"id": ["r1"], "_row": [2]})})
    >>> tables_digest(a) == tables_digest(b)
    True
    >>> b.tables["regions"].loc[0, "id"] = "r2"
    >>> tables_digest(a) == tables_digest(b)
    False
    """
    digest = hashlib.sha256(f"orgnet-rows-format-{ROWS_FORMAT}\n".encode())
    for table in sorted(dataset.tables):
        frame = dataset.tables[table]
        digest.update(f"\x02table\x02{table}\x02{len(frame)}\x02".encode())
        for column in sorted(frame.columns, key=str):
            digest.update(f"\x03column\x03{column}\x03".encode())
            values = _column(frame, column)
            try:  # a column of text only (the common case) is joined as it is
                text = "\x1f".join(values)
            except TypeError:
                text = "\x1f".join(map(_text, values))
            digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _chunks(frame, size: int = CHUNK):
    for start in range(0, len(frame), size):
        yield frame.iloc[start:start + size]


def dataset_rows(dataset: Dataset, *, source: str = "") -> GraphRows:
    """Return the store rows of a validated dataset, made lazily from its tables.

    Parameters
    ----------
    dataset : Dataset
        A dataset that passed :func:`orgnet.loaders.validate.validate_dataset`.
    source : str
        Where it came from (recorded by the store; default: ``dataset.source``).

    Returns
    -------
    graphmodel.neo4j_store.GraphRows

    Examples
    --------
    >>> import pandas as pd
    >>> ds = Dataset("x", tables={"institutions": pd.DataFrame(
    ...     {"id": ["h1", "c1"], "name": ["县医院", "卫生院"],
    ...      "kind": ["county_hospital", "township_health_center"],
    ...      "level": ["county", "township"], "parent_id": [None, "h1"], "_row": [2, 3]})})
    >>> rows = dataset_rows(ds)
    >>> [(label, [r["id"] for r in group]) for label, group in rows.nodes()]
    [('Region', []), ('Institution', ['h1', 'c1']), ('PartyOrg', []), ('Member', [])]
    >>> [(key, list(group)) for key, group in rows.relationships()]
    [(('BELONGS_TO', 'Institution', 'Institution'), [{'source': 'c1', 'target': 'h1', 'props': {}}])]
    """
    tables = dataset.tables
    labels: dict = {}
    with gc_paused():
        for table, label in TABLE_LABEL.items():
            frame = tables.get(table)
            if frame is not None:
                labels.update(dict.fromkeys(_column(frame, "id"), label))

    def node_rows(table: str, label: str) -> Iterator[dict]:
        frame = tables.get(table)
        if frame is None:
            return
        for chunk in _chunks(frame):
            ids = _column(chunk, "id")
            for node, attrs in zip(ids, _attribute_dicts(chunk, skip=("id",))):
                row = row_properties(attrs, what=f"{label} {node!r}")
                row["id"] = node
                yield row

    def nodes():
        for table, label in TABLE_LABEL.items():
            yield label, node_rows(table, label)

    def reference_rows(table, column, rel, target_label) -> Iterator[dict]:
        frame = tables[table]
        for chunk in _chunks(frame):
            for node, value in zip(_column(chunk, "id"), _column(chunk, column)):
                if value is None:
                    continue
                targets = dict.fromkeys(value) if type(value) is list else (value,)
                for target in targets:
                    if labels[target] == target_label:
                        yield {"source": node, "target": target, "props": {}}

    def link_rows(frame, positions) -> Iterator[dict]:
        rel_of = {t: link_rel_type(t) for t in LINK_TYPES}
        extra_columns = [c for c in frame.columns
                         if c not in _LINK_COLUMNS and c != ROW_COLUMN]
        for start in range(0, len(positions), CHUNK):
            where = positions[start:start + CHUNK]
            chunk = frame.iloc[where]
            size = len(chunk)
            columns = [_column(chunk, c) if c in chunk.columns else [None] * size
                       for c in _LINK_COLUMNS]
            rows = chunk[ROW_COLUMN].to_numpy().tolist()
            extras = (_attribute_dicts(chunk[extra_columns + [ROW_COLUMN]])
                      if extra_columns else None)
            for i, (source, target, link_type, count, period, note, row) in enumerate(
                    zip(*columns, rows)):
                rel = rel_of[link_type]
                attrs = {"link_type": link_type, "link_index": int(where[i]),
                         "count": 1 if count is None else int(count), "period": period,
                         "note": note, "row": int(row)}
                if extras is not None:
                    extra = extras[i]
                    del extra["row"]
                    attrs.update(extra)
                yield {"source": source, "target": target,
                       "props": row_properties(attrs, what=f"{rel} {source!r} -> {target!r}")}

    def service_rows(frame) -> Iterator[dict]:
        for chunk in _chunks(frame):
            for record in _attribute_dicts(chunk):
                yield {"source": record["institution_id"], "target": record["stage"],
                       "props": row_properties(record, what=f"services row {record.get('row')}",
                                               skip=("institution_id", "stage"))}

    def relationships():
        for table, column, rel in _REFERENCE_EDGES:
            frame = tables.get(table)
            if frame is None or column not in frame.columns:
                continue
            source_label = TABLE_LABEL[table]
            found = set()
            for value in _column(frame, column):
                if value is None:
                    continue
                for target in (value if type(value) is list else (value,)):
                    found.add(labels[target])
            for target_label in sorted(found):
                yield (rel, source_label, target_label), reference_rows(
                    table, column, rel, target_label)
        frame = tables.get("services")
        if frame is not None and len(frame):
            yield (PROVIDES, INSTITUTION, STAGE), service_rows(frame)
        frame = tables.get("links")
        if frame is not None and len(frame):
            keys = [(link_rel_type(t), labels[s], labels[d]) for s, d, t in zip(
                _column(frame, "source_id"), _column(frame, "target_id"),
                _column(frame, "type"))]
            groups: dict = {}
            for position, key in enumerate(keys):
                groups.setdefault(key, []).append(position)
            del keys
            for key, positions in groups.items():
                yield key, link_rows(frame, np.asarray(positions, dtype=np.int64))

    size = len(labels)
    for table, column, _ in _REFERENCE_EDGES:
        frame = tables.get(table)
        if frame is not None and column in frame.columns:
            size += int(frame[column].map(
                lambda v: len(v) if type(v) is list else 0 if v is None or v != v else 1).sum())
    size += sum(len(tables[t]) for t in ("links", "services") if tables.get(t) is not None)
    return GraphRows(dataset.name, nodes, relationships,
                     source or getattr(dataset, "source", "") or "", size,
                     digest=lambda: tables_digest(dataset))
