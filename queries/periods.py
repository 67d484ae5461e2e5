"""Periods of links: select the links of a period or range, and follow figures per period.

A link's ``period`` is a year (``2025``), a quarter (``2025-Q4``), a month
(``2025-11``) or a day (``2025-11-03``); each is an interval of days.  A link
is *in* a period when its whole interval lies inside the period's: ``2025-11``
and ``2025-11-03`` are in ``2025-Q4`` and in ``2025``; ``2025`` is not in
``2025-Q4`` (a yearly count cannot be split into quarters).  Links without a
period are in every selection (they are not tied to a time).

:func:`graph_in_periods` returns the graph with only the dated links in a range
(plus the undated ones), so every check runs on it unchanged;
:func:`trend` gives, per year, quarter or month, the referral figures and the
active liaison and pairing ties.

Examples
--------
>>> parse_period("2025-q4")
Period(text='2025-Q4', start=datetime.date(2025, 10, 1), end=datetime.date(2025, 12, 31))
>>> is_in("2025-11", parse_period("2025-Q4")), is_in("2025", parse_period("2025-Q4"))
(True, False)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import networkx as nx

from orgnet.graphmodel.schema import LIAISON_LINK
from orgnet.queries.catalog import QueryError

__all__ = ["Period", "parse_period", "is_in", "graph_in_periods", "period_of_link",
           "range_of", "run_checks_in_periods",
           "bucket_of", "trend", "TREND_BY", "TREND_FIGURES", "PAIRING_LINK"]

#: Granularities of :func:`trend`.
TREND_BY = ("quarter", "month", "year")
#: Figures of one :func:`trend` row, in column order.
TREND_FIGURES = ("referrals_up", "referrals_down", "referrals_same_level", "one_way_pairs",
                 "broken_chains", "liaison_ties", "pairing_ties")
PAIRING_LINK = "pairing"
_FORM = re.compile(r"(\d{4})(?:-(?:Q([1-4])|(\d{2}))(?:-(\d{2}))?)?", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """A period as an interval of days (both ends included)."""

    text: str
    start: dt.date
    end: dt.date


def parse_period(text) -> Period:
    """Parse ``YYYY``, ``YYYY-Qn``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Raises
    ------
    QueryError
        Any other text, or an impossible date.

    Examples
    --------
    >>> parse_period("2025-02").end
    datetime.date(2025, 2, 28)
    >>> parse_period("2025-13")
    Traceback (most recent call last):
    ...
    orgnet.queries.catalog.QueryError: period '2025-13' is not YYYY, YYYY-MM, YYYY-Qn or a date YYYY-MM-DD
    """
    raw = str(text).strip()
    match = _FORM.fullmatch(raw)
    error = QueryError(f"period {raw!r} is not YYYY, YYYY-MM, YYYY-Qn or a date YYYY-MM-DD")
    if not match or (match.group(2) and match.group(4)):
        raise error
    year = int(match.group(1))
    try:
        if match.group(2):
            quarter = int(match.group(2))
            start = dt.date(year, 3 * quarter - 2, 1)
            end_month = 3 * quarter
            end = dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
            return Period(f"{year}-Q{quarter}", start, end)
        if match.group(3) is None:
            return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))
        month = int(match.group(3))
        if match.group(4) is None:
            start = dt.date(year, month, 1)
            return Period(raw, start, dt.date(year, month, calendar.monthrange(year, month)[1]))
        day = dt.date(year, month, int(match.group(4)))
        return Period(raw, day, day)
    except ValueError:
        raise error from None


_CACHE: dict = {}


def _cached(text) -> Period:
    try:
        return _CACHE[text]
    except KeyError:
        found = _CACHE[text] = parse_period(text)
        return found


def is_in(period, within: Period) -> bool:
    """Return True when a link period lies inside another period (undated: always).

    Examples
    --------
    >>> q4 = parse_period("2025-Q4")
    >>> [is_in(p, q4) for p in ("2025-10-03", "2025-12", "2026-01", None)]
    [True, True, False, True]
    """
    return _in_range(period, within, within)


def _in_range(period, since, until) -> bool:
    if period is None or str(period).strip() == "":
        return True
    span = _cached(str(period))
    return ((since is None or span.start >= since.start)
            and (until is None or span.end <= until.end))


def period_of_link(data: dict):
    """Return a link's period text, or None when it has none."""
    value = data.get("period")
    return None if value is None or str(value).strip() == "" else str(value)


def graph_in_periods(G: nx.MultiDiGraph, *, since: Period | None = None,
                     until: Period | None = None) -> tuple[nx.MultiDiGraph, dict]:
    """Return a copy of the graph keeping only the links dated within a range, and counts.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    since, until : Period, optional
        The range: links whose period starts on or after ``since.start`` and ends
        on or before ``until.end`` (``--period P`` is ``since=until=P``).  Undated
        links are kept.

    Returns
    -------
    (networkx.MultiDiGraph, dict)
        The graph, and ``{"dated_in": n, "dated_out": n, "undated": n}`` over the
        link rows.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph()
    >>> for i, p in enumerate(("2025-Q3", "2025-11", None)):
    ...     add_link(G, "a", "b", link_type="pairing", link_index=i, period=p)
    >>> H, counts = graph_in_periods(G, since=parse_period("2025-Q4"), until=parse_period("2025-Q4"))
    >>> counts, sorted(d["link_index"] for _, _, d in H.edges(data=True))
    ({'dated_in': 1, 'dated_out': 1, 'undated': 1}, [1, 2])
    """
    H = G.copy()
    counts = {"dated_in": 0, "dated_out": 0, "undated": 0}
    drop = []
    for u, v, key, data in H.edges(keys=True, data=True):
        if "link_index" not in data:
            continue
        period = period_of_link(data)
        if period is None:
            counts["undated"] += 1
        elif _in_range(period, since, until):
            counts["dated_in"] += 1
        else:
            counts["dated_out"] += 1
            drop.append((u, v, key))
    H.remove_edges_from(drop)
    return H, counts


def bucket_of(period, by: str):
    """Return the year, quarter or month a link period lies in, or None.

    None when the link is undated or dated more coarsely than ``by`` (a yearly
    link has no quarter).

    Examples
    --------
    >>> bucket_of("2025-11-03", "quarter"), bucket_of("2025-11", "month"), bucket_of("2025", "month")
    ('2025-Q4', '2025-11', None)
    """
    if by not in TREND_BY:
        raise QueryError(f"unknown granularity {by!r}; use one of {', '.join(TREND_BY)}")
    if period is None or str(period).strip() == "":
        return None
    span = _cached(str(period))
    if by == "year":
        return str(span.start.year) if span.start.year == span.end.year else None
    if by == "quarter":
        quarter = (span.start.month - 1) // 3 + 1
        same = span.start.year == span.end.year and (span.end.month - 1) // 3 + 1 == quarter
        return f"{span.start.year}-Q{quarter}" if same else None
    same = (span.start.year, span.start.month) == (span.end.year, span.end.month)
    return f"{span.start.year}-{span.start.month:02d}" if same else None


def trend(G: nx.MultiDiGraph, by: str = "quarter") -> dict:
    """Return the referral figures and active ties per year, quarter or month.

    For each period P that some link falls in (:func:`bucket_of`), the figures of
    the graph with the links of P plus the undated links (what ``orgnet check
    --period P`` sees): ``referrals_up``/``referrals_down``/
    ``referrals_same_level`` (active referral counts), ``one_way_pairs`` and
    ``broken_chains`` (findings of ``referral.one_way`` and
    ``referral.broken_chain``), ``liaison_ties`` and ``pairing_ties`` (distinct
    source-target pairs with an active link of that type).

    Returns
    -------
    dict
        ``{"by": by, "periods": [{"period": P, **figures}, ...] (in time order),
        "coarser": n}``, ``coarser`` counting the dated links in no row (dated
        more coarsely than ``by``).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph()
    >>> G.add_node("V", label="Institution", kind="village_clinic", level="village")
    >>> G.add_node("T", label="Institution", kind="township_health_center", level="township")
    >>> add_link(G, "V", "T", link_type="referral", link_index=0, count=5, period="2025-Q1")
    >>> add_link(G, "T", "V", link_type="referral", link_index=1, count=2, period="2025-02")
    >>> add_link(G, "V", "T", link_type="referral", link_index=2, count=4, period="2025-Q2")
    >>> rows = trend(G)["periods"]
    >>> [(r["period"], r["referrals_up"], r["referrals_down"], r["one_way_pairs"]) for r in rows]
    [('2025-Q1', 5, 2, 0), ('2025-Q2', 4, 0, 1)]
    """
    from orgnet.graphmodel.embedded import add_link, new_graph
    from orgnet.graphmodel.schema import INSTITUTION, REFERRAL_LINK
    from orgnet.queries.runner import run_checks

    per_bucket: dict = {}             # bucket -> link rows (source, target, data)
    undated = []
    coarser = 0
    for u, v, data in G.edges(data=True):
        if "link_index" not in data:
            continue
        period = period_of_link(data)
        bucket = None if period is None else bucket_of(period, by)
        if period is None:
            undated.append((u, v, data))
        elif bucket is None:
            coarser += 1
        else:
            per_bucket.setdefault(bucket, []).append((u, v, data))
    # The referral figures need only the institutions and the referral links, so
    # each period gets a small graph of those instead of a copy of the whole graph.
    institutions = [(n, d) for n, d in G.nodes(data=True) if d.get("label") == INSTITUTION]
    rows = []
    for bucket in sorted(per_bucket, key=lambda b: _cached(b).start):
        found = [(u, v, d) for u, v, d in per_bucket[bucket] + undated if d.get("count", 1) != 0]
        H = new_graph(G.graph.get("dataset", ""))
        H.add_nodes_from(institutions)
        for u, v, data in found:
            if data["link_type"] == REFERRAL_LINK:
                add_link(H, u, v, **{k: x for k, x in data.items() if k not in ("type",)})
        report = run_checks(H, only=["referral.one_way", "referral.broken_chain"])
        referrals = report.summary["referrals"]
        ties = {LIAISON_LINK: set(), PAIRING_LINK: set()}
        for u, v, data in found:
            if data["link_type"] in ties:
                ties[data["link_type"]].add((u, v))
        by_check = report.summary["findings"]["by_check"]
        rows.append({
            "period": bucket, "referrals_up": referrals["up"],
            "referrals_down": referrals["down"],
            "referrals_same_level": referrals["same_level"],
            "one_way_pairs": by_check.get("referral.one_way", 0),
            "broken_chains": by_check.get("referral.broken_chain", 0),
            "liaison_ties": len(ties[LIAISON_LINK]), "pairing_ties": len(ties[PAIRING_LINK]),
        })
    return {"by": by, "periods": rows, "coarser": coarser}



def range_of(period=None, since=None, until=None) -> tuple[Period | None, Period | None]:
    """Return ``(since, until)`` Periods from ``--period`` or ``--since``/``--until`` texts.

    Raises
    ------
    QueryError
        A text that is not a period, ``period`` given with ``since``/``until``, or
        ``since`` after ``until``.

    Examples
    --------
    >>> [p.text for p in range_of(period="2025-Q4")]
    ['2025-Q4', '2025-Q4']
    >>> range_of(since="2026", until="2025-06")
    Traceback (most recent call last):
    ...
    orgnet.queries.catalog.QueryError: --since 2026 is after --until 2025-06
    """
    if period is not None and (since is not None or until is not None):
        raise QueryError("give --period or --since/--until, not both")
    if period is not None:
        span = parse_period(period)
        return span, span
    start = parse_period(since) if since is not None else None
    end = parse_period(until) if until is not None else None
    if start is not None and end is not None and start.start > end.end:
        raise QueryError(f"--since {start.text} is after --until {end.text}")
    return start, end


def run_checks_in_periods(G: nx.MultiDiGraph, *, since: Period | None = None,
                          until: Period | None = None, **options):
    """Run the checks on the links of a range plus the undated ones.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    since, until : Period, optional
        As in :func:`graph_in_periods`.
    **options
        Passed to :func:`orgnet.queries.runner.run_checks`.

    Returns
    -------
    queries.runner.Report
        Its summary gains ``periods``: ``since``, ``until`` (texts or None) and
        the link counts of :func:`graph_in_periods`.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph()
    >>> add_link(G, "a", "b", link_type="pairing", link_index=0, period="2024")
    >>> q = parse_period("2025-Q1")
    >>> run_checks_in_periods(G, since=q, until=q, only=["coverage"]).summary["periods"]
    {'since': '2025-Q1', 'until': '2025-Q1', 'dated_in': 0, 'dated_out': 1, 'undated': 0}
    """
    from orgnet.queries.runner import run_checks

    H, counts = graph_in_periods(G, since=since, until=until)
    report = run_checks(H, **options)
    report.summary["periods"] = {"since": since.text if since else None,
                                 "until": until.text if until else None, **counts}
    return report
