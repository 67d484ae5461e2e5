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

import networkx as nx

from orgnet.graphmodel.schema import (
    COUNTY_LEVEL, DEFAULT_SETTINGS, STAGE_PROVIDER_KINDS, STAGES, Settings,
)
from orgnet.queries import _graph as g
from orgnet.queries.catalog import listing, named, register, vocab

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
    region = g.region_of(G, institution)
    if region is not None:
        for place in g.region_chain(G, region):
            if G._node[place].get("level") == COUNTY_LEVEL:
                return place
    return g.institution_chain(G, institution)[-1]


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
    area_of: dict[str, str] = {}      # service_area, once per institution
    county_of: dict = {}              # region -> its county-level region or None, once per region

    def area(inst):
        found = area_of.get(inst)
        if found is None:
            region = g.region_of(G, inst)
            if region is not None:
                if region not in county_of:
                    county_of[region] = next(
                        (place for place in g.region_chain(G, region)
                         if G._node[place].get("level") == COUNTY_LEVEL), None)
                found = county_of[region]
            if found is None:
                found = g.institution_chain(G, inst)[-1]
            area_of[inst] = found
        return found

    areas: dict[str, set[str]] = {}
    for row in G.graph.get("services", []):
        areas.setdefault(area(row["institution_id"]), set()).add(row["stage"])
    if not areas:
        return []
    members: dict[str, list[str]] = {}
    for inst in g.health_institutions(G):
        members.setdefault(area(inst), []).append(inst)
    hits = []
    for area, present in areas.items():
        for stage in STAGES:
            if stage in present:
                continue
            order = STAGE_PROVIDER_KINDS.get(stage, ())
            suitable = [i for i in members.get(area, []) if g.kind_of(G, i) in order]
            suitable.sort(key=lambda i: (order.index(g.kind_of(G, i)), i))
            candidates = suitable[:_MAX_CANDIDATES]
            hits.append(((area, stage), {
                "area_name": g.name_of(G, area), "area_label": G._node[area].get("label"),
                "stage": stage, "provided": [s for s in STAGES if s in present],
                "candidates": candidates,
                "candidate_names": [g.name_of(G, i) for i in candidates],
            }))
    return sorted(hits, key=lambda hit: hit[0])


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
    hits = []
    for row in G.graph.get("services", []):
        if row.get("coordinator_org_id"):
            continue
        inst = row["institution_id"]
        org = g.preferred_org(G, g.covering_orgs(G, inst))
        hits.append(((inst, row["stage"]), {
            "name": g.name_of(G, inst), "stage": row["stage"], "row": row.get("row"),
            "org": org, "org_name": None if org is None else g.name_of(G, org),
        }))
    return sorted(hits, key=lambda hit: (hit[0], hit[1]["row"] or 0))
