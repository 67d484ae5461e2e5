"""Read an ``.xlsx`` workbook with one sheet per table.

Sheets are named after the tables (``institutions``) or with their Chinese
names (``机构``); other sheets (notes, pivot tables) are ignored.  The first
non-blank row of a sheet is its header; rows keep their sheet row numbers.
Numbers typed into id cells lose their ``.0``; dates become ISO dates.

Examples
--------
>>> import pathlib, tempfile, openpyxl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "county.xlsx"
>>> book = openpyxl.Workbook(); sheet = book.active; sheet.title = "机构"
>>> sheet.append(["编号", "名称", "类型"]); sheet.append([101, "县医院", "县医院"])
>>> book.save(path)
>>> raw = read_xlsx(path)
>>> t = raw.tables["institutions"]
>>> t.file, t.frame["id"].tolist(), t.frame["_row"].tolist()
('county.xlsx[机构]', ['101'], [2])
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from orgnet.graphmodel.schema import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TABLE_ALIASES, TABLE_ORDER
from orgnet.loaders.problems import Problem
from orgnet.loaders.raw import COLUMN_KEYS, RawDataset, cell_text, column_key, frame_from_rows, table_name

__all__ = ["read_xlsx"]


def read_xlsx(path, *, progress=None) -> RawDataset:
    """Read the table sheets of a workbook.

    Parameters
    ----------
    path : str or Path
    progress : callable, optional
        Called with a share of the file size as each sheet is read.

    Returns
    -------
    RawDataset
    """
    import openpyxl

    path = Path(path)
    raw = RawDataset(str(path), path.name)
    if path.suffix.lower() == ".xls":
        raw.problems.append(Problem.make(
            "unreadable-file", path.name,
            reason="old .xls workbooks are not read; save it as .xlsx (Excel Workbook)",
            reason_zh="不读取旧版 .xls 工作簿；请另存为 .xlsx（Excel 工作簿）"))
        return raw
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError) as err:
        raw.problems.append(Problem.make("unreadable-file", path.name, **_why(err)))
        return raw
    except Exception as err:  # openpyxl raises many kinds on damaged files
        raw.problems.append(Problem.make("unreadable-file", path.name, **_why(err)))
        return raw
    try:
        named = [(table_name(s.title), s) for s in book.worksheets]
        sheets = [(t, s) for t, s in named if t is not None]
        size = path.stat().st_size
        for table, sheet in sheets:
            file = f"{path.name}[{sheet.title}]"
            try:
                result, problems, notes = _read_sheet(table, sheet, file)
            except Exception as err:  # damaged sheet data inside a readable zip
                raw.problems.append(Problem.make("unreadable-file", file, **_why(err)))
                continue
            raw.notes.extend(notes)
            if result is None:
                raw.problems.extend(problems)
            else:
                raw.add(result, problems)
            if progress:
                progress(size // max(len(sheets), 1))
        present = {t for t, _ in sheets}
        lookalikes = {}
        for table, sheet in named:
            if table is None:
                try:
                    like = _table_like(sheet, present)
                except Exception:  # an unread sheet is no reason to fail
                    like = None
                if like is not None and like not in lookalikes:
                    lookalikes[like] = sheet.title
        for like, title in lookalikes.items():
            if like != "institutions":
                raw.notes.append(Problem.make("sheet-like-table", path.name, sheet=title,
                                              table=like, name=zh_table_name(like)))
        if "institutions" not in present:
            names = ", ".join(s.title for s in book.worksheets[:10])
            hint = f": no sheet named institutions or 机构 (sheets: {names})"
            hint_zh = f"：没有名为 institutions 或 机构 的工作表（现有：{names}）"
            if "institutions" in lookalikes:
                title = lookalikes["institutions"]
                hint += f"; sheet '{title}' has its columns: rename it to 机构"
                hint_zh += f"；工作表“{title}”的列与机构表相符：请将其重命名为“机构”"
            raw.problems.append(Problem.make("missing-table", path.name, hint=hint,
                                             hint_zh=hint_zh))
    finally:
        book.close()
    return raw


def zh_table_name(table: str) -> str:
    """Return the Chinese sheet name of a table (the first of section 4).

    Examples
    --------
    >>> zh_table_name("institutions"), zh_table_name("members")
    ('机构', '人员')
    """
    return next(zh for zh, t in TABLE_ALIASES.items() if t == table)


#: how many leading non-blank rows may hold a title above the header
_TITLE_ROWS = 5


def _header_keys(cells) -> set[str]:
    return {column_key(c) for c in cells if c} & COLUMN_KEYS


def _table_like(sheet, present) -> str | None:
    """Return the table whose columns an unnamed sheet's header has (None if none)."""
    best = None
    rows = _first_rows(sheet)
    for _, cells in rows:
        keys = _header_keys(cells)
        for table in TABLE_ORDER:
            if table in present or not set(REQUIRED_COLUMNS[table]) <= keys:
                continue
            named = zh_table_name(table) in sheet.title or table in sheet.title.lower()
            score = (named, len(keys & set(REQUIRED_COLUMNS[table] + OPTIONAL_COLUMNS[table])))
            if best is None or score > best[0]:
                best = (score, table)
        if best is not None:
            return best[1]
    return None


def _first_rows(sheet):
    """Return the first non-blank rows ``(number, cells)`` of a sheet (a few)."""
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        cells = [cell_text(v) for v in values]
        if any(cells):
            rows.append((number, cells))
            if len(rows) > _TITLE_ROWS:
                break
        if number > 50:
            break
    return rows


def _why(err: Exception) -> dict:
    text = str(err).strip() or type(err).__name__
    return {"reason": f"not an Excel .xlsx workbook, or a damaged one ({text})",
            "reason_zh": f"不是 Excel .xlsx 工作簿，或文件已损坏（{text}）"}


def _title_rows(table: str, leading) -> int:
    """Return how many leading non-blank rows are a title above the real header.

    The first non-blank row is the header unless it names no column of the format
    and a row below it (within a few) names two or more: a title such as
    "××县卫生机构情况表", merged across the columns or not.
    """
    if not leading or _header_keys(leading[0][1]):
        return 0
    for skip, (_, cells) in enumerate(leading[1:], start=1):
        if len(_header_keys(cells)) >= 2:
            return skip
    return 0


def _read_sheet(table: str, sheet, file: str):
    leading = _first_rows(sheet)
    skip = _title_rows(table, leading)
    notes = []
    start = 0
    if skip:
        start = leading[skip][0]
        first, last = leading[0][0], leading[skip - 1][0]
        title = next(c for c in leading[0][1] if c)
        if len(title) > 30:
            title = title[:29] + "…"
        notes.append(Problem.make("title-row", file, first, None, title,
                                  skipped=str(first) if first == last else f"{first}-{last}",
                                  title=title, header=start))
    header = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        if number < start:
            continue
        cells = [cell_text(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if header is None:
            if cells:
                header = cells
                header_row = number
            continue
        rows.append(cells)
        numbers.append(number)
    if header is None:
        expected = ", ".join(REQUIRED_COLUMNS[table])
        return None, [Problem.make("empty-file", file, expected=expected)], notes
    result, problems = frame_from_rows(table, file, header, rows, numbers)
    result.sheet = sheet.title
    if header_row != 1:
        problems = [_moved(p, header_row) for p in problems]
    return result, problems, notes


def _moved(problem: Problem, header_row: int) -> Problem:
    """Re-locate a header problem to the sheet row the header is on."""
    if problem.row != 1:
        return problem
    return Problem(problem.file, header_row, problem.column, problem.value,
                   problem.code, problem.message, problem.params)
