"""orgnet check / checks / info: formats, exit codes 0/1/2/3 and the exact Error: line."""

import json

import openpyxl
import pytest
from click.testing import CliRunner

from orgnet.cli import main
from orgnet.queries.catalog import CHECK_IDS


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_check_json_is_the_spec_contract(tiny_dir):
    result = run("check", tiny_dir, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"summary", "findings", "provenance"}   # spec 8, and where it came from
    checks = [f["check"] for f in data["findings"]]
    assert checks == sorted(checks, key=CHECK_IDS.index)
    # TINY: V2 is the one uncovered village clinic; O3 has no full member and no secretary
    assert [f["subject"] for f in data["findings"]
            if f["check"] == "coverage.uncovered_institution"] == [["V2"]]
    assert {tuple(f["subject"]) for f in data["findings"] if f["check"].startswith("structure.")} \
        == {("O3",)}
    assert data["summary"]["coverage"]["overall"]["covered"] == 5


def test_check_fail_on_exits_3_only_when_a_finding_reaches_it(tiny_dir):
    assert run("check", tiny_dir, "--only", "coverage", "--fail-on", "high").exit_code == 3
    # structure findings in TINY are medium: nothing at high
    assert run("check", tiny_dir, "--only", "structure", "--fail-on", "high").exit_code == 0
    assert run("check", tiny_dir, "--only", "structure", "--fail-on", "medium").exit_code == 3
    result = run("check", tiny_dir, "--only", "coverage", "--min-severity", "medium",
                 "--skip", "coverage.uncovered_institution", "--fail-on", "low")
    assert result.exit_code == 0


def test_invalid_data_exits_1_with_the_located_error(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "institutions.csv").write_text("id,name,kind\nH1,县医院,hospital\n", encoding="utf-8")
    result = run("check", bad, "--format", "json")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: institutions.csv:2: column 'kind': unknown kind 'hospital'; "
        "did you mean 'mch_hospital'?")


def test_unknown_check_is_a_usage_error(tiny_dir):
    result = run("check", tiny_dir, "--only", "coverage,bogus")
    assert result.exit_code == 2
    assert "unknown check or family: bogus" in result.output


def test_xlsx_needs_an_output_file(tiny_dir):
    result = run("check", tiny_dir, "--format", "xlsx")
    assert result.exit_code == 2
    assert "Error: --format xlsx writes a workbook: give -o FILE.xlsx" in result.output


def test_output_format_from_suffix_and_zh_register(tiny_dir, tmp_path):
    target = tmp_path / "台账.xlsx"
    result = run("check", tiny_dir, "-o", target, "--lang", "zh")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["问题台账", "概况", "数据来源"]
    sheet = book["问题台账"]
    assert sheet["A1"].value == "序号"
    assert "王村卫生室" in [c.value for c in sheet["F"]]
    csv_file = tmp_path / "findings.csv"
    assert run("check", tiny_dir, "-o", csv_file).exit_code == 0
    assert csv_file.read_bytes().startswith("\ufeffCheck id".encode("utf-8"))


def test_check_table_in_zh(tiny_dir):
    result = run("check", tiny_dir, "--lang", "zh", "--only", "coverage")
    assert result.exit_code == 0
    assert "王村卫生室（V2）未被任何党组织覆盖。" in result.output
    assert "组织覆盖率：83.3% (5/6)" in result.output


def test_checks_lists_the_catalog(tiny_dir):
    result = run("checks", "--format", "json")
    assert result.exit_code == 0
    ids = [c["id"] for c in json.loads(result.output)]
    assert ids == [c for c in CHECK_IDS if c in ids]
    assert {"coverage.uncovered_institution", "service.stage_gap"} <= set(ids)
    zh = run("checks", "--lang", "zh")
    assert "医疗卫生机构未被党组织覆盖" in zh.output and "《中国共产党支部工作条例（试行）》第五条" in zh.output


def test_info_prints_counts_and_coverage(tiny_dir):
    result = run("info", tiny_dir, "--lang", "zh")
    assert result.exit_code == 0
    assert "村卫生室" in result.output and "单独组建率" in result.output
    data = json.loads(run("info", tiny_dir, "--format", "json").output)
    assert data["counts"]["Institution"] == 6
    assert data["coverage"]["overall"]["own_branch"] == 3
    assert "findings" not in data


@pytest.mark.parametrize("name", ["check", "checks", "info"])
def test_help(name):
    result = run(name, "--help")
    assert result.exit_code == 0 and f"orgnet {name}" in result.output


def test_set_changes_a_threshold(tiny_dir):
    # TINY's O2 has 3 full members: too small only when the minimum is raised to 4
    default = json.loads(run("check", tiny_dir, "--only", "structure.branch_too_small",
                             "--format", "json").output)
    raised = json.loads(run("check", tiny_dir, "--only", "structure.branch_too_small",
                            "--set", "branch_min_full_members=4", "--format", "json").output)
    assert [f["subject"] for f in default["findings"]] == [["O3"]]
    assert [f["subject"] for f in raised["findings"]] == [["O2"], ["O3"]]
    assert raised["findings"][0]["evidence"]["minimum"] == 4
    bad = run("check", tiny_dir, "--set", "branch_min_full_members=three")
    assert bad.exit_code == 2 and "needs a non-negative integer" in bad.output


def test_json_and_register_are_the_same_bytes_on_every_run(tiny_dir, tmp_path):
    for suffix in ("json", "xlsx"):
        first, second = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        assert run("check", tiny_dir, "-o", first).exit_code == 0
        assert run("check", tiny_dir, "-o", second).exit_code == 0
        assert first.read_bytes() == second.read_bytes()
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    provenance = data["provenance"]
    assert provenance["orgnet"] and provenance["settings"]["branch_max_members"] == 50
    assert {entry["table"] for entry in provenance["inputs"]} >= {"institutions", "members"}
    assert all(len(entry["sha256"]) == 64 for entry in provenance["inputs"])
