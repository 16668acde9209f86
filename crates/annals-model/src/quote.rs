//! Statements found in one document: direct quotes and reported speech.
//!
//! The quotes stage fills [`crate::Document::quotes`]. A quote's ranges are byte ranges
//! into the clean body and cover the statement without its quotation marks; its speaker
//! is an index into [`crate::Document::actors`], found through one of the actor
//! mentions the actors stage made.

use crate::{SidePlace, TextRange};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a quote's speaker was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attribution {
    /// A speech verb and a named speaker in the same sentence: `"…," Obama said.`
    SameSentence,
    /// The same, but the speaker is a pronoun the actors stage resolved: `"…," he said.`
    Pronoun,
    /// A dash and a name after the quote: `"…" - Vladimir Putin.`
    Dash,
    /// The speech verb and speaker come in the next sentence.
    FollowingSentence,
    /// A further quote after an attributed one in the same paragraph.
    Continuation,
    /// A stand-alone quote paragraph; the speaker is set up in the paragraph before.
    PreviousParagraph,
    /// No speaker could be found.
    #[default]
    Unattributed,
}

impl Attribution {
    /// The name used in the output: `same-sentence`, `pronoun`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            Attribution::SameSentence => "same-sentence",
            Attribution::Pronoun => "pronoun",
            Attribution::Dash => "dash",
            Attribution::FollowingSentence => "following-sentence",
            Attribution::Continuation => "continuation",
            Attribution::PreviousParagraph => "previous-paragraph",
            Attribution::Unattributed => "unattributed",
        }
    }
}

impl fmt::Display for Attribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One statement: a direct quote (the words in quotation marks) or reported speech
/// (the reported content of "Obama said Russia should …").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Quote {
    /// The statement's bytes in the body, without quotation marks. For a quote that runs
    /// over several paragraphs or is split by its cue, the first part.
    pub range: TextRange,
    /// The further parts of a quote that runs over several paragraphs (`"… ¶ "…," he
    /// said`) or is split by its cue (`"That," said Obama, "is our goal."`), in order.
    pub continued: Vec<TextRange>,
    /// The speaker: an index into [`crate::Document::actors`].
    pub speaker: Option<u32>,
    /// Where the speaker is named (the mention the speaker was read from).
    pub speaker_mention: Option<TextRange>,
    /// The speech verb or phrase ("said", "told", "according to", a dash).
    pub cue: Option<TextRange>,
    /// True for words in quotation marks, false for reported speech.
    pub direct: bool,
    /// How the speaker was found.
    pub how: Attribution,
    /// How sure the stage is of the quote and its speaker, from 0 to 1.
    pub confidence: f32,
}

/// A quote in the headline or a photo caption rather than the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideQuote {
    /// Which text it is in.
    pub place: SidePlace,
    /// The quote; its ranges (text, further parts, cue, speaker mention) are into that
    /// text: the headline, or [`crate::Document::raw`] for a caption. Its speaker is an
    /// index into [`crate::Document::actors`].
    pub quote: Quote,
}
