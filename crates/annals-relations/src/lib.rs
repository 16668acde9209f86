//! Relations between actors and stances of actors, read from the parse.
//!
//! ```text
//! Document (parse + actor mentions + quotes) ─[RelationStage]─▶ Document::relations,
//!                                                               Document::stances
//!   per sentence: cue words of data/relations/cues.tsv (verbs, nouns, adjectives)
//!                 → the holder (subject, possessor, passive agent, a quote's speaker)
//!                 → the other side or the topic (object, oblique with the cue's
//!                   prepositions, clausal complement)
//!                 → negation, conditions and hedges (data/relations/markers.tsv)
//!   and the forms that carry a relation inside a phrase: "the Kremlin-backed RT",
//!   "the US-led coalition", "anti-ISIL", "pro-Russian separatists", "X and its allies",
//!   "X is a coalition of two -- Y and Z", "X and Y have a coalition of 65 countries".
//! ```
//!
//! The engine joins each document's relations and stances across documents, adds the
//! relations that coded events imply, and aggregates events by quad class and Goldstein
//! score into dyads, week by week.
//!
//! - [`RelationStage`] is the pipeline stage.
//! - [`Lexicon`] holds the cue words and markers.
//! - [`relation_of_event`] says which relation a coded event implies.
//!
//! ```
//! use annals_relations::relation_of_event;
//! use annals_model::RelationKind;
//! assert_eq!(relation_of_event("040"), Some(RelationKind::NegotiatesWith));
//! assert_eq!(relation_of_event("195"), Some(RelationKind::Opposes));
//! assert_eq!(relation_of_event("010"), None);
//! ```
#![warn(missing_docs)]

mod extract;
mod lexicon;

pub use lexicon::{Class, Cue, Lexicon, Pos};

use annals_model::{Annotate, Document, RelationKind};

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

/// The relations stage.
pub struct RelationStage {
    lex: Lexicon,
}

impl RelationStage {
    /// The stage with the bundled cue words.
    pub fn bundled() -> Self {
        RelationStage {
            lex: Lexicon::bundled(),
        }
    }
}

impl Default for RelationStage {
    fn default() -> Self {
        Self::bundled()
    }
}

impl Annotate for RelationStage {
    fn name(&self) -> &'static str {
        "relations"
    }

    fn annotate(&self, doc: &mut Document) {
        let (relations, stances) = extract::extract(&self.lex, doc);
        doc.relations = relations;
        doc.stances = stances;
    }
}

/// The relation a coded event implies between its source and target, by CAMEO code:
/// consultations and negotiations (04, 046) are `negotiates-with`; diplomatic and
/// material cooperation (05, 06) `cooperates-with`; aid (07) `supports`; disapproval,
/// rejection, threats, protests, sanctions, coercion, assaults and fighting (11–20)
/// `opposes`. Statements, appeals, intents, demands and yielding imply none.
pub fn relation_of_event(cameo: &str) -> Option<RelationKind> {
    let root: u32 = cameo.get(..2)?.parse().ok()?;
    Some(match root {
        4 => RelationKind::NegotiatesWith,
        5 | 6 => RelationKind::CooperatesWith,
        7 => RelationKind::Supports,
        11..=20 => RelationKind::Opposes,
        _ => return None,
    })
}
