"""Referral checks: is every grassroots health institution in the two-way referral chain?

The four checks of the ``referral`` family (spec section 7) read the active
referral links of the embedded graph (``count != 0``; several rows between the
same two institutions count as one referral pair whose ``count`` is their sum).
Levels compare with :func:`orgnet.graphmodel.schema.level_rank`; an *upward referral*
is a referral to an institution of a higher level.

Suggested partners
------------------
Where a check suggests whom to refer to, the *upward target* of an institution
X is the first institution up X's ``parent_id`` chain whose level is higher
than X's; else the county hospital (kind ``county_hospital``, smallest id) of
X's area -- the county-level region at or above X's region; else nothing
(the suggestion then stays general).  See :func:`upward_target`.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph, add_link
>>> from orgnet.graphmodel.schema import INSTITUTION
>>> G = new_graph()
>>> G.add_node("H", label=INSTITUTION, name="县医院", kind="county_hospital", level="county")
>>> G.add_node("V", label=INSTITUTION, name="村卫生室", kind="village_clinic", level="village", parent_id="H")
>>> add_link(G, "V", "H", link_type="referral", link_index=0, count=5)
>>> [s for s, _ in leapfrog_referrals(G)], [s for s, _ in one_way_referrals(G)]
([('V', 'H')], [('V', 'H')])
"""

from __future__ import annotations

from collections import deque

from orgnet.graphmodel.schema import (
    COUNTY_HOSPITAL_KIND, COUNTY_LEVEL, DEFAULT_SETTINGS, HEALTH_KINDS, INSTITUTION,
    REFERRAL_LINK, REGION, level_rank,
)
from orgnet.queries.catalog import named, register, vocab
from orgnet.queries.connectivity import active_links, institution_nodes, memoized, without_gc

__all__ = [
    "institutions_without_upward_referral", "broken_referral_chains",
    "leapfrog_referrals", "one_way_referrals",
    "referral_pairs", "upward_target", "county_region_of",
]

COUNTY = level_rank(COUNTY_LEVEL)


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------
def _who(evidence, node, lang):
    return named(evidence.get("names", {}).get(node), node, lang)


def _no_upward_message(subject, evidence, lang):
    who = _who(evidence, subject[0], lang)
    if lang == "zh":
        return f"{vocab(evidence['level'], lang)}级机构{who}没有向上级机构转诊的记录，未进入双向转诊链条。"
    return f"{who} ({evidence['level']} level) has no referral to a higher-level institution: it is outside the referral chain."


def _no_upward_suggestion(subject, evidence, lang):
    who, target = _who(evidence, subject[0], lang), evidence.get("target")
    if target is None:
        if lang == "zh":
            return f"为{who}建立与上级卫生院的双向转诊渠道（上转并回转）。"
        return f"Set up two-way referrals (up, and back down) between {who} and a higher-level health center."
    reason = evidence["target_reason"]
    name = _who(evidence, target, lang)
    if reason != "parent" and level_rank(evidence.get("level")) < level_rank(COUNTY_LEVEL) - 1:
        # straight from a village to the county would skip a level (referral.leapfrog)
        if lang == "zh":
            return f"建立{who}经乡镇卫生院转往{name}的双向转诊渠道（上转并回转），不越级。"
        return (f"Set up two-way referrals (up, and back down) from {who} through a township "
                f"health center to {name}, without skipping a level.")
    if lang == "zh":
        why = "其上级机构" if reason == "parent" else "所在县的县级医院"
        return f"建立{who}与{why}{name}之间的双向转诊渠道（上转并回转）。"
    why = "its parent institution" if reason == "parent" else "the county hospital of its area"
    return f"Set up two-way referrals (up, and back down) between {who} and {why}, {name}."


@register(
    "referral.no_upward_referral", severity="high",
    title={"en": "No upward referral", "zh": "无向上转诊"},
    message=_no_upward_message, suggestion=_no_upward_suggestion,
)
@without_gc
def institutions_without_upward_referral(G, settings=DEFAULT_SETTINGS):
    """Return hits for health institutions below county level with no upward referral.

    Evidence keys: ``level``, ``kind``, ``referrals_out`` (number of active
    referral pairs it sends, none of them upward), ``target`` / ``target_reason``
    (its :func:`upward_target`, None when there is none) and ``names``
    ({id: name} of the subject and the target).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("T", label=INSTITUTION, name="卫生院", kind="township_health_center", level="township")
    >>> institutions_without_upward_referral(G)[0][0]
    ('T',)
    """
    ref = memoized(G, "referrals", _referral_tables)
    hits = []
    for node in ref["low_health"]:
        if ref["up"].get(node):
            continue
        target, reason = upward_target(G, node, ref["county_hospitals"])
        hits.append(((node,), {
            "level": G.nodes[node].get("level"), "kind": G.nodes[node].get("kind"),
            "referrals_out": len(ref["out"].get(node, ())),
            "target": target, "target_reason": reason,
            "names": _name_map(G, [node, target]),
        }))
    return hits


def _broken_message(subject, evidence, lang):
    who = _who(evidence, subject[0], lang)
    ends = [_who(evidence, b, lang) for b in evidence["break_at"]]
    if lang == "zh":
        return f"{who}的向上转诊链条在{'、'.join(ends)}中断，无法到达县级及以上医院。"
    return f"The upward referral chain from {who} stops at {', '.join(ends)} and never reaches a county-level or higher institution."


def _broken_suggestion(subject, evidence, lang):
    hops = evidence["missing_hops"]
    if not hops:
        ends = [_who(evidence, b, lang) for b in evidence["break_at"]]
        if lang == "zh":
            return f"为{'、'.join(ends)}建立与县级医院的双向转诊渠道（上转并回转）。"
        return f"Set up two-way referrals (up, and back down) between {', '.join(ends)} and a county-level hospital."
    parts = [f"{_who(evidence, a, lang)} → {_who(evidence, b, lang)}" for a, b in hops]
    if lang == "zh":
        return f"补上缺失的转诊环节（上转并回转）：{'；'.join(parts)}。"
    return f"Add the missing referral hop, both ways (up, and back down): {'; '.join(parts)}."


@register(
    "referral.broken_chain", severity="high",
    title={"en": "Broken referral chain", "zh": "转诊链条中断"},
    message=_broken_message, suggestion=_broken_suggestion,
)
@without_gc
def broken_referral_chains(G, settings=DEFAULT_SETTINGS):
    """Return hits for upward chains that never reach county level.

    A health institution below county level with upward referrals, from which
    no county-or-higher institution is reachable by upward referrals.

    Evidence keys: ``level``, ``break_at`` (sorted ids of the reachable
    institutions that refer no further up), ``missing_hops`` (``[from, to]``
    for each ``break_at`` institution that has an :func:`upward_target`, in
    ``break_at`` order) and ``names`` ({id: name} of everything named).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph()
    >>> G.add_node("H", label=INSTITUTION, name="县医院", kind="county_hospital", level="county")
    >>> G.add_node("T", label=INSTITUTION, name="卫生院", kind="township_health_center", level="township", parent_id="H")
    >>> G.add_node("V", label=INSTITUTION, name="村卫生室", kind="village_clinic", level="village", parent_id="T")
    >>> add_link(G, "V", "T", link_type="referral", link_index=0)
    >>> [(s, e["break_at"], e["missing_hops"]) for s, e in broken_referral_chains(G)]
    [(('V',), ['T'], [['T', 'H']])]
    """
    ref = memoized(G, "referrals", _referral_tables)
    up, rank = ref["up"], ref["rank"]
    hits = []
    for node in ref["low_health"]:
        if not up.get(node):
            continue
        seen = {node}
        queue = deque([node])
        reaches = False
        ends = []
        while queue and not reaches:
            current = queue.popleft()
            targets = up.get(current, ())
            if not targets and current != node:
                ends.append(current)
            for target in targets:
                if rank[target] >= COUNTY:
                    reaches = True
                    break
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        if reaches:
            continue
        ends.sort()
        hops = []
        for end in ends:
            target, _ = upward_target(G, end, ref["county_hospitals"])
            if target is not None:
                hops.append([end, target])
        hits.append(((node,), {
            "level": G.nodes[node].get("level"),
            "break_at": ends,
            "missing_hops": hops,
            "names": _name_map(G, [node, *ends, *(b for _, b in hops)]),
        }))
    return hits


def _leapfrog_message(subject, evidence, lang):
    a, b = (_who(evidence, n, lang) for n in subject)
    la, lb = evidence["levels"]
    if lang == "zh":
        return f"{a}（{vocab(la, lang)}级）越级直接转诊到{b}（{vocab(lb, lang)}级），共{evidence['count']}人次。"
    return f"{a} ({la}) refers straight to {b} ({lb}), skipping a level ({evidence['count']} referral(s))."


def _leapfrog_suggestion(subject, evidence, lang):
    a, b = (_who(evidence, n, lang) for n in subject)
    via = evidence.get("via")
    if via is None:
        if lang == "zh":
            return f"引导{a}先转诊至中间层级的机构（如乡镇卫生院），再由其转往{b}。"
        return f"Route referrals from {a} through an intermediate-level institution (such as its township health center) before {b}."
    if lang == "zh":
        return f"引导{a}经由其上级机构{_who(evidence, via, lang)}转诊，再由其转往{b}，落实分级诊疗。"
    return f"Route referrals from {a} through its parent institution {_who(evidence, via, lang)}, which then refers on to {b}."


@register(
    "referral.leapfrog", severity="low",
    title={"en": "Referral skipping a level", "zh": "越级转诊"},
    message=_leapfrog_message, suggestion=_leapfrog_suggestion,
)
@without_gc
def leapfrog_referrals(G, settings=DEFAULT_SETTINGS):
    """Return hits for referrals A → B that climb two or more levels at once.

    Evidence keys: ``levels`` ([A's level, B's level]), ``count`` (sum of the
    counts of the A → B rows), ``links`` (their sorted link indices), ``via``
    (the first institution up A's ``parent_id`` chain whose level lies strictly
    between A's and B's, or None) and ``names``.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph()
    >>> G.add_node("H", label=INSTITUTION, name="县医院", level="county")
    >>> G.add_node("T", label=INSTITUTION, name="卫生院", level="township")
    >>> add_link(G, "T", "H", link_type="referral", link_index=0)
    >>> leapfrog_referrals(G)      # one level only
    []
    """
    ref = memoized(G, "referrals", _referral_tables)
    rank = ref["rank"]
    hits = []
    for (a, b), pair in sorted(ref["pairs"].items()):
        if rank[b] - rank[a] < 2:
            continue
        via = _ancestor(G, a, lambda p: rank[a] < level_rank(G.nodes[p].get("level")) < rank[b])
        hits.append(((a, b), {
            "levels": [G.nodes[a].get("level"), G.nodes[b].get("level")],
            "count": pair["count"], "links": pair["links"], "via": via,
            "names": _name_map(G, [a, b, via]),
        }))
    return hits


def _one_way_message(subject, evidence, lang):
    a, b = (_who(evidence, n, lang) for n in subject)
    if lang == "zh":
        direction = "向上" if evidence["direction"] == "up" else "向下"
        return f"{a}{direction}转诊至{b}（{evidence['count']}人次），但{b}没有向{a}的回转记录，转诊是单向的。"
    return (f"{a} refers {evidence['direction']} to {b} ({evidence['count']} referral(s)) but {b} "
            f"never refers back: referral is one-way.")


def _one_way_suggestion(subject, evidence, lang):
    a, b = (_who(evidence, n, lang) for n in subject)
    if lang == "zh":
        back = "下转（康复期患者回转基层）" if evidence["direction"] == "up" else "上转"
        return f"建立{b}向{a}的{back}渠道，形成双向转诊。"
    back = "downward (patients back for recovery)" if evidence["direction"] == "up" else "upward"
    return f"Add the reverse referral {b} → {a} ({back}) so that referral runs both ways."


@register(
    "referral.one_way", severity="medium",
    title={"en": "One-way referral", "zh": "单向转诊"},
    message=_one_way_message, suggestion=_one_way_suggestion,
)
@without_gc
def one_way_referrals(G, settings=DEFAULT_SETTINGS):
    """Return hits for referrals A → B between different levels with no referral B → A.

    Evidence keys: ``levels`` ([A's level, B's level]), ``direction`` (``up``
    or ``down``, from A to B), ``count`` (sum of A → B counts), ``links`` (their
    sorted link indices) and ``names``.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph()
    >>> G.add_node("H", label=INSTITUTION, name="县医院", level="county")
    >>> G.add_node("T", label=INSTITUTION, name="卫生院", level="township")
    >>> add_link(G, "T", "H", link_type="referral", link_index=0, count=4)
    >>> [(s, e["direction"], e["count"]) for s, e in one_way_referrals(G)]
    [(('T', 'H'), 'up', 4)]
    """
    ref = memoized(G, "referrals", _referral_tables)
    rank, pairs = ref["rank"], ref["pairs"]
    hits = []
    for (a, b), pair in sorted(pairs.items()):
        if rank[a] == rank[b] or (b, a) in pairs:
            continue
        hits.append(((a, b), {
            "levels": [G.nodes[a].get("level"), G.nodes[b].get("level")],
            "direction": "up" if rank[b] > rank[a] else "down",
            "count": pair["count"], "links": pair["links"],
            "names": _name_map(G, [a, b]),
        }))
    return hits


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------
def referral_pairs(G) -> dict:
    """Return the active referral pairs: ``{(source, target): {"count", "links"}}``.

    ``count`` is the sum over the pair's rows with ``count != 0``; ``links``
    their sorted link indices.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph(); G.add_node("a"); G.add_node("b")
    >>> add_link(G, "a", "b", link_type="referral", link_index=0, count=2)
    >>> add_link(G, "a", "b", link_type="referral", link_index=1, count=3)
    >>> add_link(G, "b", "a", link_type="referral", link_index=2, count=0)
    >>> referral_pairs(G)
    {('a', 'b'): {'count': 5, 'links': [0, 1]}}
    """
    counts: dict = {}
    rows: dict = {}
    for source, target, data in active_links(G):
        if data["link_type"] != REFERRAL_LINK:
            continue
        key = (source, target)
        counts[key] = counts.get(key, 0) + int(data.get("count", 1))
        found = rows.get(key)
        if found is None:
            rows[key] = [data["link_index"]]
        else:
            found.append(data["link_index"])
    return {key: {"count": count, "links": rows[key]} for key, count in counts.items()}


def upward_target(G, node: str, county_hospitals: dict | None = None) -> tuple[str | None, str | None]:
    """Return the institution ``node`` should refer up to, and why.

    The first institution up its ``parent_id`` chain with a higher level
    (reason ``parent``); else the smallest-id county hospital of its area, the
    county-level region at or above its region (reason ``area``);
    else ``(None, None)``.  ``county_hospitals`` ({county region: sorted county
    hospitals in it}) may be passed by callers that look up many institutions.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> from orgnet.graphmodel.schema import INSTITUTION, REGION
    >>> G = new_graph()
    >>> G.add_node("R", label=REGION, level="county"); G.add_node("R2", label=REGION, level="township", parent_id="R")
    >>> G.add_node("H", label=INSTITUTION, kind="county_hospital", level="county", region_id="R")
    >>> G.add_node("V", label=INSTITUTION, kind="village_clinic", level="village", region_id="R2")
    >>> upward_target(G, "V")
    ('H', 'area')
    """
    rank = level_rank(G.nodes[node].get("level"))
    parent = _ancestor(G, node, lambda p: level_rank(G.nodes[p].get("level")) > rank)
    if parent is not None:
        return parent, "parent"
    county = county_region_of(G, G.nodes[node].get("region_id"))
    if county is not None:
        if county_hospitals is None:
            county_hospitals = _county_hospitals(G)
        hospitals = county_hospitals.get(county, [])
        for hospital in hospitals:
            if hospital != node and level_rank(G.nodes[hospital].get("level")) > rank:
                return hospital, "area"
    return None, None


def county_region_of(G, region: str | None) -> str | None:
    """Return the county-level region at or above ``region`` (None if there is none).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> from orgnet.graphmodel.schema import REGION
    >>> G = new_graph(); G.add_node("C", label=REGION, level="county")
    >>> G.add_node("T", label=REGION, level="township", parent_id="C")
    >>> county_region_of(G, "T"), county_region_of(G, None)
    ('C', None)
    """
    seen = set()
    while region is not None and region in G and region not in seen:
        seen.add(region)
        data = G.nodes[region]
        if data.get("label") == REGION and data.get("level") == COUNTY_LEVEL:
            return region
        region = data.get("parent_id")
    return None


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def _referral_tables(G) -> dict:
    """Everything the referral checks share, built once per graph."""
    institutions = institution_nodes(G)
    rank = {node: level_rank(data.get("level")) for node, data in institutions}
    pairs = referral_pairs(G)
    out: dict = {}
    up: dict = {}
    for source, target in pairs:
        out.setdefault(source, []).append(target)
        if rank[target] > rank[source]:
            up.setdefault(source, []).append(target)
    low_health = [node for node, data in institutions
                  if data.get("kind") in HEALTH_KINDS and rank[node] < COUNTY]
    return {"rank": rank, "pairs": pairs, "out": out, "up": up, "low_health": low_health,
            "county_hospitals": _county_hospitals(G)}


def _county_hospitals(G) -> dict:
    """county region id -> sorted county hospitals whose region lies in it."""
    found: dict = {}
    for node, data in institution_nodes(G):
        if data.get("kind") == COUNTY_HOSPITAL_KIND:
            county = county_region_of(G, data.get("region_id"))
            if county is not None:
                found.setdefault(county, []).append(node)
    return found


def _ancestor(G, node: str, accept) -> str | None:
    """Return the first institution up ``node``'s parent_id chain that ``accept`` takes."""
    seen = {node}
    parent = G.nodes[node].get("parent_id")
    while parent is not None and parent in G and parent not in seen:
        if accept(parent):
            return parent
        seen.add(parent)
        parent = G.nodes[parent].get("parent_id")
    return None


def _name_map(G, ids) -> dict:
    return {i: G.nodes[i].get("name") for i in ids if i is not None}
