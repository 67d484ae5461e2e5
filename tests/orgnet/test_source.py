"""The data source of check/map/report/metrics: a dataset PATH or ``--neo4j``.

Neo4j is stood in for by the in-memory fake driver of ``tests/fake_neo4j.py``
(which understands the store's queries); the Cypher checks themselves are tested
against a real server in ``tests/queries/test_parity_live.py``.
"""

from __future__ import annotations

import json

import neo4j
import pytest
from click.testing import CliRunner

from fake_neo4j import MemoryNeo4j
from orgnet.graphmodel.neo4j_store import Neo4jStore
from orgnet.cli import main
from orgnet.queries.runner import run_checks

URI = "bolt://db.example:7687"
ENV = {"NEO4J_URI": None, "NEO4J_USERNAME": None, "NEO4J_PASSWORD": "secret",
       "NEO4J_DATABASE": None}


@pytest.fixture
def loaded(monkeypatch, tiny_dir):
    """A fake Neo4j holding the tiny dataset, loaded with ``orgnet load``."""
    driver = MemoryNeo4j()
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda uri, **kw: driver)
    result = run("load", tiny_dir, "--neo4j", URI, "--dataset", "tiny")
    assert result.exit_code == 0, result.output
    return driver


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env={**ENV, **(env or {})})


def test_check_runs_the_cypher_backend_with_the_loaded_dataset(loaded, tiny_dir, monkeypatch):
    calls = []

    def fake_run_checks_neo4j(driver, database, dataset, **options):
        calls.append((driver, database, dataset, options["lang"]))
        # what the database holds, checked the embedded way: the wiring is under test here
        G = Neo4jStore(driver, database).read_graph(dataset)
        options.pop("progress")
        return run_checks(G, **options)

    monkeypatch.setattr("orgnet.queries.neo4j_checks.run_checks_neo4j", fake_run_checks_neo4j)
    from_db = run("check", "--neo4j", URI, "--format", "json", "--lang", "zh")
    from_file = run("check", tiny_dir, "--format", "json", "--lang", "zh")
    assert from_db.exit_code == from_file.exit_code == 0, from_db.output
    assert calls == [(loaded, "neo4j", "tiny", "zh")]
    db, file = json.loads(from_db.output), json.loads(from_file.output)
    assert db["findings"] == file["findings"]
    assert db["summary"]["counts"] == file["summary"]["counts"]


def test_uri_from_the_environment_is_used_only_without_a_path(loaded, tiny_dir, tmp_path):
    env = {"NEO4J_URI": URI}
    assert run("metrics", "-o", tmp_path / "db.csv", env=env).exit_code == 0
    assert run("metrics", tiny_dir, "-o", tmp_path / "file.csv", env=env).exit_code == 0
    assert (tmp_path / "db.csv").read_bytes() == (tmp_path / "file.csv").read_bytes()


def test_map_reads_the_graph_from_neo4j(loaded, tmp_path, monkeypatch):
    seen = {}

    def fake_run_checks_neo4j(driver, database, dataset, **options):
        G = Neo4jStore(driver, database).read_graph(dataset)
        seen["nodes"] = G.number_of_nodes()
        options.pop("progress")
        return run_checks(G, **options)

    monkeypatch.setattr("orgnet.queries.neo4j_checks.run_checks_neo4j", fake_run_checks_neo4j)
    result = run("map", "--neo4j", URI, "--dataset", "tiny", "-o", tmp_path / "m.html")
    assert result.exit_code == 0, result.output
    assert seen["nodes"] == 17
    assert "县人民医院" in (tmp_path / "m.html").read_text(encoding="utf-8")


def test_an_unknown_dataset_is_a_one_line_error(loaded):
    result = run("check", "--neo4j", URI, "--dataset", "nope")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "nope" in result.output
    assert "secret" not in result.output


@pytest.mark.parametrize("args", [
    ["check"],
    ["check", "{tiny}", "--neo4j", URI],
    ["map", "-o", "x.html"],
])
def test_path_or_neo4j_but_not_both_nor_neither(tiny_dir, args):
    result = run(*[a.format(tiny=tiny_dir) for a in args])
    assert result.exit_code == 2
    assert "PATH" in result.output


def test_export_from_neo4j_gives_the_bytes_of_the_file_export(loaded, tiny_dir, tmp_path):
    for fmt in ("graphml", "gexf"):
        from_db = run("export", "--neo4j", URI, "--format", fmt, "-o", tmp_path / f"db.{fmt}")
        from_file = run("export", tiny_dir, "--format", fmt, "-o", tmp_path / f"file.{fmt}")
        assert from_db.exit_code == from_file.exit_code == 0, from_db.output
        assert (tmp_path / f"db.{fmt}").read_bytes() == (tmp_path / f"file.{fmt}").read_bytes()


def test_check_json_from_neo4j_names_the_loaded_content_in_its_provenance(loaded, monkeypatch):
    def fake_run_checks_neo4j(driver, database, dataset, **options):
        options.pop("progress")
        return run_checks(Neo4jStore(driver, database).read_graph(dataset), **options)

    monkeypatch.setattr("orgnet.queries.neo4j_checks.run_checks_neo4j", fake_run_checks_neo4j)
    data = json.loads(run("check", "--neo4j", URI, "--format", "json").output)
    assert data["provenance"]["neo4j"]["dataset"] == "tiny"
    assert len(data["provenance"]["neo4j"]["content_sha256"]) == 64
