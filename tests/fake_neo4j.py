"""An in-memory stand-in for a Neo4j driver that understands only the store's queries.

The unit tests of :mod:`orgnet.graphmodel.neo4j_store` and of ``orgnet load`` / ``orgnet
cypher`` use it to assert the exact query constants and parameters sent (every
call is recorded in ``driver.calls``) and to check the loading semantics without a
server: a query that is not one of the store's rendered constants raises, so a
changed query text fails the tests instead of passing silently.  The Cypher itself
is exercised against a real server by ``tests/graphmodel/test_neo4j_live.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from neo4j.exceptions import Neo4jError

from orgnet.graphmodel import neo4j_store as S
from orgnet.graphmodel.embedded import add_link, new_graph
from orgnet.graphmodel.schema import DATASET_LABEL, ENTITY_LABELS, INSTITUTION, MEMBER, REL_TYPES

_WRITES = ("CREATE ", "MERGE ", "DELETE ", "SET ", "REMOVE ", "DROP ")


def small_graph(name="d", *, institutions=2, label_suffix=""):
    """A hand-built graph: institutions H0..Hn-1, a member, a referral and a service."""
    G = new_graph(name)
    for i in range(institutions):
        G.add_node(f"H{i}", label=INSTITUTION, name=f"医院{i}{label_suffix}",
                   kind="county_hospital", level="county", row=i + 2)
    G.add_node("M1", label=MEMBER, name="王伟", status="full", roles=["secretary", "expert"],
               institution_id="H0", row=2)
    G.add_edge("M1", "H0", key="WORKS_AT", type="WORKS_AT")
    add_link(G, "H1", "H0", link_type="referral", link_index=0, count=3, period="2025", row=2)
    G.graph["services"].append({"institution_id": "H0", "stage": "delivery",
                                "coordinator_org_id": None, "row": 2})
    return G


@dataclass
class Call:
    query: str
    parameters: dict
    kwargs: dict


def error(code: str, message: str = "") -> Neo4jError:
    """A server error with a Neo4j status code, as the driver raises it."""
    return Neo4jError._hydrate_neo4j(code=code, message=message or code)


class FakeSummary(SimpleNamespace):
    pass


class FakeResult:
    """A session.run() result: keys(), iteration over records, consume()."""

    def __init__(self, keys, rows, summary):
        self._keys, self._rows, self._summary = list(keys), list(rows), summary

    def keys(self):
        return self._keys

    def __iter__(self):
        for row in self._rows:
            yield dict(zip(self._keys, row))

    def consume(self):
        return self._summary


@dataclass
class FakeSession:
    driver: "MemoryNeo4j"
    database: str | None
    default_access_mode: str

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, query, parameters=None):
        self.driver.runs.append((query, dict(parameters or {}), self.default_access_mode,
                                 self.database))
        writes = self.driver.query_writes(query)
        if query.startswith("EXPLAIN ") and self.driver.explain_error is not None:
            raise self.driver.explain_error
        if query.startswith("EXPLAIN "):
            return FakeResult([], [], FakeSummary(query_type="rw" if writes else "r",
                                                  counters=None))
        if writes and self.default_access_mode == "READ":
            raise error("Neo.ClientError.Statement.AccessMode",
                        "Writing in read access mode not allowed.")
        keys, rows = self.driver.console_answer
        counters = SimpleNamespace(nodes_created=1 if writes else 0, properties_set=0)
        return FakeResult(keys, rows, FakeSummary(query_type="rw" if writes else "r",
                                                  counters=counters))


@dataclass
class MemoryNeo4j:
    """A fake driver holding the data the store writes.

    ``fail_on`` is a predicate ``(call_number, query) -> Exception | None`` used to
    make a call fail (e.g. the connection dropping mid-load).
    """

    version: str = "5.13.0"
    calls: list[Call] = field(default_factory=list)
    runs: list[tuple] = field(default_factory=list)
    nodes: dict = field(default_factory=dict)      # (label, graph, id) -> props
    rels: list = field(default_factory=list)       # (source key, type, target key, props)
    datasets: dict = field(default_factory=dict)   # name -> props
    fail_on: object = None
    console_answer: tuple = (["n"], [[1]])
    closed: bool = False
    connect_error: Exception | None = None
    explain_error: Exception | None = None

    def __post_init__(self):
        self._handlers = {S.SERVER_COMPONENTS: self._components}
        self._handlers[S.render(S.DATASET_STATE, label=DATASET_LABEL)] = self._state
        self._handlers[S.render(S.LIST_DATASETS, label=DATASET_LABEL)] = self._list
        self._handlers[S.render(S.REGISTER_PENDING, label=DATASET_LABEL)] = self._register
        self._handlers[S.render(S.SWITCH_VERSION, label=DATASET_LABEL)] = self._switch
        self._handlers[S.render(S.RETIRE_LIVE, label=DATASET_LABEL)] = self._retire
        self._handlers[S.render(S.FORGET_PENDING, label=DATASET_LABEL)] = self._forget
        self._handlers[S.render(S.DROP_DATASET_NODE, label=DATASET_LABEL)] = self._drop
        for query in S.Neo4jStore(self, "x").schema_queries():
            self._handlers[query] = lambda params: []
        for label in S.NODE_LABELS:
            self._handlers[S.render(S.CREATE_NODES, label=label)] = self._creator(label)
            self._handlers[S.render(S.DELETE_VERSION_BATCH, label=label)] = self._deleter(label)
        for label in ENTITY_LABELS:
            self._handlers[S.render(S.READ_NODES, label=label)] = self._node_reader(label)
            self._handlers[S.render(S.READ_RELATIONSHIPS, label=label)] = self._rel_reader(label)
        self._rel_templates = {}
        for rel in REL_TYPES:
            for source in S.NODE_LABELS:
                for target in S.NODE_LABELS:
                    for template in (S.CREATE_RELATIONSHIPS, S.CREATE_PLAIN_RELATIONSHIPS):
                        query = S.render(template, rel_type=rel,
                                         source_label=source, target_label=target)
                        self._handlers[query] = self._linker(rel, source, target)

    # -- driver API -----------------------------------------------------
    def execute_query(self, query, parameters=None, **kwargs):
        call = Call(query, dict(parameters or {}), kwargs)
        self.calls.append(call)
        if self.fail_on is not None:
            failure = self.fail_on(len(self.calls), query)
            if failure is not None:
                raise failure
        handler = self._handlers.get(query)
        if handler is None:
            raise AssertionError(f"unexpected query:\n{query}")
        return SimpleNamespace(records=handler(call.parameters))

    def session(self, database=None, default_access_mode="WRITE", **kwargs):
        return FakeSession(self, database, default_access_mode)

    def verify_connectivity(self):
        if self.connect_error is not None:
            raise self.connect_error

    def close(self):
        self.closed = True

    @staticmethod
    def query_writes(query: str) -> bool:
        upper = " " + query.upper().replace("\n", " ") + " "
        return any(" " + word in upper for word in _WRITES)

    # -- inspection -----------------------------------------------------
    def writes(self) -> list[Call]:
        """The calls that are not schema statements or reads."""
        return [c for c in self.calls if c.kwargs.get("routing_") is None
                and not c.query.startswith("CREATE CONSTRAINT")
                and not c.query.startswith("CREATE INDEX")
                and not c.query.startswith("DROP INDEX")]

    def graphs(self) -> set[str]:
        return {key[1] for key in self.nodes}

    # -- handlers -------------------------------------------------------
    def _components(self, params):
        return [{"name": "Neo4j Kernel", "versions": [self.version], "edition": "community"}]

    def _state(self, params):
        d = self.datasets.get(params["name"])
        if d is None:
            return []
        return [{"props": dict(d)}]

    def _list(self, params):
        return [{"props": dict(d)} for name, d in sorted(self.datasets.items())]

    def _register(self, params):
        d = self.datasets.setdefault(params["name"], {"name": params["name"]})
        d["pending"] = list(d.get("pending") or []) + [params["graph"]]
        return []

    def _switch(self, params):
        d = self.datasets[params["name"]]
        previous = d.get("graph")
        d["graph"] = params["graph"]
        d["pending"] = [g for g in d.get("pending") or [] if g != params["graph"]]
        if previous is not None:
            d["pending"].append(previous)
        d.update(params["info"])
        return [{"previous": previous}]

    def _retire(self, params):
        d = self.datasets.get(params["name"])
        if d is not None:
            d["pending"] = list(d.get("pending") or []) + (
                [d["graph"]] if d.get("graph") is not None else [])
            d["graph"] = None
        return []

    def _forget(self, params):
        d = self.datasets.get(params["name"])
        if d is not None:
            d["pending"] = [g for g in d.get("pending") or [] if g != params["graph"]]
        return []

    def _drop(self, params):
        d = self.datasets.get(params["name"])
        if d is not None and d.get("graph") is None and not d.get("pending"):
            del self.datasets[params["name"]]
        return []

    def _creator(self, label):
        def create(params):
            for row in params["rows"]:
                key = (label, params["graph"], row["id"])
                if key in self.nodes:
                    raise error("Neo.ClientError.Schema.ConstraintValidationFailed",
                                f"Node already exists with label `{label}`")
                self.nodes[key] = {"graph": params["graph"],
                                   **row}
            return [{"created": [self.element_id(label, params["graph"], row["id"])
                                 for row in params["rows"]]}]
        return create

    @staticmethod
    def element_id(label: str, graph: str, node: str) -> str:
        """The element id the fake gives a node (a real server's are opaque strings)."""
        return f"fake:{label}:{graph}:{node}"

    def _by_element_id(self, element_id: str, label: str):
        _, found_label, rest = element_id.split(":", 2)
        graph, node = rest.rsplit(":", 1)
        key = (found_label, graph, node)
        return key if found_label == label and key in self.nodes else None

    def _deleter(self, label):
        def delete(params):
            keys = [k for k in self.nodes if k[0] == label and k[1] == params["graph"]]
            keys = keys[:params["batch_size"]]
            for key in keys:
                del self.nodes[key]
            gone = set(keys)
            self.rels = [r for r in self.rels if r[0] not in gone and r[2] not in gone]
            return [{"deleted": len(keys)}]
        return delete

    def _linker(self, rel, source, target):
        def link(params):
            created = 0
            for row in params["rows"]:  # [source, target] or [source, target, props]
                a = self._by_element_id(row[0], source)
                b = self._by_element_id(row[1], target)
                if a is not None and b is not None:
                    props = row[2] if len(row) > 2 else {}
                    self.rels.append((a, rel, b, {k: v for k, v in props.items()
                                                  if v is not None}))
                    created += 1
            return [{"created": created}]
        return link

    def _node_reader(self, label):
        def read(params):
            found = [(props.get("row"), key[2], props) for key, props in self.nodes.items()
                     if key[0] == label and key[1] == params["graph"]]
            found.sort(key=lambda item: (item[0] is None, item[0], item[1]))
            return [{"id": node, "props": dict(props)} for _, node, props in found]
        return read

    def _rel_reader(self, label):
        def read(params):
            return [{"source": a[2], "type": rel, "target": b[2], "props": dict(props)}
                    for a, rel, b, props in self.rels
                    if a[0] == label and a[1] == params["graph"]]
        return read
