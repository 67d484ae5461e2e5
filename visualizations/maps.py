"""Interactive network maps: one self-contained, offline HTML file per map.

The map is drawn with pyvis (vis-network) and post-processed so that the file
loads nothing from anywhere: the vis-network script and stylesheet bundled with
pyvis are read from disk and inlined, pyvis's Bootstrap and CDN links are
removed.  Positions are computed here (a radial tree of the ``parent_id``
structure, a layered tree for the party view) and physics is off, so a map of
3,000 nodes is settled as soon as it is drawn.

Safety: every data string reaches the page either as vis-network data (JSON
with ``<``, ``>`` and ``&`` escaped) drawn as canvas text, or as a tooltip DOM
element built with ``textContent``, or through :func:`html.escape`.  No node
``title`` is handed to pyvis, so pyvis never switches to its raw-HTML popup.

Examples
--------
>>> from graphmodel.embedded import new_graph
>>> G = new_graph("demo")
>>> G.add_node("h", label="Institution", name="<b>县医院</b>", kind="county_hospital", level="county")
>>> page = map_html(G, view="units", lang="zh")
>>> external_resources(page)
[]
>>> "<b>县医院" in page
False
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx

from graphmodel.schema import INSTITUTION, MEMBER, PARTY_ORG, link_rel_type, link_type_of_rel
from visualizations import encoding as enc
from visualizations.aggregate import NODE_LIMIT, aggregate_view
from visualizations.redact import redact_findings, redact_graph
from visualizations.views import View, build_view, finding_node_ids

__all__ = ["map_html", "view_html", "external_resources", "json_for_script",
           "vis_network_assets", "positions"]

_REFERRAL = link_rel_type("referral")
_ONE_WAY = "referral.one_way"
_BROKEN = "referral.broken_chain"
_FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC'," \
        "'WenQuanYi Micro Hei',Arial,sans-serif"


def map_html(G: nx.MultiDiGraph, findings=(), *, view: str = "units", region: str | None = None,
             community: str | None = None, check: str | None = None, lang: str = "en",
             limit: int = NODE_LIMIT, title: str | None = None, notes=(),
             redact: bool = False, sizes: dict | None = None,
             proposed_rows=None) -> str:
    """Return one self-contained HTML page with an interactive map of a graph.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph (already redacted if names must not show).
    findings : iterable of Finding
        Findings to draw (marks, tooltips); the map runs no checks itself.
    view, region, community, check
        See :func:`visualizations.views.build_view`.
    lang : {"en", "zh"}
    limit : int
        Above this many nodes the view is aggregated (:mod:`visualizations.aggregate`).
    title : str, optional
        The page heading (default: the view's name and the dataset).
    notes : iterable of str
        Extra lines shown under the heading.
    redact : bool
        Replace member names by pseudonyms everywhere (:mod:`visualizations.redact`).
    sizes : dict, optional
        ``{institution id: value}`` sizing the institutions instead of their degree
        (``orgnet map --view resilience``: the impact of each unit's loss).
    proposed_rows : set, optional
        Links-table rows of proposed links (``orgnet map --plan``): an edge made only
        of them is drawn dashed.

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    visualizations.views.VisualizationError
        Unknown view, region, community or check.
    """
    findings = list(findings)
    notes = list(notes)
    if redact:
        G, names = redact_graph(G, lang=lang)
        findings = redact_findings(findings, names)
        notes.append(enc.text("redacted", lang))
    shown = build_view(G, view, region=region, community=community, check=check,
                       findings=findings)
    flagged = {n for f in findings for n in finding_node_ids(f)}
    shown = aggregate_view(shown, limit, keep=flagged)
    dataset = G.graph.get("dataset") or ""
    heading = title or f"{enc.text('view.' + view, lang)} · {dataset}".strip(" ·")
    return view_html(shown, findings, lang=lang, heading=heading,
                     notes=notes + _note_lines(shown, lang), sizes=sizes,
                     proposed_rows=proposed_rows)


def view_html(view: View, findings=(), *, lang: str = "en", heading: str = "",
              notes=(), sizes: dict | None = None, proposed_rows=None) -> str:
    """Return the self-contained page of an already built (and aggregated) view."""
    from pyvis.network import Network

    marks, node_findings, edge_findings = _marks(view, findings)
    net = Network(height="calc(100vh - 9rem)", width="100%", directed=True,
                  cdn_resources="remote", heading="")
    pos = positions(view)
    degree = defaultdict(int)
    for edge in view.edges:
        if not edge.structure:
            degree[edge.source] += 1
            degree[edge.target] += 1
    if sizes is not None:                 # institutions sized by a given value
        degree = defaultdict(int, {n: v for n, v in sizes.items() if n in view.nodes})
    most_degree = max(degree.values(), default=0)
    most_members = max((n.members for n in view.nodes.values()), default=0)
    node_tips = {}
    for node, item in view.nodes.items():
        style = enc.node_style(item.label, item.kind if item.label != MEMBER else None,
                               item.kind if item.label == MEMBER else None)
        if item.label == PARTY_ORG:
            size = enc.node_size(item.members, most_members, smallest_size=12, biggest_size=34)
        elif item.label == INSTITUTION:
            size = enc.node_size(degree[node], most_degree, smallest_size=10, biggest_size=28)
        else:
            size = 8.0
        colour = {"background": style["color"], "border": "#555555",
                  "highlight": {"background": style["color"], "border": "#000000"},
                  "hover": {"background": style["color"], "border": "#000000"}}
        border = 1
        mark = marks.get(node)
        if mark:
            colour["border"] = colour["highlight"]["border"] = colour["hover"]["border"] = mark
            border = 4
        x, y = pos[node]
        net.add_node(node, label=_label(item, lang), shape=style["shape"], color=colour,
                     size=size, x=x, y=y, borderWidth=border, borderWidthSelected=border + 2)
        node_tips[node] = _node_tip(item, node_findings.get(node, []), lang)
    largest = max((e.count for e in view.edges if not e.structure), default=0)
    big = view.number_of_edges() > 1500 or view.number_of_nodes() > 1500
    # many structure edges slow the first drawing: start with them hidden
    structure_shown = view.structure_shown and view.number_of_edges() <= 3000
    edge_tips = {}
    structure_ids = []
    for i, edge in enumerate(view.edges):
        edge_id = f"e{i}"
        options = _edge_options(edge, largest, edge_findings.get(i, []), small=not big)
        if edge.structure and not structure_shown:
            options["hidden"] = True
        if proposed_rows and not edge.structure and edge.rows \
                and all(row in proposed_rows for row in edge.rows):
            options["dashes"] = [8, 6]      # proposed by the plan (orgnet map --plan)
        net.add_edge(edge.source, edge.target, id=edge_id, **options)
        edge_tips[edge_id] = _edge_tip(edge, view, edge_findings.get(i, []), lang)
        if edge.structure:
            structure_ids.append(edge_id)
    net.set_options(json.dumps({
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False},
        "edges": {"smooth": False, "selectionWidth": 2,
                  "font": {"face": _FONT, "size": 11}},
        "nodes": {"font": {"face": _FONT, "size": 14}},
    }))
    data = {
        "nodeTips": node_tips,
        "edgeTips": edge_tips,
        "structureEdges": structure_ids,
        "structureShown": structure_shown,
        "counts": {"nodes": view.number_of_nodes(), "edges": view.number_of_edges()},
    }
    page = net.generate_html(notebook=False)
    return _post_process(page, lang=lang, heading=heading, notes=notes,
                         legend=_legend_html(view, marks, edge_findings, lang),
                         data=data, view=view)


# ---------------------------------------------------------------------------
# Self-containment and escaping
# ---------------------------------------------------------------------------
#: what may stand right before a ``//`` that loads something: an attribute or CSS url(
_BEFORE_SLASHES = re.compile(
    r"""(?:\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*|url\(\s*["']?\s*)"""
    r"""(?:https?:)?$""", re.IGNORECASE)


def external_resources(page: str) -> list[str]:
    """Return every place where a page would load something from the network.

    Looks for ``src=``/``href=`` (and kin) pointing to ``http(s)://`` or ``//``,
    CSS ``url(http...)`` and ``@import``.  A self-contained page gives ``[]``.

    Examples
    --------
    >>> external_resources('<script src="https://cdn.example/x.js"></script><p>https://ok</p>')
    ['src="https://']
    """
    found = []
    start = page.find("//")
    while start != -1:            # scan from each "//": far faster than one big regex
        before = _BEFORE_SLASHES.search(page, max(0, start - 40), start)
        if before:
            found.append((before.start(), page[before.start():start + 2]))
        start = page.find("//", start + 2)
    lowered = page.lower()
    start = lowered.find("@import")
    while start != -1:
        found.append((start, page[start:start + 7]))
        start = lowered.find("@import", start + 7)
    return [text for _, text in sorted(found)]


def json_for_script(value) -> str:
    """Return JSON safe to put inside a ``<script>`` element.

    ``<``, ``>``, ``&`` and the line separators are written as ``\\uXXXX`` escapes,
    so a string holding ``</script>`` cannot end the element.

    Examples
    --------
    >>> json_for_script({"name": "</script><img src=x onerror=alert(1)>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, default=str)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def vis_network_assets() -> tuple[str, str]:
    """Return ``(javascript, css)`` of the vis-network bundled with pyvis, read from disk."""
    import pyvis

    folder = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    style = (folder / "vis-network.css").read_text(encoding="utf-8")
    script = re.sub(r"//# sourceMappingURL=\S*", "", script)
    style = re.sub(r"/\*# sourceMappingURL=\S*\s*\*/", "", style)
    if re.search(r"</script|<!--", script, re.IGNORECASE) or "</style" in style.lower():
        raise RuntimeError("the bundled vis-network cannot be inlined safely")
    return script, style


def _replace_once(page: str, pattern: str, replacement: str, *, flags=re.DOTALL) -> str:
    """Replace exactly one match of a regex (a changed pyvis template is an error, not a leak)."""
    matches = list(re.finditer(pattern, page, flags))
    if len(matches) != 1:
        raise RuntimeError(f"pyvis page layout changed: {len(matches)} matches of {pattern!r}")
    match = matches[0]
    return page[:match.start()] + replacement + page[match.end():]


def _post_process(page: str, *, lang, heading, notes, legend, data, view) -> str:
    script, style = vis_network_assets()
    page = _replace_once(page, r'<link rel="stylesheet" href="https://cdnjs[^>]*vis-network[^>]*>',
                         f"<style>{style}</style>")
    page = _replace_once(page, r'<script src="https://cdnjs[^>]*vis-network[^>]*></script>',
                         f"<script>{script}</script>")
    page = _replace_once(page, r'<link\s+href="https://cdn\.jsdelivr\.net/npm/bootstrap[^>]*>', "")
    page = _replace_once(
        page, r'<script\s+src="https://cdn\.jsdelivr\.net/npm/bootstrap[^>]*>\s*</script>', "")
    page = re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    page = _replace_once(page, r"^\s*<html>", f'<!DOCTYPE html>\n<html lang="{_html_lang(lang)}">')
    head = (f"<title>{html.escape(heading)}</title>\n"
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<style>{_MAP_CSS}</style>\n</head>")
    page = _replace_once(page, r"</head>", head)
    toggle = html.escape(enc.text("structure_toggle", lang))
    checked = " checked" if data["structureShown"] else ""
    note_html = "".join(f'<p class="orgnet-note">{html.escape(n)}</p>' for n in notes)
    header = (f'<body>\n<header id="orgnet-header"><h1>{html.escape(heading)}</h1>{note_html}'
              f'<label class="orgnet-toggle"><input type="checkbox" id="orgnet-structure"{checked}> '
              f"{toggle}</label></header>")
    page = _replace_once(page, r"<body>", header)
    page = _replace_once(page, r'<div class="card" style="width: 100%">',
                         f'<div class="card" id="orgnet-card">{legend}')
    tail = (f'<script type="application/json" id="orgnet-data">{json_for_script(data)}</script>\n'
            f"<script>{_MAP_JS}</script>\n</body>")
    page = _replace_once(page, r"</body>", tail)
    leaks = external_resources(page)
    if leaks:
        raise RuntimeError(f"the map would load from the network: {leaks[:3]}")
    return page


def _html_lang(lang: str) -> str:
    return "zh-CN" if lang == "zh" else "en"


# ---------------------------------------------------------------------------
# Findings on the map
# ---------------------------------------------------------------------------
def _marks(view: View, findings):
    """Return (node -> border colour, node -> findings, edge index -> findings)."""
    node_marks: dict[str, list[str]] = defaultdict(list)
    node_findings: dict[str, list] = defaultdict(list)
    edge_findings: dict[int, list] = defaultdict(list)
    edge_index = defaultdict(list)
    for i, edge in enumerate(view.edges):
        if not edge.structure:
            edge_index[(edge.source, edge.target)].append(i)
    for finding in findings:
        ids = [n for n in finding_node_ids(finding) if n in view.nodes]
        for node in ids:
            node_findings[node].append(finding)
        mark = enc.FINDING_MARKS.get(finding.check)
        if finding.check == _ONE_WAY and len(finding.subject) == 2:
            a, b = finding.subject
            hits = [i for i in edge_index.get((a, b), []) if view.edges[i].type == _REFERRAL] \
                or [i for i in edge_index.get((a, b), []) + edge_index.get((b, a), [])
                    if "referral" in view.edges[i].link_types]
            for i in hits[:1]:
                edge_findings[i].append(finding)
            continue
        if mark is None:
            continue        # drawn in tooltips only: marking every finding would hide the gaps
        for node in finding.subject:
            if node in view.nodes:
                node_marks[node].append(mark[0])
        if finding.check == _BROKEN:
            for node in ids:
                if node not in finding.subject:
                    node_marks[node].append(enc.BREAK_POINT_MARK[0])
    colours = {key: colour for key, colour in enc.FINDING_MARKS.values()}
    colours[enc.BREAK_POINT_MARK[0]] = enc.BREAK_POINT_MARK[1]
    border = {}
    for node, keys in node_marks.items():
        first = min(keys, key=lambda k: enc.MARK_ORDER.index(k) if k in enc.MARK_ORDER else 99)
        border[node] = colours[first]
    return border, node_findings, edge_findings


def _finding_lines(findings, lang) -> list[str]:
    if not findings:
        return []
    lines = ["", enc.text("findings", lang) + ":"]
    for f in findings:
        lines.append(f"• [{enc.display_kind(f.severity, lang)}] {f.message}")
        if f.suggestion:
            lines.append(f"  → {enc.text('suggestion', lang)}: {f.suggestion}")
    return lines


# ---------------------------------------------------------------------------
# Labels and tooltips (plain text lines; the page builds DOM text nodes)
# ---------------------------------------------------------------------------
def _label(item, lang) -> str:
    """The text drawn by a node: its name, cut at 24 characters (the tooltip has it all)."""
    name = item.name if len(item.name) <= 24 else item.name[:23] + "…"
    extra = []
    if item.merged.get("villages"):
        extra.append(enc.text("agg.note_villages", lang, n=item.merged["villages"]))
    if item.merged.get("members"):
        extra.append(enc.text("agg.note_members", lang, n=item.merged["members"]))
    return f"{name}\n({', '.join(extra)})" if extra else name


def _node_tip(item, findings, lang) -> list[str]:
    lines = [item.name, f"{enc.text('id', lang)}: {item.id}",
             f"{enc.text('kind', lang)}: {enc.display_kind(item.label, lang)} · "
             f"{enc.display_kind(item.kind, lang)}"]
    level = item.attrs.get("level")
    if level and item.label == INSTITUTION:
        lines.append(f"{enc.text('level', lang)}: {enc.display_kind(level, lang)}")
    if item.attrs.get("region_id"):
        region = item.attrs["region_id"]
        name = item.attrs.get("region_name", region)
        lines.append(f"{enc.text('region', lang)}: {name} ({region})" if name != region
                     else f"{enc.text('region', lang)}: {region}")
    roles = item.attrs.get("roles")
    if roles:
        roles = roles if isinstance(roles, list) else [roles]
        lines.append(", ".join(enc.display_kind(r, lang) for r in roles))
    if item.label == PARTY_ORG:
        lines.append(f"{item.members} {enc.text('members', lang)}")
    if item.merged.get("villages"):
        lines.append(enc.text("agg.note_villages", lang, n=item.merged["villages"]))
    if item.merged.get("members"):
        lines.append(enc.text("agg.note_members", lang, n=item.merged["members"]))
    return lines + _finding_lines(findings, lang)


def _edge_tip(edge, view, findings, lang) -> list[str]:
    source = view.nodes[edge.source].name
    target = view.nodes[edge.target].name
    if edge.structure:
        return [f"{source} → {target}", enc.display_kind(edge.type, lang)]
    arrow = "↔" if edge.two_headed or not edge.direction and edge.type == enc.MIXED_EDGE else "→"
    kinds = ", ".join(enc.link_type_name(k, lang) for k in edge.link_types)
    lines = [f"{source} {arrow} {target}", kinds, f"{enc.text('count', lang)}: {edge.count}"]
    if edge.direction:
        lines.append(enc.text("ref." + edge.direction, lang))
    if edge.members:
        names = sorted(view.member_names.get(m, m) for m in edge.members)
        lines.append(", ".join(names))
    return lines + _finding_lines(findings, lang)


def _edge_options(edge, largest, findings, small=True) -> dict:
    if edge.structure:
        style = enc.edge_style(edge.type)
        # dashed lines are slow to draw: structure edges are dashed on small maps only
        return {"color": {"color": style["color"], "opacity": 0.8},
                "dashes": style["dashes"] if small else False,
                "width": 1, "arrows": _arrows(style["arrows"] == "to", False, 0.4)}
    style = enc.edge_style(edge.type)
    colour = style["color"]
    if edge.direction:
        colour = enc.REFERRAL_DIRECTION_COLOURS[edge.direction]
    if edge.count == 0:
        colour = enc.REFERRAL_DIRECTION_COLOURS["inactive"]
    width = enc.referral_width(edge.count, largest)
    if findings:
        colour = enc.FINDING_MARKS[_ONE_WAY][1]
    directed = style["arrows"] == "to" and len(edge.link_types) == 1
    options = {"color": {"color": colour, "highlight": colour, "hover": colour},
               "dashes": style["dashes"], "width": width,
               "arrows": _arrows(directed, directed and edge.two_headed, 0.7)}
    if edge.both_ways and directed and not edge.two_headed:
        options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15}
    return options


def _arrows(to: bool, back: bool, scale: float) -> dict:
    return {"to": {"enabled": to, "scaleFactor": scale},
            "from": {"enabled": back, "scaleFactor": scale}}


# ---------------------------------------------------------------------------
# Legend
# ---------------------------------------------------------------------------
def _legend_html(view: View, marks, edge_findings, lang) -> str:
    esc = html.escape
    rows = []
    seen = []
    for item in view.nodes.values():
        key = (item.label, item.kind)
        if key not in seen:
            seen.append(key)
    for label, kind in sorted(seen, key=lambda k: (k[0], str(k[1]))):
        style = enc.node_style(label, kind if label != MEMBER else None,
                               kind if label == MEMBER else None)
        rows.append(_swatch_node(style, f"{enc.display_kind(label, lang)} · "
                                        f"{enc.display_kind(kind, lang)}"))
    edge_rows = []
    kinds_seen = []
    for edge in view.edges:
        key = ("ref", edge.direction) if edge.direction else (
            "inactive", None) if edge.count == 0 and not edge.structure else ("type", edge.type)
        if key not in kinds_seen:
            kinds_seen.append(key)
    for kind, value in kinds_seen:
        if kind == "ref":
            edge_rows.append(_swatch_edge(enc.REFERRAL_DIRECTION_COLOURS[value], False,
                                          enc.text("ref." + value, lang)))
        elif kind == "inactive":
            edge_rows.append(_swatch_edge(enc.REFERRAL_DIRECTION_COLOURS["inactive"], False,
                                          enc.text("ref.inactive", lang)))
        else:
            style = enc.edge_style(value)
            link = link_type_of_rel(value)
            name = enc.link_type_name(link, lang) if link else \
                enc.text("edge.MIXED", lang) if value == enc.MIXED_EDGE else \
                enc.display_kind(value, lang)
            edge_rows.append(_swatch_edge(style["color"], style["dashes"], name))
    mark_rows = []
    colours = {key: colour for key, colour in enc.FINDING_MARKS.values()}
    colours[enc.BREAK_POINT_MARK[0]] = enc.BREAK_POINT_MARK[1]
    for key in enc.legend_marks(view.name):
        mark_rows.append(_swatch_mark(colours[key], enc.text("mark." + key, lang)))
    mark_rows.append(_swatch_edge(colours["one_way"], False, enc.text("mark.one_way", lang)))
    counts = enc.text("nodes_edges", lang, nodes=view.number_of_nodes(),
                      edges=view.number_of_edges())
    return (f'<aside id="orgnet-legend" aria-label="{esc(enc.text("legend", lang))}">'
            f'<details open><summary>{esc(enc.text("legend", lang))}</summary>'
            f'<p class="orgnet-counts">{esc(counts)}</p>'
            f'<h3>{esc(enc.text("legend.nodes", lang))}</h3><ul>{"".join(rows)}</ul>'
            f'<h3>{esc(enc.text("legend.edges", lang))}</h3><ul>{"".join(edge_rows)}</ul>'
            f'<h3>{esc(enc.text("legend.marks", lang))}</h3><ul>{"".join(mark_rows)}</ul>'
            f'<p class="orgnet-hint">{esc(enc.text("legend.hover", lang))}</p></details></aside>')


_SVG_SHAPES = {
    "dot": '<circle cx="8" cy="8" r="6" {a}/>',
    "square": '<rect x="2" y="2" width="12" height="12" {a}/>',
    "triangle": '<polygon points="8,1 15,14 1,14" {a}/>',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8" {a}/>',
    "hexagon": '<polygon points="4,2 12,2 15,8 12,14 4,14 1,8" {a}/>',
    "star": '<polygon points="8,1 10,6 15,6 11,9 13,15 8,11 3,15 5,9 1,6 6,6" {a}/>',
}


def _swatch_node(style, name) -> str:
    shape = _SVG_SHAPES.get(style["shape"], _SVG_SHAPES["dot"]).format(
        a=f'fill="{style["color"]}" stroke="#555" stroke-width="1"')
    return (f'<li><svg width="16" height="16" aria-hidden="true">{shape}</svg>'
            f"{html.escape(name)}</li>")


def _swatch_edge(colour, dashes, name) -> str:
    dash = ""
    if dashes is True:
        dash = ' stroke-dasharray="5,3"'
    elif dashes:
        dash = f' stroke-dasharray="{",".join(str(int(d)) for d in dashes)}"'
    return (f'<li><svg width="28" height="10" aria-hidden="true"><line x1="1" y1="5" x2="27" '
            f'y2="5" stroke="{colour}" stroke-width="3"{dash}/></svg>{html.escape(name)}</li>')


def _swatch_mark(colour, name) -> str:
    return (f'<li><svg width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="5" '
            f'fill="#ffffff" stroke="{colour}" stroke-width="3"/></svg>{html.escape(name)}</li>')


def _note_lines(view: View, lang) -> list[str]:
    lines = []
    for key, fields in view.notes:
        if key == "aggregated":
            how = "; ".join(enc.text(step, lang, after=fields["after"]) for step in fields["steps"])
            lines.append(enc.text("aggregated", lang, before=fields["before"],
                                  limit=fields["limit"], after=fields["after"], how=how))
        else:
            lines.append(enc.text(key, lang, **fields))
    if not view.nodes:
        lines.append(enc.text("empty", lang))
    return lines


# ---------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------
_LEAF = 45.0       # radius a leaf needs (with its label)
_GAP = 30.0
_SPIRAL_START = 90.0
_SPIRAL_STEP = 55.0


def positions(view: View) -> dict[str, tuple[float, float]]:
    """Return precomputed ``{node: (x, y)}`` positions of a view.

    The ``parent`` tree of the view is drawn as nested rings (a unit in the middle,
    the units below it around it, and so on); a hierarchical view is drawn as a
    layered tree, top down.  Three or more trees are set on a wheel around the
    units that head no tree; fewer are packed in rows, biggest first.

    Examples
    --------
    >>> from visualizations.views import View, ViewNode
    >>> v = View("units", nodes={n: ViewNode(n, "Institution", n) for n in "abc"},
    ...          parent={"b": "a", "c": "a"})
    >>> p = positions(v)
    >>> sorted(p) == ["a", "b", "c"] and p["b"] != p["c"]
    True
    """
    children, roots = _forest(view)
    boxes = {node: _label_box(item) for node, item in view.nodes.items()}
    if view.hierarchical:
        pos = _layered(view, children, roots, boxes)
    else:
        pos = _radial(children, roots, boxes)
    if len(pos) <= _SEPARATE_LIMIT:
        pos = _separate(pos, boxes)
    return pos


#: label font size of the map's nodes (the "nodes.font.size" option)
_LABEL_FONT = 14
#: radius kept free around a node's centre (the biggest drawn node is 28)
_NODE_RADIUS = 20.0
#: views with at most this many nodes get their label boxes pulled apart
_SEPARATE_LIMIT = 2000


def _label_box(item) -> tuple[float, float]:
    """``(half width, height below the centre)`` of a node and its label, in pixels."""
    lines = [line for lang in ("en", "zh") for line in _label(item, lang).split("\n")]
    width = max(enc.text_width(line, _LABEL_FONT) for line in lines)
    count = max(len(_label(item, lang).split("\n")) for lang in ("en", "zh"))
    return max(width / 2, _NODE_RADIUS), _NODE_RADIUS + 4 + 17 * count


def label_boxes(view: View, pos) -> dict[str, tuple[float, float, float, float]]:
    """Return each node's estimated ``(left, top, right, bottom)`` box: the node and its
    label drawn below it (widths by :func:`visualizations.encoding.text_width`).

    Examples
    --------
    >>> from visualizations.views import View, ViewNode
    >>> v = View("units", nodes={"a": ViewNode("a", "Institution", "卫健局")})
    >>> label_boxes(v, {"a": (0.0, 0.0)})["a"]
    (-22.0, -20.0, 22.0, 41.0)
    """
    out = {}
    for node, item in view.nodes.items():
        half, below = _label_box(item)
        x, y = pos[node]
        out[node] = (x - half - 1, y - _NODE_RADIUS, x + half + 1, y + below)
    return out


def _separate(pos, boxes, rounds: int = 80) -> dict:
    """Push apart nodes whose boxes (node and label) overlap, deterministically.

    Each round finds the overlapping pairs (a grid of buckets keeps it near linear)
    and moves both nodes of a pair half the overlap apart along the axis where the
    overlap is smaller; the moves of a round are summed, then applied.
    """
    pos = {n: (float(x), float(y)) for n, (x, y) in pos.items()}
    if not pos:
        return pos
    order = sorted(pos)
    cell = max(max(2 * h for h, _ in boxes.values()), max(b + _NODE_RADIUS
                                                          for _, b in boxes.values()))
    margin = 6.0
    for _ in range(rounds):
        rect = {}
        grid = defaultdict(list)
        for n in order:
            x, y = pos[n]
            half, below = boxes[n]
            rect[n] = (x - half - margin / 2, y - _NODE_RADIUS, x + half + margin / 2, y + below)
            grid[(math.floor(x / cell), math.floor(y / cell))].append(n)
        moves = defaultdict(lambda: [0.0, 0.0])
        found = False
        for index, n in enumerate(order):
            gx, gy = math.floor(pos[n][0] / cell), math.floor(pos[n][1] / cell)
            a = rect[n]
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for m in grid.get((gx + dx, gy + dy), ()):
                        if m <= n:
                            continue
                        b = rect[m]
                        ox = min(a[2], b[2]) - max(a[0], b[0])
                        oy = min(a[3], b[3]) - max(a[1], b[1])
                        if ox <= 0 or oy <= 0:
                            continue
                        found = True
                        if ox <= oy:
                            sign = 1.0 if (pos[m][0], m) > (pos[n][0], n) else -1.0
                            moves[m][0] += sign * (ox / 2 + 0.5)
                            moves[n][0] -= sign * (ox / 2 + 0.5)
                        else:
                            sign = 1.0 if (pos[m][1], m) > (pos[n][1], n) else -1.0
                            moves[m][1] += sign * (oy / 2 + 0.5)
                            moves[n][1] -= sign * (oy / 2 + 0.5)
        if not found:
            break
        for n, (mx, my) in moves.items():
            pos[n] = (pos[n][0] + mx, pos[n][1] + my)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def _forest(view: View):
    children: dict[str, list[str]] = defaultdict(list)
    for node in view.nodes:
        parent = view.parent.get(node)
        if parent in view.nodes and parent != node:
            children[parent].append(node)
    roots = [n for n in view.nodes if view.parent.get(n) not in view.nodes]
    # nodes on a cycle of parents (not expected) become roots too
    reached = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in reached:
            continue
        reached.add(node)
        stack.extend(children.get(node, ()))
    for node in view.nodes:
        if node not in reached:
            roots.append(node)
            reached.add(node)
            stack = list(children.get(node, ()))
            while stack:
                child = stack.pop()
                if child not in reached:
                    reached.add(child)
                    stack.extend(children.get(child, ()))
    for node in list(children):
        children[node] = [c for c in children[node] if c not in roots]
    return children, roots


def _post_order(children, roots) -> list[str]:
    order, stack, seen = [], [(r, False) for r in roots], set()
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        stack.extend((c, False) for c in children.get(node, ()))
    return order


def _radial(children, roots, boxes) -> dict:
    extent: dict[str, float] = {}
    plan: dict[str, tuple] = {}
    for node in _post_order(children, roots):
        kids = children.get(node, [])
        leaves = [c for c in kids if not children.get(c)]
        inner = [c for c in kids if children.get(c)]
        spiral = 0.0
        if leaves:
            spiral = _SPIRAL_START + _SPIRAL_STEP * math.sqrt(len(leaves))
        ring = 0.0
        if inner:
            need = sum(2 * extent[c] + _GAP for c in inner) / (2 * math.pi)
            ring = max(need, spiral + max(extent[c] for c in inner) + _GAP, 200.0)
        plan[node] = (leaves, inner, spiral, ring)
        extent[node] = max(_LEAF, spiral + _LEAF, ring + max((extent[c] for c in inner),
                                                             default=0.0))
    pos: dict[str, tuple[float, float]] = {}

    def place(root, x0, y0):
        stack = [(root, x0, y0)]
        while stack:
            node, x, y = stack.pop()
            pos[node] = (round(x, 1), round(y, 1))
            leaves, inner, spiral, ring = plan[node]
            golden = math.pi * (3 - math.sqrt(5))
            for k, leaf in enumerate(leaves):
                r = _SPIRAL_START + _SPIRAL_STEP * math.sqrt(k)
                # the first leaf above its parent, clear of the parent's label below it
                a = k * golden - math.pi / 2
                stack.append((leaf, x + r * math.cos(a), y + r * math.sin(a)))
            if inner:
                total = sum(2 * extent[c] + _GAP for c in inner)
                angle = -math.pi / 2
                for child in inner:
                    share = (2 * extent[child] + _GAP) / total * 2 * math.pi
                    a = angle + share / 2
                    stack.append((child, x + ring * math.cos(a), y + ring * math.sin(a)))
                    angle += share

    ordered = sorted(roots, key=lambda r: (-extent[r], r))
    trees = [r for r in ordered if plan[r][0] or plan[r][1]]
    loose = [r for r in ordered if not (plan[r][0] or plan[r][1])]
    if len(trees) >= 3:
        # a wheel: the trees (medical communities) on a ring, the loose units (city
        # hospitals, bureaus: the hubs they refer to) in a grid in the middle
        side = math.ceil(math.sqrt(len(loose))) if loose else 0
        cell_h = 2 * _LEAF + _GAP
        # wide enough for the widest label of the loose units
        cell_w = max([cell_h] + [2 * boxes[r][0] + _GAP for r in loose])
        cell = max(cell_w, cell_h)
        for i, root in enumerate(loose):
            place(root, (i % side - (side - 1) / 2) * cell_w,
                  (i // side - (side - 1) / 2) * cell_h)
        total = sum(2 * extent[r] + _GAP for r in trees)
        # each tree's disc must fit in its sector: (extent) / sin(half its angle)
        fit = max((extent[r] + _GAP / 2) / math.sin(min(math.pi / 2, (2 * extent[r] + _GAP)
                                                         / total * math.pi)) for r in trees)
        ring = max(total / (2 * math.pi), fit,
                   side * cell * 0.75 + max(extent[r] for r in trees) + _GAP)
        angle = -math.pi / 2
        for root in trees:
            share = (2 * extent[root] + _GAP) / total * 2 * math.pi
            a = angle + share / 2
            place(root, ring * math.cos(a), ring * math.sin(a))
            angle += share
        return pos
    area = sum((2 * extent[r] + _GAP) ** 2 for r in ordered)
    row_width = max(math.sqrt(area) * 1.3, 2 * extent[ordered[0]] + _GAP) if ordered else 0
    x = y = 0.0
    row_height = 0.0
    for root in ordered:
        size = 2 * extent[root] + _GAP
        # a unit heading no tree takes the width of its label
        size_x = max(size, 2 * boxes[root][0] + _GAP)
        if x > 0 and x + size_x > row_width:
            x = 0.0
            y += row_height
            row_height = 0.0
        place(root, x + size_x / 2, y + size / 2)
        x += size_x
        row_height = max(row_height, size)
    return pos


def _layered(view: View, children, roots, boxes) -> dict:
    """Top-down tree: depth gives y, leaves get consecutive slots, parents sit over children."""
    xs: dict[str, float] = {}
    depth: dict[str, int] = {}
    tree_roots = [r for r in roots if children.get(r)]
    loose = [r for r in roots if not children.get(r)]
    slot = 0.0
    step = 130.0
    last = 0.0
    for root in tree_roots:
        stack = [(root, 0)]
        while stack:
            node, d = stack.pop()
            depth[node] = d
            stack.extend((c, d + 1) for c in reversed(children.get(node, [])))
        for node in _post_order_ltr(children, root):
            kids = children.get(node, [])
            if kids:
                xs[node] = (xs[kids[0]] + xs[kids[-1]]) / 2
            else:
                # consecutive leaves: far enough apart for both labels
                if last:
                    slot += max(step, last + boxes[node][0] + _GAP / 2)
                xs[node] = slot
                last = boxes[node][0]
        slot += step
    bottom = max(depth.values(), default=-1) + 1
    pos = {n: (round(xs[n], 1), depth[n] * 170.0) for n in xs}
    per_row = max(10, int(math.sqrt(len(loose)) * 2) or 1)
    width = max(slot, per_row * step)
    per_row = max(per_row, int(width // step))
    loose_step = max([step] + [2 * boxes[n][0] + _GAP / 2 for n in loose])
    per_row = max(1, min(per_row, int(width // loose_step) or 1))
    for i, node in enumerate(loose):
        pos[node] = (round((i % per_row) * loose_step, 1), (bottom + i // per_row) * 170.0)
    return pos


def _post_order_ltr(children, root) -> list[str]:
    order, stack = [], [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children.get(node, [])))
    return order


_MAP_CSS = """
html, body { margin: 0; padding: 0; font-family: %(font)s; color: #222; background: #fff; }
#orgnet-header { padding: .5rem 1rem; border-bottom: 1px solid #ddd; }
#orgnet-header h1 { font-size: 1.25rem; margin: .2rem 0; }
.orgnet-note { margin: .2rem 0; color: #8a4b00; font-size: .9rem; }
.orgnet-toggle { font-size: .9rem; cursor: pointer; }
#orgnet-card { position: relative; width: 100%%; }
#mynetwork { border: none !important; float: none !important; }
#orgnet-legend { position: absolute; top: .5rem; right: .5rem; z-index: 5; max-width: 19rem;
  max-height: calc(100%% - 1rem); overflow: auto; background: rgba(255,255,255,.93);
  border: 1px solid #ccc; border-radius: 4px; padding: .4rem .7rem; font-size: .8rem; }
#orgnet-legend summary { font-size: .95rem; font-weight: bold; cursor: pointer; margin: .1rem 0; }
#orgnet-legend h3 { font-size: .85rem; margin: .4rem 0 .1rem; }
#orgnet-legend ul { list-style: none; margin: 0; padding: 0; }
#orgnet-legend li { display: flex; align-items: center; gap: .35rem; margin: .1rem 0; }
.orgnet-counts { margin: 0; color: #555; }
.orgnet-hint { margin: .4rem 0 0; color: #555; font-style: italic; }
div.vis-tooltip { max-width: 26rem; white-space: normal; font-family: %(font)s; font-size: .85rem; }
.orgnet-tip div { white-space: pre-wrap; }
.orgnet-tip div:first-child { font-weight: bold; }
@media print {
  .orgnet-toggle, .orgnet-hint { display: none; }
  #orgnet-legend { background: #fff; }
}
""" % {"font": _FONT}

_MAP_JS = r"""
(function () {
  var data = JSON.parse(document.getElementById("orgnet-data").textContent);
  function tip(lines) {
    var box = document.createElement("div");
    box.className = "orgnet-tip";
    lines.forEach(function (line) {
      var row = document.createElement("div");
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }
  // Tooltips are built when first needed (hover or selection), as DOM text:
  // building thousands up front would delay the first drawing.
  var built = {nodes: {}, edges: {}};
  function ensureTip(kind, id) {
    var tips = kind === "nodes" ? data.nodeTips : data.edgeTips;
    if (id === undefined || built[kind][id] || !tips[id]) { return; }
    built[kind][id] = true;
    (kind === "nodes" ? nodes : edges).update({id: id, title: tip(tips[id])});
  }
  network.on("hoverNode", function (p) { ensureTip("nodes", p.node); });
  network.on("hoverEdge", function (p) { ensureTip("edges", p.edge); });
  network.on("select", function (p) {
    p.nodes.forEach(function (id) { ensureTip("nodes", id); });
    p.edges.forEach(function (id) { ensureTip("edges", id); });
  });
  var toggle = document.getElementById("orgnet-structure");
  toggle.addEventListener("change", function () {
    edges.update(data.structureEdges.map(function (id) {
      return {id: id, hidden: !toggle.checked};
    }));
  });
  window.orgnetTip = ensureTip;
  // Fit the network into the part of the canvas the legend leaves free.
  function makeRoomForLegend() {
    var legend = document.getElementById("orgnet-legend");
    var box = document.getElementById("mynetwork");
    if (!legend || !box.clientWidth || !nodes.length) { return; }
    var taken = legend.offsetWidth + 16;
    var free = box.clientWidth - taken;
    if (free < box.clientWidth * 0.4) { return; }
    network.fit({animation: false});
    network.moveTo({scale: network.getScale() * free / box.clientWidth,
                    offset: {x: -taken / 2, y: 0}, animation: false});
  }
  makeRoomForLegend();
  document.querySelector("#orgnet-legend details").addEventListener("toggle", function () {
    if (this.open) { makeRoomForLegend(); } else { network.fit({animation: false}); }
  });
  // vis-network has drawn the (physics-free, pre-positioned) map by now
  window.orgnetMap = {nodes: nodes.length, edges: edges.length, expected: data.counts,
                      readyAt: performance.now()};
})();
"""
