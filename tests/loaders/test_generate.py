"""The synthetic generator: determinism, validity, planted gaps, streaming."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from orgnet.graphmodel.schema import HEALTH_KINDS, STAGES, TABLE_ORDER
from orgnet.loaders import load_dataset, load_graph
from orgnet.loaders.generate import (
    GenerateError, convert_csv_dataset, counties_for_entities, generate_dataset, generate_small,
)
from orgnet.queries.runner import run_checks

REPO = Path(__file__).resolve().parents[2]


def _read(directory: Path, table: str) -> list[dict]:
    with open(directory / f"{table}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _findings(path) -> Counter:
    return Counter(f.check for f in run_checks(load_graph(path)).findings)


@pytest.fixture(scope="module")
def three_counties(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "three"
    counts = generate_dataset(out, counties=3, seed=11, uncovered=4, one_way=5, isolated=2)
    return out, counts


# --- determinism -----------------------------------------------------------
def test_same_seed_gives_identical_bytes(tmp_path):
    generate_dataset(tmp_path / "a", counties=2, seed=5)
    generate_dataset(tmp_path / "b", counties=2, seed=5)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_another_seed_gives_another_network(tmp_path):
    generate_dataset(tmp_path / "a", counties=1, seed=5)
    generate_dataset(tmp_path / "b", counties=1, seed=6)
    assert _files(tmp_path / "a")["members.csv"] != _files(tmp_path / "b")["members.csv"]


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    generate_dataset(tmp_path / "here", counties=1, seed=2)
    code = ("import sys; from loaders.generate import generate_dataset; "
            "generate_dataset(sys.argv[1], counties=1, seed=2)")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], check=True, env=env)
    assert _files(tmp_path / "here") == _files(tmp_path / "there")


# --- the format ------------------------------------------------------------
@pytest.mark.parametrize("seed,size", [(0, {"counties": 1}), (1, {"counties": 2}),
                                       (7, {"counties": 3}), (3, {"entities": 20_000})])
def test_generated_dataset_passes_validation(tmp_path, seed, size):
    counts = generate_dataset(tmp_path / "d", seed=seed, **size)
    dataset = load_dataset(tmp_path / "d")
    for table in TABLE_ORDER:
        assert len(dataset.table(table)) == counts[table]
    assert counts["entities"] == sum(counts[t] for t in TABLE_ORDER[:4])


def test_every_file_has_the_spec_header(three_counties):
    out, _ = three_counties
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLE_ORDER)
    with open(out / "links.csv", encoding="utf-8") as fh:
        assert fh.readline() == "source_id,target_id,type,count,period,note\n"


@pytest.mark.parametrize("fmt,name", [("xlsx", "zh.xlsx"), ("json", "zh.json"), ("csv", "zh")])
def test_chinese_headers_and_values_validate_to_the_same_tables(three_counties, tmp_path, fmt, name):
    out, counts = three_counties
    dest = convert_csv_dataset(out, tmp_path / name, fmt=fmt, chinese=True)
    zh = load_dataset(dest)
    en = load_dataset(out)
    for table in TABLE_ORDER:
        assert len(zh.table(table)) == counts[table]
    assert list(zh.table("institutions")["kind"]) == list(en.table("institutions")["kind"])
    assert list(zh.table("members")["roles"]) == list(en.table("members")["roles"])


def test_chinese_workbook_has_chinese_sheets_headers_and_values(tmp_path):
    import openpyxl

    generate_small(tmp_path / "c.xlsx", fmt="xlsx", chinese=True, counties=1, seed=4)
    book = openpyxl.load_workbook(tmp_path / "c.xlsx", read_only=True)
    assert book.sheetnames == ["区域", "机构", "党组织", "人员", "关系", "服务"]
    header, first = list(book["人员"].iter_rows(max_row=2, values_only=True))
    assert header[:3] == ("编号", "姓名", "政治面貌")
    assert first[2] == "正式党员"
    kinds = {row[2] for row in book["机构"].iter_rows(min_row=2, values_only=True)}
    assert {"村卫生室", "乡镇卫生院", "县级医院"} <= kinds


def test_small_formats_refuse_big_datasets(tmp_path):
    with pytest.raises(GenerateError, match="use --format csv"):
        generate_small(tmp_path / "big.json", fmt="json", entities=1_000_000)
    assert not (tmp_path / "big.json").exists()


# --- realism and planted gaps ----------------------------------------------
def test_three_level_structure_and_chinese_names(three_counties):
    out, _ = three_counties
    institutions = {r["id"]: r for r in _read(out, "institutions")}
    kinds = Counter(r["kind"] for r in institutions.values())
    assert kinds["county_hospital"] == kinds["mch_hospital"] == kinds["health_bureau"] == 3
    assert 3 * 8 <= kinds["township_health_center"] + kinds["community_health_center"] <= 3 * 25
    for row in institutions.values():
        if row["kind"] in ("village_clinic", "community_health_station"):
            assert institutions[row["parent_id"]]["kind"] in (
                "township_health_center", "community_health_center")
    members = _read(out, "members")
    assert all(2 <= len(m["name"]) <= 3 and "\u4e00" <= m["name"][0] <= "\u9fff" for m in members)
    statuses = Counter(m["status"] for m in members)
    assert statuses["full"] > statuses["probationary"] > 0 and statuses["non_party"] > 0
    roles = Counter(r for m in members for r in m["roles"].split(";") if r)
    for role in ("secretary", "deputy_secretary", "committee_member", "group_leader",
                 "liaison", "family_doctor", "expert"):
        assert roles[role] > 0, role
    org_kinds = Counter(r["kind"] for r in _read(out, "party_orgs"))
    assert org_kinds["committee"] >= 3 and org_kinds["working_committee"] == 3
    assert org_kinds["group"] > 0 and org_kinds["branch"] > 0


def test_planted_uncovered_clinics_are_exactly_the_knob(three_counties):
    out, counts = three_counties
    covered = {i for r in _read(out, "party_orgs") for i in r["institution_ids"].split(";")}
    uncovered = [r for r in _read(out, "institutions")
                 if r["kind"] in HEALTH_KINDS and r["id"] not in covered]
    assert len(uncovered) == counts["uncovered_clinics"] == 3 * 4
    assert {r["kind"] for r in uncovered} <= {"village_clinic", "community_health_station"}


def test_planted_gaps_are_what_the_checks_find(three_counties):
    out, counts = three_counties
    found = _findings(out)
    assert found["coverage.uncovered_institution"] == counts["uncovered_clinics"] == 12
    assert found["connectivity.isolated_unit"] == counts["isolated_units"] == 3 * 2
    assert found["referral.one_way"] == counts["one_way_referrals"]
    assert found["referral.leapfrog"] == counts["leapfrog_referrals"]
    # every isolated clinic and every township of a broken chain refers nowhere up
    assert found["referral.no_upward_referral"] == counts["isolated_units"] + counts["broken_chains"]
    assert found["service.stage_gap"] >= counts["stage_gaps"]


UNITED_FRONT_PLANTED = {
    "united_front.uncontacted_representative": "uncontacted_representatives",
    "united_front.contact_overload": "contact_overloads",
    "united_front.no_united_front_member": "committees_without_united_front_member",
    "united_front.township_without_station": "townships_without_station",
    "united_front.station_chain_broken": "broken_station_chains",
}


def test_the_planted_united_front_layer_is_what_the_checks_find(three_counties):
    out, counts = three_counties
    found = _findings(out)
    for check, planted in UNITED_FRONT_PLANTED.items():
        assert found[check] == counts[planted] > 0, check
    summary = run_checks(load_graph(out), only=["united_front"]).summary["united_front"]
    assert summary["overall"]["representatives"] == counts["representatives"]
    assert summary["overall"]["contacted"] == \
        counts["representatives"] - counts["uncontacted_representatives"]
    assert len(summary["by_county"]) == 3


def test_the_united_front_layer_leaves_the_connectivity_findings_unchanged(three_counties,
                                                                          tmp_path):
    out, _ = three_counties
    plain = tmp_path / "plain"
    plain.mkdir()
    institutions = _read(out, "institutions")
    layer = {r["id"] for r in institutions if r["kind"] in ("united_front_station", "association")}
    members = _read(out, "members")
    layer |= {r["id"] for r in members if "representative" in r["roles"].split(";")}
    tables = {
        "institutions": [r for r in institutions if r["id"] not in layer],
        "members": [r for r in members if r["id"] not in layer],
        "links": [r for r in _read(out, "links") if r["type"] != "contact"],
    }
    for table in TABLE_ORDER:
        rows = tables.get(table, _read(out, table))
        with open(plain / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(_read(out, table)[0]))
            writer.writeheader()
            writer.writerows(rows)
    with_layer = run_checks(load_graph(out), only=["connectivity"]).findings
    without = run_checks(load_graph(plain), only=["connectivity"]).findings
    def comparable(findings):      # link indices shift when rows are removed; all else is equal
        return [(f.check, f.subject, f.message, f.suggestion,
                 {k: v for k, v in f.evidence.items() if k != "links"}) for f in findings]

    assert with_layer and comparable(with_layer) == comparable(without)


def test_one_way_knob_adds_exactly_that_many_one_way_pairs(tmp_path):
    base = generate_dataset(tmp_path / "a", counties=2, seed=3, one_way=0)
    more = generate_dataset(tmp_path / "b", counties=2, seed=3, one_way=6)
    assert more["one_way_referrals"] - base["one_way_referrals"] == 2 * 6
    assert _findings(tmp_path / "b")["referral.one_way"] == more["one_way_referrals"]


def test_no_planted_gaps_when_the_knobs_are_zero(tmp_path):
    generate_dataset(tmp_path / "d", counties=2, seed=9, uncovered=0, isolated=0, one_way=0,
                     leapfrog_share=0, broken_share=0, gap_share=0)
    found = _findings(tmp_path / "d")
    for check in ("coverage.uncovered_institution", "connectivity.isolated_unit",
                  "referral.one_way", "referral.leapfrog", "referral.broken_chain",
                  "referral.no_upward_referral", "service.stage_gap",
                  "structure.community_not_unified", "structure.orphan_org",
                  "structure.unit_without_branch", "coverage.empty_org"):
        assert found[check] == 0, check


def test_about_one_and_a_half_links_per_entity(three_counties):
    _, counts = three_counties
    assert 1.4 < counts["links"] / counts["entities"] < 1.6


def test_links_per_entity_is_tunable(tmp_path):
    counts = generate_dataset(tmp_path / "d", counties=1, seed=1, links_per_entity=3.0)
    assert 2.9 < counts["links"] / counts["entities"] < 3.1
    periods = {r["period"] for r in _read(tmp_path / "d", "links")}
    assert {"2025", "2025-12", "2025-11"} <= periods


def test_referral_counts_are_split_not_inflated(tmp_path):
    generate_dataset(tmp_path / "a", counties=1, seed=1, links_per_entity=0)
    generate_dataset(tmp_path / "b", counties=1, seed=1, links_per_entity=2.5)
    totals = []
    for name in ("a", "b"):
        rows = _read(tmp_path / name, "links")
        totals.append(sum(int(r["count"]) for r in rows if r["type"] == "referral"))
    assert totals[0] == totals[1]


def test_entities_target(tmp_path):
    counts = generate_dataset(tmp_path / "d", entities=5000, seed=2)
    assert 5000 <= counts["entities"] < 5000 + 3000
    assert 500 < counties_for_entities(1_000_000) < 1000
    assert generate_dataset(tmp_path / "one", entities=1)["counties"] == 1


@pytest.mark.parametrize("kwargs", [
    {"counties": 0}, {"counties": 2, "entities": 10}, {"entities": -1},
    {"uncovered": -1}, {"uncovered_share": 1.5}, {"links_per_entity": -1},
])
def test_bad_knobs_are_refused(tmp_path, kwargs):
    with pytest.raises(GenerateError):
        generate_dataset(tmp_path / "d", **kwargs)


# --- streaming -------------------------------------------------------------
_PEAK = """
import json, resource, sys
from orgnet.loaders.generate import generate_dataset
counts = generate_dataset(sys.argv[1], entities=int(sys.argv[2]))
print(json.dumps([counts["entities"], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))
"""


@pytest.mark.slow
def test_memory_does_not_grow_with_size(tmp_path):
    peaks = {}
    for n in (10_000, 200_000):
        done = subprocess.run([sys.executable, "-c", _PEAK, str(tmp_path / str(n)), str(n)],
                              check=True, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
        entities, peaks[n] = json.loads(done.stdout)
        assert entities >= n
    # 20 times the entities, (almost) the same peak: the rows are streamed.
    assert peaks[200_000] - peaks[10_000] < 40 * 1024, peaks


# --- the example datasets --------------------------------------------------
EXAMPLES = REPO / "examples"


def _build_examples_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_examples", EXAMPLES / "build_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["county-medical-community", "county-medical-community.xlsx",
                                  "city-mch-alliance"])
def test_examples_validate(name):
    dataset = load_dataset(EXAMPLES / name)
    assert len(dataset.table("institutions")) > 20


def test_examples_are_what_the_build_script_makes(tmp_path):
    _build_examples_module().main(tmp_path)
    for name in ("county-medical-community", "county-medical-community-2026",
                 "city-mch-alliance"):
        assert _files(tmp_path / name) == _files(EXAMPLES / name), name


def test_the_workbook_is_the_csv_example_in_chinese():
    import openpyxl

    book = openpyxl.load_workbook(EXAMPLES / "county-medical-community.xlsx", read_only=True)
    assert book.sheetnames == ["区域", "机构", "党组织", "人员", "关系", "服务"]
    header = next(book["关系"].iter_rows(max_row=1, values_only=True))
    assert header == ("起点", "终点", "关系类型", "次数", "时期", "备注")
    csv_graph = load_graph(EXAMPLES / "county-medical-community")
    xlsx_graph = load_graph(EXAMPLES / "county-medical-community.xlsx")
    assert sorted(csv_graph.nodes(data="kind")) == sorted(xlsx_graph.nodes(data="kind"))
    assert csv_graph.number_of_edges() == xlsx_graph.number_of_edges()


def test_county_example_has_its_planted_gaps():
    report = run_checks(load_graph(EXAMPLES / "county-medical-community"))
    found = {}
    for f in report.findings:
        found.setdefault(f.check, []).append(list(f.subject))
    assert found["coverage.uncovered_institution"] == [["V-BY-2"], ["V-SQ-3"]]
    assert found["structure.no_secretary"] == [["P-T-LX"]]
    assert found["structure.branch_too_small"] == [["P-T-BY"]]
    assert found["referral.broken_chain"] == [[f"V-LQ-{i}"] for i in range(1, 5)]
    assert ["T-SQ", "H01"] in found["referral.one_way"]
    assert found["referral.leapfrog"] == [["V-DB-2", "H01"]]
    assert found["connectivity.isolated_unit"] == [["V-BY-3"]]
    assert found["connectivity.single_liaison"] == [["S-CG"]]
    assert found["service.stage_gap"] == [["R-QH", "pre_pregnancy"]]
    # the united-front layer (spec 7b)
    assert found["united_front.uncontacted_representative"] == [["M154"], ["M157"]]
    assert found["united_front.contact_overload"] == [["M010"]]
    assert found["united_front.no_united_front_member"] == [["P-W01"]]
    assert found["united_front.township_without_station"] == [["R-LQ"]]
    assert found["united_front.station_chain_broken"] == [["U-SQ-1"]]
    assert report.summary["united_front"]["overall"] == {
        "representatives": 8, "contacted": 6, "contact_rate": 0.75, "townships": 4,
        "townships_with_station": 3, "station_coverage_rate": 0.75}
    institutions = load_dataset(EXAMPLES / "county-medical-community").table("institutions")
    assert Counter(institutions["kind"])["township_health_center"] == 6
    orgs = load_dataset(EXAMPLES / "county-medical-community").table("party_orgs")
    by_id = dict(zip(orgs["id"], orgs["parent_id"]))
    kinds = dict(zip(orgs["id"], orgs["kind"]))
    # 总院党委 — 分院党支部 — 村卫生室党小组
    for org, kind in kinds.items():
        if kind == "group":
            parent = by_id[org]
            assert kinds[parent] == "branch" and by_id[parent] == "P-H01"


def test_the_county_a_year_later_tells_its_story():
    from orgnet.queries.compare import compare_graphs

    result = compare_graphs(load_graph(EXAMPLES / "county-medical-community"),
                            load_graph(EXAMPLES / "county-medical-community-2026"))
    resolved = sorted((f.check, f.subject) for f in result.resolved)
    assert resolved == sorted([("coverage.uncovered_institution", ("V-SQ-3",)),
                               ("structure.no_secretary", ("P-T-LX",)),
                               ("referral.no_upward_referral", ("T-LQ",))]
                              + [("referral.broken_chain", (f"V-LQ-{i}",)) for i in range(1, 5)])
    assert sorted((f.check, f.subject) for f in result.new) == [
        ("connectivity.single_link_unit", ("V-DB-4",)), ("coverage.empty_org", ("P-V-LX-1",)),
        ("coverage.uncovered_institution", ("V-DB-4",))]
    moved = {e["id"]: e["changes"] for e in result.entities["Member"]["changed"]}
    assert moved["M106"] == {"roles": [None, ["secretary"]]}          # 柳溪乡's new secretary
    assert moved["M112"]["org_id"] == ["P-V-LX-1", "P-T-CG"]           # the leader moved
    changed = {b.check: (b.evidence, a.evidence) for b, a in result.changed}
    assert changed["connectivity.cut_unit"][0]["cut_off"] == 1
    assert changed["connectivity.cut_unit"][1]["cut_off"] == 2
    assert result.entities["Member"]["added"] == ["M159"]
    assert result.entities["PartyOrg"]["added"] == ["P-V-SQ-3"]
    assert result.warning is None


def test_city_mch_alliance_numbers():
    dataset = load_dataset(EXAMPLES / "city-mch-alliance")
    orgs = dataset.table("party_orgs")
    assert Counter(orgs["kind"])["branch"] == 8
    members = dataset.table("members")
    assert members["status"].isin(["full", "probationary"]).sum() == 323
    links = dataset.table("links")
    liaison = links[links["type"] == "liaison"]
    assert len(liaison) == 12
    assert liaison["source_id"].nunique() == liaison["target_id"].nunique() == 12
    kinds = dict(zip(dataset.table("institutions")["id"], dataset.table("institutions")["kind"]))
    assert {kinds[t] for t in liaison["target_id"]} == {"community_health_center"}
    assert sum(k == "community_health_center" for k in kinds.values()) == 12
    assert "party_service_station" in kinds.values()
    referral = links[links["type"] == "referral"]
    up = referral[referral["target_id"] == "MCH"]["count"].sum()
    down = referral[referral["source_id"] == "MCH"]["count"].sum()
    assert (up, down) == (956, 422)
    summary = run_checks(load_graph(EXAMPLES / "city-mch-alliance")).summary
    assert (summary["referrals"]["up"], summary["referrals"]["down"]) == (956, 422)
    stages = set(dataset.table("services")["stage"])
    assert stages == set(STAGES)


def test_progress_is_reported_per_county(tmp_path):
    calls = []
    counts = generate_dataset(tmp_path / "d", counties=3, seed=1, progress=calls.append)
    assert len(calls) == 3 and all(n > 300 for n in calls)
    # everything but the province block (its hospital and committee) is reported
    assert 0 < counts["entities"] - sum(calls) < 20
