"""The Neo4j check runner without a server: query files, parameters, row conversion.

A fake driver records every query and its parameters and answers with canned
rows; the unit-network projection is checked against the embedded
``unit_network`` on the tiny dataset.  The live parity tests are in
``test_parity_live.py`` (marker ``neo4j``).
"""

from __future__ import annotations

import copy
import dataclasses
import re
import tempfile
from pathlib import Path

import networkx as nx
import pytest

from conftest import TINY, write_csv_tables
from orgnet.graphmodel import schema
from orgnet.graphmodel.embedded import link_institutions, links, unit_network
from orgnet.graphmodel.schema import DEFAULT_SETTINGS, INSTITUTION, MEMBER, Settings
from orgnet.loaders import load_graph
from orgnet.queries import neo4j_checks as nc
from orgnet.queries.catalog import CHECK_IDS, render

HELPER_QUERIES = ("unit_network", "unit_network.nodes") + nc.SUMMARY_QUERIES
ALL_QUERIES = CHECK_IDS + HELPER_QUERIES

def tiny_graph():
    """The TINY dataset of tests/conftest.py as the loader reads it, plus a pairing
    from a party org to a non-party member (so an org endpoint reaches the network)."""
    tables = copy.deepcopy(TINY)
    tables["links"].append({"source_id": "O2", "target_id": "M6", "type": "pairing"})
    with tempfile.TemporaryDirectory() as directory:
        return load_graph(write_csv_tables(Path(directory) / "tiny", tables))


#: values some evidence fields take (target_reason, direction)
EVIDENCE_WORDS = {"parent", "area", "region", "up", "down"}


#: A network where the checks TINY and the generator leave quiet fire too: an empty
#: group, an unattached member, a too wide joint branch, an orphan branch outside the
#: community's leadership, a school with three full members and no branch.
GAPS = {
    "regions": [
        {"id": "C1", "name": "南县", "level": "county"},
        {"id": "S1", "name": "北镇", "level": "township", "parent_id": "C1"},
        {"id": "S2", "name": "河镇", "level": "township", "parent_id": "C1"},
        # the united-front layer (7b)
        {"id": "S3", "name": "山镇", "level": "township", "parent_id": "C1"},
        {"id": "VR1", "name": "北镇甲村", "level": "village", "parent_id": "S1"},
        {"id": "VR2", "name": "山镇丙村", "level": "village", "parent_id": "S3"},
    ],
    "institutions": [
        {"id": "H9", "name": "南县医院", "kind": "county_hospital", "region_id": "C1"},
        {"id": "T9", "name": "北镇卫生院", "kind": "township_health_center", "region_id": "S1", "parent_id": "H9"},
        {"id": "V9", "name": "甲村卫生室", "kind": "village_clinic", "region_id": "S1", "parent_id": "T9"},
        {"id": "V8", "name": "乙村卫生室", "kind": "village_clinic", "region_id": "S1", "parent_id": "T9"},
        *[{"id": f"W{k}", "name": f"河{k}村卫生室", "kind": "village_clinic", "region_id": "S2",
           "parent_id": "T9"} for k in range(1, 7)],
        {"id": "X1", "name": "河镇中学", "kind": "school", "region_id": "S2"},
        {"id": "U1", "name": "北镇统战工作联络站", "kind": "united_front_station", "region_id": "S1"},
        {"id": "U2", "name": "甲村统战联络点", "kind": "united_front_station", "level": "village",
         "region_id": "VR1", "parent_id": "T9"},
        {"id": "U3", "name": "丙村统战联络点", "kind": "united_front_station", "level": "village",
         "region_id": "VR2"},
        {"id": "U4", "name": "北镇甲村网格联络点", "kind": "united_front_station", "level": "village",
         "region_id": "VR1", "parent_id": "U1"},
        {"id": "AS1", "name": "南县新联会", "kind": "association", "region_id": "C1"},
    ],
    "party_orgs": [
        {"id": "P1", "name": "南县医院党委", "kind": "committee", "institution_ids": "H9"},
        {"id": "P2", "name": "北镇卫生院党支部", "kind": "branch", "institution_ids": "T9"},
        {"id": "P3", "name": "河镇联合党支部", "kind": "joint_branch", "parent_id": "P1",
         "institution_ids": "W1;W2;W3;W4;W5;W6;X1"},
        {"id": "P4", "name": "北镇党小组", "kind": "group", "parent_id": "P2"},
        {"id": "P5", "name": "甲村党总支", "kind": "general_branch", "parent_id": "P1", "institution_ids": "V9"},
    ],
    "members": [
        {"id": "A1", "name": "赵一", "status": "full", "org_id": "P1", "institution_id": "H9", "roles": "secretary"},
        {"id": "A2", "name": "钱二", "status": "full", "institution_id": "V8"},
        {"id": "A3", "name": "孙三", "status": "full", "org_id": "P3", "institution_id": "X1"},
        {"id": "A4", "name": "李四", "status": "full", "org_id": "P3", "institution_id": "X1", "roles": "committee_member"},
        {"id": "A5", "name": "周五", "status": "full", "org_id": "P3", "institution_id": "X1"},
        {"id": "A6", "name": "吴六", "status": "probationary", "org_id": "P2", "institution_id": "T9"},
        {"id": "A7", "name": "郑七", "status": "full", "org_id": "P5", "institution_id": "V9", "roles": "deputy_secretary"},
        {"id": "D1", "name": "冯医生", "status": "democratic_party", "institution_id": "H9",
         "roles": "representative;expert", "affiliation": "民盟"},
        {"id": "D2", "name": "陈医生", "status": "independent", "institution_id": "V8", "roles": "representative"},
        {"id": "D3", "name": "褚医生", "status": "non_party", "institution_id": "W1", "roles": "representative"},
        {"id": "D4", "name": "卫医生", "status": "non_party", "institution_id": "W2"},
        {"id": "D5", "name": "蒋站长", "status": "non_party", "institution_id": "U3", "roles": "representative"},
    ],
    "links": [
        {"source_id": "V9", "target_id": "H9", "type": "referral", "count": "4"},
        {"source_id": "T9", "target_id": "H9", "type": "referral", "count": "2"},
        {"source_id": "H9", "target_id": "T9", "type": "referral", "count": "1"},
        {"source_id": "V8", "target_id": "T9", "type": "referral", "count": "3"},
        {"source_id": "A1", "target_id": "W1", "type": "liaison"},
        {"source_id": "P3", "target_id": "T9", "type": "pairing"},
        {"source_id": "W2", "target_id": "W3", "type": "assistance", "count": "0"},
        {"source_id": "A1", "target_id": "D1", "type": "contact", "count": "2"},
        {"source_id": "A1", "target_id": "D2", "type": "contact", "count": "0"},
        {"source_id": "P2", "target_id": "D1", "type": "contact"},
        *[{"source_id": "A1", "target_id": t, "type": "contact"}
          for t in ("T9", "V9", "V8", "W2", "W3", "W2", "AS1")],
    ],
    "services": [
        {"institution_id": "H9", "stage": "delivery", "coordinator_org_id": "P1"},
        {"institution_id": "V9", "stage": "child_health"},
        {"institution_id": "X1", "stage": "pre_pregnancy"},
    ],
}

#: settings under which the size checks fire on GAPS too
TIGHT = Settings(branch_max_members=2, branch_committee_min_full_members=3)


def _body(query: str) -> str:
    """The query without comments and string literals."""
    query = re.sub(r"//[^\n]*", "", query)
    return re.sub(r"'[^']*'", "''", query)


# ---------------------------------------------------------------------------
# The query files
# ---------------------------------------------------------------------------
def test_every_check_id_has_a_cypher_file():
    files = {p.name[:-len(".cypher")] for p in nc.CYPHER_DIR.glob("*.cypher")}
    assert files == set(ALL_QUERIES)


@pytest.mark.parametrize("name", ALL_QUERIES)
def test_query_uses_only_schema_labels_and_types(name):
    body = _body(nc.query_text(name))
    names = set()
    for group in re.findall(r"(?<=[\w)]):`?([A-Z][A-Za-z_]*(?:\|[A-Z][A-Za-z_]*)*)", body):
        names.update(group.split("|"))
    assert names, "a query that names no label"
    allowed = set(schema.ENTITY_LABELS) | {schema.STAGE, schema.DATASET_LABEL} | set(schema.REL_TYPES)
    assert names <= allowed, names - allowed
    assert "apoc." not in body.lower() and "gds." not in body.lower()


@pytest.mark.parametrize("name", ALL_QUERIES)
def test_query_string_literals_are_schema_vocabulary(name):
    vocabulary = (set(schema.INSTITUTION_KINDS) | set(schema.LEVELS) | set(schema.ORG_KINDS)
                  | set(schema.MEMBER_STATUSES) | set(schema.ROLES) | set(schema.LINK_TYPES)
                  | set(schema.STAGES) | EVIDENCE_WORDS | {""})
    literals = re.findall(r"'([^']*)'", re.sub(r"//[^\n]*", "", nc.query_text(name)))
    assert set(literals) <= vocabulary, set(literals) - vocabulary


@pytest.mark.parametrize("name", ALL_QUERIES)
def test_query_header_documents_it_and_its_parameters(name):
    text = nc.query_text(name)
    header = "\n".join(line for line in text.splitlines() if line.startswith("//"))
    assert header.startswith(f"// {name}")
    for parameter in nc.parameter_names(text):
        assert f"${parameter}" in header, f"${parameter} not documented"
    assert "$dataset" in text and "OrgnetDataset {name: $dataset}" in text


@pytest.mark.parametrize("check_id", [c for c in CHECK_IDS if c not in nc.CLIENT_SIDE_CHECKS
                                      or c in ("connectivity.isolated_unit",
                                               "connectivity.single_link_unit")])
def test_check_query_returns_subject_and_evidence(check_id):
    body = _body(nc.query_text(check_id))
    assert re.search(r"\bAS subject\b", body) and re.search(r"\bAS evidence\b", body)


def test_thresholds_are_named_like_settings_fields():
    fields = {f.name for f in dataclasses.fields(Settings)}
    used = set()
    for name in ALL_QUERIES:
        used |= set(nc.parameter_names(nc.query_text(name)))
    assert fields <= used   # every threshold reaches some query
    assert used <= set(nc.browser_parameters("x"))


def test_upward_rounds_match_the_levels():
    # referral.broken_chain follows upward referrals breadth-first: one round per level
    # climbed, so len(LEVELS) - 1 rounds reach every institution an upward path reaches
    rounds = re.findall(r"^// round (\d+)$", nc.query_text("referral.broken_chain"), re.M)
    assert rounds == [str(k) for k in range(1, len(schema.LEVELS))]


def test_parameters_are_exactly_those_used():
    query = nc.query_text("structure.no_branch_committee")
    params = nc.query_parameters(query, "县", Settings(branch_committee_min_size=4))
    assert params == {
        "dataset": "县", "branch_kinds": sorted(schema.BRANCH_KINDS),
        "branch_committee_roles": sorted(schema.BRANCH_COMMITTEE_ROLES),
        "branch_committee_min_full_members": 7, "branch_committee_min_size": 4,
    }


def test_unknown_parameter_is_refused():
    with pytest.raises(nc.Neo4jCheckError, match="unknown Cypher parameter.*nonsense"):
        nc.query_parameters("RETURN $nonsense", "x")


def test_missing_query_file_is_a_clear_error():
    with pytest.raises(nc.Neo4jCheckError, match="no Cypher query 'nope'"):
        nc.query_text("nope")


def test_browser_parameters_come_from_schema():
    params = nc.browser_parameters("x")
    assert params["health_kinds"] == sorted(schema.HEALTH_KINDS)
    assert params["stages"] == list(schema.STAGES)
    assert params["level_rank"] == {lv: schema.level_rank(lv) for lv in schema.LEVELS}
    assert params["branch_max_members"] == DEFAULT_SETTINGS.branch_max_members


# ---------------------------------------------------------------------------
# Rows -> hits, rows -> unit network
# ---------------------------------------------------------------------------
def test_rows_become_sorted_hits_with_pair_maps():
    rows = [
        {"subject": ["V2"], "evidence": {"name": "王村", "names": [["V2", "王村"], ["T1", "卫生院"]]}},
        {"subject": ["V1"], "evidence": {"name": "李村", "break_at": ["T1"]}},
    ]
    assert nc.hits_from_rows(rows) == [
        (("V1",), {"name": "李村", "break_at": ["T1"]}),
        (("V2",), {"name": "王村", "names": {"V2": "王村", "T1": "卫生院"}}),
    ]


def test_empty_rows_give_no_hits():
    assert nc.hits_from_rows([]) == []


def _store_rows(G):
    """The rows the projection queries return on G as stored by the Neo4j store."""
    node_rows = [
        {"id": n, "properties": {**{k: v for k, v in d.items() if k != "label"},
                                 "id": n, "dataset": "tiny", "graph": "tiny#1"}}
        for n, d in G.nodes(data=True) if d["label"] == INSTITUTION
        and d.get("kind") not in schema.UNITED_FRONT_KINDS     # unit_network.nodes.cypher
    ]
    link_rows = []
    for source, target, data in links(G):
        if data["link_type"] == "contact":                     # no CONTACT in the projection
            continue
        link_rows.append({
            "link_index": data["link_index"],
            "source_units": link_institutions(G, source),
            "target_units": link_institutions(G, target),
            "members": [{"id": e, "name": G.nodes[e]["name"]} for e in (source, target)
                        if G.nodes[e]["label"] == MEMBER],
        })
    return node_rows, link_rows


def _store_columns(G):
    """The one row of columns each projection query returns on G (unit_network*.cypher)."""
    node_rows, link_rows = _store_rows(G)
    node_rows.sort(key=lambda r: r["id"])
    link_rows.sort(key=lambda r: r["link_index"])
    nodes = {"id": [r["id"] for r in node_rows], "properties": [r["properties"] for r in node_rows]}
    links = {"link_index": [r["link_index"] for r in link_rows],
             "source_units": [r["source_units"] for r in link_rows],
             "target_units": [r["target_units"] for r in link_rows],
             "members": [[r["link_index"], [[m["id"], m["name"]] for m in r["members"]]]
                         for r in link_rows if r["members"]]}
    return nodes, links


def _same_network(A: nx.Graph, B: nx.Graph):
    assert dict(A.nodes(data=True)) == dict(B.nodes(data=True))
    assert {frozenset(e[:2]): e[2] for e in A.edges(data=True)} == \
           {frozenset(e[:2]): e[2] for e in B.edges(data=True)}


def test_projection_rebuilds_the_embedded_unit_network(make_graph):
    G = tiny_graph()
    node_rows, link_rows = _store_rows(G)
    U = nc.unit_network_from_rows(reversed(node_rows), reversed(link_rows))
    _same_network(U, unit_network(G))
    assert U.edges["T1", "V2"]["links"] == {5}          # the org covers T1 and V1
    assert U.degree("V3") == 0                          # its only link has count 0


@pytest.mark.parametrize("which", ["tiny", "gaps", "generated"])
def test_projection_gives_the_connectivity_hits(which, make_graph, generated_graph):
    from orgnet.queries import connectivity  # noqa: F401  (registers the checks)

    G = {"tiny": lambda: tiny_graph(),
         "gaps": lambda: make_graph(GAPS, "gaps"),
         "generated": lambda: generated_graph}[which]()
    node_rows, link_rows = _store_rows(G)
    network = nc.unit_network_from_rows(node_rows, link_rows)
    _same_network(network, unit_network(G))
    members, names = nc.link_members_from_rows(link_rows)
    assert members == connectivity.link_member_endpoints(G)
    fired = 0
    for check_id in nc.CLIENT_SIDE_CHECKS:
        expected = connectivity_check(check_id)(G, DEFAULT_SETTINGS)
        assert nc.client_side_hits(check_id, network, members, names) == expected, check_id
        fired += bool(expected)
    assert fired >= 2
    # the arrays the runner projects give the same hits, in any row order
    arrays = nc.unit_arrays_from_rows(reversed(node_rows), reversed(link_rows))
    assert arrays.link_members == members
    for check_id in nc.CLIENT_SIDE_CHECKS:
        expected = connectivity_check(check_id)(G, DEFAULT_SETTINGS)
        assert nc.client_side_hits(check_id, arrays, arrays.link_members, names) == expected, check_id
    # ... and so do the columns the projection queries actually return (what the runner reads)
    node_columns, link_columns = _store_columns(G)
    columnar, column_names = nc.unit_arrays_from_columns(node_columns, link_columns)
    assert columnar.link_members == members and column_names == names
    assert (columnar.ids, list(columnar.eu), list(columnar.ev)) == \
        (arrays.ids, list(arrays.eu), list(arrays.ev))
    for check_id in nc.CLIENT_SIDE_CHECKS:
        expected = connectivity_check(check_id)(G, DEFAULT_SETTINGS)
        assert nc.client_side_hits(check_id, columnar, members, column_names) == expected, check_id
    # the columns hold the rows: converted back, they are the rows in link order
    assert nc.link_rows_from_columns(link_columns) == sorted(link_rows, key=lambda r: r["link_index"])
    assert nc.node_rows_from_columns(node_columns) == sorted(node_rows, key=lambda r: r["id"])


def connectivity_check(check_id):
    from orgnet.queries.catalog import CATALOG

    return CATALOG[check_id].function


def test_empty_projection_is_an_empty_network():
    U = nc.unit_network_from_rows([], [])
    assert U.number_of_nodes() == 0
    assert nc.client_side_hits("connectivity.cut_unit", U, {}, {}) == []


# ---------------------------------------------------------------------------
# The runner against a fake driver
# ---------------------------------------------------------------------------
class FakeResult:
    def __init__(self, rows):
        self._rows = rows

    def data(self):
        return [dict(r) for r in self._rows]

    def single(self):
        """The projection queries answer one row of columns (a dict here)."""
        return self._rows if isinstance(self._rows, dict) else (
            dict(self._rows[0]) if self._rows else None)


class FakeTx:
    def __init__(self, driver):
        self.driver = driver

    def run(self, query, parameters=None, **kw):
        self.driver.calls.append((query, dict(parameters or {})))
        return FakeResult(self.driver.answer(query))


class FakeSession:
    def __init__(self, driver, **config):
        self.driver = driver
        driver.sessions.append(config)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute_read(self, work, *args, **kwargs):
        self.driver.read_transactions += 1
        return work(FakeTx(self.driver), *args, **kwargs)


class FakeRecords:
    def __init__(self, records):
        self.records = records


class FakeDriver:
    """Answers the store's dataset lookup and each query file with canned rows."""

    def __init__(self, rows_by_query, live=True):
        self.rows_by_query = rows_by_query
        self.live = live
        self.calls = []
        self.sessions = []
        self.read_transactions = 0

    def answer(self, query):
        for name, rows in self.rows_by_query.items():
            if query == nc.query_text(name):
                return rows
        return []

    def session(self, **config):
        return FakeSession(self, **config)

    def execute_query(self, query, parameters=None, **kw):
        self.calls.append((query, dict(parameters or {})))
        assert kw.get("database_") == "orgdb"
        if "RETURN properties(d) AS props" in query and self.live:  # the dataset node
            return FakeRecords([{"props": {"name": "tiny", "graph": "tiny#1", "hash": "h",
                                           "pending": []}}])
        return FakeRecords([])


def test_runner_sends_each_file_with_exact_parameters_in_one_read_transaction():
    import neo4j

    settings = Settings(branch_min_full_members=4)
    driver = FakeDriver({})
    hits = nc.check_hits_neo4j(driver, "orgdb", "tiny", settings=settings,
                               only=["structure.branch_too_small", "coverage"])
    assert set(hits) == {"structure.branch_too_small", "coverage.uncovered_institution",
                         "coverage.empty_org", "coverage.unattached_member"}
    assert driver.sessions == [{"database": "orgdb", "default_access_mode": neo4j.READ_ACCESS}]
    assert driver.read_transactions == 1
    sent = {q: p for q, p in driver.calls}
    query = nc.query_text("structure.branch_too_small")
    assert sent[query] == {"dataset": "tiny", "branch_kinds": sorted(schema.BRANCH_KINDS),
                           "branch_min_full_members": 4}
    assert sent[nc.query_text("coverage.uncovered_institution")] == {
        "dataset": "tiny", "health_kinds": sorted(schema.HEALTH_KINDS),
        "joint_branch_max_units": 5,
        "org_join_rank": {"branch": 0, "joint_branch": 0, "general_branch": 1, "committee": 2,
                          "working_committee": 2, "group": 3, "temporary_group": 3}}


def test_runner_projects_the_unit_network_once_for_all_connectivity_checks(make_graph):
    G = tiny_graph()
    node_columns, link_columns = _store_columns(G)
    driver = FakeDriver({"unit_network.nodes": node_columns, "unit_network": link_columns})
    hits = nc.check_hits_neo4j(driver, "orgdb", "tiny", only=["connectivity"])
    projections = [q for q, _ in driver.calls if q == nc.query_text("unit_network")]
    assert len(projections) == 1
    assert hits["connectivity.isolated_unit"] == [
        h for h in connectivity_check("connectivity.isolated_unit")(G, DEFAULT_SETTINGS)]


def test_rows_become_the_findings_render_gives():
    from orgnet.queries import coverage  # noqa: F401  (registers the checks)

    evidence = {"name": "空支部", "kind": "branch", "parent": "O1", "parent_name": "党委",
                "institutions": []}
    driver = FakeDriver({"coverage.empty_org": [{"subject": ["O9"], "evidence": evidence}]})
    hits = nc.check_hits_neo4j(driver, "orgdb", "tiny", only=["coverage.empty_org"])
    (subject, got), = hits["coverage.empty_org"]
    for lang in ("en", "zh"):
        assert render("coverage.empty_org", subject, got, lang) == \
               render("coverage.empty_org", ("O9",), evidence, lang)


def test_dataset_not_loaded_is_a_clear_error():
    driver = FakeDriver({}, live=False)
    with pytest.raises(nc.Neo4jCheckError, match="no dataset 'tiny' in Neo4j database 'orgdb'"):
        nc.check_hits_neo4j(driver, "orgdb", "tiny")
    assert driver.sessions == []


def test_driver_errors_are_wrapped():
    from neo4j.exceptions import ServiceUnavailable

    class DownDriver(FakeDriver):
        def execute_query(self, *a, **kw):
            raise ServiceUnavailable("Couldn't connect to localhost:7687")

    with pytest.raises(nc.Neo4jCheckError, match="cannot reach Neo4j") as info:
        nc.check_hits_neo4j(DownDriver({}), "orgdb", "tiny")
    assert isinstance(info.value.__cause__, ServiceUnavailable)


def test_unknown_check_name_is_refused_before_any_query():
    driver = FakeDriver({})
    with pytest.raises(nc.QueryError, match="unknown check or family: nonsense"):
        nc.check_hits_neo4j(driver, "orgdb", "tiny", only=["nonsense"])
    assert driver.calls == []


@pytest.mark.parametrize("check_id", ["connectivity.disconnected_component", "connectivity.cut_unit",
                                      "connectivity.bridge_link", "connectivity.single_liaison"])
def test_algorithm_checks_hold_the_unit_network_projection(check_id):
    assert _body(nc.query_text(check_id)).strip() == _body(nc.query_text("unit_network")).strip()


# ---------------------------------------------------------------------------
# The documented evidence keys are the embedded checks' keys, in their order
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def generated_graph(tmp_path_factory):
    from orgnet.loaders import load_graph
    from orgnet.loaders.generate import generate_dataset

    out = tmp_path_factory.mktemp("generated")
    generate_dataset(out, counties=2, seed=3, leapfrog_share=0.2, gap_share=1.0)
    return load_graph(out)


def test_documented_evidence_keys_are_the_embedded_ones(generated_graph, make_graph):
    from orgnet.queries.catalog import CATALOG, load_checks

    load_checks()
    fired = set()
    graphs = (generated_graph, tiny_graph(), make_graph(GAPS, "gaps"))
    for G in graphs:
        for settings in (DEFAULT_SETTINGS, TIGHT):
            for check_id in CHECK_IDS:
                keys = nc.evidence_keys(nc.query_text(check_id))
                if keys is None:
                    assert check_id in nc.CLIENT_SIDE_CHECKS
                    continue
                for _, evidence in CATALOG[check_id].function(G, settings):
                    assert list(evidence) == keys, check_id
                    fired.add(check_id)
    documented = {c for c in CHECK_IDS if nc.evidence_keys(nc.query_text(c)) is not None}
    assert fired == documented


# ---------------------------------------------------------------------------
# The summary: rows of the summary queries -> queries.runner.summarize's dict
# ---------------------------------------------------------------------------
def _summary_rows(G):
    """What the summary.* queries return on G as stored (computed here from G)."""
    from collections import Counter

    from orgnet.queries.runner import own_branch_institutions

    nodes = Counter()
    for _, data in G.nodes(data=True):
        label = data["label"]
        value = data.get("status") if label == MEMBER else \
            None if label == schema.REGION else data.get("kind")
        nodes[(label, value)] += 1
    link_groups = Counter()
    totals = Counter()
    for source, target, data in links(G):
        levels = tuple(G.nodes[n].get("level") if G.nodes[n]["label"] == INSTITUTION else None
                       for n in (source, target))
        key = (data["type"], *levels)
        link_groups[key] += 1
        totals[key] += data.get("count", 1)
    own = own_branch_institutions(G)
    liaison_targets = {v for _, v, _ in links(G, link_type="liaison")}
    coverage = [
        {"id": n, "kind": d["kind"], "covered": any(k == schema.COVERS for _, _, k in G.in_edges(n, keys=True)),
         "own_branch": n in own, "reached": n in liaison_targets}
        for n, d in G.nodes(data=True)
        if d["label"] == INSTITUTION and d.get("kind") in schema.HEALTH_KINDS
    ]
    return {
        "summary.nodes": [{"label": label, "value": value, "count": n}
                          for (label, value), n in nodes.items()],
        "summary.links": [{"rel_type": k[0], "source_level": k[1], "target_level": k[2],
                           "rows": n, "total": totals[k]} for k, n in link_groups.items()],
        "summary.services": [{"services": len(G.graph["services"])}],
        "summary.coverage": coverage,
        "summary.united_front": _united_front_facts(G),
    }


def _united_front_facts(G):
    """summary.united_front.cypher's rows, computed by plain walks over G."""
    def up(node, rel):
        chain = [node]
        while True:
            nxt = [v for _, v, k in G.out_edges(chain[-1], keys=True) if k == rel]
            if not nxt:
                return chain
            chain.append(nxt[0])

    def at_level(region, level):
        if region is None:
            return None
        return next((r for r in up(region, schema.REGION_PARENT)
                     if G.nodes[r]["level"] == level), None)

    stations = {r for n, d in G.nodes(data=True) if d.get("kind") == "united_front_station"
                for _, reg, k in G.out_edges(n, keys=True) if k == schema.IN_REGION
                for r in up(reg, schema.REGION_PARENT)}
    rows = []
    for n, d in G.nodes(data=True):
        if d["label"] != MEMBER or d["status"] not in schema.NON_PARTY_STATUSES \
                or "representative" not in (d.get("roles") or []):
            continue
        work = [v for _, v, k in G.out_edges(n, keys=True) if k == schema.WORKS_AT]
        region = None
        for unit in (up(work[0], schema.INSTITUTION_PARENT) if work else []):
            found = [v for _, v, k in G.out_edges(unit, keys=True) if k == schema.IN_REGION]
            if found:
                region = found[0]
                break
        township, county = at_level(region, "township"), at_level(region, "county")
        tc = at_level(township, "county")
        rows.append({
            "id": n, "contacted": any(e.get("link_type") == "contact" and e["count"] > 0
                                      for _, _, e in G.in_edges(n, data=True)),
            "county": county, "county_name": county and G.nodes[county]["name"],
            "township": township, "township_county": tc,
            "township_county_name": tc and G.nodes[tc]["name"],
            "township_has_station": township in stations,
        })
    return rows


@pytest.mark.parametrize("which", ["tiny", "gaps", "generated", "empty"])
def test_summary_rows_give_the_runner_summary(which, make_graph, generated_graph):
    from orgnet.queries.runner import run_checks, summarize

    G = {"tiny": lambda: tiny_graph(),
         "gaps": lambda: make_graph(GAPS, "gaps"),
         "generated": lambda: generated_graph,
         "empty": lambda: make_graph({"institutions": []}, "empty")}[which]()
    report = run_checks(G, only=["coverage", "referral"])
    checks = [c for c in CHECK_IDS if c.startswith(("coverage", "referral"))]
    expected = summarize(G, report.findings, checks=checks)
    got = nc.summary_from_rows(G.graph["dataset"], _summary_rows(G), report.findings, checks)
    import json
    assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)


def _returned_evidence_keys(query: str) -> list[str]:
    """The top-level keys of the map literal returned AS evidence."""
    body = _body(query)
    ret = body[body.rindex("AS subject"):body.rindex("AS evidence")]
    start = ret.index("{")
    keys, depth, token = [], 0, ""
    for ch in ret[start:]:
        if ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
        if depth == 1 and ch == ":" and token.strip():
            keys.append(token.strip().split()[-1].lstrip("{,"))
        if depth == 1 and ch in ",{":
            token = ""
        elif depth == 1 and ch != ":":
            token += ch
    return keys


@pytest.mark.parametrize("check_id", [c for c in CHECK_IDS
                                      if nc.evidence_keys(nc.query_text(c)) is not None])
def test_returned_map_has_the_documented_keys_in_order(check_id):
    query = nc.query_text(check_id)
    assert _returned_evidence_keys(query) == nc.evidence_keys(query)


# ---------------------------------------------------------------------------
# Optional: Neo4j's own Cypher 5 linter (syntax and semantic analysis)
# ---------------------------------------------------------------------------
_LINT_SCRIPT = r"""
const fs = require('fs');
const ls = require('@neo4j-cypher/language-support');
const params = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const found = [];
for (const file of process.argv.slice(3)) {
  const query = fs.readFileSync(file, 'utf8');
  for (const d of ls.lintCypherQuery(query, {parameters: params}).diagnostics || []) {
    found.push(file.split('/').pop() + ': ' + d.message);
  }
}
console.log(JSON.stringify(found));
"""


def test_cypher_files_pass_the_neo4j_linter(tmp_path):
    """Set ORGNET_CYPHER_LINTER to a node_modules directory holding
    @neo4j-cypher/language-support (npm) to run Neo4j's linter on every file."""
    import json
    import os
    import shutil
    import subprocess

    modules = os.environ.get("ORGNET_CYPHER_LINTER")
    if not modules or not shutil.which("node"):
        pytest.skip("set ORGNET_CYPHER_LINTER to a node_modules directory with "
                    "@neo4j-cypher/language-support (and have node) to lint the Cypher files")
    script = tmp_path / "lint.cjs"
    script.write_text(_LINT_SCRIPT, encoding="utf-8")
    params = tmp_path / "params.json"
    params.write_text(json.dumps(nc.browser_parameters("demo")), encoding="utf-8")
    files = sorted(str(p) for p in nc.CYPHER_DIR.glob("*.cypher"))
    done = subprocess.run(["node", str(script), str(params), *files], capture_output=True,
                          text=True, env={**os.environ, "NODE_PATH": modules}, timeout=600)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
