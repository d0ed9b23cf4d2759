// Page script for kg graph pages.  All article text is untrusted: it only
// ever reaches the DOM through textContent / createElement, never innerHTML.
(function () {
  "use strict";

  // Milestones (ms since navigation) for benchmarks and debugging.
  const timings = { start: performance.now() };
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  timings.parsed = performance.now();
  const meta = data.meta;
  const REPORTER = meta.reporter;
  const FONT = "#222222";
  const DIM_NODE = { background: "#eeeeee", border: "#dddddd" };
  const DIM_FONT = "#c8c8c8";
  const EDGE_COLOR = data.options.edges.color;
  const DIM_EDGE = { color: "#eeeeee", highlight: EDGE_COLOR.highlight, hover: EDGE_COLOR.hover, inherit: false };

  // ---- indexes over the full graph (the network may show only part) ----
  const nodesArr = data.nodes; // already in rank order (heaviest first)
  // Edges come as arrays (small pages on big graphs); the id is the position.
  // Width: log of shared articles, or NPMI (0..1) when the page ranks by it.
  const edgesArr = data.edges.map(([from, to, weight, articles, sentences, ev], id) => ({
    id: id,
    from: from,
    to: to,
    weight: weight,
    articles: articles,
    sentences: sentences,
    ev: ev,
    width:
      meta.weighting === "npmi"
        ? Math.round((1 + 5 * Math.max(weight, 0)) * 100) / 100
        : Math.round(Math.min(1 + 1.5 * Math.log2(Math.max(articles, 1)), 8) * 100) / 100,
  }));
  // Names are keys of Maps only.  vis-network keeps its nodes in plain
  // objects keyed by id, where a node named __proto__ or constructor would
  // clash with Object's own properties: vis gets each node's rank as its id.
  const byId = new Map();
  const visId = new Map(); // name -> vis id (rank in nodesArr)
  const adj = new Map();
  const types = new Map();
  nodesArr.forEach((n, i) => {
    byId.set(n.id, n);
    visId.set(n.id, i);
    adj.set(n.id, []);
  });
  const nameOf = (vid) => (typeof vid === "number" && vid >= 0 && vid < nodesArr.length ? nodesArr[vid].id : null);
  edgesArr.forEach((e) => {
    adj.get(e.from).push({ other: e.to, edge: e });
    adj.get(e.to).push({ other: e.from, edge: e });
  });
  adj.forEach((list) => list.sort((a, b) => b.edge.weight - a.edge.weight || cmp(a.other, b.other)));
  data.types.forEach((t) => types.set(t.key, t));

  // ---- page state ----
  const state = {
    limit: Math.min(meta.maxNodes, nodesArr.length),
    shown: new Set(), // node ids present in the network's DataSet
    edgeIn: new Set(), // edge ids present in the network's DataSet
    nodeHidden: new Map(),
    edgeHidden: new Map(),
    typeOn: new Map(),
    showReporters: true,
    minWeight: Math.min(1, meta.minWeight),
    highlighted: null,
    dimmed: false,
    afterLayout: null,
  };
  data.types.forEach((t) => state.typeOn.set(t.key, true));

  const $ = (id) => document.getElementById(id);

  function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function el(tag, opts, children) {
    const node = document.createElement(tag);
    if (opts) {
      if (opts.cls) node.className = opts.cls;
      if (opts.text !== undefined) node.textContent = String(opts.text);
      if (opts.title) node.title = String(opts.title); // a property: set as text
    }
    (children || []).forEach((c) => c && node.appendChild(c));
    return node;
  }

  function typeLabel(key) {
    const t = types.get(key);
    return t ? t.label : key;
  }

  // ---- tooltips: DOM elements (vis appends them), never HTML strings ----
  function nodeTip(n) {
    const parts = [typeLabel(n.kind), "提及 mentions " + n.info.mentions, "文章 articles " + n.info.articles];
    const tip = el("div", { cls: "kg-tip" }, [el("strong", { text: n.id }), el("div", { cls: "sub", text: parts.join(" · ") })]);
    if (n.info.aliases.length) {
      tip.appendChild(el("div", { cls: "sub", text: "别名 aka: " + n.info.aliases.slice(0, 5).join("、") }));
    }
    return tip;
  }

  function edgeTip(e) {
    return el("div", { cls: "kg-tip" }, [
      el("strong", { text: e.from + " — " + e.to }),
      el("div", { cls: "sub", text: "权重 weight " + e.weight + " · 文章 articles " + e.articles + " · 句 sentences " + e.sentences }),
    ]);
  }

  function isNodeHidden(n) {
    if (n.kind === REPORTER) return !state.showReporters;
    return state.typeOn.get(n.kind) === false;
  }

  function isEdgeHidden(e) {
    return e.weight < state.minWeight || state.nodeHidden.get(e.from) === true || state.nodeHidden.get(e.to) === true;
  }

  function nodeItem(n, pos) {
    const hidden = isNodeHidden(n);
    state.nodeHidden.set(n.id, hidden);
    const item = { id: visId.get(n.id), label: n.label, shape: n.shape, color: n.color, size: n.size, title: nodeTip(n), hidden: hidden };
    if (state.dimmed) {
      item.color = DIM_NODE;
      item.font = { color: DIM_FONT };
    }
    if (pos) {
      item.x = pos.x;
      item.y = pos.y;
    }
    return item;
  }

  function edgeItem(e) {
    const hidden = isEdgeHidden(e);
    state.edgeHidden.set(e.id, hidden);
    const item = { id: e.id, from: visId.get(e.from), to: visId.get(e.to), width: e.width, title: edgeTip(e), hidden: hidden };
    if (state.dimmed) item.color = DIM_EDGE;
    return item;
  }

  // Edges whose both ends are now shown and which are not in the network yet.
  function pendingEdges(ids) {
    const out = [];
    ids.forEach((id) => {
      adj.get(id).forEach(({ other, edge }) => {
        if (state.shown.has(other) && !state.edgeIn.has(edge.id)) {
          state.edgeIn.add(edge.id);
          out.push(edgeItem(edge));
        }
      });
    });
    return out;
  }

  // ---- build the network ----
  const initial = nodesArr.slice(0, state.limit);
  initial.forEach((n) => state.shown.add(n.id));
  const nodes = new vis.DataSet(initial.map((n) => nodeItem(n)));
  const edges = new vis.DataSet(pendingEdges(initial.map((n) => n.id)));
  timings.datasets = performance.now();
  const network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, data.options);
  timings.network = performance.now();

  const api = {
    network: network,
    nodes: nodes,
    edges: edges,
    data: data,
    timings: timings,
    totalNodes: nodesArr.length,
    totalEdges: edgesArr.length,
    ready: false,
    nodesShown: () => nodes.get({ filter: (n) => !n.hidden }).length,
    edgesShown: () => edges.get({ filter: (e) => !e.hidden }).length,
    search: search,
    showMore: showMore,
    openNode: focusNode,
    openEdge: showEdgePanel,
    setTypeVisible: setTypeVisible,
    setReportersVisible: setReportersVisible,
    setMinWeight: setMinWeight,
    edgeId: (a, b) => {
      const hit = (adj.get(a) || []).find((x) => x.other === b);
      return hit ? hit.edge.id : null;
    },
    // vis ids are ranks, not names: these translate for tests and tools.
    visId: (name) => (visId.has(name) ? visId.get(name) : null),
    nameOf: nameOf,
    node: (name) => (visId.has(name) ? nodes.get(visId.get(name)) : null),
    shownNames: () => nodes.getIds().map(nameOf),
    selectedNames: () => network.getSelectedNodes().map(nameOf),
    position: (name) => (visId.has(name) ? network.getPositions([visId.get(name)])[visId.get(name)] : null),
  };
  window.kgPage = api;

  function setReady(ready) {
    api.ready = ready;
    document.body.dataset.ready = ready ? "1" : "0";
    $("show-more").disabled = !ready;
  }

  // Physics only runs for a bounded stabilisation, then is switched off for
  // good: big graphs would otherwise keep jiggling (and burning CPU) forever.
  network.on("stabilizationIterationsDone", () => {
    timings.stabilized = performance.now();
    network.setOptions({ physics: { enabled: false } });
    const after = state.afterLayout;
    state.afterLayout = null;
    if (after) after();
    // Ready once the settled layout has actually been painted.
    network.once("afterDrawing", () => {
      timings.drawn = performance.now();
      setReady(true);
    });
    network.redraw();
  });
  if (initial.length === 0) setTimeout(() => setReady(true), 0);

  // ---- filters ----
  function applyFilters() {
    const nodeUpd = [];
    state.shown.forEach((id) => {
      const hidden = isNodeHidden(byId.get(id));
      if (state.nodeHidden.get(id) !== hidden) {
        state.nodeHidden.set(id, hidden);
        nodeUpd.push({ id: visId.get(id), hidden: hidden });
      }
    });
    const edgeUpd = [];
    state.edgeIn.forEach((eid) => {
      const hidden = isEdgeHidden(edgesArr[eid]);
      if (state.edgeHidden.get(eid) !== hidden) {
        state.edgeHidden.set(eid, hidden);
        edgeUpd.push({ id: eid, hidden: hidden });
      }
    });
    if (nodeUpd.length) nodes.update(nodeUpd);
    if (edgeUpd.length) edges.update(edgeUpd);
    updateStatus();
  }

  function setTypeVisible(key, on) {
    state.typeOn.set(key, !!on);
    const box = document.querySelector('#legend input[data-type="' + CSS.escape(key) + '"]');
    if (box) box.checked = !!on;
    applyFilters();
  }

  function setReportersVisible(on) {
    state.showReporters = !!on;
    $("show-reporters").checked = !!on;
    applyFilters();
  }

  function setMinWeight(w) {
    state.minWeight = Number(w);
    $("min-weight").value = String(state.minWeight);
    $("min-weight-value").textContent = String(state.minWeight);
    applyFilters();
  }

  function buildControls() {
    const legend = $("legend");
    data.types.forEach((t) => {
      const sym = el("span", { cls: "sym", text: t.symbol });
      sym.style.color = t.color;
      if (t.key === REPORTER) {
        const toggle = $("reporter-toggle");
        toggle.insertBefore(sym, toggle.lastChild);
        toggle.appendChild(el("span", { cls: "count", text: " (" + t.count + ")" }));
        toggle.hidden = false;
        return;
      }
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.type = t.key;
      box.addEventListener("change", () => setTypeVisible(t.key, box.checked));
      const label = el("label", null, [box, sym, el("span", { text: t.label }), el("span", { cls: "count", text: " (" + t.count + ")" })]);
      legend.appendChild(el("li", null, [label]));
    });
    $("show-reporters").addEventListener("change", (ev) => setReportersVisible(ev.target.checked));

    const slider = $("min-weight");
    slider.min = String(state.minWeight);
    slider.max = String(Math.max(state.minWeight, meta.maxWeight));
    slider.step = String(meta.weightStep);
    if (meta.weighting === "npmi") $("min-weight-label").textContent = "最小 NPMI Min edge NPMI";
    slider.value = String(state.minWeight);
    $("min-weight-value").textContent = String(state.minWeight);
    slider.addEventListener("input", () => setMinWeight(slider.value));

    const list = $("search-names");
    const seen = new Set();
    nodesArr.forEach((n) => {
      [n.id].concat(n.info.aliases).forEach((name) => {
        if (seen.has(name)) return;
        seen.add(name);
        const opt = el("option");
        opt.value = name;
        list.appendChild(opt);
      });
    });
    $("search-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      search($("search").value);
    });
    $("search").addEventListener("input", (ev) => {
      const q = ev.target.value.trim();
      if (!q) clearHighlight();
      else if (byId.has(q) || seen.has(q)) search(q); // picked from the list
    });
    $("show-more").addEventListener("click", () => showMore());
    $("panel-close").addEventListener("click", () => {
      $("panel").hidden = true;
    });
  }

  function updateStatus() {
    const total = meta.totalNodes || nodesArr.length;
    const n = state.shown.size;
    let text = "显示 " + n + " / " + total + " 个节点 · showing " + n + " of " + total + " nodes";
    if (nodesArr.length < total) text += " (this page holds the top " + nodesArr.length + "; graph.json has all)";
    if (meta.edgesTrimmed && n > meta.maxNodes) text += " · nodes past the first " + meta.maxNodes + " bring their strongest links only";
    const hidden = n - api.nodesShown();
    if (hidden > 0) text += " (" + hidden + " filtered out)";
    $("status").textContent = text;
    $("show-more").hidden = n >= nodesArr.length;
  }

  // ---- adding nodes beyond the initial top-N ----
  // New nodes start next to their strongest already-placed neighbour, so a
  // short stabilisation (old nodes pinned) is enough to fit them in.
  function placeNear(ids) {
    const placed = network.getPositions(); // keyed by vis id
    const pos = new Map();
    let radius = 100;
    Object.keys(placed).forEach((k) => {
      pos.set(nameOf(Number(k)), placed[k]);
      radius = Math.max(radius, Math.abs(placed[k].x), Math.abs(placed[k].y));
    });
    const out = new Map();
    ids.forEach((id, i) => {
      const angle = (state.shown.size + i) * 2.399963; // golden angle: spread, deterministic
      const anchor = adj.get(id).map((x) => pos.get(x.other) || out.get(x.other)).find(Boolean);
      if (anchor) {
        const r = 40 + (i % 5) * 12;
        out.set(id, { x: anchor.x + r * Math.cos(angle), y: anchor.y + r * Math.sin(angle) });
      } else {
        const r = radius * 1.1 + (i % 7) * 20;
        out.set(id, { x: r * Math.cos(angle), y: r * Math.sin(angle) });
      }
    });
    return out;
  }

  function addNodes(ids) {
    const fresh = ids.filter((id) => !state.shown.has(id));
    if (!fresh.length) return [];
    const pos = placeNear(fresh);
    fresh.forEach((id) => state.shown.add(id));
    nodes.add(fresh.map((id) => nodeItem(byId.get(id), pos.get(id))));
    edges.add(pendingEdges(fresh));
    // New neighbours of the highlighted node must not arrive dimmed.
    if (state.highlighted !== null) highlight(state.highlighted);
    return fresh;
  }

  function showMore(count) {
    const step = count || meta.maxNodes;
    const ids = [];
    for (let i = 0; i < nodesArr.length && ids.length < step; i++) {
      if (!state.shown.has(nodesArr[i].id)) ids.push(nodesArr[i].id);
    }
    if (!ids.length) return 0;
    const old = Array.from(state.shown);
    addNodes(ids);
    state.limit = state.shown.size;
    updateStatus();
    setReady(false);
    nodes.update(old.map((id) => ({ id: visId.get(id), fixed: true })));
    // Same precision trade-off as the initial layout, for the new size.
    network.setOptions({ physics: { enabled: false, forceAtlas2Based: { theta: state.shown.size > meta.preciseMax ? 1.0 : 0.5 } } });
    state.afterLayout = () => nodes.update(old.map((id) => ({ id: visId.get(id), fixed: false })));
    network.stabilize(meta.moreIterations);
    return ids.length;
  }

  // Make sure a node (picked by search or from a panel) is in the network and visible.
  function reveal(id) {
    const n = byId.get(id);
    if (!state.shown.has(id)) {
      addNodes([id]);
      updateStatus();
    }
    if (n.kind === REPORTER && !state.showReporters) setReportersVisible(true);
    else if (state.typeOn.get(n.kind) === false) setTypeVisible(n.kind, true);
  }

  // ---- highlight a neighbourhood by dimming everything else ----
  function highlight(id) {
    const keep = new Set([id]);
    adj.get(id).forEach((x) => keep.add(x.other));
    const nodeUpd = [];
    state.shown.forEach((nid) => {
      const n = byId.get(nid);
      nodeUpd.push(
        keep.has(nid) ? { id: visId.get(nid), color: n.color, font: { color: FONT } } : { id: visId.get(nid), color: DIM_NODE, font: { color: DIM_FONT } }
      );
    });
    const edgeUpd = [];
    state.edgeIn.forEach((eid) => {
      const e = edgesArr[eid];
      edgeUpd.push({ id: eid, color: e.from === id || e.to === id ? EDGE_COLOR : DIM_EDGE });
    });
    nodes.update(nodeUpd);
    edges.update(edgeUpd);
    state.highlighted = id;
    state.dimmed = true;
  }

  function clearHighlight() {
    if (!state.dimmed) return;
    const nodeUpd = [];
    state.shown.forEach((nid) => nodeUpd.push({ id: visId.get(nid), color: byId.get(nid).color, font: { color: FONT } }));
    const edgeUpd = [];
    state.edgeIn.forEach((eid) => edgeUpd.push({ id: eid, color: EDGE_COLOR }));
    nodes.update(nodeUpd);
    edges.update(edgeUpd);
    state.highlighted = null;
    state.dimmed = false;
  }

  // ---- search ----
  function findNode(query) {
    const q = String(query || "").trim();
    if (!q) return null;
    if (byId.has(q)) return q;
    const ql = q.toLowerCase();
    const tests = [
      (n) => n.info.aliases.includes(q),
      (n) => n.id.toLowerCase() === ql || n.info.aliases.some((a) => a.toLowerCase() === ql),
      (n) => n.id.toLowerCase().includes(ql),
      (n) => n.info.aliases.some((a) => a.toLowerCase().includes(ql)),
    ];
    for (const test of tests) {
      const hit = nodesArr.find(test); // rank order: the most connected match wins
      if (hit) return hit.id;
    }
    return null;
  }

  function search(query) {
    const id = findNode(query);
    $("search-msg").textContent = id || !String(query || "").trim() ? "" : "未找到 not found";
    if (id === null) {
      clearHighlight();
      return null;
    }
    focusNode(id, true);
    return id;
  }

  function focusNode(id, move) {
    if (!byId.has(id)) return;
    reveal(id);
    network.selectNodes([visId.get(id)]);
    highlight(id);
    if (move !== false) {
      network.focus(visId.get(id), { scale: Math.max(network.getScale(), 1), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    }
    showNodePanel(id);
  }

  // ---- side panel ----
  function openPanel(children) {
    const body = $("panel-body");
    body.replaceChildren(...children);
    $("panel").hidden = false;
    $("panel").scrollTop = 0;
  }

  function nodeLink(id, text) {
    const b = el("button", { cls: "link", text: text });
    b.type = "button";
    b.addEventListener("click", () => focusNode(id, true));
    return b;
  }

  function showNodePanel(id) {
    const n = byId.get(id);
    const badge = el("span", { cls: "type", text: typeLabel(n.kind) });
    badge.style.background = n.color;
    const neighbours = adj.get(id);
    const wdeg = n.wdeg;
    const parts = [
      el("h2", { text: n.id }),
      badge,
      el("p", {
        cls: "counts",
        text: "提及 mentions " + n.info.mentions + " · 文章 articles " + n.info.articles + " · 关系 links " + neighbours.length + " · 权重 weighted degree " + wdeg,
      }),
    ];
    if (n.info.titles.length) {
      parts.push(el("h3", { text: "职务 Titles" }));
      parts.push(
        el(
          "ul",
          null,
          n.info.titles.map(([title, sources]) =>
            el("li", null, [
              el("span", { text: title }),
              sources.length
                ? el(
                    "ul",
                    null,
                    sources.map(([aid, atitle, adate]) => el("li", { cls: "src", text: whereText(adate, atitle, aid), title: aid }))
                  )
                : null,
            ])
          )
        )
      );
    }
    if (n.info.aliases.length) {
      parts.push(el("h3", { text: "别名 Aliases" }));
      parts.push(el("p", { text: n.info.aliases.join("、") }));
    }
    parts.push(el("h3", { text: "关联 Neighbours (" + neighbours.length + ")" }));
    parts.push(
      el(
        "ol",
        null,
        neighbours.map(({ other, edge }) =>
          el("li", null, [nodeLink(other, other), el("span", { cls: "muted", text: " ×" + edge.weight + (state.shown.has(other) ? "" : " (not shown)") })])
        )
      )
    );
    openPanel(parts);
  }

  function termsOf(id, cls) {
    const n = byId.get(id);
    return [id].concat(n.info.aliases).filter(Boolean).map((t) => ({ t: t, cls: cls }));
  }

  // Wrap every occurrence of a term in <mark>; longest term first at each spot.
  function markedSentence(text, terms) {
    const p = el("p", { cls: "sentence" });
    let buf = "";
    let i = 0;
    const flush = () => {
      if (buf) p.appendChild(document.createTextNode(buf));
      buf = "";
    };
    while (i < text.length) {
      const hit = terms.find((x) => text.startsWith(x.t, i));
      if (hit) {
        flush();
        const m = document.createElement("mark");
        m.className = hit.cls;
        m.textContent = hit.t;
        p.appendChild(m);
        i += hit.t.length;
      } else {
        buf += text[i];
        i += 1;
      }
    }
    flush();
    return p;
  }

  // Where a sentence comes from, as a reader names it: date and headline
  // (the article id only when there is no headline).
  function whereText(date, headline, aid) {
    const head = headline ? "《" + headline + "》" : aid ? "[" + aid + "]" : "(untitled)";
    return date ? date + " " + head : head;
  }

  function showEdgePanel(eid) {
    const e = edgesArr[eid];
    if (!e) return;
    const terms = termsOf(e.from, "a")
      .concat(termsOf(e.to, "b"))
      .sort((x, y) => y.t.length - x.t.length);
    const parts = [
      el("h2", null, [nodeLink(e.from, e.from), document.createTextNode(" — "), nodeLink(e.to, e.to)]),
      el("p", { cls: "counts", text: "共同文章 shared articles " + e.articles + " · 共同句子 shared sentences " + e.sentences + (meta.weighting === "npmi" ? " · NPMI " + e.weight : "") }),
    ];
    if (e.ev == null) {
      // Beyond the opening top N the page does not carry evidence (size).
      parts.push(el("p", { cls: "muted", text: "证据未嵌入本页 Evidence for this edge is in graph.json (or rebuild with a larger --max-nodes)." }));
      openPanel(parts);
      return;
    }
    parts.push(el("h3", { text: "证据 Evidence (" + e.ev.length + ")" }));
    e.ev.forEach((ref) => {
      const [ai, sentence] = data.evidence[ref];
      const [aid, atitle, adate, file] = data.articles[ai];
      const where = [whereText(adate, atitle, ""), file].filter(Boolean).join(" · ");
      parts.push(el("div", { cls: "evidence" }, [markedSentence(sentence, terms), el("div", { cls: "meta", text: where, title: aid })]));
    });
    if (!e.ev.length) parts.push(el("p", { cls: "muted", text: "(no evidence stored)" }));
    openPanel(parts);
  }

  network.on("click", (params) => {
    if (params.nodes.length) {
      focusNode(nameOf(params.nodes[0]), false);
    } else if (params.edges.length) {
      clearHighlight();
      showEdgePanel(params.edges[0]);
    } else {
      clearHighlight();
    }
  });

  buildControls();
  updateStatus();
})();
