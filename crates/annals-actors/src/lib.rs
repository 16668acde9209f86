//! The actor knowledge base of annals and its compiled mention matcher.
//!
//! - [`KnowledgeBase`]: countries and territories (ISO 3166 alpha-3, names, demonyms,
//!   capitals and seats of government), international organisations and their organs,
//!   alliances, armed non-state groups, and office holders with dated roles. Loaded from the
//!   TSV tables in `data/actors/` (compiled into the binary with `include_str!`) plus an
//!   optional user TOML file ([`KnowledgeBase::with_user_file`]).
//! - [`Entry`]: one actor: id, name, [`ActorKind`], country, CAMEO code, gender, [`Role`]s,
//!   dated CAMEO [`Code`]s and [`Alias`]es.
//! - [`Matcher`]: every alias of every entry compiled into Aho-Corasick automata; finds
//!   mentions on word boundaries as [`ActorMatch`]es (a [`annals_model::TextRange`] into the
//!   text and the entries it names).
//!
//! Data flow: `data/actors/*.tsv` ─load, merge by id─▶ [`KnowledgeBase`] ─compile─▶
//! [`Matcher`]; a document body ─[`Matcher::find_iter`]─▶ mentions for the typing and
//! coreference stages.
//!
//! ```
//! use annals_actors::{Date, KnowledgeBase};
//!
//! let kb = KnowledgeBase::bundled();
//! let text = "The Kremlin said ISIL fighters had fled, US President Barack Obama said.";
//! let found: Vec<(&str, &str)> = kb
//!     .matcher()
//!     .find_iter(text)
//!     .map(|m| (m.range.slice(text), kb.entry(m.entry()).id.as_str()))
//!     .collect();
//! assert!(found.contains(&("Kremlin", "russia")));
//! assert!(found.contains(&("ISIL", "islamic-state")));
//! assert_eq!(found.last().unwrap().1, "barack-obama");
//!
//! let day = Date::parse("2015-09-28").unwrap();
//! assert_eq!(kb.holder_of("USA head of state", day), Some("barack-obama"));
//! ```
#![warn(missing_docs)]

mod date;
mod entry;
mod error;
mod kb;
mod lexicon;
mod matcher;
mod people;
mod resolve;
mod trie;

pub use date::{Date, Span};
pub use entry::{iso_of_cameo, ActorKind, Alias, AliasKind, Code, Entry, EntryId, Gender, Role};
pub use error::{Error, Result};
pub use kb::{bundled_sources, Format, KnowledgeBase, Source, BUNDLED};
pub use matcher::{ActorMatch, Matcher, Matches, Target};
pub use resolve::ActorStage;
