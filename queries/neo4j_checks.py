"""Run the checks of spec section 7 inside Neo4j.

Every check has a Cypher twin, ``queries/cypher/<check id>.cypher``, that reads
the live version of one dataset (``(:OrgnetDataset {name: $dataset})`` and its
``graph`` property, see :mod:`orgnet.graphmodel.neo4j_store`) and returns rows
``subject`` (list of ids) and ``evidence`` (map) holding the same values as the
embedded check's hits.  The rows are rendered by the same
:func:`orgnet.queries.catalog.render` as the embedded hits, so ``orgnet check --neo4j``
prints what the embedded backend prints.

The connectivity checks need graph algorithms (articulation points, bridges,
components) that standard Cypher does not have.  For them the unit network of
spec section 6 is projected with one query (``cypher/unit_network.cypher``, one
row of columns: a list entry per link row), rebuilt client-side into the same
network as :func:`orgnet.graphmodel.embedded.unit_network` (:mod:`orgnet.queries.unitnet`
arrays), and handed to the same algorithms as the embedded checks.

Everything runs in one read transaction on the named database; Cypher values are
always parameters: ``$dataset``, the vocabulary sets of :mod:`orgnet.graphmodel.schema`
(``$health_kinds``, ``$level_rank`` ...) and the thresholds named like the fields
of :class:`orgnet.graphmodel.schema.Settings` (``$branch_min_full_members`` ...).

Examples
--------
>>> sorted(query_parameters(query_text("structure.branch_too_small"), "demo"))
['branch_kinds', 'branch_min_full_members', 'dataset']
>>> hits_from_rows([{"subject": ["O1"], "evidence": {"name": "支部", "kind": "branch"}}])
[(('O1',), {'name': '支部', 'kind': 'branch'})]
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from itertools import combinations
from pathlib import Path

import networkx as nx

from orgnet.graphmodel.schema import (
    BRANCH_COMMITTEE_ROLES, BRANCH_KINDS, DEFAULT_SETTINGS, EMPTY_CHECK_KINDS, ENTITY_LABELS,
    HEALTH_KINDS, INSTITUTION, LEVELS, ORG_KINDS, ORG_TIERS, OWN_BRANCH_KINDS,
    NON_PARTY_STATUSES, PARTY_MEMBER_STATUSES, SECRETARY_KINDS, STAGE_PROVIDER_KINDS, STAGES,
    TOP_ORG_KINDS, UNITED_FRONT_COMMITTEE_KINDS, UNITED_FRONT_KINDS, UNITED_FRONT_ROLES,
    Settings, level_rank,
)
from orgnet.queries.catalog import QueryError, select_checks

__all__ = [
    "run_checks_neo4j", "Neo4jCheckError", "CYPHER_DIR", "CLIENT_SIDE_CHECKS",
    "query_text", "parameter_names", "query_parameters", "browser_parameters",
    "hits_from_rows", "evidence_keys", "unit_network_from_rows", "unit_arrays_from_rows",
    "summary_from_rows", "link_members_from_rows", "link_rows_from_columns",
    "node_rows_from_columns", "unit_arrays_from_columns",
    "client_side_hits", "check_hits_neo4j", "SUMMARY_QUERIES",
]

#: Where the Cypher twins live: ``<check id>.cypher`` plus the helper queries.
CYPHER_DIR = Path(__file__).with_name("cypher")

#: Connectivity checks computed client-side from the projected unit network (their
#: ``.cypher`` files hold that projection; ``isolated_unit`` and
#: ``single_link_unit`` also have a Cypher-only form for researchers).
CLIENT_SIDE_CHECKS = (
    "connectivity.isolated_unit",
    "connectivity.disconnected_component",
    "connectivity.cut_unit",
    "connectivity.bridge_link",
    "connectivity.single_link_unit",
    "connectivity.single_liaison",
)

#: Evidence keys whose value is a map keyed by ids.  Cypher cannot build a map
#: with computed keys without APOC, so the queries return such a value as a list
#: of ``[key, value]`` pairs and :func:`hits_from_rows` turns it back into a map.
PAIR_MAP_KEYS = frozenset({"names"})

_LOG = logging.getLogger(__name__)
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"//[^\n]*")


class Neo4jCheckError(QueryError):
    """The checks could not run in Neo4j (dataset not loaded, server or query error)."""


# ---------------------------------------------------------------------------
# Queries and their parameters
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def query_text(name: str) -> str:
    """Return the text of ``queries/cypher/<name>.cypher``.

    Parameters
    ----------
    name : str
        A check id (``coverage.empty_org``) or a helper query name
        (``unit_network``, ``summary``, ``datasets``).

    Raises
    ------
    Neo4jCheckError
        When there is no such file.

    Examples
    --------
    >>> "OrgnetDataset" in query_text("coverage.empty_org")
    True
    """
    path = CYPHER_DIR / f"{name}.cypher"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise Neo4jCheckError(f"no Cypher query {name!r} ({path})") from err


def parameter_names(query: str) -> list[str]:
    """Return the sorted names of the ``$parameters`` a query uses (comments ignored).

    Examples
    --------
    >>> parameter_names("// $ignored\\nMATCH (n {graph: $g}) WHERE n.x > $min RETURN n")
    ['g', 'min']
    """
    return sorted(set(_PARAMETER.findall(_COMMENT.sub("", query))))


def _org_join_rank() -> dict:
    """Org kind -> rank of queries._graph.join_preference (0: the org to join first)."""
    from orgnet.queries import _graph

    G = nx.MultiDiGraph()
    ranks = {}
    for kind in ORG_KINDS:
        G.add_node(kind, kind=kind)
        ranks[kind] = _graph.join_preference(G, kind)[0]
    return ranks


def _vocabulary() -> dict:
    """The vocabulary parameters, taken from graphmodel.schema."""
    return {
        "health_kinds": sorted(HEALTH_KINDS),
        "empty_check_kinds": sorted(EMPTY_CHECK_KINDS),
        "branch_kinds": sorted(BRANCH_KINDS),
        "own_branch_kinds": sorted(OWN_BRANCH_KINDS),
        "secretary_kinds": sorted(SECRETARY_KINDS),
        "top_org_kinds": sorted(TOP_ORG_KINDS),
        "party_member_statuses": sorted(PARTY_MEMBER_STATUSES),
        "branch_committee_roles": sorted(BRANCH_COMMITTEE_ROLES),
        "entity_labels": list(ENTITY_LABELS),
        "stages": list(STAGES),
        "stage_provider_kinds": {stage: list(kinds) for stage, kinds in STAGE_PROVIDER_KINDS.items()},
        "level_rank": {level: level_rank(level) for level in LEVELS},
        "org_tiers": dict(ORG_TIERS),
        "org_join_rank": _org_join_rank(),
        "united_front_kinds": sorted(UNITED_FRONT_KINDS),
        "non_party_statuses": sorted(NON_PARTY_STATUSES),
        "united_front_roles": sorted(UNITED_FRONT_ROLES),
        "united_front_committee_kinds": sorted(UNITED_FRONT_COMMITTEE_KINDS),
    }


def browser_parameters(dataset: str, settings: Settings = DEFAULT_SETTINGS) -> dict:
    """Return every parameter any query may use: what to set in Neo4j Browser.

    Examples
    --------
    >>> params = browser_parameters("demo")
    >>> params["dataset"], params["branch_min_full_members"], params["level_rank"]["county"]
    ('demo', 3, 2)
    """
    return {"dataset": dataset, **dataclasses.asdict(settings), **_vocabulary()}


def query_parameters(query: str, dataset: str, settings: Settings = DEFAULT_SETTINGS) -> dict:
    """Return exactly the parameters a query uses, with their values.

    Raises
    ------
    Neo4jCheckError
        When the query uses a parameter orgnet does not know.

    Examples
    --------
    >>> query_parameters("MATCH (d {name: $dataset}) RETURN $branch_max_members", "x")
    {'branch_max_members': 50, 'dataset': 'x'}
    """
    known = browser_parameters(dataset, settings)
    names = parameter_names(query)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise Neo4jCheckError(f"unknown Cypher parameter(s): {', '.join(unknown)}")
    return {n: known[n] for n in names}


# ---------------------------------------------------------------------------
# Rows -> hits, rows -> unit network
# ---------------------------------------------------------------------------
def evidence_keys(query: str) -> list[str] | None:
    """Return the evidence keys a query documents in its ``// Evidence keys:`` line.

    They are the keys of the embedded check's evidence in its order; the rows'
    evidence maps are put in that order, so that the JSON of both backends is
    identical byte for byte (a Cypher map has no key order).

    Examples
    --------
    >>> evidence_keys("// Evidence keys: name, kind\\nRETURN 1")
    ['name', 'kind']
    >>> evidence_keys("RETURN 1") is None
    True
    """
    for line in query.splitlines():
        if line.startswith("// Evidence keys:"):
            return [k.strip() for k in line.split(":", 1)[1].split(",") if k.strip()]
    return None


def _evidence(evidence: Mapping, keys: list[str] | None) -> dict:
    evidence = dict(evidence)
    if keys is not None:
        extra = set(evidence) - set(keys)
        missing = set(keys) - set(evidence)
        if extra or missing:
            raise Neo4jCheckError(
                f"evidence keys differ from the documented ones: extra {sorted(extra)}, "
                f"missing {sorted(missing)}")
        evidence = {k: evidence[k] for k in keys}
    out = {}
    for key, value in evidence.items():
        if key in PAIR_MAP_KEYS and isinstance(value, list):
            value = {k: v for k, v in value}
        out[key] = value
    return out


def hits_from_rows(rows: Iterable[Mapping], keys: list[str] | None = None
                   ) -> list[tuple[tuple[str, ...], dict]]:
    """Turn query rows ``{subject, evidence}`` into hits ``(subject tuple, evidence dict)``.

    Evidence values under :data:`PAIR_MAP_KEYS` come back from Cypher as lists of
    ``[key, value]`` pairs and are turned into maps (first occurrence of a key
    keeps its place, as in the embedded checks' dicts); with ``keys`` (see
    :func:`evidence_keys`) the evidence is put in that key order.  Hits are
    sorted by subject (stable: rows with equal subjects keep the query's order).

    Raises
    ------
    Neo4jCheckError
        When ``keys`` is given and a row's evidence has other keys.

    Examples
    --------
    >>> hits_from_rows([{"subject": ["b"], "evidence": {"names": [["b", "乙"]]}},
    ...                 {"subject": ["a"], "evidence": {}}])
    [(('a',), {}), (('b',), {'names': {'b': '乙'}})]
    >>> hits_from_rows([{"subject": ["a"], "evidence": {"kind": "k", "name": "n"}}],
    ...                keys=["name", "kind"])
    [(('a',), {'name': 'n', 'kind': 'k'})]
    """
    hits = [(tuple(row["subject"]), _evidence(row["evidence"] or {}, keys)) for row in rows]
    hits.sort(key=lambda hit: hit[0])
    return hits


def unit_network_from_rows(node_rows: Iterable[Mapping], link_rows: Iterable[Mapping]) -> nx.Graph:
    """Build the unit network from the rows of the two projection queries.

    Parameters
    ----------
    node_rows : iterable of mapping
        Rows of ``unit_network.nodes.cypher``: ``id`` and ``properties`` of each
        institution.  The node attributes become the embedded node's attributes:
        the properties without ``id``, ``dataset`` and ``graph``, plus ``label``.
    link_rows : iterable of mapping
        Rows of ``unit_network.cypher``: ``link_index``, ``source_units``,
        ``target_units`` and ``members`` (list of ``{id, name}`` of the member
        endpoints).

    Returns
    -------
    networkx.Graph
        The graph :func:`orgnet.graphmodel.embedded.unit_network` builds from the same
        dataset: every pair of distinct institutions of a row joined by an edge
        whose ``links`` and ``members`` sets collect the rows and member endpoints.

    Examples
    --------
    >>> U = unit_network_from_rows(
    ...     [{"id": "a", "properties": {"id": "a", "name": "甲", "graph": "x#1"}},
    ...      {"id": "b", "properties": {"id": "b", "name": "乙"}}],
    ...     [{"link_index": 0, "source_units": ["a"], "target_units": ["b"],
    ...       "members": [{"id": "m", "name": "王"}]}])
    >>> sorted(U.edges(data=True))
    [('a', 'b', {'links': {0}, 'members': {'m'}})]
    >>> U.nodes["a"]
    {'name': '甲', 'label': 'Institution'}
    """
    network = nx.Graph()
    for row in sorted(node_rows, key=lambda r: r["id"]):
        attributes = {k: v for k, v in dict(row["properties"]).items()
                      if k not in ("id", "dataset", "graph")}
        attributes["label"] = INSTITUTION
        network.add_node(row["id"], **attributes)
    for row in sorted(link_rows, key=lambda r: r["link_index"]):
        units = set(row["source_units"]) | set(row["target_units"])
        members = {m["id"] for m in row["members"]}
        for a, b in combinations(sorted(units), 2):
            if network.has_edge(a, b):
                edge = network.edges[a, b]
                edge["links"].add(row["link_index"])
                edge["members"].update(members)
            else:
                network.add_edge(a, b, links={row["link_index"]}, members=set(members))
    return network


def unit_arrays_from_rows(node_rows: Iterable[Mapping], link_rows: Iterable[Mapping]):
    """Build the :class:`orgnet.queries.unitnet.UnitNetwork` of the two projection queries.

    The same network as :func:`unit_network_from_rows` (and as the embedded
    :func:`orgnet.queries.connectivity.cached_unit_arrays`), held in arrays: the
    connectivity checks then run the same compiled code on both backends.
    ``link_members`` is :func:`link_members_from_rows`.

    Examples
    --------
    >>> net = unit_arrays_from_rows(
    ...     [{"id": "b", "properties": {"id": "b", "name": "乙"}},
    ...      {"id": "a", "properties": {"id": "a", "name": "甲"}}],
    ...     [{"link_index": 0, "source_units": ["a"], "target_units": ["b"],
    ...       "members": [{"id": "m", "name": "王"}]}])
    >>> net.ids, net.edge_links(0), net.link_members, net.name("a")
    (['a', 'b'], [0], {0: ('m',)}, '甲')
    """
    from orgnet.queries.unitnet import UnitNetwork

    link_rows = list(link_rows)
    institutions = [(row["id"], row["properties"]) for row in node_rows]
    rows = [(row["link_index"], row["source_units"], row["target_units"]) for row in link_rows]
    return UnitNetwork.from_link_rows(institutions, rows, link_members_from_rows(link_rows)[0])


def link_members_from_rows(link_rows: Iterable[Mapping]) -> tuple[dict, dict]:
    """Return ``({link index: sorted member ids}, {member id: name})`` of the projection rows.

    The first map is :func:`orgnet.queries.connectivity.link_member_endpoints` of the
    embedded graph (links without a member endpoint left out).

    Examples
    --------
    >>> link_members_from_rows([{"link_index": 3, "members": [{"id": "m", "name": "王"}]},
    ...                         {"link_index": 4, "members": []}])
    ({3: ('m',)}, {'m': '王'})
    """
    endpoints, names = {}, {}
    for row in link_rows:
        if row["members"]:
            endpoints[row["link_index"]] = tuple(sorted({m["id"] for m in row["members"]}))
            for m in row["members"]:
                names[m["id"]] = m["name"]
    return endpoints, names


def link_rows_from_columns(columns: Mapping) -> list[dict]:
    """Return the link rows (one per link, see :func:`unit_network_from_rows`) of the
    projection's columns (the one row of ``unit_network.cypher``).

    Examples
    --------
    >>> link_rows_from_columns({"link_index": [3, 4], "source_units": [["a"], ["b"]],
    ...                         "target_units": [["b"], []], "members": [[3, [["m", "王"]]]]})
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'link_index': 3, 'source_units': ['a'], 'target_units': ['b'],
      'members': [{'id': 'm', 'name': '王'}]},
     {'link_index': 4, 'source_units': ['b'], 'target_units': [], 'members': []}]
    """
    members = {index: [{"id": m[0], "name": m[1]} for m in found]
               for index, found in columns["members"] or ()}
    return [{"link_index": index, "source_units": list(source), "target_units": list(target),
             "members": members.get(index, [])}
            for index, source, target in zip(columns["link_index"] or (),
                                             columns["source_units"] or (),
                                             columns["target_units"] or ())]


def node_rows_from_columns(columns: Mapping) -> list[dict]:
    """Return the node rows ``{id, properties}`` of ``unit_network.nodes.cypher``'s columns.

    Examples
    --------
    >>> node_rows_from_columns({"id": ["a"], "properties": [{"id": "a", "name": "甲"}]})
    [{'id': 'a', 'properties': {'id': 'a', 'name': '甲'}}]
    """
    return [{"id": node, "properties": props}
            for node, props in zip(columns["id"] or (), columns["properties"] or ())]


def unit_arrays_from_columns(node_columns: Mapping, link_columns: Mapping):
    """Build the :class:`orgnet.queries.unitnet.UnitNetwork` straight from the projection's columns.

    The same network as :func:`unit_arrays_from_rows` of the same data in rows,
    without making a dict per link.  Returns ``(network, member names)``:
    ``network.link_members`` maps each link index with a member endpoint to the
    sorted member ids, the names map each such member to its name.

    Examples
    --------
    >>> net, names = unit_arrays_from_columns(
    ...     {"id": ["a", "b"], "properties": [{"name": "甲"}, {"name": "乙"}]},
    ...     {"link_index": [0], "source_units": [["a"]], "target_units": [["b"]],
    ...      "members": [[0, [["m", "王"]]]]})
    >>> net.ids, net.edge_links(0), net.link_members, names
    (['a', 'b'], [0], {0: ('m',)}, {'m': '王'})
    """
    from orgnet.queries.unitnet import UnitNetwork

    endpoints, names = {}, {}
    for index, found in link_columns["members"] or ():
        endpoints[index] = tuple(sorted({m[0] for m in found}))
        for member, name in found:
            names[member] = name
    institutions = zip(node_columns["id"] or (), node_columns["properties"] or ())
    rows = zip(link_columns["link_index"] or (), link_columns["source_units"] or (),
               link_columns["target_units"] or ())
    return UnitNetwork.from_link_rows(institutions, rows, endpoints), names


def client_side_hits(check_id: str, network, link_members: Mapping,
                     member_names: Mapping) -> list:
    """Return the hits of a connectivity check computed from the projected unit network.

    ``network`` is a :class:`orgnet.queries.unitnet.UnitNetwork` (what the runner
    projects: :func:`unit_arrays_from_rows`; the embedded checks run the same
    functions) or a networkx unit network (:func:`unit_network_from_rows`, the
    reference).

    Examples
    --------
    >>> import networkx as nx
    >>> U = nx.Graph(); U.add_node("a", name="甲", kind="village_clinic")
    >>> [s for s, _ in client_side_hits("connectivity.isolated_unit", U, {}, {})]
    [('a',)]
    """
    from orgnet.queries import connectivity, unitnet

    if isinstance(network, unitnet.UnitNetwork):
        if check_id == "connectivity.single_liaison":
            return unitnet.single_liaison_hits(network, member_names)
        return getattr(unitnet, _CLIENT_SIDE_FUNCTIONS[check_id])(network)

    functions: dict[str, Callable] = {
        "connectivity.isolated_unit": connectivity.isolated_unit_hits,
        "connectivity.disconnected_component": connectivity.disconnected_component_hits,
        "connectivity.cut_unit": connectivity.cut_unit_hits,
        "connectivity.bridge_link": connectivity.bridge_link_hits,
        "connectivity.single_link_unit": connectivity.single_link_unit_hits,
    }
    if check_id == "connectivity.single_liaison":
        return connectivity.single_liaison_hits(network, link_members, member_names)
    return functions[check_id](network)


#: connectivity check -> the function of its unit network (same name in both modules)
_CLIENT_SIDE_FUNCTIONS = {
    "connectivity.isolated_unit": "isolated_unit_hits",
    "connectivity.disconnected_component": "disconnected_component_hits",
    "connectivity.cut_unit": "cut_unit_hits",
    "connectivity.bridge_link": "bridge_link_hits",
    "connectivity.single_link_unit": "single_link_unit_hits",
}


# ---------------------------------------------------------------------------
# The summary
# ---------------------------------------------------------------------------
SUMMARY_QUERIES = ("summary.nodes", "summary.links", "summary.services", "summary.coverage",
                   "summary.united_front")


def _ordered_counts(counts: dict, order) -> dict:
    """Counts in vocabulary order, then other values sorted (as queries.runner does)."""
    counts = dict(counts)
    ordered = {key: counts.pop(key) for key in order if key in counts}
    ordered.update(sorted((str(k), v) for k, v in counts.items()))
    return ordered


def summary_from_rows(dataset: str, rows: Mapping[str, list], findings, checks) -> dict:
    """Assemble the summary of :func:`orgnet.queries.runner.summarize` from the summary queries' rows.

    Parameters
    ----------
    dataset : str
        The dataset name.
    rows : mapping
        ``{query name: rows}`` for each of :data:`SUMMARY_QUERIES`.
    findings : list of Finding
    checks : list of str
        The check ids that ran.

    Examples
    --------
    >>> rows = {"summary.nodes": [{"label": "Institution", "value": "village_clinic", "count": 2}],
    ...         "summary.links": [{"rel_type": "REFERRAL", "source_level": "village",
    ...                            "target_level": "township", "rows": 1, "total": 5}],
    ...         "summary.services": [{"services": 0}],
    ...         "summary.coverage": [{"id": "V1", "kind": "village_clinic", "covered": True,
    ...                               "own_branch": False, "reached": False}]}
    >>> s = summary_from_rows("demo", rows, [], ["referral.one_way"])
    >>> s["counts"]["Institution"], s["referrals"]["up"], s["coverage"]["overall"]["coverage_rate"]
    (2, 5, 1.0)
    """
    from orgnet.graphmodel.schema import (
        INSTITUTION_KINDS, LINK_TYPES, MEMBER, MEMBER_STATUSES, PARTY_ORG, link_type_of_rel,
    )
    from orgnet.queries.finding import SEVERITIES
    from orgnet.queries.runner import _coverage_entry
    from orgnet.queries.united_front import summary_from_facts

    per_label: dict[str, dict] = {label: {} for label in ENTITY_LABELS}
    for row in rows["summary.nodes"]:
        values = per_label.setdefault(row["label"], {})
        values[row["value"]] = values.get(row["value"], 0) + row["count"]
    counts = {label: sum(per_label[label].values()) for label in ENTITY_LABELS}
    link_types: dict[str, int] = {}
    referrals = {"up": 0, "down": 0, "same_level": 0, "links": 0}
    for row in rows["summary.links"]:
        link_type = link_type_of_rel(row["rel_type"])
        link_types[link_type] = link_types.get(link_type, 0) + row["rows"]
        if link_type == "referral":
            step = level_rank(row["target_level"]) - level_rank(row["source_level"])
            direction = "up" if step > 0 else "down" if step < 0 else "same_level"
            referrals[direction] += row["total"]
            referrals["links"] += row["rows"]
    counts["links"] = sum(link_types.values())
    counts["services"] = rows["summary.services"][0]["services"] if rows["summary.services"] else 0
    entries: dict[str, list[int]] = {}
    overall = [0, 0, 0, 0]
    for row in sorted(rows["summary.coverage"], key=lambda r: r["id"]):
        covered = bool(row["covered"])
        flags = (1, int(covered), int(bool(row["own_branch"])), int(covered or bool(row["reached"])))
        bucket = entries.setdefault(row["kind"], [0, 0, 0, 0])
        for i, flag in enumerate(flags):
            bucket[i] += flag
            overall[i] += flag
    findings = list(findings)
    by_check = {check_id: 0 for check_id in checks}
    for finding in findings:
        by_check[finding.check] = by_check.get(finding.check, 0) + 1
    return {
        "dataset": dataset,
        "counts": counts,
        "institution_kinds": _ordered_counts(per_label[INSTITUTION], tuple(INSTITUTION_KINDS)),
        "org_kinds": _ordered_counts(per_label[PARTY_ORG], ORG_KINDS),
        "member_statuses": _ordered_counts(per_label[MEMBER], MEMBER_STATUSES),
        "link_types": {t: link_types[t] for t in LINK_TYPES if link_types.get(t)},
        "coverage": {
            "overall": _coverage_entry(overall),
            "by_kind": {kind: _coverage_entry(entries[kind]) for kind in INSTITUTION_KINDS
                        if kind in entries and kind in HEALTH_KINDS},
        },
        "referrals": referrals,
        "united_front": summary_from_facts(rows.get("summary.united_front", [])),
        "findings": {
            "total": len(findings),
            "by_severity": {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES},
            "by_check": by_check,
        },
    }


# ---------------------------------------------------------------------------
# The runner
# ---------------------------------------------------------------------------
def _rows(tx, name: str, dataset: str, settings: Settings) -> list[dict]:
    """Run one query file in a transaction and return its rows as dicts."""
    query = query_text(name)
    started = time.perf_counter()
    rows = tx.run(query, query_parameters(query, dataset, settings)).data()
    _LOG.debug("%s: %d rows in %.2f s", name, len(rows), time.perf_counter() - started)
    return rows


def _columns(tx, name: str, dataset: str, settings: Settings) -> dict:
    """Run one query file that returns a single row of lists; return that row.

    The lists are taken as the driver decodes them (``Record.data()`` would walk
    every element again in Python).
    """
    query = query_text(name)
    started = time.perf_counter()
    record = tx.run(query, query_parameters(query, dataset, settings)).single()
    columns = {key: record[key] for key in record.keys()} if record is not None else {}
    size = max((len(v) for v in columns.values() if isinstance(v, list)), default=0)
    _LOG.debug("%s: %d rows in %.2f s", name, size, time.perf_counter() - started)
    return columns


def _read_everything(tx, check_ids, dataset: str, settings: Settings, with_summary: bool,
                     progress=None) -> tuple[dict, dict]:
    """The work of the one read transaction: every check's hits and the summary rows."""
    hits: dict[str, list] = {}
    projection = None
    for check_id in check_ids:
        if check_id in CLIENT_SIDE_CHECKS:
            if projection is None:
                nodes = _columns(tx, "unit_network.nodes", dataset, settings)
                links = _columns(tx, "unit_network", dataset, settings)
                network, names = unit_arrays_from_columns(nodes, links)
                del nodes, links
                projection = (network, network.link_members, names)
                _LOG.info("connectivity checks: unit network projected with unit_network.cypher "
                          "(%d institutions, %d edges), algorithms run client-side",
                          network.number_of_nodes, network.number_of_edges)
            hits[check_id] = client_side_hits(check_id, *projection)
        else:
            hits[check_id] = hits_from_rows(_rows(tx, check_id, dataset, settings),
                                            evidence_keys(query_text(check_id)))
        if progress is not None:
            progress(1)
    summary_rows = {}
    if with_summary:
        summary_rows = {name: _rows(tx, name, dataset, settings) for name in SUMMARY_QUERIES}
    return hits, summary_rows


def _translated(err: Exception, database: str) -> Neo4jCheckError:
    from orgnet.graphmodel.neo4j_store import translate_error

    return Neo4jCheckError(str(translate_error(err, database=database)))


def _read(driver, database: str, dataset: str, check_ids, settings: Settings,
          with_summary: bool, progress=None) -> tuple[dict, dict]:
    from neo4j import READ_ACCESS
    from neo4j.exceptions import DriverError, Neo4jError

    from orgnet.graphmodel.neo4j_store import Neo4jStore, StoreError

    try:
        Neo4jStore(driver, database).live_graph(dataset)
        with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
            return session.execute_read(_read_everything, check_ids, dataset, settings,
                                        with_summary, progress)
    except StoreError as err:
        raise Neo4jCheckError(str(err)) from err
    except (Neo4jError, DriverError) as err:
        raise _translated(err, database) from err


def check_hits_neo4j(driver, database: str, dataset: str, *,
                     settings: Settings = DEFAULT_SETTINGS, only=(), skip=(),
                     progress=None) -> dict[str, list]:
    """Return ``{check id: hits}`` computed in Neo4j for the selected checks.

    The hits are what the embedded check functions return on the same dataset.
    Everything runs in one read transaction on ``database``.

    Raises
    ------
    Neo4jCheckError
        A dataset that is not loaded, or any driver or server error (wrapped,
        with the driver's error as its cause).
    QueryError
        Unknown check ids or family names (before anything is sent).
    """
    check_ids = select_checks(only, skip)
    hits, _ = _read(driver, database, dataset, check_ids, settings, False, progress)
    return hits


def run_checks_neo4j(driver, database: str, dataset: str, *,
                     settings: Settings = DEFAULT_SETTINGS, only=(), skip=(),
                     lang: str = "en", min_severity: str | None = None, progress=None):
    """Run the checks on a dataset loaded in Neo4j; return the same Report as the embedded run.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver (the caller owns it and closes it).
    database : str
        The database to read (always named).
    dataset : str
        The dataset name, as loaded with ``orgnet load``.
    settings : Settings
        The check thresholds (passed to the queries as parameters).
    only, skip : iterable of str
        Check ids or family names, as for :func:`orgnet.queries.runner.run_checks`.
    lang : {"en", "zh"}
        Language of messages and suggestions.
    min_severity : {"high", "medium", "low"}, optional
        Keep only findings at or above this severity.
    progress : callable, optional
        Called with 1 after each check (``orgnet._common.progress`` bars).

    Returns
    -------
    queries.runner.Report
        The summary (computed with the ``summary.*`` queries) and the findings,
        rendered by :func:`orgnet.queries.catalog.render` in catalog order, then by
        subject: what :func:`orgnet.queries.runner.run_checks` gives on the same data.

    Raises
    ------
    Neo4jCheckError
        See :func:`check_hits_neo4j`.
    QueryError
        An unknown check id, family, severity or language.
    """
    from orgnet.queries.catalog import load_checks
    from orgnet.queries.runner import Report, at_or_above, check_options, findings_from_hits

    load_checks()
    check_options(min_severity, lang)
    check_ids = select_checks(only, skip)
    hits, summary_rows = _read(driver, database, dataset, check_ids, settings, True, progress)
    findings = []
    for check_id in check_ids:
        findings += findings_from_hits(check_id, hits[check_id], lang)
    findings = at_or_above(findings, min_severity)
    summary = summary_from_rows(dataset, summary_rows, findings, check_ids)
    return Report(summary, findings, lang)
