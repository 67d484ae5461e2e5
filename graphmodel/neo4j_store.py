"""The Neo4j store: load datasets into a Neo4j 5 database and read them back.

The store is handed a driver and a database name; it never creates or closes
drivers (the caller owns the driver).  Every query names the database, every
value is a ``$parameter`` and every label or relationship type comes from
:mod:`orgnet.graphmodel.schema`, backtick-quoted.  It needs Neo4j 5.7 or later
(Community is enough: no APOC, no Enterprise-only constraints).

Shape
-----
- Each entity node carries its schema label (``Region``, ``Institution``,
  ``PartyOrg``, ``Member``), ``id``, every attribute of the embedded node
  (:mod:`orgnet.graphmodel.embedded`; lists stay lists, ``row`` the spreadsheet row),
  plus ``graph`` (``<dataset>#<version>``).  Store format 3: nodes no longer
  carry ``dataset`` (format 2 did; nothing read it, and every property is a write
  per node); a reload rewrites an older dataset.
- Each edge of the embedded graph is one relationship of the same schema type
  with the same attributes (less ``type``).  Relationships carry no version tag:
  they only ever join two nodes of the same version, so ``(a {graph: $graph})-[r]->()``
  finds exactly the relationships of a version (and the load writes less).
- Services rows are ``(:Institution)-[:PROVIDES {row, coordinator_org_id}]->(:Stage)``;
  every version has the seven ``(:Stage {id, order, graph})`` nodes of
  ``schema.STAGES`` (``order`` is the life-cycle position, 0-based).
- ``(:OrgnetDataset {name})`` holds ``graph``, the live version, and
  ``pending``, versions being written or waiting to be deleted, plus the content
  ``hash``, ``source``, ``loaded_at`` and the counts ``nodes`` and
  ``relationships``.  Queries start from it: ``MATCH (d:OrgnetDataset {name:
  $dataset}) MATCH (i:Institution {graph: d.graph})``.

Schema: a uniqueness constraint on ``(graph, id)`` for each node label
(composite property uniqueness constraints exist in Community Edition; its index
serves the endpoint lookups of the relationship writes), one on
``OrgnetDataset.name``, and a range index on ``graph`` (a composite index does
not serve a lookup on its first property alone, unless the query also says
``n.id IS NOT NULL``).

Loading
-------
The store is given rows, not files: a :class:`GraphRows` (node rows per label,
relationship rows per ``(type, source label, target label)``, each produced
lazily and as often as asked) or an embedded graph (:func:`graph_rows` turns it
into one).  The loaders make the rows of a validated dataset without building
the embedded graph (``orgnet.loaders.rows.dataset_rows``), so a load holds the tables
plus one batch, never every row at once.

1. The caller validates first (:func:`orgnet.loaders.load_dataset` raises on any
   problem), so an invalid dataset never reaches the store.
2. The content hash is compared with the live version's: the same hash means
   there is nothing to do (a reload leaves the database identical, nothing is
   written); a different hash under an existing name needs ``replace=True``,
   else :class:`DatasetExistsError`.  The hash is the rows' own
   (``GraphRows.digest``: ``orgnet.loaders.rows`` hashes the validated tables column
   by column, a few seconds for a million entities) or else one pass over the
   rows hashes each (an order-independent sum of BLAKE2b digests, see
   :func:`rows_digest`).
3. Versions left in ``pending`` by an earlier load that died are deleted.
4. The new version is registered in ``pending``, then written with
   ``UNWIND $rows ... CREATE`` in batches of ``batch_size`` rows, each batch its
   own transaction, up to ``workers`` (default 2) of them at the same time:
   nodes first, then relationships.  A node batch returns the element ids of
   its nodes; the relationship batches name their endpoints by those ids (a
   direct record lookup instead of two ``(graph, id)`` index seeks per row,
   which halves the server's work for relationships).  A second pass produces
   the rows again, in a thread that prepares the next batches while the server
   writes.
5. One transaction switches ``OrgnetDataset.graph`` to the new version and
   moves the old one to ``pending``; the old version is then deleted in batches.

A load that dies before step 5 leaves the previous version live and intact; the
next load deletes what the dead one wrote.  Run one load per dataset at a time.

Examples
--------
>>> render(CREATE_NODES, label="Institution").split("\\n")[1]
'CREATE (n:`Institution` {graph: $graph})'
>>> server_version_supported("5.7.0"), server_version_supported("4.4.30")
(True, False)
"""

from __future__ import annotations

import hashlib
import json
import queue
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone

import networkx as nx
import neo4j
from neo4j import exceptions as neo4j_errors

from orgnet.graphmodel.embedded import add_link, new_graph
from orgnet.graphmodel.errors import OrgnetError
from orgnet.graphmodel.schema import (
    DATASET_LABEL, ENTITY_LABELS, INSTITUTION, PROVIDES, REL_TYPES, STAGE, STAGES,
    TABLE_LABEL, link_type_of_rel,
)

__all__ = [
    "Neo4jStore", "LoadResult", "DatasetInfo", "CypherResult", "StoreError",
    "DatasetExistsError", "ReadOnlyError", "read_graph", "content_hash",
    "check_server", "server_version_supported", "translate_error", "run_cypher",
    "plain_value", "render", "MIN_SERVER_VERSION", "STORE_FORMAT",
    "NODE_LABELS", "RESERVED_PROPERTIES", "GraphRows", "graph_rows", "rows_digest",
    "row_properties",
]

#: Oldest Neo4j server this store supports.
#: Notification filters (Bolt 5.2) arrived in 5.7; orgnet's queries run with them off.
MIN_SERVER_VERSION = (5, 7)
#: Bumped when the stored shape changes: part of the content hash, so a reload
#: after an upgrade rewrites the data.
STORE_FORMAT = 3
#: Labels of versioned nodes (each has the (graph, id) constraint).
NODE_LABELS = ENTITY_LABELS + (STAGE,)
#: Properties the store adds; a dataset column of the same name is refused.
RESERVED_PROPERTIES = frozenset({"dataset", "graph"})
_ALLOWED_NAMES = frozenset(NODE_LABELS + (DATASET_LABEL,) + REL_TYPES)

# ---------------------------------------------------------------------------
# Queries.  ``{label}``, ``{source_label}``, ``{target_label}`` and ``{rel_type}``
# are filled by :func:`render` with backtick-quoted schema names only.
# ---------------------------------------------------------------------------
CREATE_DATASET_CONSTRAINT = (
    "CREATE CONSTRAINT orgnet_dataset_name IF NOT EXISTS\n"
    "FOR (d:{label}) REQUIRE d.name IS UNIQUE"
)
CREATE_KEY_CONSTRAINT = (
    "CREATE CONSTRAINT {name} IF NOT EXISTS\n"
    "FOR (n:{label}) REQUIRE (n.graph, n.id) IS UNIQUE"
)
CREATE_GRAPH_INDEX = "CREATE INDEX {name} IF NOT EXISTS\nFOR (n:{label}) ON (n.graph)"
#: Store format 1 indexed ``dataset``, which nothing reads: dropped, as each index
#: costs a write per node.
DROP_DATASET_INDEX = "DROP INDEX {name} IF EXISTS"

SERVER_COMPONENTS = (
    "CALL dbms.components() YIELD name, versions, edition\n"
    "RETURN name, versions, edition"
)
# The dataset node is read whole (``properties(d)``): naming a property that no
# node has yet (``hash`` before the first load) makes the server warn.
DATASET_STATE = (
    "MATCH (d:{label} {{name: $name}})\n"
    "RETURN properties(d) AS props"
)
LIST_DATASETS = (
    "MATCH (d:{label})\n"
    "RETURN properties(d) AS props\n"
    "ORDER BY d.name"
)
REGISTER_PENDING = (
    "MERGE (d:{label} {{name: $name}})\n"
    "SET d.pending = coalesce(d.pending, []) + $graph"
)
SWITCH_VERSION = (
    "MATCH (d:{label} {{name: $name}})\n"
    "WITH d, d.graph AS previous\n"
    "SET d.graph = $graph,\n"
    "    d.pending = [g IN coalesce(d.pending, []) WHERE g <> $graph]"
    " + CASE WHEN previous IS NULL THEN [] ELSE [previous] END,\n"
    "    d += $info\n"
    "RETURN previous"
)
RETIRE_LIVE = (
    "MATCH (d:{label} {{name: $name}})\n"
    "SET d.pending = coalesce(d.pending, [])"
    " + CASE WHEN d.graph IS NULL THEN [] ELSE [d.graph] END,\n"
    "    d.graph = null"
)
FORGET_PENDING = (
    "MATCH (d:{label} {{name: $name}})\n"
    "SET d.pending = [g IN coalesce(d.pending, []) WHERE g <> $graph]"
)
DROP_DATASET_NODE = (
    "MATCH (d:{label} {{name: $name}})\n"
    "WHERE d.graph IS NULL AND size(coalesce(d.pending, [])) = 0\n"
    "DELETE d"
)
# The nodes of a batch come back as their element ids, in row order: the
# relationship batches find their endpoints by element id (a direct record
# lookup), not by two (graph, id) index seeks per row, which took about half of
# the server's time of a load.  The label filter keeps a relationship from
# joining a node of another label.
CREATE_NODES = (
    "UNWIND $rows AS row\n"
    "CREATE (n:{label} {{graph: $graph}})\n"
    "SET n += row\n"
    "RETURN collect(elementId(n)) AS created"
)
# A relationship row is a list ``[source element id, target element id]``, with
# the properties as a third item when it has any: lists are about half the work
# of maps for the client to pack and the server to read, and a relationship
# without properties skips the property write (most of a dataset's relationships
# are its references, which have none).
CREATE_RELATIONSHIPS = (
    "UNWIND $rows AS row\n"
    "MATCH (a:{source_label}) WHERE elementId(a) = row[0]\n"
    "MATCH (b:{target_label}) WHERE elementId(b) = row[1]\n"
    "CREATE (a)-[r:{rel_type}]->(b)\n"
    "SET r += row[2]\n"
    "RETURN count(r) AS created"
)
CREATE_PLAIN_RELATIONSHIPS = (
    "UNWIND $rows AS row\n"
    "MATCH (a:{source_label}) WHERE elementId(a) = row[0]\n"
    "MATCH (b:{target_label}) WHERE elementId(b) = row[1]\n"
    "CREATE (a)-[r:{rel_type}]->(b)\n"
    "RETURN count(r) AS created"
)
DELETE_VERSION_BATCH = (
    "MATCH (n:{label} {{graph: $graph}})\n"
    "WITH n LIMIT $batch_size\n"
    "DETACH DELETE n\n"
    "RETURN count(*) AS deleted"
)
READ_NODES = (
    "MATCH (n:{label} {{graph: $graph}})\n"
    "RETURN n.id AS id, properties(n) AS props\n"
    "ORDER BY n.row, n.id"
)
READ_RELATIONSHIPS = (
    "MATCH (a:{label} {{graph: $graph}})-[r]->(b)\n"
    "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS props"
)


class StoreError(OrgnetError):
    """A Neo4j operation failed; the message is one line naming the fix.

    ``render("zh")`` gives the Chinese line when there is one (the commands show
    it under ``--lang zh``).

    Examples
    --------
    >>> StoreError("no such dataset", "没有这个数据集").render("zh")
    '没有这个数据集'
    """

    def __init__(self, message: str, zh: str | None = None):
        super().__init__(message)
        self.zh = zh

    def render(self, lang: str = "en") -> str:
        """Return the line in English (``en``) or, when it has one, Chinese (``zh``)."""
        return self.zh if lang == "zh" and self.zh else str(self)


class DatasetExistsError(StoreError):
    """A different dataset is already loaded under the name (use ``replace``)."""


class ReadOnlyError(StoreError):
    """A query would write but write access was not granted."""


def render(template: str, **names: str) -> str:
    """Fill a query template with backtick-quoted schema names.

    Only names defined in :mod:`orgnet.graphmodel.schema` (node labels, relationship
    types) or index names built from them are accepted.

    Examples
    --------
    >>> render(DELETE_VERSION_BATCH, label="Member").splitlines()[0]
    'MATCH (n:`Member` {graph: $graph})'
    >>> render(CREATE_NODES, label="Robert'); DROP")
    Traceback (most recent call last):
    ...
    ValueError: not a schema name: "Robert'); DROP"
    """
    filled = {}
    for key, value in names.items():
        if key == "name":
            if not re.fullmatch(r"orgnet_[a-z_]+", value):
                raise ValueError(f"not an orgnet index name: {value!r}")
            filled[key] = value
            continue
        if value not in _ALLOWED_NAMES:
            raise ValueError(f"not a schema name: {value!r}")
        filled[key] = "`" + value.replace("`", "``") + "`"
    return template.format(**filled)


def _index_name(kind: str, label: str) -> str:
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", label).lower()
    return f"orgnet_{snake}_{kind}"


def server_version_supported(version: str) -> bool:
    """Return True if a Neo4j version string is 5.7 or later (2025.x counts).

    Examples
    --------
    >>> [server_version_supported(v) for v in ("5.26.0", "2025.01.0", "5.2.0", "5.27-aura")]
    [True, True, False, True]
    """
    match = re.match(r"(\d+)\.(\d+)", version or "")
    if not match:
        return False
    return (int(match.group(1)), int(match.group(2))) >= MIN_SERVER_VERSION


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------
def plain_value(value):
    """Return a JSON-friendly Python value for a driver or numpy value.

    Nodes become ``{"labels", "properties"}``, relationships ``{"type",
    "properties"}``, paths lists of those, temporal values ISO strings, numpy
    scalars Python numbers.

    Examples
    --------
    >>> plain_value([1, {"a": (2, 3)}])
    [1, {'a': [2, 3]}]
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels),
                "properties": {k: plain_value(v) for k, v in dict(value).items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type,
                "properties": {k: plain_value(v) for k, v in dict(value).items()}}
    if isinstance(value, neo4j.graph.Path):
        items = [plain_value(value.nodes[0])] if value.nodes else []
        for rel, node in zip(value.relationships, value.nodes[1:]):
            items += [plain_value(rel), plain_value(node)]
        return items
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return value.item()
    if hasattr(value, "tolist"):  # numpy array
        return value.tolist()
    return str(value)


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------
def translate_error(err: Exception, *, uri: str | None = None,
                    database: str | None = None, user: str | None = None) -> StoreError:
    """Return the one-line :class:`StoreError` for a driver exception.

    The message never includes credentials: it names the server, the database
    and the user only.

    Examples
    --------
    >>> from neo4j.exceptions import ServiceUnavailable
    >>> print(translate_error(ServiceUnavailable("Couldn't connect"), uri="bolt://db:7687"))
    cannot reach Neo4j at bolt://db:7687 (Couldn't connect); is the server running and the URI right?
    """
    where = f" at {display_uri(uri)}" if uri else ""
    where_zh = f"（{display_uri(uri)}）" if uri else ""
    if isinstance(err, StoreError):
        return err
    if isinstance(err, neo4j_errors.AuthError):
        who = f" for user {user!r}" if user else ""
        who_zh = f"（用户 {user!r}）" if user else ""
        return StoreError(
            f"Neo4j{where} rejected the credentials{who}; check NEO4J_USERNAME (or "
            f"--username) and NEO4J_PASSWORD",
            f"Neo4j{where_zh}拒绝了登录凭据{who_zh}；请检查 NEO4J_USERNAME（或 --username）"
            f"和 NEO4J_PASSWORD")
    if isinstance(err, (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired)):
        reason = _first_line(str(err))
        return StoreError(
            f"cannot reach Neo4j{where} ({reason}); is the server running and the URI right?",
            f"无法连接 Neo4j{where_zh}（{reason}）；服务器是否在运行、地址是否正确？")
    if isinstance(err, neo4j_errors.Neo4jError):
        code = err.code or ""
        message = _first_line(err.message or str(err))
        if code == "Neo.ClientError.Database.DatabaseNotFound":
            return StoreError(
                f"database {database!r} does not exist on Neo4j{where}; name an existing "
                f"one with --database or NEO4J_DATABASE",
                f"Neo4j{where_zh}上没有数据库 {database!r}；请用 --database 或 NEO4J_DATABASE "
                f"指定已有的数据库")
        if code == "Neo.ClientError.Statement.AccessMode":
            return ReadOnlyError(f"the query writes, but it ran read-only ({message})")
        if code.startswith("Neo.ClientError.Security."):
            who = f"user {user!r}" if user else "this user"
            return StoreError(f"Neo4j{where} does not allow {who} to do this ({message}); "
                              f"ask the database administrator for the privilege",
                              f"Neo4j{where_zh}不允许{who}执行此操作（{message}）；"
                              f"请向数据库管理员申请权限")
        if isinstance(err, neo4j_errors.CypherSyntaxError):
            return StoreError(f"Cypher syntax error: {message}")
        if code == "Neo.ClientError.Statement.ParameterMissing":
            return StoreError(f"{message}; pass it with --param NAME=VALUE")
        return StoreError(f"Neo4j error {code}: {message}")
    if isinstance(err, neo4j_errors.ConfigurationError) and "otification" in str(err):
        return StoreError(f"Neo4j{where} is too old: orgnet needs Neo4j "
                          f"{MIN_SERVER_VERSION[0]}.{MIN_SERVER_VERSION[1]} or later")
    if isinstance(err, (neo4j_errors.ConfigurationError, ValueError)):
        return StoreError(f"invalid Neo4j connection settings{where}: {_first_line(str(err))}")
    if isinstance(err, neo4j_errors.DriverError):
        return StoreError(f"Neo4j driver error{where}: {_first_line(str(err))}")
    return StoreError(_first_line(str(err)))


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0].rstrip(":").strip() if lines else "no details"


def display_uri(uri: str | None) -> str:
    """Return a URI without any user:password part.

    Examples
    --------
    >>> display_uri("neo4j://neo4j:secret@db.example:7687")
    'neo4j://db.example:7687'
    """
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^@/]*@", r"\1", uri or "")


def check_server(driver, database: str) -> str:
    """Return the Neo4j server version, or raise :class:`StoreError` if it is too old.

    Runs ``CALL dbms.components()`` in the given database, which also proves the
    database exists.
    """
    result = driver.execute_query(SERVER_COMPONENTS, database_=database,
                                  routing_=neo4j.RoutingControl.READ)
    for record in result.records:
        if record["name"] == "Neo4j Kernel":
            version = (record["versions"] or ["?"])[0]
            if not server_version_supported(version):
                raise StoreError(
                    f"Neo4j {version} is not supported: orgnet needs Neo4j "
                    f"{MIN_SERVER_VERSION[0]}.{MIN_SERVER_VERSION[1]} or later")
            return version
    raise StoreError("the server did not report a Neo4j Kernel version; is it Neo4j 5?")


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------
@dataclass
class LoadResult:
    """What one :meth:`Neo4jStore.load` did.

    ``status`` is ``"loaded"`` (first load), ``"replaced"`` (a new version of an
    existing dataset) or ``"unchanged"`` (same content: nothing written).
    ``nodes`` counts per label and ``relationships`` per type the live version.
    """

    name: str
    graph: str
    status: str
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    previous: str | None = None
    seconds: float = 0.0
    #: of ``seconds``: computing the content hash (``GraphRows.digest`` or a pass over the rows)
    hash_seconds: float = 0.0
    #: of ``seconds``: waiting for the write queries (the server's work, its
    #: commits and the network), measured around each call
    server_seconds: float = 0.0
    #: CPU time of this process during the load (making, hashing and packing rows;
    #: overlaps ``server_seconds``, as the next batch is made while one is written)
    client_cpu_seconds: float = 0.0

    @property
    def number_of_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def number_of_relationships(self) -> int:
        return sum(self.relationships.values())


@dataclass
class DatasetInfo:
    """One loaded dataset as listed by :meth:`Neo4jStore.datasets`."""

    name: str
    graph: str
    hash: str | None = None
    source: str | None = None
    loaded_at: str | None = None
    nodes: int | None = None
    relationships: int | None = None


@dataclass
class GraphRows:
    """The rows of one graph as the store writes them, made on demand.

    ``nodes()`` yields ``(label, rows)`` once per entity label, each row a dict
    with ``id`` and the node's properties (no ``None`` values; see
    :func:`row_properties`).  ``relationships()`` yields ``((type, source label,
    target label), rows)``, each row ``{"source": id, "target": id, "props":
    dict}``; a key may come more than once.  Rows may be produced lazily (a
    generator per group), and both callables are called once per pass: a load
    makes two passes (hash, then write), so they must give the same rows each
    time.  The ``Stage`` nodes are the store's own and are not part of it.
    Without a ``digest`` the store hashes every row (:func:`rows_digest`) in a
    first pass.

    Examples
    --------
    >>> G = new_graph("x"); G.add_node("h1", label="Institution", name="县医院", row=2)
    >>> rows = graph_rows(G)
    >>> [(label, list(group)) for label, group in rows.nodes() if label == "Institution"]
    [('Institution', [{'name': '县医院', 'row': 2, 'id': 'h1'}])]
    >>> list(rows.relationships())
    []
    """

    name: str
    nodes: Callable[[], Iterable[tuple[str, Iterable[dict]]]]
    relationships: Callable[[], Iterable[tuple[tuple[str, str, str], Iterable[dict]]]]
    source: str = ""
    #: entities + relationships, about (for a progress bar's length); None if unknown
    size: int | None = None
    #: the content hash, if the maker of the rows has a cheaper one than hashing
    #: every row (:func:`rows_digest`); e.g. ``orgnet.loaders.rows`` hashes the validated
    #: tables column by column.  Equal content gives equal digests only between
    #: rows of the same maker.
    digest: Callable[[], str] | None = None


def row_properties(attrs: dict, *, what: str, skip: Iterable[str] = ()) -> dict:
    """Return the properties the store writes for one node, edge or services row.

    ``None`` values and the keys in ``skip`` are left out, values become plain
    Python values (:func:`plain_value`), and a key the store reserves
    (:data:`RESERVED_PROPERTIES`) raises :class:`StoreError` naming ``what``.

    Examples
    --------
    >>> row_properties({"name": "卫生院", "note": None, "type": "X"}, what="row 2", skip=("type",))
    {'name': '卫生院'}
    >>> row_properties({"graph": 1}, what="Institution 'h1'")
    Traceback (most recent call last):
    ...
    orgnet.graphmodel.neo4j_store.StoreError: Institution 'h1' has a property 'graph', which the Neo4j store reserves for its own use; rename that column
    """
    props = {}
    for key, value in attrs.items():
        if value is None or key in skip:
            continue
        if key in RESERVED_PROPERTIES:
            raise StoreError(
                f"{what} has a property {key!r}, which the Neo4j store reserves for "
                f"its own use; rename that column")
        props[key] = value if type(value) in _PLAIN_TYPES else plain_value(value)
    return props


_properties = row_properties
_PLAIN_TYPES = frozenset({str, int, float, bool})


def graph_rows(G: nx.MultiDiGraph, *, source: str = "") -> GraphRows:
    """Return the :class:`GraphRows` of an embedded graph (:mod:`orgnet.graphmodel.embedded`).

    Node rows are made per label and relationship rows per group as they are
    asked for; only the grouping (references to the graph's own attribute
    dicts) is kept.

    Raises
    ------
    StoreError
        A node without an entity label, an edge without a relationship type, or
        a property the store reserves.
    """
    by_label: dict[str, list] = {label: [] for label in ENTITY_LABELS}
    labels: dict = {}
    for node, attrs in G.nodes(data=True):
        label = attrs.get("label")
        if label not in by_label:
            raise StoreError(f"node {node!r} has no entity label (got {label!r})")
        labels[node] = label
        by_label[label].append((node, attrs))
    groups: dict[tuple[str, str, str], list] = {}
    for source_node, target, attrs in G.edges(data=True):
        rel = attrs.get("type")
        if rel not in REL_TYPES:
            raise StoreError(f"edge {source_node!r} -> {target!r} has no relationship type")
        key = (rel, labels[source_node], labels[target])
        groups.setdefault(key, []).append((source_node, target, attrs))
    services = G.graph.get("services", [])
    if services:
        groups[(PROVIDES, INSTITUTION, STAGE)] = services
    order = {rel: index for index, rel in enumerate(REL_TYPES)}
    labels_order = {label: index for index, label in enumerate(NODE_LABELS)}
    ordered = sorted(groups.items(), key=lambda item: (
        order[item[0][0]], labels_order[item[0][1]], labels_order[item[0][2]]))

    def node_rows(label, members):
        for node, attrs in members:
            row = row_properties(attrs, what=f"{label} {node!r}", skip=("label", "id"))
            row["id"] = node
            yield row

    def edge_rows(rel, edges):
        for source_node, target, attrs in edges:
            yield {"source": source_node, "target": target,
                   "props": row_properties(attrs, what=f"{rel} {source_node!r} -> {target!r}",
                                           skip=("type",))}

    def service_rows(records):
        for service in records:
            yield {"source": service["institution_id"], "target": service["stage"],
                   "props": row_properties(service, what=f"services row {service.get('row')}",
                                           skip=("institution_id", "stage"))}

    def nodes():
        for label, members in by_label.items():
            yield label, node_rows(label, members)

    def relationships():
        for key, items in ordered:
            if key == (PROVIDES, INSTITUTION, STAGE):
                yield key, service_rows(items)
            else:
                yield key, edge_rows(key[0], items)

    size = G.number_of_nodes() + G.number_of_edges() + len(services)
    return GraphRows(G.graph.get("dataset") or "", nodes, relationships, source, size)


#: One encoder for every row (json.dumps with options builds a new encoder per call).
_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          default=str).encode
_MOD = 1 << 128


@dataclass
class _Scan:
    """What the first pass over the rows found: digest and counts."""

    digest: str
    nodes: dict[str, int]
    relationships: dict[str, int]


def _scan(rows: GraphRows, progress: Callable[[int], None] | None = None) -> _Scan:
    """Hash and count every row (one pass, one row in memory at a time).

    The digest is order-independent: each row's canonical JSON (with its label
    or relationship key) gets a 128-bit BLAKE2b digest, and the digests are
    added modulo 2**128 (a multiset hash), then the sum and the counts are
    hashed with the store format.  No row list is built or sorted.
    """
    total = 0
    blake = hashlib.blake2b
    from_bytes = int.from_bytes
    node_counts = {label: 0 for label in ENTITY_LABELS}
    rel_counts: dict[str, int] = {}
    for label, group in rows.nodes():
        prefix = _dumps(label)
        count = 0
        for row in group:
            total += from_bytes(blake((prefix + _dumps(row)).encode(), digest_size=16).digest())
            count += 1
        node_counts[label] = node_counts.get(label, 0) + count
        if progress is not None:
            progress(count)
    for key, group in rows.relationships():
        prefix = _dumps(list(key))
        count = 0
        for row in group:
            total += from_bytes(blake((prefix + _dumps(row)).encode(), digest_size=16).digest())
            count += 1
        rel_counts[key[0]] = rel_counts.get(key[0], 0) + count
        if progress is not None:
            progress(count)
    digest = hashlib.sha256(f"orgnet-neo4j-store-format-{STORE_FORMAT}\n".encode())
    digest.update((total % _MOD).to_bytes(16, "big"))
    digest.update(_dumps([sorted(node_counts.items()), sorted(rel_counts.items())]).encode())
    order = {rel: index for index, rel in enumerate(REL_TYPES)}
    return _Scan(digest.hexdigest(), node_counts,
                 dict(sorted(rel_counts.items(), key=lambda item: order.get(item[0], 0))))


def rows_digest(rows: GraphRows) -> str:
    """Return the content hash of :class:`GraphRows` (what the store compares on reload).

    Equal rows give equal digests whatever their order or grouping; the dataset
    name does not count.

    Examples
    --------
    >>> A = new_graph("a"); A.add_node("h1", label="Institution", name="县医院")
    >>> rows_digest(graph_rows(A)) == content_hash(A)
    True
    """
    return _scan(rows).digest


def content_hash(G: nx.MultiDiGraph) -> str:
    """Return a SHA-256 hex digest of an embedded graph's content.

    Node and edge attributes, labels and services count; the dataset name and
    the insertion order do not.  Equal to :func:`rows_digest` of the rows the
    loaders make from the same dataset.

    Examples
    --------
    >>> A = new_graph("a"); A.add_node("h1", label="Institution", name="县医院")
    >>> B = new_graph("b"); B.add_node("h1", label="Institution", name="县医院")
    >>> content_hash(A) == content_hash(B)
    True
    >>> B.nodes["h1"]["name"] = "县人民医院"
    >>> content_hash(A) == content_hash(B)
    False
    """
    return rows_digest(graph_rows(G))


def _stage_rows() -> list[dict]:
    return [{"id": stage, "order": order} for order, stage in enumerate(STAGES)]


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_DONE = object()


def _prefetched(groups: Iterator, size: int, depth: int = 2) -> Iterator[tuple]:
    """Yield ``(key, batch)`` of every group, made by a thread ``depth`` batches ahead.

    The thread makes the next batches (Python work) while the caller waits for
    the server to write the current one; an error in the thread is raised here.
    """
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce():
        try:
            for key, group in groups:
                for batch in _batches(group, size):
                    if stop.is_set():
                        return
                    buffer.put((key, batch))
            buffer.put(_DONE)
        except BaseException as err:  # handed to the consumer
            buffer.put(err)

    worker = threading.Thread(target=produce, name="orgnet-neo4j-rows", daemon=True)
    worker.start()
    try:
        while True:
            item = buffer.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                buffer.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()


def _new_version() -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}"


class Neo4jStore:
    """Orgnet datasets in one Neo4j database.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver; the store never creates or closes it.
    database : str
        The database every query runs in.

    Examples
    --------
    >>> store = Neo4jStore(driver=None, database="neo4j")
    >>> store.database
    'neo4j'
    """

    def __init__(self, driver, database: str):
        self.driver = driver
        self.database = database
        self._server_wait = 0.0
        self._busy_lock = threading.Lock()
        self._in_flight = 0
        self._busy_since = 0.0

    # -- plumbing -------------------------------------------------------
    def _write(self, query: str, params: dict | None = None):
        with self._busy_lock:  # wall time with at least one write in flight
            if self._in_flight == 0:
                self._busy_since = time.perf_counter()
            self._in_flight += 1
        try:
            return self.driver.execute_query(query, params or {}, database_=self.database)
        finally:
            with self._busy_lock:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self._server_wait += time.perf_counter() - self._busy_since

    def _read(self, query: str, params: dict | None = None):
        return self.driver.execute_query(query, params or {}, database_=self.database,
                                         routing_=neo4j.RoutingControl.READ)

    # -- schema ---------------------------------------------------------
    def schema_queries(self) -> list[str]:
        """Return the statements :meth:`ensure_schema` runs, in order."""
        queries = [render(CREATE_DATASET_CONSTRAINT, label=DATASET_LABEL)]
        for label in NODE_LABELS:
            queries.append(render(CREATE_KEY_CONSTRAINT, label=label,
                                  name=_index_name("key", label)))
            queries.append(render(CREATE_GRAPH_INDEX, label=label,
                                  name=_index_name("graph", label)))
            queries.append(render(DROP_DATASET_INDEX, name=_index_name("dataset", label)))
        return queries

    def ensure_schema(self) -> None:
        """Create the constraints and indexes the store and the checks need (idempotent)."""
        for query in self.schema_queries():
            self._write(query)

    # -- datasets -------------------------------------------------------
    def _state(self, name: str) -> tuple[str | None, str | None, list[str]]:
        result = self._read(render(DATASET_STATE, label=DATASET_LABEL), {"name": name})
        if not result.records:
            return None, None, []
        props = result.records[0]["props"]
        return props.get("graph"), props.get("hash"), list(props.get("pending") or [])

    def datasets(self) -> list[DatasetInfo]:
        """Return the loaded datasets (those with a live version), by name."""
        result = self._read(render(LIST_DATASETS, label=DATASET_LABEL))
        return [DatasetInfo(**{k: record["props"].get(k) for k in (
            "name", "graph", "hash", "source", "loaded_at", "nodes", "relationships")})
            for record in result.records if record["props"].get("graph") is not None]

    def live_graph(self, name: str) -> str:
        """Return the live version tag (``graph``) of a dataset, or raise StoreError."""
        graph, _, _ = self._state(name)
        if graph is None:
            names = [info.name for info in self.datasets()]
            loaded = ", ".join(names) if names else "none"
            raise StoreError(
                f"no dataset {name!r} in Neo4j database {self.database!r} "
                f"(loaded: {loaded}); load it with: orgnet load PATH --dataset {name}",
                f"Neo4j 数据库 {self.database!r} 中没有数据集 {name!r}（已载入："
                f"{'、'.join(names) if names else '无'}）；请先载入：orgnet load PATH --dataset {name}")
        return graph

    def _purge(self, name: str, graph: str, batch_size: int) -> int:
        """Delete every node of one version in batches, then forget it."""
        deleted = 0
        for label in NODE_LABELS:
            query = render(DELETE_VERSION_BATCH, label=label)
            while True:
                result = self._write(query, {"graph": graph, "batch_size": batch_size})
                count = result.records[0]["deleted"] if result.records else 0
                deleted += count
                if count < batch_size:
                    break
        self._write(render(FORGET_PENDING, label=DATASET_LABEL), {"name": name, "graph": graph})
        return deleted

    def delete(self, name: str, *, batch_size: int = 10000) -> bool:
        """Delete a dataset (every version of it); return False if there was none."""
        graph, _, pending = self._state(name)
        if graph is None and not pending:
            exists = self._read(render(DATASET_STATE, label=DATASET_LABEL), {"name": name})
            if not exists.records:
                return False
        self._write(render(RETIRE_LIVE, label=DATASET_LABEL), {"name": name})
        for old in ([graph] if graph else []) + [g for g in pending if g != graph]:
            self._purge(name, old, batch_size)
        self._write(render(DROP_DATASET_NODE, label=DATASET_LABEL), {"name": name})
        return True

    # -- loading --------------------------------------------------------
    def load(self, data, *, name: str | None = None, replace: bool = False,
             batch_size: int = 10000, progress: Callable[[int], None] | None = None,
             source: str | None = None, workers: int = 2) -> LoadResult:
        """Load a dataset's rows (or an embedded graph) as a new live version.

        Parameters
        ----------
        data : GraphRows or networkx.MultiDiGraph
            The rows of a validated dataset (``orgnet.loaders.rows.dataset_rows`` makes
            them without building the graph), or an embedded graph.
        name : str, optional
            Dataset name in the database (default: the dataset's own name).
        replace : bool
            Allow replacing a dataset of that name whose content differs.
        batch_size : int
            Rows per write transaction.
        progress : callable, optional
            Called with the number of entities and relationships written after
            each batch.
        source : str, optional
            Where the data came from, recorded on the ``OrgnetDataset`` node.
        workers : int
            Write transactions in flight at the same time (default 2: the server
            writes one batch on each of two cores while the next is sent).

        Returns
        -------
        LoadResult

        Raises
        ------
        DatasetExistsError
            A dataset with different content has that name and ``replace`` is false.
        StoreError
            The server failed; the previous version stays live.
        """
        if batch_size < 1:
            raise StoreError(f"batch size must be at least 1, got {batch_size}")
        if workers < 1:
            raise StoreError(f"workers must be at least 1, got {workers}")
        started = time.monotonic()
        cpu_started = time.process_time()
        self._server_wait = 0.0
        if isinstance(data, nx.Graph):
            rows = graph_rows(data)
        elif isinstance(data, GraphRows):
            rows = data
        else:
            raise TypeError("Neo4jStore.load takes GraphRows or an embedded graph, got "
                            f"{type(data).__name__} (loaders.rows.dataset_rows makes the "
                            f"rows of a dataset)")
        name = name or rows.name
        if not name:
            raise StoreError("the dataset has no name; give one with --dataset")
        if source is None:
            source = rows.source or ""
        if rows.digest is not None:
            digest, node_counts, rel_counts = rows.digest(), None, None
        else:
            scan = _scan(rows)
            digest, node_counts, rel_counts = scan.digest, scan.nodes, scan.relationships
        hashed = time.monotonic()
        self.ensure_schema()
        live, live_hash, pending = self._state(name)
        if live is not None and live_hash != digest and not replace:
            raise DatasetExistsError(
                f"a different dataset named {name!r} is already loaded in Neo4j database "
                f"{self.database!r}; use --replace to overwrite it, or --dataset to load "
                f"it under another name")
        for old in pending:
            if old != live:
                self._purge(name, old, batch_size)
        if live is not None and live_hash == digest:
            return self._result(name, live, "unchanged", node_counts or {},
                                rel_counts or {}, None, started, hashed, cpu_started)
        graph = f"{name}#{_new_version()}"
        self._write(render(REGISTER_PENDING, label=DATASET_LABEL), {"name": name, "graph": graph})
        try:
            node_counts, rel_counts = self._write_rows(rows, name, graph, batch_size,
                                                          progress, workers)
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as err:
            kept = "the previous version is still live" if live else "nothing was made live"
            raise StoreError(
                f"loading {name!r} stopped part-way ({translate_error(err)}); {kept}; "
                f"run the load again to finish") from err
        info = {"hash": digest, "source": source, "version": graph.rsplit("#", 1)[1],
                "loaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "nodes": sum(node_counts.values()),
                "relationships": sum(rel_counts.values())}
        result = self._write(render(SWITCH_VERSION, label=DATASET_LABEL),
                             {"name": name, "graph": graph, "info": info})
        previous = result.records[0]["previous"] if result.records else None
        if previous is not None:
            self._purge(name, previous, batch_size)
        status = "loaded" if live is None else "replaced"
        return self._result(name, graph, status, node_counts, rel_counts, previous,
                            started, hashed, cpu_started)

    def _result(self, name, graph, status, nodes, rels, previous, started, hashed,
                cpu_started):
        return LoadResult(name, graph, status, nodes, rels, previous,
                          time.monotonic() - started, hash_seconds=hashed - started,
                          server_seconds=self._server_wait,
                          client_cpu_seconds=time.process_time() - cpu_started)

    def _write_rows(self, rows: GraphRows, name: str, graph: str, batch_size: int,
                    progress, workers: int = 1) -> tuple[dict[str, int], dict[str, int]]:
        """Write every row in batches; return the nodes per label and relationships per type.

        Up to ``workers`` batches are written at the same time, each in its own
        transaction; every node batch is committed before the first relationship
        batch starts (its endpoints must exist).  A batch the server gives up on
        with a transient error (a deadlock between two relationship batches
        sharing a node) is retried whole by the driver: a transaction writes all
        of its rows or none.
        """
        def groups():
            for label, group in rows.nodes():
                yield ("node", label), group
            yield ("node", STAGE), _stage_rows()
            for key, group in rows.relationships():
                yield ("rel", key), group

        queries: dict = {}

        def query_for(template: str, key) -> str:
            """The rendered query of a template for a node label or relationship key."""
            query = queries.get((template, key))
            if query is None:
                query = queries[(template, key)] = (
                    render(template, label=key) if template is CREATE_NODES else
                    render(template, rel_type=key[0], source_label=key[1], target_label=key[2]))
            return query

        node_counts = {label: 0 for label in ENTITY_LABELS}
        rel_counts: dict[str, int] = {}

        def done(kind, key, size):
            if kind == "rel":
                rel_counts[key[0]] = rel_counts.get(key[0], 0) + size
            elif key != STAGE:
                node_counts[key] = node_counts.get(key, 0) + size
            if progress is not None and key != STAGE:
                progress(size)

        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="orgnet-neo4j-write")
        running: deque = deque()
        nodes_written = False

        def settle(limit: int) -> None:
            while len(running) > limit:
                future, kind, key, size = running.popleft()
                future.result()
                done(kind, key, size)

        element_ids: dict[str, dict] = {label: {} for label in NODE_LABELS}

        def write_nodes(query, params, label):
            created = self._write_batch(query, params, name, graph)
            known = element_ids[label]
            for row, element_id in zip(params["rows"], created):
                known[row["id"]] = element_id

        def endpoints(batch, source_label, target_label, rel):
            """Return the batch as endpoint element-id rows, and whether any has properties."""
            sources, targets = element_ids[source_label], element_ids[target_label]
            try:
                if any(row["props"] for row in batch):
                    return [[sources[row["source"]], targets[row["target"]], row["props"]]
                            for row in batch], True
                return [[sources[row["source"]], targets[row["target"]]] for row in batch], False
            except KeyError as err:
                raise StoreError(f"a {rel} relationship names {err.args[0]!r}, which is no "
                                 f"{source_label} or {target_label} of the dataset") from None

        try:
            for (kind, key), batch in _prefetched(groups(), batch_size, depth=workers + 1):
                if kind == "rel" and not nodes_written:
                    settle(0)  # every node is committed before the first relationship
                    nodes_written = True
                settle(workers - 1)
                if kind == "node":
                    future = pool.submit(write_nodes, query_for(CREATE_NODES, key),
                                         {"rows": batch, "graph": graph}, key)
                else:
                    rows, with_props = endpoints(batch, key[1], key[2], key[0])
                    template = CREATE_RELATIONSHIPS if with_props else CREATE_PLAIN_RELATIONSHIPS
                    future = pool.submit(self._write_batch, query_for(template, key),
                                         {"rows": rows}, name, graph)
                running.append((future, kind, key, len(batch)))
            settle(0)
        finally:
            for future, *_ in running:
                future.cancel()
            pool.shutdown(wait=True)
        order = {rel: index for index, rel in enumerate(REL_TYPES)}
        return node_counts, dict(sorted(rel_counts.items(), key=lambda kv: order[kv[0]]))

    def _write_batch(self, query: str, params: dict, name: str, graph: str):
        """Run one write batch; return its ``created`` value (a count or the element ids)."""
        result = self._write(query, params)
        created = result.records[0]["created"] if result.records else 0
        count = created if isinstance(created, int) else len(created)
        if count != len(params["rows"]):
            raise StoreError(
                f"wrote {count} of {len(params['rows'])} rows of version {graph!r}; the "
                f"data changed under the load (is another load of {name!r} running?)")
        return created

    # -- reading --------------------------------------------------------
    def read_graph(self, name: str) -> nx.MultiDiGraph:
        """Return the live version of a dataset as the embedded graph.

        The graph has exactly the shape :func:`orgnet.loaders.graph.build_graph` gives
        (:mod:`orgnet.graphmodel.embedded`): same nodes, attributes, edges, keys and services.
        """
        graph = self.live_graph(name)
        G = new_graph(name)
        for label in ENTITY_LABELS:
            result = self._read(render(READ_NODES, label=label), {"graph": graph})
            for record in result.records:
                props = _strip(record["props"])
                props.pop("id", None)
                G.add_node(record["id"], label=label, **props)
        structure, link_rows, services = [], [], []
        for label in ENTITY_LABELS:
            result = self._read(render(READ_RELATIONSHIPS, label=label), {"graph": graph})
            for record in result.records:
                rel, props = record["type"], _strip(record["props"])
                if rel == PROVIDES:
                    services.append({"institution_id": record["source"],
                                     "stage": record["target"],
                                     "coordinator_org_id": None, **props})
                elif link_type_of_rel(rel) is not None:
                    link_rows.append((record["source"], record["target"], props))
                elif rel in REL_TYPES:
                    structure.append((record["source"], record["target"], rel))
        for source, target, rel in structure:
            G.add_edge(source, target, key=rel, type=rel)
        for source, target, props in sorted(link_rows, key=lambda r: r[2]["link_index"]):
            add_link(G, source, target, **props)
        G.graph["services"] = sorted(services, key=lambda s: s.get("row", 0))
        return G


def _strip(props: dict) -> dict:
    return {k: v for k, v in dict(props).items() if k not in RESERVED_PROPERTIES}


def read_graph(driver, database: str, name: str) -> nx.MultiDiGraph:
    """Return dataset ``name`` of a Neo4j database as the embedded graph.

    Shorthand for ``Neo4jStore(driver, database).read_graph(name)``.
    """
    return Neo4jStore(driver, database).read_graph(name)


# ---------------------------------------------------------------------------
# The Cypher console
# ---------------------------------------------------------------------------
@dataclass
class CypherResult:
    """Rows of one Cypher query: ``keys`` (column names), ``rows`` (lists of
    plain values, see :func:`plain_value`), ``counters`` (what a write changed)."""

    keys: list[str]
    rows: list[list]
    counters: dict[str, int] = field(default_factory=dict)
    notifications: list[str] = field(default_factory=list)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def notification_lines(summary) -> list[str]:
    """Return the server's notifications of a query as one readable line each.

    Each line reads ``SEVERITY GQLSTATUS (line L, column C): description``; control
    characters are replaced by spaces, so nothing from the query or the server can
    drive the terminal.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> note = NS(is_notification=True, raw_severity="WARNING", gql_status="01N52",
    ...           status_description="warn: property key does not exist.\\nThe property",
    ...           position=NS(line=1, column=9))
    >>> notification_lines(NS(gql_status_objects=[note]))
    ['WARNING 01N52 (line 1, column 9): warn: property key does not exist. The property']
    """
    lines = []
    for status in getattr(summary, "gql_status_objects", None) or []:
        if not status.is_notification:
            continue
        where = ""
        if status.position is not None:
            where = f" (line {status.position.line}, column {status.position.column})"
        text = _CONTROL.sub(" ", str(status.status_description or "")).strip()
        severity = _CONTROL.sub(" ", str(status.raw_severity or "")).strip() or "NOTE"
        lines.append(f"{severity} {status.gql_status}{where}: {text}")
    return lines


_PREFIX = re.compile(r"^\s*(EXPLAIN|PROFILE)\b", re.IGNORECASE)


def _query_type(session, query: str, parameters: dict) -> str | None:
    """Return the planned query type (r, rw, w, s) of a statement, or None if unknown."""
    prefix = _PREFIX.match(query)
    if prefix and prefix.group(1).upper() == "EXPLAIN":
        return "r"  # EXPLAIN only plans: it never runs the statement
    body = query[prefix.end():].lstrip() if prefix else query
    try:
        return session.run("EXPLAIN " + body, parameters).consume().query_type
    except neo4j_errors.Neo4jError as err:
        if err.code == "Neo.ClientError.Statement.AccessMode":
            raise
        return None  # cannot plan it this way: the READ access mode still applies


def run_cypher(driver, database: str, query: str, parameters: dict | None = None, *,
               write: bool = False) -> CypherResult:
    """Run one Cypher statement; read-only unless ``write`` is true.

    Without ``write`` the statement is first planned with ``EXPLAIN`` and refused
    if its query type is not read-only, then run in a READ access-mode session
    (the server refuses writes there too).  With ``write`` it runs as an
    auto-commit transaction, so ``CALL { ... } IN TRANSACTIONS`` works.

    Raises
    ------
    ReadOnlyError
        The statement would write and ``write`` is false.
    """
    parameters = parameters or {}
    mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
    try:
        with driver.session(database=database, default_access_mode=mode) as session:
            if not write:
                query_type = _query_type(session, query, parameters)
                if query_type not in ("r", None):
                    raise ReadOnlyError(
                        f"the query would write (query type {query_type!r}) and "
                        f"write access was not granted")
            result = session.run(query, parameters)
            keys = list(result.keys())
            rows = [[plain_value(value) for value in record.values()] for record in result]
            summary = result.consume()
    except neo4j_errors.Neo4jError as err:
        if err.code == "Neo.ClientError.Statement.AccessMode":
            raise translate_error(err) from err
        raise
    counters = {}
    if summary.counters is not None:
        counters = {k: v for k, v in vars(summary.counters).items()
                    if isinstance(v, int) and not isinstance(v, bool) and v
                    and not k.startswith("_")}
    return CypherResult(keys, rows, counters, notification_lines(summary))
