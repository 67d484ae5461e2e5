"""Research metrics: one row per institution, and a few numbers for the whole network.

Network measures are computed on the unit network of spec section 6
(:func:`orgnet.graphmodel.embedded.unit_network`); party and referral measures on the
embedded graph.  Referral volumes are sums of active ``count`` (rows with
count 0 are ignored, as everywhere); *up* means to a higher level.

Betweenness is exact on networks of up to ``exact_limit`` institutions; above
that it is networkx's ``k``-sample approximation with a fixed seed, so repeated
runs give the same numbers.  Which one was used is recorded in
``frame.attrs["betweenness"]`` and in :func:`network_metrics`.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph, add_link
>>> from orgnet.graphmodel.schema import INSTITUTION
>>> G = new_graph()
>>> G.add_node("H", label=INSTITUTION, name="县医院", kind="county_hospital", level="county")
>>> G.add_node("T", label=INSTITUTION, name="卫生院", kind="township_health_center", level="township")
>>> add_link(G, "T", "H", link_type="referral", link_index=0, count=7)
>>> frame = institution_metrics(G)
>>> row = frame.loc["T"]
>>> int(row.degree), int(row.weighted_degree), int(row.referrals_out_up), row.coverage
(1, 7, 7, 'uncovered')
>>> network_metrics(G)["referrals_up"]
7
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from orgnet.graphmodel.schema import (
    COVERS, HEALTH_KINDS, PARTY_MEMBER_STATUSES, WORKS_AT, ZH,
    level_rank,
)
from orgnet.queries.connectivity import (
    active_links, cached_unit_network, component_structure, institution_nodes, memoized,
)
from orgnet.queries.referral import referral_pairs
from orgnet.queries.runner import own_branch_institutions

__all__ = ["institution_metrics", "network_metrics", "COLUMNS", "column_titles",
           "COVERED", "UNCOVERED", "NOT_HEALTH", "OWN", "JOINT", "NONE"]

#: coverage status values
COVERED, UNCOVERED, NOT_HEALTH = "covered", "uncovered", "not-health"
#: organizational form values: an org of its own (单独组建, as the summary's own-branch
#: rate reads it: :func:`orgnet.queries.runner.own_branch_institutions`), covered only
#: jointly (a joint branch, a parent's branch, a group), or not covered
OWN, JOINT, NONE = "own", "joint", "none"

#: column -> (English description, Chinese header)
COLUMNS = {
    "id": ("institution id", "编号"),
    "name": ("name", "名称"),
    "kind": ("institution kind", "类型"),
    "level": ("level", "层级"),
    "region": ("region id (the institution's, else the nearest one above it)", "所属区域"),
    "county": ("county-level region at or above that region", "所属县"),
    "parent": ("parent_id institution", "上级编号"),
    "degree": ("neighbours in the unit network", "联系机构数"),
    "weighted_degree": ("sum of the counts of the active link rows giving it an edge", "联系频次"),
    "betweenness": ("betweenness centrality (normalized)", "中介中心性"),
    "core_number": ("k-core number", "核数"),
    "component": ("connected component (0 = the largest)", "连通分量"),
    "coverage": ("covered / uncovered / not-health", "组织覆盖"),
    "org_form": ("own / joint / none", "组建方式"),
    "party_members": ("full and probationary members working there", "党员人数"),
    "referrals_out_up": ("referrals sent to higher levels", "上转人次"),
    "referrals_out_down": ("referrals sent to lower levels", "下转人次"),
    "referrals_in_up": ("referrals received from lower levels", "接收上转人次"),
    "referrals_in_down": ("referrals received from higher levels", "接收下转人次"),
}
_VALUE_ZH = {COVERED: "已覆盖", UNCOVERED: "未覆盖", NOT_HEALTH: "非医疗机构",
             OWN: "单独组建", JOINT: "联合组建", NONE: "未组建"}


def column_titles(lang: str = "en") -> dict:
    """Return ``{column: header}`` for output in a language (``en`` keeps the keys).

    Examples
    --------
    >>> column_titles("zh")["referrals_out_up"]
    '上转人次'
    """
    return {key: (key if lang == "en" else zh) for key, (_, zh) in COLUMNS.items()}


def institution_metrics(G: nx.MultiDiGraph, *, exact_limit: int = 2000,
                        betweenness_k: int = 200, seed: int = 0,
                        lang: str = "en") -> pd.DataFrame:
    """Return one row of metrics per institution, indexed by id.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph.
    exact_limit : int
        Betweenness is exact for unit networks of at most this many institutions.
    betweenness_k : int
        Sample size of the approximation used above ``exact_limit``.
    seed : int
        Seed of that sample.
    lang : {"en", "zh"}
        ``zh`` translates the kind, level, coverage and org_form values (the
        column keys stay; see :func:`column_titles` for headers).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS` (``id`` is the index).
        ``attrs["betweenness"]`` is ``{"method": "exact"}`` or
        ``{"method": "approximate", "k": k, "seed": seed}``.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> institution_metrics(new_graph()).shape
    (0, 18)
    """
    U = cached_unit_network(G)
    institutions = institution_nodes(G)
    counts = {data["link_index"]: int(data.get("count", 1)) for _, _, data in active_links(G)}
    weighted = {}
    for node in U:
        rows = set()
        for neighbour in U[node]:
            rows.update(U._adj[node][neighbour].get("links", ()))
        weighted[node] = sum(counts.get(i, 0) for i in rows)
    n = U.number_of_nodes()
    if n <= exact_limit:
        betweenness = nx.betweenness_centrality(U) if n else {}
        method = {"method": "exact"}
    else:
        k = min(betweenness_k, n)
        betweenness = nx.betweenness_centrality(U, k=k, seed=seed)
        method = {"method": "approximate", "k": k, "seed": seed}
    cores = nx.core_number(U) if n else {}
    component = {node: i for i, nodes in enumerate(
        memoized(U, "component_structure", component_structure)["components"]) for node in nodes}
    flows = _referral_flows(G)
    own = own_branch_institutions(G)
    from orgnet.queries.planner import Places

    places = Places(G)
    rows = []
    for node, data in institutions:
        kinds = [G.nodes[o].get("kind") for o, _, k in G.in_edges(node, keys=True) if k == COVERS]
        health = data.get("kind") in HEALTH_KINDS
        coverage = (COVERED if kinds else UNCOVERED) if health else NOT_HEALTH
        form = OWN if node in own else (JOINT if kinds else NONE)
        members = sum(1 for m, _, k in G.in_edges(node, keys=True)
                      if k == WORKS_AT and G.nodes[m].get("status") in PARTY_MEMBER_STATUSES)
        flow = flows.get(node, {})
        rows.append({
            "id": node, "name": data.get("name"), "kind": data.get("kind"),
            "level": data.get("level"), "region": places.region(node),
            "county": _county(G, places.region(node)),
            "parent": places.parent(node),
            "degree": U.degree(node), "weighted_degree": weighted.get(node, 0),
            "betweenness": betweenness.get(node, 0.0), "core_number": cores.get(node, 0),
            "component": component.get(node, -1),
            "coverage": coverage, "org_form": form, "party_members": members,
            "referrals_out_up": flow.get("out_up", 0), "referrals_out_down": flow.get("out_down", 0),
            "referrals_in_up": flow.get("in_up", 0), "referrals_in_down": flow.get("in_down", 0),
        })
    frame = pd.DataFrame(rows, columns=list(COLUMNS)).set_index("id")
    if lang == "zh":
        for column in ("kind", "level"):
            frame[column] = frame[column].map(lambda v: ZH.get(v, v))
        for column in ("coverage", "org_form"):
            frame[column] = frame[column].map(lambda v: _VALUE_ZH.get(v, v))
    frame.attrs["betweenness"] = method
    return frame


def _county(G, region):
    """The county-level region at or above a region (None when there is none)."""
    from orgnet.graphmodel.schema import COUNTY_LEVEL, REGION_PARENT

    seen = set()
    while region is not None and region not in seen:
        seen.add(region)
        if G.nodes[region].get("level") == COUNTY_LEVEL:
            return region
        region = next((t for t, keys in G._adj[region].items() if REGION_PARENT in keys), None)
    return None


def network_metrics(G: nx.MultiDiGraph, frame: pd.DataFrame | None = None) -> dict:
    """Return whole-network metrics.

    Keys: ``institutions``, ``edges`` (of the unit network), ``density``,
    ``components``, ``largest_component_size``, ``isolated_institutions``,
    ``referrals_up`` / ``referrals_down`` / ``referrals_same_level`` (sums of
    active counts), ``up_down_ratio`` (up / down; None without downward
    referrals), ``leapfrog_share`` (share of the upward volume that climbs two
    or more levels at once; None without upward referrals), and
    ``betweenness`` (how :func:`institution_metrics` computed it, when its
    ``frame`` is passed).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> network_metrics(new_graph())["components"]
    0
    """
    U = cached_unit_network(G)
    components = memoized(U, "component_structure", component_structure)["components"]
    up = down = same = leap = 0
    rank = {node: level_rank(data.get("level")) for node, data in institution_nodes(G)}
    for (a, b), pair in referral_pairs(G).items():
        climb = rank[b] - rank[a]
        if climb > 0:
            up += pair["count"]
            if climb >= 2:
                leap += pair["count"]
        elif climb < 0:
            down += pair["count"]
        else:
            same += pair["count"]
    result = {
        "institutions": U.number_of_nodes(),
        "edges": U.number_of_edges(),
        "density": nx.density(U) if U.number_of_nodes() > 1 else 0.0,
        "components": len(components),
        "largest_component_size": len(components[0]) if components else 0,
        "isolated_institutions": sum(1 for neighbours in U._adj.values() if not neighbours),
        "referrals_up": up,
        "referrals_down": down,
        "referrals_same_level": same,
        "up_down_ratio": (up / down) if down else None,
        "leapfrog_share": (leap / up) if up else None,
    }
    if frame is not None and "betweenness" in frame.attrs:
        result["betweenness"] = frame.attrs["betweenness"]
    return result


def _referral_flows(G) -> dict:
    """institution -> {out_up, out_down, in_up, in_down}: sums of active referral counts."""
    rank = {node: level_rank(data.get("level")) for node, data in institution_nodes(G)}
    flows: dict = {}
    for (a, b), pair in referral_pairs(G).items():
        if rank[a] == rank[b]:
            continue
        way = "up" if rank[b] > rank[a] else "down"
        for node, key in ((a, f"out_{way}"), (b, f"in_{way}")):
            entry = flows.setdefault(node, {})
            entry[key] = entry.get(key, 0) + pair["count"]
    return flows
