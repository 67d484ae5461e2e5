"""What-if: change the graph (a member leaves, a unit closes, a tie ends or is added,
a member moves), re-run the checks and tell the difference.

:func:`parse_change` reads one command-line change (``--remove ID``, ``--cut
SRC,TGT[,TYPE]``, ``--add-link SRC,TGT,TYPE[,COUNT]``, ``--move MEMBER,ORG``);
:func:`apply_changes` returns a changed copy of the embedded graph, keeping it a
graph that a valid dataset could have produced (a removed org's members become
unattached, a removed institution's services rows go, references to a removed
entity are cleared); :func:`what_if` runs the checks before and after and returns
a :class:`WhatIf` with the findings that appeared and went away and the change of
every summary figure (:mod:`orgnet.queries.diff`).  The input graph is never changed, so
a graph read from Neo4j can be asked without writing to the database.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph, add_link
>>> G = new_graph("demo")
>>> for n, k in (("H1", "county_hospital"), ("T1", "township_health_center")):
...     G.add_node(n, label="Institution", name=n, kind=k,
...                level="county" if k == "county_hospital" else "township")
>>> add_link(G, "T1", "H1", link_type="referral", link_index=0)
>>> result = what_if(G, [parse_change("cut", "T1,H1")], only=["referral", "connectivity"])
>>> sorted(f.check for f in result.diff.appeared)
['connectivity.isolated_unit', 'connectivity.isolated_unit', 'referral.no_upward_referral']
>>> G.number_of_edges()          # the input graph is unchanged
1
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from orgnet.graphmodel.embedded import add_link
from orgnet.graphmodel.schema import (
    COVERS, DEFAULT_SETTINGS, IN_REGION, INSTITUTION, INSTITUTION_PARENT, LINK_TYPE_ALIASES,
    MEMBER, MEMBER_OF, MEMBER_STATUSES, ORG_PARENT, PARTY_MEMBER_STATUSES, PARTY_ORG, REGION, REGION_PARENT,
    LINK_TYPE_ZH, STATUSES_WITH_ORG, WORKS_AT, ZH, Settings, canonical_value,
)
from orgnet.queries.catalog import QueryError
from orgnet.queries.diff import HEADLINE_FIGURES, FindingDiff, diff_findings, diff_summaries
from orgnet.queries.runner import Report, run_checks

__all__ = ["Change", "WhatIf", "WhatIfError", "CHANGE_KINDS", "parse_change",
           "apply_changes", "what_if", "render_whatif"]

#: Change kinds and the option that gives each one on the command line.
CHANGE_KINDS = {"remove": "--remove", "cut": "--cut", "add_link": "--add-link", "move": "--move"}

#: The node attribute holding each structure reference (kept in step with the edge).
_REFERENCE_ATTRIBUTE = {
    REGION_PARENT: "parent_id", INSTITUTION_PARENT: "parent_id", ORG_PARENT: "parent_id",
    IN_REGION: "region_id", COVERS: "institution_ids", MEMBER_OF: "org_id",
    WORKS_AT: "institution_id",
}


_A_LABEL = {REGION: "a region", INSTITUTION: "an institution", PARTY_ORG: "a party org",
            MEMBER: "a member"}
_A_LABEL_ZH = {REGION: "地区", INSTITUTION: "机构", PARTY_ORG: "党组织", MEMBER: "人员"}


class WhatIfError(QueryError):
    """A change that cannot be made: an unknown id, a malformed option, a change the
    dataset format forbids.  Its text is one line naming the option and the value;
    ``render("zh")`` gives the Chinese line (shown under ``--lang zh``).

    Examples
    --------
    >>> err = WhatIfError("--remove: unknown id 'X'", "--remove：编号“X”不存在")
    >>> str(err), err.render("zh")
    ("--remove: unknown id 'X'", '--remove：编号“X”不存在')
    """

    def __init__(self, message: str, zh: str | None = None):
        super().__init__(message)
        self.zh = zh

    def render(self, lang: str = "en") -> str:
        """Return the line in English (``en``) or Chinese (``zh``)."""
        return self.zh if lang == "zh" and self.zh else str(self)


@dataclass(frozen=True)
class Change:
    """One change to the graph.

    Attributes
    ----------
    kind : str
        ``remove``, ``cut``, ``add_link`` or ``move`` (:data:`CHANGE_KINDS`).
    args : tuple of str
        ``(id,)``; ``(source, target[, type])``; ``(source, target, type[, count])``;
        ``(member, org)``.
    """

    kind: str
    args: tuple

    @property
    def option(self) -> str:
        """Return the change as written on the command line, e.g. ``--cut T1,H1``."""
        return f"{CHANGE_KINDS[self.kind]} {','.join(str(a) for a in self.args)}"

    def to_dict(self) -> dict:
        """Return ``{"kind", "args"}``."""
        return {"kind": self.kind, "args": list(self.args)}


def parse_change(kind: str, text: str) -> Change:
    """Parse one command-line change.

    Parameters
    ----------
    kind : str
        A key of :data:`CHANGE_KINDS` (``add-link`` is accepted for ``add_link``).
    text : str
        The option's value: ``ID``; ``SRC,TGT[,TYPE]``; ``SRC,TGT,TYPE[,COUNT]``;
        ``MEMBER,ORG``.  Full-width commas work too.

    Raises
    ------
    WhatIfError
        A malformed value.

    Examples
    --------
    >>> parse_change("add-link", "M1，T2，联点")
    Change(kind='add_link', args=('M1', 'T2', 'liaison', 1))
    >>> parse_change("cut", "T1")
    Traceback (most recent call last):
    ...
    orgnet.queries.whatif.WhatIfError: --cut 'T1': expected SRC,TGT[,TYPE]
    """
    kind = kind.replace("-", "_")
    if kind not in CHANGE_KINDS:
        raise WhatIfError(f"unknown change {kind!r}; use one of {', '.join(CHANGE_KINDS)}",
                          f"未知的变更“{kind}”；可用：{'、'.join(CHANGE_KINDS)}")
    option = CHANGE_KINDS[kind]
    parts = [p.strip() for p in str(text).replace("，", ",").split(",")]
    shapes = {"remove": ((1, 1), "ID"), "cut": ((2, 3), "SRC,TGT[,TYPE]"),
              "add_link": ((3, 4), "SRC,TGT,TYPE[,COUNT]"), "move": ((2, 2), "MEMBER,ORG")}
    (low, high), shape = shapes[kind]
    if not low <= len(parts) <= high or not all(parts[:low]):
        raise WhatIfError(f"{option} {text!r}: expected {shape}",
                          f"{option}“{text}”：格式应为 {shape}")
    if kind in ("cut", "add_link") and len(parts) > 2:
        link_type = canonical_value(LINK_TYPE_ALIASES, parts[2])
        if link_type is None:
            kinds = sorted(set(LINK_TYPE_ALIASES.values()))
            raise WhatIfError(f"{option} {text!r}: unknown link type {parts[2]!r}; use one of "
                              f"{', '.join(kinds)}",
                              f"{option}“{text}”：未知的关系类型“{parts[2]}”；可用："
                              f"{'、'.join(LINK_TYPE_ZH.get(k, k) for k in kinds)}")
        parts[2] = link_type
    if kind == "add_link":
        count = parts[3] if len(parts) == 4 else "1"
        if not count.isdigit():
            raise WhatIfError(f"{option} {text!r}: count must be a non-negative integer, "
                              f"not {count!r}",
                              f"{option}“{text}”：次数应为非负整数，而不是“{count}”")
        parts = parts[:3] + [int(count)]
    return Change(kind, tuple(parts))


def apply_changes(G: nx.MultiDiGraph, changes) -> nx.MultiDiGraph:
    """Return a copy of the graph with the changes made in order (``G`` is not changed).

    - ``remove ID``: the entity and its edges go; references to it are cleared (a
      removed org's members become unattached, its child orgs lose their parent, a
      removed institution's services rows go, a coordinator org that is removed is
      cleared from the services rows).  Regions, institutions, orgs and members can
      be removed.
    - ``cut SRC,TGT[,TYPE]``: every link row between the two (either direction, of
      that type when given) goes, inactive rows included.
    - ``add_link SRC,TGT,TYPE,COUNT``: a new link row, checked against the rules
      of the format (spec section 5).
    - ``move MEMBER,ORG``: the member's ``org_id`` becomes ORG.

    Raises
    ------
    WhatIfError
        An unknown id, a cut with no link to cut, a link or move the format forbids.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("M1", label="Member", status="non_party")
    >>> G.add_node("O1", label="PartyOrg", kind="branch")
    >>> apply_changes(G, [Change("move", ("M1", "O1"))])
    Traceback (most recent call last):
    ...
    orgnet.queries.whatif.WhatIfError: --move M1,O1: a member with status non_party cannot have an org_id (only full, probationary, activist)
    """
    H = G.copy()
    H.graph["services"] = [dict(row) for row in G.graph.get("services", [])]
    for change in changes:
        {"remove": _remove, "cut": _cut, "add_link": _add_link, "move": _move}[change.kind](
            H, change)
    return H


@dataclass
class WhatIf:
    """Checks before and after a set of changes, and their difference.

    Attributes
    ----------
    changes : list of Change
    before, after : Report
    diff : FindingDiff
    figures : list of dict
        :func:`orgnet.queries.diff.diff_summaries` (headline figures first, then every
        other figure that changed).
    """

    changes: list
    before: Report
    after: Report
    diff: FindingDiff = field(default_factory=FindingDiff)
    figures: list = field(default_factory=list)

    @property
    def lang(self) -> str:
        """The language the findings were rendered in."""
        return self.after.lang

    def to_dict(self) -> dict:
        """Return ``{"before", "after", "appeared", "resolved", ...}`` (issue 10's JSON shape).

        ``before`` / ``after`` are summaries and the findings are objects as in
        ``orgnet check --format json``; ``changes``, ``changed`` (findings kept with
        other evidence, as ``{"before", "after"}``) and ``figures`` are added.
        """
        return {
            "changes": [c.to_dict() for c in self.changes],
            "before": self.before.summary,
            "after": self.after.summary,
            "appeared": [f.to_dict() for f in self.diff.appeared],
            "resolved": [f.to_dict() for f in self.diff.resolved],
            "changed": [{"before": a.to_dict(), "after": b.to_dict()} for a, b in self.diff.changed],
            "figures": self.figures,
        }


def what_if(G: nx.MultiDiGraph, changes, *, settings: Settings = DEFAULT_SETTINGS,
            only=(), skip=(), lang: str = "en", before: Report | None = None) -> WhatIf:
    """Run the checks on the graph and on the changed graph; return the difference.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph (from a dataset or read from Neo4j); not changed.
    changes : iterable of Change
    settings, only, skip, lang
        As for :func:`orgnet.queries.runner.run_checks`.
    before : Report, optional
        The checks of ``G`` when already run (with the same options).

    Raises
    ------
    WhatIfError
        From :func:`apply_changes`, before any check runs.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("V1", label="Institution", kind="village_clinic", level="village")
    >>> r = what_if(G, [parse_change("remove", "V1")], only=["coverage"])
    >>> [f.check for f in r.diff.resolved], r.figures[0]
    (['coverage.uncovered_institution'], {'figure': 'coverage.overall.coverage_rate', 'before': 0.0, 'after': None, 'change': None})
    """
    changes = list(changes)
    H = apply_changes(G, changes)
    if before is None:
        before = run_checks(G, settings=settings, only=only, skip=skip, lang=lang)
    after = run_checks(H, settings=settings, only=only, skip=skip, lang=lang)
    return WhatIf(changes, before, after, diff_findings(before.findings, after.findings),
                  diff_summaries(before.summary, after.summary, always=HEADLINE_FIGURES))


def render_whatif(result: WhatIf, fmt: str = "table"):
    """Return a :class:`WhatIf` in an ``orgnet check`` format (bytes for xlsx).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("V1", label="Institution", kind="village_clinic", level="village")
    >>> text = render_whatif(what_if(G, [parse_change("remove", "V1")], only=["coverage"], lang="zh"))
    >>> print(text.splitlines()[0])
    变化：--remove V1
    >>> import json; sorted(json.loads(render_whatif(what_if(G, [], only=["coverage"]), "json")))
    ['after', 'appeared', 'before', 'changed', 'changes', 'figures', 'resolved']
    """
    import json

    from orgnet.queries import export_diff as x

    lang = result.lang
    colon = "：" if lang == "zh" else ": "
    lines = [f"{'变化' if lang == 'zh' else 'Changes'}{colon}"
             + ("；" if lang == "zh" else "; ").join(c.option for c in result.changes)]
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "table":
        return x.difference_text(result.figures, result.diff, lang, lines)
    if fmt == "csv":
        return x.difference_csv(result.figures, result.diff, lang)
    if fmt == "markdown":
        return x.difference_markdown(result.figures, result.diff, lang, lines,
                                     title="假设分析" if lang == "zh" else "What if")
    if fmt == "xlsx":
        return x.difference_xlsx(result.figures, result.diff, lang, lines)
    raise QueryError(f"unknown format {fmt!r}")


# ---------------------------------------------------------------------------
# the changes
# ---------------------------------------------------------------------------
def _label(H, node):
    data = H._node.get(node)
    return None if data is None else data.get("label")


def _need(H, change, node, labels, what):
    label = _label(H, node)
    if label is None:
        raise WhatIfError(f"{change.option}: unknown id {node!r}",
                          f"{change.option}：编号“{node}”不存在")
    if labels and label not in labels:
        wanted = "、".join(_A_LABEL_ZH.get(x, x) for x in labels)
        raise WhatIfError(f"{change.option}: {node!r} is {_A_LABEL.get(label, label)}, not {what}",
                          f"{change.option}：“{node}”是{_A_LABEL_ZH.get(label, label)}，"
                          f"不是{wanted}")
    return label


def _clear_reference(H, node, rel, target):
    """Clear ``node``'s attribute naming ``target`` through ``rel``."""
    attribute = _REFERENCE_ATTRIBUTE[rel]
    data = H._node[node]
    if rel == COVERS:
        kept = [i for i in data.get(attribute) or [] if i != target]
        if kept:
            data[attribute] = kept
        else:
            data.pop(attribute, None)
    elif data.get(attribute) == target:
        data.pop(attribute, None)


def _remove(H, change):
    (node,) = change.args
    label = _need(H, change, node, (REGION, INSTITUTION, PARTY_ORG, MEMBER),
                  "an entity")
    for source, _, key in list(H.in_edges(node, keys=True)):
        if key in _REFERENCE_ATTRIBUTE:
            _clear_reference(H, source, key, node)
    services = H.graph["services"]
    if label == INSTITUTION:
        services[:] = [row for row in services if row.get("institution_id") != node]
    if label == PARTY_ORG:
        for row in services:
            if row.get("coordinator_org_id") == node:
                row["coordinator_org_id"] = None
    H.remove_node(node)


def _link_keys(H, a, b, link_type):
    found = []
    for u, v in ((a, b), (b, a)):
        for key, data in (H._adj.get(u, {}).get(v) or {}).items():
            if "link_index" in data and (link_type is None or data["link_type"] == link_type):
                found.append((u, v, key))
    return found


def _cut(H, change):
    a, b = change.args[:2]
    link_type = change.args[2] if len(change.args) > 2 else None
    for node in (a, b):
        _need(H, change, node, (), "")
    keys = _link_keys(H, a, b, link_type)
    if not keys:
        what = f"{link_type} link" if link_type else "link"
        what_zh = f"{LINK_TYPE_ZH.get(link_type, link_type)}关系" if link_type else "关系"
        raise WhatIfError(f"{change.option}: no {what} between {a} and {b}",
                          f"{change.option}：{a} 与 {b} 之间没有{what_zh}")
    H.remove_edges_from(keys)


def _status(H, node):
    return H._node[node].get("status")


def _add_link(H, change):
    source, target, link_type, count = change.args
    labels = [_need(H, change, n, (INSTITUTION, PARTY_ORG, MEMBER),
                    "an institution, party org or member (regions take no links)")
              for n in (source, target)]
    if source == target:
        raise WhatIfError(f"{change.option}: a link from an entity to itself",
                          f"{change.option}：关系不能指向自身")
    if link_type == "referral" and labels != [INSTITUTION, INSTITUTION]:
        raise WhatIfError(f"{change.option}: a referral joins two institutions",
                          f"{change.option}：转诊关系必须连接两个机构")
    if link_type == "liaison" and labels[0] != MEMBER:
        raise WhatIfError(f"{change.option}: a liaison starts at a member",
                          f"{change.option}：联点关系必须从人员出发")
    if link_type == "contact":
        if not (labels[0] == PARTY_ORG
                or (labels[0] == MEMBER and _status(H, source) in PARTY_MEMBER_STATUSES)):
            raise WhatIfError(f"{change.option}: a contact starts at a party org or a full or "
                              f"probationary member",
                              f"{change.option}：联谊交友须从党组织或正式、预备党员出发")
        if labels[1] not in (MEMBER, INSTITUTION):
            raise WhatIfError(f"{change.option}: a contact ends at a member or an institution",
                              f"{change.option}：联谊交友须指向人员或机构")
    indices = [d["link_index"] for _, _, d in H.edges(data=True) if "link_index" in d]
    add_link(H, source, target, link_type=link_type, link_index=max(indices, default=-1) + 1,
             count=count)


def _move(H, change):
    member, org = change.args
    _need(H, change, member, (MEMBER,), "a member")
    _need(H, change, org, (PARTY_ORG,), "a party org")
    status = _status(H, member)
    if status not in STATUSES_WITH_ORG:
        allowed = [x for x in MEMBER_STATUSES if x in STATUSES_WITH_ORG]
        raise WhatIfError(f"{change.option}: a member with status {status} cannot have an "
                          f"org_id (only {', '.join(allowed)})",
                          f"{change.option}：身份为{ZH.get(status, status)}的人员不能属于党组织"
                          f"（只有{'、'.join(ZH.get(x, x) for x in allowed)}可以）")
    for _, old in [(u, v) for u, v, k in H.out_edges(member, keys=True) if k == MEMBER_OF]:
        H.remove_edge(member, old, key=MEMBER_OF)
    H.add_edge(member, org, key=MEMBER_OF, type=MEMBER_OF)
    H._node[member]["org_id"] = org
