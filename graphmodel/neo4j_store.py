"""The Neo4j store: load datasets into a Neo4j 5 database and read them back.

The store is handed a driver and a database name; it never creates or closes
drivers (the caller owns the driver).  Every query names the database, every
value is a ``$parameter`` and every label or relationship type comes from
:mod:`graphmodel.schema`, backtick-quoted.  It needs Neo4j 5.7 or later
(Community is enough: no APOC, no Enterprise-only constraints).

Shape
-----
- Each entity node carries its schema label (``Region``, ``Institution``,
  ``PartyOrg``, ``Member``), ``id``, every attribute of the embedded node
  (:mod:`graphmodel.embedded`; lists stay lists, ``row`` the spreadsheet row),
  plus ``dataset`` (the dataset name) and ``graph`` (``<dataset>#<version>``).
- Each edge of the embedded graph is one relationship of the same schema type
  with the same attributes (less ``type``), plus ``dataset`` and ``graph``.
- Services rows are ``(:Institution)-[:PROVIDES {row, coordinator_org_id}]->(:Stage)``;
  every version has the seven ``(:Stage {id, order, dataset, graph})`` nodes of
  ``schema.STAGES`` (``order`` is the life-cycle position, 0-based).
- ``(:OrgnetDataset {name})`` holds ``graph``, the live version, and
  ``pending``, versions being written or waiting to be deleted, plus the content
  ``hash``, ``source``, ``loaded_at`` and the counts ``nodes`` and
  ``relationships``.  Queries start from it: ``MATCH (d:OrgnetDataset {name:
  $dataset}) MATCH (i:Institution {graph: d.graph})``.

Schema: a uniqueness constraint on ``(graph, id)`` for each node label
(composite property uniqueness constraints exist in Community Edition), one on
``OrgnetDataset.name``, and range indexes on ``graph`` and ``dataset``.

Loading
-------
1. The caller validates first (:func:`loaders.load_dataset` raises on any
   problem), so an invalid dataset never reaches the store.
2. The content hash (of the embedded graph) is compared with the live
   version's: the same hash means there is nothing to do (a reload leaves the
   database identical); a different hash under an existing name needs
   ``replace=True``, else :class:`DatasetExistsError`.
3. Versions left in ``pending`` by an earlier load that died are deleted.
4. The new version is registered in ``pending``, then written with
   ``UNWIND $rows ... CREATE`` in batches of ``batch_size`` rows, each batch its
   own transaction.
5. One transaction switches ``OrgnetDataset.graph`` to the new version and
   moves the old one to ``pending``; the old version is then deleted in batches.

A load that dies before step 5 leaves the previous version live and intact; the
next load deletes what the dead one wrote.  Run one load per dataset at a time.

Examples
--------
>>> render(CREATE_NODES, label="Institution").split("\\n")[1]
'CREATE (n:`Institution` {dataset: $dataset, graph: $graph})'
>>> server_version_supported("5.7.0"), server_version_supported("4.4.30")
(True, False)
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

import networkx as nx
import neo4j
from neo4j import exceptions as neo4j_errors

from graphmodel.embedded import add_link, new_graph
from graphmodel.errors import OrgnetError
from graphmodel.schema import (
    DATASET_LABEL, ENTITY_LABELS, INSTITUTION, PROVIDES, REL_TYPES, STAGE, STAGES,
    TABLE_LABEL, link_type_of_rel,
)

__all__ = [
    "Neo4jStore", "LoadResult", "DatasetInfo", "CypherResult", "StoreError",
    "DatasetExistsError", "ReadOnlyError", "read_graph", "content_hash",
    "check_server", "server_version_supported", "translate_error", "run_cypher",
    "plain_value", "render", "MIN_SERVER_VERSION", "STORE_FORMAT",
    "NODE_LABELS", "RESERVED_PROPERTIES",
]

#: Oldest Neo4j server this store supports.
#: Notification filters (Bolt 5.2) arrived in 5.7; orgnet's queries run with them off.
MIN_SERVER_VERSION = (5, 7)
#: Bumped when the stored shape changes: part of the content hash, so a reload
#: after an upgrade rewrites the data.
STORE_FORMAT = 1
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
CREATE_DATASET_INDEX = "CREATE INDEX {name} IF NOT EXISTS\nFOR (n:{label}) ON (n.dataset)"

SERVER_COMPONENTS = (
    "CALL dbms.components() YIELD name, versions, edition\n"
    "RETURN name, versions, edition"
)
DATASET_STATE = (
    "MATCH (d:{label} {{name: $name}})\n"
    "RETURN d.graph AS graph, d.hash AS hash, coalesce(d.pending, []) AS pending"
)
LIST_DATASETS = (
    "MATCH (d:{label}) WHERE d.graph IS NOT NULL\n"
    "RETURN d.name AS name, d.graph AS graph, d.hash AS hash, d.source AS source,\n"
    "       d.loaded_at AS loaded_at, d.nodes AS nodes, d.relationships AS relationships\n"
    "ORDER BY name"
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
CREATE_NODES = (
    "UNWIND $rows AS row\n"
    "CREATE (n:{label} {{dataset: $dataset, graph: $graph}})\n"
    "SET n += row\n"
    "RETURN count(n) AS created"
)
CREATE_RELATIONSHIPS = (
    "UNWIND $rows AS row\n"
    "MATCH (a:{source_label} {{graph: $graph, id: row.source}})\n"
    "MATCH (b:{target_label} {{graph: $graph, id: row.target}})\n"
    "CREATE (a)-[r:{rel_type} {{dataset: $dataset, graph: $graph}}]->(b)\n"
    "SET r += row.props\n"
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
    "WHERE r.graph = $graph\n"
    "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS props"
)


class StoreError(OrgnetError):
    """A Neo4j operation failed; the message is one line naming the fix."""


class DatasetExistsError(StoreError):
    """A different dataset is already loaded under the name (use ``replace``)."""


class ReadOnlyError(StoreError):
    """A query would write but write access was not granted."""


def render(template: str, **names: str) -> str:
    """Fill a query template with backtick-quoted schema names.

    Only names defined in :mod:`graphmodel.schema` (node labels, relationship
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


def _properties(attrs: dict, *, what: str, skip: Iterable[str]) -> dict:
    props = {}
    for key, value in attrs.items():
        if key in skip or value is None:
            continue
        if key in RESERVED_PROPERTIES:
            raise StoreError(
                f"{what} has a property {key!r}, which the Neo4j store reserves for "
                f"its own use; rename that column")
        props[key] = plain_value(value)
    return props


def content_hash(G: nx.MultiDiGraph) -> str:
    """Return a SHA-256 hex digest of an embedded graph's content.

    Node and edge attributes, labels and services count; the dataset name and
    the insertion order do not.

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
    return _plan(G).digest()


#: One encoder for every row (json.dumps with options builds a new encoder per call).
_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          default=str).encode


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
    if isinstance(err, StoreError):
        return err
    if isinstance(err, neo4j_errors.AuthError):
        who = f" for user {user!r}" if user else ""
        return StoreError(
            f"Neo4j{where} rejected the credentials{who}; check NEO4J_USERNAME and "
            f"NEO4J_PASSWORD (or --username / --password)")
    if isinstance(err, (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired)):
        reason = _first_line(str(err))
        return StoreError(
            f"cannot reach Neo4j{where} ({reason}); is the server running and the URI right?")
    if isinstance(err, neo4j_errors.Neo4jError):
        code = err.code or ""
        message = _first_line(err.message or str(err))
        if code == "Neo.ClientError.Database.DatabaseNotFound":
            return StoreError(
                f"database {database!r} does not exist on Neo4j{where}; name an existing "
                f"one with --database or NEO4J_DATABASE")
        if code == "Neo.ClientError.Statement.AccessMode":
            return ReadOnlyError(f"the query writes, but it ran read-only ({message})")
        if code.startswith("Neo.ClientError.Security."):
            who = f"user {user!r}" if user else "this user"
            return StoreError(f"Neo4j{where} does not allow {who} to do this ({message}); "
                              f"ask the database administrator for the privilege")
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
class _Plan:
    """The rows one load writes, grouped by query."""

    nodes: dict[str, list[dict]]
    relationships: dict[tuple[str, str, str], list[dict]]

    def digest(self) -> str:
        """SHA-256 of the rows (without the constant Stage rows), in a canonical order."""
        items = [_dumps([label, row]) for label, rows in self.nodes.items()
                 if label != STAGE for row in rows]
        items += [_dumps([key, row]) for key, rows in self.relationships.items()
                  for row in rows]
        items.sort()
        digest = hashlib.sha256(f"orgnet-neo4j-store-format-{STORE_FORMAT}\n".encode())
        for item in items:
            digest.update(item.encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        nodes = {label: len(rows) for label, rows in self.nodes.items() if label != STAGE}
        rels: dict[str, int] = {}
        for (rel, _, _), rows in self.relationships.items():
            rels[rel] = rels.get(rel, 0) + len(rows)
        return nodes, rels


def _plan(G: nx.MultiDiGraph) -> _Plan:
    nodes: dict[str, list[dict]] = {label: [] for label in ENTITY_LABELS}
    labels: dict[str, str] = {}
    for node, attrs in G.nodes(data=True):
        label = attrs.get("label")
        if label not in TABLE_LABEL.values():
            raise StoreError(f"node {node!r} has no entity label (got {label!r})")
        labels[node] = label
        row = _properties(attrs, what=f"{label} {node!r}", skip=("label", "id"))
        row["id"] = node
        nodes[label].append(row)
    nodes[STAGE] = [{"id": stage, "order": order} for order, stage in enumerate(STAGES)]
    rels: dict[tuple[str, str, str], list[dict]] = {}
    for source, target, attrs in G.edges(data=True):
        rel = attrs.get("type")
        if rel not in REL_TYPES:
            raise StoreError(f"edge {source!r} -> {target!r} has no relationship type")
        props = _properties(attrs, what=f"{rel} {source!r} -> {target!r}", skip=("type",))
        key = (rel, labels[source], labels[target])
        rels.setdefault(key, []).append({"source": source, "target": target, "props": props})
    for service in G.graph.get("services", []):
        props = _properties(service, what=f"services row {service.get('row')}",
                            skip=("institution_id", "stage"))
        key = (PROVIDES, INSTITUTION, STAGE)
        rels.setdefault(key, []).append(
            {"source": service["institution_id"], "target": service["stage"], "props": props})
    order = {rel: index for index, rel in enumerate(REL_TYPES)}
    labels_order = {label: index for index, label in enumerate(NODE_LABELS)}
    ordered = dict(sorted(rels.items(), key=lambda item: (
        order[item[0][0]], labels_order[item[0][1]], labels_order[item[0][2]])))
    return _Plan(nodes=nodes, relationships=ordered)


def _batches(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


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

    # -- plumbing -------------------------------------------------------
    def _write(self, query: str, params: dict | None = None):
        return self.driver.execute_query(query, params or {}, database_=self.database)

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
            queries.append(render(CREATE_DATASET_INDEX, label=label,
                                  name=_index_name("dataset", label)))
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
        record = result.records[0]
        return record["graph"], record["hash"], list(record["pending"] or [])

    def datasets(self) -> list[DatasetInfo]:
        """Return the loaded datasets (those with a live version), by name."""
        result = self._read(render(LIST_DATASETS, label=DATASET_LABEL))
        return [DatasetInfo(**{k: record[k] for k in (
            "name", "graph", "hash", "source", "loaded_at", "nodes", "relationships")})
            for record in result.records]

    def live_graph(self, name: str) -> str:
        """Return the live version tag (``graph``) of a dataset, or raise StoreError."""
        graph, _, _ = self._state(name)
        if graph is None:
            names = [info.name for info in self.datasets()]
            loaded = ", ".join(names) if names else "none"
            raise StoreError(
                f"no dataset {name!r} in Neo4j database {self.database!r} "
                f"(loaded: {loaded}); load it with: orgnet load PATH --dataset {name}")
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
             source: str | None = None) -> LoadResult:
        """Load a validated dataset (or its embedded graph) as a new live version.

        Parameters
        ----------
        data : loaders.dataset.Dataset or networkx.MultiDiGraph
            A validated dataset, or the graph :func:`loaders.graph.build_graph` made.
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
        started = time.monotonic()
        G = data if isinstance(data, nx.Graph) else _build_graph(data)
        name = name or G.graph.get("dataset") or getattr(data, "name", "")
        if not name:
            raise StoreError("the dataset has no name; give one with --dataset")
        if source is None:
            source = getattr(data, "source", "") or ""
        plan = _plan(G)
        digest = plan.digest()
        node_counts, rel_counts = plan.counts()
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
            return LoadResult(name, live, "unchanged", node_counts, rel_counts, None,
                              time.monotonic() - started)
        graph = f"{name}#{_new_version()}"
        self._write(render(REGISTER_PENDING, label=DATASET_LABEL), {"name": name, "graph": graph})
        try:
            self._write_plan(plan, name, graph, batch_size, progress)
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
        return LoadResult(name, graph, status, node_counts, rel_counts, previous,
                          time.monotonic() - started)

    def _write_plan(self, plan: _Plan, name: str, graph: str, batch_size: int,
                    progress) -> None:
        for label, rows in plan.nodes.items():
            query = render(CREATE_NODES, label=label)
            for batch in _batches(rows, batch_size):
                self._write_batch(query, batch, name, graph)
                if progress is not None and label != STAGE:
                    progress(len(batch))
        for (rel, source_label, target_label), rows in plan.relationships.items():
            query = render(CREATE_RELATIONSHIPS, rel_type=rel, source_label=source_label,
                           target_label=target_label)
            for batch in _batches(rows, batch_size):
                self._write_batch(query, batch, name, graph)
                if progress is not None:
                    progress(len(batch))

    def _write_batch(self, query: str, rows: list[dict], name: str, graph: str) -> None:
        result = self._write(query, {"rows": rows, "dataset": name, "graph": graph})
        created = result.records[0]["created"] if result.records else 0
        if created != len(rows):
            raise StoreError(
                f"wrote {created} of {len(rows)} rows of version {graph!r}; the data "
                f"changed under the load (is another load of {name!r} running?)")

    # -- reading --------------------------------------------------------
    def read_graph(self, name: str) -> nx.MultiDiGraph:
        """Return the live version of a dataset as the embedded graph.

        The graph has exactly the shape :func:`loaders.graph.build_graph` gives
        (:mod:`graphmodel.embedded`): same nodes, attributes, edges, keys and services.
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


def _build_graph(dataset) -> nx.MultiDiGraph:
    from loaders.graph import build_graph

    return build_graph(dataset)


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
