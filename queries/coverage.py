"""Coverage checks: is every health institution and every party member inside a party organization?

Spec section 7, ``coverage.*``.  Each check returns hits ``(subject, evidence)``
sorted by subject; the catalog renders messages and suggestions from the
evidence alone, so the Cypher twins (``queries/cypher/coverage.*.cypher``) must
return exactly the evidence keys documented on each function.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> G = new_graph()
>>> G.add_node("V1", label="Institution", name="李村卫生室", kind="village_clinic", level="village")
>>> [subject for subject, _ in uncovered_institutions(G)]
[('V1',)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgnet.graphmodel.schema import (
    DEFAULT_SETTINGS, EMPTY_CHECK_KINDS, MEMBER, PARTY_MEMBER_STATUSES, TOWNSHIP_LEVEL,
    Settings,
)
from orgnet.queries.tables import check_tables
from orgnet.queries.catalog import listing, named, register, vocab

if TYPE_CHECKING:  # annotations only: networkx is imported where a graph is built
    import networkx as nx

__all__ = ["uncovered_institutions", "empty_orgs", "unattached_members"]


def _uncovered_message(subject, ev, lang):
    what = named(ev["name"], subject[0], lang)
    if lang == "zh":
        return f"{what}未被任何党组织覆盖。"
    return f"{vocab(ev['kind'], lang).capitalize()} {what} is not covered by any party organization."


def _uncovered_suggestion(subject, ev, lang):
    if ev["org"] is not None:
        org = named(ev["org_name"], ev["org"], lang)
        above = named(ev["ancestor_name"], ev["ancestor"], lang)
        if lang == "zh":
            return f"将其纳入上级机构{above}所在的{org}，或与之组建联合党支部。"
        return (f"Add it to {org}, which covers the institution above it, {above} "
                f"(or form a joint branch with it).")
    if ev["nearby"]:
        units = listing(ev["nearby_names"], ev["nearby"], lang)
        orgs = listing(ev["nearby_org_names"], ev["nearby_orgs"], lang)
        region = named(ev["region_name"], ev["region"], lang)
        if lang == "zh":
            return f"与{region}内已覆盖的{units}组建联合党支部（现由{orgs}覆盖）。"
        return (f"Form a joint branch with the covered institutions nearby in {region}: "
                f"{units} (now covered by {orgs}).")
    if lang == "zh":
        return "单独组建党支部，或与就近机构组建联合党支部；确无党员的，选派党建指导员。"
    return ("Set up a branch there, or a joint branch with nearby institutions; where it has "
            "no party members, assign a party-building instructor.")


@register(
    "coverage.uncovered_institution", severity="high",
    title={"en": "Health institution not covered by any party organization",
           "zh": "医疗卫生机构未被党组织覆盖"},
    regulation="《中国共产党支部工作条例（试行）》第五条",
    message=_uncovered_message, suggestion=_uncovered_suggestion)
def uncovered_institutions(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the health institutions no party org lists in ``institution_ids``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph.
    settings : Settings
        ``joint_branch_max_units`` bounds the institutions suggested for a joint branch.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(institution,)``.  Evidence keys: ``name``, ``kind``, ``level``;
        ``ancestor``/``ancestor_name``: the nearest institution up the ``parent_id``
        chain covered by some org; ``org``/``org_name``/``org_kind``: the org covering
        that ancestor to join (branch-tier kinds first, then general branch,
        committee, group; ties by id).  Only when there is no such ancestor (all
        four None): ``region``/``region_name``, the township-level region holding
        the institution (its region or the nearest parent region whose level is
        township; None when there is none), and ``nearby``/``nearby_names``: up to
        ``joint_branch_max_units - 1`` covered health institutions in that region
        or below it, those in the institution's own region first, then by id;
        ``nearby_orgs``/``nearby_org_names``: the org each of them would join
        (same preference), parallel lists.  Otherwise ``region`` and
        ``region_name`` are None and the lists empty.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("V1", label="Institution", name="李村卫生室", kind="village_clinic")
    >>> G.add_node("S1", label="Institution", name="小学", kind="school")
    >>> [(s, e["nearby"]) for s, e in uncovered_institutions(G)]
    [(('V1',), [])]
    """
    t = check_tables(G)
    hits = []
    index = None
    for inst in t.sorted_ids(t.is_health & (t.covering_count() == 0)):
        i = t.position(inst)
        evidence = {
            "name": t.name_of(inst), "kind": t.kind[i], "level": t.level[i],
            "ancestor": None, "ancestor_name": None,
            "org": None, "org_name": None, "org_kind": None,
            "region": None, "region_name": None,
            "nearby": [], "nearby_names": [], "nearby_orgs": [], "nearby_org_names": [],
        }
        for ancestor in t.institution_chain(inst)[1:]:
            orgs = t.covering_orgs(ancestor)
            if orgs:
                org = t.preferred_org(orgs)
                evidence.update(ancestor=ancestor, ancestor_name=t.name_of(ancestor),
                                org=org, org_name=t.name_of(org), org_kind=t.kind_of(org))
                break
        else:
            region = _township_region(t, inst)
            if region is not None:
                if index is None:
                    index = _covered_by_region(t)
                nearby = _covered_nearby(t, inst, region, settings.joint_branch_max_units - 1,
                                         index)
                orgs = [t.preferred_org(t.covering_orgs(n)) for n in nearby]
                evidence.update(
                    region=region, region_name=t.name_of(region),
                    nearby=nearby, nearby_names=[t.name_of(n) for n in nearby],
                    nearby_orgs=orgs, nearby_org_names=[t.name_of(o) for o in orgs])
        hits.append(((inst,), evidence))
    return hits


def _empty_message(subject, ev, lang):
    what = named(ev["name"], subject[0], lang)
    if lang == "zh":
        return f"{what}（含下级组织）没有任何党员。"
    return f"{vocab(ev['kind'], lang).capitalize()} {what} has no members at or below it."


def _empty_suggestion(subject, ev, lang):
    if ev["parent"] is not None:
        parent = named(ev["parent_name"], ev["parent"], lang)
        if lang == "zh":
            return f"转入党员组织关系，或撤销该组织并由上级{parent}统筹。"
        return f"Transfer members' membership to it, or dissolve it and let {parent} take over."
    if lang == "zh":
        return "转入党员组织关系，或撤销该组织。"
    return "Transfer members' membership to it, or dissolve it."


@register(
    "coverage.empty_org", severity="medium",
    title={"en": "Party organization without members", "zh": "党组织无党员"},
    message=_empty_message, suggestion=_empty_suggestion)
def empty_orgs(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the general branches, branches, joint branches and groups with no members.

    A member counts for an org when its ``org_id`` is the org or any org below it,
    whatever its status.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(org,)``.  Evidence keys: ``name``, ``kind``, ``parent`` and
        ``parent_name`` (the org it reports to, or None), ``institutions`` (sorted
        ids it covers).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("O9", label="PartyOrg", name="空支部", kind="branch")
    >>> G.add_node("O1", label="PartyOrg", name="党委", kind="committee")
    >>> [s for s, _ in empty_orgs(G)]
    [('O9',)]
    """
    t = check_tables(G)
    members = t.count_at_or_below(t.is_member)
    hits = []
    for org in t.sorted_ids(t.is_org & t.kind_in(EMPTY_CHECK_KINDS) & (members == 0)):
        parent = t.org_parent(org)
        hits.append(((org,), {
            "name": t.name_of(org), "kind": t.kind_of(org),
            "parent": parent, "parent_name": None if parent is None else t.name_of(parent),
            "institutions": t.covered_institutions(org),
        }))
    return hits


def _unattached_message(subject, ev, lang):
    who = named(ev["name"], subject[0], lang)
    if lang == "zh":
        return f"{vocab(ev['status'], lang)}{who}没有组织关系（未编入党组织）。"
    return f"{vocab(ev['status'], lang).capitalize()} member {who} belongs to no party organization."


def _unattached_suggestion(subject, ev, lang):
    if ev["org"] is not None:
        org = named(ev["org_name"], ev["org"], lang)
        unit = named(ev["institution_name"], ev["institution"], lang)
        if lang == "zh":
            return f"将其组织关系转入工作单位{unit}所在的{org}。"
        return f"Transfer the membership to {org}, which covers the workplace {unit}."
    if lang == "zh":
        return "将其组织关系转入工作单位或居住地的党组织。"
    return "Transfer the membership to the party organization of the workplace or residence."


@register(
    "coverage.unattached_member", severity="medium",
    title={"en": "Party member outside any party organization", "zh": "党员未编入党组织"},
    regulation="《中国共产党支部工作条例（试行）》第四条",
    message=_unattached_message, suggestion=_unattached_suggestion)
def unattached_members(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the full and probationary members without an ``org_id``.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(member,)``.  Evidence keys: ``name``, ``status``,
        ``institution``/``institution_name`` (workplace or None), ``org``/``org_name``
        (the org covering the workplace to join, branch-tier kinds first, or None).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("M1", label="Member", name="王伟", status="full")
    >>> G.add_node("M2", label="Member", name="李娜", status="non_party")
    >>> [s for s, _ in unattached_members(G)]
    [('M1',)]
    """
    t = check_tables(G)
    hits = []
    unattached = t.is_member & t.in_values(t.status, PARTY_MEMBER_STATUSES) & (t.org < 0)
    for member in t.sorted_ids(unattached):
        i = t.position(member)
        place = None if t.work[i] < 0 else t.ids[t.work[i]]
        org = None if place is None else t.preferred_org(t.covering_orgs(place))
        hits.append(((member,), {
            "name": t.name_of(member), "status": t.status[i],
            "institution": place,
            "institution_name": None if place is None else t.name_of(place),
            "org": org, "org_name": None if org is None else t.name_of(org),
        }))
    return hits


# ---------------------------------------------------------------------------
def _township_region(t, inst):
    """Return the township-level region holding an institution, or None."""
    region = t.region_of(inst)
    if region is None:
        return None
    for r in t.region_chain(region):
        if t.level_of(r) == TOWNSHIP_LEVEL:
            return r
    return None


def _covered_nearby(t, inst, region, limit, index):
    """Covered health institutions in ``region`` or below, own region first, then id."""
    own = t.region_of(inst)
    found = sorted((t.region_of(other) != own, other)
                   for other in index.get(region, ()) if other != inst)
    return [other for _, other in found][:max(limit, 0)]


def _covered_by_region(t):
    """Map each region to the covered health institutions in it or below it."""
    index: dict[str, list[str]] = {}
    chains: dict[int, list[str]] = {}
    covered = t.is_health & (t.covering_count() > 0) & (t.region >= 0)
    for inst, place in zip(t.ids[covered].tolist(), t.region[covered].tolist()):
        chain = chains.get(place)
        if chain is None:
            chain = chains[place] = t.region_chain(t.ids[place])
        for region in chain:
            index.setdefault(region, []).append(inst)
    return index
