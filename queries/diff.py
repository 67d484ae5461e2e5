"""The difference between two check runs: findings that appeared or went away, changed figures.

``orgnet whatif`` (a changed graph against the unchanged one), ``orgnet plan``
(a dataset with the plan applied against the input) and ``orgnet compare`` (two
datasets or two versions) all say the same thing: which findings are new, which
are gone, and how every summary figure moved.  They share these functions.

A finding is identified by its check and its subject (spec section 7): the same
gap found again with other evidence (a cut unit that now cuts off 3 institutions
instead of 2) is *changed*, not appeared and resolved.  Findings may be
:class:`~queries.finding.Finding` records or their JSON objects (``orgnet check
--format json``), so saved reports can be compared too.

Examples
--------
>>> from orgnet.queries.finding import Finding
>>> a = Finding("coverage.empty_org", "medium", ("O1",), "m")
>>> b = Finding("structure.no_secretary", "medium", ("O2",), "m")
>>> d = diff_findings([a], [b])
>>> [f.subject for f in d.appeared], [f.subject for f in d.resolved]
([('O2',)], [('O1',)])
>>> diff_summaries({"referrals": {"up": 3}}, {"referrals": {"up": 5}})
[{'figure': 'referrals.up', 'before': 3, 'after': 5, 'change': 2}]
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FindingDiff", "finding_key", "diff_findings", "summary_figures",
           "diff_summaries", "HEADLINE_FIGURES"]

#: The figures a planner looks at first (always shown, changed or not).
HEADLINE_FIGURES = (
    "coverage.overall.coverage_rate", "coverage.overall.own_branch_rate",
    "coverage.overall.work_coverage_rate", "referrals.up", "referrals.down",
    "findings.total", "findings.by_severity.high", "findings.by_severity.medium",
    "findings.by_severity.low",
)


def _get(finding, name):
    return finding[name] if isinstance(finding, dict) else getattr(finding, name)


def finding_key(finding) -> tuple:
    """Return ``(check, subject tuple)``: what identifies a finding across runs.

    Examples
    --------
    >>> finding_key({"check": "referral.one_way", "subject": ["A", "B"]})
    ('referral.one_way', ('A', 'B'))
    """
    return _get(finding, "check"), tuple(_get(finding, "subject"))


@dataclass
class FindingDiff:
    """Findings that appeared, went away, or stayed with other evidence or severity.

    Attributes
    ----------
    appeared : list
        In the second run only (as given there, in its order).
    resolved : list
        In the first run only (as given there, in its order).
    changed : list of tuple
        ``(before, after)`` pairs with the same key whose severity or evidence differ.
    """

    appeared: list = field(default_factory=list)
    resolved: list = field(default_factory=list)
    changed: list = field(default_factory=list)

    def is_empty(self) -> bool:
        """Return True when nothing appeared, went away or changed.

        Examples
        --------
        >>> FindingDiff().is_empty()
        True
        """
        return not (self.appeared or self.resolved or self.changed)


def diff_findings(before, after) -> FindingDiff:
    """Return the :class:`FindingDiff` from one list of findings to another.

    Parameters
    ----------
    before, after : iterable of Finding or dict
        Findings of two runs (records or their JSON objects).

    Examples
    --------
    >>> old = [{"check": "connectivity.cut_unit", "subject": ["T1"], "severity": "medium",
    ...         "evidence": {"cut_off": 2}}]
    >>> new = [{"check": "connectivity.cut_unit", "subject": ["T1"], "severity": "medium",
    ...         "evidence": {"cut_off": 3}}]
    >>> d = diff_findings(old, new)
    >>> len(d.appeared), len(d.resolved), d.changed[0][1]["evidence"]
    (0, 0, {'cut_off': 3})
    """
    before, after = list(before), list(after)
    old = {finding_key(f): f for f in before}
    new = {finding_key(f): f for f in after}
    result = FindingDiff()
    result.appeared = [f for f in after if finding_key(f) not in old]
    result.resolved = [f for f in before if finding_key(f) not in new]
    for key, f in new.items():
        g = old.get(key)
        if g is not None and (_get(g, "severity") != _get(f, "severity")
                              or _get(g, "evidence") != _get(f, "evidence")):
            result.changed.append((g, f))
    return result


def summary_figures(summary: dict, prefix: str = "") -> dict:
    """Return every number of a summary by its dotted path (``coverage.overall.covered``).

    Booleans and text are left out; a rate that cannot be computed (None) is kept.

    Examples
    --------
    >>> summary_figures({"dataset": "x", "counts": {"Member": 4},
    ...                  "coverage": {"overall": {"coverage_rate": None}}})
    {'counts.Member': 4, 'coverage.overall.coverage_rate': None}
    """
    figures = {}
    for key, value in summary.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            figures.update(summary_figures(value, path + "."))
        elif value is None and (key.endswith("_rate")):
            figures[path] = None
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            figures[path] = value
    return figures


def diff_summaries(before: dict, after: dict, *, always=()) -> list[dict]:
    """Return the summary figures that changed, plus those named in ``always``.

    Parameters
    ----------
    before, after : dict
        Two summaries (:func:`orgnet.queries.runner.summarize`).
    always : iterable of str
        Dotted paths listed even when unchanged (e.g. :data:`HEADLINE_FIGURES`),
        first and in that order.

    Returns
    -------
    list of dict
        ``{"figure", "before", "after", "change"}``; a figure missing on one side
        is 0 there (a count) and ``change`` is None when either side is None.

    Examples
    --------
    >>> diff_summaries({"counts": {"Member": 4}}, {"counts": {"Member": 4}},
    ...                always=["counts.Member"])
    [{'figure': 'counts.Member', 'before': 4, 'after': 4, 'change': 0}]
    """
    old, new = summary_figures(before), summary_figures(after)
    names = list(dict.fromkeys([*always, *old, *(k for k in new if k not in old)]))
    always = set(always)
    rows = []
    for name in names:
        a, b = old.get(name, 0 if name not in new or new[name] is not None else None), \
            new.get(name, 0 if name not in old or old[name] is not None else None)
        if name not in old and name not in new:
            continue
        if a == b and name not in always:
            continue
        change = None if a is None or b is None else _round(b - a)
        rows.append({"figure": name, "before": a, "after": b, "change": change})
    return rows


def _round(value):
    return round(value, 4) if isinstance(value, float) else value
