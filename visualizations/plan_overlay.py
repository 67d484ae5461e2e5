"""The action plan in the HTML outputs: ``orgnet report --plan`` and ``orgnet map --plan``.

- :func:`plan_section` is the data of the report's plan section (rendered by the
  partial template ``templates/_plan.html.j2``, autoescaped): the figures before
  and after (the checks re-run on the changed data), the actions in plan order,
  the findings the plan cannot close with the reason.
- :func:`plan_map_model` draws the data *with the plan applied*
  (:func:`orgnet.queries.plan.apply_plan`): every tie the plan proposes is drawn dashed
  (its own legend entry, "proposed by the plan"), and the institutions of every
  proposed joint branch are ringed in one colour as a group (``layer["groups"]``, drawn
  by ``assets/map.js`` under the network).  The findings shown are those of the
  data as it is (what the plan answers).

Nothing here runs the checks: the plan comes proved (:func:`orgnet.queries.plan.prove_plan`).

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> from orgnet.queries.plan import make_plan, prove_plan
>>> plan = prove_plan(new_graph("demo"), make_plan(new_graph("demo")))
>>> plan_section(plan, "zh")["none"]
'未发现问题，无需整改。'
>>> G = new_graph("demo")
>>> G.add_node("T", label="Institution", name="东镇<卫生院>", kind="township_health_center", level="township")
>>> plan = prove_plan(G, make_plan(G))
>>> plan_section(plan, "en")["summary"]
'1 actions close 0 of 3 findings (high: 3 → 3).'
>>> model = plan_map_model(G, plan, lang="zh")
>>> model["layers"]["main"]["groups"]
[]
"""

from __future__ import annotations

import networkx as nx

__all__ = ["plan_section", "plan_map_model", "plan_map_html", "proposed_edges", "PLAN_TEXTS"]

#: the texts of the plan section and overlay
PLAN_TEXTS = {
    "en": {"title": "Action plan", "figures": "Figures before and after the plan (checks re-run "
                                              "on the data with every action applied)",
           "figure": "Figure", "before": "Before", "after": "After", "change": "Change",
           "actions": "Actions", "id": "Id", "priority": "Priority", "kind": "Action",
           "text": "What to do", "org": "Responsible org", "closes": "Closes",
           "unclosable": "Findings the plan cannot close", "check": "Check", "subject": "Subject",
           "reason": "Why it stays open", "none": "No findings: nothing to plan.",
           "no_actions": "No action can close the findings.",
           "count": "{actions} actions close {closed} of {total} findings (high: {high_before} → {high_after}).",
           "proposed": "proposed by the plan", "proposed_note":
               "Dashed: {ties} tie(s) the plan proposes; ringed: {groups} proposed joint branch(es). "
               "Findings shown: before the plan.",
           "heading": "Plan", "group": "Proposed joint branch (its units ringed in one colour, labelled with the action)"},
    "zh": {"title": "整改计划", "figures": "整改前后指标（对落实全部措施后的数据重新运行检查）",
           "figure": "指标", "before": "整改前", "after": "整改后", "change": "变化",
           "actions": "整改措施", "id": "编号", "priority": "优先级", "kind": "措施类型",
           "text": "整改措施", "org": "责任党组织", "closes": "销号问题",
           "unclosable": "本计划无法关闭的问题", "check": "检查项", "subject": "对象",
           "reason": "无法整改的原因", "none": "未发现问题，无需整改。",
           "no_actions": "没有可关闭问题的措施。",
           "count": "{actions} 项措施关闭 {total} 个问题中的 {closed} 个（高风险：{high_before} → {high_after}）。",
           "proposed": "计划新增", "proposed_note":
               "虚线：计划新增的 {ties} 条联系；同色圈：计划组建的 {groups} 个联合党支部。图中问题为整改前的检查结果。",
           "heading": "整改计划", "group": "计划组建的联合党支部（同色虚线圈出其单位，并标注措施编号）"},
}


def plan_section(plan, lang: str = "en") -> dict:
    """Return the data of the report's plan section.

    Parameters
    ----------
    plan : queries.plan.Plan
        A proved plan (``plan.after`` set).
    lang : {"en", "zh"}

    Returns
    -------
    dict
        ``t`` (texts), ``none`` (the sentence when there is nothing to plan, else
        None), ``summary``, ``figures`` (rows ``[label, before, after, change]``),
        ``actions`` (rows ``{id, priority, kind, text, org, closes}``), ``unclosable``
        (rows ``[check, subject, reason]``).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> from orgnet.queries.plan import make_plan, prove_plan
    >>> G = new_graph("demo")
    >>> plan_section(prove_plan(G, make_plan(G)), "en")["none"]
    'No findings: nothing to plan.'
    """
    from orgnet.queries.diff import HEADLINE_FIGURES, diff_summaries
    from orgnet.queries.export import _check_label
    from orgnet.queries.export_diff import _figure_rows
    from orgnet.queries.export_plan import _closes, _kind

    t = PLAN_TEXTS[lang]
    nothing = not plan.findings_before and not plan.actions and not plan.unclosable
    before = plan.before or {}
    after = plan.after or before
    closed = sum(len(a.closes) for a in plan.actions)
    high = lambda s: (s.get("findings") or {}).get("by_severity", {}).get("high", 0)  # noqa: E731
    joiner = "、" if lang == "zh" else ", "
    return {
        "t": t,
        "none": t["none"] if nothing else None,
        "summary": t["count"].format(actions=len(plan.actions), closed=closed,
                                     total=len(plan.findings_before), high_before=high(before),
                                     high_after=high(after)),
        "figures": _figure_rows(diff_summaries(before, after, always=HEADLINE_FIGURES), lang),
        "actions": [{"id": a.id, "priority": a.priority, "kind": _kind(a.kind, lang),
                     "text": a.text[lang], "org": a.org or "", "closes": _closes(a, lang)}
                    for a in plan.actions],
        "unclosable": [[_check_label(u["check"], lang), joiner.join(u["subject"]), u["reason"]]
                       for u in plan.unclosable],
    }


def proposed_edges(H: nx.MultiDiGraph) -> dict:
    """Return ``{links-table row: action id}`` of the links the plan added to ``H``.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> H = new_graph(); H.add_node("a"); H.add_node("b")
    >>> add_link(H, "a", "b", link_type="pairing", link_index=0, row=2, note="orgnet plan A003")
    >>> proposed_edges(H)
    {2: 'A003'}
    """
    found = {}
    for _, _, d in H.edges(data=True):
        note = str(d.get("note") or "")
        if "link_index" in d and note.startswith("orgnet plan "):
            found[d.get("row")] = note[len("orgnet plan "):]
    return found


def plan_map_model(G: nx.MultiDiGraph, plan, findings=(), *, view: str = "units", lang: str = "en",
                   region=None, community=None, check=None, redact: bool = False) -> dict:
    """Return the map model of ``G`` with the plan applied: proposed ties dashed,
    proposed joint branches framed as groups.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The data as it is (not changed).
    plan : queries.plan.Plan
        The plan (made on ``G``).
    findings : list of Finding
        The findings of ``G`` (shown on the map).
    view, lang, region, community, check, redact
        As for :func:`orgnet.visualizations.maps.map_model`.

    Returns
    -------
    dict
        The map model (:func:`orgnet.visualizations.maps.map_model`) of the changed data,
        with a dashed edge style per proposed tie's look and ``groups`` in every layer.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph, add_link
    >>> from orgnet.queries.plan import make_plan
    >>> G = new_graph("demo")
    >>> G.add_node("T", label="Institution", name="T", kind="township_health_center", level="township")
    >>> for n in ("V1", "V2"):
    ...     G.add_node(n, label="Institution", name=n, kind="village_clinic", level="village", parent_id="T")
    ...     _ = G.add_edge(n, "T", key="BELONGS_TO", type="BELONGS_TO")
    >>> add_link(G, "V1", "T", link_type="referral", link_index=0)
    >>> add_link(G, "V2", "T", link_type="referral", link_index=1)
    >>> model = plan_map_model(G, make_plan(G, only=["connectivity"]))
    >>> [(e["a"], e["b"]) for e in model["layers"]["main"]["edges"]
    ...  if model["edgeStyles"][e["s"]]["dashes"] == [10, 6]]
    [('V1', 'V2')]
    """
    from orgnet.queries.plan import apply_plan
    from orgnet.visualizations import encoding as enc
    from orgnet.visualizations.maps import map_model
    from orgnet.visualizations.redact import redact_findings, redact_graph
    from orgnet.visualizations.views import build_view

    t = PLAN_TEXTS[lang]
    H = apply_plan(G, plan)
    findings = list(findings)
    notes = []
    if redact:
        H, names = redact_graph(H, lang=lang)
        findings = redact_findings(findings, names)
        notes.append(enc.text("redacted", lang))
    rows = proposed_edges(H)
    # the drawn pairs whose every link row is one the plan adds
    built = build_view(H, view, region=region, community=community, check=check, findings=findings)
    proposed = {}
    for edge in built.edges:
        if edge.rows and all(r in rows for r in edge.rows):
            proposed[frozenset((edge.source, edge.target))] = sorted({rows[r] for r in edge.rows})
    groups = []
    for action in plan.actions:
        if action.kind != "joint_branch":
            continue
        org = next((op[1] for op in action.ops if op[0] == "add_org"), None)
        name = H._node[org].get("name") if org in H else org
        groups.append({"id": org, "label": f"{action.id} {name}", "nodes": list(action.subjects)})
    notes.append(t["proposed_note"].format(ties=len(proposed), groups=len(groups)))
    dataset = G.graph.get("dataset") or ""
    title = f"{enc.text('view.' + view, lang)} · {t['heading']} · {dataset}".strip(" ·")
    model = map_model(H, findings, view=view, region=region, community=community, check=check,
                      lang=lang, title=title, notes=notes)
    model["texts"]["legend.group"] = t["group"]
    model["texts"]["legend.groups"] = t["title"]
    variants: dict = {}
    for layer in model.get("layers", {}).values():
        if layer.get("overview"):
            layer["groups"] = []
            continue
        drawn = {n["id"] for n in layer["nodes"]}
        for entry in layer["edges"]:
            ids = proposed.get(frozenset((entry["a"], entry["b"])))
            if ids is None or model["edgeStyles"][entry["s"]].get("structure"):
                continue
            if entry["s"] not in variants:
                style = dict(model["edgeStyles"][entry["s"]])
                style.update({"dashes": [10, 6], "text": f"{style['text']} ({t['proposed']})",
                              "structure": False})
                variants[entry["s"]] = len(model["edgeStyles"])
                model["edgeStyles"].append(style)
            entry["s"] = variants[entry["s"]]
            entry["t"] = list(entry.get("t") or []) + [f"{t['proposed']}: {', '.join(ids)}"]
        layer["groups"] = [{"id": g["id"], "label": g["label"],
                            "nodes": [n for n in g["nodes"] if n in drawn]}
                           for g in groups if any(n in drawn for n in g["nodes"])]
    return model


def plan_map_html(G: nx.MultiDiGraph, plan, findings=(), *, lang: str = "en", **options) -> str:
    """Return the page of :func:`plan_map_model`.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> from orgnet.queries.plan import make_plan
    >>> G = new_graph("demo")
    >>> plan_map_html(G, make_plan(G), lang="zh").startswith("<!DOCTYPE html>")
    True
    """
    from orgnet.visualizations.maps import map_context
    from orgnet.visualizations.templating import render

    return render("map.html.j2", **map_context(plan_map_model(G, plan, findings, lang=lang,
                                                              **options), lang))
