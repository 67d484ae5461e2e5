"""The ``Finding`` record every check returns, on both backends.

A check computes *hits*: ``(subject, evidence)`` pairs.  The catalog renders each
hit into a :class:`Finding` with the check's severity, message and suggestion
templates.  Messages and suggestions are rendered **only** from the check id,
the subject and the evidence, so the embedded and the Neo4j backend give
identical findings as long as they compute identical hits.

Examples
--------
>>> f = Finding("coverage.empty_org", "medium", ("o1",), "msg", {"kind": "branch"}, "fix")
>>> f.to_dict()["subject"]
['o1']
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Finding", "SEVERITIES", "severity_rank"]

#: Severities from most to least severe.
SEVERITIES = ("high", "medium", "low")


def severity_rank(severity: str) -> int:
    """Return 0 for high, 1 for medium, 2 for low.

    Examples
    --------
    >>> severity_rank("high") < severity_rank("low")
    True
    """
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Finding:
    """One gap found by one check (spec section 7).

    Attributes
    ----------
    check : str
        The check id, e.g. ``coverage.uncovered_institution``.
    severity : str
        ``high``, ``medium`` or ``low``.
    subject : tuple of str
        The ids the finding is about (one id, or the ids the spec names).
    message : str
        What is wrong, in the report's language.
    evidence : dict
        JSON-serializable facts behind the finding (names, counts, ids).
    suggestion : str
        What to do about it, in the report's language.
    """

    check: str
    severity: str
    subject: tuple[str, ...]
    message: str
    evidence: dict = field(default_factory=dict, compare=True)
    suggestion: str = ""

    def to_dict(self) -> dict:
        """Return the finding as the JSON object of spec section 8."""
        return {
            "check": self.check,
            "severity": self.severity,
            "subject": list(self.subject),
            "message": self.message,
            "evidence": self.evidence,
            "suggestion": self.suggestion,
        }
