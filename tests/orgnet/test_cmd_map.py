"""``orgnet map`` and ``orgnet report``: exit codes, files written, exact error lines."""

import pytest
from click.testing import CliRunner

from conftest import write_csv_tables
from orgnet.cli import main
from orgnet.visualizations.maps import external_resources, page_model


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("view", ["units", "party", "referral", "full"])
def test_map_writes_one_offline_file(tiny_dir, tmp_path, view):
    out = tmp_path / "map.html"
    result = run("map", tiny_dir, "-o", out, "--view", view)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "vis.Network" in page and external_resources(page) == []


def test_map_options_filter_translate_and_redact(tiny_dir, tmp_path):
    out = tmp_path / "map.html"
    result = run("map", tiny_dir, "-o", out, "--view", "full", "--region", "R2",
                 "--community", "H1", "--check", "coverage.uncovered_institution",
                 "--lang", "zh", "--redact")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "人员姓名已替换为化名。" in page
    ids = {n["id"] for n in page_model(page)["layers"]["main"]["nodes"]}
    assert "V2" in ids and "H1" not in ids              # outside R2
    assert "杨磊" not in page                            # M6 works at V2: shown, redacted


def test_report_writes_one_offline_file(tiny_dir, tmp_path):
    out = tmp_path / "report.html"
    result = run("report", tiny_dir, "-o", out, "--lang", "zh", "--redact")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "组织覆盖率" in page and external_resources(page) == []
    assert "王伟" not in page


@pytest.mark.parametrize("command", ["map", "report"])
def test_invalid_dataset_exits_1_with_located_errors(tmp_path, command):
    data = write_csv_tables(tmp_path / "bad", {"institutions": [
        {"id": "H1", "name": "县医院", "kind": "hospital"}]})
    result = run(command, data, "-o", tmp_path / "x.html")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "Error: institutions.csv:2: column 'kind': unknown kind 'hospital'; "
        "did you mean 'mch_hospital'?")
    assert "Traceback" not in result.output and not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("option, line", [
    (["--region", "R9"], "Error: unknown region 'R9'; use the id of a row in regions"),
    (["--community", "T1"], "Error: 'T1' has a parent_id, so it is not the top of a medical "
                            "community; use the id at the top of its parent_id chain"),
    (["--check", "coverage.uncovered"], "Error: unknown check 'coverage.uncovered'; "
                                        "did you mean 'coverage.uncovered_institution'?"),
])
def test_bad_filters_exit_1(tiny_dir, tmp_path, option, line):
    result = run("map", tiny_dir, "-o", tmp_path / "x.html", *option)
    assert result.exit_code == 1
    assert result.output.strip() == line


def test_usage_errors_exit_2(tiny_dir, tmp_path):
    assert run("map", tiny_dir, "-o", tmp_path / "x.html", "--view", "tree").exit_code == 2
    assert run("map", tiny_dir).exit_code == 2                       # no -o
    assert run("report", "-o", tmp_path / "x.html").exit_code == 2     # no PATH, no --neo4j
    assert run("report", tiny_dir, "--neo4j", "bolt://localhost:1",
               "-o", tmp_path / "x.html").exit_code == 2                # both


def test_missing_dataset_exits_1(tmp_path):
    result = run("report", tmp_path / "missing", "-o", tmp_path / "x.html")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "missing" in result.output


def test_unwritable_output_exits_1(tiny_dir, tmp_path):
    result = run("report", tiny_dir, "-o", tmp_path / "no" / "such" / "dir" / "r.html")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot write ")


def test_progress_only_on_a_terminal(tiny_dir, tmp_path, monkeypatch):
    quiet = run("map", tiny_dir, "-o", tmp_path / "a.html")
    assert "reading" not in quiet.output and "checking" not in quiet.output
    monkeypatch.setattr("orgnet._common.is_terminal", lambda: True)
    shown = run("report", tiny_dir, "-o", tmp_path / "b.html")
    assert shown.exit_code == 0
    assert "reading" in shown.output and "checking" in shown.output


def test_report_plan_and_map_plan(tiny_dir, tmp_path):
    """--plan: the report gains the plan section, the map the plan overlay (zh and en)."""
    for lang, title in (("zh", "整改计划"), ("en", "Action plan")):
        out = tmp_path / f"report-{lang}.html"
        result = run("report", tiny_dir, "-o", out, "--plan", "--lang", lang)
        assert result.exit_code == 0, result.output
        page = out.read_text(encoding="utf-8")
        assert '<section id="plan">' in page and f"<h2>{title}</h2>" in page
        assert external_resources(page) == []
        out = tmp_path / f"map-{lang}.html"
        result = run("map", tiny_dir, "-o", out, "--plan", "--lang", lang, "--view", "units")
        assert result.exit_code == 0, result.output
        model = page_model(out.read_text(encoding="utf-8"))
        assert "groups" in model["layers"]["main"]
        assert any(s["dashes"] == [10, 6] for s in model["edgeStyles"])
    result = run("map", tiny_dir, "-o", tmp_path / "x.html", "--plan", "--view", "resilience")
    assert result.exit_code == 2 and "--plan" in result.output
