use crate::actor::{ActorMention, DocActor, SideMention, SidePlace};
use crate::event::Event;
use crate::quote::{Quote, SideQuote};
use crate::relation::{Relation, Stance};
use crate::text::{Paragraph, Sentence, Token};
use crate::TextRange;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A document's identifier: the file stem for files, the record's `id` for JSONL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(pub String);

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl DocId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What kind of markup a raw document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocKind {
    /// Plain text, possibly a scrape with site furniture around the article.
    Text,
    /// An HTML page.
    Html,
}

/// Metadata that came with the input itself (JSONL fields, WARC headers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawMeta {
    /// Headline given by the input.
    pub title: Option<String>,
    /// Publication date or date-time as given.
    pub published: Option<String>,
    /// Outlet (publication) name.
    pub outlet: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// When the container gave it (a WARC record's `WARC-Date`): when the page was fetched.
    /// Only a fallback for the publication date.
    pub crawled: Option<String>,
    /// The legacy charset the text was decoded from, when it was not UTF-8 or UTF-16.
    pub encoding: Option<String>,
}

/// One input document, decoded to UTF-8 but not yet cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDoc {
    /// Stable id.
    pub id: DocId,
    /// Where it came from: a path, `path:line` for JSONL, `path#record` for WARC, `-` for stdin.
    pub source: String,
    /// Markup kind.
    pub kind: DocKind,
    /// The decoded text (UTF-8, BOM stripped, NULs removed). Raw offsets refer to this.
    pub text: String,
    /// Metadata carried by the container.
    pub meta: RawMeta,
}

/// One piece of the clean body that was copied from the raw text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// Offset in the clean body.
    pub clean: u32,
    /// Offset in the raw text.
    pub raw: u32,
    /// Length in bytes in the clean body.
    pub len: u32,
}

/// Maps byte offsets in a clean body back to the raw text it was built from.
///
/// The body is built by appending pieces; a piece is either copied verbatim from the raw
/// text (one entry here) or synthesised (a paragraph break, a decoded entity), in which
/// case offsets inside it map to the end of the previous copied piece.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetMap {
    pieces: Vec<Piece>,
}

impl OffsetMap {
    /// Record that `len` bytes at clean offset `clean` were copied from raw offset `raw`.
    /// Adjacent contiguous pieces are merged.
    pub fn push_copy(&mut self, clean: usize, raw: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.pieces.last_mut() {
            if (last.clean + last.len) as usize == clean && (last.raw + last.len) as usize == raw {
                last.len += len as u32;
                return;
            }
        }
        self.pieces.push(Piece {
            clean: clean as u32,
            raw: raw as u32,
            len: len as u32,
        });
    }

    /// The raw offset of a clean offset, or `None` when nothing was copied before it.
    pub fn to_raw(&self, clean: usize) -> Option<usize> {
        let clean = clean as u32;
        let i = self.pieces.partition_point(|p| p.clean <= clean);
        let p = self.pieces.get(i.checked_sub(1)?)?;
        let inside = (clean - p.clean).min(p.len);
        Some((p.raw + inside) as usize)
    }

    /// The raw range that a clean range came from.
    pub fn raw_range(&self, r: TextRange) -> Option<TextRange> {
        let s = self.to_raw(r.start as usize)?;
        let e = self.to_raw(r.end as usize)?.max(s);
        Some(TextRange::new(s, e))
    }

    /// The copied pieces, in body order.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }
}

/// A cleaned document: the article body with its metadata, and the analyses of later stages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Stable id.
    pub id: DocId,
    /// Where it came from (see [`RawDoc::source`]).
    pub source: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication date, ISO 8601 (`YYYY-MM-DD` or a date-time).
    pub published: Option<String>,
    /// Outlet name.
    pub outlet: Option<String>,
    /// Article URL.
    pub url: Option<String>,
    /// The clean body: paragraphs joined by blank lines.
    pub body: String,
    /// Paragraph ranges into `body`.
    pub paragraphs: Vec<Paragraph>,
    /// From body offsets back to `raw`.
    pub map: OffsetMap,
    /// The decoded raw text the body was cut from.
    pub raw: String,
    /// Sentences, in order; filled by segmentation.
    pub sentences: Vec<Sentence>,
    /// All tokens of the document, in order; sentences index into this.
    pub tokens: Vec<Token>,
    /// The actors the document names; filled by the actors stage.
    pub actors: Vec<DocActor>,
    /// Every mention of an actor, in body order; each points into `actors`.
    pub mentions: Vec<ActorMention>,
    /// Photo captions the cleaner set aside from the body, as ranges into `raw`.
    pub captions: Vec<TextRange>,
    /// Mentions of actors in the headline and the captions, in that order.
    pub side_mentions: Vec<SideMention>,
    /// Direct quotes and reported speech, in body order; filled by the quotes stage.
    pub quotes: Vec<Quote>,
    /// Coded events, in body order; filled by the events stage.
    pub events: Vec<Event>,
    /// Quotes in the headline and the captions, in that order (ranges into the headline
    /// or into `raw`, as for [`Document::side_mentions`]).
    pub side_quotes: Vec<SideQuote>,
    /// Relations between actors, in body order; filled by the relations stage.
    pub relations: Vec<Relation>,
    /// Stances of actors on topics, in body order; filled by the relations stage.
    pub stances: Vec<Stance>,
    /// Set when this document is not an article but its headline or one of its captions,
    /// analysed on its own (the engine does this): stages may read the forms of that
    /// kind of text, such as a headline's `Statement - Speaker`.
    pub side: Option<SidePlace>,
}

impl Document {
    /// The text of a range of the body.
    pub fn text(&self, r: TextRange) -> &str {
        r.slice(&self.body)
    }

    /// The tokens of one sentence.
    pub fn sentence_tokens(&self, s: &Sentence) -> &[Token] {
        self.tokens
            .get(s.tokens.start as usize..s.tokens.end as usize)
            .unwrap_or(&[])
    }

    /// The surface text of a token, or its normalised form where tokenization changed it.
    pub fn token_form<'a>(&'a self, t: &'a Token) -> &'a str {
        t.norm
            .as_deref()
            .unwrap_or_else(|| t.range.slice(&self.body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_map_maps_copied_and_synthesised_bytes() {
        // raw: "HEAD\nabc\n\nxyz" ; body: "abc\n\nxyz" with a synthesised break
        let mut m = OffsetMap::default();
        m.push_copy(0, 5, 3); // "abc"
        m.push_copy(5, 10, 3); // "xyz"
        assert_eq!(m.to_raw(0), Some(5));
        assert_eq!(m.to_raw(2), Some(7));
        assert_eq!(
            m.to_raw(3),
            Some(8),
            "a synthesised byte maps to the end of the piece before"
        );
        assert_eq!(m.to_raw(6), Some(11));
        assert_eq!(
            m.raw_range(TextRange::new(5, 8)),
            Some(TextRange::new(10, 13))
        );
    }

    #[test]
    fn offset_map_merges_contiguous_pieces() {
        let mut m = OffsetMap::default();
        m.push_copy(0, 0, 2);
        m.push_copy(2, 2, 2);
        assert_eq!(m.pieces().len(), 1);
        assert_eq!(OffsetMap::default().to_raw(3), None);
    }
}
