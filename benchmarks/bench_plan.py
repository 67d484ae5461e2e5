"""Benchmark ``orgnet plan`` (make the plan, apply it, prove it by re-running the checks).

Each run is a fresh subprocess (:mod:`bench_issue10`): load the dataset, run the
checks, make the plan, apply it to a copy and re-run the checks on it (what
``orgnet plan PATH`` does without --apply).  Reports the load time and the plan
time (wall and CPU), the number of actions and the peak RSS; median of ``--runs``.

    python benchmarks/bench_plan.py /tmp/100k --runs 3
    python benchmarks/bench_plan.py gen:100000:1 --runs 3

On a shared machine wall times are upper bounds; CPU time says more about the code.
"""

from __future__ import annotations

import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from bench_issue10 import main  # noqa: E402

BODY = r"""
from orgnet.queries.plan import make_plan, prove_plan
plan, wall, cpu = timed(lambda: prove_plan(G, make_plan(G)))
report(wall_s=wall, cpu_s=cpu, actions=len(plan.actions),
       high_before=plan.before["findings"]["by_severity"]["high"],
       high_after=plan.after["findings"]["by_severity"]["high"],
       findings_before=plan.before["findings"]["total"],
       findings_after=plan.after["findings"]["total"],
       ties=plan.connectivity.get("ties", 0), ties_lower_bound=plan.connectivity.get("lower_bound", 0),
       areas=plan.connectivity.get("areas", 0), fewest_proved=plan.connectivity.get("fewest_proved", 0))
"""


def summary(med) -> str:
    return (f"entities {med['entities']:,.0f}: load {med['load_s']:.1f} s, plan {med['wall_s']:.1f} s "
            f"wall ({med['wall_min']:.1f}-{med['wall_max']:.1f}), {med['cpu_s']:.1f} s CPU, "
            f"{med['actions']:,.0f} actions, findings {med['findings_before']:,.0f} -> "
            f"{med['findings_after']:,.0f} (high {med['high_before']:,.0f} -> "
            f"{med['high_after']:,.0f}), pairing ties {med['ties']:,.0f} (lower bound "
            f"{med['ties_lower_bound']:,.0f}; fewest proved in {med['fewest_proved']:,.0f} of "
            f"{med['areas']:,.0f} areas), peak RSS {med['peak_rss_mib']:,.0f} MiB, "
            f"median of {med['runs']}")


if __name__ == "__main__":
    sys.exit(main(__doc__.splitlines()[0], BODY, summary))
