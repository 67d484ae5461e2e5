"""Interactive network maps: one self-contained, offline HTML file per map.

A map is a *model* (:func:`map_model`: plain JSON-ready data: layers of nodes
and edges with precomputed positions, style tables, the findings) drawn in the
browser by ``assets/map.js`` with vis-network.  The page is rendered from the
Jinja2 template ``templates/map.html.j2`` (autoescaped); vis-network's script
comes from the pyvis package and is inlined with ours, so the file loads
nothing from anywhere.  The report embeds the same map component
(``templates/_map.html.j2``) and drives it (a click on a finding shows it).

A model has one layer (``main``), or, for an institution view of more than
:data:`orgnet.visualizations.overview.OVERVIEW_FROM` nodes, an ``overview`` layer (one
node per region, coloured by coverage) and one detail layer per region.

Safety: every data string reaches the page either as JSON inside a
``<script type="application/json">`` (``<``, ``>`` and ``&`` escaped) read with
``JSON.parse`` and drawn as canvas text or DOM text (``textContent``), or through
the autoescaping template.

Adding to a map (see docs/architecture.md): a new view is a builder in
:mod:`orgnet.visualizations.views`; a new overlay is a function that marks nodes or
edges (like :func:`_marks`) with a legend entry in :data:`orgnet.visualizations.encoding.FINDING_MARKS`.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> G = new_graph("demo")
>>> G.add_node("h", label="Institution", name="<b>县医院</b>", kind="county_hospital", level="county")
>>> page = map_html(G, view="units", lang="zh")
>>> external_resources(page)
[]
>>> "<b>县医院" in page
False
"""

from __future__ import annotations

import re
from collections import defaultdict

import networkx as nx
from markupsafe import Markup

from orgnet.graphmodel.schema import (
    COVERS, INSTITUTION, MEMBER, PARTY_ORG, WORKS_AT, link_rel_type, link_type_of_rel,
)
from orgnet.queries.finding import SEVERITIES
from orgnet.visualizations import encoding as enc
from orgnet.visualizations.aggregate import NODE_LIMIT, aggregate_view
from orgnet.visualizations.layout import LABEL_FONT, label_boxes, node_label, positions
from orgnet.visualizations.overview import OVERVIEW_FROM, region_overview, wants_overview
from orgnet.visualizations.redact import redacted_view
from orgnet.visualizations.templating import json_for_script, packed_json, render, PACK_OVER
from orgnet.visualizations.views import View, build_view, finding_node_ids

__all__ = ["map_html", "map_model", "map_context", "split_model", "page_model",
           "external_resources",
           "json_for_script",
           "positions", "label_boxes", "MIN_LABEL_PX", "READABLE_UP_TO", "UI_TEXT_KEYS"]

_REFERRAL = link_rel_type("referral")
_ONE_WAY = "referral.one_way"
_BROKEN = "referral.broken_chain"
#: the layer id of a region's detail: this prefix and the region id
_DETAIL = "region:"
#: the smallest drawn label (pixels) at the initial zoom of a view of up to READABLE_UP_TO nodes
MIN_LABEL_PX = 10
READABLE_UP_TO = 300
#: the page texts the map's script uses (from visualizations.encoding.TEXTS)
UI_TEXT_KEYS = (
    "search", "search_placeholder", "no_match", "zoom_in", "zoom_out", "fit", "export_png",
    "filters", "filter.kind", "severity", "check", "any", "back_to_overview", "legend",
    "legend.nodes", "legend.edges", "legend.marks", "legend.hover", "nodes_edges", "findings",
    "suggestion", "structure_toggle", "open_detail", "external", "filter.none_left",
    "filter.reset", "legend.coverage")


def map_html(G: nx.MultiDiGraph, findings=(), *, view: str = "units", region: str | None = None,
             community: str | None = None, check: str | None = None, lang: str = "en",
             limit: int = NODE_LIMIT, title: str | None = None, notes=(),
             redact: bool = False, overview_from: int = OVERVIEW_FROM,
             pack_over: int = PACK_OVER) -> str:
    """Return one self-contained HTML page with an interactive map of a graph.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The embedded graph.
    findings : iterable of Finding
        Findings to draw (marks, tooltips, filters); the map runs no checks itself.
    view, region, community, check
        See :func:`orgnet.visualizations.views.build_view`.
    lang : {"en", "zh"}
    limit : int
        Above this many nodes a view (or a region's detail) is aggregated
        (:mod:`orgnet.visualizations.aggregate`).
    title : str, optional
        The page heading (default: the view's name and the dataset).
    notes : iterable of str
        Extra lines shown under the heading.
    redact : bool
        Replace member names by pseudonyms everywhere (:mod:`orgnet.visualizations.redact`).
    overview_from : int
        An institution view with more nodes opens on an overview by region.
    pack_over : int
        A model bigger than this (bytes of JSON) is stored gzip-compressed.

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
        G, findings, _ = redacted_view(G, findings, lang=lang)
        notes.append(enc.text("redacted", lang))
    model = map_model(G, findings, view=view, region=region, community=community, check=check,
                      lang=lang, limit=limit, title=title, notes=notes,
                      overview_from=overview_from)
    return render("map.html.j2", **map_context(model, lang, pack_over=pack_over))


def map_context(model: dict, lang: str, *, pack_over: int = PACK_OVER,
                element_id: str = "orgnet-model") -> dict:
    """Return the template context of the map component for a model.

    A model of more than ``pack_over`` bytes is split (:func:`split_model`): the page
    reads the first layer and the findings' short fields at once, and inflates a
    region's layer or a chunk of finding texts only when it is needed.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> context = map_context(map_model(new_graph("x")), "zh")
    >>> context["html_lang"], context["model_type"], context["model_parts"]
    ('zh-CN', 'application/json', [])
    """
    core, parts = split_model(model, pack_over=pack_over, element_id=element_id)
    kind, text = packed_json(core, pack_over=pack_over)
    return {"lang": lang, "html_lang": "zh-CN" if lang == "zh" else "en",
            "heading": model["heading"], "notes": model["notes"],
            "texts": model["texts"], "model_type": kind, "model_text": Markup(text),
            "model_id": element_id, "model_parts": parts}


#: the finding fields that travel in chunks (the table's text columns, the map's tooltips)
TEXT_FIELDS = ("m", "g", "subj")
#: findings per chunk of texts
TEXT_CHUNK = 1000


def split_model(model: dict, *, pack_over: int = PACK_OVER, element_id: str = "orgnet-model",
                chunk: int = TEXT_CHUNK):
    """Split a big model into its core and parts inflated on demand.

    Returns ``(core, parts)``; ``parts`` is a list of ``{"id", "type", "text"}`` (one
    compressed ``<script>`` element each).  The core keeps the first layer, the
    style tables and each finding's short fields; ``core["parts"]`` names the
    element of every other layer (``layers``) and of each chunk of ``chunk``
    findings' texts (``texts``); ``core["units"]`` lists ``[id, name, layer]`` of
    every unit for the search, ``core["layerTitles"]`` each layer's title.  A model under ``pack_over`` bytes is not split.

    Examples
    --------
    >>> model = {"start": "main", "layers": {"main": {"nodes": []}}, "findings": []}
    >>> split_model(model)[1]
    []
    """
    if len(json_for_script(model).encode("utf-8")) <= pack_over:
        return model, []
    core = dict(model)
    parts = []

    def part(name, value):
        kind, text = packed_json(value, pack_over=0)
        parts.append({"id": f"{element_id}-{name}", "type": kind, "text": Markup(text)})
        return parts[-1]["id"]

    core["layers"] = {model["start"]: model["layers"][model["start"]]}
    layers = {}
    units = []
    seen = set()
    for key, layer in model["layers"].items():
        if layer.get("overview"):
            continue
        for node in layer["nodes"]:
            if not node.get("e") and node["id"] not in seen:
                seen.add(node["id"])
                units.append([node["id"], node["t"][0], key])
        if key != model["start"]:
            layers[key] = part(f"layer{len(layers)}", layer)
    core["units"] = units
    core["layerTitles"] = {key: layer.get("title", "") for key, layer in model["layers"].items()}
    findings = model["findings"]
    core["findings"] = [{k: v for k, v in f.items() if k not in TEXT_FIELDS} for f in findings]
    chunks = [part(f"texts{i // chunk}", [{k: f[k] for k in TEXT_FIELDS if k in f}
                                           for f in findings[i:i + chunk]])
              for i in range(0, len(findings), chunk)]
    core["parts"] = {"layers": layers, "texts": {"size": chunk, "chunks": chunks}}
    return core, parts


def map_model(G: nx.MultiDiGraph, findings=(), *, view: str = "units", region=None,
              community=None, check=None, lang: str = "en", limit: int = NODE_LIMIT,
              title: str | None = None, notes=(), overview_from: int = OVERVIEW_FROM,
              finding_extras=None) -> dict:
    """Return the map of a graph as JSON-ready data for ``assets/map.js``.

    Takes the parameters of :func:`map_html` (``G`` and ``findings`` as they are:
    redact before).  ``finding_extras(i, finding)``, if given, returns a dict merged
    into each finding's entry (the report adds its table columns).

    Returns
    -------
    dict
        ``heading``, ``notes``, ``texts``, ``findings`` (``c`` check, ``s`` severity,
        ``m`` message, ``g`` suggestion, ``n`` the drawn ids that show it),
        ``nodeStyles``, ``edgeStyles``, ``marks``, ``layers`` (id -> layer) and
        ``start`` (the layer shown first).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph("demo")
    >>> G.add_node("h", label="Institution", name="县医院", kind="county_hospital", level="county")
    >>> m = map_model(G)
    >>> m["start"], [n["id"] for n in m["layers"]["main"]["nodes"]]
    ('main', ['h'])
    """
    findings = list(findings)
    notes = list(notes)
    built = build_view(G, view, region=region, community=community, check=check,
                       findings=findings)
    dataset = G.graph.get("dataset") or ""
    heading = title or f"{enc.text('view.' + view, lang)} · {dataset}".strip(" ·")
    styles = _Styles(lang)
    by_node: dict[str, list[int]] = defaultdict(list)
    for i, finding in enumerate(findings):
        for node in finding_node_ids(finding):
            by_node[node].append(i)
    layers = {}
    if wants_overview(built, start=overview_from):
        overview = region_overview(G, built, findings)
        layers["overview"] = _overview_layer(overview, styles, lang)
        for group, detail in overview.details.items():
            name = overview.view.nodes[group].name if group else enc.text("no_region", lang)
            detail = aggregate_view(detail, limit, keep=by_node.keys())
            layers[_DETAIL + group] = _layer(detail, findings, by_node, styles, lang, title=name,
                                   external=overview.external.get(group, set()))
        start = "overview"
    else:
        shown = aggregate_view(built, limit, keep=by_node.keys())
        layers["main"] = _layer(shown, findings, by_node, styles, lang, title="")
        start = "main"
    page_notes = notes + _note_lines(built, lang)
    for layer in layers.values():          # said once, above the map, not again per layer
        layer["notes"] = [line for line in layer["notes"] if line not in page_notes]
    drawn = {n["id"] for key, layer in layers.items() if key != "overview"
             for n in layer["nodes"]}
    entries = []
    for i, finding in enumerate(findings):
        entry = {"c": finding.check, "s": finding.severity, "m": finding.message,
                 "g": finding.suggestion, "n": _anchors(G, finding, drawn)}
        if finding_extras is not None:
            entry.update(finding_extras(i, finding))
        entries.append(entry)
    return {
        "heading": heading,
        "notes": page_notes,
        "texts": {key: enc.TEXTS[lang][key] for key in UI_TEXT_KEYS},
        "severities": {s: enc.display_kind(s, lang) for s in SEVERITIES},
        "checks": _check_titles(findings, lang),
        "findings": entries,
        "nodeStyles": styles.nodes,
        "edgeStyles": styles.edges,
        "marks": styles.marks,
        "layers": layers,
        "start": start,
        "labelFont": LABEL_FONT,
        "minLabelPx": MIN_LABEL_PX,
        "readableUpTo": READABLE_UP_TO,
        "file": f"orgnet-{view}-{dataset}".rstrip("-"),
    }


def page_model(page: str, element_id: str = "orgnet-model") -> dict:
    """Return the whole model a map or report page carries (parts inflated and joined).

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> page_model(map_html(new_graph("x")))["layers"]["main"]["nodes"]
    []
    """
    import base64
    import gzip
    import json

    def read(name):
        match = re.search(r'<script type="([^"]+)" id="' + re.escape(name) + r'">(.*?)</script>',
                          page, re.DOTALL)
        if match is None:
            raise ValueError(f"no element {name!r} in the page")
        kind, text = match.groups()
        if kind != "application/json":
            text = gzip.decompress(base64.b64decode(text)).decode("utf-8")
        return json.loads(text)

    model = read(element_id)
    parts = model.pop("parts", None)
    if parts:
        model.pop("units", None)
        model.pop("layerTitles", None)
        for key, name in parts["layers"].items():
            model["layers"][key] = read(name)
        texts = [t for name in parts["texts"]["chunks"] for t in read(name)]
        for finding, text in zip(model["findings"], texts):
            finding.update(text)
        model["layers"] = {k: model["layers"][k] for k in sorted(
            model["layers"], key=lambda k: (k != "overview", k != "main", k))}
    return model


# ---------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------
class _Styles:
    """The style tables of one model: each distinct node look, edge look and mark once,
    with its legend text; nodes and edges refer to them by index."""

    def __init__(self, lang):
        self.lang = lang
        self.nodes, self.edges, self.marks = [], [], []
        self._index = {}

    def _intern(self, table, key, entry):
        found = self._index.get((id(table), key))
        if found is None:
            found = self._index[(id(table), key)] = len(table)
            table.append(entry)
        return found

    def node(self, item) -> int:
        lang = self.lang
        member = item.label == MEMBER
        style = enc.node_style(item.label, None if member else item.kind,
                               item.kind if member else None)
        text = f"{enc.display_kind(item.label, lang)} · {enc.display_kind(item.kind, lang)}"
        return self._intern(self.nodes, (item.label, item.kind),
                            {"shape": style["shape"], "color": style["color"], "text": text})

    def coverage(self, rate) -> int:
        colour = enc.coverage_colour(rate)
        if rate is None:
            text = enc.text("no_health_institution", self.lang)
        else:
            index = [c for _, c in enc.COVERAGE_SCALE].index(colour)
            text = enc.coverage_bin_text(index)
        return self._intern(self.nodes, ("coverage", colour),
                            {"shape": "dot", "color": colour, "text": text, "scale": True})

    def edge(self, colour, dashes, text, *, to=False, back=False, structure=False) -> int:
        key = (colour, str(dashes), text, to, back, structure)
        return self._intern(self.edges, key, {
            "color": colour, "dashes": dashes, "text": text, "to": to, "back": back,
            "structure": structure})

    def mark(self, key, colour, *, edge=False) -> int:
        return self._intern(self.marks, key, {"key": key, "color": colour,
                                              "text": enc.text("mark." + key, self.lang),
                                              "edge": edge})


def _layer(view: View, findings, by_node, styles: _Styles, lang, *, title, external=()) -> dict:
    """Return one drawable layer of a view: nodes, edges, notes."""
    relevant = sorted({i for n in view.nodes for i in by_node.get(n, ())})
    marks, node_findings, edge_findings = _marks(view, [(i, findings[i]) for i in relevant])
    pos = positions(view)
    degree = defaultdict(int)
    for edge in view.edges:
        if not edge.structure:
            degree[edge.source] += 1
            degree[edge.target] += 1
    most_degree = max(degree.values(), default=0)
    most_members = max((n.members for n in view.nodes.values()), default=0)
    nodes = []
    for node, item in view.nodes.items():
        if item.label == PARTY_ORG:
            size = enc.node_size(item.members, most_members, smallest_size=12, biggest_size=34)
        elif item.label == INSTITUTION:
            size = enc.node_size(degree[node], most_degree, smallest_size=10, biggest_size=28)
        else:
            size = 8.0
        x, y = pos[node]
        entry = {"id": node, "l": node_label(item, lang), "s": styles.node(item), "z": size,
                 "x": x, "y": y, "t": _node_tip(item, lang)}
        if node in marks:
            entry["m"] = styles.mark(marks[node], _mark_colour(marks[node]))
        if node_findings.get(node):
            entry["f"] = node_findings[node]
        if node in external:
            entry["e"] = 1
        nodes.append(entry)
    largest = max((e.count for e in view.edges if not e.structure), default=0)
    structure_shown = view.structure_shown and view.number_of_edges() <= 3000
    edges = []
    for i, edge in enumerate(view.edges):
        entry = {"a": edge.source, "b": edge.target,
                 "s": _edge_style(edge, styles, bool(edge_findings.get(i)), lang),
                 "t": _edge_tip(edge, view, lang)}
        if not edge.structure:
            entry["w"] = enc.referral_width(edge.count, largest)
            style = styles.edges[entry["s"]]
            if edge.both_ways and style["to"] and not edge.two_headed:
                entry["r"] = 1            # drawn curved: the way back is its own arrow
        if edge_findings.get(i):
            entry["f"] = edge_findings[i]
        edges.append(entry)
    return {"title": title, "notes": _note_lines(view, lang) if view.notes else [],
            "nodes": nodes, "edges": edges, "structureShown": structure_shown,
            "big": view.number_of_nodes() > 1500 or view.number_of_edges() > 1500}


def _overview_layer(overview, styles: _Styles, lang) -> dict:
    """The overview: one node per region coloured by coverage, ties between regions."""
    view = overview.view
    pos = positions(view, rows=True)
    most = max((n.attrs["units"] for n in view.nodes.values()), default=0)
    nodes = []
    for group, item in view.nodes.items():
        a = item.attrs
        rate = a["coverage_rate"]
        name = item.name if group else enc.text("no_region", lang)
        percent = "–" if rate is None else f"{rate * 100:.0f}%"
        tip = [name, f"{enc.text('health_institutions', lang)}: {a['institutions']}",
               f"{enc.text('org_coverage', lang)}: {percent}"
               + (f" ({a['covered']}/{a['institutions']})" if a["institutions"] else ""),
               f"{enc.text('own_branch_rate', lang)}: "
               + ("–" if a["own_branch_rate"] is None else f"{a['own_branch_rate'] * 100:.0f}%")]
        counts = [f"{enc.display_kind(s, lang)} {n}" for s, n in a["findings"].items() if n]
        if counts:
            tip.append(f"{enc.text('findings', lang)}: {', '.join(counts)}")
        tip += ["", enc.text("open_detail", lang)]
        nodes.append({"id": group or "-", "l": f"{name} {percent}", "s": styles.coverage(rate),
                      "z": enc.node_size(a["units"], most, smallest_size=10, biggest_size=26),
                      "x": pos[group][0], "y": pos[group][1], "t": tip, "o": _DETAIL + group})
    largest = max((e.count for e in view.edges), default=0)
    text = enc.text("edge.OVERVIEW", lang)
    edges = [{"a": e.source or "-", "b": e.target or "-",
              "s": styles.edge(enc.OVERVIEW_EDGE_COLOUR, False, text),
              "w": enc.referral_width(e.count, largest),
              "t": [f"{view.nodes[e.source].name} – {view.nodes[e.target].name}",
                    enc.text("overview_ties", lang, ties=len(e.rows), count=e.count)]}
             for e in view.edges]
    level = enc.display_kind(overview.level, lang)
    return {"title": enc.text("overview_title", lang, level=level),
            "notes": [enc.text("overview_note", lang, regions=len(nodes), level=level)],
            "nodes": nodes, "edges": edges, "structureShown": False, "overview": True,
            "big": False}


def _anchors(G, finding, drawn) -> list[str]:
    """The drawn ids that show a finding: its own ids, else the units an org covers or
    a member works at (a party finding on the units map)."""
    ids = [n for n in finding_node_ids(finding) if n in drawn]
    if ids:
        return ids
    found = []
    for node in finding_node_ids(finding):
        if node not in G:
            continue
        label = G.nodes[node].get("label")
        if label == PARTY_ORG:
            found += sorted(v for _, v, k in G.out_edges(node, keys=True) if k == COVERS)
        elif label == MEMBER:
            found += sorted(v for _, v, k in G.out_edges(node, keys=True) if k == WORKS_AT)
    return [n for n in dict.fromkeys(found) if n in drawn]


def _check_titles(findings, lang) -> dict:
    from orgnet.queries.catalog import CATALOG

    out = {}
    for f in findings:
        spec = CATALOG.get(f.check)
        title = spec.title.get(lang, f.check) if spec and isinstance(spec.title, dict) \
            else f.check
        out[f.check] = title
    return out


def _mark_colour(key) -> str:
    if key == enc.BREAK_POINT_MARK[0]:
        return enc.BREAK_POINT_MARK[1]
    return next(colour for k, colour in enc.FINDING_MARKS.values() if k == key)


def _edge_style(edge, styles: _Styles, flagged, lang) -> int:
    style = enc.edge_style(edge.type)
    if edge.structure:
        return styles.edge(style["color"], style["dashes"], enc.display_kind(edge.type, lang),
                           to=style["arrows"] == "to", structure=True)
    directed = style["arrows"] == "to" and len(edge.link_types) == 1
    back = directed and edge.two_headed
    if flagged:
        key, colour = enc.FINDING_MARKS[_ONE_WAY]
        styles.mark(key, colour, edge=True)
        return styles.edge(colour, style["dashes"], enc.text("mark." + key, lang), to=directed)
    if edge.count == 0:
        return styles.edge(enc.REFERRAL_DIRECTION_COLOURS["inactive"], enc.INACTIVE_DASHES,
                           enc.text("ref.inactive", lang), to=directed, back=back)
    if edge.direction:
        return styles.edge(enc.REFERRAL_DIRECTION_COLOURS[edge.direction], style["dashes"],
                           enc.text("ref." + edge.direction, lang), to=directed)
    link = link_type_of_rel(edge.type)
    name = enc.link_type_name(link, lang) if link else \
        enc.text("edge.MIXED", lang) if edge.type == enc.MIXED_EDGE else \
        enc.display_kind(edge.type, lang)
    return styles.edge(style["color"], style["dashes"], name, to=directed, back=back)


# ---------------------------------------------------------------------------
# Findings on the map, tooltips (plain text lines; the page builds DOM text nodes)
# ---------------------------------------------------------------------------
def _marks(view: View, findings):
    """Return (node -> mark key, node -> finding indices, edge index -> finding indices)
    of ``(index, finding)`` pairs."""
    node_marks: dict[str, list[str]] = defaultdict(list)
    node_findings: dict[str, list] = defaultdict(list)
    edge_findings: dict[int, list] = defaultdict(list)
    edge_index = defaultdict(list)
    for i, edge in enumerate(view.edges):
        if not edge.structure:
            edge_index[(edge.source, edge.target)].append(i)
    for index, finding in findings:
        ids = [n for n in finding_node_ids(finding) if n in view.nodes]
        for node in ids:
            node_findings[node].append(index)
        mark = enc.FINDING_MARKS.get(finding.check)
        if finding.check == _ONE_WAY and len(finding.subject) == 2:
            a, b = finding.subject
            hits = [i for i in edge_index.get((a, b), []) if view.edges[i].type == _REFERRAL] \
                or [i for i in edge_index.get((a, b), []) + edge_index.get((b, a), [])
                    if "referral" in view.edges[i].link_types]
            for i in hits[:1]:
                edge_findings[i].append(index)
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
    border = {}
    for node, keys in node_marks.items():
        border[node] = min(keys, key=lambda k: enc.MARK_ORDER.index(k)
                           if k in enc.MARK_ORDER else 99)
    return border, node_findings, edge_findings


def _node_tip(item, lang) -> list[str]:
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
    return lines


def _edge_tip(edge, view, lang) -> list[str]:
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
    return lines



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
