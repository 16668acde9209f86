//! The compiled mention matcher: every alias of every entry in two Aho-Corasick automata.
//!
//! Case: aliases match ASCII-case-insensitively, but a capital in the alias must be a
//! capital in the text, so "the Kremlin", "The Kremlin" and "THE KREMLIN" all match while
//! "Turkey" does not match "turkey". Acronyms and other aliases without a lowercase letter
//! ("IS", "US", "U.S.", "NATO", "WHO") and aliases of one or two characters match only as
//! written: "IS" never matches "is" or "Is", "WHO" never "who".
//!
//! Speed: almost every alias starts with a capital, and a mention must start a word, so
//! those aliases sit in one automaton (`caps`) that is only tried, anchored, where a word
//! starts with a capital letter: a few positions per sentence instead of every byte. The
//! few aliases that start otherwise ("al-Qaeda", "anti-ISIL coalition") sit in a small
//! automaton (`rest`) that scans the whole text.
//!
//! Both are leftmost-longest; a match counts only on word boundaries (no letter or digit
//! right before or after it), and the two streams are merged leftmost-longest, so
//! "US-led coalition" wins over "US" at the same place.

use crate::entry::{AliasKind, Entry, EntryId};
use crate::error::Result;
use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
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
    /// Range into `Matcher::upper`: the alias bytes, uppercase where the text needs a
    /// capital (the letters of an exact alias; the capitals of any other). Empty when no
    /// capital is needed.
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
    caps: Option<NFA>,
    rest: Option<AhoCorasick>,
    caps_info: Vec<PatInfo>,
    rest_info: Vec<PatInfo>,
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
    /// Per pattern: its bytes, uppercase where the text must have a capital.
    upper: Vec<Vec<u8>>,
}

impl Side {
    fn add(&mut self, pattern: &str, target: Target) {
        let exact = is_exact_alias(pattern);
        // An exact alias needs every letter in capitals (lowercase letters of a short
        // alias such as "Xi" must then match as written too, which ASCII folding allows
        // only for the capitals: good enough for two characters).
        let want: Vec<u8> = pattern.bytes().collect();
        let next = self.patterns.len();
        let i = *self
            .keys
            .entry(pattern.to_ascii_lowercase())
            .or_insert(next);
        if i == next {
            self.upper.push(want);
            self.patterns.push(pattern.to_string());
            self.targets.push(Vec::new());
        } else if !exact {
            // Two spellings that differ only in case: a capital is needed only where
            // both have one.
            for (u, b) in self.upper[i].iter_mut().zip(want) {
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
        let mut caps = Side::default();
        let mut rest = Side::default();
        for (i, e) in entries.iter().enumerate() {
            for a in &e.aliases {
                let text = a.text.trim();
                if text.is_empty() {
                    continue;
                }
                let target = Target {
                    entry: EntryId(i as u32),
                    kind: a.kind,
                };
                let mut forms = vec![text.to_string()];
                if text.contains('\'') {
                    forms.push(text.replace('\'', "\u{2019}"));
                }
                for form in forms {
                    if starts_capital(&form) {
                        caps.add(&form, target);
                    } else {
                        rest.add(&form, target);
                    }
                }
            }
        }
        let mut targets = Vec::new();
        let mut upper = Vec::new();
        let mut infos = |side: &Side| -> Vec<PatInfo> {
            side.patterns
                .iter()
                .zip(&side.targets)
                .zip(&side.upper)
                .map(|((p, ts), up)| {
                    let start = targets.len() as u32;
                    targets.extend_from_slice(ts);
                    let upper_start = upper.len() as u32;
                    if up.iter().any(u8::is_ascii_uppercase) {
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
        let caps_info = infos(&caps);
        let rest_info = infos(&rest);
        // The capitals automaton is walked by hand, anchored at each capitalised word: every
        // match state on the way is a candidate, so the longest one that passes the boundary
        // and case checks wins with no second search.
        let caps_ac = if caps.patterns.is_empty() {
            None
        } else {
            Some(
                NFA::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .prefilter(false)
                    .build(&caps.patterns)?,
            )
        };
        // The rest is small: a DFA, scanned over the whole text.
        let rest_ac = if rest.patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .start_kind(StartKind::Both)
                    .prefilter(false)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&rest.patterns)?,
            )
        };
        Ok(Matcher {
            patterns: caps.patterns.len() + rest.patterns.len(),
            caps: caps_ac,
            rest: rest_ac,
            caps_info,
            rest_info,
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
        self.caps.as_ref().map_or(0, |a| a.memory_usage())
            + self.rest.as_ref().map_or(0, |a| a.memory_usage())
    }

    /// Every mention in `text`, left to right, non-overlapping, longest first at each place.
    pub fn find_iter<'m, 't>(&'m self, text: &'t str) -> Matches<'m, 't> {
        Matches {
            m: self,
            text,
            streams: [
                Stream::new(
                    Engine::Caps(self.caps.as_ref()),
                    &self.caps_info,
                    &self.upper,
                ),
                Stream::new(
                    Engine::Rest(self.rest.as_ref()),
                    &self.rest_info,
                    &self.upper,
                ),
            ],
        }
    }
}

/// True when the alias starts with a capital letter (ASCII or not).
fn starts_capital(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

#[derive(Debug, Clone, Copy)]
enum Engine<'m> {
    /// Walked anchored at capitalised word starts.
    Caps(Option<&'m NFA>),
    /// Searched unanchored.
    Rest(Option<&'m AhoCorasick>),
}

#[derive(Debug, Clone)]
struct Stream<'m> {
    engine: Engine<'m>,
    info: &'m [PatInfo],
    upper: &'m [u8],
    pos: usize,
    peeked: Option<(usize, usize, u32)>,
    done: bool,
}

impl<'m> Stream<'m> {
    fn new(engine: Engine<'m>, info: &'m [PatInfo], upper: &'m [u8]) -> Self {
        let mut s = Stream {
            engine,
            info,
            upper,
            pos: 0,
            peeked: None,
            done: false,
        };
        s.done = s.empty();
        s
    }

    fn empty(&self) -> bool {
        matches!(self.engine, Engine::Caps(None) | Engine::Rest(None))
    }

    fn peek(&mut self, text: &str) -> Option<(usize, usize, u32)> {
        if self.peeked.is_none() && !self.done {
            self.peeked = match self.engine {
                Engine::Caps(Some(nfa)) => self.search_capitals(nfa, text),
                Engine::Rest(Some(ac)) => self.search(ac, text),
                _ => None,
            };
            self.done = self.peeked.is_none();
        }
        self.peeked
    }

    /// Anchored walks from each word that starts with a capital.
    fn search_capitals(&mut self, nfa: &NFA, text: &str) -> Option<(usize, usize, u32)> {
        let bytes = text.as_bytes();
        let start = nfa.start_state(Anchored::Yes).ok()?;
        while self.pos < bytes.len() {
            // The next byte that may start a capital: an ASCII capital or a non-ASCII lead
            // byte (checked below).
            let Some(off) = bytes[self.pos..]
                .iter()
                .position(|&b| b.is_ascii_uppercase() || b >= 0xC0)
            else {
                self.pos = bytes.len();
                return None;
            };
            let s = self.pos + off;
            self.pos = s + 1;
            if bytes[s] >= 0xC0 && !text[s..].chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            if text[..s].chars().next_back().is_some_and(is_word) {
                continue;
            }
            let mut sid = start;
            let mut best = None;
            for (i, &b) in bytes.iter().enumerate().skip(s) {
                sid = nfa.next_state(Anchored::Yes, sid, b);
                if nfa.is_special(sid) {
                    if nfa.is_dead(sid) {
                        break;
                    }
                    if nfa.is_match(sid) {
                        let p = nfa.match_pattern(sid, 0).as_usize();
                        if self.accepts(text, s, i + 1, p) {
                            best = Some((s, i + 1, p as u32));
                        }
                    }
                }
            }
            if let Some(found) = best {
                self.pos = found.1;
                return Some(found);
            }
        }
        None
    }

    /// Unanchored search over the whole text.
    fn search(&mut self, ac: &AhoCorasick, text: &str) -> Option<(usize, usize, u32)> {
        let bytes = text.as_bytes();
        while self.pos <= bytes.len() {
            let m = ac.find(Input::new(bytes).span(self.pos..bytes.len()))?;
            let s = m.start();
            if let Some(found) = self.longest_accepted(ac, text, s, Some(m)) {
                self.pos = found.1;
                return Some(found);
            }
            // Look again one byte further, so an overlapping later alias is not lost.
            self.pos = s + 1;
        }
        None
    }

    /// The longest alias starting at `s` that is on word boundaries and in the right case,
    /// beginning with the candidate `m`: when it fails, the shorter aliases at the same
    /// place are tried ("Assad" when "Assad Forces" fails on "Assad forces").
    fn longest_accepted(
        &self,
        ac: &AhoCorasick,
        text: &str,
        s: usize,
        mut m: Option<aho_corasick::Match>,
    ) -> Option<(usize, usize, u32)> {
        let bytes = text.as_bytes();
        while let Some(c) = m {
            if self.accepts(text, c.start(), c.end(), c.pattern().as_usize()) {
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
            self.done = self.empty();
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
