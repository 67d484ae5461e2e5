"""``orgnet metrics``: CSV with BOM for Excel, network JSON, Chinese headers, clean errors."""

from __future__ import annotations

import io
import json

import pandas as pd
from click.testing import CliRunner

from conftest import write_csv_tables
from orgnet.cli import main


def run(*args):
    return CliRunner().invoke(main, ["metrics", *map(str, args)])


def test_metrics_writes_a_bom_csv_and_network_json(tiny_dir, tmp_path):
    out, net = tmp_path / "m.csv", tmp_path / "n.json"
    result = run(tiny_dir, "-o", out, "--network-json", net)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}: 6 institutions\n"
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.StringIO(data.decode("utf-8-sig")), index_col="id")
    assert list(frame.index) == ["H1", "T1", "T2", "V1", "V2", "V3"]
    assert frame.loc["T1", "name"] == "东镇卫生院"
    assert frame.loc["H1", "referrals_in_up"] == 30 and frame.loc["V2", "coverage"] == "uncovered"
    network = json.loads(net.read_text(encoding="utf-8"))
    assert network["institutions"] == 6 and network["referrals_up"] == 42
    assert network["betweenness"] == {"method": "exact"}


def test_metrics_in_chinese_and_json_to_stdout(tiny_dir, tmp_path):
    out = tmp_path / "指标.csv"
    result = run(tiny_dir, "-o", out, "--network-json", "-", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["components"] == 3
    assert result.stderr.startswith(f"已写入 {out}：机构 6 家")
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("编号,名称,类型,层级,所属区域,所属县,上级编号,联系机构数")
    assert "县级医院" in out.read_text(encoding="utf-8-sig")


def test_metrics_reports_sampled_betweenness(tiny_dir, tmp_path):
    result = run(tiny_dir, "-o", tmp_path / "m.csv", "--exact-limit", "2", "--samples", "3")
    assert result.exit_code == 0
    assert "(betweenness approximated from k=3 samples, seed 0)" in result.stderr


def test_metrics_invalid_dataset_exits_1_with_located_errors(tmp_path, tiny_tables):
    tiny_tables["institutions"][0]["kind"] = "county_hospitel"
    path = write_csv_tables(tmp_path / "bad", tiny_tables)
    result = run(path, "-o", tmp_path / "m.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "institutions.csv:2" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "m.csv").exists()


def test_metrics_needs_an_output_file(tiny_dir):
    result = run(tiny_dir)
    assert result.exit_code == 2
    assert "Missing option '-o' / '--output'" in result.stderr


def test_metrics_unwritable_output_is_a_clean_error(tiny_dir, tmp_path):
    target = tmp_path / "missing" / "m.csv"
    result = run(tiny_dir, "-o", target)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {target}: ")
