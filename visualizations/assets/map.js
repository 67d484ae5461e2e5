/* orgnet map: draws a model of visualizations.maps.map_model with vis-network.
 *
 * Every data string is put on the page as canvas text (vis-network labels) or as
 * DOM text (textContent): never as HTML.  window.orgnet holds loadModel (reads
 * the model, inflating it when it is gzip-compressed) and createMap (draws a
 * model into an .orgnet-map element and returns the map's API: show a layer,
 * focus units, show a finding, search, export a PNG).
 */
(function () {
  "use strict";

  // A model's data sits in <script> elements: JSON, or gzip-compressed JSON in base64
  // (inflated with the browser's DecompressionStream).  Parts are read once.
  var parts = {};
  function loadPart(id) {
    if (parts[id]) { return parts[id]; }
    var element = document.getElementById(id);
    if (element.type === "application/json") {
      parts[id] = Promise.resolve(JSON.parse(element.textContent));
      return parts[id];
    }
    var binary = atob(element.textContent.trim());
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) { bytes[i] = binary.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    parts[id] = new Response(stream).json();
    return parts[id];
  }
  function loadModel(id) { return loadPart(id); }

  // a big model comes split (visualizations.maps.split_model): a layer, or the texts
  // (message, suggestion, subject) of a chunk of findings, are read when first needed
  function needLayer(model, layerId) {
    if (model.layers[layerId]) { return Promise.resolve(model.layers[layerId]); }
    var id = model.parts && model.parts.layers[layerId];
    if (!id) { return Promise.resolve(null); }
    return loadPart(id).then(function (layer) {
      model.layers[layerId] = layer;
      return layer;
    });
  }
  function needTexts(model, indices) {
    if (!model.parts) { return Promise.resolve(); }
    var size = model.parts.texts.size, wanted = {};
    indices.forEach(function (i) { wanted[Math.floor(i / size)] = true; });
    return Promise.all(Object.keys(wanted).map(function (k) {
      var chunk = Number(k);
      return loadPart(model.parts.texts.chunks[chunk]).then(function (texts) {
        if (texts.applied) { return; }
        texts.forEach(function (t, j) { Object.assign(model.findings[chunk * size + j], t); });
        texts.applied = true;
      });
    }));
  }
  function allIndices(model) { return model.findings.map(function (f, i) { return i; }); }

  function format(template, fields) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in fields ? String(fields[key]) : all;
    });
  }

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attributes) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    return e;
  }
  var SHAPES = {
    dot: ["circle", {cx: 8, cy: 8, r: 6}],
    square: ["rect", {x: 2, y: 2, width: 12, height: 12}],
    triangle: ["polygon", {points: "8,1 15,14 1,14"}],
    diamond: ["polygon", {points: "8,1 15,8 8,15 1,8"}],
    hexagon: ["polygon", {points: "4,2 12,2 15,8 12,14 4,14 1,8"}],
    star: ["polygon", {points: "8,1 10,6 15,6 11,9 13,15 8,11 3,15 5,9 1,6 6,6"}]
  };
  function swatchNode(style) {
    var box = svg("svg", {width: 16, height: 16, "aria-hidden": "true"});
    var shape = SHAPES[style.shape] || SHAPES.dot;
    var attributes = Object.assign({fill: style.color, stroke: "#555", "stroke-width": 1}, shape[1]);
    box.appendChild(svg(shape[0], attributes));
    return box;
  }
  function dashArray(dashes) {
    if (dashes === true) { return "5,3"; }
    return dashes ? dashes.join(",") : null;
  }
  function swatchEdge(colour, dashes) {
    var box = svg("svg", {width: 28, height: 10, "aria-hidden": "true"});
    var line = {x1: 1, y1: 5, x2: 27, y2: 5, stroke: colour, "stroke-width": 3};
    if (dashArray(dashes)) { line["stroke-dasharray"] = dashArray(dashes); }
    box.appendChild(svg("line", line));
    return box;
  }
  function swatchMark(colour) {
    var box = svg("svg", {width: 16, height: 16, "aria-hidden": "true"});
    box.appendChild(svg("circle", {cx: 8, cy: 8, r: 5, fill: "#fff", stroke: colour,
                                   "stroke-width": 3}));
    return box;
  }

  var FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC'," +
             "'WenQuanYi Micro Hei',Arial,sans-serif";

  function createMap(root, model) {
    var q = function (selector) { return root.querySelector(selector); };
    var texts = model.texts;
    var container = q(".orgnet-canvas");
    var nodes = new vis.DataSet();
    var edges = new vis.DataSet();
    var network = new vis.Network(container, {nodes: nodes, edges: edges}, {
      physics: {enabled: false},
      layout: {improvedLayout: false},
      interaction: {hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: false},
      edges: {smooth: false, selectionWidth: 2, font: {face: FONT, size: 11}},
      // a white outline keeps labels readable where ties cross them
      nodes: {font: {face: FONT, size: model.labelFont, strokeWidth: 3, strokeColor: "#ffffff"}}
    });
    var state = {layer: null, id: null, meta: {}, edgeMeta: {}};
    var listeners = [];

    // where each unit is drawn: its own region's layer (external copies do not count)
    var home = {};
    var names = [];
    function addUnit(id, name, layerId) {
      if (home[id] !== undefined) { return; }
      home[id] = layerId;
      names.push({id: id, name: name, lower: (name + "\u0000" + id).toLowerCase(),
                  layer: layerId});
    }
    if (model.units) {
      model.units.forEach(function (u) { addUnit(u[0], u[1], u[2]); });
    } else {
      Object.keys(model.layers).forEach(function (layerId) {
        var layer = model.layers[layerId];
        if (layer.overview) { return; }
        layer.nodes.forEach(function (n) { if (!n.e) { addUnit(n.id, n.t[0], layerId); } });
      });
    }

    function visNode(n) {
      var style = model.nodeStyles[n.s];
      var border = "#555555", width = 1;
      if (n.m !== undefined) { border = model.marks[n.m].color; width = 4; }
      var node = {
        id: n.id, label: n.l, shape: style.shape, size: n.z, x: n.x, y: n.y,
        borderWidth: width, borderWidthSelected: width + 2,
        color: {background: style.color, border: border,
                highlight: {background: style.color, border: n.m !== undefined ? border : "#000000"},
                hover: {background: style.color, border: n.m !== undefined ? border : "#000000"}}
      };
      if (n.e) { node.shapeProperties = {borderDashes: [4, 3]}; node.borderWidth = Math.max(width, 2); }
      return node;
    }
    function visEdge(e, i, layer) {
      var style = model.edgeStyles[e.s];
      var scale = style.structure ? 0.4 : 0.7;
      var edge = {
        id: "e" + i, from: e.a, to: e.b, width: style.structure ? 1 : (e.w || 1),
        dashes: layer.big && style.structure ? false : style.dashes,
        color: style.structure ? {color: style.color, opacity: 0.8}
                               : {color: style.color, highlight: style.color, hover: style.color},
        arrows: {to: {enabled: style.to, scaleFactor: scale},
                 from: {enabled: style.back, scaleFactor: scale}}
      };
      if (e.r) { edge.smooth = {enabled: true, type: "curvedCW", roundness: 0.15}; }
      if (style.structure && !state.structureShown) { edge.hidden = true; }
      return edge;
    }

    function findingLines(indices) {
      if (!indices || !indices.length) { return []; }
      var lines = ["", texts.findings + ":"];
      indices.forEach(function (i) {
        var f = model.findings[i];
        lines.push("\u2022 [" + (model.severities[f.s] || f.s) + "] " + f.m);
        if (f.g) { lines.push("  \u2192 " + texts.suggestion + ": " + f.g); }
      });
      return lines;
    }
    function tipLines(kind, id) {
      var item = kind === "nodes" ? state.meta[id] : state.edgeMeta[id];
      if (!item) { return null; }
      var lines = item.t.slice();
      if (kind === "nodes" && item.e) { lines.push(texts.external); }
      return lines.concat(findingLines(item.f));
    }
    function tipElement(lines) {
      var box = element("div", "orgnet-tip");
      lines.forEach(function (line) { box.appendChild(element("div", null, line)); });
      return box;
    }
    // Tooltips are built when first needed (hover), as DOM text: building thousands
    // up front would delay the first drawing.
    var built = {nodes: {}, edges: {}};
    function ensureTip(kind, id) {
      if (id === undefined || built[kind][id]) { return; }
      var item = kind === "nodes" ? state.meta[id] : state.edgeMeta[id];
      if (!item) { return; }
      built[kind][id] = true;
      var layerId = state.id;
      needTexts(model, item.f || []).then(function () {
        if (state.id !== layerId) { return; }
        (kind === "nodes" ? nodes : edges).update({id: id, title: tipElement(tipLines(kind, id))});
      });
    }
    network.on("hoverNode", function (p) { ensureTip("nodes", p.node); });
    network.on("hoverEdge", function (p) { ensureTip("edges", p.edge); });

    // the panel describing the selected unit (also when selected by search or a finding)
    var info = q(".orgnet-info");
    function showInfo(id) {
      var item = id === undefined ? null : state.meta[id];
      info.textContent = "";
      info.hidden = true;
      if (!item) { return Promise.resolve(); }
      return needTexts(model, item.f || []).then(function () {
        if (state.meta[id] === item && network.getSelectedNodes().indexOf(id) >= 0) {
          fillInfo(id);
        }
      });
    }
    function fillInfo(id) {
      var lines = tipLines("nodes", id);
      info.textContent = "";
      info.hidden = false;
      var close = element("button", "orgnet-info-close", "\u00d7");
      close.type = "button";
      close.setAttribute("aria-label", "close");
      close.addEventListener("click", function () { network.unselectAll(); showInfo(); });
      info.appendChild(close);
      info.appendChild(tipElement(lines));
    }
    network.on("click", function (p) {
      var id = p.nodes.length ? p.nodes[0] : undefined;
      var item = id === undefined ? null : state.meta[id];
      if (item && item.o !== undefined) { show(item.o); return; }
      showInfo(id);
    });
    network.on("deselectNode", function () { info.hidden = true; });

    // legend: only what the layer draws
    var legendBody = q(".orgnet-legend-body");
    function renderLegend(layer) {
      legendBody.textContent = "";
      var counts = element("p", "orgnet-counts", format(texts.nodes_edges, {
        nodes: layer.nodes.length, edges: layer.edges.length}));
      legendBody.appendChild(counts);
      function section(title, rows) {
        if (!rows.length) { return; }
        legendBody.appendChild(element("h3", null, title));
        var list = element("ul");
        rows.forEach(function (row) {
          var li = element("li");
          li.appendChild(row[0]);
          li.appendChild(element("span", null, row[1]));
          list.appendChild(li);
        });
        legendBody.appendChild(list);
      }
      var nodeStyles = [], edgeStyles = [], marks = [], external = false;
      layer.nodes.forEach(function (n) {
        if (nodeStyles.indexOf(n.s) < 0) { nodeStyles.push(n.s); }
        if (n.m !== undefined && marks.indexOf(n.m) < 0) { marks.push(n.m); }
        if (n.e) { external = true; }
      });
      layer.edges.forEach(function (e) {
        if (edgeStyles.indexOf(e.s) < 0) { edgeStyles.push(e.s); }
      });
      var nodeRows = nodeStyles.sort(function (a, b) { return a - b; }).map(function (s) {
        return [swatchNode(model.nodeStyles[s]), model.nodeStyles[s].text];
      });
      if (external) {
        var ext = svg("svg", {width: 16, height: 16, "aria-hidden": "true"});
        ext.appendChild(svg("circle", {cx: 8, cy: 8, r: 6, fill: "#fff", stroke: "#555",
                                       "stroke-width": 2, "stroke-dasharray": "3,2"}));
        nodeRows.push([ext, texts.external]);
      }
      section(layer.overview ? texts["legend.coverage"] : texts["legend.nodes"], nodeRows);
      var seen = {};
      section(texts["legend.edges"], edgeStyles.sort(function (a, b) { return a - b; })
        .filter(function (s) {
          var style = model.edgeStyles[s];
          var key = style.color + "|" + String(style.dashes) + "|" + style.text;
          if (seen[key] || (style.structure && !state.structureShown)) { return false; }
          seen[key] = true;
          return true;
        })
        .map(function (s) {
          var style = model.edgeStyles[s];
          return [swatchEdge(style.color, style.dashes), style.text];
        }));
      if (layer.groups && layer.groups.length && texts["legend.group"]) {
        var frame = svg("svg", {width: 16, height: 16, "aria-hidden": "true"});
        frame.appendChild(svg("circle", {cx: 8, cy: 8, r: 6, fill: "rgba(178,106,0,0.18)",
                                         stroke: "#b26a00", "stroke-width": 2, "stroke-dasharray": "3,2"}));
        section(texts["legend.groups"] || texts["legend.group"], [[frame, texts["legend.group"]]]);
      }
      section(texts["legend.marks"], marks.sort(function (a, b) { return a - b; })
        .map(function (m) { return [swatchMark(model.marks[m].color), model.marks[m].text]; }));
    }

    // filters: institution kind, severity, check (detail layers)
    var kinds = q(".orgnet-kinds");
    var severity = q(".orgnet-severity");
    var check = q(".orgnet-check");
    var filtersBox = q(".orgnet-filters");
    function fillSelect(select, values, label) {
      while (select.options.length > 1) { select.remove(1); }
      values.forEach(function (v) {
        var option = element("option", null, label(v));
        option.value = v;
        select.appendChild(option);
      });
    }
    function renderFilters(layer) {
      filtersBox.hidden = !!layer.overview;
      Array.prototype.slice.call(kinds.querySelectorAll("label")).forEach(function (l) {
        kinds.removeChild(l);
      });
      var styles = [];
      layer.nodes.forEach(function (n) { if (styles.indexOf(n.s) < 0) { styles.push(n.s); } });
      styles.sort(function (a, b) { return a - b; }).forEach(function (s) {
        var label = element("label");
        var box = element("input");
        box.type = "checkbox";
        box.checked = true;
        box.value = String(s);
        box.addEventListener("change", applyFilters);
        label.appendChild(box);
        label.appendChild(swatchNode(model.nodeStyles[s]));
        label.appendChild(element("span", null, model.nodeStyles[s].text));
        kinds.appendChild(label);
      });
      var severities = [], checks = [];
      layer.nodes.concat(layer.edges).forEach(function (item) {
        (item.f || []).forEach(function (i) {
          var f = model.findings[i];
          if (severities.indexOf(f.s) < 0) { severities.push(f.s); }
          if (checks.indexOf(f.c) < 0) { checks.push(f.c); }
        });
      });
      var order = Object.keys(model.severities);
      fillSelect(severity, order.filter(function (s) { return severities.indexOf(s) >= 0; }),
                 function (s) { return model.severities[s]; });
      fillSelect(check, checks.sort(), function (c) { return model.checks[c] || c; });
    }
    function applyFilters() {
      var allowed = {};
      kinds.querySelectorAll("input").forEach(function (box) { allowed[box.value] = box.checked; });
      var s = severity.value, c = check.value;
      var updates = [], visible = 0;
      state.layer.nodes.forEach(function (n) {
        var ok = allowed[String(n.s)] !== false;
        if (ok && (s || c)) {
          ok = (n.f || []).some(function (i) {
            var f = model.findings[i];
            return (!s || f.s === s) && (!c || f.c === c);
          });
        }
        if (ok) { visible += 1; }
        updates.push({id: n.id, hidden: !ok});
      });
      nodes.update(updates);
      q(".orgnet-empty").hidden = visible > 0 || !state.layer.nodes.length;
    }
    function resetFilters() {
      kinds.querySelectorAll("input").forEach(function (box) { box.checked = true; });
      severity.value = "";
      check.value = "";
      applyFilters();
    }
    [severity, check].forEach(function (e) { e.addEventListener("change", applyFilters); });
    q(".orgnet-reset").addEventListener("click", resetFilters);

    // structure edges (parent, party hierarchy, coverage) on a toggle
    var toggle = q(".orgnet-structure");
    toggle.addEventListener("change", function () {
      state.structureShown = toggle.checked;
      var updates = [];
      state.layer.edges.forEach(function (e, i) {
        if (model.edgeStyles[e.s].structure) { updates.push({id: "e" + i, hidden: !toggle.checked}); }
      });
      edges.update(updates);
      renderLegend(state.layer);
    });

    // the first view of a layer: all of it; but on a layer of up to readableUpTo nodes
    // labels must be readable (minLabelPx): if the whole does not fit at that scale,
    // show the window that holds the most units, centred on them
    function initialView() {
      network.fit({animation: false});
      var legend = q(".orgnet-legend");
      var width = container.clientWidth, height = container.clientHeight;
      var taken = 0;
      if (legend && legend.querySelector("details").open && width) {
        taken = legend.offsetWidth + 16;
        if (width - taken > width * 0.4) {
          network.moveTo({scale: network.getScale() * (width - taken) / width,
                          offset: {x: -taken / 2, y: 0}, animation: false});
        } else {
          taken = 0;
        }
      }
      var least = model.minLabelPx / model.labelFont;
      if (nodes.length > model.readableUpTo || network.getScale() >= least) { return; }
      var at = network.getPositions();
      var ids = Object.keys(at);
      var halfWidth = 0.45 * (width - taken) / least, halfHeight = 0.45 * height / least;
      var best = null, most = -1;
      ids.forEach(function (a) {
        var inside = [];
        ids.forEach(function (b) {
          if (Math.abs(at[a].x - at[b].x) < halfWidth && Math.abs(at[a].y - at[b].y) < halfHeight) {
            inside.push(at[b]);
          }
        });
        if (inside.length > most) { most = inside.length; best = inside; }
      });
      var centre = {x: 0, y: 0};
      (best || []).forEach(function (p) { centre.x += p.x / best.length; centre.y += p.y / best.length; });
      network.moveTo({position: centre, scale: least, offset: {x: -taken / 2, y: 0},
                      animation: false});
    }

    // until the reader moves the map, a resize of the page (a scrollbar, fonts) redoes
    // the first view: vis-network alone would shrink it with the canvas
    state.untouched = false;
    network.on("resize", function () {
      // vis-network rescales the view right after this event: redo the view after it
      if (state.untouched) { setTimeout(function () { if (state.untouched) { initialView(); } }, 0); }
    });
    ["dragStart", "zoom"].forEach(function (name) {
      network.on(name, function () { state.untouched = false; });
    });

    // groups of a layer (the joint branches a plan proposes): each unit of a group gets
    // a tinted, dashed ring in the group's colour, the group's label sits above its
    // topmost unit (canvas text), drawn under the network
    var GROUP_COLOURS = ["#b26a00", "#1f78b4", "#6a3d9a", "#b15928", "#33a02c", "#e31a1c"];
    var GROUP_RING = 9;
    function groupFrames() {
      var groups = (state.layer && state.layer.groups) || [];
      var frames = [];
      groups.forEach(function (g, index) {
        var ids = g.nodes.filter(function (id) {
          var n = state.meta[id] && nodes.get(id);
          return n && !n.hidden;
        });
        if (!ids.length) { return; }
        var pos = network.getPositions(ids);
        var rings = ids.map(function (id) {
          return {id: id, x: pos[id].x, y: pos[id].y, r: (state.meta[id].z || 10) + GROUP_RING};
        });
        var top = rings.reduce(function (a, b) { return b.y - b.r < a.y - a.r ? b : a; });
        frames.push({id: g.id, label: g.label, colour: GROUP_COLOURS[index % GROUP_COLOURS.length],
                     rings: rings, labelAt: {x: top.x, y: top.y - top.r - 6}});
      });
      return frames;
    }
    network.on("beforeDrawing", function (ctx) {
      groupFrames().forEach(function (f) {
        ctx.save();
        ctx.strokeStyle = f.colour;
        ctx.fillStyle = f.colour;
        ctx.lineWidth = 3;
        ctx.setLineDash([6, 4]);
        f.rings.forEach(function (ring) {
          ctx.beginPath();
          ctx.arc(ring.x, ring.y, ring.r, 0, 2 * Math.PI);
          ctx.globalAlpha = 0.18;
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.stroke();
        });
        ctx.setLineDash([]);
        ctx.font = "bold 13px " + FONT;
        ctx.textAlign = "center";
        ctx.fillText(f.label, f.labelAt.x, f.labelAt.y);
        ctx.restore();
      });
    });

    function show(layerId) {
      return needLayer(model, layerId).then(function (layer) {
        if (layer) { draw(layerId, layer); }
        return !!layer;
      });
    }
    function draw(layerId, layer) {
      state.id = layerId;
      state.layer = layer;
      state.meta = {};
      state.edgeMeta = {};
      state.structureShown = layer.structureShown;
      toggle.checked = layer.structureShown;
      q(".orgnet-toggle").hidden = !layer.edges.some(function (e) {
        return model.edgeStyles[e.s].structure;
      });
      built = {nodes: {}, edges: {}};
      layer.nodes.forEach(function (n) { state.meta[n.id] = n; });
      layer.edges.forEach(function (e, i) { state.edgeMeta["e" + i] = e; });
      network.setOptions({interaction: {hideEdgesOnDrag: layer.big, hideEdgesOnZoom: layer.big}});
      nodes.clear();
      edges.clear();
      nodes.add(layer.nodes.map(visNode));
      edges.add(layer.edges.map(function (e, i) { return visEdge(e, i, layer); }));
      q(".orgnet-back").hidden = !(model.layers.overview && layerId !== "overview");
      q(".orgnet-layer-title").textContent = layer.title || "";
      q(".orgnet-layer-notes").textContent = (layer.notes || []).join(" ");
      q(".orgnet-empty").hidden = true;
      showInfo();
      renderLegend(layer);
      renderFilters(layer);
      initialView();
      state.untouched = true;
      listeners.forEach(function (f) { f(layerId); });
    }
    q(".orgnet-back").addEventListener("click", function () { show("overview"); });

    // focus: select units, bring them into view at a readable scale
    function focus(ids) {
      ids = ids.filter(function (id) { return state.meta[id]; });
      if (!ids.length) { return false; }
      state.untouched = false;
      if (ids.some(function (id) { return nodes.get(id).hidden; })) { resetFilters(); }
      network.selectNodes(ids);
      var least = Math.max(1, model.minLabelPx / model.labelFont);
      if (ids.length === 1) {
        network.focus(ids[0], {scale: Math.max(network.getScale(), least), animation: false});
      } else {
        network.fit({nodes: ids, animation: false});
        if (network.getScale() > 1.5) { network.moveTo({scale: 1.5, animation: false}); }
      }
      showInfo(ids[0]);
      return true;
    }
    function layerOf(ids) {
      if (ids.some(function (id) { return state.meta[id] && !state.meta[id].e; })) { return state.id; }
      for (var i = 0; i < ids.length; i += 1) {
        if (home[ids[i]] !== undefined) { return home[ids[i]]; }
      }
      return null;
    }
    function showUnits(ids) {
      var layerId = layerOf(ids);
      if (layerId === null) { return Promise.resolve(false); }
      var shown = layerId === state.id ? Promise.resolve(true) : show(layerId);
      return shown.then(function (ok) { return ok && focus(ids); });
    }
    function showFinding(index) {
      var f = model.findings[index];
      return f ? showUnits(f.n) : Promise.resolve(false);
    }

    // search by name or id (any language: plain substring match, case-insensitive)
    var input = q(".orgnet-search-input");
    var results = q(".orgnet-results");
    function search(text) {
      var needle = text.trim().toLowerCase();
      if (!needle) { return []; }
      var exact = [], found = [];
      names.forEach(function (entry) {
        if (entry.id.toLowerCase() === needle || entry.name.toLowerCase() === needle) {
          exact.push(entry);
        } else if (entry.lower.indexOf(needle) >= 0) {
          found.push(entry);
        }
      });
      return exact.concat(found);
    }
    function renderResults() {
      var found = search(input.value).slice(0, 12);
      results.textContent = "";
      results.hidden = !input.value.trim();
      if (!found.length) {
        results.appendChild(element("li", "orgnet-nomatch", texts.no_match));
        return found;
      }
      found.forEach(function (entry) {
        var li = element("li");
        var button = element("button", null, entry.name + " (" + entry.id + ")");
        button.type = "button";
        button.addEventListener("click", function () { choose(entry); });
        li.appendChild(button);
        if (model.layers.overview) {
          var title = model.layerTitles ? model.layerTitles[entry.layer]
                                        : model.layers[entry.layer].title;
          li.appendChild(element("span", "orgnet-result-layer", title || ""));
        }
        results.appendChild(li);
      });
      return found;
    }
    function choose(entry) {
      results.hidden = true;
      input.value = entry.name;
      showUnits([entry.id]);
    }
    input.addEventListener("input", renderResults);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var found = search(input.value);
        if (found.length) { choose(found[0]); }
      } else if (event.key === "Escape") {
        results.hidden = true;
      }
    });

    // zoom buttons, whole map, PNG of the current view
    function zoom(factor) {
      state.untouched = false;
      network.moveTo({scale: network.getScale() * factor, animation: false});
    }
    function pngDataUrl() {
      var canvas = container.querySelector("canvas");
      var out = document.createElement("canvas");
      out.width = canvas.width;
      out.height = canvas.height;
      var context = out.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, out.width, out.height);
      context.drawImage(canvas, 0, 0);
      var title = [model.heading, state.layer.title].filter(Boolean).join(" \u00b7 ");
      context.fillStyle = "#222222";
      context.font = "bold " + Math.round(16 * (window.devicePixelRatio || 1)) + "px " + FONT;
      context.fillText(title, 12, 24 * (window.devicePixelRatio || 1));
      return out.toDataURL("image/png");
    }
    function savePng() {
      var link = document.createElement("a");
      link.href = pngDataUrl();
      link.download = (model.file || "orgnet-map") +
        (state.id && state.id !== "main" ? "-" + state.id : "") + ".png";
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      return link.href;
    }
    var actions = {
      "zoom-in": function () { zoom(1.25); },
      "zoom-out": function () { zoom(0.8); },
      fit: function () { network.fit({animation: false}); },
      png: savePng
    };
    root.querySelectorAll("[data-action]").forEach(function (button) {
      button.addEventListener("click", function () { actions[button.dataset.action](); });
    });

    draw(model.start, model.layers[model.start]);
    var api = {
      network: network, nodes: nodes, edges: edges, model: model,
      show: show, showUnits: showUnits, showFinding: showFinding, search: search,
      pngDataUrl: pngDataUrl, savePng: savePng,
      groupFrames: groupFrames,
      layer: function () { return state.id; },
      onShow: function (f) { listeners.push(f); }
    };
    // the page's first map is reachable from the console and from tests
    if (!window.orgnetMap) {
      window.network = network;
      window.nodes = nodes;
      window.edges = edges;
      var layer = model.layers[model.start];
      window.orgnetMap = {api: api, nodes: nodes.length, edges: edges.length,
                          expected: {nodes: layer.nodes.length, edges: layer.edges.length},
                          readyAt: performance.now()};
    }
    return api;
  }

  window.orgnet = {loadModel: loadModel, loadPart: loadPart, needLayer: needLayer,
                   needTexts: needTexts, allIndices: allIndices, createMap: createMap,
                   format: format, element: element};
})();
