//! Cleaning: from a [`RawDoc`] to a [`Document`]: the article body, its headline,
//! publication date and outlet.
//!
//! - Plain-text scrapes go through [`scrape`], which judges every line by general
//!   signals (shape, patterns, repetition, position) and keeps the article's lines.
//! - HTML pages go through [`html`], a readability-style main-content extractor, with the
//!   headline, date and outlet read from meta tags, JSON-LD and `<time>`.
//! - Dates in any common news form are read by [`dates`].
//!
//! Metadata given by the container (JSONL fields) wins over what cleaning finds; a WARC
//! record's crawl date is used only when the page gives no date. Each kept paragraph is
//! copied from the raw text, and [`Document::map`] leads back to it.
//!
//! ```
//! use annals_clean::Cleaner;
//! use annals_model::{DocId, DocKind, RawDoc, RawMeta};
//! let raw = RawDoc {
//!     id: DocId("x".into()),
//!     source: "x.txt".into(),
//!     kind: DocKind::Text,
//!     text: "Home\n\nTalks Resume in Geneva\n\nGENEVA, 3 March 2016\n\nDiplomats resumed talks on the future of the country on Monday, officials said.\n\nTags:\n".into(),
//!     meta: RawMeta::default(),
//! };
//! let doc = Cleaner::default().clean(raw);
//! assert_eq!(doc.title.as_deref(), Some("Talks Resume in Geneva"));
//! assert_eq!(doc.published.as_deref(), Some("2016-03-03"));
//! assert!(doc.body.starts_with("Diplomats resumed talks"));
//! assert_eq!(doc.map.to_raw(0), Some(doc.raw.find("Diplomats").unwrap()));
//! ```
#![warn(missing_docs)]

pub mod dates;
pub mod html;
pub mod scrape;

use annals_model::{DocKind, Document, OffsetMap, Paragraph, RawDoc, TextRange};

/// Settings of the cleaning stage.
#[derive(Debug, Clone, Default)]
pub struct Cleaner {}

/// Builds a clean body paragraph by paragraph, recording where each piece came from.
#[derive(Default)]
struct BodyBuilder {
    body: String,
    paragraphs: Vec<Paragraph>,
    map: OffsetMap,
}

impl BodyBuilder {
    /// Append one paragraph copied from raw offset `raw_at`. Line breaks inside it (a
    /// hard-wrapped paragraph) become single spaces.
    fn push(&mut self, text: &str, raw_at: usize) {
        if text.trim().is_empty() {
            return;
        }
        if !self.body.is_empty() {
            self.body.push_str("\n\n");
        }
        let start = self.body.len();
        let mut offset = 0;
        for line in text.split('\n') {
            let lead = line.len() - line.trim_start().len();
            let piece = line.trim();
            if !piece.is_empty() {
                if self.body.len() > start {
                    self.body.push(' ');
                }
                self.map
                    .push_copy(self.body.len(), raw_at + offset + lead, piece.len());
                self.body.push_str(piece);
            }
            offset += line.len() + 1;
        }
        self.paragraphs.push(Paragraph {
            range: TextRange::new(start, self.body.len()),
        });
    }
}

impl BodyBuilder {
    /// Append one paragraph whose stretches copied byte for byte from the raw text are
    /// known (HTML: text between tags; decoded entities and collapsed spaces are not).
    fn push_pieces(&mut self, text: &str, pieces: &[html::RawPiece]) {
        let lead = text.len() - text.trim_start().len();
        let t = text.trim();
        if t.is_empty() {
            return;
        }
        if !self.body.is_empty() {
            self.body.push_str("\n\n");
        }
        let start = self.body.len();
        for p in pieces {
            let s = p.text.max(lead);
            let e = (p.text + p.len).min(lead + t.len());
            if s < e {
                self.map
                    .push_copy(start + s - lead, p.raw + (s - p.text), e - s);
            }
        }
        self.body.push_str(t);
        self.paragraphs.push(Paragraph {
            range: TextRange::new(start, self.body.len()),
        });
    }
}

impl Cleaner {
    /// Clean one raw document.
    pub fn clean(&self, raw: RawDoc) -> Document {
        let mut b = BodyBuilder::default();
        let mut captions = Vec::new();
        let (title, published, outlet) = match raw.kind {
            DocKind::Text => {
                let s = scrape::analyze(&raw.text);
                for l in s.body() {
                    b.push(l.text, l.start);
                }
                captions.extend(
                    s.lines
                        .iter()
                        .filter(|l| l.role == scrape::Role::Furniture(scrape::Furniture::Caption))
                        .map(|l| TextRange::new(l.start, l.start + l.text.len())),
                );
                (
                    s.title.map(str::to_string),
                    s.published.map(|d| d.to_string()),
                    s.outlet,
                )
            }
            DocKind::Html => {
                let a = html::extract(&raw.text, raw.meta.url.as_deref());
                for p in &a.paragraphs {
                    b.push_pieces(&p.text, &p.pieces);
                }
                (a.title, a.published, a.outlet)
            }
        };
        let meta = raw.meta;
        Document {
            id: raw.id,
            source: raw.source,
            title: meta.title.filter(|t| !t.trim().is_empty()).or(title),
            published: meta
                .published
                .as_deref()
                .and_then(normalise_date)
                .or(published)
                .or_else(|| meta.crawled.as_deref().and_then(normalise_date)),
            outlet: meta.outlet.filter(|o| !o.trim().is_empty()).or(outlet),
            url: meta.url,
            body: b.body,
            paragraphs: b.paragraphs,
            map: b.map,
            raw: raw.text,
            sentences: Vec::new(),
            tokens: Vec::new(),
            captions,
            ..Document::default()
        }
    }
}

/// A date given as metadata, as `YYYY-MM-DD`; keeps a full ISO date-time as given.
fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    let d = dates::parse_date(s)?;
    let iso = d.to_string();
    if s.starts_with(&iso) && s.len() > 10 && s.as_bytes()[10] == b'T' {
        return Some(s.to_string());
    }
    Some(iso)
}
