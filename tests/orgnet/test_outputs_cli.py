"""Every command's outputs: no live formula, no raw HTML, atomic, never over an input."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_csv_tables
from orgnet.cli import main

EVIL = '=HYPERLINK("http://evil.example","x")'


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def evil_dir(tmp_path, tiny_tables):
    """TINY with formula and HTML names on the uncovered clinic, its org and a member."""
    for row in tiny_tables["institutions"]:
        if row["id"] == "V2":
            row["name"] = EVIL
        if row["id"] == "T1":
            row["name"] = "+1 <b>镇</b>|卫生院"
    tiny_tables["party_orgs"][2]["name"] = "@SUM(A1)"
    tiny_tables["members"][4]["name"] = "-1+2"
    return write_csv_tables(tmp_path / "evil", tiny_tables)


def _formula_cells(rows):
    return [cell for row in rows for cell in row
            if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_check_csv_has_no_live_formula(evil_dir, tmp_path):
    out = tmp_path / "findings.csv"
    result = run("check", evil_dir, "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert _formula_cells(rows) == []
    assert any(cell == "'" + EVIL for row in rows for cell in row)


def test_check_xlsx_register_has_no_formula(evil_dir, tmp_path):
    out = tmp_path / "register.xlsx"
    result = run("check", evil_dir, "-o", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml
    book = openpyxl.load_workbook(out)
    texts = [c for sheet in book for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert texts and all(c.data_type == "s" and c.quotePrefix for c in texts)


def test_check_markdown_escapes_html_and_pipes(evil_dir):
    result = run("check", evil_dir, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "<b>" not in result.output and "&lt;b&gt;" in result.output
    for line in result.output.splitlines():
        if line.startswith("| "):
            assert line.replace("\\|", "").count("|") == 6


def test_metrics_csv_has_no_live_formula(evil_dir, tmp_path):
    out = tmp_path / "metrics.csv"
    result = run("metrics", evil_dir, "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert _formula_cells(rows) == []
    assert any(cell == "'" + EVIL for row in rows for cell in row)


@pytest.mark.parametrize("command", [["check"], ["metrics"], ["map"], ["report"]])
def test_output_over_an_input_is_refused(tiny_dir, command):
    target = tiny_dir / "members.csv"
    before = target.read_bytes()
    result = run(*command, tiny_dir, "-o", tiny_dir / "sub" / ".." / "members.csv")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: refusing to write ")
    assert "it is an input of this command" in result.output
    assert target.read_bytes() == before


def test_network_json_over_an_input_is_refused(tiny_dir, tmp_path):
    result = run("metrics", tiny_dir, "-o", tmp_path / "m.csv",
                 "--network-json", tiny_dir / "links.csv")
    assert result.exit_code == 1
    assert "refusing to write" in result.output
    assert not (tmp_path / "m.csv").exists()


def test_output_over_the_input_workbook_is_refused(tmp_path, tiny_tables):
    from conftest import write_xlsx_tables

    book = write_xlsx_tables(tmp_path / "county.xlsx", tiny_tables)
    before = book.read_bytes()
    result = run("check", book, "-o", book)
    assert result.exit_code == 1 and "refusing to write" in result.output
    assert book.read_bytes() == before


def test_generate_into_a_non_empty_directory_needs_force(tmp_path):
    out = tmp_path / "data"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = run("generate", out, "--counties", "1")
    assert result.exit_code == 2
    assert "already exists and is not empty; add --force" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert run("generate", out, "--counties", "1", "--force").exit_code == 0
    assert (out / "institutions.csv").exists() and (out / "notes.txt").read_text() == "mine"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_generate_over_an_existing_file_needs_force(tmp_path):
    out = tmp_path / "county.json"
    out.write_text("{}")
    result = run("generate", out, "--format", "json")
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_text() == "{}"
    assert run("generate", out, "--format", "json", "--force").exit_code == 0
    assert json.loads(out.read_text())


def test_a_failed_write_keeps_the_previous_output(tiny_dir, tmp_path, monkeypatch):
    import errno

    from orgnet.graphmodel import outputs

    out = tmp_path / "findings.json"
    out.write_text("previous")

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs.os, "fsync", no_space)
    result = run("check", tiny_dir, "-o", out)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: cannot write {out}: no space left on the device"]
    assert out.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.json", "tiny"]


def test_cypher_rows_are_inert():
    from orgnet.cmd_neo4j import format_rows

    text = format_rows(["name", "n"], [["=1+1", -3], ["\x1b[31mred", 2.5]], "csv")
    assert text.splitlines() == ["name,n", "'=1+1,-3", "\\x1b[31mred,2.5"]
    table = format_rows(["name"], [["\x1b]0;title\x07"]], "table")
    assert "\x1b" not in table and "\x07" not in table


def test_no_terminal_escape_from_data_reaches_the_terminal(tmp_path, tiny_tables):
    tiny_tables["institutions"][3]["parent_id"] = "T\x1b[2J\x1b]0;pwned\x07"
    tiny_tables["institutions"][4]["name"] = "王村\x1b[31m卫生室"
    data = write_csv_tables(tmp_path / "esc", tiny_tables)
    for args in (["validate", data], ["check", data], ["info", data]):
        result = run(*args)
        assert "\x1b" not in result.output and "\x07" not in result.output, args
    assert "\\x1b" in run("validate", data).output
