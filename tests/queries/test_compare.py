"""orgnet.queries.compare: findings matched by check and subject, figure and entity changes."""

import pytest

from conftest import write_csv_tables
from orgnet.loaders import load_graph
from orgnet.loaders.generate import convert_csv_dataset
from orgnet.queries.compare import MATCH_WARNING_SHARE, breakdown, compare_graphs, entity_changes
from orgnet.queries.compare_export import COMPARE_FORMATS, render_comparison

EXAMPLE = "examples/county-medical-community"


def _graphs(tmp_path, before, after):
    return (load_graph(write_csv_tables(tmp_path / "before", before)),
            load_graph(write_csv_tables(tmp_path / "after", after)))


def _ids(findings):
    return [(f.check, f.subject) for f in findings]


def test_identical_snapshots_are_unchanged(tmp_path, tiny_tables):
    G, H = _graphs(tmp_path, tiny_tables, tiny_tables)
    result = compare_graphs(G, H)
    assert result.is_unchanged()
    assert result.resolved == result.new == result.changed == []
    assert _ids(result.persisting) == _ids(result.after.findings)
    assert result.entities["matched"] == G.number_of_nodes()
    assert result.regions == {} and result.kinds == {} and result.warning is None


def test_a_covered_clinic_resolves_its_finding_and_moves_the_rates(tmp_path, tiny_tables):
    import copy

    after = copy.deepcopy(tiny_tables)
    after["party_orgs"][1]["institution_ids"] = "T1;V1;V2"      # O2 now covers V2 too
    result = compare_graphs(*_graphs(tmp_path, tiny_tables, after))
    assert _ids(result.resolved) == [("coverage.uncovered_institution", ("V2",))]
    assert result.new == []
    rate = result.figures[0]
    assert rate["figure"] == "coverage.overall.coverage_rate"
    assert (rate["before"], rate["after"]) == (round(5 / 6, 4), 1.0)
    township = {row["figure"]: row for row in result.regions["R2"]["figures"]}
    assert township["covered"]["change"] == 1 and result.regions["R2"]["level"] == "township"
    assert "R1" in result.regions                               # the county holds R2
    clinic = {row["figure"]: row for row in result.kinds["village_clinic"]["figures"]}
    assert (clinic["covered"]["before"], clinic["covered"]["after"]) == (2, 3)
    assert result.entities["PartyOrg"]["changed"] == [
        {"id": "O2", "changes": {"institution_ids": [["T1", "V1"], ["T1", "V1", "V2"]]}}]


def test_changed_evidence_is_changed_not_resolved_and_new(tmp_path, tiny_tables):
    import copy

    after = copy.deepcopy(tiny_tables)
    after["members"].append({"id": "M7", "name": "周强", "status": "full", "org_id": "O3",
                             "institution_id": "T2"})
    result = compare_graphs(*_graphs(tmp_path, tiny_tables, after))
    assert result.resolved == [] and result.new == []
    changed = {b.check: (b.evidence, a.evidence) for b, a in result.changed}
    assert changed["structure.branch_too_small"][0]["full_members"] == 0
    assert changed["structure.branch_too_small"][1]["full_members"] == 1
    assert result.entities["Member"]["added"] == ["M7"]


def test_entity_and_link_changes_are_matched_by_id_and_key(tmp_path, tiny_tables):
    import copy

    after = copy.deepcopy(tiny_tables)
    after["members"][2]["org_id"] = "O3"                      # M3 moved
    after["members"][3]["roles"] = "委员"                       # M4 new role
    after["members"] = [m for m in after["members"] if m["id"] != "M6"]
    after["links"][0]["count"] = "20"                          # V1 -> T1 more referrals
    after["links"].append({"source_id": "V2", "target_id": "T1", "type": "referral",
                           "count": "3", "period": "2025"})
    changes = compare_graphs(*_graphs(tmp_path, tiny_tables, after)).entities
    assert [e["id"] for e in changes["Member"]["changed"]] == ["M3", "M4"]
    assert changes["Member"]["changed"][0]["changes"] == {"org_id": ["O2", "O3"]}
    assert changes["Member"]["changed"][1]["changes"] == {"roles": [None, ["committee_member"]]}
    assert changes["Member"]["removed"] == ["M6"]
    assert changes["links"]["changed"] == [{"source_id": "V1", "target_id": "T1",
                                            "type": "referral", "period": "2025",
                                            "before": 12, "after": 20}]
    assert changes["links"]["added"] == [{"source_id": "V2", "target_id": "T1",
                                          "type": "referral", "period": "2025", "count": 3}]
    assert changes["links"]["removed"] == []


def test_few_matching_ids_give_a_warning(tmp_path, tiny_tables):
    tiny = load_graph(write_csv_tables(tmp_path / "tiny", tiny_tables))
    result = compare_graphs(tiny, load_graph(EXAMPLE), lang="zh")
    assert result.entities["matched"] == 0
    assert result.entities["matched_share"] < MATCH_WARNING_SHARE
    assert "可能不是同一个网络" in result.warning
    assert "可能不是同一个网络" in render_comparison(result, "table")


def test_breakdown_counts_institutions_in_their_township_and_county(tmp_path, tiny_tables):
    G = load_graph(write_csv_tables(tmp_path / "t", tiny_tables))
    parts = breakdown(G)
    assert parts["regions"]["R2"]["institutions"] == 3          # T1, V1, V2
    assert parts["regions"]["R1"]["institutions"] == 6          # the whole county
    assert parts["regions"]["R2"]["referrals_up"] == 12 + 30    # V1->T1, T1->H1
    assert parts["kinds"]["county_hospital"]["referrals_down"] == 8


def test_entity_changes_of_empty_graphs():
    from orgnet.graphmodel.embedded import new_graph

    changes = entity_changes(new_graph(), new_graph())
    assert changes["matched"] == 0 and changes["matched_share"] is None


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_the_same_dataset_in_another_container_with_chinese_headers_has_no_changes(tmp_path, fmt):
    converted = convert_csv_dataset(EXAMPLE, tmp_path / f"example.{fmt}", fmt=fmt, chinese=True)
    result = compare_graphs(load_graph(EXAMPLE), load_graph(converted))
    assert result.is_unchanged(), (result.resolved, result.new, result.entities)
    assert result.entities["matched"] == result.entities["before"] > 200


def test_the_bundled_workbook_equals_the_csv_example():
    result = compare_graphs(load_graph(EXAMPLE), load_graph(EXAMPLE + ".xlsx"))
    assert result.is_unchanged()


@pytest.mark.parametrize("fmt", COMPARE_FORMATS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_format_renders_a_change(tmp_path, tiny_tables, fmt, lang):
    import copy

    after = copy.deepcopy(tiny_tables)
    after["party_orgs"][1]["institution_ids"] = "T1;V2"         # V1 uncovered, V2 covered
    after["institutions"][4]["name"] = "=HYPERLINK(\"x\")"
    before_graph, after_graph = _graphs(tmp_path, tiny_tables, after)
    # validation refuses control characters; a graph built by a library caller may hold one
    after_graph.nodes[tiny_tables["institutions"][4]["id"]]["name"] += "\x1b[31m"
    result = compare_graphs(before_graph, after_graph, lang=lang)
    content = render_comparison(result, fmt)
    if fmt == "xlsx":
        import io

        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content))
        cells = [c for s in book.worksheets for row in s.iter_rows() for c in row]
        assert not any(c.data_type == "f" for c in cells)
        assert any("V1" in str(c.value) for c in cells)
        return
    assert "\x1b" not in content
    assert "V1" in content and "V2" in content
    if fmt == "csv":
        assert ",=HYPERLINK" not in content
    if fmt == "table":
        assert ("新出现" if lang == "zh" else "new") in content
