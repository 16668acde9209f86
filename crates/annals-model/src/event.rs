//! Events found in one document: who did what to whom, and when.
//!
//! The events stage fills [`crate::Document::events`]. An event's source and target are
//! indexes into [`crate::Document::actors`]; its ranges are byte ranges into the clean body.

use crate::TextRange;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether the text asserts that the event happened, or something weaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Modality {
    /// Reported as having happened or happening: "Russia annexed Crimea".
    #[default]
    Asserted,
    /// Announced or intended for the future: "will meet", "plans to visit".
    Planned,
    /// Under consideration: "is considering airstrikes", "did not rule out".
    Considered,
    /// Under a condition or hypothetical: "would welcome Russia if …".
    Conditional,
    /// Said not to have happened: "did not attack", "denied sending troops".
    Negated,
    /// Tried and failed: "failed to resolve".
    Failed,
}

impl Modality {
    /// The name used in the output: `asserted`, `planned`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Planned => "planned",
            Modality::Considered => "considered",
            Modality::Conditional => "conditional",
            Modality::Negated => "negated",
            Modality::Failed => "failed",
        }
    }
}

impl fmt::Display for Modality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How precise an event's date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// A calendar day.
    Day,
    /// A week, given as its Monday.
    Week,
    /// A month, given as its first day.
    Month,
    /// A year, given as its January 1.
    Year,
}

impl DatePrecision {
    /// `day`, `week`, `month` or `year`.
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

/// Where an event's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateBasis {
    /// A time expression in the event's own clause ("on Monday", "Sept. 30").
    Text,
    /// The time expression of an earlier event in the same passage that the clause goes on
    /// narrating (no time expression of its own, same tense).
    Context,
    /// Another document's report of the same event (set when events are merged).
    CrossDocument,
}

impl DateBasis {
    /// `text`, `context` or `cross-document`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Text => "text",
            DateBasis::Context => "context",
            DateBasis::CrossDocument => "cross-document",
        }
    }
}

/// A resolved event date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventDate {
    /// Year, month (1–12) and day (1–31) of the first day of the period.
    pub ymd: (i32, u8, u8),
    /// Day, week, month or year.
    pub precision: DatePrecision,
    /// Where the date came from.
    pub basis: DateBasis,
    /// The time expression in the body, when the date was read from one.
    pub range: Option<TextRange>,
}

impl EventDate {
    /// `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        let (y, m, d) = self.ymd;
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// One coded event: a clause or a nominal ("talks", "airstrikes") that says an actor did
/// something to another.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Event {
    /// The sentence it was coded from (an index into [`crate::Document::sentences`]).
    pub sentence: u32,
    /// The words that express the action ("met", "held talks with", "airstrikes").
    pub action: TextRange,
    /// Who acted: an index into [`crate::Document::actors`].
    pub source: Option<u32>,
    /// Whom it was done to.
    pub target: Option<u32>,
    /// CAMEO event code ("040", "0332", "195").
    pub cameo: String,
    /// Asserted, planned, considered, ….
    pub modality: Modality,
    /// True for actions whose source and target can swap ("met", "agreed with").
    pub symmetric: bool,
    /// The date of the event itself, when the text gives one.
    pub date: Option<EventDate>,
    /// How sure the coder is, from 0 to 1.
    pub confidence: f32,
    /// True when the clause narrates in the simple past (or reports a statement made in
    /// it), so that an undated event can take the date of the passage it belongs to.
    pub narrative: bool,
    /// A time expression the text attaches to the event that could not be resolved for
    /// lack of a reference date ("on September 15" with no year in an undated page). A
    /// later, corpus-level step can resolve it against a date inferred for the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_time: Option<PendingTime>,
}

/// An unresolved time expression of an event, with the tense it is to be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingTime {
    /// The expression in the body.
    pub range: TextRange,
    /// The tense of the clause: "on Monday" looks back in a past clause, forward in a
    /// future one.
    pub tense: ClauseTense,
}

/// The tense of the clause a time expression belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClauseTense {
    /// Happened.
    Past,
    /// Happening, or unknown.
    Present,
    /// Will happen.
    Future,
}
