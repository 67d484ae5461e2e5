"""Benchmark: time and peak memory of the synthetic generator at 10k, 100k and 1M entities.

Each run is a fresh subprocess (so the peak resident set size, ``ru_maxrss``, is that
run's own) that calls :func:`orgnet.loaders.generate.generate_dataset` with ``entities=N``
into a temporary directory.  The table reports the median wall time of ``--runs``
runs (and the fastest and slowest), the median peak RSS, the rows written and the
size on disk.  The generator streams county by county, so the peak should stay flat
as the size grows; the time should grow linearly.

    python benchmarks/bench_generate.py --sizes 10000 100000 1000000 --runs 3 --write-results
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results" / "generate.md"

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from orgnet.loaders.generate import generate_dataset
out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
counts = generate_dataset(out, entities=n, seed=seed)
seconds = time.perf_counter() - started
size = sum(p.stat().st_size for p in Path(out).iterdir())
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kib": peak_kib, "bytes": size, "counts": counts}))
"""

_BASELINE = """
import json, resource
from orgnet import loaders
import orgnet.loaders.generate
print(json.dumps({"peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _python(code: str, *args) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], check=True,
                          capture_output=True, text=True, env=env)
    return json.loads(done.stdout)


def measure(size: int, runs: int, seed: int) -> dict:
    """Return the median (and spread) of ``runs`` generator runs at one size."""
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="orgnet-bench-gen-") as tmp:
            results.append(_python(_CHILD, tmp, size, seed))
    times = [r["seconds"] for r in results]
    counts = results[0]["counts"]
    return {
        "size": size,
        "entities": counts["entities"],
        "links": counts["links"],
        "rows": sum(counts[t] for t in ("regions", "institutions", "party_orgs", "members",
                                         "links", "services")),
        "counties": counts["counties"],
        "bytes": results[0]["bytes"],
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "peak_mib": statistics.median(r["peak_kib"] for r in results) / 1024,
        "identical": len({json.dumps(r["counts"], sort_keys=True) for r in results}) == 1,
    }


def render(rows: list[dict], baseline_mib: float, runs: int) -> str:
    """Return the Markdown results page."""
    lines = [
        "# Generator benchmark (`benchmarks/bench_generate.py`)",
        "",
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores (shared with other jobs), "
        f"Python {platform.python_version()}",
        f"- method: one fresh subprocess per run, `generate_dataset(out, entities=N)` into a "
        f"temporary CSV directory; median of {runs} runs (fastest–slowest in brackets); "
        "peak RSS is the child's `ru_maxrss`, median over runs",
        f"- baseline: the interpreter with `orgnet.loaders.generate` imported and nothing generated "
        f"peaks at {baseline_mib:.0f} MiB",
        "",
        "| target | entities | links | links/entity | counties | rows | on disk | time (s) | "
        "entities/s | peak RSS (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['entities']:,} | {r['links']:,} | "
            f"{r['links'] / r['entities']:.2f} | {r['counties']:,} | {r['rows']:,} | "
            f"{r['bytes'] / 2**20:.1f} MiB | {r['median_s']:.1f} ({r['min_s']:.1f}–{r['max_s']:.1f}) | "
            f"{r['entities'] / r['median_s']:,.0f} | {r['peak_mib']:.0f} |")
    if len(rows) >= 2:
        small, big = rows[0], rows[-1]
        lines += [
            "",
            f"From {small['entities']:,} to {big['entities']:,} entities "
            f"({big['entities'] / small['entities']:.0f}×) the peak RSS goes from "
            f"{small['peak_mib']:.0f} to {big['peak_mib']:.0f} MiB: the rows are streamed "
            "county by county, so memory does not grow with the size; time grows about "
            "linearly.",
        ]
    if not all(r["identical"] for r in rows):
        lines += ["", "WARNING: runs of the same size gave different counts."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write-results", action="store_true",
                        help=f"write {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    baseline = _python(_BASELINE)["peak_kib"] / 1024
    rows = []
    for size in args.sizes:
        row = measure(size, args.runs, args.seed)
        rows.append(row)
        print(f"{size:>10,}: {row['entities']:,} entities, {row['links']:,} links, "
              f"{row['median_s']:.1f} s, peak {row['peak_mib']:.0f} MiB", file=sys.stderr)
    page = render(rows, baseline, args.runs)
    print(page)
    if args.write_results:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(page, encoding="utf-8")


if __name__ == "__main__":
    main()
