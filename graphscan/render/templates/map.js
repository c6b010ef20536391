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

  /* Labels are drawn by this script, not by vis-network, at a constant 12 px on screen: the
   * biggest blogs (by the sizing measure) first, each placed below, above, right or left of its dot
   * where its measured box collides with no label already placed and stays inside the canvas;
   * labels that fit nowhere are dropped (they show on hover). Recomputed at every zoom and pan. */
  var LABEL_FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", LABEL_H = 15;
  var LABEL_CANDIDATES = 3000, labelOrder = [], labelWidths = new Map(), reserved = [];
  function labelText(n) {
    var limit = meta.view === "cascade" ? 120 : 32;
    return n.label.length > limit ? n.label.slice(0, limit - 1) + "…" : n.label;
  }
  var byValue = [];
  function pickLabelled() {
    byValue = rawNodes.slice().sort(function (a, b) { return b.value - a.value || a.id - b.id; })
      .map(function (n) { return n.id; });
    labelOrder = (meta.view === "cascade" ? rawNodes.map(function (n) { return n.id; }) : byValue).slice(0, LABEL_CANDIDATES);
  }
  /* Boxes are kept in a 64 px grid, so a collision test looks only at the boxes of the cells it covers. */
  var CELL = 64;
  function BoxGrid() { this.cells = new Map(); }
  BoxGrid.prototype.keys = function (b) {
    var keys = [];
    for (var x = Math.floor(b.x / CELL); x <= Math.floor((b.x + b.w) / CELL); x += 1)
      for (var y = Math.floor(b.y / CELL); y <= Math.floor((b.y + b.h) / CELL); y += 1) keys.push(x + ":" + y);
    return keys;
  };
  BoxGrid.prototype.add = function (b) {
    var cells = this.cells;
    this.keys(b).forEach(function (k) { if (!cells.has(k)) cells.set(k, []); cells.get(k).push(b); });
  };
  BoxGrid.prototype.hits = function (a, except) {
    var keys = this.keys(a);
    for (var i = 0; i < keys.length; i += 1) {
      var list = this.cells.get(keys[i]) || [];
      for (var j = 0; j < list.length; j += 1) {
        var b = list[j];
        if (b.id !== except && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) return true;
      }
    }
    return false;
  };
  function labelSpots(p, r, w) {
    var h = LABEL_H;
    var spots = [{ x: p.x - w / 2, y: p.y + r + 2 }, { x: p.x - w / 2, y: p.y - r - 2 - h },
      { x: p.x + r + 4, y: p.y - h / 2 }, { x: p.x - r - 4 - w, y: p.y - h / 2 }];
    if (meta.view === "cascade") spots.unshift(spots.splice(2, 1)[0]);
    return spots;
  }
  /* Screen boxes of the visible dots (those at least 3 px wide, the biggest DOT_LIMIT): a label avoids them when it can. */
  var DOT_LIMIT = 3000;
  function discs(width, height, scale) {
    var grid = new BoxGrid(), count = 0;
    for (var i = 0; i < byValue.length && count < DOT_LIMIT; i += 1) {
      var id = byValue[i], n = info.get(id), r = radius(n) * scale;
      if (r < 3) break;
      if (!nodeVisible(id) || !network.body.nodes[id]) continue;
      var p = network.canvasToDOM(network.getPosition(id));
      if (p.x + r < 0 || p.y + r < 0 || p.x - r > width || p.y - r > height) continue;
      grid.add({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r, id: id });
      count += 1;
    }
    return grid;
  }
  function freeSpot(spots, w, width, height, taken, dots, id) {
    for (var pass = 0; pass < 2; pass += 1) {
      for (var k = 0; k < spots.length; k += 1) {
        var box = { x: spots[k].x, y: spots[k].y, w: w, h: LABEL_H };
        if (box.x < 2 || box.y < 2 || box.x + w > width - 2 || box.y + LABEL_H > height - 2) continue;
        if (taken.hits(box, null)) continue;
        if (pass === 0 && dots.hits(box, id)) continue;
        return box;
      }
    }
    return null;
  }
  function placeLabels(ctx, width, height) {
    var scale = network.getScale(), placed = [], taken = new BoxGrid(), dots = discs(width, height, scale);
    reserved.forEach(function (b) { taken.add(b); });
    var budget = Math.max(6, Math.floor(width * height / 11000)), tried = 0;
    var selected = network.getSelectedNodes();
    var order = selected.concat(labelOrder.filter(function (id) { return selected.indexOf(id) < 0; }));
    ctx.font = LABEL_FONT;
    for (var i = 0; i < order.length && placed.length < budget && tried < 3 * budget; i += 1) {
      var id = order[i];
      if (!nodeVisible(id) || !network.body.nodes[id]) continue;
      var n = info.get(id), p = network.canvasToDOM(network.getPosition(id));
      if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) continue;
      tried += meta.view === "cascade" ? 0 : 1;
      var text = labelText(n);
      if (!labelWidths.has(id)) labelWidths.set(id, Math.ceil(ctx.measureText(text).width) + 4);
      var w = labelWidths.get(id), box = freeSpot(labelSpots(p, radius(n) * scale, w), w, width, height, taken, dots, id);
      if (!box) continue;
      box.id = id;
      box.text = text;
      placed.push(box);
      taken.add(box);
    }
    return placed;
  }
  function drawLabels(ctx) {
    var started = performance.now();
    var box = byIdEl("gs-network"), width = box.clientWidth, height = box.clientHeight;
    var ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (meta.view === "cascade") drawLanes(ctx, width);
    var placed = placeLabels(ctx, width, height);
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    placed.forEach(function (b) {
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(b.text, b.x + 2, b.y + LABEL_H / 2);
      ctx.fillStyle = "#222";
      ctx.fillText(b.text, b.x + 2, b.y + LABEL_H / 2);
    });
    ctx.restore();
    state.labels = placed.map(function (b) { return { id: b.id, text: b.text, x: b.x, y: b.y, w: b.w, h: b.h }; });
    state.timings.labels = performance.now() - started;
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
      id: n.id, x: n.x, y: n.y, value: n.value,
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
    var body = network && network.body.nodes[n.id];
    if (body && body.shape && typeof body.shape.radius === "number") return body.shape.radius;
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
    var group = meta.legend[n.category];
    if (meta.view !== "cascade" && group && meta.color_by !== "none") addRow(table, "group", group.label);
    Object.keys(n.attrs).forEach(function (name) { addRow(table, name, n.attrs[name]); });
    panel.appendChild(table);
    if (meta.directed === false) {
      panel.appendChild(neighbourList("Top linked blogs", n["in"]));
    } else {
      panel.appendChild(neighbourList(meta.view === "cascade" ? "Cited by" : "Top inbound links", n["in"]));
      panel.appendChild(neighbourList(meta.view === "cascade" ? "Cites" : "Top outbound links", n.out));
    }
    if (n.mentions.length) panel.appendChild(mentionList(n.mentions));
    panel.hidden = false;
    panel.dataset.node = String(id);
  }
  function addRow(table, name, value) {
    var row = el("tr");
    row.appendChild(el("th", name));
    row.appendChild(el("td", fmt(value)));
    table.appendChild(row);
  }
  function hidePanel() { var panel = byIdEl("gs-panel"); panel.hidden = true; panel.replaceChildren(); }

  function focusNode(id) {
    if (!nodeView.get(id)) { filt.min = -Infinity; filt.category = "all"; byIdEl("gs-min").value = "0";
      byIdEl("gs-category").value = "all"; refresh(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    showPanel(id);
    renderTable();
  }

  // A blog as people type it: any scheme, www. or not, a trailing slash or a post's URL under the blog.
  function addressOf(text) {
    var bare = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, "").split("#")[0].split("?")[0];
    return bare.replace(/^www\./, "").replace(/\/+$/, "");
  }

  function runSearch() {
    var query = byIdEl("gs-search").value.trim().toLowerCase();
    var results = byIdEl("gs-results");
    results.replaceChildren();
    if (!query) { byIdEl("gs-search-count").textContent = ""; return []; }
    var address = addressOf(query);
    var hits = rawNodes.filter(function (n) {
      var key = addressOf(n.key.toLowerCase());
      return n.label.toLowerCase().indexOf(query) >= 0 || (address && key.indexOf(address) >= 0) ||
        address.indexOf(key + "/") === 0;
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
    renderTable();
    network.redraw();
  }
  function summary() {
    var text = nodeView.length + " of " + rawNodes.length + (meta.view === "cascade" ? " posts, " : " blogs, ") +
      state.visibleEdges + " of " + rawEdges.length + " links";
    if (meta.truncated) text += " — showing the top " + meta.truncated.shown + " of " + meta.truncated.total +
      " blogs by " + meta.truncated.by;
    if (meta.story) text = "First post: “" + (meta.story.first_title || meta.story.first_key) + "” on " +
      meta.story.first_blog + ", " + meta.story.first_date + " · reached " + meta.story.blogs + " blogs in " +
      meta.story.posts + " posts over " + meta.story.days + " days · " + text;
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
  }

  /* The cascade's date ticks and lanes are drawn in screen pixels so they stay readable at any zoom;
   * lane titles sit in a white column at the left edge, never cut, and the view keeps the posts
   * to their right (fitView). */
  function screen(ctx) {
    var ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }
  function drawTimeline(ctx) {
    if (meta.view !== "cascade") return;
    var box = byIdEl("gs-network");
    ctx.save();
    screen(ctx);
    ctx.strokeStyle = "#e3e3e3";
    ctx.fillStyle = "#555";
    ctx.font = "12px system-ui, sans-serif";
    ctx.lineWidth = 1;
    meta.axis.forEach(function (tick) {
      var x = network.canvasToDOM({ x: tick.x, y: 0 }).x;
      ctx.beginPath(); ctx.moveTo(x, 20); ctx.lineTo(x, box.clientHeight); ctx.stroke();
      ctx.fillText(tick.label, x + 4, 14);
    });
    ctx.restore();
  }
  var LANE_FONT = "13px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  function laneTexts(ctx, width) {
    var limit = Math.max(120, width * 0.38);
    ctx.font = LANE_FONT;
    return meta.lanes.map(function (lane) {
      var text = lane.label;
      while (text.length > 4 && ctx.measureText(text).width > limit) text = text.slice(0, -2) + "…";
      return { text: text, w: Math.ceil(ctx.measureText(text).width), y: lane.y };
    });
  }
  function laneColumn() {
    var probe = document.createElement("canvas").getContext("2d");
    return laneTexts(probe, byIdEl("gs-network").clientWidth).reduce(function (m, l) { return Math.max(m, l.w); }, 0) + 16;
  }
  function drawLanes(ctx, width) {
    var lanes = laneTexts(ctx, width), column = laneColumn();
    reserved = [];
    ctx.fillStyle = "rgba(255,255,255,0.92)";
    ctx.fillRect(0, 0, column, byIdEl("gs-network").clientHeight);
    ctx.fillStyle = "#333";
    ctx.textBaseline = "middle";
    lanes.forEach(function (lane) {
      var y = network.canvasToDOM({ x: 0, y: lane.y }).y;
      ctx.fillText(lane.text, 8, y);
      reserved.push({ x: 6, y: y - LABEL_H / 2, w: lane.w + 4, h: LABEL_H });
    });
    state.lanes = reserved.map(function (b, i) { return { text: lanes[i].text, x: b.x, y: b.y, w: b.w, h: b.h }; });
  }

  /* A force layout is round; screens are wide. The drawing is stretched to the canvas's proportions
   * (at most 2.5 times along one axis), then fitted with a 30 px margin, so it fills the canvas. */
  function stretch() {
    if (meta.view === "cascade" || rawNodes.length < 3) return;
    var box = byIdEl("gs-network"), b = bounds(rawNodes);
    var target = box.clientWidth / Math.max(box.clientHeight, 1), ratio = b.w / b.h;
    var fx = ratio < target ? Math.min(target / ratio, 2.5) : 1, fy = ratio > target ? Math.min(ratio / target, 2.5) : 1;
    rawNodes.forEach(function (n) { n.x *= fx; n.y *= fy; });
  }
  function bounds(nodes) {
    var b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    nodes.forEach(function (n) {
      b.x0 = Math.min(b.x0, n.x); b.x1 = Math.max(b.x1, n.x); b.y0 = Math.min(b.y0, n.y); b.y1 = Math.max(b.y1, n.y);
    });
    b.w = Math.max(b.x1 - b.x0, 1); b.h = Math.max(b.y1 - b.y0, 1);
    return b;
  }
  function fitView() {
    var box = byIdEl("gs-network"), shown = nodeView.get();
    if (!shown.length) return;
    var b = bounds(shown.map(function (n) { return info.get(n.id); }));
    var pad = { left: 30, right: 30, top: 30, bottom: 30 };
    if (meta.view === "cascade") { pad.left = laneColumn() + 20; pad.top = 40; pad.right = 60; }
    var scale = Math.min((box.clientWidth - pad.left - pad.right) / b.w, (box.clientHeight - pad.top - pad.bottom) / b.h, 2);
    var cx = (b.x0 + b.x1) / 2 - (pad.left - pad.right) / 2 / scale;
    var cy = (b.y0 + b.y1) / 2 - (pad.top - pad.bottom) / 2 / scale;
    network.moveTo({ position: { x: cx, y: cy }, scale: scale, animation: false });
  }


  /* The blog table beside the map (as Gephi's data laboratory): one row per visible blog, sortable by
   * any column, the first TABLE_ROWS rows in the DOM; clicking a row focuses its blog on the map. */
  var TABLE_ROWS = 200, tableSort = { column: null, descending: true }, tableColumns = [];
  function tableCell(n, column) {
    if (column.kind === "label") return n.label;
    if (column.kind === "score") return n.scores[column.name];
    if (column.kind === "group") return meta.legend[n.category] ? meta.legend[n.category].label : "";
    var v = n.attrs[column.name];
    return v === undefined ? null : v;
  }
  function compareCells(a, b) {
    var na = a === null || a === undefined || a === "", nb = b === null || b === undefined || b === "";
    if (na || nb) return na && nb ? 0 : (na ? 1 : -1);
    var x = Number(a), y = Number(b);
    if (typeof a === "number" || (!isNaN(x) && !isNaN(y) && String(a).trim() !== "" && String(b).trim() !== "")) return x - y;
    return String(a).localeCompare(String(b));
  }
  function tableColumnsFor() {
    var columns = [{ kind: "label", name: "blog" }];
    meta.measures.forEach(function (name) { columns.push({ kind: "score", name: name }); });
    if (meta.color_by !== "none") columns.push({ kind: "group", name: "group" });
    var counts = new Map();
    rawNodes.forEach(function (n) { Object.keys(n.attrs).forEach(function (k) { counts.set(k, (counts.get(k) || 0) + 1); }); });
    Array.from(counts.keys()).sort(function (a, b) { return counts.get(b) - counts.get(a) || (a < b ? -1 : 1); })
      .slice(0, 4).forEach(function (name) { columns.push({ kind: "attr", name: name }); });
    return columns;
  }
  function sortedRows() {
    var column = tableSort.column, sign = tableSort.descending ? -1 : 1;
    return nodeView.getIds().map(function (id) { return info.get(id); }).sort(function (a, b) {
      var na = tableCell(a, column), nb = tableCell(b, column);
      var missing = (na === null || na === undefined || na === "") - (nb === null || nb === undefined || nb === "");
      return missing || sign * compareCells(na, nb) || a.id - b.id;
    });
  }
  function renderTable() {
    if (meta.view === "cascade" || byIdEl("gs-table-box").hidden) return;
    var head = byIdEl("gs-table-head"), body = byIdEl("gs-table-body"), rows = sortedRows();
    head.replaceChildren();
    var tr = el("tr");
    tableColumns.forEach(function (column) {
      var th = el("th"), button = el("button", column.name + (column === tableSort.column ? (tableSort.descending ? " ▼" : " ▲") : ""));
      button.type = "button";
      button.addEventListener("click", function () { sortTable(column.name); });
      th.appendChild(button);
      th.setAttribute("aria-sort", column === tableSort.column ? (tableSort.descending ? "descending" : "ascending") : "none");
      tr.appendChild(th);
    });
    head.appendChild(tr);
    body.replaceChildren();
    var selected = network.getSelectedNodes()[0];
    rows.slice(0, TABLE_ROWS).forEach(function (n) {
      var row = el("tr");
      row.dataset.node = String(n.id);
      if (n.id === selected) row.className = "gs-selected";
      tableColumns.forEach(function (column) {
        var cell = el("td", column.kind === "label" ? n.label : fmt(tableCell(n, column)));
        if (column.kind === "label" && n.key !== n.label) cell.title = n.key;
        row.appendChild(cell);
      });
      row.tabIndex = 0;
      row.addEventListener("click", function () { focusNode(n.id); });
      row.addEventListener("keydown", function (event) { if (event.key === "Enter") focusNode(n.id); });
      body.appendChild(row);
    });
    byIdEl("gs-table-note").textContent = rows.length > TABLE_ROWS ? "first " + TABLE_ROWS + " of " + rows.length +
      " blogs; sort by a column or use the search to reach the others" : rows.length + " blogs";
  }
  function sortTable(name) {
    var column = tableColumns.filter(function (c) { return c.name === name; })[0];
    if (!column) throw new Error("no column " + name);
    tableSort.descending = column === tableSort.column ? !tableSort.descending : column.kind === "score";
    tableSort.column = column;
    renderTable();
  }
  function buildTable() {
    var toggle = byIdEl("gs-table-toggle");
    if (meta.view === "cascade") { toggle.hidden = true; return; }
    tableColumns = tableColumnsFor();
    tableSort.column = tableColumns.filter(function (c) { return c.name === meta.size_by; })[0] || tableColumns[0];
    toggle.addEventListener("click", function () { showTable(byIdEl("gs-table-box").hidden); });
    state.table = { sort: sortTable, show: showTable, rows: function () {
      return Array.from(byIdEl("gs-table-body").rows).map(function (r) { return Number(r.dataset.node); }); } };
  }
  function showTable(open) {
    byIdEl("gs-table-box").hidden = !open;
    document.body.classList.toggle("gs-with-table", open);
    byIdEl("gs-table-toggle").setAttribute("aria-pressed", open ? "true" : "false");
    renderTable();
    network.setSize("100%", "100%");
    fitView();
  }

  function start() {
    meta = read("gs-meta"); options = read("gs-options");
    rawNodes = read("gs-nodes").map(function (n) {
      n.key = n.key || ""; n.label = n.label || n.key; n.scores = n.scores || {};
      n.mentions = n.mentions || []; n["in"] = n["in"] || []; n.out = n.out || []; n.value = n.value || 0;
      n.attrs = n.attrs || {};
      ["url", "community", "sentiment", "blog", "published"].forEach(function (name) { if (!(name in n)) n[name] = null; });
      return n;
    });
    rawEdges = read("gs-edges").map(function (row) {
      return { from: row[0], to: row[1], kind: meta.link_kinds[row[2]].kind, count: row[3] };
    });
    rawNodes.forEach(function (n) { info.set(n.id, n); });
    stretch();
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
    network.on("afterDrawing", drawLabels);
    fitView();
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
    state.fit = fitView;
    buildTable();
  }

  mark("script");
  try { start(); } catch (err) { fail(err); }
})();
