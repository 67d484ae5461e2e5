"""orgnet export: GraphML, GEXF and node/edge CSV that other tools read back."""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from click.testing import CliRunner

from orgnet.loaders import load_graph
from orgnet.cli import main


def _run(*args):
    return CliRunner().invoke(main, ["export", *map(str, args)])


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_files_read_back_with_every_entity_and_link(tiny_dir, tmp_path, fmt, read):
    out = tmp_path / f"tiny.{fmt}"
    result = _run(tiny_dir, "-o", out)
    assert result.exit_code == 0, result.output
    G = load_graph(tiny_dir)
    H = read(out) if fmt == "gexf" else read(out, force_multigraph=True)
    services = G.graph["services"]
    stages = {row["stage"] for row in services}
    assert set(H.nodes) == set(G.nodes) | {f"stage:{s}" for s in stages}
    assert H.number_of_edges() == G.number_of_edges() + len(services)
    lists = [n for n, d in G.nodes(data=True) if isinstance(d.get("roles"), list)]
    for node in lists:
        assert H.nodes[node]["roles"] == ";".join(G.nodes[node]["roles"])
    entity = "entity" if fmt == "gexf" else "label"
    assert {d[entity] for _, d in H.nodes(data=True)} >= {"Institution", "PartyOrg", "Member"}
    again = tmp_path / f"again.{fmt}"
    assert _run(tiny_dir, "-o", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_csv_is_a_directory_of_nodes_and_edges(tiny_dir, tmp_path):
    out = tmp_path / "csv"
    result = _run(tiny_dir, "--format", "csv", "-o", out, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("已写入")
    G = load_graph(tiny_dir)
    with open(out / "nodes.csv", encoding="utf-8-sig", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with open(out / "edges.csv", encoding="utf-8-sig", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert {r["id"] for r in nodes} >= set(G.nodes)
    assert len(edges) == G.number_of_edges() + len(G.graph["services"])
    back = nx.from_pandas_edgelist(__import__("pandas").DataFrame(edges), "source", "target",
                                   edge_attr=True, create_using=nx.MultiDiGraph)
    assert back.number_of_edges() == len(edges)


def test_bad_use_is_refused(tiny_dir, tmp_path):
    assert _run(tiny_dir, "-o", tmp_path / "x.txt").exit_code == 2
    (tmp_path / "file").write_text("x")
    assert _run(tiny_dir, "--format", "csv", "-o", tmp_path / "file").exit_code == 2
    assert _run(tiny_dir, "--format", "csv", "-o", tiny_dir).exit_code == 2
    result = _run(tmp_path / "missing", "-o", tmp_path / "x.graphml")
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
