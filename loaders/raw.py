"""What every reader produces: raw tables with canonical column names.

A reader (CSV directory, XLSX workbook, JSON file) turns its container into a
:class:`RawDataset`: one :class:`RawTable` per table found, every cell a trimmed
string (``""`` when blank), headers mapped to canonical keys (English or the
Chinese headers of the format, section 4), and the problems met while reading.
The validator (:mod:`orgnet.loaders.validate`) takes it from there.

Examples
--------
>>> table_name("机构"), table_name("Links"), table_name("notes")
('institutions', 'links', None)
>>> columns, problems = map_headers(["编号", "name", "类型", "备用电话"], "x.csv", [True] * 4)
>>> columns, problems
(['id', 'name', 'kind', '备用电话'], [])
>>> columns, problems = map_headers(["name", "名称"], "x.csv", [True, True])
>>> print(problems[0])
x.csv:1: column '名称': column '名称' means the same as column 'name' (column 1); keep one
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from orgnet.graphmodel.schema import (
    HEADER_ALIASES, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TABLE_ALIASES, TABLES,
)
from orgnet.loaders.dataset import ROW_COLUMN
from orgnet.loaders.problems import Problem

__all__ = ["RawTable", "RawDataset", "table_name", "column_key", "map_headers", "cell_text",
           "strip_cells", "text_column", "frame_from_rows", "COLUMN_KEYS", "RESERVED_COLUMNS"]

#: every canonical column key of any table
COLUMN_KEYS = frozenset(c for t in TABLES for c in REQUIRED_COLUMNS[t] + OPTIONAL_COLUMNS[t])
#: names an extra column may not take: they are node or edge attributes orgnet sets
#: itself (``label``, ``row``), keys of link edges, or properties of the Neo4j store.
RESERVED_COLUMNS = frozenset({"label", "row", ROW_COLUMN, "link_index", "link_type",
                              "key", "dataset", "graph"})


class ReadWarning(str):
    """A reader's warning: the English line (the string itself) and its Chinese ``zh``.

    Examples
    --------
    >>> w = ReadWarning("x.xlsx[机构]: the sheet is hidden", "x.xlsx[机构]：工作表在 Excel 中被隐藏")
    >>> str(w), w.zh
    ('x.xlsx[机构]: the sheet is hidden', 'x.xlsx[机构]：工作表在 Excel 中被隐藏')
    """

    zh: str

    def __new__(cls, en: str, zh: str | None = None):
        self = super().__new__(cls, en)
        self.zh = zh if zh is not None else en
        return self

    def line(self, lang: str = "en") -> str:
        """Return the warning in English (``en``) or Chinese (``zh``)."""
        return self.zh if lang == "zh" else str(self)


@dataclass
class RawTable:
    """One table as read: canonical column names, trimmed string cells.

    Attributes
    ----------
    table : str
        Canonical table name (``institutions`` ...).
    file : str
        How problems name the source (``机构.csv``, ``county.xlsx[机构]``).
    frame : pandas.DataFrame
        String cells (``""`` when blank) under canonical keys or, for extra
        columns, the header as written; plus :data:`~loaders.dataset.ROW_COLUMN`
        (int, the spreadsheet row).
    headers : dict of str to str
        Column name in ``frame`` -> header as written in the file.
    sheet : str or None
        The worksheet's title, for a table read from a workbook.
    positions : dict of str to int
        Header as written -> its spreadsheet column (1 is A), for cell references.
    """

    table: str
    file: str
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    #: True when the reader proved no cell holds a control character (the validator
    #: then skips that scan)
    clean: bool = False
    sheet: str | None = None
    positions: dict[str, int] = field(default_factory=dict)

    def header(self, column: str) -> str:
        """Return the header as written for a column name of ``frame``."""
        return self.headers.get(column, column)

    def cell(self, header: str | None, row: int | None) -> str | None:
        """Return the workbook cell ``[SHEET]!C9`` of a header and a row, or None.

        Examples
        --------
        >>> t = RawTable("institutions", "x.xlsx[机构]", pd.DataFrame(), sheet="机构",
        ...              positions={"类型": 3})
        >>> t.cell("类型", 9), t.cell("名称", 9)
        ('[机构]!C9', None)
        """
        if self.sheet is None or row is None or header not in self.positions:
            return None
        from openpyxl.utils import get_column_letter

        return f"[{self.sheet}]!{get_column_letter(self.positions[header])}{row}"


@dataclass
class RawDataset:
    """Everything a reader found: tables, problems, and how to name the container."""

    source: str
    label: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: things worth saying that do not stop the load (hidden sheets and rows ...)
    warnings: list[str] = field(default_factory=list)
    #: notes (a skipped title row, a sheet that looks like a table): not errors
    notes: list[Problem] = field(default_factory=list)

    def add(self, table: RawTable, problems=()) -> None:
        """Add a table read from one file or sheet (a second copy is a problem)."""
        self.problems.extend(problems)
        other = self.tables.get(table.table)
        if other is not None:
            self.problems.append(Problem.make(
                "duplicate-table", table.file, table=table.table, other=other.file))
            return
        self.tables[table.table] = table


def table_name(name: str) -> str | None:
    """Return the table a file stem or sheet name stands for, or None.

    English table names match case-insensitively; Chinese names follow section 4.
    """
    text = str(name).strip()
    if text.lower() in TABLES:
        return text.lower()
    return TABLE_ALIASES.get(text)


def column_key(header: str) -> str:
    """Return the column name for a header: a canonical key, or the header as written."""
    text = header.strip()
    if text.lower() in COLUMN_KEYS:
        return text.lower()
    return HEADER_ALIASES.get(text, text)


def map_headers(headers, file: str, has_values) -> tuple[list[str | None], list[Problem]]:
    """Map the headers of one table to column names.

    Parameters
    ----------
    headers : list of str
        The header row as written (already stripped or not).
    file : str
        How problems name the file.
    has_values : list of int
        How many non-blank cells each column holds; a column without header and
        without values (a trailing empty column of a spreadsheet) is dropped.
        Only read for the columns without a header: the others may be None.

    Returns
    -------
    columns : list of (str or None)
        The column name for each position; None for a column to drop.
    problems : list of Problem
        ``duplicate-header``, ``missing-header`` and ``reserved-column`` problems.
    """
    columns: list[str | None] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for position, (header, filled) in enumerate(zip(headers, has_values), start=1):
        text = "" if header is None else str(header).strip()
        if not text:
            if filled:
                problems.append(Problem.make("missing-header", file, 1, None,
                                             count=int(filled), position=position))
            columns.append(None)
            continue
        key = column_key(text)
        if key in RESERVED_COLUMNS:
            problems.append(Problem.make("reserved-column", file, 1, text))
            columns.append(None)
            continue
        if key in seen:
            first = seen[key]
            problems.append(Problem.make(
                "duplicate-header", file, 1, text,
                other=str(headers[first - 1]).strip(), where=f" (column {first})",
                where_zh=f"（第 {first} 列）"))
            columns.append(None)
            continue
        seen[key] = position
        columns.append(key)
    return columns, problems


def cell_text(value) -> str:
    """Return the text of a spreadsheet or JSON cell, trimmed.

    Whole numbers lose their ``.0`` (ids typed as numbers in Excel), dates become
    ISO dates, blanks become ``""``.

    Examples
    --------
    >>> cell_text(12.0), cell_text(2.5), cell_text(None), cell_text(" H1 ")
    ('12', '2.5', '', 'H1')
    >>> import datetime
    >>> cell_text(datetime.datetime(2025, 3, 1)), cell_text(True)
    ('2025-03-01', 'true')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def strip_cells(values: np.ndarray) -> np.ndarray:
    """Return an object array of the cells trimmed of surrounding whitespace.

    A plain list comprehension: an order of magnitude faster than ``Series.str.strip``
    on python-backed strings.
    """
    return np.array([v.strip() for v in values.tolist()], dtype=object) if len(values) \
        else np.array([], dtype=object)


def text_column(values) -> pd.Series:
    """Wrap text cells as an object-dtype Series (pandas 3 would infer its str dtype).

    An object array is wrapped as it is, not copied (pandas 3 copies a NumPy array
    by default, a cost at a million rows): callers hand over an array they no longer
    change.

    Examples
    --------
    >>> text_column(["H1", ""]).tolist(), text_column(np.array(["a"], dtype=object)).dtype
    (['H1', ''], dtype('O'))
    """
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)


def frame_from_rows(table: str, file: str, headers, rows, row_numbers) -> tuple[RawTable, list[Problem]]:
    """Build a :class:`RawTable` from a header and rows of cell texts.

    ``rows`` are lists of strings (shorter rows are padded with ``""``); rows that
    are entirely blank are dropped.  Cells under a missing header are a problem.
    """
    width = max([len(headers)] + [len(r) for r in rows]) if rows else len(headers)
    headers = list(headers) + [""] * (width - len(headers))
    columns_data = [[] for _ in range(width)]
    kept_rows = []
    for cells, number in zip(rows, row_numbers):
        if not any(cells):
            continue
        kept_rows.append(number)
        for i in range(width):
            columns_data[i].append(cells[i] if i < len(cells) else "")
    has_values = [sum(1 for v in col if v) for col in columns_data]
    names, problems = map_headers(headers, file, has_values)
    data = {}
    header_of = {}
    positions = {}
    for position, (name, header, values) in enumerate(zip(names, headers, columns_data), 1):
        if name is None:
            continue
        data[name] = np.asarray(values, dtype=object)
        header_of[name] = str(header).strip()
        positions[header_of[name]] = position
    columns = {k: text_column(v) for k, v in data.items()}
    columns[ROW_COLUMN] = pd.Series(np.array(kept_rows, dtype=np.int64), copy=False)
    # copy=False: one block per column, no 2-D copy of the cells (see csvdir._table_of)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(kept_rows)), copy=False)
    return RawTable(table, file, frame, header_of, positions=positions), problems
