//! The data files of story clustering (`data/stories/`).

use crate::input::hash_word;
use crate::Error;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use crate::cluster::PassHasher;

static EVENT_WEIGHTS: &str = include_str!("../../../data/stories/event-weights.tsv");
static STOPWORDS: &str = include_str!("../../../data/stories/stopwords.txt");

/// How strongly a shared event ties two documents to one news event, by CAMEO code
/// prefix (`data/stories/event-weights.tsv`).
#[derive(Debug, Clone, Default)]
pub struct EventWeights {
    /// (prefix, weight), longest prefixes first.
    rows: Vec<(String, f32)>,
}

impl EventWeights {
    /// The bundled table.
    pub fn bundled() -> Self {
        Self::parse("event-weights.tsv", EVENT_WEIGHTS).expect("bundled event weights load")
    }

    /// Read a table: `prefix<TAB>weight` lines, `#` comments.
    pub fn parse(file: &'static str, text: &str) -> Result<Self, Error> {
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |reason: &str| Error::Data {
                file,
                line: i + 1,
                reason: reason.to_string(),
            };
            let (code, w) = line.split_once('\t').ok_or_else(|| err("no tab"))?;
            if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("the code prefix is not digits"));
            }
            let w: f32 = w
                .trim()
                .parse()
                .map_err(|_| err("the weight is no number"))?;
            rows.push((code.to_string(), w));
        }
        rows.sort_by_key(|r| std::cmp::Reverse(r.0.len()));
        Ok(Self { rows })
    }

    /// The weight of a code: that of its longest listed prefix, else 0.5.
    pub fn weight(&self, cameo: &str) -> f32 {
        self.rows
            .iter()
            .find(|(p, _)| cameo.starts_with(p.as_str()))
            .map_or(0.5, |r| r.1)
    }
}

/// Words left out of similarity (`data/stories/stopwords.txt`), as hashes. Asked of
/// every word of every document, twice: the hashes are well mixed already, so the set
/// uses them as they are rather than hashing them again.
#[derive(Debug, Clone, Default)]
pub struct Stopwords(HashSet<u64, BuildHasherDefault<PassHasher>>);

impl Stopwords {
    /// The bundled list.
    pub fn bundled() -> Self {
        Stopwords(
            STOPWORDS
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(hash_word)
                .collect(),
        )
    }

    /// True when the word of this hash carries no topic.
    pub fn contains(&self, h: u64) -> bool {
        self.0.contains(&h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_wins() {
        let w = EventWeights::bundled();
        assert_eq!(w.weight("190"), 0.3);
        assert_eq!(w.weight("193"), 1.0);
        assert_eq!(w.weight("040"), 1.0);
        assert_eq!(w.weight("99"), 0.5);
    }

    #[test]
    fn bad_rows_are_reported_with_their_line() {
        let e = EventWeights::parse("t.tsv", "# c\n04\tx\n").unwrap_err();
        assert_eq!(e.to_string(), "t.tsv:2: the weight is no number");
        assert!(Stopwords::bundled().contains(hash_word("Said")));
    }
}
