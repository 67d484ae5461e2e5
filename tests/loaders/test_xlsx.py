"""XLSX workbooks: sheet names, numbers and dates in cells, damaged files."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from conftest import TINY, write_xlsx_tables
from loaders import DatasetError, load_dataset


def _book(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _error(path) -> list[str]:
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    return str(info.value).splitlines()


def test_numbers_typed_as_ids_lose_their_decimal_point(tmp_path):
    path = _book(tmp_path / "n.xlsx", {
        "机构": [["编号", "名称", "类型", "上级编号"], [101, "县医院", "县医院", None],
               [102.0, "卫生院", "卫生院", 101]],
        "关系": [["起点", "终点", "关系类型", "次数", "时期"],
               [102, 101, "转诊", 12.0, 2025], [101, 102, "转诊", None, dt.datetime(2025, 3, 1)]],
    })
    dataset = load_dataset(path)
    assert dataset.tables["institutions"]["id"].tolist() == ["101", "102"]
    assert dataset.tables["institutions"]["parent_id"].tolist() == [None, "101"]
    links = dataset.tables["links"]
    assert links["count"].tolist() == [12, 1]
    assert links["period"].tolist() == ["2025", "2025-03-01"]


def test_blank_rows_keep_the_sheet_row_numbers(tmp_path):
    path = _book(tmp_path / "b.xlsx", {
        "institutions": [["id", "name", "kind"], ["H1", "县医院", "县医院"], [], [None, None],
                         ["V1", "李村", "villageclinic"]],
    })
    assert _error(path) == ["b.xlsx[institutions]:5: column 'kind': unknown kind "
                            "'villageclinic'; did you mean 'village_clinic'?"]


def test_a_header_below_blank_rows(tmp_path):
    path = _book(tmp_path / "h.xlsx", {
        "institutions": [[], ["id", "name", "kind", "name"], ["H1", "县医院", "县医院", "x"]],
    })
    assert _error(path) == ["h.xlsx[institutions]:2: column 'name': column 'name' means the "
                            "same as column 'name' (column 2); keep one"]


def test_other_sheets_are_ignored(tmp_path):
    path = _book(tmp_path / "o.xlsx", {"说明": [["填表说明"]],
                                       "机构": [["编号", "名称", "类型"], ["H1", "a", "县医院"]]})
    assert load_dataset(path).files == {"institutions": "o.xlsx[机构]"}


def test_a_workbook_without_institutions_names_its_sheets(tmp_path):
    path = _book(tmp_path / "s.xlsx", {"Sheet1": [["id"]], "人员": [["id", "name", "status"]]})
    assert _error(path) == ["s.xlsx: missing table 'institutions' (机构): no sheet named "
                            "institutions or 机构 (sheets: Sheet1, 人员)"]


def test_an_empty_sheet(tmp_path):
    path = _book(tmp_path / "e.xlsx", {"机构": []})
    assert _error(path) == ["e.xlsx[机构]: the file or sheet is empty; its first row must be "
                            "the header (id, name, kind)"]


def test_a_truncated_workbook(tmp_path):
    good = write_xlsx_tables(tmp_path / "good.xlsx", TINY)
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    lines = _error(path)
    assert len(lines) == 1
    assert lines[0].startswith("cut.xlsx: cannot read the file: not an Excel .xlsx workbook, "
                               "or a damaged one (")


def test_a_text_file_named_xlsx(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_text("id,name,kind\n", encoding="utf-8")
    assert _error(path) == ["t.xlsx: cannot read the file: not an Excel .xlsx workbook, or a "
                            "damaged one (File is not a zip file)"]


def test_an_old_xls_workbook(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert _error(path) == ["old.xls: cannot read the file: old .xls workbooks are not read; "
                            "save it as .xlsx (Excel Workbook)"]
