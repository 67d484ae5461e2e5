"""Benchmark ``--redact``: the same command with and without it on a generated dataset.

Usage::

    python benchmarks/bench_redact.py                         # 100k entities, 3 runs
    python benchmarks/bench_redact.py --entities 20000 --runs 5 --out benchmarks/results/redact.md

The dataset comes from ``orgnet generate --entities N --seed 1`` (cached under
``--data-dir``).  Each run is a fresh ``orgnet`` process; the figure is the
median wall time of ``--runs`` runs and the ratio redacted / plain (the issue's
target: at most 1.5).  Commands: ``check --format json -o``, ``metrics -o`` and
``report -o`` (the report embeds the map).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORGNET = [sys.executable, "-m", "orgnet"]
COMMANDS = {
    "check": lambda data, out: ["check", data, "--format", "json", "-o", out / "f.json"],
    "metrics": lambda data, out: ["metrics", data, "-o", out / "m.csv"],
    "report": lambda data, out: ["report", data, "-o", out / "r.html"],
}


def _time(args) -> tuple[float, float]:
    """Run one fresh orgnet process; return (wall seconds, CPU seconds user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(ORGNET + [str(a) for a in args], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "orgnet-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "redact.md")
    parser.add_argument("--commands", nargs="+", default=list(COMMANDS), choices=list(COMMANDS))
    args = parser.parse_args(argv)
    data = args.data_dir / f"redact-{args.entities}"
    if not (data / "institutions.csv").exists():
        subprocess.run(ORGNET + ["generate", str(data), "--entities", str(args.entities),
                                 "--seed", "1", "--force"], check=True, cwd=ROOT)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for name in args.commands:
            plain, redacted = [], []
            for _ in range(args.runs):   # interleaved: both see the same machine load
                plain.append(_time(COMMANDS[name](data, out)))
                redacted.append(_time(COMMANDS[name](data, out) + ["--redact"]))
            p, r = (statistics.median(w for w, _ in plain),
                    statistics.median(w for w, _ in redacted))
            pc, rc = (statistics.median(c for _, c in plain),
                      statistics.median(c for _, c in redacted))
            rows.append(f"| `{name}` | {pc:.1f} | {rc:.1f} | **{rc / pc:.2f}** | "
                        f"{p:.1f} | {r:.1f} | {r / p:.2f} | {args.runs} |")
            print(rows[-1], flush=True)
    load = os.getloadavg()[0]
    text = "\n".join([
        "# --redact benchmark", "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`python benchmarks/bench_redact.py --entities {args.entities} --runs {args.runs}`.", "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; load average {load:.1f} (shared with other "
        "jobs: wall times are upper bounds).", "",
        f"Dataset: `orgnet generate --entities {args.entities} --seed 1` (CSV). Each run is a "
        "fresh process; medians in seconds, CPU (user + system of the process: what the "
        "command costs, whatever else runs) and wall. Target: redacted / plain <= 1.5.", "",
        "| command | plain CPU s | --redact CPU s | CPU ratio | plain wall s | --redact wall s "
        "| wall ratio | runs |", "|---|---:|---:|---:|---:|---:|---:|---:|",
        *rows, ""])
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
