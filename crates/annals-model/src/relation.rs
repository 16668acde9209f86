//! Relations between actors and stances of actors, found in one document.
//!
//! The relations stage fills [`crate::Document::relations`] and
//! [`crate::Document::stances`]. Actors are indexes into [`crate::Document::actors`];
//! ranges are byte ranges into the clean body.
use crate::TextRange;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What binds two actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    /// Allies: "its Soviet-era ally", "X and its allies" (between two members).
    Ally,
    /// The first is a member (or the leader) of the second, a coalition or alliance.
    MemberOf,
    /// The first backs the second: "Russia backed the rebels", "the Kremlin-backed RT".
    Supports,
    /// The first is against the second: "the coalition against Islamic State".
    Opposes,
    /// They act together: "agreed to cooperate", "working with the Ukrainians".
    CooperatesWith,
    /// They meet, talk or negotiate: "met privately", "called Lavrov".
    NegotiatesWith,
}

impl RelationKind {
    /// The contract's name: `ally`, `member-of`, `supports`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Ally => "ally",
            RelationKind::MemberOf => "member-of",
            RelationKind::Supports => "supports",
            RelationKind::Opposes => "opposes",
            RelationKind::CooperatesWith => "cooperates-with",
            RelationKind::NegotiatesWith => "negotiates-with",
        }
    }

    /// The kind of a contract name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "ally" => RelationKind::Ally,
            "member-of" => RelationKind::MemberOf,
            "supports" => RelationKind::Supports,
            "opposes" => RelationKind::Opposes,
            "cooperates-with" => RelationKind::CooperatesWith,
            "negotiates-with" => RelationKind::NegotiatesWith,
            _ => return None,
        })
    }

    /// True when the relation holds both ways ("cooperates with", "allies").
    pub fn symmetric(self) -> bool {
        matches!(
            self,
            RelationKind::Ally | RelationKind::CooperatesWith | RelationKind::NegotiatesWith
        )
    }
}

impl fmt::Display for RelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// For or against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// For it.
    Support,
    /// Against it.
    Oppose,
    /// For it on a condition ("would welcome Russia if …", "has not ruled out").
    Conditional,
}

impl Polarity {
    /// `support`, `oppose` or `conditional`.
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Support => "support",
            Polarity::Oppose => "oppose",
            Polarity::Conditional => "conditional",
        }
    }
}

impl fmt::Display for Polarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A relation between two actors read from one sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// The first actor (the supporter, the member): an index into
    /// [`crate::Document::actors`].
    pub a: u32,
    /// The second actor.
    pub b: u32,
    /// What binds them.
    pub kind: RelationKind,
    /// The sentence it was read from (an index into [`crate::Document::sentences`]).
    pub sentence: u32,
    /// The words that express it ("backed", "-led", "coalition of").
    pub cue: TextRange,
    /// True when it is announced, intended or hedged rather than asserted ("would
    /// welcome", "allegedly backed").
    pub hedged: bool,
}

/// An actor's stance on a topic read from one sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stance {
    /// Who holds it: an index into [`crate::Document::actors`].
    pub holder: u32,
    /// The topic as a phrase, actor mentions written with the actors' names
    /// ("backing Bashar al-Assad", "Bashar al-Assad staying in power").
    pub topic: String,
    /// The topic's words in the body.
    pub topic_range: TextRange,
    /// The actors the topic names.
    pub topic_actors: Vec<u32>,
    /// For, against, or for on a condition.
    pub polarity: Polarity,
    /// The sentence it was read from.
    pub sentence: u32,
    /// The words that express it ("urged", "ruled out", "concern").
    pub cue: TextRange,
}
