//! The records of the knowledge base.

use crate::date::{Date, Span};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An index into a [`crate::KnowledgeBase`]'s entries; valid for that knowledge base only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryId(pub u32);

impl EntryId {
    /// As a `usize`, for indexing.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What an actor is. The names are those of the output contract's `type` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    /// A person.
    Person,
    /// A country or territory (an ISO 3166 entry).
    Country,
    /// A state body, party, company, international organisation or one of its organs.
    Organization,
    /// An armed non-state group.
    Group,
    /// An alliance or coalition of states or groups.
    Alliance,
    /// A place that is not a country.
    Location,
}

impl ActorKind {
    /// The contract's name for the kind: `person`, `country`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::Country => "country",
            ActorKind::Organization => "organization",
            ActorKind::Group => "group",
            ActorKind::Alliance => "alliance",
            ActorKind::Location => "location",
        }
    }

    /// Parse a contract name; `organisation` is accepted too.
    pub fn parse(s: &str) -> Option<ActorKind> {
        Some(match s.trim() {
            "person" => ActorKind::Person,
            "country" => ActorKind::Country,
            "organization" | "organisation" => ActorKind::Organization,
            "group" => ActorKind::Group,
            "alliance" => ActorKind::Alliance,
            "location" => ActorKind::Location,
            _ => return None,
        })
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person's grammatical gender, for pronoun resolution: the model's type, so an entry's
/// gender passes to a document's actor as it is.
pub use annals_model::Gender;

/// Parse `male`/`m` or `female`/`f`.
pub(crate) fn parse_gender(s: &str) -> Option<Gender> {
    match s.trim() {
        "male" | "m" => Some(Gender::Male),
        "female" | "f" => Some(Gender::Female),
        _ => None,
    }
}

/// How a surface form names its entry. Later stages use it to type a mention: a
/// [`AliasKind::Seat`] names the country's government, a [`AliasKind::Demonym`] is usually an
/// adjective ("Russian jets").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AliasKind {
    /// A name, short name, acronym or spelling of the entry itself.
    Name,
    /// A demonym or adjective of a country: "Russian", "Syrians".
    Demonym,
    /// A country's capital city, often a metonym for its government: "Moscow".
    Capital,
    /// A seat of government or office used as a metonym: "the Kremlin", "Downing Street".
    Seat,
    /// A place inside the country (a province, a city) that is not its capital.
    Place,
}

/// One surface form of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alias {
    /// The text as written in the knowledge base.
    pub text: String,
    /// How it names the entry.
    pub kind: AliasKind,
}

/// An office held over a span of dates: `USA head of state` from 2009-01-20 to 2017-01-20.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Role {
    /// The role key: `ISO3 head of state`, `ISO3 head of government`, `ISO3 foreign
    /// minister`, `ISO3 defence minister`, `UN secretary-general`, … (see the data README).
    pub key: String,
    /// When it was held.
    pub span: Span,
}

/// A CAMEO actor code, possibly limited to a span of dates (`USAGOV` from 2009-01-20).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Code {
    /// The code: `USAGOV`, `IGOUNO`, `IMGMUSISI`, ….
    pub code: String,
    /// When it applies.
    pub span: Span,
}

/// One actor of the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Stable slug: `barack-obama`, `russia`, `islamic-state`.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// What it is.
    pub kind: ActorKind,
    /// ISO 3166 alpha-3 of the country it belongs to (a country's own code for a country).
    pub country: Option<String>,
    /// Its main CAMEO actor code, when one applies.
    pub cameo: Option<String>,
    /// A person's gender, when known.
    pub gender: Option<Gender>,
    /// Offices held, with dates.
    pub roles: Vec<Role>,
    /// Dated CAMEO codes (from the Phoenix dictionaries): a person's affiliation over time.
    pub codes: Vec<Code>,
    /// Surface forms, the canonical name first.
    pub aliases: Vec<Alias>,
}

impl Entry {
    /// The CAMEO code that applies on `date`: the latest-starting dated code whose span
    /// holds the date, else the main code.
    pub fn cameo_on(&self, date: Date) -> Option<&str> {
        self.codes
            .iter()
            .filter(|c| c.span.contains(date) && (c.span.from.is_some() || c.span.to.is_some()))
            .max_by_key(|c| c.span.from)
            .map(|c| c.code.as_str())
            .or(self.cameo.as_deref())
    }

    /// The roles held on `date`.
    pub fn roles_on(&self, date: Date) -> impl Iterator<Item = &Role> {
        self.roles.iter().filter(move |r| r.span.contains(date))
    }

    /// The CAMEO code of a country's government (`RUSGOV`), which a [`AliasKind::Seat`] or
    /// [`AliasKind::Capital`] mention stands for.
    pub fn government_cameo(&self) -> Option<String> {
        (self.kind == ActorKind::Country)
            .then(|| self.cameo.as_ref().map(|c| format!("{c}GOV")))
            .flatten()
    }

    pub(crate) fn add_alias(&mut self, text: &str, kind: AliasKind) {
        let text = text.trim();
        if text.is_empty() || self.aliases.iter().any(|a| a.text == text) {
            return;
        }
        self.aliases.push(Alias {
            text: text.to_string(),
            kind,
        });
    }
}

/// CAMEO's country codes where they differ from ISO 3166 alpha-3 (`ANGREB` is UNITA, an
/// Angolan group).
pub fn iso_of_cameo(code: &str) -> &str {
    match code {
        "ANG" => "AGO",
        "KSV" => "XKX",
        "JAP" => "JPN",
        "ITL" => "ITA",
        "GMY" => "DEU",
        "UKG" => "GBR",
        "TUK" => "TUR",
        "ROM" => "ROU",
        other => other,
    }
}
