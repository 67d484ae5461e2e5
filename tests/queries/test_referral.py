"""Referral checks (spec section 7, referral.*) on hand-built networks."""

from __future__ import annotations

import json

import pytest

from orgnet.queries import referral as r
from orgnet.queries.catalog import CATALOG, render
from orgnet.queries.runner import run_checks

CHECKS = ["referral.no_upward_referral", "referral.broken_chain",
          "referral.leapfrog", "referral.one_way"]


def inst(node, kind, **extra):
    return {"id": node, "name": f"{node}名", "kind": kind, **extra}


def ref(a, b, count=None):
    row = {"source_id": a, "target_id": b, "type": "referral"}
    if count is not None:
        row["count"] = count
    return row


#: a county with a regional structure: H county hospital, T1/T2 townships below it,
#: V1, V2 below T1, V3 below T2, C a city hospital
COUNTY = {
    "regions": [
        {"id": "RC", "name": "示范县", "level": "county"},
        {"id": "RT", "name": "东镇", "level": "township", "parent_id": "RC"},
    ],
    "institutions": [
        inst("C", "city_hospital"),
        inst("H", "county_hospital", region_id="RC"),
        inst("T1", "township_health_center", parent_id="H", region_id="RT"),
        inst("T2", "township_health_center", parent_id="H", region_id="RT"),
        inst("V1", "village_clinic", parent_id="T1", region_id="RT"),
        inst("V2", "village_clinic", parent_id="T1", region_id="RT"),
        inst("V3", "village_clinic", parent_id="T2", region_id="RT"),
    ],
}


def county(*links, extra_institutions=()):
    tables = json.loads(json.dumps(COUNTY))
    tables["institutions"] += list(extra_institutions)
    tables["links"] = list(links)
    return tables


def hits(G, check_id):
    return CATALOG[check_id].function(G)


def subjects(G, check_id):
    return [subject for subject, _ in hits(G, check_id)]


@pytest.mark.parametrize("check_id", CHECKS)
def test_empty_graph_has_no_hits(make_graph, check_id):
    assert hits(make_graph({}), check_id) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_hit_renders_from_its_evidence(make_graph, lang):
    G = make_graph(county(ref("V1", "T1"), ref("V2", "H"), ref("T2", "T1"),
                          extra_institutions=[inst("V9", "village_clinic")]))
    seen = set()
    for check_id in CHECKS:
        for subject, evidence in hits(G, check_id):
            json.dumps(evidence)
            finding = render(check_id, subject, evidence, lang)
            assert subject[0] in finding.message and finding.suggestion
            seen.add(check_id)
    assert seen == set(CHECKS)


def test_runner_renders_the_referral_family_in_chinese(make_graph):
    report = run_checks(make_graph(county(ref("V1", "T1"))), only=["referral"], lang="zh")
    broken = [f for f in report.findings if f.check == "referral.broken_chain"]
    assert [f.subject for f in broken] == [("V1",)]
    assert "T1名（T1） → H名（H）" in broken[0].suggestion


# ---------------------------------------------------------------------------
# no_upward_referral
# ---------------------------------------------------------------------------
def test_no_upward_referral_exact_set(make_graph):
    G = make_graph(county(
        ref("V1", "T1"),               # upward: fine
        ref("V2", "V3"),               # lateral only
        ref("T1", "V2"),               # downward only
        ref("T2", "H", count=0),       # inactive
        extra_institutions=[inst("S", "school"), inst("B", "health_bureau"),
                            inst("P", "party_service_station")],
    ))
    found = dict(hits(G, "referral.no_upward_referral"))
    # H, C are county level or higher; S, P are not health institutions
    assert sorted(found) == [("T1",), ("T2",), ("V2",), ("V3",)]
    assert found[("V2",)]["referrals_out"] == 1
    assert (found[("V2",)]["target"], found[("V2",)]["target_reason"]) == ("T1", "parent")
    assert (found[("T2",)]["target"], found[("T2",)]["target_reason"]) == ("H", "parent")


def test_no_upward_referral_suggests_the_county_hospital_of_the_area(make_graph):
    G = make_graph(county(
        ref("T1", "H"), ref("T2", "H"), ref("V1", "T1"), ref("V2", "T1"), ref("V3", "T2"),
        extra_institutions=[inst("V4", "village_clinic", region_id="RT"),
                            inst("V5", "community_health_station")],
    ))
    found = dict(hits(G, "referral.no_upward_referral"))
    assert sorted(found) == [("V4",), ("V5",)]
    assert (found[("V4",)]["target"], found[("V4",)]["target_reason"]) == ("H", "area")
    assert (found[("V5",)]["target"], found[("V5",)]["target_reason"]) == (None, None)
    assert "H名（H）" in render("referral.no_upward_referral", ("V4",), found[("V4",)], "zh").suggestion


def test_no_upward_referral_near_miss_a_referral_straight_to_the_city(make_graph):
    G = make_graph(county(ref("T1", "C"), ref("T2", "H"), ref("V1", "T1"),
                          ref("V2", "H"), ref("V3", "C")))
    assert subjects(G, "referral.no_upward_referral") == []


# ---------------------------------------------------------------------------
# broken_chain
# ---------------------------------------------------------------------------
def test_broken_chain_names_where_it_breaks_and_the_missing_hop(make_graph):
    G = make_graph(county(ref("V1", "T1"), ref("V2", "T1"), ref("V2", "T2"),
                          ref("V3", "T2"), ref("T2", "H", count=0)))
    found = dict(hits(G, "referral.broken_chain"))
    assert sorted(found) == [("V1",), ("V2",), ("V3",)]
    assert found[("V2",)]["break_at"] == ["T1", "T2"]
    assert found[("V2",)]["missing_hops"] == [["T1", "H"], ["T2", "H"]]
    assert found[("V1",)]["names"] == {"V1": "V1名", "T1": "T1名", "H": "H名"}


def test_broken_chain_near_miss_one_branch_reaches_the_county(make_graph):
    # V2 reaches H through T2 even though T1 refers no further
    G = make_graph(county(ref("V1", "T1"), ref("V2", "T1"), ref("V2", "T2"), ref("T2", "H")))
    assert subjects(G, "referral.broken_chain") == [("V1",)]


def test_broken_chain_needs_upward_referrals(make_graph):
    # V1 with no upward referral is no_upward_referral, not broken_chain; a leapfrog reaches
    G = make_graph(county(ref("V1", "V2"), ref("V3", "C")))
    assert subjects(G, "referral.broken_chain") == []
    assert ("V1",) in subjects(G, "referral.no_upward_referral")


def test_broken_chain_without_a_target_keeps_a_general_suggestion(make_graph):
    G = make_graph({"institutions": [inst("V", "village_clinic"), inst("T", "township_health_center")],
                    "links": [ref("V", "T")]})
    ((subject, evidence),) = hits(G, "referral.broken_chain")
    assert evidence["break_at"] == ["T"] and evidence["missing_hops"] == []
    assert "T名" in render("referral.broken_chain", subject, evidence, "en").suggestion


# ---------------------------------------------------------------------------
# leapfrog
# ---------------------------------------------------------------------------
def test_leapfrog_exact_set_and_route(make_graph):
    G = make_graph(county(ref("V1", "H", 3), ref("V1", "H", 2), ref("T1", "C"),
                          ref("V2", "T1"), ref("T2", "H"), ref("V3", "C")))
    found = dict(hits(G, "referral.leapfrog"))
    assert sorted(found) == [("T1", "C"), ("V1", "H"), ("V3", "C")]
    assert found[("V1", "H")]["count"] == 5 and found[("V1", "H")]["links"] == [0, 1]
    assert found[("V1", "H")]["via"] == "T1"
    assert found[("V3", "C")]["via"] == "T2"       # first ancestor strictly between
    assert found[("T1", "C")]["via"] == "H"
    assert "T1名（T1）" in render("referral.leapfrog", ("V1", "H"), found[("V1", "H")], "zh").suggestion


def test_leapfrog_near_miss_one_level_and_inactive_and_downward(make_graph):
    G = make_graph(county(ref("V1", "T1"), ref("T1", "H"), ref("V2", "H", count=0), ref("H", "V3")))
    assert subjects(G, "referral.leapfrog") == []


# ---------------------------------------------------------------------------
# one_way
# ---------------------------------------------------------------------------
def test_one_way_exact_set(make_graph):
    G = make_graph(county(
        ref("V1", "T1"), ref("T1", "V1"),          # both ways: fine
        ref("V2", "T1"),                           # one way up
        ref("H", "T2"),                            # one way down
        ref("T1", "T2"),                           # same level: not this check
        ref("V3", "T2"), ref("T2", "V3", count=0),  # reverse inactive
    ))
    found = dict(hits(G, "referral.one_way"))
    assert sorted(found) == [("H", "T2"), ("V2", "T1"), ("V3", "T2")]
    assert found[("H", "T2")]["direction"] == "down"
    assert found[("V2", "T1")]["direction"] == "up"
    assert found[("V2", "T1")]["levels"] == ["village", "township"]


def test_one_way_near_miss_both_ways(make_graph):
    G = make_graph(county(ref("T1", "H"), ref("H", "T1", 4)))
    assert subjects(G, "referral.one_way") == []


# ---------------------------------------------------------------------------
# building blocks
# ---------------------------------------------------------------------------
def test_upward_target_skips_parents_that_are_not_higher(make_graph):
    G = make_graph({"institutions": [inst("H", "county_hospital"),
                                     inst("S", "community_health_station", parent_id="V"),
                                     inst("V", "village_clinic", parent_id="H")]})
    assert r.upward_target(G, "S") == ("H", "parent")
    assert r.upward_target(G, "H") == (None, None)
