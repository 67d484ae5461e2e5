"""Benchmark ``compare`` against checking both snapshots, on two generated quarters.

Usage::

    python benchmarks/bench_compare.py --entities 1000000 --runs 2 \\
        --data-dir /tmp/orgnet-compare --out benchmarks/results/compare.md

The two snapshots come from :func:`orgnet.loaders.snapshots.generate_snapshots`
(``periods=2``, seed 1; generated once under ``--data-dir``).  Every
measurement runs in a fresh subprocess so that its peak RSS is its own:

- *check*: ``orgnet.loaders.load_graph`` + ``orgnet.queries.runner.run_checks`` + the JSON of
  ``orgnet check --format json`` (``orgnet.queries.export.render_report``), once per
  snapshot; "checking both" is the sum of the two;
- *compare*: ``orgnet.queries.compare.compare_sources`` (BEFORE loaded, checked and
  reduced before AFTER is loaded) + the JSON of ``orgnet compare --format json``.

The runs are interleaved (check BEFORE, check AFTER, compare, then again) so
that a change in the machine's load hits both sides alike.  Times are wall
clock seconds; peak RSS is the child's ``ru_maxrss``.  The bar of issue 11:
compare <= 2x checking both, <= 6 GB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _worker(kind: str, paths: list[str]) -> None:
    start = time.perf_counter()
    if kind == "check":
        from orgnet.loaders import load_graph
        from orgnet.queries.export import render_report
        from orgnet.queries.runner import run_checks

        report = run_checks(load_graph(paths[0]))
        size = len(render_report(report, "json"))
        extra = {"findings": len(report.findings)}
    else:
        from orgnet.loaders import load_graph
        from orgnet.queries.compare import compare_sources
        from orgnet.queries.compare_export import render_comparison

        result = compare_sources(lambda: load_graph(paths[0]), lambda: load_graph(paths[1]))
        size = len(render_comparison(result, "json"))
        extra = {"resolved": len(result.resolved), "new": len(result.new),
                 "changed": len(result.changed), "persisting": len(result.persisting)}
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "json_bytes": size, **extra}))


def _run(kind: str, paths) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", kind, *map(str, paths)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/orgnet-compare"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/compare.md")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker[0], args.worker[1:])
        return
    data = args.data_dir / f"{args.entities}"
    before, after = data / "2025-Q1", data / "2025-Q2"
    if not (after / "links.csv").exists():
        from orgnet.loaders.snapshots import generate_snapshots

        generate_snapshots(data, periods=2, entities=args.entities, seed=1)
    runs = []
    for i in range(args.runs):
        row = {"check_before": _run("check", [before]), "check_after": _run("check", [after]),
               "compare": _run("compare", [before, after])}
        runs.append(row)
        print(f"run {i + 1}: check {row['check_before']['seconds']:.1f} + "
              f"{row['check_after']['seconds']:.1f} s, compare {row['compare']['seconds']:.1f} s, "
              f"peak {row['compare']['peak_mib']:.0f} MiB", file=sys.stderr)

    def median(key, field="seconds"):
        return statistics.median(r[key][field] for r in runs)

    both = statistics.median(r["check_before"]["seconds"] + r["check_after"]["seconds"]
                             for r in runs)
    compare = median("compare")
    ratio = statistics.median(r["compare"]["seconds"]
                              / (r["check_before"]["seconds"] + r["check_after"]["seconds"])
                              for r in runs)
    peak = max(r["compare"]["peak_mib"] for r in runs)
    result = runs[0]["compare"]
    lines = [
        "# compare benchmark (`benchmarks/bench_compare.py`)", "",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; shared with other jobs while measuring (load average "
        f"{os.getloadavg()[0]:.0f} at the end): the times are upper bounds",
        f"- data: `generate_snapshots(periods=2, entities={args.entities:,}, seed=1)`, two "
        f"quarters of one network; compare found {result['resolved']:,} resolved, "
        f"{result['new']:,} new, {result['changed']:,} changed, {result['persisting']:,} "
        f"persisting findings",
        f"- runs: {args.runs}, interleaved, each in a fresh process; medians", "",
        "| measure | seconds (median) | peak RSS MiB (max) |", "|---|---|---|",
        f"| check BEFORE (load + checks + JSON) | {median('check_before'):.1f} | "
        f"{max(r['check_before']['peak_mib'] for r in runs):.0f} |",
        f"| check AFTER (load + checks + JSON) | {median('check_after'):.1f} | "
        f"{max(r['check_after']['peak_mib'] for r in runs):.0f} |",
        f"| checking both (sum) | {both:.1f} | |",
        f"| compare BEFORE AFTER (+ JSON) | {compare:.1f} | {peak:.0f} |", "",
        f"compare / checking both: {ratio:.2f} (target <= 2); compare peak "
        f"{peak / 1024:.2f} GiB (target <= 6 GB)", "",
        "Per run (seconds): " + "; ".join(
            f"{r['check_before']['seconds']:.1f} + {r['check_after']['seconds']:.1f} vs "
            f"{r['compare']['seconds']:.1f}" for r in runs), "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
