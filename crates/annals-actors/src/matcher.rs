//! The compiled mention matcher: every alias of every entry in two byte tries.
//!
//! Case: aliases match ASCII-case-insensitively, but a capital in the alias must be a
//! capital in the text, so "the Kremlin", "The Kremlin" and "THE KREMLIN" all match while
//! "Turkey" does not match "turkey". Acronyms and other aliases without a lowercase letter
//! ("IS", "US", "U.S.", "NATO", "WHO") and aliases of one or two characters match only as
//! written: "IS" never matches "is" or "Is", "WHO" never "who".
//!
//! Boundaries: a mention starts where a word starts and ends where a word ends (no letter
//! or digit right before or after it); a possessive or a hyphen is a boundary
//! ("Russia's", "pro-Assad").
//!
//! Speed: since a mention starts a word, the text is scanned once for word starts and the
//! tries are walked from there, never from every byte (so they need no failure links, and
//! are built in time linear in the aliases' bytes):
//! - `all`, every alias, is walked where a word starts with a capital (a few places a
//!   sentence; almost every alias starts with a capital, so lowercase words can't start
//!   one);
//! - `lower`, the few aliases that start in lowercase ("al-Qaeda", "anti-ISIL coalition",
//!   "peshmerga"), is walked at a lowercase word only when its first two letters begin
//!   such an alias (a 64 Kbit table).
//!
//! Each walk notes every alias that ends on the way and keeps the longest that passes the
//! boundary and case checks; the scan goes on after it (leftmost-longest), so
//! "US-led coalition" wins over "US". Aliases that do not start with a letter or digit are
//! not matched.

use crate::entry::{AliasKind, Entry, EntryId};
use crate::trie::Trie;
use annals_model::TextRange;
use rustc_hash::FxHashMap as HashMap;

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
    /// Check the right boundary (the alias ends with a letter or digit).
    check_right: bool,
}

/// One trie and what its patterns name.
#[derive(Debug, Clone)]
struct Part {
    trie: Trie,
    info: Vec<PatInfo>,
}

/// The compiled matcher of a [`crate::KnowledgeBase`]. Read-only and `Send + Sync`: share
/// one across threads.
#[derive(Debug, Clone)]
pub struct Matcher {
    all: Option<Part>,
    lower: Option<Part>,
    /// Bit `(b0 << 8) | b1` is set when an alias of `lower` starts with the (ASCII
    /// lowercased) bytes `b0 b1`.
    lower_prefix: Vec<u64>,
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
    pub(crate) fn build(entries: &[Entry]) -> Matcher {
        let mut all = Side::default();
        let mut lower = Side::default();
        for (i, e) in entries.iter().enumerate() {
            for a in &e.aliases {
                let text = a.text.trim();
                if !text.chars().next().is_some_and(char::is_alphanumeric) {
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
                    all.add(&form, target);
                    if !form.chars().next().is_some_and(char::is_uppercase) {
                        lower.add(&form, target);
                    }
                }
            }
        }
        let mut targets = Vec::new();
        let mut upper = Vec::new();
        let mut part = |side: &Side| -> Option<Part> {
            if side.patterns.is_empty() {
                return None;
            }
            let info = side
                .patterns
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
                        check_right: p.chars().next_back().is_some_and(char::is_alphanumeric),
                    }
                })
                .collect();
            Some(Part {
                trie: Trie::new(&side.patterns),
                info,
            })
        };
        let all_part = part(&all);
        let lower_part = part(&lower);
        let mut lower_prefix = vec![0u64; 1 << 10];
        for p in &lower.patterns {
            let b = p.as_bytes();
            let key = prefix_key(b[0], b.get(1).copied().unwrap_or(0));
            lower_prefix[key >> 6] |= 1 << (key & 63);
        }
        Matcher {
            patterns: all.patterns.len(),
            all: all_part,
            lower: lower_part,
            lower_prefix,
            targets,
            upper,
        }
    }

    /// The number of distinct compiled patterns.
    pub fn pattern_count(&self) -> usize {
        self.patterns
    }

    /// Heap bytes used by the tries.
    pub fn memory_usage(&self) -> usize {
        self.all.as_ref().map_or(0, |p| p.trie.memory_usage())
            + self.lower.as_ref().map_or(0, |p| p.trie.memory_usage())
    }

    /// Every mention in `text`, left to right, non-overlapping, longest first at each place.
    pub fn find_iter<'m, 't>(&'m self, text: &'t str) -> Matches<'m, 't> {
        Matches {
            m: self,
            text,
            pos: 0,
        }
    }

    /// The longest accepted alias starting at word start `s`.
    fn at(&self, text: &str, s: usize, capital: bool) -> Option<(usize, &Part, usize)> {
        let bytes = text.as_bytes();
        let part = if capital {
            self.all.as_ref()?
        } else {
            let key = prefix_key(bytes[s], bytes.get(s + 1).copied().unwrap_or(0));
            if self.lower_prefix[key >> 6] & (1 << (key & 63)) == 0 {
                return None;
            }
            self.lower.as_ref()?
        };
        let trie = &part.trie;
        let mut state = 0;
        let mut best = None;
        for (i, &b) in bytes.iter().enumerate().skip(s) {
            let Some(next) = trie.next(state, b) else {
                break;
            };
            state = next;
            if let Some(p) = trie.pattern(state) {
                if self.accepts(&part.info[p], text, s, i + 1) {
                    best = Some((i + 1, part, p));
                }
            }
        }
        best
    }

    fn accepts(&self, info: &PatInfo, text: &str, s: usize, e: usize) -> bool {
        (!info.check_right || !text[e..].chars().next().is_some_and(is_word))
            && self.upper[info.upper_start as usize..info.upper_end as usize]
                .iter()
                .zip(&text.as_bytes()[s..e])
                .all(|(u, t)| !u.is_ascii_uppercase() || t.is_ascii_uppercase())
    }
}

fn prefix_key(b0: u8, b1: u8) -> usize {
    ((b0.to_ascii_lowercase() as usize) << 8) | b1.to_ascii_lowercase() as usize
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The iterator of [`Matcher::find_iter`].
#[derive(Debug, Clone)]
pub struct Matches<'m, 't> {
    m: &'m Matcher,
    text: &'t str,
    pos: usize,
}

impl<'m> Iterator for Matches<'m, '_> {
    type Item = ActorMatch<'m>;

    fn next(&mut self) -> Option<ActorMatch<'m>> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = self.pos;
        let mut prev_word = text[..i].chars().next_back().is_some_and(is_word);
        while i < bytes.len() {
            let b = bytes[i];
            let (word, capital, len) = if b < 0x80 {
                (b.is_ascii_alphanumeric(), b.is_ascii_uppercase(), 1)
            } else {
                let c = text[i..].chars().next()?;
                (c.is_alphanumeric(), c.is_uppercase(), c.len_utf8())
            };
            if word && !prev_word {
                if let Some((e, part, p)) = self.m.at(text, i, capital) {
                    self.pos = e;
                    let info = &part.info[p];
                    return Some(ActorMatch {
                        range: TextRange::new(i, e),
                        targets: &self.m.targets[info.start as usize..info.end as usize],
                    });
                }
            }
            prev_word = word;
            i += len;
        }
        self.pos = bytes.len();
        None
    }
}
