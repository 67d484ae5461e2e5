"""JSON datasets: structure, list cells, malformed files."""

from __future__ import annotations

import json

import pytest

from orgnet.loaders import DatasetError, load_dataset


def _json(tmp_path, document, name="d.json"):
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _error(path) -> list[str]:
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    return str(info.value).splitlines()


INSTITUTIONS = [{"id": "H1", "name": "县医院", "kind": "county_hospital"},
                {"id": "T1", "name": "卫生院", "kind": "卫生院", "parent_id": "H1"}]


def test_list_cells_as_arrays_or_strings(tmp_path):
    path = _json(tmp_path, {
        "institutions": INSTITUTIONS,
        "党组织": [{"编号": "O1", "名称": "党委", "类型": "党委", "所在机构": ["H1", "T1"]},
                 {"id": "O2", "name": "支部", "kind": "branch", "institution_ids": "T1；H1"}],
        "members": [{"id": "M1", "name": "王", "status": "full", "org_id": "O1",
                     "roles": ["书记", "专家"]}],
    })
    dataset = load_dataset(path)
    assert dataset.tables["party_orgs"]["institution_ids"].tolist() == [["H1", "T1"], ["T1", "H1"]]
    assert dataset.tables["members"]["roles"].tolist() == [["secretary", "expert"]]


def test_numbers_and_nulls(tmp_path):
    path = _json(tmp_path, {"institutions": [
        {"id": 101, "name": "县医院", "kind": "county_hospital", "beds": 250.0, "parent_id": None}]})
    row = load_dataset(path).tables["institutions"].iloc[0]
    assert row["id"] == "101" and row["beds"] == "250" and row["parent_id"] is None


def test_an_empty_array_is_an_empty_table(tmp_path):
    dataset = load_dataset(_json(tmp_path, {"institutions": [], "links": []}))
    assert len(dataset.tables["institutions"]) == 0 and len(dataset.tables["links"]) == 0


def test_malformed_json_is_located(tmp_path):
    path = _json(tmp_path, '{"institutions": [\n  {"id": "H1", "name": "a"\n  "kind": "x"}\n]}')
    assert _error(path) == ["d.json:3: cannot read the file: malformed JSON: Expecting ',' "
                            "delimiter (line 3, column 3)"]


def test_an_empty_json_file(tmp_path):
    assert _error(_json(tmp_path, "")) == [
        'd.json: cannot read the file: the file is empty; expected an object like '
        '{"institutions": [...]}']


def test_json_not_in_utf8(tmp_path):
    path = tmp_path / "g.json"
    path.write_bytes('{"institutions": [{"name": "县医院"}]}'.encode("gbk"))
    assert _error(path) == ["g.json:1: cannot read the file: not UTF-8 text (bad byte at 28); "
                            "JSON files must be UTF-8"]


def test_the_top_level_must_be_an_object(tmp_path):
    assert _error(_json(tmp_path, INSTITUTIONS)) == [
        'd.json: the top level must be an object of tables, like {"institutions": [...]}; '
        "got an array"]


def test_a_table_must_be_an_array_of_objects(tmp_path):
    path = _json(tmp_path, {"institutions": INSTITUTIONS + ["H2"], "links": {"a": 1}})
    assert _error(path) == [
        "d.json[links]: a table must be an array of objects; got an object",
        "d.json[institutions]:4: each row must be an object; got a string",
    ]


def test_one_object_giving_a_column_twice(tmp_path):
    path = _json(tmp_path, {"institutions": [
        {"id": "H1", "name": "县医院", "名称": "人民医院", "kind": "county_hospital"}]})
    assert _error(path) == ["d.json[institutions]:2: column '名称': column '名称' means the "
                            "same as column 'name'; keep one"]


def test_a_list_in_a_single_value_column(tmp_path):
    path = _json(tmp_path, {"institutions": [
        {"id": "H1", "name": ["县医院", "人民医院"], "kind": "county_hospital"}]})
    assert _error(path) == [
        "d.json[institutions]:2: column 'name': expected a single text or number, got a list",
        "d.json[institutions]:2: column 'name': required cell is empty"]


def test_a_missing_institutions_key_lists_the_keys(tmp_path):
    assert _error(_json(tmp_path, {"机构表": [], "meta": {}})) == [
        'd.json: missing table \'institutions\' (机构): no key "institutions" or "机构" at the '
        "top level (keys: 机构表, meta)"]
