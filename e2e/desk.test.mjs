// End-to-end tests of the annals desk in a real browser: playwright-core drives Debian's
// headless chromium against a running `annals serve`.
//
//   ANNALS_URL=http://127.0.0.1:PORT node --test e2e/desk.test.mjs
//
// The store behind the server must hold the sample corpus (examples/seeds), at least one
// story, and the document `xss` (see crates/annals-cli/tests/browser.rs, which prepares
// all of this and runs this file). Without ANNALS_URL, chromium or playwright-core, every
// test is skipped with the reason.
import { test, before, after } from "node:test";
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
if (skip) console.log(`# browser tests skipped: ${skip}`);

let browser, page;
const errors = [];
before(async () => {
  if (skip) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => errors.push(String(e)));
  // a Content-Security-Policy violation or a failed load shows up as a console error
  page.on("console", (m) => { if (m.type() === "error") errors.push("console: " + m.text()); });
  page.on("dialog", async (d) => { errors.push("dialog: " + d.message()); await d.dismiss(); });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
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

test("the story list loads and leads to a story with its timeline", { skip }, async () => {
  const stories = await api("/api/stories");
  assert.ok(stories.length > 0, "the store has a story");
  await go("#/");
  const item = page.locator("#stories .story-item a").first();
  assert.equal(await item.textContent(), stories[0].title);
  await item.click();
  await waitReady("#/story/" + encodeURIComponent(stories[0].id));
  assert.equal(await page.locator("h1").textContent(), stories[0].title);
  const story = await api("/api/stories/" + encodeURIComponent(stories[0].id));
  const dated = story.timeline.filter((e) => e.date).length;
  assert.ok(dated > 0, "the story has dated events");
  assert.equal(await page.locator("svg.timeline circle.tl-event").count(), dated);
  assert.equal(await page.locator("#timeline-events > li").count(), story.timeline.length);
  assert.ok((await page.locator(".summary").count()) === 1, "a summary or the lead paragraph");
  // a dot on the timeline opens its event
  await page.locator("svg.timeline circle.tl-event").first().click();
  assert.equal(await page.locator("#event-detail .event-row").count(), 1);
  await shot("story");
});

test("an event's evidence is highlighted in the article", { skip }, async () => {
  const stories = await api("/api/stories");
  const story = await api("/api/stories/" + encodeURIComponent(stories[0].id));
  const event = story.timeline.find((e) => e.mentions.some((m) => m.action_start != null));
  const mention = event.mentions.find((m) => m.action_start != null);
  await go("#/story/" + encodeURIComponent(stories[0].id));
  const row = page.locator(`#timeline-events li[data-event="${event.id}"]`);
  await row.locator("a.evidence-link").first().click();
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
