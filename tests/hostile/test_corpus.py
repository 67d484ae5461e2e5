"""The hostile corpus: files built to break orgnet, each rejected with one located error.

Every case writes a dataset, then runs ``orgnet validate`` and ``orgnet check -o``:
exit 1, no traceback, exactly one located problem line naming the file and the row
(and the column where there is one), and the output file is never created.
"""

import json
import re
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_csv_tables, write_json_tables
from orgnet.cli import main

INSTITUTION = {"id": "H1", "name": "县人民医院", "kind": "county_hospital"}


def _csv(tmp_path, tables):
    return write_csv_tables(tmp_path / "data", tables)


def reference_without_ids(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "institutions.csv").write_text("id,name,kind\n")
    (tmp_path / "data" / "services.csv").write_text("institution_id,stage\nH1,delivery\n")
    return tmp_path / "data"


def deep_json(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"institutions": [{"id": "H1", "name": "x", "kind": "county_hospital"}],\n'
                    '"links": ' + "[" * 100_000 + "]" * 100_000 + "}")
    return path


def huge_integer(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"institutions": [{"id": "H1", "name": "x", "kind": "county_hospital"}, '
                    '{"id": ' + "9" * 5000 + ', "name": "y", "kind": "county_hospital"}]}')
    return path


def lone_surrogate_json(tmp_path):
    path = tmp_path / "sur.json"
    path.write_text('{"institutions": [{"id": "H1", "name": "县\\ud800医院", '
                    '"kind": "county_hospital"}]}')
    return path


def control_character_csv(tmp_path):
    return _csv(tmp_path, {"institutions": [
        {**INSTITUTION, "name": "县\x1b[2J医院"}]})


def c1_control_in_xlsx(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "institutions"
    sheet.append(["id", "name", "kind"])
    sheet.append(["H1", "MARK", "county_hospital"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "c1.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dest:
        for info in src.infolist():
            dest.writestr(info, src.read(info.filename).replace(b"MARK", "县\u009b医院".encode()))
    return path


def nul_late_in_csv(tmp_path):
    directory = tmp_path / "data"
    directory.mkdir()
    rows = "".join(f"V{i},卫生室{i},village_clinic\n" for i in range(5000))
    (directory / "institutions.csv").write_bytes(
        ("id,name,kind\n" + rows).encode() + b"V9,\x00,village_clinic\n")
    return directory


def nul_in_json_string(tmp_path):
    path = tmp_path / "nul.json"
    path.write_text('{"institutions": [{"id": "H1", "name": "a\\u0000b", "kind": "county_hospital"}]}')
    return path


def full_width_id(tmp_path):
    return _csv(tmp_path, {"institutions": [
        INSTITUTION, {"id": "V1", "name": "村卫生室", "kind": "village_clinic",
                      "parent_id": "ｈ１"}]})


def zero_width_id(tmp_path):
    return _csv(tmp_path, {"institutions": [
        INSTITUTION, {"id": "V1", "name": "村卫生室", "kind": "village_clinic",
                      "parent_id": "\ufeffH\u200b1"}]})


def long_cycle(tmp_path):
    n = 100_000
    rows = [{"id": f"O{i}", "name": f"支部{i}", "kind": "branch", "parent_id": f"O{(i + 1) % n}"}
            for i in range(n)]
    return _csv(tmp_path, {"institutions": [INSTITUTION], "party_orgs": rows})


def duplicate_json_key(tmp_path):
    path = tmp_path / "dup.json"
    path.write_text('{"institutions": [{"id": "H1", "name": "a", "name": "b", '
                    '"kind": "county_hospital"}]}')
    return path


#: case -> (writer, the start of the one located line: file, row and column)
CASES = {
    "reference-without-ids": (reference_without_ids, "services.csv:2: column 'institution_id': institution_id 'H1' does not exist"),
    "deep-json": (deep_json, "deep.json:2: cannot read the file: JSON nested more than 100"),
    "huge-integer": (huge_integer, "big.json[institutions]:3: column 'id': expected a single"),
    "lone-surrogate": (lone_surrogate_json, "sur.json[institutions]:2: column 'name': a broken "
                                            "character (lone surrogate U+D800) at character 2"),
    "control-character": (control_character_csv, "institutions.csv:2: column 'name': a control "
                                                  "character (U+001B) at character 2"),
    "c1-control-xlsx": (c1_control_in_xlsx, "c1.xlsx[institutions]:2: column 'name': a control "
                                            "character (U+009B) at character 2"),
    "nul-late-csv": (nul_late_in_csv, "institutions.csv:5002: cannot read the file: a NUL byte"),
    "nul-json": (nul_in_json_string, "nul.json[institutions]:2: column 'name': a control "
                                     "character (U+0000) at character 2"),
    "full-width-id": (full_width_id, "institutions.csv:3: column 'parent_id': parent_id 'ｈ１' "
                                     "does not exist; did you mean 'H1'?"),
    "zero-width-id": (zero_width_id, "institutions.csv:3: column 'parent_id': parent_id "),
    "long-cycle": (long_cycle, "party_orgs.csv:2: column 'parent_id': parent_id 'O1' makes a "
                               "cycle: O0 → O1 → O2 → O3 → O4 → O5 → … (99992 more) … → "
                               "O99998 → O99999 → O0 (100000 ids)"),
    "duplicate-json-key": (duplicate_json_key, "dup.json[institutions]:2: column 'name': "),
}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _without_cell(line: str) -> str:
    """XLSX problems also name the cell: "c1.xlsx[institutions]:2 ([institutions]!B2): ..."."""
    return re.sub(r" \(\[[^\]]*\]![A-Z]+[0-9]+\)", "", line, count=1)


def _located(output: str) -> list[str]:
    return [line for line in output.splitlines() if not line.startswith("Error: ")]


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_gives_one_located_error(tmp_path, case):
    writer, expected = CASES[case]
    path = writer(tmp_path)
    result = run("validate", path)
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = _located(result.output)
    assert len(lines) == 1, result.output[:2000]
    assert _without_cell(lines[0]).startswith(expected), lines[0][:300]
    assert len(lines[0]) < 400
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output)


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_writes_nothing(tmp_path, case):
    writer, expected = CASES[case]
    path = writer(tmp_path)
    out = tmp_path / "findings.xlsx"
    result = run("check", path, "-o", out)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert _without_cell(result.output).startswith("Error: " + expected)
    assert not out.exists()
    assert not list(tmp_path.glob(".findings*"))


def test_zero_width_id_names_the_clean_id(tmp_path):
    result = run("validate", zero_width_id(tmp_path))
    assert result.output.splitlines()[0].endswith("does not exist; did you mean 'H1'?")


def test_json_validate_output_survives_lone_surrogates(tmp_path):
    result = run("validate", lone_surrogate_json(tmp_path), "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert [p["code"] for p in problems] == ["bad-character"]


def test_list_column_with_only_a_header_loads(tmp_path):
    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "institutions.csv").write_text("id,name,kind\nH1,x,county_hospital\n")
    (directory / "party_orgs.csv").write_text("id,name,kind,institution_ids\n")
    (directory / "members.csv").write_text("id,name,status,roles\n")
    result = run("validate", directory)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid: 1 institutions, 0 party orgs, 0 members")


def test_big5_is_detected_not_read_as_gb18030(tmp_path):
    from orgnet.loaders import load_dataset

    directory = tmp_path / "big5"
    directory.mkdir()
    (directory / "機構.csv").write_bytes(
        "id,name,kind\nH1,縣人民醫院,county_hospital\nV1,李村衛生室,village_clinic\n"
        "V2,張村衛生室,village_clinic\n".encode("big5"))
    (directory / "institutions.csv").write_bytes(
        "id,name,kind\nH1,縣人民醫院,county_hospital\nV1,李村衛生室,village_clinic\n"
        "V2,張村衛生室,village_clinic\n".encode("big5"))
    (directory / "機構.csv").unlink()
    dataset = load_dataset(directory)
    assert dataset.tables["institutions"]["name"].tolist() == ["縣人民醫院", "李村衛生室",
                                                              "張村衛生室"]
    assert dataset.warnings == ["institutions.csv: read as Big5 (detected; not UTF-8); save "
                                "it as 'CSV UTF-8' to be sure"]
    result = run("validate", directory)
    assert result.exit_code == 0
    assert "Warning: institutions.csv: read as Big5" in result.output


def test_gbk_is_read_and_said(tmp_path):
    directory = tmp_path / "gbk"
    directory.mkdir()
    (directory / "机构.csv").write_bytes(
        "编号,名称,类型\nH1,县人民医院,县医院\nV1,李村卫生室,村卫生室\n".encode("gbk"))
    result = run("validate", directory)
    assert result.exit_code == 0, result.output
    assert "Warning: 机构.csv: read as GB18030/GBK (not UTF-8)" in result.output
    zh = run("validate", directory, "--lang", "zh")
    assert "警告：机构.csv：按 GB18030/GBK 编码读取（不是 UTF-8）" in zh.output
