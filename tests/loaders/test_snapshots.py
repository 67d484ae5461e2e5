"""orgnet.loaders.snapshots: quarterly snapshots whose planted changes compare reports exactly."""

import json

import pytest

from orgnet.loaders import load_graph
from orgnet.loaders.generate import GenerateError
from orgnet.loaders.snapshots import PLANTED_FILE, generate_snapshots
from orgnet.queries.compare import compare_graphs


def _keys(findings):
    return sorted((f.check, tuple(f.subject)) for f in findings)


def _truth(part):
    return sorted((check, tuple(subject)) for check, subjects in part.items()
                  for subject in subjects)


@pytest.mark.parametrize("seed", [0, 7])
def test_compare_reports_exactly_the_planted_fixes_and_new_gaps(tmp_path, seed):
    result = generate_snapshots(tmp_path, periods=3, counties=2, seed=seed)
    assert result["periods"] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    graphs = {p: load_graph(tmp_path / p) for p in result["periods"]}
    for before, after in zip(result["periods"], result["periods"][1:]):
        planted = result["planted"][after]
        assert _truth(planted["fixed"]) and _truth(planted["new"])
        comparison = compare_graphs(graphs[before], graphs[after])
        assert _keys(comparison.resolved) == _truth(planted["fixed"])
        assert _keys(comparison.new) == _truth(planted["new"])
        assert comparison.changed == []
        assert comparison.entities["matched_share"] == 1.0


def test_snapshots_are_reproducible_and_the_truth_is_written(tmp_path):
    first = generate_snapshots(tmp_path / "a", periods=2, counties=1, seed=4)
    generate_snapshots(tmp_path / "b", periods=2, counties=1, seed=4)
    for name in ("institutions.csv", "party_orgs.csv", "links.csv"):
        assert (tmp_path / "a" / "2025-Q2" / name).read_bytes() == \
            (tmp_path / "b" / "2025-Q2" / name).read_bytes()
    written = json.loads((tmp_path / "a" / PLANTED_FILE).read_text(encoding="utf-8"))
    assert written["planted"] == first["planted"]


def test_restored_referrals_are_dated_in_their_quarter(tmp_path):
    result = generate_snapshots(tmp_path, periods=2, counties=1, seed=2)
    fixed = result["planted"]["2025-Q2"]["fixed"]["referral.one_way"]
    assert fixed
    lines = (tmp_path / "2025-Q2" / "links.csv").read_text(encoding="utf-8").splitlines()
    village, town = fixed[0]
    assert any(line.startswith(f"{town},{village},referral,") and ",2025-Q2," in line
               for line in lines)


def test_periods_must_be_positive(tmp_path):
    with pytest.raises(GenerateError, match="periods must be a positive integer"):
        generate_snapshots(tmp_path, periods=0)
