"""The embedded graph in the files other tools read: GraphML, GEXF, node and edge CSV.

:func:`flat_graph` turns the embedded graph (:mod:`orgnet.graphmodel.embedded`) into a
graph whose every attribute is a scalar, as GraphML and GEXF require: lists
(``roles``, ``institution_ids``) are joined with ``;``, empty values are left
out, and the services rows become what they are in Neo4j: ``PROVIDES`` edges
from an institution to one ``Stage`` node per stage (:data:`~graphmodel.schema.STAGE`).
Every entity is a node with its ``label``; every link row and every structure
relationship is an edge with its ``type``.  In GEXF the node label is what Gephi
shows, so there it is the entity's name and the entity label is the attribute
``entity``.

:func:`write_graph` writes it as ``graphml``, ``gexf`` or ``csv`` (a directory
holding ``nodes.csv`` and ``edges.csv``, UTF-8 with a BOM for Excel).  The same
graph always gives the same bytes.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph, add_link
>>> G = new_graph("x")
>>> G.add_node("M1", label="Member", name="王伟", roles=["secretary", "liaison"])
>>> G.add_node("V1", label="Institution", name="李村卫生室")
>>> add_link(G, "M1", "V1", link_type="liaison", link_index=0, count=2)
>>> F = flat_graph(G)
>>> F.nodes["M1"]["roles"], F.edges["M1", "V1", 0]["type"]
('secretary;liaison', 'LIAISON')
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from orgnet.graphmodel import outputs
from orgnet.graphmodel.schema import PROVIDES, STAGE, STAGES

if TYPE_CHECKING:  # annotations only: networkx is imported where a graph is built
    import networkx as nx

__all__ = ["flat_graph", "write_graph", "graph_bytes", "GRAPH_FORMATS", "LIST_JOIN",
           "stage_node"]

#: what ``orgnet export --format`` takes
GRAPH_FORMATS = ("graphml", "gexf", "csv")
#: list attributes are joined with this
LIST_JOIN = ";"


def stage_node(stage: str) -> str:
    """Return the node id of a life-cycle stage in the exported graph.

    Examples
    --------
    >>> stage_node("delivery")
    'stage:delivery'
    """
    return f"stage:{stage}"


_GEXF_DATE = __import__("re").compile(rb' lastmodifieddate="[0-9-]+"')


def _scalar(value):
    """A GraphML/GEXF value: str, int, float or bool; None for a value to leave out."""
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (int, float, str)):
        return value if value != "" else None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        text = LIST_JOIN.join(str(v) for v in items if v is not None)
        return text or None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _flat(data: dict) -> dict:
    out = {}
    for key, value in sorted(data.items(), key=lambda item: str(item[0])):
        value = _scalar(value)
        if value is not None:
            out[str(key)] = value
    return out


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of the embedded graph with scalar attributes only.

    Nodes come sorted by id, edges by source, target, type and link row, attributes
    by name, so that the same content gives the same file whichever backend read it;
    edges are numbered 0, 1, ... between each pair (the embedded keys are
    relationship types or link numbers).  The graph's attributes are ``dataset`` only.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph (either backend's: ``Neo4jStore.read_graph`` gives the same).

    Returns
    -------
    networkx.MultiDiGraph
    """
    import networkx as nx     # here, not at import: the CLI imports this module for every command

    F = nx.MultiDiGraph()
    if G.graph.get("dataset") is not None:
        F.graph["dataset"] = str(G.graph["dataset"])
    for node in sorted(G.nodes, key=str):
        F.add_node(str(node), **_flat(G.nodes[node]))
    edges = sorted(((str(a), str(b), _flat(d)) for a, b, d in G.edges(data=True)),
                   key=lambda e: (e[0], e[1], str(e[2].get("type")),
                                  e[2].get("link_index", -1), e[2].get("row", -1)))
    for source, target, data in edges:
        F.add_edge(source, target, **data)
    services = G.graph.get("services") or []
    used = {row.get("stage") for row in services}
    for order, stage in enumerate(STAGES):
        if stage in used:
            F.add_node(stage_node(stage), label=STAGE, name=stage, order=order)
    for row in services:
        if row.get("institution_id") in F and row.get("stage") in used:
            F.add_edge(row["institution_id"], stage_node(row["stage"]),
                       **_flat({"type": PROVIDES, **{k: v for k, v in row.items()
                                                      if k not in ("institution_id", "stage")}}))
    return F


def graph_bytes(G: nx.MultiDiGraph, fmt: str) -> bytes | dict[str, bytes]:
    """Return the graph as GraphML or GEXF bytes, or ``{"nodes.csv": ..., "edges.csv": ...}``.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph("x"); G.add_node("H1", label="Institution", name="县医院")
    >>> sorted(graph_bytes(G, "csv"))
    ['edges.csv', 'nodes.csv']
    >>> graph_bytes(G, "csv")["nodes.csv"].decode("utf-8-sig").splitlines()
    ['id,label,name', 'H1,Institution,县医院']
    """
    import networkx as nx

    F = flat_graph(G)
    if fmt == "graphml":
        out = io.BytesIO()
        nx.write_graphml(F, out, encoding="utf-8", prettyprint=True, named_key_ids=True)
        return out.getvalue()
    if fmt == "gexf":
        # GEXF's node label is what Gephi shows: the name; the entity label is `entity`
        for _, data in F.nodes(data=True):
            data["entity"] = data.pop("label", "")
            data["label"] = data.get("name", "")
        out = io.BytesIO()
        nx.write_gexf(F, out, encoding="utf-8", prettyprint=True)
        # no date of writing: the same graph gives the same bytes
        return _GEXF_DATE.sub(b"", out.getvalue(), count=1)
    if fmt == "csv":
        return {"nodes.csv": _csv(["id"], ((n, d) for n, d in F.nodes(data=True))),
                "edges.csv": _csv(["source", "target"],
                                  (((a, b), d) for a, b, d in F.edges(data=True)))}
    raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(GRAPH_FORMATS)}")


def _safe_cell(value):
    """A CSV cell no spreadsheet evaluates: text starting with = + - @ gets an apostrophe.

    (The same rule as the writer layer of the other outputs; numbers stay numbers.)
    """
    return outputs.safe_cell(value)


def _csv(first: list[str], items) -> bytes:
    safe_cell = _safe_cell
    items = list(items)
    keys: list[str] = []
    for _, data in items:
        keys += [k for k in data if k not in keys and k not in first]
    ordered = [k for k in ("label", "type", "name") if k in keys] + \
        sorted(k for k in keys if k not in ("label", "type", "name"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(first + ordered)
    for ident, data in items:
        ids = list(ident) if isinstance(ident, tuple) else [ident]
        writer.writerow([safe_cell(v) for v in ids + [data.get(k) for k in ordered]])
    return out.getvalue().encode("utf-8-sig")


def write_graph(G: nx.MultiDiGraph, fmt: str, path, write=None) -> list:
    """Write the graph to ``path`` (a file; for ``csv`` a directory); return the files written.

    ``write(path, bytes)`` does the writing (default: an atomic write).
    """
    from pathlib import Path

    if write is None:
        def write(target, content):
            target.write_bytes(content)
    path = Path(path)
    content = graph_bytes(G, fmt)
    if isinstance(content, dict):
        path.mkdir(parents=True, exist_ok=True)
        files = []
        for name, data in content.items():
            write(path / name, data)
            files.append(path / name)
        return files
    write(path, content)
    return [path]
