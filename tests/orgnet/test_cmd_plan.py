"""orgnet plan: JSON shape, --apply -o FIXED in the input's container, ledger, no findings."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from orgnet.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_json_shape_and_apply_in_the_same_container(tiny_tables, tmp_path):
    from conftest import write_xlsx_tables

    path = write_xlsx_tables(tmp_path / "tiny.xlsx", tiny_tables)
    fixed = tmp_path / "fixed.xlsx"
    result = run("plan", path, "--apply", "-o", fixed, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"actions", "unclosable", "before", "after"} <= set(data)
    action = data["actions"][0]
    assert {"id", "kind", "subjects", "text", "org", "priority", "closes"} <= set(action)
    assert set(action["text"]) == {"en", "zh"}
    assert run("validate", fixed).exit_code == 0
    check = json.loads(run("check", fixed, "--format", "json").output)
    assert data["after"]["findings"] == check["summary"]["findings"]
    assert data["after"]["coverage"] == check["summary"]["coverage"]
    left = {(f["check"], tuple(f["subject"])) for f in check["findings"]}
    for a in data["actions"]:
        for c in a["closes"]:
            assert (c["check"], tuple(c["subject"])) not in left


def test_ledger_and_chinese(tiny_dir, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    result = run("plan", tiny_dir, "--save", ledger, "--lang", "zh")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(ledger).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert sheet.title == "整改台账" and header[-3:] == ["责任人", "完成时限", "进展"]
    assert all(row[-3:] == (None, None, None) for row in sheet.iter_rows(min_row=2, values_only=True))
    table = run("plan", tiny_dir, "--lang", "zh").output
    assert table.startswith("整改前后指标") and "整改措施" in table
    assert run("plan", tiny_dir, "--format", "markdown").output.startswith("# Action plan")


def test_no_findings_says_so(tmp_path):
    path = tmp_path / "empty"
    path.mkdir()
    (path / "institutions.csv").write_text("id,name,kind\n", encoding="utf-8")
    result = run("plan", path)
    assert result.exit_code == 0 and result.output == "No findings: nothing to plan.\n"
    assert run("plan", path, "--lang", "zh").output == "未发现问题，无需整改。\n"


def test_usage_errors(tiny_dir, tmp_path):
    assert run("plan", tiny_dir, "--apply").exit_code == 2
    assert run("plan", tiny_dir, "-o", tmp_path / "x").exit_code == 2
    assert run("plan", tiny_dir, "--format", "xlsx").exit_code == 2
    result = run("plan", tiny_dir, "--apply", "-o", tiny_dir)
    assert result.exit_code == 1 and "refusing to write over the input" in result.output


@pytest.mark.neo4j
def test_neo4j_gives_the_same_plan_and_apply_needs_a_path(tiny_dir, neo4j_store, neo4j_env,
                                                          tmp_path):
    from orgnet.loaders import load_graph

    neo4j_store.load(load_graph(tiny_dir), name="tiny")
    local = json.loads(CliRunner().invoke(main, ["plan", str(tiny_dir), "--format", "json"]).output)
    result = CliRunner().invoke(main, ["plan", "--format", "json"], env=neo4j_env)
    assert result.exit_code == 0, result.output
    remote = json.loads(result.output)
    for data in (local, remote):
        for key in ("before", "after"):
            data[key].pop("dataset")
    assert remote == local
    result = CliRunner().invoke(main, ["plan", "--apply", "-o", str(tmp_path / "x")], env=neo4j_env)
    assert result.exit_code == 2 and "--apply needs a dataset PATH" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("seed,counties", [(11, 1), (12, 2)])
def test_apply_then_check_on_generated_datasets(tmp_path, seed, counties):
    """The bar from the command line: plan --apply, then check FIXED: every claimed finding
    is gone, none of high severity appears, and the plan's after figures are check's."""
    from orgnet.loaders.generate import generate_dataset

    generate_dataset(tmp_path / "g", counties=counties, seed=seed)
    fixed = tmp_path / "fixed"
    result = run("plan", tmp_path / "g", "--apply", "-o", fixed, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    before = json.loads(run("check", tmp_path / "g", "--format", "json").output)
    check = json.loads(run("check", fixed, "--format", "json").output)
    after = {k: v for k, v in data["after"].items() if k != "dataset"}
    assert after == {k: v for k, v in check["summary"].items() if k != "dataset"}
    left = {(f["check"], tuple(f["subject"])) for f in check["findings"]}
    claimed = {(c["check"], tuple(c["subject"])) for a in data["actions"] for c in a["closes"]}
    assert claimed and not claimed & left
    had = {(f["check"], tuple(f["subject"])) for f in before["findings"]}
    assert [f for f in check["findings"] if f["severity"] == "high"
            and (f["check"], tuple(f["subject"])) not in had] == []
