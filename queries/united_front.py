"""United-front checks: are the party's non-party figures kept in touch with (统战, 联谊交友)?

Spec section 7b, ``united_front.*``.  Representative figures (党外代表人士) are the
members whose status is ``non_party``, ``democratic_party`` or ``independent`` and
whose roles include ``representative``.  An *active contact* is a ``contact`` link
(联谊交友) with count > 0.  These checks find nothing in a dataset without
representatives, united-front stations or contact links; none of them reads the
unit network (contacts and united-front institutions are not part of it, spec
section 6).

Each check returns hits ``(subject, evidence)`` sorted by subject; the evidence keys
documented on each function are the contract of the Cypher twins
(``queries/cypher/united_front.*.cypher``).  :func:`united_front_summary` gives the
summary figures (representatives, 联系率, 联络站覆盖率), overall and per county.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> G = new_graph()
>>> G.add_node("D1", label="Member", name="周医生", status="democratic_party",
...            roles=["representative"])
>>> [s for s, _ in uncontacted_representatives(G)]
[('D1',)]
>>> united_front_summary(G)["overall"]["contact_rate"]
0.0
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

import networkx as nx

from orgnet.graphmodel.schema import (
    CONTACT_LINK, COUNTY_LEVEL, COVERS, DEFAULT_SETTINGS, IN_REGION, INSTITUTION,
    INSTITUTION_PARENT, MEMBER, NON_PARTY_STATUSES, ORG_PARENT, PARTY_ORG, REGION_PARENT, REPRESENTATIVE_ROLE, TOWNSHIP_LEVEL, UNITED_FRONT_COMMITTEE_KINDS,
    UNITED_FRONT_ROLES, UNITED_FRONT_STATION_KIND, VILLAGE_LEVEL, WORKS_AT, Settings,
    link_rel_type,
)
from orgnet.graphmodel.embedded import links
from orgnet.queries import _graph as g
from orgnet.queries.catalog import named, register, vocab

__all__ = [
    "uncontacted_representatives", "overloaded_contacts", "committees_without_united_front_member",
    "townships_without_station", "broken_station_chains",
    "representatives", "responsible_committees", "representative_region", "level_region",
    "regions_above",
    "united_front_summary", "summary_from_facts",
]

_CONTACT = link_rel_type(CONTACT_LINK)
#: ``orgnet.queries._graph``'s per-run sharing (run_checks runs the checks inside its scope); a
#: graph read outside a run gets the layer computed afresh on every call
_run_shared = getattr(g, "_shared", None)


def _active_links(G) -> list:
    """The active link rows ``(source, target, attributes)`` in links-table order.

    ``orgnet.queries.connectivity.active_links`` keeps them once per run for the connectivity
    checks and the summary, so reading them here costs nothing more in a full run; the
    public ``orgnet.graphmodel.embedded.links`` gives the same rows where it is not available.
    """
    try:
        from orgnet.queries.connectivity import active_links
    except ImportError:                       # pragma: no cover - a refactored connectivity
        return list(links(G))
    return active_links(G)


# ---------------------------------------------------------------------------
# What the checks share
# ---------------------------------------------------------------------------
class _Layer:
    """What the united-front checks of one run share, computed in one pass.

    ``representatives``: sorted ids; ``targets_of``: source -> set of targets of its
    active contacts; ``contacted_by``: target -> set of sources of active contacts;
    ``stations``: the
    ``united_front_station`` ids.  Inside :func:`orgnet.queries.runner.run_checks` it is built
    once per run (``orgnet.queries._graph.run_scope``); nothing is kept between runs.
    """

    def __init__(self, G):
        # one pass over the nodes; blank cells are not stored, so most members have no
        # "roles" key and are passed over by one dict lookup
        self.representatives = []
        self.stations = []
        for node, data in G._node.items():
            if "roles" in data:
                roles = data["roles"]
                if roles and REPRESENTATIVE_ROLE in roles and data.get("label") == MEMBER \
                        and data.get("status") in NON_PARTY_STATUSES:
                    self.representatives.append(node)
            elif data.get("kind") == UNITED_FRONT_STATION_KIND and data.get("label") == INSTITUTION:
                self.stations.append(node)
        self.representatives.sort()
        self.stations.sort()
        self.targets_of: dict[str, set] = {}
        self.contacted_by: dict[str, set] = {}
        for source, target, data in _active_links(G):
            if data["link_type"] == CONTACT_LINK:
                self.targets_of.setdefault(source, set()).add(target)
                self.contacted_by.setdefault(target, set()).add(source)
        self._covered = None
        self._facts = None

    def facts(self, G) -> dict:
        """``{representative: _Fact}``: workplace, responsible committees, region, township,
        county and the township's county, each walk done once per workplace or region."""
        if self._facts is None:
            committees, regions, levels = {}, {}, {}
            places = {_workplace(G, member) for member in self.representatives}
            covering: dict = {}               # workplace -> orgs covering it, one pass
            adj = G._adj
            for org in g.org_ids(G):
                for unit, keyed in adj[org].items():
                    if unit in places and COVERS in keyed:
                        covering.setdefault(unit, []).append(org)

            def at_level(region, level):
                if region is None:
                    return None
                key = (region, level)
                if key not in levels:
                    levels[key] = _level_region(G, region, level)
                return levels[key]

            self._facts = {}
            for member in self.representatives:
                place = _workplace(G, member)
                if place is not None and place not in committees:
                    committees[place] = _committees_of_place(G, covering.get(place, ()))
                    regions[place] = _region_of_place(G, place)
                region = None if place is None else regions[place]
                township = at_level(region, TOWNSHIP_LEVEL)
                self._facts[member] = _Fact(
                    place, () if place is None else committees[place], region, township,
                    at_level(region, COUNTY_LEVEL), at_level(township, COUNTY_LEVEL))
        return self._facts

    def townships_with_station(self, G) -> set[str]:
        """Regions that are a station's region_id or lie above one (a village station
        counts for its township)."""
        if self._covered is None:
            self._covered = set()
            for station in self.stations:
                region = _parent(G, station, IN_REGION)
                if region is not None:
                    self._covered.update(_up(G, region, REGION_PARENT))
        return self._covered


class _Fact(NamedTuple):
    place: str | None
    committees: tuple
    region: str | None
    township: str | None
    county: str | None
    township_county: str | None


def _layer(G) -> _Layer:
    """The scan of the layer: once per run inside run_checks, else on every call."""
    if _run_shared is None:
        return _Layer(G)
    return _run_shared(G, "united_front.layer", lambda: _Layer(G))




def representatives(G: nx.MultiDiGraph) -> list[str]:
    """Return the representative figures (党外代表人士), sorted.

    A member whose status is ``non_party``, ``democratic_party`` or ``independent``
    and whose roles include ``representative``.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("A", label="Member", status="independent", roles=["representative"])
    >>> G.add_node("B", label="Member", status="non_party", roles=["expert"])
    >>> representatives(G)
    ['A']
    """
    return list(_layer(G).representatives)


def _contacts_into(G, layer: _Layer, node) -> tuple[list[str], int]:
    """Return (sorted sources of active contacts ending at a node, number of count-0 ones)."""
    inactive = sum(1 for keyed in G._pred[node].values() for key, data in keyed.items()
                   if key.__class__ is tuple and key[0] == _CONTACT and data.get("count", 1) == 0)
    return sorted(layer.contacted_by.get(node, ())), inactive


def _workplace(G, member):
    """The member's workplace (``institution_id`` is one cell: at most one)."""
    return next((v for v, keyed in G._adj[member].items() if WORKS_AT in keyed), None)


def _parent(G, node, rel):
    """The node a single-valued reference (``parent_id``, ``region_id``) names, or None."""
    return next((v for v, keyed in G._adj[node].items() if rel in keyed), None)


def _up(G, node, rel):
    """The node and the nodes above it through ``rel`` (a cycle, rejected on loading, stops)."""
    seen = set()
    while node is not None and node not in seen:
        seen.add(node)
        yield node
        node = _parent(G, node, rel)


def _committees_of_place(G, orgs) -> tuple:
    """The nearest committee or working committee at or above each of the covering orgs."""
    nodes = G._node
    found = set()
    for org in orgs:
        for above in _up(G, org, ORG_PARENT):
            if nodes[above].get("kind") in UNITED_FRONT_COMMITTEE_KINDS:
                found.add(above)
                break
    return tuple(sorted(found))


def _region_of_place(G, place):
    return next((region for unit in _up(G, place, INSTITUTION_PARENT)
                 if (region := _parent(G, unit, IN_REGION)) is not None), None)


def _level_region(G, region, level):
    nodes = G._node
    return next((r for r in _up(G, region, REGION_PARENT) if nodes[r].get("level") == level),
                None)


def responsible_committees(G: nx.MultiDiGraph, member: str) -> list[str]:
    """Return a representative's responsible committees (spec 7b), sorted.

    For each org covering the institution where the member works, the nearest org
    of kind committee or working_committee at or above it through ``parent_id``.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("H", label="Institution"); G.add_node("D", label="Member")
    >>> _ = G.add_edge("D", "H", key="WORKS_AT", type="WORKS_AT")
    >>> G.add_node("C", label="PartyOrg", kind="committee")
    >>> G.add_node("B", label="PartyOrg", kind="branch")
    >>> _ = G.add_edge("B", "C", key="REPORTS_TO", type="REPORTS_TO")
    >>> _ = G.add_edge("B", "H", key="COVERS", type="COVERS")
    >>> responsible_committees(G, "D")
    ['C']
    """
    place = _workplace(G, member)
    if place is None:
        return []
    orgs = [org for org, keyed in G._pred[place].items() if COVERS in keyed]
    return list(_committees_of_place(G, orgs))


def representative_region(G: nx.MultiDiGraph, member: str):
    """Return the region of the institution where a member works, or None.

    The institution's ``region_id``, or that of the nearest institution above it
    through ``parent_id`` that has one (spec 7b).
    """
    place = _workplace(G, member)
    return None if place is None else _region_of_place(G, place)


def level_region(G: nx.MultiDiGraph, region, level: str):
    """Return the region of a level at or above a region (through ``parent_id``), or None.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("C", label="Region", level="county"); G.add_node("T", label="Region", level="township")
    >>> G.add_node("V", label="Region", level="village")
    >>> _ = G.add_edge("V", "T", key="PART_OF_REGION", type="PART_OF_REGION")
    >>> _ = G.add_edge("T", "C", key="PART_OF_REGION", type="PART_OF_REGION")
    >>> level_region(G, "V", "township"), level_region(G, "V", "county"), level_region(G, "C", "township")
    ('T', 'C', None)
    """
    return None if region is None else _level_region(G, region, level)


def regions_above(G: nx.MultiDiGraph, region: str) -> list[str]:
    """Return a region and the regions above it (through ``parent_id``), nearest first."""
    return g.region_chain(G, region)


# ---------------------------------------------------------------------------
# united_front.uncontacted_representative
# ---------------------------------------------------------------------------
def _who(subject, ev, lang):
    return named(ev["name"], subject[0], lang)


def _uncontacted_message(subject, ev, lang):
    where = "" if ev["institution"] is None else named(ev["institution_name"], ev["institution"], lang)
    party = ev["affiliation"] or vocab(ev["status"], lang)
    if lang == "zh":
        at = f"{where}的" if where else ""
        who = (f"{ev['name']}（{subject[0]}，{party}）" if ev["name"] != subject[0]
               else f"{subject[0]}（{party}）")
        idle = f"；另有{ev['inactive_contacts']}条联系记录次数为0" if ev["inactive_contacts"] else ""
        return f"{at}党外代表人士{who}尚无党组织或党员与其开展联谊交友{idle}。"
    at = f" at {where}" if where else ""
    idle = (f"; {ev['inactive_contacts']} contact record(s) show no activity (count 0)"
            if ev["inactive_contacts"] else "")
    return (f"Representative non-party figure {_who(subject, ev, lang)} ({party}){at} is kept in "
            f"touch with by no party organization or member (no active contact){idle}.")


def _uncontacted_suggestion(subject, ev, lang):
    if ev["committee"] is not None:
        committee = named(ev["committee_name"], ev["committee"], lang)
        if lang == "zh":
            return f"建议由{committee}确定一名党员领导干部作为联系人，开展联谊交友，并记录联系情况。"
        return (f"Have {committee} name a party cadre as the contact person for this figure, "
                f"keep in touch (联谊交友) and record the contacts.")
    if lang == "zh":
        return "建议确定联系人，开展联谊交友，并记录联系情况。"
    return "Name a contact person among the party cadres, keep in touch (联谊交友) and record the contacts."


@register(
    "united_front.uncontacted_representative", severity="medium",
    title={"en": "Representative non-party figure no one keeps in touch with",
           "zh": "党外代表人士无人联系"},
    message=_uncontacted_message, suggestion=_uncontacted_suggestion)
def uncontacted_representatives(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the representative figures that no active ``contact`` link ends at.

    A ``contact`` with count 0 records a tie with no activity: it does not count.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(member,)``.  Evidence keys: ``name``, ``status``, ``affiliation``
        (所属党派 as given, or None), ``institution``/``institution_name`` (workplace
        or None), ``committee``/``committee_name`` (the first of its responsible
        committees, see :func:`responsible_committees`, or None) and
        ``inactive_contacts`` (number of count-0 contact rows ending at it).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph()
    >>> G.add_node("D", label="Member", name="周", status="independent", roles=["representative"])
    >>> G.add_node("M", label="Member", name="王", status="full")
    >>> add_link(G, "M", "D", link_type="contact", link_index=0, count=0)
    >>> [(s, e["inactive_contacts"]) for s, e in uncontacted_representatives(G)]
    [(('D',), 1)]
    """
    hits = []
    layer = _layer(G)
    for member in layer.representatives:
        if member in layer.contacted_by:
            continue
        _, inactive = _contacts_into(G, layer, member)
        fact = layer.facts(G)[member]
        place = fact.place
        committee = fact.committees[0] if fact.committees else None
        affiliation = G._node[member].get("affiliation")
        hits.append(((member,), {
            "name": g.name_of(G, member), "status": G._node[member].get("status"),
            "affiliation": None if affiliation is None else str(affiliation),
            "institution": place,
            "institution_name": None if place is None else g.name_of(G, place),
            "committee": committee,
            "committee_name": None if committee is None else g.name_of(G, committee),
            "inactive_contacts": inactive,
        }))
    return hits


# ---------------------------------------------------------------------------
# united_front.contact_overload
# ---------------------------------------------------------------------------
def _overload_message(subject, ev, lang):
    if lang == "zh":
        return (f"{_who(subject, ev, lang)}联系的联谊交友对象有{ev['targets']}个，"
                f"超过{ev['maximum']}个。")
    return (f"{_who(subject, ev, lang)} keeps in touch with {ev['targets']} people or units "
            f"(contact links), more than {ev['maximum']}.")


def _overload_suggestion(subject, ev, lang):
    if lang == "zh":
        return (f"调整联系分工，由其他党员领导干部分担部分联系对象，使每人联系不超过{ev['maximum']}个，"
                f"确保联得上、谈得深。")
    return (f"Share these contacts out among other party cadres so that no one keeps in touch "
            f"with more than {ev['maximum']}, and the contacts stay real.")


@register(
    "united_front.contact_overload", severity="low",
    title={"en": "Member or organization with too many united-front contacts",
           "zh": "联谊交友对象过多"},
    message=_overload_message, suggestion=_overload_suggestion)
def overloaded_contacts(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the members and orgs with active contacts to more distinct targets than the maximum.

    The maximum is ``settings.united_front_contacts_per_member`` (5), a local-practice
    default that no regulation sets.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(source,)``.  Evidence keys: ``name``, ``label`` (``Member`` or
        ``PartyOrg``), ``targets`` (distinct targets of its active contacts),
        ``maximum``.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph(); G.add_node("M", label="Member", name="王", status="full")
    >>> for i in range(3): G.add_node(f"D{i}", label="Member")
    >>> for i in range(4): add_link(G, "M", f"D{i % 3}", link_type="contact", link_index=i)
    >>> [(s, e["targets"]) for s, e in overloaded_contacts(G, Settings(united_front_contacts_per_member=2))]
    [(('M',), 3)]
    """
    limit = settings.united_front_contacts_per_member
    hits = []
    for source, targets in sorted(_layer(G).targets_of.items()):
        if len(targets) > limit:
            hits.append(((source,), {"name": g.name_of(G, source),
                                     "label": G._node[source].get("label"),
                                     "targets": len(targets), "maximum": limit}))
    return hits


# ---------------------------------------------------------------------------
# united_front.no_united_front_member
# ---------------------------------------------------------------------------
def _no_member_message(subject, ev, lang):
    if lang == "zh":
        return (f"{_who(subject, ev, lang)}负责联系{ev['representatives']}名党外代表人士，"
                f"但未明确统战委员或统战干事。")
    return (f"{vocab(ev['kind'], lang).capitalize()} {_who(subject, ev, lang)} is responsible for "
            f"{ev['representatives']} representative non-party figure(s) but has no united-front "
            f"committee member or officer.")


def _no_member_suggestion(subject, ev, lang):
    if lang == "zh":
        return f"在{_who(subject, ev, lang)}委员中明确一名统战委员，或配备统战干事，负责统战工作和联谊交友。"
    return (f"Name a united-front member (统战委员) among the committee members of "
            f"{_who(subject, ev, lang)}, or assign a united-front officer (统战干事).")


@register(
    "united_front.no_united_front_member", severity="medium",
    title={"en": "Committee without a united-front member or officer",
           "zh": "党委未明确统战委员或统战干事"},
    message=_no_member_message, suggestion=_no_member_suggestion)
def committees_without_united_front_member(G: nx.MultiDiGraph,
                                           settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the responsible committees without a united-front member or officer.

    A committee or working committee that is the responsible committee (see
    :func:`responsible_committees`) of at least one representative, and has no
    member whose ``org_id`` is that org and whose roles include
    ``united_front_member`` or ``united_front_officer``.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(org,)``.  Evidence keys: ``name``, ``kind``, ``representatives``
        (how many representatives it is responsible for).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> committees_without_united_front_member(new_graph())
    []
    """
    load: Counter = Counter()
    for fact in _layer(G).facts(G).values():
        load.update(fact.committees)
    hits = []
    for org in sorted(load):
        if any(UNITED_FRONT_ROLES.intersection(g.roles_of(G, m)) for m in g.direct_members(G, org)):
            continue
        hits.append(((org,), {"name": g.name_of(G, org), "kind": g.kind_of(G, org),
                              "representatives": load[org]}))
    return hits


# ---------------------------------------------------------------------------
# united_front.township_without_station
# ---------------------------------------------------------------------------
def _township_message(subject, ev, lang):
    if lang == "zh":
        return (f"{_who(subject, ev, lang)}有{ev['representatives']}名党外代表人士，"
                f"但尚未建立乡镇统战工作联络站。")
    return (f"Township {_who(subject, ev, lang)} has {ev['representatives']} representative "
            f"non-party figure(s) but no united-front liaison station.")


def _township_suggestion(subject, ev, lang):
    if lang == "zh":
        return (f"在{_who(subject, ev, lang)}建立乡镇统战工作联络站，并向村（社区）延伸，"
                f"形成乡镇—村—网格三级联络网络。")
    return (f"Set up a township united-front liaison station (乡镇统战工作联络站) in "
            f"{_who(subject, ev, lang)} and extend it to the villages (township-village-grid network).")


@register(
    "united_front.township_without_station", severity="medium",
    title={"en": "Township with representative figures but no united-front station",
           "zh": "乡镇未建统战工作联络站"},
    message=_township_message, suggestion=_township_suggestion)
def townships_without_station(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the township-level regions where representatives work and no station is.

    A representative works in the township-level region at or above (through the
    regions' ``parent_id``) :func:`representative_region`.  A township has a station
    when a ``united_front_station`` has that region, or a region below it, as its
    ``region_id`` (a village station counts for its township).

    Returns
    -------
    list of (subject, evidence)
        Subject ``(region,)``.  Evidence keys: ``name``, ``representatives`` (how
        many work there), ``county``/``county_name`` (the county-level region at or
        above it, or None).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> townships_without_station(new_graph())
    []
    """
    load: Counter = Counter()
    county_of = {}
    for fact in _layer(G).facts(G).values():
        if fact.township is not None:
            load[fact.township] += 1
            county_of[fact.township] = fact.township_county
    if not load:
        return []
    covered = _layer(G).townships_with_station(G)
    hits = []
    for township in sorted(load):
        if township in covered:
            continue
        county = county_of[township]
        hits.append(((township,), {
            "name": g.name_of(G, township), "representatives": load[township],
            "county": county, "county_name": None if county is None else g.name_of(G, county),
        }))
    return hits


# ---------------------------------------------------------------------------
# united_front.station_chain_broken
# ---------------------------------------------------------------------------
def _station_message(subject, ev, lang):
    who = _who(subject, ev, lang)
    if ev["parent"] is None:
        if lang == "zh":
            return f"村级统战工作联络站{who}没有挂靠乡镇联络站（未填上级编号）。"
        return f"Village united-front station {who} hangs under no township station (no parent_id)."
    parent = named(ev["parent_name"], ev["parent"], lang)
    if lang == "zh":
        what = vocab(ev["parent_kind"], lang)
        if ev["parent_kind"] == UNITED_FRONT_STATION_KIND:
            what = f"{vocab(ev['parent_level'], lang)}级{what}"
        return f"村级统战工作联络站{who}的上级{parent}是{what}，不是乡镇统战工作联络站。"
    return (f"Village united-front station {who} hangs under {parent}, a "
            f"{vocab(ev['parent_level'], lang)}-level {vocab(ev['parent_kind'], lang)}, "
            f"not under a township united-front station.")


def _station_suggestion(subject, ev, lang):
    if ev["station"] is not None:
        station = named(ev["station_name"], ev["station"], lang)
        if lang == "zh":
            return f"将其上级改为所在乡镇的统战工作联络站{station}，理顺乡镇—村—网格三级联络网络。"
        return (f"Make {station}, the township united-front station of its township, its parent "
                f"(the township-village-grid network).")
    if lang == "zh":
        return "先在所在乡镇建立统战工作联络站，再将本站挂靠其下，形成乡镇—村—网格三级联络网络。"
    return ("Set up the township united-front station of its township first, then hang this "
            "station under it (the township-village-grid network).")


@register(
    "united_front.station_chain_broken", severity="low",
    title={"en": "Village united-front station not under a township station",
           "zh": "村级统战联络站未挂靠乡镇联络站"},
    message=_station_message, suggestion=_station_suggestion)
def broken_station_chains(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the village-level stations not hanging under a township-level station.

    A ``united_front_station`` whose level is village and whose ``parent_id`` is
    empty or names an institution that is not a township-level ``united_front_station``.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(station,)``.  Evidence keys: ``name``; ``parent``/``parent_name``/
        ``parent_kind``/``parent_level`` (its ``parent_id`` institution, or all None);
        ``station``/``station_name``: the township-level station to hang it under
        (one whose region is the township-level region at or above the station's
        ``region_id``; smallest id), or None.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("S", label="Institution", name="李村联络站", kind="united_front_station", level="village")
    >>> [(s, e["parent"]) for s, e in broken_station_chains(G)]
    [(('S',), None)]
    """
    stations = _layer(G).stations
    nodes = G._node
    township_stations = None
    hits = []
    for station in stations:
        if nodes[station].get("level") != VILLAGE_LEVEL:
            continue
        parent = _parent(G, station, INSTITUTION_PARENT)
        if parent is not None and nodes[parent].get("kind") == UNITED_FRONT_STATION_KIND \
                and nodes[parent].get("level") == TOWNSHIP_LEVEL:
            continue
        if township_stations is None:
            township_stations = {}
            for s in stations:
                region = _parent(G, s, IN_REGION)
                if nodes[s].get("level") == TOWNSHIP_LEVEL and region is not None:
                    township_stations.setdefault(level_region(G, region, TOWNSHIP_LEVEL), s)
        township = level_region(G, _parent(G, station, IN_REGION), TOWNSHIP_LEVEL)
        target = None if township is None else township_stations.get(township)
        hits.append(((station,), {
            "name": g.name_of(G, station),
            "parent": parent, "parent_name": None if parent is None else g.name_of(G, parent),
            "parent_kind": None if parent is None else nodes[parent].get("kind"),
            "parent_level": None if parent is None else nodes[parent].get("level"),
            "station": target, "station_name": None if target is None else g.name_of(G, target),
        }))
    return hits


# ---------------------------------------------------------------------------
# The summary figures (spec 7b): representatives, 联系率, 联络站覆盖率
# ---------------------------------------------------------------------------
def united_front_summary(G: nx.MultiDiGraph) -> dict:
    """Return the united-front figures of the summary, overall and per county.

    Returns
    -------
    dict
        ``{"overall": entry, "by_county": {county id: entry}}`` (see
        :func:`summary_from_facts`).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> united_front_summary(new_graph())["overall"]
    {'representatives': 0, 'contacted': 0, 'contact_rate': None, 'townships': 0, 'townships_with_station': 0, 'station_coverage_rate': None}
    """
    facts = []
    covered = None
    layer = _layer(G)
    facts_of = layer.facts(G)
    for member in layer.representatives:
        active = layer.contacted_by.get(member)
        fact = facts_of[member]
        township, county, township_county = fact.township, fact.county, fact.township_county
        if township is not None and covered is None:
            covered = layer.townships_with_station(G)
        facts.append({
            "id": member, "contacted": bool(active), "county": county,
            "county_name": None if county is None else g.name_of(G, county),
            "township": township, "township_county": township_county,
            "township_county_name": None if township_county is None
            else g.name_of(G, township_county),
            "township_has_station": township is not None and township in covered,
        })
    return summary_from_facts(facts)


def summary_from_facts(facts) -> dict:
    """Aggregate one fact row per representative into the summary figures (both backends).

    Parameters
    ----------
    facts : iterable of mapping
        ``id``, ``contacted`` (an active contact ends at it), ``county`` and
        ``county_name`` (county-level region at or above its region),
        ``township`` (township-level region it works in, or None),
        ``township_county``/``township_county_name`` (county-level region at or
        above that township) and ``township_has_station``.  The rows of
        ``queries/cypher/summary.united_front.cypher``.

    Returns
    -------
    dict
        ``{"overall": entry, "by_county": {county id: entry}}``; an entry holds
        ``representatives``, ``contacted``, ``contact_rate`` (联系率),
        ``townships`` (township regions with representatives),
        ``townships_with_station`` and ``station_coverage_rate`` (联络站覆盖率);
        rates rounded to 4 places, None when there is nothing to divide by.
        ``by_county`` entries also carry ``name``, sorted by county id;
        representatives and townships with no county-level region above them
        count in ``overall`` only.

    Examples
    --------
    >>> s = summary_from_facts([
    ...     {"id": "A", "contacted": True, "county": "C", "county_name": "县", "township": "T",
    ...      "township_county": "C", "township_county_name": "县", "township_has_station": False},
    ...     {"id": "B", "contacted": False, "county": "C", "county_name": "县", "township": "T",
    ...      "township_county": "C", "township_county_name": "县", "township_has_station": False}])
    >>> s["overall"]["contact_rate"], s["by_county"]["C"]["townships"]
    (0.5, 1)
    """
    names: dict = {}
    overall = [0, 0]
    per_county: dict = {}
    townships: dict = {}
    for fact in sorted(facts, key=lambda f: f["id"]):
        contacted = int(bool(fact["contacted"]))
        overall[0] += 1
        overall[1] += contacted
        county = fact["county"]
        if county is not None:
            names.setdefault(county, fact.get("county_name"))
            entry = per_county.setdefault(county, [0, 0])
            entry[0] += 1
            entry[1] += contacted
        if fact["township"] is not None:
            townships[fact["township"]] = (fact["township_county"], bool(fact["township_has_station"]))
            if fact["township_county"] is not None:
                names.setdefault(fact["township_county"], fact.get("township_county_name"))
    station_overall = [len(townships), sum(1 for _, has in townships.values() if has)]
    station_county: dict = {}
    for county, has in townships.values():
        if county is not None:
            entry = station_county.setdefault(county, [0, 0])
            entry[0] += 1
            entry[1] += int(has)
    return {
        "overall": _entry(overall, station_overall),
        "by_county": {county: {"name": names.get(county),
                               **_entry(per_county.get(county, [0, 0]),
                                        station_county.get(county, [0, 0]))}
                      for county in sorted(set(per_county) | set(station_county))},
    }


def _entry(people, townships) -> dict:
    def rate(part, whole):
        return round(part / whole, 4) if whole else None
    return {"representatives": people[0], "contacted": people[1],
            "contact_rate": rate(people[1], people[0]),
            "townships": townships[0], "townships_with_station": townships[1],
            "station_coverage_rate": rate(townships[1], townships[0])}

