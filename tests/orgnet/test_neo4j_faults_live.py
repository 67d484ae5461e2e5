"""orgnet against a real Neo4j when things go wrong, and what it prints when they don't.

Marker ``neo4j``.  The server comes from tests/neo4j_server.py; the test that kills a
server mid-load starts a second, private one with tools/neo4j/launch.py (it must not
kill the shared one), so it needs Java and Maven even when NEO4J_URI is set.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from orgnet.graphmodel import neo4j_store as S
from orgnet.loaders import load_graph
from neo4j_server import free_port_from_launcher, load_launcher, run_orgnet as orgnet

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "county-medical-community"


def test_load_and_check_print_only_their_own_lines(neo4j_env, neo4j_database):
    loaded = orgnet("load", str(EXAMPLE), env=neo4j_env)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("Loaded dataset 'county-medical-community'")
    assert loaded.stderr == ""
    again = orgnet("load", str(EXAMPLE), env=neo4j_env)
    assert again.returncode == 0 and again.stderr == ""
    checked = orgnet("check", "--neo4j", neo4j_env["NEO4J_URI"], "--format", "json",
                     env=neo4j_env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""
    embedded = orgnet("check", str(EXAMPLE), "--format", "json", env={})
    # the same summary and findings byte for byte; the provenance says where each came
    # from (the input files' SHA-256, or the loaded dataset's content hash)
    cut = checked.stdout.index(',\n  "provenance"')
    assert checked.stdout[:cut] == embedded.stdout[:embedded.stdout.index(',\n  "provenance"')]
    import json
    assert json.loads(checked.stdout)["provenance"]["neo4j"]["dataset"] == \
        "county-medical-community"
    assert "inputs" in json.loads(embedded.stdout)["provenance"]


def test_export_from_neo4j_is_the_file_export(neo4j_env, neo4j_database, tmp_path):
    assert orgnet("load", str(EXAMPLE), env=neo4j_env).returncode == 0
    for fmt in ("graphml", "gexf"):
        db = orgnet("export", "--neo4j", neo4j_env["NEO4J_URI"], "--format", fmt,
                    "-o", str(tmp_path / f"db.{fmt}"), env=neo4j_env)
        assert db.returncode == 0, db.stderr
        files = orgnet("export", str(EXAMPLE), "-o", str(tmp_path / f"file.{fmt}"),
                       "--format", fmt, env={})
        assert files.returncode == 0, files.stderr
        assert (tmp_path / f"db.{fmt}").read_bytes() == (tmp_path / f"file.{fmt}").read_bytes()


def test_cypher_shows_each_notification_as_one_line(neo4j_env, neo4j_database):
    result = orgnet("cypher", "MATCH (n:Institution) RETURN n.no_such_property AS x",
                    env=neo4j_env)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines, "the server warns about the unknown label and property"
    assert all(line.startswith("notification: WARNING 01N5") for line in lines), lines
    assert any("no_such_property" in line for line in lines)
    assert "GqlStatusObject" not in result.stderr


def test_connection_faults_are_one_line_naming_the_uri(neo4j_server, neo4j_env):
    secret = "s3cret-Pa55word"
    port = free_port_from_launcher()
    cases = {
        "refused": ({**neo4j_env, "NEO4J_URI": f"bolt://127.0.0.1:{port}",
                     "NEO4J_PASSWORD": secret}, f"cannot reach Neo4j at bolt://127.0.0.1:{port}"),
        "bad scheme": ({**neo4j_env, "NEO4J_URI": f"http://127.0.0.1:{port}",
                        "NEO4J_PASSWORD": secret}, "invalid Neo4j URI"),
        "wrong password": ({**neo4j_env, "NEO4J_PASSWORD": secret},
                           f"Neo4j at {neo4j_server.uri} rejected the credentials"),
        "no such database": ({**neo4j_env, "NEO4J_DATABASE": "nosuchdb"},
                             "database 'nosuchdb' does not exist"),
    }
    for case, (env, expected) in cases.items():
        result = orgnet("cypher", "RETURN 1", env=env, timeout=120)
        assert result.returncode == 1, (case, result.stderr)
        assert result.stdout == "", case
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (case, result.stderr)
        assert expected in lines[0], (case, lines[0])
        assert secret not in result.stderr and "Traceback" not in result.stderr, case


def test_cypher_write_without_write_changes_nothing(neo4j_env, neo4j_driver, neo4j_database):
    refused = orgnet("cypher", "MERGE (s:Scratch {n: 1}) RETURN s.n AS n", env=neo4j_env)
    assert refused.returncode == 1
    assert "read-only" in refused.stderr
    count = neo4j_driver.execute_query("MATCH (s:Scratch) RETURN count(s) AS n",
                                       database_=neo4j_database).records[0]["n"]
    assert count == 0


@pytest.fixture
def private_server():
    """A second Neo4j of our own, to kill; stopped and deleted after the test."""
    launch = load_launcher()
    directory = Path(tempfile.mkdtemp(prefix="orgnet-neo4j-kill-"))
    password = "kill-test-" + os.urandom(6).hex()
    try:
        server = launch.start(directory, password=password)
    except launch.LaunchError as err:
        pytest.fail(f"could not start a private Neo4j for the kill test: {err}")
    yield launch, server, password
    launch.stop(directory, kill=True)
    import shutil
    shutil.rmtree(directory, ignore_errors=True)


def test_server_killed_mid_load_keeps_the_previous_version(private_server, tiny_dir, tmp_path):
    import neo4j

    launch, server, password = private_server
    auth = ("neo4j", password)
    changed = load_graph(tiny_dir)
    changed.nodes["H1"]["name"] = "县人民医院（新院区）"
    with neo4j.GraphDatabase.driver(server.uri, auth=auth) as driver:
        store = S.Neo4jStore(driver, "neo4j")
        store.load(load_graph(tiny_dir), name="tiny")
        original = store.read_graph("tiny")
        batches = []

        def kill_the_server(n):
            batches.append(n)
            if len(batches) == 3:
                launch.stop(server.directory, kill=True)

        with pytest.raises(Exception) as raised:
            store.load(changed, name="tiny", replace=True, batch_size=2,
                       progress=kill_the_server)
        # two write transactions are in flight at a time: the one beside the third may
        # have committed before the kill, and is then reported too
        assert len(batches) in (3, 4)
        message = str(S.translate_error(raised.value, uri=server.uri))
        assert "cannot reach Neo4j" in message or "Neo4j" in message
    restarted = launch.start(server.directory, port=server.port, password=password)
    with neo4j.GraphDatabase.driver(restarted.uri, auth=auth) as driver:
        store = S.Neo4jStore(driver, "neo4j")
        survivor = store.read_graph("tiny")
        assert dict(survivor.nodes(data=True)) == dict(original.nodes(data=True))
        assert sorted(survivor.edges(keys=True, data=True), key=repr) == \
            sorted(original.edges(keys=True, data=True), key=repr)
        result = store.load(changed, name="tiny", replace=True)
        assert result.status == "replaced"
        assert store.read_graph("tiny").nodes["H1"]["name"] == "县人民医院（新院区）"
        versions = driver.execute_query(
            "MATCH (n:Institution {id: 'H1'}) RETURN count(DISTINCT n.graph) AS n",
            database_="neo4j").records[0]["n"]
        assert versions == 1, "the partial version was cleaned up"


def test_an_unsupported_server_version_is_one_line(tmp_path):
    """A real Neo4j 5.6 (older than the 5.7 orgnet needs), resolved like the test server."""
    launch = load_launcher()
    directory = tmp_path / "old-neo4j"
    try:
        old = launch.start(directory, version="5.6.0", heap="512m", pagecache="64m")
    except launch.LaunchError as err:
        pytest.fail(f"could not start Neo4j 5.6.0 from Maven Central: {err}")
    try:
        result = orgnet("cypher", "RETURN 1", env={"NEO4J_URI": old.uri}, timeout=120)
    finally:
        launch.stop(directory, kill=True)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: Neo4j at {old.uri} is too old: orgnet needs Neo4j 5.7 or later"]
