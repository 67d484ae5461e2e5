"""XLSX workbooks: sheet names, numbers and dates in cells, damaged files."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from conftest import TINY, write_xlsx_tables
from orgnet.loaders import DatasetError, load_dataset


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
    assert _error(path) == ["b.xlsx[institutions]:5 ([institutions]!C5): column 'kind': unknown kind "
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


# -- planner workbooks: titles, sheet names, cells ---------------------------------------
def _load_with_notes(path):
    dataset = load_dataset(path)
    return dataset, [p.line() for p in dataset.notes]


@pytest.mark.parametrize("merged", [False, True])
def test_a_title_row_above_the_header_is_skipped_with_one_note(tmp_path, merged):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "机构"
    sheet.append(["××县卫生机构情况表"])
    sheet.append(["编号", "名称", "类型", "上级编号"])
    sheet.append(["H1", "县医院", "县医院", None])
    sheet.append(["V1", "李村卫生室", "村卫生室", "H1"])
    if merged:
        sheet.merge_cells("A1:D1")
    book.save(tmp_path / "t.xlsx")
    dataset, notes = _load_with_notes(tmp_path / "t.xlsx")
    assert dataset.tables["institutions"]["id"].tolist() == ["H1", "V1"]
    assert dataset.tables["institutions"]["_row"].tolist() == [3, 4]
    assert notes == ["t.xlsx[机构]:1: row 1 above the header looks like a title "
                     "(××县卫生机构情况表); it was skipped and row 2 read as the header"]


def test_errors_below_a_title_row_keep_their_rows_and_cells(tmp_path):
    path = _book(tmp_path / "t.xlsx", {"机构": [["情况表"], [], ["编号", "名称", "类型"],
                                                ["H1", "县医院", "医院X"]]})
    assert _error(path) == ["t.xlsx[机构]:4 ([机构]!C4): column '类型': unknown kind '医院X'; "
                            "which level is it: '县医院' (county_hospital, county) or "
                            "'市医院' (city_hospital, city)?"]


def test_a_sheet_with_the_institution_columns_is_named_in_the_missing_table_error(tmp_path):
    path = _book(tmp_path / "s.xlsx", {"机构信息": [["编号", "名称", "类型", "上级编号"],
                                                  ["H1", "县医院", "县医院", None]]})
    (line,) = _error(path)
    assert line.endswith("; sheet '机构信息' has its columns: rename it to 机构")
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    assert info.value.problems[0].line("zh").endswith("请将其重命名为“机构”")


def test_a_sheet_with_member_columns_under_another_name_gets_a_note(tmp_path):
    path = _book(tmp_path / "s.xlsx", {
        "机构": [["编号", "名称", "类型"], ["H1", "县医院", "县医院"]],
        "人员信息": [["编号", "姓名", "政治面貌"], ["M1", "张三", "正式党员"]]})
    dataset, notes = _load_with_notes(path)
    assert "members" not in dataset.tables
    assert notes == ["s.xlsx: sheet '人员信息' is not read: its columns match table 'members'; "
                     "rename it to 人员"]


def test_every_reference_to_one_unknown_id_is_one_problem_with_its_count(tmp_path):
    # T1 typed twice: the second was meant to be T2, to which four rows refer
    path = _book(tmp_path / "r.xlsx", {
        "机构": [["编号", "名称", "类型", "上级编号"], ["H1", "县医院", "县医院", None],
               ["T1", "东镇卫生院", "卫生院", "H1"], ["T1", "西镇卫生院", "卫生院", "H1"],
               ["V1", "甲村卫生室", "村卫生室", "T2"], ["V2", "乙村卫生室", "村卫生室", "T2"],
               ["V3", "丙村卫生室", "村卫生室", "T2"]],
        "人员": [["编号", "姓名", "政治面貌", "工作单位"], ["M1", "张三", "群众", "T2"]]})
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    lines = str(info.value).splitlines()
    assert lines == [
        "r.xlsx[机构]:4 ([机构]!A4): column '编号': id 'T1' is used twice: also at r.xlsx[机构]:3",
        "r.xlsx[机构]:5 ([机构]!D5): column '上级编号': 上级编号 'T2' does not exist; 4 references "
        "to it (also r.xlsx[机构]:6, r.xlsx[机构]:7, r.xlsx[人员]:2)",
    ]
    merged = info.value.problems[1]
    assert [cell for _, _, cell in merged.also] == ["[机构]!D6", "[机构]!D7", "[人员]!D2"]
    assert merged.line("zh").endswith("不存在；共 4 处引用（另见 r.xlsx[机构]:6, r.xlsx[机构]:7, "
                                      "r.xlsx[人员]:2）")
