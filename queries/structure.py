"""Structure checks: are the party organizations set up as the branch regulation asks?

Spec section 7, ``structure.*``.  The thresholds are the named settings of
:class:`orgnet.graphmodel.schema.Settings` (from the 《中国共产党支部工作条例（试行）》);
no number is spelled here.  "Full members of an org" are the members with status
``full`` whose ``org_id`` is the org or any org below it (a group's members count
for its branch).  Each check returns hits ``(subject, evidence)`` sorted by
subject; the evidence keys documented on each function are the contract of the
Cypher twins.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> G = new_graph()
>>> G.add_node("O1", label="PartyOrg", name="东镇卫生院党支部", kind="branch")
>>> [(s, e["full_members"]) for s, e in small_branches(G)]
[(('O1',), 0)]
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from orgnet.graphmodel.schema import (
    BRANCH_COMMITTEE_ROLES, BRANCH_KINDS, DEFAULT_SETTINGS, FULL_STATUS, JOINT_BRANCH_KIND,
    ORG_TIERS, OWN_BRANCH_KINDS, PARTY_MEMBER_STATUSES, SECRETARY_KINDS, SECRETARY_ROLE,
    TOP_ORG_KINDS, Settings,
)
from orgnet.queries.tables import check_tables
from orgnet.queries.unitnet import _distinct
from orgnet.queries.catalog import listing, named, register, vocab

if TYPE_CHECKING:  # annotations only: networkx is imported where a graph is built
    import networkx as nx

__all__ = [
    "small_branches", "large_branches", "orgs_without_secretary", "units_without_branch",
    "branches_without_committee", "wide_joint_branches", "orphan_orgs",
    "ununified_community_units",
]

_REG = "《中国共产党支部工作条例（试行）》"
#: at most this many neighbouring branches are suggested for a joint branch
_MAX_NEIGHBOURS = 3


def _members(n: int) -> str:
    return f"{n} full member{'' if n == 1 else 's'}"


def _org(subject, ev, lang):
    return named(ev["name"], subject[0], lang)


# --------------------------------------------------------------------------- too small
def _small_message(subject, ev, lang):
    if lang == "zh":
        return f"{_org(subject, ev, lang)}仅有正式党员{ev['full_members']}名，少于{ev['minimum']}名。"
    return (f"{vocab(ev['kind'], lang).capitalize()} {_org(subject, ev, lang)} has "
            f"{_members(ev['full_members'])}, fewer than {ev['minimum']}.")


def _small_suggestion(subject, ev, lang):
    if ev["neighbours"]:
        if lang == "zh":
            others = "、".join(f"{n}（{i}，正式党员{c}名）" for n, i, c in zip(
                ev["neighbour_names"], ev["neighbours"], ev["neighbour_full_members"]))
            return f"与相邻的{others}组建联合党支部。"
        others = ", ".join(f"{named(n, i, lang)} ({_members(c)})" for n, i, c in zip(
            ev["neighbour_names"], ev["neighbours"], ev["neighbour_full_members"]))
        return f"Form a joint branch with a neighbouring branch: {others}."
    if ev["parent"] is not None:
        parent = named(ev["parent_name"], ev["parent"], lang)
        if lang == "zh":
            return f"由上级{parent}统筹，与邻近单位组建联合党支部或调整党员组织关系。"
        return (f"Ask {parent} to merge it into a joint branch with nearby units "
                f"or to transfer members to it.")
    if lang == "zh":
        return "与邻近单位组建联合党支部，或调整党员组织关系。"
    return "Form a joint branch with nearby units, or transfer members to it."


@register(
    "structure.branch_too_small", severity="medium",
    title={"en": "Branch with too few full members", "zh": "党支部正式党员不足"},
    regulation=_REG + "第五条",
    message=_small_message, suggestion=_small_suggestion)
def small_branches(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the branches and joint branches with fewer full members than the minimum.

    The minimum is ``settings.branch_min_full_members`` (3, 第五条).

    Returns
    -------
    list of (subject, evidence)
        Subject ``(org,)``.  Evidence keys: ``name``, ``kind``, ``full_members``
        (count), ``minimum``; ``neighbours``/``neighbour_names``: up to 3 other
        branches and joint branches covering an institution (not covered by this
        org) that has the same non-empty ``parent_id`` or the same ``region_id`` as
        an institution this org covers; ranked: those reached through a shared
        region first, then fewest full members (at or below them), then id;
        ``neighbour_full_members``: their full member counts (parallel list);
        ``parent``/``parent_name``: the org it reports to, or None.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> small_branches(new_graph())
    []
    """
    t = check_tables(G)
    full = _full_counts(t)
    hits = []
    small = t.is_org & t.kind_in(BRANCH_KINDS) & (full < settings.branch_min_full_members)
    for org in t.sorted_ids(small):
        neighbours, neighbour_full = _neighbour_branches(t, org, full)
        parent = t.org_parent(org)
        hits.append(((org,), {
            "name": t.name_of(org), "kind": t.kind_of(org),
            "full_members": int(full[t.position(org)]),
            "minimum": settings.branch_min_full_members,
            "neighbours": neighbours, "neighbour_names": [t.name_of(n) for n in neighbours],
            "neighbour_full_members": neighbour_full,
            "parent": parent, "parent_name": None if parent is None else t.name_of(parent),
        }))
    return hits


# --------------------------------------------------------------------------- too large
def _large_message(subject, ev, lang):
    if lang == "zh":
        return f"{_org(subject, ev, lang)}有党员{ev['members']}名，超过{ev['maximum']}名。"
    return (f"{vocab(ev['kind'], lang).capitalize()} {_org(subject, ev, lang)} has "
            f"{ev['members']} full and probationary members, more than {ev['maximum']}.")


def _large_suggestion(subject, ev, lang):
    if lang == "zh":
        return f"按科室或院区拆分为{ev['split_into']}个党支部，或升格为党总支。"
    return (f"Split it into {ev['split_into']} branches by department or site, "
            f"or make it a general branch.")


@register(
    "structure.branch_too_large", severity="low",
    title={"en": "Branch with too many members", "zh": "党支部党员人数过多"},
    regulation=_REG + "第六条",
    message=_large_message, suggestion=_large_suggestion)
def large_branches(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the branches and joint branches with more full plus probationary members than the maximum.

    The maximum is ``settings.branch_max_members`` (50, 第六条).

    Returns
    -------
    list of (subject, evidence)
        Subject ``(org,)``.  Evidence keys: ``name``, ``kind``, ``members`` (full
        plus probationary at or below it), ``maximum``, ``split_into``
        (``ceil(members / maximum)``).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> large_branches(new_graph())
    []
    """
    t = check_tables(G)
    members = t.count_at_or_below(t.is_member & t.in_values(t.status, PARTY_MEMBER_STATUSES))
    hits = []
    large = t.is_org & t.kind_in(BRANCH_KINDS) & (members > settings.branch_max_members)
    for org in t.sorted_ids(large):
        count = int(members[t.position(org)])
        hits.append(((org,), {
            "name": t.name_of(org), "kind": t.kind_of(org),
            "members": count, "maximum": settings.branch_max_members,
            "split_into": math.ceil(count / settings.branch_max_members),
        }))
    return hits


# --------------------------------------------------------------------------- secretary
def _secretary_message(subject, ev, lang):
    if lang == "zh":
        return f"{_org(subject, ev, lang)}没有书记。"
    return f"{vocab(ev['kind'], lang).capitalize()} {_org(subject, ev, lang)} has no secretary."


def _secretary_suggestion(subject, ev, lang):
    if ev["candidates"]:
        people = listing(ev["candidate_names"], ev["candidates"], lang)
        if lang == "zh":
            return f"按程序选举产生书记，可从{people}中考虑人选。"
        return f"Elect a secretary; candidates among its full members: {people}."
    if lang == "zh":
        return "该组织没有正式党员，由上级党组织选派书记。"
    return "It has no full members: the higher party organization should appoint a secretary."


@register(
    "structure.no_secretary", severity="medium",
    title={"en": "Party organization without a secretary", "zh": "党组织未配备书记"},
    regulation=_REG + "第九条",
    message=_secretary_message, suggestion=_secretary_suggestion)
def orgs_without_secretary(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return committees, general branches, branches and joint branches without a secretary.

    A secretary is a member whose ``org_id`` is that org and whose roles include
    ``secretary``.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(org,)``.  Evidence keys: ``name``, ``kind``,
        ``candidates``/``candidate_names``: up to 3 full members at or below the org
        who could take the post: direct members first, then those holding a branch
        committee role (deputy secretary, committee member), then by id.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("O1", label="PartyOrg", name="党委", kind="committee")
    >>> [e["candidates"] for _, e in orgs_without_secretary(G)]
    [[]]
    """
    t = check_tables(G)
    secretaries = _direct_counts(t, _holds(t, {SECRETARY_ROLE}))
    lacking = t.is_org & t.kind_in(SECRETARY_KINDS) & (secretaries == 0)
    if not lacking.any():
        return []
    best = _best_full_members(t)
    hits = []
    for org in t.sorted_ids(lacking):
        candidates = [key[-1] for key in best[t.position(org)]]
        hits.append(((org,), {
            "name": t.name_of(org), "kind": t.kind_of(org),
            "candidates": candidates, "candidate_names": [t.name_of(m) for m in candidates],
        }))
    return hits


# --------------------------------------------------------------------------- unit without branch
def _unit_message(subject, ev, lang):
    unit = named(ev["name"], subject[0], lang)
    if lang == "zh":
        return f"{unit}有正式党员{ev['full_members']}名，但未单独建立党支部。"
    return (f"{unit} has {ev['full_members']} full members working there but no committee, "
            f"general branch or branch of its own.")


def _unit_suggestion(subject, ev, lang):
    unit = named(ev["name"], subject[0], lang)
    people = listing(ev["member_names"], ev["members"], lang)
    if lang == "zh":
        text = f"在{unit}单独成立党支部，由其{ev['full_members']}名正式党员（{people}）组成"
        if ev["covered_by"]:
            text += f"，并从{listing(ev['covered_by_names'], ev['covered_by'], lang)}中转出"
        return text + "。"
    text = f"Set up a branch in {unit} with its {ev['full_members']} full members ({people})"
    if ev["covered_by"]:
        text += f", moving it out of {listing(ev['covered_by_names'], ev['covered_by'], lang)}"
    return text + "."


@register(
    "structure.unit_without_branch", severity="medium",
    title={"en": "Unit with enough full members but no branch of its own",
           "zh": "具备条件的单位未单独建立党支部"},
    regulation=_REG + "第五条",
    message=_unit_message, suggestion=_unit_suggestion)
def units_without_branch(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return institutions where enough full members work that no committee, general branch or branch covers.

    "Enough" is ``settings.branch_min_full_members`` (3, 第五条); members count by
    workplace (``institution_id``), whatever their ``org_id``.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(institution,)``.  Evidence keys: ``name``, ``kind``,
        ``full_members`` (count), ``members``/``member_names`` (the full members
        working there, by id), ``covered_by``/``covered_by_names`` (the orgs of other
        kinds that cover it, e.g. a joint branch; by id).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> units_without_branch(new_graph())
    []
    """
    t = check_tables(G)
    full = _full_workers(t)
    own = np.bincount(t.covers_inst[t.kind_in(OWN_BRANCH_KINDS)[t.covers_org]],
                      minlength=t.size)
    hits = []
    lacking = t.is_institution & (full >= settings.branch_min_full_members) & (own == 0)
    for inst in t.sorted_ids(lacking):
        members = t.workers(inst, {FULL_STATUS})
        orgs = t.covering_orgs(inst)
        hits.append(((inst,), {
            "name": t.name_of(inst), "kind": t.kind_of(inst),
            "full_members": len(members),
            "members": members, "member_names": [t.name_of(m) for m in members],
            "covered_by": orgs, "covered_by_names": [t.name_of(o) for o in orgs],
        }))
    return hits


# --------------------------------------------------------------------------- branch committee
def _committee_message(subject, ev, lang):
    if lang == "zh":
        return (f"{_org(subject, ev, lang)}有正式党员{ev['full_members']}名，"
                f"但支部委员（书记、副书记、委员）仅{len(ev['committee'])}名，未设立支部委员会。")
    return (f"{vocab(ev['kind'], lang).capitalize()} {_org(subject, ev, lang)} has "
            f"{_members(ev['full_members'])} but only {len(ev['committee'])} holding a "
            f"committee role (secretary, deputy secretary, committee member): "
            f"no branch committee.")


def _committee_suggestion(subject, ev, lang):
    need = ev["minimum"]
    if lang == "zh":
        text = f"召开党员大会选举产生支部委员会（不少于{need}人）"
        if ev["candidates"]:
            text += f"，可从{listing(ev['candidate_names'], ev['candidates'], lang)}中考虑人选"
        return text + "。"
    text = f"Elect a branch committee of at least {need}"
    if ev["candidates"]:
        text += f"; candidates: {listing(ev['candidate_names'], ev['candidates'], lang)}"
    return text + "."


@register(
    "structure.no_branch_committee", severity="low",
    title={"en": "Large branch without a branch committee", "zh": "党支部应设未设支部委员会"},
    regulation=_REG + "第九条",
    message=_committee_message, suggestion=_committee_suggestion)
def branches_without_committee(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return large branches and joint branches without a branch committee.

    A branch with ``settings.branch_committee_min_full_members`` (7, 第九条) or more
    full members needs ``settings.branch_committee_min_size`` (3) members whose
    ``org_id`` is that org holding secretary, deputy_secretary or committee_member.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(org,)``.  Evidence keys: ``name``, ``kind``, ``full_members``,
        ``committee``/``committee_names`` (direct members holding a committee role,
        by id), ``minimum`` (the committee size), ``candidates``/``candidate_names``
        (direct full members without such a role, by id, as many as are missing).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> branches_without_committee(new_graph())
    []
    """
    t = check_tables(G)
    full = _full_counts(t)
    on_committee = _direct_counts(t, _holds(t, BRANCH_COMMITTEE_ROLES))
    hits = []
    lacking = (t.is_org & t.kind_in(BRANCH_KINDS)
               & (full >= settings.branch_committee_min_full_members)
               & (on_committee < settings.branch_committee_min_size))
    for org in t.sorted_ids(lacking):
        direct = t.direct_members(org)
        committee = [m for m in direct
                     if any(r in BRANCH_COMMITTEE_ROLES for r in t.roles_of(m))]
        missing = settings.branch_committee_min_size - len(committee)
        candidates = [m for m in direct if m not in committee
                      and t.get(m, "status") == FULL_STATUS][:missing]
        hits.append(((org,), {
            "name": t.name_of(org), "kind": t.kind_of(org),
            "full_members": int(full[t.position(org)]),
            "committee": committee, "committee_names": [t.name_of(m) for m in committee],
            "minimum": settings.branch_committee_min_size,
            "candidates": candidates, "candidate_names": [t.name_of(m) for m in candidates],
        }))
    return hits


# --------------------------------------------------------------------------- joint branch width
def _wide_message(subject, ev, lang):
    if lang == "zh":
        return f"{_org(subject, ev, lang)}覆盖{ev['units']}个单位，超过{ev['maximum']}个。"
    return (f"Joint branch {_org(subject, ev, lang)} covers {ev['units']} institutions, "
            f"more than {ev['maximum']}.")


def _wide_suggestion(subject, ev, lang):
    own = ev["own_branch_units"]
    if lang == "zh":
        text = f"拆分为{ev['split_into']}个联合党支部"
        if own:
            text += f"；{listing(ev['own_branch_unit_names'], own, lang)}正式党员已满{ev['minimum']}名，可单独建立党支部"
        return text + "。"
    text = f"Split it into {ev['split_into']} joint branches"
    if own:
        text += (f"; {listing(ev['own_branch_unit_names'], own, lang)} have "
                 f"{ev['minimum']} or more full members and can set up their own branches")
    return text + "."


@register(
    "structure.joint_branch_too_wide", severity="low",
    title={"en": "Joint branch covering too many units", "zh": "联合党支部覆盖单位过多"},
    regulation=_REG + "第五条",
    message=_wide_message, suggestion=_wide_suggestion)
def wide_joint_branches(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the joint branches listing more institutions than the maximum.

    The maximum is ``settings.joint_branch_max_units`` (5, 第五条).

    Returns
    -------
    list of (subject, evidence)
        Subject ``(org,)``.  Evidence keys: ``name``, ``units`` (count),
        ``maximum``, ``split_into`` (``ceil(units / maximum)``),
        ``institutions``/``institution_names`` (by id), ``minimum``
        (``branch_min_full_members``), ``own_branch_units``/``own_branch_unit_names``:
        the covered institutions where that many full members work (by id).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> wide_joint_branches(new_graph())
    []
    """
    t = check_tables(G)
    hits = []
    wide = (t.is_org & (t.kind == JOINT_BRANCH_KIND)
            & (t.covered_count() > settings.joint_branch_max_units))
    full = None
    for org in t.sorted_ids(wide):
        if full is None:
            full = _full_workers(t)
        units = t.covered_institutions(org)
        own = [u for u in units if full[t.position(u)] >= settings.branch_min_full_members]
        hits.append(((org,), {
            "name": t.name_of(org), "units": len(units),
            "maximum": settings.joint_branch_max_units,
            "split_into": math.ceil(len(units) / settings.joint_branch_max_units),
            "institutions": units, "institution_names": [t.name_of(u) for u in units],
            "minimum": settings.branch_min_full_members,
            "own_branch_units": own, "own_branch_unit_names": [t.name_of(u) for u in own],
        }))
    return hits


# --------------------------------------------------------------------------- orphan org
def _orphan_message(subject, ev, lang):
    if lang == "zh":
        return f"{vocab(ev['kind'], lang)}{_org(subject, ev, lang)}没有上级党组织。"
    return (f"{vocab(ev['kind'], lang).capitalize()} {_org(subject, ev, lang)} "
            f"reports to no party organization.")


def _orphan_suggestion(subject, ev, lang):
    if ev["suggested_parent"] is not None:
        parent = named(ev["suggested_parent_name"], ev["suggested_parent"], lang)
        if lang == "zh":
            return f"明确其隶属关系，由{parent}管理。"
        return f"Make it report to {parent}."
    if lang == "zh":
        return "明确其隶属关系，由所在医共体或卫健部门党组织管理。"
    return ("Make it report to the party organization of its medical community "
            "or of the health bureau.")


@register(
    "structure.orphan_org", severity="low",
    title={"en": "Party organization with no higher organization", "zh": "党组织隶属关系不明"},
    message=_orphan_message, suggestion=_orphan_suggestion)
def orphan_orgs(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the orgs with no parent whose kind is neither committee nor working committee.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(org,)``.  Evidence keys: ``name``, ``kind``,
        ``suggested_parent``/``suggested_parent_name``: an org not below it, of a higher tier
        (schema.ORG_TIERS) covering one of the org's institutions or an institution
        above one of them in the ``parent_id`` structure; the nearest such
        institution wins, then the lowest tier above the org (a group goes to a
        branch, a branch to a general branch or committee), then the id; None
        when there is none.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("O2", label="PartyOrg", name="支部", kind="branch")
    >>> [s for s, _ in orphan_orgs(G)]
    [('O2',)]
    """
    t = check_tables(G)
    hits = []
    for org in t.sorted_ids(t.is_org & ~t.kind_in(TOP_ORG_KINDS) & (t.parent < 0)):
        parent = _suggested_parent(t, org)
        hits.append(((org,), {
            "name": t.name_of(org), "kind": t.kind_of(org),
            "suggested_parent": parent,
            "suggested_parent_name": None if parent is None else t.name_of(parent),
        }))
    return hits


# --------------------------------------------------------------------------- community
def _community_message(subject, ev, lang):
    unit = named(ev["name"], subject[0], lang)
    community = named(ev["community_name"], ev["community"], lang)
    orgs = listing(ev["org_names"], ev["orgs"], lang)
    if lang == "zh":
        return f"医共体{community}成员单位{unit}的党组织{orgs}未纳入医共体党组织统一领导。"
    return (f"{unit}, in the medical community of {community}, is covered by {orgs}, "
            f"which does not report to the community's party organization.")


def _community_suggestion(subject, ev, lang):
    target = named(ev["target_name"], ev["target"], lang)
    orgs = listing(ev["org_names"], ev["orgs"], lang)
    if all(kind in TOP_ORG_KINDS for kind in ev["org_kinds"]):
        # territorial committees (e.g. a street 党工委) are not re-parented: give the
        # unit a branch inside the community instead
        unit = named(ev["name"], subject[0], lang)
        if lang == "zh":
            return (f"在{unit}建立党支部（或联合党支部），隶属{target}，实行医共体党建统一管理；"
                    f"{orgs}继续负责属地党建工作。")
        return (f"Set up a branch (or joint branch) for {unit} reporting to {target}, which "
                f"leads the medical community; {orgs} keeps its territorial role.")
    if lang == "zh":
        return f"将{orgs}的隶属关系调整到{target}，实行医共体党建统一管理。"
    return f"Make {orgs} report to {target}, which leads the medical community."


@register(
    "structure.community_not_unified", severity="high",
    title={"en": "Medical community unit outside the community's party leadership",
           "zh": "医共体成员单位党组织未统一隶属"},
    message=_community_message, suggestion=_community_suggestion)
def ununified_community_units(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return covered institutions of a medical community outside its party leadership.

    A medical community is an institution R with no parent and at least one
    institution below it.  Its leaders are the committees, general branches and
    branches covering R (none: the community is skipped).  A covered institution X
    below R is a hit when none of its covering orgs is a leader or reports to one
    through the party hierarchy.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(X,)``.  Evidence keys: ``name``, ``kind``,
        ``community``/``community_name`` (R), ``orgs``/``org_names``/``org_kinds``
        (the orgs covering X, by id, with their kinds), ``target``/``target_name``:
        the leader they should report to (highest tier first, then id).  When every
        covering org is a committee or working committee (a territorial org), the
        suggestion is a branch for X under the target rather than re-parenting.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> ununified_community_units(new_graph())
    []
    """
    t = check_tables(G)
    hits = []
    for unit, root, leaders in _outside_community_leadership(t):
        orgs = t.covering_orgs(unit)
        target = min(leaders, key=lambda o: (ORG_TIERS.get(t.kind_of(o), 0), o))
        hits.append(((unit,), {
            "name": t.name_of(unit), "kind": t.kind_of(unit),
            "community": root, "community_name": t.name_of(root),
            "orgs": orgs, "org_names": [t.name_of(o) for o in orgs],
            "org_kinds": [t.kind_of(o) for o in orgs],
            "target": target, "target_name": t.name_of(target),
        }))
    return sorted(hits, key=lambda hit: hit[0])


# ---------------------------------------------------------------------------
def _full_counts(t):
    """Per org: full members at or below it (computed once per tables)."""
    if "full_at_or_below" not in t.memo:
        t.memo["full_at_or_below"] = t.count_at_or_below(t.is_member & (t.status == FULL_STATUS))
    return t.memo["full_at_or_below"]


def _full_workers(t):
    """Per institution: the full members working there."""
    full = t.is_member & (t.status == FULL_STATUS) & (t.work >= 0)
    return np.bincount(t.work[full], minlength=t.size)


def _holds(t, roles) -> np.ndarray:
    """Boolean column: a member whose roles include one of ``roles``."""
    members, held = t.role_pairs()
    found = np.zeros(t.size, dtype=bool)
    found[members[t.in_values(held, roles)]] = True
    return found


def _best_full_members(t) -> dict:
    """Org position -> its 3 best secretary candidates, as ``(below, not on committee, id)``.

    Candidates are the full members at or below the org: its direct members first,
    then those holding a branch committee role, then by id.  Each org's 3 best direct
    members come from one whole-column sort; then one bottom-up pass (each org merges
    its children's three best): linear in the depth of the hierarchy.
    """
    full = np.flatnonzero(t.is_member & (t.status == FULL_STATUS) & (t.org >= 0))
    off_committee = ~_holds(t, BRANCH_COMMITTEE_ROLES)[full]
    org = t.org[full]
    order = np.lexsort((t.id_rank()[full], off_committee, org))
    return _Candidates(t, org[order], off_committee[order], full[order])


class _Candidates:
    """:func:`_best_full_members` computed on demand: only orgs without a secretary ask,
    so only their subtrees of the party hierarchy are merged (bottom-up, each org once).

    ``org``, ``off_committee`` and ``member`` are the full members sorted by (org, off
    committee, id): an org's direct candidates are the first three of its run.
    """

    def __init__(self, t, org, off_committee, member):
        self._t, self._off, self._member = t, off_committee, member
        self._start = np.searchsorted(org, np.arange(t.size + 1)).tolist()
        self._best: dict[int, list] = {}

    def _direct(self, org) -> list:
        start = self._start[org]
        end = min(self._start[org + 1], start + 3)
        ids = self._t.ids
        return [(False, off, ids[m]) for off, m in zip(self._off[start:end].tolist(),
                                                       self._member[start:end].tolist())]

    def __getitem__(self, org: int) -> list:
        best, t = self._best, self._t
        children, is_org = t._csr("children"), t.is_org
        stack, entered = [(org, False)], set()
        while stack:                                   # post-order over the subtree
            node, merge = stack.pop()
            if node in best:
                continue
            kids = [k for k in children.of(node).tolist() if is_org[k]]
            if not merge:
                if node in entered:                    # a loop (rejected on loading)
                    continue
                entered.add(node)
                stack.append((node, True))
                stack.extend((k, False) for k in kids if k not in best)
                continue
            keys = self._direct(node)
            for k in kids:
                keys += [(True, *key[1:]) for key in best.get(k, ())]
            best[node] = sorted(keys)[:3]
        return best[org]


def _direct_counts(t, mask) -> np.ndarray:
    """Per org: the members where ``mask`` holds whose ``org_id`` is that org."""
    mask = mask & (t.org >= 0)
    return np.bincount(t.org[mask], minlength=t.size)


def _outside_community_leadership(t):
    """Yield ``(unit, community root, leaders)`` for structure.community_not_unified.

    The root of each institution's ``parent_id`` chain and the leaders (committee,
    general branch, branch) covering each root come as whole columns; whether a
    covering org is a leader or under one is walked up the party hierarchy once per
    org and community (memoized), so deep hierarchies stay linear.
    """
    inst = t.is_institution
    root = np.where(inst & (t.parent >= 0), t.tops(), -1)  # the community root of X (X below it)
    leader = t.kind_in(OWN_BRANCH_KINDS)[t.covers_org]
    order = np.argsort(t.covers_inst[leader], kind="stable")
    leader_place, leader_org = t.covers_inst[leader][order], t.covers_org[leader][order]
    pairs = np.flatnonzero(root[t.covers_inst] >= 0)
    if not len(pairs) or not len(leader_org):
        return
    # every (covering org, unit) pair joined with each leader of the unit's community root
    org, unit = t.covers_org[pairs], t.covers_inst[pairs]
    community = root[unit]
    first = np.searchsorted(leader_place, community, "left")
    count = np.searchsorted(leader_place, community, "right") - first
    units = _distinct(unit[count > 0])            # (sorted distinct positions)
    row = np.repeat(np.arange(len(unit)), count)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)
    wanted = leader_org[np.repeat(first, count) + offset]
    # a unit is led when a covering org is a leader of its community or below one: climb
    # all joined rows up the party hierarchy together, one level per step
    climbing = org[row]
    led = np.zeros(len(row), dtype=bool)
    steps = int(t.depths()[t.is_org].max()) + 1 if t.is_org.any() else 1
    for _ in range(min(steps, t.size + 1)):
        led |= climbing == wanted
        up = climbing >= 0
        if not up.any():
            break
        climbing = np.where(up, t.parent[np.where(up, climbing, 0)], -1)
    is_led = np.zeros(t.size, dtype=bool)      # (np.setdiff1d hashes: several times slower)
    is_led[unit[row[led]]] = True
    unled = units[~is_led[units]]
    named: dict[int, list] = {}
    for position, node in sorted(zip(unled.tolist(), t.ids[unled].tolist()), key=lambda p: p[1]):
        r = int(root[position])
        if r not in named:
            at = np.searchsorted(leader_place, r)
            named[r] = sorted(set(t.ids[leader_org[at:np.searchsorted(leader_place, r, "right")]]
                                  .tolist()))
        yield node, t.ids[r], named[r]


def _neighbour_branches(t, org, full):
    """Branch-tier orgs covering an institution that shares a parent or region with ``org``'s.

    Ranked: sharing a region first, then fewest full members, then id; at most
    :data:`_MAX_NEIGHBOURS`.  Returns ``(ids, full member counts)``.  Works on positions
    (grouped ``parent`` / ``region`` / ``institution_ids`` columns); ids only for the ranking.
    """
    mine = t._csr("covered").of(t.position(org))
    is_institution, branch = t.is_institution, t.kind_in(BRANCH_KINDS)
    by_parent: set[int] = set()
    by_region: set[int] = set()
    for found, column, groups in ((by_parent, t.parent, "children"), (by_region, t.region, "placed")):
        places = column[mine]
        for place in set(places[places >= 0].tolist()):
            near = t._csr(groups).of(place)
            found.update(near[is_institution[near]].tolist())
    own = set(mine.tolist())
    me = t.position(org)
    covering = t._csr("covering")
    ranked = {}
    for inst in (by_parent | by_region) - own:
        for other in covering.of(inst).tolist():
            if other == me or not branch[other]:
                continue
            key = (inst not in by_region, int(full[other]), t.ids[other])
            ranked[other] = min(key, ranked.get(other, key))
    best = sorted(ranked.values())[:_MAX_NEIGHBOURS]
    return [key[2] for key in best], [key[1] for key in best]


def _suggested_parent(t, org):
    own_tier = ORG_TIERS.get(t.kind_of(org), len(ORG_TIERS))
    below = set(t.orgs_at_or_below(org))
    best = None
    for inst in t.covered_institutions(org):
        for distance, place in enumerate(t.institution_chain(inst)):
            for other in t.covering_orgs(place):
                tier = ORG_TIERS.get(t.kind_of(other), len(ORG_TIERS))
                if other in below or tier >= own_tier:
                    continue
                key = (distance, -tier, other)
                if best is None or key < best:
                    best = key
    return None if best is None else best[2]
