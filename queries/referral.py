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
    COUNTY_HOSPITAL_KIND, COUNTY_LEVEL, DEFAULT_SETTINGS, INSTITUTION, REFERRAL_LINK, REGION,
    level_rank,
)
import numpy as np

from orgnet.queries.catalog import named, register, vocab
from orgnet.queries.connectivity import without_gc
from orgnet.queries.tables import _CSR, check_tables

__all__ = [
    "institutions_without_upward_referral", "broken_referral_chains",
    "leapfrog_referrals", "one_way_referrals",
    "referral_pairs", "upward_target", "chain_ends", "county_region_of",
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
    t, ref = _referral_tables(G)
    hits = []
    for node in t.sorted_ids(ref["low_health"] & (ref["up"].counts() == 0)):
        target, reason = upward_target(t, node, ref["county_hospitals"])
        hits.append(((node,), {
            "level": t.level_of(node), "kind": t.kind_of(node),
            "referrals_out": int(ref["out"][t.position(node)]),
            "target": target, "target_reason": reason,
            "names": _name_map(t, [node, target]),
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
    t, ref = _referral_tables(G)
    # Whether each institution reaches county level, for all at once: upward pairs climb
    # strictly, so sources taken level by level from the top see their targets settled.
    # Only the few that do not reach are walked below (for their break points).
    p, rank_column = _pair_columns(t), ref["rank_column"]
    climbs = ref["climb"] > 0
    source, target = p.a[climbs], p.b[climbs]
    reaches = np.zeros(t.size, dtype=bool)
    level = rank_column[source]
    for r in sorted(set(level.tolist()), reverse=True):
        at = level == r
        ahead = target[at]
        reaches[source[at][(rank_column[ahead] >= COUNTY) | reaches[ahead]]] = True
    up = ref["up"]
    walked = t.is_health & (rank_column < COUNTY) & ~reaches & (up.counts() > 0)
    hits = []
    for node in t.sorted_ids(walked):
        # everything reachable upwards (none of it reaches county level): the break
        # points are the reachable institutions that refer no further up
        ends = chain_ends(t.position(node), lambda current: up.of(current).tolist())
        ends = sorted(t.ids[ends].tolist()) if ends else []
        hops = []
        for end in ends:
            target, _ = upward_target(t, end, ref["county_hospitals"])
            if target is not None:
                hops.append([end, target])
        hits.append(((node,), {
            "level": t.level_of(node),
            "break_at": ends,
            "missing_hops": hops,
            "names": _name_map(t, [node, *ends, *(b for _, b in hops)]),
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
    t, ref = _referral_tables(G)
    rank = ref["rank_column"]
    pairs = _pair_columns(t)
    hits = []
    for (a, b), k in _pair_hits(t, pairs, ref["climb"] >= 2):
        pair = pairs.entry(k)
        low, high = rank[pairs.a[k]], rank[pairs.b[k]]
        via = _ancestor(t, a, lambda p: low < level_rank(t.level_of(p)) < high)
        hits.append(((a, b), {
            "levels": [t.level_of(a), t.level_of(b)],
            "count": pair["count"], "links": pair["links"], "via": via,
            "names": _name_map(t, [a, b, via]),
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
    t, ref = _referral_tables(G)
    pairs = _pair_columns(t)
    back = pairs.has(pairs.b * t.size + pairs.a)
    hits = []
    for (a, b), k in _pair_hits(t, pairs, (ref["climb"] != 0) & ~back):
        pair = pairs.entry(k)
        hits.append(((a, b), {
            "levels": [t.level_of(a), t.level_of(b)],
            "direction": "up" if ref["climb"][k] > 0 else "down",
            "count": pair["count"], "links": pair["links"],
            "names": _name_map(t, [a, b]),
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
    t = check_tables(G)
    if "referral_pairs" not in t.memo:
        t.memo["referral_pairs"] = _pairs(t)
    return t.memo["referral_pairs"]


class _Pairs:
    """The active referral pairs as columns, one row per (source, target) in the order
    of each pair's first links-table row: ``a``, ``b`` (positions), ``count`` (sum),
    and the pair's link indices ``rows[start[k]:end[k]]`` (links-table order)."""

    def __init__(self, t):
        links = t.links
        referral = t.link_is(REFERRAL_LINK)
        source = links["source"].to_numpy()[referral]
        target = links["target"].to_numpy()[referral]
        key = source * t.size + target
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else \
            np.zeros(0, dtype=np.int64)
        ends = np.r_[starts[1:], len(key)].astype(np.int64)
        sums = np.add.reduceat(links["count"].to_numpy()[referral][order], starts) \
            if len(key) else np.zeros(0, dtype=np.int64)
        first = order[starts]
        groups = np.argsort(first, kind="stable")
        self.a, self.b = source[first][groups], target[first][groups]
        self.count = sums[groups]
        self.start, self.end = starts[groups], ends[groups]
        self.rows = links["link_index"].to_numpy()[referral][order]
        self.key = self.a * t.size + self.b
        self.sorted_key = key[starts]       # the distinct keys, increasing

    def has(self, keys: np.ndarray) -> np.ndarray:
        """Boolean column: the ``a * size + b`` key is a pair (a binary search:
        ``np.isin`` hashes both columns)."""
        if not len(self.sorted_key):
            return np.zeros(len(keys), dtype=bool)
        at = np.minimum(np.searchsorted(self.sorted_key, keys), len(self.sorted_key) - 1)
        return self.sorted_key[at] == keys

    def __len__(self):
        return len(self.a)

    def entry(self, k: int) -> dict:
        return {"count": int(self.count[k]),
                "links": self.rows[self.start[k]:self.end[k]].tolist()}


def _pair_columns(t) -> _Pairs:
    if "referral pair columns" not in t.memo:
        t.memo["referral pair columns"] = _Pairs(t)
    return t.memo["referral pair columns"]


def _pairs(t) -> dict:
    """referral_pairs as a dict, from :class:`_Pairs`."""
    p = _pair_columns(t)
    ids = t.ids
    return {(a, b): p.entry(k) for k, (a, b) in enumerate(zip(ids[p.a].tolist(), ids[p.b].tolist()))}


def chain_ends(start, targets_of) -> list:
    """Return where the upward chains from ``start`` stop: every institution reachable
    from it (breadth first, ``targets_of(x)`` the next hops of ``x``) that refers no further.

    The break points of a broken referral chain, shared by the check and by the
    resilience predictions (which walk the chains with a unit removed).

    Examples
    --------
    >>> chain_ends("V", {"V": ["T1", "T2"], "T1": ["T2"], "T2": []}.get)
    ['T2']
    >>> chain_ends("V", {"V": []}.get)
    []
    """
    seen, queue, ends = {start}, deque([start]), []
    while queue:
        current = queue.popleft()
        targets = targets_of(current)
        if not targets and current != start:
            ends.append(current)
        for step in targets:
            if step not in seen:
                seen.add(step)
                queue.append(step)
    return ends


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
    t = check_tables(G)
    rank = level_rank(t.level_of(node))
    parent = _ancestor(t, node, lambda p: level_rank(t.level_of(p)) > rank)
    if parent is not None:
        return parent, "parent"
    county = _county_region(t, t.region[t.position(node)])
    if county is not None:
        if county_hospitals is None:
            county_hospitals = _county_hospitals(t)
        hospitals = county_hospitals.get(county, [])
        for hospital in hospitals:
            if hospital != node and level_rank(t.level_of(hospital)) > rank:
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
    t = check_tables(G)
    if region is None or region not in t:
        return None
    return _county_region(t, t.position(region))


def _county_region(t, region: int):
    """county_region_of by position (-1: none); the walk stops at a cycle."""
    seen = set()
    while region >= 0 and region not in seen:
        seen.add(region)
        if t.label[region] == REGION and t.level[region] == COUNTY_LEVEL:
            return t.ids[region]
        region = int(t.parent[region])
    return None


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def _referral_tables(G) -> tuple:
    """The check tables and everything the referral checks share (once per tables)."""
    t = check_tables(G)
    if "referrals" not in t.memo:
        t.memo["referrals"] = _shared_referrals(t)
    return t, t.memo["referrals"]


def _shared_referrals(t) -> dict:
    rank_column = _level_ranks(t)
    p = _pair_columns(t)
    climb = rank_column[p.b] - rank_column[p.a]
    climbs = climb > 0
    # (positions throughout: dicts keyed by id over all institutions cost more to build
    # than the hits that read them)
    return {"rank_column": rank_column, "climb": climb,
            "out": np.bincount(p.a, minlength=t.size),
            "up": _CSR(p.a[climbs], p.b[climbs], t.size),
            "low_health": t.is_health & (rank_column < COUNTY),
            "county_hospitals": _county_hospitals(t)}


def _level_ranks(t) -> np.ndarray:
    """Per entity: ``level_rank`` of an institution's level (-1 for other entities),
    through the factorized level column (one call per distinct level, not per row)."""
    rank = np.full(t.size, -1, dtype=np.int64)
    try:
        codes, levels = t._codes("level")
    except TypeError:                            # unhashable levels (hand-built graphs)
        inst = np.flatnonzero(t.is_institution)
        rank[inst] = [level_rank(v) for v in t.level[inst].tolist()]
        return rank
    by_code = np.asarray([level_rank(v) for v in levels] + [level_rank(None)], dtype=np.int64)
    inst = t.is_institution
    rank[inst] = by_code[codes[inst]]            # code -1 (blank) reads the last slot
    return rank


def _pair_hits(t, pairs: _Pairs, where: np.ndarray) -> list:
    """``((a, b), k)`` for the pairs where ``where`` holds, sorted by (a, b)."""
    chosen = np.flatnonzero(where)
    ids = t.ids
    return sorted(zip(zip(ids[pairs.a[chosen]].tolist(), ids[pairs.b[chosen]].tolist()),
                      chosen.tolist()))


def _county_hospitals(G) -> dict:
    """county region id -> sorted county hospitals whose region lies in it."""
    t = check_tables(G)
    found: dict = {}
    for node in t.sorted_ids(t.is_institution & (t.kind == COUNTY_HOSPITAL_KIND)):
        county = _county_region(t, t.region[t.position(node)])
        if county is not None:
            found.setdefault(county, []).append(node)
    return found


def _ancestor(t, node: str, accept) -> str | None:
    """Return the first institution up ``node``'s parent_id chain that ``accept`` takes."""
    for parent in t.institution_chain(node)[1:]:
        if accept(parent):
            return parent
    return None


def _name_map(t, ids) -> dict:
    return {i: t.get(i, "name") for i in ids if i is not None}
