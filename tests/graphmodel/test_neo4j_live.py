"""The Neo4j store against a real Neo4j 5 server (marker ``neo4j``).

The server comes from tests/neo4j_server.py: NEO4J_URI (+ NEO4J_USERNAME /
NEO4J_PASSWORD / NEO4J_DATABASE), else a throwaway server started from NEO4J_HOME
(default /opt/neo4j); without either these tests are skipped.  They refuse a
database that holds data unless ORGNET_NEO4J_RESET=1.

    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... python -m pytest -m neo4j -q
"""

from __future__ import annotations

import csv
from collections import Counter

import neo4j
import pytest
from click.testing import CliRunner

from orgnet.graphmodel import neo4j_store as S
from orgnet.graphmodel.schema import DATASET_LABEL, ENTITY_LABELS, REL_TYPES, STAGE, STAGES
from orgnet.loaders import load_dataset, load_graph
from orgnet.loaders.rows import dataset_rows
from orgnet.cli import main

pytestmark = pytest.mark.neo4j


def graph_equal(A, B) -> None:
    assert dict(A.nodes(data=True)) == dict(B.nodes(data=True))
    assert sorted(A.edges(keys=True, data=True), key=repr) == \
        sorted(B.edges(keys=True, data=True), key=repr)
    assert A.graph == B.graph


def snapshot(driver, database):
    """Every node (labels, properties) and relationship (type, ends, properties)."""
    nodes = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", database_=database)
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.graph AS ag, a.id AS a, b.id AS b, "
        "properties(r) AS props", database_=database)
    return (sorted(repr((sorted(r["labels"]), sorted(r["props"].items()))) for r in nodes.records),
            sorted(repr((r["type"], r["ag"], r["a"], r["b"], sorted(r["props"].items())))
                   for r in rels.records))


def counts_in_db(driver, database, name):
    """Nodes per label and relationships per type of a dataset's live version.

    The OrgnetDataset node names the live version in its own ``graph`` property
    but is not part of it; relationships belong to the version of their nodes.
    """
    nodes = driver.execute_query(
        "MATCH (d:OrgnetDataset {name: $name}) MATCH (n {graph: d.graph}) "
        "WHERE NOT n:OrgnetDataset "
        "RETURN labels(n)[0] AS label, count(*) AS n", {"name": name}, database_=database)
    rels = driver.execute_query(
        "MATCH (d:OrgnetDataset {name: $name}) MATCH (a {graph: d.graph})-[r]->() "
        "WHERE NOT a:OrgnetDataset "
        "RETURN type(r) AS type, count(*) AS n", {"name": name}, database_=database)
    return ({r["label"]: r["n"] for r in nodes.records},
            {r["type"]: r["n"] for r in rels.records})


def number_of_versions(driver, database, name):
    result = driver.execute_query(
        "MATCH (n) WHERE n.graph STARTS WITH $prefix RETURN count(DISTINCT n.graph) AS n",
        {"prefix": name + "#"}, database_=database)
    return result.records[0]["n"]


@pytest.fixture
def changed_dir(tiny_dir, tmp_path):
    """TINY plus one village clinic (V9) and a Chinese extra column value."""
    out = tmp_path / "changed" / "tiny"
    out.mkdir(parents=True)
    for path in tiny_dir.iterdir():
        out.joinpath(path.name).write_bytes(path.read_bytes())
    with open(out / "institutions.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(["V9", "新村卫生室", "village_clinic", "R2", "T1"])
    return out


def test_the_server_is_supported(neo4j_driver, neo4j_database):
    assert S.server_version_supported(S.check_server(neo4j_driver, neo4j_database))


def test_ensure_schema_is_idempotent_and_creates_the_constraints(neo4j_store, neo4j_driver,
                                                                 neo4j_database):
    neo4j_store.ensure_schema()
    neo4j_store.ensure_schema()
    names = {r["name"] for r in neo4j_driver.execute_query(
        "SHOW CONSTRAINTS YIELD name RETURN name", database_=neo4j_database).records}
    assert {"orgnet_dataset_name", "orgnet_institution_key", "orgnet_stage_key"} <= names
    indexes = {r["name"] for r in neo4j_driver.execute_query(
        "SHOW INDEXES YIELD name RETURN name", database_=neo4j_database).records}
    assert "orgnet_member_graph" in indexes
    assert not any(name.endswith("_dataset") for name in indexes)  # nothing reads it


def test_load_writes_every_entity_and_relationship(neo4j_store, neo4j_driver, neo4j_database,
                                                   tiny_dir):
    G = load_graph(tiny_dir)
    result = neo4j_store.load(dataset_rows(load_dataset(tiny_dir)), name="tiny")
    assert result.status == "loaded"
    nodes, rels = counts_in_db(neo4j_driver, neo4j_database, "tiny")
    expected_nodes = Counter(d["label"] for _, d in G.nodes(data=True))
    expected_nodes[STAGE] = len(STAGES)
    assert nodes == dict(expected_nodes)
    expected_rels = Counter(d["type"] for _, _, d in G.edges(data=True))
    expected_rels["PROVIDES"] = len(G.graph["services"])
    assert rels == dict(expected_rels)
    assert set(rels) <= set(REL_TYPES) and set(nodes) <= set(ENTITY_LABELS + (STAGE,))
    info = neo4j_store.datasets()
    assert [(i.name, i.graph, i.nodes) for i in info] == [("tiny", result.graph, 17)]


def test_read_graph_round_trip_equals_the_embedded_graph(neo4j_store, tiny_dir):
    G = load_graph(tiny_dir)
    neo4j_store.load(G, name="tiny")
    back = neo4j_store.read_graph("tiny")
    graph_equal(back, G)
    assert list(back.nodes) == list(G.nodes)
    assert back.graph["services"] == G.graph["services"]
    assert back.nodes["O2"]["institution_ids"] == ["T1", "V1"]


def test_read_graph_of_a_generated_county(neo4j_store, tmp_path):
    from orgnet.loaders.generate import generate_dataset

    generate_dataset(tmp_path / "county", counties=1, seed=3)
    G = load_graph(tmp_path / "county")
    rows = dataset_rows(load_dataset(tmp_path / "county"))
    first = neo4j_store.load(rows, name="county", batch_size=500)
    graph_equal(neo4j_store.read_graph("county"), G)
    again = neo4j_store.load(dataset_rows(load_dataset(tmp_path / "county")), name="county")
    assert (again.status, again.graph) == ("unchanged", first.graph)
    assert first.server_seconds > 0 and first.seconds >= first.hash_seconds


def test_reloading_the_same_dataset_leaves_the_database_identical(
        neo4j_store, neo4j_driver, neo4j_database, tiny_dir):
    first = neo4j_store.load(dataset_rows(load_dataset(tiny_dir)), name="tiny")
    before = snapshot(neo4j_driver, neo4j_database)
    again = neo4j_store.load(dataset_rows(load_dataset(tiny_dir)), name="tiny")
    assert again.status == "unchanged" and again.graph == first.graph
    assert snapshot(neo4j_driver, neo4j_database) == before


def test_two_datasets_side_by_side(neo4j_store, tiny_dir, changed_dir):
    a, b = load_graph(tiny_dir), load_graph(changed_dir)
    neo4j_store.load(a, name="east")
    neo4j_store.load(b, name="west")
    assert [i.name for i in neo4j_store.datasets()] == ["east", "west"]
    back_a, back_b = neo4j_store.read_graph("east"), neo4j_store.read_graph("west")
    assert back_a.number_of_nodes() == 17 and back_b.number_of_nodes() == 18
    a.graph["dataset"], b.graph["dataset"] = "east", "west"
    graph_equal(back_a, a)
    graph_equal(back_b, b)
    assert neo4j_store.delete("east") is True
    assert [i.name for i in neo4j_store.datasets()] == ["west"]
    graph_equal(neo4j_store.read_graph("west"), b)


def test_replace(neo4j_store, neo4j_driver, neo4j_database, tiny_dir, changed_dir):
    neo4j_store.load(load_graph(tiny_dir), name="tiny")
    with pytest.raises(S.DatasetExistsError, match="use --replace"):
        neo4j_store.load(load_graph(changed_dir), name="tiny")
    graph_equal(neo4j_store.read_graph("tiny"), load_graph(tiny_dir))
    result = neo4j_store.load(load_graph(changed_dir), name="tiny", replace=True)
    assert result.status == "replaced"
    graph_equal(neo4j_store.read_graph("tiny"), load_graph(changed_dir))
    assert number_of_versions(neo4j_driver, neo4j_database, "tiny") == 1


def test_interrupted_load_keeps_the_previous_version_and_the_rerun_completes(
        neo4j_store, neo4j_driver, neo4j_database, tiny_dir, changed_dir):
    neo4j_store.load(load_graph(tiny_dir), name="tiny")
    original = neo4j_store.read_graph("tiny")
    batches = []

    def die(n):
        batches.append(n)
        if len(batches) == 5:
            raise KeyboardInterrupt("killed mid-load")

    with pytest.raises(KeyboardInterrupt):
        neo4j_store.load(load_graph(changed_dir), name="tiny", replace=True, batch_size=2,
                         progress=die)
    graph_equal(neo4j_store.read_graph("tiny"), original)
    assert number_of_versions(neo4j_driver, neo4j_database, "tiny") == 2  # the orphan
    neo4j_store.load(load_graph(changed_dir), name="tiny", replace=True)
    graph_equal(neo4j_store.read_graph("tiny"), load_graph(changed_dir))
    assert number_of_versions(neo4j_driver, neo4j_database, "tiny") == 1


def test_a_connection_killed_mid_load_keeps_the_previous_version(
        neo4j_server, neo4j_store, neo4j_driver, neo4j_database, tiny_dir, changed_dir):
    neo4j_store.load(load_graph(tiny_dir), name="tiny")
    original = neo4j_store.read_graph("tiny")
    doomed = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth)
    seen = []

    def close_driver(n):
        seen.append(n)
        if len(seen) == 3:
            doomed.close()

    with pytest.raises(Exception):  # the driver refuses work once closed
        S.Neo4jStore(doomed, neo4j_database).load(
            load_graph(changed_dir), name="tiny", replace=True, batch_size=2,
            progress=close_driver)
    graph_equal(neo4j_store.read_graph("tiny"), original)
    neo4j_store.load(load_graph(changed_dir), name="tiny", replace=True)
    graph_equal(neo4j_store.read_graph("tiny"), load_graph(changed_dir))
    assert number_of_versions(neo4j_driver, neo4j_database, "tiny") == 1


def test_dataset_node_names_the_live_version(neo4j_store, neo4j_driver, neo4j_database,
                                             tiny_dir):
    result = neo4j_store.load(load_graph(tiny_dir), name="tiny")
    record = neo4j_driver.execute_query(
        f"MATCH (d:{DATASET_LABEL} {{name: $name}}) RETURN d.graph AS graph, "
        "d.pending AS pending, d.hash AS hash", {"name": "tiny"},
        database_=neo4j_database).records[0]
    assert record["graph"] == result.graph and record["pending"] == []
    assert record["hash"] == S.content_hash(load_graph(tiny_dir))


# ---------------------------------------------------------------------------
# the commands against the server
# ---------------------------------------------------------------------------
def test_orgnet_load_and_cypher(neo4j_env, neo4j_driver, neo4j_database, tiny_dir):
    runner = CliRunner()
    loaded = runner.invoke(main, ["load", str(tiny_dir)], env=neo4j_env)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.startswith("Loaded dataset 'tiny'")
    again = runner.invoke(main, ["load", str(tiny_dir)], env=neo4j_env)
    assert "nothing to do" in again.stdout
    query = ("MATCH (d:OrgnetDataset {name: $dataset}) "
             "MATCH (i:Institution {graph: d.graph}) RETURN i.id AS id, i.name AS name "
             "ORDER BY id LIMIT 2")
    table = runner.invoke(main, ["cypher", query, "--param", "dataset=tiny"], env=neo4j_env)
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[2:] == ["H1 | 县人民医院", "T1 | 东镇卫生院"]


def test_orgnet_cypher_refuses_a_write_without_write(neo4j_env, neo4j_driver, neo4j_database):
    runner = CliRunner()
    refused = runner.invoke(main, ["cypher", "CREATE (:Scratch {n: 1})"], env=neo4j_env)
    assert refused.exit_code == 1
    assert "read-only by default: add --write to allow writes" in refused.stderr
    profiled = runner.invoke(main, ["cypher", "PROFILE CREATE (:Scratch {n: 1})"], env=neo4j_env)
    assert profiled.exit_code == 1
    assert "read-only" in profiled.stderr
    assert S.run_cypher(neo4j_driver, neo4j_database,
                        "MATCH (n:Scratch) RETURN count(n) AS n").rows == [[0]]
    allowed = runner.invoke(main, ["cypher", "CREATE (:Scratch {n: 1})", "--write"],
                            env=neo4j_env)
    assert allowed.exit_code == 0, allowed.output
    assert "nodes created: 1" in allowed.stderr
    batched = runner.invoke(main, ["cypher", "CALL { MATCH (n:Scratch) DETACH DELETE n } "
                                   "IN TRANSACTIONS", "--write"], env=neo4j_env)
    assert batched.exit_code == 0, batched.output
    assert S.run_cypher(neo4j_driver, neo4j_database,
                        "MATCH (n:Scratch) RETURN count(n) AS n").rows == [[0]]


def test_wrong_password_and_unknown_database(neo4j_server, neo4j_env):
    if neo4j_server.password is None:
        pytest.skip("the server under test has no password (auth disabled?)")
    runner = CliRunner()
    wrong = {**neo4j_env, "NEO4J_PASSWORD": "definitely-not-it-42"}
    result = runner.invoke(main, ["cypher", "RETURN 1"], env=wrong)
    assert result.exit_code == 1
    assert "rejected the credentials" in result.stderr
    assert "definitely-not-it-42" not in result.output
    missing = runner.invoke(main, ["cypher", "RETURN 1", "--database", "nosuchdb"],
                            env=neo4j_env)
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: database 'nosuchdb' does not exist")


def test_the_united_front_layer_loads_from_the_schema(neo4j_store, neo4j_driver, neo4j_database):
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "examples" / "county-medical-community"
    G = load_graph(example, name="county")
    neo4j_store.load(G, name="county")
    nodes, rels = counts_in_db(neo4j_driver, neo4j_database, "county")
    contacts = sum(1 for _, _, d in G.edges(data=True) if d.get("link_type") == "contact")
    assert rels["CONTACT"] == contacts == 9
    kinds = {r["kind"]: r["n"] for r in neo4j_driver.execute_query(
        "MATCH (d:OrgnetDataset {name: 'county'}) MATCH (i:Institution {graph: d.graph}) "
        "WHERE i.kind IN ['united_front_station', 'association'] "
        "RETURN i.kind AS kind, count(*) AS n", database_=neo4j_database).records}
    assert kinds == {"united_front_station": 4, "association": 1}
    roles = neo4j_driver.execute_query(
        "MATCH (d:OrgnetDataset {name: 'county'}) MATCH (m:Member {graph: d.graph}) "
        "WHERE 'representative' IN m.roles RETURN count(*) AS n", database_=neo4j_database)
    assert roles.records[0]["n"] == 8
    graph_equal(neo4j_store.read_graph("county"), G)
