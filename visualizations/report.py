"""The HTML report: one self-contained page to read, filter, print and share.

It shows the summary figures (组织覆盖率, 单独组建率, work coverage, referral
balance), coverage charts by institution kind and by region (inline SVG), the
findings table (sortable, filterable by family, severity and text, paged) and
the map (:mod:`orgnet.visualizations.maps`), embedded and driven by the table: a
click on a finding shows it on the map.  Nothing is loaded from the network.

The page is the Jinja2 template ``templates/report.html.j2`` (autoescaped); this
module computes what it shows (figures, chart geometry, the findings as data).
The findings travel once, as data shared by the table and the map, so a
100,000-entity report stays small (compressed when big, see
:func:`orgnet.visualizations.templating.packed_json`).

Adding a section (see docs/architecture.md): compute its data in a function
here, pass it to the template, and add a ``{% include %}`` or block in
``report.html.j2``.

The report draws what :func:`orgnet.queries.runner.run_checks` returned; it runs no
checks.  Coverage by region regroups the runner's own definitions
(:func:`orgnet.queries.runner.own_branch_institutions`) by the institutions' regions.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> from orgnet.queries.runner import run_checks
>>> G = new_graph("demo")
>>> G.add_node("V1", label="Institution", name="<script>x</script>", kind="village_clinic",
...            level="village")
>>> page = report_html(G, run_checks(G), lang="zh")
>>> "<script>x</script>" in page, "组织覆盖率" in page
(False, True)
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from orgnet.graphmodel.embedded import links, nodes_with_label
from orgnet.graphmodel.schema import (
    COVERS, HEALTH_KINDS, INSTITUTION, IN_REGION, MEMBER, PARTY_ORG, REGION, REGION_PARENT,
)
from orgnet.queries.catalog import FAMILIES, FAMILY_TITLES, family_of
from orgnet.queries.finding import SEVERITIES, severity_rank
from orgnet.visualizations import encoding as enc
from orgnet.visualizations.maps import map_context, map_model
from orgnet.visualizations.overview import OVERVIEW_FROM
from orgnet.queries.planner import planner_lines
from orgnet.visualizations.redact import redact_findings, redact_graph, redacted_view
from orgnet.visualizations.templating import PACK_OVER, render

__all__ = ["report_html", "report_context", "coverage_by_region", "legend_layout",
           "REGION_ROWS", "PAGE_SIZE"]

#: the most rows of the coverage-by-region chart
REGION_ROWS = 40
#: findings per page of the table
PAGE_SIZE = 50


def report_html(G: nx.MultiDiGraph, report, *, lang: str = "en", redact: bool = False,
                map_view: str = "units", overview_from: int = OVERVIEW_FROM,
                pack_over: int = PACK_OVER, baseline=None, trend=None,
                baseline_graph: nx.MultiDiGraph | None = None, plan=None) -> str:
    """Return the self-contained HTML report of a graph and its check results.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph.
    report : queries.runner.Report
        What ``run_checks`` returned (``summary`` and ``findings``).
    lang : {"en", "zh"}
    redact : bool
        Replace member names by pseudonyms in the table, the map and the messages.
    map_view : str
        The view of the embedded map.
    overview_from, pack_over
        See :func:`orgnet.visualizations.maps.map_html`.
    baseline : queries.compare.Comparison, optional
        The baseline compared with this report's data: adds "changes since"
        (:func:`orgnet.visualizations.changes.changes_section`) and marks the new
        findings (★) in the table and on the map.
    trend : dict, optional
        :func:`orgnet.queries.periods.trend` of the data: adds line charts per period.
    baseline_graph : networkx.MultiDiGraph, optional
        The baseline's graph: with ``redact``, the names of members found only
        there are replaced in the resolved findings too.
    plan : queries.plan.Plan, optional
        A proved plan (``orgnet report --plan``): adds the plan section
        (``templates/_plan.html.j2``).

    Returns
    -------
    str
    """
    return render("report.html.j2", **report_context(
        G, report, lang=lang, redact=redact, map_view=map_view,
        overview_from=overview_from, pack_over=pack_over, baseline=baseline, trend=trend,
        baseline_graph=baseline_graph, plan=plan))


def report_context(G: nx.MultiDiGraph, report, *, lang: str = "en", redact: bool = False,
                   map_view: str = "units", overview_from: int = OVERVIEW_FROM,
                   pack_over: int = PACK_OVER, baseline=None, trend=None,
                   baseline_graph: nx.MultiDiGraph | None = None, plan=None) -> dict:
    """Return the template context of the report (the parameters of :func:`report_html`).

    A new section adds its data here under its own key.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> from orgnet.queries.runner import run_checks
    >>> G = new_graph("demo")
    >>> context = report_context(G, run_checks(G), lang="zh")
    >>> context["title"], context["total"]
    ('orgnet 分析报告：demo', 0)
    """
    # The table lists findings in the order a planner works (severity, region, check;
    # the findings that restate the designed hierarchy side by side under their parent).
    lines = planner_lines(report, G)
    findings = [f for line in lines for f in line.findings]
    folds = _folds(G, lines, lang)
    summary = report.summary or {}
    notes = []
    if redact:
        G, findings, names = redacted_view(G, findings, lang=lang)
        notes.append(enc.text("redacted", lang))
        if baseline is not None:
            if baseline_graph is not None:
                names = {**redact_graph(baseline_graph, lang=lang)[1], **names}
            baseline = _redacted(baseline, names)
    dataset = summary.get("dataset") or G.graph.get("dataset") or ""
    new_keys = ({(f.check, tuple(f.subject)) for f in baseline.new}
                if baseline is not None else set())
    new_mark = "★ 新 " if lang == "zh" else "★ NEW "

    def extras(i, finding):
        family = family_of(finding.check)
        joiner = "、" if lang == "zh" else ", "
        found = {"fam": family,
                 "subj": joiner.join(_subject_name(G, s, lang) for s in finding.subject)}
        if (finding.check, tuple(finding.subject)) in new_keys:
            found["m"] = new_mark + finding.message     # new since the baseline: marked apart
        return found

    model = map_model(G, findings, view=map_view, lang=lang, overview_from=overview_from,
                      finding_extras=extras)
    model["texts"].update({key: enc.TEXTS[lang][key] for key in _TABLE_TEXT_KEYS})
    model["families"] = {f: FAMILY_TITLES.get(f, {}).get(lang, f) for f in FAMILIES}
    model["severityRank"] = {s: severity_rank(s) for s in SEVERITIES}
    model["pageSize"] = PAGE_SIZE
    model["folds"] = folds
    context = map_context(model, lang, pack_over=pack_over)
    context.update({
        "title": enc.text("report_title", lang, dataset=dataset),
        "t": enc.TEXTS[lang],
        "generated": enc.text("generated", lang, dataset=dataset),
        "report_notes": notes,
        "changes": _change_sections(baseline, trend, lang),
        "plan": _plan_section(plan, lang, names if redact else None),
        "summary": _summary(summary, findings, lang),
        "charts": [
            _chart("chart-kind", enc.text("coverage_by_kind", lang),
                   [(enc.display_kind(kind, lang), entry)
                    for kind, entry in summary.get("coverage", {}).get("by_kind", {}).items()],
                   lang),
            _chart("chart-region", enc.text("coverage_by_region", lang),
                   coverage_by_region(G, lang), lang),
        ],
        "families": [(f, FAMILY_TITLES.get(f, {}).get(lang, f)) for f in FAMILIES],
        "severities": [(s, enc.display_kind(s, lang)) for s in SEVERITIES],
        "total": len(findings),
        "folded_lines": len(folds),
        "shown_template": enc.text("shown", lang, shown="{shown}", total="{total}"),
        "columns": [enc.text(h, lang) for h in ("severity", "family", "check", "subject",
                                                "message", "suggestion")],
    })
    return context


def _change_sections(baseline, trend, lang):
    """The "changes since" and per-period sections (empty without a baseline or periods).

    :mod:`orgnet.visualizations.changes` escapes every data string of these fragments.
    """
    if baseline is None and trend is None:
        return ""
    from markupsafe import Markup

    from orgnet.visualizations.changes import CHANGES_CSS, changes_section, trend_section

    parts = [f"<style>{CHANGES_CSS}</style>"]
    if baseline is not None:
        parts.append(changes_section(baseline, lang))
    if trend is not None:
        parts.append(trend_section(trend, lang))
    return Markup("\n".join(parts))


def _plan_section(plan, lang, names=None):
    """The plan section (``orgnet report --plan``; :mod:`orgnet.visualizations.plan_overlay`), or None.

    With ``names`` (redaction: the run's Redactor) member names and ids in the action
    texts, the findings they close and the unclosable findings are replaced as in the
    findings table.
    """
    if plan is None:
        return None
    from orgnet.visualizations.plan_overlay import plan_section

    section = plan_section(plan, lang)
    if names:
        from orgnet.visualizations.redact import redact_text

        for action in section["actions"]:
            for key in ("text", "closes", "org"):
                action[key] = redact_text(action[key], names)
        section["unclosable"] = [[redact_text(cell, names) for cell in row]
                                 for row in section["unclosable"]]
    return section


def _redacted(comparison, names):
    """The comparison with member names replaced in its findings' texts."""
    import dataclasses

    return dataclasses.replace(
        comparison, new=redact_findings(comparison.new, names),
        resolved=redact_findings(comparison.resolved, names),
        persisting=redact_findings(comparison.persisting, names),
        changed=list(zip(redact_findings([b for b, _ in comparison.changed], names),
                         redact_findings([a for _, a in comparison.changed], names))))


_TABLE_TEXT_KEYS = ("shown", "page", "previous", "next", "not_on_map", "none", "fold_expand",
                    "fold_collapse", "fold_count")


def _folds(G, lines, lang) -> list[dict]:
    """The folded lines of the table: where their findings start in the flat list, and
    their own columns (``at``, ``size``, ``s``, ``c``, ``fam``, ``subj``, ``m``, ``g``).

    The report lists every finding (:func:`orgnet.queries.planner.planner_lines`, flattened);
    the findings of a folded line (those restating the designed hierarchy under one
    parent unit) stand side by side from ``at`` on, and the table shows them as one
    line that opens to show them.
    """
    folds, at = [], 0
    for line in lines:
        if line.folded:
            folds.append({"at": at, "size": len(line.findings), "s": line.severity,
                          "c": line.check, "fam": family_of(line.check),
                          "subj": _subject_name(G, line.subject[0], lang),
                          "m": line.message, "g": line.suggestion})
        at += len(line.findings)
    return folds


def coverage_by_region(G: nx.MultiDiGraph, lang: str = "en", *,
                       most: int = REGION_ROWS) -> list[tuple[str, dict]]:
    """Return ``[(region name, coverage entry)]`` of the health institutions per region.

    The entry has the keys of ``orgnet.queries.runner.coverage_of`` (``institutions``,
    ``covered``, ``own_branch``, ``work_covered`` and the three rates).  Institutions
    without a region are grouped under "(no region)".  Regions come in id order.
    With more than ``most`` regions, institutions are counted in their county-level
    region (the region itself when none is above it); if that still gives more than
    ``most`` rows, the ``most`` with the lowest coverage are returned.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("R1", label="Region", name="东镇", level="township")
    >>> G.add_node("V1", label="Institution", kind="village_clinic", level="village")
    >>> _ = G.add_edge("V1", "R1", key="IN_REGION", type="IN_REGION")
    >>> [(n, e["institutions"], e["coverage_rate"]) for n, e in coverage_by_region(G)]
    [('东镇', 1, 0.0)]
    """
    from orgnet.queries.runner import own_branch_institutions

    own = own_branch_institutions(G)
    reached = {v for _, v, _ in links(G, link_type="liaison")}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    region_of = {}
    for inst, data in nodes_with_label(G, INSTITUTION):
        if data.get("kind") not in HEALTH_KINDS:
            continue
        regions = sorted(v for _, v, k in G.out_edges(inst, keys=True) if k == IN_REGION)
        region_of[inst] = regions[0] if regions else ""
    if len(set(region_of.values())) > most:
        region_of = {inst: _county_of(G, region) for inst, region in region_of.items()}
    for inst, key in region_of.items():
        covered = any(k == COVERS for _, _, k in G.in_edges(inst, keys=True))
        for i, flag in enumerate((1, covered, inst in own, covered or inst in reached)):
            counts[key][i] += int(flag)
    names = {r: str(d.get("name", r)) for r, d in nodes_with_label(G, REGION)}
    keys = sorted(counts, key=lambda k: (k == "", k))
    if len(keys) > most:
        keys = sorted(keys, key=lambda k: (counts[k][1] / counts[k][0], k))[:most]
    out = []
    for key in keys:
        total, covered, own_count, work = counts[key]
        name = names.get(key, key) if key else enc.text("no_region", lang)
        out.append((name, {
            "institutions": total, "covered": covered, "own_branch": own_count,
            "work_covered": work, "coverage_rate": _rate(covered, total),
            "own_branch_rate": _rate(own_count, total), "work_coverage_rate": _rate(work, total),
        }))
    return out


def _county_of(G, region: str) -> str:
    """Return the county-level region at or above a region (itself if there is none)."""
    current, seen = region, set()
    while current and current not in seen:
        seen.add(current)
        if G.nodes[current].get("level") == "county":
            return current
        parents = sorted(v for _, v, k in G.out_edges(current, keys=True) if k == REGION_PARENT)
        current = parents[0] if parents else None
    return region


def _rate(part, whole):
    return round(part / whole, 4) if whole else None


def _percent(rate) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


# ---------------------------------------------------------------------------
# Sections (data for the template)
# ---------------------------------------------------------------------------
def _summary(summary, findings, lang) -> dict:
    overall = summary.get("coverage", {}).get("overall", {})
    referrals = summary.get("referrals", {})
    counts = summary.get("counts", {})
    by_severity = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    cards = [
        (enc.text("health_institutions", lang), str(overall.get("institutions", 0))),
        (enc.text("org_coverage", lang), _percent(overall.get("coverage_rate"))),
        (enc.text("own_branch_rate", lang), _percent(overall.get("own_branch_rate"))),
        (enc.text("work_coverage", lang), _percent(overall.get("work_coverage_rate"))),
        (enc.text("referrals_up", lang), str(referrals.get("up", 0))),
        (enc.text("referrals_down", lang), str(referrals.get("down", 0))),
        *_united_front_cards(summary, lang),
        (enc.text("findings", lang), str(len(findings))),
    ]
    entities = [(enc.display_kind(label, lang), int(n)) for label, n in counts.items()
                if label in (REGION, INSTITUTION, PARTY_ORG, MEMBER)]
    severities = [(s, enc.display_kind(s, lang), by_severity[s]) for s in SEVERITIES]
    return {"cards": cards, "entities": entities, "severities": severities,
            "united_front": _united_front_table(summary, lang),
            "balance": _balance(referrals, lang)}


def _united_front_cards(summary, lang) -> list:
    """The united-front figures (spec 7b) when the dataset has representative figures."""
    overall = summary.get("united_front", {}).get("overall", {})
    if not overall.get("representatives"):
        return []
    return [(enc.text("representatives", lang), str(overall["representatives"])),
            (enc.text("contact_rate", lang), _percent(overall.get("contact_rate"))),
            (enc.text("station_coverage", lang), _percent(overall.get("station_coverage_rate")))]


def _united_front_table(summary, lang) -> dict | None:
    """Representatives, 联系率 and 联络站覆盖率 per county (and overall), or None."""
    united = summary.get("united_front", {})
    if not united.get("overall", {}).get("representatives"):
        return None
    rows = [(enc.text("all_counties", lang), united["overall"])]
    rows += [(entry.get("name") or county, entry)
             for county, entry in united.get("by_county", {}).items()]
    return {
        "caption": enc.text("united_front_by_county", lang),
        "head": [enc.text(k, lang) for k in ("county", "representatives", "contact_rate",
                                             "station_coverage")],
        "rows": [[str(name), str(int(e.get("representatives", 0))),
                  f"{_percent(e.get('contact_rate'))} ({int(e.get('contacted', 0))})",
                  f"{_percent(e.get('station_coverage_rate'))} "
                  f"({int(e.get('townships_with_station', 0))}/{int(e.get('townships', 0))})"]
                 for name, e in rows],
    }


def _balance(referrals, lang) -> dict:
    """Geometry of the referral balance bar: up, down and same-level shares, and a legend."""
    up, down, same = (int(referrals.get(k, 0) or 0) for k in ("up", "down", "same_level"))
    total = up + down + same
    width = 360
    parts = (("referrals_up", up, enc.REFERRAL_DIRECTION_COLOURS["up"]),
             ("referrals_down", down, enc.REFERRAL_DIRECTION_COLOURS["down"]),
             ("referrals_same", same, enc.REFERRAL_DIRECTION_COLOURS["same"]))
    bars, x = [], 0.0
    for key, value, colour in parts:
        w = width * value / total if total else 0
        if w:
            bars.append({"x": round(x, 1), "w": round(w, 1), "colour": colour,
                         "title": f"{enc.text(key, lang)}: {value}"})
        x += w
    legend, legend_height = legend_layout(
        [(c, f"{enc.text(k, lang)} {v}") for k, v, c in parts], x=0, y=30, right=width + 20)
    return {"width": width + 20, "height": 30 + legend_height, "bar_width": width,
            "bars": bars, "legend": legend, "empty": not total,
            "label": enc.text("referral_balance", lang)}


#: legend geometry (pixels): font size, swatch side, swatch-text gap, gap between
#: entries, height of one legend row
LEGEND_FONT, LEGEND_SWATCH, LEGEND_PAD, LEGEND_GAP, LEGEND_ROW = 12, 12, 4, 18, 18


def legend_layout(entries, *, x: float, y: float, right: float):
    """Lay out legend entries (swatch and caption) left to right, wrapping at ``right``.

    Widths are estimated with :func:`orgnet.visualizations.encoding.text_width` (CJK
    characters count double), so entries never overlap.  Returns the entries'
    geometry (``x``, ``y`` of the swatch, ``text_x``, ``text_y``, ``end``, ``row``,
    ``colour``, ``caption``) and the legend's height.

    Examples
    --------
    >>> items, height = legend_layout([("#c00", "组织覆盖率 coverage"), ("#333", "b")],
    ...                               x=0, y=0, right=120)
    >>> height, [item["row"] for item in items]
    (36, [0, 1])
    """
    items = []
    cx, row = float(x), 0
    for colour, caption in entries:
        w = LEGEND_SWATCH + LEGEND_PAD + enc.text_width(caption, LEGEND_FONT)
        if cx > x and cx + w > right:
            cx, row = float(x), row + 1
        top = y + row * LEGEND_ROW
        items.append({"x": round(cx, 1), "y": top + 2, "text_x": round(cx + LEGEND_SWATCH
                                                                     + LEGEND_PAD, 1),
                      "text_y": top + 12, "end": round(cx + w, 1), "row": row,
                      "colour": colour, "caption": caption})
        cx += w + LEGEND_GAP
    height = (row + 1) * LEGEND_ROW if entries else 0
    return items, height


def _chart(element_id, title, rows, lang) -> dict:
    """Geometry of a horizontal bar chart: coverage and own-branch rate per row."""
    chart = {"id": element_id, "title": title, "rows": [], "none": enc.text("none", lang),
             "swatch": LEGEND_SWATCH, "font": LEGEND_FONT}
    if not rows:
        return chart
    label_width, bar_width, row_height = 190, 360, 40
    width = label_width + bar_width + 60
    series = (("coverage_rate", "#B2182B", enc.text("org_coverage", lang)),
              ("own_branch_rate", "#F4A582", enc.text("own_branch_rate", lang)))
    legend, legend_height = legend_layout([(c, cap) for _, c, cap in series],
                                          x=label_width, y=0, right=width)
    top = legend_height + 6
    for i, (name, entry) in enumerate(rows):
        y = top + i * row_height
        bars = []
        for j, (key, colour, caption) in enumerate(series):
            rate = entry.get(key)
            bars.append({"y": y + j * 15, "w": round(bar_width * (rate or 0), 1),
                         "colour": colour, "title": f"{caption}: {_percent(rate)}",
                         "text": _percent(rate)})
        chart["rows"].append({"y": y, "label": f"{name} ({int(entry.get('institutions', 0))})",
                              "bars": bars})
    chart.update({"width": width, "height": top + row_height * len(rows), "legend": legend,
                  "label_width": label_width, "bar_width": bar_width})
    return chart


def _subject_name(G, node, lang) -> str:
    if node in G and G.nodes[node].get("name"):
        name = str(G.nodes[node]["name"])
        return f"{name}（{node}）" if lang == "zh" else f"{name} ({node})"
    return enc.display_kind(node, lang) if lang == "zh" else str(node)
