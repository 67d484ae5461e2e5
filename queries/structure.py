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

import networkx as nx

from orgnet.graphmodel.schema import (
    BRANCH_COMMITTEE_ROLES, BRANCH_KINDS, DEFAULT_SETTINGS, FULL_STATUS, INSTITUTION,
    JOINT_BRANCH_KIND, ORG_PARENT, ORG_TIERS, OWN_BRANCH_KINDS, PARTY_MEMBER_STATUSES,
    SECRETARY_KINDS, SECRETARY_ROLE, TOP_ORG_KINDS, Settings,
)
from orgnet.queries import _graph as g
from orgnet.queries.catalog import listing, named, register, vocab

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
    hits = []
    index = None
    counted: dict[str, int] = {}

    def full_count(org):              # full members at or below an org, once per org
        found = counted.get(org)
        if found is None:
            found = counted[org] = g.number_of_members_at_or_below(G, org, {FULL_STATUS})
        return found

    for org in g.org_ids(G):
        if g.kind_of(G, org) not in BRANCH_KINDS:
            continue
        full = full_count(org)
        if full >= settings.branch_min_full_members:
            continue
        if index is None:
            index = _place_index(G)
        neighbours, neighbour_full = _neighbour_branches(G, org, index, full_count)
        parent = g.org_parent(G, org)
        hits.append(((org,), {
            "name": g.name_of(G, org), "kind": g.kind_of(G, org),
            "full_members": full, "minimum": settings.branch_min_full_members,
            "neighbours": neighbours, "neighbour_names": [g.name_of(G, n) for n in neighbours],
            "neighbour_full_members": neighbour_full,
            "parent": parent, "parent_name": None if parent is None else g.name_of(G, parent),
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
    hits = []
    for org in g.org_ids(G):
        if g.kind_of(G, org) not in BRANCH_KINDS:
            continue
        members = g.number_of_members_at_or_below(G, org, PARTY_MEMBER_STATUSES)
        if members <= settings.branch_max_members:
            continue
        hits.append(((org,), {
            "name": g.name_of(G, org), "kind": g.kind_of(G, org),
            "members": members, "maximum": settings.branch_max_members,
            "split_into": math.ceil(members / settings.branch_max_members),
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
    hits = []
    below = _best_full_members_below(G)
    for org in g.org_ids(G):
        if g.kind_of(G, org) not in SECRETARY_KINDS:
            continue
        direct = g.direct_members(G, org)
        if any(SECRETARY_ROLE in g.roles_of(G, m) for m in direct):
            continue
        own = [(False,) + _committee_rank(G, m) for m in direct
               if G._node[m].get("status") == FULL_STATUS]
        deeper = [key for child in g.sources(G, org, ORG_PARENT) for key in below.get(child, ())]
        candidates = [key[-1] for key in sorted(own + deeper)[:3]]
        hits.append(((org,), {
            "name": g.name_of(G, org), "kind": g.kind_of(G, org),
            "candidates": candidates, "candidate_names": [g.name_of(G, m) for m in candidates],
        }))
    return hits


def _committee_rank(G, member) -> tuple:
    on_committee = any(r in BRANCH_COMMITTEE_ROLES for r in g.roles_of(G, member))
    return (not on_committee, member)


def _best_full_members_below(G) -> dict[str, list]:
    """Org -> the 3 best-ranked full members at or below it, as seen from a higher org.

    One bottom-up pass (each org merges its children's three): a chain of 20,000
    nested orgs costs one pass, where listing every org's members would be quadratic.
    """
    best: dict[str, list] = {}
    for org in g.orgs_deepest_first(G):
        keys = [(True,) + _committee_rank(G, m) for m in g.direct_members(G, org)
                if G._node[m].get("status") == FULL_STATUS]
        for child in g.sources(G, org, ORG_PARENT):
            keys += best.get(child, ())
        best[org] = sorted(keys)[:3]
    return best


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
    hits = []
    for inst, data in g.labelled(G, INSTITUTION):
        full = g.workers(G, inst, {FULL_STATUS})
        if len(full) < settings.branch_min_full_members:
            continue
        orgs = g.covering_orgs(G, inst)
        if any(g.kind_of(G, o) in OWN_BRANCH_KINDS for o in orgs):
            continue
        hits.append(((inst,), {
            "name": g.name_of(G, inst), "kind": data.get("kind"),
            "full_members": len(full),
            "members": full, "member_names": [g.name_of(G, m) for m in full],
            "covered_by": orgs, "covered_by_names": [g.name_of(G, o) for o in orgs],
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
    hits = []
    for org in g.org_ids(G):
        if g.kind_of(G, org) not in BRANCH_KINDS:
            continue
        full = g.number_of_members_at_or_below(G, org, {FULL_STATUS})
        if full < settings.branch_committee_min_full_members:
            continue
        direct = g.direct_members(G, org)
        committee = [m for m in direct
                     if any(r in BRANCH_COMMITTEE_ROLES for r in g.roles_of(G, m))]
        if len(committee) >= settings.branch_committee_min_size:
            continue
        missing = settings.branch_committee_min_size - len(committee)
        candidates = [m for m in direct if m not in committee
                      and G._node[m].get("status") == FULL_STATUS][:missing]
        hits.append(((org,), {
            "name": g.name_of(G, org), "kind": g.kind_of(G, org), "full_members": full,
            "committee": committee, "committee_names": [g.name_of(G, m) for m in committee],
            "minimum": settings.branch_committee_min_size,
            "candidates": candidates, "candidate_names": [g.name_of(G, m) for m in candidates],
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
    hits = []
    for org in g.org_ids(G):
        if g.kind_of(G, org) != JOINT_BRANCH_KIND:
            continue
        units = g.covered_institutions(G, org)
        if len(units) <= settings.joint_branch_max_units:
            continue
        own = [u for u in units if len(g.workers(G, u, {FULL_STATUS}))
               >= settings.branch_min_full_members]
        hits.append(((org,), {
            "name": g.name_of(G, org), "units": len(units),
            "maximum": settings.joint_branch_max_units,
            "split_into": math.ceil(len(units) / settings.joint_branch_max_units),
            "institutions": units, "institution_names": [g.name_of(G, u) for u in units],
            "minimum": settings.branch_min_full_members,
            "own_branch_units": own, "own_branch_unit_names": [g.name_of(G, u) for u in own],
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
    hits = []
    for org in g.org_ids(G):
        kind = g.kind_of(G, org)
        if kind in TOP_ORG_KINDS or g.org_parent(G, org) is not None:
            continue
        parent = _suggested_parent(G, org)
        hits.append(((org,), {
            "name": g.name_of(G, org), "kind": kind,
            "suggested_parent": parent,
            "suggested_parent_name": None if parent is None else g.name_of(G, parent),
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
    hits = []

    for root, _ in g.labelled(G, INSTITUTION):
        if g.institution_parent(G, root) is not None:
            continue
        below = g.institutions_below(G, root)
        leaders = [o for o in g.covering_orgs(G, root) if g.kind_of(G, o) in OWN_BRANCH_KINDS]
        if not below or not leaders:
            continue
        target = min(leaders, key=lambda o: (ORG_TIERS.get(g.kind_of(G, o), 0), o))
        leader_set = set(leaders)
        under_leader: dict[str, bool] = {}   # each org chain walked once per community
        for unit in below:
            orgs = g.covering_orgs(G, unit)
            if not orgs:
                continue
            if any(g.has_ancestor_in(G, o, leader_set, under_leader) for o in orgs):
                continue
            hits.append(((unit,), {
                "name": g.name_of(G, unit), "kind": g.kind_of(G, unit),
                "community": root, "community_name": g.name_of(G, root),
                "orgs": orgs, "org_names": [g.name_of(G, o) for o in orgs],
                "org_kinds": [g.kind_of(G, o) for o in orgs],
                "target": target, "target_name": g.name_of(G, target),
            }))
    return sorted(hits, key=lambda hit: hit[0])


# ---------------------------------------------------------------------------
def _neighbour_branches(G, org, index=None, full_count=None):
    """Branch-tier orgs covering an institution that shares a parent or region with ``org``'s.

    Ranked: sharing a region first, then fewest full members, then id; at most
    :data:`_MAX_NEIGHBOURS`.  Returns ``(ids, full member counts)``.
    """
    index = index if index is not None else _place_index(G)
    if full_count is None:
        def full_count(other):
            return g.number_of_members_at_or_below(G, other, {FULL_STATUS})
    mine = set(g.covered_institutions(G, org))
    by_parent: set[str] = set()
    by_region: set[str] = set()
    for inst in mine:
        parent, region = g.institution_parent(G, inst), g.region_of(G, inst)
        if parent is not None:
            by_parent.update(index.get(("parent", parent), ()))
        if region is not None:
            by_region.update(index.get(("region", region), ()))
    ranked = {}
    for inst in (by_parent | by_region) - mine:
        for other in g.covering_orgs(G, inst):
            if other == org or g.kind_of(G, other) not in BRANCH_KINDS:
                continue
            key = (inst not in by_region, full_count(other), other)
            ranked[other] = min(key, ranked.get(other, key))
    best = sorted(ranked.values())[:_MAX_NEIGHBOURS]
    return [key[2] for key in best], [key[1] for key in best]


def _place_index(G):
    """Map ``("parent", id)`` and ``("region", id)`` to the institutions having it."""
    index: dict[tuple, list[str]] = {}
    for inst, _ in g.labelled(G, INSTITUTION):
        for key in (("parent", g.institution_parent(G, inst)), ("region", g.region_of(G, inst))):
            if key[1] is not None:
                index.setdefault(key, []).append(inst)
    return index


def _suggested_parent(G, org):
    own_tier = ORG_TIERS.get(g.kind_of(G, org), len(ORG_TIERS))
    below = set(g.orgs_at_or_below(G, org))
    best = None
    for inst in g.covered_institutions(G, org):
        for distance, place in enumerate(g.institution_chain(G, inst)):
            for other in g.covering_orgs(G, place):
                tier = ORG_TIERS.get(g.kind_of(G, other), len(ORG_TIERS))
                if other in below or tier >= own_tier:
                    continue
                key = (distance, -tier, other)
                if best is None or key < best:
                    best = key
    return None if best is None else best[2]
