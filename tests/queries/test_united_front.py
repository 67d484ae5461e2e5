"""United-front checks (spec section 7b) on hand-computed cases: each fires, each near
miss does not, the empty graph gives nothing; the summary figures by hand."""

from __future__ import annotations

import json

import pytest

from orgnet.graphmodel.schema import DEFAULT_SETTINGS, Settings
from orgnet.queries import united_front as uf
from orgnet.queries.catalog import CATALOG, CHECK_IDS, FAMILIES, load_checks, render, select_checks
from orgnet.queries.runner import run_checks

CHECKS = [c for c in CHECK_IDS if c.startswith("united_front.")]


def hits(G, check_id, settings=DEFAULT_SETTINGS):
    load_checks()
    return CATALOG[check_id].function(G, settings)


def subjects(G, check_id, settings=DEFAULT_SETTINGS):
    return [s for s, _ in hits(G, check_id, settings)]


def rep(ident, institution, status="democratic_party", **extra):
    return {"id": ident, "name": f"{ident}名", "status": status, "institution_id": institution,
            "roles": "representative", **extra}


def contact(source, target, count=None):
    row = {"source_id": source, "target_id": target, "type": "contact"}
    if count is not None:
        row["count"] = count
    return row


#: A county with two townships: 东镇 (a township station, a village station below it)
#: and 西镇 (a village station straight under the health center, no township station).
COUNTY = {
    "regions": [
        {"id": "C", "name": "示范县", "level": "county"},
        {"id": "E", "name": "东镇", "level": "township", "parent_id": "C"},
        {"id": "EV", "name": "东村", "level": "village", "parent_id": "E"},
        {"id": "W", "name": "西镇", "level": "township", "parent_id": "C"},
        {"id": "WV", "name": "西村", "level": "village", "parent_id": "W"},
    ],
    "institutions": [
        {"id": "H", "name": "县医院", "kind": "county_hospital", "region_id": "C"},
        {"id": "TE", "name": "东镇卫生院", "kind": "township_health_center", "region_id": "E",
         "parent_id": "H"},
        {"id": "VE", "name": "东村卫生室", "kind": "village_clinic", "parent_id": "TE"},
        {"id": "TW", "name": "西镇卫生院", "kind": "township_health_center", "region_id": "W",
         "parent_id": "H"},
        {"id": "SE", "name": "东镇联络站", "kind": "united_front_station", "region_id": "E"},
        {"id": "SEV", "name": "东村联络点", "kind": "united_front_station", "level": "village",
         "region_id": "EV", "parent_id": "SE"},
        {"id": "SWV", "name": "西村联络点", "kind": "united_front_station", "level": "village",
         "region_id": "WV", "parent_id": "TW"},
    ],
    "party_orgs": [
        {"id": "PC", "name": "县医院党委", "kind": "committee", "institution_ids": "H"},
        {"id": "PE", "name": "东镇卫生院党支部", "kind": "branch", "parent_id": "PC",
         "institution_ids": "TE;VE"},
        {"id": "PW", "name": "西镇党工委", "kind": "working_committee", "institution_ids": "TW"},
    ],
    "members": [
        {"id": "M1", "name": "王书记", "status": "full", "org_id": "PC", "institution_id": "H",
         "roles": "secretary"},
        {"id": "M2", "name": "李委员", "status": "full", "org_id": "PW", "institution_id": "TW",
         "roles": "united_front_member"},
        {"id": "M3", "name": "张干事", "status": "full", "org_id": "PE", "institution_id": "TE",
         "roles": "united_front_officer"},      # officer of the branch, not of the committee
        rep("R1", "H"),                            # contacted (count 2)
        rep("R2", "VE", "independent"),            # works in 东镇 through TE's region; count 0 only
        rep("R3", "TW", "non_party"),              # 西镇, contacted by the working committee
        {"id": "N1", "name": "普通群众", "status": "non_party", "institution_id": "TW"},
    ],
    "links": [
        contact("M1", "R1", 2), contact("M1", "R2", 0), contact("PW", "R3"),
        {"source_id": "TE", "target_id": "H", "type": "referral"},
    ],
}


# ---------------------------------------------------------------------------
# the family in the catalog
# ---------------------------------------------------------------------------
def test_the_five_checks_are_registered_in_spec_order():
    load_checks()
    assert CHECKS == ["united_front.uncontacted_representative", "united_front.contact_overload",
                      "united_front.no_united_front_member",
                      "united_front.township_without_station",
                      "united_front.station_chain_broken"]
    assert "united_front" in FAMILIES and select_checks(only=["united_front"]) == CHECKS
    assert [CATALOG[c].severity for c in CHECKS] == ["medium", "low", "medium", "medium", "low"]
    assert all(CATALOG[c].function.__module__ == "orgnet.queries.united_front" for c in CHECKS)


@pytest.mark.parametrize("check_id", CHECKS)
def test_empty_graph_and_a_dataset_without_the_layer_have_no_hits(make_graph, check_id):
    assert hits(make_graph({}), check_id) == []
    plain = {t: [r for r in rows if r.get("type") != "contact"
                 and "representative" not in str(r.get("roles"))
                 and r.get("kind") != "united_front_station"]
             for t, rows in COUNTY.items()}
    assert hits(make_graph(plain), check_id) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_hit_renders_from_its_evidence(make_graph, lang):
    tables = json.loads(json.dumps(COUNTY))
    tables["regions"].append({"id": "N", "name": "北镇", "level": "township", "parent_id": "C"})
    tables["institutions"].append({"id": "TN", "name": "北镇卫生院",
                                   "kind": "township_health_center", "region_id": "N"})
    tables["members"].append(rep("R4", "TN"))
    G = make_graph(tables)
    tight = Settings(united_front_contacts_per_member=0)
    for check_id in CHECKS:
        found = hits(G, check_id, tight)
        assert found, check_id
        for subject, evidence in found:
            json.dumps(evidence)
            finding = render(check_id, subject, evidence, lang)
            assert subject[0] in finding.message and finding.suggestion


# ---------------------------------------------------------------------------
# uncontacted_representative
# ---------------------------------------------------------------------------
def test_a_contact_with_count_0_does_not_count(make_graph):
    G = make_graph(COUNTY)
    ((subject, evidence),) = hits(G, "united_front.uncontacted_representative")
    assert subject == ("R2",)                 # R1 (count 2) and R3 (blank: 1) are contacted
    assert evidence["inactive_contacts"] == 1
    assert (evidence["institution"], evidence["committee"]) == ("VE", "PC")   # PE reports to PC


def test_only_representatives_are_expected_to_be_contacted(make_graph):
    tables = json.loads(json.dumps(COUNTY))
    tables["links"] = [l for l in tables["links"] if l["type"] != "contact"]
    G = make_graph(tables)
    assert subjects(G, "united_front.uncontacted_representative") == [("R1",), ("R2",), ("R3",)]
    # N1 is non-party but no representative; a probationary member can be a contact source
    tables["members"].append({"id": "M4", "name": "赵预备", "status": "probationary",
                              "org_id": "PE", "institution_id": "TE"})
    tables["links"] += [contact("M4", "R1"), contact("PC", "R2", 1), contact("M1", "R3", 0)]
    assert subjects(make_graph(tables), "united_front.uncontacted_representative") == [("R3",)]


def test_uncontacted_suggests_the_responsible_committee_or_a_contact_person(make_graph):
    G = make_graph(COUNTY)
    ((subject, evidence),) = hits(G, "united_front.uncontacted_representative")
    zh = render("united_front.uncontacted_representative", subject, evidence, "zh")
    assert zh.message == "东村卫生室（VE）的党外代表人士R2名（R2，无党派人士）尚无党组织或党员与其开展联谊交友；另有1条联系记录次数为0。"
    assert zh.suggestion == "建议由县医院党委（PC）确定一名党员领导干部作为联系人，开展联谊交友，并记录联系情况。"


# ---------------------------------------------------------------------------
# contact_overload
# ---------------------------------------------------------------------------
def _overload(targets, repeats=0, idle=0):
    tables = json.loads(json.dumps(COUNTY))
    for k in range(targets):
        tables["members"].append(rep(f"X{k}", "H", "non_party"))
        tables["links"].append(contact("M2", f"X{k}"))
    for k in range(repeats):
        tables["links"].append(contact("M2", f"X{k}", 3))
    for k in range(idle):
        tables["members"].append(rep(f"Y{k}", "H", "non_party"))
        tables["links"].append(contact("M2", f"Y{k}", 0))
    return tables


def test_contact_overload_fires_above_five_distinct_targets(make_graph):
    ((subject, evidence),) = hits(make_graph(_overload(6)), "united_front.contact_overload")
    assert subject == ("M2",)
    assert evidence == {"name": "李委员", "label": "Member", "targets": 6, "maximum": 5}


def test_contact_overload_counts_distinct_active_targets_only(make_graph):
    # five distinct targets in eight rows, plus three count-0 contacts: no finding
    assert hits(make_graph(_overload(5, repeats=3, idle=3)), "united_front.contact_overload") == []


def test_contact_overload_follows_the_setting_and_counts_orgs_too(make_graph):
    G = make_graph(COUNTY)
    assert subjects(G, "united_front.contact_overload",
                    Settings(united_front_contacts_per_member=0)) == [("M1",), ("PW",)]


def test_the_setting_is_a_local_default_not_a_regulation():
    assert DEFAULT_SETTINGS.united_front_contacts_per_member == 5
    assert "united_front_contacts_per_member" in Settings.LOCAL_DEFAULTS


# ---------------------------------------------------------------------------
# no_united_front_member
# ---------------------------------------------------------------------------
def test_the_responsible_committee_is_the_nearest_committee_above_the_covering_org(make_graph):
    G = make_graph(COUNTY)
    assert uf.responsible_committees(G, "R2") == ["PC"]     # VE <- PE (branch) -> PC
    assert uf.responsible_committees(G, "R3") == ["PW"]     # a working committee counts
    # PC: responsible for R1 and R2, and the officer M3 belongs to the branch, not to PC
    assert hits(G, "united_front.no_united_front_member") == [
        (("PC",), {"name": "县医院党委", "kind": "committee", "representatives": 2})]


def test_a_united_front_member_of_the_committee_itself_is_enough(make_graph):
    tables = json.loads(json.dumps(COUNTY))
    tables["members"][0]["roles"] = "secretary;united_front_member"
    assert hits(make_graph(tables), "united_front.no_united_front_member") == []


def test_only_the_nearest_committee_is_responsible(make_graph):
    tables = json.loads(json.dumps(COUNTY))
    tables["party_orgs"].append({"id": "PX", "name": "县卫健党委", "kind": "committee"})
    tables["party_orgs"][0]["parent_id"] = "PX"
    assert subjects(make_graph(tables), "united_front.no_united_front_member") == [("PC",)]


# ---------------------------------------------------------------------------
# township_without_station
# ---------------------------------------------------------------------------
def test_a_station_in_a_village_counts_for_its_township(make_graph):
    tables = json.loads(json.dumps(COUNTY))
    G = make_graph(tables)
    assert hits(G, "united_front.township_without_station") == []     # 西镇: SWV in 西村
    tables["institutions"] = [i for i in tables["institutions"] if i["id"] != "SWV"]
    assert hits(make_graph(tables), "united_front.township_without_station") == [
        (("W",), {"name": "西镇", "representatives": 1, "county": "C", "county_name": "示范县"})]


def test_a_representative_works_where_the_nearest_institution_with_a_region_is(make_graph):
    tables = json.loads(json.dumps(COUNTY))
    tables["institutions"] = [i for i in tables["institutions"]
                              if i["kind"] != "united_front_station"]
    G = make_graph(tables)
    assert uf.representative_region(G, "R2") == "E"        # VE has no region: TE's
    assert subjects(G, "united_front.township_without_station") == [("E",), ("W",)]
    assert [e["representatives"] for _, e in hits(G, "united_front.township_without_station")] == [1, 1]


# ---------------------------------------------------------------------------
# station_chain_broken
# ---------------------------------------------------------------------------
def test_a_village_station_under_a_township_station_is_fine_under_a_health_center_not(make_graph):
    G = make_graph(COUNTY)
    ((subject, evidence),) = hits(G, "united_front.station_chain_broken")
    assert subject == ("SWV",)
    assert (evidence["parent"], evidence["parent_kind"], evidence["station"]) == \
        ("TW", "township_health_center", None)


def test_station_chain_without_parent_or_under_a_village_station(make_graph):
    tables = json.loads(json.dumps(COUNTY))
    tables["institutions"] += [
        {"id": "S9", "name": "东村网格点", "kind": "united_front_station", "level": "village",
         "region_id": "EV", "parent_id": "SEV"},
        {"id": "S8", "name": "东村二组", "kind": "united_front_station", "level": "village", "region_id": "EV"},
        {"id": "S7", "name": "西镇联络站", "kind": "united_front_station", "region_id": "W"},    # township: fine
    ]
    found = dict(hits(make_graph(tables), "united_front.station_chain_broken"))
    assert sorted(found) == [("S8",), ("S9",), ("SWV",)]
    assert (found[("S8",)]["parent"], found[("S8",)]["station"]) == (None, "SE")
    assert found[("S9",)]["station"] == "SE" and found[("SWV",)]["station"] == "S7"


# ---------------------------------------------------------------------------
# the summary figures
# ---------------------------------------------------------------------------
def test_summary_figures_overall_and_per_county(make_graph):
    tables = json.loads(json.dumps(COUNTY))
    tables["regions"] += [{"id": "C2", "name": "邻县", "level": "county"},
                          {"id": "N", "name": "北镇", "level": "township", "parent_id": "C2"}]
    tables["institutions"].append({"id": "TN", "name": "北镇卫生院",
                                   "kind": "township_health_center", "region_id": "N"})
    tables["members"] += [rep("R4", "TN"), rep("R5", "TN", "independent")]
    tables["links"].append(contact("M1", "R5"))
    summary = run_checks(make_graph(tables), only=["united_front"]).summary["united_front"]
    # R1 (county seat: no township), R2 (东镇), R3 (西镇), R4, R5 (北镇); contacted R1 R3 R5
    assert summary["overall"] == {"representatives": 5, "contacted": 3, "contact_rate": 0.6,
                                  "townships": 3, "townships_with_station": 2,
                                  "station_coverage_rate": 0.6667}
    assert summary["by_county"] == {
        "C": {"name": "示范县", "representatives": 3, "contacted": 2, "contact_rate": 0.6667,
              "townships": 2, "townships_with_station": 2, "station_coverage_rate": 1.0},
        "C2": {"name": "邻县", "representatives": 2, "contacted": 1, "contact_rate": 0.5,
               "townships": 1, "townships_with_station": 0, "station_coverage_rate": 0.0},
    }


def test_summary_without_representatives_has_no_rates(make_graph):
    overall = uf.united_front_summary(make_graph({"regions": COUNTY["regions"],
                                                "institutions": COUNTY["institutions"]}))
    assert overall == {"overall": {"representatives": 0, "contacted": 0, "contact_rate": None,
                                   "townships": 0, "townships_with_station": 0,
                                   "station_coverage_rate": None}, "by_county": {}}


def test_a_graph_edited_between_two_runs_is_read_afresh(make_graph):
    from orgnet.graphmodel.embedded import add_link

    G = make_graph(COUNTY)
    first = run_checks(G, only=["united_front.uncontacted_representative"]).findings
    assert [f.subject for f in first] == [("R2",)]
    add_link(G, "M3", "R2", link_type="contact", link_index=99, count=1)
    assert run_checks(G, only=["united_front.uncontacted_representative"]).findings == []
    assert uf.united_front_summary(G)["overall"]["contacted"] == 3
