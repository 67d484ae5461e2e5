"""Benchmark ``orgnet plan`` (make the plan, apply it, prove it by re-running the checks).

Each run is a fresh subprocess: load the dataset, run the checks, make the plan,
apply it to a copy and re-run the checks on it (what ``orgnet plan PATH`` does
without --apply).  Reports the load time and the plan time (wall and CPU),
the number of actions and the peak RSS; median of ``--runs`` runs.

    python benchmarks/bench_plan.py /tmp/100k --runs 3

On a shared machine wall times are upper bounds; CPU time says more about the code.
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
from orgnet.queries.plan import make_plan, prove_plan
t = time.perf_counter(); G = load_graph(sys.argv[1]); load = time.perf_counter() - t
t, c = time.perf_counter(), time.process_time()
plan = prove_plan(G, make_plan(G))
wall, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"entities": G.number_of_nodes(), "load_s": load, "wall_s": wall, "cpu_s": cpu,
                  "actions": len(plan.actions),
                  "high_before": plan.before["findings"]["by_severity"]["high"],
                  "high_after": plan.after["findings"]["by_severity"]["high"],
                  "findings_before": plan.before["findings"]["total"],
                  "findings_after": plan.after["findings"]["total"],
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
    print(f"entities {med['entities']:,.0f}: load {med['load_s']:.1f} s, plan {med['wall_s']:.1f} s "
          f"wall ({min(r['wall_s'] for r in runs):.1f}-{max(r['wall_s'] for r in runs):.1f}), "
          f"{med['cpu_s']:.1f} s CPU, {med['actions']:,.0f} actions, findings "
          f"{med['findings_before']:,.0f} -> {med['findings_after']:,.0f} (high "
          f"{med['high_before']:,.0f} -> {med['high_after']:,.0f}), peak RSS "
          f"{med['peak_rss_mib']:,.0f} MiB, median of {len(runs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
