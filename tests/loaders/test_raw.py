"""Header mapping and cell text shared by the readers."""

from __future__ import annotations

import datetime as dt

import pytest

from orgnet.loaders.raw import cell_text, frame_from_rows, map_headers, table_name


@pytest.mark.parametrize("name, table", [
    ("institutions", "institutions"), ("INSTITUTIONS", "institutions"), ("机构", "institutions"),
    ("党员", "members"), ("人员", "members"), (" 关系 ", "links"), ("服务", "services"),
    ("区域", "regions"), ("党组织", "party_orgs"), ("Sheet1", None), ("机构表", None),
])
def test_table_names(name, table):
    assert table_name(name) == table


def test_headers_in_both_languages_and_extras():
    columns, problems = map_headers([" ID ", "姓名", "政治面貌", "职务", "Phone", "备注"],
                                    "m.csv", [1] * 6)
    assert columns == ["id", "name", "status", "roles", "Phone", "note"]
    assert problems == []


def test_header_problems():
    columns, problems = map_headers(["id", "编号", "", "", "row"], "m.csv", [1, 1, 2, 0, 1])
    assert columns == ["id", None, None, None, None]
    assert [str(p) for p in problems] == [
        "m.csv:1: column '编号': column '编号' means the same as column 'id' (column 1); keep one",
        "m.csv:1: 2 cell(s) in column 3 have no header; add a header or delete the column",
        "m.csv:1: column 'row': column name 'row' is reserved by orgnet; rename the column",
    ]


@pytest.mark.parametrize("value, text", [
    (None, ""), ("  a ", "a"), (7, "7"), (7.0, "7"), (7.25, "7.25"), (float("nan"), ""),
    (True, "true"), (dt.date(2025, 1, 2), "2025-01-02"),
    (dt.datetime(2025, 1, 2, 8, 30), "2025-01-02 08:30:00"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_frame_from_rows_drops_blank_rows_and_keeps_numbers():
    table, problems = frame_from_rows("institutions", "x", ["id", "name", "kind"],
                                      [["H1", "a", "k"], ["", "", ""], ["V1", "b"]], [2, 3, 4])
    assert problems == []
    assert table.frame["_row"].tolist() == [2, 4]
    assert table.frame["kind"].tolist() == ["k", ""]
    assert table.frame["id"].dtype == object
