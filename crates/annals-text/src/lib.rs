//! Sentence segmentation and tokenization for news English, with byte offsets.
//!
//! Main types and functions:
//!
//! - [`Segmenter`]: the pipeline stage. It implements [`annals_model::Annotate`] and fills
//!   [`Document::sentences`](annals_model::Document) and `Document::tokens` from the body
//!   and its paragraphs.
//! - [`tokenize`] / [`tokenize_into`]: the tokenizer alone, returning [`Span`]s.
//! - [`train_segmenter`] / [`train_segmenter_with`] ([`TrainOptions`]): train the boundary
//!   model from a CoNLL-U treebank.
//! - [`eval_segment`]: scores sentences and tokens against a CoNLL-U treebank
//!   ([`SegmentScores`]).
//!
//! Data flow, per paragraph of the clean body (paragraphs are hard boundaries):
//!
//! ```text
//! paragraph text ─tokenize─▶ Spans (UD English EWT tokens: do + n't, Obama + 's, U.S.)
//!                ─rules────▶ each gap: "never a boundary" or "maybe" (Mr. Putin, ." he said)
//!                ─model────▶ maybes decided by a small neural net (models/segmenter.bin)
//!                ─────────▶ Sentence { range, paragraph, tokens } + Token { range, norm, space_after }
//! ```
//!
//! Every token's range slices the body exactly; `norm` is set only where the form
//! differs from the surface (curly clitics: `n’t` → `n't`), so the common case allocates
//! nothing per token.
//!
//! ```
//! use annals_model::{Annotate, Document, Paragraph, TextRange};
//! use annals_text::Segmenter;
//!
//! let body = "Putin visits Paris\n\nMr. Putin said he didn’t know. The U.S. Army declined to comment.";
//! let mut doc = Document { body: body.into(), ..Default::default() };
//! doc.paragraphs = vec![
//!     Paragraph { range: TextRange::new(0, 18) },
//!     Paragraph { range: TextRange::new(20, body.len()) },
//! ];
//! Segmenter::new().annotate(&mut doc);
//! let sents: Vec<&str> = doc.sentences.iter().map(|s| doc.text(s.range)).collect();
//! assert_eq!(sents, ["Putin visits Paris", "Mr. Putin said he didn’t know.", "The U.S. Army declined to comment."]);
//! assert_eq!(doc.sentences[2].paragraph, 1);
//! let forms: Vec<&str> = doc.sentence_tokens(&doc.sentences[1]).iter().map(|t| doc.token_form(t)).collect();
//! assert_eq!(forms, ["Mr.", "Putin", "said", "he", "did", "n't", "know", "."]);
//! ```
#![warn(missing_docs)]

mod eval;
mod lexicon;
mod model;
mod rules;
mod segment;
mod tokenize;

pub use eval::{eval_segment, Prf, SegmentScores};
pub use model::{train_segmenter, train_segmenter_with, ModelError, TrainOptions};
pub use segment::{Segmenter, MAX_SENTENCE_TOKENS};
pub use tokenize::{tokenize, tokenize_into, Span};
