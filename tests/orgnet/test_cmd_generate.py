"""``orgnet generate`` and ``orgnet demo`` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from orgnet.loaders import load_dataset
from orgnet import cmd_generate
from orgnet.cli import main


def _run(args):
    return CliRunner().invoke(main, [str(a) for a in args])


# --- generate ----------------------------------------------------------------
def test_generate_writes_a_valid_csv_directory_and_one_summary_line(tmp_path):
    result = _run(["generate", tmp_path / "d", "--counties", "2", "--seed", "4",
                   "--uncovered", "3", "--isolated", "0"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"wrote {tmp_path / 'd'}: 2 counties, ")
    assert "6 uncovered clinics, 0 isolated units" in lines[0]
    dataset = load_dataset(tmp_path / "d")
    assert f"{len(dataset.table('institutions')):,} institutions" in lines[0]


def test_generate_is_quiet_in_a_pipe(tmp_path):
    result = _run(["generate", tmp_path / "d", "--entities", "2000"])
    assert result.exit_code == 0
    assert "Generating" not in result.output and "%" not in result.output


def test_generate_in_chinese_with_chinese_headers(tmp_path):
    result = _run(["generate", tmp_path / "zh", "--headers", "zh", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已写入 {tmp_path / 'zh'}：1 个县")
    assert sorted(p.name for p in (tmp_path / "zh").iterdir()) == sorted(
        ["区域.csv", "机构.csv", "党组织.csv", "人员.csv", "关系.csv", "服务.csv"])
    head = (tmp_path / "zh" / "机构.csv").read_bytes()[:32]
    assert head.startswith("\ufeff编号,名称,类型".encode("utf-8"))    # BOM: Excel reads UTF-8
    assert len(load_dataset(tmp_path / "zh").table("members")) > 100


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_generate_small_formats(tmp_path, fmt):
    out = tmp_path / f"county.{fmt}"
    result = _run(["generate", out, "--format", fmt, "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert len(load_dataset(out).table("institutions")) > 100


def test_generate_refuses_big_workbooks_politely(tmp_path):
    result = _run(["generate", tmp_path / "big.xlsx", "--format", "xlsx", "--entities", "1000000"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith(
        "Error: xlsx output is for small datasets (at most about 50,000 entities")
    assert result.output.strip().endswith("use --format csv")
    assert not (tmp_path / "big.xlsx").exists()


@pytest.mark.parametrize("args,message", [
    (["--counties", "2", "--entities", "10"], "give --counties or --entities, not both"),
    (["--counties", "0"], "Invalid value for '--counties'"),
    (["--uncovered", "-1"], "Invalid value for '--uncovered'"),
])
def test_generate_usage_errors(tmp_path, args, message):
    result = _run(["generate", tmp_path / "d", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_generate_csv_into_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "f").write_text("x")
    result = _run(["generate", tmp_path / "f"])
    assert result.exit_code == 2
    assert "is a file; csv output is a directory" in result.output


def test_generate_will_not_mix_english_and_chinese_file_names(tmp_path):
    assert _run(["generate", tmp_path / "d", "--headers", "zh"]).exit_code == 0
    result = _run(["generate", tmp_path / "d"])
    assert result.exit_code == 2
    assert "already holds" in result.output and "机构.csv" in result.output


# --- demo --------------------------------------------------------------------
def _check_demo_outputs(out):
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["findings"], "the demo found nothing"
    assert set(data) == {"summary", "findings"}
    for name in ("report.html", "map.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert page.lstrip().lower().startswith("<!doctype html>")
    return data


def test_demo_runs_the_bundled_example(tmp_path):
    result = _run(["demo", "-o", tmp_path / "out"])
    assert result.exit_code == 0, result.output
    data = _check_demo_outputs(tmp_path / "out")
    checks = {f["check"] for f in data["findings"]}
    assert {"coverage.uncovered_institution", "referral.broken_chain",
            "connectivity.isolated_unit"} <= checks
    assert f"{len(data['findings'])} findings:" in result.output
    assert str(tmp_path / "out" / "report.html") in result.output


def test_demo_in_chinese(tmp_path):
    result = _run(["demo", "-o", tmp_path / "out", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    data = _check_demo_outputs(tmp_path / "out")
    assert "发现问题" in result.output and "组织覆盖率" in result.output
    messages = " ".join(f["message"] for f in data["findings"])
    assert "卫生室" in messages


def test_demo_generates_a_county_when_the_example_is_not_installed(tmp_path, monkeypatch):
    monkeypatch.setattr(cmd_generate, "example_path", lambda: None)
    result = _run(["demo", "-o", tmp_path / "out"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "data" / "institutions.csv").exists()
    assert "generated a small county" in result.output
    data = _check_demo_outputs(tmp_path / "out")
    assert any(f["check"] == "coverage.uncovered_institution" for f in data["findings"])


def test_demo_into_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "f").write_text("x")
    result = _run(["demo", "-o", tmp_path / "f"])
    assert result.exit_code == 2


def test_generate_periods_prints_the_planted_counts_and_compare_finds_them(tmp_path):
    import json as _json

    from click.testing import CliRunner as _Runner

    from orgnet.cli import main as _main

    out = tmp_path / "quarters"
    result = _Runner().invoke(_main, ["generate", str(out), "--periods", "2", "--seed", "3"])
    assert result.exit_code == 0, result.output
    planted = _json.loads((out / "planted.json").read_text(encoding="utf-8"))["planted"]
    fixed = sum(len(v) for v in planted["2025-Q2"]["fixed"].values())
    new = sum(len(v) for v in planted["2025-Q2"]["new"].values())
    assert f"2025-Q2: planted {fixed} fix" in result.output
    assert f"{new} new gap" in result.output
    compared = _Runner().invoke(_main, ["compare", str(out / "2025-Q1"), str(out / "2025-Q2"),
                                        "--format", "json"])
    data = _json.loads(compared.output)
    assert (len(data["resolved"]), len(data["new"])) == (fixed, new)
    refused = _Runner().invoke(_main, ["generate", str(tmp_path / "x.xlsx"), "--periods", "2",
                                       "--format", "xlsx"])
    assert refused.exit_code == 2 and "--periods writes CSV directories" in refused.output
