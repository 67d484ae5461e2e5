"""The validated, normalized tables of one dataset.

Every reader (CSV directory, XLSX workbook, JSON file) produces the same
:class:`Dataset`; the validator checks it; :func:`orgnet.loaders.graph.build_graph`
turns it into the embedded graph and the Neo4j store writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Dataset", "ROW_COLUMN"]

#: Column holding each record's spreadsheet row (the header is row 1).
ROW_COLUMN = "_row"


@dataclass
class Dataset:
    """The tables of one dataset, with canonical column names and values.

    After validation:

    - ``tables`` maps each present table name (``schema.TABLE_ORDER``) to a
      DataFrame whose columns are canonical keys (``id``, ``name``, ``kind`` ...),
      plus extra columns kept as strings and :data:`ROW_COLUMN`.
    - vocabulary cells hold canonical keys (``village_clinic``, ``full`` ...);
      ``institutions.level`` is filled with the kind's default level where blank;
    - list cells (``institution_ids``, ``roles``) hold Python lists of strings;
    - ``links.count`` holds ints (blank means 1); empty optional cells are None.

    Attributes
    ----------
    name : str
        Dataset name (default: the file or directory stem).
    tables : dict of str to pandas.DataFrame
    files : dict of str to str
        Table name -> how errors name its source (``institutions.csv``,
        ``county.xlsx[机构]``).
    source : str
        The path the dataset was read from.
    warnings : list of str
        Located lines worth showing that did not stop the load.
    notes : list of loaders.problems.Problem
        What reading noticed without it being an error (a skipped title row ...).
    """

    name: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    source: str = ""
    #: warnings of the reader (hidden sheets and rows, the encoding used ...)
    warnings: list[str] = field(default_factory=list)
    notes: list = field(default_factory=list)

    def table(self, name: str) -> pd.DataFrame:
        """Return a table, or an empty DataFrame if the dataset has none."""
        frame = self.tables.get(name)
        if frame is None:
            return pd.DataFrame()
        return frame
