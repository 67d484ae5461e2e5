"""Benchmark: ``orgnet check --neo4j`` per query and per family, and its parity with the embedded run.

Needs a Neo4j 5 server (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE)
holding the dataset (``orgnet load PATH --dataset NAME``, or
``bench_neo4j_load.py --keep``).  Without NEO4J_URI it prints NOT RUN and exits 0.

1. With ``--per-query``, times every ``queries/cypher/*.cypher`` file the checks run
   (the check twins, the unit-network projection and the summary queries) alone, each
   in its own read transaction, median of ``--repeat`` runs.
2. Times ``orgnet check --neo4j --dataset NAME --format json`` end to end (through
   click, in this process, so the runner's per-query times are collected in the same
   pass) and, with ``--path``, ``orgnet check PATH --format json`` in a child process,
   and compares the two outputs byte for byte up to the ``provenance`` block (which
   names the files or the Neo4j dataset read) and but for the dataset name.

    NEO4J_URI=bolt://localhost:7687 python benchmarks/bench_neo4j_checks.py \\
        --dataset orgnet-bench-100000 --path /tmp/bench100k
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orgnet.queries.neo4j_checks import (  # noqa: E402
    CLIENT_SIDE_CHECKS, SUMMARY_QUERIES, query_parameters, query_text,
)
from orgnet.queries.catalog import select_checks  # noqa: E402


def query_names() -> list[str]:
    names = [c for c in select_checks((), ()) if c not in CLIENT_SIDE_CHECKS]
    return names + ["unit_network.nodes", "unit_network"] + list(SUMMARY_QUERIES)


def time_queries(driver, database: str, dataset: str, repeat: int) -> dict[str, float]:
    import neo4j

    times = {}
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        for name in query_names():
            query = query_text(name)
            params = query_parameters(query, dataset)
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                session.execute_read(lambda tx: tx.run(query, params).consume())
                runs.append(time.perf_counter() - started)
            times[name] = statistics.median(runs)
            print(f"{name:45s} {times[name]:8.2f} s", flush=True)
    return times


def families(times: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, seconds in times.items():
        family = "connectivity (projection)" if name.startswith("unit_network") else \
            name.split(".")[0]
        out[family] = out.get(family, 0.0) + seconds
    return out


def cli(args: list[str]) -> tuple[float, bytes]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "orgnet", *args], check=False,
                         capture_output=True, env=os.environ)
    if out.returncode not in (0, 1):  # 1: findings at or above --fail-on, if set
        raise SystemExit(out.stderr.decode(errors="replace"))
    return time.perf_counter() - started, out.stdout


class _Timings:
    """Collects the per-query times that queries.neo4j_checks logs at DEBUG level."""

    def __init__(self):
        import logging

        self.times: dict[str, float] = {}
        handler = logging.Handler()
        handler.emit = self._emit
        logger = logging.getLogger("orgnet.queries.neo4j_checks")
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)

    def _emit(self, record):
        if record.msg == "%s: %d rows in %.2f s":
            name, _, seconds = record.args
            self.times[name] = self.times.get(name, 0.0) + seconds


def check_neo4j_in_process(uri: str, dataset: str) -> tuple[float, bytes, dict]:
    """``orgnet check --neo4j URI --dataset NAME --format json`` through click, timed.

    One pass gives the wall time, the output bytes and every query's time.
    """
    from click.testing import CliRunner

    from orgnet.cli import main as orgnet_main

    timings = _Timings()
    started = time.perf_counter()
    result = CliRunner().invoke(orgnet_main, ["check", "--neo4j", uri, "--dataset", dataset,
                                              "--format", "json"], env=dict(os.environ))
    seconds = time.perf_counter() - started
    if result.exit_code not in (0, 1):
        raise SystemExit(f"orgnet check --neo4j failed: {result.output}")
    return seconds, result.stdout_bytes, timings.times


def _findings(output: bytes) -> bytes:
    """The JSON report up to its provenance (which says where each run read its data)."""
    cut = output.find(b',\n  "provenance"')
    return output if cut < 0 else output[:cut]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, help="dataset name in Neo4j")
    parser.add_argument("--path", help="the dataset's files, for the embedded run and parity")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--per-query", action="store_true",
                        help="also time each query file alone (median of --repeat runs)")
    args = parser.parse_args(argv)
    if not os.environ.get("NEO4J_URI"):
        print("bench_neo4j_checks: NOT RUN: NEO4J_URI is not set.")
        return 0
    neo_seconds, neo_out, times = check_neo4j_in_process(os.environ["NEO4J_URI"], args.dataset)
    for name, seconds in times.items():
        print(f"{name:45s} {seconds:8.2f} s")
    print("\n| family | seconds (sum of its queries) |\n|---|---:|")
    for family, seconds in families(times).items():
        print(f"| {family} | {seconds:.1f} |")
    print(f"| all queries | {sum(times.values()):.1f} |")
    print(f"\norgnet check --neo4j --format json: {neo_seconds:.1f} s", flush=True)
    if args.path:
        emb_seconds, emb_out = cli(["check", args.path, "--format", "json"])
        same = _findings(emb_out).replace(Path(args.path).name.encode(), b"") == \
            _findings(neo_out).replace(args.dataset.encode(), b"")
        print(f"orgnet check PATH --format json: {emb_seconds:.1f} s; summary and findings "
              f"{'identical byte for byte (but for the dataset name)' if same else 'DIFFERENT'}")
        if not same:
            Path("/tmp/orgnet-bench-neo4j.json").write_bytes(neo_out)
            Path("/tmp/orgnet-bench-embedded.json").write_bytes(emb_out)
    if args.per_query:
        import neo4j

        user = os.environ.get("NEO4J_USERNAME") or "neo4j"
        password = os.environ.get("NEO4J_PASSWORD")
        database = os.environ.get("NEO4J_DATABASE") or "neo4j"
        with neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"],
                                        auth=(user, password) if password else None,
                                        notifications_min_severity="OFF") as driver:
            time_queries(driver, database, args.dataset, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
