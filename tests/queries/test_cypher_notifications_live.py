"""No query of orgnet's draws a deprecation notification from the server (marker ``neo4j``).

orgnet runs its own queries with notifications off, so a deprecation would go unseen
until the server drops the feature. Here a driver asks for every notification and the
whole path runs on it: loading the county example (first load, reload, replace), every
check and summary query, and reading the graph back. CI runs this against Neo4j 5.26 LTS
and again against the current calendar version (see .ci/run).
"""

from __future__ import annotations

import logging
from pathlib import Path

import neo4j
import pytest

from orgnet.graphmodel.neo4j_store import Neo4jStore
from orgnet.loaders import load_dataset, load_graph
from orgnet.loaders.rows import dataset_rows
from orgnet.queries.neo4j_checks import run_checks_neo4j

pytestmark = pytest.mark.neo4j

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "county-medical-community"


class Collect(logging.Handler):
    """Keeps the notifications the driver logs (it logs every one it receives)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def notifications():
    log = logging.getLogger("neo4j.notifications")
    handler, level, propagate = Collect(), log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    yield handler.records
    log.removeHandler(handler)
    log.setLevel(level)
    log.propagate = propagate


def test_no_orgnet_query_is_deprecated(neo4j_server, neo4j_database, notifications):
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth,
                                    notifications_min_severity="INFORMATION") as driver:
        store = Neo4jStore(driver, neo4j_database)
        store.load(dataset_rows(load_dataset(EXAMPLE)), name="county")
        store.load(dataset_rows(load_dataset(EXAMPLE)), name="county")  # unchanged
        changed = load_graph(EXAMPLE)
        first = next(iter(changed.nodes))
        changed.nodes[first]["name"] = changed.nodes[first]["name"] + "（新）"
        store.load(changed, name="county", replace=True)
        report = run_checks_neo4j(driver, neo4j_database, "county", lang="zh")
        store.read_graph("county")
        store.datasets()
        ours = [r.getMessage() for r in notifications]
        # The capture works: a query of ours that surely draws a warning is seen.
        driver.execute_query("MATCH (n:NoSuchLabelHere) RETURN n", database_=neo4j_database)
    assert report.findings, "the example has findings: the check queries ran"
    assert len(notifications) > len(ours)
    deprecated = [m for m in ours if "DEPRECATION" in m or "deprecat" in m.lower()]
    assert deprecated == []
