"""Benchmark: load rate of the Neo4j store against a naive one-MERGE-per-row loader.

Needs a Neo4j 5 server: set NEO4J_URI (and NEO4J_USERNAME, NEO4J_PASSWORD,
NEO4J_DATABASE).  Without NEO4J_URI it prints that it was not run and exits 0.

For each size (default 100k and 1M entities) it generates a synthetic province
(:func:`loaders.generate.generate_dataset`), builds the embedded graph, then

- loads it with :meth:`Neo4jStore.load` (``UNWIND $rows`` batches of
  ``--batch-size`` rows, one transaction each) and times it;
- times the naive baseline on a sample (``--sample`` node rows and as many
  relationship rows, each its own auto-commit ``MERGE``) and extrapolates its
  rate to the full size: running it on 1M entities would take hours.

Rates are entities + relationships per second.  The benchmark only touches its
own datasets (``orgnet-bench-*``) and the naive sample's version tag, and deletes
them afterwards, so it can run against a database holding other data.

    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... \\
        python benchmarks/bench_neo4j_load.py --sizes 100000 1000000 --write-results
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphmodel.neo4j_store import (  # noqa: E402
    NODE_LABELS, DELETE_VERSION_BATCH, Neo4jStore, _plan, check_server, render,
)

RESULTS = Path(__file__).resolve().parent / "results" / "neo4j.md"

NAIVE_NODE = "MERGE (n:{label} {{graph: $graph, id: $id}})\nSET n += $props, n.dataset = $dataset"
NAIVE_REL = (
    "MATCH (a:{source_label} {{graph: $graph, id: $source}})\n"
    "MATCH (b:{target_label} {{graph: $graph, id: $target}})\n"
    "MERGE (a)-[r:{rel_type}]->(b)\n"
    "SET r += $props, r.dataset = $dataset, r.graph = $graph"
)


def naive_rate(driver, database: str, G, sample: int) -> tuple[float, int, float]:
    """Return (rows per second, rows written, seconds) of one MERGE per row on a sample."""
    plan = _plan(G)
    graph, dataset = "orgnet-bench-naive#sample", "orgnet-bench-naive"
    node_rows = [(label, row) for label, rows in plan.nodes.items() for row in rows][:sample]
    written = {(label, row["id"]) for label, row in node_rows}
    rel_rows = [(key, row) for key, rows in plan.relationships.items() for row in rows
                if (key[1], row["source"]) in written and (key[2], row["target"]) in written]
    rel_rows = rel_rows[:sample]
    started = time.perf_counter()
    for label, row in node_rows:
        props = {k: v for k, v in row.items() if k != "id"}
        driver.execute_query(render(NAIVE_NODE, label=label),
                             {"graph": graph, "id": row["id"], "props": props,
                              "dataset": dataset}, database_=database)
    for (rel, source_label, target_label), row in rel_rows:
        driver.execute_query(
            render(NAIVE_REL, rel_type=rel, source_label=source_label, target_label=target_label),
            {"graph": graph, "source": row["source"], "target": row["target"],
             "props": row["props"], "dataset": dataset}, database_=database)
    seconds = time.perf_counter() - started
    for label in NODE_LABELS:
        while True:
            result = driver.execute_query(render(DELETE_VERSION_BATCH, label=label),
                                          {"graph": graph, "batch_size": 10000},
                                          database_=database)
            if result.records[0]["deleted"] < 10000:
                break
    rows = len(node_rows) + len(rel_rows)
    return rows / seconds, rows, seconds


def run(sizes, batch_size: int, sample: int) -> list[dict]:
    import neo4j

    from loaders import load_graph
    from loaders.generate import generate_dataset

    uri = os.environ["NEO4J_URI"]
    user = os.environ.get("NEO4J_USERNAME") or "neo4j"
    password = os.environ.get("NEO4J_PASSWORD")
    database = os.environ.get("NEO4J_DATABASE") or "neo4j"
    rows = []
    with neo4j.GraphDatabase.driver(uri, auth=(user, password) if password else None) as driver:
        version = check_server(driver, database)
        store = Neo4jStore(driver, database)
        store.ensure_schema()
        for size in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                counts = generate_dataset(Path(tmp) / "bench", entities=size, seed=1)
                G = load_graph(Path(tmp) / "bench")
            name = f"orgnet-bench-{size}"
            store.delete(name)
            started = time.perf_counter()
            result = store.load(G, name=name, batch_size=batch_size)
            seconds = time.perf_counter() - started
            items = result.number_of_nodes + result.number_of_relationships
            naive, naive_rows, naive_seconds = naive_rate(driver, database, G, sample)
            store.delete(name)
            rows.append({"size": size, "entities": counts["entities"],
                         "relationships": result.number_of_relationships,
                         "seconds": seconds, "rate": items / seconds,
                         "naive_rate": naive, "naive_rows": naive_rows,
                         "naive_seconds": naive_seconds,
                         "naive_extrapolated": items / naive, "version": version})
            print(f"{size:>9,} entities: {items:,} items in {seconds:.1f} s = "
                  f"{items / seconds:,.0f}/s; naive {naive:,.0f}/s on {naive_rows:,} rows "
                  f"(would take {items / naive / 60:,.0f} min)", flush=True)
    return rows


def markdown(rows, batch_size: int, sample: int) -> str:
    lines = [
        "# Neo4j load benchmark",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({platform.machine()}, Python {platform.python_version()}), Neo4j "
        f"{rows[0]['version'] if rows else '?'}, batch size {batch_size}; naive baseline "
        f"timed on {sample:,} node rows + up to {sample:,} relationship rows and extrapolated.",
        "",
        "| entities | relationships | batched load | batched rate (items/s) | "
        "naive rate (items/s) | naive, extrapolated | speed-up |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['entities']:,} | {r['relationships']:,} | {r['seconds']:.1f} s | "
            f"{r['rate']:,.0f} | {r['naive_rate']:,.0f} | {r['naive_extrapolated'] / 60:,.0f} min "
            f"| {r['rate'] / r['naive_rate']:,.0f}x |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=2_000,
                        help="node rows (and relationship rows) for the naive baseline")
    parser.add_argument("--write-results", action="store_true",
                        help=f"write the table to {RESULTS.relative_to(RESULTS.parents[2])}")
    args = parser.parse_args(argv)
    if not os.environ.get("NEO4J_URI"):
        print("bench_neo4j_load: NOT RUN: NEO4J_URI is not set.  Point it at a Neo4j 5 "
              "server (with NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE) to measure; "
              "see benchmarks/results/neo4j.md.")
        return 0
    rows = run(args.sizes, args.batch_size, args.sample)
    table = markdown(rows, args.batch_size, args.sample)
    print(table)
    if args.write_results:
        RESULTS.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
