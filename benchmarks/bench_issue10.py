"""Shared scaffolding of the issue-10 benchmarks (``bench_plan.py``, ``bench_resilience.py``).

Each benchmark names a dataset (a path, or ``gen:ENTITIES[:SEED]`` to generate one
with :func:`orgnet.loaders.generate.generate_dataset` into a temporary directory that is
deleted afterwards) and a child program; every run is a fresh ``nice``-able
subprocess that loads the dataset, times one phase (wall and CPU seconds) and
prints one JSON line with its figures and its peak RSS (``ru_maxrss``, the loaded
graph included).  :func:`main` runs it ``--runs`` times and prints each run and
the medians: on a shared machine wall times are upper bounds and the CPU time
says more about the code.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager

#: the start of every child: load the dataset, then ``timed(fn)`` measures one phase
PRELUDE = r"""
import json, resource, sys, time
from orgnet.loaders import load_graph
t = time.perf_counter(); G = load_graph(sys.argv[1]); LOAD_S = time.perf_counter() - t
LOAD_RSS_MIB = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def timed(fn):
    t, c = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - t, time.process_time() - c

def report(**figures):
    print(json.dumps({"entities": G.number_of_nodes(), "load_s": LOAD_S,
                      "load_rss_mib": LOAD_RSS_MIB,
                      "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      **figures}))
"""


@contextmanager
def dataset(spec: str):
    """Yield a dataset path: ``spec`` itself, or a generated one for ``gen:ENTITIES[:SEED]``."""
    if not spec.startswith("gen:"):
        yield spec
        return
    from orgnet.loaders.generate import generate_dataset

    entities, _, seed = spec[4:].partition(":")
    work = tempfile.mkdtemp(prefix="orgnet-bench-")
    try:
        path = os.path.join(work, "data")
        generate_dataset(path, entities=int(entities), seed=int(seed or 1))
        yield path
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_child(body: str, path: str, *, nice: int = 0) -> dict:
    """Run ``PRELUDE + body`` on ``path`` in a fresh process; return its JSON line."""
    command = [sys.executable, "-c", PRELUDE + body, path]
    if nice:
        command = ["nice", "-n", str(nice)] + command
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def medians(runs: list[dict]) -> dict:
    """Median of every numeric figure, plus ``wall_min`` / ``wall_max`` and ``runs``."""
    found = {k: statistics.median(r[k] for r in runs) for k in runs[0]
             if isinstance(runs[0][k], (int, float))}
    found["wall_min"] = min(r["wall_s"] for r in runs)
    found["wall_max"] = max(r["wall_s"] for r in runs)
    found["runs"] = len(runs)
    return found


def main(description: str, body: str, summary, argv=None) -> int:
    """Parse ``DATASET --runs N --nice K --log FILE``, run ``body`` N times, print ``summary(medians)``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("dataset", help="a dataset path, or gen:ENTITIES[:SEED] (generated, then deleted)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--nice", type=int, default=0, help="run each child under nice -n K")
    parser.add_argument("--log", help="append each run (JSON lines) to this file")
    args = parser.parse_args(argv)
    runs = []
    with dataset(args.dataset) as path:
        for _ in range(args.runs):
            runs.append(run_child(body, path, nice=args.nice))
            line = json.dumps({**runs[-1], "machine": platform.node(),
                               "load_average": os.getloadavg()[0]})
            print(line, flush=True)
            if args.log:
                with open(args.log, "a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
    print(summary(medians(runs)))
    return 0
