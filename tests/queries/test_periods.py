"""orgnet.queries.periods: periods as day intervals, selecting links, the trend table."""

import pytest

from conftest import write_csv_tables
from orgnet.graphmodel.embedded import add_link, new_graph
from orgnet.loaders import load_graph
from orgnet.queries.catalog import QueryError
from orgnet.queries.periods import (
    bucket_of, graph_in_periods, is_in, parse_period, range_of, run_checks_in_periods, trend,
)


@pytest.mark.parametrize("link,inside,expected", [
    ("2025-11", "2025-Q4", True), ("2025-11", "2025", True), ("2025-11-30", "2025-11", True),
    ("2025-Q4", "2025", True), ("2025", "2025-Q4", False), ("2025-Q4", "2025-11", False),
    ("2025-09", "2025-Q4", False), ("2025-q4", "2025-Q4", True), (None, "2024", True),
    ("", "2024", True),
])
def test_finer_periods_fall_into_coarser_ones(link, inside, expected):
    assert is_in(link, parse_period(inside)) is expected


@pytest.mark.parametrize("text", ["2025-13", "2025-Q5", "25", "2025-02-30", "2025-Q1-01", "x"])
def test_bad_periods_are_query_errors(text):
    with pytest.raises(QueryError, match="is not YYYY, YYYY-MM, YYYY-Qn"):
        parse_period(text)


def test_ranges():
    since, until = range_of(since="2025-Q2", until="2025-10")
    assert (since.start.isoformat(), until.end.isoformat()) == ("2025-04-01", "2025-10-31")
    with pytest.raises(QueryError, match="not both"):
        range_of(period="2025", since="2025")
    assert range_of() == (None, None)


def test_graph_in_periods_keeps_the_range_and_the_undated_links():
    G = new_graph()
    for i, period in enumerate(["2025-Q1", "2025-05", "2025-07-01", "2025", None]):
        add_link(G, "a", "b", link_type="pairing", link_index=i, period=period)
    since, until = range_of(since="2025-Q2", until="2025-Q3")
    H, counts = graph_in_periods(G, since=since, until=until)
    assert sorted(d["period"] or "-" for _, _, d in H.edges(data=True)) == \
        ["-", "2025-05", "2025-07-01"]
    assert counts == {"dated_in": 2, "dated_out": 2, "undated": 1}
    assert G.number_of_edges() == 5                              # the input is untouched
    H, _ = graph_in_periods(G, since=parse_period("2025-06"))     # open-ended
    assert len(H.edges) == 2


def test_bucket_of_mixed_granularities():
    assert [bucket_of(p, "quarter") for p in ("2025-01", "2025-Q1", "2025-03-31", "2025")] == \
        ["2025-Q1", "2025-Q1", "2025-Q1", None]
    assert [bucket_of(p, "year") for p in ("2025-01", "2025-Q1", "2025")] == ["2025"] * 3
    with pytest.raises(QueryError):
        bucket_of("2025", "week")


def test_a_one_way_referral_in_one_quarter_only(tmp_path, tiny_tables):
    tiny_tables["links"] = [
        {"source_id": "V1", "target_id": "T1", "type": "referral", "count": "5", "period": "2025-Q1"},
        {"source_id": "T1", "target_id": "V1", "type": "referral", "count": "2", "period": "2025-02"},
        {"source_id": "V1", "target_id": "T1", "type": "referral", "count": "4", "period": "2025-Q2"},
        {"source_id": "T1", "target_id": "H1", "type": "referral", "count": "9", "period": "2025-04-15"},
        {"source_id": "M1", "target_id": "T2", "type": "liaison", "count": "1"},
        {"source_id": "H1", "target_id": "T1", "type": "pairing", "count": "1", "period": "2025"},
    ]
    G = load_graph(write_csv_tables(tmp_path / "t", tiny_tables))
    rows = {r["period"]: r for r in trend(G)["periods"]}
    assert list(rows) == ["2025-Q1", "2025-Q2"]
    assert (rows["2025-Q1"]["referrals_up"], rows["2025-Q1"]["referrals_down"]) == (5, 2)
    assert rows["2025-Q1"]["one_way_pairs"] == 0
    assert rows["2025-Q2"]["one_way_pairs"] == 2          # V1->T1 and T1->H1, none back
    assert rows["2025-Q1"]["liaison_ties"] == 1           # undated: in every period
    assert rows["2025-Q1"]["pairing_ties"] == 0           # yearly: in no quarter
    assert trend(G)["coarser"] == 1
    assert [r["pairing_ties"] for r in trend(G, "year")["periods"]] == [1]
    q1 = parse_period("2025-Q1")
    report = run_checks_in_periods(G, since=q1, until=q1, only=["referral"])
    assert not any(f.check == "referral.one_way" for f in report.findings)
    assert report.summary["referrals"]["up"] == 5


def test_trend_of_a_graph_without_dated_links():
    assert trend(new_graph()) == {"by": "quarter", "periods": [], "coarser": 0}


@pytest.mark.parametrize("path", ["examples/county-medical-community",
                                  "examples/county-medical-community-2026"])
def test_each_trend_row_is_what_check_period_sees(path):
    G = load_graph(path)
    for row in trend(G)["periods"]:
        span = parse_period(row["period"])
        report = run_checks_in_periods(G, since=span, until=span, only=["referral"])
        counts = report.summary["findings"]["by_check"]
        assert row["referrals_up"] == report.summary["referrals"]["up"]
        assert row["referrals_down"] == report.summary["referrals"]["down"]
        assert row["one_way_pairs"] == counts["referral.one_way"]
        assert row["broken_chains"] == counts["referral.broken_chain"]
