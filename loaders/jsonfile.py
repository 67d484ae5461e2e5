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
from pathlib import Path

from orgnet.graphmodel.schema import LIST_COLUMNS, LIST_SEPARATORS, REQUIRED_COLUMNS
from orgnet.loaders.problems import Problem
from orgnet.loaders.raw import RawDataset, cell_text, column_key, frame_from_rows, table_name

__all__ = ["read_json"]

_CHUNK = 1 << 20


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
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raw.problems.append(Problem.make(
            "unreadable-file", path.name, err.lineno,
            reason=f"malformed JSON: {err.msg} (line {err.lineno}, column {err.colno})",
            reason_zh=f"JSON 格式错误：{err.msg}（第 {err.lineno} 行第 {err.colno} 列）"))
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


def _table(table: str, file: str, records: list):
    """Turn an array of row objects into a RawTable.

    Objects may use different spellings of a column (``name`` in one, ``名称`` in
    another); one object giving the same column twice is a duplicate header.
    """
    problems: list[Problem] = []
    written: dict[str, str] = {}          # column -> first key spelling it
    for record in records:
        if isinstance(record, dict):
            for key in record:
                written.setdefault(column_key(str(key)), str(key))
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
            cells[i] = cell_text(value)
        rows.append(cells)
        numbers.append(number)
    result, header_problems = frame_from_rows(table, file, list(written.values()), rows, numbers)
    return result, header_problems + problems
