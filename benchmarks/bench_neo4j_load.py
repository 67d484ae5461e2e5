"""Benchmark: load rate of the Neo4j store against a naive one-MERGE-per-row loader.

Needs a Neo4j 5 server: set NEO4J_URI (and NEO4J_USERNAME, NEO4J_PASSWORD,
NEO4J_DATABASE).  Without NEO4J_URI it prints that it was not run and exits 0.

For each size (default 100k and 1M entities) it generates a synthetic province
(:func:`orgnet.loaders.generate.generate_dataset`, seed 1) as CSV files, then

- runs what ``orgnet load`` runs (read + validate the files, ``orgnet.loaders.rows.dataset_rows``,
  :meth:`Neo4jStore.load`: ``UNWIND $rows`` batches of ``--batch-size`` rows, one
  transaction each) in a child process, and reports its wall time, the time the
  server reported for the queries (``result_available_after + result_consumed_after``),
  the client's share (the rest) and the child's peak RSS;
- times the naive baseline in the same run on a sample (``--sample`` node rows and
  as many relationship rows between them, each its own auto-commit ``MERGE``) and
  extrapolates its rate to the full size: running it on 1M entities would take hours.

Rates are (entities + relationships) per second of the whole load.  The benchmark
only touches its own datasets (``orgnet-bench-*``) and the naive sample's version
tag, and deletes them afterwards, so it can run against a database holding other data.

    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... \\
        python benchmarks/bench_neo4j_load.py --sizes 100000 1000000 --write-results
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orgnet.graphmodel.neo4j_store import (  # noqa: E402
    DELETE_VERSION_BATCH, NODE_LABELS, Neo4jStore, check_server, render,
)

RESULTS = Path(__file__).resolve().parent / "results" / "neo4j.md"

NAIVE_NODE = "MERGE (n:{label} {{graph: $graph, id: $id}})\nSET n += $props"
NAIVE_REL = (
    "MATCH (a:{source_label} {{graph: $graph, id: $source}})\n"
    "MATCH (b:{target_label} {{graph: $graph, id: $target}})\n"
    "MERGE (a)-[r:{rel_type}]->(b)\n"
    "SET r += $props"
)


def _driver():
    import neo4j

    user = os.environ.get("NEO4J_USERNAME") or "neo4j"
    password = os.environ.get("NEO4J_PASSWORD")
    return neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"],
                                      auth=(user, password) if password else None,
                                      notifications_min_severity="OFF")


def _database() -> str:
    return os.environ.get("NEO4J_DATABASE") or "neo4j"


def server_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) the local server process ``pid`` has used, or None.

    Wall times on a shared machine depend on the neighbours; the server's CPU time is
    what the load cost it (Linux only: read from /proc).
    """
    if not pid:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(path: str, name: str, batch_size: int, workers: int = 2) -> int:
    """What ``orgnet load PATH --dataset NAME`` does, timed; prints one JSON line."""
    from orgnet.loaders import load_dataset
    from orgnet.loaders.rows import dataset_rows

    started = time.perf_counter()
    dataset = load_dataset(Path(path))
    rows = dataset_rows(dataset, source=path)
    read = time.perf_counter() - started
    with _driver() as driver:
        result = Neo4jStore(driver, _database()).load(rows, name=name, batch_size=batch_size,
                                                         workers=workers)
    print(json.dumps({
        "seconds": time.perf_counter() - started, "read_seconds": read,
        "load_seconds": result.seconds, "hash_seconds": result.hash_seconds,
        "server_seconds": result.server_seconds, "status": result.status,
        "total_cpu_seconds": time.process_time(),
        "entities": result.number_of_nodes, "relationships": result.number_of_relationships,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    return 0


def naive_rate(driver, database: str, path: Path, sample: int) -> tuple[float, int, float]:
    """Return (rows per second, rows written, seconds) of one MERGE per row on a sample."""
    from orgnet.loaders import load_dataset
    from orgnet.loaders.rows import dataset_rows

    rows = dataset_rows(load_dataset(path))
    graph = "orgnet-bench-naive#sample"
    per_label = max(1, sample // 4)
    node_rows = [(label, row) for label, group in rows.nodes()
                 for row in islice(group, per_label)][:sample]
    written = {row["id"] for _, row in node_rows}
    rel_rows = []
    for key, group in rows.relationships():
        rel_rows += [(key, row) for row in group
                     if row["source"] in written and row["target"] in written][:sample]
    rel_rows = rel_rows[:sample]
    started = time.perf_counter()
    for label, row in node_rows:
        props = {k: v for k, v in row.items() if k != "id"}
        driver.execute_query(render(NAIVE_NODE, label=label),
                             {"graph": graph, "id": row["id"], "props": props},
                             database_=database)
    for (rel, source_label, target_label), row in rel_rows:
        driver.execute_query(
            render(NAIVE_REL, rel_type=rel, source_label=source_label, target_label=target_label),
            {"graph": graph, "source": row["source"], "target": row["target"],
             "props": row["props"]}, database_=database)
    seconds = time.perf_counter() - started
    for label in NODE_LABELS:
        while True:
            result = driver.execute_query(render(DELETE_VERSION_BATCH, label=label),
                                          {"graph": graph, "batch_size": 10000},
                                          database_=database)
            if result.records[0]["deleted"] < 10000:
                break
    done = len(node_rows) + len(rel_rows)
    return done / seconds, done, seconds


def run(sizes, batch_size: int, sample: int, keep: bool = False,
        prefix: str = "orgnet-bench", server_pid: int | None = None, runs: int = 1,
        workers: int = 2) -> list[dict]:
    from orgnet.loaders.generate import generate_dataset

    database = _database()
    results = []
    with _driver() as driver:
        version = check_server(driver, database)
        store = Neo4jStore(driver, database)
        store.ensure_schema()
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix="orgnet-bench-") as tmp:
                path = Path(tmp) / "bench"
                counts = generate_dataset(path, entities=size, seed=1)
                name = f"{prefix}-{size}"
                for run_number in range(1, runs + 1):
                    store.delete(name)
                    cpu_before = server_cpu(server_pid)
                    out = subprocess.run(
                        [sys.executable, __file__, "--child", str(path), name,
                         str(batch_size), str(workers)],
                        check=True, capture_output=True, text=True).stdout
                    load = json.loads(out.strip().splitlines()[-1])
                    cpu_after = server_cpu(server_pid)
                    load["server_cpu_seconds"] = (None if cpu_before is None or cpu_after is None
                                                  else cpu_after - cpu_before)
                    print(f"{size:>9,} entities, run {run_number}, orgnet load: "
                          f"{json.dumps(load)}", flush=True)
                    naive, naive_rows, naive_seconds = naive_rate(driver, database, path, sample)
                    items = load["entities"] + load["relationships"]
                    row = {"size": size, "run": run_number, "entities": counts["entities"],
                           "items": items, "relationships": load["relationships"],
                           "version": version, "rate": items / load["seconds"],
                           "naive_rate": naive, "naive_rows": naive_rows,
                           "naive_seconds": naive_seconds, "workers": workers,
                           "load_average": os.getloadavg()[0], **load}
                    results.append(row)
                    print(f"{size:>9,} entities, run {run_number}: {items:,} items in "
                          f"{load['seconds']:.1f} s (read {load['read_seconds']:.1f}, hash "
                          f"{load['hash_seconds']:.1f}, waiting on the server "
                          f"{load['server_seconds']:.1f}, client CPU "
                          f"{load['total_cpu_seconds']:.1f}, server CPU "
                          f"{_seconds(load['server_cpu_seconds'])}) = {row['rate']:,.0f}/s, "
                          f"client peak RSS {load['rss_mb']:,.0f} MB; naive {naive:,.0f}/s on "
                          f"{naive_rows:,} rows: {row['rate'] / naive:,.0f}x", flush=True)
                if not keep:
                    store.delete(name)
    return results


def _seconds(value) -> str:
    return "n/a" if value is None else f"{value:.1f} s"


def _median_row(rows: list[dict]) -> dict:
    """The run of median items/s among ``rows`` (one size); ``run`` becomes ``median``."""
    ranked = sorted(rows, key=lambda r: r["rate"])
    return {**ranked[(len(ranked) - 1) // 2], "run": "**median**"}


def markdown(rows, batch_size: int, sample: int) -> str:
    lines = [
        "| entities | run | items (entities + relationships) | `orgnet load` wall | of which "
        "reading + validating files | waiting on the server (writes + commits) | client CPU | "
        "server CPU | items/s | naive items/s | speed-up | client peak RSS | load average |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    table = []
    for size in dict.fromkeys(r["size"] for r in rows):
        runs = [r for r in rows if r["size"] == size]
        table += runs + ([_median_row(runs)] if len(runs) > 1 else [])
    for r in table:
        lines.append(
            f"| {r['entities']:,} | {r['run']} | {r['items']:,} | {r['seconds']:.1f} s | "
            f"{r['read_seconds']:.1f} s | {r['server_seconds']:.1f} s | "
            f"{r['total_cpu_seconds']:.1f} s | {_seconds(r['server_cpu_seconds'])} | "
            f"{r['rate']:,.0f} | {r['naive_rate']:,.0f} | {r['rate'] / r['naive_rate']:,.0f}x | "
            f"{r['rss_mb']:,.0f} MB | {r['load_average']:.1f} |")
    head = (f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} "
            f"({platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}), Neo4j {rows[0]['version'] if rows else '?'}, "
            f"batch size {batch_size}, {rows[0]['workers'] if rows else '?'} writers; naive baseline timed in the same run on up to "
            f"{sample:,} node rows + {sample:,} relationship rows. Load average "
            f"{os.getloadavg()[0]:.1f} at the end (machine shared with other agents: the "
            f"times are upper bounds).")
    return head + "\n\n" + "\n".join(lines) + "\n"


def main(argv=None) -> int:
    if argv is None and len(sys.argv) == 6 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1,
                        help="loads per size (fresh each time; the table adds their median)")
    parser.add_argument("--workers", type=int, default=2,
                        help="write transactions in flight (Neo4jStore.load's workers)")
    parser.add_argument("--sample", type=int, default=2_000,
                        help="node rows (and relationship rows) for the naive baseline")
    parser.add_argument("--keep", action="store_true",
                        help="leave the loaded datasets in the database (for check benchmarks)")
    parser.add_argument("--prefix", default="orgnet-bench",
                        help="dataset names are PREFIX-SIZE (default orgnet-bench)")
    parser.add_argument("--server-pid", type=int,
                        help="pid of a server on this machine: report the CPU time the load "
                             "cost it (from /proc)")
    parser.add_argument("--write-results", action="store_true",
                        help="print the markdown table (for benchmarks/results/neo4j.md)")
    args = parser.parse_args(argv)
    if not os.environ.get("NEO4J_URI"):
        print("bench_neo4j_load: NOT RUN: NEO4J_URI is not set.  Point it at a Neo4j 5 "
              "server (with NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE) to measure; "
              "see benchmarks/results/neo4j.md.")
        return 0
    rows = run(args.sizes, args.batch_size, args.sample, args.keep, args.prefix,
               args.server_pid, args.runs, args.workers)
    print(markdown(rows, args.batch_size, args.sample))
    return 0


if __name__ == "__main__":
    sys.exit(main())
