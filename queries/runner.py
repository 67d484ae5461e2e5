"""Run the registered checks over the embedded graph and summarize the network.

:func:`run_checks` runs every check of the catalog (or a selection) in catalog
order and returns a :class:`Report`; :func:`summarize` computes the summary of
spec section 7 (counts, 组织覆盖率, 单独组建率, work coverage, referral totals,
findings per check).  ``Report.to_dict()`` is the JSON of spec section 8.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> G = new_graph("demo")
>>> G.add_node("V1", label="Institution", name="李村卫生室", kind="village_clinic", level="village")
>>> report = run_checks(G, only=["coverage"])
>>> [f.check for f in report.findings]
['coverage.uncovered_institution']
>>> report.summary["coverage"]["overall"]["coverage_rate"]
0.0
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter

import numpy as np
import pandas as pd

from orgnet.graphmodel.schema import (
    DEFAULT_SETTINGS, ENTITY_LABELS, HEALTH_KINDS, INSTITUTION_KINDS, LIAISON_LINK,
    ORG_KINDS, OWN_BRANCH_KINDS, REFERRAL_LINK, LINK_TYPES, MEMBER_STATUSES, Settings, level_rank,
)
from orgnet.loaders.graph import gc_paused
from orgnet.queries.connectivity import memoized
from orgnet.queries.catalog import (
    CATALOG, CHECK_IDS, QueryError, load_checks, render_many, select_checks,
)
from orgnet.queries.finding import SEVERITIES, Finding, severity_rank
from orgnet.queries.tables import CheckTables, check_tables
from orgnet.queries.united_front import united_front_summary

__all__ = ["Report", "run_checks", "summarize", "coverage_of", "own_branch_institutions"]


@dataclass
class Report:
    """The result of one run: the summary and the findings.

    Attributes
    ----------
    summary : dict
        Plain JSON types only (see :func:`summarize`).
    findings : list of Finding
        In catalog order, then by subject.
    lang : str
        The language messages were rendered in.
    lines : list of queries.planner.Line, optional
        The findings as the human formats list them (:func:`orgnet.queries.planner.planner_lines`
        with the graph: by severity, region, check; the designed hierarchy folded).
        Not part of the JSON.
    provenance : dict, optional
        Where the report comes from (orgnet version, settings, SHA-256 of the input
        tables): added to the JSON and the register when set.
    """

    summary: dict
    findings: list[Finding] = field(default_factory=list)
    lang: str = "en"
    lines: list | None = field(default=None, compare=False, repr=False)
    provenance: dict | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        """Return ``{"summary": ..., "findings": [...]}`` (spec section 8), and
        ``"provenance"`` after them when the report has one."""
        out = {"summary": self.summary, "findings": [f.to_dict() for f in self.findings]}
        if self.provenance is not None:
            out["provenance"] = self.provenance
        return out

    def arranged(self, G=None) -> "Report":
        """Set :attr:`lines` from the graph the findings are about; return the report."""
        from orgnet.queries.planner import planner_lines

        self.lines = planner_lines(self, G)
        return self

    def has_findings_at_or_above(self, severity: str) -> bool:
        """Return True when a finding at or above a severity exists (``--fail-on``).

        Examples
        --------
        >>> Report({}, [Finding("c", "medium", ("x",), "m")]).has_findings_at_or_above("high")
        False
        """
        limit = severity_rank(severity)
        return any(severity_rank(f.severity) <= limit for f in self.findings)


def run_checks(source, *, settings: Settings = DEFAULT_SETTINGS, only=(),
               skip=(), lang: str = "en", min_severity: str | None = None,
               progress=None) -> Report:
    """Run the selected checks on a dataset's graph or check tables.

    Parameters
    ----------
    source : networkx.MultiDiGraph or queries.tables.CheckTables
        The embedded graph (:mod:`orgnet.graphmodel.embedded`), or the check tables of a
        dataset (``orgnet.loaders.load_tables``: what ``orgnet check PATH`` runs on, no
        graph built).  Both give the same report.
    settings : Settings
        Thresholds of the structure checks.
    only, skip : iterable of str
        Check ids or family names to run / leave out (:func:`orgnet.queries.catalog.select_checks`).
    lang : {"en", "zh"}
        Language of messages and suggestions.
    min_severity : {"high", "medium", "low"}, optional
        Keep only findings at or above this severity.
    progress : callable, optional
        Called with 1 after each check (``orgnet._common.progress``).

    Returns
    -------
    Report
        Its summary counts the findings reported (after ``min_severity``) for
        each check that ran.

    Raises
    ------
    QueryError
        An unknown check id, family or severity.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> run_checks(new_graph(), only=["nonsense"])
    Traceback (most recent call last):
    ...
    orgnet.queries.catalog.QueryError: unknown check or family: nonsense (families: ...)
    """
    load_checks()
    check_options(min_severity, lang)
    selected = select_checks(only, skip)
    findings: list[Finding] = []
    graph = None if isinstance(source, CheckTables) else source
    # The derived tables the checks share (check tables, unit network, ...) live
    # for this run only: a graph edited in place between two runs gets fresh ones.
    if graph is not None:
        memoized.cache_clear(graph)
    try:
        # The checks build many small acyclic objects; with the cyclic GC
        # running, full collections over the loaded data would dominate the run.
        with gc_paused():
            for check_id in selected:
                findings += findings_from_hits(
                    check_id, CATALOG[check_id].function(source, settings), lang)
                if progress is not None:
                    progress(1)
            findings = at_or_above(findings, min_severity)
            return Report(summarize(source, findings, checks=selected), findings, lang)
    finally:
        if graph is not None:
            memoized.cache_clear(graph)


def check_options(min_severity: str | None, lang: str) -> None:
    """Raise QueryError for an unknown severity or language (both backends)."""
    if min_severity is not None and min_severity not in SEVERITIES:
        raise QueryError(f"unknown severity {min_severity!r}; use one of {', '.join(SEVERITIES)}")
    if lang not in ("en", "zh"):
        raise QueryError(f"unknown language {lang!r}; use en or zh")


def findings_from_hits(check_id: str, hits, lang: str) -> list[Finding]:
    """Render one check's hits as findings, in subject order (both backends).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("T1", label="Institution", name="卫生院", kind="township_health_center",
    ...            level="township")
    >>> G.graph["services"] += [{"institution_id": "T1", "stage": stage, "row": row,
    ...                          "coordinator_org_id": None}
    ...                         for row, stage in ((2, "delivery"), (3, "child_health"))]
    >>> spec = load_checks()["service.no_coordinator"]
    >>> hits = spec.function(G, DEFAULT_SETTINGS)
    >>> [f.subject for f in findings_from_hits(spec.id, hits[::-1], "en")]
    [('T1', 'child_health'), ('T1', 'delivery')]
    """
    return render_many(check_id, sorted(hits, key=lambda hit: tuple(hit[0])), lang)


def at_or_above(findings: list[Finding], min_severity: str | None) -> list[Finding]:
    """Keep the findings at or above a severity (all of them when it is None).

    Examples
    --------
    >>> low = Finding("structure.orphan_org", "low", ("o",), "m")
    >>> high = Finding("connectivity.isolated_unit", "high", ("i",), "m")
    >>> [f.severity for f in at_or_above([low, high], "medium")]
    ['high']
    """
    if min_severity is None:
        return list(findings)
    limit = severity_rank(min_severity)
    return [f for f in findings if severity_rank(f.severity) <= limit]


def own_branch_institutions(G) -> set[str]:
    """Return the institutions with an organization of their own (单独组建).

    An institution X has one when a committee, general branch or branch covers X
    and every other institution that org covers lies below X in the ``parent_id``
    structure: a township center's branch that also takes in its village clinics
    is the center's own, but it is not the clinics' own, and a "branch" listing
    two peer institutions is effectively joint and is nobody's own.

    Parameters
    ----------
    G : networkx.MultiDiGraph or queries.tables.CheckTables

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> for n in ("T1", "V1"): G.add_node(n, label="Institution")
    >>> _ = G.add_edge("V1", "T1", key="BELONGS_TO", type="BELONGS_TO")
    >>> G.add_node("O2", label="PartyOrg", kind="branch")
    >>> for n in ("T1", "V1"): _ = G.add_edge("O2", n, key="COVERS", type="COVERS")
    >>> sorted(own_branch_institutions(G))
    ['T1']
    """
    t = check_tables(G)
    return set(t.ids[_own_branch_mask(t)].tolist())


def _own_branch_mask(t) -> np.ndarray:
    """Boolean column of :func:`own_branch_institutions` (whole columns, one org at a time
    only where an org covers several institutions)."""
    own = np.zeros(t.size, dtype=bool)
    pairs = t.kind_in(OWN_BRANCH_KINDS)[t.covers_org]
    orgs, insts = t.covers_org[pairs], t.covers_inst[pairs]
    width = np.bincount(orgs, minlength=t.size)
    single = width[orgs] == 1
    own[insts[single]] = True
    several = ~single
    groups: dict[int, list[int]] = {}
    for org, inst in zip(orgs[several].tolist(), insts[several].tolist()):
        groups.setdefault(org, []).append(inst)
    # The chains are walked on positions (``CheckTables.institution_chain`` without the
    # id <-> position mapping, which cost as much as the walk: 100,000 chains at 1M).
    parent = t.parent_list()
    chain_of: dict[int, set] = {}

    def chain(i: int) -> set:
        """Position i and its parent_id ancestors (a cycle, rejected on loading, stops)."""
        seen = {i}
        p = parent[i]
        while p >= 0 and p not in seen:
            seen.add(p)
            p = parent[p]
        return seen

    for units in groups.values():
        # a unit is the org's own when it lies in the chain (itself and its parent_id
        # ancestors) of every unit the org covers: the candidates are narrowed chain by
        # chain, and peers (a joint branch) leave none after two chains, so the other
        # chains of the group are not walked
        candidates = set(units)
        for u in units:
            if u not in chain_of:
                chain_of[u] = chain(u)
            candidates &= chain_of[u]
            if not candidates:
                break
        for unit in candidates:
            own[unit] = True
    return own


def coverage_of(G) -> dict:
    """Return organizational, own-branch and work coverage of the health institutions.

    Parameters
    ----------
    G : networkx.MultiDiGraph or queries.tables.CheckTables

    Returns
    -------
    dict
        ``{"overall": entry, "by_kind": {kind: entry}}`` where an entry is
        ``institutions``, ``covered`` (listed by any org, joint branches included:
        组织覆盖), ``own_branch`` (:func:`own_branch_institutions`: 单独组建),
        ``work_covered`` (covered, or the target of an active liaison link),
        and the three rates ``coverage_rate``, ``own_branch_rate``,
        ``work_coverage_rate`` (rounded to 4 places; None when there are no
        institutions).  ``by_kind`` holds the health kinds present, in schema order.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> coverage_of(new_graph())["overall"]["coverage_rate"] is None
    True
    """
    t = check_tables(G)
    health = t.is_health
    covered = t.covering_count() > 0
    own = _own_branch_mask(t)
    links = t.links
    reached = np.zeros(t.size, dtype=bool)
    reached[links["target"].to_numpy()[t.link_is(LIAISON_LINK)]] = True
    flags = np.stack([health, health & covered, health & own, health & (covered | reached)])

    def entry(mask):
        return _coverage_entry([int(x) for x in flags[:, mask].sum(axis=1)])

    by_kind = {}
    for kind in INSTITUTION_KINDS:
        if kind in HEALTH_KINDS:
            mask = health & (t.kind == kind)
            if mask.any():
                by_kind[kind] = entry(mask)
    return {"overall": entry(health), "by_kind": by_kind}


def summarize(G, findings, checks=None) -> dict:
    """Return the summary of spec section 7 (plain JSON types).

    Parameters
    ----------
    G : networkx.MultiDiGraph or queries.tables.CheckTables
    findings : list of Finding
    checks : list of str, optional
        The check ids that ran (default: every catalog id); each gets a count.

    Returns
    -------
    dict
        ``dataset``; ``counts`` (entities per label, active ``links`` rows,
        ``services`` rows); ``institution_kinds``, ``org_kinds``,
        ``member_statuses``, ``link_types`` (counts per vocabulary key present, in
        schema order; links count active rows); ``coverage`` (:func:`coverage_of`);
        ``referrals``: sums of active referral ``count`` going ``up`` (to a higher
        level), ``down`` and ``same_level``, and ``links`` (active referral rows);
        ``united_front`` (spec 7b: representatives, 联系率, 联络站覆盖率, overall and
        per county, :func:`orgnet.queries.united_front.united_front_summary`);
        ``findings``: ``total``, ``by_severity`` and ``by_check``.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph("demo")
    >>> G.add_node("V1", label="Institution", kind="village_clinic", level="village")
    >>> G.add_node("T1", label="Institution", kind="township_health_center", level="township")
    >>> add_link(G, "V1", "T1", link_type="referral", link_index=0, count=5)
    >>> add_link(G, "T1", "V1", link_type="referral", link_index=1, count=2)
    >>> summarize(G, [])["referrals"]
    {'up': 5, 'down': 2, 'same_level': 0, 'links': 2}
    """
    t = check_tables(G)
    labels = pd.Series(t.label, dtype=object)
    per_label = labels.value_counts(dropna=False).to_dict()
    counts = {label: int(per_label.get(label, 0)) for label in ENTITY_LABELS}
    links = t.links
    counts["links"] = len(links)
    counts["services"] = len(t.services)
    link_types = links["link_type"].to_numpy()
    per_type = pd.Series(link_types, dtype=object).value_counts().to_dict()
    referral = t.link_is(REFERRAL_LINK)
    source, target = links["source"].to_numpy()[referral], links["target"].to_numpy()[referral]
    rank = _level_ranks(t.level)
    step = rank[target] - rank[source]
    amount = links["count"].to_numpy()[referral]
    referrals = {"up": int(amount[step > 0].sum()), "down": int(amount[step < 0].sum()),
                 "same_level": int(amount[step == 0].sum()), "links": int(referral.sum())}
    findings = list(findings)
    checks = list(CHECK_IDS if checks is None else checks)
    by_check = {check_id: 0 for check_id in checks}
    # one C-level count per key rather than a Python loop per finding (a province has
    # 250,000); a check that did not run is added in the order it first appears
    for check_id, n in Counter(map(attrgetter("check"), findings)).items():
        by_check[check_id] = by_check.get(check_id, 0) + n
    per_severity = Counter(map(attrgetter("severity"), findings))
    return {
        "dataset": t.dataset,
        "counts": counts,
        "institution_kinds": _ordered(Counter(t.kind[t.is_institution].tolist()),
                                      tuple(INSTITUTION_KINDS)),
        "org_kinds": _ordered(Counter(t.kind[t.is_org].tolist()), ORG_KINDS),
        "member_statuses": _ordered(Counter(t.status[t.is_member].tolist()), MEMBER_STATUSES),
        "link_types": {lt: n for lt in LINK_TYPES if (n := per_type.get(lt, 0))},
        "coverage": coverage_of(t),
        "referrals": referrals,
        "united_front": united_front_summary(t),
        "findings": {
            "total": len(findings),
            "by_severity": {s: per_severity.get(s, 0) for s in SEVERITIES},
            "by_check": by_check,
        },
    }


def _level_ranks(levels) -> np.ndarray:
    """:func:`orgnet.graphmodel.schema.level_rank` of a column, once per distinct value."""
    try:
        codes, values = pd.factorize(levels)
    except TypeError:                 # unhashable values
        return np.asarray([level_rank(v) for v in levels.tolist()], dtype=np.int64)
    table = np.asarray([level_rank(v) for v in values.tolist()] + [level_rank(None)],
                       dtype=np.int64)
    return table[codes]


def _ordered(counter, order) -> dict:
    """Counts per value: the vocabulary keys present in ``order``, then the rest by text."""
    counts = dict(counter)
    ordered = {key: counts.pop(key) for key in order if key in counts}
    ordered.update(sorted((str(k), v) for k, v in counts.items()))
    return ordered


def _rate(part: int, whole: int):
    return round(part / whole, 4) if whole else None


def _coverage_entry(values) -> dict:
    total, covered, own, work = values
    return {
        "institutions": total, "covered": covered, "own_branch": own, "work_covered": work,
        "coverage_rate": _rate(covered, total), "own_branch_rate": _rate(own, total),
        "work_coverage_rate": _rate(work, total),
    }
