// annals desk: a small single-page UI over the JSON API. No dependencies.
// Every piece of text from the store goes into the page as a text node (textContent):
// never as HTML, so an article holding "<script>" or "onerror=" shows as plain text.
"use strict";

// ---------- DOM helpers ----------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "onclick") el.addEventListener("click", v);
    else if (k === "onsubmit") el.addEventListener("submit", v);
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}
function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const SVGNS = "http://www.w3.org/2000/svg";
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "onclick") el.addEventListener("click", v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const main = () => document.getElementById("main");
function show(...nodes) {
  const m = main();
  m.replaceChildren();
  append(m, nodes);
}
function link(hash, text, attrs) { return h("a", Object.assign({ href: hash }, attrs || {}), text); }
const enc = (x) => encodeURIComponent(x);

// ---------- API ----------
async function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const url = path + (q.toString() ? "?" + q : "");
  const r = await fetch(url, { headers: { accept: "application/json" } });
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    const e = new Error((body && body.error && body.error.message) || r.statusText);
    e.code = body && body.error && body.error.code;
    throw e;
  }
  return body;
}

// ---------- names and small renderers ----------
let NAMES = {};
const nameOf = (id) => (id ? NAMES[id] || id : "—");
function actorLink(id) {
  return id ? link("#/actor/" + enc(id), nameOf(id), { class: "actor-link" }) : h("span", { class: "muted" }, "unknown");
}
const QUAD = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
const QUAD_COLOR = { 1: "#7bbf6a", 2: "#2e8540", 3: "#e67e22", 4: "#c0392b" };
function quadTag(q) { return h("span", { class: "tag q" + q }, QUAD[q] || "uncoded"); }
function docMeta(d) {
  return h("span", { class: "meta" }, [d.published ? d.published.slice(0, 10) : "undated", d.outlet ? " · " + d.outlet : ""]);
}
function evidenceHash(m) {
  const p = new URLSearchParams();
  if (m.start != null) { p.set("s", m.start); p.set("e", m.end); }
  if (m.action_start != null) { p.set("as", m.action_start); p.set("ae", m.action_end); }
  return "#/doc/" + enc(m.doc) + "?" + p;
}
function quoteHash(q) {
  const p = new URLSearchParams({ qs: q.start, qe: q.end });
  if (q.place) p.set("place", q.place);
  return "#/doc/" + enc(q.doc) + "?" + p;
}
function eventLine(e) {
  return [
    h("span", { class: "meta" }, (e.date || "undated") + " "),
    actorLink(e.source), " ",
    h("strong", {}, e.action || e.cameo), " ",
    e.target ? actorLink(e.target) : null, " ",
    h("span", { class: "tag" }, "CAMEO " + e.cameo), quadTag(e.quad_class),
  ];
}
function eventItem(e) {
  return h("li", { class: "event-row", "data-event": e.id },
    h("div", {}, eventLine(e)),
    h("div", { class: "meta" }, (e.mentions || []).length + " report(s): ",
      (e.mentions || []).map((m, i) => [i ? ", " : "", link(evidenceHash(m), "evidence in " + m.doc, { class: "evidence-link" })])));
}
function quoteItem(q, extra) {
  return h("li", { class: "quote-item" },
    h("blockquote", {}, q.text),
    h("div", { class: "meta" },
      q.speaker ? ["— ", actorLink(q.speaker), " "] : "— unattributed ",
      q.cue ? "(" + q.cue + ") " : "", q.direct ? "" : "[reported] ",
      extra || "", " ", link(quoteHash(q), "evidence", { class: "evidence-link" })));
}
function errorBox(err) {
  return h("div", { class: "error", "data-code": err.code || "" }, (err.code ? err.code + ": " : "") + err.message);
}
function pager(total, shown) {
  return total > shown ? h("p", { class: "meta" }, "Showing " + shown + " of " + total + ".") : null;
}

// ---------- article with highlights ----------
// ranges: {start, end, cls, title, href} in UTF-8 byte offsets of `text`.
function article(text, ranges) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const cuts = new Set([0, bytes.length]);
  const ok = ranges.filter((r) => r.start >= 0 && r.end <= bytes.length && r.start < r.end);
  ok.forEach((r) => { cuts.add(r.start); cuts.add(r.end); });
  const pts = [...cuts].sort((a, b) => a - b);
  const el = h("div", { class: "article" });
  let focus = null;
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i], b = pts[i + 1];
    const piece = dec.decode(bytes.subarray(a, b));
    const cover = ok.filter((r) => r.start <= a && r.end >= b);
    if (!cover.length) { el.appendChild(document.createTextNode(piece)); continue; }
    const withHref = cover.find((r) => r.href);
    const span = h(withHref ? "a" : "span", { href: withHref && withHref.href });
    span.className = [...new Set(cover.map((r) => r.cls))].join(" ");
    const titles = cover.map((r) => r.title).filter(Boolean);
    if (titles.length) span.title = titles.join(" · ");
    span.textContent = piece;
    if (!focus && cover.some((r) => r.focus)) focus = span;
    el.appendChild(span);
  }
  return { el, focus };
}

// ---------- SVG charts ----------
function dayNum(d) { const t = Date.parse(d.slice(0, 10) + "T00:00:00Z"); return isNaN(t) ? null : t / 864e5; }
function timeline(events, onPick) {
  const dated = events.filter((e) => e.date && dayNum(e.date) !== null);
  if (!dated.length) return h("p", { class: "muted" }, "No dated events to place on a timeline.");
  const W = 900, pad = 40;
  const xs = dated.map((e) => dayNum(e.date));
  let lo = Math.min(...xs), hi = Math.max(...xs);
  if (hi - lo < 2) { lo -= 3; hi += 3; }
  const x = (d) => pad + ((d - lo) / (hi - lo)) * (W - 2 * pad);
  // events stack up in columns of BIN pixels (days too close to tell apart share one),
  // so no dot covers another; the chart grows with the highest stack
  const BIN = 12;
  const col = (e) => Math.floor(x(dayNum(e.date)) / BIN);
  const per = {};
  dated.forEach((e) => { const k = col(e); per[k] = (per[k] || 0) + 1; });
  const tallest = Math.max(...Object.values(per));
  const step = Math.max(8, Math.min(12, 300 / tallest));
  const r = Math.min(BIN / 2 - 1, (step - 2) / 2);
  const H = 50 + step * tallest + 10;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-label": "Timeline of events", class: "timeline" });
  svg.appendChild(s("line", { x1: pad, x2: W - pad, y1: H - 30, y2: H - 30, stroke: "#99a" }));
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const d = lo + ((hi - lo) * i) / ticks;
    const iso = new Date(d * 864e5).toISOString().slice(0, 10);
    svg.appendChild(s("line", { x1: x(d), x2: x(d), y1: H - 30, y2: H - 25, stroke: "#99a" }));
    svg.appendChild(s("text", { x: x(d), y: H - 12, "text-anchor": "middle" }, iso));
  }
  const stack = {};
  dated.forEach((e) => {
    const k = col(e);
    const n = (stack[k] = (stack[k] || 0) + 1);
    const c = s("circle", { cx: (k + 0.5) * BIN, cy: H - 30 - step * n, r, fill: QUAD_COLOR[e.quad_class] || "#889", stroke: "#fff", class: "node tl-event", "data-event": e.id, tabindex: 0, onclick: () => onPick(e) },
      s("title", {}, `${e.date} ${nameOf(e.source)} ${e.action} ${e.target ? nameOf(e.target) : ""} (CAMEO ${e.cameo})`));
    svg.appendChild(c);
  });
  return h("div", { class: "chart" }, svg, legend());
}
function legend() {
  return h("div", { class: "legend" }, Object.entries(QUAD).map(([q, t]) => h("span", {}, h("i", { class: "sw q" + q }), t)));
}
function coopChart(series) {
  if (!series.length) return h("p", { class: "muted" }, "No dated events for a chart.");
  const W = Math.max(360, series.length * 46 + 60), H = 190, mid = 95, pad = 40;
  const max = Math.max(1, ...series.map((m) => Math.max(m.cooperation, m.conflict)));
  const bw = Math.min(30, (W - 2 * pad) / series.length - 6);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, width: Math.min(W, 900), role: "img", "aria-label": "Cooperation and conflict by month", class: "coop-chart" });
  svg.appendChild(s("line", { x1: pad - 5, x2: W - pad + 5, y1: mid, y2: mid, stroke: "#99a" }));
  svg.appendChild(s("text", { x: 4, y: 20 }, "cooperation"));
  svg.appendChild(s("text", { x: 4, y: H - 28 }, "conflict"));
  series.forEach((m, i) => {
    const cx = pad + i * ((W - 2 * pad) / series.length) + bw / 2 + 3;
    const up = (m.cooperation / max) * (mid - 25), down = (m.conflict / max) * (mid - 35);
    svg.appendChild(s("rect", { x: cx - bw / 2, y: mid - up, width: bw, height: up, fill: "#2e8540" }, s("title", {}, `${m.month}: ${m.cooperation} cooperative`)));
    svg.appendChild(s("rect", { x: cx - bw / 2, y: mid, width: bw, height: down, fill: "#c0392b" }, s("title", {}, `${m.month}: ${m.conflict} conflictual`)));
    if (m.cooperation) svg.appendChild(s("text", { x: cx, y: mid - up - 3, "text-anchor": "middle" }, m.cooperation));
    if (m.conflict) svg.appendChild(s("text", { x: cx, y: mid + down + 11, "text-anchor": "middle" }, m.conflict));
    svg.appendChild(s("text", { x: cx, y: H - 6, "text-anchor": "middle" }, m.month));
  });
  return h("div", { class: "chart" }, svg);
}
function relationGraph(center, partners) {
  if (!partners.length) return h("p", { class: "muted" }, "No events or relations with other actors yet.");
  const W = 520, H = 380, cx = W / 2, cy = H / 2, R = 140;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-label": "Relation graph", class: "relation-graph" });
  const n = partners.length;
  const maxw = Math.max(1, ...partners.map((p) => p.cooperation + p.conflict));
  partners.forEach((p, i) => {
    const a = (2 * Math.PI * i) / n - Math.PI / 2;
    const x = cx + R * Math.cos(a), y = cy + R * Math.sin(a);
    const color = p.conflict > p.cooperation ? "#c0392b" : p.cooperation > 0 ? "#2e8540" : "#8893a6";
    const w = 1.5 + (4 * (p.cooperation + p.conflict)) / maxw;
    svg.appendChild(s("line", { x1: cx, y1: cy, x2: x, y2: y, stroke: color, "stroke-width": w, "stroke-opacity": 0.75 },
      s("title", {}, `${p.name}: ${p.cooperation} cooperative, ${p.conflict} conflictual${p.relations.length ? "; " + p.relations.join(", ") : ""}`)));
    const g = s("g", { class: "node partner", "data-actor": p.id, onclick: () => { location.hash = "#/actor/" + enc(p.id); } });
    g.appendChild(s("circle", { cx: x, cy: y, r: 9, fill: "#fff", stroke: color, "stroke-width": 2 }));
    g.appendChild(s("text", { x: x, y: y + (y > cy ? 22 : -14), "text-anchor": "middle" }, p.name));
    svg.appendChild(g);
  });
  svg.appendChild(s("circle", { cx, cy, r: 14, fill: "#2457a6" }));
  svg.appendChild(s("text", { x: cx, y: cy - 20, "text-anchor": "middle", "font-weight": 700 }, center));
  return h("div", { class: "chart" }, svg,
    h("div", { class: "legend" }, h("span", {}, "green: mostly cooperation"), h("span", {}, "red: mostly conflict"), h("span", {}, "grey: relation only")));
}

// ---------- pages ----------
async function pageHome() {
  const [stories, status] = await Promise.all([api("/api/stories"), api("/api/status")]);
  const head = h("p", { class: "meta", id: "status" },
    `${status.documents} documents · ${status.actors} actors · ${status.quotes} quotes · ${status.events} events · ${status.stories} stories`,
    status.events_stale ? " · events not merged yet: run annals ingest again to finish" : "");
  if (!stories.length) {
    const docs = await api("/api/documents", { limit: 50 });
    return show(h("h1", {}, "Stories"), head,
      h("p", { class: "muted" }, "This store has no stories yet. Its documents:"),
      docList(docs));
  }
  show(h("h1", {}, "Stories"), head,
    h("ul", { class: "list", id: "stories" }, stories.map((st) => h("li", { class: "story-item" },
      link("#/story/" + enc(st.id), st.title || st.id), " ",
      h("span", { class: "meta" }, `${st.documents} documents`, st.first ? ` · ${st.first}${st.last && st.last !== st.first ? " – " + st.last : ""}` : "")))));
}
function docList(page) {
  return [h("ul", { class: "list documents" }, page.items.map((d) => h("li", { class: "doc-item" },
    link("#/doc/" + enc(d.id), d.title || d.id), " ", docMeta(d)))), pager(page.total, page.items.length)];
}
async function pageDocuments(params) {
  const f = { outlet: params.get("outlet"), from: params.get("from"), to: params.get("to"), actor: params.get("actor"), limit: 100 };
  const page = await api("/api/documents", f);
  show(h("h1", {}, "Documents"), filterForm("#/documents", [["outlet", "Outlet"], ["from", "From (YYYY-MM-DD)"], ["to", "To"], ["actor", "Actor id"]], params), docList(page));
}
function filterForm(base, fields, params) {
  const inputs = fields.map(([k, label]) => h("label", {}, label, h("input", { name: k, value: params.get(k) || "" })));
  return h("form", { class: "filters", onsubmit: (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    new FormData(ev.target).forEach((v, k) => { if (v) p.set(k, v); });
    location.hash = base + "?" + p;
  } }, inputs, h("button", { type: "submit" }, "Filter"));
}
async function pageStory(id) {
  const p = await api("/api/stories/" + enc(id));
  NAMES = p.names || {};
  const detail = h("div", { id: "event-detail" });
  const pick = (e) => { detail.replaceChildren(h("h2", {}, "Event"), h("ul", { class: "list" }, eventItem(e))); };
  const summary = (p.summary || []).length
    ? h("div", { class: "card summary" }, h("ul", { class: "summary-sentences" }, p.summary.map((x) => h("li", {}, x.sentence, " ",
        x.doc ? link(evidenceHash(x), "(" + x.doc + ")", { class: "evidence-link" }) : null))))
    : p.lead ? h("div", { class: "card summary" }, h("div", { class: "meta" }, "From the first report (", link("#/doc/" + enc(p.lead.doc), p.lead.doc), "):"), p.lead.text)
    : null;
  const st = p.story;
  const dates = (st.date_range || []).length ? (st.date_range[0] === st.date_range[1] ? st.date_range[0] : st.date_range.join(" – ")) : null;
  show(h("h1", {}, st.title || st.id),
    h("p", { class: "meta", id: "story-meta" }, [dates ? dates + " · " : "", `${p.documents.length} documents · ${p.timeline.length} events`,
      (st.outlets || []).length ? " · " + st.outlets.join(", ") : "", (st.copies || []).length ? ` · ${st.copies.length} near-copies` : ""]),
    summary,
    h("h2", {}, "Timeline"), timeline(p.timeline, pick), detail,
    h("h2", {}, "Events"), p.timeline.length ? h("ul", { class: "list", id: "timeline-events" }, p.timeline.map(eventItem)) : h("p", { class: "muted" }, "No events."),
    h("h2", {}, "Documents"), docList({ total: p.documents.length, items: p.documents }));
}
async function pageDoc(id, params) {
  const p = await api("/api/documents/" + enc(id));
  NAMES = p.names || {};
  const d = p.document;
  const ranges = [];
  for (const m of p.mentions) if (!m.place) ranges.push({ start: m.start, end: m.end, cls: "mention", title: m.name, href: "#/actor/" + enc(m.actor) });
  for (const q of p.quotes) if (!q.place) {
    ranges.push({ start: q.start, end: q.end, cls: "quote", title: "quote" + (q.speaker ? " by " + nameOf(q.speaker) : "") });
    for (const c of q.continued || []) ranges.push({ start: c.start, end: c.end, cls: "quote" });
  }
  const num = (k) => (params.get(k) !== null && params.get(k) !== "" ? Number(params.get(k)) : null);
  let focusTitle = null;
  if (num("s") !== null) ranges.push({ start: num("s"), end: num("e"), cls: "evidence", focus: true, title: "evidence" });
  if (num("as") !== null) ranges.push({ start: num("as"), end: num("ae"), cls: "action", focus: true, title: "action" });
  if (num("qs") !== null) {
    if (params.get("place") === "title") focusTitle = [num("qs"), num("qe")];
    else if (!params.get("place")) ranges.push({ start: num("qs"), end: num("qe"), cls: "evidence focus", focus: true, title: "quoted" });
  }
  const body = article(d.body || "", ranges);
  const title = h("h1", { id: "doc-title" });
  if (focusTitle && d.title) {
    const t = article(d.title, [{ start: focusTitle[0], end: focusTitle[1], cls: "evidence focus", focus: true }]);
    t.el.className = "";
    append(title, [...t.el.childNodes]);
  } else title.textContent = d.title || d.id;
  show(title,
    h("p", { class: "meta" }, [d.published || "undated", d.outlet ? " · " + d.outlet : "", " · ", d.source, d.url ? [" · ", h("span", {}, d.url)] : ""]),
    p.stories.length ? h("p", {}, "Stories: ", p.stories.map((st, i) => [i ? ", " : "", link("#/story/" + enc(st.id), st.title)])) : null,
    h("div", { class: "cols" },
      h("div", {}, body.el),
      h("div", {},
        h("h2", {}, "Quotes"), p.quotes.length ? h("ul", { class: "list" }, p.quotes.map((q) => quoteItem(q, q.place ? "[" + q.place + "]" : ""))) : h("p", { class: "muted" }, "None."),
        h("h2", {}, "Events"), p.events.length ? h("ul", { class: "list" }, p.events.map(eventItem)) : h("p", { class: "muted" }, "None."))));
  if (body.focus) body.focus.scrollIntoView({ block: "center" });
}
async function pageActors(params) {
  const page = await api("/api/actors", { q: params.get("q"), type: params.get("type"), limit: 200 });
  show(h("h1", {}, "Actors"), filterForm("#/actors", [["q", "Name"], ["type", "Type"]], params),
    h("ul", { class: "list", id: "actors" }, page.items.map((a) => h("li", { class: "actor-item" },
      link("#/actor/" + enc(a.id), a.name), " ", h("span", { class: "tag" }, a.type), a.country ? h("span", { class: "tag" }, a.country) : null,
      h("span", { class: "meta" }, ` ${a.mentions} mentions in ${a.documents} documents`)))),
    pager(page.total, page.items.length));
}
async function pageActor(id) {
  const p = await api("/api/actors/" + enc(id));
  NAMES = p.names || {};
  const a = p.actor;
  NAMES[a.id] = a.name;
  show(h("h1", {}, a.name),
    h("p", {}, h("span", { class: "tag" }, a.type), a.country ? h("span", { class: "tag" }, a.country) : null, a.cameo ? h("span", { class: "tag" }, "CAMEO " + a.cameo) : null,
      h("span", { class: "meta" }, ` ${a.mentions} mentions`)),
    (a.roles || []).length ? h("p", {}, "Roles: " + a.roles.join("; ")) : null,
    (a.aliases || []).length ? h("p", { class: "meta" }, "Also written: " + a.aliases.join(", ")) : null,
    h("div", { class: "cols" },
      h("div", {}, h("h2", {}, "Cooperation and conflict over time"), coopChart(p.series)),
      h("div", {}, h("h2", {}, "Relations"), relationGraph(a.name, p.partners))),
    h("h2", {}, `Statements (${p.quotes.length})`),
    p.quotes.length ? h("ul", { class: "list", id: "actor-quotes" }, p.quotes.map((x) => quoteItem(x.quote, [x.published ? x.published.slice(0, 10) + " · " : "", x.title || x.quote.doc]))) : h("p", { class: "muted" }, "No quotes."),
    h("h2", {}, `Events (${p.events.length})`),
    p.events.length ? h("ul", { class: "list" }, p.events.map(eventItem)) : h("p", { class: "muted" }, "No events."),
    p.relations.length ? [h("h2", {}, "Relation records"), h("ul", { class: "list" }, p.relations.map((r) => h("li", {},
      actorLink(r.a), " ", h("strong", {}, r.relation), " ", actorLink(r.b), " ",
      (r.evidence || []).map((m, i) => [i ? ", " : "", link(evidenceHash(m), "evidence")]))))] : null,
    p.stances.length ? [h("h2", {}, "Stances"), h("ul", { class: "list" }, p.stances.map((st) => h("li", {},
      h("strong", {}, st.polarity), " on ", st.topic, " ",
      (st.evidence || []).map((m, i) => [i ? ", " : "", link(evidenceHash(m), "evidence")]))))] : null);
}
async function pageEvents(params) {
  const f = {}; for (const k of ["a", "b", "code", "from", "to", "story", "doc"]) f[k] = params.get(k);
  f.limit = 300;
  const page = await api("/api/events", f);
  const ids = new Set(); page.items.forEach((e) => { ids.add(e.source); ids.add(e.target); });
  show(h("h1", {}, "Events"),
    filterForm("#/events", [["a", "Actor id"], ["b", "Other actor id"], ["code", "CAMEO code"], ["from", "From"], ["to", "To"]], params),
    h("ul", { class: "list", id: "events" }, page.items.map(eventItem)), pager(page.total, page.items.length));
}
async function pageEvent(id) {
  const e = await api("/api/events/" + enc(id));
  show(h("h1", {}, "Event"), h("ul", { class: "list" }, eventItem(e)),
    h("h2", {}, "Reports"), h("ul", { class: "list" }, (e.mentions || []).map((m) => h("li", {}, h("blockquote", {}, m.sentence), link(evidenceHash(m), "open in " + m.doc, { class: "evidence-link" })))));
}
async function pageSearch(params) {
  const f = {}; for (const k of ["q", "kind", "actor", "speaker", "code", "from", "to", "story", "outlet"]) f[k] = params.get(k);
  f.limit = 50;
  document.getElementById("search-box").value = f.q || "";
  // the words may also name an actor, under any name the texts use ("Daesh")
  const words = (f.q || "").trim();
  const [r, actors] = await Promise.all([api("/api/search", f),
    words && words.length <= 200 ? api("/api/actors", { q: words, limit: 10 }) : { items: [] }]);
  NAMES = r.names || {};
  const form = filterForm("#/search", [["q", "Words"], ["actor", "Actor id"], ["speaker", "Speaker id"], ["code", "CAMEO code"], ["from", "From"], ["to", "To"], ["story", "Story id"], ["outlet", "Outlet"]], params);
  const kind = h("select", { name: "kind" }, ["all", "documents", "quotes"].map((k) => h("option", { value: k, selected: (f.kind || "all") === k }, k)));
  form.insertBefore(h("label", {}, "Kind", kind), form.lastChild);
  show(h("h1", {}, "Search"), form,
    actors.items.length ? [h("h2", {}, "Actors"), h("ul", { class: "list", id: "actor-hits" }, actors.items.map((a) => h("li", { class: "actor-item" },
      link("#/actor/" + enc(a.id), a.name), " ", h("span", { class: "tag" }, a.type), a.country ? h("span", { class: "tag" }, a.country) : null,
      h("span", { class: "meta" }, ` ${a.mentions} mentions in ${a.documents} documents`))))] : null,
    h("h2", {}, "Articles and quotes"),
    h("p", { class: "meta", id: "search-total" }, `${r.total} results`),
    h("ul", { class: "list", id: "results" }, r.hits.map((hit) => h("li", { class: "hit" },
      h("div", {}, h("span", { class: "tag" }, hit.kind), link(hit.quote ? quoteHash(hit.quote) : "#/doc/" + enc(hit.doc), hit.title || hit.doc)),
      h("div", { class: "snippet" }, hit.snippet.map((part) => (part.hit ? h("mark", {}, part.text) : part.text))),
      hit.quote && hit.quote.speaker ? h("div", { class: "meta" }, "— ", actorLink(hit.quote.speaker)) : null))));
}

// ---------- router ----------
async function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  try {
    if (!parts.length || parts[0] === "stories") await pageHome();
    else if (parts[0] === "story" && parts[1]) await pageStory(parts[1]);
    else if (parts[0] === "doc" && parts[1]) await pageDoc(parts[1], params);
    else if (parts[0] === "documents") await pageDocuments(params);
    else if (parts[0] === "actors") await pageActors(params);
    else if (parts[0] === "actor" && parts[1]) await pageActor(parts[1]);
    else if (parts[0] === "events") await pageEvents(params);
    else if (parts[0] === "event" && parts[1]) await pageEvent(parts[1]);
    else if (parts[0] === "search") await pageSearch(params);
    else show(h("h1", {}, "Not found"), h("p", {}, "No page here. ", link("#/", "Back to the stories.")));
  } catch (err) {
    show(errorBox(err));
  }
  document.body.dataset.ready = hash;
}
window.addEventListener("hashchange", route);
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = document.getElementById("search-box").value.trim();
    location.hash = "#/search?" + new URLSearchParams({ q });
  });
  route();
});
