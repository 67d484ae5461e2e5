/* orgnet report: the findings table (filtered, sorted, paged) and the map it drives.
 *
 * The findings come once, in the map's model (visualizations.report.report_context):
 * c check, s severity, m message, g suggestion, n the map units showing it,
 * fam family, subj subject names.  Rows are built as DOM text (textContent).
 */
(function () {
  "use strict";
  var element = orgnet.element, format = orgnet.format;
  var root = document.querySelector("#map .orgnet-map");

  orgnet.loadModel(root.getAttribute("data-model")).then(function (model) {
    var map = null;
    var texts = model.texts;
    var findings = model.findings;
    var table = document.getElementById("findings-table");
    var body = table.tBodies[0];
    var family = document.getElementById("filter-family");
    var severity = document.getElementById("filter-severity");
    var search = document.getElementById("filter-text");
    var shown = document.getElementById("findings-shown");
    var pageNumber = document.getElementById("page-number");
    var previous = document.getElementById("page-previous");
    var next = document.getElementById("page-next");
    var headers = table.tHead.rows[0].cells;
    var pageSize = model.pageSize || 50;
    var order = findings.map(function (f, i) { return i; });
    var selected = order;
    var page = 0;
    var printing = false;

    function columns(f) {
      return [model.severities[f.s] || f.s, model.families[f.fam] || f.fam,
              model.checks[f.c] || f.c, f.subj, f.m, f.g || ""];
    }
    var lowered = null;          // built on the first text search
    var allTexts = false;        // every finding's texts are read
    function text(i) {
      if (!lowered) {
        lowered = findings.map(function (f) { return columns(f).join("\u0000").toLowerCase(); });
      }
      return lowered[i];
    }

    function row(index) {
      var f = findings[index];
      var cells = columns(f);
      var tr = element("tr");
      tr.setAttribute("data-index", String(index));
      tr.setAttribute("data-family", f.fam);
      tr.setAttribute("data-severity", f.s);
      var first = element("td");
      first.appendChild(element("span", "sev sev-" + f.s, cells[0]));
      tr.appendChild(first);
      for (var k = 1; k < cells.length; k += 1) {
        var td = element("td", null, cells[k]);
        if (k === 2) { td.title = f.c; }
        tr.appendChild(td);
      }
      if (f.n && f.n.length) {
        tr.className = "on-map";
        tr.tabIndex = 0;
      } else {
        tr.title = texts.not_on_map;
      }
      return tr;
    }
    // rows are drawn once the texts of their findings are read (a big report keeps
    // them in compressed chunks); a newer render wins over an older one still waiting
    var rendering = 0;
    function render() {
      var pages = Math.max(1, Math.ceil(selected.length / pageSize));
      page = Math.min(page, pages - 1);
      var slice = printing ? selected : selected.slice(page * pageSize, (page + 1) * pageSize);
      var ticket = ++rendering;
      return orgnet.needTexts(model, slice).then(function () {
        if (ticket === rendering) { drawRows(slice, pages); }
      });
    }
    function drawRows(slice, pages) {
      var fragment = document.createDocumentFragment();
      slice.forEach(function (i) { fragment.appendChild(row(i)); });
      body.textContent = "";
      body.appendChild(fragment);
      shown.textContent = format(shown.getAttribute("data-template"),
                                 {shown: selected.length, total: findings.length});
      pageNumber.textContent = format(texts.page, {page: page + 1, pages: pages});
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    function applyFilters() {
      var needle = search.value.trim().toLowerCase();
      if (needle && !allTexts) {
        return orgnet.needTexts(model, orgnet.allIndices(model)).then(function () {
          allTexts = true;
          return applyFilters();
        });
      }
      var fam = family.value, sev = severity.value;
      selected = order.filter(function (i) {
        var f = findings[i];
        return (!fam || f.fam === fam) && (!sev || f.s === sev) &&
               (!needle || text(i).indexOf(needle) !== -1);
      });
      page = 0;
      return render();
    }
    [family, severity].forEach(function (e) { e.addEventListener("change", applyFilters); });
    search.addEventListener("input", applyFilters);
    search.addEventListener("focus", function () {      // read the texts ahead of the search
      orgnet.needTexts(model, orgnet.allIndices(model));
    });
    previous.addEventListener("click", function () { page -= 1; render(); });
    next.addEventListener("click", function () { page += 1; render(); });

    function sortBy(col) {
      var header = headers[col];
      var ascending = !header.classList.contains("sorted-asc");
      Array.prototype.forEach.call(headers, function (h) {
        h.classList.remove("sorted-asc", "sorted-desc");
      });
      header.classList.add(ascending ? "sorted-asc" : "sorted-desc");
      var families = Object.keys(model.families);
      function key(i) {
        var f = findings[i];
        if (col === 0) { return model.severityRank[f.s]; }
        if (col === 1) { var k = families.indexOf(f.fam); return k < 0 ? 99 : k; }
        return columns(f)[col];
      }
      var lang = document.documentElement.lang;
      order = order.slice().sort(function (a, b) {
        var x = key(a), y = key(b), r;
        r = typeof x === "number" ? x - y : String(x).localeCompare(String(y), lang);
        if (r === 0) { r = a - b; }
        return ascending ? r : -r;
      });
      applyFilters();
    }
    Array.prototype.forEach.call(headers, function (h, col) {
      h.addEventListener("click", function () { sortBy(col); });
      h.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortBy(col); } });
    });

    function showRow(tr) {
      if (!tr || !tr.classList.contains("on-map")) { return; }
      Array.prototype.forEach.call(body.querySelectorAll("tr.current"), function (r) {
        r.classList.remove("current");
      });
      tr.classList.add("current");
      root.scrollIntoView({block: "start"});
      map.showFinding(Number(tr.getAttribute("data-index")));
    }
    body.addEventListener("click", function (event) { showRow(event.target.closest("tr")); });
    body.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { showRow(event.target.closest("tr")); }
    });

    // a printed report lists every selected finding, not one page
    window.addEventListener("beforeprint", function () {
      printing = true;
      orgnet.needTexts(model, selected).then(render);
    });
    window.addEventListener("afterprint", function () { printing = false; render(); });

    // the map after the table: the table's height settles the page (and its scrollbar)
    render().then(function () {
      map = orgnet.createMap(root, model);
      window.orgnetReport = {findings: findings.length, map: map, readyAt: performance.now()};
      // then, when the page is idle, the remaining texts (for the search and printing)
      (window.requestIdleCallback || setTimeout)(function () {
        orgnet.needTexts(model, orgnet.allIndices(model));
      });
    });
  });
})();
