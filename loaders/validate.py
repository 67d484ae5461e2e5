"""Check raw tables against the dataset format and normalize them.

:func:`validate_dataset` implements every rule of ``dataset-format.md``
section 5.  It is lazy: it collects every problem (with the spreadsheet row and
the header as written), then raises one :class:`~loaders.problems.DatasetError`;
a dataset with any problem is rejected whole.  A valid dataset comes back as the
canonical :class:`~loaders.dataset.Dataset` (canonical keys and values, levels
filled from the kind, lists split, counts as ints).

The work is done column by column with pandas, so a million rows take seconds;
only the rows that break a rule become Python objects.

Examples
--------
>>> import pandas as pd
>>> from loaders.raw import RawDataset, RawTable
>>> frame = pd.DataFrame({"id": ["H1", "V1"], "name": ["县医院", "李村卫生室"],
...                       "kind": ["县医院", "villageclinic"], "_row": [2, 3]})
>>> raw = RawDataset("d", "d/", {"institutions": RawTable("institutions", "机构.csv", frame,
...                                                      {"kind": "类型"})})
>>> try:
...     validate_dataset(raw)
... except DatasetError as err:
...     print(err)
机构.csv:3: column '类型': unknown kind 'villageclinic'; did you mean 'village_clinic'?
>>> frame.loc[1, "kind"] = "村卫生室"
>>> validate_dataset(raw).tables["institutions"][["kind", "level"]].values.tolist()
[['county_hospital', 'county'], ['village_clinic', 'village']]
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.schema import (
    HEADER_ALIASES, INSTITUTION_KIND_ALIASES, INSTITUTION_KINDS, LEVEL_ALIASES,
    LIAISON_LINK, LINK_TYPE_ALIASES, LIST_COLUMNS, LIST_SEPARATORS,
    MEMBER_STATUS_ALIASES, OPTIONAL_COLUMNS, ORG_KIND_ALIASES, REFERRAL_LINK,
    REQUIRED_COLUMNS, ROLE_ALIASES, STAGE_ALIASES, STATUSES_WITH_ORG, TABLE_LABEL,
    TABLE_ORDER, canonical_value,
)
from loaders.dataset import ROW_COLUMN, Dataset
from loaders.problems import DatasetError, Problem
from loaders.raw import RawDataset, RawTable

__all__ = ["validate_dataset", "VOCABULARY_COLUMNS", "REFERENCE_COLUMNS"]

#: (table, column) -> (aliases, what the value is called in messages)
VOCABULARY_COLUMNS = {
    ("regions", "level"): (LEVEL_ALIASES, "level"),
    ("institutions", "kind"): (INSTITUTION_KIND_ALIASES, "kind"),
    ("institutions", "level"): (LEVEL_ALIASES, "level"),
    ("party_orgs", "kind"): (ORG_KIND_ALIASES, "party organization kind"),
    ("members", "status"): (MEMBER_STATUS_ALIASES, "status"),
    ("links", "type"): (LINK_TYPE_ALIASES, "link type"),
    ("services", "stage"): (STAGE_ALIASES, "stage"),
}
_ENTITY_TABLES = tuple(TABLE_LABEL)
_NOT_REGION = tuple(t for t in _ENTITY_TABLES if t != "regions")
#: (table, column, tables the id must belong to)
REFERENCE_COLUMNS = (
    ("regions", "parent_id", ("regions",)),
    ("institutions", "region_id", ("regions",)),
    ("institutions", "parent_id", ("institutions",)),
    ("party_orgs", "parent_id", ("party_orgs",)),
    ("party_orgs", "institution_ids", ("institutions",)),
    ("members", "org_id", ("party_orgs",)),
    ("members", "institution_id", ("institutions",)),
    ("links", "source_id", _NOT_REGION),
    ("links", "target_id", _NOT_REGION),
    ("services", "institution_id", ("institutions",)),
    ("services", "coordinator_org_id", ("party_orgs",)),
)
_A = {"regions": "a region", "institutions": "an institution",
      "party_orgs": "a party organization", "members": "a member (person)"}
#: problems that leave a table unread: reference checks would only add noise
_FILE_CODES = frozenset({"unreadable-file", "empty-file", "bad-row", "duplicate-table",
                         "bad-json", "missing-table", "no-dataset", "unknown-container"})
_PERIOD = re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?|-[Qq][1-4])?")
_SPLIT = "|".join(re.escape(s) for s in LIST_SEPARATORS)
#: characters no text cell may hold: C0/C1 controls (tab, newline and CR are allowed),
#: DEL and lone surrogates (what a JSON "\ud800" escape or a broken file gives)
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: characters dropped before comparing ids for "did you mean" (zero-width, BOM, soft hyphen)
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
#: a cycle longer than this is shown as its first and last ids and a count
_CYCLE_SHOWN = 8
_ZH_HEADER = {}
for _zh, _key in HEADER_ALIASES.items():
    _ZH_HEADER.setdefault(_key, _zh)


def validate_dataset(raw: RawDataset, *, name: str | None = None) -> Dataset:
    """Check raw tables against every rule of the format; return the canonical dataset.

    Parameters
    ----------
    raw : RawDataset
        What a reader produced (its reading problems are reported too).
    name : str, optional
        Dataset name; default the stem of the source path.

    Returns
    -------
    Dataset

    Raises
    ------
    DatasetError
        With every problem found, in file order then row order.
    """
    checker = _Checker(raw)
    tables = checker.run()
    if checker.problems:
        raise DatasetError(checker.sorted_problems())
    source = Path(raw.source)
    return Dataset(
        name=name or source.stem or source.name or "dataset",
        tables=tables,
        files={t: raw.tables[t].file for t in tables},
        source=raw.source,
        warnings=list(raw.warnings),
    )


class _Checker:
    def __init__(self, raw: RawDataset):
        self.raw = raw
        self.problems: list[Problem] = list(raw.problems)
        self.complete = not any(p.code in _FILE_CODES for p in raw.problems)
        self.columns: dict[str, dict[str, object]] = {}   # normalized output columns
        self.blank: dict[tuple[str, str], np.ndarray] = {}
        self._names: dict[str, dict] = {}
        self._folded: dict[tuple, dict] = {}

    # -- helpers ------------------------------------------------------------
    def report(self, code, t: RawTable, column, mask, values=None, fields=None, **common):
        """Add one problem per True in ``mask`` (fields(value) gives per-value fields)."""
        where = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(where):
            return
        rows = t.frame[ROW_COLUMN].to_numpy()[where]
        if values is None:
            values = t.frame[column] if column in t.frame else pd.Series([None] * len(t.frame))
        values = np.asarray(values, dtype=object)[where]
        header = t.header(column) if column is not None else None
        cache = {}
        for row, value in zip(rows.tolist(), values.tolist()):
            if fields is None:
                extra = common
            else:
                if value not in cache:
                    cache[value] = {**common, **fields(value)}
                extra = cache[value]
            self.problems.append(Problem.make(code, t.file, row, header, value, **extra))

    def sorted_problems(self) -> list[Problem]:
        rank = {self.raw.label: 0}
        for position, table in enumerate(TABLE_ORDER, start=1):
            if table in self.raw.tables:
                rank.setdefault(self.raw.tables[table].file, position)
        order = sorted(range(len(self.problems)),
                       key=lambda i: (rank.get(self.problems[i].file, 0),
                                      self.problems[i].row or 0))
        return [self.problems[i] for i in order]

    # -- the rules ----------------------------------------------------------
    def run(self) -> dict[str, pd.DataFrame]:
        for table in TABLE_ORDER:
            t = self.raw.tables.get(table)
            if t is not None:
                self.check_table(t)
        self.check_ids()
        if self.complete:
            self.check_references()
            self.check_links()
            self.check_members()
            self.check_cycles()
        if self.problems:
            return {}
        return {table: self.output(self.raw.tables[table]) for table in TABLE_ORDER
                if table in self.raw.tables}

    def check_table(self, t: RawTable) -> None:
        frame = t.frame
        out: dict[str, object] = {}
        self.columns[t.table] = out
        for column in REQUIRED_COLUMNS[t.table]:
            if column not in frame.columns:
                zh = _ZH_HEADER.get(column)
                self.problems.append(Problem.make(
                    "missing-column", t.file, 1, column, zh=f" ({zh})" if zh else ""))
                if column in ("id", "source_id", "target_id"):
                    self.complete = False
        for column in frame.columns:
            if column == ROW_COLUMN:
                continue
            values = frame[column]
            blank = (values == "").to_numpy()
            self.blank[(t.table, column)] = blank
            self.characters(t, column, values)
            if column in REQUIRED_COLUMNS[t.table]:
                self.report("empty-cell", t, column, blank)
            vocabulary = VOCABULARY_COLUMNS.get((t.table, column))
            if vocabulary is not None:
                out[column] = self.vocabulary(t, column, values, blank, *vocabulary)
            elif column in LIST_COLUMNS and column in OPTIONAL_COLUMNS[t.table]:
                out[column] = self.lists(t, column, values, blank)
            elif t.table == "links" and column == "count":
                out[column] = self.counts(t, values, blank)
            elif t.table == "links" and column == "period":
                out[column] = self.periods(t, values, blank)
            else:
                out[column] = _with_none(values, blank)

    def characters(self, t, column, values) -> None:
        """Report control characters and lone surrogates, with their position in the cell."""
        if t.clean:
            return  # the reader scanned the file's bytes already
        text = values.to_numpy(dtype=object)
        if not len(text) or not _BAD_CHARACTER.search("\n".join(text.tolist())):
            return  # one search over the whole column: the common case costs little
        rows = t.frame[ROW_COLUMN].to_numpy()
        header = t.header(column)
        for position, cell in enumerate(text.tolist()):
            match = _BAD_CHARACTER.search(cell)
            if match is None:
                continue
            char = ord(match.group(0))
            if 0xD800 <= char <= 0xDFFF:
                what = f"a broken character (lone surrogate U+{char:04X})"
                what_zh = f"损坏的字符（孤立代理项 U+{char:04X}）"
            else:
                what = f"a control character (U+{char:04X})"
                what_zh = f"控制字符（U+{char:04X}）"
            self.problems.append(Problem.make(
                "bad-character", t.file, int(rows[position]), header, _shown(cell),
                what=what, what_zh=what_zh, position=match.start() + 1))

    def vocabulary(self, t, column, values, blank, aliases, what):
        text = values.to_numpy(dtype=object)
        canon = _lookup(text, {u: canonical_value(aliases, u) for u in pd.unique(text[~blank])})
        unknown = ~blank & pd.isna(canon)
        self.report("unknown-value", t, column, unknown,
                    fields=lambda v: _suggestion(aliases, v), what=what)
        canon[blank | unknown] = None
        return canon

    def lists(self, t, column, values, blank):
        out = np.full(len(values), None, dtype=object)
        where = np.flatnonzero(~blank)
        roles = column == "roles"
        cache: dict[str, list | None] = {}
        for position, cell in zip(where.tolist(), values.to_numpy(dtype=object)[where].tolist()):
            items = cache.get(cell)
            if items is None:
                items = cache[cell] = _split(cell, roles)
            # each row gets its own list: consumers may change one row's list
            out[position] = list(items) if items else None
        return out

    def counts(self, t, values, blank):
        text = values.to_numpy(dtype=object)
        uniques = pd.unique(text[~blank])
        number = {u: int(u) for u in uniques if u.isascii() and u.isdigit() and len(u) <= 18}
        good = _lookup(text, number)
        missing = pd.isna(good)
        self.report("bad-count", t, "count", ~blank & missing)
        good[missing] = 1
        return good.astype(np.int64)

    def periods(self, t, values, blank):
        text = values.to_numpy(dtype=object)
        normal = {u: _period(u) for u in pd.unique(text[~blank])}
        canon = _lookup(text, normal)
        bad = ~blank & pd.isna(canon)
        self.report("bad-period", t, "period", bad)
        canon[blank | bad] = None
        return canon

    def check_ids(self) -> None:
        parts = []
        for code, table in enumerate(_ENTITY_TABLES):
            t = self.raw.tables.get(table)
            if t is None or "id" not in t.frame.columns:
                continue
            keep = ~self.blank[(table, "id")]
            parts.append(pd.DataFrame({
                "id": t.frame["id"].to_numpy(dtype=object)[keep],
                "table": np.full(int(keep.sum()), code, dtype=np.int8),
                "position": np.flatnonzero(keep),
            }))
        if parts:
            ids = pd.concat(parts, ignore_index=True)
        else:
            ids = pd.DataFrame({"id": pd.Series([], dtype=object),
                                "table": pd.Series([], dtype=np.int8),
                                "position": pd.Series([], dtype=np.int64)})
        repeated = ids["id"].duplicated(keep="first").to_numpy()
        if repeated.any():
            first = ids[~repeated & ids["id"].isin(ids["id"][repeated]).to_numpy()]
            where = {}
            for value, code, position in first.itertuples(index=False, name=None):
                t = self.raw.tables[_ENTITY_TABLES[code]]
                where[value] = f"{t.file}:{int(t.frame[ROW_COLUMN].iat[position])}"
            for code, table in enumerate(_ENTITY_TABLES):
                rows = ids[repeated & (ids["table"].to_numpy() == code)]
                if len(rows):
                    t = self.raw.tables[table]
                    mask = np.zeros(len(t.frame), dtype=bool)
                    mask[rows["position"].to_numpy()] = True
                    self.report("duplicate-id", t, "id", mask,
                                fields=lambda v: {"other": where[v]})
        unique = ids[~repeated]
        self.id_index = pd.Index(unique["id"].to_numpy(dtype=object))
        self.id_table = unique["table"].to_numpy()

    def owners(self, values) -> np.ndarray:
        """Return the table code owning each id (-1 unknown)."""
        where = self.id_index.get_indexer(values)
        if not len(self.id_table):  # no table has any id: everything is unknown
            return np.full(len(where), -1, dtype=np.int64)
        return np.where(where >= 0, self.id_table[where], -1)

    def check_references(self) -> None:
        for table, column, allowed in REFERENCE_COLUMNS:
            t = self.raw.tables.get(table)
            if t is None or column not in t.frame.columns:
                continue
            if column in LIST_COLUMNS:
                cells = self.columns[table][column]
                lengths = np.array([len(c) if c is not None else 0 for c in cells],
                                   dtype=np.int64)
                positions = np.repeat(np.arange(len(cells)), lengths)
                values = np.array([v for c in cells if c for v in c], dtype=object)
            else:
                keep = ~self.blank[(table, column)]
                positions = np.flatnonzero(keep)
                values = t.frame[column].to_numpy(dtype=object)[positions]
            if not len(values):
                continue
            owner = self.owners(values)
            codes = [_ENTITY_TABLES.index(a) for a in allowed]
            expected = " or ".join(_A[a] for a in allowed)
            self._located(t, column, positions, values, owner == -1, "unknown-reference",
                          lambda v, allowed=allowed: self._name_hint(v, allowed))
            wrong = (owner >= 0) & ~np.isin(owner, codes)
            self._located(t, column, positions, values, wrong, "wrong-reference",
                          self._found_fields, expected=expected)

    def _name_hint(self, value, allowed) -> dict:
        """Hint for an unknown id: a near-identical id, or the name of an entity."""
        near = self._near_id(value, allowed)
        if near is not None:
            return {"hint": f"; did you mean '{near}'?", "hint_zh": f"；是否应为“{near}”？"}
        for table in allowed:
            t = self.raw.tables.get(table)
            if t is None or "name" not in t.frame.columns or "id" not in t.frame.columns:
                continue
            names = self._names.get(table)
            if names is None:
                frame = t.frame
                names = self._names[table] = {}
                for name, ident, row in zip(frame["name"].tolist(), frame["id"].tolist(),
                                            frame[ROW_COLUMN].tolist()):
                    names.setdefault(name, (ident, row))
            if value in names:
                ident, row = names[value]
                return {"hint": f"; it is the name at {t.file}:{row}: use its id '{ident}'",
                        "hint_zh": f"；这是 {t.file}:{row} 的名称，请填写其编号“{ident}”"}
        return {"hint": "", "hint_zh": ""}

    def _near_id(self, value, allowed):
        """Return the existing id that ``value`` matches after NFKC, case folding and
        stripping zero-width characters and BOMs (full-width ``Ｃ１２`` -> ``C12``)."""
        index = self._folded.get(allowed)
        if index is None:
            codes = [_ENTITY_TABLES.index(a) for a in allowed]
            keep = np.isin(self.id_table, codes)
            index = self._folded[allowed] = {}
            for ident in self.id_index[keep].tolist():
                index.setdefault(_fold(ident), ident)
        near = index.get(_fold(value))
        return near if near is not None and near != value else None

    def _found_fields(self, value):
        return {"found": _A[_ENTITY_TABLES[self.owners([value])[0]]]}

    def _located(self, t, column, positions, values, mask, code, fields, **common):
        """Report problems for (row position, value) pairs selected by mask."""
        where = np.flatnonzero(mask)
        if not len(where):
            return
        rows = t.frame[ROW_COLUMN].to_numpy()[positions[where]]
        header = t.header(column)
        cache = {}
        for row, value in zip(rows.tolist(), values[where].tolist()):
            if value not in cache:
                cache[value] = {**common, **fields(value)}
            self.problems.append(Problem.make(code, t.file, row, header, value, **cache[value]))

    def check_links(self) -> None:
        t = self.raw.tables.get("links")
        if t is None or not {"source_id", "target_id"} <= set(t.frame.columns):
            return
        source = t.frame["source_id"].to_numpy(dtype=object)
        target = t.frame["target_id"].to_numpy(dtype=object)
        same = (source == target) & ~self.blank[("links", "source_id")]
        self.report("self-link", t, "target_id", same)
        kinds = self.columns["links"].get("type")
        if kinds is None:
            return
        source_owner = self.owners(source)
        target_owner = self.owners(target)
        institution = _ENTITY_TABLES.index("institutions")
        member = _ENTITY_TABLES.index("members")
        region = _ENTITY_TABLES.index("regions")
        referral = kinds == REFERRAL_LINK
        for column, owner, values in (("source_id", source_owner, source),
                                      ("target_id", target_owner, target)):
            bad = referral & (owner >= 0) & (owner != institution) & (owner != region)
            self.report("referral-endpoint", t, column, bad, values=values,
                        fields=lambda v: {"found": _A[_ENTITY_TABLES[self.owners([v])[0]]]})
        liaison = kinds == LIAISON_LINK
        bad = liaison & (source_owner >= 0) & (source_owner != member) & (source_owner != region)
        self.report("liaison-source", t, "source_id", bad, values=source,
                    fields=lambda v: {"found": _A[_ENTITY_TABLES[self.owners([v])[0]]]})

    def check_members(self) -> None:
        t = self.raw.tables.get("members")
        if t is None or "org_id" not in t.frame.columns:
            return
        status = self.columns["members"].get("status")
        if status is None:
            return
        may = np.isin(status, list(STATUSES_WITH_ORG)) | pd.isna(status)
        bad = ~may & ~self.blank[("members", "org_id")]
        where = np.flatnonzero(bad)
        if len(where):
            written = t.frame["status"].to_numpy(dtype=object)
            header = t.header("org_id")
            rows = t.frame[ROW_COLUMN].to_numpy()
            orgs = t.frame["org_id"].to_numpy(dtype=object)
            for i in where.tolist():
                self.problems.append(Problem.make(
                    "status-org", t.file, int(rows[i]), header, orgs[i], status=written[i]))

    def check_cycles(self) -> None:
        for table in ("regions", "institutions", "party_orgs"):
            t = self.raw.tables.get(table)
            if t is None or "parent_id" not in t.frame.columns or "id" not in t.frame.columns:
                continue
            keep = ~self.blank[(table, "parent_id")] & ~self.blank[(table, "id")]
            ids = t.frame["id"].to_numpy(dtype=object)[keep]
            parents = t.frame["parent_id"].to_numpy(dtype=object)[keep]
            rows = t.frame[ROW_COLUMN].to_numpy()[keep]
            parent = dict(zip(ids.tolist(), parents.tolist()))
            row_of = dict(zip(ids.tolist(), rows.tolist()))
            state: dict[str, bool] = {}   # False: on the current path, True: done
            for start in ids.tolist():
                if start in state:
                    continue
                path = []
                node = start
                while node is not None and node not in state:
                    state[node] = False
                    path.append(node)
                    node = parent.get(node)
                if node is not None and state[node] is False:
                    cycle = path[path.index(node):]
                    first = min(cycle, key=lambda n: row_of[n])
                    turn = cycle.index(first)
                    ordered = cycle[turn:] + cycle[:turn] + [first]
                    self.problems.append(Problem.make(
                        "parent-cycle", t.file, row_of[first], t.header("parent_id"),
                        parent[first], cycle=_cycle_text(ordered)))
                for seen in path:
                    state[seen] = True

    # -- output -------------------------------------------------------------
    def output(self, t: RawTable) -> pd.DataFrame:
        out = dict(self.columns[t.table])
        size = len(t.frame)
        if t.table == "institutions":
            default = out["kind"]
            levels = out.get("level")
            filled = np.array([INSTITUTION_KINDS[k].level for k in default], dtype=object) \
                if size else np.array([], dtype=object)
            if levels is not None:
                filled = np.where(pd.isna(levels), filled, levels)
            out["level"] = filled
        if t.table == "links" and "count" not in out:
            out["count"] = np.ones(size, dtype=np.int64)
        for column in REQUIRED_COLUMNS[t.table] + OPTIONAL_COLUMNS[t.table]:
            if column not in out:
                out[column] = np.full(size, None, dtype=object)
        canonical = [c for c in REQUIRED_COLUMNS[t.table] + OPTIONAL_COLUMNS[t.table]]
        extra = [c for c in out if c not in canonical]
        index = pd.RangeIndex(size)
        frame = pd.DataFrame({c: _series(out[c], index) for c in canonical + extra},
                             index=index)
        frame[ROW_COLUMN] = t.frame[ROW_COLUMN].to_numpy(dtype=np.int64)
        return frame


def _shown(value: str, limit: int = 60) -> str:
    """A cell value for a message: control characters as escapes, cut to ``limit`` characters."""
    from graphmodel.outputs import clean_text

    text = clean_text(value, newlines=False)
    return text if len(text) <= limit else text[:limit] + f"… ({len(value)} characters)"


def _fold(ident: str) -> str:
    """The form two ids are compared in for "did you mean": NFKC, case-folded, no
    zero-width characters or BOMs, no surrounding spaces.

    Examples
    --------
    >>> _fold("Ｃ１２"), _fold("c\u200b12"), _fold("\ufeffC12 ")
    ('c12', 'c12', 'c12')
    """
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(ident))).casefold().strip()


def _cycle_text(ids: list) -> str:
    """Join a cycle's ids with arrows; a long cycle shows its ends and a count.

    Examples
    --------
    >>> _cycle_text(["A", "B", "A"])
    'A → B → A'
    >>> _cycle_text([f"O{i}" for i in range(100)] + ["O0"])
    'O0 → O1 → O2 → O3 → O4 → O5 → … (92 more) … → O98 → O99 → O0 (100 ids)'
    """
    if len(ids) <= _CYCLE_SHOWN + 3:
        return " → ".join(ids)
    head, tail = ids[:6], ids[-3:]
    hidden = len(ids) - len(head) - len(tail)
    return (" → ".join(head) + f" → … ({hidden} more) … → " + " → ".join(tail)
            + f" ({len(ids) - 1} ids)")


def _series(values, index) -> pd.Series:
    """Wrap a column; text stays object dtype (pandas 3 would infer str, None -> NaN)."""
    values = np.asarray(values)
    return pd.Series(values, index=index, dtype=object if values.dtype == object else None)


def _lookup(values: np.ndarray, mapping: dict) -> np.ndarray:
    """Return a new object array of ``mapping[v]`` for each value (None when absent).

    Examples
    --------
    >>> _lookup(np.array(["a", "b", "c"], dtype=object), {"a": 1, "c": None}).tolist()
    [1, None, None]
    """
    index = pd.Index(list(mapping), dtype=object)
    results = np.array(list(mapping.values()) + [None], dtype=object)
    return results[index.get_indexer(values)]


def _with_none(values: pd.Series, blank: np.ndarray) -> np.ndarray:
    out = values.to_numpy(dtype=object, copy=True)
    out[blank] = None
    return out


def _split(cell: str, roles: bool) -> list[str]:
    """Split a list cell on ; ； 、, drop blanks and repeats; canonicalize known roles."""
    items = []
    for part in re.split(_SPLIT, cell):
        part = part.strip()
        if roles and part:
            part = canonical_value(ROLE_ALIASES, part) or part
        if part and part not in items:
            items.append(part)
    return items


def _period(text: str) -> str | None:
    """Return the period with an upper-case quarter, or None if it is not a period.

    Examples
    --------
    >>> [_period(p) for p in ("2025", "2025-03", "2025-q2", "2025-02-28", "2025-02-30", "25")]
    ['2025', '2025-03', '2025-Q2', '2025-02-28', None, None]
    """
    if not _PERIOD.fullmatch(text):
        return None
    if len(text) == 10:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return None
    return text.upper()


def _suggestion(aliases, value: str) -> dict:
    """Return the hint for an unknown vocabulary value: the closest valid value, or all.

    Examples
    --------
    >>> _suggestion(INSTITUTION_KIND_ALIASES, "村卫生所")["hint"]
    "; did you mean '村卫生室' (village_clinic)?"
    >>> _suggestion(INSTITUTION_KIND_ALIASES, "村卫生所")["hint_zh"]
    '；是否应为“村卫生室”（village_clinic）？'
    """
    text = str(value).strip().lower()
    spellings = list(aliases)
    squashed = {s.replace("_", "").replace("-", "").replace(" ", ""): s for s in spellings}
    key = squashed.get(text.replace("_", "").replace("-", "").replace(" ", ""))
    match = [key] if key else difflib.get_close_matches(text, spellings, n=1, cutoff=0.6)
    if match:
        spelling = match[0]
        canonical = aliases[spelling]
        if spelling == canonical:
            return {"hint": f"; did you mean '{canonical}'?",
                    "hint_zh": f"；是否应为“{canonical}”？"}
        return {"hint": f"; did you mean '{spelling}' ({canonical})?",
                "hint_zh": f"；是否应为“{spelling}”（{canonical}）？"}
    keys = list(dict.fromkeys(aliases.values()))
    return {"hint": "; expected one of: " + ", ".join(keys),
            "hint_zh": "；应为以下之一：" + "、".join(keys)}
