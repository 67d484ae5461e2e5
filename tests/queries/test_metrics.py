"""Research metrics: per institution and for the whole network, on hand-built graphs."""

from __future__ import annotations

import pytest

from orgnet.queries.metrics import COLUMNS, column_titles, institution_metrics, network_metrics


def inst(node, kind="township_health_center", **extra):
    return {"id": node, "name": f"{node}名", "kind": kind, **extra}


def link(a, b, kind="pairing", count=None):
    row = {"source_id": a, "target_id": b, "type": kind}
    if count is not None:
        row["count"] = count
    return row


#: H county hospital; T1, T2 townships; V1 village; S school; X, Y a separate pair
TABLES = {
    "institutions": [
        inst("H", "county_hospital"), inst("T1"), inst("T2"), inst("V1", "village_clinic"),
        inst("S", "school"), inst("X"), inst("Y", parent_id="Z"), inst("Z", "city_hospital"),
    ],
    "party_orgs": [
        {"id": "O1", "name": "党委", "kind": "committee", "institution_ids": "H"},
        {"id": "O2", "name": "联合支部", "kind": "joint_branch", "institution_ids": "T1;T2;S"},
        {"id": "O3", "name": "支部", "kind": "branch", "institution_ids": "Z;Y"},
    ],
    "members": [
        {"id": "M1", "name": "甲", "status": "full", "org_id": "O1", "institution_id": "H"},
        {"id": "M2", "name": "乙", "status": "probationary", "org_id": "O1", "institution_id": "H"},
        {"id": "M3", "name": "丙", "status": "activist", "org_id": "O2", "institution_id": "H"},
        {"id": "M4", "name": "丁", "status": "non_party", "institution_id": "T1"},
    ],
    "links": [
        link("V1", "T1", "referral", 10),    # up 10
        link("T1", "H", "referral", 20),     # up 20
        link("H", "T1", "referral", 5),      # down 5
        link("V1", "H", "referral", 4),      # up 4, leapfrog
        link("T2", "T1", "referral", 3),     # same level
        link("O2", "H", "pairing", 2),       # the joint branch covers T1, T2, S: edges to H and among them
        link("X", "Y", count=0),             # inactive: no edge
        link("Z", "H", "referral", 0),       # inactive
    ],
}


@pytest.fixture
def G(make_graph):
    return make_graph(TABLES)


def test_institution_metrics_exact_values(G):
    frame = institution_metrics(G)
    assert list(frame.columns) == list(COLUMNS)[1:] and frame.index.name == "id"
    assert list(frame.index) == ["H", "S", "T1", "T2", "V1", "X", "Y", "Z"]
    assert frame.loc["H", "degree"] == 4            # T1, V1, T2, S
    assert frame.loc["T1", "degree"] == 4           # V1, H, T2, S
    assert frame.loc["S", "degree"] == 3            # H, T1, T2 (all through the org's link)
    # weighted degree counts each link row once: T1 has rows V1-T1 10, T1-H 20, H-T1 5,
    # T2-T1 3 and the org's pairing 2
    assert frame.loc["T1", "weighted_degree"] == 40
    assert frame.loc["S", "weighted_degree"] == 2
    assert frame.loc["X", "weighted_degree"] == 0 and frame.loc["X", "degree"] == 0
    assert frame.attrs["betweenness"] == {"method": "exact"}
    assert frame.loc["S", "betweenness"] == 0.0
    assert frame.loc["H", "core_number"] == 3 and frame.loc["X", "core_number"] == 0
    assert frame.loc["H", "component"] == 0         # the largest
    assert sorted(frame.loc[["X", "Y", "Z"], "component"]) == [1, 2, 3]   # singletons by id
    assert frame.loc["H", "coverage"] == "covered" and frame.loc["H", "org_form"] == "own"
    assert frame.loc["T1", "coverage"] == "covered" and frame.loc["T1", "org_form"] == "joint"
    assert frame.loc["V1", "coverage"] == "uncovered" and frame.loc["V1", "org_form"] == "none"
    assert frame.loc["S", "coverage"] == "not-health"
    # a branch covering Z and the institution below it is Z's own, not Y's
    assert frame.loc["Z", "org_form"] == "own" and frame.loc["Y", "org_form"] == "joint"
    assert frame.loc["H", "party_members"] == 2     # full + probationary, not the activist
    assert frame.loc["T1", "party_members"] == 0
    assert frame.loc["T1"][["referrals_out_up", "referrals_out_down",
                            "referrals_in_up", "referrals_in_down"]].tolist() == [20, 0, 10, 5]
    assert frame.loc["H"][["referrals_out_up", "referrals_out_down",
                           "referrals_in_up", "referrals_in_down"]].tolist() == [0, 5, 24, 0]


def test_betweenness_of_a_path_is_exact(make_graph):
    tables = {"institutions": [inst("A"), inst("B"), inst("C")],
              "links": [link("A", "B"), link("B", "C")]}
    frame = institution_metrics(make_graph(tables))
    assert frame["betweenness"].tolist() == [0.0, 1.0, 0.0]


def test_large_networks_use_seeded_sampling_and_say_so(make_graph):
    nodes = [f"N{i:02d}" for i in range(30)]
    tables = {"institutions": [inst(n) for n in nodes],
              "links": [link(a, b) for a, b in zip(nodes, nodes[1:])]}
    G = make_graph(tables)
    first = institution_metrics(G, exact_limit=10, betweenness_k=5, seed=3)
    again = institution_metrics(G, exact_limit=10, betweenness_k=5, seed=3)
    assert first.attrs["betweenness"] == {"method": "approximate", "k": 5, "seed": 3}
    assert first["betweenness"].tolist() == again["betweenness"].tolist()
    assert network_metrics(G, first)["betweenness"]["method"] == "approximate"


def test_chinese_values_and_headers(G):
    frame = institution_metrics(G, lang="zh")
    assert frame.loc["H", "kind"] == "县级医院" and frame.loc["V1", "level"] == "村"
    assert frame.loc["V1", "coverage"] == "未覆盖" and frame.loc["T1", "org_form"] == "联合组建"
    titles = column_titles("zh")
    assert set(titles) == set(COLUMNS) and titles["id"] == "编号"
    assert column_titles("en")["degree"] == "degree"


def test_network_metrics_exact_values(G):
    result = network_metrics(G)
    assert result["institutions"] == 8
    # edges: H-T1 H-V1 T1-V1 T1-T2 and the org's clique on {H, T1, T2, S}: H-T2 H-S T1-S T2-S
    assert result["edges"] == 8
    assert result["density"] == pytest.approx(8 / 28)
    assert result["components"] == 4 and result["largest_component_size"] == 5
    assert result["isolated_institutions"] == 3
    assert (result["referrals_up"], result["referrals_down"], result["referrals_same_level"]) == (34, 5, 3)
    assert result["up_down_ratio"] == pytest.approx(34 / 5)
    assert result["leapfrog_share"] == pytest.approx(4 / 34)
    assert "betweenness" not in result


def test_network_metrics_without_referrals_or_institutions(make_graph):
    result = network_metrics(make_graph({"institutions": [inst("A"), inst("B")],
                                         "links": [link("A", "B")]}))
    assert result["up_down_ratio"] is None and result["leapfrog_share"] is None
    assert result["density"] == 1.0
    empty = network_metrics(make_graph({}))
    assert empty["components"] == 0 and empty["largest_component_size"] == 0
    assert empty["density"] == 0.0


def test_institution_metrics_of_the_empty_graph(make_graph):
    frame = institution_metrics(make_graph({}))
    assert frame.empty and list(frame.columns) == list(COLUMNS)[1:]


def test_metrics_name_the_region_county_parent_and_kind(make_graph):
    from orgnet.queries.metrics import institution_metrics

    G = make_graph({
        "regions": [{"id": "C", "name": "县", "level": "county"},
                    {"id": "T", "name": "镇", "level": "township", "parent_id": "C"}],
        "institutions": [{"id": "H", "name": "县医院", "kind": "county_hospital", "region_id": "C"},
                         {"id": "W", "name": "卫生院", "kind": "township_health_center",
                          "region_id": "T", "parent_id": "H"},
                         {"id": "V", "name": "村卫生室", "kind": "village_clinic", "parent_id": "W"}]})
    frame = institution_metrics(G)
    rows = frame.loc[["H", "W", "V"], ["kind", "region", "county", "parent"]]
    assert rows.fillna("").values.tolist() == [
        ["county_hospital", "C", "C", ""], ["township_health_center", "T", "C", "H"],
        ["village_clinic", "T", "C", "W"]]
