//! The compiled mention matcher: every alias of every entry in two Aho-Corasick automata.
//!
//! - **Exact** (case-sensitive): acronyms and other aliases without a lowercase ASCII letter
//!   ("IS", "US", "U.S.", "NATO", "WHO"), and aliases of one or two characters. "IS" never
//!   matches "is", "WHO" never "who".
//! - **Folded** (ASCII case-insensitive): everything else, so "the Kremlin", "The Kremlin" and
//!   "THE KREMLIN" all match. A capital in the alias must be a capital in the text:
//!   "Turkey" matches "Turkey" and "TURKEY" but not "turkey", and "the UN" not "the un".
//!
//! Both run leftmost-longest; a match counts only on word boundaries (no letter or digit
//! right before or after it), and the two streams are merged leftmost-longest, so
//! "US-led coalition" wins over "US" at the same place.

use crate::entry::{AliasKind, Entry, EntryId};
use crate::error::Result;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use annals_model::TextRange;
use std::collections::HashMap;

/// One thing an alias can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target {
    /// The entry.
    pub entry: EntryId,
    /// How the alias names it.
    pub kind: AliasKind,
}

#[derive(Debug, Clone)]
struct PatInfo {
    /// Range into `Matcher::targets`.
    start: u32,
    end: u32,
    /// Range into `Matcher::upper`: the alias bytes, lowercased where no capital is needed.
    /// Empty for the exact automaton.
    upper_start: u32,
    upper_end: u32,
    /// Check the left / right boundary (the alias starts / ends with a letter or digit).
    check_left: bool,
    check_right: bool,
}

/// The compiled matcher of a [`crate::KnowledgeBase`]. Read-only and `Send + Sync`: share
/// one across threads.
#[derive(Debug, Clone)]
pub struct Matcher {
    exact: Option<AhoCorasick>,
    folded: Option<AhoCorasick>,
    exact_info: Vec<PatInfo>,
    folded_info: Vec<PatInfo>,
    targets: Vec<Target>,
    upper: Vec<u8>,
    patterns: usize,
}

/// A mention of a knowledge-base entry in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorMatch<'m> {
    /// Where it is, in bytes.
    pub range: TextRange,
    targets: &'m [Target],
}

impl<'m> ActorMatch<'m> {
    /// The entry it most likely names: the first entry that has this alias, hand-curated
    /// entries before converted ones.
    pub fn entry(&self) -> EntryId {
        self.targets[0].entry
    }

    /// How the alias names [`ActorMatch::entry`].
    pub fn kind(&self) -> AliasKind {
        self.targets[0].kind
    }

    /// Every entry the alias names, best first. More than one when the alias is ambiguous
    /// ("Bush", "Clinton"); later stages choose by date and context.
    pub fn targets(&self) -> &'m [Target] {
        self.targets
    }

    /// True when the alias names more than one entry.
    pub fn is_ambiguous(&self) -> bool {
        self.targets.len() > 1
    }
}

/// True for aliases matched case-sensitively: no lowercase ASCII letter but some uppercase
/// one (acronyms, "U.S."), or at most two characters.
pub(crate) fn is_exact_alias(text: &str) -> bool {
    let has_lower = text.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = text.bytes().any(|b| b.is_ascii_uppercase());
    (!has_lower && has_upper) || text.chars().count() <= 2
}

#[derive(Default)]
struct Side {
    keys: HashMap<String, usize>,
    patterns: Vec<String>,
    targets: Vec<Vec<Target>>,
    /// Per pattern: its bytes, uppercase only where every alias merged into it has a
    /// capital.
    upper: Vec<Vec<u8>>,
}

impl Side {
    fn add(&mut self, key: String, pattern: String, target: Target) {
        let next = self.patterns.len();
        let i = *self.keys.entry(key).or_insert(next);
        if i == next {
            self.upper.push(pattern.as_bytes().to_vec());
            self.patterns.push(pattern);
            self.targets.push(Vec::new());
        } else {
            for (u, b) in self.upper[i].iter_mut().zip(pattern.bytes()) {
                if !b.is_ascii_uppercase() {
                    u.make_ascii_lowercase();
                }
            }
        }
        let ts = &mut self.targets[i];
        if !ts.iter().any(|t| t.entry == target.entry) {
            ts.push(target);
        }
    }
}

impl Matcher {
    /// Compile the aliases of `entries`.
    pub(crate) fn build(entries: &[Entry]) -> Result<Matcher> {
        let mut exact = Side::default();
        let mut folded = Side::default();
        for (i, e) in entries.iter().enumerate() {
            let target_of = |kind| Target {
                entry: EntryId(i as u32),
                kind,
            };
            for a in &e.aliases {
                let text = a.text.trim();
                if text.is_empty() {
                    continue;
                }
                let mut forms = vec![text.to_string()];
                if text.contains('\'') {
                    forms.push(text.replace('\'', "\u{2019}"));
                }
                for form in forms {
                    if is_exact_alias(&form) {
                        exact.add(form.clone(), form, target_of(a.kind));
                    } else {
                        folded.add(form.to_ascii_lowercase(), form, target_of(a.kind));
                    }
                }
            }
        }
        let mut targets = Vec::new();
        let mut upper = Vec::new();
        let mut infos = |side: &Side, fold: bool| -> Vec<PatInfo> {
            side.patterns
                .iter()
                .zip(&side.targets)
                .zip(&side.upper)
                .map(|((p, ts), up)| {
                    let start = targets.len() as u32;
                    targets.extend_from_slice(ts);
                    let upper_start = upper.len() as u32;
                    if fold && up.iter().any(u8::is_ascii_uppercase) {
                        upper.extend_from_slice(up);
                    }
                    PatInfo {
                        start,
                        end: targets.len() as u32,
                        upper_start,
                        upper_end: upper.len() as u32,
                        check_left: p.chars().next().is_some_and(char::is_alphanumeric),
                        check_right: p.chars().next_back().is_some_and(char::is_alphanumeric),
                    }
                })
                .collect()
        };
        let exact_info = infos(&exact, false);
        let folded_info = infos(&folded, true);
        let compile = |side: &Side, fold: bool, kind| -> Result<Option<AhoCorasick>> {
            if side.patterns.is_empty() {
                return Ok(None);
            }
            Ok(Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(fold)
                    .start_kind(StartKind::Both)
                    .kind(kind)
                    .build(&side.patterns)?,
            ))
        };
        let exact_ac = compile(&exact, false, Some(AhoCorasickKind::DFA))?;
        let folded_ac = compile(&folded, true, None)?;
        Ok(Matcher {
            patterns: exact.patterns.len() + folded.patterns.len(),
            exact: exact_ac,
            folded: folded_ac,
            exact_info,
            folded_info,
            targets,
            upper,
        })
    }

    /// The number of distinct compiled patterns.
    pub fn pattern_count(&self) -> usize {
        self.patterns
    }

    /// Heap bytes used by the two automata.
    pub fn memory_usage(&self) -> usize {
        self.exact.as_ref().map_or(0, |a| a.memory_usage())
            + self.folded.as_ref().map_or(0, |a| a.memory_usage())
    }

    /// Every mention in `text`, left to right, non-overlapping, longest first at each place.
    pub fn find_iter<'m, 't>(&'m self, text: &'t str) -> Matches<'m, 't> {
        Matches {
            m: self,
            text,
            streams: [
                Stream::new(self.exact.as_ref(), &self.exact_info, &self.upper),
                Stream::new(self.folded.as_ref(), &self.folded_info, &self.upper),
            ],
        }
    }
}

#[derive(Debug, Clone)]
struct Stream<'m> {
    ac: Option<&'m AhoCorasick>,
    info: &'m [PatInfo],
    upper: &'m [u8],
    pos: usize,
    peeked: Option<(usize, usize, u32)>,
    done: bool,
}

impl<'m> Stream<'m> {
    fn new(ac: Option<&'m AhoCorasick>, info: &'m [PatInfo], upper: &'m [u8]) -> Self {
        Stream {
            ac,
            info,
            upper,
            pos: 0,
            peeked: None,
            done: ac.is_none(),
        }
    }

    fn peek(&mut self, text: &str) -> Option<(usize, usize, u32)> {
        if self.peeked.is_none() && !self.done {
            self.peeked = self.search(text);
            self.done = self.peeked.is_none();
        }
        self.peeked
    }

    fn search(&mut self, text: &str) -> Option<(usize, usize, u32)> {
        let ac = self.ac?;
        let bytes = text.as_bytes();
        while self.pos <= bytes.len() {
            let m = ac.find(Input::new(bytes).span(self.pos..bytes.len()))?;
            let s = m.start();
            let mut m = Some(m);
            // Not on a word boundary or in the wrong case: try the shorter aliases that start
            // at the same place ("Assad" when "Assad Forces" fails on "Assad forces").
            while let Some(c) = m {
                if self.accepts(text, c.start(), c.end(), c.pattern().as_usize()) {
                    self.pos = c.end();
                    return Some((c.start(), c.end(), c.pattern().as_u32()));
                }
                m = (c.end() > s + 1)
                    .then(|| {
                        ac.find(
                            Input::new(bytes)
                                .range(s..c.end() - 1)
                                .anchored(Anchored::Yes),
                        )
                    })
                    .flatten();
            }
            // Then look again one byte further, so an overlapping later alias is not lost.
            self.pos = s + 1;
        }
        None
    }

    fn accepts(&self, text: &str, s: usize, e: usize, pattern: usize) -> bool {
        let info = &self.info[pattern];
        let bytes = text.as_bytes();
        (!info.check_left || !text[..s].chars().next_back().is_some_and(is_word))
            && (!info.check_right || !text[e..].chars().next().is_some_and(is_word))
            && self.upper[info.upper_start as usize..info.upper_end as usize]
                .iter()
                .zip(&bytes[s..e])
                .all(|(u, t)| !u.is_ascii_uppercase() || t.is_ascii_uppercase())
    }

    fn restart_at(&mut self, pos: usize) {
        if self.peeked.is_some_and(|(s, _, _)| s < pos) {
            self.peeked = None;
            self.pos = pos;
            self.done = self.ac.is_none();
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The iterator of [`Matcher::find_iter`].
#[derive(Debug, Clone)]
pub struct Matches<'m, 't> {
    m: &'m Matcher,
    text: &'t str,
    streams: [Stream<'m>; 2],
}

impl<'m> Iterator for Matches<'m, '_> {
    type Item = ActorMatch<'m>;

    fn next(&mut self) -> Option<ActorMatch<'m>> {
        let a = self.streams[0].peek(self.text);
        let b = self.streams[1].peek(self.text);
        let (which, (s, e, pat)) = match (a, b) {
            (None, None) => return None,
            (Some(a), None) => (0, a),
            (None, Some(b)) => (1, b),
            (Some(a), Some(b)) => {
                if (a.0, std::cmp::Reverse(a.1)) <= (b.0, std::cmp::Reverse(b.1)) {
                    (0, a)
                } else {
                    (1, b)
                }
            }
        };
        self.streams[which].peeked = None;
        self.streams[1 - which].restart_at(e);
        let info = &self.streams[which].info[pat as usize];
        Some(ActorMatch {
            range: TextRange::new(s, e),
            targets: &self.m.targets[info.start as usize..info.end as usize],
        })
    }
}
