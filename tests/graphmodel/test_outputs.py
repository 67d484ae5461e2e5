"""orgnet.graphmodel.outputs: inert cells, escaped Markdown and terminal text, atomic writes."""

import errno
import zipfile

import openpyxl
import pytest

from orgnet.graphmodel import outputs
from orgnet.graphmodel.outputs import (
    OutputError, append_row, atomic_write, clean_text, md_cell, refuse_inputs, safe_cell,
    terminal_text, write_bytes, write_text,
)

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "=1+1", "+1", "-1+2", "@SUM(A1)",
            "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", FORMULAS)
def test_safe_cell_makes_every_formula_text(text):
    cell = safe_cell(text)
    assert cell.startswith("'")
    assert not any(ch in cell for ch in "\t\r")


@pytest.mark.parametrize("value", [0, -1, 2.5, -0.25, None, True])
def test_numbers_stay_numbers(value):
    assert safe_cell(value) is value


def test_plain_text_is_unchanged():
    assert safe_cell("县人民医院 (H1)") == "县人民医院 (H1)"
    assert safe_cell("a-b=c") == "a-b=c"


def test_xlsx_formula_text_is_a_string_cell_after_a_round_trip(tmp_path):
    book = openpyxl.Workbook()
    append_row(book.active, FORMULAS + [3, -2.5, "\x1b[31m"])
    path = tmp_path / "x.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula element anywhere
    cells = list(openpyxl.load_workbook(path).active.iter_rows(values_only=False))[0]
    assert [c.data_type for c in cells[:len(FORMULAS)]] == ["s"] * len(FORMULAS)
    # tab and CR are shown as escapes (\x09=1), no longer a formula start
    assert all(c.quotePrefix == c.value.startswith(("=", "+", "-", "@"))
               for c in cells[:len(FORMULAS)])
    assert sum(c.quotePrefix for c in cells) == len(FORMULAS) - 2
    assert [c.value for c in cells[len(FORMULAS):]] == [3, -2.5, "\\x1b[31m"]


def test_control_characters_become_visible_escapes():
    text = "a\x00b\x1b[2Jc\x7fd\x9be\u202ef\ud800g"
    cleaned = clean_text(text)
    assert all(ord(ch) >= 0x20 and not 0x7f <= ord(ch) <= 0x9f for ch in cleaned)
    assert "\u202e" not in cleaned and "\ud800" not in cleaned
    cleaned.encode("utf-8")  # no lone surrogate left
    assert terminal_text("x\ty\n") == "x\ty\n"


def test_markdown_cell_has_no_raw_html_pipe_or_newline():
    cell = md_cell("<script>alert(1)</script>|x\ny\x1b")
    assert "<" not in cell and ">" not in cell and "\n" not in cell and "\x1b" not in cell
    assert "|" not in cell.replace("\\|", "")


def test_atomic_write_replaces_only_when_complete(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("previous good file")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as fh:
            fh.write("half")
            raise RuntimeError("killed")
    assert target.read_text() == "previous good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    write_text(target, "new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_interrupt_leaves_previous_file_and_no_temp(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(target, "wb") as fh:
            fh.write(b"partial")
            raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_full_disk_is_one_line_and_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old")

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs.os, "fsync", no_space)
    with pytest.raises(OutputError) as caught:
        write_text(target, "x" * 1000)
    assert str(caught.value) == f"cannot write {target}: no space left on the device"
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_read_only_target_is_one_line(tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(outputs.tempfile, "mkstemp", read_only)
    with pytest.raises(OutputError) as caught:
        write_bytes(tmp_path / "out.xlsx", b"x")
    assert str(caught.value) == f"cannot write {tmp_path / 'out.xlsx'}: the file system is read-only"
    assert list(tmp_path.iterdir()) == []


def test_existing_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_text(target, "new")
    assert target.stat().st_mode & 0o777 == 0o640


def test_refuse_inputs_resolves_links_and_dots(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "members.csv").write_text("id\n")
    link = tmp_path / "link.csv"
    link.symlink_to(data / "members.csv")
    for output in (data / "members.csv", data / "x" / ".." / "members.csv", link):
        with pytest.raises(OutputError, match="it is an input of this command"):
            refuse_inputs([output], [data])
    refuse_inputs([tmp_path / "findings.csv", None, "-"], [data])
    book = tmp_path / "county.xlsx"
    book.write_bytes(b"PK")
    with pytest.raises(OutputError):
        refuse_inputs([book], [book])
