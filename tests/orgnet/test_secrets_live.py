"""Against a real Neo4j: read-only `cypher` refuses what reads files or administers the
server, passwords never show, credentials in the URI work and are never printed.

Marker ``neo4j``; the server comes from tests/neo4j_server.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from neo4j_server import run_orgnet as orgnet

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "county-medical-community"


@pytest.mark.parametrize("query, why", [
    ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
     "LOAD CSV reads files and URLs on the server"),
    ("CALL dbms.components() YIELD name RETURN name",
     "the procedure 'dbms.components' administers the server"),
    ("CALL db.createLabel('Evil')", "the procedure 'db.createLabel' administers the server"),
    ("SHOW TRANSACTIONS", "'SHOW TRANSACTIONS' is an administration command"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
     "'TERMINATE TRANSACTIONS' is an administration command"),
    ("CREATE INDEX evil FOR (n:Institution) ON (n.name)",
     "'CREATE INDEX' is an administration command"),
])
def test_read_only_cypher_refuses_and_says_why(neo4j_env, neo4j_database, query, why):
    result = orgnet("cypher", query, env=neo4j_env)
    assert result.returncode == 1
    assert result.stderr == (f"Error: {why}; orgnet cypher is read-only by default: add "
                             f"--write to allow it\n")
    assert result.stdout == ""


def test_the_same_queries_run_with_write(neo4j_env, neo4j_database):
    result = orgnet("cypher", "CALL dbms.components() YIELD name RETURN name", "--write",
                    env=neo4j_env)
    assert result.returncode == 0, result.stderr
    assert "Neo4j Kernel" in result.stdout


def test_a_plain_read_still_runs(neo4j_env, neo4j_database):
    result = orgnet("cypher", "RETURN 'LOAD CSV' AS `CALL dbms.x`, 1 AS n", env=neo4j_env)
    assert result.returncode == 0, result.stderr
    assert "LOAD CSV" in result.stdout


def test_writes_are_refused_by_the_server_too(neo4j_env, neo4j_database):
    result = orgnet("cypher", "CREATE (n:Evil) RETURN n", env=neo4j_env)
    assert result.returncode == 1
    assert "add --write" in result.stderr


def test_credentials_in_the_uri_work_and_never_show(neo4j_env, neo4j_database):
    password = neo4j_env.get("NEO4J_PASSWORD")
    if not password:
        pytest.skip("the test server runs without authentication")
    user = neo4j_env.get("NEO4J_USERNAME") or "neo4j"
    scheme, rest = neo4j_env["NEO4J_URI"].split("://", 1)
    uri = f"{scheme}://{user}:{password}@{rest}"
    env = {**neo4j_env, "NEO4J_URI": uri, "NEO4J_PASSWORD": None}
    ok = orgnet("cypher", "RETURN 1 AS n", env=env)
    assert ok.returncode == 0, ok.stderr
    bad = orgnet("cypher", "RETURN 1 AS n", env={**env, "NEO4J_URI": uri.replace(password, password + "x")})
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1
    for result in (ok, bad):
        assert password not in result.stdout + result.stderr
    # a value of the environment that looks like a secret never reaches the output
    leaked = orgnet("cypher", "RETURN $x AS echoed", "--param", f"x={password}", env=neo4j_env)
    assert leaked.returncode == 0, leaked.stderr
    assert password not in leaked.stdout and "***" in leaked.stdout
