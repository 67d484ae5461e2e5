"""The Neo4j store against a fake driver: exact queries, parameters and load semantics.

The live counterpart (a real Neo4j 5) is tests/graphmodel/test_neo4j_live.py.
"""

from __future__ import annotations

import networkx as nx
import pytest
from neo4j import RoutingControl
from neo4j.exceptions import AuthError, ServiceUnavailable

from fake_neo4j import MemoryNeo4j, error, small_graph
from orgnet.graphmodel import neo4j_store as S
from orgnet.graphmodel.embedded import add_link
from orgnet.graphmodel.schema import (
    DATASET_LABEL, ENTITY_LABELS, INSTITUTION, MEMBER, PROVIDES, STAGE, STAGES,
)
from orgnet.loaders import load_graph


@pytest.fixture
def tiny_graph(tiny_dir):
    return load_graph(tiny_dir)


def graph_equal(A: nx.MultiDiGraph, B: nx.MultiDiGraph) -> None:
    assert dict(A.nodes(data=True)) == dict(B.nodes(data=True))
    assert sorted(A.edges(keys=True, data=True), key=repr) == \
        sorted(B.edges(keys=True, data=True), key=repr)
    assert A.graph == B.graph


def version_of(driver: MemoryNeo4j) -> str:
    registers = [c for c in driver.calls
                 if c.query == S.render(S.REGISTER_PENDING, label=DATASET_LABEL)]
    return registers[-1].parameters["graph"]


# ---------------------------------------------------------------------------
# schema
# ---------------------------------------------------------------------------
def test_ensure_schema_creates_constraints_and_indexes_idempotently():
    driver = MemoryNeo4j()
    S.Neo4jStore(driver, "orgdb").ensure_schema()
    queries = [c.query for c in driver.calls]
    assert queries[0] == ("CREATE CONSTRAINT orgnet_dataset_name IF NOT EXISTS\n"
                          "FOR (d:`OrgnetDataset`) REQUIRE d.name IS UNIQUE")
    assert ("CREATE CONSTRAINT orgnet_party_org_key IF NOT EXISTS\n"
            "FOR (n:`PartyOrg`) REQUIRE (n.graph, n.id) IS UNIQUE") in queries
    assert "CREATE INDEX orgnet_stage_graph IF NOT EXISTS\nFOR (n:`Stage`) ON (n.graph)" in queries
    # store format 1 indexed `dataset`, which nothing reads: the index is dropped
    assert "DROP INDEX orgnet_institution_dataset IF EXISTS" in queries
    assert not any("ON (n.dataset)" in q for q in queries)
    assert len(queries) == 1 + 3 * len(ENTITY_LABELS + (STAGE,))
    assert all("IF NOT EXISTS" in q or q.startswith("DROP INDEX orgnet_") and
               q.endswith(" IF EXISTS") for q in queries)
    assert all(c.parameters == {} and c.kwargs == {"database_": "orgdb"} for c in driver.calls)


def test_render_refuses_names_outside_the_schema():
    with pytest.raises(ValueError, match="not a schema name"):
        S.render(S.CREATE_NODES, label="Institution`) DETACH DELETE (n")
    with pytest.raises(ValueError):
        S.render(S.CREATE_KEY_CONSTRAINT, label=INSTITUTION, name="x; DROP")


# ---------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------
def test_first_load_writes_one_version_with_exact_queries_and_parameters():
    driver = MemoryNeo4j()
    G = small_graph()
    result = S.Neo4jStore(driver, "orgdb").load(G, name="d", source="d.xlsx")
    graph = version_of(driver)
    assert graph.startswith("d#") and result.graph == graph and result.status == "loaded"
    writes = driver.writes()
    assert [c.query for c in writes] == [
        S.render(S.REGISTER_PENDING, label=DATASET_LABEL),
        S.render(S.CREATE_NODES, label=INSTITUTION),
        S.render(S.CREATE_NODES, label=MEMBER),
        S.render(S.CREATE_NODES, label=STAGE),
        S.render(S.CREATE_PLAIN_RELATIONSHIPS, rel_type="WORKS_AT", source_label=MEMBER,
                 target_label=INSTITUTION),
        S.render(S.CREATE_RELATIONSHIPS, rel_type=PROVIDES, source_label=INSTITUTION,
                 target_label=STAGE),
        S.render(S.CREATE_RELATIONSHIPS, rel_type="REFERRAL", source_label=INSTITUTION,
                 target_label=INSTITUTION),
        S.render(S.SWITCH_VERSION, label=DATASET_LABEL),
    ]
    assert all(c.kwargs == {"database_": "orgdb"} for c in writes)
    assert writes[0].parameters == {"name": "d", "graph": graph}
    assert writes[1].parameters == {"graph": graph, "rows": [
        {"id": "H0", "name": "医院0", "kind": "county_hospital", "level": "county", "row": 2},
        {"id": "H1", "name": "医院1", "kind": "county_hospital", "level": "county", "row": 3},
    ]}
    assert writes[2].parameters["rows"] == [
        {"id": "M1", "name": "王伟", "status": "full", "roles": ["secretary", "expert"],
         "institution_id": "H0", "row": 2}]
    assert writes[3].parameters["rows"] == [{"id": s, "order": i} for i, s in enumerate(STAGES)]
    # relationships name their endpoints by the element ids the node batches returned,
    # as [source, target] rows, with their properties third when they have any
    eid = lambda label, node: driver.element_id(label, graph, node)  # noqa: E731
    assert writes[4].parameters == {"rows": [[eid(MEMBER, "M1"), eid(INSTITUTION, "H0")]]}
    assert writes[5].parameters["rows"] == [
        [eid(INSTITUTION, "H0"), eid(STAGE, "delivery"), {"row": 2}]]
    assert writes[6].parameters["rows"] == [
        [eid(INSTITUTION, "H1"), eid(INSTITUTION, "H0"), {
            "link_type": "referral", "link_index": 0, "count": 3, "period": "2025", "row": 2}]]
    switch = writes[7].parameters
    assert switch["name"] == "d" and switch["graph"] == graph
    assert switch["info"]["hash"] == S.content_hash(G)
    assert switch["info"]["source"] == "d.xlsx"
    assert (switch["info"]["nodes"], switch["info"]["relationships"]) == (3, 3)
    assert result.nodes == {"Region": 0, "Institution": 2, "PartyOrg": 0, "Member": 1}
    assert result.relationships == {"WORKS_AT": 1, "PROVIDES": 1, "REFERRAL": 1}
    assert driver.datasets["d"]["graph"] == graph and driver.datasets["d"]["pending"] == []


def test_state_is_read_with_read_routing_in_the_named_database():
    driver = MemoryNeo4j()
    S.Neo4jStore(driver, "orgdb").load(small_graph(), name="d")
    state = [c for c in driver.calls if c.query == S.render(S.DATASET_STATE, label=DATASET_LABEL)]
    assert state[0].parameters == {"name": "d"}
    assert state[0].kwargs == {"database_": "orgdb", "routing_": RoutingControl.READ}


def test_rows_are_written_in_fixed_size_batches_with_progress():
    driver = MemoryNeo4j()
    seen = []
    S.Neo4jStore(driver, "db").load(small_graph(institutions=5), name="d", batch_size=2,
                                    progress=seen.append)
    institution_batches = [c.parameters["rows"] for c in driver.calls
                           if c.query == S.render(S.CREATE_NODES, label=INSTITUTION)]
    assert [len(b) for b in institution_batches] == [2, 2, 1]
    stage_batches = [c for c in driver.calls if c.query == S.render(S.CREATE_NODES, label=STAGE)]
    assert [len(c.parameters["rows"]) for c in stage_batches] == [2, 2, 2, 1]
    # progress counts entities and relationships, not the Stage nodes
    assert seen == [2, 2, 1, 1, 1, 1, 1]


def test_reloading_the_same_content_writes_nothing():
    driver = MemoryNeo4j()
    store = S.Neo4jStore(driver, "db")
    first = store.load(small_graph(), name="d")
    before = (dict(driver.nodes), list(driver.rels), dict(driver.datasets["d"]))
    driver.calls.clear()
    again = store.load(small_graph(), name="d")
    assert again.status == "unchanged" and again.graph == first.graph
    assert driver.writes() == []
    assert (driver.nodes, driver.rels, driver.datasets["d"]) == before


def test_different_content_under_an_existing_name_needs_replace():
    driver = MemoryNeo4j()
    store = S.Neo4jStore(driver, "db")
    store.load(small_graph(), name="d")
    driver.calls.clear()
    with pytest.raises(S.DatasetExistsError, match="use --replace to overwrite it"):
        store.load(small_graph(label_suffix="新"), name="d")
    assert driver.writes() == []


def test_replace_switches_then_deletes_the_old_version_in_batches():
    driver = MemoryNeo4j()
    store = S.Neo4jStore(driver, "db")
    old = store.load(small_graph(institutions=3), name="d").graph
    driver.calls.clear()
    result = store.load(small_graph(institutions=3, label_suffix="新"), name="d",
                        replace=True, batch_size=2)
    assert result.status == "replaced" and result.previous == old
    queries = [c.query for c in driver.writes()]
    switch = queries.index(S.render(S.SWITCH_VERSION, label=DATASET_LABEL))
    deletes = [c for c in driver.writes()[switch + 1:]
               if c.query.startswith("MATCH (n:")]
    assert deletes[0].query == ("MATCH (n:`Region` {graph: $graph})\nWITH n LIMIT $batch_size\n"
                                "DETACH DELETE n\nRETURN count(*) AS deleted")
    assert all(c.parameters == {"graph": old, "batch_size": 2} for c in deletes)
    institution_deletes = [c for c in deletes
                           if c.query == S.render(S.DELETE_VERSION_BATCH, label=INSTITUTION)]
    assert len(institution_deletes) == 2   # 2 deleted, then 1 (< batch size): stop
    assert queries[-1] == S.render(S.FORGET_PENDING, label=DATASET_LABEL)
    assert driver.writes()[-1].parameters == {"name": "d", "graph": old}
    assert driver.graphs() == {result.graph}
    assert driver.datasets["d"]["pending"] == []


def test_an_interrupted_load_leaves_the_previous_version_live_and_the_next_load_cleans_up():
    driver = MemoryNeo4j()
    store = S.Neo4jStore(driver, "db")
    old = store.load(small_graph(), name="d")
    expected = store.read_graph("d")

    def die_after_two_batches(n, _seen=[]):
        _seen.append(n)
        if len(_seen) == 2:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        store.load(small_graph(institutions=4), name="d", replace=True, batch_size=1,
                   progress=die_after_two_batches)
    dead = [g for g in driver.graphs() if g != old.graph]
    assert len(dead) == 1 and driver.datasets["d"]["pending"] == dead
    assert driver.datasets["d"]["graph"] == old.graph
    graph_equal(store.read_graph("d"), expected)

    driver.fail_on = lambda n, q: ServiceUnavailable("connection lost") \
        if q == S.render(S.CREATE_RELATIONSHIPS, rel_type="REFERRAL",
                         source_label=INSTITUTION, target_label=INSTITUTION) else None
    with pytest.raises(S.StoreError, match="^loading 'd' stopped part-way \\(cannot reach Neo4j "
                       "\\(connection lost\\).*the previous version is still live; run the "
                       "load again to finish$"):
        store.load(small_graph(institutions=4), name="d", replace=True)
    assert driver.datasets["d"]["graph"] == old.graph
    assert dead[0] not in driver.graphs()  # cleaned up by the second attempt
    graph_equal(store.read_graph("d"), expected)

    driver.fail_on = None
    new = store.load(small_graph(institutions=4), name="d", replace=True)
    assert driver.graphs() == {new.graph} and driver.datasets["d"]["pending"] == []
    graph_equal(store.read_graph("d"), small_graph(institutions=4))


def test_a_batch_that_creates_fewer_rows_than_sent_fails():
    driver = MemoryNeo4j()
    G = small_graph()
    G.add_edge("M1", "nowhere", key="MEMBER_OF", type="MEMBER_OF")
    G.nodes["nowhere"].update(label="PartyOrg", name="x", kind="branch")
    driver.fail_on = None
    store = S.Neo4jStore(driver, "db")
    original = driver._handlers[S.render(S.CREATE_NODES, label="PartyOrg")]
    driver._handlers[S.render(S.CREATE_NODES, label="PartyOrg")] = lambda p: [{"created": []}]
    with pytest.raises(S.StoreError, match="wrote 0 of 1 rows"):
        store.load(G, name="d")
    driver._handlers[S.render(S.CREATE_NODES, label="PartyOrg")] = original
    assert "d" not in [info.name for info in store.datasets()]


def test_a_column_named_like_a_store_property_is_refused():
    G = small_graph()
    G.nodes["H0"]["graph"] = "mine"
    driver = MemoryNeo4j()
    with pytest.raises(S.StoreError, match="'graph'.*rename that column"):
        S.Neo4jStore(driver, "db").load(G, name="d")
    assert driver.writes() == []


def test_batch_size_must_be_positive():
    with pytest.raises(S.StoreError, match="at least 1"):
        S.Neo4jStore(MemoryNeo4j(), "db").load(small_graph(), name="d", batch_size=0)


def test_two_datasets_side_by_side_and_delete():
    driver = MemoryNeo4j()
    store = S.Neo4jStore(driver, "db")
    a = store.load(small_graph("a"), name="a")
    b = store.load(small_graph("b", institutions=3), name="b")
    assert [(i.name, i.graph) for i in store.datasets()] == [("a", a.graph), ("b", b.graph)]
    assert store.read_graph("a").number_of_nodes() == 3
    assert store.read_graph("b").number_of_nodes() == 4
    assert store.delete("a") is True
    assert [i.name for i in store.datasets()] == ["b"]
    assert driver.graphs() == {b.graph} and "a" not in driver.datasets
    assert store.delete("a") is False
    with pytest.raises(S.StoreError, match=r"no dataset 'a' in Neo4j database 'db' \(loaded: b\)"):
        store.read_graph("a")


# ---------------------------------------------------------------------------
# reading back
# ---------------------------------------------------------------------------
def test_read_graph_round_trip_equals_the_embedded_graph(tiny_graph):
    driver = MemoryNeo4j()
    store = S.Neo4jStore(driver, "db")
    store.load(tiny_graph, name=tiny_graph.graph["dataset"])
    back = store.read_graph(tiny_graph.graph["dataset"])
    graph_equal(back, tiny_graph)
    assert list(back.nodes) == list(tiny_graph.nodes)
    assert back.graph["services"] == tiny_graph.graph["services"]
    reads = [c for c in driver.calls if c.kwargs.get("routing_") == RoutingControl.READ]
    node_reads = [c for c in reads if c.query.endswith("ORDER BY n.row, n.id")]
    assert [c.query for c in node_reads] == [S.render(S.READ_NODES, label=label)
                                             for label in ENTITY_LABELS]
    assert all(c.parameters == {"graph": driver.datasets["tiny"]["graph"]} for c in node_reads)


def test_read_graph_restores_absent_optional_link_fields_as_none():
    G = small_graph()
    add_link(G, "H0", "H1", link_type="pairing", link_index=1, count=0, row=3)
    driver = MemoryNeo4j()
    store = S.Neo4jStore(driver, "db")
    store.load(G, name="d")
    edge = store.read_graph("d").edges["H0", "H1", ("PAIRING", 1)]
    assert edge == {"type": "PAIRING", "link_type": "pairing", "link_index": 1, "count": 0,
                    "period": None, "note": None, "row": 3}


def test_content_hash_ignores_order_and_name_but_not_services():
    A, B = small_graph("a"), small_graph("b")
    assert S.content_hash(A) == S.content_hash(B)
    B.graph["services"][0]["coordinator_org_id"] = "O1"
    assert S.content_hash(A) != S.content_hash(B)


# ---------------------------------------------------------------------------
# server checks and errors
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("version, ok", [("5.7.0", True), ("5.26.12", True),
                                         ("2025.10.1", True), ("5.6.0", False),
                                         ("4.4.40", False)])
def test_check_server_version(version, ok):
    driver = MemoryNeo4j(version=version)
    if ok:
        assert S.check_server(driver, "db") == version
    else:
        with pytest.raises(S.StoreError, match=f"Neo4j {version} is not supported: orgnet "
                                               f"needs Neo4j 5.7 or later"):
            S.check_server(driver, "db")
    assert driver.calls[0].query == ("CALL dbms.components() YIELD name, versions, edition\n"
                                     "RETURN name, versions, edition")
    assert driver.calls[0].kwargs == {"database_": "db", "routing_": RoutingControl.READ}


@pytest.mark.parametrize("err, message", [
    (ServiceUnavailable("Couldn't connect to db:7687"),
     "cannot reach Neo4j at bolt://db:7687 (Couldn't connect to db:7687); is the server "
     "running and the URI right?"),
    (AuthError("The client is unauthorized due to authentication failure."),
     "Neo4j at bolt://db:7687 rejected the credentials for user 'neo4j'; check "
     "NEO4J_USERNAME (or --username) and NEO4J_PASSWORD"),
    (error("Neo.ClientError.Database.DatabaseNotFound", "Database does not exist."),
     "database 'orgdb' does not exist on Neo4j at bolt://db:7687; name an existing one with "
     "--database or NEO4J_DATABASE"),
    (error("Neo.ClientError.Statement.AccessMode", "Writing in read access mode not allowed."),
     "the query writes, but it ran read-only (Writing in read access mode not allowed.)"),
])
def test_translate_error_gives_one_clear_line(err, message):
    translated = S.translate_error(err, uri="bolt://db:7687", database="orgdb", user="neo4j")
    assert isinstance(translated, S.StoreError)
    assert str(translated) == message


def test_a_missing_privilege_names_the_user():
    err = S.translate_error(error("Neo.ClientError.Security.Forbidden",
                                  "Schema operations are not allowed for user 'reader'."),
                            uri="bolt://db:7687", user="reader")
    assert str(err) == ("Neo4j at bolt://db:7687 does not allow user 'reader' to do this "
                        "(Schema operations are not allowed for user 'reader'.); ask the "
                        "database administrator for the privilege")
    assert not isinstance(err, S.ReadOnlyError)


def test_access_mode_error_is_a_read_only_error():
    err = S.translate_error(error("Neo.ClientError.Statement.AccessMode"))
    assert isinstance(err, S.ReadOnlyError)


# ---------------------------------------------------------------------------
# the Cypher console core
# ---------------------------------------------------------------------------
def test_run_cypher_read_only_explains_first_and_runs_in_read_mode():
    driver = MemoryNeo4j(console_answer=(["kind", "n"], [["village_clinic", 3]]))
    result = S.run_cypher(driver, "db", "MATCH (i:Institution) RETURN i.kind AS kind, "
                          "count(*) AS n", {"x": 1})
    assert (result.keys, result.rows) == (["kind", "n"], [["village_clinic", 3]])
    assert [r[0] for r in driver.runs] == [
        "EXPLAIN MATCH (i:Institution) RETURN i.kind AS kind, count(*) AS n",
        "MATCH (i:Institution) RETURN i.kind AS kind, count(*) AS n"]
    assert all(r[1] == {"x": 1} and r[2] == "READ" and r[3] == "db" for r in driver.runs)


def test_run_cypher_refuses_a_write_without_running_it():
    driver = MemoryNeo4j()
    with pytest.raises(S.ReadOnlyError, match="would write"):
        S.run_cypher(driver, "db", "CREATE (n:Institution {id: 'x'})")
    assert [r[0] for r in driver.runs] == ["EXPLAIN CREATE (n:Institution {id: 'x'})"]


def test_run_cypher_plans_the_body_of_a_profile():
    driver = MemoryNeo4j()
    with pytest.raises(S.ReadOnlyError, match="would write"):
        S.run_cypher(driver, "db", "PROFILE CREATE (n:X)")
    assert [r[0] for r in driver.runs] == ["EXPLAIN CREATE (n:X)"]


def test_run_cypher_explain_is_not_planned_again():
    driver = MemoryNeo4j(console_answer=([], []))
    S.run_cypher(driver, "db", "EXPLAIN CREATE (n:X)")
    assert [(r[0], r[2]) for r in driver.runs] == [("EXPLAIN CREATE (n:X)", "READ")]


def test_when_a_statement_cannot_be_planned_the_read_access_mode_still_refuses_writes():
    driver = MemoryNeo4j(explain_error=error("Neo.ClientError.Statement.SyntaxError",
                                             "EXPLAIN not supported here"))
    with pytest.raises(S.ReadOnlyError, match="ran read-only"):
        S.run_cypher(driver, "db", "SHOW THINGS CREATE (n:X)")
    assert [(r[0], r[2]) for r in driver.runs] == [
        ("EXPLAIN SHOW THINGS CREATE (n:X)", "READ"), ("SHOW THINGS CREATE (n:X)", "READ")]
    driver.console_answer = (["name"], [["orgnet_member_graph"]])
    assert S.run_cypher(driver, "db", "SHOW INDEXES YIELD name").rows == \
        [["orgnet_member_graph"]]


def test_run_cypher_with_write_runs_auto_commit_in_write_mode():
    driver = MemoryNeo4j(console_answer=([], []))
    result = S.run_cypher(driver, "db", "MATCH (n) CALL { WITH n DETACH DELETE n } "
                          "IN TRANSACTIONS", write=True)
    assert [r[2] for r in driver.runs] == ["WRITE"]
    assert result.counters == {"nodes_created": 1}


def test_plain_value_converts_driver_values():
    from neo4j.time import Date

    assert S.plain_value({"d": Date(2025, 3, 1), "l": [1, "县"]}) == \
        {"d": "2025-03-01", "l": [1, "县"]}


def test_orphaned_versions_are_deleted_before_the_new_version_is_written():
    driver = MemoryNeo4j()
    store = S.Neo4jStore(driver, "db")
    live = store.load(small_graph(), name="d").graph
    driver.datasets["d"]["pending"] = ["d#dead"]
    driver.nodes[(INSTITUTION, "d#dead", "H0")] = {"dataset": "d", "graph": "d#dead", "id": "H0"}
    driver.calls.clear()
    store.load(small_graph(institutions=3), name="d", replace=True, batch_size=5)
    writes = driver.writes()
    register = [c.query for c in writes].index(S.render(S.REGISTER_PENDING, label=DATASET_LABEL))
    cleanup = writes[:register]
    assert [(c.query, c.parameters) for c in cleanup] == [
        *[(S.render(S.DELETE_VERSION_BATCH, label=label), {"graph": "d#dead", "batch_size": 5})
          for label in S.NODE_LABELS],
        (S.render(S.FORGET_PENDING, label=DATASET_LABEL), {"name": "d", "graph": "d#dead"}),
    ]
    assert live not in driver.graphs() and "d#dead" not in driver.graphs()


def test_delete_retires_the_live_version_first_then_purges_then_drops_the_node():
    driver = MemoryNeo4j()
    store = S.Neo4jStore(driver, "db")
    live = store.load(small_graph(), name="d").graph
    driver.calls.clear()
    assert store.delete("d", batch_size=100) is True
    queries = [(c.query, c.parameters) for c in driver.writes()]
    assert queries[0] == (S.render(S.RETIRE_LIVE, label=DATASET_LABEL), {"name": "d"})
    assert queries[1] == (S.render(S.DELETE_VERSION_BATCH, label="Region"),
                          {"graph": live, "batch_size": 100})
    assert queries[-2] == (S.render(S.FORGET_PENDING, label=DATASET_LABEL),
                           {"name": "d", "graph": live})
    assert queries[-1] == (S.render(S.DROP_DATASET_NODE, label=DATASET_LABEL), {"name": "d"})
    assert driver.nodes == {} and driver.rels == [] and driver.datasets == {}
