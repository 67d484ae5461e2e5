"""Build embedded graphs for the check tests straight from canonical tables.

The rows use canonical keys and values (``village_clinic``, ``full`` ...); list cells
are Python lists or ``;``-joined strings.  This bypasses the file readers so that
each check test states exactly the graph it needs.
"""

from __future__ import annotations

import pandas as pd
import pytest

from orgnet.graphmodel.schema import LIST_COLUMNS, INSTITUTION_KINDS, TABLE_ORDER
from orgnet.loaders.dataset import ROW_COLUMN, Dataset
from orgnet.loaders.graph import build_graph


def graph_of(tables: dict[str, list[dict]], name: str = "test"):
    """Return the embedded graph of canonical ``{table: [row dicts]}``."""
    frames = {}
    for table in TABLE_ORDER:
        rows = tables.get(table)
        if not rows:
            continue
        records = []
        for index, row in enumerate(rows):
            record = {k: (None if v == "" else v) for k, v in row.items()}
            for column in LIST_COLUMNS & set(record):
                if isinstance(record[column], str):
                    record[column] = [p for p in record[column].split(";") if p]
            if table == "institutions" and not record.get("level"):
                record["level"] = INSTITUTION_KINDS[record["kind"]].level
            if table == "links":
                record["count"] = 1 if record.get("count") is None else int(record["count"])
            record[ROW_COLUMN] = index + 2
            records.append(record)
        columns = []
        for record in records:
            columns += [c for c in record if c not in columns]
        frames[table] = pd.DataFrame(records, columns=columns or None, dtype=object)
    if "institutions" not in frames:
        frames["institutions"] = pd.DataFrame(
            columns=["id", "name", "kind", "level", ROW_COLUMN], dtype=object)
    return build_graph(Dataset(name, tables=frames))


@pytest.fixture
def make_graph():
    """The :func:`graph_of` builder."""
    return graph_of
