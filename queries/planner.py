"""Findings in the order a planner works, with the designed hierarchy folded away.

The human formats (table, Markdown, the HTML report, the XLSX register) list
:class:`Line` objects: findings by severity, then region, then check (catalog
order).  Two low-value kinds of structural finding restate the county → township
→ village tree the planner designed; they are folded into one line per parent
unit with their count:

- ``connectivity.single_link_unit`` where the one neighbour is the unit's own
  ``parent_id`` institution;
- ``connectivity.cut_unit`` where every institution cut off lies below the unit
  through ``parent_id``.

A folded line (even of one finding) is ``low`` (the design, not a gap) and keeps its findings
(``Line.findings``) so that the report can expand it.  JSON keeps every finding
as it is: this module only arranges what people read.

Each line also names the region of its subject (for sorting and the register),
the subject's name (对象名称) and the party organization responsible for acting on
it (责任单位): the organization covering the institution (or the nearest one
above it), the parent of an organization, a member's organization.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> from orgnet.queries.finding import Finding
>>> from orgnet.queries.runner import Report
>>> report = Report({}, [Finding("structure.orphan_org", "low", ("O1",), "m"),
...                      Finding("coverage.uncovered_institution", "high", ("V1",), "m")])
>>> [line.check for line in planner_lines(report)]
['coverage.uncovered_institution', 'structure.orphan_org']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orgnet.graphmodel.schema import (
    IN_REGION, INSTITUTION, INSTITUTION_PARENT, MEMBER, MEMBER_OF, PARTY_ORG, REGION,
    REGION_PARENT, WORKS_AT,
)
from orgnet.queries.catalog import CHECK_IDS
from orgnet.queries.finding import SEVERITIES, Finding, severity_rank

__all__ = ["Line", "planner_lines", "HIERARCHY_CHECKS", "Places"]

SINGLE_LINK = "connectivity.single_link_unit"
CUT_UNIT = "connectivity.cut_unit"
#: the checks whose findings may restate the designed hierarchy
HIERARCHY_CHECKS = (SINGLE_LINK, CUT_UNIT)
#: how many names a folded line shows before "..."
_SHOWN = 5


@dataclass(frozen=True)
class Line:
    """One line of a human format: a finding, or a folded group of them.

    Attributes
    ----------
    severity, check, message, suggestion : str
        As in :class:`~queries.finding.Finding` (a folded line: ``low``, its own text).
    subject : tuple of str
        The finding's ids; for a folded line, the parent unit's id.
    name : str
        The subject's name (对象名称): names of every id, joined.
    region : str
        The region of the subject, top level first (``清河县 · 白云乡``); "" when unknown.
    responsible : str
        The responsible party organization as ``name (id)``; "" when none is known.
    findings : tuple of Finding
        The findings this line stands for (more than one when folded).
    """

    severity: str
    check: str
    subject: tuple
    name: str
    message: str
    suggestion: str
    region: str = ""
    responsible: str = ""
    findings: tuple = field(default=(), compare=False)
    region_key: tuple = field(default=(), compare=False, repr=False)
    #: True for a line that folds the designed hierarchy under one parent unit
    folded: bool = False

    @classmethod
    def of(cls, finding: Finding) -> "Line":
        """Return the line of one finding, without a graph (name from the evidence)."""
        evidence = finding.evidence or {}
        name = str(evidence.get("name") or evidence.get("area_name") or "")
        return cls(finding.severity, finding.check, tuple(finding.subject), name,
                   finding.message, finding.suggestion, findings=(finding,))


def planner_lines(report, G=None) -> list[Line]:
    """Return the lines of a report in the order a planner works.

    Parameters
    ----------
    report : queries.runner.Report
    G : networkx.MultiDiGraph, optional
        The graph the findings are about (either backend's).  Without it the
        lines are only ordered (severity, then check): no regions, names from the
        evidence, nothing folded.

    Returns
    -------
    list of Line
    """
    lang = getattr(report, "lang", "en")
    places = Places(G) if G is not None else None
    folded, rest = _fold(G, report.findings, lang, places) if G is not None else ([], report.findings)
    lines = folded + [_line(f, places, lang) for f in rest]
    order = {check: i for i, check in enumerate(CHECK_IDS)}
    return sorted(lines, key=lambda line: (
        severity_rank(line.severity), not line.region_key, line.region_key,
        order.get(line.check, len(order)), line.subject))


def _line(finding: Finding, places, lang: str) -> Line:
    if places is None:
        return Line.of(finding)
    key = places.region_key(finding.subject[0])
    return Line(finding.severity, finding.check, tuple(finding.subject),
                places.names(finding.subject, lang), finding.message,
                finding.suggestion, " · ".join(key), places.responsible(finding.subject[0]),
                (finding,), key)


class Places:
    """Where each id of a graph lies: region, name, responsible organization.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("R", label=REGION, name="清河县"); G.add_node("H", label=INSTITUTION, name="县医院")
    >>> _ = G.add_edge("H", "R", key=IN_REGION, type=IN_REGION)
    >>> Places(G).region_key("H")
    ('清河县',)
    """

    def __init__(self, G):
        self.G = G
        self._regions: dict = {}

    def _target(self, node, rel):
        for target, keys in self.G._adj.get(node, {}).items():
            if rel in keys:
                return target
        return None

    def _sources(self, node, rel):
        return sorted(s for s, keys in self.G._pred.get(node, {}).items() if rel in keys)

    def parent(self, node):
        """The ``parent_id`` institution of an institution, or None."""
        return self._target(node, INSTITUTION_PARENT)

    def label(self, node):
        data = self.G._node.get(node)
        return None if data is None else data.get("label")

    def name(self, node) -> str:
        data = self.G._node.get(node)
        return str(data.get("name") or node) if data is not None else str(node)

    def institution(self, node):
        """The institution an id stands at (itself, a member's workplace, an org's first unit)."""
        seen = set()
        while node is not None and node not in seen:
            seen.add(node)
            label = self.label(node)
            if label == INSTITUTION:
                return node
            if label == MEMBER:
                return self._target(node, WORKS_AT) or self._member_org_unit(node)
            if label == PARTY_ORG:
                from orgnet.graphmodel.schema import COVERS, ORG_PARENT

                covered = self._targets(node, COVERS)
                if covered:
                    return covered[0]
                node = self._target(node, ORG_PARENT)
                continue
            return None
        return None

    def _targets(self, node, rel):
        return sorted(t for t, keys in self.G._adj.get(node, {}).items() if rel in keys)

    def _member_org_unit(self, member):
        org = self._target(member, MEMBER_OF)
        return None if org is None else self.institution(org)

    def region(self, node):
        """The region of an id: itself, or the region of its institution or the nearest above."""
        if self.label(node) == REGION:
            return node
        unit = self.institution(node)
        seen = set()
        while unit is not None and unit not in seen:
            seen.add(unit)
            region = self._target(unit, IN_REGION)
            if region is not None:
                return region
            unit = self._target(unit, INSTITUTION_PARENT)
        return None

    def region_key(self, node) -> tuple:
        """Names of the region of an id and the regions above it, top first."""
        region = self.region(node)
        if region is None:
            return ()
        if region not in self._regions:
            chain, seen = [], set()
            step = region
            while step is not None and step not in seen:
                seen.add(step)
                chain.append(self.name(step))
                step = self._target(step, REGION_PARENT)
            self._regions[region] = tuple(reversed(chain))
        return self._regions[region]

    def names(self, subject, lang: str = "en") -> str:
        """The names of a subject's ids (a value that is no node, e.g. a stage, by its name)."""
        from orgnet.queries.catalog import vocab

        out = [self.name(n) if n in self.G._node else vocab(n, lang) for n in subject]
        return ("、" if lang == "zh" else ", ").join(out)

    def responsible(self, node) -> str:
        """The party organization responsible for acting on an id, as ``name (id)``."""
        org = self.responsible_org(node)
        return "" if org is None else f"{self.name(org)} ({org})"

    def responsible_org(self, node):
        from orgnet.graphmodel.schema import COVERS, ORG_PARENT
        from orgnet.queries._graph import preferred_org

        label = self.label(node)
        if label == PARTY_ORG:
            return self._target(node, ORG_PARENT) or node
        if label == MEMBER:
            org = self._target(node, MEMBER_OF)
            if org is not None:
                return org
        if label == REGION:
            return self._region_org(node)
        unit = self.institution(node)
        seen = set()
        while unit is not None and unit not in seen:
            seen.add(unit)
            orgs = self._sources(unit, COVERS)
            if orgs:
                return preferred_org(self.G, orgs)
            unit = self._target(unit, INSTITUTION_PARENT)
        # no organization covers it or anything above it: the one for its region
        region = self.region(node)
        return None if region is None else self._region_org(region)

    def _region_org(self, region):
        """The organization covering the highest-level covered institution of a region."""
        from orgnet.graphmodel.schema import COVERS
        from orgnet.queries._graph import preferred_org

        units = sorted(self._sources(region, IN_REGION), key=lambda u: (-_level(self.G, u), u))
        for unit in units:
            orgs = self._sources(unit, COVERS)
            if orgs:
                return preferred_org(self.G, orgs)
        return None


def _level(G, node) -> int:
    from orgnet.graphmodel.schema import level_rank

    return level_rank(G._node[node].get("level"))


# -- folding the designed hierarchy ---------------------------------------------------
def _fold(G, findings, lang, places):
    """Return (folded lines, findings left as they are)."""
    groups: dict[tuple, list[Finding]] = {}
    rest = []
    network = None
    for f in findings:
        parent = None
        if f.check in HIERARCHY_CHECKS and len(f.subject) == 1 and f.subject[0] in G._node:
            unit = f.subject[0]
            parent = places._target(unit, INSTITUTION_PARENT)
            if parent is not None and f.check == SINGLE_LINK:
                if (f.evidence or {}).get("neighbour") != parent:
                    parent = None
            elif parent is not None and f.check == CUT_UNIT:
                if network is None:
                    from orgnet.queries.connectivity import cached_unit_network

                    network = cached_unit_network(G)
                if not _cuts_only_below(G, network, unit, (f.evidence or {}).get("cut_off")):
                    parent = None
        if parent is None:
            rest.append(f)
        else:
            groups.setdefault((f.check, parent), []).append(f)
    lines = [_folded_line(check, parent, members, lang, places)
             for (check, parent), members in groups.items()]
    if network is not None:
        from orgnet.queries.connectivity import memoized

        memoized.cache_clear(G)
    return lines, rest


def _cuts_only_below(G, U, unit, cut_off) -> bool:
    """True when every institution cut off by ``unit`` lies below it through ``parent_id``."""
    if not cut_off or unit not in U:
        return False
    below = set()
    stack = [unit]
    while stack:
        node = stack.pop()
        for child, keys in G._pred.get(node, {}).items():
            if INSTITUTION_PARENT in keys and child not in below and child != unit:
                below.add(child)
                stack.append(child)
    closed = 0
    seen = {unit}
    for start in U[unit]:
        if start in seen or start not in below:
            continue
        part, is_open, stack = 0, False, [start]
        seen.add(start)
        while stack:
            node = stack.pop()
            part += 1
            for other in U[node]:
                if other in seen:
                    continue
                if other not in below:
                    is_open = True
                    continue
                seen.add(other)
                stack.append(other)
        if not is_open:
            closed += part
    return closed == cut_off


def _folded_line(check, parent, members, lang, places) -> Line:
    members = sorted(members, key=lambda f: f.subject)
    ids = [f.subject[0] for f in members]
    names = [places.name(n) for n in ids[:_SHOWN]]
    n = len(ids)
    who = f"{places.name(parent)}（{parent}）" if lang == "zh" else f"{places.name(parent)} ({parent})"
    if lang == "zh":
        listed = "、".join(names) + ("等" if n > _SHOWN else "")
        if check == SINGLE_LINK:
            message = f"{who}下属{n}家机构只与{places.name(parent)}有联系，符合设计的上下级结构：{listed}。"
        else:
            message = (f"{who}下属{n}家机构是其下级机构对外的唯一联系，符合设计的上下级结构："
                       f"{listed}。")
        suggestion = ("属于设计的县—乡—村结构，无需逐一整改；如需增强韧性，可让下级机构之间"
                      "或与其他上级机构结对共建。")
    else:
        listed = ", ".join(names) + (" ..." if n > _SHOWN else "")
        if check == SINGLE_LINK:
            message = (f"{n} institutions under {who} are tied only to it, as the designed "
                       f"hierarchy has it: {listed}.")
        else:
            message = (f"{n} institutions under {who} are the only tie of the institutions "
                       f"below them, as the designed hierarchy has it: {listed}.")
        suggestion = ("This is the designed county-township-village structure: no action per "
                      "unit is needed. To make it sturdier, pair the units below with each "
                      "other or with another higher-level unit.")
    key = places.region_key(parent)
    return Line(SEVERITIES[-1], check, (parent,), places.name(parent), message, suggestion,
                " · ".join(key), places.responsible(parent), tuple(members), key, True)
