"""Bounded resources: workbooks and JSON tables over a limit are refused, located, quickly."""

import json
import re
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from orgnet.loaders import load_dataset
from orgnet.loaders.limits import LimitError, current_limits
from orgnet.loaders.problems import DatasetError
from orgnet.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def workbook(path, rows, *, title="institutions"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def patched(path, old: bytes, new: bytes, member="xl/worksheets/sheet1.xml"):
    """Rewrite one part of a workbook (what a hostile or a buggy writer would store)."""
    data = path.read_bytes()
    out = path.with_name("patched-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == member:
                assert re.search(old, body), body[:400]
                body = re.sub(old, new, body)
            dest.writestr(info.filename, body)
    del data
    return out


ROWS = [["id", "name", "kind"], ["H1", "县人民医院", "county_hospital"],
        ["T1", "东镇卫生院", "township_health_center"], ["V1", "李村卫生室", "village_clinic"]]


def test_a_stale_dimension_loses_no_row(tmp_path):
    path = patched(workbook(tmp_path / "c.xlsx", ROWS), rb'<dimension ref="A1:C4" ?/>',
                   b'<dimension ref="A1:C2"/>')
    dataset = load_dataset(path)
    assert dataset.tables["institutions"]["id"].tolist() == ["H1", "T1", "V1"]


def test_a_far_away_cell_is_refused_by_its_coordinate(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "institutions"
    for row in ROWS:
        sheet.append(row)
    sheet["XFD1048576"] = "x"
    book.save(tmp_path / "far.xlsx")
    result = run("validate", tmp_path / "far.xlsx")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "far.xlsx[institutions]:1048576: cell XFD1048576 is in column 16,384, over the limit "
        "of 500 columns; if the file is genuine, set ORGNET_MAX_COLUMNS higher")


def test_a_far_away_row_with_few_cells_is_read_sparsely(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "institutions"
    for row in ROWS:
        sheet.append(row)
    sheet["A1048576"] = "V9"
    sheet["B1048576"] = "远村卫生室"
    sheet["C1048576"] = "village_clinic"
    book.save(tmp_path / "tall.xlsx")
    dataset = load_dataset(tmp_path / "tall.xlsx")
    assert dataset.tables["institutions"]["_row"].tolist() == [2, 3, 4, 1048576]


def test_a_zip_bomb_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    path = workbook(tmp_path / "bomb.xlsx", ROWS)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (3 << 20))
    monkeypatch.setenv("ORGNET_MAX_UNZIPPED_MB", "2")
    result = run("validate", path)
    assert result.exit_code == 1
    line = result.output.splitlines()[0]
    assert line.startswith("bomb.xlsx: the workbook unpacks to 3 MB")
    assert line.endswith("over the limit of 2 MB; if the file is genuine, set "
                         "ORGNET_MAX_UNZIPPED_MB higher")


def test_a_shared_string_bomb_is_refused(tmp_path, monkeypatch):
    big = "卫" * 30000
    rows = [ROWS[0]] + [[f"V{i}", big, "village_clinic"] for i in range(100)]
    path = workbook(tmp_path / "strings.xlsx", rows)
    monkeypatch.setenv("ORGNET_MAX_TEXT_MB", "1")
    result = run("validate", path)
    assert result.exit_code == 1
    assert re.match(r"strings\.xlsx\[institutions\]:\d+: the cells hold too much text "
                    r"\(a shared-string bomb\?\), over the limit of 1 million characters; "
                    r"if the file is genuine, set ORGNET_MAX_TEXT_MB higher$",
                    result.output.splitlines()[0])


def test_too_many_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("ORGNET_MAX_ROWS", "2")
    result = run("validate", workbook(tmp_path / "rows.xlsx", ROWS))
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(
        "rows.xlsx[institutions]:4: the sheet has more than 2 rows, over the limit of 2 rows")


def test_json_rows_with_their_own_keys_are_refused_not_padded(tmp_path):
    rows = [{"id": f"V{i}", "name": "卫生室", "kind": "village_clinic", f"extra{i}": "x"}
            for i in range(100_000)]
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"institutions": rows}))
    result = run("validate", path)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "keys.json[institutions]:499: the rows use more than 500 different keys (this row "
        "adds 'extra497'), over the limit of 500 columns; if the file is genuine, set "
        "ORGNET_MAX_COLUMNS higher")


def test_json_over_the_file_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"institutions": [{"id": "H1", "name": "x" * (2 << 20),
                                                  "kind": "county_hospital"}]}))
    monkeypatch.setenv("ORGNET_MAX_FILE_MB", "1")
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert str(caught.value).startswith("big.json: the file is 2 MB, over the limit of 1 MB")


def test_a_bad_limit_variable_is_one_error_line(tmp_path, monkeypatch):
    monkeypatch.setenv("ORGNET_MAX_ROWS", "-5")
    with pytest.raises(LimitError):
        current_limits()
    result = run("validate", workbook(tmp_path / "c.xlsx", ROWS))
    assert result.exit_code == 1
    assert result.output == "Error: ORGNET_MAX_ROWS must be a whole number above 0, not '-5'\n"


def test_hidden_sheets_and_rows_are_read_with_a_warning(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "institutions"
    for row in ROWS:
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    regions = book.create_sheet("regions")
    regions.append(["id", "name", "level"])
    regions.append(["R1", "示范县", "county"])
    regions.sheet_state = "hidden"
    book.save(tmp_path / "hidden.xlsx")
    result = run("validate", tmp_path / "hidden.xlsx")
    assert result.exit_code == 0, result.output
    assert "Warning: hidden.xlsx[institutions]: 1 row hidden in Excel (3); it is read like " \
           "the others" in result.output
    assert "Warning: hidden.xlsx[regions]: the sheet is hidden in Excel" in result.output
    assert "valid: 1 regions, 3 institutions" in result.output
    zh = run("validate", tmp_path / "hidden.xlsx", "--lang", "zh")
    assert "警告：hidden.xlsx[institutions]：1 行在 Excel 中被隐藏（3）；照常读取" in zh.output
    assert "警告：hidden.xlsx[regions]：该工作表在 Excel 中被隐藏；照常读取" in zh.output


def test_excel_errors_and_unstored_formulas_are_not_ids(tmp_path):
    path = workbook(tmp_path / "f.xlsx", ROWS + [["V2", "王村卫生室", "village_clinic"]])
    # V1's id becomes #N/A (an error value); V2's becomes a formula Excel never computed
    path = patched(path, rb'<c r="A4" t="inlineStr"><is><t>V1</t></is></c>', b'<c r="A4" t="e"><v>#N/A</v></c>')
    path = patched(path, rb'<c r="A5" t="inlineStr"><is><t>V2</t></is></c>',
                   b'<c r="A5"><f>VLOOKUP(B5,Sheet2!A:B,2,0)</f></c>')
    result = run("validate", path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == ("patched-patched-f.xlsx[institutions]:4 ([institutions]!A4): column 'id': expected a single "
                        "text or number, got the Excel error value #N/A; fix the formula or "
                        "type the value")
    assert lines[1].startswith("patched-patched-f.xlsx[institutions]:5 ([institutions]!A5): column 'id': expected a "
                               "single text or number, got a formula with no stored value")
