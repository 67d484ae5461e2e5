"""The four views of the tiny dataset and their filters."""

import pytest

from orgnet.graphmodel.embedded import new_graph
from orgnet.graphmodel.schema import (
    COVERS, INSTITUTION, INSTITUTION_PARENT, MEMBER, ORG_PARENT, PARTY_ORG, REGION,
)
from orgnet.visualizations.views import (
    VIEWS, VisualizationError, build_view, community_institutions, finding_node_ids,
    region_institutions,
)

UNITS = {"H1", "T1", "T2", "V1", "V2", "V3"}


def links_of(view):
    return {(e.source, e.target, e.type) for e in view.edges if not e.structure}


def test_units_view_is_the_unit_network_plus_parent_structure(tiny_graph):
    view = build_view(tiny_graph, "units")
    assert set(view.nodes) == UNITS
    # active links only: V3->T2 has count 0; M1 (works at H1) -> T2 is a liaison
    assert links_of(view) == {("V1", "T1", "REFERRAL"), ("H1", "T1", "REFERRAL"),
                              ("H1", "T2", "LIAISON")}
    structure = {(e.source, e.target) for e in view.edges if e.structure}
    assert structure == {("T1", "H1"), ("T2", "H1"), ("V1", "T1"), ("V2", "T1"), ("V3", "T2")}
    assert all(e.type == INSTITUTION_PARENT for e in view.edges if e.structure)
    assert view.parent == {"T1": "H1", "T2": "H1", "V1": "T1", "V2": "T1", "V3": "T2"}


def test_units_view_keeps_direction_and_both_ways(tiny_graph):
    edges = {(e.source, e.target): e for e in build_view(tiny_graph, "units").edges
             if not e.structure}
    up = edges[("V1", "T1")]
    assert (up.direction, up.two_headed, up.count) == ("up", False, 12)
    both = edges[("H1", "T1")]
    assert both.two_headed and both.direction is None and both.count == 38
    liaison = edges[("H1", "T2")]
    assert liaison.members == {"M1"} and liaison.link_types == ("liaison",)


def test_referral_view_has_one_arrow_per_direction_and_inactive_ties(tiny_graph):
    view = build_view(tiny_graph, "referral")
    assert set(view.nodes) == UNITS
    referrals = {(e.source, e.target): (e.count, e.direction, e.both_ways)
                 for e in view.edges if not e.structure}
    assert referrals == {("V1", "T1"): (12, "up", False), ("T1", "H1"): (30, "up", True),
                         ("H1", "T1"): (8, "down", True), ("V3", "T2"): (0, "up", False)}
    assert view.structure_shown is False


def test_party_view_is_the_org_tree_with_coverage_and_uncovered_units(tiny_graph):
    view = build_view(tiny_graph, "party")
    assert view.hierarchical
    assert {n for n, v in view.nodes.items() if v.label == PARTY_ORG} == {"O1", "O2", "O3"}
    assert {n for n, v in view.nodes.items() if v.label == INSTITUTION} == UNITS
    assert {(e.source, e.target) for e in view.edges if e.type == ORG_PARENT} == {
        ("O2", "O1"), ("O3", "O1")}
    assert sum(1 for e in view.edges if e.type == COVERS) == 5
    assert "V2" not in view.parent                       # uncovered: no org above it
    assert view.parent["V1"] == "O2" and view.parent["O2"] == "O1"
    assert view.nodes["O2"].members == 3


def test_full_view_has_every_entity_and_relationship(tiny_graph):
    view = build_view(tiny_graph, "full")
    assert len(view.nodes) == tiny_graph.number_of_nodes()
    assert len(view.edges) == tiny_graph.number_of_edges()
    assert {v.label for v in view.nodes.values()} == {REGION, INSTITUTION, PARTY_ORG, MEMBER}
    assert view.parent["M1"] == "H1"                     # members around their workplace
    assert view.parent["O2"] == "T1"                     # orgs next to what they cover


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_of_the_empty_graph_is_empty(view):
    result = build_view(new_graph(), view)
    assert result.number_of_nodes() == 0 and result.number_of_edges() == 0


def test_region_filter_takes_sub_regions(tiny_graph):
    assert region_institutions(tiny_graph, "R2") == {"T1", "V1", "V2"}
    assert region_institutions(tiny_graph, "R1") == UNITS          # R2 lies in R1
    view = build_view(tiny_graph, "full", region="R2")
    assert {n for n, v in view.nodes.items() if v.label == INSTITUTION} == {"T1", "V1", "V2"}
    assert {n for n, v in view.nodes.items() if v.label == PARTY_ORG} == {"O2"}
    assert {n for n, v in view.nodes.items() if v.label == MEMBER} == {"M2", "M3", "M4", "M6"}
    assert {n for n, v in view.nodes.items() if v.label == REGION} == {"R2"}
    assert all(e.source in view.nodes and e.target in view.nodes for e in view.edges)


def test_community_filter(tiny_graph):
    assert community_institutions(tiny_graph, "H1") == UNITS
    view = build_view(tiny_graph, "units", community="H1", region="R2")
    assert set(view.nodes) == {"T1", "V1", "V2"}


@pytest.mark.parametrize("kwargs, message", [
    ({"region": "R9"}, "unknown region 'R9'"),
    ({"region": "H1"}, "unknown region 'H1'"),
    ({"community": "T1"}, "'T1' has a parent_id"),
    ({"community": "O1"}, "unknown community 'O1'"),
    ({"check": "coverage.uncovered"}, "did you mean 'coverage.uncovered_institution'"),
])
def test_bad_filters_are_clear_errors(tiny_graph, kwargs, message):
    with pytest.raises(VisualizationError, match=message.replace("(", r"\(")):
        build_view(tiny_graph, "units", **kwargs)


def test_an_institution_with_nothing_below_is_not_a_community(tiny_graph):
    tiny_graph.add_node("X", label=INSTITUTION, name="卫健局", kind="health_bureau", level="county")
    with pytest.raises(VisualizationError, match="not a medical community"):
        community_institutions(tiny_graph, "X")


def test_check_filter_keeps_subjects_and_their_neighbours(tiny_graph, make_finding):
    findings = [make_finding("coverage.uncovered_institution", ["V2"]),
                make_finding("connectivity.isolated_unit", ["V3"])]
    view = build_view(tiny_graph, "units", check="coverage.uncovered_institution",
                      findings=findings)
    assert set(view.nodes) == {"V2", "T1"}                # T1: V2's parent_id
    assert [(e.source, e.target) for e in view.edges] == [("V2", "T1")]


def test_check_filter_takes_a_family_name(tiny_graph, make_finding):
    findings = [make_finding("coverage.uncovered_institution", ["V2"]),
                make_finding("connectivity.isolated_unit", ["V3"])]
    view = build_view(tiny_graph, "units", check="connectivity", findings=findings)
    assert set(view.nodes) == {"V3", "T2"}


def test_check_filter_with_no_findings_says_so(tiny_graph):
    view = build_view(tiny_graph, "units", check="referral.leapfrog", findings=[])
    assert view.nodes == {}
    assert view.notes == [("no_findings_for_check", {"check": "referral.leapfrog"})]


def test_break_points_count_as_named_entities(make_finding):
    f = make_finding("referral.broken_chain", ["V1"], evidence={"break_at": ["T1", "V1"]})
    assert finding_node_ids(f) == ["V1", "T1"]
