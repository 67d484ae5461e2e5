"""The HTML report: one self-contained page to read, filter, print and share.

It shows the summary figures (组织覆盖率, 单独组建率, work coverage, referral
balance), coverage charts by institution kind and by region (inline SVG), the
findings table (sortable, filterable by family and severity, with suggestions;
plain JavaScript) and the units map (:mod:`visualizations.maps`) in a sandboxed
frame.  Nothing is loaded from the network; every data string is escaped.

The report draws what :func:`queries.runner.run_checks` returned; it runs no
checks.  Coverage by region regroups the runner's own definitions
(:func:`queries.runner.own_branch_institutions`) by the institutions' regions.

Examples
--------
>>> from graphmodel.embedded import new_graph
>>> from queries.runner import run_checks
>>> G = new_graph("demo")
>>> G.add_node("V1", label="Institution", name="<script>x</script>", kind="village_clinic",
...            level="village")
>>> page = report_html(G, run_checks(G), lang="zh")
>>> "<script>x</script>" in page, "组织覆盖率" in page
(False, True)
"""

from __future__ import annotations

import html
from collections import defaultdict

import networkx as nx

from graphmodel.embedded import links, nodes_with_label
from graphmodel.schema import (
    COVERS, HEALTH_KINDS, INSTITUTION, IN_REGION, MEMBER, PARTY_ORG, REGION, REGION_PARENT,
)
from queries.catalog import CATALOG, FAMILIES, FAMILY_TITLES, family_of
from queries.finding import SEVERITIES, severity_rank
from visualizations import encoding as enc
from visualizations.maps import json_for_script, map_html
from visualizations.redact import redact_findings, redact_graph

__all__ = ["report_html", "coverage_by_region", "legend_svg", "REGION_ROWS"]

#: the most rows of the coverage-by-region chart
REGION_ROWS = 40

def report_html(G: nx.MultiDiGraph, report, *, lang: str = "en", redact: bool = False,
                map_view: str = "units", sections=()) -> str:
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
    sections : iterable of str
        Further ``<section>`` elements (already escaped HTML), placed before the map
        (``orgnet report --plan``: :func:`visualizations.plan_section.plan_section_html`).

    Returns
    -------
    str
    """
    esc = html.escape
    findings = list(report.findings)
    summary = report.summary or {}
    notes = []
    if redact:
        G, names = redact_graph(G, lang=lang)
        findings = redact_findings(findings, names)
        notes.append(enc.text("redacted", lang))
    dataset = summary.get("dataset") or G.graph.get("dataset") or ""
    title = enc.text("report_title", lang, dataset=dataset)
    page_map = map_html(G, findings, view=map_view, lang=lang)
    parts = [
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{esc(title)}</h1>"
        f'<p class="meta">{esc(enc.text("generated", lang, dataset=dataset))} '
        f'{esc(enc.text("print_hint", lang))}</p>'
        + "".join(f'<p class="note">{esc(n)}</p>' for n in notes) + "</header>",
        _summary_section(summary, findings, lang),
        _chart_section(enc.text("coverage_by_kind", lang),
                       [(enc.display_kind(kind, lang), entry)
                        for kind, entry in summary.get("coverage", {}).get("by_kind", {}).items()],
                       lang, "chart-kind"),
        _chart_section(enc.text("coverage_by_region", lang),
                       [(name, entry) for name, entry in coverage_by_region(G, lang)],
                       lang, "chart-region"),
        _findings_section(G, findings, lang),
        *sections,
        f'<section id="map"><h2>{esc(enc.text("map", lang))}</h2>'
        f'<iframe id="orgnet-map" title="{esc(enc.text("map", lang))}" sandbox="allow-scripts" '
        f'srcdoc="{esc(page_map, quote=True)}"></iframe></section>',
        f'<script type="application/json" id="orgnet-report-data">'
        f'{json_for_script({"total": len(findings)})}</script>',
        f"<script>{_JS}</script></body></html>",
    ]
    return "\n".join(parts)


def coverage_by_region(G: nx.MultiDiGraph, lang: str = "en", *,
                       most: int = REGION_ROWS) -> list[tuple[str, dict]]:
    """Return ``[(region name, coverage entry)]`` of the health institutions per region.

    The entry has the keys of ``queries.runner.coverage_of`` (``institutions``,
    ``covered``, ``own_branch``, ``work_covered`` and the three rates).  Institutions
    without a region are grouped under "(no region)".  Regions come in id order.
    With more than ``most`` regions, institutions are counted in their county-level
    region (the region itself when none is above it); if that still gives more than
    ``most`` rows, the ``most`` with the lowest coverage are returned.

    Examples
    --------
    >>> from graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("R1", label="Region", name="东镇", level="township")
    >>> G.add_node("V1", label="Institution", kind="village_clinic", level="village")
    >>> _ = G.add_edge("V1", "R1", key="IN_REGION", type="IN_REGION")
    >>> [(n, e["institutions"], e["coverage_rate"]) for n, e in coverage_by_region(G)]
    [('东镇', 1, 0.0)]
    """
    from queries.runner import own_branch_institutions

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
# Sections
# ---------------------------------------------------------------------------
def _summary_section(summary, findings, lang) -> str:
    esc = html.escape
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
    card_html = "".join(f'<div class="card"><div class="figure">{esc(v)}</div>'
                        f'<div class="caption">{esc(k)}</div></div>' for k, v in cards)
    entity_rows = "".join(
        f"<tr><th>{esc(enc.display_kind(label, lang))}</th><td>{int(n)}</td></tr>"
        for label, n in counts.items() if label in (REGION, INSTITUTION, PARTY_ORG, MEMBER))
    severity_rows = "".join(
        f'<tr><th><span class="sev sev-{s}">{esc(enc.display_kind(s, lang))}</span></th>'
        f"<td>{by_severity[s]}</td></tr>" for s in SEVERITIES)
    return (f'<section id="summary"><h2>{esc(enc.text("summary", lang))}</h2>'
            f'<div class="cards">{card_html}</div>'
            f'<div class="tables"><table class="small"><caption>{esc(enc.text("entities", lang))}'
            f"</caption>{entity_rows}</table>"
            f'<table class="small"><caption>{esc(enc.text("findings_by_severity", lang))}'
            f"</caption>{severity_rows}</table>"
            f"{_united_front_table(summary, lang)}"
            f'<div class="balance"><h3>{esc(enc.text("referral_balance", lang))}</h3>'
            f"{_balance_svg(referrals, lang)}</div></div></section>")


def _united_front_cards(summary, lang) -> list:
    """The united-front figures (spec 7b) when the dataset has representative figures."""
    overall = summary.get("united_front", {}).get("overall", {})
    if not overall.get("representatives"):
        return []
    return [(enc.text("representatives", lang), str(overall["representatives"])),
            (enc.text("contact_rate", lang), _percent(overall.get("contact_rate"))),
            (enc.text("station_coverage", lang), _percent(overall.get("station_coverage_rate")))]


def _united_front_table(summary, lang) -> str:
    """Representatives, 联系率 and 联络站覆盖率 per county (and overall), or nothing."""
    esc = html.escape
    united = summary.get("united_front", {})
    if not united.get("overall", {}).get("representatives"):
        return ""
    rows = [(enc.text("all_counties", lang), united["overall"])]
    rows += [(entry.get("name") or county, entry) for county, entry in united.get("by_county", {}).items()]
    head = "".join(f"<th>{esc(enc.text(k, lang))}</th>"
                   for k in ("county", "representatives", "contact_rate", "station_coverage"))
    body = "".join(
        f"<tr><th>{esc(str(name))}</th><td>{int(e.get('representatives', 0))}</td>"
        f"<td>{esc(_percent(e.get('contact_rate')))} ({int(e.get('contacted', 0))})</td>"
        f"<td>{esc(_percent(e.get('station_coverage_rate')))} "
        f"({int(e.get('townships_with_station', 0))}/{int(e.get('townships', 0))})</td></tr>"
        for name, e in rows)
    return (f'<table class="small united-front"><caption>'
            f'{esc(enc.text("united_front_by_county", lang))}</caption><tr>{head}</tr>{body}</table>')


def _balance_svg(referrals, lang) -> str:
    esc = html.escape
    up, down, same = (int(referrals.get(k, 0) or 0) for k in ("up", "down", "same_level"))
    total = up + down + same
    width = 360
    bars = []
    x = 0.0
    for key, value, colour in (("referrals_up", up, enc.REFERRAL_DIRECTION_COLOURS["up"]),
                               ("referrals_down", down, enc.REFERRAL_DIRECTION_COLOURS["down"]),
                               ("referrals_same", same, enc.REFERRAL_DIRECTION_COLOURS["same"])):
        w = width * value / total if total else 0
        if w:
            bars.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="22" fill="{colour}">'
                        f"<title>{esc(enc.text(key, lang))}: {value}</title></rect>")
        x += w
    legend, legend_height, _ = legend_svg(
        [(c, f"{enc.text(k, lang)} {v}") for k, v, c in (
            ("referrals_up", up, enc.REFERRAL_DIRECTION_COLOURS["up"]),
            ("referrals_down", down, enc.REFERRAL_DIRECTION_COLOURS["down"]),
            ("referrals_same", same, enc.REFERRAL_DIRECTION_COLOURS["same"]))],
        x=0, y=30, right=width + 20)
    if not total:
        bars.append(f'<rect x="0" y="0" width="{width}" height="22" fill="#eee"/>')
    height = 30 + legend_height
    return (f'<svg class="balance" width="{width + 20}" height="{height}" '
            f'viewBox="0 0 {width + 20} {height}" role="img" '
            f'aria-label="{esc(enc.text("referral_balance", lang))}">{"".join(bars)}{legend}</svg>')


#: legend geometry (pixels): font size, swatch side, swatch-text gap, gap between
#: entries, height of one legend row
LEGEND_FONT, LEGEND_SWATCH, LEGEND_PAD, LEGEND_GAP, LEGEND_ROW = 12, 12, 4, 18, 18


def legend_svg(entries, *, x: float, y: float, right: float):
    """Lay out legend entries (swatch and caption) left to right, wrapping at ``right``.

    Widths are estimated with :func:`visualizations.encoding.text_width` (CJK
    characters count double), so entries never overlap.  Returns the SVG
    fragment, its height and each entry's ``(x_start, x_end, row)``.

    Examples
    --------
    >>> svg, height, boxes = legend_svg([("#c00", "组织覆盖率 coverage"), ("#333", "b")],
    ...                                 x=0, y=0, right=120)
    >>> height, [row for _, _, row in boxes]
    (36, [0, 1])
    >>> svg.count("<rect"), "组织覆盖率" in svg
    (2, True)
    """
    esc = html.escape
    parts, boxes = [], []
    cx, row = float(x), 0
    for colour, caption in entries:
        w = LEGEND_SWATCH + LEGEND_PAD + enc.text_width(caption, LEGEND_FONT)
        if cx > x and cx + w > right:
            cx, row = float(x), row + 1
        top = y + row * LEGEND_ROW
        parts.append(f'<rect x="{cx:.1f}" y="{top + 2}" width="{LEGEND_SWATCH}" '
                     f'height="{LEGEND_SWATCH}" fill="{esc(colour)}"/>'
                     f'<text x="{cx + LEGEND_SWATCH + LEGEND_PAD:.1f}" y="{top + 12}" '
                     f'font-size="{LEGEND_FONT}">{esc(caption)}</text>')
        boxes.append((cx, cx + w, row))
        cx += w + LEGEND_GAP
    height = (row + 1) * LEGEND_ROW if entries else 0
    return "".join(parts), height, boxes


def _chart_section(title, rows, lang, element_id) -> str:
    """A horizontal bar chart: organizational coverage and own-branch rate per row."""
    esc = html.escape
    if not rows:
        return (f'<section id="{element_id}"><h2>{esc(title)}</h2>'
                f"<p>{esc(enc.text('none', lang))}</p></section>")
    label_width, bar_width, row_height = 190, 360, 40
    width = label_width + bar_width + 60
    series = (("coverage_rate", "#c00000", enc.text("org_coverage", lang)),
              ("own_branch_rate", "#f4a582", enc.text("own_branch_rate", lang)))
    legend, legend_height, _ = legend_svg([(c, cap) for _, c, cap in series],
                                          x=label_width, y=0, right=width)
    top = legend_height + 6
    height = top + row_height * len(rows)
    items = []
    for i, (name, entry) in enumerate(rows):
        y = top + i * row_height
        items.append(f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end" '
                     f'font-size="13">{esc(str(name))} ({int(entry.get("institutions", 0))})</text>')
        for j, (key, colour, caption) in enumerate(series):
            rate = entry.get(key)
            w = bar_width * (rate or 0)
            yy = y + j * 15
            items.append(f'<rect x="{label_width}" y="{yy}" width="{bar_width}" height="13" '
                         f'fill="#f2f2f2"/><rect x="{label_width}" y="{yy}" width="{w:.1f}" '
                         f'height="13" fill="{colour}"><title>{esc(caption)}: '
                         f"{esc(_percent(rate))}</title></rect>"
                         f'<text x="{label_width + bar_width + 6}" y="{yy + 11}" '
                         f'font-size="11">{esc(_percent(rate))}</text>')
    return (f'<section id="{element_id}"><h2>{esc(title)}</h2>'
            f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{esc(title)}">{legend}{"".join(items)}</svg></section>')


def _findings_section(G, findings, lang) -> str:
    esc = html.escape
    family_options = "".join(
        f'<option value="{esc(f)}">{esc(FAMILY_TITLES.get(f, {}).get(lang, f))}</option>'
        for f in FAMILIES)
    severity_options = "".join(
        f'<option value="{s}">{esc(enc.display_kind(s, lang))}</option>' for s in SEVERITIES)
    all_text = esc(enc.text("all", lang))
    template = enc.text("shown", lang, shown="{shown}", total="{total}")
    rows = []
    for i, f in enumerate(findings):
        family = family_of(f.check)
        spec = CATALOG.get(f.check)
        check_title = spec.title.get(lang, f.check) if spec and isinstance(spec.title, dict) \
            else f.check
        subject = "、".join(_subject_name(G, s, lang) for s in f.subject) if lang == "zh" \
            else ", ".join(_subject_name(G, s, lang) for s in f.subject)
        rows.append(
            f'<tr data-family="{esc(family)}" data-severity="{esc(f.severity)}" data-index="{i}">'
            f'<td data-sort="{severity_rank(f.severity)}"><span class="sev sev-{esc(f.severity)}">'
            f"{esc(enc.display_kind(f.severity, lang))}</span></td>"
            f'<td data-sort="{FAMILIES.index(family) if family in FAMILIES else 9}">'
            f"{esc(FAMILY_TITLES.get(family, {}).get(lang, family))}</td>"
            f'<td><span title="{esc(f.check)}">{esc(check_title)}</span></td>'
            f"<td>{esc(subject)}</td><td>{esc(f.message)}</td><td>{esc(f.suggestion)}</td></tr>")
    headers = "".join(f'<th scope="col" data-col="{k}" tabindex="0">{esc(enc.text(h, lang))}</th>'
                      for k, h in enumerate(("severity", "family", "check", "subject", "message",
                                             "suggestion")))
    return (f'<section id="findings"><h2>{esc(enc.text("findings", lang))}</h2>'
            f'<div class="filters"><label>{esc(enc.text("family", lang))} '
            f'<select id="filter-family"><option value="">{all_text}</option>{family_options}'
            f'</select></label> <label>{esc(enc.text("severity", lang))} '
            f'<select id="filter-severity"><option value="">{all_text}</option>{severity_options}'
            f'</select></label> <label>{esc(enc.text("search", lang))} '
            f'<input id="filter-text" type="search"></label> '
            f'<span id="findings-shown" data-template="{esc(template)}">'
            f'{esc(enc.text("shown", lang, shown=len(findings), total=len(findings)))}</span>'
            f' <span class="hint">{esc(enc.text("sort_hint", lang))}</span></div>'
            f'<table id="findings-table"><thead><tr>{headers}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></section>')


def _subject_name(G, node, lang) -> str:
    if node in G and G.nodes[node].get("name"):
        name = str(G.nodes[node]["name"])
        return f"{name}（{node}）" if lang == "zh" else f"{name} ({node})"
    return enc.display_kind(node, lang) if lang == "zh" else str(node)


_CSS = """
body { font-family: 'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',
  'WenQuanYi Micro Hei',Arial,sans-serif; color: #222; margin: 0 auto; max-width: 1200px;
  padding: 0 1rem 2rem; line-height: 1.45; }
h1 { font-size: 1.5rem; margin: 1rem 0 .2rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #c00000; padding-bottom: .2rem; margin-top: 1.6rem; }
h3 { font-size: 1rem; margin: .2rem 0; }
.meta { color: #666; font-size: .85rem; margin: 0; }
.note { color: #8a4b00; margin: .2rem 0; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .5rem .8rem; min-width: 9rem; }
.figure { font-size: 1.5rem; font-weight: bold; color: #c00000; }
.caption { font-size: .8rem; color: #555; }
.tables { display: flex; flex-wrap: wrap; gap: 1.5rem; margin-top: .8rem; align-items: flex-start; }
table.small { border-collapse: collapse; font-size: .85rem; }
table.small caption { text-align: left; font-weight: bold; }
table.small th, table.small td { border-bottom: 1px solid #eee; padding: .15rem .6rem; text-align: left; }
.filters { margin: .5rem 0; display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; font-size: .9rem; }
.hint { color: #888; font-size: .8rem; }
#findings-table { border-collapse: collapse; width: 100%; font-size: .85rem; }
#findings-table th { background: #f5f5f5; cursor: pointer; text-align: left; position: sticky; top: 0; }
#findings-table th, #findings-table td { border: 1px solid #ddd; padding: .3rem .4rem; vertical-align: top; }
#findings-table td:nth-child(-n+2) { white-space: nowrap; }
#findings-table th.sorted-asc::after { content: " ▲"; }
#findings-table th.sorted-desc::after { content: " ▼"; }
.sev { display: inline-block; padding: 0 .4rem; border-radius: 3px; color: #fff; font-size: .8rem; white-space: nowrap; }
.sev-high { background: #c00000; } .sev-medium { background: #e69500; } .sev-low { background: #6c8ebf; }
svg.chart text, svg.balance text { font-family: inherit; }
#orgnet-map { width: 100%; height: 640px; border: 1px solid #ccc; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .filters, .hint { display: none; }
  #findings-table th { position: static; }
  #findings-table tr { break-inside: avoid; }
  section { break-inside: auto; }
  #map { break-before: page; }
  #orgnet-map { height: 17cm; }
}
"""

_JS = r"""
(function () {
  var table = document.getElementById("findings-table");
  var body = table.tBodies[0];
  var family = document.getElementById("filter-family");
  var severity = document.getElementById("filter-severity");
  var search = document.getElementById("filter-text");
  var shown = document.getElementById("findings-shown");
  var total = body.rows.length;
  function applyFilters() {
    var f = family.value, s = severity.value, q = search.value.trim().toLowerCase();
    var count = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var ok = (!f || row.getAttribute("data-family") === f) &&
               (!s || row.getAttribute("data-severity") === s) &&
               (!q || row.textContent.toLowerCase().indexOf(q) !== -1);
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = shown.getAttribute("data-template")
      .replace("{shown}", String(count)).replace("{total}", String(total));
  }
  [family, severity].forEach(function (el) { el.addEventListener("change", applyFilters); });
  search.addEventListener("input", applyFilters);
  var headers = table.tHead.rows[0].cells;
  function sortBy(col) {
    var header = headers[col];
    var ascending = !header.classList.contains("sorted-asc");
    Array.prototype.forEach.call(headers, function (h) {
      h.classList.remove("sorted-asc", "sorted-desc");
    });
    header.classList.add(ascending ? "sorted-asc" : "sorted-desc");
    var rows = Array.prototype.slice.call(body.rows);
    function key(row) {
      var cell = row.cells[col];
      var value = cell.getAttribute("data-sort");
      return value === null ? cell.textContent : Number(value);
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b), r;
      if (typeof x === "number" && typeof y === "number") { r = x - y; }
      else { r = String(x).localeCompare(String(y), document.documentElement.lang); }
      if (r === 0) { r = Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index")); }
      return ascending ? r : -r;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(headers, function (h, col) {
    h.addEventListener("click", function () { sortBy(col); });
    h.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortBy(col); } });
  });
  window.orgnetReport = {findings: total};
})();
"""
