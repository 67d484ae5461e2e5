"""The public API: container detection, and the same data through every container."""

from __future__ import annotations

import pytest

from conftest import TINY, write_csv_tables, write_json_tables, write_xlsx_tables
from orgnet.graphmodel.schema import HEADER_ALIASES, TABLE_ALIASES
from orgnet.loaders import DatasetError, dataset_size, load_dataset, load_graph, read_raw

ZH_HEADER = {}
for _zh, _key in HEADER_ALIASES.items():
    ZH_HEADER.setdefault(_key, _zh)
ZH_TABLE = {}
for _zh, _table in TABLE_ALIASES.items():
    ZH_TABLE.setdefault(_table, _zh)


def chinese(tables, every_other=False):
    """Return the tables with Chinese table names and headers (or every other header)."""
    out = {}
    for table, rows in tables.items():
        keys = sorted({k for row in rows for k in row})
        name = {k: ZH_HEADER.get(k, k) if not every_other or i % 2 == 0 else k
                for i, k in enumerate(keys)}
        out[ZH_TABLE[table]] = [{name[k]: v for k, v in row.items()} for row in rows]
    return out


def write(container, tmp_path, tables):
    if container == "csv":
        return write_csv_tables(tmp_path / "tiny", tables)
    if container == "xlsx":
        return write_xlsx_tables(tmp_path / "tiny.xlsx", tables)
    return write_json_tables(tmp_path / "tiny.json", tables)


def dump(G):
    """Everything in a graph, comparable with ==."""
    nodes = sorted((n, sorted(d.items(), key=str)) for n, d in G.nodes(data=True))
    edges = sorted((u, v, str(k), sorted(d.items(), key=str))
                   for u, v, k, d in G.edges(keys=True, data=True))
    return nodes, edges, G.graph


CONTAINERS = ["csv", "xlsx", "json"]


@pytest.fixture
def reference(tmp_path):
    return dump(load_graph(write_csv_tables(tmp_path / "ref", TINY), name="tiny"))


@pytest.mark.parametrize("container", CONTAINERS)
def test_every_container_gives_the_same_graph(tmp_path, reference, container):
    G = load_graph(write(container, tmp_path, TINY), name="tiny")
    assert dump(G) == reference
    assert G.number_of_nodes() == 17


@pytest.mark.parametrize("container", CONTAINERS)
def test_chinese_table_names_and_headers(tmp_path, reference, container):
    G = load_graph(write(container, tmp_path, chinese(TINY)), name="tiny")
    assert dump(G) == reference


@pytest.mark.parametrize("container", CONTAINERS)
def test_mixed_chinese_and_english_headers(tmp_path, reference, container):
    G = load_graph(write(container, tmp_path, chinese(TINY, every_other=True)), name="tiny")
    assert dump(G) == reference


@pytest.mark.parametrize("container", CONTAINERS)
def test_every_container_reports_the_same_problem(tmp_path, tiny_tables, container):
    tiny_tables["institutions"][4]["kind"] = "villageclinic"
    path = write(container, tmp_path, tiny_tables)
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    file = {"csv": "institutions.csv", "xlsx": "tiny.xlsx[institutions]",
            "json": "tiny.json[institutions]"}[container]
    cell = " ([institutions]!C6)" if container == "xlsx" else ""
    assert str(info.value) == (f"{file}:6{cell}: column 'kind': unknown kind 'villageclinic'; "
                               "did you mean 'village_clinic'?")


def test_the_default_name_is_the_stem(tmp_path):
    assert load_dataset(write("xlsx", tmp_path, TINY)).name == "tiny"
    assert load_graph(write("csv", tmp_path, TINY)).graph["dataset"] == "tiny"


def test_a_missing_path(tmp_path):
    with pytest.raises(DatasetError) as info:
        load_dataset(tmp_path / "nowhere")
    assert str(info.value) == f"{tmp_path / 'nowhere'}: no such file or directory"


def test_an_unknown_container(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    assert info.value.problems[0].code == "unknown-container"
    assert str(info.value) == ("data.txt: not a dataset: expected a directory of CSV files, "
                               "an .xlsx workbook or a .json file")


def test_a_single_csv_file_points_to_its_directory(tmp_path):
    directory = write_csv_tables(tmp_path / "tiny", TINY)
    with pytest.raises(DatasetError) as info:
        load_dataset(directory / "institutions.csv")
    assert str(info.value).endswith(
        f"a CSV dataset is the directory holding the table files ({directory})")


def test_progress_reports_every_byte(tmp_path):
    directory = write_csv_tables(tmp_path / "tiny", TINY)
    seen = []
    load_dataset(directory, progress=seen.append)
    assert sum(seen) == dataset_size(directory) > 0


def test_read_raw_keeps_problems_without_raising(tmp_path):
    raw = read_raw(tmp_path / "nowhere")
    assert [p.code for p in raw.problems] == ["no-dataset"]


# ---------------------------------------------------------------------------
# The united-front layer (v1.1) in every container, Chinese headers and aliases
# ---------------------------------------------------------------------------
def _united_front(tables):
    tables["institutions"].append(
        {"id": "S1", "name": "东镇统战工作联络站", "kind": "统战联络站", "region_id": "R2"})
    tables["members"].append({"id": "M7", "name": "周医生", "status": "无党派人士",
                              "institution_id": "T1", "roles": "代表人士"})
    tables["links"].append({"source_id": "M1", "target_id": "M7", "type": "联谊交友",
                            "count": "2"})
    return tables


@pytest.mark.parametrize("container", CONTAINERS + ["gbk"])
def test_the_united_front_layer_in_every_container_with_chinese_headers(tmp_path, tiny_tables,
                                                                        container):
    tables = chinese(_united_front(tiny_tables))
    if container == "gbk":
        path = write_csv_tables(tmp_path / "gbk", tables, encoding="gbk")
    else:
        path = write(container, tmp_path, tables)
    G = load_graph(path, name="tiny")
    assert (G.nodes["S1"]["kind"], G.nodes["S1"]["level"]) == ("united_front_station", "township")
    assert (G.nodes["M7"]["status"], G.nodes["M7"]["roles"]) == ("independent", ["representative"])
    ((_, _, data),) = [e for e in G.edges("M1", data=True) if e[2].get("link_type") == "contact"]
    assert (data["type"], data["count"]) == ("CONTACT", 2)


@pytest.mark.parametrize("container", CONTAINERS + ["gbk"])
def test_the_three_united_front_errors_are_located_in_every_container(tmp_path, tiny_tables,
                                                                      container):
    _united_front(tiny_tables)
    tiny_tables["members"][5]["roles"] = "党外代表人士"         # M6 ok: non_party
    tiny_tables["members"][2]["roles"] = "党外代表人士"         # M3 full: error
    tiny_tables["links"].append({"source_id": "M6", "target_id": "M7", "type": "联谊交友"})
    tiny_tables["links"].append({"source_id": "O1", "target_id": "R1", "type": "联谊交友"})
    tables = chinese(tiny_tables)
    if container == "gbk":
        path = write_csv_tables(tmp_path / "gbk", tables, encoding="gbk")
    else:
        path = write(container, tmp_path, tables)
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    members = {"csv": "人员.csv", "gbk": "人员.csv", "xlsx": "tiny.xlsx[人员]",
               "json": "tiny.json[人员]"}[container]
    links = {"csv": "关系.csv", "gbk": "关系.csv", "xlsx": "tiny.xlsx[关系]",
             "json": "tiny.json[关系]"}[container]
    assert [(p.file, p.row, p.column, p.code) for p in info.value.problems] == [
        (members, 4, "职务", "representative-status"),
        (links, 8, "起点", "contact-source"),
        (links, 9, "终点", "contact-target"),
    ]
