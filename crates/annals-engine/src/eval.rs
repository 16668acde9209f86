//! Scoring the actors stage against event-data gold sets.
//!
//! [`actor_countries`] reads the PLOVER gold sentences (`PLOVER_GSR_CAMEO.json`: records
//! with `text`, `date`, and `source`/`target` lists of `{actorText, code}`), analyses each
//! sentence, and checks that the actor found at each marked actor's words has the country
//! its CAMEO code starts with. Codes that name no country (`IGO`, `NGO`, `IMG`…) are not
//! counted.

use crate::Pipeline;
use annals_model::{DocId, DocKind, Document, RawDoc, RawMeta, TextRange};
use serde_json::Value;
use std::fmt;

/// How many marked actors got their country.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountryScores {
    /// Marked actors whose code names a country.
    pub actors: usize,
    /// Of those, the ones whose country annals found.
    pub found: usize,
    /// Sentences read.
    pub sentences: usize,
    /// Every miss: the actor's words, the gold country, what annals said.
    pub misses: Vec<(String, String, String)>,
}

impl CountryScores {
    /// `found / actors`.
    pub fn rate(&self) -> f64 {
        if self.actors == 0 {
            0.0
        } else {
            self.found as f64 / self.actors as f64
        }
    }
}

impl fmt::Display for CountryScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (text, gold, got) in &self.misses {
            writeln!(f, "miss: {text:?} gold={gold} got={got}")?;
        }
        write!(
            f,
            "sentences={} actors={} found={} country_rate={:.4}",
            self.sentences,
            self.actors,
            self.found,
            self.rate()
        )
    }
}

/// Score the country of every marked actor of a PLOVER-style gold file. `Err` when the
/// text is not a JSON array.
pub fn actor_countries(json: &str, pipeline: &Pipeline) -> Result<CountryScores, String> {
    let records: Vec<Value> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let countries = annals_actors::KnowledgeBase::bundled();
    let mut s = CountryScores::default();
    for (i, r) in records.iter().enumerate() {
        let Some(text) = r["text"].as_str() else {
            continue;
        };
        let raw = RawDoc {
            id: DocId(format!("plover-{i}")),
            source: format!("plover:{i}"),
            kind: DocKind::Text,
            text: text.to_string(),
            meta: RawMeta {
                // a title of its own, so the one sentence stays body text
                title: Some("-".into()),
                published: r["date"].as_str().map(str::to_string),
                ..Default::default()
            },
        };
        let doc = pipeline.process(raw);
        s.sentences += 1;
        for side in ["source", "target"] {
            let Some(list) = r[side].as_array() else {
                continue;
            };
            for a in list {
                let (Some(words), Some(code)) = (a["actorText"].as_str(), a["code"].as_str())
                else {
                    continue;
                };
                let gold = annals_actors::iso_of_cameo(code.get(..3).unwrap_or(""));
                if countries.country(gold).is_none() {
                    continue;
                }
                s.actors += 1;
                let got = country_at(&doc, words);
                if got.as_deref() == Some(gold) {
                    s.found += 1;
                } else {
                    s.misses.push((
                        words.to_string(),
                        gold.to_string(),
                        got.unwrap_or_else(|| "-".into()),
                    ));
                }
            }
        }
    }
    Ok(s)
}

/// The country of the actor mentioned at `words` (the part before any "..."): of the
/// mentions that overlap the words, the widest.
///
/// Coders' `actorText` is not always verbatim: spaces are doubled ("Homeland Union
/// (Conservatives)"), or a shared noun is spelt out ("US forces" for "US and British
/// forces"). So runs of spaces count as one, and when the words are not in the text, the
/// longest run of their first words that is stands for them.
fn country_at(doc: &Document, words: &str) -> Option<String> {
    let needle = words.split("...").next().unwrap_or(words);
    let needle: Vec<&str> = needle.split_whitespace().collect();
    let lower = doc.body.to_ascii_lowercase();
    let span = (1..=needle.len()).rev().find_map(|n| {
        let phrase = needle[..n].join(" ");
        let at = find_word(&doc.body, &phrase)
            .or_else(|| find_word(&lower, &phrase.to_ascii_lowercase()))?;
        Some(TextRange::new(at, at + phrase.len()))
    })?;
    doc.mentions
        .iter()
        .filter(|m| m.range.start < span.end && m.range.end > span.start)
        .filter_map(|m| {
            let a = &doc.actors[m.actor as usize];
            a.country.clone().map(|c| (m.range.end - m.range.start, c))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, c)| c)
}

/// The first place `needle` occurs in `hay` as whole words.
fn find_word(hay: &str, needle: &str) -> Option<usize> {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    hay.match_indices(needle).map(|(i, _)| i).find(|&i| {
        !word(hay[..i].chars().next_back()) && !word(hay[i + needle.len()..].chars().next())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_of_marked_actors_are_checked() {
        let gold = r#"[
          {"id": "doc", "event": "DOCUMENT"},
          {"id": "a", "date": "2000-01-01", "text": "Israeli troops entered the town, the Sudanese government said.",
           "source": [{"actorText": "Israeli troops", "code": "ISRMIL"}],
           "target": [{"actorText": "Sudanese government", "code": "SDNGOV"}, {"actorText": "town", "code": "IGO"}]}
        ]"#;
        let p = Pipeline::standard().unwrap();
        let s = actor_countries(gold, &p).unwrap();
        assert_eq!((s.sentences, s.actors, s.found), (1, 2, 2), "{s}");
        assert!(actor_countries("{}", &p).is_err());
    }
}
