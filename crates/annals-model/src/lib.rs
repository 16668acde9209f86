//! The types that flow between annals stages. No I/O lives here.
//!
//! Data flows one way:
//!
//! ```text
//! RawDoc ──clean──▶ Document (clean body + OffsetMap back to the raw text)
//!        ──segment─▶ Sentence / Token (byte ranges into the body)
//!        ──parse───▶ Syntax on every Token
//!        ──actors──▶ DocActor / ActorMention (who is named where)
//!        ──quotes──▶ Quote (who said what, direct or reported)
//!        ──events──▶ Event (who did what to whom, when)
//!        ──relations─▶ Relation / Stance (who stands with or against whom and what)
//!        ──corpus──▶ stories, relations and stances across documents (see [`output`])
//! ```
//!
//! Every later stage refers back to the text by [`DocId`] plus a [`TextRange`] into the
//! clean body, never by copied strings.
//!
//! ```
//! use annals_model::{OffsetMap, TextRange};
//! // body "ab" was built from raw "xxab": two verbatim bytes copied from raw offset 2
//! let mut map = OffsetMap::default();
//! map.push_copy(0, 2, 2);
//! assert_eq!(map.to_raw(1), Some(3));
//! assert_eq!(TextRange::new(0, 2).slice("ab"), "ab");
//! ```
#![warn(missing_docs)]

mod actor;
pub mod conllu;
mod doc;
mod event;
pub mod output;
mod quote;
mod range;
mod relation;
mod stage;
pub mod syntax;
mod text;

pub use actor::{ActorMention, ActorType, DocActor, Gender, MentionHow, SideMention, SidePlace};
pub use doc::{DocId, DocKind, Document, OffsetMap, RawDoc, RawMeta};
pub use event::{ClauseTense, DateBasis, DatePrecision, Event, EventDate, Modality, PendingTime};
pub use quote::{Attribution, Quote, SideQuote};
pub use range::TextRange;
pub use relation::{Polarity, Relation, RelationKind, Stance};
pub use stage::Annotate;
pub use syntax::{DepRel, Syntax, Upos, Xpos};
pub use text::{Paragraph, Sentence, Token};
