"""orgnet validate: exit codes, the summary line, the exact error lines."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import write_csv_tables, write_xlsx_tables
from orgnet.cli import main


def _run(*args):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def test_a_valid_dataset(tiny_dir):
    result = _run(tiny_dir)
    assert result.exit_code == 0
    assert result.stdout == ("valid: 2 regions, 6 institutions, 3 party orgs, 6 members, "
                             "5 links, 2 services (tiny)\n")
    assert result.stderr == ""


def test_a_valid_workbook_in_chinese(tmp_path, tiny_tables):
    path = write_xlsx_tables(tmp_path / "示范县.xlsx", tiny_tables)
    result = _run(path, "--lang", "zh")
    assert result.exit_code == 0
    assert result.stdout == ("有效：区域 2 个，机构 6 个，党组织 3 个，人员 6 个，关系 5 个，"
                             "服务 2 个（示范县）\n")


def test_an_invalid_dataset_prints_every_problem_on_stderr(tmp_path, tiny_tables):
    tiny_tables["institutions"][4]["kind"] = "villageclinic"
    tiny_tables["links"][0]["count"] = "-1"
    path = write_csv_tables(tmp_path / "tiny", tiny_tables)
    result = _run(path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "institutions.csv:6: column 'kind': unknown kind 'villageclinic'; "
        "did you mean 'village_clinic'?",
        "links.csv:2: column 'count': count '-1' is not a non-negative whole number "
        "(blank means 1)",
        f"Error: {path}: 2 problems; nothing was loaded",
    ]
    assert "Traceback" not in result.output


def test_an_invalid_dataset_in_chinese(tmp_path, tiny_tables):
    tiny_tables["institutions"][4]["name"] = ""
    tiny_tables["institutions"][5]["kind"] = "村卫生站"
    tiny_tables["members"][3]["org_id"] = "T1"
    path = write_csv_tables(tmp_path / "tiny", tiny_tables)
    result = _run(path, "--lang", "zh")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "institutions.csv:6: 列“name”：必填单元格为空",
        "institutions.csv:7: 列“kind”：未知的机构类型“村卫生站”；是否应为“村卫生室”？",
        "members.csv:5: 列“org_id”：org_id“T1”是机构，不是党组织",
        f"错误：{path}：发现 3 个问题，数据未载入",
    ]


def test_a_missing_path(tmp_path):
    result = _run(tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'nowhere'}: no such file or directory",
        f"Error: {tmp_path / 'nowhere'}: 1 problem; nothing was loaded",
    ]


def test_json_output(tmp_path, tiny_tables):
    tiny_tables["members"][5]["org_id"] = "O2"
    path = write_csv_tables(tmp_path / "tiny", tiny_tables)
    result = _run(path, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert [(p["file"], p["row"], p["column"], p["code"]) for p in report["problems"]] == [
        ("members.csv", 7, "org_id", "status-org")]


def test_json_output_of_a_valid_dataset(tiny_dir):
    result = _run(tiny_dir, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "valid": True, "problems": [], "notes": [],
        "counts": {"regions": 2, "institutions": 6, "party_orgs": 3, "members": 6,
                   "links": 5, "services": 2}}


def test_no_progress_bar_in_a_pipe(tiny_dir):
    result = _run(tiny_dir)
    assert "reading" not in result.output


# -- template, --annotate, the planner's language ---------------------------------------
def test_template_writes_a_workbook_that_validates(tmp_path):
    out = tmp_path / "county.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"已写入 {out}：填写各工作表后运行 orgnet validate {out} --lang zh\n"
    assert _run(out).exit_code == 0
    result = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 2


def test_validate_annotate_writes_a_marked_copy_and_never_over_the_input(tmp_path, tiny_tables):
    tiny_tables["institutions"][4]["kind"] = "villageclinic"
    path = write_xlsx_tables(tmp_path / "bad.xlsx", tiny_tables)
    before = path.read_bytes()
    out = tmp_path / "marked.xlsx"
    result = _run(path, "--annotate", out, "--lang", "zh")
    assert result.exit_code == 1
    assert f"已写入 {out}：标出问题 1 个" in result.stderr
    assert result.stderr.endswith(f"错误：{path}：发现 1 个问题，数据未载入\n")
    import openpyxl
    cell = openpyxl.load_workbook(out)["institutions"]["C6"]
    assert cell.comment.text == "未知的机构类型“villageclinic”；是否应为“村卫生室”？"
    same = _run(path, "--annotate", path)
    assert same.exit_code == 2 and path.read_bytes() == before
    assert _run(tmp_path, "--annotate", out).exit_code == 2


def test_lang_defaults_to_chinese_under_a_chinese_locale(tiny_dir, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = _run(tiny_dir)
    assert result.stdout.startswith("有效：")
    result = _run(tiny_dir / "nothing")
    assert result.stderr.splitlines()[-1].startswith("错误：")


def test_a_title_row_note_is_printed_once(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "机构"
    for row in (["××县卫生机构情况表"], ["编号", "名称", "类型"], ["H1", "县医院", "县医院"]):
        sheet.append(row)
    book.save(tmp_path / "t.xlsx")
    result = _run(tmp_path / "t.xlsx", "--lang", "zh")
    assert result.exit_code == 0
    assert result.stderr == ("注意：t.xlsx[机构]:1: 表头上方第 1 行像是标题（××县卫生机构情况表），"
                             "已跳过；第 2 行作为表头读取\n")
