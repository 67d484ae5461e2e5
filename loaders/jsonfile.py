"""Read a ``.json`` dataset: an object of table name -> array of row objects.

Table names and keys may be English or Chinese (section 4).  List cells
(``institution_ids``, ``roles``) may be JSON arrays or separator-joined strings;
numbers become text (``101``, not ``101.0``); ``null`` is a blank cell.  Rows are
numbered as if the array were a sheet under a header: the first object is row 2.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "d.json"
>>> _ = path.write_text('{"机构": [{"编号": 101, "名称": "县医院", "类型": "县医院"}],'
...                     ' "party_orgs": [{"id": "O1", "name": "党委", "kind": "党委",'
...                     ' "institution_ids": ["101"]}]}', encoding="utf-8")
>>> raw = read_json(path)
>>> raw.tables["institutions"].frame["id"].tolist(), raw.tables["institutions"].file
(['101'], 'd.json[机构]')
>>> raw.tables["party_orgs"].frame["institution_ids"].tolist()
['101']
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from orgnet.graphmodel.schema import LIST_COLUMNS, LIST_SEPARATORS, REQUIRED_COLUMNS
from orgnet.loaders.limits import current_limits, over_limit
from orgnet.loaders.problems import Problem
from orgnet.loaders.raw import RawDataset, cell_text, column_key, frame_from_rows, table_name

__all__ = ["read_json"]

_CHUNK = 1 << 20
#: nesting depth reported for JSON too deep to parse (rows need 3 levels, list cells 4)
MAX_DEPTH = 100
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]')


class _LongNumber(str):
    """The digits of a JSON integer too long to be a number (Python's 4300-digit limit)."""


class _Object(dict):
    """A JSON object that gave some keys more than once (``repeated`` lists them)."""

    repeated: list


def _object(pairs):
    """object_pairs_hook: a plain dict, or an :class:`_Object` naming repeated keys."""
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    out = _Object(result)
    seen: set = set()
    out.repeated = [k for k, _ in pairs if k in seen or seen.add(k)]
    return out


def _parse(text: str):
    """json.loads; integers longer than Python converts are kept as :class:`_LongNumber`."""
    try:
        return json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError:
        raise
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        def integer(digits):
            return _LongNumber(digits) if len(digits) > 4000 else int(digits)

        return json.loads(text, object_pairs_hook=_object, parse_int=integer)


def _too_deep(text: str) -> tuple[int, int]:
    """Return (line, column) where JSON nesting first passes :data:`MAX_DEPTH`."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group(0)
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                return line, start - (text.rfind("\n", 0, start) + 1) + 1
        elif token in "]}":
            depth -= 1
    return 1, 1


def read_json(path, *, progress=None) -> RawDataset:
    """Read the tables of a JSON dataset.

    Parameters
    ----------
    path : str or Path
    progress : callable, optional
        Called with the number of bytes read, as reading goes.

    Returns
    -------
    RawDataset
    """
    path = Path(path)
    raw = RawDataset(str(path), path.name)
    limit = current_limits().file_bytes
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size > limit:
        raw.problems.append(over_limit(path.name, None, f"the file is {size / (1 << 20):,.0f} MB",
                                       f"文件大小为 {size / (1 << 20):,.0f} MB", limit >> 20,
                                       "MB", "file_bytes"))
        return raw
    try:
        chunks = []
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                chunks.append(chunk)
                if progress:
                    progress(len(chunk))
        data = b"".join(chunks)
        del chunks
    except OSError as err:
        raw.problems.append(Problem.make("unreadable-file", path.name,
                                         reason=err.strerror or str(err),
                                         reason_zh=f"系统错误：{err.strerror or err}"))
        return raw
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raw.problems.append(Problem.make(
            "unreadable-file", path.name, data.count(b"\n", 0, err.start) + 1,
            reason=f"not UTF-8 text (bad byte at {err.start}); JSON files must be UTF-8",
            reason_zh=f"不是 UTF-8 文字（第 {err.start} 字节出错）；JSON 文件必须是 UTF-8"))
        return raw
    del data
    if not text.strip():
        raw.problems.append(Problem.make(
            "unreadable-file", path.name,
            reason='the file is empty; expected an object like {"institutions": [...]}',
            reason_zh='文件为空；应为形如 {"institutions": [...]} 的对象'))
        return raw
    try:
        document = _parse(text)
    except json.JSONDecodeError as err:
        raw.problems.append(Problem.make(
            "unreadable-file", path.name, err.lineno,
            reason=f"malformed JSON: {err.msg} (line {err.lineno}, column {err.colno})",
            reason_zh=f"JSON 格式错误：{err.msg}（第 {err.lineno} 行第 {err.colno} 列）"))
        return raw
    except RecursionError:
        line, column = _too_deep(text)
        raw.problems.append(Problem.make(
            "unreadable-file", path.name, line,
            reason=f"JSON nested more than {MAX_DEPTH} levels deep (line {line}, column "
                   f"{column}); a row is an object of text or number cells",
            reason_zh=f"JSON 嵌套超过 {MAX_DEPTH} 层（第 {line} 行第 {column} 列）；"
                      "每一行应为由文字或数字单元格组成的对象"))
        return raw
    del text
    if not isinstance(document, dict):
        raw.problems.append(Problem.make(
            "bad-json", path.name,
            reason='the top level must be an object of tables, like '
                   f'{{"institutions": [...]}}; got {_kind(document)}',
            reason_zh='最外层应为各表组成的对象，形如 {"institutions": [...]}；'
                      f'实际为{_KIND_ZH[_kind(document)]}'))
        return raw
    if isinstance(document, _Object):
        raw.problems.extend(Problem.make(
            "bad-json", path.name, reason=f'table "{key}" is given twice at the top level; '
                                          "keep one",
            reason_zh=f"最外层的表“{key}”出现两次；请只保留一个") for key in document.repeated)
    found = set()
    for key, records in document.items():
        table = table_name(key)
        if table is None:
            continue
        found.add(table)
        file = f"{path.name}[{key}]"
        if not isinstance(records, list):
            raw.problems.append(Problem.make(
                "bad-json", file,
                reason=f"a table must be an array of objects; got {_kind(records)}",
                reason_zh=f"表应为对象数组；实际为{_KIND_ZH[_kind(records)]}"))
            continue
        result, problems = _table(table, file, records)
        if result is None:
            raw.problems.extend(problems)
        else:
            raw.add(result, problems)
    if "institutions" not in found:
        keys = ", ".join(list(document)[:10]) or "none"
        raw.problems.append(Problem.make(
            "missing-table", path.name,
            hint=f': no key "institutions" or "机构" at the top level (keys: {keys})',
            hint_zh=f'：最外层没有 "institutions" 或 "机构"（现有：{keys}）'))
    return raw


_KIND_ZH = {"an object": "对象", "an array": "数组", "a string": "字符串", "null": "null",
            "true/false": "布尔值", "a number": "数字"}


def _kind(value) -> str:
    return {dict: "an object", list: "an array", str: "a string", type(None): "null",
            bool: "true/false"}.get(type(value), "a number")


def _shown(key) -> str:
    text = str(key)
    return text if len(text) <= 40 else text[:40] + "…"


def _table(table: str, file: str, records: list):
    """Turn an array of row objects into a RawTable.

    Objects may use different spellings of a column (``name`` in one, ``名称`` in
    another); one object giving the same column twice is a duplicate header.
    """
    problems: list[Problem] = []
    written: dict[str, str] = {}          # column -> first key spelling it
    limits = current_limits()
    if len(records) > limits.rows:
        return None, [over_limit(file, limits.rows + 2, f"the table has {len(records):,} rows",
                                 f"该表有 {len(records):,} 行", limits.rows, "rows", "rows")]
    for index, record in enumerate(records):
        if isinstance(record, dict):
            for key in record:
                written.setdefault(column_key(str(key)), str(key))
            if len(written) > limits.columns:
                # rows that each bring their own keys would make a table of rows x keys
                return None, [over_limit(
                    file, index + 2, f"the rows use more than {limits.columns:,} different keys "
                                     f"(this row adds '{_shown(key)}')",
                    f"各行共使用超过 {limits.columns:,} 个不同的键（本行新增“{_shown(key)}”）",
                    limits.columns, "columns", "columns")]
    if not records:   # an empty array is an empty table, not one without its columns
        written = {c: c for c in REQUIRED_COLUMNS[table]}
    position = {column: i for i, column in enumerate(written)}
    listed = [column in LIST_COLUMNS for column in written]
    rows = []
    numbers = []
    for index, record in enumerate(records):
        number = index + 2
        if not isinstance(record, dict):
            problems.append(Problem.make(
                "bad-json", file, number,
                reason=f"each row must be an object; got {_kind(record)}",
                reason_zh=f"每一行应为对象；实际为{_KIND_ZH[_kind(record)]}"))
            continue
        cells = [""] * len(written)
        given: dict[int, str] = {}
        for key in getattr(record, "repeated", ()):
            problems.append(Problem.make(
                "duplicate-header", file, number, str(key), other=str(key),
                where=" (the same key twice in one object)",
                where_zh="（同一对象中出现两次）"))
        for key, value in record.items():
            i = position[column_key(str(key))]
            if i in given:
                problems.append(Problem.make(
                    "duplicate-header", file, number, str(key), other=given[i], where=""))
                continue
            given[i] = str(key)
            if isinstance(value, (list, dict)):
                if listed[i] and isinstance(value, list) and not any(
                        isinstance(v, (list, dict)) for v in value):
                    value = LIST_SEPARATORS[0].join(cell_text(v) for v in value)
                else:
                    problems.append(Problem.make(
                        "bad-cell", file, number, str(key),
                        json.dumps(value, ensure_ascii=False)[:60],
                        got="an object" if isinstance(value, dict) else "a list"))
                    value = None
            if isinstance(value, _LongNumber):
                problems.append(Problem.make(
                    "bad-cell", file, number, str(key), value[:20] + "…",
                    got=f"a whole number of {len(value)} digits (write long ids as text, "
                        f"in quotes)",
                    got_zh=f"长达 {len(value)} 位的整数（较长的编号请写成带引号的文字）"))
                value = str(value)
            cells[i] = cell_text(value)
        rows.append(cells)
        numbers.append(number)
    result, header_problems = frame_from_rows(table, file, list(written.values()), rows, numbers)
    return result, header_problems + problems
