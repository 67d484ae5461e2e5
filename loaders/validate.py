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
>>> from orgnet.loaders.raw import RawDataset, RawTable
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

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from orgnet.graphmodel.schema import (
    CONTACT_LINK, CONTACT_SOURCE_STATUSES, REPRESENTATIVE_ROLE, ZH, HEADER_ALIASES,
    INSTITUTION_KIND_ALIASES, INSTITUTION_KINDS, LEVEL_ALIASES, LEVELS,
    LIAISON_LINK, LINK_TYPE_ALIASES, LIST_COLUMNS, LIST_SEPARATORS,
    MEMBER_STATUS_ALIASES, OPTIONAL_COLUMNS, ORG_KIND_ALIASES, REFERRAL_LINK,
    REQUIRED_COLUMNS, ROLE_ALIASES, STAGE_ALIASES, STATUSES_WITH_ORG, TABLE_LABEL,
    TABLE_ORDER, canonical_value,
)
from orgnet.loaders.dataset import ROW_COLUMN, Dataset
from orgnet.loaders.problems import DatasetError, Problem
from orgnet.loaders.raw import RawDataset, RawTable

__all__ = ["validate_dataset", "vocabulary_values", "VOCABULARY_COLUMNS", "REFERENCE_COLUMNS"]

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
#: problems with a header (located by the header row and the header's text)
_HEADER_CODES = frozenset({"missing-column", "duplicate-header", "missing-header",
                           "reserved-column"})
_PERIOD = re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?|-[Qq][1-4])?")
_SPLIT = re.compile("|".join(re.escape(s) for s in LIST_SEPARATORS))
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
    notes = checker.located(raw.notes)
    if checker.problems:
        raise DatasetError(checker.sorted_problems(), notes=notes)
    source = Path(raw.source)
    return Dataset(
        name=name or source.stem or source.name or "dataset",
        tables=tables,
        files={t: raw.tables[t].file for t in tables},
        source=raw.source,
        warnings=list(raw.warnings),
        notes=notes,
    )


class _Checker:
    def __init__(self, raw: RawDataset):
        self.raw = raw
        self.problems: list[Problem] = list(raw.problems)
        self.complete = not any(p.code in _FILE_CODES for p in raw.problems)
        self.columns: dict[str, dict[str, object]] = {}   # normalized output columns
        self.blank: dict[tuple[str, str], np.ndarray] = {}
        #: (table, column) -> where the normalized column holds None (vocabulary, period)
        self.none: dict[tuple[str, str], np.ndarray] = {}
        #: (table, list column) -> (row positions, items): every item of every cell
        self.items: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        #: (table, column) -> owner table code of each cell (see :meth:`owners`)
        self._owner: dict[tuple[str, str], np.ndarray] = {}
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
        return _one_per_unknown_id(self.located([self.problems[i] for i in order]))

    def located(self, problems) -> list[Problem]:
        """Return the problems with their workbook cell (``[机构]!C9``) where they have one."""
        by_file = {t.file: t for t in self.raw.tables.values() if t.sheet is not None}
        if not by_file:
            return list(problems)
        out = []
        for p in problems:
            t = by_file.get(p.file)
            cell = t.cell(p.column, p.row) if t is not None and p.code not in _HEADER_CODES \
                else None
            out.append(dataclasses.replace(p, cell=cell) if cell else p)
        return out

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
            values = frame[column].to_numpy(dtype=object)
            # numpy's comparison of an object array: several times faster than pandas' ==
            blank = np.asarray(values == "", dtype=bool)
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

    def characters(self, t, column, text) -> None:
        """Report control characters and lone surrogates, with their position in the cell."""
        if t.clean:
            return  # the reader scanned the file's bytes already
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

    def vocabulary(self, t, column, text, blank, aliases, what):
        canon, unknown = _mapped(text, lambda u: canonical_value(aliases, u))
        unknown &= ~blank
        self.report("unknown-value", t, column, unknown,
                    fields=lambda v: _suggestion(aliases, v), what=what)
        none = blank | unknown
        canon[none] = None
        self.none[(t.table, column)] = none
        return canon

    def lists(self, t, column, text, blank):
        """Split a list column; also keep every (row position, item) for the reference checks.

        Each distinct cell is split once (a column holds few distinct lists): the
        cells are factorized, and the row-by-row work is numpy indexing.
        """
        where = np.flatnonzero(~blank)
        codes, uniques = _factorized(text[where])
        roles = column == "roles"
        split = [_split(cell, roles) for cell in uniques.tolist()]
        if len(codes) and codes.min() < 0:
            split.append(_split(None, roles))   # fails as before on a hand-built None
        # each row gets its own list: consumers may change one row's list.  fromiter,
        # not np.array: lists of equal length must not become a 2-D array
        out = np.full(len(text), None, dtype=object)
        out[where] = np.fromiter((list(split[code]) if split[code] else None
                                  for code in codes.tolist()), dtype=object, count=len(codes))
        counts = np.array([len(items) for items in split], dtype=np.int64)[codes]
        starts = np.cumsum(np.array([0] + [len(items) for items in split], dtype=np.int64))
        flat = np.empty(int(starts[-1]), dtype=object)
        flat[:] = [item for items in split for item in items]
        # item k of row r is flat[starts[code of r] + k]
        first = np.repeat(starts[codes] - (np.cumsum(counts) - counts), counts)
        self.items[(t.table, column)] = (np.repeat(where, counts),
                                        flat[first + np.arange(int(counts.sum()))])
        return out

    def counts(self, t, text, blank):
        good, missing = _mapped(text, _count)
        self.report("bad-count", t, "count", ~blank & missing)
        good[missing] = 1
        return good.astype(np.int64)

    def periods(self, t, text, blank):
        canon, bad = _mapped(text, _period)
        bad &= ~blank
        self.report("bad-period", t, "period", bad)
        none = blank | bad
        canon[none] = None
        self.none[(t.table, "period")] = none
        return canon

    def check_ids(self) -> None:
        codes, positions, values = [], [], []
        for code, table in enumerate(_ENTITY_TABLES):
            t = self.raw.tables.get(table)
            if t is None or "id" not in t.frame.columns:
                continue
            position = np.flatnonzero(~self.blank[(table, "id")])
            values.append(t.frame["id"].to_numpy(dtype=object)[position])
            codes.append(np.full(len(position), code, dtype=np.int8))
            positions.append(position)
        values = np.concatenate(values) if values else np.array([], dtype=object)
        codes = np.concatenate(codes) if codes else np.array([], dtype=np.int8)
        positions = np.concatenate(positions) if positions else np.array([], dtype=np.int64)
        # object dtype: pandas 3 would convert the ids to its str dtype (a copy, and
        # slower lookups); the hash table is_unique builds is the one owners() uses
        index = pd.Index(values, dtype=object)
        #: True when no id is repeated (within or across tables)
        self.ids_unique = bool(index.is_unique)
        if self.ids_unique:
            self.id_index, self.id_table, self.id_position = index, codes, positions
            return
        ids = pd.DataFrame({"id": pd.Series(values, dtype=object), "table": codes,
                            "position": positions})
        repeated = ids["id"].duplicated(keep="first").to_numpy()
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
        self.id_index = pd.Index(unique["id"].to_numpy(dtype=object), dtype=object)
        self.id_table = unique["table"].to_numpy()
        self.id_position = unique["position"].to_numpy()

    def owners(self, values) -> np.ndarray:
        """Return the table code owning each id (-1 unknown)."""
        where = self.id_index.get_indexer(values)
        if not len(self.id_table):  # no table has any id: everything is unknown
            return np.full(len(where), -1, dtype=np.int64)
        return np.where(where >= 0, self.id_table[where], -1)

    def column_owners(self, table: str, column: str) -> np.ndarray:
        """Return :meth:`owners` of every cell of a column (blank: -1), computed once.

        The link endpoints are looked up by both the reference and the link checks:
        each lookup of 1.5M ids costs a tenth of a second.
        """
        key = (table, column)
        if key not in self._owner:
            cells = self.raw.tables[table].frame[column].to_numpy(dtype=object)
            self._owner[key] = self.owners(cells)
        return self._owner[key]

    def check_references(self) -> None:
        for table, column, allowed in REFERENCE_COLUMNS:
            t = self.raw.tables.get(table)
            if t is None or column not in t.frame.columns:
                continue
            owner = None
            if (table, column) in self.items:   # a list column, split by lists()
                positions, values = self.items[(table, column)]
            elif column in LIST_COLUMNS:
                cells = self.columns[table][column]
                lengths = np.array([len(c) if c is not None else 0 for c in cells],
                                   dtype=np.int64)
                positions = np.repeat(np.arange(len(cells)), lengths)
                values = np.array([v for c in cells if c for v in c], dtype=object)
            else:
                keep = ~self.blank[(table, column)]
                positions = np.flatnonzero(keep)
                values = t.frame[column].to_numpy(dtype=object)[positions]
                if table == "links":   # check_links looks the endpoints up too
                    owner = self.column_owners(table, column)[positions]
            if not len(values):
                continue
            if owner is None:
                owner = self.owners(values)
            codes = [_ENTITY_TABLES.index(a) for a in allowed]
            expected = " or ".join(_A[a] for a in allowed)
            self._located(t, column, positions, values, owner == -1, "unknown-reference",
                          lambda v, allowed=allowed: self._name_hint(v, allowed))
            wrong = (owner >= 0) & ~np.isin(owner, codes)
            if table == "links":
                wrong &= ~self._contact_rows(positions)   # check_links says why, once
            self._located(t, column, positions, values, wrong, "wrong-reference",
                          self._found_fields, expected=expected)

    def _contact_rows(self, positions) -> np.ndarray:
        """Return, for link row positions, whether the row is a ``contact`` link."""
        kinds = self.columns["links"].get("type")
        if kinds is None:
            return np.zeros(len(positions), dtype=bool)
        return kinds[positions] == CONTACT_LINK

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
        source_owner = self.column_owners("links", "source_id")
        target_owner = self.column_owners("links", "target_id")
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
        self.check_contacts(t, kinds == CONTACT_LINK, source, source_owner, target_owner)

    def check_contacts(self, t, contact, source, source_owner, target_owner) -> None:
        """A contact starts from a party org or a full/probationary member, ends at a member or institution."""
        if not contact.any():
            return
        target = t.frame["target_id"].to_numpy(dtype=object)
        org = _ENTITY_TABLES.index("party_orgs")
        member = _ENTITY_TABLES.index("members")
        institution = _ENTITY_TABLES.index("institutions")
        rows = np.flatnonzero(contact)          # only the contact rows are looked at
        status_of = self._member_statuses(np.concatenate([source[rows], target[rows]]))
        may = np.ones(len(source), dtype=bool)
        may[rows] = [owner == org or (owner == member and status_of.get(v) in
                                      CONTACT_SOURCE_STATUSES)
                     for v, owner in zip(source[rows].tolist(), source_owner[rows].tolist())]
        self.report("contact-source", t, "source_id", contact & (source_owner >= 0) & ~may,
                    values=source, fields=lambda v: self._contact_found(v, status_of))
        bad = contact & (target_owner >= 0) & (target_owner != member) & \
            (target_owner != institution)
        self.report("contact-target", t, "target_id", bad, values=target,
                    fields=lambda v: self._contact_found(v, status_of))

    def _member_statuses(self, values) -> dict:
        """Return {member id: canonical status} (statuses that did not validate: None).

        When no id is repeated, only the members among ``values`` are in it (found
        through the id index: a dict of every member costs more than the contacts).
        """
        t = self.raw.tables.get("members")
        status = self.columns.get("members", {}).get("status")
        if t is None or status is None or "id" not in t.frame.columns:
            return {}
        if not self.ids_unique:
            return dict(zip(t.frame["id"].tolist(), status.tolist()))
        values = pd.unique(np.asarray(values, dtype=object))
        where = self.id_index.get_indexer(values)
        found = np.flatnonzero(where >= 0)
        found = found[self.id_table[where[found]] == _ENTITY_TABLES.index("members")]
        return dict(zip(values[found].tolist(),
                        status[self.id_position[where[found]]].tolist()))

    def _contact_found(self, value, status_of) -> dict:
        """What a contact endpoint is, for the message (a member: with its status)."""
        table = _ENTITY_TABLES[self.owners([value])[0]]
        if table == "members" and status_of.get(value) is not None:
            status = status_of[value]
            return {"found": f"a member with status '{status}'",
                    "found_zh": f"政治面貌为“{ZH.get(status, status)}”的人员"}
        return {"found": _A[table]}

    def check_members(self) -> None:
        t = self.raw.tables.get("members")
        if t is None:
            return
        status = self.columns["members"].get("status")
        if status is None:
            return
        self.check_representatives(t, status)
        if "org_id" not in t.frame.columns:
            return
        may = np.isin(status, list(STATUSES_WITH_ORG)) | self.none[("members", "status")]
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

    def check_representatives(self, t, status) -> None:
        """The role representative (党外代表人士) is for people outside the party."""
        roles = self.columns["members"].get("roles")
        if roles is None:
            return
        # only party members and activists with roles can break the rule
        may_break = np.isin(status, list(STATUSES_WITH_ORG)) & ~self.blank[("members", "roles")]
        bad = np.zeros(len(status), dtype=bool)
        if ("members", "roles") in self.items:
            # the split items of every row, from lists(): no loop over the cells
            positions, items = self.items[("members", "roles")]
            bad[positions[items == REPRESENTATIVE_ROLE]] = True
            bad &= may_break
        else:
            rows = np.flatnonzero(may_break)
            bad[rows] = [cell is not None and REPRESENTATIVE_ROLE in cell
                         for cell in roles[rows].tolist()]
        written = t.frame["status"].to_numpy(dtype=object)
        rows = t.frame[ROW_COLUMN].to_numpy()
        cells = t.frame["roles"].to_numpy(dtype=object)
        header = t.header("roles")
        for i in np.flatnonzero(bad).tolist():
            self.problems.append(Problem.make(
                "representative-status", t.file, int(rows[i]), header, cells[i],
                status=written[i]))

    def check_cycles(self) -> None:
        for table in ("regions", "institutions", "party_orgs"):
            t = self.raw.tables.get(table)
            if t is None or "parent_id" not in t.frame.columns or "id" not in t.frame.columns:
                continue
            keep = ~self.blank[(table, "parent_id")] & ~self.blank[(table, "id")]
            ids = t.frame["id"].to_numpy(dtype=object)[keep]
            parents = t.frame["parent_id"].to_numpy(dtype=object)[keep]
            rows = t.frame[ROW_COLUMN].to_numpy()[keep]
            looping = _in_cycles(ids, parents)
            if looping is not None:
                # the walk below only needs to start from the ids that lead into a
                # cycle: the others reach a root, and their walks report nothing
                if not looping.any():
                    continue
                ids, parents, rows = ids[looping], parents[looping], rows[looping]
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
            level_of = {kind: INSTITUTION_KINDS[kind].level for kind in INSTITUTION_KINDS}
            filled = np.fromiter(map(level_of.__getitem__, out["kind"].tolist()), dtype=object,
                                 count=size)
            levels = out.get("level")
            if levels is not None:
                filled = np.where(self.none[("institutions", "level")], filled, levels)
            out["level"] = filled
        if t.table == "links" and "count" not in out:
            out["count"] = np.ones(size, dtype=np.int64)
        for column in REQUIRED_COLUMNS[t.table] + OPTIONAL_COLUMNS[t.table]:
            if column not in out:
                out[column] = np.full(size, None, dtype=object)
        canonical = [c for c in REQUIRED_COLUMNS[t.table] + OPTIONAL_COLUMNS[t.table]]
        extra = [c for c in out if c not in canonical]
        index = pd.RangeIndex(size)
        columns = {c: _series(out[c], index) for c in canonical + extra}
        # the raw table's row numbers, not copied: with copy-on-write pandas copies them
        # only if either frame is changed
        columns[ROW_COLUMN] = t.frame[ROW_COLUMN].astype(np.int64).set_axis(index)
        # copy=False: one block per column.  The arrays are this checker's own, and
        # pandas would otherwise stack the text columns into one 2-D block: a copy of
        # the whole table, slow on fresh memory at a million rows
        return pd.DataFrame(columns, index=index, copy=False)


def _in_cycles(ids: np.ndarray, parents: np.ndarray) -> np.ndarray | None:
    """Return which ids lead (through their parents) into a cycle, or None when ids repeat.

    ``parents[i]`` is the parent of ``ids[i]``; a parent that is not among ``ids``
    is a root.  Pointer doubling: after k rounds each id points at its ancestor
    2**k steps up (or at the root sentinel), so log2(n) rounds of numpy indexing
    settle every id that reaches a root; the others go round a cycle.

    Examples
    --------
    >>> ids = np.array(["A", "B", "C", "D", "E"], dtype=object)
    >>> _in_cycles(ids, np.array(["B", "C", "B", "A", "X"], dtype=object)).tolist()
    [True, True, True, True, False]
    >>> _in_cycles(np.array(["A", "A"], dtype=object), np.array(["B", "C"], dtype=object)) is None
    True
    """
    index = pd.Index(ids, dtype=object)
    if not index.is_unique:
        return None
    size = len(ids)
    up = index.get_indexer(parents)
    up = np.append(np.where(up >= 0, up, size), size)   # size: the root sentinel
    for _ in range(max(size, 1).bit_length() + 1):
        up = up[up]
    return up[:size] != size


def _shown(value: str, limit: int = 60) -> str:
    """A cell value for a message: control characters as escapes, cut to ``limit`` characters."""
    from orgnet.graphmodel.outputs import clean_text

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
    """Wrap a column; text stays object dtype (pandas 3 would infer str, None -> NaN).

    The array is wrapped, not copied (pandas 3 copies by default): the checker built it.
    """
    values = np.asarray(values)
    return pd.Series(values, index=index, dtype=object if values.dtype == object else None,
                     copy=False)


def _mapped(values: np.ndarray, function) -> tuple[np.ndarray, np.ndarray]:
    """Return ``function(v)`` for each value (a new object array) and where it is None.

    The function runs once per distinct value: a column holds few distinct
    values, and one factorization finds them and where each one is.  A cell
    pandas takes as missing (None, NaN: only in a frame built by hand) is
    mapped as None.

    Examples
    --------
    >>> out, none = _mapped(np.array(["a", "b", "a", None], dtype=object), {"a": 1}.get)
    >>> out.tolist(), none.tolist()
    ([1, None, 1, None], [False, True, False, True])
    """
    codes, uniques = _factorized(values)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [function(u) for u in uniques.tolist()]
    if len(codes) and codes.min() < 0:
        results[-1] = function(None)
    return results[codes], np.array([r is None for r in results], dtype=bool)[codes]


def _factorized(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values)``: codes (-1 for None or NaN) and the distinct values.

    With its default ``use_na_sentinel=True``: the other setting costs one more
    pass over the cells (an ``isna``).
    """
    return pd.factorize(values)


def _count(text: str) -> int | None:
    """The number a ``count`` cell holds (digits only, at most 18 of them), or None.

    Examples
    --------
    >>> _count("12"), _count("-1"), _count("١٢"), _count("1" * 19)
    (12, None, None, None)
    """
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _with_none(values: np.ndarray, blank: np.ndarray) -> np.ndarray:
    out = np.array(values, dtype=object)   # a copy: the raw table keeps its cells
    out[blank] = None
    return out


def _split(cell: str, roles: bool) -> list[str]:
    """Split a list cell on ; ； 、, drop blanks and repeats; canonicalize known roles."""
    if not any(separator in cell for separator in LIST_SEPARATORS):
        parts = [cell]   # one item (most cells): no regular expression needed
    else:
        parts = _SPLIT.split(cell)
    items = []
    for part in parts:
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


def vocabulary_values(aliases, lang: str = "en") -> list[str]:
    """Return one accepted spelling per key of a vocabulary, in schema order.

    ``en`` gives the keys; ``zh`` the Chinese name of each key that the loader
    accepts (the display name of ``schema.ZH`` when it is an alias of that key,
    else the first Chinese alias).  Dropdowns and "expected one of" lists use it.

    Examples
    --------
    >>> vocabulary_values(MEMBER_STATUS_ALIASES, "zh")[:3]
    ['正式党员', '预备党员', '入党积极分子']
    >>> vocabulary_values(LEVEL_ALIASES)
    ['village', 'township', 'county', 'city', 'province']
    """
    keys = list(dict.fromkeys(aliases.values()))
    if lang != "zh":
        return keys
    return [_zh_spelling(aliases, key) for key in keys]


def _zh_spelling(aliases, key: str) -> str:
    shown = ZH.get(key)
    if shown is not None and aliases.get(shown.lower()) == key:
        return shown
    return next((s for s, k in aliases.items() if k == key and not s.isascii()), key)


def _level_cues() -> dict[str, str]:
    """Chinese level words that, inside an institution kind, always mean that level.

    Taken from the schema: a word of ``LEVEL_ALIASES`` is a cue only when every
    kind spelling containing it has that level (``村`` is; ``社区`` is not: a
    社区卫生服务中心 is township level).
    """
    cues = {}
    for word, level in LEVEL_ALIASES.items():
        if word.isascii():
            continue
        kinds = {k for s, k in INSTITUTION_KIND_ALIASES.items() if word in s}
        if all(INSTITUTION_KINDS[k].level == level for k in kinds):
            cues[word] = level
    return cues


_LEVEL_CUES = _level_cues()


def _kind_candidates(text: str, spellings: list[str]) -> list[str]:
    """Return the close spellings of an institution kind that keep to one level.

    A level word in the text (``村``, ``乡``, ``县`` ...) keeps candidates to that
    level.  Without one, the closest spellings are kept only while they share the
    best one's level ... unless equally close spellings name another level: then
    both are returned, so that the hint asks instead of guessing.
    """
    levels = {level for word, level in _LEVEL_CUES.items() if word in text}
    level_of = {s: INSTITUTION_KINDS[INSTITUTION_KIND_ALIASES[s]].level for s in spellings}
    if len(levels) == 1:
        spellings = [s for s in spellings if level_of[s] in levels]
    scored = sorted(((difflib.SequenceMatcher(None, text, s).ratio(), -i, s)
                     for i, s in enumerate(spellings)), reverse=True)
    scored = [x for x in scored if x[0] >= 0.6]
    if not scored:
        return []
    best = scored[0][0]
    picked = []
    for score, _, spelling in scored:
        if score < best - 1e-9:
            break
        if all(INSTITUTION_KIND_ALIASES[spelling] != INSTITUTION_KIND_ALIASES[p] for p in picked):
            picked.append(spelling)
    return sorted(picked, key=lambda s: LEVELS.index(level_of[s]))


def _suggestion(aliases, value: str) -> dict:
    """Return the hint for an unknown vocabulary value: the closest valid value, or all.

    An institution kind is never "corrected" across levels (see
    :func:`_kind_candidates`); the Chinese hint names Chinese values.

    Examples
    --------
    >>> _suggestion(INSTITUTION_KIND_ALIASES, "村卫生站")["hint"]
    "; did you mean '村卫生室' (village_clinic)?"
    >>> _suggestion(MEMBER_STATUS_ALIASES, "党 员 x")["hint_zh"]
    '；应为以下之一：正式党员、预备党员、入党积极分子、群众、民主党派、无党派人士'
    """
    text = str(value).strip().lower()
    spellings = list(aliases)
    squashed = {s.replace("_", "").replace("-", "").replace(" ", ""): s for s in spellings}
    key = squashed.get(text.replace("_", "").replace("-", "").replace(" ", ""))
    if key:
        match = [key]
    elif aliases is INSTITUTION_KIND_ALIASES:
        match = _kind_candidates(text, spellings)
    else:
        match = difflib.get_close_matches(text, spellings, n=1, cutoff=0.6)
    if len(match) > 1:
        en = " or ".join(f"'{s}' ({aliases[s]}, {INSTITUTION_KINDS[aliases[s]].level})"
                         for s in match)
        zh = "还是".join(f"“{_zh_spelling(aliases, aliases[s])}”"
                        f"（{ZH[INSTITUTION_KINDS[aliases[s]].level]}级）" for s in match)
        return {"hint": f"; which level is it: {en}?", "hint_zh": f"；属于哪一级：{zh}？"}
    if match:
        spelling = match[0]
        canonical = aliases[spelling]
        zh = _zh_spelling(aliases, canonical)
        hint_zh = f"；是否应为“{zh}”？" if zh != canonical else f"；是否应为“{canonical}”？"
        if spelling == canonical:
            return {"hint": f"; did you mean '{canonical}'?", "hint_zh": hint_zh}
        return {"hint": f"; did you mean '{spelling}' ({canonical})?", "hint_zh": hint_zh}
    return {"hint": "; expected one of: " + ", ".join(vocabulary_values(aliases)),
            "hint_zh": "；应为以下之一：" + "、".join(vocabulary_values(aliases, "zh"))}


#: how many further places an unknown id's line names before "..."
_MAX_PLACES = 5


def _one_per_unknown_id(problems: list[Problem]) -> list[Problem]:
    """Report every reference to one unknown id once, with the number of references.

    A mistyped or duplicated id makes each later reference to the intended id
    fail; one line "... does not exist; 4 references to it: ..." tells it, and the
    problem keeps every place in ``also`` (an annotated workbook marks them all).
    """
    places: dict[str, list[Problem]] = {}
    for p in problems:
        if p.code == "unknown-reference":
            places.setdefault(p.value, []).append(p)
    out = []
    for p in problems:
        if p.code != "unknown-reference" or len(places[p.value]) == 1:
            out.append(p)
            continue
        group = places[p.value]
        if p is not group[0]:
            continue
        rest = group[1:]
        shown = ", ".join(f"{q.file}:{q.row}" for q in rest[:_MAX_PLACES])
        more = len(rest) - _MAX_PLACES
        refs = f"; {len(group)} references to it (also {shown}" + \
            (f" and {more} more)" if more > 0 else ")")
        refs_zh = f"；共 {len(group)} 处引用（另见 {shown}" + (f" 等 {more} 处）" if more > 0 else "）")
        merged = p.with_fields(refs=refs, refs_zh=refs_zh)
        out.append(dataclasses.replace(merged, also=tuple((q.file, q.row, q.cell) for q in rest)))
    return out
