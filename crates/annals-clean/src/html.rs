//! Main-content extraction from HTML pages: the article's paragraphs, headline, date and
//! outlet.
//!
//! [`extract`] parses the page once (html5ever, through `dom_query`), reads the metadata,
//! then hands the tree to `dom_smoothie` (a port of Mozilla's Readability.js) to find the
//! main content. Its HTML is walked into plain-text [`Paragraph`]s: block elements end a
//! paragraph, two `<br>`s in a row do too, whitespace is collapsed, entities are decoded
//! and scripts, styles, forms and navigation are dropped. When readability finds nothing
//! (or far less than the page's own paragraphs), the `<p>` elements outside navigation,
//! headers, footers and asides are used instead.
//!
//! - **Title**: `og:title`, then JSON-LD `headline`, then the first `<h1>`, then `<title>`;
//!   a ` | Site` / ` - Site` suffix (or `Site | ` prefix) is removed when it is the outlet's
//!   name.
//! - **Date** (`YYYY-MM-DD`, the publisher's local date): publication meta tags
//!   (`article:published_time`, `datePublished`, `pubdate`, `sailthru.date`, `parsely-pub-date`,
//!   …), then JSON-LD `datePublished` (anywhere, `@graph` and arrays included), then generic
//!   meta tags (`date`, `dc.date`, …), then `<time datetime>`. Every value is read with
//!   [`crate::dates::parse_date`].
//! - **Outlet**: `og:site_name`, then JSON-LD `publisher.name`, then `application-name`.
//!
//! Never panics: any input, however broken, gives an [`HtmlArticle`] (possibly empty).
//!
//! ```
//! use annals_clean::html::extract;
//! let page = r#"<html><head>
//!   <meta property="og:site_name" content="The Courier">
//!   <title>Floods close bridge | The Courier</title>
//!   <meta property="article:published_time" content="2015-12-01T20:11:00+04:00">
//! </head><body>
//!   <nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Floods close bridge</h1>
//!     <p>The river rose two metres overnight, officials said on Tuesday.</p>
//!     <p>Residents were told to stay at home &amp; avoid the embankment.</p>
//!   </article>
//! </body></html>"#;
//! let a = extract(page, Some("https://courier.example/floods"));
//! assert_eq!(a.title.as_deref(), Some("Floods close bridge"));
//! assert_eq!(a.published.as_deref(), Some("2015-12-01"));
//! assert_eq!(a.outlet.as_deref(), Some("The Courier"));
//! assert_eq!(a.paragraphs[1].text, "Residents were told to stay at home & avoid the embankment.");
//! let at = a.paragraphs[0].raw_offset.unwrap();
//! assert!(page[at..].starts_with("The river rose"));
//! ```

use crate::dates::parse_date;
use dom_query::{Document, NodeRef};
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What [`extract`] finds in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    /// The headline.
    pub title: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// The outlet (site) name.
    pub outlet: Option<String>,
    /// The article's paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,
}

/// One paragraph of article text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paragraph {
    /// Plain text: whitespace collapsed to single spaces, entities decoded, trimmed.
    pub text: String,
    /// Best-effort byte offset in the raw HTML where the paragraph's text starts (the first
    /// character of `text` is at this offset, possibly as an entity); `None` if not found.
    pub raw_offset: Option<usize>,
    /// The parts of `text` copied verbatim from the raw HTML, in order: for each piece,
    /// `text[piece.text..][..piece.len] == html[piece.raw..][..piece.len]`. Bytes between
    /// pieces were synthesised (decoded entities, collapsed whitespace) or not found.
    /// Feed them to an `OffsetMap` to map the clean body back to the page.
    pub pieces: Vec<RawPiece>,
}

/// A run of a paragraph's text that is a verbatim copy of the raw HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawPiece {
    /// Byte offset in [`Paragraph::text`].
    pub text: usize,
    /// Byte offset in the raw HTML.
    pub raw: usize,
    /// Length in bytes.
    pub len: usize,
}

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object", "embed",
    "canvas", "form", "button", "select", "textarea", "input", "nav", "aside", "audio", "video",
    "map", "dialog",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "hr",
    "address",
    "details",
    "summary",
    "center",
    "body",
    "html",
    "fieldset",
    "legend",
];

/// Ancestors that disqualify a `<p>` in the fallback.
const BOILERPLATE: &[&str] = &["nav", "header", "footer", "aside", "form", "menu", "dialog"];

/// `class` / `id` words that mark page furniture: ads, sharing, related links, banners.
const FURNITURE: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "sponsored",
    "share",
    "sharing",
    "social",
    "related",
    "newsletter",
    "promo",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "subscribe",
    "subscription",
    "paywall",
    "outbrain",
    "taboola",
    "breadcrumb",
    "breadcrumbs",
    "comments",
    "popup",
    "modal",
];

/// Whole paragraphs that are furniture wherever they appear (compared case-insensitively).
const FURNITURE_TEXT: &[&str] = &[
    "advertisement",
    "advertisements",
    "sponsored content",
    "continue reading",
    "read more",
    "share this article",
    "skip to content",
    "skip to main content",
];

/// The most furniture candidates examined in one page.
const MAX_FURNITURE_CANDIDATES: usize = 2000;

/// Pages nested deeper than this skip readability (real pages stay well under 100).
const MAX_DEPTH: usize = 256;

/// How many ancestors of a `<p>` are checked for navigation, headers and footers.
const MAX_ANCESTORS: usize = 64;

/// Paragraphs that cannot be located in the raw HTML before locating stops (each miss
/// scans the page).
const MAX_LOCATE_MISSES: usize = 64;

/// Readability refuses pages with more elements than this (the `<p>` fallback is used).
const MAX_ELEMENTS: usize = 200_000;

/// Meta keys (`property`, `name` or `itemprop`, lowercased) naming the publication date,
/// most specific first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "published-date",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "citation_publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "originalpublicationdate",
    "article.published",
];

/// Generic date keys, used only after JSON-LD.
const GENERIC_DATE_KEYS: &[&str] = &[
    "date",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "created",
];

/// Readability's text must be at least this share of the page's plain `<p>` text, or the
/// `<p>` fallback is used.
const MIN_READABILITY_SHARE: f64 = 0.25;

/// The longest prefix of a paragraph used to locate it in the raw HTML, in characters.
const LOCATE_CHARS: usize = 40;

/// Extract the article from an HTML page. `url` (the page's address, if known) lets
/// readability resolve relative links; it does not change the text.
pub fn extract(html: &str, url: Option<&str>) -> HtmlArticle {
    let doc = Document::from(flatten_deep(html, MAX_PARSE_DEPTH).as_ref());
    let meta = catch_unwind(AssertUnwindSafe(|| Meta::read(&doc))).unwrap_or_default();
    // readability's scoring is superlinear in nesting depth: pathological trees skip it
    let sane = depth_within(&doc, MAX_DEPTH);
    if sane {
        let _ = catch_unwind(AssertUnwindSafe(|| remove_furniture(&doc)));
    }
    let fallback = catch_unwind(AssertUnwindSafe(|| p_paragraphs(&doc))).unwrap_or_default();
    let main = if sane {
        catch_unwind(AssertUnwindSafe(|| readability_paragraphs(doc, url)))
            .ok()
            .flatten()
            .unwrap_or_default()
    } else {
        Vec::new()
    };

    let len = |ps: &[String]| ps.iter().map(String::len).sum::<usize>();
    let mut paragraphs =
        if !main.is_empty() && len(&main) as f64 >= MIN_READABILITY_SHARE * len(&fallback) as f64 {
            main
        } else {
            fallback
        };

    let outlet = meta.outlet();
    let title = meta.title(outlet.as_deref());
    // the headline is carried separately: drop it from the top of the body
    if let (Some(t), Some(first)) = (&title, paragraphs.first()) {
        if first.eq_ignore_ascii_case(t) {
            paragraphs.remove(0);
        }
    }
    let paragraphs = locate(html, paragraphs);
    HtmlArticle {
        title,
        published: meta.published(),
        outlet,
        paragraphs,
    }
}

// ---- nesting depth ----------------------------------------------------------------------

/// How deep elements may nest before the parser sees them flattened. html5ever checks
/// "in scope" by walking the stack of open elements at every tag, so a page nested `n`
/// deep took O(n²): 100,000 nested `<div>`s took 49 s. Browsers cap the depth too (Blink
/// at 512).
const MAX_PARSE_DEPTH: usize = 512;

/// Elements with no end tag, and elements whose start tag closes an open one of their
/// kind (so that a run of them does not nest): neither adds to the depth.
const FLAT_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th",
];

/// Elements whose content is text, not markup.
const RAW_TEXT_ELEMENTS: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// `html` with the tags that open (and close) elements deeper than `max` blanked out with
/// spaces of the same length: the text stays where it was (raw offsets still hold) and
/// joins the element at depth `max`. Borrowed when nothing is that deep. Linear.
fn flatten_deep(html: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut depth = 0usize;
    let mut blank: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr_lt(b, i) {
        i = lt + 1;
        if b[i..].starts_with(b"!--") {
            i = find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let end_tag = b.get(i) == Some(&b'/');
        let name_at = i + usize::from(end_tag);
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !b[name_at].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_at..name_at + name_len].to_ascii_lowercase();
        let close = tag_end(b, name_at + name_len);
        i = close;
        if FLAT_ELEMENTS.contains(&name.as_str()) {
            continue;
        }
        if end_tag {
            if depth > max {
                blank.push((lt, close));
            }
            depth = depth.saturating_sub(1);
        } else if b[..close].ends_with(b"/>") {
            // self-closing: no depth of its own
        } else {
            depth += 1;
            if depth > max {
                blank.push((lt, close));
            }
            if RAW_TEXT_ELEMENTS.contains(&name.as_str()) {
                // skip to its end tag, whose `<` the loop reads next
                i = find_end_tag(b, close, name.as_bytes()).unwrap_or(b.len());
            }
        }
    }
    if blank.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = b.to_vec();
    for (s, e) in blank {
        out[s..e].fill(b' ');
    }
    // only whole tags (ASCII from `<` to `>`, or to the end) were blanked
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| html.to_string()))
}

fn memchr_lt(b: &[u8], from: usize) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| c == b'<')
        .map(|p| from + p)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// One past the `>` that ends a tag whose attributes start at `at` (quoted values may hold
/// `>`), or the end of the text.
fn tag_end(b: &[u8], at: usize) -> usize {
    let mut quote = None;
    for (k, &c) in b.iter().enumerate().skip(at) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return k + 1,
            _ => {}
        }
    }
    b.len()
}

/// Where `</name` (any case) starts, at or after `from`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(lt) = memchr_lt(b, i) {
        let rest = &b[lt + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > name.len()
            && rest[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return Some(lt);
        }
        i = lt + 1;
    }
    None
}

// ---- main content ---------------------------------------------------------------------

/// The paragraphs readability finds, or `None` when it fails.
fn readability_paragraphs(doc: Document, url: Option<&str>) -> Option<Vec<String>> {
    let cfg = || dom_smoothie::Config {
        disable_json_ld: true,
        max_elements_to_parse: MAX_ELEMENTS,
        ..Default::default()
    };
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let mut r = dom_smoothie::Readability::with_document(doc, url, Some(cfg())).ok()?;
    let article = r.parse().ok()?;
    let content = Document::fragment(article.content);
    Some(block_paragraphs(&content.root()))
}

/// Whether no node of the tree is nested deeper than `max`.
fn depth_within(doc: &Document, max: usize) -> bool {
    let mut stack = vec![(doc.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > max {
            return false;
        }
        stack.extend(node.children_it(false).map(|c| (c, depth + 1)));
    }
    true
}

/// Plain-text paragraphs of a subtree: blocks break paragraphs, so do two `<br>`s.
fn block_paragraphs(root: &NodeRef) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = Buf::default();
    let mut in_link = 0usize;
    // (node, leaving): children are pushed in reverse so they pop in document order
    let mut stack: Vec<(NodeRef, bool)> = vec![(*root, false)];
    while let Some((node, leaving)) = stack.pop() {
        if node.is_text() {
            buf.push(&node.text(), in_link > 0);
            continue;
        }
        let name = if node.is_element() {
            node.node_name()
                .map(|n| n.to_ascii_lowercase())
                .unwrap_or_default()
        } else {
            String::new()
        };
        if leaving {
            if name == "a" {
                in_link = in_link.saturating_sub(1);
            }
            if BLOCKS.contains(&name.as_str()) {
                buf.flush(&mut out);
            }
            continue;
        }
        if node.is_element() {
            if SKIPPED.contains(&name.as_str()) || is_hidden(&node) {
                continue;
            }
            if name == "br" {
                buf.text.push('\n');
                continue;
            }
            if name == "a" {
                in_link += 1;
            }
            if BLOCKS.contains(&name.as_str()) {
                buf.flush(&mut out);
            }
        } else if !(node.is_document() || node.is_fragment()) {
            continue; // comments, doctypes
        }
        stack.push((node, true));
        let children = node.children();
        stack.extend(children.into_iter().rev().map(|c| (c, false)));
    }
    buf.flush(&mut out);
    out
}

/// Text gathered for the paragraph(s) being built, and how much of it is link text.
#[derive(Default)]
struct Buf {
    text: String,
    chars: usize,
    link_chars: usize,
}

impl Buf {
    fn push(&mut self, s: &str, link: bool) {
        self.text.push_str(s);
        let n = s.chars().filter(|c| !c.is_whitespace()).count();
        self.chars += n;
        if link {
            self.link_chars += n;
        }
    }

    /// End the paragraph(s): text that is nine tenths link text (menus, related links) is
    /// dropped.
    fn flush(&mut self, out: &mut Vec<String>) {
        if self.link_chars * 10 < self.chars * 9 {
            flush(&mut self.text, out);
        }
        *self = Buf::default();
    }
}

/// Whether an element is hidden from readers.
fn is_hidden(node: &NodeRef) -> bool {
    node.has_attr("hidden")
        || node.attr("aria-hidden").is_some_and(|v| v.trim() == "true")
        || node.attr("style").is_some_and(|s| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

/// End the paragraph(s) in `buf`: two line breaks in a row separate paragraphs.
fn flush(buf: &mut String, out: &mut Vec<String>) {
    if buf.is_empty() {
        return;
    }
    let mut part = String::new();
    let mut breaks = 0;
    let mut pieces = Vec::new();
    for c in buf.chars() {
        if c == '\n' {
            breaks += 1;
            part.push(' ');
            continue;
        }
        if breaks >= 2 && !c.is_whitespace() {
            pieces.push(std::mem::take(&mut part));
        }
        if !c.is_whitespace() {
            breaks = 0;
        }
        part.push(c);
    }
    pieces.push(part);
    for p in pieces {
        let p = collapse(&p);
        let furniture = FURNITURE_TEXT.iter().any(|f| p.eq_ignore_ascii_case(f));
        if !p.is_empty() && !furniture {
            out.push(p);
        }
    }
    buf.clear();
}

/// Collapse whitespace (no-break spaces included) to single spaces, drop zero-width
/// characters, and trim.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}'
        ) {
            continue;
        }
        if c.is_whitespace() || c == '\u{a0}' {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// The fallback: every `<p>` outside navigation, headers, footers and asides.
fn p_paragraphs(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for p in doc.select("p").nodes() {
        let boxed = p.ancestors_it(Some(MAX_ANCESTORS)).any(|a| {
            a.node_name()
                .map(|n| {
                    let n = n.to_ascii_lowercase();
                    BOILERPLATE.contains(&n.as_str()) || SKIPPED.contains(&n.as_str())
                })
                .unwrap_or(false)
                || is_hidden(&a)
        });
        if !boxed && !is_hidden(p) {
            out.extend(block_paragraphs(p));
        }
    }
    out
}

/// Remove ads, share bars, related-link boxes and banners (by `class`/`id` words) before
/// content extraction. An element holding an `<article>`, an `<h1>` or more than a third of
/// the page's text is kept whatever its name.
fn remove_furniture(doc: &Document) {
    let total = doc
        .select("body")
        .text()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count();
    let candidates: Vec<NodeRef> = doc
        .select("[class], [id]")
        .nodes()
        .iter()
        .filter(|n| {
            let words = |a: &str| {
                n.attr(a)
                    .map(|v| v.to_ascii_lowercase())
                    .unwrap_or_default()
            };
            let (class, id) = (words("class"), words("id"));
            class
                .split(|c: char| !c.is_ascii_alphanumeric())
                .chain(id.split(|c: char| !c.is_ascii_alphanumeric()))
                .any(|w| FURNITURE.contains(&w))
        })
        .take(MAX_FURNITURE_CANDIDATES)
        .copied()
        .collect();
    for n in candidates {
        let name = n
            .node_name()
            .map(|t| t.to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(name.as_str(), "body" | "html" | "article" | "main") {
            continue;
        }
        if n.descendants_it().any(|d| {
            d.node_name()
                .is_some_and(|t| t.eq_ignore_ascii_case("article") || t.eq_ignore_ascii_case("h1"))
        }) {
            continue;
        }
        let len = n.text().chars().filter(|c| !c.is_whitespace()).count();
        if len * 3 > total {
            continue;
        }
        n.remove_from_parent();
    }
}

// ---- metadata -------------------------------------------------------------------------

/// Everything read from `<head>` and JSON-LD.
#[derive(Debug, Default)]
struct Meta {
    /// `(key, content)` of every `<meta>` (key = property, name or itemprop, lowercased),
    /// plus `itemprop` elements with a `datetime` or `content`.
    tags: Vec<(String, String)>,
    ld: LinkedData,
    h1: Option<String>,
    title_tag: Option<String>,
    time: Option<String>,
}

/// What JSON-LD says.
#[derive(Debug, Default)]
struct LinkedData {
    headline: Option<String>,
    published: Option<String>,
    publisher: Option<String>,
}

impl Meta {
    fn read(doc: &Document) -> Meta {
        let mut tags = Vec::new();
        for m in doc.select("meta").nodes() {
            let Some(content) = m.attr("content").map(|c| collapse(&c)) else {
                continue;
            };
            if content.is_empty() {
                continue;
            }
            for attr in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(k) = m.attr(attr) {
                    tags.push((k.trim().to_ascii_lowercase(), content.clone()));
                }
            }
        }
        for e in doc.select("[itemprop]").nodes() {
            let value = e.attr("datetime").or_else(|| e.attr("content"));
            if let (Some(k), Some(v)) = (e.attr("itemprop"), value) {
                if e.node_name()
                    .is_some_and(|n| !n.eq_ignore_ascii_case("meta"))
                {
                    tags.push((k.trim().to_ascii_lowercase(), collapse(&v)));
                }
            }
        }
        // parse.ly's JSON in a meta tag
        if let Some((_, json)) = tags.iter().find(|(k, _)| k == "parsely-page") {
            if let Ok(v) = serde_json::from_str::<Value>(json) {
                if let Some(d) = v.get("pub_date").and_then(Value::as_str) {
                    tags.push(("parsely-pub-date".into(), d.to_string()));
                }
            }
        }
        let mut ld = LinkedData::default();
        for s in doc.select("script").nodes() {
            let is_ld = s
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
            if is_ld {
                ld.read(&s.text());
            }
        }
        let first_text = |sel: &str| {
            doc.select(sel)
                .nodes()
                .iter()
                .map(|n| collapse(&n.text()))
                .find(|t| !t.is_empty())
        };
        let time = doc.select("time").nodes().iter().find_map(|t| {
            t.attr("datetime")
                .map(|d| d.to_string())
                .or_else(|| Some(collapse(&t.text())))
                .filter(|d| parse_date(d).is_some())
        });
        Meta {
            tags,
            ld,
            h1: first_text("h1"),
            title_tag: first_text("title"),
            time,
        }
    }

    fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn outlet(&self) -> Option<String> {
        self.tag("og:site_name")
            .map(str::to_string)
            .or_else(|| self.ld.publisher.clone())
            .or_else(|| self.tag("application-name").map(str::to_string))
            .filter(|s| !s.is_empty())
    }

    fn title(&self, outlet: Option<&str>) -> Option<String> {
        let og = self.tag("og:title").map(|t| strip_site(t, outlet));
        let title_tag = self.title_tag.as_deref().map(|t| strip_site(t, outlet));
        og.or_else(|| self.ld.headline.clone())
            .or_else(|| self.h1.clone())
            .or(title_tag)
            .filter(|t| !t.is_empty())
    }

    fn published(&self) -> Option<String> {
        let date = |s: &str| parse_date(s).map(|d| d.to_string());
        DATE_KEYS
            .iter()
            .find_map(|k| self.tag(k).and_then(date))
            .or_else(|| self.ld.published.as_deref().and_then(date))
            .or_else(|| {
                GENERIC_DATE_KEYS
                    .iter()
                    .find_map(|k| self.tag(k).and_then(date))
            })
            .or_else(|| self.time.as_deref().and_then(date))
    }
}

impl LinkedData {
    /// Read one `<script type="application/ld+json">` block; invalid JSON is ignored.
    fn read(&mut self, text: &str) {
        let text = text
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim()
            .trim_start_matches("//<![CDATA[")
            .trim_end_matches("//]]>")
            .trim()
            .trim_end_matches(';');
        // raw line breaks and tabs inside strings are common and invalid JSON
        let text: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let Ok(root) = serde_json::from_str::<Value>(&text) else {
            return;
        };
        // (value, inside an article object)
        let mut stack = vec![(&root, false)];
        let mut any_date: Option<String> = None;
        while let Some((v, _)) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.iter().rev().map(|i| (i, false))),
                Value::Object(map) => {
                    let article = map.get("@type").is_some_and(is_article_type);
                    let text_of = |k: &str| map.get(k).and_then(Value::as_str).map(collapse);
                    if article {
                        if self.published.is_none() {
                            self.published =
                                text_of("datePublished").or_else(|| text_of("dateCreated"));
                        }
                        if self.headline.is_none() {
                            self.headline = text_of("headline").or_else(|| text_of("name"));
                        }
                        if self.publisher.is_none() {
                            self.publisher = map.get("publisher").and_then(name_of);
                        }
                    }
                    if any_date.is_none() {
                        any_date = text_of("datePublished");
                    }
                    for key in [
                        "@graph",
                        "mainEntity",
                        "mainEntityOfPage",
                        "itemListElement",
                    ] {
                        if let Some(inner) = map.get(key) {
                            stack.push((inner, false));
                        }
                    }
                    if self.publisher.is_none()
                        && map
                            .get("@type")
                            .is_some_and(|t| type_is(t, "NewsMediaOrganization"))
                    {
                        self.publisher = text_of("name");
                    }
                }
                _ => {}
            }
        }
        if self.published.is_none() {
            self.published = any_date;
        }
    }
}

/// `name` of a publisher: an object, an array of objects, or a plain string.
fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(collapse(s)),
        Value::Object(m) => m.get("name").and_then(Value::as_str).map(collapse),
        Value::Array(items) => items.iter().find_map(name_of),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

fn type_is(t: &Value, name: &str) -> bool {
    match t {
        Value::String(s) => s.eq_ignore_ascii_case(name),
        Value::Array(items) => items.iter().any(|i| type_is(i, name)),
        _ => false,
    }
}

/// `@type` of a news or blog article (`NewsArticle`, `ReportageNewsArticle`, `BlogPosting`…).
fn is_article_type(t: &Value) -> bool {
    match t {
        Value::String(s) => {
            let s = s.rsplit('/').next().unwrap_or(s);
            s.ends_with("Article") || s == "BlogPosting" || s == "LiveBlogPosting" || s == "Report"
        }
        Value::Array(items) => items.iter().any(is_article_type),
        _ => false,
    }
}

/// Remove the site's name from a title: `"Headline | Site"`, `"Headline - Site"`,
/// `"Site: Headline"`…
fn strip_site(title: &str, site: Option<&str>) -> String {
    let title = collapse(title);
    let Some(site) = site.map(collapse).filter(|s| !s.is_empty()) else {
        return title;
    };
    const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " » ", ": "];
    let lower = title.to_lowercase();
    let site_lower = site.to_lowercase();
    if lower.len() != title.len() || site_lower.len() != site.len() {
        return title; // lowercasing changed byte lengths: slicing would be unsafe
    }
    for sep in SEPARATORS {
        let suffix = format!("{sep}{site_lower}");
        if lower.ends_with(&suffix) && lower.len() > suffix.len() {
            return title[..title.len() - suffix.len()].trim().to_string();
        }
        for prefix in [
            format!("{site_lower}{sep}"),
            format!("{site_lower}{}", sep.trim_start()),
        ] {
            if lower.starts_with(&prefix) && lower.len() > prefix.len() {
                return title[prefix.len()..].trim().to_string();
            }
        }
    }
    title
}

// ---- raw offsets ----------------------------------------------------------------------

/// The visible text of raw HTML (tags dropped, script and style content dropped, common
/// entities decoded, whitespace collapsed), with each byte's offset in the raw HTML.
struct Projection {
    text: String,
    raw: Vec<u32>,
    /// Where `<body` starts, as an index into `text`.
    body: usize,
}

impl Projection {
    fn new(html: &str) -> Projection {
        let bytes = html.as_bytes();
        let mut p = Projection {
            text: String::new(),
            raw: Vec::new(),
            body: 0,
        };
        let mut i = 0;
        // where the pending run of whitespace (or a breaking tag) started
        let mut space: Option<usize> = None;
        let mut body_seen = false;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'<' {
                let rest = &bytes[i + 1..];
                let starts =
                    |s: &[u8]| rest.len() >= s.len() && rest[..s.len()].eq_ignore_ascii_case(s);
                if rest.starts_with(b"!--") {
                    i = find_from(bytes, i + 4, b"-->").map_or(bytes.len(), |e| e + 3);
                    continue;
                }
                if rest
                    .first()
                    .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?'))
                {
                    let end = bytes[i..]
                        .iter()
                        .position(|&c| c == b'>')
                        .map_or(bytes.len(), |e| i + e + 1);
                    if starts(b"br")
                        || starts(b"p")
                        || starts(b"/p")
                        || starts(b"div")
                        || starts(b"/div")
                        || starts(b"li")
                    {
                        space = space.or(Some(i));
                    }
                    if !body_seen && starts(b"body") {
                        body_seen = true;
                        p.body = p.text.len();
                    }
                    let raw_text = ["script", "style", "noscript", "textarea", "title"]
                        .into_iter()
                        .find(|t| {
                            starts(t.as_bytes())
                                && rest
                                    .get(t.len())
                                    .is_some_and(|c| !c.is_ascii_alphanumeric())
                        });
                    i = end;
                    if let Some(tag) = raw_text {
                        let close = format!("</{tag}");
                        i = find_from_ci(bytes, i, close.as_bytes()).unwrap_or(bytes.len());
                    }
                    continue;
                }
            }
            let (c, len) = if b == b'&' {
                entity(&html[i..]).unwrap_or(('&', 1))
            } else {
                let c = html[i..].chars().next().unwrap_or('\u{fffd}');
                (c, c.len_utf8().max(1))
            };
            if c.is_whitespace() || c == '\u{a0}' {
                space = space.or(Some(i));
            } else if !matches!(
                c,
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}'
            ) {
                if let Some(at) = space.take() {
                    if !p.text.is_empty() {
                        p.push(' ', at);
                    }
                }
                p.push(c, i);
            }
            i += len;
        }
        p
    }

    /// Append `c`, read at `raw`: byte `b` of it maps to `raw + b` (exact when the character
    /// was copied verbatim; [`pieces`] checks).
    fn push(&mut self, c: char, raw: usize) {
        self.text.push(c);
        for b in 0..c.len_utf8() {
            self.raw.push(u32::try_from(raw + b).unwrap_or(u32::MAX));
        }
    }
}

/// Decode the entity at the start of `s`: the character and the entity's length in bytes.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let name = &s[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(n)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "lsquo" => '\u{2018}',
            "rsquo" => '\u{2019}',
            "ldquo" => '\u{201c}',
            "rdquo" => '\u{201d}',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "hellip" => '\u{2026}',
            "laquo" => '«',
            "raquo" => '»',
            "eacute" => 'é',
            "egrave" => 'è',
            "aacute" => 'á',
            "agrave" => 'à',
            "oacute" => 'ó',
            "uuml" => 'ü',
            "ouml" => 'ö',
            "auml" => 'ä',
            "ccedil" => 'ç',
            "ntilde" => 'ñ',
            "iacute" => 'í',
            "uacute" => 'ú',
            "szlig" => 'ß',
            "euro" => '€',
            "pound" => '£',
            "copy" => '©',
            "shy" => '\u{ad}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_from_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

/// Attach raw offsets: each paragraph's first characters are looked up in the page's visible
/// text, after the previous paragraph (then anywhere in the body, then anywhere).
fn locate(html: &str, paragraphs: Vec<String>) -> Vec<Paragraph> {
    let proj = Projection::new(html);
    let mut from = proj.body;
    let mut misses = 0;
    paragraphs
        .into_iter()
        .map(|text| {
            if misses >= MAX_LOCATE_MISSES {
                return Paragraph {
                    text,
                    raw_offset: None,
                    pieces: Vec::new(),
                };
            }
            let found = [LOCATE_CHARS, 16].into_iter().find_map(|n| {
                let needle = prefix_chars(&text, n);
                [from, proj.body, 0]
                    .into_iter()
                    .find_map(|start| proj.text.get(start..)?.find(needle).map(|i| start + i))
            });
            if found.is_none() {
                misses += 1;
            }
            let raw_offset = found.and_then(|i| {
                from = i + 1;
                proj.raw.get(i).map(|&r| r as usize)
            });
            let pieces = found.map_or_else(Vec::new, |i| pieces(html, &proj, &text, i));
            Paragraph {
                text,
                raw_offset,
                pieces,
            }
        })
        .collect()
}

/// How far ahead in the page's visible text a paragraph may resume after a mismatch.
const RESYNC_WINDOW: usize = 2048;

/// The verbatim pieces of paragraph `text`, which starts at `start` in the projection.
/// Text and projection are walked together; after a mismatch (an element dropped from the
/// paragraph, an unknown entity) the next 12 bytes of text are looked for a little further on.
fn pieces(html: &str, proj: &Projection, text: &str, start: usize) -> Vec<RawPiece> {
    let (t, pt, hb) = (text.as_bytes(), proj.text.as_bytes(), html.as_bytes());
    let mut out: Vec<RawPiece> = Vec::new();
    let (mut k, mut j) = (0usize, start);
    while k < t.len() {
        if j < pt.len() && t[k] == pt[j] {
            let r = proj.raw[j] as usize;
            if hb.get(r) == Some(&t[k]) {
                match out.last_mut() {
                    Some(p) if p.text + p.len == k && p.raw + p.len == r => p.len += 1,
                    _ => out.push(RawPiece {
                        text: k,
                        raw: r,
                        len: 1,
                    }),
                }
            }
            k += 1;
            j += 1;
            continue;
        }
        // resync: the next few bytes of text (on a char boundary), a little further on
        let mut end = (k + 12).min(t.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let mut k2 = k;
        while !text.is_char_boundary(k2) {
            k2 += 1;
        }
        let needle = &t[k2..end];
        let window = &pt[j.min(pt.len())..(j + RESYNC_WINDOW).min(pt.len())];
        match (needle.len() >= 4)
            .then(|| window.windows(needle.len()).position(|w| w == needle))
            .flatten()
        {
            Some(p) => {
                k = k2;
                j += p;
            }
            None => k = end, // skip these bytes of text and try the next ones
        }
    }
    // whole characters only
    out.retain_mut(|p| {
        let mut end = p.text + p.len;
        while p.len > 0 && !text.is_char_boundary(p.text) {
            p.text += 1;
            p.raw += 1;
            p.len -= 1;
        }
        while end > p.text && !text.is_char_boundary(end) {
            end -= 1;
        }
        p.len = end.saturating_sub(p.text);
        p.len > 0
    });
    out
}

/// The first `n` characters of `s`.
fn prefix_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

#[cfg(test)]
mod tests {
    #[test]
    fn deep_nesting_is_flattened_in_place() {
        let html = format!(
            "<body>{}<p>deep text</p>{}</body>",
            "<div>".repeat(600),
            "</div>".repeat(600)
        );
        let flat = super::flatten_deep(&html, 512);
        assert_eq!(flat.len(), html.len());
        assert_eq!(flat.find("deep text"), html.find("deep text"));
        assert_eq!(flat.matches("<div>").count(), 511, "<body> is one level");
        assert_eq!(flat.matches("</div>").count(), 511);
        let shallow = "<div><script>'<div><div>'</script><p>a<p>b</div>";
        assert!(matches!(
            super::flatten_deep(shallow, 2),
            std::borrow::Cow::Borrowed(_)
        ));
        // a page 100,000 deep parses in linear time and keeps its text
        let deep = format!(
            "<html><body>{}<p>Ministers met in Vienna.</p>{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let started = std::time::Instant::now();
        let a = super::extract(&deep, None);
        assert_eq!(a.paragraphs.len(), 1);
        assert_eq!(a.paragraphs[0].text, "Ministers met in Vienna.");
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    use super::*;

    #[test]
    fn breaks_and_blocks_make_paragraphs() {
        let doc = Document::fragment("<div>One <b>bold</b>\n  word<br>same<br><br>two<p>three</p>four<script>x()</script></div>");
        assert_eq!(
            block_paragraphs(&doc.root()),
            ["One bold word same", "two", "three", "four"]
        );
    }

    #[test]
    fn site_suffix_is_stripped_only_when_it_is_the_site() {
        assert_eq!(
            strip_site("Floods close bridge | The Courier", Some("The Courier")),
            "Floods close bridge"
        );
        assert_eq!(
            strip_site("The Courier: Floods", Some("the courier")),
            "Floods"
        );
        assert_eq!(
            strip_site("Floods - a river rises", Some("The Courier")),
            "Floods - a river rises"
        );
        assert_eq!(
            strip_site("The Courier", Some("The Courier")),
            "The Courier"
        );
    }

    #[test]
    fn projection_skips_tags_and_decodes_entities() {
        let html = "<p>A &amp; <a href='x'>B</a>\n  C&#8217;s</p><script>var a = '<p>';</script>";
        let p = Projection::new(html);
        assert_eq!(p.text, "A & B C\u{2019}s");
        assert_eq!(
            p.raw[p.text.find('B').unwrap()] as usize,
            html.find("B<").unwrap()
        );
    }

    #[test]
    fn json_ld_graph_and_arrays() {
        let mut ld = LinkedData::default();
        ld.read(
            r#"{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},
            {"@type":["NewsArticle"],"headline":"H","datePublished":"2016-08-26T09:00:00Z",
             "publisher":{"@type":"Organization","name":"The Paper"}}]}"#,
        );
        assert_eq!(ld.published.as_deref(), Some("2016-08-26T09:00:00Z"));
        assert_eq!(ld.headline.as_deref(), Some("H"));
        assert_eq!(ld.publisher.as_deref(), Some("The Paper"));
    }

    #[test]
    fn entities() {
        assert_eq!(entity("&amp;x"), Some(('&', 5)));
        assert_eq!(entity("&#x2019;"), Some(('\u{2019}', 8)));
        assert_eq!(entity("&bogus;"), None);
        assert_eq!(entity("& no"), None);
    }
}
