"""Benchmark ``orgnet resilience`` (queries.resilience.resilience) on generated datasets.

Each run is a fresh subprocess: load the dataset, then rank every member, unit and
tie; it reports the load time, the resilience time (wall and CPU), the number of
ranked items and the peak RSS of the child (``ru_maxrss``, which includes the
loaded graph).  Median of ``--runs`` runs.

    python benchmarks/bench_resilience.py /tmp/1m --runs 3

The machine may be shared: wall times are then upper bounds; the CPU time of the
process says more about the code.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
from orgnet.loaders import load_graph
from orgnet.queries.resilience import resilience
t = time.perf_counter(); G = load_graph(sys.argv[1]); load = time.perf_counter() - t
load_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t, c = time.perf_counter(), time.process_time()
items = resilience(G)
wall, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"entities": G.number_of_nodes(), "load_s": load, "wall_s": wall, "cpu_s": cpu,
                  "items": len(items), "load_rss_mib": load_rss / 1024,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    runs = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", CHILD, args.dataset], check=True,
                             capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
        print(json.dumps(runs[-1]), flush=True)
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"entities {med['entities']:,.0f}: load {med['load_s']:.1f} s, resilience "
          f"{med['wall_s']:.1f} s wall ({min(r['wall_s'] for r in runs):.1f}-"
          f"{max(r['wall_s'] for r in runs):.1f}), {med['cpu_s']:.1f} s CPU, "
          f"{med['items']:,.0f} items, peak RSS {med['peak_rss_mib']:,.0f} MiB "
          f"(after load {med['load_rss_mib']:,.0f} MiB), median of {len(runs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
