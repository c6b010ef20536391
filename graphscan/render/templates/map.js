/* graphscan map: reads the JSON data blocks and draws them with vis-network.
 * Crawled text only ever reaches the DOM through textContent, and only http(s) URLs become links. */
(function () {
  "use strict";
  var state = { ready: false, readyAt: null, errors: [], timings: {} };
  function mark(name) { state.timings[name] = Math.round(performance.now()); }
  window.graphscanMap = state;

  function read(id) { return JSON.parse(document.getElementById(id).textContent); }
  function byIdEl(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function safeHref(url) {
    if (typeof url !== "string" || url === "") return null;
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) { return null; }
  }
  function link(url, text) {
    var href = safeHref(url);
    if (!href) return el("span", text || url || "");
    var a = el("a", text || href);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function fmt(v) {
    if (v === null || v === undefined) return "–";
    if (typeof v !== "number") return String(v);
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e7)) return v.toExponential(3);
    return String(+v.toFixed(4));
  }
  function fail(err) {
    state.errors.push(String(err && err.message || err));
    var box = byIdEl("gs-error");
    box.textContent = "The map could not be drawn: " + String(err && err.message || err);
    box.hidden = false;
  }

  var meta, rawNodes, rawEdges, options;
  var info = new Map();
  var filt = { min: -Infinity, category: "all", kinds: new Set() };
  var nodesSet, nodeView, network;

  function score(n) { var s = n.scores[meta.size_by]; return typeof s === "number" ? s : 0; }
  function nodeVisible(id) {
    var n = info.get(id);
    return score(n) >= filt.min && (filt.category === "all" || String(n.category) === filt.category);
  }

  function tooltip(n) {
    var box = el("div", null, "gs-tip");
    box.appendChild(el("strong", n.label));
    if (n.key !== n.label) box.appendChild(el("div", n.key, "gs-muted"));
    box.appendChild(el("div", meta.size_by + ": " + fmt(n.scores[meta.size_by])));
    if (n.published) box.appendChild(el("div", n.published));
    if (n.sentiment !== null && n.sentiment !== undefined) box.appendChild(el("div", "sentiment: " + fmt(n.sentiment)));
    return box;
  }

  /* Only the biggest nodes carry a canvas label: vis-network measures every label up front
   * (~0.4 ms each), and thousands of labels are unreadable anyway; the rest show on hover. */
  var LABELLED = 300, labelled = new Set();
  function pickLabelled() {
    rawNodes.slice().sort(function (a, b) { return b.value - a.value || a.id - b.id; })
      .slice(0, LABELLED).forEach(function (n) { labelled.add(n.id); });
  }
  /* Colours go through vis groups (one per distinct colour): per-node colour objects are
   * deep-copied by vis-network for every node, which doubles the time to open a big map. */
  var colorGroups = new Map();
  function colorGroup(color) {
    if (!colorGroups.has(color)) {
      var name = "c" + colorGroups.size;
      colorGroups.set(color, name);
      options.groups = options.groups || {};
      options.groups[name] = { color: { background: color, border: "#555",
        highlight: { background: color, border: "#000" }, hover: { background: color, border: "#000" } } };
    }
    return colorGroups.get(color);
  }
  function visNode(n) {
    return {
      id: n.id, label: labelled.has(n.id) ? n.label : undefined, x: n.x, y: n.y, value: n.value,
      title: tooltip(n), group: colorGroup(n.color)
    };
  }

  /* Links are drawn straight onto the canvas, batched by kind: vis-network spends ~0.1-0.3 ms
   * creating each edge object, which makes 10k+ links take seconds; drawing them is ~1000x cheaper. */
  /* Arrowheads are filled triangles in one path per group (no closePath: in a path of tens of
   * thousands of sub-paths it costs seconds), and only when at most ARROW_LIMIT links are in view. */
  var ARROW_LIMIT = 8000;
  var kindIndex = {}, visibleByKind = [], position = null;
  function radius(n) {
    var s = options.nodes.scaling;
    return s.min + (s.max - s.min) * n.value;
  }
  /* Visible links grouped by (kind, colour of the source blog): one canvas path per group. */
  function collectEdges() {
    var groups = new Map(), count = 0;
    rawEdges.forEach(function (e) {
      if (!filt.kinds.has(e.kind) || !nodeVisible(e.from) || !nodeVisible(e.to)) return;
      var color = info.get(e.from).color, key = e.kind + " " + color;
      if (!groups.has(key)) groups.set(key, { kind: kindIndex[e.kind], color: color, edges: [] });
      groups.get(key).edges.push(e);
      count += 1;
    });
    visibleByKind = Array.from(groups.values());
    state.visibleEdges = count;
  }
  function strokeEdges(ctx, edges, scale, emphasis) {
    if (!edges.length) return;
    ctx.beginPath();
    edges.forEach(function (e) {
      var a = position(e.from), b = position(e.to);
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
    });
    ctx.lineWidth = Math.max(emphasis ? 2 : 0.7, (emphasis ? 1.5 : 0.5) / scale);
    ctx.stroke();
    if (meta.directed === false) return;  /* an undirected graph's links have no head */
    if (!emphasis && (scale < 0.35 || state.drawnEdges > ARROW_LIMIT)) return;
    ctx.beginPath();
    edges.forEach(function (e) {
      var a = position(e.from), b = position(e.to), n = info.get(e.to);
      var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy);
      if (len < 1e-6) return;
      var ux = dx / len, uy = dy / len, tipX = b.x - ux * radius(n), tipY = b.y - uy * radius(n);
      var size = Math.max(4, 3 / scale) * (emphasis ? 1.4 : 1);
      ctx.moveTo(tipX, tipY);
      ctx.lineTo(tipX - ux * size * 1.6 - uy * size * 0.6, tipY - uy * size * 1.6 + ux * size * 0.6);
      ctx.lineTo(tipX - ux * size * 1.6 + uy * size * 0.6, tipY - uy * size * 1.6 - ux * size * 0.6);
    });
    ctx.fill();
  }
  /* Only links crossing the view are drawn, and dashes (costly to rasterise) only when fewer
   * than DASH_LIMIT are in view: zoom in to tell blogroll and comment links from citations. */
  var DASH_LIMIT = 8000;
  function inView(edges) {
    var box = byIdEl("gs-network");
    var lo = network.DOMtoCanvas({ x: 0, y: 0 }), hi = network.DOMtoCanvas({ x: box.clientWidth, y: box.clientHeight });
    return edges.filter(function (e) {
      var a = position(e.from), b = position(e.to);
      return Math.max(a.x, b.x) >= lo.x && Math.min(a.x, b.x) <= hi.x && Math.max(a.y, b.y) >= lo.y && Math.min(a.y, b.y) <= hi.y;
    });
  }
  function drawEdges(ctx) {
    var scale = network.getScale(), bodies = network.body.nodes;
    position = function (id) { return bodies[id] || info.get(id); };
    var selected = new Set(network.getSelectedNodes());
    var alpha = Math.min(0.6, Math.max(0.08, 0.6 * Math.sqrt(2000 / Math.max(state.visibleEdges, 1))));
    var shown = visibleByKind.map(function (group) { return inView(group.edges); });
    var total = shown.reduce(function (sum, edges) { return sum + edges.length; }, 0);
    state.drawnEdges = total;
    ctx.save();
    visibleByKind.forEach(function (group, i) {
      var k = meta.link_kinds[group.kind];
      var dashed = k.dashes && total <= DASH_LIMIT;
      ctx.setLineDash(dashed ? k.dashes.map(function (d) { return d / Math.min(scale, 1); }) : []);
      ctx.strokeStyle = ctx.fillStyle = group.color;
      ctx.globalAlpha = selected.size ? alpha / 3 : alpha;
      strokeEdges(ctx, shown[i], scale, false);
      if (!selected.size) return;
      ctx.globalAlpha = 0.95;
      ctx.strokeStyle = ctx.fillStyle = k.color;
      ctx.setLineDash(k.dashes ? k.dashes.map(function (d) { return d / Math.min(scale, 1); }) : []);
      strokeEdges(ctx, shown[i].filter(function (e) {
        return selected.has(e.from) || selected.has(e.to);
      }), scale, true);
    });
    ctx.restore();
  }

  function neighbourList(title, rows) {
    var box = document.createDocumentFragment();
    box.appendChild(el("h3", title));
    if (!rows.length) { box.appendChild(el("p", "none", "gs-muted")); return box; }
    var list = el("ul");
    rows.forEach(function (row) {
      var other = info.get(row[0]);
      var item = el("li");
      var button = el("button", other ? other.label : String(row[0]));
      button.type = "button";
      button.addEventListener("click", function () { focusNode(row[0]); });
      item.appendChild(button);
      item.appendChild(document.createTextNode(" × " + row[1]));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function mentionList(mentions) {
    var box = document.createDocumentFragment();
    box.appendChild(el("h3", "Brand mentions"));
    mentions.forEach(function (m) {
      var head = el("div");
      head.appendChild(el("strong", m.brand));
      head.appendChild(document.createTextNode(" " + fmt(m.sentiment) + (m.published ? " · " + m.published : "") + " "));
      if (m.url) head.appendChild(link(m.url, "post"));
      box.appendChild(head);
      box.appendChild(el("blockquote", m.snippet));
    });
    return box;
  }

  function showPanel(id) {
    var n = info.get(id);
    if (!n) return;
    var panel = byIdEl("gs-panel");
    panel.replaceChildren();
    var close = el("button", "×");
    close.id = "gs-close";
    close.type = "button";
    close.setAttribute("aria-label", "close");
    close.addEventListener("click", hidePanel);
    panel.appendChild(close);
    panel.appendChild(el("h2", n.label));
    if (n.key !== n.label) panel.appendChild(el("p", n.key, "gs-muted"));
    if (n.url) { var p = el("p"); p.appendChild(link(n.url)); panel.appendChild(p); }
    var table = el("table");
    Object.keys(n.scores).forEach(function (name) {
      var row = el("tr");
      row.appendChild(el("th", name));
      row.appendChild(el("td", fmt(n.scores[name])));
      table.appendChild(row);
    });
    [["community", n.community], ["sentiment", n.sentiment], ["blog", n.blog], ["published", n.published]]
      .forEach(function (pair) {
        if (pair[1] === null || pair[1] === undefined) return;
        var row = el("tr");
        row.appendChild(el("th", pair[0]));
        row.appendChild(el("td", fmt(pair[1])));
        table.appendChild(row);
      });
    panel.appendChild(table);
    panel.appendChild(neighbourList(meta.view === "cascade" ? "Cited by" : "Top inbound links", n["in"]));
    panel.appendChild(neighbourList(meta.view === "cascade" ? "Cites" : "Top outbound links", n.out));
    if (n.mentions.length) panel.appendChild(mentionList(n.mentions));
    panel.hidden = false;
    panel.dataset.node = String(id);
  }
  function hidePanel() { var panel = byIdEl("gs-panel"); panel.hidden = true; panel.replaceChildren(); }

  function focusNode(id) {
    if (!nodeView.get(id)) { filt.min = -Infinity; filt.category = "all"; byIdEl("gs-min").value = "0";
      byIdEl("gs-category").value = "all"; refresh(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    showPanel(id);
  }

  function runSearch() {
    var query = byIdEl("gs-search").value.trim().toLowerCase();
    var results = byIdEl("gs-results");
    results.replaceChildren();
    if (!query) { byIdEl("gs-search-count").textContent = ""; return []; }
    var hits = rawNodes.filter(function (n) {
      return n.label.toLowerCase().indexOf(query) >= 0 || n.key.toLowerCase().indexOf(query) >= 0;
    });
    hits.sort(function (a, b) { return score(b) - score(a) || a.id - b.id; });
    byIdEl("gs-search-count").textContent = hits.length + (hits.length === 1 ? " match" : " matches");
    hits.slice(0, 25).forEach(function (n) {
      var item = el("li");
      var button = el("button", n.label);
      button.type = "button";
      button.addEventListener("click", function () { focusNode(n.id); });
      item.appendChild(button);
      results.appendChild(item);
    });
    return hits;
  }

  function refresh() {
    nodeView.refresh();
    collectEdges();
    summary();
    network.redraw();
  }
  function summary() {
    var text = nodeView.length + " of " + rawNodes.length + (meta.view === "cascade" ? " posts, " : " blogs, ") +
      state.visibleEdges + " of " + rawEdges.length + " links";
    if (meta.truncated) text += " — showing the top " + meta.truncated.shown + " of " + meta.truncated.total +
      " blogs by " + meta.truncated.by;
    text += meta.view === "cascade" ? " · x = publication date, one row per blog" :
      " · size: " + meta.size_by + " · colour: " + meta.color_by + (meta.brand ? " (" + meta.brand + ")" : "");
    byIdEl("gs-summary").textContent = text;
  }

  function buildControls() {
    var slider = byIdEl("gs-min");
    byIdEl("gs-min-label").firstChild.textContent = "Minimum " + meta.size_by;
    if (!meta.thresholds.length) { slider.disabled = true; byIdEl("gs-min-label").hidden = true; }
    slider.addEventListener("input", function () {
      var q = Number(slider.value);
      filt.min = q === 0 ? -Infinity : meta.thresholds[q];
      byIdEl("gs-min-value").textContent = q === 0 ? "all" : "≥ " + fmt(filt.min) + " (top " + (100 - q) + " %)";
      refresh();
    });
    var select = byIdEl("gs-category");
    select.appendChild(new Option("all groups", "all"));
    meta.legend.forEach(function (item, i) { select.appendChild(new Option(item.label + " (" + item.count + ")", String(i))); });
    select.addEventListener("change", function () { filt.category = select.value; refresh(); });
    var kinds = byIdEl("gs-kinds");
    meta.link_kinds.forEach(function (k) {
      filt.kinds.add(k.kind);
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = k.kind;
      box.addEventListener("change", function () {
        if (box.checked) filt.kinds.add(k.kind); else filt.kinds.delete(k.kind);
        refresh();
      });
      label.appendChild(box);
      label.appendChild(dash(k));
      label.appendChild(document.createTextNode(k.kind.replace("_", " ")));
      kinds.appendChild(label);
    });
    var search = byIdEl("gs-search");
    var timer = null;
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 120); });
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var hits = runSearch();
      if (hits.length) focusNode(hits[0].id);
    });
  }
  function dash(k) {
    var sample = el("span", null, "gs-dash");
    sample.style.borderTopStyle = k.css;
    sample.style.borderTopColor = k.color;
    return sample;
  }
  function buildLegend() {
    var items = byIdEl("gs-legend-items");
    meta.legend.forEach(function (item) {
      var row = el("li");
      var swatch = el("span", null, "gs-swatch");
      swatch.style.background = item.color;
      row.appendChild(swatch);
      row.appendChild(document.createTextNode(item.label + " (" + item.count + ")"));
      items.appendChild(row);
    });
    var kinds = byIdEl("gs-legend-kinds");
    meta.link_kinds.forEach(function (k) {
      var row = el("li");
      row.appendChild(dash(k));
      row.appendChild(document.createTextNode(k.kind.replace("_", " ")));
      kinds.appendChild(row);
    });
  }

  function drawTimeline(ctx) {
    if (meta.view !== "cascade") return;
    var ys = rawNodes.map(function (n) { return n.y; });
    var top = Math.min.apply(null, ys) - 70, bottom = Math.max.apply(null, ys) + 40;
    ctx.save();
    ctx.strokeStyle = "#e3e3e3";
    ctx.fillStyle = "#555";
    ctx.font = "14px sans-serif";
    ctx.lineWidth = 1;
    meta.axis.forEach(function (tick) {
      ctx.beginPath(); ctx.moveTo(tick.x, top); ctx.lineTo(tick.x, bottom); ctx.stroke();
      ctx.fillText(tick.label, tick.x + 4, top + 14);
    });
    ctx.textAlign = "right";
    meta.lanes.forEach(function (lane) { ctx.fillText(lane.label, -24, lane.y + 5); });
    ctx.restore();
  }

  function start() {
    meta = read("gs-meta"); options = read("gs-options");
    rawNodes = read("gs-nodes").map(function (n) {
      n.key = n.key || ""; n.label = n.label || n.key; n.scores = n.scores || {};
      n.mentions = n.mentions || []; n["in"] = n["in"] || []; n.out = n.out || []; n.value = n.value || 0;
      ["url", "community", "sentiment", "blog", "published"].forEach(function (name) { if (!(name in n)) n[name] = null; });
      return n;
    });
    rawEdges = read("gs-edges").map(function (row) {
      return { from: row[0], to: row[1], kind: meta.link_kinds[row[2]].kind, count: row[3] };
    });
    rawNodes.forEach(function (n) { info.set(n.id, n); });
    mark("parsed");
    byIdEl("gs-heading").textContent = meta.heading;
    document.title = meta.heading;
    buildControls();
    buildLegend();
    pickLabelled();
    nodesSet = new vis.DataSet(rawNodes.map(visNode));
    mark("datasets");
    nodeView = new vis.DataView(nodesSet, { filter: function (n) { return nodeVisible(n.id); } });
    meta.link_kinds.forEach(function (k, i) { kindIndex[k.kind] = i; });
    collectEdges();
    network = new vis.Network(byIdEl("gs-network"), { nodes: nodeView, edges: [] }, options);
    mark("network");
    network.on("click", function (params) { if (params.nodes.length) showPanel(params.nodes[0]); else hidePanel(); });
    network.on("beforeDrawing", drawTimeline);
    network.on("beforeDrawing", drawEdges);
    network.once("afterDrawing", function () {
      state.ready = true;
      state.readyAt = performance.now();
      mark("drawn");
      document.body.setAttribute("data-ready", "1");
    });
    summary();
    state.network = network;
    state.showPanel = showPanel;
    state.focusNode = focusNode;
    state.search = runSearch;
    state.nodeIds = function () { return nodeView.getIds(); };
  }

  mark("script");
  try { start(); } catch (err) { fail(err); }
})();
