//! Stories: near-duplicate detection, online story clustering, timelines and
//! multi-document summaries.
//!
//! ```text
//! Document ─(engine)─▶ StoryInput ─[Clusterer::add_batch]─▶ Assignment (story, copy of …)
//!                                   │  Dedup: MinHash/LSH over content-word shingles
//!                                   │  candidates: inverted index of recent stories' top
//!                                   │  terms, actors and events (bounded per feature)
//!                                   └▶ Story: members, centroid, dates ─[summarize]─▶ title,
//!                                       a few non-redundant sentences
//! ```
//!
//! - [`StoryInput`] is what a document contributes: content-word hashes in order, actor
//!   ids with their mention counts, dyadic events, candidate sentences for summaries, a
//!   date. The engine builds it from an analysed document; benchmarks build it from word
//!   lists.
//! - [`Dedup`] finds near-copies (syndicated or reposted articles) and repeated
//!   paragraphs with MinHash signatures in an LSH index (both our own, in [`dedup`]).
//! - [`Clusterer`] is online and incremental: [`Clusterer::add_batch`] updates the
//!   document frequencies with a batch, then joins each document to the most similar
//!   story (text, shared actors and events, closeness in time) or opens a new one. The
//!   candidate stories of a document come from a bounded inverted index, so the cost
//!   grows about linearly with the corpus.
//! - [`summarize`] picks a story's title and the few sentences that cover its main events
//!   and statements without repeating a fact.
//!
//! ```
//! use annals_stories::{Clusterer, StoryInput, InputEvent};
//! let doc = |id: &str, words: &str, day: i32| StoryInput {
//!     id: id.into(),
//!     day: Some(day),
//!     terms: StoryInput::hash_words(words.split(' ')),
//!     actors: vec![("russia".into(), 3), ("united-states".into(), 2)],
//!     events: vec![InputEvent { source: "russia".into(), target: "united-states".into(),
//!                               cameo: "040".into(), day: Some(day) }],
//!     ..StoryInput::default()
//! };
//! let mut c = Clusterer::bundled();
//! let a = c.add_batch(vec![
//!     doc("a", "summit talks kremlin envoy moscow geneva ceasefire talks", 100),
//!     doc("b", "geneva summit talks envoy ceasefire moscow", 101),
//!     StoryInput { actors: vec![], events: vec![],
//!                  ..doc("c", "flood rains river villages evacuated monsoon dam", 101) },
//! ]);
//! assert_eq!(a[0].story, a[1].story);
//! assert_ne!(a[0].story, a[2].story);
//! ```
#![warn(missing_docs)]

mod cluster;
mod dedup;
mod input;
mod summary;
pub mod synth;
mod weights;

pub use cluster::{Assignment, Clusterer, Settings, Story, StoryId};
pub use dedup::{Dedup, DupLink};
pub use input::{
    day_of_iso, days_from_civil, hash_word, iso_of_day, InputEvent, InputSentence, StoryInput,
};
pub use summary::{summarize, summarize_with, Summary};
pub use weights::{EventWeights, Stopwords};

/// What can go wrong in this crate: only reading its data files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A line of a data file could not be read.
    #[error("{file}:{line}: {reason}")]
    Data {
        /// The file.
        file: &'static str,
        /// 1-based line number.
        line: usize,
        /// Why.
        reason: String,
    },
}
