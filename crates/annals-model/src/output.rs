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
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StoryRecord {
    /// Id within one output.
    pub id: String,
    /// A title for the story.
    pub title: String,
    /// Member document ids.
    pub docs: Vec<String>,
    /// The first and last day the story covers (`YYYY-MM-DD`), when any member is dated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub date_range: Vec<String>,
    /// The outlets that reported it, each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outlets: Vec<String>,
    /// Members that are near-copies of another member (syndicated or reposted text):
    /// linked to it, and not counted as reports of their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<CopyLink>,
    /// The story's events in date order (ids of `events`), undated ones last.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<TimelineEntry>,
    /// A few sentences that cover the story's main events and statements, each traceable
    /// to its document; the same fact is not repeated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub summary: Vec<Evidence>,
}

/// A document that is a near-copy of another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CopyLink {
    /// The copy.
    pub doc: String,
    /// The document it copies (the first one seen).
    pub of: String,
    /// Estimated Jaccard similarity of their word shingles, from 0 to 1.
    pub similarity: f32,
}

/// One event of a story's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// The event's date, or null.
    pub date: Option<String>,
    /// The event's id in `events`.
    pub event: String,
    /// Source actor id.
    pub source: Option<String>,
    /// CAMEO code.
    pub cameo: String,
    /// Target actor id.
    pub target: Option<String>,
    /// The action words.
    pub action: String,
    /// How many member documents report it.
    pub reports: usize,
}

/// A relation between two actors.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RelationRecord {
    /// Actor id.
    pub a: String,
    /// Actor id.
    pub b: String,
    /// ally | member-of | supports | opposes | cooperates-with | negotiates-with.
    pub relation: String,
    /// Where it was read.
    pub evidence: Vec<Evidence>,
    /// The documents it was read from, each once (near-copies counted once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docs: Vec<String>,
    /// Where it came from: `text` (a phrase or clause that states it), `events` (coded
    /// events between the two), or both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<String>,
    /// True when every report of it is announced, intended or hedged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hedged: bool,
}

/// An actor's stance on a topic.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StanceRecord {
    /// Actor id.
    pub holder: String,
    /// The topic.
    pub topic: String,
    /// support | oppose | conditional.
    pub polarity: String,
    /// Where it was read.
    pub evidence: Vec<Evidence>,
    /// The actor ids the topic names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topic_actors: Vec<String>,
    /// The words that express the stance in each piece of evidence ("urged", "ruled out").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<String>,
}

/// How two actors (rolled up to the countries or organisations they act for) treat each
/// other, from the coded events between them, week by week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DyadRecord {
    /// Actor id (the lesser of the two).
    pub a: String,
    /// Actor id.
    pub b: String,
    /// Events between them, either way.
    pub events: usize,
    /// Events by quad class: verbal cooperation, material cooperation, verbal conflict,
    /// material conflict.
    pub quad: [usize; 4],
    /// Mean Goldstein score.
    pub goldstein: f32,
    /// `cooperation`, `conflict` or `mixed`, from the mean Goldstein score.
    pub tone: String,
    /// The same by ISO week (`2015-W40`) of the events' dates; undated events are left
    /// out.
    pub weeks: Vec<DyadWeek>,
}

/// One week of a dyad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DyadWeek {
    /// ISO week: `2015-W40`.
    pub week: String,
    /// Events that week.
    pub events: usize,
    /// Events by quad class.
    pub quad: [usize; 4],
    /// Mean Goldstein score.
    pub goldstein: f32,
    /// `cooperation`, `conflict` or `mixed`.
    pub tone: String,
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
    /// Actor pairs and the tone of the events between them, week by week.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dyads: Vec<DyadRecord>,
}
