"""service.*: each check fires, a near miss does not, the empty graph gives nothing."""

import pytest

from orgnet.graphmodel.schema import STAGES
from orgnet.queries.catalog import render
from orgnet.queries.service import service_area, stage_gaps, uncoordinated_services


@pytest.mark.parametrize("check", [stage_gaps, uncoordinated_services])
def test_empty_graph_gives_no_hits(make_graph, check):
    assert check(make_graph({})) == []


AREA = {
    "regions": [
        {"id": "R1", "name": "示范县", "level": "county"},
        {"id": "R2", "name": "东镇", "level": "township", "parent_id": "R1"},
        {"id": "C1", "name": "示范市", "level": "city"},
    ],
    "institutions": [
        {"id": "H1", "name": "县人民医院", "kind": "county_hospital", "region_id": "R1"},
        {"id": "F1", "name": "县妇幼保健院", "kind": "mch_hospital", "region_id": "R1"},
        {"id": "T1", "name": "东镇卫生院", "kind": "township_health_center", "region_id": "R2"},
        {"id": "V1", "name": "李村卫生室", "kind": "village_clinic", "region_id": "R2",
         "parent_id": "T1"},
        {"id": "S1", "name": "东镇小学", "kind": "school", "region_id": "R2"},
        # no county region above: the area is the top of the parent chain (X1)
        {"id": "X1", "name": "市医院", "kind": "city_hospital", "region_id": "C1"},
        {"id": "X2", "name": "市医院分院", "kind": "township_health_center", "parent_id": "X1"},
    ],
    "party_orgs": [{"id": "O1", "name": "党委", "kind": "committee", "institution_ids": "H1"}],
}


def test_service_area(make_graph):
    G = make_graph(AREA)
    assert [service_area(G, i) for i in ("H1", "T1", "V1", "X1", "X2")] == \
        ["R1", "R1", "R1", "X1", "X1"]


def test_stage_gaps_exact_hits(make_graph):
    tables = dict(AREA, services=[
        {"institution_id": "T1", "stage": stage, "coordinator_org_id": "O1"}
        for stage in STAGES if stage != "delivery"
    ] + [{"institution_id": "X2", "stage": stage} for stage in STAGES])
    hits = stage_gaps(make_graph(tables))
    # area R1 lacks delivery; area X1 is complete
    assert hits == [(("R1", "delivery"), {
        "area_name": "示范县", "area_label": "Region", "stage": "delivery",
        "provided": [s for s in STAGES if s != "delivery"],
        # by suitability for delivery: MCH hospital, county hospital, then township center
        "candidates": ["F1", "H1", "T1"], "candidate_names": ["县妇幼保健院", "县人民医院", "东镇卫生院"],
    })]
    zh = render("service.stage_gap", ("R1", "delivery"), hits[0][1], "zh")
    assert zh.message == "示范县（R1）妇幼全周期服务缺少“分娩”环节，无机构提供。"
    assert zh.suggestion.startswith("由县妇幼保健院（F1）、县人民医院（H1）、东镇卫生院（T1）承担“分娩”服务")


def test_stage_gap_subjects_of_an_area_with_one_stage(make_graph):
    tables = dict(AREA, services=[{"institution_id": "X1", "stage": "delivery"}])
    subjects = [s for s, _ in stage_gaps(make_graph(tables))]
    assert subjects == sorted(("X1", s) for s in STAGES if s != "delivery")


def test_stage_gap_near_miss_areas_without_services_are_not_reported(make_graph):
    tables = dict(AREA, services=[{"institution_id": "X2", "stage": s} for s in STAGES])
    assert stage_gaps(make_graph(tables)) == []


def test_uncoordinated_services_exact_hits(make_graph):
    tables = dict(AREA, services=[
        {"institution_id": "H1", "stage": "delivery"},
        {"institution_id": "H1", "stage": "prenatal_care", "coordinator_org_id": "O1"},
        {"institution_id": "T1", "stage": "child_health", "coordinator_org_id": ""},
    ])
    hits = uncoordinated_services(make_graph(tables))
    assert hits == [
        (("H1", "delivery"), {"name": "县人民医院", "stage": "delivery", "row": 2,
                              "org": "O1", "org_name": "党委"}),
        (("T1", "child_health"), {"name": "东镇卫生院", "stage": "child_health", "row": 4,
                                  "org": None, "org_name": None}),
    ]
    en = render("service.no_coordinator", ("H1", "delivery"), hits[0][1], "en")
    assert en.suggestion == "Name 党委 (O1), which covers the institution, as its coordinator."
