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

import networkx as nx

from orgnet.graphmodel.schema import (
    DEFAULT_SETTINGS, EMPTY_CHECK_KINDS, MEMBER, MEMBER_OF, PARTY_MEMBER_STATUSES,
    TOWNSHIP_LEVEL, WORKS_AT, Settings,
)
from orgnet.queries import _graph as g
from orgnet.queries.catalog import listing, named, register, vocab

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
    hits = []
    index = None
    for inst in g.health_institutions(G):
        if g.covering_orgs(G, inst):
            continue
        data = G._node[inst]
        evidence = {
            "name": g.name_of(G, inst), "kind": data.get("kind"), "level": data.get("level"),
            "ancestor": None, "ancestor_name": None,
            "org": None, "org_name": None, "org_kind": None,
            "region": None, "region_name": None,
            "nearby": [], "nearby_names": [], "nearby_orgs": [], "nearby_org_names": [],
        }
        for ancestor in g.institution_chain(G, inst)[1:]:
            orgs = g.covering_orgs(G, ancestor)
            if orgs:
                org = g.preferred_org(G, orgs)
                evidence.update(ancestor=ancestor, ancestor_name=g.name_of(G, ancestor),
                                org=org, org_name=g.name_of(G, org), org_kind=g.kind_of(G, org))
                break
        else:
            region = _township_region(G, inst)
            if region is not None:
                if index is None:
                    index = _covered_by_region(G)
                nearby = _covered_nearby(G, inst, region, settings.joint_branch_max_units - 1,
                                         index)
                orgs = [g.preferred_org(G, g.covering_orgs(G, n)) for n in nearby]
                evidence.update(
                    region=region, region_name=g.name_of(G, region),
                    nearby=nearby, nearby_names=[g.name_of(G, n) for n in nearby],
                    nearby_orgs=orgs, nearby_org_names=[g.name_of(G, o) for o in orgs])
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
    hits = []
    for org in g.org_ids(G):
        if g.kind_of(G, org) not in EMPTY_CHECK_KINDS or g.number_of_members_at_or_below(G, org):
            continue
        parent = g.org_parent(G, org)
        hits.append(((org,), {
            "name": g.name_of(G, org), "kind": g.kind_of(G, org),
            "parent": parent, "parent_name": None if parent is None else g.name_of(G, parent),
            "institutions": g.covered_institutions(G, org),
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
    hits = []
    for member, data in g.labelled(G, MEMBER):
        if data.get("status") not in PARTY_MEMBER_STATUSES:
            continue
        if g.targets(G, member, MEMBER_OF):
            continue
        places = g.targets(G, member, WORKS_AT)
        place = places[0] if places else None
        org = None if place is None else g.preferred_org(G, g.covering_orgs(G, place))
        hits.append(((member,), {
            "name": g.name_of(G, member), "status": data.get("status"),
            "institution": place,
            "institution_name": None if place is None else g.name_of(G, place),
            "org": org, "org_name": None if org is None else g.name_of(G, org),
        }))
    return hits


# ---------------------------------------------------------------------------
def _township_region(G, inst):
    """Return the township-level region holding an institution, or None."""
    region = g.region_of(G, inst)
    if region is None:
        return None
    for r in g.region_chain(G, region):
        if G._node[r].get("level") == TOWNSHIP_LEVEL:
            return r
    return None


def _covered_nearby(G, inst, region, limit, index):
    """Covered health institutions in ``region`` or below, own region first, then id."""
    own = g.region_of(G, inst)
    found = sorted((g.region_of(G, other) != own, other)
                   for other in index.get(region, ()) if other != inst)
    return [other for _, other in found][:max(limit, 0)]


def _covered_by_region(G):
    """Map each region to the covered health institutions in it or below it."""
    index: dict[str, list[str]] = {}
    for inst in g.health_institutions(G):
        place = g.region_of(G, inst)
        if place is None or not g.covering_orgs(G, inst):
            continue
        for region in g.region_chain(G, place):
            index.setdefault(region, []).append(inst)
    return index
