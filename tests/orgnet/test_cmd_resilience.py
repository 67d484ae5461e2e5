"""orgnet resilience: JSON shape, --top, formats, zh, never over the input."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from orgnet.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_json_shape(tiny_dir):
    result = run("resilience", tiny_dir, "--format", "json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)["items"]
    assert [i["rank"] for i in items] == list(range(1, len(items) + 1))
    assert {"id", "kind", "caused", "cut_off", "rank"} <= set(items[0])
    ties = [i for i in items if i["kind"] == "tie"]
    assert ties and all(isinstance(i["id"], list) and len(i["id"]) == 2 for i in ties)
    m2 = next(i for i in items if i["id"] == "M2")
    assert {(f["check"], tuple(f["subject"])) for f in m2["caused"]} >= {
        ("structure.no_secretary", ("O2",)), ("structure.branch_too_small", ("O2",))}
    assert set(m2["caused"][0]) == {"check", "severity", "subject", "message", "evidence",
                                    "suggestion"}


def test_top_and_kind_and_formats(tiny_dir, tmp_path):
    result = run("resilience", tiny_dir, "--top", "2", "--kind", "unit", "--lang", "zh")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("排名  类型") and len(lines) == 4
    assert all(" 机构 " in line for line in lines[2:])
    rows = list(csv.reader(io.StringIO(run("resilience", tiny_dir, "--format", "csv").output)))
    assert rows[0][:3] == ["Rank", "Kind", "Id"] and len(rows) > 1
    md = run("resilience", tiny_dir, "--format", "markdown").output
    assert md.startswith("# Key members, units and ties")
    out = tmp_path / "r.xlsx"
    assert run("resilience", tiny_dir, "-o", out).exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames == ["Ranking", "Findings caused"]


def test_nothing_to_lose(tmp_path):
    from conftest import write_csv_tables

    path = write_csv_tables(tmp_path / "one", {"institutions": [
        {"id": "B", "name": "卫健局", "kind": "health_bureau"}]})
    result = run("resilience", path)
    assert result.exit_code == 0 and result.output == "No single loss causes a finding.\n"


def test_invalid_data_is_the_located_error(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "institutions.csv").write_text("id,name,kind\nH1,县医院,hospital\n", encoding="utf-8")
    result = run("resilience", bad)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("Error: institutions.csv:2: column 'kind'")


@pytest.mark.neo4j
def test_neo4j_gives_the_same_ranking(tiny_dir, neo4j_store, neo4j_env):
    from orgnet.loaders import load_graph

    neo4j_store.load(load_graph(tiny_dir), name="tiny")
    local = CliRunner().invoke(main, ["resilience", str(tiny_dir), "--format", "json"])
    remote = CliRunner().invoke(main, ["resilience", "--format", "json"], env=neo4j_env)
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output)
