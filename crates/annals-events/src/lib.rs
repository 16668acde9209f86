//! The event coder: who did what to whom, and when.
//!
//! ```text
//! Document (tokens + parse + actor mentions) ─[EventStage]─▶ Document::events
//!   per sentence: predicates and nominal events → source/target from syntax
//!                 → CAMEO code from the verb patterns → modality → date (annals-time)
//! events of many documents ─[merge]─▶ one event per real-world event, several mentions
//! ```
//!
//! - [`EventStage`] is the pipeline stage. It reads the parse and the actors stage's
//!   mentions and fills [`annals_model::Document::events`].
//! - [`Lexicon`] holds the dictionaries from `data/events/`: the CAMEO verb patterns
//!   converted from PETRARCH2's dictionary, annals' own verbs and nominal events, and the
//!   code table (quad class, Goldstein score, PLOVER type).
//! - [`merge`] groups events from several documents that report the same real-world event.
//!
//! What the coder does with a clause:
//! - the action is a verb with its particles and the words a pattern selects ("held talks
//!   with" → 046), or a nominal event ("Russia's airstrikes" → 195);
//! - the source is the subject (through control, coordination and participles), the agent
//!   of a passive, or a nominal's possessor or country adjective; the target is the object,
//!   an oblique with "with", "against", "on", "to"…, or the passive's subject;
//! - an intended, considered or conditional action ("is considering airstrikes", "would
//!   welcome Russia") is coded as the intent (03) or the threat (13); a negated one is not
//!   coded ("did not attack"), but "did not rule out X" is X considered;
//! - reported speech is the speaker's: "Obama said Washington was ready to work with
//!   Russia" is Obama → Russia, 03; "Obama said Russia should …" is a demand (10) to
//!   Russia;
//! - the date is the time expression in the event's own clause, resolved against the
//!   publication date and the clause's tense; an undated clause that goes on narrating in
//!   the simple past takes the date of the event before it in the same passage
//!   (`basis: context`). Nothing falls back to the publication date.
//!
//! ```
//! use annals_events::Lexicon;
//! let lex = Lexicon::bundled();
//! let met = lex.code("040").unwrap();
//! assert_eq!((met.quad, met.plover.as_str()), (1, "CONSULT"));
//! ```
#![warn(missing_docs)]

mod coder;
mod dating;
mod lexicon;
mod merge;
pub mod view;

pub use dating::resolve_pending;
pub use lexicon::{code_info, CodeInfo, Lexicon};
pub use merge::{merge, MergeInput, Merged};

use annals_model::{Annotate, Document};

/// The events stage.
pub struct EventStage {
    lex: Lexicon,
}

impl EventStage {
    /// The stage with the bundled dictionaries.
    pub fn bundled() -> Self {
        EventStage {
            lex: Lexicon::bundled(),
        }
    }

    /// The dictionaries the stage codes with.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lex
    }
}

impl Default for EventStage {
    fn default() -> Self {
        Self::bundled()
    }
}

impl Annotate for EventStage {
    fn name(&self) -> &'static str {
        "events"
    }

    fn annotate(&self, doc: &mut Document) {
        doc.events = coder::code_document(&self.lex, doc);
    }
}
