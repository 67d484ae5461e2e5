"""Every rule of dataset-format.md section 5: a dataset that breaks it (exact located
message, nothing built), a near miss that must pass, and the empty dataset."""

from __future__ import annotations

import pytest

from conftest import write_csv_tables
from orgnet.loaders import DatasetError, load_dataset, load_graph


def _problems(tmp_path, tables):
    path = write_csv_tables(tmp_path / "tiny", tables)
    with pytest.raises(DatasetError) as info:
        load_graph(path)          # raises: no graph is built from an invalid dataset
    return info.value


def _row(tables, table, key, value):
    """Return the row dict of ``table`` whose ``key`` is ``value``."""
    return next(r for r in tables[table] if r.get(key) == value)


def _set(table, ident, **cells):
    def change(t):
        row = _row(t, table, "id", ident)
        row.update(cells)
    return change


def _link(index, **cells):
    def change(t):
        t["links"][index].update(cells)
    return change


def _drop_column(table, column):
    def change(t):
        for row in t[table]:
            row.pop(column, None)
    return change


def _drop_table(table):
    def change(t):
        del t[table]
    return change


BROKEN = {
    "missing-table": (
        _drop_table("institutions"),
        ["tiny/: missing table 'institutions' (机构): no institutions.csv or 机构.csv in tiny/ "
         "(CSV files found: links.csv, members.csv, party_orgs.csv, regions.csv, services.csv)"]),
    "missing-column": (
        _drop_column("institutions", "kind"),
        ["institutions.csv:1: column 'kind': required column 'kind' (类型) is missing"]),
    "missing-column-links": (
        _drop_column("links", "type"),
        ["links.csv:1: column 'type': required column 'type' (关系类型) is missing"]),
    "empty-cell": (
        _set("institutions", "V2", name=""),
        ["institutions.csv:6: column 'name': required cell is empty"]),
    "empty-cell-link": (
        _link(1, target_id=""),
        ["links.csv:3: column 'target_id': required cell is empty"]),
    "unknown-kind": (
        _set("institutions", "V2", kind="villageclinic"),
        ["institutions.csv:6: column 'kind': unknown kind 'villageclinic'; "
         "did you mean 'village_clinic'?"]),
    "unknown-kind-zh": (
        _set("institutions", "V2", kind="村卫生站"),
        ["institutions.csv:6: column 'kind': unknown kind '村卫生站'; "
         "did you mean '村卫生室' (village_clinic)?"]),
    "unknown-level": (
        _set("regions", "R2", level="town"),
        ["regions.csv:3: column 'level': unknown level 'town'; did you mean 'township'?"]),
    "unknown-org-kind": (
        _set("party_orgs", "O2", kind="brunch"),
        ["party_orgs.csv:3: column 'kind': unknown party organization kind 'brunch'; "
         "did you mean 'branch'?"]),
    "unknown-status": (
        _set("members", "M6", status="xyz"),
        ["members.csv:7: column 'status': unknown status 'xyz'; expected one of: full, "
         "probationary, activist, non_party, democratic_party, independent"]),
    "unknown-link-type": (
        _link(0, type="refferal"),
        ["links.csv:2: column 'type': unknown link type 'refferal'; did you mean 'referral'?"]),
    "unknown-stage": (
        lambda t: t["services"][1].update(stage="产检"),
        ["services.csv:3: column 'stage': unknown stage '产检'; "
         "did you mean '产前检查' (prenatal_care)?"]),
    "duplicate-id": (
        _set("members", "M6", id="O1"),
        ["members.csv:7: column 'id': id 'O1' is used twice: also at party_orgs.csv:2"]),
    "duplicate-id-same-table": (
        _set("institutions", "V2", id="V1"),
        ["institutions.csv:6: column 'id': id 'V1' is used twice: also at institutions.csv:5",
         # the renamed row's old id is gone: references to it are reported too
         "members.csv:7: column 'institution_id': institution_id 'V2' does not exist"]),
    "unknown-reference": (
        _set("institutions", "V2", parent_id="T9"),
        ["institutions.csv:6: column 'parent_id': parent_id 'T9' does not exist"]),
    "unknown-reference-by-name": (
        _set("institutions", "V2", parent_id="东镇卫生院"),
        ["institutions.csv:6: column 'parent_id': parent_id '东镇卫生院' does not exist; "
         "it is the name at institutions.csv:3: use its id 'T1'"]),
    "unknown-reference-list": (
        _set("party_orgs", "O2", institution_ids="T1;V9"),
        ["party_orgs.csv:3: column 'institution_ids': institution_ids 'V9' does not exist"]),
    "wrong-reference-region": (
        _set("institutions", "H1", region_id="T1"),
        ["institutions.csv:2: column 'region_id': region_id 'T1' is an institution, "
         "not a region"]),
    "wrong-reference-parent": (
        _set("institutions", "V2", parent_id="O2"),
        ["institutions.csv:6: column 'parent_id': parent_id 'O2' is a party organization, "
         "not an institution"]),
    "wrong-reference-org": (
        _set("members", "M3", org_id="T1"),
        ["members.csv:4: column 'org_id': org_id 'T1' is an institution, "
         "not a party organization"]),
    "wrong-reference-coordinator": (
        lambda t: t["services"][0].update(coordinator_org_id="M1"),
        ["services.csv:2: column 'coordinator_org_id': coordinator_org_id 'M1' is "
         "a member (person), not a party organization"]),
    "wrong-reference-link-region": (
        _link(4, target_id="R1"),
        ["links.csv:6: column 'target_id': target_id 'R1' is a region, not an institution "
         "or a party organization or a member (person)"]),
    "referral-endpoint": (
        _link(0, target_id="O2"),
        ["links.csv:2: column 'target_id': a referral must join two institutions; "
         "'O2' is a party organization"]),
    "liaison-source": (
        _link(4, source_id="O1"),
        ["links.csv:6: column 'source_id': a liaison starts from a member (person); "
         "'O1' is a party organization"]),
    "self-link": (
        _link(0, target_id="V1"),
        ["links.csv:2: column 'target_id': link from 'V1' to itself"]),
    "parent-cycle": (
        _set("institutions", "H1", parent_id="V1"),
        ["institutions.csv:2: column 'parent_id': parent_id 'V1' makes a cycle: "
         "H1 → V1 → T1 → H1"]),
    "parent-cycle-self": (
        _set("party_orgs", "O1", parent_id="O1"),
        ["party_orgs.csv:2: column 'parent_id': parent_id 'O1' makes a cycle: O1 → O1"]),
    "bad-count-negative": (
        _link(0, count="-1"),
        ["links.csv:2: column 'count': count '-1' is not a non-negative whole number "
         "(blank means 1)"]),
    "bad-count-decimal": (
        _link(0, count="2.5"),
        ["links.csv:2: column 'count': count '2.5' is not a non-negative whole number "
         "(blank means 1)"]),
    "bad-period": (
        _link(0, period="2025-13"),
        ["links.csv:2: column 'period': period '2025-13' is not YYYY, YYYY-MM, YYYY-Qn "
         "or a date YYYY-MM-DD"]),
    "bad-period-date": (
        _link(0, period="2025-02-30"),
        ["links.csv:2: column 'period': period '2025-02-30' is not YYYY, YYYY-MM, YYYY-Qn "
         "or a date YYYY-MM-DD"]),
    "status-org": (
        _set("members", "M6", org_id="O2"),
        ["members.csv:7: column 'org_id': org_id 'O2' is set, but a member with status "
         "'non_party' has no party organization; only full, probationary and activist "
         "members have one"]),
    # the united-front layer (v1.1)
    "contact-source-non-party": (
        _link(4, source_id="M6", type="联谊交友"),
        ["links.csv:6: column 'source_id': a contact (联谊交友) starts from a party "
         "organization or a full or probationary member; 'M6' is a member with status "
         "'non_party'"]),
    "contact-source-institution": (
        _link(4, source_id="H1", type="contact"),
        ["links.csv:6: column 'source_id': a contact (联谊交友) starts from a party "
         "organization or a full or probationary member; 'H1' is an institution"]),
    "contact-target-region": (
        _link(4, target_id="R2", type="contact"),
        ["links.csv:6: column 'target_id': a contact (联谊交友) ends at a member (person) "
         "or an institution; 'R2' is a region"]),
    "contact-target-org": (
        _link(4, target_id="O2", type="挂点联系"),
        ["links.csv:6: column 'target_id': a contact (联谊交友) ends at a member (person) "
         "or an institution; 'O2' is a party organization"]),
    "representative-status": (
        _set("members", "M3", roles="委员、党外代表人士"),
        ["members.csv:4: column 'roles': the role 'representative' (党外代表人士) is for "
         "people outside the party, but this member's status is 'full'; remove the role "
         "or correct the status"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_rule_is_reported_at_its_row(tmp_path, tiny_tables, case):
    change, expected = BROKEN[case]
    change(tiny_tables)
    err = _problems(tmp_path, tiny_tables)
    assert str(err).splitlines() == expected
    assert len(err.problems) == len(expected)


def test_problem_codes_are_stable(tmp_path, tiny_tables):
    _set("institutions", "V2", kind="x", parent_id="T9")(tiny_tables)
    _link(0, count="x", period="y")(tiny_tables)
    err = _problems(tmp_path, tiny_tables)
    assert [(p.file, p.row, p.column, p.value, p.code) for p in err.problems] == [
        ("institutions.csv", 6, "kind", "x", "unknown-value"),
        ("institutions.csv", 6, "parent_id", "T9", "unknown-reference"),
        ("links.csv", 2, "count", "x", "bad-count"),
        ("links.csv", 2, "period", "y", "bad-period"),
    ]


def test_every_problem_is_collected_and_sorted_by_file_then_row(tmp_path, tiny_tables):
    _set("members", "M6", status="?")(tiny_tables)
    _set("institutions", "V3", kind="?")(tiny_tables)
    _set("institutions", "H1", name="")(tiny_tables)
    err = _problems(tmp_path, tiny_tables)
    assert [(p.file, p.row) for p in err.problems] == [
        ("institutions.csv", 2), ("institutions.csv", 7), ("members.csv", 7)]


def test_the_first_200_problems_are_shown(tmp_path, tiny_tables):
    tiny_tables["links"] = [{"source_id": "V1", "target_id": "T1", "type": "referral",
                             "count": "bad"}] * 250
    err = _problems(tmp_path, tiny_tables)
    lines = str(err).splitlines()
    assert len(err.problems) == 250
    assert len(lines) == 201 and lines[-1] == "... and 50 more problems"


NEAR_MISSES = {
    "chinese-kind-and-status": lambda t: (_set("institutions", "V2", kind="卫生室")(t),
                                          _set("members", "M6", status="群众")(t)),
    "kind-case-and-dash": _set("institutions", "V2", kind="Village-Clinic"),
    "count-zero-and-blank": lambda t: (_link(0, count="0")(t), _link(1, count="")(t)),
    "periods": lambda t: (_link(0, period="2025-q3")(t), _link(1, period="2025-12-31")(t),
                          _link(2, period="2025-07")(t), _link(3, period="")(t)),
    "activist-with-org": _set("members", "M6", status="activist", org_id="O2"),
    "liaison-from-member-to-org": _link(4, target_id="O2"),
    "pairing-between-org-and-member": _link(0, type="结对共建", source_id="O2", target_id="M3"),
    "same-name-twice": _set("institutions", "V2", name="李村卫生室"),
    "parent-chain-without-cycle": _set("party_orgs", "O3", parent_id="O2"),
    "blank-optional-references": _set("institutions", "V2", parent_id="", region_id=""),
}


@pytest.mark.parametrize("case", sorted(NEAR_MISSES))
def test_a_near_miss_is_valid(tmp_path, tiny_tables, case):
    NEAR_MISSES[case](tiny_tables)
    dataset = load_dataset(write_csv_tables(tmp_path / "tiny", tiny_tables))
    assert len(dataset.tables["institutions"]) == 6


def test_the_empty_dataset_is_valid(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "institutions.csv").write_text("id,name,kind\n", encoding="utf-8")
    G = load_graph(tmp_path / "empty")
    assert G.number_of_nodes() == 0 and G.number_of_edges() == 0


def test_a_valid_dataset_is_normalized(tmp_path, tiny_tables):
    tiny_tables["members"][1]["roles"] = "书记；家庭医生、Expert;宣传委员;书记"
    tiny_tables["institutions"][3]["level"] = "乡"
    tiny_tables["institutions"][0]["phone"] = " 0571-1234 "
    ds = load_dataset(write_csv_tables(tmp_path / "tiny", tiny_tables), name="demo")
    assert ds.name == "demo"
    inst = ds.tables["institutions"].set_index("id")
    assert inst.loc["H1", "kind"] == "county_hospital" and inst.loc["H1", "level"] == "county"
    assert inst.loc["V1", "level"] == "township"          # given level wins over the default
    assert inst.loc["V2", "level"] == "village"           # blank level from the kind
    assert inst.loc["H1", "phone"] == "0571-1234" and inst.loc["T1", "phone"] is None
    assert inst.loc["H1", "parent_id"] is None
    members = ds.tables["members"].set_index("id")
    assert members.loc["M2", "roles"] == ["secretary", "family_doctor", "expert", "宣传委员"]
    assert members.loc["M3", "roles"] is None
    orgs = ds.tables["party_orgs"].set_index("id")
    assert orgs.loc["O3", "institution_ids"] == ["T2", "V3"]
    links = ds.tables["links"]
    assert links["count"].tolist() == [12, 30, 8, 0, 1]
    assert links["type"].tolist() == ["referral"] * 4 + ["liaison"]
    assert ds.tables["services"]["stage"].tolist() == ["delivery", "prenatal_care"]
    assert ds.tables["institutions"]["_row"].tolist() == [2, 3, 4, 5, 6, 7]
    assert ds.files["institutions"] == "institutions.csv"


# -- suggestions a planner can follow ---------------------------------------------------
from orgnet.loaders.validate import _suggestion, vocabulary_values  # noqa: E402
from orgnet.graphmodel.schema import (  # noqa: E402
    INSTITUTION_KIND_ALIASES, INSTITUTION_KINDS, LINK_TYPE_ALIASES, MEMBER_STATUS_ALIASES,
    canonical_value,
)


@pytest.mark.parametrize("value, key", [("村卫生站", "village_clinic"),
                                        ("镇卫生所", "township_health_center"),
                                        ("乡卫生室", "township_health_center"),
                                        ("县人民医", "county_hospital")])
def test_a_level_word_keeps_the_suggested_kind_at_its_level(value, key):
    hint = _suggestion(INSTITUTION_KIND_ALIASES, value)["hint"]
    assert hint.startswith("; did you mean") and hint.endswith(f"({key})?")


def test_equally_close_kinds_of_two_levels_are_asked_about_not_guessed():
    fields = _suggestion(INSTITUTION_KIND_ALIASES, "卫生站")
    assert fields["hint"] == ("; which level is it: '卫生室' (village_clinic, village) or "
                              "'卫生院' (township_health_center, township)?")
    assert fields["hint_zh"] == "；属于哪一级：“村卫生室”（村级）还是“乡镇卫生院”（乡镇级）？"


def test_no_suggested_kind_ever_changes_the_level_of_a_level_word():
    # every accepted spelling, with one character dropped, is suggested within its level
    for spelling, key in INSTITUTION_KIND_ALIASES.items():
        if spelling.isascii() or len(spelling) < 4:
            continue
        hint = _suggestion(INSTITUTION_KIND_ALIASES, spelling[:-1] + "x")["hint"]
        for other, other_key in INSTITUTION_KIND_ALIASES.items():
            if f"({other_key})" in hint or f"({other_key}," in hint:
                levels = {INSTITUTION_KINDS[key].level, INSTITUTION_KINDS[other_key].level}
                assert len(levels) == 1 or "which level" in hint, (spelling, hint)


def test_zh_hints_list_and_name_chinese_values_that_validate():
    values = vocabulary_values(MEMBER_STATUS_ALIASES, "zh")
    assert values[:2] == ["正式党员", "预备党员"]
    assert _suggestion(MEMBER_STATUS_ALIASES, "xyz")["hint_zh"] == "；应为以下之一：" + "、".join(values)
    assert _suggestion(MEMBER_STATUS_ALIASES, "正式党")["hint_zh"] == "；是否应为“正式党员”？"
    for aliases in (INSTITUTION_KIND_ALIASES, LINK_TYPE_ALIASES, MEMBER_STATUS_ALIASES):
        keys = vocabulary_values(aliases)
        assert [canonical_value(aliases, v) for v in vocabulary_values(aliases, "zh")] == keys


# ---------------------------------------------------------------------------
# The united-front layer (v1.1): near misses that must pass
# ---------------------------------------------------------------------------
def test_united_front_rows_that_follow_the_rules_load(tmp_path, tiny_tables):
    tiny_tables["institutions"].append(
        {"id": "S1", "name": "东镇统战工作联络站", "kind": "统战工作联络站", "region_id": "R2"})
    tiny_tables["institutions"].append({"id": "A1", "name": "县新联会", "kind": "新联会"})
    tiny_tables["members"] += [
        {"id": "M7", "name": "周医生", "status": "民主党派", "institution_id": "T1",
         "roles": "党外代表人士、专家"},
        {"id": "M8", "name": "吴干事", "status": "中共预备党员", "org_id": "O1",
         "institution_id": "H1", "roles": "统战干事"},
        {"id": "M9", "name": "郑委员", "status": "中共党员", "org_id": "O1",
         "institution_id": "H1", "roles": "统战委员"},
    ]
    tiny_tables["links"] += [
        {"source_id": "M1", "target_id": "M7", "type": "联谊交友"},      # full member -> person
        {"source_id": "M8", "target_id": "A1", "type": "挂点联系"},       # probationary -> institution
        {"source_id": "O1", "target_id": "M7", "type": "联系交友", "count": "0"},   # org -> person
    ]
    G = load_graph(write_csv_tables(tmp_path / "uf", tiny_tables))
    assert G.nodes["S1"]["kind"] == "united_front_station" and G.nodes["S1"]["level"] == "township"
    assert G.nodes["A1"]["kind"] == "association" and G.nodes["A1"]["level"] == "county"
    assert G.nodes["M7"]["roles"] == ["representative", "expert"]
    assert G.nodes["M8"]["status"] == "probationary" and G.nodes["M9"]["status"] == "full"
    assert G.nodes["M8"]["roles"] == ["united_front_officer"]
    assert G.nodes["M9"]["roles"] == ["united_front_member"]
    assert sorted(d["link_type"] for _, _, d in G.edges(data=True) if "link_type" in d
                  and d["link_type"] == "contact") == ["contact"] * 3


@pytest.mark.parametrize("value", ["卫生所", "村卫生所"])
def test_wei_sheng_suo_is_a_village_clinic_never_a_township_center(tmp_path, tiny_tables, value):
    _set("institutions", "V2", kind=value)(tiny_tables)
    G = load_graph(write_csv_tables(tmp_path / "wss", tiny_tables))
    assert (G.nodes["V2"]["kind"], G.nodes["V2"]["level"]) == ("village_clinic", "village")


@pytest.mark.parametrize("value, status", [("中共党员", "full"), ("党员", "full"),
                                           ("中共预备党员", "probationary")])
def test_planner_status_aliases(tmp_path, tiny_tables, value, status):
    _set("members", "M3", status=value)(tiny_tables)
    G = load_graph(write_csv_tables(tmp_path / "st", tiny_tables))
    assert G.nodes["M3"]["status"] == status


def test_representative_role_on_an_activist_is_an_error_too(tmp_path, tiny_tables):
    _set("members", "M6", status="入党积极分子", roles="代表人士")(tiny_tables)
    err = _problems(tmp_path, tiny_tables)
    assert [p.code for p in err.problems] == ["representative-status"]
    assert err.problems[0].line("zh") == (
        "members.csv:7: 列“roles”：“党外代表人士”只用于党外人士，但该人员的政治面貌为“入党积极分子”；"
        "请删除该职务或更正政治面貌")


def test_contact_errors_in_chinese(tmp_path, tiny_tables):
    _link(4, source_id="M6", type="联谊交友")(tiny_tables)
    err = _problems(tmp_path, tiny_tables)
    assert err.problems[0].line("zh") == (
        "links.csv:6: 列“source_id”：联谊交友关系应从党组织或正式党员、预备党员出发；"
        "“M6”是政治面貌为“群众”的人员")


def _cyclic_by_walking(ids, parents) -> list[bool]:
    """Whether each id's chain of parents comes back to an id seen before (a cycle)."""
    parent = dict(zip(ids, parents))
    out = []
    for start in ids:
        seen, node = set(), start
        while node in parent and node not in seen:
            seen.add(node)
            node = parent[node]
        out.append(node in seen)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_ids_leading_into_a_cycle_are_the_ones_a_walk_finds(seed):
    import random

    import numpy as np

    from orgnet.loaders.validate import _in_cycles

    rng = random.Random(seed)
    size = rng.choice([1, 5, 60, 700])
    ids = [f"N{i}" for i in range(size)]
    # parents: mostly other ids (cycles and chains into them), some roots and unknown ids
    parents = [rng.choice(ids) if rng.random() < 0.85 else rng.choice(["", "X1", "X2"])
               for _ in ids]
    found = _in_cycles(np.array(ids, dtype=object), np.array(parents, dtype=object))
    assert found.tolist() == _cyclic_by_walking(ids, parents)


@pytest.mark.parametrize("container", ["csv", "xlsx", "json"])
def test_raw_and_validated_frames_are_writable_and_independent(tmp_path, container):
    from conftest import TINY, write_json_tables, write_xlsx_tables
    from orgnet.loaders import read_raw
    from orgnet.loaders.validate import validate_dataset

    write = {"csv": write_csv_tables, "xlsx": write_xlsx_tables, "json": write_json_tables}
    path = write[container](tmp_path / ("tiny" if container == "csv" else f"tiny.{container}"),
                            TINY)
    raw = read_raw(path)
    before = {t: raw.tables[t].frame.copy() for t in raw.tables}
    dataset = validate_dataset(raw)
    for frame in dataset.tables.values():
        for column in frame.columns:
            frame.loc[0, column] = 999 if column in ("_row", "count") else "changed"
    for table, frame in before.items():
        assert raw.tables[table].frame.equals(frame), table
    for t in raw.tables.values():
        for column in t.frame.columns:
            t.frame.loc[0, column] = 999 if column == "_row" else "changed"
            assert t.frame[column].iloc[0] == (999 if column == "_row" else "changed")
