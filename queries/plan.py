"""An action plan: a short, ordered list of concrete actions that closes the findings,
and its effect proved by applying it and re-running the checks.

:func:`make_plan` reads the findings of a run and proposes, most severe first:

- coverage: an uncovered institution joins the org covering its parent
  institution; uncovered institutions under one parent with no covered parent
  form joint branches of at most ``joint_branch_max_units`` institutions with the
  full and probationary members working there who hold no membership (a
  secretary elected among them); where no full member works in the group, a
  party-building instructor (党建指导员) is assigned and no org is invented (the
  finding stays open: listed as unclosable with the reason); an unattached
  member joins the org covering the workplace;
- structure: a branch with fewer than the minimum of full members merges into a
  named branch of the same parent org or covering the same institution; a
  branch without a secretary elects one among its full members; a branch due a
  committee elects committee members; an institution with enough full members
  and no branch of its own sets one up with them (支部工作条例 第五条);
- referral: a referral agreement to the target the finding names (missing upward
  referral, broken chain), a down-referral agreement for a one-way referral;
- service: a stage gap is given to the candidate institution the finding names;
  a services row without coordinator gets the org covering the institution;
- connectivity: inside each county area, the fewest new pairing ties that leave
  no isolated unit and no bridge (``networkx.k_edge_augmentation`` with k=2 over
  plausible partners, weighted by distance in the institution hierarchy:
  parent and children, then siblings, then township centers, then the county
  hospital), then one tie around each remaining cut unit; a single liaison gets
  a backup liaison, a member at the unit's parent institution or the liaison's
  own workplace with the fewest liaison units (at most ``max_liaison_units``).

:func:`apply_plan` makes every action on a copy of the graph (new orgs get ids
``PLAN-...``, new links a note naming the action); :func:`prove_plan` re-runs the
checks on it (or on the written dataset) and keeps, as the plan's claims, only the
findings that are really gone; a claimed finding still present is moved to
``unclosable`` with the reason.  :func:`write_dataset` writes the changed graph in
the input's container (CSV directory, workbook or JSON).

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph, add_link
>>> G = new_graph("demo")
>>> G.add_node("T", label="Institution", name="东镇卫生院", kind="township_health_center", level="township")
>>> G.add_node("V", label="Institution", name="李村卫生室", kind="village_clinic", level="village", parent_id="T")
>>> _ = G.add_edge("V", "T", key="BELONGS_TO", type="BELONGS_TO")
>>> G.add_node("O", label="PartyOrg", name="东镇卫生院党支部", kind="branch", institution_ids=["T"])
>>> _ = G.add_edge("O", "T", key="COVERS", type="COVERS")
>>> plan = make_plan(G, only=["coverage"])
>>> [(a.kind, a.subjects, a.org) for a in plan.actions]
[('join_org', ['V'], 'O')]
>>> plan = prove_plan(G, plan, only=["coverage"])
>>> plan.after["coverage"]["overall"]["coverage_rate"], plan.actions[0].closes
(1.0, [{'check': 'coverage.uncovered_institution', 'subject': ['V']}])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from orgnet.graphmodel.embedded import add_link
from orgnet.graphmodel.schema import (
    BRANCH_KINDS, COUNTY_LEVEL, COVERS, DEFAULT_SETTINGS, FULL_STATUS, INSTITUTION_PARENT,
    MEMBER_OF, ORG_PARENT,
    OWN_BRANCH_KINDS, PARTY_MEMBER_STATUSES, PARTY_ORG, SECRETARY_ROLE, WORKS_AT, Settings,
)
from orgnet.queries import _graph as g
from orgnet.queries.catalog import QueryError
from orgnet.queries.diff import diff_findings, finding_key
from orgnet.queries.runner import Report, run_checks

__all__ = ["Action", "Plan", "make_plan", "apply_plan", "prove_plan", "write_dataset",
           "fewest_ties", "ties_lower_bound", "plausible_lower_bound",
           "proposed_rows", "ACTION_KINDS", "PlanError", "reason_text"]

#: Action kinds with their English and Chinese names.
ACTION_KINDS = {
    "join_org": ("Join an organization", "纳入党组织覆盖"),
    "joint_branch": ("Form a joint branch", "组建联合党支部"),
    "instructor": ("Assign a party-building instructor", "选派党建指导员"),
    "attach_member": ("Transfer membership", "转接组织关系"),
    "merge_branch": ("Merge branches", "合并党支部"),
    "elect_secretary": ("Elect a secretary", "选举书记"),
    "elect_committee": ("Elect a branch committee", "选举支部委员会"),
    "set_up_branch": ("Set up a branch", "单独建立党支部"),
    "referral_agreement": ("Referral agreement", "签订转诊协议"),
    "down_referral": ("Down-referral agreement", "签订下转协议"),
    "service_stage": ("Provide a service stage", "承担服务环节"),
    "coordinator": ("Name a coordinating org", "明确协同党组织"),
    "pairing": ("Pairing tie", "建立结对共建"),
    "backup_liaison": ("Backup liaison", "增设备用联络员"),
    "contact": ("Contact a representative figure", "联谊交友"),
    "united_front_member": ("Appoint a united-front member", "配备统战委员"),
    "station_parent": ("Attach a liaison station", "理顺联络站隶属"),
}
_PRIORITY = {"high": 1, "medium": 2, "low": 3}


#: Chinese text of the reasons a finding stays open.
_REASONS_ZH = {
    "no party committee is responsible for the person": "没有负责联系该人士的党委",
    "every party member of the responsible committee already has 5 contacts": "负责党委的党员联系对象均已满5人",
    "no township liaison station in its township": "所在乡镇没有乡镇统战工作联络站",
    "a liaison station is set up by the township's decision": "联络站需由乡镇研究设立",
    "handing contacts over needs contact persons the committee chooses": "调整联系对象需由党委研究确定联系人",
    'no branch of the same parent org or institution to merge with': '没有同一上级党组织或同一单位的支部可以合并',
    'no full member holds membership in it directly': '没有组织关系直接在该组织的正式党员',
    'too few full members hold membership in it directly': '组织关系直接在该组织的正式党员不足',
    'its full members already take part in other actions': '在此工作的正式党员已纳入其他整改措施', "no org covers the member's workplace": '该党员工作单位没有党组织覆盖',
    'no higher-level institution to refer to in its area': '所在区域没有可上转的上级机构',
    'no institution of a suitable kind in the area': '区域内没有适合承担该环节的机构',
    'no org covers the institution': '该机构没有党组织覆盖',
    'a referral that skips a level is a clinical choice; the plan adds the missing links instead': '越级转诊属临床选择，计划改为补齐缺失的转诊环节',
    'splitting a branch needs a decision on who goes where': '拆分支部需由党组织研究决定人员划分',
    'splitting a joint branch needs a decision on the units': '拆分联合党支部需研究决定单位划分',
    'the org it should report to is an appointment, not in the data': '隶属关系需由上级党组织确定，数据中无依据', "the community's party committee decides the reporting line": '隶属关系由医共体党委研究确定',
    'an org without members is dissolved or staffed by decision': '无党员的组织需研究决定撤销或充实',
    'a second tie follows from the ties the plan adds elsewhere': '第二条联系由计划中的其他结对关系带动解决',
    'no action in the data can close it': '现有数据中没有可关闭该问题的措施',
    'no full member works there: a party-building instructor is assigned, no organization can be set up': '该机构无正式党员：已选派党建指导员，暂不能建立组织',
    'no plausible partner inside its county area, or the weak point lies between county areas (the plan proposes ties inside a county only)': '县域内没有合适的结对对象，或薄弱点位于县域之间（计划只在县域内提出结对）'}


def reason_text(reason: str, lang: str) -> str:
    """Return a reason in the plan's language.

    Examples
    --------
    >>> reason_text("no org covers the institution", "zh")
    '该机构没有党组织覆盖'
    >>> reason_text("still reported after the plan (A003)", "zh")
    '整改后仍被检查发现（A003）'
    """
    if lang != "zh":
        return reason
    if reason.startswith("still reported after the plan ("):
        return f"整改后仍被检查发现（{reason[len('still reported after the plan ('):-1]}）"
    if reason.startswith("merging with the nearest branch still leaves fewer than "):
        n = reason.rsplit(" ", 3)[-3]
        return f"与最近的支部合并后正式党员仍少于{n}名"
    if reason.startswith("no party member at its parent institution"):
        return "上级机构和联络员所在单位没有联系单位数未满的党员可作备用联络员"
    return _REASONS_ZH.get(reason, reason)


class PlanError(QueryError):
    """A plan that cannot be made or written."""


@dataclass
class Action:
    """One action of the plan.

    Attributes
    ----------
    id : str
        ``A001`` ... in plan order.
    kind : str
        A key of :data:`ACTION_KINDS`.
    subjects : list of str
        The ids acted on.
    text : dict
        ``{"en": ..., "zh": ...}``: what to do, as a planner would write it.
    org : str or None
        The party org responsible.
    closes : list of dict
        ``{"check", "subject"}`` of the findings it closes (proved by :func:`prove_plan`).
    priority : int
        1 (a high finding) to 3 (low).
    ops : list of tuple
        The changes to the data (internal; see :func:`apply_plan`).
    """

    id: str
    kind: str
    subjects: list
    text: dict
    org: str | None
    closes: list
    priority: int
    ops: list = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        """Return ``{"id", "kind", "subjects", "text", "org", "priority", "closes"}``."""
        return {"id": self.id, "kind": self.kind, "subjects": list(self.subjects),
                "text": dict(self.text), "org": self.org, "priority": self.priority,
                "closes": [dict(c) for c in self.closes]}


@dataclass
class Plan:
    """Actions, findings that cannot be closed, and the figures before and after.

    ``before`` / ``after`` are summaries (``orgnet check --format json``); ``after``
    is None until :func:`prove_plan` has run.
    """

    actions: list
    unclosable: list
    before: dict
    after: dict | None = None
    findings_before: list = field(default_factory=list, repr=False)
    findings_after: list = field(default_factory=list, repr=False)
    lang: str = "en"
    #: connectivity: ``areas`` augmented, ``ties`` proposed, ``lower_bound`` (the sum of the
    #: areas' lower bounds on the ties needed), ``fewest_proved`` (areas whose tie count is
    #: proved the fewest), ``fixed`` (areas left with no weak point)
    connectivity: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Return issue 10's JSON shape (``opened``: findings the plan makes appear)."""
        opened = diff_findings(self.findings_before, self.findings_after).appeared
        return {"actions": [a.to_dict() for a in self.actions],
                "unclosable": [dict(u) for u in self.unclosable],
                "before": self.before, "after": self.after,
                "opened": [f.to_dict() for f in opened],
                "connectivity": dict(self.connectivity)}


# ---------------------------------------------------------------------------
# making the plan
# ---------------------------------------------------------------------------
def make_plan(G: nx.MultiDiGraph, *, settings: Settings = DEFAULT_SETTINGS, lang: str = "en",
              only=(), skip=(), report: Report | None = None,
              max_liaison_units: int = 5) -> Plan:
    """Propose the actions that close the findings of a graph, most severe first.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph; not changed.
    settings : Settings
        Thresholds (``joint_branch_max_units``, ``branch_min_full_members`` ...).
    lang : {"en", "zh"}
        Language of the summaries' findings (action texts carry both).
    only, skip
        Checks to consider, as for :func:`orgnet.queries.runner.run_checks`.
    report : Report, optional
        The checks of ``G`` when already run.
    max_liaison_units : int
        No backup liaison is given more liaison units than this.

    Returns
    -------
    Plan
        ``closes`` are the findings each action is meant to close; run
        :func:`prove_plan` to apply it and keep only what the checks confirm.
    """
    if report is None:
        report = run_checks(G, settings=settings, only=only, skip=skip, lang=lang)
    maker = _Maker(G, settings, report.findings, max_liaison_units)
    maker.run()
    actions = sorted(maker.actions, key=lambda a: (a.priority, a.order))
    for number, action in enumerate(actions, 1):
        action.id = f"A{number:03d}"
    for action in actions:
        for op in action.ops:
            if op[0] == "add_link":
                op[5]["note"] = f"orgnet plan {action.id}"
    claimed = {(c["check"], tuple(c["subject"])) for a in actions for c in a.closes}
    unclosable = [{"check": f.check, "subject": list(f.subject),
                   "reason": reason_text(maker.reasons.get(finding_key(f), _default_reason(f.check)),
                                         lang)}
                  for f in report.findings if finding_key(f) not in claimed]
    return Plan(actions, unclosable, report.summary, findings_before=report.findings,
                lang=lang, connectivity=dict(maker.stats))


_BETWEEN = ("no plausible partner inside its county area, or the weak point lies between "
            "county areas (the plan proposes ties inside a county only)")


def _default_reason(check: str) -> str:
    return {
        "referral.leapfrog": "a referral that skips a level is a clinical choice; "
                             "the plan adds the missing links instead",
        "structure.branch_too_large": "splitting a branch needs a decision on who goes where",
        "structure.joint_branch_too_wide": "splitting a joint branch needs a decision on the units",
        "structure.orphan_org": "the org it should report to is an appointment, not in the data",
        "structure.community_not_unified": "the community's party committee decides the reporting line",
        "coverage.empty_org": "an org without members is dissolved or staffed by decision",
        "connectivity.single_link_unit": "a second tie follows from the ties the plan adds elsewhere",
        "united_front.township_without_station": "a liaison station is set up by the township's decision",
        "united_front.contact_overload": "handing contacts over needs contact persons the committee chooses",
        "connectivity.cut_unit": _BETWEEN, "connectivity.bridge_link": _BETWEEN,
        "connectivity.disconnected_component": _BETWEEN, "connectivity.isolated_unit": _BETWEEN,
    }.get(check, "no action in the data can close it")


class _Maker:
    def __init__(self, G, settings, findings, max_liaison_units):
        self.G = G
        self.settings = settings
        self.findings = findings
        self.by_check: dict = {}
        for f in findings:
            self.by_check.setdefault(f.check, []).append(f)
        self.actions: list = []
        self.reasons: dict = {}
        self.max_liaison_units = max_liaison_units
        self.counter = 0
        self.taken_members: set = set()      # moved or given a role by an earlier action
        #: connectivity: areas augmented, ties proposed, areas whose tie count is proved
        #: the fewest, areas left with no weak point
        self.stats = {"areas": 0, "ties": 0, "lower_bound": 0, "fewest_proved": 0, "fixed": 0}
        self.dissolved: set = set()

    def add(self, kind, subjects, text_en, text_zh, org, closes, severity, ops):
        self.counter += 1
        action = Action("", kind, list(subjects), {"en": text_en, "zh": text_zh}, org,
                        [{"check": c, "subject": list(s)} for c, s in closes],
                        _PRIORITY[severity], ops)
        action.order = self.counter
        self.actions.append(action)
        return action

    def org_for(self, inst):
        """The org an institution's matters go to (not one the plan dissolves)."""
        return g.preferred_org(self.G, [o for o in g.covering_orgs(self.G, inst)
                                        if o not in self.dissolved])

    def name(self, node):
        return self.G._node[node].get("name") or node

    def run(self):
        self.coverage()
        self.structure()
        self.referral()
        self.service()
        self.connectivity()
        self.united_front()

    # -- coverage -------------------------------------------------------------
    def coverage(self):
        G = self.G
        uncovered = [f.subject[0] for f in self.by_check.get("coverage.uncovered_institution", [])]
        groups: dict = {}
        for inst in uncovered:
            parent = g.institution_parent(G, inst)
            orgs = [] if parent is None else [o for o in g.covering_orgs(G, parent)
                                             if g.kind_of(G, o) in OWN_BRANCH_KINDS | BRANCH_KINDS]
            org = g.preferred_org(G, orgs)
            if org is not None:
                self.add("join_org", [inst],
                         f"Bring {self.name(inst)} ({inst}) under {self.name(org)} ({org}), the "
                         f"organization of its parent institution {self.name(parent)}.",
                         f"将{self.name(inst)}（{inst}）纳入其上级机构{self.name(parent)}的"
                         f"{self.name(org)}（{org}）覆盖范围。",
                         org, [("coverage.uncovered_institution", (inst,))], "high",
                         [("cover", org, inst)])
            else:
                groups.setdefault(parent, []).append(inst)
        size = max(self.settings.joint_branch_max_units, 1)
        number = 0
        for parent, insts in sorted(groups.items(), key=lambda item: str(item[0])):
            insts.sort()
            staffed = []
            for inst in insts:
                free = [m for m in g.workers(G, inst, PARTY_MEMBER_STATUSES)
                        if not g.targets(G, m, MEMBER_OF)]
                full = [m for m in g.workers(G, inst, {FULL_STATUS})]
                if full:
                    staffed.append((inst, free, full))
                else:
                    self.instructor(inst, parent)
            for start in range(0, len(staffed), size):
                chunk = staffed[start:start + size]
                number += 1
                self.joint_branch(chunk, parent, number)

    def instructor(self, inst, parent):
        G = self.G
        above = parent if parent is not None else None
        org = None
        if above is not None:
            org = g.preferred_org(G, g.covering_orgs(G, above))
        where = f" by {self.name(org)} ({org})" if org else ""
        where_zh = f"由{self.name(org)}（{org}）" if org else "由上级党组织"
        self.add("instructor", [inst],
                 f"No full member works at {self.name(inst)} ({inst}): assign a party-building "
                 f"instructor{where} to carry party work there; no organization is set up.",
                 f"{self.name(inst)}（{inst}）无正式党员，{where_zh}选派党建指导员开展党的工作，暂不单独建立组织。",
                 org, [], "high", [])
        self.reasons[("coverage.uncovered_institution", (inst,))] = (
            "no full member works there: a party-building instructor is assigned, "
            "no organization can be set up")

    def joint_branch(self, chunk, parent, number):
        G = self.G
        insts = [inst for inst, _, _ in chunk]
        movers = sorted({m for _, free, _ in chunk for m in free} - self.taken_members)
        full = [m for m in movers if G._node[m].get("status") == FULL_STATUS]
        new_id = self.new_id("PLAN-JB")
        parent_org = None
        if parent is not None:
            parent_org = g.preferred_org(G, g.covering_orgs(G, g.institution_chain(G, parent)[-1])) \
                or g.preferred_org(G, g.covering_orgs(G, parent))
        top = self.name(parent) if parent is not None else ""
        name = f"{top}片区联合党支部{number}" if top else f"联合党支部{number}"
        ops = [("add_org", new_id, name, "joint_branch", parent_org, insts)]
        ops += [("move", m, new_id) for m in movers]
        closes = [("coverage.uncovered_institution", (i,)) for i in insts]
        closes += [("coverage.unattached_member", (m,)) for m in movers]
        if full:
            ops.append(("role", full[0], SECRETARY_ROLE))
        self.taken_members.update(movers)
        listing_en = ", ".join(f"{self.name(i)} ({i})" for i in insts)
        listing_zh = "、".join(f"{self.name(i)}（{i}）" for i in insts)
        self.add("joint_branch", insts,
                 f"Form the joint branch {name} ({new_id}) over {listing_en}"
                 + (f", reporting to {self.name(parent_org)} ({parent_org})" if parent_org else "")
                 + (f"; transfer the membership of {len(movers)} member(s) working there and "
                    f"elect {self.name(full[0])} ({full[0]}) secretary." if full else "."),
                 f"由{listing_zh}组建{name}（{new_id}）"
                 + (f"，隶属{self.name(parent_org)}（{parent_org}）" if parent_org else "")
                 + (f"；转入在此工作的{len(movers)}名党员的组织关系，选举{self.name(full[0])}"
                    f"（{full[0]}）为书记。" if full else "。"),
                 parent_org, closes, "high", ops)

    def new_id(self, prefix):
        number = 1
        while f"{prefix}-{number:03d}" in self.G or f"{prefix}-{number:03d}" in self.__dict__.setdefault("_ids", set()):
            number += 1
        found = f"{prefix}-{number:03d}"
        self._ids.add(found)
        return found

    # -- structure ------------------------------------------------------------
    def structure(self):
        G = self.G
        minimum = self.settings.branch_min_full_members
        full_count = {}

        def full_of(org):
            if org not in full_count:
                full_count[org] = len(g.full_members_at_or_below(G, org))
            return full_count[org]

        for f in self.by_check.get("structure.branch_too_small", []):
            small = f.subject[0]
            parent = g.org_parent(G, small)
            insts = set(g.covered_institutions(G, small))
            candidates = []
            for org in g.org_ids(G):
                if org == small or org in self.dissolved or g.kind_of(G, org) not in BRANCH_KINDS:
                    continue
                same_parent = parent is not None and g.org_parent(G, org) == parent
                same_inst = bool(insts & set(g.covered_institutions(G, org)))
                if not (same_parent or same_inst):
                    continue
                if g.orgs_at_or_below(G, org) != [org] or g.orgs_at_or_below(G, small) != [small]:
                    continue
                total = full_of(org) + full_of(small)
                candidates.append((not same_inst, total < minimum, -total, org))
            if not candidates:
                self.reasons[finding_key(f)] = "no branch of the same parent org or institution to merge with"
                continue
            *_, target = min(candidates)
            if full_of(target) + full_of(small) < minimum:
                self.reasons[finding_key(f)] = ("merging with the nearest branch still leaves fewer "
                                                f"than {minimum} full members")
                continue
            self.dissolved.add(small)
            full_count[target] = full_of(target) + full_of(small)
            closes = [("structure.branch_too_small", (small,))]
            closes += [(c.check, c.subject) for check in ("structure.no_secretary", "coverage.empty_org")
                       for c in self.by_check.get(check, []) if c.subject == (small,)]
            self.add("merge_branch", [small, target],
                     f"Merge {self.name(small)} ({small}) into {self.name(target)} ({target}): "
                     f"transfer its members' membership and its units, then dissolve it.",
                     f"将{self.name(small)}（{small}）并入{self.name(target)}（{target}），"
                     f"转接党员组织关系和所覆盖单位后撤销原支部。",
                     parent or target, closes, "medium", [("merge", small, target)])
        for f in self.by_check.get("structure.no_secretary", []):
            org = f.subject[0]
            if org in self.dissolved:
                continue
            direct = [m for m in g.direct_members(G, org)
                      if G._node[m].get("status") == FULL_STATUS and m not in self.taken_members]
            if not direct:
                self.reasons[finding_key(f)] = "no full member holds membership in it directly"
                continue
            ranked = sorted(direct, key=lambda m: (not set(g.roles_of(G, m)) & {"deputy_secretary",
                                                                               "committee_member"}, m))
            who = ranked[0]
            self.taken_members.add(who)
            self.add("elect_secretary", [org, who],
                     f"Elect a secretary of {self.name(org)} ({org}); candidate: {self.name(who)} ({who}).",
                     f"{self.name(org)}（{org}）按程序选举书记，建议人选：{self.name(who)}（{who}）。",
                     org, [("structure.no_secretary", (org,))], "medium", [("role", who, SECRETARY_ROLE)])
        need = self.settings.branch_committee_min_size
        for f in self.by_check.get("structure.no_branch_committee", []):
            org = f.subject[0]
            if org in self.dissolved:
                continue
            direct = g.direct_members(G, org)
            holders = [m for m in direct if set(g.roles_of(G, m)) & {"secretary", "deputy_secretary",
                                                                      "committee_member"}]
            free = [m for m in direct if m not in holders and m not in self.taken_members
                    and G._node[m].get("status") == FULL_STATUS]
            missing = need - len(holders)
            if len(free) < missing:
                self.reasons[finding_key(f)] = "too few full members hold membership in it directly"
                continue
            chosen = free[:missing]
            self.taken_members.update(chosen)
            names_en = ", ".join(f"{self.name(m)} ({m})" for m in chosen)
            names_zh = "、".join(f"{self.name(m)}（{m}）" for m in chosen)
            self.add("elect_committee", [org] + chosen,
                     f"Set up the branch committee of {self.name(org)} ({org}) (支部工作条例 第九条): "
                     f"elect committee members; candidates: {names_en}.",
                     f"{self.name(org)}（{org}）依照《支部工作条例》第九条设立支部委员会，选举委员，建议人选：{names_zh}。",
                     org, [("structure.no_branch_committee", (org,))], "low",
                     [("role", m, "committee_member") for m in chosen])
        for f in self.by_check.get("structure.unit_without_branch", []):
            inst = f.subject[0]
            movers = [m for m in g.workers(G, inst, {FULL_STATUS}) if m not in self.taken_members]
            if len(movers) < self.settings.branch_min_full_members:
                self.reasons[finding_key(f)] = "its full members already take part in other actions"
                continue
            covering = g.covering_orgs(G, inst)
            parent_org = next((g.org_parent(G, o) for o in covering if g.org_parent(G, o)), None)
            if parent_org is None:
                above = g.institution_parent(G, inst)
                parent_org = None if above is None else g.preferred_org(G, g.covering_orgs(G, above))
            new_id = self.new_id("PLAN-B")
            self.taken_members.update(movers)
            name = f"{self.name(inst)}党支部"
            self.add("set_up_branch", [inst],
                     f"Set up {name} ({new_id}) at {self.name(inst)} ({inst}) with its {len(movers)} "
                     f"full members (支部工作条例 第五条); elect {self.name(movers[0])} ({movers[0]}) secretary.",
                     f"依照《支部工作条例》第五条，在{self.name(inst)}（{inst}）以在此工作的{len(movers)}名"
                     f"正式党员单独建立{name}（{new_id}），选举{self.name(movers[0])}（{movers[0]}）为书记。",
                     parent_org, [("structure.unit_without_branch", (inst,))], "medium",
                     [("add_org", new_id, name, "branch", parent_org, [inst])]
                     + [("move", m, new_id) for m in movers] + [("role", movers[0], SECRETARY_ROLE)])
        for f in self.by_check.get("coverage.unattached_member", []):
            member = f.subject[0]
            if member in self.taken_members:
                continue
            org = f.evidence.get("org")
            if org is None or org in self.dissolved:
                self.reasons[finding_key(f)] = "no org covers the member's workplace"
                continue
            self.taken_members.add(member)
            self.add("attach_member", [member, org],
                     f"Transfer the membership of {self.name(member)} ({member}) to {self.name(org)} ({org}).",
                     f"将{self.name(member)}（{member}）的组织关系转入{self.name(org)}（{org}）。",
                     org, [("coverage.unattached_member", (member,))], "medium", [("move", member, org)])

    # -- referral ---------------------------------------------------------------
    def referral(self):
        G = self.G
        added = set()
        for check in ("referral.no_upward_referral", "referral.broken_chain"):
            for f in self.by_check.get(check, []):
                inst = f.subject[0]
                if check == "referral.no_upward_referral":
                    hops = [(inst, f.evidence.get("target"))]
                else:
                    hops = [tuple(h) for h in f.evidence.get("missing_hops", [])]
                hops = [(a, b) for a, b in hops if b is not None]
                if not hops:
                    self.reasons[finding_key(f)] = "no higher-level institution to refer to in its area"
                    continue
                new = [h for h in hops if h not in added]
                added.update(new)
                ops = [("add_link", a, b, "referral", 1, {}) for a, b in new]
                # an agreement is two-way (双向转诊): the way back down too, unless it exists
                ops += [("add_link", b, a, "referral", 1, {}) for a, b in new
                        if not any(d.get("link_type") == "referral" and d.get("count", 1) != 0
                                   for d in (G._adj.get(b, {}).get(a) or {}).values())]
                text_en = "; ".join(f"{self.name(a)} ({a}) refers up to {self.name(b)} ({b}) and "
                                    f"takes recovering patients back" for a, b in hops)
                text_zh = "；".join(f"{self.name(a)}（{a}）向{self.name(b)}（{b}）上转，康复期患者下转回"
                                    f"{self.name(a)}" for a, b in hops)
                org = g.preferred_org(G, g.covering_orgs(G, inst))
                self.add("referral_agreement", [inst] + [b for _, b in hops],
                         f"Sign a referral agreement: {text_en}.", f"签订双向转诊协议：{text_zh}。",
                         org, [(check, (inst,))], "high", ops)
        for f in self.by_check.get("referral.one_way", []):
            a, b = f.subject
            org = g.preferred_org(G, g.covering_orgs(G, b))
            self.add("down_referral", [b, a],
                     f"Sign a down-referral agreement: {self.name(b)} ({b}) refers recovering patients "
                     f"back to {self.name(a)} ({a}).",
                     f"签订下转协议：{self.name(b)}（{b}）将康复期患者下转至{self.name(a)}（{a}）。",
                     org, [("referral.one_way", (a, b))], "medium",
                     [("add_link", b, a, "referral", 1, {})])

    # -- services ---------------------------------------------------------------
    def service(self):
        for f in self.by_check.get("service.stage_gap", []):
            area, stage = f.subject
            candidates = f.evidence.get("candidates") or []
            if not candidates:
                self.reasons[finding_key(f)] = "no institution of a suitable kind in the area"
                continue
            inst = candidates[0]
            org = self.org_for(inst)
            self.add("service_stage", [inst, stage],
                     f"Have {self.name(inst)} ({inst}) provide the {stage.replace('_', ' ')} stage"
                     + (f", with {self.name(org)} ({org}) as coordinator." if org else "."),
                     f"由{self.name(inst)}（{inst}）承担“{_zh(stage)}”服务"
                     + (f"，{self.name(org)}（{org}）为协同党组织。" if org else "。"),
                     org, [("service.stage_gap", (area, stage))], "high",
                     [("service", inst, stage, org)])
        for f in self.by_check.get("service.no_coordinator", []):
            inst, stage = f.subject
            org = self.org_for(inst)
            if org is None:
                self.reasons[finding_key(f)] = "no org covers the institution"
                continue
            self.add("coordinator", [inst, stage],
                     f"Name {self.name(org)} ({org}) coordinator of the {stage.replace('_', ' ')} "
                     f"service of {self.name(inst)} ({inst}).",
                     f"明确{self.name(org)}（{org}）为{self.name(inst)}（{inst}）“{_zh(stage)}”服务的协同党组织。",
                     org, [("service.no_coordinator", (inst, stage))], "low",
                     [("coordinator", inst, stage, org)])

    # -- connectivity -------------------------------------------------------------
    def connectivity(self):
        from orgnet.queries.connectivity import cached_unit_network

        G = self.G
        checks = ("connectivity.isolated_unit", "connectivity.disconnected_component",
                  "connectivity.cut_unit", "connectivity.bridge_link")
        targets = {finding_key(f) for c in checks for f in self.by_check.get(c, [])}
        if targets:
            U = cached_unit_network(G)
            for area, units in sorted(_county_areas(G, U).items()):
                self.augment_area(U, area, units)
        self.liaisons()

    def augment_area(self, U, area, units):
        """The fewest plausible pairing ties that leave the area's units with no isolated
        unit, no cut unit and no bridge (see :func:`fewest_ties`)."""
        H = nx.Graph()
        H.add_nodes_from(units)
        H.add_edges_from(U.subgraph(units).edges())
        if H.number_of_nodes() < 2 or not _weak_points(H):
            return
        # candidate ties that do not exist yet (networkx would return existing ones as "new")
        avail = [(a, b, w) for a, b, w in _plausible_pairs(self.G, units) if not H.has_edge(a, b)]
        new, proved, bound = fewest_ties(H, avail, tiers=None if len(units) <= _WHOLE_AREA
                                         else _tiers(self.G, units))
        self.stats["areas"] += 1
        self.stats["ties"] += len(new)
        self.stats["lower_bound"] += bound
        self.stats["fewest_proved"] += proved
        self.stats["fixed"] += not _weak_points(_with(H, new))
        if not new:
            return
        G = self.G
        pairs = sorted(tuple(sorted(edge)) for edge in new)
        units = sorted({n for edge in pairs for n in edge})
        area_name = self.name(area) if area in G else area
        listing_en = "; ".join(f"{self.name(a)} ({a}) – {self.name(b)} ({b})" for a, b in pairs)
        listing_zh = "；".join(f"{self.name(a)}（{a}）—{self.name(b)}（{b}）" for a, b in pairs)
        top = next((u for u in units if G._node[u].get("kind") == "county_hospital"), units[0])
        self.add("pairing", units,
                 f"In {area_name}, set up {len(pairs)} pairing tie(s) (结对共建) so that no unit "
                 f"is isolated or hangs on a single unit or tie: {listing_en}.",
                 f"在{area_name}建立{len(pairs)}对结对共建关系，使县域内机构不再孤立、不再依赖单一机构或单一联系：{listing_zh}。",
                 self.org_for(top), [], "high",
                 [("add_link", a, b, "pairing", 1, {}) for a, b in pairs])

    def liaisons(self):
        G = self.G
        found = self.by_check.get("connectivity.single_liaison", [])
        if not found:
            return
        load: dict = {}
        for u, v, d in G.edges(data=True):
            if d.get("link_type") == "liaison" and d.get("count", 1) != 0:
                load.setdefault(u, set()).add(v)
        for f in found:
            unit = f.subject[0]
            member = f.evidence.get("member")
            places = [p for p in ([g.institution_parent(G, unit)] + g.targets(G, member, WORKS_AT))
                      if p is not None]
            pool = []
            for place in places:
                if place == unit:           # a liaison of its own unit makes no tie
                    continue
                for m in g.workers(G, place, PARTY_MEMBER_STATUSES):
                    if m != member and len(load.get(m, ())) < self.max_liaison_units:
                        pool.append((len(load.get(m, ())), G._node[m].get("status") != FULL_STATUS, m))
            if not pool:
                self.reasons[finding_key(f)] = (f"no party member at its parent institution or the "
                                                f"liaison's workplace has fewer than "
                                                f"{self.max_liaison_units} liaison units")
                continue
            backup = min(pool)[2]
            load.setdefault(backup, set()).add(unit)
            org = next(iter(g.targets(G, backup, MEMBER_OF)), None)
            self.add("backup_liaison", [unit, backup],
                     f"Make {self.name(backup)} ({backup}) backup liaison of {self.name(unit)} ({unit}), "
                     f"beside {self.name(member)} ({member}).",
                     f"增设{self.name(backup)}（{backup}）为{self.name(unit)}（{unit}）的备用联络员，"
                     f"与{self.name(member)}（{member}）共同联系。",
                     org, [("connectivity.single_liaison", (unit,))], "medium",
                     [("add_link", backup, unit, "liaison", 1, {})])

    def united_front(self):
        """Contacts for uncontacted representatives, united-front members for committees,
        a township station for a village station (统战工作 seed 004)."""
        G = self.G
        contacts: dict = {}
        for u, v, d in G.edges(data=True):
            if d.get("link_type") == "contact" and d.get("count", 1) != 0:
                contacts.setdefault(u, set()).add(v)
        most = 5
        for f in self.by_check.get("united_front.no_united_front_member", []):
            org = f.subject[0]
            direct = [m for m in g.direct_members(G, org) if m not in self.taken_members
                      and G._node[m].get("status") == FULL_STATUS]
            if not direct:
                self.reasons[finding_key(f)] = "no full member holds membership in it directly"
                continue
            who = direct[0]
            self.taken_members.add(who)
            self.add("united_front_member", [org, who],
                     f"Appoint a united-front committee member (统战委员) in {self.name(org)} ({org}); "
                     f"candidate: {self.name(who)} ({who}).",
                     f"{self.name(org)}（{org}）配备统战委员，建议人选：{self.name(who)}（{who}）。",
                     org, [("united_front.no_united_front_member", (org,))], "medium",
                     [("role", who, "united_front_member")])
        for f in self.by_check.get("united_front.uncontacted_representative", []):
            person = f.subject[0]
            org = f.evidence.get("committee")
            if org is None:
                self.reasons[finding_key(f)] = "no party committee is responsible for the person"
                continue
            pool = [m for m in g.direct_members(G, org)
                    if G._node[m].get("status") in PARTY_MEMBER_STATUSES
                    and len(contacts.get(m, ())) < most]
            pool.sort(key=lambda m: (not set(g.roles_of(G, m)) & {"united_front_member",
                                                                   "united_front_officer"},
                                     len(contacts.get(m, ())), m))
            if not pool:
                self.reasons[finding_key(f)] = "every party member of the responsible committee already has 5 contacts"
                continue
            who = pool[0]
            contacts.setdefault(who, set()).add(person)
            self.add("contact", [person, who],
                     f"{self.name(who)} ({who}) of {self.name(org)} ({org}) keeps regular contact "
                     f"(联谊交友) with {self.name(person)} ({person}).",
                     f"由{self.name(org)}（{org}）的{self.name(who)}（{who}）与{self.name(person)}（{person}）结对联谊交友。",
                     org, [("united_front.uncontacted_representative", (person,))], "medium",
                     [("add_link", who, person, "contact", 1, {})])
        for f in self.by_check.get("united_front.station_chain_broken", []):
            station, parent = f.subject[0], f.evidence.get("station")
            if parent is None:
                self.reasons[finding_key(f)] = "no township liaison station in its township"
                continue
            self.add("station_parent", [station, parent],
                     f"Attach the liaison station {self.name(station)} ({station}) to the township station "
                     f"{self.name(parent)} ({parent}).",
                     f"将{self.name(station)}（{station}）归口到乡镇统战工作联络站{self.name(parent)}（{parent}）。",
                     None, [("united_front.station_chain_broken", (station,))], "low",
                     [("parent", station, parent)])


def _zh(stage):
    from orgnet.graphmodel.schema import ZH

    return ZH.get(stage, stage)


def _county_areas(G, U) -> dict:
    """County area (county-level region, else top of the parent chain) -> its institutions."""
    areas: dict = {}
    county_of: dict = {}
    for node in U:
        region = G._node[node].get("region_id")
        area = None
        if region is not None and region in G:
            if region not in county_of:
                county_of[region] = next((r for r in g.region_chain(G, region)
                                          if G._node[r].get("level") == COUNTY_LEVEL), None)
            area = county_of[region]
        if area is None:
            area = g.institution_chain(G, node)[-1]
        areas.setdefault(area, []).append(node)
    return areas


def _plausible_pairs(G, units) -> list:
    """Weighted candidate ties inside an area: parent/child 1, siblings 2, a township
    center 3, the county hospital 4 (nearest in the institution hierarchy first)."""
    units = sorted(units)
    inside = set(units)
    pairs: dict = {}

    def offer(a, b, weight):
        if a == b or a not in inside or b not in inside:
            return
        key = (a, b) if a < b else (b, a)
        if key not in pairs or pairs[key] > weight:
            pairs[key] = weight

    children: dict = {}
    kind = {u: G._node[u].get("kind") for u in units}
    for u in units:
        parent = G._node[u].get("parent_id")
        if parent in inside:
            offer(u, parent, 1)
            children.setdefault(parent, []).append(u)
    for kids in children.values():
        for a, b in combinations(kids[:12], 2):
            offer(a, b, 2)
    centers = [u for u in units if kind[u] in ("township_health_center", "community_health_center")]
    hospitals = [u for u in units if kind[u] == "county_hospital"]
    for u in units:
        for c in centers[:30]:
            offer(u, c, 3)
        for h in hospitals:
            offer(u, h, 4)
    return [(a, b, w) for (a, b), w in sorted(pairs.items())]


#: areas up to this many units are augmented as a whole (else tier by tier)
_WHOLE_AREA = 120
#: at most this many candidate sets of ties are tried to prove a tie count the fewest
EXACT_BUDGET = 50_000


def _weak_points(H: nx.Graph) -> bool:
    """True when the graph has an isolated unit, a cut unit or a bridge (or is not connected).

    Two units need one tie between them (a tie with one unit on each side is no
    reported bridge); three or more need a biconnected graph.

    Examples
    --------
    >>> _weak_points(nx.cycle_graph(3)), _weak_points(nx.path_graph(3)), _weak_points(nx.path_graph(2))
    (False, True, False)
    """
    n = H.number_of_nodes()
    if n < 2:
        return False
    if n == 2:
        return not nx.is_connected(H)
    return not nx.is_biconnected(H)


def _with(H, edges):
    found = H.copy()
    found.add_edges_from(edges)
    return found


def ties_lower_bound(H: nx.Graph) -> int:
    """A lower bound on the new ties that leave ``H`` without weak points (Eswaran and Tarjan).

    Every leaf block (a block holding one cut unit) needs a new tie at one of its
    other units, every isolated unit and every component that is one block (when
    there are several components) two: a tie serves two such needs at most.
    And without a cut unit *v* the graph must stay connected: the parts ``H - v``
    falls into need that many ties, less one, none of them at *v*.

    Examples
    --------
    >>> ties_lower_bound(nx.path_graph(4)), ties_lower_bound(nx.star_graph(4)), ties_lower_bound(nx.empty_graph(3))
    (1, 3, 3)
    """
    n = H.number_of_nodes()
    if n < 2:
        return 0
    components = list(nx.connected_components(H))
    c = len(components)
    if n == 2:
        return c - 1
    need = 0
    parts = 0
    for component in components:
        if len(component) == 1:
            need += 2
            continue
        S = H.subgraph(component)
        blocks = list(nx.biconnected_components(S))
        if len(blocks) == 1:
            need += 2 if c > 1 else 0
            continue
        count: dict = {}
        for block in blocks:
            for v in block:
                count[v] = count.get(v, 0) + 1
        cuts = {v for v, k in count.items() if k > 1}
        need += sum(1 for block in blocks if len(block & cuts) == 1)
        parts = max(parts, max(count[v] for v in cuts))
    return max(-(-need // 2), parts + c - 2 if parts else c - 1)


def plausible_lower_bound(H: nx.Graph, avail) -> int:
    """A lower bound on the new ties, when they must be among the candidate ties ``avail``.

    Without a cut unit *v*, the parts ``H - v`` falls into must be joined again by
    ties not at *v*, each tie joining two parts: *v* needs (parts - 1) ties that
    *serve* it (a tie serves the cut units on the block-cut tree path between its
    ends).  When no candidate tie serves two cut units of a set, their needs add up:
    the bound is the largest such sum found greedily (cut units with few
    co-served ones first, or the neediest first).  A graph in several parts is
    first joined by one candidate tie per part (more ties make the task no harder,
    so its bound holds); 0 when a part has no candidate tie to the largest.

    Examples
    --------
    >>> star = nx.star_graph(4)                 # center 0, leaves 1..4
    >>> plausible_lower_bound(star, [(1, 2, 1), (2, 3, 1), (3, 4, 1), (1, 4, 1)])
    3
    """
    if H.number_of_nodes() < 3:
        return 0
    if not nx.is_connected(H):
        # more ties make the task no harder: the bound of H plus one candidate tie from
        # each other part to the largest is a bound for H
        parts = sorted(nx.connected_components(H), key=lambda c: (-len(c), min(map(str, c))))
        main, part_of = parts[0], {}
        for i, part in enumerate(parts[1:], 1):
            for x in part:
                part_of[x] = i
        joined = {}
        for a, b, _ in avail:
            if a in main and b in part_of:
                joined.setdefault(part_of[b], (a, b))
            elif b in main and a in part_of:
                joined.setdefault(part_of[a], (a, b))
        if len(joined) < len(parts) - 1:
            return 0
        H = _with(H, joined.values())
        avail = [(a, b, w) for a, b, w in avail if not H.has_edge(a, b)]
    blocks = [frozenset(b) for b in nx.biconnected_components(H)]
    count: dict = {}
    for b in blocks:
        for x in b:
            count[x] = count.get(x, 0) + 1
    cuts = {x for x, k in count.items() if k > 1}
    if not cuts:
        return 0
    tree = nx.Graph()
    home = {}
    for i, b in enumerate(blocks):
        for x in b:
            if x in cuts:
                tree.add_edge(("B", i), ("C", x))
            else:
                home[x] = ("B", i)
        tree.add_node(("B", i))
    for x in cuts:
        home[x] = ("C", x)
    root = next(iter(tree))
    parent = {root: None}
    depth = {root: 0}
    for a, b in nx.bfs_edges(tree, root):
        parent[b] = a
        depth[b] = depth[a] + 1
    co: dict = {x: set() for x in cuts}
    for a, b, _ in avail:
        if a not in home or b not in home:
            continue
        x, y = home[a], home[b]
        served = set()
        while x != y:
            if depth[x] < depth[y]:
                x, y = y, x
            if x[0] == "C":
                served.add(x[1])
            x = parent[x]
        if x[0] == "C":
            served.add(x[1])
        served -= {a, b}
        for v in served:
            co[v] |= served
    need = {v: count[v] - 1 for v in cuts}
    best = 0
    for key in (lambda v: (len(co[v]) - need[v], v), lambda v: (-need[v], v)):
        picked, total = set(), 0
        for v in sorted(cuts, key=key):
            if not co[v] & picked:
                picked.add(v)
                total += need[v]
        best = max(best, total)
    return best


def fewest_ties(H: nx.Graph, avail, *, tiers=None, budget: int = EXACT_BUDGET):
    """Return ``(ties, proved, bound)``: plausible new ties leaving ``H`` without weak points,
    whether their number is proved the fewest, and the lower bound on that number.

    ``avail`` lists ``(a, b, weight)`` candidate ties (nearest in the hierarchy
    first: a smaller weight).  First networkx's ``k_edge_augmentation`` (k=2, the
    candidate ties weighted) removes every bridge (on a large area, ``tiers``:
    on each township's units and on the upper tier, see :func:`_tiers`); a tie
    around each remaining cut unit and between remaining parts follows; ties that
    are not needed are dropped (the farthest first).  The count is proved the
    fewest when it equals the lower bound (:func:`ties_lower_bound`,
    :func:`plausible_lower_bound`); else, while fewer than
    ``budget`` candidate sets are to be tried, every smaller set of candidate
    ties is tried (the cheapest set of the smallest size that works is taken).
    Ties are kept only when they leave no weak point; with no plausible set that
    does, the ties found are returned with ``proved`` False.

    Examples
    --------
    >>> H = nx.path_graph(["a", "b", "c", "d"])
    >>> avail = [("a", "c", 2), ("a", "d", 3), ("b", "d", 2)]
    >>> fewest_ties(H, avail)
    ([('a', 'd')], True, 1)
    """
    # networkx walks sets of nodes inside its augmentation: on integer labels the
    # order (and so the plan) is the same in every run, whatever the string hashing
    nodes = sorted(H, key=lambda n: (str(type(n)), n))
    index = {n: i for i, n in enumerate(nodes)}
    Hi = nx.Graph()
    Hi.add_nodes_from(range(len(nodes)))
    Hi.add_edges_from((index[a], index[b]) for a, b in H.edges())
    found, proved, bound = _fewest_ties(
        Hi, [(index[a], index[b], w) for a, b, w in avail],
        None if tiers is None else [[index[u] for u in group] for group in tiers], budget)
    return sorted(tuple(sorted((nodes[a], nodes[b]))) for a, b in found), proved, bound


def _fewest_ties(H, avail, tiers, budget):
    weight = {}
    for a, b, w in avail:
        weight[(a, b)] = weight[(b, a)] = w
    found = _augment(H, avail, tiers)
    if tiers is None:
        # drop ties that are not needed, farthest first (a check of the whole area per
        # tie: small areas only)
        for edge in sorted(found, key=lambda e: (-weight.get(e, 9), e)):
            rest = [e for e in found if e != edge]
            if not _weak_points(_with(H, rest)):
                found = rest
    found = [tuple(sorted(e)) for e in found]
    fixed = not _weak_points(_with(H, found))
    low = max(ties_lower_bound(H), plausible_lower_bound(H, avail))
    if fixed and len(found) <= low:
        return sorted(found), True, low
    # try every smaller set while that stays within the budget
    from math import comb

    pairs = sorted({tuple(sorted((a, b))) for a, b, _ in avail})
    top = len(found) if fixed else len(pairs)
    sizes = range(low, top)
    if sum(comb(len(pairs), k) for k in sizes) > budget:
        return sorted(found), False, low
    for k in sizes:
        best = None
        for extra in combinations(pairs, k):
            if not _weak_points(_with(H, extra)):
                cost = sum(weight[e] for e in extra)
                if best is None or (cost, extra) < best:
                    best = (cost, extra)
        if best is not None:
            return sorted(best[1]), True, k
    return sorted(found), fixed, len(found) if fixed else low


def _augment(H, avail, tiers):
    """The heuristic ties of :func:`fewest_ties` (k_edge_augmentation, then cut units, then parts)."""
    H = H.copy()
    units = sorted(H)
    new = []
    groups = tiers if tiers is not None else [units]
    member_of: dict = {}
    for index, group in enumerate(groups):
        for u in group:
            member_of.setdefault(u, set()).add(index)
    # per group a dict {edge: weight}: networkx's partial augmentation reads it that way
    group_pairs: list = [{} for _ in groups]
    # distinct weights (the hierarchy distance first, then the candidate's place in the
    # list) leave networkx's branching fewer equal choices to make in set order
    for rank, (a, b, w) in enumerate(avail):
        for index in member_of.get(a, set()) & member_of.get(b, set()):
            group_pairs[index][(a, b)] = w * (len(avail) + 1) + rank
    for group, pairs in zip(groups, group_pairs):
        if len(group) < 3:
            continue
        sub = nx.Graph()
        sub.add_nodes_from(group)
        sub.add_edges_from(H.subgraph(group).edges())
        try:
            found = list(nx.k_edge_augmentation(sub, k=2, avail=pairs, partial=True))
        except nx.NetworkXException:
            found = []
        found = [(a, b) for a, b in found if not H.has_edge(a, b)]
        new += found
        H.add_edges_from(found)
    for _ in range(3):
        if not nx.is_connected(H):
            parts = sorted(nx.connected_components(H), key=lambda c: (-len(c), min(c)))
            for part in parts[1:]:
                edge = _join(part, parts[0], avail)
                if edge is not None:
                    new.append(edge)
                    H.add_edge(*edge)
        for _ in range(len(units)):
            cuts = list(nx.articulation_points(H))
            if not cuts:
                break
            edge = _bypass(H, min(cuts), avail)
            if edge is None:
                break
            new.append(edge)
            H.add_edge(*edge)
        if not _weak_points(H):
            break
    return new


def _tiers(G, units) -> list:
    """Groups of an area's units: one per township-level unit (it and the units below
    it), and the upper tier (the township-level units and those above them)."""
    inside = set(units)
    groups: dict = {}
    upper = []
    for u in units:
        top = next((x for x in g.institution_chain(G, u)
                    if x in inside and G._node[x].get("level") == "township"), None)
        if top is None:
            upper.append(u)
        else:
            groups.setdefault(top, []).append(u)
    upper += [t for t in groups if t not in upper]
    return [sorted(members) for _, members in sorted(groups.items())] + [sorted(upper)]


def _join(part, main, avail):
    """The cheapest plausible tie between two parts."""
    best = None
    for a, b, w in avail:
        if (a in part and b in main) or (a in main and b in part):
            if best is None or (w, a, b) < best:
                best = (w, a, b)
    return None if best is None else (best[1], best[2])


def _bypass(H, cut, avail):
    """A plausible tie joining two parts that ``cut`` separates (cheapest first)."""
    neighbours = list(H[cut])
    H.remove_node(cut)
    part = {n: i for i, comp in enumerate(nx.connected_components(H)) for n in comp}
    H.add_node(cut)
    H.add_edges_from((cut, n) for n in neighbours)
    best = None
    for a, b, w in avail:
        if a == cut or b == cut or a not in part or b not in part or part[a] == part[b]:
            continue
        if H.has_edge(a, b):
            continue
        if best is None or (w, a, b) < best:
            best = (w, a, b)
    return None if best is None else (best[1], best[2])


# ---------------------------------------------------------------------------
# applying and proving the plan
# ---------------------------------------------------------------------------
def apply_plan(G: nx.MultiDiGraph, plan: Plan) -> nx.MultiDiGraph:
    """Return a copy of the graph with every action of the plan made.

    New orgs carry ``row`` None and the names the actions give; new links carry a
    note naming the action; removed orgs leave no reference behind.
    """
    H = G.copy()
    H.graph["services"] = [dict(row) for row in G.graph.get("services", [])]
    next_index = [max((d["link_index"] for _, _, d in G.edges(data=True) if "link_index" in d),
                      default=-1) + 1]
    for action in plan.actions:
        for op in action.ops:
            _apply(H, op, next_index)
    return H


def _apply(H, op, next_index):
    kind = op[0]
    if kind == "cover":
        _, org, inst = op
        H.add_edge(org, inst, key=COVERS, type=COVERS)
        H._node[org]["institution_ids"] = list(H._node[org].get("institution_ids") or []) + [inst]
    elif kind == "add_org":
        _, org, name, org_kind, parent, insts = op
        H.add_node(org, label=PARTY_ORG, name=name, kind=org_kind, row=None)
        if parent is not None:
            H.add_edge(org, parent, key=ORG_PARENT, type=ORG_PARENT)
            H._node[org]["parent_id"] = parent
        for inst in insts:
            H.add_edge(org, inst, key=COVERS, type=COVERS)
        H._node[org]["institution_ids"] = list(insts)
    elif kind == "move":
        _, member, org = op
        for old in [v for v, keyed in H._adj[member].items() if MEMBER_OF in keyed]:
            H.remove_edge(member, old, key=MEMBER_OF)
        H.add_edge(member, org, key=MEMBER_OF, type=MEMBER_OF)
        H._node[member]["org_id"] = org
    elif kind == "role":
        _, member, role = op
        roles = list(H._node[member].get("roles") or [])
        if role not in roles:
            H._node[member]["roles"] = roles + [role]
    elif kind == "merge":
        _, small, target = op
        for m in [u for u, keyed in H._pred[small].items() if MEMBER_OF in keyed]:
            _apply(H, ("move", m, target), next_index)
        have = set(H._node[target].get("institution_ids") or [])
        for inst in H._node[small].get("institution_ids") or []:
            if inst not in have:
                _apply(H, ("cover", target, inst), next_index)
        if len(set(H._node[target].get("institution_ids") or [])) > 1 \
                and H._node[target].get("kind") == "branch":
            tops = {g.institution_chain(H, i)[-1] for i in H._node[target]["institution_ids"]}
            if len(tops) > 1:
                H._node[target]["kind"] = "joint_branch"
        for row in H.graph["services"]:
            if row.get("coordinator_org_id") == small:
                row["coordinator_org_id"] = target
        for link_source, link_target, key, data in list(H.in_edges(small, keys=True, data=True)) \
                + list(H.out_edges(small, keys=True, data=True)):
            if "link_index" in data:
                other = link_source if link_target == small else link_target
                if other != target:
                    new_source = target if link_source == small else link_source
                    new_target = target if link_target == small else link_target
                    H.add_edge(new_source, new_target, key=key, **data)
        H.remove_node(small)
    elif kind == "add_link":
        _, source, target, link_type, count, extra = op
        # the row it gets in the written links table (header row 1, first link row 2)
        add_link(H, source, target, link_type=link_type, link_index=next_index[0], count=count,
                 note=extra.get("note"), row=next_index[0] + 2)
        next_index[0] += 1
    elif kind == "parent":
        _, node, parent = op
        for old in [v for v, keyed in H._adj[node].items() if INSTITUTION_PARENT in keyed]:
            H.remove_edge(node, old, key=INSTITUTION_PARENT)
        H.add_edge(node, parent, key=INSTITUTION_PARENT, type=INSTITUTION_PARENT)
        H._node[node]["parent_id"] = parent
    elif kind == "service":
        _, inst, stage, org = op
        H.graph["services"].append({"institution_id": inst, "stage": stage,
                                    "coordinator_org_id": org, "row": None})
    elif kind == "coordinator":
        _, inst, stage, org = op
        for row in H.graph["services"]:
            if row["institution_id"] == inst and row["stage"] == stage and not row.get("coordinator_org_id"):
                row["coordinator_org_id"] = org
    else:                                   # pragma: no cover - a programming error
        raise PlanError(f"unknown plan operation {kind!r}")


def proposed_rows(H: nx.MultiDiGraph) -> set:
    """Return the links-table rows of the links a plan added (``orgnet map --plan`` dashes them).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> H = new_graph(); H.add_node("a"); H.add_node("b")
    >>> add_link(H, "a", "b", link_type="pairing", link_index=0, row=2, note="orgnet plan A001")
    >>> proposed_rows(H)
    {2}
    """
    return {d.get("row") for _, _, d in H.edges(data=True)
            if "link_index" in d and str(d.get("note") or "").startswith("orgnet plan ")}


def prove_plan(G: nx.MultiDiGraph, plan: Plan, *, fixed: nx.MultiDiGraph | None = None,
               settings: Settings = DEFAULT_SETTINGS, only=(), skip=()) -> Plan:
    """Apply the plan (or take ``fixed``, the written dataset read back), re-run the checks
    and keep as claims only the findings that are gone.

    Each action's ``closes`` becomes the findings it was meant to close that the
    checks no longer report; connectivity ties claim the connectivity findings of
    their area that are gone; a finding meant to be closed but still reported goes
    to ``unclosable`` with the reason.  ``plan.after`` is the summary of the checks.
    """
    H = fixed if fixed is not None else apply_plan(G, plan)
    after = run_checks(H, settings=settings, only=only, skip=skip, lang=plan.lang)
    remaining = {finding_key(f) for f in after.findings}
    before = {finding_key(f): f for f in plan.findings_before}
    gone = set(before) - remaining
    claimed = set()
    unclosable = {(u["check"], tuple(u["subject"])): u for u in plan.unclosable}
    for action in plan.actions:
        kept = []
        for c in action.closes:
            key = (c["check"], tuple(c["subject"]))
            if key in gone and key not in claimed:
                kept.append(c)
                claimed.add(key)
            elif key not in gone:
                unclosable[key] = {"check": key[0], "subject": list(key[1]),
                                   "reason": reason_text(f"still reported after the plan ({action.id})",
                                                         plan.lang)}
        action.closes = kept
    # connectivity: the pairing ties of an area claim what is gone there
    U = None
    ties = [a for a in plan.actions if a.kind == "pairing"]
    if ties:
        from orgnet.queries.connectivity import cached_unit_network

        U = cached_unit_network(G)
        areas = _county_areas(G, U)
        area_of = {n: a for a, units in areas.items() for n in units}
        first_tie = {}
        for action in ties:
            first_tie.setdefault(area_of.get(action.subjects[0]), action)
        for key in sorted(gone - claimed):
            if not key[0].startswith("connectivity.") or key[0] == "connectivity.single_liaison":
                continue
            area = area_of.get(key[1][0])
            action = first_tie.get(area)
            if action is not None:
                action.closes.append({"check": key[0], "subject": list(key[1])})
                claimed.add(key)
    for key in gone - claimed:           # gone as a side effect of other actions
        unclosable.pop(key, None)
    for key in claimed:
        unclosable.pop(key, None)
    for key in list(unclosable):
        if key not in before or key in gone:
            unclosable.pop(key)
    order = {finding_key(f): i for i, f in enumerate(plan.findings_before)}
    plan.unclosable = sorted(unclosable.values(),
                             key=lambda u: order.get((u["check"], tuple(u["subject"])), 0))
    plan.after = after.summary
    plan.findings_after = after.findings
    return plan


def side_effects(plan: Plan) -> list:
    """Findings gone without being claimed (closed as a side effect), as keys."""
    claimed = {(c["check"], tuple(c["subject"])) for a in plan.actions for c in a.closes}
    before = {finding_key(f) for f in plan.findings_before}
    after = {finding_key(f) for f in plan.findings_after}
    return sorted(before - after - claimed)


# ---------------------------------------------------------------------------
# writing the fixed dataset
# ---------------------------------------------------------------------------
def write_dataset(H: nx.MultiDiGraph, dest, *, like) -> None:
    """Write a graph as a dataset in the container of ``like`` (the input path).

    A CSV directory for a directory, a workbook for ``.xlsx``, a JSON file for
    ``.json``; canonical English headers and keys; the file or directory is
    replaced in one step (written beside it first).
    """
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from orgnet.loaders.generate import convert_csv_dataset

    dest, like = Path(dest), Path(like)
    if like.is_dir():
        fmt = "csv"
    elif like.suffix.lower() in (".xlsx", ".xlsm"):
        fmt = "xlsx"
    elif like.suffix.lower() == ".json":
        fmt = "json"
    else:
        raise PlanError(f"cannot write a dataset like {like}")
    if fmt != "csv" and dest.suffix.lower() != like.suffix.lower():
        raise PlanError(f"the fixed dataset goes in the input's container: give -o FILE{like.suffix}")
    parent = dest.parent if str(dest.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=parent))
    try:
        csv_dir = work / "csv"
        _write_csv_tables(H, csv_dir)
        if fmt == "csv":
            built = csv_dir
        else:
            built = convert_csv_dataset(csv_dir, work / f"fixed{like.suffix.lower()}", fmt=fmt)
        if dest.is_dir() and fmt == "csv":
            old = work / "old"
            os.replace(dest, old)
        os.replace(built, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)


_COLUMNS = {
    "regions": ("Region", ["id", "name", "level", "parent_id"]),
    "institutions": ("Institution", ["id", "name", "kind", "level", "region_id", "parent_id"]),
    "party_orgs": ("PartyOrg", ["id", "name", "kind", "parent_id", "institution_ids"]),
    "members": ("Member", ["id", "name", "status", "org_id", "institution_id", "roles", "affiliation"]),
}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def _write_csv_tables(H, directory) -> None:
    import csv

    directory.mkdir(parents=True)
    for table, (label, columns) in _COLUMNS.items():
        nodes = [(n, d) for n, d in H._node.items() if d.get("label") == label]
        if not nodes and table != "institutions":
            continue
        extras = sorted({k for _, d in nodes for k in d} - set(columns) - {"label", "row"})
        header = columns + extras
        nodes.sort(key=lambda item: (item[1].get("row") is None, item[1].get("row") or 0, item[0]))
        with open(directory / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for node, data in nodes:
                writer.writerow([node] + [_cell(data.get(c)) for c in header[1:]])
    links = sorted(((u, v, d) for u, v, d in H.edges(data=True) if "link_index" in d),
                   key=lambda item: item[2]["link_index"])
    if links:
        base = ["source_id", "target_id", "type", "count", "period", "note"]
        skip = {"type", "link_type", "link_index", "count", "period", "note", "row"}
        extras = sorted({k for _, _, d in links for k in d} - skip)
        with open(directory / "links.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(base + extras)
            for u, v, d in links:
                writer.writerow([u, v, d["link_type"], d.get("count", 1), _cell(d.get("period")),
                                 _cell(d.get("note"))] + [_cell(d.get(k)) for k in extras])
    services = H.graph.get("services", [])
    if services:
        with open(directory / "services.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["institution_id", "stage", "coordinator_org_id"])
            for row in services:
                writer.writerow([row["institution_id"], row["stage"],
                                 _cell(row.get("coordinator_org_id"))])

