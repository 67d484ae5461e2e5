"""orgnet.loaders.rows: the store rows of a dataset equal those of its embedded graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgnet.graphmodel import neo4j_store as S
from orgnet.loaders import build_graph, load_dataset
from orgnet.loaders.generate import generate_dataset
from orgnet.loaders.rows import dataset_rows

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def grouped(rows: S.GraphRows):
    """Node rows per label and relationship rows per key, each sorted (order is free)."""
    nodes = {label: sorted(map(repr, group)) for label, group in rows.nodes()}
    rels: dict = {}
    for key, group in rows.relationships():
        rels.setdefault(key, []).extend(map(repr, group))
    return nodes, {key: sorted(items) for key, items in rels.items() if items}


def assert_same_rows(dataset):
    from_tables = dataset_rows(dataset)
    from_graph = S.graph_rows(build_graph(dataset))
    assert grouped(from_tables) == grouped(from_graph)
    assert S.rows_digest(from_tables) == S.rows_digest(from_graph)
    assert from_tables.size == from_graph.size
    assert from_tables.name == dataset.name


def test_tiny_rows_equal_the_graph_rows(tiny_dir):
    assert_same_rows(load_dataset(tiny_dir))


@pytest.mark.parametrize("name", ["county-medical-community", "city-mch-alliance",
                                  "county-medical-community.xlsx"])
def test_example_rows_equal_the_graph_rows(name):
    assert_same_rows(load_dataset(EXAMPLES / name))


def test_generated_rows_with_extra_link_columns_equal_the_graph_rows(tmp_path):
    generate_dataset(tmp_path / "gen", counties=2, seed=3)
    links = tmp_path / "gen" / "links.csv"
    lines = links.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",渠道"] + [f"{line},{'线上' if i % 3 else ''}"
                                     for i, line in enumerate(lines[1:])]
    links.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dataset = load_dataset(tmp_path / "gen")
    assert "渠道" in dataset.tables["links"].columns
    assert_same_rows(dataset)


def test_rows_are_made_again_for_each_pass(tiny_dir):
    rows = dataset_rows(load_dataset(tiny_dir))
    assert grouped(rows) == grouped(rows)


def test_a_reserved_column_is_refused_when_the_rows_are_made():
    # the validator refuses such a column first; the store refuses it too
    import pandas as pd

    from orgnet.loaders.dataset import Dataset

    dataset = Dataset("x", tables={"institutions": pd.DataFrame(
        {"id": ["h1"], "name": ["县医院"], "kind": ["county_hospital"], "level": ["county"],
         "graph": ["x"], "_row": [2]})})
    with pytest.raises(S.StoreError, match="property 'graph', which the Neo4j store reserves"):
        S.rows_digest(dataset_rows(dataset))


def test_the_tables_digest_follows_the_content_not_the_name_or_format(tmp_path):
    from orgnet.loaders.rows import tables_digest

    csv = load_dataset(EXAMPLES / "county-medical-community")
    xlsx = load_dataset(EXAMPLES / "county-medical-community.xlsx")
    assert dataset_rows(csv).digest() == tables_digest(csv) == tables_digest(xlsx)
    changed = load_dataset(EXAMPLES / "county-medical-community")
    changed.tables["links"].loc[0, "count"] = 99
    assert tables_digest(changed) != tables_digest(csv)
