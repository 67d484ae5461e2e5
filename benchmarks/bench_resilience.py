"""Benchmark ``orgnet resilience`` (queries.resilience.resilience) on generated datasets.

Each run is a fresh subprocess (:mod:`bench_issue10`): load the dataset, then rank
every member, unit and tie; it reports the load time, the resilience time (wall
and CPU), the number of ranked items and the peak RSS of the child (which
includes the loaded graph).  Median of ``--runs`` runs.

    nice python benchmarks/bench_resilience.py /tmp/1m --runs 3 --nice 10

The machine may be shared: wall times are then upper bounds; the CPU time of the
process says more about the code.
"""

from __future__ import annotations

import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from bench_issue10 import main  # noqa: E402

BODY = r"""
from orgnet.queries.resilience import resilience
items, wall, cpu = timed(lambda: resilience(G))
report(wall_s=wall, cpu_s=cpu, items=len(items))
"""


def summary(med) -> str:
    return (f"entities {med['entities']:,.0f}: load {med['load_s']:.1f} s, resilience "
            f"{med['wall_s']:.1f} s wall ({med['wall_min']:.1f}-{med['wall_max']:.1f}), "
            f"{med['cpu_s']:.1f} s CPU, {med['items']:,.0f} items, peak RSS "
            f"{med['peak_rss_mib']:,.0f} MiB (after load {med['load_rss_mib']:,.0f} MiB), "
            f"median of {med['runs']}")


if __name__ == "__main__":
    sys.exit(main(__doc__.splitlines()[0], BODY, summary))
