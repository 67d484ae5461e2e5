"""build_graph: the embedded graph shape of graphmodel.embedded."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from conftest import write_csv_tables
from orgnet.graphmodel.embedded import links, unit_network
from orgnet.graphmodel.schema import (
    COVERS, IN_REGION, INSTITUTION, INSTITUTION_PARENT, MEMBER, MEMBER_OF, ORG_PARENT,
    REGION_PARENT, WORKS_AT,
)
from orgnet.loaders import Dataset, build_graph, load_graph


def test_tiny_graph_shape(tiny_dir):
    G = load_graph(tiny_dir)
    assert isinstance(G, nx.MultiDiGraph)
    assert G.nodes["V1"] == {"label": INSTITUTION, "name": "李村卫生室", "kind": "village_clinic",
                             "level": "village", "region_id": "R2", "parent_id": "T1", "row": 5}
    assert G.nodes["M1"]["label"] == MEMBER and G.nodes["M1"]["roles"] == ["secretary"]
    assert "org_id" not in G.nodes["M6"]                     # blank cells are left out
    assert G.edges["V1", "T1", INSTITUTION_PARENT] == {"type": INSTITUTION_PARENT}
    assert G.has_edge("R2", "R1", REGION_PARENT) and G.has_edge("V1", "R2", IN_REGION)
    assert G.has_edge("O2", "O1", ORG_PARENT)
    assert G.has_edge("O2", "T1", COVERS) and G.has_edge("O2", "V1", COVERS)
    assert G.has_edge("M1", "O1", MEMBER_OF) and G.has_edge("M1", "H1", WORKS_AT)


def test_links_keep_order_count_period_note_and_row(tiny_dir):
    G = load_graph(tiny_dir)
    rows = list(links(G, include_inactive=True))
    assert [(u, v, d["link_index"], d["count"]) for u, v, d in rows] == [
        ("V1", "T1", 0, 12), ("T1", "H1", 1, 30), ("H1", "T1", 2, 8), ("V3", "T2", 3, 0),
        ("M1", "T2", 4, 1)]
    last = G.edges["M1", "T2", ("LIAISON", 4)]
    assert last == {"type": "LIAISON", "link_type": "liaison", "link_index": 4, "count": 1,
                    "period": None, "note": "联点", "row": 6}
    assert sorted(unit_network(G).edges()) == [("H1", "T1"), ("H1", "T2"), ("T1", "V1")]


def test_services_and_extra_link_columns(tmp_path, tiny_tables):
    tiny_tables["links"][0]["source_doc"] = "卫健发〔2025〕3号"
    G = load_graph(write_csv_tables(tmp_path / "t", tiny_tables))
    assert G.edges["V1", "T1", ("REFERRAL", 0)]["source_doc"] == "卫健发〔2025〕3号"
    assert "source_doc" not in G.edges["T1", "H1", ("REFERRAL", 1)]
    assert G.graph["services"] == [
        {"row": 2, "institution_id": "H1", "stage": "delivery", "coordinator_org_id": "O1"},
        {"row": 3, "institution_id": "T1", "stage": "prenatal_care", "coordinator_org_id": None},
    ]


def test_a_hand_made_dataset_with_nan_blanks():
    ds = Dataset("x", tables={"institutions": pd.DataFrame({
        "id": ["a", "b"], "name": ["A", "B"], "kind": ["other", "other"],
        "level": ["village", "village"], "parent_id": [float("nan"), "a"], "_row": [2, 3]})})
    G = build_graph(ds)
    assert "parent_id" not in G.nodes["a"] and list(G.successors("b")) == ["a"]


def test_the_empty_dataset():
    G = build_graph(Dataset("empty"))
    assert G.number_of_nodes() == 0 and G.graph == {"dataset": "empty", "services": []}


def test_the_graph_is_a_normal_networkx_graph(tiny_dir):
    G = load_graph(tiny_dir)
    H = G.copy()
    H.remove_node("V1")
    assert G.has_node("V1") and not H.has_edge("V1", "T1")
    G.add_edge("V2", "T1", key="X", type="X")
    assert G.number_of_edges("V2", "T1") == 2
