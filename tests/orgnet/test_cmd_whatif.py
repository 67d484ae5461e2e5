"""orgnet whatif: the JSON shape, formats, the one-line errors, --neo4j reads only."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from orgnet.cli import main


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_json_shape_and_figures(tiny_dir):
    result = run("whatif", tiny_dir, "--remove", "M2", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"before", "after", "appeared", "resolved"} <= set(data)
    check = json.loads(run("check", tiny_dir, "--format", "json").output)
    assert data["before"] == check["summary"]
    appeared = {(f["check"], tuple(f["subject"])) for f in data["appeared"]}
    # O2 loses its secretary and drops to two full members
    assert ("structure.no_secretary", ("O2",)) in appeared
    assert ("structure.branch_too_small", ("O2",)) in appeared
    assert set(data["appeared"][0]) == {"check", "severity", "subject", "message", "evidence",
                                        "suggestion"}


def test_changes_in_chinese_and_other_formats(tiny_dir, tmp_path):
    result = run("whatif", tiny_dir, "--add-link", "V2,T1,转诊,4", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("变化：--add-link V2,T1,referral,4\n")
    assert "消除的问题：" in result.output and "无向上转诊" in result.output
    out = tmp_path / "diff.xlsx"
    result = run("whatif", tiny_dir, "--cut", "T1,H1", "-o", out)
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames[0] == "Figures"
    md = run("whatif", tiny_dir, "--move", "M5,O2", "--format", "markdown").output
    assert md.startswith("# What if") and "## Findings that go away" in md


@pytest.mark.parametrize("args, line", [
    (["--remove", "NOPE"], "Error: --remove NOPE: unknown id 'NOPE'"),
    (["--cut", "T1"], "Error: --cut 'T1': expected SRC,TGT[,TYPE]"),
    (["--cut", "T1,V3"], "Error: --cut T1,V3: no link between T1 and V3"),
    (["--add-link", "V1,T1"], "Error: --add-link 'V1,T1': expected SRC,TGT,TYPE[,COUNT]"),
    (["--move", "M1,O9"], "Error: --move M1,O9: unknown id 'O9'"),
    (["--move", "M1,H1"], "Error: --move M1,H1: 'H1' is an institution, not a party org"),
])
def test_bad_changes_are_one_located_line_exit_1(tiny_dir, args, line):
    result = run("whatif", tiny_dir, *args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [line]


@pytest.mark.parametrize("args, line", [
    (["--remove", "NOPE"], "错误：--remove NOPE：编号“NOPE”不存在"),
    (["--cut", "T1"], "错误：--cut“T1”：格式应为 SRC,TGT[,TYPE]"),
    (["--cut", "T1,V3"], "错误：--cut T1,V3：T1 与 V3 之间没有关系"),
    (["--move", "M1,H1"], "错误：--move M1,H1：“H1”是机构，不是党组织"),
    (["--add-link", "M1,T1,朋友"], "错误：--add-link“M1,T1,朋友”：未知的关系类型“朋友”；可用：..."),
])
def test_bad_changes_speak_zh(tiny_dir, args, line):
    result = run("whatif", tiny_dir, *args, "--lang", "zh")
    assert result.exit_code == 1
    (shown,) = result.output.splitlines()
    assert shown.startswith(line.removesuffix("...")), shown


def test_no_change_is_a_usage_error(tiny_dir):
    result = run("whatif", tiny_dir)
    assert result.exit_code == 2 and "give at least one change" in result.output


def test_never_writes_over_the_input(tmp_path, tiny_tables):
    from conftest import write_json_tables

    path = write_json_tables(tmp_path / "tiny.json", tiny_tables)
    before = path.read_bytes()
    result = run("whatif", path, "--remove", "M2", "-o", path, "--format", "json")
    assert result.exit_code == 1 and "it is an input of this command" in result.output
    assert path.read_bytes() == before


@pytest.mark.neo4j
def test_neo4j_gives_the_same_difference_and_writes_nothing(tiny_dir, neo4j_store, neo4j_env,
                                                            neo4j_driver, neo4j_database):
    from orgnet.loaders import load_graph

    neo4j_store.load(load_graph(tiny_dir), name="tiny")

    def count():
        return neo4j_driver.execute_query("MATCH (n) RETURN count(n) AS n",
                                          database_=neo4j_database).records[0]["n"]

    nodes = count()
    args = ["--remove", "T1", "--add-link", "V2,T2,pairing", "--format", "json"]
    local = run("whatif", tiny_dir, *args)
    remote = run("whatif", *args, env=neo4j_env)
    assert remote.exit_code == 0, remote.output
    a, b = json.loads(local.output), json.loads(remote.output)
    for data in (a, b):
        for key in ("before", "after"):
            data[key].pop("dataset")
    assert a == b
    assert count() == nodes
