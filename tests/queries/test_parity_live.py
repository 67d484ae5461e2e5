"""Both backends give the same report: embedded checks == the Cypher twins in Neo4j.

Marker ``neo4j``: the server comes from tests/neo4j_server.py (NEO4J_URI with
NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE, else a throwaway server started
from NEO4J_HOME, default /opt/neo4j); without either these tests are skipped.  They
refuse a database that holds data unless ORGNET_NEO4J_RESET=1.

    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... python -m pytest -m neo4j \\
        tests/queries/test_parity_live.py -q

Each dataset is loaded with the store, checked by both backends in English and
Chinese, and the JSON of the two reports (summary and findings, ``orgnet check
--format json``) must be identical byte for byte.  Where a check disagrees, the
failure names the check and the first differing hit.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from orgnet.graphmodel.schema import DEFAULT_SETTINGS, Settings
from orgnet.loaders import load_graph
from orgnet.loaders.generate import generate_dataset
from orgnet.queries import neo4j_checks as nc
from orgnet.queries.catalog import CHECK_IDS, CATALOG, load_checks
from orgnet.queries.runner import run_checks

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir()
                  if p.is_dir() or p.suffix in (".xlsx", ".json"))


def _unit_test_module():
    """tests/queries/test_neo4j_checks.py (for its hand-made datasets)."""
    path = Path(__file__).with_name("test_neo4j_checks.py")
    spec = importlib.util.spec_from_file_location("orgnet_test_neo4j_checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _json(report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def assert_same_hits(driver, database, name, G, settings):
    """Check by check, so that a failure names the check that differs."""
    load_checks()
    live = nc.check_hits_neo4j(driver, database, name, settings=settings)
    for check_id in CHECK_IDS:
        embedded = sorted(CATALOG[check_id].function(G, settings), key=lambda h: h[0])
        got = sorted(live[check_id], key=lambda h: h[0])
        assert [s for s, _ in got] == [s for s, _ in embedded], check_id
        for (subject, evidence), (_, expected) in zip(got, embedded):
            assert json.dumps(evidence, ensure_ascii=False) == \
                json.dumps(expected, ensure_ascii=False), (check_id, subject)


def assert_parity(store, driver, database, G, name, settings=DEFAULT_SETTINGS):
    G.graph["dataset"] = name          # the summary names the dataset as loaded
    store.load(G, name=name, replace=True)
    assert_same_hits(driver, database, name, G, settings)
    for lang in ("en", "zh"):
        embedded = run_checks(G, settings=settings, lang=lang)
        live = nc.run_checks_neo4j(driver, database, name, settings=settings, lang=lang)
        assert _json(live) == _json(embedded), lang


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples(path, neo4j_store, neo4j_driver, neo4j_database):
    G = load_graph(path)
    assert_parity(neo4j_store, neo4j_driver, neo4j_database, G, G.graph["dataset"] or path.stem)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated(seed, tmp_path, neo4j_store, neo4j_driver, neo4j_database):
    generate_dataset(tmp_path / "gen", counties=2, seed=seed, leapfrog_share=0.1,
                     gap_share=0.5, one_way=2, uncovered=2, isolated=1)
    G = load_graph(tmp_path / "gen")
    assert_parity(neo4j_store, neo4j_driver, neo4j_database, G, f"gen{seed}")


def test_generated_with_other_thresholds(tmp_path, neo4j_store, neo4j_driver, neo4j_database):
    generate_dataset(tmp_path / "gen", counties=1, seed=7)
    G = load_graph(tmp_path / "gen")
    settings = Settings(branch_min_full_members=5, branch_committee_min_full_members=4,
                        branch_max_members=6, joint_branch_max_units=2,
                        branch_committee_min_size=4)
    assert_parity(neo4j_store, neo4j_driver, neo4j_database, G, "tight", settings)


def test_tiny(tiny_dir, neo4j_store, neo4j_driver, neo4j_database):
    G = load_graph(tiny_dir)
    assert_parity(neo4j_store, neo4j_driver, neo4j_database, G, "tiny")


@pytest.mark.parametrize("tight", [False, True])
def test_gaps_where_every_check_fires(tight, make_graph, neo4j_store, neo4j_driver,
                                      neo4j_database):
    module = _unit_test_module()
    G = make_graph(module.GAPS, "gaps")
    settings = module.TIGHT if tight else DEFAULT_SETTINGS
    assert_parity(neo4j_store, neo4j_driver, neo4j_database, G, "gaps", settings)


def test_empty_dataset(make_graph, neo4j_store, neo4j_driver, neo4j_database):
    G = make_graph({"institutions": []}, "empty")
    assert_parity(neo4j_store, neo4j_driver, neo4j_database, G, "empty")


def test_only_the_live_version_is_read(tiny_dir, make_graph, neo4j_store, neo4j_driver,
                                       neo4j_database):
    # a second dataset in the same database must not leak into the first one's checks
    other = make_graph(_unit_test_module().GAPS, "gaps")
    neo4j_store.load(other, name="gaps")
    G = load_graph(tiny_dir)
    assert_parity(neo4j_store, neo4j_driver, neo4j_database, G, "tiny")


def test_cypher_isolated_and_single_link_units_match_the_projection(
        tmp_path, neo4j_store, neo4j_driver, neo4j_database):
    generate_dataset(tmp_path / "gen", counties=2, seed=5, isolated=2)
    G = load_graph(tmp_path / "gen")
    neo4j_store.load(G, name="gen")
    load_checks()
    with neo4j_driver.session(database=neo4j_database) as session:
        for check_id in ("connectivity.isolated_unit", "connectivity.single_link_unit"):
            rows = session.execute_read(nc._rows, check_id, "gen", DEFAULT_SETTINGS)
            cypher = nc.hits_from_rows(rows, nc.evidence_keys(nc.query_text(check_id)))
            assert cypher == CATALOG[check_id].function(G, DEFAULT_SETTINGS), check_id


def test_checks_run_read_only(tiny_dir, neo4j_store, neo4j_driver, neo4j_database):
    G = load_graph(tiny_dir)
    neo4j_store.load(G, name="tiny")
    for name in nc.CYPHER_DIR.glob("*.cypher"):
        query = name.read_text(encoding="utf-8")
        params = nc.query_parameters(query, "tiny")
        summary = neo4j_driver.execute_query("EXPLAIN " + query, params,
                                             database_=neo4j_database).summary
        assert summary.query_type == "r", name.name


def test_missing_dataset_is_a_clear_error(neo4j_driver, neo4j_database):
    with pytest.raises(nc.Neo4jCheckError, match="no dataset 'nope'"):
        nc.run_checks_neo4j(neo4j_driver, neo4j_database, "nope")
