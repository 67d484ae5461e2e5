"""orgnet compare: formats, exit codes 0/1/2/3, the JSON shape, Neo4j parity."""

import copy
import json

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_csv_tables
from orgnet.cli import main


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


@pytest.fixture
def snapshots(tmp_path, tiny_tables):
    """BEFORE (the tiny dataset) and AFTER: V2 covered, V1 left uncovered, M3 moved."""
    after = copy.deepcopy(tiny_tables)
    after["party_orgs"][1]["institution_ids"] = "T1;V2"
    after["members"][2]["org_id"] = "O3"
    return (write_csv_tables(tmp_path / "before", tiny_tables),
            write_csv_tables(tmp_path / "after", after))


def test_identical_inputs_say_no_changes_and_exit_0(tiny_dir):
    result = run("compare", tiny_dir, tiny_dir)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "no changes"
    zh = run("compare", tiny_dir, tiny_dir, "--lang", "zh", "--fail-on-new", "low")
    assert zh.exit_code == 0 and zh.output.splitlines()[-1] == "无变化"


def test_json_shape_and_findings_as_check_gives_them(snapshots):
    before, after = snapshots
    result = run("compare", before, after, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"before", "after", "resolved", "new", "persisting", "changed",
            "entities"} <= set(data)
    checked = {name: json.loads(run("check", path, "--format", "json").output)
               for name, path in (("before", before), ("after", after))}
    assert data["before"] == checked["before"]["summary"]
    assert data["after"] == checked["after"]["summary"]
    assert [f["subject"] for f in data["resolved"] if f["check"].startswith("coverage.unc")] \
        == [["V2"]]
    assert [f["subject"] for f in data["new"] if f["check"].startswith("coverage.unc")] \
        == [["V1"]]
    for finding in data["new"] + data["persisting"]:
        assert finding in checked["after"]["findings"]
    for finding in data["resolved"]:
        assert finding in checked["before"]["findings"]
    for pair in data["changed"]:
        assert pair["before"] in checked["before"]["findings"]
        assert pair["after"] in checked["after"]["findings"]
    total = len(data["persisting"]) + len(data["changed"]) + len(data["new"])
    assert total == len(checked["after"]["findings"])
    moved = data["entities"]["Member"]["changed"]
    assert moved == [{"id": "M3", "changes": {"org_id": ["O2", "O3"]}}]


def test_fail_on_new_exits_3_only_when_a_new_finding_reaches_it(snapshots):
    before, after = snapshots
    assert run("compare", before, after, "--fail-on-new", "high").exit_code == 3
    # the other way round, V2 uncovered is new (high) too; with only the structure
    # family nothing new reaches high
    assert run("compare", after, before, "--fail-on-new", "high").exit_code == 3
    result = run("compare", before, after, "--only", "structure", "--fail-on-new", "high")
    assert result.exit_code == 0, result.output


def test_only_skip_and_min_severity_select_findings(snapshots):
    before, after = snapshots
    data = json.loads(run("compare", before, after, "--format", "json", "--only",
                          "coverage").output)
    checks = {f["check"] for key in ("resolved", "new", "persisting") for f in data[key]}
    assert checks and all(c.startswith("coverage.") for c in checks)
    data = json.loads(run("compare", before, after, "--format", "json", "--skip", "coverage",
                          "--min-severity", "high").output)
    findings = [f for key in ("resolved", "new", "persisting") for f in data[key]]
    assert findings and all(f["severity"] == "high" and not f["check"].startswith("coverage")
                            for f in findings)


def test_table_in_zh_lists_new_and_resolved(snapshots):
    before, after = snapshots
    result = run("compare", before, after, "--lang", "zh")
    assert result.exit_code == 0
    assert "组织覆盖率" in result.output and "编号匹配：17（前 17，后 17）" in result.output
    assert "新出现" in result.output and "已整改" in result.output


@pytest.mark.parametrize("suffix,fmt", [(".csv", "csv"), (".md", "markdown"),
                                        (".xlsx", "xlsx"), (".json", "json")])
def test_output_file_format_from_its_suffix(snapshots, tmp_path, suffix, fmt):
    before, after = snapshots
    out = tmp_path / f"changes{suffix}"
    result = run("compare", before, after, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: ")
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        assert book.sheetnames[0] == "Summary"
    elif fmt == "csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
        assert "coverage.uncovered_institution" in out.read_text(encoding="utf-8-sig")
    else:
        assert "V2" in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_usage_errors_exit_2(tiny_dir):
    one = run("compare", tiny_dir)
    assert one.exit_code == 2 and "give two datasets" in one.output
    xlsx = run("compare", tiny_dir, tiny_dir, "--format", "xlsx")
    assert xlsx.exit_code == 2 and "-o FILE.xlsx" in xlsx.output
    neo = run("compare", "--neo4j", "bolt://localhost:1", "--dataset", "a")
    assert neo.exit_code == 2 and "--dataset twice" in neo.output
    both = run("compare", tiny_dir, tiny_dir, "--neo4j", "bolt://localhost:1")
    assert both.exit_code == 2 and "not both" in both.output
    unknown = run("compare", tiny_dir, tiny_dir, "--only", "nonsense")
    assert unknown.exit_code == 2


def test_output_over_an_input_is_refused(tiny_dir):
    result = run("compare", tiny_dir, tiny_dir, "-o", tiny_dir / "institutions.csv")
    assert result.exit_code == 1
    assert "refusing to write" in result.output and "it is an input of this command" in result.output


def test_invalid_data_exits_1_with_the_located_error(tmp_path, tiny_dir, tiny_tables):
    tiny_tables["institutions"][0]["kind"] = "villageclinic"
    bad = write_csv_tables(tmp_path / "bad", tiny_tables)
    result = run("compare", tiny_dir, bad)
    assert result.exit_code == 1
    assert "institutions.csv:2: column 'kind': unknown kind 'villageclinic'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.neo4j
def test_compare_in_neo4j_equals_the_embedded_comparison(snapshots, neo4j_env):
    before, after = snapshots
    for path, name in ((before, "tiny-2025"), (after, "tiny-2026")):
        loaded = run("load", path, "--dataset", name, env=neo4j_env)
        assert loaded.exit_code == 0, loaded.output
    in_db = run("compare", "--dataset", "tiny-2025", "--dataset", "tiny-2026", "--format",
                "json", "--lang", "zh", env=neo4j_env)
    assert in_db.exit_code == 0, in_db.output
    embedded = run("compare", before, after, "--format", "json", "--lang", "zh")
    db, local = json.loads(in_db.output), json.loads(embedded.output)
    for side in ("before", "after"):
        db[side].pop("dataset"), local[side].pop("dataset")
    assert db == local
    same = run("compare", "--dataset", "tiny-2025", "--dataset", "tiny-2025", env=neo4j_env)
    assert same.exit_code == 0 and same.output.splitlines()[-1] == "no changes"
    missing = run("compare", "--dataset", "tiny-2025", "--dataset", "nope", env=neo4j_env)
    assert missing.exit_code == 1 and "no dataset 'nope'" in missing.output


def test_check_period_uses_the_links_of_that_period(tiny_dir):
    result = run("check", tiny_dir, "--period", "2025", "--format", "json")
    assert result.exit_code == 0
    summary = json.loads(result.output)["summary"]
    assert summary["periods"] == {"since": "2025", "until": "2025", "dated_in": 4,
                                  "dated_out": 0, "undated": 1}
    whole = json.loads(run("check", tiny_dir, "--format", "json").output)
    assert json.loads(result.output)["findings"] == whole["findings"]


def test_check_period_with_no_link_says_so_and_runs_on_undated_links(tiny_dir):
    result = CliRunner().invoke(main, ["check", str(tiny_dir), "--period", "2024-Q1",
                                       "--format", "json"])
    assert result.exit_code == 0
    assert ("note: no link is dated in 2024-Q1 (of 4 dated links); the checks ran on the "
            "1 undated links only") in result.output
    zh = run("check", tiny_dir, "--since", "2026", "--lang", "zh")
    assert "都不在 2026 – … 内" in zh.output


def test_check_period_bad_value_is_a_usage_error(tiny_dir):
    result = run("check", tiny_dir, "--period", "2025-13")
    assert result.exit_code == 2
    assert "period '2025-13' is not YYYY, YYYY-MM, YYYY-Qn or a date YYYY-MM-DD" in result.output
    both = run("check", tiny_dir, "--period", "2025", "--until", "2025")
    assert both.exit_code == 2 and "not both" in both.output


def test_trend_table_and_json():
    example = "examples/county-medical-community"
    table = run("trend", example, "--lang", "zh")
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0].split()[:3] == ["时期", "上转", "下转"]
    assert [line.split()[0] for line in lines[2:6]] == [f"2025-Q{q}" for q in range(1, 5)]
    assert "比季度粗" in lines[-1]
    data = json.loads(run("trend", example, "--by", "year", "--format", "json").output)
    assert data["periods"][0]["referrals_up"] == 1891 and data["coarser"] == 0
