/* orgnet report: the findings table (filtered, sorted, paged) and the map it drives.
 *
 * The findings come once, in the map's model (visualizations.report.report_context):
 * c check, s severity, m message, g suggestion, n the map units showing it,
 * fam family, subj subject names.  Rows are built as DOM text (textContent).
 *
 * model.folds lists the folded lines (findings that restate the designed hierarchy
 * under one parent unit): the findings at..at+size-1, shown as one line with its own
 * columns that opens (its ▸ button: click, Enter or Space) to list them.  The table's
 * items are finding indices (>= 0) and folds (-1 - fold number); filters, sorting and
 * paging work on items, and an open fold's findings follow it on its page.
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
    var folds = model.folds || [];
    var opened = {};             // fold number -> true while its findings are listed
    var order = [];              // the items in table order
    (function () {
      var starts = {};
      folds.forEach(function (fold, k) { starts[fold.at] = k; });
      for (var i = 0; i < findings.length;) {
        if (starts[i] !== undefined) {
          order.push(-1 - starts[i]);
          i += folds[starts[i]].size;
        } else {
          order.push(i);
          i += 1;
        }
      }
    })();
    var original = order;
    var selected = order;
    var page = 0;
    var printing = false;

    function entry(item) { return item >= 0 ? findings[item] : folds[-1 - item]; }
    function members(item) {
      var fold = folds[-1 - item], out = [];
      for (var i = fold.at; i < fold.at + fold.size; i += 1) { out.push(i); }
      return out;
    }
    function size(item) { return item >= 0 ? 1 : folds[-1 - item].size; }
    function columns(f) {
      return [model.severities[f.s] || f.s, model.families[f.fam] || f.fam,
              model.checks[f.c] || f.c, f.subj, f.m, f.g || ""];
    }
    var lowered = null;          // built on the first text search
    var foldLowered = null;
    var allTexts = false;        // every finding's texts are read
    function lower(f) { return columns(f).join("\u0000").toLowerCase(); }
    function text(i) {
      if (!lowered) { lowered = findings.map(lower); }
      return lowered[i];
    }
    function matchesText(item, needle) {
      if (item < 0) {
        if (!foldLowered) { foldLowered = folds.map(lower); }
        if (foldLowered[-1 - item].indexOf(needle) !== -1) { return true; }
        return members(item).some(function (i) { return text(i).indexOf(needle) !== -1; });
      }
      return text(item).indexOf(needle) !== -1;
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
    function foldRow(item) {
      var k = -1 - item, fold = folds[k], cells = columns(fold);
      var open = !!opened[k];
      var tr = element("tr", "fold");
      tr.setAttribute("data-fold", String(k));
      tr.setAttribute("data-family", fold.fam);
      tr.setAttribute("data-severity", fold.s);
      tr.setAttribute("data-size", String(fold.size));
      var first = element("td");
      var button = element("button", "fold-toggle", open ? "\u25be" : "\u25b8");
      button.type = "button";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.setAttribute("aria-label", format(open ? texts.fold_collapse : texts.fold_expand,
                                               {count: fold.size}));
      button.title = button.getAttribute("aria-label");
      first.appendChild(button);
      first.appendChild(element("span", "sev sev-" + fold.s, cells[0]));
      tr.appendChild(first);
      for (var c = 1; c < cells.length; c += 1) {
        var td = element("td", null, cells[c]);
        if (c === 2) { td.title = fold.c; }
        if (c === 3) {
          td.appendChild(element("span", "fold-count", " " + format(texts.fold_count,
                                                                   {count: fold.size})));
        }
        tr.appendChild(td);
      }
      if (foldUnits(k).length) {
        tr.className += " on-map";
        tr.tabIndex = 0;
      } else {
        tr.title = texts.not_on_map;
      }
      return tr;
    }
    // the map units of a fold's findings (the units below its parent)
    function foldUnits(k) {
      var seen = {}, out = [];
      members(-1 - k).forEach(function (i) {
        (findings[i].n || []).forEach(function (id) {
          if (!seen[id]) { seen[id] = true; out.push(id); }
        });
      });
      return out;
    }
    // the finding indices drawn for some items (an open fold brings its findings)
    function drawn(items) {
      var out = [];
      items.forEach(function (item) {
        if (item >= 0) { out.push(item); return; }
        if (opened[-1 - item]) { Array.prototype.push.apply(out, members(item)); }
      });
      return out;
    }
    // rows are drawn once the texts of their findings are read (a big report keeps
    // them in compressed chunks); a newer render wins over an older one still waiting
    var rendering = 0;
    function render() {
      var pages = Math.max(1, Math.ceil(selected.length / pageSize));
      page = Math.min(page, pages - 1);
      var slice = printing ? selected : selected.slice(page * pageSize, (page + 1) * pageSize);
      var ticket = ++rendering;
      return orgnet.needTexts(model, drawn(slice)).then(function () {
        if (ticket === rendering) { drawRows(slice, pages); }
      });
    }
    function drawRows(slice, pages) {
      var fragment = document.createDocumentFragment();
      var focused = document.activeElement && document.activeElement.closest &&
        document.activeElement.closest("tr.fold");
      var refocus = focused && body.contains(focused) ? focused.getAttribute("data-fold") : null;
      var refocusButton = refocus !== null && document.activeElement.tagName === "BUTTON";
      slice.forEach(function (item) {
        if (item >= 0) { fragment.appendChild(row(item)); return; }
        fragment.appendChild(foldRow(item));
        if (opened[-1 - item]) {
          members(item).forEach(function (i) {
            var tr = row(i);
            tr.className += " folded";
            tr.setAttribute("data-in-fold", String(-1 - item));
            fragment.appendChild(tr);
          });
        }
      });
      body.textContent = "";
      body.appendChild(fragment);
      if (refocus !== null) {                    // keep the keyboard where it was
        var again = body.querySelector('tr.fold[data-fold="' + refocus + '"]');
        if (again) { (refocusButton ? again.querySelector("button") : again).focus(); }
      }
      var count = 0;
      selected.forEach(function (item) { count += size(item); });
      shown.textContent = format(shown.getAttribute("data-template"),
                                 {shown: count, total: findings.length});
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
      // family and severity: the line's own (a folded line is low, as its badge says);
      // the text: the line's or, for a folded line, that of one of its findings
      selected = order.filter(function (item) {
        var f = entry(item);
        return (!fam || f.fam === fam) && (!sev || f.s === sev) &&
               (!needle || matchesText(item, needle));
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
        var f = entry(i);
        if (col === 0) { return model.severityRank[f.s]; }
        if (col === 1) { var k = families.indexOf(f.fam); return k < 0 ? 99 : k; }
        return columns(f)[col];
      }
      var lang = document.documentElement.lang;
      var position = {};
      original.forEach(function (item, n) { position[item] = n; });
      order = order.slice().sort(function (a, b) {
        var x = key(a), y = key(b), r;
        r = typeof x === "number" ? x - y : String(x).localeCompare(String(y), lang);
        if (r === 0) { r = position[a] - position[b]; }
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
      if (tr.hasAttribute("data-fold")) {          // a folded line: the units below its parent
        map.showUnits(foldUnits(Number(tr.getAttribute("data-fold"))));
      } else {
        map.showFinding(Number(tr.getAttribute("data-index")));
      }
    }
    function toggleFold(k) {
      opened[k] = !opened[k];
      return render();
    }
    body.addEventListener("click", function (event) {
      var button = event.target.closest("button.fold-toggle");
      if (button) {
        toggleFold(Number(button.closest("tr").getAttribute("data-fold")));
        return;
      }
      showRow(event.target.closest("tr"));
    });
    body.addEventListener("keydown", function (event) {
      if (event.target.tagName === "BUTTON") { return; }   // the ▸ button: click, Enter, Space
      if (event.key === "Enter") { showRow(event.target.closest("tr")); }
    });

    // a printed report lists every selected line, not one page (folded lines as they stand)
    window.addEventListener("beforeprint", function () {
      printing = true;
      orgnet.needTexts(model, drawn(selected)).then(render);
    });
    window.addEventListener("afterprint", function () { printing = false; render(); });

    // the map after the table: the table's height settles the page (and its scrollbar)
    render().then(function () {
      map = orgnet.createMap(root, model);
      window.orgnetReport = {findings: findings.length, folds: folds.length, map: map,
                             toggleFold: toggleFold, readyAt: performance.now()};
      // then, when the page is idle, the remaining texts (for the search and printing)
      (window.requestIdleCallback || setTimeout)(function () {
        orgnet.needTexts(model, orgnet.allIndices(model));
      });
    });
  });
})();
