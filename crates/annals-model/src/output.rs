//! The output contract of `annals analyze` (see the README): the records a run prints.
//!
//! Stages fill these from their own analyses; sinks serialise them. Field names and
//! meanings are fixed by the contract; fields may be added.

use serde::{Deserialize, Serialize};

/// A document record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    /// File stem, or the JSONL record's id.
    pub id: String,
    /// Path (with `:line` for JSONL, `#n` for WARC records, `-` for stdin).
    pub source: String,
    /// Headline, or null.
    pub title: Option<String>,
    /// ISO date or date-time, or null.
    pub published: Option<String>,
    /// Outlet, or null.
    pub outlet: Option<String>,
    /// URL when the input gave one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
    /// The clean body: paragraphs joined by blank lines.
    pub body: String,
    /// Paragraph count.
    pub paragraphs: usize,
    /// Sentence count.
    pub sentences: usize,
    /// Token count.
    pub tokens: usize,
}

/// A place in a document's body (or, with `place`, its headline or a caption).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Document id.
    pub doc: String,
    /// First byte in the body.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// The text there.
    pub text: String,
    /// Absent for the body. `title`: the offsets are into the headline. `caption`: the
    /// mention is in a photo caption the cleaner set aside, and the offsets are into the
    /// raw input.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub place: Option<String>,
}

/// An actor: person, country, organisation, group, alliance, location or other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRecord {
    /// Stable id within one output.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// person | country | organization | group | alliance | location | other.
    #[serde(rename = "type")]
    pub kind: String,
    /// ISO 3166 alpha-3, or null.
    pub country: Option<String>,
    /// Roles held.
    pub roles: Vec<String>,
    /// CAMEO actor code (`USAGOV`, `RUSGOV`, `IMGMUSISI`), or null.
    pub cameo: Option<String>,
    /// The id of the actor it belongs to or acts for, or null.
    pub affiliation: Option<String>,
    /// Surface forms seen.
    pub aliases: Vec<String>,
    /// False for an anonymous source.
    pub named: bool,
    /// Where it is mentioned.
    pub mentions: Vec<Mention>,
}

/// A direct or reported statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteRecord {
    /// Document id.
    pub doc: String,
    /// Actor id, or null.
    pub speaker: Option<String>,
    /// The statement, without quotation marks.
    pub text: String,
    /// False for reported speech.
    pub direct: bool,
    /// The speech verb.
    pub cue: Option<String>,
    /// First byte in the body (with `place`, in the headline or the raw input).
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// Absent for the body. `title`: the quote is in the headline and the offsets are
    /// into it. `caption`: it is in a photo caption the cleaner set aside, and the offsets
    /// are into the raw input. As for [`Mention::place`].
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub place: Option<String>,
    /// The further parts of a quote that runs over paragraphs or is split by its cue.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub continued: Vec<QuotePart>,
    /// How the speaker was found: `same-sentence`, `pronoun`, `dash`,
    /// `following-sentence`, `continuation`, `previous-paragraph`, `unattributed`.
    #[serde(default)]
    pub how: String,
    /// How sure the quote and its speaker are, from 0 to 1.
    #[serde(default)]
    pub confidence: f32,
}

/// A further part of a quote: its bytes in the body (or the quote's `place`) and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotePart {
    /// First byte in the body.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// The text there, without quotation marks.
    pub text: String,
}

/// A sentence an event, relation or stance was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Document id.
    pub doc: String,
    /// The sentence.
    pub sentence: String,
    /// Byte offsets of the sentence in the document's body, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<u32>,
    /// End of the sentence in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<u32>,
    /// The words of the sentence that express the claim ("met", "airstrikes"), when the
    /// claim is an event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Their byte offsets in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_start: Option<u32>,
    /// End of the action words in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_end: Option<u32>,
}

/// A coded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Id within one output.
    pub id: String,
    /// The event's own date, or null.
    pub date: Option<String>,
    /// day | week | month | year.
    pub date_precision: Option<String>,
    /// Actor id of the source.
    pub source: Option<String>,
    /// Actor id of the target.
    pub target: Option<String>,
    /// CAMEO code.
    pub cameo: String,
    /// 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    /// Goldstein scale value.
    pub goldstein: f32,
    /// The words that express the action.
    pub action: String,
    /// Where it was reported.
    pub mentions: Vec<Evidence>,
    /// Where the date came from: `text` (a time expression in the clause), `context`
    /// (the passage's date), `cross-document` (another report of the same event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_basis: Option<String>,
    /// The time expression the date was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_text: Option<String>,
    /// PLOVER event type ("CONSULT"); null for CAMEO codes PLOVER drops.
    #[serde(default)]
    pub plover: Option<String>,
    /// PLOVER mode ("visit"), when the table gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plover_mode: Option<String>,
    /// asserted | planned | considered | conditional.
    #[serde(default)]
    pub modality: String,
    /// True when source and target can swap ("met").
    #[serde(default)]
    pub symmetric: bool,
    /// How sure the coder is, from 0 to 1.
    #[serde(default)]
    pub confidence: f32,
}

/// A group of documents about one news event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryRecord {
    /// Id within one output.
    pub id: String,
    /// A title for the story.
    pub title: String,
    /// Member document ids.
    pub docs: Vec<String>,
}

/// A relation between two actors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationRecord {
    /// Actor id.
    pub a: String,
    /// Actor id.
    pub b: String,
    /// ally | member-of | supports | opposes | cooperates-with | negotiates-with.
    pub relation: String,
    /// Where it was read.
    pub evidence: Vec<Evidence>,
}

/// An actor's stance on a topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StanceRecord {
    /// Actor id.
    pub holder: String,
    /// The topic.
    pub topic: String,
    /// support | oppose | conditional.
    pub polarity: String,
    /// Where it was read.
    pub evidence: Vec<Evidence>,
}

/// The whole output of one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Documents.
    pub documents: Vec<DocumentRecord>,
    /// Actors.
    pub actors: Vec<ActorRecord>,
    /// Quotes, direct and reported.
    pub quotes: Vec<QuoteRecord>,
    /// Events.
    pub events: Vec<EventRecord>,
    /// Stories.
    pub stories: Vec<StoryRecord>,
    /// Relations.
    pub relations: Vec<RelationRecord>,
    /// Stances.
    pub stances: Vec<StanceRecord>,
}
