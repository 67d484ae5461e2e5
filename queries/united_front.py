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
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from orgnet.graphmodel.schema import (
    CONTACT_LINK, COUNTY_LEVEL, COVERS, DEFAULT_SETTINGS, NON_PARTY_STATUSES,
    REPRESENTATIVE_ROLE, TOWNSHIP_LEVEL, UNITED_FRONT_COMMITTEE_KINDS, UNITED_FRONT_ROLES,
    UNITED_FRONT_STATION_KIND, VILLAGE_LEVEL, WORKS_AT, Settings,
)
from orgnet.queries.tables import check_tables
from orgnet.queries.catalog import named, register, vocab

if TYPE_CHECKING:  # annotations only: networkx is imported where a graph is built
    import networkx as nx

__all__ = [
    "uncontacted_representatives", "overloaded_contacts", "committees_without_united_front_member",
    "townships_without_station", "broken_station_chains",
    "representatives", "responsible_committees", "representative_region", "level_region",
    "regions_above",
    "united_front_summary", "summary_from_facts",
]

# ---------------------------------------------------------------------------
# What the checks share
# ---------------------------------------------------------------------------
class _Layer:
    """What the united-front checks of one run share, computed once per check tables.

    ``representatives``: sorted ids; ``targets_of``: source -> set of targets of its
    active contacts; ``contacted_by``: target -> set of sources of active contacts;
    ``stations``: the sorted ``united_front_station`` ids.
    """

    def __init__(self, t):
        members = np.flatnonzero(t.is_member & (t.roles != None)           # noqa: E711
                                 & t.in_values(t.status, NON_PARTY_STATUSES))
        self.representatives = sorted(
            t.ids[i] for i, roles in zip(members.tolist(), t.roles[members].tolist())
            if roles and REPRESENTATIVE_ROLE in roles)
        self.stations = t.sorted_ids(t.is_institution & (t.kind == UNITED_FRONT_STATION_KIND))
        links = t.links
        contact = t.link_is(CONTACT_LINK)
        sources = t.ids[links["source"].to_numpy()[contact]].tolist()
        targets = t.ids[links["target"].to_numpy()[contact]].tolist()
        self.targets_of: dict[str, set] = {}
        self.contacted_by: dict[str, set] = {}
        for source, target in zip(sources, targets):
            self.targets_of.setdefault(source, set()).add(target)
            self.contacted_by.setdefault(target, set()).add(source)
        self._covered = None
        self._facts = None

    def facts(self, t) -> dict:
        """``{representative: _Fact}``: workplace, responsible committees, region, township,
        county and the township's county, each walk done once per workplace or region."""
        if self._facts is None:
            committees, regions, levels = {}, {}, {}

            def at_level(region, level):
                if region is None:
                    return None
                key = (region, level)
                if key not in levels:
                    levels[key] = _level_region(t, region, level)
                return levels[key]

            self._facts = {}
            for member in self.representatives:
                place = _workplace(t, member)
                if place is not None and place not in committees:
                    committees[place] = _committees_of_place(t, place)
                    regions[place] = _region_of_place(t, place)
                region = None if place is None else regions[place]
                township = at_level(region, TOWNSHIP_LEVEL)
                self._facts[member] = _Fact(
                    place, () if place is None else committees[place], region, township,
                    at_level(region, COUNTY_LEVEL), at_level(township, COUNTY_LEVEL))
        return self._facts

    def townships_with_station(self, t) -> set[str]:
        """Regions that are a station's region_id or lie above one (a village station
        counts for its township)."""
        if self._covered is None:
            self._covered = set()
            for station in self.stations:
                region = t.region_of(station)
                if region is not None:
                    self._covered.update(t.region_chain(region))
        return self._covered


class _Fact(NamedTuple):
    place: str | None
    committees: tuple
    region: str | None
    township: str | None
    county: str | None
    township_county: str | None


def _layer(G) -> tuple:
    """The check tables and their united-front layer (built once per tables)."""
    t = check_tables(G)
    if "united_front.layer" not in t.memo:
        t.memo["united_front.layer"] = _Layer(t)
    return t, t.memo["united_front.layer"]


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
    return list(_layer(G)[1].representatives)


def _workplace(t, member):
    """The member's workplace (``institution_id`` is one cell: at most one)."""
    work = t.work[t.position(member)]
    return None if work < 0 else t.ids[work]


def _committees_of_place(t, place) -> tuple:
    """The nearest committee or working committee at or above each org covering a place."""
    found = set()
    for org in t.covering_orgs(place):
        for above in t.org_chain(org):
            if t.kind_of(above) in UNITED_FRONT_COMMITTEE_KINDS:
                found.add(above)
                break
    return tuple(sorted(found))


def _region_of_place(t, place):
    return next((region for unit in t.institution_chain(place)
                 if (region := t.region_of(unit)) is not None), None)


def _level_region(t, region, level):
    return next((r for r in t.region_chain(region) if t.level_of(r) == level), None)


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
    t = check_tables(G)
    place = _workplace(t, member)
    return [] if place is None else list(_committees_of_place(t, place))


def representative_region(G: nx.MultiDiGraph, member: str):
    """Return the region of the institution where a member works, or None.

    The institution's ``region_id``, or that of the nearest institution above it
    through ``parent_id`` that has one (spec 7b).
    """
    t = check_tables(G)
    place = _workplace(t, member)
    return None if place is None else _region_of_place(t, place)


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
    return None if region is None else _level_region(check_tables(G), region, level)


def regions_above(G: nx.MultiDiGraph, region: str) -> list[str]:
    """Return a region and the regions above it (through ``parent_id``), nearest first."""
    return check_tables(G).region_chain(region)


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
    t, layer = _layer(G)
    for member in layer.representatives:
        if member in layer.contacted_by:
            continue
        inactive = int(t.idle_contacts[t.position(member)])
        fact = layer.facts(t)[member]
        place = fact.place
        committee = fact.committees[0] if fact.committees else None
        affiliation = t.get(member, "affiliation")
        hits.append(((member,), {
            "name": t.name_of(member), "status": t.get(member, "status"),
            "affiliation": None if affiliation is None else str(affiliation),
            "institution": place,
            "institution_name": None if place is None else t.name_of(place),
            "committee": committee,
            "committee_name": None if committee is None else t.name_of(committee),
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
    t, layer = _layer(G)
    for source, targets in sorted(layer.targets_of.items()):
        if len(targets) > limit:
            hits.append(((source,), {"name": t.name_of(source),
                                     "label": t.label_of(source),
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
    t, layer = _layer(G)
    return _unserved(
        _representatives_per(t, layer, lambda fact: fact.committees),
        served=lambda org: any(UNITED_FRONT_ROLES.intersection(t.roles_of(m))
                               for m in t.direct_members(org)),
        evidence=lambda org, n: {"name": t.name_of(org), "kind": t.kind_of(org),
                                 "representatives": n})


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
    t, layer = _layer(G)
    county_of = {fact.township: fact.township_county for fact in layer.facts(t).values()}

    def evidence(township, n):
        county = county_of[township]
        return {"name": t.name_of(township), "representatives": n,
                "county": county, "county_name": None if county is None else t.name_of(county)}

    load = _representatives_per(
        t, layer, lambda fact: () if fact.township is None else (fact.township,))
    if not load:
        return []
    covered = layer.townships_with_station(t)
    return _unserved(load, served=covered.__contains__, evidence=evidence)


def _representatives_per(t, layer, keys_of) -> Counter:
    """How many representatives each key (committee, township) answers for."""
    load: Counter = Counter()
    for fact in layer.facts(t).values():
        load.update(keys_of(fact))
    return load


def _unserved(load: Counter, *, served, evidence) -> list:
    """Hits ``((key,), evidence(key, load))`` for the keys ``served`` rejects, by key."""
    return [((key,), evidence(key, load[key])) for key in sorted(load) if not served(key)]


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
    t, layer = _layer(G)
    stations = layer.stations
    township_stations = None
    hits = []
    for station in stations:
        if t.level_of(station) != VILLAGE_LEVEL:
            continue
        parent = t.institution_parent(station)
        if parent is not None and t.kind_of(parent) == UNITED_FRONT_STATION_KIND \
                and t.level_of(parent) == TOWNSHIP_LEVEL:
            continue
        if township_stations is None:
            township_stations = {}
            for s in stations:
                region = t.region_of(s)
                if t.level_of(s) == TOWNSHIP_LEVEL and region is not None:
                    township_stations.setdefault(_level_region(t, region, TOWNSHIP_LEVEL), s)
        region = t.region_of(station)
        township = None if region is None else _level_region(t, region, TOWNSHIP_LEVEL)
        target = None if township is None else township_stations.get(township)
        hits.append(((station,), {
            "name": t.name_of(station),
            "parent": parent, "parent_name": None if parent is None else t.name_of(parent),
            "parent_kind": None if parent is None else t.kind_of(parent),
            "parent_level": None if parent is None else t.level_of(parent),
            "station": target, "station_name": None if target is None else t.name_of(target),
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
    t, layer = _layer(G)
    facts_of = layer.facts(t)
    for member in layer.representatives:
        active = layer.contacted_by.get(member)
        fact = facts_of[member]
        township, county, township_county = fact.township, fact.county, fact.township_county
        if township is not None and covered is None:
            covered = layer.townships_with_station(t)
        facts.append({
            "id": member, "contacted": bool(active), "county": county,
            "county_name": None if county is None else t.name_of(county),
            "township": township, "township_county": township_county,
            "township_county_name": None if township_county is None
            else t.name_of(township_county),
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

