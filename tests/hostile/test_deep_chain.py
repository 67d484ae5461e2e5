"""A chain of 20,000 nested party organizations validates and checks (no RecursionError).

The walks up and down parent chains are memoized and iterative, so this runs in
time linear in the depth (benchmarks measure it; no timed assertion here).
"""

import csv

from orgnet.loaders import load_graph
from orgnet.queries.runner import run_checks

DEPTH = 20_000


def _deep_dataset(directory):
    directory.mkdir()
    with open(directory / "institutions.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "kind", "parent_id"])
        writer.writerow(["H1", "县医院", "county_hospital", ""])
        writer.writerows([f"T{i}", f"卫生院{i}", "township_health_center", "H1"]
                         for i in range(DEPTH))
    with open(directory / "party_orgs.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "kind", "parent_id", "institution_ids"])
        writer.writerow(["O0", "党委", "committee", "", "H1;T0"])
        writer.writerows([f"O{i}", f"支部{i}", "branch", f"O{i - 1}", f"T{i}"]
                         for i in range(1, DEPTH))
    with open(directory / "members.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "status", "org_id", "institution_id", "roles"])
        writer.writerows([f"M{i:05d}", f"人{i}", "full", f"O{i}", f"T{i}",
                          "deputy_secretary" if i == DEPTH - 1 else ""] for i in range(DEPTH))
    return directory


def test_a_20000_deep_org_chain_checks(tmp_path):
    G = load_graph(_deep_dataset(tmp_path / "deep"))
    report = run_checks(G, only=["structure"])
    no_secretary = {f.subject[0]: f.evidence for f in report.findings
                    if f.check == "structure.no_secretary"}
    assert len(no_secretary) == DEPTH
    # the top committee: its own member first, then the committee member deepest down,
    # then by id
    assert no_secretary["O0"]["candidates"] == ["M00000", f"M{DEPTH - 1:05d}", "M00001"]
    assert no_secretary[f"O{DEPTH - 1}"]["candidates"] == [f"M{DEPTH - 1:05d}"]
    assert not [f for f in report.findings if f.check == "structure.empty_org"]
