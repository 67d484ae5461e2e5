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

from openpyxl.utils import get_column_letter

from orgnet.graphmodel.schema import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TABLE_ALIASES, TABLE_ORDER
from orgnet.loaders.limits import current_limits, over_limit
from orgnet.loaders.problems import Problem
from orgnet.loaders.raw import (
    COLUMN_KEYS, RawDataset, ReadWarning, cell_text, column_key, frame_from_rows, table_name,
)

__all__ = ["read_xlsx"]

_MB = 1 << 20


def read_xlsx(path, *, progress=None) -> RawDataset:
    """Read the table sheets of a workbook.

    Every row that exists in a sheet is read, whatever the sheet's stored
    ``<dimension>`` says; a workbook over the limits of :mod:`orgnet.loaders.limits`
    (file size, uncompressed size, rows, columns, characters of text) is refused
    with an ``over-limit`` problem before it can exhaust memory.  Hidden sheets and
    hidden rows are read like the others, with a warning (``RawDataset.warnings``);
    Excel error values (``#N/A``) and formulas without a stored value in a
    format column are ``bad-cell`` problems.

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
    limits = current_limits()
    problem = _over_size(path, limits)
    if problem is not None:
        raw.problems.append(problem)
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
        budget = [limits.text_chars]
        for table, sheet in sheets:
            file = f"{path.name}[{sheet.title}]"
            if getattr(sheet, "sheet_state", "visible") != "visible":
                raw.warnings.append(ReadWarning(
                    f"{file}: the sheet is hidden in Excel; it is read like the others",
                    f"{file}：该工作表在 Excel 中被隐藏；照常读取"))
            try:
                result, problems, notes = _read_sheet(table, sheet, file, book, limits, budget,
                                                      raw.warnings)
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
                    like = _table_like(book, sheet, present)
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


def _over_size(path: Path, limits) -> Problem | None:
    """An ``over-limit`` problem when the file or its unpacked parts are too large."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # openpyxl reports the unreadable file
    if size > limits.file_bytes:
        return over_limit(path.name, None, f"the file is {size / _MB:,.0f} MB",
                          f"文件大小为 {size / _MB:,.0f} MB", limits.file_bytes // _MB,
                          "MB", "file_bytes")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if unpacked > limits.unzipped_bytes:
        return over_limit(path.name, None,
                          f"the workbook unpacks to {unpacked / _MB:,.0f} MB "
                          f"({size / _MB:,.1f} MB on disk: a zip bomb?)",
                          f"工作簿解压后为 {unpacked / _MB:,.0f} MB（磁盘上 {size / _MB:,.1f} MB："
                          "疑似压缩炸弹）", limits.unzipped_bytes // _MB, "MB", "unzipped_bytes")
    return None


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
#: how many columns of a leading row are looked at for a header
_HEADER_WIDTH = 256


def _header_keys(cells) -> set[str]:
    return {column_key(c) for c in cells if c} & COLUMN_KEYS


def _table_like(book, sheet, present) -> str | None:
    """Return the table whose columns an unnamed sheet's header has (None if none)."""
    best = None
    rows = _first_rows(book, sheet)
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


def _first_rows(book, sheet):
    """Return the first non-blank rows ``(number, cells)`` of a sheet (a few).

    Read from the sheet XML like every other row (the stored dimension is not used),
    and only as wide as a header can sensibly be.
    """
    rows = []
    for number, cells, _ in _sheet_rows(book, sheet):
        if number > 50:
            break
        values = [""] * min(max((c["column"] for c in cells), default=0), _HEADER_WIDTH)
        for cell in cells:
            if cell["column"] <= _HEADER_WIDTH:
                values[cell["column"] - 1] = cell_text(cell["value"])
        if any(values):
            rows.append((number, values))
            if len(rows) > _TITLE_ROWS:
                break
    return rows


def _why(err: Exception) -> dict:
    text = str(err).strip() or type(err).__name__
    return {"reason": f"not an Excel .xlsx workbook, or a damaged one ({text})",
            "reason_zh": f"不是 Excel .xlsx 工作簿，或文件已损坏（{text}）"}


def _parser(book, sheet, source):
    """A worksheet parser that also marks formulas with no stored value."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                formula = element.find(FORMULA_TAG)
                cell["data_type"] = "uncached"
                cell["formula"] = "=" + (formula.text or "")
            return cell

    return Parser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                  date_formats=book._date_formats,
                  timedelta_formats=book._timedelta_formats)


def _sheet_rows(book, sheet):
    """Yield ``(row number, cells, hidden)`` for every row that exists in the sheet XML.

    The stored ``<dimension>`` is not used: a stale one would hide rows.  ``cells``
    are openpyxl's cell dicts (``column``, ``value``, ``data_type``), sparse.
    """
    with sheet._get_source() as source:
        parser = _parser(book, sheet, source)
        for number, cells in parser.parse():
            attrs = parser.row_dimensions.get(str(number))
            hidden = bool(attrs) and attrs.get("hidden") in ("1", "true")
            yield number, cells, hidden


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


def _read_sheet(table: str, sheet, file: str, book, limits, budget, warnings):
    leading = _first_rows(book, sheet)
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
    header_row = 1
    rows: list[list[str]] = []
    numbers: list[int] = []
    odd: list[tuple[int, int, str, str]] = []   # (row, column, value, kind) of error cells
    hidden: list[int] = []
    for number, cells, is_hidden in _sheet_rows(book, sheet):
        if not cells or number < start:
            continue
        width = max(c["column"] for c in cells)
        if width > limits.columns:
            far = max(cells, key=lambda c: c["column"])
            coordinate = f"{get_column_letter(far['column'])}{number}"
            return None, [over_limit(
                file, number, f"cell {coordinate} is in column {far['column']:,}",
                f"单元格 {coordinate} 位于第 {far['column']:,} 列", limits.columns,
                "columns", "columns")], notes
        values = [""] * width
        for cell in cells:
            value = cell["value"]
            kind = cell.get("data_type")
            if kind == "uncached":
                odd.append((number, cell["column"], cell["formula"], kind))
                continue
            if kind == "e" and value is not None:
                odd.append((number, cell["column"], str(value), kind))
            text = cell_text(value)
            budget[0] -= len(text)
            values[cell["column"] - 1] = text
        if budget[0] < 0:
            return None, [over_limit(
                file, number, "the cells hold too much text (a shared-string bomb?)",
                "单元格文字总量过大（疑似共享字符串炸弹）", limits.text_chars // 1_000_000,
                "million characters", "text_chars")], notes
        while values and not values[-1]:
            values.pop()
        if header is None:
            if values:
                header = values
                header_row = number
            continue
        if not values:
            continue
        if len(rows) >= limits.rows:
            return None, [over_limit(file, number, f"the sheet has more than {limits.rows:,} rows",
                                     f"工作表超过 {limits.rows:,} 行", limits.rows, "rows",
                                     "rows")], notes
        rows.append(values)
        numbers.append(number)
        if is_hidden:
            hidden.append(number)
    if header is None:
        expected = ", ".join(REQUIRED_COLUMNS[table])
        return None, [Problem.make("empty-file", file, expected=expected)], notes
    result, problems = frame_from_rows(table, file, header, rows, numbers)
    result.sheet = sheet.title
    if header_row != 1:
        problems = [_moved(p, header_row) for p in problems]
    problems += _odd_cells(odd, header, header_row, file)
    if hidden:
        shown = ", ".join(str(n) for n in hidden[:10]) + (", …" if len(hidden) > 10 else "")
        warnings.append(ReadWarning(
            f"{file}: {len(hidden)} row{'s' if len(hidden) != 1 else ''} hidden in Excel "
            f"({shown}); {'they are' if len(hidden) != 1 else 'it is'} read like the others",
            f"{file}：{len(hidden)} 行在 Excel 中被隐藏（{shown}）；照常读取"))
    return result, problems, notes


def _odd_cells(odd, header, header_row, file) -> list[Problem]:
    """``bad-cell`` problems for Excel error values and unstored formulas in format columns."""
    problems = []
    for number, column, value, kind in odd:
        if number <= header_row or column > len(header):
            continue
        written = str(header[column - 1]).strip()
        if column_key(written) not in COLUMN_KEYS:
            continue  # an extra column: kept as text
        if kind == "uncached":
            got = ("a formula with no stored value; open the workbook in Excel and save it, "
                   "or paste the values")
            got_zh = "没有保存结果的公式；请在 Excel 中打开并保存工作簿，或粘贴为数值"
        else:
            got = f"the Excel error value {value}; fix the formula or type the value"
            got_zh = f"Excel 错误值 {value}；请修正公式或直接填写"
        problems.append(Problem.make("bad-cell", file, number, written, value,
                                     got=got, got_zh=got_zh))
    return problems


def _moved(problem: Problem, header_row: int) -> Problem:
    """Re-locate a header problem to the sheet row the header is on."""
    if problem.row != 1:
        return problem
    return Problem(problem.file, header_row, problem.column, problem.value,
                   problem.code, problem.message, problem.params)
