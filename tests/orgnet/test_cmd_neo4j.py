"""``orgnet load`` and ``orgnet cypher`` against a fake driver: exit codes, exact
messages, environment variables, read-only mode, and the password never shown."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner
from neo4j.exceptions import AuthError, ServiceUnavailable

from fake_neo4j import MemoryNeo4j, error, small_graph
from orgnet.graphmodel import neo4j_store as S
from orgnet import _neo4j
from orgnet.cli import main

SECRET = "pa55-w0rd-XYZ"
URI = "bolt://db.example:7687"
NO_ENV = {"NEO4J_URI": None, "NEO4J_USERNAME": None, "NEO4J_PASSWORD": None,
          "NEO4J_DATABASE": None}


class Factory:
    """Stands in for neo4j.GraphDatabase.driver: one shared MemoryNeo4j, calls recorded."""

    def __init__(self):
        self.driver = MemoryNeo4j()
        self.opened = []

    def __call__(self, uri, *, auth=None, **config):
        self.opened.append((uri, auth))
        return self.driver


@pytest.fixture
def factory(monkeypatch):
    fake = Factory()
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", fake)
    return fake


def run(args, env=None, **kwargs):
    return CliRunner().invoke(main, args, env={**NO_ENV, **(env or {})}, **kwargs)


def assert_no_secret(result):
    assert SECRET not in result.output
    assert SECRET not in (result.stderr or "")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert SECRET not in str(result.exception)


# ---------------------------------------------------------------------------
# orgnet load
# ---------------------------------------------------------------------------
def test_load_prints_a_summary_of_counts(factory, tiny_dir):
    result = run(["load", str(tiny_dir), "--neo4j", URI], env={"NEO4J_PASSWORD": SECRET})
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"Loaded dataset 'tiny' into Neo4j database 'neo4j' as version tiny#\S+: "
        r"17 entities \(Region 2, Institution 6, PartyOrg 3, Member 6\), 37 relationships "
        r"\(PART_OF_REGION 1, BELONGS_TO 5, REPORTS_TO 2, IN_REGION 6, COVERS 5, MEMBER_OF 5, "
        r"WORKS_AT 6, PROVIDES 2, REFERRAL 4, LIAISON 1\) in \d+\.\d s\.\n", result.stdout)
    assert factory.opened == [(URI, ("neo4j", SECRET))]
    assert factory.driver.closed
    assert_no_secret(result)


def test_load_reads_the_neo4j_environment_variables(factory, tiny_dir):
    env = {"NEO4J_URI": URI, "NEO4J_USERNAME": "planner", "NEO4J_PASSWORD": SECRET,
           "NEO4J_DATABASE": "county"}
    result = run(["load", str(tiny_dir)], env=env)
    assert result.exit_code == 0, result.output
    assert "into Neo4j database 'county'" in result.stdout
    assert factory.opened == [(URI, ("planner", SECRET))]
    assert {c.kwargs["database_"] for c in factory.driver.calls} == {"county"}
    assert_no_secret(result)


def test_reload_is_a_no_op(factory, tiny_dir):
    assert run(["load", str(tiny_dir), "--neo4j", URI]).exit_code == 0
    again = run(["load", str(tiny_dir), "--neo4j", URI])
    assert again.exit_code == 0
    assert again.stdout.startswith("Dataset 'tiny' is already loaded with the same content in "
                                   "Neo4j database 'neo4j' (version tiny#")


def test_a_different_dataset_under_the_same_name_is_refused_without_replace(
        factory, tiny_dir, tmp_path):
    assert run(["load", str(tiny_dir), "--neo4j", URI]).exit_code == 0
    changed = Path(tmp_path / "changed" / "tiny")
    changed.mkdir(parents=True)
    for path in tiny_dir.iterdir():
        changed.joinpath(path.name).write_bytes(path.read_bytes())
    with open(changed / "institutions.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(["V9", "新村卫生室", "village_clinic", "R2", "T1"])
    before = factory.driver.datasets["tiny"]["graph"]
    refused = run(["load", str(changed), "--neo4j", URI])
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: a different dataset named 'tiny' is already loaded in Neo4j database "
        "'neo4j'; use --replace to overwrite it, or --dataset to load it under another "
        "name\n")
    assert factory.driver.datasets["tiny"]["graph"] == before
    replaced = run(["load", str(changed), "--neo4j", URI, "--replace"])
    assert replaced.exit_code == 0
    assert replaced.stdout.startswith("Replaced dataset 'tiny'")
    assert "18 entities" in replaced.stdout
    assert factory.driver.graphs() == {factory.driver.datasets["tiny"]["graph"]}
    beside = run(["load", str(changed), "--neo4j", URI, "--dataset", "tiny-2026"])
    assert beside.exit_code == 0 and "dataset 'tiny-2026'" in beside.stdout
    assert sorted(factory.driver.datasets) == ["tiny", "tiny-2026"]


def test_load_in_chinese(factory, tiny_dir):
    result = run(["load", str(tiny_dir), "--neo4j", URI, "--lang", "zh"])
    assert result.exit_code == 0
    assert result.stdout.startswith("已将数据集“tiny”载入 Neo4j 数据库“neo4j”（版本 tiny#")
    assert "实体 17 个（区域 2，机构 6，党组织 3，人员 6）" in result.stdout


def test_an_invalid_dataset_touches_nothing(factory, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "institutions.csv").write_text("id,name,kind\nH1,县医院,hospital\n", encoding="utf-8")
    result = run(["load", str(bad), "--neo4j", URI])
    assert result.exit_code == 1
    assert result.stderr == ("Error: institutions.csv:2: column 'kind': unknown kind "
                             "'hospital'; did you mean 'mch_hospital'?\n")
    assert factory.opened == [] and factory.driver.calls == []


def test_load_needs_a_server(factory, tiny_dir):
    result = run(["load", str(tiny_dir)])
    assert result.exit_code == 2
    assert "Error: no Neo4j server given: pass --neo4j URI or set NEO4J_URI" in result.stderr


def test_load_refuses_a_non_bolt_uri(factory, tiny_dir):
    result = run(["load", str(tiny_dir), "--neo4j", "http://db:7474"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: invalid Neo4j URI 'http://db:7474': use a bolt:// or "
                             "neo4j:// URI (+s / +ssc for TLS), e.g. bolt://localhost:7687\n")


def test_batch_size_is_passed_and_must_be_positive(factory, tiny_dir):
    assert run(["load", str(tiny_dir), "--neo4j", URI, "--batch-size", "0"]).exit_code == 2
    assert run(["load", str(tiny_dir), "--neo4j", URI, "--batch-size", "4"]).exit_code == 0
    rows = [len(c.parameters["rows"]) for c in factory.driver.calls if "rows" in c.parameters]
    assert max(rows) == 4


# ---------------------------------------------------------------------------
# connection errors: one line, exit 1, never the password
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("failure, message", [
    (ServiceUnavailable(f"Couldn't connect to db.example:7687 with {SECRET}"),
     "Error: cannot reach Neo4j at bolt://db.example:7687 (Couldn't connect to "
     "db.example:7687 with ***); is the server running and the URI right?\n"),
    (AuthError(f"The client is unauthorized ({SECRET})"),
     "Error: Neo4j at bolt://db.example:7687 rejected the credentials for user 'neo4j'; "
     "check NEO4J_USERNAME (or --username) and NEO4J_PASSWORD\n"),
])
def test_connection_errors(factory, tiny_dir, failure, message):
    factory.driver.connect_error = failure
    result = run(["load", str(tiny_dir), "--neo4j", URI], env={"NEO4J_PASSWORD": SECRET})
    assert result.exit_code == 1
    assert result.stderr == message
    assert "Traceback" not in result.output
    assert_no_secret(result)


@pytest.mark.parametrize("failure, message", [
    (ServiceUnavailable(f"Couldn't connect to db.example:7687 with {SECRET}"),
     "错误：无法连接 Neo4j（bolt://db.example:7687）（Couldn't connect to db.example:7687 with "
     "***）；服务器是否在运行、地址是否正确？\n"),
    (AuthError(f"The client is unauthorized ({SECRET})"),
     "错误：Neo4j（bolt://db.example:7687）拒绝了登录凭据（用户 'neo4j'）；请检查 "
     "NEO4J_USERNAME（或 --username）和 NEO4J_PASSWORD\n"),
])
def test_connection_errors_in_zh(factory, tiny_dir, failure, message):
    factory.driver.connect_error = failure
    result = run(["load", str(tiny_dir), "--neo4j", URI, "--lang", "zh"],
                 env={"NEO4J_PASSWORD": SECRET})
    assert result.exit_code == 1
    assert result.stderr == message
    assert_no_secret(result)


def test_unknown_database(factory, tiny_dir):
    factory.driver.fail_on = lambda n, q: error(
        "Neo.ClientError.Database.DatabaseNotFound", "Database does not exist.")
    result = run(["load", str(tiny_dir), "--neo4j", URI, "--database", "nope"],
                 env={"NEO4J_PASSWORD": SECRET})
    assert result.exit_code == 1
    assert result.stderr == ("Error: database 'nope' does not exist on Neo4j at "
                             "bolt://db.example:7687; name an existing one with --database "
                             "or NEO4J_DATABASE\n")


def test_old_server(factory, tiny_dir):
    factory.driver.version = "4.4.30"
    result = run(["load", str(tiny_dir), "--neo4j", URI])
    assert result.exit_code == 1
    assert result.stderr == ("Error: Neo4j 4.4.30 is not supported: orgnet needs Neo4j 5.7 "
                             "or later\n")
    assert factory.driver.writes() == []


def test_password_in_the_uri_is_never_shown(factory, tiny_dir):
    factory.driver.connect_error = ServiceUnavailable(f"refused bolt://u:{SECRET}@db:7687")
    result = run(["load", str(tiny_dir), "--neo4j", f"bolt://u:{SECRET}@db:7687"])
    assert result.exit_code == 1
    assert_no_secret(result)
    # the userinfo is taken out of the URI and used as the credentials
    assert factory.opened == [("bolt://db:7687", ("u", SECRET))]


def test_password_option_is_refused(factory, tiny_dir):
    result = run(["load", str(tiny_dir), "--neo4j", URI, "--password", SECRET])
    assert result.exit_code == 2
    assert "--password is not accepted: a password on the command line shows in shell " \
           "history and in 'ps'; set NEO4J_PASSWORD or type it when asked" in result.output
    assert factory.opened == []
    assert "--password" not in run(["load", "--help"]).output


def test_password_is_asked_for_on_a_terminal_and_never_echoed(factory, tiny_dir, monkeypatch):
    monkeypatch.setattr(_neo4j, "_stdin_is_terminal", lambda: True)
    result = run(["load", str(tiny_dir), "--neo4j", URI], input=SECRET + "\n")
    assert result.exit_code == 0, result.output
    assert factory.opened == [(URI, ("neo4j", SECRET))]
    assert "Neo4j password for neo4j at bolt://db.example:7687" in result.output
    assert_no_secret(result)


def test_no_password_in_a_pipe_connects_without_auth(factory, tiny_dir):
    factory.driver.connect_error = AuthError("unauthorized")
    result = run(["load", str(tiny_dir), "--neo4j", URI])
    assert factory.opened == [(URI, None)]
    assert result.exit_code == 1
    assert result.stderr.endswith("; no password was given: set NEO4J_PASSWORD\n")


def test_target_repr_hides_the_password():
    target = _neo4j.Neo4jTarget(URI, "neo4j", "neo4j", SECRET)
    assert SECRET not in repr(target) and SECRET not in str(target)


# ---------------------------------------------------------------------------
# orgnet cypher
# ---------------------------------------------------------------------------
def test_cypher_prints_a_table_read_only(factory):
    factory.driver.console_answer = (["id", "name"], [["H1", "县人民医院"], ["V1", None]])
    result = run(["cypher", "MATCH (i:Institution) RETURN i.id AS id, i.name AS name",
                  "--neo4j", URI])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("id | name\n"
                             "---+-----------\n"
                             "H1 | 县人民医院\n"
                             "V1 |\n")
    assert [r[2] for r in factory.driver.runs] == ["READ", "READ"]
    assert factory.driver.runs[0][0].startswith("EXPLAIN MATCH")


def test_cypher_refuses_a_write_without_write(factory):
    result = run(["cypher", "MATCH (n) DETACH DELETE n", "--neo4j", URI])
    assert result.exit_code == 1
    assert result.stderr == ("Error: the query would write (query type 'rw') and write "
                             "access was not granted; orgnet cypher is read-only by default: "
                             "add --write to allow writes\n")
    assert [r[0] for r in factory.driver.runs] == ["EXPLAIN MATCH (n) DETACH DELETE n"]


def test_cypher_write_refused_by_the_server_read_access_mode(factory):
    factory.driver.explain_error = error("Neo.ClientError.Statement.SyntaxError", "no plan")
    result = run(["cypher", "PROFILE CREATE (n:X)", "--neo4j", URI])
    assert result.exit_code == 1
    assert result.stderr == ("Error: the query writes, but it ran read-only (Writing in read "
                             "access mode not allowed.); orgnet cypher is read-only by "
                             "default: add --write to allow writes\n")


def test_cypher_write_runs_in_write_mode_and_reports_changes(factory):
    factory.driver.console_answer = ([], [])
    result = run(["cypher", "CREATE (n:Note {text: $text})", "--neo4j", URI, "--write",
                  "--param", "text=备注"])
    assert result.exit_code == 0, result.output
    assert factory.driver.runs == [("CREATE (n:Note {text: $text})", {"text": "备注"},
                                    "WRITE", "neo4j")]
    assert result.stderr == "nodes created: 1\n"


def test_cypher_params_are_json_when_they_parse(factory):
    result = run(["cypher", "RETURN $a, $b, $c, $d", "--neo4j", URI, "--param", "a=3",
                  "--param", 'b=["H1", "T1"]', "--param", "c=县医院", "--param", "d=true"])
    assert result.exit_code == 0
    assert factory.driver.runs[-1][1] == {"a": 3, "b": ["H1", "T1"], "c": "县医院", "d": True}


def test_cypher_bad_param_is_a_usage_error(factory):
    result = run(["cypher", "RETURN 1", "--neo4j", URI, "--param", "novalue"])
    assert result.exit_code == 2
    assert "'novalue' is not NAME=VALUE" in result.stderr


def test_cypher_reads_a_file_with_bom_and_formats_csv_and_json(factory, tmp_path):
    path = tmp_path / "q.cypher"
    path.write_text("MATCH (i:Institution)\nRETURN i.id AS id, i.institution_ids AS ids;\n",
                    encoding="utf-8-sig")
    factory.driver.console_answer = (["id", "ids"], [["O2", ["T1", "V1"]]])
    as_csv = run(["cypher", "-f", str(path), "--neo4j", URI, "--format", "csv"])
    assert as_csv.exit_code == 0
    assert as_csv.stdout == 'id,ids\nO2,"[""T1"", ""V1""]"\n'
    assert factory.driver.runs[-1][0] == ("MATCH (i:Institution)\n"
                                          "RETURN i.id AS id, i.institution_ids AS ids")
    as_json = run(["cypher", "-f", str(path), "--neo4j", URI, "--format", "json"])
    assert json.loads(as_json.stdout) == [{"id": "O2", "ids": ["T1", "V1"]}]


@pytest.mark.parametrize("args", [[], ["RETURN 1", "-f", "x.cypher"], ["  ;  "]])
def test_cypher_needs_exactly_one_query(factory, tmp_path, args):
    if "-f" in args:
        (tmp_path / "x.cypher").write_text("RETURN 1", encoding="utf-8")
        args = [a if a != "x.cypher" else str(tmp_path / "x.cypher") for a in args]
    result = run(["cypher", *args, "--neo4j", URI])
    assert result.exit_code == 2


def test_cypher_dataset_passes_dataset_and_live_graph(factory, tiny_dir):
    assert run(["load", str(tiny_dir), "--neo4j", URI]).exit_code == 0
    result = run(["cypher", "MATCH (i:Institution {graph: $graph}) RETURN count(i)",
                  "--neo4j", URI, "--dataset", "tiny"])
    assert result.exit_code == 0
    live = factory.driver.datasets["tiny"]["graph"]
    assert factory.driver.runs[-1][1] == {"dataset": "tiny", "graph": live}
    checks = run(["cypher", "MATCH (i:Institution {graph: $graph}) WHERE i.kind IN "
                  "$health_kinds AND size(i.name) > $branch_min_full_members RETURN i.id",
                  "--neo4j", URI, "--dataset", "tiny", "--param", "branch_min_full_members=1"])
    assert checks.exit_code == 0, checks.output
    params = factory.driver.runs[-1][1]
    assert sorted(params) == ["branch_min_full_members", "dataset", "graph", "health_kinds"]
    assert params["branch_min_full_members"] == 1  # --param wins
    assert "village_clinic" in params["health_kinds"]
    missing = run(["cypher", "RETURN 1", "--neo4j", URI, "--dataset", "nope"])
    assert missing.exit_code == 1
    assert missing.stderr == ("Error: no dataset 'nope' in Neo4j database 'neo4j' (loaded: "
                              "tiny); load it with: orgnet load PATH --dataset nope\n")


def test_resolve_dataset_picks_the_only_one_or_asks():
    driver = MemoryNeo4j()
    store = S.Neo4jStore(driver, "db")
    with pytest.raises(S.StoreError, match="holds no orgnet dataset"):
        _neo4j.resolve_dataset(store, None)
    store.load(small_graph("a"), name="a")
    assert _neo4j.resolve_dataset(store, None) == "a"
    store.load(small_graph("b"), name="b")
    with pytest.raises(S.StoreError, match=r"several datasets \(a, b\); choose one with") as err:
        _neo4j.resolve_dataset(store, None)
    assert err.value.render("zh") == ("Neo4j 数据库 'db' 中有多个数据集（a、b）；"
                                      "请用 --dataset NAME 选择一个")
    assert _neo4j.resolve_dataset(store, "b") == "b"
    with pytest.raises(S.StoreError) as err:
        _neo4j.resolve_dataset(store, "c")
    assert err.value.render("zh").startswith("Neo4j 数据库 'db' 中没有数据集 'c'（已载入：a、b）")


def test_a_connection_lost_mid_load_is_one_error_line(factory, tiny_dir):
    members = S.render(S.CREATE_NODES, label="Member")
    factory.driver.fail_on = lambda n, q: ServiceUnavailable(f"lost {SECRET}") \
        if q == members else None
    result = run(["load", str(tiny_dir), "--neo4j", URI], env={"NEO4J_PASSWORD": SECRET})
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: loading 'tiny' stopped part-way (cannot reach Neo4j (lost ***); is the server "
        "running and the URI right?); nothing was made live; run the load again to "
        "finish\n")
    assert factory.driver.datasets["tiny"].get("graph") is None  # nothing went live
    factory.driver.fail_on = None
    assert run(["load", str(tiny_dir), "--neo4j", URI]).exit_code == 0
    assert factory.driver.graphs() == {factory.driver.datasets["tiny"]["graph"]}
