//! The quotes stage: who said what. It reads a [`Document`] that the segmenter, the
//! parser and the actors stage have annotated, and fills [`Document::quotes`] with
//! [`Quote`]s:
//!
//! - **direct quotes**, in straight or curly double marks, single marks (told apart from
//!   apostrophes such as "States’" or "'90s"), guillemets; quotes that run over several
//!   paragraphs; quotes split by their cue (`"That," said Obama, "is our goal."`); nested
//!   quotes (kept inside the outer one); dash attributions (`"…" - Vladimir Putin`);
//! - **reported speech** (`direct: false`): "Obama said Russia should …", "Putin told
//!   reporters that …", "according to Lavrov, …", "urged the world to …";
//! - in a headline analysed on its own ([`Document::side`] is the title), also its
//!   unmarked attributions: "Statement - Obama", "Statement: Moscow", "Putin: Statement"
//!   (reported speech: a headline sums up what was said).
//!
//! Every quote has its byte range in the body (the text without marks), its speaker (an
//! index into [`Document::actors`], read from one of the actors stage's mentions), its
//! cue, how the speaker was found ([`Attribution`]) and a confidence.
//!
//! ```text
//! Document (tokens, parse, mentions) ─▶ pair quotation marks ─▶ direct quotes
//!                                    ─▶ speech cues + speakers ─▶ attribution, reported speech
//! ```
//!
//! ```
//! use annals_model::{ActorMention, Annotate, DocActor, Document, MentionHow, Paragraph, TextRange};
//! use annals_quotes::QuoteStage;
//!
//! // a document as the earlier stages leave it (here without tokens or a parse)
//! let body = "\"We will not give up the fight,\" - Jane Roe.";
//! let mut doc = Document { body: body.into(), ..Default::default() };
//! doc.paragraphs.push(Paragraph { range: TextRange::new(0, body.len()) });
//! QuoteStage::new().annotate(&mut doc);
//! let q = &doc.quotes[0];
//! assert!(q.direct);
//! assert_eq!(doc.text(q.range), "We will not give up the fight,");
//! ```
#![warn(missing_docs)]

mod find;
mod lexicon;
mod marks;
mod view;

use annals_model::{Annotate, Document};
pub use annals_model::{Attribution, Quote};

/// The quotes stage. It holds no state: the speech-verb lexicon is a static table.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuoteStage {
    _private: (),
}

impl QuoteStage {
    /// The stage.
    pub fn new() -> Self {
        Self::default()
    }

    /// The quotes of `doc`, in body order, without storing them.
    pub fn quotes(&self, doc: &Document) -> Vec<Quote> {
        find::find(doc)
    }
}

impl Annotate for QuoteStage {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn annotate(&self, doc: &mut Document) {
        doc.quotes = find::find(doc);
    }
}
