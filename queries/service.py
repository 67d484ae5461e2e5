"""Service checks: is the maternal and child life-cycle service chain complete and coordinated?

Spec section 7, ``service.*``.  Services rows live in ``G.graph["services"]``
(``institution_id``, ``stage``, ``coordinator_org_id``, ``row``).  Each check
returns hits ``(subject, evidence)`` sorted by subject; the evidence keys
documented on each function are the contract of the Cypher twins.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> G = new_graph()
>>> G.add_node("H1", label="Institution", name="县医院", kind="county_hospital", level="county")
>>> G.graph["services"].append({"institution_id": "H1", "stage": "delivery",
...                             "coordinator_org_id": None, "row": 2})
>>> len(stage_gaps(G)), [s for s, _ in uncoordinated_services(G)]
(6, [('H1', 'delivery')])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from orgnet.graphmodel.schema import (
    COUNTY_LEVEL, DEFAULT_SETTINGS, STAGE_PROVIDER_KINDS, STAGES, Settings,
)
from orgnet.queries.tables import check_tables
from orgnet.queries.catalog import listing, named, register, vocab

if TYPE_CHECKING:  # annotations only: networkx is imported where a graph is built
    import networkx as nx

__all__ = ["stage_gaps", "uncoordinated_services", "service_area"]

#: at most this many institutions are suggested to take a missing stage
_MAX_CANDIDATES = 3


def service_area(G: nx.MultiDiGraph, institution: str) -> str:
    """Return the service area of an institution (spec section 7, service.stage_gap).

    The area is the county-level region above the institution's region (its region
    itself when that is county level), else the top of its ``parent_id`` chain
    (the institution itself when it has no parent).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("R1", label="Region", level="county")
    >>> G.add_node("R2", label="Region", level="township")
    >>> _ = G.add_edge("R2", "R1", key="PART_OF_REGION", type="PART_OF_REGION")
    >>> G.add_node("T1", label="Institution"); G.add_node("H1", label="Institution")
    >>> _ = G.add_edge("T1", "R2", key="IN_REGION", type="IN_REGION")
    >>> G.add_node("V9", label="Institution")
    >>> _ = G.add_edge("V9", "H1", key="BELONGS_TO", type="BELONGS_TO")
    >>> service_area(G, "T1"), service_area(G, "V9")
    ('R1', 'H1')
    """
    t = check_tables(G)
    region = t.region_of(institution)
    if region is not None:
        for place in t.region_chain(region):
            if t.level_of(place) == COUNTY_LEVEL:
                return place
    return t.institution_chain(institution)[-1]


def _gap_message(subject, ev, lang):
    area = named(ev["area_name"], subject[0], lang)
    if lang == "zh":
        return f"{area}妇幼全周期服务缺少“{vocab(subject[1], lang)}”环节，无机构提供。"
    return (f"No institution in {area} provides the {vocab(subject[1], lang)} stage "
            f"of the maternal and child service chain.")


def _gap_suggestion(subject, ev, lang):
    if ev["candidates"]:
        units = listing(ev["candidate_names"], ev["candidates"], lang)
        if lang == "zh":
            return f"由{units}承担“{vocab(subject[1], lang)}”服务，并明确协同党组织。"
        return (f"Have {units} take the {vocab(subject[1], lang)} stage, "
                f"with a party organization as coordinator.")
    if lang == "zh":
        return f"区域内无适合机构，协调上级医院或妇幼保健院提供“{vocab(subject[1], lang)}”服务。"
    return (f"No suitable institution in the area: arrange for a higher-level hospital or "
            f"an MCH hospital to provide the {vocab(subject[1], lang)} stage.")


@register(
    "service.stage_gap", severity="high",
    title={"en": "Life-cycle service stage with no provider", "zh": "妇幼全周期服务环节缺失"},
    message=_gap_message, suggestion=_gap_suggestion)
def stage_gaps(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return ``(area, stage)`` pairs where an area with services lacks a stage.

    Areas are those of :func:`service_area` holding at least one services row; a
    stage (schema.STAGES) is missing when no services row of an institution of
    the area names it.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(area, stage)``, sorted as strings.  Evidence keys: ``area_name``,
        ``area_label`` (``Region`` or ``Institution``), ``stage``, ``provided``
        (the stages the area has, in life-cycle order), ``candidates``/
        ``candidate_names``: up to 3 health institutions of the area whose kind is
        listed for that stage in schema.STAGE_PROVIDER_KINDS, most suitable kind
        first, then by id.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> stage_gaps(new_graph())
    []
    """
    t = check_tables(G)
    services = t.services
    if len(services) == 0:
        return []
    area = _areas(t)
    areas: dict[str, set[str]] = {}
    for place, stage in zip(area[services["institution"].to_numpy()].tolist(),
                            services["stage"].tolist()):
        areas.setdefault(t.ids[place], set()).add(stage)
    members: dict[str, list[str]] = {}
    health = np.flatnonzero(t.is_health)
    for inst, place in sorted(zip(t.ids[health].tolist(), area[health].tolist())):
        members.setdefault(t.ids[place], []).append(inst)
    hits = []
    for place, present in areas.items():
        for stage in STAGES:
            if stage in present:
                continue
            order = STAGE_PROVIDER_KINDS.get(stage, ())
            suitable = [i for i in members.get(place, []) if t.kind_of(i) in order]
            suitable.sort(key=lambda i: (order.index(t.kind_of(i)), i))
            candidates = suitable[:_MAX_CANDIDATES]
            hits.append(((place, stage), {
                "area_name": t.name_of(place), "area_label": t.label_of(place),
                "stage": stage, "provided": [s for s in STAGES if s in present],
                "candidates": candidates,
                "candidate_names": [t.name_of(i) for i in candidates],
            }))
    return sorted(hits, key=lambda hit: hit[0])


def _areas(t) -> np.ndarray:
    """Per institution: the position of its :func:`service_area` (whole columns).

    The county-level region at or above its region, else the top of its
    ``parent_id`` chain (itself when it has none).
    """
    county = np.full(t.size, -1, dtype=np.int64)       # per region: county at or above
    known = np.zeros(t.size, dtype=bool)
    parent, level = t.parent_list(), t.level
    for region in np.flatnonzero(t.is_region).tolist():
        path, seen, node, found = [], set(), region, -1
        while node >= 0 and node not in seen:        # memoized walk up: linear in all
            if known[node]:
                found = int(county[node])
                break
            if level[node] == COUNTY_LEVEL:
                path.append(node)
                found = node
                break
            path.append(node)
            seen.add(node)
            node = parent[node]
        county[path] = found
        known[path] = True
    area = np.full(t.size, -1, dtype=np.int64)
    inst = t.is_institution
    has_region = inst & (t.region >= 0)
    area[has_region] = county[t.region[has_region]]
    top = t.tops()                                       # top of the parent_id chain
    missing = inst & (area < 0)
    area[missing] = top[missing]
    return area


def _coordinator_message(subject, ev, lang):
    unit = named(ev["name"], subject[0], lang)
    if lang == "zh":
        return f"{unit}的“{vocab(subject[1], lang)}”服务未明确协同党组织。"
    return f"The {vocab(subject[1], lang)} service of {unit} has no coordinating party organization."


def _coordinator_suggestion(subject, ev, lang):
    if ev["org"] is not None:
        org = named(ev["org_name"], ev["org"], lang)
        if lang == "zh":
            return f"明确{org}为该服务的协同党组织。"
        return f"Name {org}, which covers the institution, as its coordinator."
    if lang == "zh":
        return "该机构尚无党组织覆盖：先建立党组织，再明确协同党组织。"
    return "No party organization covers the institution: cover it first, then name a coordinator."


@register(
    "service.no_coordinator", severity="low",
    title={"en": "Service without a coordinating party organization", "zh": "服务环节未明确协同党组织"},
    message=_coordinator_message, suggestion=_coordinator_suggestion)
def uncoordinated_services(G: nx.MultiDiGraph, settings: Settings = DEFAULT_SETTINGS) -> list:
    """Return the services rows with no ``coordinator_org_id``.

    Returns
    -------
    list of (subject, evidence)
        Subject ``(institution, stage)``, sorted as strings (then by row).
        Evidence keys: ``name`` (institution), ``stage``, ``row`` (the services
        row), ``org``/``org_name``: the org covering the institution to name
        (branch-tier kinds first, then general branch, committee; ties by id), or None.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> uncoordinated_services(new_graph())
    []
    """
    t = check_tables(G)
    services = t.services
    hits = []
    for inst, stage, coordinator, row in zip(
            services["institution_id"].tolist(), services["stage"].tolist(),
            services["coordinator_org_id"].tolist(), services["row"].tolist()):
        if coordinator:
            continue
        org = t.preferred_org(t.covering_orgs(inst))
        hits.append(((inst, stage), {
            "name": t.name_of(inst), "stage": stage, "row": row,
            "org": org, "org_name": None if org is None else t.name_of(org),
        }))
    return sorted(hits, key=lambda hit: (hit[0], hit[1]["row"] or 0))
