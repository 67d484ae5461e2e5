"""Change between two snapshots of a network: findings, figures and entities.

:func:`compare_graphs` runs the checks on two embedded graphs (BEFORE and AFTER)
and returns a :class:`Comparison`; :func:`compare_reports` does the same from two
reports already computed (the Neo4j backend runs its checks in the database).
The parts are usable on their own:

- :func:`match_findings`: findings matched by check id and subject, as resolved,
  new, persisting and changed (same check and subject, another severity or
  evidence: a cut unit that now cuts off more units);
- :func:`orgnet.queries.diff.diff_summaries` (shared with what-if): every summary figure
  that changed, with its change;
- :func:`breakdown`: coverage and referral figures per county- and township-level
  region and per institution kind, whose deltas :class:`Comparison` reports too;
- :func:`entity_changes`: regions, institutions, orgs and members added, removed
  and changed (matched by id), links added, removed and changed.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> before = new_graph("a")
>>> before.add_node("V1", label="Institution", name="李村卫生室", kind="village_clinic",
...                 level="village")
>>> after = before.copy()
>>> after.add_node("P1", label="PartyOrg", name="李村党小组", kind="group")
>>> _ = after.add_edge("P1", "V1", key="COVERS", type="COVERS")
>>> result = compare_graphs(before, after, only=["coverage"])
>>> [f.check for f in result.resolved], [f.check for f in result.new]
(['coverage.uncovered_institution'], ['coverage.empty_org'])
>>> result.figures[0]
{'figure': 'coverage.overall.coverage_rate', 'before': 0.0, 'after': 1.0, 'change': 1.0}
>>> result.entities["PartyOrg"]["added"]
['P1']
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orgnet.graphmodel.schema import (
    COUNTY_LEVEL, DEFAULT_SETTINGS, ENTITY_LABELS, HEALTH_KINDS, INSTITUTION_KINDS,
    LIAISON_LINK, REFERRAL_LINK, REGION, TOWNSHIP_LEVEL, Settings, level_rank,
)
from orgnet.queries import _graph as g
from orgnet.queries.diff import HEADLINE_FIGURES, diff_findings, diff_summaries, finding_key
from orgnet.queries.finding import Finding, severity_rank
from orgnet.queries.runner import Report, own_branch_institutions, run_checks

if TYPE_CHECKING:  # annotations only: networkx is imported where a graph is built
    import networkx as nx

__all__ = [
    "Comparison", "FindingChanges", "Snapshot", "snapshot", "compare_graphs", "compare_reports",
    "compare_snapshots", "compare_sources", "compare_neo4j",
    "match_findings",
    "breakdown", "entity_changes", "MATCH_WARNING_SHARE", "CHANGE_KINDS",
    "POSITION_EVIDENCE",
]

#: Below this share of matched ids (of the larger snapshot) the two are probably
#: not the same network, and :attr:`Comparison.warning` says so.
MATCH_WARNING_SHARE = 0.5
#: The kinds of finding change, in report order.
CHANGE_KINDS = ("new", "resolved", "changed", "persisting")
#: Evidence keys holding row positions (link indices), not facts: a finding whose
#: evidence differs only there is persisting, not changed.
POSITION_EVIDENCE = frozenset({"links"})
#: Node attributes that say where a row was, not what it is: never a change.
_POSITION_ATTRIBUTES = frozenset({"row"})


@dataclass
class FindingChanges:
    """Findings of two snapshots matched by check id and subject.

    Attributes
    ----------
    resolved : list of Finding
        In BEFORE only (as BEFORE rendered them).
    new : list of Finding
        In AFTER only.
    persisting : list of Finding
        In both with the same severity and evidence (as AFTER rendered them).
    changed : list of (Finding, Finding)
        In both with another severity or evidence: ``(before, after)``.
    """

    resolved: list = field(default_factory=list)
    new: list = field(default_factory=list)
    persisting: list = field(default_factory=list)
    changed: list = field(default_factory=list)


def match_findings(before, after) -> FindingChanges:
    """Match two lists of findings by check id and subject (:func:`orgnet.queries.diff.diff_findings`).

    Each list keeps its order (catalog order, then subject).  A finding whose
    message alone differs (the language, say) with the same severity and
    evidence is persisting, and so is one whose evidence differs only in row
    positions (:data:`POSITION_EVIDENCE`: the links-table rows behind it move
    when rows are added or removed above them).

    Parameters
    ----------
    before, after : iterable of Finding

    Returns
    -------
    FindingChanges

    Examples
    --------
    >>> cut = Finding("connectivity.cut_unit", "medium", ("T1",), "m", {"cut_off": 2})
    >>> wider = Finding("connectivity.cut_unit", "medium", ("T1",), "m", {"cut_off": 5})
    >>> gone = Finding("coverage.empty_org", "medium", ("O1",), "m")
    >>> changes = match_findings([gone, cut], [wider])
    >>> [f.subject for f in changes.resolved], changes.new, changes.persisting
    ([('O1',)], [], [])
    >>> [(b.evidence["cut_off"], a.evidence["cut_off"]) for b, a in changes.changed]
    [(2, 5)]
    >>> moved = Finding("referral.one_way", "medium", ("V1", "T1"), "m", {"links": [7]})
    >>> later = Finding("referral.one_way", "medium", ("V1", "T1"), "m", {"links": [5]})
    >>> match_findings([moved], [later]).changed
    []
    """
    before, after = list(before), list(after)
    diff = diff_findings(before, after)
    changed = [(b, a) for b, a in diff.changed
               if b.severity != a.severity or _facts(b.evidence) != _facts(a.evidence)]
    gone_or_new = {finding_key(f) for f in diff.appeared}
    gone_or_new.update(finding_key(a) for _, a in changed)
    return FindingChanges(
        resolved=diff.resolved, new=diff.appeared, changed=changed,
        persisting=[f for f in after if finding_key(f) not in gone_or_new])


def _facts(evidence: dict) -> dict:
    """Evidence without the row positions (:data:`POSITION_EVIDENCE`)."""
    return {k: v for k, v in evidence.items() if k not in POSITION_EVIDENCE}


def _rate(part: int, whole: int):
    return round(part / whole, 4) if whole else None


def _figures() -> dict:
    return {"institutions": 0, "covered": 0, "own_branch": 0, "work_covered": 0,
            "referrals_up": 0, "referrals_down": 0, "referrals_same_level": 0}


def _with_rates(entry: dict) -> dict:
    total = entry["institutions"]
    entry["coverage_rate"] = _rate(entry["covered"], total)
    entry["own_branch_rate"] = _rate(entry["own_branch"], total)
    entry["work_coverage_rate"] = _rate(entry["work_covered"], total)
    return entry


def breakdown(G: nx.MultiDiGraph) -> dict:
    """Return coverage and referral figures per region and per institution kind.

    An institution lies in its region (``region_id``, else that of the nearest
    institution above it with one) and in every region above that; each
    county-level and township-level region gets the figures of the health
    institutions lying in it.  Figures: ``institutions``, ``covered``,
    ``own_branch``, ``work_covered`` (as in :func:`orgnet.queries.runner.coverage_of`),
    their three rates, and ``referrals_up``/``referrals_down``/
    ``referrals_same_level``: the active referral counts sent from those
    institutions (to a higher, lower, same level).

    Returns
    -------
    dict
        ``{"regions": {id: {"name", "level", **figures}}, "kinds": {kind: figures}}``,
        regions by id, kinds in schema order.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> G = new_graph()
    >>> G.add_node("R1", label="Region", name="东镇", level="township")
    >>> G.add_node("T1", label="Institution", kind="township_health_center", level="township")
    >>> G.add_node("H1", label="Institution", kind="county_hospital", level="county")
    >>> _ = G.add_edge("T1", "R1", key="IN_REGION", type="IN_REGION")
    >>> add_link(G, "T1", "H1", link_type="referral", link_index=0, count=7)
    >>> parts = breakdown(G)
    >>> parts["regions"]["R1"]["referrals_up"], parts["regions"]["R1"]["coverage_rate"]
    (7, 0.0)
    >>> list(parts["kinds"])
    ['county_hospital', 'township_health_center']
    """
    from orgnet.queries.connectivity import active_links

    nodes = G._node
    own = own_branch_institutions(G)
    reached = {v for _, v, d in active_links(G) if d["link_type"] == LIAISON_LINK}
    places: dict = {}                 # region -> the county/township regions at or above it
    homes: dict = {}                  # institution -> its county/township regions

    def home(inst):
        if inst in homes:
            return homes[inst]
        region = None
        for unit in g.institution_chain(G, inst):
            region = g.region_of(G, unit)
            if region is not None:
                break
        if region is None:
            found = ()
        else:
            if region not in places:
                places[region] = tuple(
                    r for r in g.region_chain(G, region)
                    if nodes[r].get("level") in (COUNTY_LEVEL, TOWNSHIP_LEVEL))
            found = places[region]
        homes[inst] = found
        return found

    regions: dict = {}
    kinds: dict = {}
    for region, data in g.labelled(G, REGION):
        if data.get("level") in (COUNTY_LEVEL, TOWNSHIP_LEVEL):
            regions[region] = {"name": str(data.get("name", region)), "level": data["level"],
                               **_figures()}
    for inst in g.health_institutions(G):
        covered = bool(g.covering_orgs(G, inst))
        flags = {"institutions": 1, "covered": int(covered), "own_branch": int(inst in own),
                 "work_covered": int(covered or inst in reached)}
        entries = [regions[r] for r in home(inst)]
        entries.append(kinds.setdefault(g.kind_of(G, inst), _figures()))
        for entry in entries:
            for key, flag in flags.items():
                entry[key] += flag
    for source, target, data in active_links(G):
        if data["link_type"] != REFERRAL_LINK or nodes[source].get("kind") not in HEALTH_KINDS:
            continue
        step = level_rank(nodes[target].get("level")) - level_rank(nodes[source].get("level"))
        key = "referrals_up" if step > 0 else "referrals_down" if step < 0 else "referrals_same_level"
        count = int(data.get("count", 1))
        for region in home(source):
            regions[region][key] += count
        kinds.setdefault(nodes[source].get("kind"), _figures())[key] += count
    return {
        "regions": {r: _with_rates(regions[r]) for r in sorted(regions)},
        "kinds": {k: _with_rates(kinds[k]) for k in INSTITUTION_KINDS if k in kinds},
    }


def _part_changes(before: dict, after: dict, labels=("name", "level")) -> dict:
    """The changed figures of each region or kind present on either side (those with any)."""
    out = {}
    for key in list(after) + [k for k in before if k not in after]:
        old, new = before.get(key, {}), after.get(key, {})
        rows = diff_summaries({k: v for k, v in old.items() if k not in labels},
                              {k: v for k, v in new.items() if k not in labels})
        if rows:
            head = {name: new.get(name, old.get(name)) for name in labels
                    if name in new or name in old}
            out[key] = {**head, "figures": rows}
    return out


def _attributes(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in _POSITION_ATTRIBUTES}


def _link_key(source, target, data) -> tuple:
    return (source, target, data.get("link_type"), str(data.get("period") or ""))


def _link_rows(G: nx.MultiDiGraph) -> dict:
    """``{(source, target, type, period): [count, ...]}`` over every link row."""
    rows: dict = {}
    for u, nbrs in G._adj.items():
        for v, keyed in nbrs.items():
            for data in keyed.values():
                if "link_index" in data:
                    rows.setdefault(_link_key(u, v, data), []).append(int(data.get("count", 1)))
    return rows


def _link_entry(key, count=None, before=None, after=None) -> dict:
    source, target, link_type, period = key
    entry = {"source_id": source, "target_id": target, "type": link_type,
             "period": period or None}
    if count is not None:
        entry["count"] = count
    else:
        entry["before"], entry["after"] = before, after
    return entry


def entity_changes(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> dict:
    """Return the entities and links added, removed and changed between two graphs.

    Entities are matched by id.  An entity is changed when a property other than
    its spreadsheet row differs (a member moved to another org: ``org_id``; a new
    role: ``roles``); a changed id of another label counts as removed and added.
    Links have no id: they are matched by source, target, type and period, and a
    link whose count changed is changed.

    Returns
    -------
    dict
        Per label (``Region``, ``Institution``, ``PartyOrg``, ``Member``):
        ``added``, ``removed`` (sorted ids), ``changed`` (``[{"id", "changes":
        {property: [before, after]}}]``); ``links``: ``added``, ``removed``,
        ``changed`` (``source_id``, ``target_id``, ``type``, ``period``, and
        ``count`` or ``before``/``after``); ``matched`` (ids in both),
        ``before``/``after`` (ids in each), ``matched_share`` (matched over the
        larger, None when both are empty).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> a = new_graph()
    >>> a.add_node("M1", label="Member", name="王伟", status="full", org_id="O1", row=2)
    >>> b = new_graph()
    >>> b.add_node("M1", label="Member", name="王伟", status="full", org_id="O2", row=9)
    >>> changes = entity_changes(a, b)
    >>> changes["Member"]["changed"], changes["matched"], changes["matched_share"]
    ([{'id': 'M1', 'changes': {'org_id': ['O1', 'O2']}}], 1, 1.0)
    """
    return _entity_changes(before._node, after._node, _link_rows(before), _link_rows(after))


def _entity_changes(old_nodes: dict, new_nodes: dict, old_links: dict, new_links: dict) -> dict:
    """:func:`entity_changes` from node attribute dicts and :func:`_link_rows` tables."""
    out: dict = {label: {"added": [], "removed": [], "changed": []} for label in ENTITY_LABELS}
    matched = 0
    for node in sorted(set(old_nodes) | set(new_nodes), key=str):
        old, new = old_nodes.get(node), new_nodes.get(node)
        if old is not None and new is not None and old.get("label") == new.get("label"):
            matched += 1
            a, b = _attributes(old), _attributes(new)
            if a != b:
                diff = {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b))
                        if a.get(k) != b.get(k)}
                out[new["label"]]["changed"].append({"id": node, "changes": diff})
            continue
        if old is not None and old.get("label") in out:
            out[old["label"]]["removed"].append(node)
        if new is not None and new.get("label") in out:
            out[new["label"]]["added"].append(node)
    links: dict = {"added": [], "removed": [], "changed": []}
    for key in sorted(set(old_links) | set(new_links), key=lambda k: tuple(map(str, k))):
        was, now = sorted(old_links.get(key, [])), sorted(new_links.get(key, []))
        if was == now:
            continue
        if not was or not now:
            part = "added" if now else "removed"
            links[part] += [_link_entry(key, count) for count in now or was]
        elif len(was) == len(now) == 1:
            links["changed"].append(_link_entry(key, before=was[0], after=now[0]))
        else:                         # several rows share the key: their counts, as lists
            links["changed"].append(_link_entry(key, before=was, after=now))
    out["links"] = links
    larger = max(len(old_nodes), len(new_nodes))
    out.update(matched=matched, before=len(old_nodes), after=len(new_nodes),
               matched_share=round(matched / larger, 4) if larger else None)
    return out


@dataclass
class Comparison:
    """Two snapshots compared (the result of :func:`compare_graphs`).

    Attributes
    ----------
    before, after : Report
        The reports of the two snapshots.
    resolved, new, persisting, changed
        As in :class:`FindingChanges`.
    figures : list of dict
        :func:`orgnet.queries.diff.diff_summaries` of the two summaries: the headline
        figures (:data:`orgnet.queries.diff.HEADLINE_FIGURES`), then every other figure
        that changed, each ``{"figure", "before", "after", "change"}``.
    regions, kinds : dict
        The county/township regions and institution kinds where a figure of
        :func:`breakdown` changed: ``name``/``level`` (regions) and ``figures``
        (rows as above, changed ones only).
    entities : dict
        :func:`entity_changes`.
    lang : str
    """

    before: Report
    after: Report
    resolved: list
    new: list
    persisting: list
    changed: list
    figures: dict
    regions: dict
    kinds: dict
    entities: dict
    lang: str = "en"

    @property
    def warning(self) -> str | None:
        """A warning when so few ids match that the two are probably not one network."""
        share = self.entities.get("matched_share")
        if share is None or share >= MATCH_WARNING_SHARE:
            return None
        matched = self.entities["matched"]
        if self.lang == "zh":
            return (f"两个数据集只有 {matched} 个编号相同（{share:.0%}），"
                    f"可能不是同一个网络")
        return (f"only {matched} ids ({share:.0%}) match between the two datasets: "
                f"they are probably not the same network")

    def is_unchanged(self) -> bool:
        """Return True when nothing differs: findings, figures and entities."""
        entities = self.entities
        return (not (self.resolved or self.new or self.changed)
                and all(row["before"] == row["after"] for row in self.figures)
                and all(not any(entities[part].values())
                        for part in (*ENTITY_LABELS, "links")))

    def has_new_at_or_above(self, severity: str) -> bool:
        """Return True when a new finding at or above a severity appeared (``--fail-on-new``).

        Examples
        --------
        >>> low = Finding("structure.orphan_org", "low", ("O1",), "m")
        >>> c = Comparison(Report({}), Report({}), [], [low], [], [], {}, {}, {}, {})
        >>> c.has_new_at_or_above("high"), c.has_new_at_or_above("low")
        (False, True)
        """
        limit = severity_rank(severity)
        return any(severity_rank(f.severity) <= limit for f in self.new)

    def to_dict(self) -> dict:
        """Return the JSON object of ``orgnet compare --format json``.

        ``before``/``after`` are summaries and every finding is a finding of
        ``orgnet check --format json``, each in the list of the snapshot it
        comes from (persisting: AFTER's); ``changed`` pairs ``before``/``after``.
        """
        return {
            "before": self.before.summary,
            "after": self.after.summary,
            "resolved": [f.to_dict() for f in self.resolved],
            "new": [f.to_dict() for f in self.new],
            "persisting": [f.to_dict() for f in self.persisting],
            "changed": [{"before": b.to_dict(), "after": a.to_dict()} for b, a in self.changed],
            "entities": self.entities,
            "figures": self.figures,
            "regions": self.regions,
            "kinds": self.kinds,
            "unchanged": self.is_unchanged(),
            "warning": self.warning,
        }


@dataclass
class Snapshot:
    """What a comparison keeps of one snapshot once its checks have run.

    The report, the figures per region and kind (:func:`breakdown`), the node
    attribute dicts and the link rows (:func:`_link_rows`): not the adjacency,
    so a large BEFORE graph can be let go before AFTER is loaded.
    """

    report: Report
    parts: dict
    nodes: dict
    links: dict


def snapshot(G: nx.MultiDiGraph, report: Report) -> Snapshot:
    """Return the :class:`Snapshot` of a graph and the report of its checks.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph("x"); G.add_node("V1", label="Institution", kind="village_clinic")
    >>> s = snapshot(G, run_checks(G, only=["coverage"]))
    >>> list(s.nodes), s.parts["kinds"]["village_clinic"]["institutions"]
    (['V1'], 1)
    """
    return Snapshot(report, breakdown(G), G._node, _link_rows(G))


def compare_snapshots(before: Snapshot, after: Snapshot) -> Comparison:
    """Compare two :class:`Snapshot` records (see :func:`compare_graphs`)."""
    changes = match_findings(before.report.findings, after.report.findings)
    return Comparison(
        before=before.report, after=after.report, resolved=changes.resolved, new=changes.new,
        persisting=changes.persisting, changed=changes.changed,
        figures=diff_summaries(before.report.summary, after.report.summary,
                               always=HEADLINE_FIGURES),
        regions=_part_changes(before.parts["regions"], after.parts["regions"]),
        kinds=_part_changes(before.parts["kinds"], after.parts["kinds"], labels=()),
        entities=_entity_changes(before.nodes, after.nodes, before.links, after.links),
        lang=after.report.lang)


def compare_sources(open_before, open_after, *, settings: Settings = DEFAULT_SETTINGS,
                    only=(), skip=(), lang: str = "en", min_severity: str | None = None,
                    progress=None) -> Comparison:
    """Compare two snapshots read one after the other (bounded memory on large data).

    Parameters
    ----------
    open_before, open_after : callable
        Each returns an embedded graph when called (e.g. ``lambda:
        loaders.load_graph(path)``); AFTER is read only once BEFORE has been
        checked and reduced to a :class:`Snapshot`.
    settings, only, skip, lang, min_severity, progress
        As in :func:`compare_graphs`.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> compare_sources(lambda: new_graph("a"), lambda: new_graph("a")).is_unchanged()
    True
    """
    options = dict(settings=settings, only=only, skip=skip, lang=lang,
                   min_severity=min_severity, progress=progress)
    snapshots = []
    for open_graph in (open_before, open_after):
        G = open_graph()
        snapshots.append(snapshot(G, run_checks(G, **options)))
        del G
        gc.collect()                  # a graph's cached views hold it in a cycle: free it now
    return compare_snapshots(*snapshots)


def compare_reports(before: Report, after: Report, G_before: nx.MultiDiGraph,
                    G_after: nx.MultiDiGraph) -> Comparison:
    """Compare two reports already computed, with the graphs they were computed on.

    The report command uses this (it has AFTER's report already).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph("x")
    >>> report = run_checks(G)
    >>> compare_reports(report, report, G, G).is_unchanged()
    True
    """
    return compare_snapshots(snapshot(G_before, before), snapshot(G_after, after))


def compare_graphs(G_before: nx.MultiDiGraph, G_after: nx.MultiDiGraph, *,
                   settings: Settings = DEFAULT_SETTINGS, only=(), skip=(), lang: str = "en",
                   min_severity: str | None = None, progress=None) -> Comparison:
    """Run the checks on two embedded graphs and compare the results.

    Parameters
    ----------
    G_before, G_after : networkx.MultiDiGraph
        The two snapshots (:mod:`orgnet.graphmodel.embedded`).
    settings, only, skip, lang, min_severity
        As in :func:`orgnet.queries.runner.run_checks` (both runs use the same).
    progress : callable, optional
        Called with 1 after each check of either run.

    Returns
    -------
    Comparison

    Raises
    ------
    QueryError
        An unknown check id, family, severity or language.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> compare_graphs(new_graph("a"), new_graph("a")).is_unchanged()
    True
    """
    return compare_sources(lambda: G_before, lambda: G_after, settings=settings, only=only,
                           skip=skip, lang=lang, min_severity=min_severity, progress=progress)


def compare_neo4j(driver, database: str, before: str, after: str, *,
                  settings: Settings = DEFAULT_SETTINGS, only=(), skip=(), lang: str = "en",
                  min_severity: str | None = None, progress=None) -> Comparison:
    """Compare two datasets loaded in one Neo4j database.

    The checks run in the database (:func:`orgnet.queries.neo4j_checks.run_checks_neo4j`);
    both graphs are read back (``Neo4jStore.read_graph``) for the entity changes
    and the figures per region and kind, so the result equals
    :func:`compare_graphs` on the same data.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver (the caller owns it).
    database : str
    before, after : str
        Dataset names, as loaded with ``orgnet load``.
    settings, only, skip, lang, min_severity, progress
        As in :func:`compare_graphs`.

    Returns
    -------
    Comparison

    Raises
    ------
    graphmodel.neo4j_store.StoreError
        A dataset is not loaded, or the server fails.
    """
    from orgnet.graphmodel.neo4j_store import Neo4jStore
    from orgnet.queries.neo4j_checks import run_checks_neo4j

    store = Neo4jStore(driver, database)
    options = dict(settings=settings, only=only, skip=skip, lang=lang,
                   min_severity=min_severity, progress=progress)
    snapshots = []
    for name in (before, after):
        report = run_checks_neo4j(driver, database, name, **options)
        G = store.read_graph(name)
        snapshots.append(snapshot(G, report))
        del G
        gc.collect()
    return compare_snapshots(*snapshots)
