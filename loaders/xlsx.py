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

from graphmodel.schema import REQUIRED_COLUMNS
from loaders.problems import Problem
from loaders.raw import RawDataset, cell_text, frame_from_rows, table_name

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
        sheets = [(table_name(s.title), s) for s in book.worksheets]
        sheets = [(t, s) for t, s in sheets if t is not None]
        size = path.stat().st_size
        for table, sheet in sheets:
            file = f"{path.name}[{sheet.title}]"
            try:
                result, problems = _read_sheet(table, sheet, file)
            except Exception as err:  # damaged sheet data inside a readable zip
                raw.problems.append(Problem.make("unreadable-file", file, **_why(err)))
                continue
            if result is None:
                raw.problems.extend(problems)
            else:
                raw.add(result, problems)
            if progress:
                progress(size // max(len(sheets), 1))
        if not any(t == "institutions" for t, _ in sheets):
            names = ", ".join(s.title for s in book.worksheets[:10])
            raw.problems.append(Problem.make(
                "missing-table", path.name,
                hint=f": no sheet named institutions or 机构 (sheets: {names})",
                hint_zh=f"：没有名为 institutions 或 机构 的工作表（现有：{names}）"))
    finally:
        book.close()
    return raw


def _why(err: Exception) -> dict:
    text = str(err).strip() or type(err).__name__
    return {"reason": f"not an Excel .xlsx workbook, or a damaged one ({text})",
            "reason_zh": f"不是 Excel .xlsx 工作簿，或文件已损坏（{text}）"}


def _read_sheet(table: str, sheet, file: str):
    header = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
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
        return None, [Problem.make("empty-file", file, expected=expected)]
    result, problems = frame_from_rows(table, file, header, rows, numbers)
    if header_row != 1:
        problems = [_moved(p, header_row) for p in problems]
    return result, problems


def _moved(problem: Problem, header_row: int) -> Problem:
    """Re-locate a header problem to the sheet row the header is on."""
    if problem.row != 1:
        return problem
    return Problem(problem.file, header_row, problem.column, problem.value,
                   problem.code, problem.message)
