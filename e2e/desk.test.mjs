// End-to-end tests of the annals desk in a real browser: playwright-core drives Debian's
// headless chromium against a running `annals serve`.
//
//   ANNALS_URL=http://127.0.0.1:PORT SCREENSHOT_DIR=shots node --test e2e/desk.test.mjs
//
// The store behind the server must hold the sample corpus (examples/seeds) as `annals
// ingest` stores it, with its stories, and the document `xss` (see
// crates/annals-cli/tests/browser.rs, which prepares all of this and runs this file).
// Without ANNALS_URL, chromium or playwright-core, every test is skipped with the reason;
// with the environment variable CI set, they fail instead.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";

const BASE = process.env.ANNALS_URL;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SCREENSHOT_DIR;

let skip = false;
if (!BASE) skip = "ANNALS_URL is not set: start `annals serve` and point ANNALS_URL at it";
else if (!existsSync(CHROMIUM)) skip = `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;
let chromium;
if (!skip) {
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    skip = "playwright-core is not installed (cd e2e && npm ci)";
  }
}
if (skip && process.env.CI) throw new Error(`browser tests cannot run in CI: ${skip}`);
if (skip) console.log(`# browser tests skipped: ${skip}`);

// Chromium's flags. playwright's launch adds --headless (headless: true) and a fresh,
// temporary --user-data-dir of its own (mkdtemp "playwright_chromiumdev_profile-…",
// removed when the browser closes; it refuses a --user-data-dir in `args`). The first
// test reads chrome://version to check both.
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let browser, page;
const errors = [];
before(async () => {
  if (skip) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => errors.push(String(e)));
  // a Content-Security-Policy violation or a failed load shows up as a console error
  page.on("console", (m) => { if (m.type() === "error") errors.push("console: " + m.text()); });
  page.on("dialog", async (d) => { errors.push("dialog: " + d.message()); await d.dismiss(); });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});
// the page as each test left it, passed or failed
afterEach(async (t) => {
  if (skip || !page || !SHOTS) return;
  const name = t.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
  await page.screenshot({ path: `${SHOTS}/end-${name}.png`, fullPage: true }).catch(() => {});
});
after(async () => { if (browser) await browser.close(); });

async function api(path) {
  const r = await fetch(BASE + path);
  assert.equal(r.status, 200, path);
  return r.json();
}
async function go(hash) {
  await page.goto(BASE + "/" + hash);
  await waitReady(hash);
}
async function waitReady(hash) {
  const want = hash.replace(/^#/, "") || "/";
  await page.waitForFunction((w) => document.body.dataset.ready === w, want, { timeout: 15000 });
}
async function shot(name) { if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true }); }

test("chromium runs headless with its flags and a fresh profile", { skip }, async () => {
  const p = await browser.newPage();
  await p.goto("chrome://version");
  const text = await p.locator("body").innerText();
  await p.close();
  for (const flag of ["--headless", ...FLAGS]) assert.ok(text.includes(flag), `${flag} in ${text}`);
  assert.match(text, /--user-data-dir=\S*playwright_chromiumdev_profile-/, "a temporary profile");
});

// The meeting of Obama and Putin at the United Nations on 28 September 2015, which two of
// the sample articles report.
const MEETING = (e) => e.date && e.date.startsWith("2015-09-28") && e.cameo.startsWith("04")
  && [e.source, e.target].includes("barack-obama") && [e.source, e.target].includes("vladimir-putin");

test("a story's timeline shows the 2015-09-28 meeting", { skip }, async () => {
  const stories = await api("/api/stories");
  assert.ok(stories.length > 1, "the analysis made stories");
  let story = null, meeting = null;
  for (const st of stories) {
    const p = await api("/api/stories/" + encodeURIComponent(st.id));
    meeting = p.timeline.find(MEETING);
    if (meeting) { story = p; break; }
  }
  assert.ok(meeting, "a story's timeline holds the meeting");
  assert.ok(meeting.mentions.length >= 2, "reported by more than one article");
  await go("#/");
  const item = page.locator("#stories .story-item a", { hasText: story.story.title });
  assert.equal(await item.count(), 1);
  await item.click();
  await waitReady("#/story/" + encodeURIComponent(story.story.id));
  assert.equal(await page.locator("h1").textContent(), story.story.title);
  assert.equal(await page.locator("#stories").count(), 0);
  // on the timeline: a dot on its day, titled with its date and actors
  const dot = page.locator(`svg.timeline circle.tl-event[data-event="${meeting.id}"]`);
  assert.equal(await dot.count(), 1, "the meeting is on the timeline");
  const title = await dot.locator("title").textContent();
  assert.ok(title.startsWith("2015-09-28") && title.includes("Barack Obama") && title.includes("Vladimir Putin"), title);
  const dated = story.timeline.filter((e) => e.date).length;
  assert.equal(await page.locator("svg.timeline circle.tl-event").count(), dated);
  // and in the list of events, with the action and both names
  const row = page.locator(`#timeline-events li[data-event="${meeting.id}"]`);
  const line = await row.textContent();
  assert.ok(line.includes("2015-09-28") && line.includes(meeting.action) && line.includes("Barack Obama") && line.includes("Vladimir Putin"), line);
  assert.equal(await page.locator("#timeline-events > li").count(), story.timeline.length);
  assert.equal(await page.locator(".summary").count(), 1, "a summary or the lead paragraph");
  assert.equal(await page.locator(".summary li").count(), story.summary.length);
  // the dot opens its event
  await dot.click();
  assert.equal(await page.locator(`#event-detail .event-row[data-event="${meeting.id}"]`).count(), 1);
  await shot("story");
});

test("an event's evidence is highlighted in the article", { skip }, async () => {
  const stories = await api("/api/stories");
  let story = null;
  for (const st of stories) {
    story = await api("/api/stories/" + encodeURIComponent(st.id));
    if (story.timeline.some(MEETING)) break;
  }
  const event = story.timeline.find(MEETING);
  const mention = event.mentions.find((m) => m.action_start != null);
  assert.ok(mention, "a report with its action words");
  await go("#/story/" + encodeURIComponent(story.story.id));
  const row = page.locator(`#timeline-events li[data-event="${event.id}"]`);
  await row.locator("a.evidence-link").nth(event.mentions.indexOf(mention)).click();
  await page.waitForSelector(".article .action");
  const action = (await page.locator(".article .action").allTextContents()).join("");
  assert.equal(action, mention.action, "the action words are marked");
  const sentence = (await page.locator(".article .evidence, .article .action").allTextContents()).join("");
  assert.equal(sentence.replace(/\s+/g, " ").trim(), mention.sentence.replace(/\s+/g, " ").trim(), "the whole sentence is marked");
  const box = await page.locator(".article .action").first().boundingBox();
  assert.ok(box && box.y >= 0 && box.y < 900, "scrolled into view");
  await shot("evidence");
});

test("an actor page shows quotes, a relation graph and a cooperation chart; a quote's evidence is highlighted", { skip }, async () => {
  const actors = (await api("/api/actors?limit=100")).items;
  let chosen = null;
  for (const a of actors) {
    const p = await api("/api/actors/" + encodeURIComponent(a.id));
    if (p.quotes.length && p.events.length) { chosen = p; break; }
  }
  assert.ok(chosen, "an actor with quotes and events");
  await go("#/actor/" + encodeURIComponent(chosen.actor.id));
  assert.equal(await page.locator("h1").textContent(), chosen.actor.name);
  assert.equal(await page.locator("#actor-quotes > li").count(), chosen.quotes.length);
  if (chosen.partners.length) {
    assert.equal(await page.locator("svg.relation-graph g.partner").count(), chosen.partners.length);
  }
  if (chosen.series.length) {
    assert.equal(await page.locator("svg.coop-chart rect").count(), chosen.series.length * 2);
  }
  await shot("actor");
  const q = chosen.quotes.find((x) => !x.quote.place) || chosen.quotes[0];
  const i = chosen.quotes.indexOf(q);
  await page.locator("#actor-quotes > li").nth(i).locator("a.evidence-link").click();
  await page.waitForSelector(".focus");
  const marked = (await page.locator(".focus").allTextContents()).join("");
  assert.equal(marked, q.quote.text, "the quote is marked where it stands");
  // a partner node leads to the partner's page
  if (chosen.partners.length) {
    await go("#/actor/" + encodeURIComponent(chosen.actor.id));
    await page.locator("svg.relation-graph g.partner").first().click();
    await waitReady("#/actor/" + encodeURIComponent(chosen.partners[0].id));
    assert.equal(await page.locator("h1").textContent(), chosen.partners[0].name);
  }
});

test("searching Daesh lands on the Islamic State and its page", { skip }, async () => {
  await go("#/");
  await page.fill("#search-box", "Daesh");
  await page.press("#search-box", "Enter");
  await waitReady("#/search?q=Daesh");
  const expected = (await api("/api/search?q=Daesh&limit=50")).total;
  assert.ok(expected > 0, "the articles say Daesh");
  assert.equal(await page.locator("#search-total").textContent(), `${expected} results`);
  assert.ok((await page.locator("#results mark").allTextContents()).some((m) => /daesh/i.test(m)), "matched words are marked");
  const actor = page.locator("#actor-hits a", { hasText: /^Islamic State$/ });
  assert.equal(await actor.count(), 1, "the Islamic State is among the actors found");
  await shot("search-daesh");
  await actor.click();
  await waitReady("#/actor/islamic-state");
  const p = await api("/api/actors/islamic-state");
  assert.ok(p.actor.aliases.includes("Daesh"), "the texts call it Daesh");
  assert.equal(await page.locator("h1").textContent(), "Islamic State");
  assert.ok((await page.locator("main").textContent()).includes("Daesh"), "its aliases are shown");
  assert.ok(p.events.length > 0 && p.partners.length > 0);
  assert.equal(await page.locator("svg.relation-graph g.partner").count(), p.partners.length);
  assert.equal(await page.locator("svg.coop-chart rect").count(), p.series.length * 2);
  await shot("actor-islamic-state");
});

test("the search box finds articles and quotes", { skip }, async () => {
  await go("#/");
  await page.fill("#search-box", "Putin");
  await page.press("#search-box", "Enter");
  await waitReady("#/search?q=Putin");
  const total = await page.locator("#search-total").textContent();
  const expected = (await api("/api/search?q=Putin&limit=50")).total;
  assert.ok(expected > 0);
  assert.equal(total, `${expected} results`);
  assert.ok((await page.locator("#results mark").count()) > 0, "matched words are marked");
  // only quotes
  await page.selectOption("select[name=kind]", "quotes");
  await page.click(".filters button[type=submit]");
  await page.waitForFunction(() => document.body.dataset.ready.includes("kind=quotes"));
  const kinds = await page.locator("#results .tag").allTextContents();
  assert.ok(kinds.length > 0 && kinds.every((k) => k === "quote"), kinds.join());
  await shot("search");
});

test("article text with <script> and onerror= renders as plain text", { skip }, async () => {
  const doc = await api("/api/documents/xss");
  assert.ok(doc.document.body.includes("onerror="), "the fixture holds the attack");
  await go("#/doc/xss");
  const text = await page.locator(".article").textContent();
  assert.ok(text.includes("<img src=x onerror="), "shown as text");
  assert.ok(text.includes("<script>"), "shown as text");
  assert.equal(await page.locator("main script, main img, main iframe").count(), 0, "no element made from the text");
  assert.equal(await page.locator("h1").textContent(), doc.document.title);
  // the search snippet of it as well
  await go("#/search?q=onerror");
  assert.ok((await page.locator("#results").textContent()).includes("onerror"));
  assert.equal(await page.locator("main img, main script").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined, "no injected script ran");
  assert.deepEqual(errors, [], "no script error, console error or dialog on any page");
  await shot("xss");
});
