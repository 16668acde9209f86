//! Actors found in one document and the places that mention them.
//!
//! The actors stage fills [`crate::Document::actors`] and [`crate::Document::mentions`]:
//! every mention points at one [`DocActor`] of the same document by index, and every
//! actor carries the id that the same actor has in every other document (a knowledge-base
//! id such as `barack-obama`, or a slug of the name for actors the knowledge base does
//! not know).

use crate::TextRange;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an actor is. The names are those of the output contract's `type` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ActorType {
    /// A person.
    Person,
    /// A country or territory.
    Country,
    /// A state body, party, company, medium, international organisation.
    Organization,
    /// An armed non-state group, or a group of people ("US officials").
    Group,
    /// An alliance or coalition.
    Alliance,
    /// A place that is not a country.
    Location,
    /// A name whose kind could not be told.
    #[default]
    Other,
}

impl ActorType {
    /// The contract's name: `person`, `country`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            ActorType::Person => "person",
            ActorType::Country => "country",
            ActorType::Organization => "organization",
            ActorType::Group => "group",
            ActorType::Alliance => "alliance",
            ActorType::Location => "location",
            ActorType::Other => "other",
        }
    }
}

impl fmt::Display for ActorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person's grammatical gender, for pronouns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// He.
    Male,
    /// She.
    Female,
}

/// One actor of a document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DocActor {
    /// The id, the same in every document: `barack-obama`, `russia`, `lilia-shevtsova`.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// What it is.
    pub kind: ActorType,
    /// ISO 3166 alpha-3 of its country, when it has one.
    pub country: Option<String>,
    /// Roles held on the document's date, or titles the text gives it.
    pub roles: Vec<String>,
    /// CAMEO actor code (`USAGOV`, `RUSGOV`, `IMGMUSISI`), when one applies.
    pub cameo: Option<String>,
    /// The id of the actor it belongs to or acts for (a minister's country, a
    /// government's country, a coalition's leader).
    pub affiliation: Option<String>,
    /// False for an anonymous source ("a US official").
    pub named: bool,
    /// A person's gender, when known.
    pub gender: Option<Gender>,
}

/// How a mention names its actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionHow {
    /// A name: "Barack Obama", "Obama", "ISIL".
    Name,
    /// A name with a title or description: "US President Barack Obama".
    Titled,
    /// A description resolved to an actor: "the Russian president", "the group".
    Description,
    /// A capital or seat standing for a government: "Moscow", "the Kremlin".
    Metonym,
    /// An adjective of a country: "Russian", "French".
    Adjective,
    /// A pronoun: "he", "she".
    Pronoun,
    /// An anonymous source: "a US official", "many commentators".
    Anonymous,
}

/// Text outside the body that can name actors: the headline, or a photo caption the
/// cleaner set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SidePlace {
    /// [`crate::Document::title`]; ranges are into the title.
    Title,
    /// A caption line; ranges are into [`crate::Document::raw`].
    Caption,
}

/// A mention in the headline or a caption rather than the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideMention {
    /// Which text it is in.
    pub place: SidePlace,
    /// Its bytes in that text.
    pub range: TextRange,
    /// Index into [`crate::Document::actors`].
    pub actor: u32,
    /// How it names the actor.
    pub how: MentionHow,
}

/// A place in the body that names an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorMention {
    /// Its bytes in the body.
    pub range: TextRange,
    /// Index into [`crate::Document::actors`].
    pub actor: u32,
    /// How it names the actor.
    pub how: MentionHow,
}
