"""Exports: every format renders the same findings, in en and zh; xlsx reads back."""

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from orgnet.queries.catalog import FAMILY_TITLES
from orgnet.queries.export import (
    report_lines,
    FORMATS, aligned_table, display_width, findings_table, info_text, render_report,
    summary_lines,
)
from orgnet.queries.catalog import QueryError
from orgnet.queries.runner import run_checks

TABLES = {
    "institutions": [
        {"id": "H1", "name": "县人民医院", "kind": "county_hospital"},
        {"id": "V1", "name": "李村|卫生室", "kind": "village_clinic", "parent_id": "H1"},
    ],
    "party_orgs": [{"id": "O1", "name": "县人民医院党委", "kind": "committee",
                    "institution_ids": "H1"}],
    "services": [{"institution_id": "H1", "stage": "delivery"}],
}


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "county-medical-community"


@pytest.fixture
def report_of(make_graph):
    def build(lang):
        return run_checks(make_graph(TABLES, name="tiny"), only=["coverage", "structure", "service"],
                          lang=lang)
    return build


def test_display_width_counts_cjk_double():
    assert display_width("党支部 O1") == 9
    table = aligned_table(["名称", "id"], [["卫生院", "T1"], ["a", "V1"]])
    lines = table.splitlines()
    assert [display_width(line.split("  ")[0]) for line in lines[2:]] == [6, 1]
    # the second column starts at the same display column on every row
    assert display_width(lines[2][:lines[2].index("T1")]) == 8
    assert display_width(lines[3][:lines[3].index("V1")]) == 8


def test_table_has_summary_and_one_row_per_finding(report_of):
    report = report_of("zh")
    text = render_report(report, "table")
    assert text.startswith("数据集 tiny：")
    assert "组织覆盖率：50.0% (1/2)" in text
    for finding in report.findings:
        assert finding.message in text
    assert "严重程度" in text and "整改建议" in text
    assert "医疗卫生机构未被党组织覆盖" in text


def test_json_is_spec_section_8(report_of):
    report = report_of("en")
    data = json.loads(render_report(report, "json"))
    assert data == json.loads(json.dumps(report.to_dict()))
    assert [f["check"] for f in data["findings"]] == [f.check for f in report.findings]


@pytest.mark.parametrize("lang, header", [
    ("en", ["Check id", "Check", "Severity", "Subject", "Name", "Problem", "Suggestion", "Evidence"]),
    ("zh", ["检查编号", "检查项", "严重程度", "对象", "对象名称", "问题", "整改建议", "依据数据"]),
])
def test_csv_headers_and_rows(report_of, lang, header):
    report = report_of(lang)
    rows = list(csv.reader(io.StringIO(render_report(report, "csv"))))
    assert rows[0] == header
    assert len(rows) == len(report.findings) + 1
    first = dict(zip(header, rows[1]))
    assert first[header[0]] == "coverage.uncovered_institution"
    assert first[header[3]] == "V1"
    assert first[header[4]] == "李村|卫生室"
    assert json.loads(first[header[7]])["ancestor"] == "H1"
    if lang == "zh":
        assert first["严重程度"] == "高"


def test_markdown_escapes_pipes_and_lists_by_severity(report_of):
    text = render_report(report_of("zh"), "markdown")
    assert text.startswith("# 概况")
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections == sorted(sections, key=lambda s: "高中低".index(s[-1]))
    assert "李村\\|卫生室" in text
    row = next(line for line in text.splitlines() if "V1" in line and line.startswith("|"))
    assert row.count(" | ") == 4


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_xlsx_register_reads_back(report_of, lang):
    report = report_of(lang)
    book = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx")))
    register, summary = ("问题台账", "概况") if lang == "zh" else ("Register", "Summary")
    assert book.sheetnames == [register, summary]
    sheet = book[register]
    header = [c.value for c in sheet[1]]
    if lang == "zh":
        assert header[:4] == ["序号", "严重程度", "区域", "检查项"]
        assert header[-3:] == ["责任单位", "完成时限", "整改情况"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    lines = report_lines(report)
    assert [r[6] for r in rows] == [line.message for line in lines]
    assert [r[0] for r in rows] == list(range(1, len(lines) + 1))
    assert "李村|卫生室" in [r[5] for r in rows]


def test_the_register_prints_and_fills_in(tmp_path):
    from orgnet.loaders import load_graph
    from orgnet.queries.planner import planner_lines

    G = load_graph(EXAMPLE)
    report = run_checks(G, lang="zh").arranged(G)
    book = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx")))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" \
                                        f"{sheet.max_row}"
        assert sheet.page_setup.orientation == ("landscape" if sheet.title == "问题台账"
                                                else "portrait")
        assert int(sheet.page_setup.paperSize) == 9       # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$1"
    sheet = book["问题台账"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in row])) for row in sheet.iter_rows(min_row=2)]
    lines = planner_lines(report, G)
    assert len(rows) == len(lines)
    assert all(r["对象名称"] for r in rows)
    assert all(r["整改情况"] == "未整改" for r in rows)
    assert sum(1 for r in rows if r["责任单位"]) >= len(rows) - 2
    first = rows[[line.subject for line in lines].index(("V-BY-2",))]
    assert first["责任单位"].endswith("(P-T-BY)") and first["对象名称"] == "深沟村卫生室"
    (check,) = sheet.data_validations.dataValidation
    assert check.formula1 == '"未整改,整改中,已整改"' and str(check.sqref) == f"L2:L{len(rows) + 1}"
    overview = book["概况"]
    values = {(r[0].value, r[1].value): r for r in overview.iter_rows(min_row=2)}
    rate = values[("组织覆盖率", "全部医疗卫生机构")]
    assert isinstance(rate[3].value, int) and isinstance(rate[4].value, float)
    assert rate[4].number_format == "0.0%" and rate[4].value == pytest.approx(0.9333)


def test_info_text_counts_and_coverage_zh(report_of):
    text = info_text(report_of("zh").summary, "zh")
    assert "机构      2" in text
    assert "村卫生室" in text and "县级医院" in text
    assert "组织覆盖率" in text and "单独组建率" in text


def test_empty_report_says_so(make_graph):
    report = run_checks(make_graph({}), lang="zh")
    assert "未发现问题。" in render_report(report, "table")
    assert findings_table([], "en").splitlines()[0].startswith("Severity")


def test_unknown_format():
    assert "xlsx" in FORMATS
    with pytest.raises(QueryError):
        render_report(None, "pdf")


def test_dumps_indented_writes_what_json_dumps_writes():
    import json
    import random

    from orgnet.queries.export import dumps_indented

    class Key(str):
        pass

    rng = random.Random(5)
    leaves = ["", "王伟", "a\"b\\c\n\t\u2028", "\x00\x1f", "😀", 0, -7, 2 ** 70, 1.5, -0.0, 1e300,
              float("nan"), float("inf"), float("-inf"), True, False, None, Key("k")]

    def value(depth):
        roll = rng.random()
        if depth > 3 or roll < 0.4:
            return rng.choice(leaves)
        if roll < 0.7:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        if roll < 0.8:
            return tuple(rng.choice(["x", "甲", "y"]) for _ in range(rng.randint(0, 3)))
        keys = ["a", "名", "", Key("sub"), 3, 2.5, True, None]
        return {rng.choice(keys): value(depth + 1) for _ in range(rng.randint(0, 4))}

    for _ in range(2000):
        item = value(0)
        assert dumps_indented(item) == json.dumps(item, ensure_ascii=False, indent=2)
    with pytest.raises(TypeError):
        dumps_indented({"x": object()})
    with pytest.raises(TypeError):
        dumps_indented({(1, 2): 1})


def test_json_writers_leave_no_garbage_cycles():
    """orgnet check pauses the cyclic GC: a cycle per call (the recursive writer's closure)
    kept 400 MB of dead parts alive at a million entities."""
    import gc

    from orgnet.queries.export import dumps_indented, to_json
    from orgnet.queries.finding import Finding
    from orgnet.queries.runner import Report

    report = Report({"n": [1, {"x": None}]},
                    [Finding("c.x", "low", ("V1",), "m", {"names": {"V1": 1}, "l": [True]}, "s")])
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(50):
            dumps_indented({"a": [1, {"b": None}], "c": ("x", 2.5)}, level=2)
            to_json(report)
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_finding_json_writes_what_json_dumps_writes():
    """The findings' template encoder (fast paths for strings, ids, link indices and
    names) against json.dumps, on evidence of every shape, repeated key tuples included."""
    import json
    import random

    from orgnet.queries.export import to_json
    from orgnet.queries.finding import Finding
    from orgnet.queries.runner import Report

    class Text(str):
        pass

    rng = random.Random(7)
    leaves = ["", "王伟", "a\"b\\c\n\u2028", "\x00", Text("t"), 0, -3, 2 ** 70, 1.5,
              float("nan"), True, False, None]

    def value(depth):
        roll = rng.random()
        if depth > 2 or roll < 0.4:
            return rng.choice(leaves)
        if roll < 0.55:                 # ids or link indices, sometimes mixed
            pool = rng.choice([["V1", "甲"], [1, 2, 2 ** 40], [1, True], ["x", 3], [Text("s")]])
            return [rng.choice(pool) for _ in range(rng.randint(0, 4))]
        if roll < 0.65:
            return tuple(rng.choice(["x", "甲"]) for _ in range(rng.randint(0, 2)))
        if roll < 0.8:                  # names, sometimes with a value that is not a string
            return {rng.choice(["V1", "甲", Text("k"), 5, None]): rng.choice(["名", "n", None, 1])
                    for _ in range(rng.randint(0, 3))}
        return {rng.choice(["a", "名", 2, True]): value(depth + 1) for _ in range(rng.randint(0, 3))}

    keysets = [("name", "links", "names"), ("n",), ("名", "x", "y", "z")]
    findings = []
    for _ in range(3000):
        keys = rng.choice(keysets) if rng.random() < 0.7 else \
            tuple(rng.choice(["k", "名", 3, None]) for _ in range(rng.randint(0, 3)))
        evidence = rng.choice([{key: value(1) for key in keys}, value(0)])
        subject = tuple(rng.choice(["V1", "甲\n", Text("S")]) for _ in range(rng.randint(0, 2)))
        if rng.random() < 0.05:
            subject = (1, "V1")
        findings.append(Finding(rng.choice(["c.x", "c.y"]), rng.choice(["low", "high"]), subject,
                                rng.choice(leaves[:4]), evidence, rng.choice(["", "修\t"])))
    report = Report({"n": 1}, findings)
    assert to_json(report) == json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_to_json_is_json_dumps_with_indent(lang):
    from pathlib import Path

    from orgnet.loaders import load_graph
    from orgnet.queries.export import to_json
    from orgnet.queries.runner import Report

    example = Path(__file__).resolve().parents[2] / "examples" / "county-medical-community"
    report = run_checks(load_graph(example), lang=lang)
    assert report.findings
    assert to_json(report) == json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    empty = Report(report.summary, [], lang)
    assert to_json(empty) == json.dumps(empty.to_dict(), ensure_ascii=False, indent=2) + "\n"
